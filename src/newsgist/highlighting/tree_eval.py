"""Fast, exact evaluation of the ranker's tree ensembles (issue 27).

Walking 1,200 trees node by node costs a numpy gather per depth level over every
(sentence, tree) pair: about a fifth of a highlights-only run. Trees of at most
:data:`MAX_LEAVES` leaves are evaluated instead by leaf bitmasks (the QuickScorer idea,
Lucchese et al., SIGIR 2015): number each tree's leaves left to right; every split whose
test fails (the row goes right) rules out the leaves of its left subtree; the leaf the
walk would reach is the leftmost one no failed test rules out. So one comparison of
every row with every split, one AND-reduction per tree and a table lookup give each
row's leaf in every tree, with no loop over depth (the splits of all trees are laid out
as one matrix, tree by tree padded to the same count, so each step is one numpy
operation over every tree at once). The leaf values are then summed in
tree order, exactly as the walk sums them: the result is bit-for-bit the same
(``tests/test_ranker.py`` checks it against the walk).
"""
from __future__ import annotations

import numpy as np

# Leaves per tree this evaluator takes (one bit each in an unsigned integer); larger
# trees are walked node by node. The shipped trees have at most 8.
MAX_LEAVES = 16


class LeafMasks:
    """A :class:`~newsgist.highlighting.ranker.TreeEnsemble` compiled to leaf bitmasks."""

    def __init__(self, feature, threshold, left, right, value, roots):
        feature, left, right = feature.tolist(), left.tolist(), right.tolist()
        splits_of, leaf_values = [], []   # per tree: (feature, threshold, keep mask) of its splits
        widest = 1
        for t, root in enumerate(roots.tolist()):
            leaves: list[int] = []
            splits: list[tuple[int, int, int]] = []   # (node, first, end) of its left subtree's leaves
            stack = [(root, False, 0)]
            while stack:                 # in-order walk without recursion
                k, visited, lo = stack.pop()
                if feature[k] < 0:
                    leaves.append(k)
                elif not visited:
                    stack.append((right[k], False, 0))
                    stack.append((k, True, len(leaves)))
                    stack.append((left[k], False, 0))
                else:
                    splits.append((k, lo, len(leaves)))
            if len(leaves) > MAX_LEAVES:
                raise ValueError("tree too large for leaf masks")
            widest = max(widest, len(leaves))
            leaf_values.append([value[k] for k in leaves])
            # a split the row fails (goes right) keeps all leaves but its left subtree's
            splits_of.append([(feature[k], float(threshold[k]), ~((1 << hi) - (1 << lo))) for k, lo, hi in splits])
        self.dtype = np.uint8 if widest <= 8 else np.uint16
        full = int(np.iinfo(self.dtype).max)
        # splits laid out split-major, every tree padded to the most splits of any tree with
        # splits that send every row left-or-right alike (threshold +inf, nothing ruled out)
        n_trees, most = len(roots), max((len(s) for s in splits_of), default=0)
        feat = np.zeros((most, n_trees), dtype=np.int64)
        thr = np.full((most, n_trees), np.inf)
        keep = np.full((most, n_trees), full, dtype=np.int64)
        for t, tree_splits in enumerate(splits_of):
            for q, (f, x, k) in enumerate(tree_splits):
                feat[q, t], thr[q, t], keep[q, t] = f, x, k & full
        self.most = most
        # the distinct (feature, threshold) tests, compared once each (about a third of the
        # splits): a row's outcome for every split is then a gather of booleans (issue 27b)
        distinct: dict[tuple[int, float], int] = {}
        inverse = [distinct.setdefault((f, x), len(distinct)) for f, x in zip(feat.ravel().tolist(), thr.ravel().tolist())]
        self.test_feature = np.array([f for f, _ in distinct], dtype=np.int64)
        self.test_threshold = np.array([x for _, x in distinct], dtype=float)[:, None]
        self.test_of_split = np.array(inverse, dtype=np.int64)
        self.keep = keep.astype(self.dtype).ravel()[:, None]
        self.leaf_values = np.zeros((n_trees, widest))
        for t, vals in enumerate(leaf_values):
            self.leaf_values[t, :len(vals)] = vals
        x = np.arange(full + 1, dtype=np.int64)
        # index of the lowest set bit (the leftmost leaf left); 0 for no bit (never reached)
        lowest = np.where(x > 0, np.log2(np.maximum(x & -x, 1)).astype(np.int64), 0)
        # each tree's leaf value for every mask of surviving leaves, one flat table (issue 27b:
        # one lookup instead of the lowest bit and then the leaf)
        # (a mask whose lowest bit lies past the widest tree is never reached: the leaf
        # a row reaches always survives, so those entries are clipped to any leaf)
        self.value_of_mask = self.leaf_values[:, np.minimum(lowest, widest - 1)].ravel()
        self.tree_offset = (np.arange(n_trees, dtype=np.intp) * (full + 1))[None, :]

    def predict(self, X: np.ndarray) -> np.ndarray:
        n, n_trees = X.shape[0], len(self.leaf_values)
        if self.most:
            tests = np.ascontiguousarray(X.T)[self.test_feature] <= self.test_threshold   # NaN goes right
            # a test passed (sent left) keeps every leaf (all bits: 0 - 1 wraps round), one failed
            # its split's mask; the all-or-nothing bits per distinct test, then gathered per split
            went = tests.view(np.uint8) if self.dtype is np.uint8 else tests.view(np.uint8).astype(self.dtype)
            masks = (self.keep | np.negative(went)[self.test_of_split]).reshape(self.most, n_trees, n)
            alive = masks[0]
            for q in range(1, self.most):
                alive = alive & masks[q]
            values = self.value_of_mask[alive.T + self.tree_offset]   # (rows, trees)
        else:
            values = np.broadcast_to(self.leaf_values[:, 0], (n, n_trees))
        # (rows, trees), each row's values summed in tree order as the walk sums them
        return np.ascontiguousarray(values).sum(axis=1)


def compile_trees(ensemble) -> LeafMasks | None:
    """The leaf-mask form of ``ensemble``, or None when a tree has too many leaves."""
    try:
        return LeafMasks(ensemble.feature, ensemble.threshold, ensemble.left, ensemble.right, ensemble.value,
                         ensemble.roots)
    except ValueError:
        return None
