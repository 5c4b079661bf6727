"""benchmarks/wrap_choice.py: candidate U's registered choice rule, U2's fixed variant (issue 31, sessions 13d, 13e)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_render  # noqa: E402
import pytest  # noqa: E402
import wrap_choice  # noqa: E402

from newsgist.reading import pagewrap  # noqa: E402


def test_the_six_registered_variants():
    assert wrap_choice.VARIANTS == [(3, "lower"), (3, "lower+long"), (5, "lower"), (5, "lower+long"),
                                    (10, "lower"), (10, "lower+long")]


def test_the_highest_sum_wins_a_tie_takes_the_higher_threshold_then_lower():
    sums = {v: 0.0 for v in wrap_choice.VARIANTS}
    sums[(3, "lower")] = 0.5
    assert wrap_choice.choose(sums) == (3, "lower")
    sums[(5, "lower+long")] = 0.5
    assert wrap_choice.choose(sums) == (5, "lower+long")
    sums[(5, "lower")] = 0.5
    assert wrap_choice.choose(sums) == (5, "lower")


def test_no_positive_sum_gates_nothing():
    assert wrap_choice.choose({v: -0.1 for v in wrap_choice.VARIANTS}) is None
    assert wrap_choice.choose({v: 0.0 for v in wrap_choice.VARIANTS}) is None


def test_run_as_restores_the_module(monkeypatch):
    names = ("WRAP", "WRAP_MIN_PAIRS", "WRAP_JOIN", "PAIR_FIRST_MIN_WORDS")
    monkeypatch.setattr(wrap_choice, "clean_text", lambda text: tuple(getattr(pagewrap, n) for n in names))
    saved = tuple(getattr(pagewrap, n) for n in names)
    assert wrap_choice.run_as("x", None)[0] is False
    assert wrap_choice.run_as("x", (5, "lower+long")) == (True, 5, "lower+long", 3)     # U's variants: 3 words
    assert wrap_choice.run_as("x", wrap_choice.U2) == (True, 10, "pair", 5)
    assert tuple(getattr(pagewrap, n) for n in names) == saved


def test_pairs_as_counts_with_the_variants_first_line_words():
    text = "the first line has\nand the second too\nthe first line has words\nand the second"
    assert wrap_choice.pairs_as(text, (10, "lower")) == 3 and wrap_choice.pairs_as(text, wrap_choice.U2) == 1


def test_u_chose_10_lower_and_the_module_carries_u2():
    assert (10, "lower") in wrap_choice.VARIANTS                              # U's choice (session 13d)
    assert wrap_choice.U2 == (10, "pair", 5)                                   # U2's registration
    assert (pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN, pagewrap.PAIR_FIRST_MIN_WORDS) == wrap_choice.U2
    assert pagewrap.WRAP_WIDTH_SHARE == 0.8                                   # fixed by the registration


def test_a_set_of_the_wrong_size_stops_the_sum():
    wrap_choice.check_counts({"a": [{}] * 2, "b": []}, {"a": 2, "b": 0})
    with pytest.raises(ValueError, match="a 1 / 2"):
        wrap_choice.check_counts({"a": [{}]}, {"a": 2})
    with pytest.raises(ValueError, match="b 0 / 3"):
        wrap_choice.check_counts({"a": [{}] * 2}, {"a": 2, "b": 3})


def _write(path, recs):
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")


def test_cached_with_gold_reads_any_key_order_and_a_missing_file_gives_nothing(tmp_path, monkeypatch):
    data, cache = tmp_path / "set.jsonl", tmp_path / "cache.jsonl"
    monkeypatch.setitem(paste_render.SETS, "toy", data)
    monkeypatch.setattr(paste_render, "cache_path", lambda name: cache)
    assert wrap_choice.cached_with_gold("toy", lambda pid: True) == []           # neither file
    pages = [{"html": "<p>a</p>", "text": "Alpha.", "id": "keep-1"}, {"id": "drop-1", "html": "<p>b</p>", "text": "B."},
             {"text": "Gamma.", "id": "keep-2", "html": "<p>c</p>"}]
    _write(data, pages)
    assert wrap_choice.cached_with_gold("toy", lambda pid: True) == []           # no cache
    _write(cache, [{"pasted": "Alpha.", "sha1": paste_render.sha1("<p>a</p>"), "id": "keep-1"},
                   {"id": "drop-1", "pasted": "B.", "sha1": paste_render.sha1("<p>b</p>")},
                   {"sha1": "stale", "id": "keep-2", "pasted": "Gamma."}])
    got = wrap_choice.cached_with_gold("toy", lambda pid: pid.startswith("keep"))
    assert [(g["id"], g["pasted"]) for g in got] == [("keep-1", "Alpha.")]       # keep-2's HTML changed
