"""benchmarks/modern_pages.py (issue 31, session 11): a line-marked .page text becomes the
fixture JSON that bench_paste_modern.load_pages accepts."""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_paste_modern as bm  # noqa: E402
import modern_pages as mp  # noqa: E402

PAGE = """id: 99-council-depot
shape: local paper: skip link, share line

F skip-link | Skip to main content
A headline | Council votes | to close the depot

A body | The council voted 7-2 on Tuesday.
F share | Share
"""


def test_page_text_to_fixture(tmp_path):
    page = mp.parse_page(PAGE)
    assert page["id"] == "99-council-depot"
    # the text is everything after the first " | "; a blank line stays one blank line of the paste
    assert page["paste"] == "Skip to main content\nCouncil votes | to close the depot\n\nThe council voted 7-2 on Tuesday.\nShare"
    assert page["gold"] == "Council votes | to close the depot\nThe council voted 7-2 on Tuesday."
    assert page["lines"][0] == ["furniture:skip-link", "Skip to main content"]
    src = tmp_path / "a.page"
    src.write_text(PAGE, encoding="utf-8")
    mp.main([str(src), "--out", str(tmp_path / "out")])
    loaded = bm.load_pages(tmp_path / "out")
    assert [p["id"] for p in loaded] == ["99-council-depot"]
    assert json.loads((tmp_path / "out" / "99-council-depot.json").read_text())["gold"] == page["gold"]


@pytest.mark.parametrize("text, msg", [
    ("id: x\n\nA body | text\n", "shape"),
    ("id: x\nshape: s\n\nB body | text\n", "line 1"),
    ("id: x\nshape: s\n\nF nav | News\n", "no article line"),
    ("id: x\nshape: s\nA body | text\n", "no blank line"),
])
def test_malformed_pages_are_refused(text, msg):
    with pytest.raises(ValueError, match=msg):
        mp.parse_page(text)


def test_written_sets_load_and_their_ids_never_repeat():
    """The written page sets of sessions 11 and 12 (training, blind, sealed gates) load with the fixture
    checks, and no page id is in two sets (a page in both would leak a gate into training). Loading
    runs no model: the sealed pages stay unscored."""
    root = Path(__file__).resolve().parent / "fixtures" / "paste"
    ids = {}
    # each set's id numbers: modern 1-34, modern-train 35 on, blind b1-b100, sealed s1-s100, sealed2 t1-t100
    for name, prefix, low, high in (("modern", "", 1, 34), ("modern-train", "", 35, 10 ** 6),
                                    ("modern-blind", "b", 1, 100), ("modern-sealed", "s", 1, 100),
                                    ("modern-sealed2", "t", 1, 100)):
        pages = bm.load_pages(root / name)
        assert len(pages) >= 34, name
        for p in pages:
            assert p["id"] not in ids, (p["id"], name, ids.get(p["id"]))
            number = p["id"][len(prefix):].split("-", 1)[0]
            assert p["id"].startswith(prefix) and number.isdigit() and low <= int(number) <= high, (name, p["id"])
            ids[p["id"]] = name
    golds = {}
    for name in ("modern", "modern-train", "modern-blind", "modern-sealed", "modern-sealed2"):
        for p in bm.load_pages(root / name):
            for line in p["gold"].split("\n"):
                if len(line) > 80:      # a long article line in two sets would be a copied page
                    assert golds.setdefault(line, name) == name, (name, line[:60])


def test_model_diff_refuses_a_candidate_that_does_not_load(tmp_path):
    """benchmarks/paste_model_diff.py (session 11i): a mistyped candidate stops the run with one
    line instead of comparing the shipped model with rules only."""
    import paste_model_diff as pmd
    with pytest.raises(SystemExit, match="no page-lines model could be read"):
        pmd.main(["--model", str(tmp_path / "missing.json"), "--seq", str(tmp_path / "missing-seq.json")])


def test_two_sources_with_one_id_are_refused(tmp_path):
    for name in ("a.page", "b.page"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    with pytest.raises(SystemExit, match="99-council-depot is in both"):
        mp.main([str(tmp_path / "a.page"), str(tmp_path / "b.page"), "--out", str(tmp_path / "out")])
    assert not (tmp_path / "out" / "99-council-depot.json").exists()
