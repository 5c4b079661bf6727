"""The core tree ensembles (newsgist.trees) that every shipped tree model is evaluated
with: the ranker and its set reranker, the checker's line model, the pasted-page model."""
from __future__ import annotations

import numpy as np
import pytest

from newsgist.grounding.trees import LineTrees
from newsgist.reading.pagemodel import tree_ensemble
from newsgist.trees import TreeEnsemble, compile_trees

lgb = pytest.importorskip("lightgbm", reason="LightGBM (the train/test extra) fits the trees of this test")


def _booster(leaves: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, 5))
    y = (X[:, 0] - 0.5 * X[:, 2] + rng.normal(scale=0.3, size=400) > 0).astype(int)
    params = {"objective": "binary", "verbose": -1, "num_leaves": leaves, "min_data_in_leaf": 5, "seed": seed,
              "deterministic": True, "num_threads": 1}
    return lgb.train(params, lgb.Dataset(X, y), 15), X


@pytest.mark.parametrize("leaves", [4, 8, 31, 63])
def test_ensemble_equals_lightgbm_and_its_own_walk(leaves):
    booster, X = _booster(leaves)
    dump = booster.dump_model()
    trees = TreeEnsemble.from_lightgbm(dump)
    X = X.copy()
    X[::7, 1] = np.nan   # a missing value goes right, in both evaluations
    assert np.array_equal(trees.predict(X), trees.walk(X))
    widest = max(t["num_leaves"] for t in dump["tree_info"])
    assert (compile_trees(trees) is None) == (widest > 32)   # leaf masks for trees of up to 32 leaves
    big = np.repeat(X, 3, axis=0)                            # more rows than one slice (ROW_CHUNK)
    assert np.array_equal(trees.predict(big), trees.walk(big))
    assert np.allclose(trees.predict(X[1::7]), booster.predict(X[1::7], raw_score=True))


def test_line_trees_read_their_columns_by_name_and_round_trip():
    booster, X = _booster(8)
    names = ["a", "b", "c", "d", "e"]
    line = LineTrees.from_lightgbm(booster.dump_model(), names, inputs=["z"] + names)
    wide = np.hstack([np.full((len(X), 1), 9.0), X])      # the model's inputs, one extra column first
    assert np.allclose(line.raw(wide), booster.predict(X, raw_score=True))
    again = LineTrees.from_dict(line.to_dict(), ["z"] + names)
    assert np.allclose(again.raw(wide), line.raw(wide), atol=1e-4)   # the file keeps 6 significant digits
    assert np.all((line.predict(wide) > 0) & (line.predict(wide) < 1))


def test_page_model_stage_is_the_core_ensemble():
    booster, X = _booster(8)
    d = TreeEnsemble.from_lightgbm(booster.dump_model()).to_dict()
    stage = tree_ensemble(d)
    assert isinstance(stage, TreeEnsemble)
    assert np.array_equal(stage.predict(X), TreeEnsemble(**d).predict(X))


def test_shipped_page_model_masks_equal_the_walk():
    """The pasted-page model's trees (up to 31 leaves, 32-bit masks) give exactly the walk."""
    from newsgist.reading.pagemodel import load_model
    model = load_model()
    if model is None:
        pytest.skip("no shipped page model")
    rng = np.random.default_rng(5)
    for stage in (model.stage1, model.stage2):
        width = int(stage.feature.max()) + 1
        X = rng.normal(size=(700, width)) * 3
        X[::11, 0] = np.nan
        assert compile_trees(stage) is not None
        assert np.array_equal(stage.predict(X), stage.walk(X))
