"""benchmarks/paste_outside_estimate.py's copy of the outside bar's metric (issue 31, session 13b):
4-token shingles of ``\\w+`` tokens, case kept; page tp/fp/fn normalised to sum 1; set P and R the
means of the page P and R, F1 their harmonic mean; the pooled variant. Worked by hand."""
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_outside_estimate as poe  # noqa: E402


def test_shingles_keep_case_and_short_texts_are_one_shingle():
    assert poe.shingles("a b c d e") == Counter({"a b c d": 1, "b c d e": 1})
    assert poe.shingles("The cat") == Counter({"The cat": 1})
    assert poe.shingles("...") == Counter()
    assert poe.shingles("A b c d") != poe.shingles("a b c d")      # case kept


def test_page_counts_normalised_and_page_pr():
    # gold: 3 shingles (a b c d, b c d e, c d e f); output: a b c d e x -> a b c d, b c d e, c d e x
    tp, fp, fn = poe.page_counts("a b c d e x", "a b c d e f")
    assert (tp, fp, fn) == pytest.approx((2 / 4, 1 / 4, 1 / 4))
    assert poe.page_pr("a b c d e x", "a b c d e f") == pytest.approx((2 / 3, 2 / 3))
    assert poe.page_pr("", "a b c d e f") == (poe.EMPTY_PRECISION, 0.0)
    assert poe.page_counts("", "") == (0.0, 0.0, 0.0)


def test_set_scores_mean_of_pages_and_pooled():
    # page 1: P 1, R 0.5; page 2: P 0.5, R 1 -> means 0.75 / 0.75, F1 0.75
    assert poe.set_scores([(1.0, 0.5), (0.5, 1.0)]) == pytest.approx((0.75, 0.75, 0.75))
    # pooled: summed normalised counts (tp, fp, fn) = (0.5+0.5, 0+0.5, 0.5+0) -> P = R = 1/1.5
    p, r, f = poe.pooled_scores([(0.5, 0.0, 0.5), (0.5, 0.5, 0.0)])
    assert (p, r, f) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert poe.set_scores([]) == (0.0, 0.0, 0.0)


def test_bands():
    assert [poe.band_of(x) for x in (0.1, 0.25, 0.6, 0.9, 0.95, 1.0)] == [0, 1, 2, 3, 4, 4]
