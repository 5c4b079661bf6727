"""Session 8c's loss split (benchmarks/paste_loss.py): a page's parts add up to its 1 - F1."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_loss  # noqa: E402


def _line(i, text, y, kept, kind="prose-length line"):
    return {"i": i, "text": text, "y": y, "kept": kept, "why": None if kept else "outside-body", "p": 0.5,
            "ntok": len(text.split()), "kind": kind}


def test_parts_add_up_to_the_page_loss_and_sit_where_the_lines_are():
    lines = [
        _line(0, "a blog about cooking and life in the hills written by me every week", False, True),
        _line(1, "The council voted on Tuesday to close the old bridge for repairs next spring", True, True),
        _line(2, "Repairs will cost about two million and take four months the mayor said", True, False),
        _line(3, "12 comments", False, False),
        _line(4, "I drove over that bridge every day for ten years and never felt safe on it", False, True),
    ]
    g = sum(l_["ntok"] for l_ in lines if l_["y"])
    h = sum(l_["ntok"] for l_ in lines if l_["kept"])
    ov = lines[1]["ntok"]
    row = {"id": "p1", "site": "s", "f1": 2 * ov / (h + g), "h": h, "g": g, "ov": ov, "lines": lines,
           "gold_in_lines": g}
    kinds, modes, n = paste_loss.split([row])
    assert abs(sum(row["part"].values()) - (1 - row["f1"])) < 1e-12
    assert set(row["part"]) == {"FP prose line before the article", "FP comment thread after the article",
                                "FN article prose", "FN gold no pasted line carries"}
    assert row["part"]["FN gold no pasted line carries"] == 0
    assert sum(n.values()) == 1 and row["mode"].startswith("precision")


def test_a_caption_sized_gold_is_its_own_mode():
    lines = [_line(0, "Day in pictures", True, False, "short: link, menu, heading"),
             _line(1, "A man walks past a tree uprooted by the typhoon in Hong Kong on Tuesday", False, True)]
    row = {"id": "p2", "site": "s", "f1": 0.0, "h": 14, "g": 3, "ov": 0, "lines": lines, "gold_in_lines": 3}
    paste_loss.split([row])
    assert row["mode"].startswith("tiny gold")
