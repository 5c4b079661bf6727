"""benchmarks/bench_paste.py's per-page rows and paired comparison (issue 31, session 11): a
candidate page model's P/R/F1 minus an earlier run's, paired by set and page id, per set and
per Readability half, mean and paired SE. Worked by hand."""
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_paste as bp  # noqa: E402
from conftest import router_dict  # noqa: E402


def _row(pid, set_name, f1, group=None, system=bp.MODEL_SYSTEM, p=1.0, r=1.0):
    return {"id": pid, "set": set_name, "group": group, "system": system, "p": p, "r": r, "f1": f1}


def test_paired_by_hand():
    base = [_row("a", "dragnet", 0.5), _row("b", "dragnet", 0.5), _row("c", "dragnet", 0.9),
            _row("x", "readability", 0.8, "half A"), _row("y", "readability", 0.6, "half B"),
            _row("a", "dragnet", 0.0, system="whole page")]
    rows = [_row("a", "dragnet", 0.6), _row("b", "dragnet", 0.8), _row("c", "dragnet", 0.9, p=0.5),
            _row("x", "readability", 0.9, "half A"), _row("y", "readability", 0.4, "half B"),
            _row("z", "readability", 0.1, "half B"),          # not in the base run: left out
            _row("a", "dragnet", 1.0, system="whole page")]   # another system: left out
    got = bp.paired(rows, base)
    d = got[("dragnet", None)]
    # F1 differences .1 .3 0: mean .1333, SD sqrt(((-.0333)^2 + .1667^2 + .1333^2) / 2) = .1528, SE .0882
    assert d["n"] == 3 and d["f1"][0] == pytest.approx(0.4 / 3) and d["f1"][1] == pytest.approx(0.0882, abs=1e-4)
    assert d["p"][0] == pytest.approx(-0.5 / 3) and d["r"] == (0.0, 0.0)
    assert got[("readability", None)]["n"] == 2 and got[("readability", None)]["f1"][0] == pytest.approx(-0.05)
    # one page: cv_paste.paired_diff's SE, NaN (no spread to estimate)
    half_a = got[("readability", "half A")]
    assert half_a["n"] == 1 and half_a["f1"][0] == pytest.approx(0.1) and math.isnan(half_a["f1"][1])
    assert got[("readability", "half B")]["f1"][0] == pytest.approx(-0.2)
    assert set(got) == {("dragnet", None), ("readability", None), ("readability", "half A"),
                        ("readability", "half B")}
    assert got[("dragnet", None)]["unpaired"] == 0 and got[("readability", None)]["unpaired"] == 0


def test_paired_counts_the_base_pages_this_run_lacks(capsys):
    base = [_row("a", "dragnet", 0.5), _row("b", "dragnet", 0.5), _row("x", "readability", 0.8, "half A")]
    got = bp.paired([_row("a", "dragnet", 0.7)], base)
    assert got[("dragnet", None)]["n"] == 1 and got[("dragnet", None)]["unpaired"] == 1
    # a set only the base run has: n 0, all its pages unpaired
    assert got[("readability", None)]["n"] == 0 and got[("readability", None)]["unpaired"] == 1
    bp.print_paired(got, "base.json")
    out = capsys.readouterr().out
    assert "| dragnet | 1 | " in out and out.count("its pages not in this run") == 1


def test_table_writes_one_row_a_page_and_system(monkeypatch, capsys):
    monkeypatch.setattr(bp, "SYSTEMS", {"whole page": lambda p: p["pasted"], bp.MODEL_SYSTEM: lambda p: "a b"})
    pages = [{"id": "p1", "pasted": "a b c d", "text": "a b"}, {"id": "p2", "pasted": "x", "text": "a b"}]
    rows = []
    bp.table("t", pages, group=lambda p: "half A", systems=[bp.MODEL_SYSTEM], out_rows=rows, set_name="s")
    assert [(r["id"], r["system"], r["group"], r["set"], r["f1"]) for r in rows] == \
        [("p1", bp.MODEL_SYSTEM, "half A", "s", 1.0), ("p2", bp.MODEL_SYSTEM, "half A", "s", 1.0)]
    assert "whole page" not in capsys.readouterr().out


def test_table_carries_the_outside_metric(monkeypatch, capsys):
    """Session 13a: each row also carries the page's normalised shingle counts, and the table prints
    the outside metric's P4 / R4 / F1-4 of means after our columns (ours unchanged)."""
    monkeypatch.setattr(bp, "SYSTEMS", {bp.MODEL_SYSTEM: lambda p: p["out"]})
    # page 1: gold A B C D E F (ABCD BCDE CDEF), out A B C D E X (ABCD BCDE CDEX): tp 2 fp 1 fn 1 -> /4
    # page 2: gold a b c d e (abcd bcde), out a b c d (abcd): tp 1 fp 0 fn 1 -> /2; P 1, R .5
    # P4 mean (2/3 + 1) / 2 = .8333, R4 (2/3 + .5) / 2 = .5833, F1-4 = 2 * .8333 * .5833 / 1.4167 = .686
    pages = [{"id": "p1", "out": "A B C D E X", "text": "A B C D E F"},
             {"id": "p2", "out": "a b c d", "text": "a b c d e"}]
    rows = []
    bp.table("t", pages, out_rows=rows, set_name="s")
    assert [r["tp4"] for r in rows] == pytest.approx([0.5, 0.5])
    assert [x for r in rows for x in (r["fp4"], r["fn4"])] == pytest.approx([0.25, 0.25, 0.0, 0.5])
    out = capsys.readouterr().out
    assert "| P4 | R4 | F1-4 (of means) |" in out
    line = next(ln for ln in out.splitlines() if ln.startswith(f"| {bp.MODEL_SYSTEM} |"))
    cells = [c.strip() for c in line.strip("|").split("|")]
    # ours first, as before: bag P (5/6 + 1) / 2, R (5/6 + 4/5) / 2, F1 the mean of page F1s (5/6 + 8/9) / 2
    assert cells[1:4] == ["0.917", "0.817", "0.861"]
    assert cells[5:8] == ["0.833", "0.583", "0.686"] and cells[8].startswith("±")


def test_paired4_by_hand(capsys):
    def row(pid, counts, group=None, system=bp.MODEL_SYSTEM):
        return dict(_row(pid, "readability", 0.5, group, system), **dict(zip(bp.COUNTS4, counts)))
    base = [row("a", (0.5, 0.25, 0.25), "half A"), row("b", (0.0, 0.0, 1.0), "half B"),
            row("c", (1.0, 0.0, 0.0), "half B"), _row("d", "readability", 0.5, "half B")]   # d: no counts
    rows = [row("a", (1.0, 0.0, 0.0), "half A"), row("b", (0.5, 0.0, 0.5), "half B"),
            row("c", (1.0, 0.0, 0.0), "half B"), row("d", (1.0, 0.0, 0.0), "half B"),
            row("a", (0.0, 0.0, 1.0), "half A", system="whole page")]
    got = bp.paired4(rows, base)
    assert set(got) == {("readability", None), ("readability", "half A"), ("readability", "half B")}
    every = got[("readability", None)]
    # base: P over a, c (b has no output): (2/3 + 1) / 2 = 5/6; R over a, b, c: (2/3 + 0 + 1) / 3 = 5/9
    # this run: P 1, 1, 1 -> 1; R 1, .5, 1 -> 5/6. F1 5/9*2*5/6/(5/6+5/9) = 2/3 -> 10/11
    assert every["n"] == 3 and every["base"]["f1"] == pytest.approx(2 / 3)
    assert every["this"]["f1"] == pytest.approx(10 / 11) and every["diff"] == pytest.approx(10 / 11 - 2 / 3)
    assert got[("readability", "half B")]["n"] == 2
    bp.print_paired4(got, "base.json")
    assert "| readability (half B) | 2 |" in capsys.readouterr().out
    bp.print_paired4(bp.paired4(rows, [_row("a", "readability", 0.5, "half A")]), "old.json")
    assert "no page paired" in capsys.readouterr().out


# --- NEWSGIST_PAGE_MODEL / NEWSGIST_PAGE_SEQ checked at start-up (review, session 11) ---
def _gru(trees_sha1, hidden=3):
    from newsgist.reading import pageseq
    rng = np.random.default_rng(0)
    d_in = 2 + len(pageseq.SEQ_FEATURES)

    def m(*shape):
        return rng.normal(0, 0.6, shape).tolist()
    d = {"kind": "newsgist-page-seq", "version": 1, "features": list(pageseq.SEQ_FEATURES), "mix": "mean",
         "mean": [0.0] * d_in, "std": [1.0] * d_in, "out_w": m(2 * hidden), "out_b": 0.1, "info": {},
         "trees_sha1": trees_sha1}
    for key in ("forward", "backward"):
        d[key] = {"w_ih": m(3 * hidden, d_in), "w_hh": m(3 * hidden, hidden), "b_ih": m(3 * hidden),
                  "b_hh": m(3 * hidden)}
    return d


@pytest.fixture
def models(tmp_path, monkeypatch):
    """Trees (the shipped ones with one leaf moved), a GRU file paired with them, one paired with
    other trees, and the shipped GRU path pointed at a GRU of the shipped trees."""
    from newsgist.reading import pagemodel, pageseq
    if not pagemodel.MODEL_PATH.exists():
        pytest.skip("no page model file")
    shipped = json.loads(pagemodel.MODEL_PATH.read_text(encoding="utf-8"))
    trees = json.loads(json.dumps(shipped))
    trees["stage2"]["value"][0] += 0.25
    fp = pageseq.trees_fingerprint(trees)
    (tmp_path / "trees.json").write_text(json.dumps(trees))
    (tmp_path / "seq.json").write_text(json.dumps(_gru(fp)))
    (tmp_path / "other-seq.json").write_text(json.dumps(_gru("0" * 40)))
    (tmp_path / "shipped-seq.json").write_text(json.dumps(_gru(pageseq.trees_fingerprint(shipped))))
    monkeypatch.setattr(pageseq, "SEQ_PATH", tmp_path / "shipped-seq.json")
    monkeypatch.delenv("NEWSGIST_PAGE_MODEL", raising=False)
    monkeypatch.delenv("NEWSGIST_PAGE_SEQ", raising=False)
    monkeypatch.delenv("NEWSGIST_PAGE_ROUTE", raising=False)
    return tmp_path, fp


def test_check_page_model_names_the_pair(models, monkeypatch):
    d, fp = models
    assert bp.check_page_model() is None                     # neither variable: nothing to check
    monkeypatch.setenv("NEWSGIST_PAGE_MODEL", str(d / "trees.json"))
    monkeypatch.setenv("NEWSGIST_PAGE_SEQ", str(d / "seq.json"))
    line = bp.check_page_model()
    assert fp in line and "GRU on" in line
    # the trees alone: the shipped GRU does not pair with them, so it is off (said, not silent)
    monkeypatch.delenv("NEWSGIST_PAGE_SEQ")
    line = bp.check_page_model()
    assert fp in line and "GRU off" in line


@pytest.mark.parametrize("trees, seq, message", [
    ("missing-trees.json", "seq.json", "no page-lines model could be read"),      # would run rules only
    ("trees.json", "missing-seq.json", "no such file"),                          # would run trees only
    ("trees.json", "other-seq.json", "trained beside other page-lines trees"),   # would score every page 0
    (None, "seq.json", "trained beside other page-lines trees"),                 # the shipped trees, this GRU
])
def test_check_page_model_refuses(models, monkeypatch, capsys, trees, seq, message):
    d, _ = models
    if trees:
        monkeypatch.setenv("NEWSGIST_PAGE_MODEL", str(d / trees))
    monkeypatch.setenv("NEWSGIST_PAGE_SEQ", str(d / seq))
    with pytest.raises(ValueError, match=message):
        bp.check_page_model()
    import paste_render

    def no_render(*a, **k):
        raise AssertionError("rendered before the check")
    monkeypatch.setattr(paste_render, "render", no_render)
    assert bp.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_check_page_model_checks_a_router_and_its_modern_pair(models, monkeypatch):
    """Session 12: NEWSGIST_PAGE_ROUTE alone: the default pair is the shipped one, and the router's
    modern pair must load and pair."""
    d, fp = models
    router = router_dict(0.5, modern_lines="trees.json", modern_seq="seq.json")
    (d / "route.json").write_text(json.dumps(router))
    monkeypatch.setenv("NEWSGIST_PAGE_ROUTE", str(d / "route.json"))
    line = bp.check_page_model()
    assert "(shipped)" in line and "router" in line and fp in line
    (d / "route-bad.json").write_text(json.dumps(dict(router, modern_seq="other-seq.json")))
    monkeypatch.setenv("NEWSGIST_PAGE_ROUTE", str(d / "route-bad.json"))
    with pytest.raises(ValueError, match="trained beside other page-lines trees"):
        bp.check_page_model()
    monkeypatch.setenv("NEWSGIST_PAGE_ROUTE", str(d / "missing.json"))
    with pytest.raises(ValueError, match="page router .* cannot be read"):
        bp.check_page_model()
