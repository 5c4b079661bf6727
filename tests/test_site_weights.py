"""Site-balanced training (issue 31, session 9, candidate A; a benchmark option, off in the
shipped model): a page of a site with n training pages weighs 1 / n ** alpha, each line its
page's weight, each fit's line weights scaled to mean 1 — in the tree stages
(``cv_paste.stage_scores``) and in the GRU's loss (``train_pageseq.fit``). Worked by hand."""
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.evaluation.train_paste import SITE_ALPHA, fit_line_weights, site_page_weights

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

SITES = {"p1": "a.com", "p2": "a.com", "p3": "b.com"}     # p4: no site, a site of its own


def test_registered_alpha():
    assert SITE_ALPHA == 0.5


def test_page_weights_by_hand():
    ids = ["p1", "p2", "p3", "p4"]
    assert site_page_weights(ids, SITES, 1.0) == [0.5, 0.5, 1.0, 1.0]
    assert site_page_weights(ids, SITES, 0.0) == [1.0, 1.0, 1.0, 1.0]
    w = site_page_weights(ids, SITES)       # square-root damping: a.com's two pages 1/sqrt(2) each
    assert w[0] == w[1] == pytest.approx(2 ** -0.5) and w[2:] == [1.0, 1.0]
    # the count is over the ids given: without p2, a.com has one page
    assert site_page_weights(["p1", "p3"], SITES, 1.0) == [1.0, 1.0]
    with pytest.raises(ValueError):
        site_page_weights(ids, SITES, -0.5)


def test_line_weights_by_hand():
    # pages of 2, 1, 1, 3 lines weighing 1/2, 1/2, 1, 1: raw line weights .5 .5 .5 1 1 1 1, sum 5.5
    # over 7 lines, so each is divided by 5.5 / 7: 7/11 and 14/11
    w = fit_line_weights([2, 1, 1, 3], [0.5, 0.5, 1.0, 1.0])
    assert np.allclose(w, [7 / 11] * 3 + [14 / 11] * 4, rtol=0, atol=1e-12)
    assert w.mean() == pytest.approx(1.0)
    # alpha 0.5 on p1..p3 (2, 1, 1 lines): 1/sqrt2 x3 and 1, over their mean (3/sqrt2 + 1) / 4
    m = (3 * 2 ** -0.5 + 1) / 4
    assert np.allclose(fit_line_weights([2, 1, 1], site_page_weights(["p1", "p2", "p3"], SITES)),
                       [2 ** -0.5 / m] * 3 + [1 / m], rtol=0, atol=1e-12)
    assert np.array_equal(fit_line_weights([3, 2], [0.3, 0.3]), np.ones(5))     # equal pages: plain training
    for lengths, pw in (([], []), ([2], [0.0])):
        with pytest.raises(ValueError):
            fit_line_weights(lengths, pw)


class _Page:
    def __init__(self, pid, n):
        self.id, self.y, self.X = pid, np.zeros(n), np.zeros((n, 2))


def test_stage_scores_gives_each_fit_its_scaled_weights(monkeypatch):
    import cv_paste
    seen = []

    def fake_fit_predict(train_X, train_y, seed, threads, targets, weight=None):
        assert len(weight) == len(train_y) == len(train_X)
        seen.append(np.asarray(weight))
        return [np.zeros(len(X)) for X in targets]
    monkeypatch.setattr(cv_paste, "_fit_predict", fake_fit_predict)
    monkeypatch.setattr(cv_paste, "_SITE_FOLDS", {})
    train = [_Page(k, n) for k, n in zip(["p1", "p2", "p3", "p4"], [2, 1, 1, 3])]
    evals = [_Page("e1", 2)]
    pw = site_page_weights([p.id for p in train], SITES, 1.0)
    cv_paste.stage_scores(train, evals, [p.X for p in train], [p.X for p in evals], 0, 2, 1, pw, scale=True)
    # folds page i -> i % 2. Fold 0 trains on p2 (1 line, 1/2) and p4 (3 lines, 1): mean 7/8;
    # fold 1 on p1 (2 lines, 1/2) and p3 (1 line, 1): mean 2/3; the full fit on all four
    assert np.allclose(seen[0], [4 / 7, 8 / 7, 8 / 7, 8 / 7])
    assert np.allclose(seen[1], [0.75, 0.75, 1.5])
    assert np.allclose(seen[2], [7 / 11] * 3 + [14 / 11] * 4)
    # without scale (session 6b's per-line arrays) the weights pass as they are, and None stays None
    seen.clear()
    arrays = [np.full(len(p.y), 2.0) for p in train]
    cv_paste.stage_scores(train, evals, [p.X for p in train], [p.X for p in evals], 0, 2, 1, arrays)
    assert all(np.all(w == 2.0) for w in seen)
    seen.clear()
    monkeypatch.setattr(cv_paste, "_fit_predict", lambda X, y, s, t, targets, weight=None:
                        seen.append(weight) or [np.zeros(len(Z)) for Z in targets])
    cv_paste.stage_scores(train, evals, [p.X for p in train], [p.X for p in evals], 0, 2, 1)
    assert seen == [None, None, None]


def test_site_weights_pull_lightgbm_toward_the_small_site():
    # one feature value, two sites disagreeing: a.com (9 pages of 10 lines) says article, b.com
    # (1 page of 90 lines) says not. Unweighted lines: 90 / 180 = 0.5; with alpha 1, a.com's
    # lines weigh 1/9 of b.com's: the fitted probability drops toward 0.1
    pytest.importorskip("lightgbm")
    from newsgist.evaluation.train_paste import fit
    ids = [f"a{k}" for k in range(9)] + ["b0"]
    sites = {k: k[0] + ".com" for k in ids}
    lengths = [10] * 9 + [90]
    X = np.vstack([np.zeros((n, 1)) for n in lengths])
    y = np.concatenate([np.ones(n) if k.startswith("a") else np.zeros(n) for k, n in zip(ids, lengths)])

    def prob(weight):
        return float(1 / (1 + np.exp(-fit(X, y, 0, 1, weight).predict(X[:1], raw_score=True)[0])))
    plain = prob(None)
    weighted = prob(fit_line_weights(lengths, site_page_weights(ids, sites, 1.0)))
    assert plain == pytest.approx(0.5, abs=0.02)
    assert weighted == pytest.approx(0.1, abs=0.02)


# --- the GRU's loss (torch; training only: skipped without it) ---------------------------------
FEATS = ["words", "terminal", "prose"]


def _pages(n_pages=12, seed=0):
    rng = np.random.default_rng(seed)
    Zs, ys = [], []
    for k in range(n_pages):
        n = 3 + (5 * k) % 9
        Z = rng.normal(0, 1, (n, 2 + len(FEATS)))
        Zs.append(Z)
        ys.append((Z[:, 0] > 0).astype(float))
    return Zs, ys


def _net(d):
    return {k: d[k] for k in ("forward", "backward", "out_w", "out_b", "mean", "std")}


def test_gru_equal_weights_train_the_unweighted_net_exactly():
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq as tp
    Zs, ys = _pages()
    kw = {"epochs": 2, "hidden": 4, "dropout": 0.2, "weight_decay": 1e-4}
    base = tp.fit(Zs, ys, FEATS, **kw)
    same = tp.fit(Zs, ys, FEATS, page_weights=[0.7] * len(Zs), **kw)     # scaled to 1 a line
    assert _net(same) == _net(base)
    assert "page_weights" not in base["info"] and same["info"]["page_weights"] == "site"


def test_gru_site_weights_change_the_net_and_wrong_counts_are_refused():
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq as tp
    Zs, ys = _pages()
    kw = {"epochs": 2, "hidden": 4}
    base = tp.fit(Zs, ys, FEATS, **kw)
    w = [1.0] * 6 + [0.25] * 6
    got = tp.fit(Zs, ys, FEATS, page_weights=w, **kw)
    assert _net(got) != _net(base)
    assert _net(tp.fit(Zs, ys, FEATS, page_weights=w, **kw)) == _net(got)     # deterministic
    with pytest.raises(ValueError):
        tp.fit(Zs, ys, FEATS, page_weights=[1.0] * 3, **kw)


def test_gru_zero_weight_pages_teach_nothing():
    # pages of weight 0 add nothing to the loss: the net equals one trained without their labels'
    # pull, i.e. with their labels flipped (same batches, same draws)
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq as tp
    Zs, ys = _pages()
    w = [1.0] * 8 + [0.0] * 4
    flipped = [y if k < 8 else 1 - y for k, y in enumerate(ys)]
    kw = {"epochs": 2, "hidden": 4}
    a = tp.fit(Zs, ys, FEATS, page_weights=w, **kw)
    b = tp.fit(Zs, flipped, FEATS, page_weights=w, **kw)
    assert _net(a) == _net(b)


# --- the training command's library path (train_paste.train) -----------------------------------
def _written_pages(n=8):
    body = ("The harbour board met on Tuesday to discuss the new ferry timetable for the winter months. "
            "Members said the early boat would run twice a week until March, when demand returns.")
    pages = []
    for k in range(n):
        pasted = "\n".join(["Home", "News", "Sport", f"Ferry timetable changes, part {k}", body,
                            f"The board will meet again in {k + 2} weeks to review the numbers.",
                            "Share this story", "Follow us on Twitter", "Related: more harbour news"]) + "\n"
        pages.append({"id": f"w{k}", "pasted": pasted, "text": f"Ferry timetable changes, part {k}\n{body}"})
    return pages


def test_train_with_equal_page_weights_is_the_unweighted_model():
    pytest.importorskip("lightgbm")
    from newsgist.evaluation.train_paste import prepare, train
    pages = prepare(_written_pages())
    plain = train(pages, folds=2, ensemble=1)
    equal = train(pages, folds=2, ensemble=1, page_weights=[0.25] * len(pages))
    assert "page_weights" not in plain["info"] and equal["info"].pop("page_weights") == "site"
    assert equal == plain
    other = train(pages, folds=2, ensemble=1, page_weights=site_page_weights(
        [p.id for p in pages], {"w0": "x.com", "w1": "x.com", "w2": "x.com", "w3": "x.com"}, 1.0))
    assert other["stage1"] != plain["stage1"]
