"""Disjoint sets over ``0 .. n-1`` (union-find with path halving): how the card groups its
figures, and the story its quotes and the figures it finds in dispute."""
from __future__ import annotations


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, keep: int, other: int) -> None:
        """Put ``other``'s set into ``keep``'s (whose root stays the root)."""
        root = self.find(keep)
        self.parent[self.find(other)] = root

    def groups(self) -> dict[int, list[int]]:
        """Root -> members in increasing order, roots in the order of their first member."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out
