"""benchmarks/page_era.py (issue 31, session 11r): page-level era features, the logistic fit and the
AUC, on hand-worked cases (no rendered pages needed)."""
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import page_era as pe  # noqa: E402


def test_features_of_a_small_page():
    text = "Skip to content\nWe use cookies.\n\nCouncil votes\nThe council voted 7-2 in 2012.\n© 2025 Courier"
    f = dict(zip(pe.FEATURES, pe.features(text)))
    assert f["year"] == 2025 and f["has_year"] == 1.0          # the latest year of the page
    assert f["lex_share"] == pytest.approx(3 / 5)               # skip link, cookies, © 2025 of 5 lines
    assert f["lex_lines"] == pytest.approx(math.log1p(3))
    assert f["short_share"] == pytest.approx(4 / 5)             # every line but the sentence has <= 3 words
    assert f["blocks_per_line"] == pytest.approx(2 / 5)         # two blank-line blocks
    assert math.isnan(dict(zip(pe.FEATURES, pe.features("no year here")))["year"])


def test_auc_counts_ties_half():
    assert pe.auc(np.array([3.0, 2.0, 1.0]), np.array([1, 0, 0])) == 1.0
    assert pe.auc(np.array([1.0, 1.0]), np.array([1, 0])) == 0.5


def test_fit_separates_a_separable_set_and_weighs_classes_equally():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(-2, 1, (90, 1)), rng.normal(2, 1, (10, 1))])
    y = np.array([0] * 90 + [1] * 10)
    w = pe.fit(x, y)
    assert w[0] > 0 and pe.auc(x[:, 0] * w[0] + w[1], y) > 0.95
    # equal class weights: the decision boundary sits near the middle, not pushed to the big class
    assert abs(-w[1] / w[0]) < 0.75
