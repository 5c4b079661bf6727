"""Gradient-boosted trees evaluated with numpy alone (core: every learned model's trees).

LightGBM (a training dependency only) fits the trees; :meth:`TreeEnsemble.from_lightgbm`
flattens its dump into arrays, and the shipped models (the highlight ranker and its set
reranker, the checker's line model, the pasted-page line model) store those arrays in
JSON. :meth:`TreeEnsemble.predict` gives the raw scores (sum of leaf values), by leaf
bitmasks where the trees allow (:class:`LeafMasks`, issue 27) and otherwise by walking
every tree node by node (:meth:`TreeEnsemble.walk`): the same numbers either way.

Leaf bitmasks (the QuickScorer idea, Lucchese et al., SIGIR 2015): number each tree's
leaves left to right; every split whose test fails (the row goes right) rules out the
leaves of its left subtree; the leaf the walk would reach is the leftmost one no failed
test rules out. So one comparison of every row with every split, one AND-reduction per
tree and a table lookup give each row's leaf in every tree, with no loop over depth (the
splits of all trees are laid out as one matrix, tree by tree padded to the same count).
The leaf values are then summed in tree order, exactly as the walk sums them: the result
is bit-for-bit the same (``tests/test_ranker.py`` checks it against the walk).
"""
from __future__ import annotations

import numpy as np

# Leaves per tree this evaluator takes (one bit each in an unsigned integer); larger
# trees are walked node by node. The ranker's and the checker's trees have at most 8 leaves,
# the pasted-page model's up to 31 (32-bit masks since wave three, session 4).
MAX_LEAVES = 32
# Up to this many leaves a tree's value is looked up by the whole mask (a table of
# 2**leaves entries a tree); wider trees find the mask's lowest bit arithmetically.
TABLE_LEAVES = 16
# Rows evaluated at once: the masks take (splits x trees x rows) integers, so a page of
# thousands of lines is taken in slices (the same numbers, row by row independent).
ROW_CHUNK = 512
# ... and fewer where one slice's (split x tree x row) cells pass this many (issue 31, session 7d:
# the page model's 600 trees of 30 splits take 116 rows at a time, so a slice's masks stay in the
# cache; 2.1 ms a stage for a 180-line page and 2x on a 50,000-line page, against 512 rows).
# Smaller ensembles take more rows at a time (the ranker's 1,200 trees of 7 splits: 249, more
# than an article has sentences), ROW_CHUNK at most. Set by timing slices of 32-512 rows on
# pasted pages (64-128 rows best); any size gives the same numbers.
CHUNK_CELLS = 1 << 21


class LeafMasks:
    """A :class:`TreeEnsemble` compiled to leaf bitmasks."""

    def __init__(self, feature, threshold, left, right, value, roots):
        count, first, tree_of, reached = _layout(feature, left, right, roots)
        n_trees = len(roots)
        leaves_per_tree = count[roots] if n_trees else np.zeros(0, dtype=np.int64)
        if n_trees and int(leaves_per_tree.max()) > MAX_LEAVES:
            raise ValueError("tree too large for leaf masks")
        widest = max(1, int(leaves_per_tree.max()) if n_trees else 1)
        leaf = reached[feature[reached] < 0]
        inner = reached[feature[reached] >= 0]
        self.dtype = np.uint8 if widest <= 8 else np.uint16 if widest <= 16 else np.uint32
        full = int(np.iinfo(self.dtype).max)
        # each split's (feature, threshold, keep mask): a split the row fails (goes right)
        # keeps all leaves but its left subtree's, leaves first[k] .. first[k] + count[left[k]]
        lo = first[inner]
        hi = lo + count[left[inner]]
        masks = ~((np.left_shift(1, hi) - np.left_shift(1, lo)).astype(np.int64)) & full
        # splits laid out split-major, every tree padded to the most splits of any tree with
        # splits that send every row left-or-right alike (threshold +inf, nothing ruled out);
        # a split's row is its rank among its tree's splits (any order gives the same leaf)
        order = np.argsort(tree_of[inner], kind="stable")
        inner, masks = inner[order], masks[order]
        trees = tree_of[inner]
        splits_per_tree = np.bincount(trees, minlength=n_trees)
        most = int(splits_per_tree.max()) if inner.size else 0
        rank = np.arange(inner.size) - np.repeat(np.cumsum(splits_per_tree) - splits_per_tree, splits_per_tree)
        feat = np.zeros((most, n_trees), dtype=np.int64)
        thr = np.full((most, n_trees), np.inf)
        keep = np.full((most, n_trees), full, dtype=np.int64)
        feat[rank, trees] = feature[inner]
        thr[rank, trees] = threshold[inner]
        keep[rank, trees] = masks
        self.most = most
        # the distinct (feature, threshold) tests, compared once each (about a third of the
        # splits): a row's outcome for every split is then a gather of booleans (issue 27b)
        distinct: dict[tuple[int, float], int] = {}
        inverse = [distinct.setdefault((f, x), len(distinct)) for f, x in zip(feat.ravel().tolist(), thr.ravel().tolist())]
        self.test_feature = np.array([f for f, _ in distinct], dtype=np.int64)
        self.test_threshold = np.array([x for _, x in distinct], dtype=float)[:, None]
        # split rank q of every tree: its leaves' keep mask, and which distinct test it reads
        self.keep_by_rank = keep.astype(self.dtype).reshape(most, n_trees, 1)
        self.test_by_rank = np.array(inverse, dtype=np.int64).reshape(most, n_trees)
        self.leaf_values = np.zeros((n_trees, widest))
        self.leaf_values[tree_of[leaf], first[leaf]] = value[leaf]
        self.widest = widest
        if widest <= TABLE_LEAVES:
            x = np.arange(full + 1, dtype=np.int64)
            # index of the lowest set bit (the leftmost leaf left); 0 for no bit (never reached)
            lowest = np.where(x > 0, np.log2(np.maximum(x & -x, 1)).astype(np.int64), 0)
            # each tree's leaf value for every mask of surviving leaves, one flat table (issue 27b:
            # one lookup instead of the lowest bit and then the leaf)
            # (a mask whose lowest bit lies past the widest tree is never reached: the leaf
            # a row reaches always survives, so those entries are clipped to any leaf)
            self.value_of_mask = self.leaf_values[:, np.minimum(lowest, widest - 1)].ravel()
            self.tree_offset = (np.arange(n_trees, dtype=np.intp) * (full + 1))[None, :]
        else:
            self.value_of_mask = None
            self.tree_offset = (np.arange(n_trees, dtype=np.intp) * widest)[None, :]

    def predict(self, X: np.ndarray) -> np.ndarray:
        chunk = min(ROW_CHUNK, max(16, CHUNK_CELLS // max(self.most * len(self.leaf_values), 1)))
        if X.shape[0] > chunk:
            return np.concatenate([self._predict(X[i:i + chunk]) for i in range(0, X.shape[0], chunk)])
        return self._predict(X)

    def _predict(self, X: np.ndarray) -> np.ndarray:
        n, n_trees = X.shape[0], len(self.leaf_values)
        if self.most:
            tests = np.ascontiguousarray(X.T)[self.test_feature] <= self.test_threshold   # NaN goes right
            # a test passed (sent left) keeps every leaf (all bits: 0 - 1 wraps round), one failed
            # its split's mask; the all-or-nothing bits per distinct test, then gathered per split,
            # one split rank of every tree at a time (in place: a (trees x rows) block, issue 31, 7d)
            went = np.negative(tests.view(np.uint8).astype(self.dtype))
            alive = self.keep_by_rank[0] | went[self.test_by_rank[0]]
            buf = np.empty_like(alive)
            for q in range(1, self.most):
                np.take(went, self.test_by_rank[q], axis=0, out=buf)
                buf |= self.keep_by_rank[q]
                alive &= buf
            if self.value_of_mask is not None:
                values = self.value_of_mask[alive.T + self.tree_offset]   # (rows, trees)
            else:
                # the lowest set bit (a power of two, exact in a float) and its index, read from the
                # float's exponent bits (log2 of 2**k, without the log: session 7d); a reached leaf
                # always survives, so no mask is empty
                low = (alive & np.negative(alive)).T.astype(np.float64)
                leaf = np.minimum((low.view(np.int64) >> 52) - 1023, self.widest - 1)
                values = self.leaf_values.ravel()[leaf + self.tree_offset]
        else:
            values = np.broadcast_to(self.leaf_values[:, 0], (n, n_trees))
        # (rows, trees), each row's values summed in tree order as the walk sums them
        return np.ascontiguousarray(values).sum(axis=1)


def _layout(feature, left, right, roots):
    """Per node, as arrays over all nodes (issue 28: without a Python walk of every tree):
    the leaves under it, the left-to-right position among its tree's leaves of the first of
    them, and its tree; and the nodes reached from the roots, level by level."""
    n = len(feature)
    is_leaf = feature < 0
    tree_of = np.zeros(n, dtype=np.int64)
    tree_of[roots] = np.arange(len(roots))
    levels, frontier = [], roots
    while frontier.size:
        if len(levels) > n:
            raise ValueError("tree has a cycle")
        levels.append(frontier)
        inner = frontier[~is_leaf[frontier]]
        tree_of[left[inner]] = tree_of[inner]
        tree_of[right[inner]] = tree_of[inner]
        frontier = np.concatenate([left[inner], right[inner]])
    count = is_leaf.astype(np.int64)
    for level in reversed(levels):         # children before their parents
        inner = level[~is_leaf[level]]
        count[inner] = count[left[inner]] + count[right[inner]]
    first = np.zeros(n, dtype=np.int64)
    for level in levels:                   # parents before their children
        inner = level[~is_leaf[level]]
        first[left[inner]] = first[inner]
        first[right[inner]] = first[inner] + count[left[inner]]
    reached = np.concatenate(levels) if levels else np.zeros(0, dtype=np.int64)
    return count, first, tree_of, reached


def compile_trees(ensemble) -> LeafMasks | None:
    """The leaf-mask form of ``ensemble``, or None when a tree has too many leaves."""
    try:
        return LeafMasks(ensemble.feature, ensemble.threshold, ensemble.left, ensemble.right, ensemble.value,
                         ensemble.roots)
    except ValueError:
        return None


class TreeEnsemble:
    """LightGBM trees as flat numpy arrays, evaluated without LightGBM.

    Node ``k`` is a leaf when ``feature[k] < 0``; otherwise rows with
    ``x[feature[k]] <= threshold[k]`` go to ``left[k]`` and the rest to ``right[k]``
    (LightGBM's rule for numerical splits of features without missing values).
    """

    def __init__(self, feature, threshold, left, right, value, roots, depth):
        self.feature = np.asarray(feature, dtype=np.int64)
        self.threshold = np.asarray(threshold, dtype=np.float64)
        self.left = np.asarray(left, dtype=np.int64)
        self.right = np.asarray(right, dtype=np.int64)
        self.value = np.asarray(value, dtype=np.float64)
        self.roots = np.asarray(roots, dtype=np.int64)
        self.depth = int(depth)
        n = len(self.feature)
        if not (len(self.threshold) == len(self.left) == len(self.right) == len(self.value) == n):
            raise ValueError("tree arrays differ in length")
        inner = self.feature >= 0
        for arr in (self.left[inner], self.right[inner], self.roots):
            if arr.size and (arr.min() < 0 or arr.max() >= n):
                raise ValueError("tree node index out of range")

    @classmethod
    def from_lightgbm(cls, dump: dict) -> "TreeEnsemble":
        """Flatten ``Booster.dump_model()`` (numerical splits only)."""
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
        return cls(feature, threshold, left, right, value, roots, depth)

    @classmethod
    def bagged(cls, train, seeds) -> "TreeEnsemble":
        """The :meth:`average` of the LightGBM boosters ``train(seed)`` returns, one a seed of
        ``seeds`` (every trainer's bag of boosters that differ only in their seed)."""
        return cls.average([cls.from_lightgbm(train(s).dump_model()) for s in seeds])

    @classmethod
    def average(cls, ensembles: list["TreeEnsemble"]) -> "TreeEnsemble":
        """One ensemble whose raw score is the mean of ``ensembles``' raw scores (issue 16:
        boosters trained with different bagging seeds). Its trees are theirs, node indices
        shifted, leaf values divided by their number; LightGBM folds each booster's initial
        score into its first tree, so the mean of those comes along."""
        if len(ensembles) == 1:
            return ensembles[0]
        k = float(len(ensembles))
        offsets = np.cumsum([0] + [len(e.feature) for e in ensembles[:-1]])

        def shifted(child, off):
            return np.where(child >= 0, child + off, child)

        return cls(np.concatenate([e.feature for e in ensembles]),
                   np.concatenate([e.threshold for e in ensembles]),
                   np.concatenate([shifted(e.left, o) for e, o in zip(ensembles, offsets)]),
                   np.concatenate([shifted(e.right, o) for e, o in zip(ensembles, offsets)]),
                   np.concatenate([e.value / k for e in ensembles]),
                   np.concatenate([e.roots + o for e, o in zip(ensembles, offsets)]),
                   max(e.depth for e in ensembles))

    @classmethod
    def from_dict(cls, d: dict) -> "TreeEnsemble":
        """The ensemble :meth:`to_dict` wrote (the shapes checked by the constructor)."""
        return cls(d["feature"], d["threshold"], d["left"], d["right"], d["value"], d["roots"], d["depth"])

    def to_dict(self) -> dict:
        return {"feature": self.feature.tolist(), "threshold": self.threshold.tolist(),
                "left": self.left.tolist(), "right": self.right.tolist(), "value": self.value.tolist(),
                "roots": self.roots.tolist(), "depth": self.depth}

    def predict(self, X):
        """Raw scores (sum of leaf values) of the rows of ``X`` (by leaf masks where the
        trees allow, :class:`LeafMasks`: the same numbers as :meth:`walk`)."""
        X = np.asarray(X, dtype=np.float64)
        if X.shape[0] == 0 or self.roots.size == 0:
            return np.zeros(X.shape[0])
        if not hasattr(self, "_masks"):
            self._masks = compile_trees(self)
        return self._masks.predict(X) if self._masks is not None else self.walk(X)

    def walk(self, X):
        """Raw scores by walking every tree node by node."""
        X = np.asarray(X, dtype=np.float64)
        if X.shape[0] == 0 or self.roots.size == 0:
            return np.zeros(X.shape[0])
        rows = np.arange(X.shape[0])[:, None]
        node = np.broadcast_to(self.roots, (X.shape[0], self.roots.size)).copy()
        for _ in range(self.depth):
            f = self.feature[node]
            inner = f >= 0
            if not inner.any():
                break
            go_left = X[rows, np.where(inner, f, 0)] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        return self.value[node].sum(axis=1)
