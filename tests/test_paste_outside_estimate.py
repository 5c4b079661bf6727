"""benchmarks/paste_outside_estimate.py on the outside bar's metric: since session 13f it has no copy
of its own and scores with ``paste_metric`` (4-token shingles, page-normalised tp/fp/fn, mean page P
over pages with output, mean page R over pages with gold, F1 of the means); the pooled variant from
``paste_metric``'s counts. Worked by hand."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_metric  # noqa: E402
import paste_outside_estimate as poe  # noqa: E402


def test_the_metric_is_paste_metrics():
    assert poe.shingles is paste_metric.shingles and poe.page_counts is paste_metric.page_counts
    assert poe.TOKEN_RE is paste_metric.TOKEN_RE


def test_page_pr_and_its_mean_flags():
    # gold a b c d e f: 3 shingles; output a b c d e x: 3 shingles, 2 in common -> P = R = 2/3
    assert poe.page_pr("a b c d e x", "a b c d e f") == pytest.approx((2 / 3, 2 / 3, True, True))
    # no output: precision 0, left out of the P mean; recall 0, in the R mean
    assert poe.page_pr("", "a b c d e f") == (0.0, 0.0, False, True)
    # an output on an empty gold: P 0 in the mean, no recall
    assert poe.page_pr("a b c d", "") == (0.0, 0.0, True, False)


def test_set_scores_leave_pages_out_as_paste_metric_does():
    pages = [("a b c d e x", "a b c d e f"),       # P 2/3, R 2/3
             ("", "a b c d e f"),                  # no output: R 0, no P
             ("a b c d e f g", "a b c d e f")]     # P 3/4, R 1
    prs = [poe.page_pr(h, g) for h, g in pages]
    p, r, f = poe.set_scores(prs)
    assert p == pytest.approx((2 / 3 + 3 / 4) / 2)           # 2 pages in the P mean
    assert r == pytest.approx((2 / 3 + 0 + 1) / 3)           # 3 in the R mean
    assert f == pytest.approx(2 * p * r / (p + r))
    agg = paste_metric.aggregate([paste_metric.page_counts(h, g) for h, g in pages])
    assert (p, r, f) == pytest.approx((agg["p"], agg["r"], agg["f1"]))
    # bare (p, r) pairs (a what-if row) enter both means
    assert poe.set_scores([(1.0, 0.5), (0.5, 1.0)]) == pytest.approx((0.75, 0.75, 0.75))
    assert poe.set_scores([]) == (0.0, 0.0, 0.0)


def test_weighted_scores_weigh_only_the_pages_in_each_mean():
    prs = [(1.0, 0.5, True, True), (0.0, 0.0, False, True), (0.5, 1.0, True, True)]
    # P: (3 x 1 + 1 x 0.5) / 4 = 0.875 (the middle page has none); R: (3 x 0.5 + 2 x 0 + 1 x 1) / 6
    p, r, _ = poe.weighted_scores(prs, [3.0, 2.0, 1.0])
    assert (p, r) == pytest.approx((0.875, 2.5 / 6))


def test_pooled_scores_of_paste_metric_counts():
    # page 1: output a b c d e x on gold a b c d e f -> (2/4, 1/4, 1/4); page 2: exact -> (1, 0, 0)
    counts = [paste_metric.page_counts("a b c d e x", "a b c d e f"), paste_metric.page_counts("a b c d", "a b c d")]
    assert counts[0] == pytest.approx((0.5, 0.25, 0.25)) and counts[1] == (1.0, 0.0, 0.0)
    # summed (1.5, 0.25, 0.25): P = R = 1.5 / 1.75
    assert poe.pooled_scores(counts) == pytest.approx((6 / 7, 6 / 7, 6 / 7))


def test_bands():
    assert [poe.band_of(x) for x in (0.1, 0.25, 0.6, 0.9, 0.95, 1.0)] == [0, 1, 2, 3, 4, 4]
