"""Disjoint sets (newsgist/unionfind.py), worked by hand."""
from newsgist.unionfind import UnionFind


def test_unions_and_groups():
    s = UnionFind(6)
    assert s.groups() == {i: [i] for i in range(6)}
    s.union(4, 1)          # 1 joins 4's set: 4 stays the root
    s.union(1, 5)          # 5 joins the set of 1, whose root is 4
    s.union(0, 2)
    assert s.find(1) == s.find(5) == 4 and s.find(2) == 0
    # roots in the order of their first member, members increasing
    assert s.groups() == {0: [0, 2], 4: [1, 4, 5], 3: [3]}
    s.union(2, 5)          # joining two sets: the root of 5's set now points to 2's root
    assert s.groups() == {0: [0, 1, 2, 4, 5], 3: [3]}
    s.union(3, 3)          # a set with itself: nothing changes
    assert s.find(3) == 3


def test_long_chain_is_flattened():
    n = 10_000
    s = UnionFind(n)
    for i in range(n - 1):
        s.union(i + 1, i)   # each root hangs under the next element: a chain 0 -> 1 -> ... -> n-1
    assert s.find(0) == n - 1
    assert s.parent[0] != 1  # path halving shortened the chain it walked
    assert len(s.groups()) == 1
