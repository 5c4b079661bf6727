"""Per-page self-training before the decode (issue 31, session 10b, candidate P).

The page model (:mod:`newsgist.reading.pagemodel`) was trained on other sites; a page of a site
it never saw has its own conventions (how long its furniture lines are, its capitalisation, its
link words). But every page carries its own evidence: the lines the model is sure of. For each
page, :func:`adjust` fits a small L2-regularised logistic regression on the page's OWN confident
lines (probability ``>= SELF_HI`` as article, ``<= SELF_LO`` as furniture) over a few of the
line's own feature columns (``SELF_FEATURES``, standardised within the page), and moves the
lines in doubt toward its probability ``q``: ``p' = (1 - SELF_ALPHA) * p + SELF_ALPHA * q``. The
decode after it is the shipped one, unchanged.

The model never reads ``p`` itself: the pseudo-labels are a threshold of ``p``, so ``p`` would
separate them perfectly and teach nothing about the page. A page with fewer than
``SELF_MIN_POS`` sure article lines or ``SELF_MIN_NEG`` sure furniture lines is left as it is.
Fixed Newton (IRLS) steps from zero weights: deterministic, and linear in the page's lines
(each step ``O(n d^2 + d^3)`` with ``d`` the few columns).

Off (``SELF_TRAIN = False``) until it passes its registered rule (BENCHMARKS.md, "Issue 31,
session 10b").
"""
from __future__ import annotations

# Off: the candidate's registered rule decides (BENCHMARKS.md, "Issue 31, session 10b").
SELF_TRAIN = False
# Pseudo-labels: a line with p >= SELF_HI is article, p <= SELF_LO furniture; the lines between
# are the ones in doubt. Chosen on PAGE folds only (the registered grid of 30, BENCHMARKS.md,
# session 10b: (0.9, 0.1) and (0.8, 0.2) within 0.0002 of each other).
SELF_HI = 0.8
SELF_LO = 0.2
# The weight of the page's own model in the new probability of a line in doubt (page folds' grid
# {0.15, 0.3, 0.6, 1.0}: every ALPHA >= 0.6 lost 0.003-0.016 on page folds).
SELF_ALPHA = 0.3
# The L2 penalty on the weights (not the intercept), in units of the standardised columns (grid
# {1, 10, 100}: the largest won, so q stays near the page's share of sure article lines).
SELF_L2 = 100.0
# Which lines move: "doubt" (SELF_LO < p < SELF_HI) or "all" (registered: "doubt").
SELF_APPLY = "doubt"
# A page with fewer sure lines of either class is left as it is (fixed, not tuned: below this a
# per-page fit of several columns is noise).
SELF_MIN_POS = 5
SELF_MIN_NEG = 5
# Newton (IRLS) steps, fixed: the fit is small and strictly convex with the L2 term.
SELF_ITERS = 6
# The line's own columns the page model reads (pagelines.FEATURE_NAMES): small by design (a cap on
# the fit's cost). "small" / "wide": the two subsets of the page-fold grid.
SELF_SUBSETS = {
    "small": ("log_chars", "terminal", "stop_share", "cap_share", "furn_share", "mean_word_len"),
    "wide": ("log_chars", "terminal", "stop_share", "cap_share", "furn_share", "mean_word_len",
             "sent_stops", "comma_rate", "digit_share", "allcaps_share", "urlish", "starts_lower"),
}
SELF_FEATURES = SELF_SUBSETS["small"]


def _columns(names) -> list[int]:
    from newsgist.reading.pagelines import FEATURE_NAMES
    where = {n: k for k, n in enumerate(FEATURE_NAMES)}
    return [where[n] for n in names]


def standardised(X, cols):
    """The columns ``cols`` of ``X``, each centred and scaled by its standard deviation within
    the page (a column constant on the page is all zeros)."""
    import numpy as np
    Z = np.asarray(X, dtype=float)[:, cols]
    Z = Z - Z.mean(axis=0)
    sd = Z.std(axis=0)
    return np.divide(Z, sd, out=np.zeros_like(Z), where=sd > 1e-9)


def _sigmoid(x):
    import numpy as np
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def fit_logistic(Z, y, l2: float, iters: int):
    """``(w, b)`` of an L2-regularised logistic regression (the intercept ``b`` unpenalised) by
    ``iters`` Newton steps from zero. Deterministic; each step solves a ``d + 1`` system."""
    import numpy as np
    n, d = Z.shape
    A = np.hstack([Z, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    pen = np.full(d + 1, float(l2))
    pen[-1] = 0.0
    for _ in range(iters):
        q = _sigmoid(A @ beta)
        g = A.T @ (q - y) + pen * beta
        H = (A * (q * (1.0 - q))[:, None]).T @ A + np.diag(pen) + 1e-6 * np.eye(d + 1)
        beta = beta - np.linalg.solve(H, g)
    return beta[:-1], float(beta[-1])


def adjust(prob, X, *, hi: float | None = None, lo: float | None = None, alpha: float | None = None,
           l2: float | None = None, features=None, apply: str | None = None):
    """The page's probabilities after its own model (a new array; ``prob`` itself when the page
    has too few sure lines of either class, or when off). ``prob``: the page model's probability
    of each row of ``X`` (the page's feature rows, pagelines.features). The keyword arguments
    override the module's constants (the grid of benchmarks/cv_selftrain.py)."""
    import numpy as np
    hi = SELF_HI if hi is None else hi
    lo = SELF_LO if lo is None else lo
    alpha = SELF_ALPHA if alpha is None else alpha
    l2 = SELF_L2 if l2 is None else l2
    apply = SELF_APPLY if apply is None else apply
    if apply not in ("doubt", "all"):
        raise ValueError(f"apply must be 'doubt' or 'all', not {apply!r}")
    p = np.asarray(prob, dtype=float)
    pos, neg = p >= hi, p <= lo
    if len(p) == 0 or int(pos.sum()) < SELF_MIN_POS or int(neg.sum()) < SELF_MIN_NEG:
        return prob
    Z = standardised(X, _columns(SELF_FEATURES if features is None else features))
    sure = pos | neg
    w, b = fit_logistic(Z[sure], pos[sure].astype(float), l2, SELF_ITERS)
    q = _sigmoid(Z @ w + b)
    move = ~sure if apply == "doubt" else np.ones(len(p), dtype=bool)
    out = p.copy()
    out[move] = (1.0 - alpha) * p[move] + alpha * q[move]
    return out


def page_adjust(prob, X):
    """The product's hook (pagemodel.page_furniture): :func:`adjust` when ``SELF_TRAIN`` is on,
    else ``prob`` unchanged."""
    return adjust(prob, X) if SELF_TRAIN else prob
