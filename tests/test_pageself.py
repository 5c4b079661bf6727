"""Session 10b's candidate P: per-page self-training before the decode (reading/pageself.py)."""
from __future__ import annotations

import numpy as np
import pytest

from newsgist.reading import pagedecode, pagemodel, pageself
from newsgist.reading.pagelines import FEATURE_NAMES

# the Dragnet-trained pair alone (conftest.dragnet_pair): the shipped page router would send
# these pages to its modern pair (issue 31, session 12)
pytestmark = pytest.mark.usefixtures("dragnet_pair")

COL = {n: k for k, n in enumerate(FEATURE_NAMES)}


def page(n_art=8, n_furn=8, doubt=()):
    """Feature rows of a made-up page: article lines long with many stop words, furniture lines
    short and capitalised; ``doubt``: extra lines ``(kind, p)`` the model is unsure of."""
    rng = np.random.default_rng(0)
    rows, prob = [], []
    for kind, p in [("art", 0.97)] * n_art + [("furn", 0.02)] * n_furn + list(doubt):
        x = rng.normal(0.0, 0.05, len(FEATURE_NAMES))
        art = kind == "art"
        x[COL["log_chars"]] += 5.0 if art else 2.5
        x[COL["stop_share"]] += 0.45 if art else 0.05
        x[COL["cap_share"]] += 0.1 if art else 0.9
        x[COL["terminal"]] += 1.0 if art else 0.0
        rows.append(x)
        prob.append(p)
    return np.array(rows), np.array(prob)


def test_a_page_with_too_few_sure_lines_is_left_as_it_is():
    X, p = page(n_art=pageself.SELF_MIN_POS - 1, doubt=[("art", 0.5)])
    assert pageself.adjust(p, X) is p
    X, p = page(n_furn=pageself.SELF_MIN_NEG - 1, doubt=[("art", 0.5)])
    assert pageself.adjust(p, X) is p
    assert pageself.adjust(np.zeros(0), np.zeros((0, len(FEATURE_NAMES)))).shape == (0,)


def test_lines_in_doubt_move_toward_the_page_own_model_and_sure_lines_stay():
    X, p = page(doubt=[("art", 0.45), ("furn", 0.55)])
    out = pageself.adjust(p, X, hi=0.9, lo=0.1, alpha=0.6, l2=1.0, features=pageself.SELF_SUBSETS["small"])
    assert out is not p
    assert np.array_equal(out[:-2], p[:-2])          # the sure lines are not moved
    assert out[-2] > 0.45 + 0.2                      # the article-shaped line in doubt rises
    assert out[-1] < 0.55 - 0.2                      # the furniture-shaped one falls
    # alpha bounds the move: p' = (1 - alpha) p + alpha q, q in (0, 1)
    assert 0.4 * 0.45 <= out[-2] <= 0.4 * 0.45 + 0.6
    assert np.array_equal(pageself.adjust(p, X, alpha=0.0), p)
    # "all": the sure lines move too (toward a q that agrees with them)
    every = pageself.adjust(p, X, alpha=0.6, apply="all")
    assert not np.array_equal(every[:-2], p[:-2])
    with pytest.raises(ValueError, match="apply must be"):     # a typo is not taken for "all"
        pageself.adjust(p, X, alpha=0.6, apply="al")


def test_the_fit_is_deterministic_and_reaches_the_penalised_optimum():
    X, p = page(doubt=[("art", 0.5)] * 3)
    a = pageself.adjust(p, X, alpha=1.0)
    b = pageself.adjust(p.copy(), X.copy(), alpha=1.0)
    assert np.array_equal(a, b)
    Z = pageself.standardised(X, [COL[n] for n in pageself.SELF_SUBSETS["wide"]])
    y = (p >= 0.9).astype(float)
    sure = (p >= 0.9) | (p <= 0.1)
    w, c = pageself.fit_logistic(Z[sure], y[sure], 1.0, pageself.SELF_ITERS)
    q = 1.0 / (1.0 + np.exp(-(Z[sure] @ w + c)))
    grad_w = Z[sure].T @ (q - y[sure]) + 1.0 * w
    assert np.abs(grad_w).max() < 1e-6 and abs(float(np.sum(q - y[sure]))) < 1e-6


def test_a_column_constant_on_the_page_is_zero_not_nan():
    X = np.ones((6, len(FEATURE_NAMES)))
    X[:, COL["log_chars"]] = np.arange(6)
    Z = pageself.standardised(X, [COL["log_chars"], COL["terminal"]])
    assert np.isfinite(Z).all() and np.all(Z[:, 1] == 0) and abs(Z[:, 0].std() - 1) < 1e-12


def test_the_named_columns_are_the_line_own():
    for cols in pageself.SELF_SUBSETS.values():
        assert all(n in COL and "@" not in n for n in cols)
    assert pageself.SELF_FEATURES in pageself.SELF_SUBSETS.values()


def test_off_as_shipped_the_hook_changes_nothing(monkeypatch):
    """P failed its registered rule (BENCHMARKS.md, session 10b): off, the hook returns the page's
    probabilities untouched; on, it is adjust with the module's constants."""
    assert pageself.SELF_TRAIN is False
    X, p = page(doubt=[("art", 0.5)])
    assert pageself.page_adjust(p, X) is p
    monkeypatch.setattr(pageself, "SELF_TRAIN", True)
    assert np.array_equal(pageself.page_adjust(p, X), pageself.adjust(p, X))
    assert not np.array_equal(pageself.page_adjust(p, X), p)


@pytest.mark.parametrize("on", [False, True])
def test_page_furniture_runs_the_hook_on_the_page_rows(monkeypatch, on):
    """Inside pagemodel.page_furniture, before the decode: with P on a doubted teaser shaped like
    the page's menu lines is set aside; with P off the threshold keeps it."""
    from newsgist.reading.clean import clean
    menu = ["Home Page", "World News", "Business News", "Markets Today", "Tech News", "Opinion Pages",
            "Life And Style", "Sports Results", "Search The Site", "Log In"]
    teaser = "Ferry Timetable Changes Again This Winter"
    para = ["The council voted on Tuesday to close the old harbour bridge for repairs next spring, and it said so.",
            "Engineers found cracks in two of the supports during a routine inspection of the bridge last month.",
            "Ferries will run every twenty minutes while the bridge is shut, the council said on its website.",
            "The work is expected to take about four months and to cost the town a little over two million.",
            "Traders on the harbour front said they were worried about the loss of passing trade in the spring.",
            "A public meeting on the plans will be held in the town hall on the first Monday of next month."]
    lines = menu + para + [teaser]
    text = "\n".join(lines) + "\n"
    prob = {teaser: 0.6, **{q: 0.97 for q in para}}

    class Given:
        threshold, relative = 0.5, 0.0

        def probabilities(self, X):
            return np.array([prob.get(ln, 0.02) for ln in lines])
    monkeypatch.setattr(pagemodel, "load_model", lambda: Given())
    monkeypatch.setattr(pagedecode, "DECODE", "threshold")
    monkeypatch.setattr(pageself, "SELF_TRAIN", on)
    monkeypatch.setattr(pageself, "SELF_ALPHA", 1.0)
    removed = [r.text for r in clean(text).removed]
    assert (teaser in removed) == on
    assert not any(q in removed for q in para)
