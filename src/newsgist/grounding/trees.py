"""The checker's line model (issue 26): gradient-boosted trees run with numpy.

LightGBM (a training dependency only, :mod:`newsgist.evaluation.train_check`) fits the
trees; they are a :class:`newsgist.trees.TreeEnsemble` (the arrays and the evaluation
every shipped tree model shares) plus what the checker needs around them: the feature
columns they were fit on (read by name from :data:`newsgist.grounding.model.FEATURES`),
the line threshold, the word-rarity table and notes.
"""
from __future__ import annotations

import numpy as np

from newsgist.grounding.context import Lexicon
from newsgist.trees import TreeEnsemble


class LineTrees:
    """``predict(X)``: the probability that each row's line is backed by its article."""

    def __init__(self, features, feature, threshold, left, right, value, roots, depth, threshold_line=0.5,
                 notes="", inputs=None, idf=None, names=(), plain=(), lower_threshold=None):
        self.features = tuple(features)
        # ``threshold`` here is the trees' split values (the file calls them "split");
        # ``self.threshold`` is the line threshold on the probability
        self.trees = TreeEnsemble(feature, threshold, left, right, value, roots, depth)
        self.threshold = float(threshold_line)
        # the line threshold for an article with no capital letter at all (a
        # lower-cased article, where case cannot speak; issue 26, session 6); None: ``threshold``
        self.lower_threshold = None if lower_threshold is None else float(lower_threshold)
        self.notes = notes
        self.inputs = tuple(inputs or self.features)
        self.idf = dict(idf or {})
        self.lex = Lexicon(names, plain)   # which words are names (grounding/context.py)
        inner = self.trees.feature >= 0
        if inner.any() and (self.trees.feature[inner].min() < 0
                            or self.trees.feature[inner].max() >= len(self.features)):
            raise ValueError("tree node index out of range")
        if not set(self.features) <= set(self.inputs):
            raise ValueError("the line trees were fit on other features; retrain them (newsgist.grounding.train)")
        self.columns = [self.inputs.index(f) for f in self.features]

    @classmethod
    def from_lightgbm(cls, dump: dict, features, **kw) -> "LineTrees":
        t = TreeEnsemble.from_lightgbm(dump)
        return cls(features, t.feature, t.threshold, t.left, t.right, t.value, t.roots, t.depth, **kw)

    def raw(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X[None, :]
        if X.shape[1] != len(self.features):
            X = X[:, self.columns]
        return self.trees.predict(X)

    def predict(self, X) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.raw(X)))

    def to_dict(self) -> dict:
        t = self.trees
        return {"kind": "trees", "features": list(self.features), "threshold": self.threshold, "notes": self.notes,
                "depth": t.depth, "feature": t.feature.tolist(),
                "split": [float(f"{x:.6g}") for x in t.threshold.tolist()],
                "left": t.left.tolist(), "right": t.right.tolist(),
                "value": [float(f"{x:.6g}") for x in t.value.tolist()], "roots": t.roots.tolist(),
                "idf": self.idf, "names": sorted(self.lex.names), "plain": sorted(self.lex.plain),
                **({} if self.lower_threshold is None else {"lower_threshold": self.lower_threshold})}

    @classmethod
    def from_dict(cls, d: dict, inputs) -> "LineTrees":
        return cls(d["features"], d["feature"], d["split"], d["left"], d["right"], d["value"], d["roots"],
                   d["depth"], d.get("threshold", 0.5), d.get("notes", ""), inputs, d.get("idf"), d.get("names", ()),
                   d.get("plain", ()), d.get("lower_threshold"))
