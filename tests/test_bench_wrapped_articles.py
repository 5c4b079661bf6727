"""benchmarks/bench_wrapped_articles.py (issue 31, session 14e): wrapped CNN-style articles through the
card, on an article written here (an invented story), and the paired computation on hand-made rows."""
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_paste_wrapped as bw  # noqa: E402
import bench_wrapped_articles as bwa  # noqa: E402

ARTICLE = ("(Tidewater Gazette) The town council of Marrow Bay voted on Monday to rebuild the old sea wall "
           "along Quay Street after winter storms cracked it in four places. \"We cannot wait for another "
           "storm to find the fifth crack,\" said councillor Ada Penhallow, who chairs the works committee. "
           "The repairs will cost 2.4 million pounds and take eighteen months, the council said. Fishing "
           "boats will moor at the north jetty while the work goes on, and the harbour master, Tom Brisk, "
           "said the ferry to Gull Island would keep its timetable.")
HIGHLIGHTS = ["Marrow Bay council votes to rebuild the cracked sea wall on Quay Street",
              "Repairs will cost 2.4 million pounds and take eighteen months"]
ROOM = {"email": bw.EMAIL_WIDTH, "rfc": bw.RFC_WIDTH, "narrow": bw.NARROW_WIDTH, "source-pre": bw.SOURCE_WIDTH}


def words(text):
    return re.findall(r"\w+", text)


@pytest.mark.parametrize("style", bw.STYLES)
def test_wrap_keeps_every_token_and_its_room(style):
    text, got = bwa.wrap_article("marrow-bay", ARTICLE, style)
    assert got == style
    assert text.split() == ARTICLE.split()              # only whitespace changed: no word split, none lost
    assert words(text) == words(ARTICLE)
    lines = text.split("\n")
    assert len(lines) > 3 and all(len(ln) <= ROOM[style] for ln in lines)
    assert "" not in lines                              # one paragraph: no blank line in any style
    assert bwa.wrap_article("marrow-bay", ARTICLE, style) == (text, style)    # a pure function


def test_narrow_by_hand():
    # 60 columns, greedy: the first line is 59 wide and " Monday" would make it 66; the second 58
    # (+ " winter": 65); the third exactly 60 (+ " another": 68).
    text, _ = bwa.wrap_article("x", ARTICLE[:ARTICLE.index(" said councillor")], "narrow")
    assert text.split("\n") == [
        "(Tidewater Gazette) The town council of Marrow Bay voted on",
        "Monday to rebuild the old sea wall along Quay Street after",
        "winter storms cracked it in four places. \"We cannot wait for",
        "another storm to find the fifth crack,\"",
    ]


def test_style_is_the_ids_and_rfc_indents():
    style = bw.page_style("marrow-bay")
    assert bwa.wrap_article("marrow-bay", ARTICLE)[1] == style
    text, _ = bwa.wrap_article("marrow-bay", ARTICLE, "rfc")
    assert all(ln.startswith("   ") and not ln.startswith("    ") for ln in text.split("\n"))


def _row(aid, style, plain, wrapped, hl_plain, hl_wrapped):
    out = {"id": aid, "style": style}
    for cond, r2, hl in (("plain", plain, hl_plain), ("wrapped", wrapped, hl_wrapped)):
        out[f"newsgist_{cond}"] = {"rouge1": 0.0, "rouge2": r2, "rougeLsum": 0.0, "ms": 1.0, "highlights": hl}
        out[f"lead3_{cond}"] = {"rouge1": 0.0, "rouge2": 5.0, "rougeLsum": 0.0, "ms": 1.0, "highlights": []}
    return out


def test_paired_by_hand(tmp_path):
    # wrapped ROUGE-2 per article: base 10 and 20, this 11 and 23: differences +1 and +3, mean +2; a
    # resample of two articles has mean 1, 2 or 3 (1 and 3 each with chance 1/4), so the 95 % interval
    # is [1, 3]. Unwrapped: no change. Highlights: article a's differ by whitespace only, b's by words.
    base = [_row("a", "email", 12.0, 10.0, ["A one."], ["A\none."]),
            _row("b", "narrow", 14.0, 20.0, ["B one."], ["B frag"])]
    this = [_row("b", "narrow", 14.0, 23.0, ["B one."], ["B one."]),
            _row("a", "email", 12.0, 11.0, ["A one."], ["A one."]),
            _row("c", "rfc", 1.0, 1.0, [], [])]          # not in base: left out
    path = tmp_path / "base.json"
    path.write_text(json.dumps(base))
    res = {(r["condition"], r["style"]): r for r in bwa.paired(this, json.loads(path.read_text()))}
    assert set(res) == {("plain", "all"), ("wrapped", "all"), ("wrapped", "email"), ("wrapped", "narrow")}
    w = res[("wrapped", "all")]
    assert (w["articles"], w["mean_base"], w["mean_this"]) == (2, 15.0, 17.0)
    assert w["diff"] == pytest.approx(2.0) and (w["lo"], w["hi"]) == (pytest.approx(1.0), pytest.approx(3.0))
    assert (w["changed"], w["changed_words"]) == (2, 1)
    assert res[("wrapped", "narrow")]["diff"] == pytest.approx(3.0)
    assert (res[("wrapped", "email")]["changed"], res[("wrapped", "email")]["changed_words"]) == (1, 0)
    p = res[("plain", "all")]
    assert (p["diff"], p["lo"], p["hi"], p["changed"]) == (0.0, 0.0, 0.0, 0)
    table = bwa.paired_table(list(res.values()))
    assert "| wrapped | all | 2 | 15.000 | 17.000 | +2.000 | [+1.000, +3.000] | 2 (1) |" in table


def test_run_and_table_on_two_articles():
    recs = [{"id": "marrow-bay", "article": ARTICLE, "highlights": HIGHLIGHTS},
            {"id": "marrow-bay-2", "article": ARTICLE, "highlights": HIGHLIGHTS}]
    rows = bwa.run(recs, "narrow", progress=False)
    assert [r["style"] for r in rows] == ["narrow", "narrow"]
    for r in rows:
        for key in ("lead3_plain", "lead3_wrapped", "newsgist_plain", "newsgist_wrapped"):
            assert set(r[key]) == {"rouge1", "rouge2", "rougeLsum", "ms", "highlights"}
            assert 0.0 <= r[key]["rouge2"] <= 100.0
        assert r["newsgist_plain"]["highlights"]       # the card gives highlights on the plain article
    table = bwa.table(rows)
    assert "| LEAD-3 | unwrapped | 2 |" in table and "| newsgist highlights | wrapped: narrow | 2 |" in table
    assert "wrapped: email" not in table               # no article in that style
    unwrapped = next(ln for ln in table.split("\n") if ln.startswith("| newsgist highlights | unwrapped |"))
    assert unwrapped.split(" | ")[-2] == "–"           # no change column for the unwrapped rows


def test_gate_set_refused_without_gate(tmp_path, capsys):
    data = tmp_path / "test-public-500.jsonl"
    data.write_text(json.dumps({"id": "x", "article": ARTICLE, "highlights": HIGHLIGHTS}) + "\n")
    with pytest.raises(SystemExit, match="registered gate's test set"):
        bwa.main(["--data", str(data)])
    assert bwa.is_gate_set(data) and not bwa.is_gate_set(Path("validation-1000.jsonl"))
    with pytest.raises(SystemExit):
        bwa.main(["--help"])
    assert "--gate" in capsys.readouterr().out
