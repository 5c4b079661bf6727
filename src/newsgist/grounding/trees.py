"""The checker's line model (issue 26): gradient-boosted trees run with numpy.

LightGBM (a training dependency only, :mod:`newsgist.grounding.train`) fits the trees;
:meth:`LineTrees.from_lightgbm` flattens its dump into arrays (node ``k`` is a leaf when
``feature[k] < 0``; otherwise ``x[feature[k]] <= threshold[k]`` goes left), and
:meth:`LineTrees.predict` walks all trees at once, level by level. The model reads the
columns of :data:`newsgist.grounding.model.FEATURES` it was fit on, by name.
"""
from __future__ import annotations

import numpy as np


class LineTrees:
    """``predict(X)``: the probability that each row's line is backed by its article."""

    def __init__(self, features, feature, threshold, left, right, value, roots, depth, threshold_line=0.5,
                 notes="", inputs=None, idf=None):
        self.features = tuple(features)
        self.feature = np.asarray(feature, dtype=np.int64)
        self.split = np.asarray(threshold, dtype=np.float64)
        self.left = np.asarray(left, dtype=np.int64)
        self.right = np.asarray(right, dtype=np.int64)
        self.value = np.asarray(value, dtype=np.float64)
        self.roots = np.asarray(roots, dtype=np.int64)
        self.depth = int(depth)
        self.threshold = float(threshold_line)
        self.notes = notes
        self.inputs = tuple(inputs or self.features)
        self.idf = dict(idf or {})
        n = len(self.feature)
        if not (len(self.split) == len(self.left) == len(self.right) == len(self.value) == n):
            raise ValueError("tree arrays differ in length")
        inner = self.feature >= 0
        for arr in (self.left[inner], self.right[inner], self.roots, self.feature[inner]):
            if arr.size and arr.min() < 0:
                raise ValueError("tree node index out of range")
        if inner.any() and (max(self.left[inner].max(), self.right[inner].max()) >= n
                            or self.feature[inner].max() >= len(self.features)):
            raise ValueError("tree node index out of range")
        if not set(self.features) <= set(self.inputs):
            raise ValueError("the line trees were fit on other features; retrain them (newsgist.grounding.train)")
        self.columns = [self.inputs.index(f) for f in self.features]

    @classmethod
    def from_lightgbm(cls, dump: dict, features, **kw) -> "LineTrees":
        feature, threshold, left, right, value, roots = [], [], [], [], [], []
        depth = 0

        def add(node, d):
            nonlocal depth
            k = len(feature)
            feature.append(-1)
            threshold.append(0.0)
            left.append(-1)
            right.append(-1)
            value.append(0.0)
            if "leaf_value" in node:
                value[k] = float(node["leaf_value"])
                depth = max(depth, d)
                return k
            if node.get("decision_type", "<=") != "<=":
                raise ValueError(f"unsupported split {node.get('decision_type')!r}")
            feature[k] = int(node["split_feature"])
            threshold[k] = float(node["threshold"])
            left[k] = add(node["left_child"], d + 1)
            right[k] = add(node["right_child"], d + 1)
            return k

        for tree in dump["tree_info"]:
            roots.append(add(tree["tree_structure"], 0))
        return cls(features, feature, threshold, left, right, value, roots, depth, **kw)

    def raw(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X[None, :]
        if X.shape[1] != len(self.features):
            X = X[:, self.columns]
        if X.shape[0] == 0 or self.roots.size == 0:
            return np.zeros(X.shape[0])
        rows = np.arange(X.shape[0])[:, None]
        node = np.broadcast_to(self.roots, (X.shape[0], self.roots.size)).copy()
        for _ in range(self.depth):
            f = self.feature[node]
            inner = f >= 0
            if not inner.any():
                break
            go_left = X[rows, np.where(inner, f, 0)] <= self.split[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        return self.value[node].sum(axis=1)

    def predict(self, X) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.raw(X)))

    def to_dict(self) -> dict:
        return {"kind": "trees", "features": list(self.features), "threshold": self.threshold, "notes": self.notes,
                "depth": self.depth, "feature": self.feature.tolist(),
                "split": [float(f"{x:.6g}") for x in self.split.tolist()],
                "left": self.left.tolist(), "right": self.right.tolist(),
                "value": [float(f"{x:.6g}") for x in self.value.tolist()], "roots": self.roots.tolist(),
                "idf": self.idf}

    @classmethod
    def from_dict(cls, d: dict, inputs) -> "LineTrees":
        return cls(d["features"], d["feature"], d["split"], d["left"], d["right"], d["value"], d["roots"],
                   d["depth"], d.get("threshold", 0.5), d.get("notes", ""), inputs, d.get("idf"))
