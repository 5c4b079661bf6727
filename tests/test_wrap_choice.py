"""benchmarks/wrap_choice.py: candidate U's registered choice rule (issue 31, session 13d)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
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
    monkeypatch.setattr(wrap_choice, "clean_text", lambda text: (pagewrap.WRAP, pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN))
    saved = pagewrap.WRAP, pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN
    assert wrap_choice.run_as("x", None)[0] is False
    assert wrap_choice.run_as("x", (5, "lower+long")) == (True, 5, "lower+long")
    assert (pagewrap.WRAP, pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN) == saved


def test_the_module_carries_the_chosen_variant():
    assert (pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN) in wrap_choice.VARIANTS
    assert (pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN) == (10, "lower")     # the rule's choice (session 13d)
    assert pagewrap.WRAP_WIDTH_SHARE == 0.8                                   # fixed by the registration
