"""Session 8c's benchmark candidates (issue 31): the fast decode grid's F1 and the logistic mix."""
import random
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import cv_decode_mix  # noqa: E402

from newsgist.reading import pagedecode  # noqa: E402
from newsgist.reading.pagemodel import keep_mask  # noqa: E402


def _f1_of(page, keep):
    """The harness's own line-level F1 of the kept lines (cv_paste.f1_of, not a copy)."""
    import cv_paste
    return cv_paste.f1_of(page, keep)


def test_grid_f1s_equal_the_decode_and_harness_f1_setting_by_setting():
    rng = random.Random(3)
    words = ["the", "mayor", "said", "home", "share", "council", "vote", "menu", "a", "of"]
    grid = cv_decode_mix.settings()
    assert len(grid) == 675 and cv_decode_mix.SHIPPED in grid
    for _ in range(25):
        n = rng.randint(1, 14)
        line_tokens = [[rng.choice(words) for _ in range(rng.randint(0, 30))] for _ in range(n)]
        gold = Counter(t for toks in line_tokens if rng.random() < 0.5 for t in toks)
        gold.update(["unpasted"] * rng.randint(0, 3))
        page = SimpleNamespace(line_tokens=line_tokens, score_ref=gold)
        prob = np.array([rng.random() for _ in range(n)])
        got = cv_decode_mix.page_f1s(page, prob, grid)
        w = np.array([len(t) for t in line_tokens], dtype=float)
        for j in rng.sample(range(len(grid)), 40):
            th, t, lo, hi, mt = grid[j]
            keep = pagedecode.segment_mask(prob, w, keep_mask(prob, th, 0.5), t, lo, hi, mt)
            assert abs(got[j] - _f1_of(page, keep)) < 1e-12


def test_tie_goes_to_the_fewest_changes():
    shipped = cv_decode_mix.SHIPPED
    assert max([(0.4, 0.3, 0.5, 0.9, 20), shipped, (0.5, 0.3, 0.5, 0.9, 40)], key=cv_decode_mix.tie_key) == shipped


def test_logistic_fit_recovers_known_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20000, 3))
    p = 1.0 / (1.0 + np.exp(-(X @ np.array([1.5, -0.5, 0.25]) - 0.3)))
    y = (rng.random(20000) < p).astype(float)
    w, b = cv_decode_mix.fit_logistic(X, y)
    assert np.allclose(w, [1.5, -0.5, 0.25], atol=0.08) and abs(b + 0.3) < 0.06
    w2, b2 = cv_decode_mix.fit_logistic(X, y)
    assert np.array_equal(w, w2) and b == b2          # deterministic


def test_logistic_fit_on_soft_labels_is_the_mean_mix_when_that_is_the_truth():
    # labels drawn as the mean of two probabilities' logits: the fit finds equal halves
    rng = np.random.default_rng(1)
    X = rng.normal(scale=2.0, size=(30000, 2))
    y = 1.0 / (1.0 + np.exp(-(0.5 * X[:, 0] + 0.5 * X[:, 1])))
    w, b = cv_decode_mix.fit_logistic(X, y)
    assert np.allclose(w, [0.5, 0.5], atol=1e-6) and abs(b) < 1e-6
