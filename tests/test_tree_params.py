"""Candidate G (issue 31, session 10c; a benchmark option, off in the shipped model): the tree
stages' LightGBM parameter sets regularised for outlets never seen (``train_paste.PARAM_SETS``),
reaching every booster of ``train_paste.train`` and ``cv_paste.stage_scores``; without a set, the
shipped parameters and the shipped model file's ``info``."""
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.evaluation.train_paste import LGB_PARAMS, PARAM_SETS, params_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from test_site_weights import _written_pages  # noqa: E402  (the same self-written pages)


def test_registered_sets_change_only_what_was_registered():
    assert PARAM_SETS["shipped"] is LGB_PARAMS
    changed = {name: {k: v for k, v in p.items() if LGB_PARAMS.get(k, object()) != v} for name, p in PARAM_SETS.items()}
    assert changed == {"shipped": {}, "G1": {"extra_trees": True},
                       "G2": {"min_data_in_leaf": 1000, "lambda_l2": 10.0}}
    assert all(set(LGB_PARAMS) <= set(p) for p in PARAM_SETS.values())
    assert LGB_PARAMS["min_data_in_leaf"] == 100 and "extra_trees" not in LGB_PARAMS     # the shipped set untouched


def test_params_of():
    assert params_of(None) is LGB_PARAMS
    assert params_of("G1") is PARAM_SETS["G1"]
    with pytest.raises(ValueError, match="unknown tree parameter set"):
        params_of("G3")


def _band(n=30000, seed=0):
    # one column; lines in a narrow band (0.5 % of them, like one site's template lines) are all
    # article, the rest 10 % article at random
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, n)
    band = (x > 0.500) & (x < 0.505)
    y = np.where(band, 1.0, (rng.uniform(0, 1, n) < 0.1).astype(float))
    return x[:, None], y, band


def test_fit_hands_the_set_to_lightgbm():
    pytest.importorskip("lightgbm")
    from newsgist.evaluation.train_paste import fit
    X, y, band = _band(4000)
    g1 = fit(X, y, 0, 1, None, PARAM_SETS["G1"])
    assert g1.params["extra_trees"] is True and "extra_trees" not in fit(X, y, 0, 1).params
    g2 = fit(X, y, 0, 1, None, PARAM_SETS["G2"])
    # the shipped cap for tiny training sets (one leaf >= a twentieth of the lines) still applies
    assert g2.params["lambda_l2"] == 10.0 and g2.params["min_data_in_leaf"] == min(1000, len(y) // 20)
    assert np.array_equal(fit(X, y, 0, 1, None, PARAM_SETS["G1"]).predict(X), g1.predict(X))   # deterministic


def test_regularised_sets_fit_a_small_band_less_closely():
    # the shipped trees isolate the 142-line band (mean probability 0.84 there); G2's leaves hold
    # >= 1,000 lines, so only overlapping leaves of different trees narrow it (0.73); G1's random
    # thresholds rarely fall on its edges (0.21)
    pytest.importorskip("lightgbm")
    from newsgist.evaluation.train_paste import fit
    X, y, band = _band()
    shipped = fit(X, y, 0, 1).predict(X[band]).mean()
    assert shipped > 0.8
    assert fit(X, y, 0, 1, None, PARAM_SETS["G2"]).predict(X[band]).mean() < shipped - 0.05
    assert fit(X, y, 0, 1, None, PARAM_SETS["G1"]).predict(X[band]).mean() < 0.5


def test_train_without_a_set_is_the_shipped_model_and_a_set_reaches_both_stages():
    pytest.importorskip("lightgbm")
    from newsgist.evaluation.train_paste import prepare, train
    pages = prepare(_written_pages())
    plain = train(pages, folds=2, ensemble=1)
    assert "param_set" not in plain["info"] and plain["info"]["lightgbm_params"] == LGB_PARAMS
    assert train(pages, folds=2, ensemble=1, param_set="shipped") == plain
    for name in ("G1", "G2"):
        got = train(pages, folds=2, ensemble=1, param_set=name)
        assert got["info"]["param_set"] == name and got["info"]["lightgbm_params"] == PARAM_SETS[name]
        assert got["stage1"] != plain["stage1"] and got["stage2"] != plain["stage2"]
    with pytest.raises(ValueError):
        train(pages, folds=2, ensemble=1, param_set="G3")


def test_train_hands_the_set_to_every_fit_of_both_stages(monkeypatch):
    """Stage 2's trees differ whenever stage 1's do, so the difference above cannot show that the
    set reaches stage 2: record what every fit receives (review of session 10)."""
    pytest.importorskip("lightgbm")
    from newsgist.evaluation import train_paste
    pages = train_paste.prepare(_written_pages())
    seen, fit = [], train_paste.fit

    def spy(X, y, seed=0, threads=1, weight=None, params=None):
        seen.append((X.shape[1], params))
        return fit(X, y, seed, threads, weight, params)
    monkeypatch.setattr(train_paste, "fit", spy)
    train_paste.train(pages, folds=2, ensemble=1, param_set="G2")
    widths = {w for w, _ in seen}
    assert len(widths) == 2                          # both stages were fitted (stage 2 reads more columns)
    assert len(seen) == 2 * (2 + 1)                  # two folds and the final fit, each stage
    assert all(p is PARAM_SETS["G2"] for _, p in seen)


class _Page:
    def __init__(self, pid, n):
        self.id, self.y, self.X = pid, np.zeros(n), np.zeros((n, 2))


def test_stage_scores_hands_the_set_to_every_fit(monkeypatch):
    import cv_paste
    seen = []

    def fake_fit_predict(train_X, train_y, seed, threads, targets, weight=None, **kw):
        seen.append(kw)
        return [np.zeros(len(X)) for X in targets]
    monkeypatch.setattr(cv_paste, "_fit_predict", fake_fit_predict)
    monkeypatch.setattr(cv_paste, "_SITE_FOLDS", {})
    train = [_Page(f"p{k}", 3) for k in range(4)]
    evals = [_Page("e0", 2)]
    cv_paste.stage_scores(train, evals, [p.X for p in train], [p.X for p in evals], 0, 2, 1,
                          params=PARAM_SETS["G2"])
    assert seen == [{"params": PARAM_SETS["G2"]}] * 3          # two folds and the full model
    seen.clear()
    cv_paste.stage_scores(train, evals, [p.X for p in train], [p.X for p in evals], 0, 2, 1)
    assert seen == [{}] * 3                                    # the shipped call, unchanged


def test_cv_paste_refuses_a_set_outside_its_registered_runs():
    import cv_paste
    with pytest.raises(SystemExit, match="--params runs with --comment-shape"):
        cv_paste.run("dragnet", [0], 4, 1, param_set="G1")          # without --comment-shape
    with pytest.raises(SystemExit, match="--params runs with --comment-shape"):
        cv_paste.run("dragnet", [0], 4, 1, comment=True, param_set="G1", site_weights={})
    with pytest.raises(SystemExit):
        cv_paste.main(["--params", "G3"])                           # argparse: not a registered set
