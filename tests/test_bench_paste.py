"""benchmarks/bench_paste.py's per-page rows and paired comparison (issue 31, session 11): a
candidate page model's P/R/F1 minus an earlier run's, paired by set and page id, per set and
per Readability half, mean and paired SE. Worked by hand."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_paste as bp  # noqa: E402


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
    assert got[("readability", "half A")] == {"n": 1, "p": (0.0, 0.0), "r": (0.0, 0.0),
                                              "f1": (pytest.approx(0.1), 0.0)}
    assert got[("readability", "half B")]["f1"][0] == pytest.approx(-0.2)
    assert set(got) == {("dragnet", None), ("readability", None), ("readability", "half A"),
                        ("readability", "half B")}


def test_table_writes_one_row_a_page_and_system(monkeypatch, capsys):
    monkeypatch.setattr(bp, "SYSTEMS", {"whole page": lambda p: p["pasted"], bp.MODEL_SYSTEM: lambda p: "a b"})
    pages = [{"id": "p1", "pasted": "a b c d", "text": "a b"}, {"id": "p2", "pasted": "x", "text": "a b"}]
    rows = []
    bp.table("t", pages, group=lambda p: "half A", systems=[bp.MODEL_SYSTEM], out_rows=rows, set_name="s")
    assert [(r["id"], r["system"], r["group"], r["set"], r["f1"]) for r in rows] == \
        [("p1", bp.MODEL_SYSTEM, "half A", "s", 1.0), ("p2", bp.MODEL_SYSTEM, "half A", "s", 1.0)]
    assert "whole page" not in capsys.readouterr().out
