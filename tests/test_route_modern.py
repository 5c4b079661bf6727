"""benchmarks/route_modern.py (issue 31, session 11, candidate R): the router's two checks, the
registered choice of k and the composed score, on hand-worked cases."""
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import route_modern as rm  # noqa: E402

PAGE = "\n".join([
    "Skip to main content",            # skip link
    "We use cookies to improve your experience.",
    "Advertisement",
    "Council votes to close the depot",
    "The council voted 7-2 on Tuesday to close the depot.",
    "© 2025 The Elmwood Courier",       # a copyright year from 2015 on
    "Copyright 2012 Old Paper",        # too early: not counted
    "Share on Facebook",
    "4 min read",
])


def test_modern_lines_counts_each_matching_line_once():
    assert rm.modern_lines(PAGE) == 6
    assert rm.modern_lines("Advertisement feature about cookies") == 1     # two words, one line
    assert rm.modern_lines("Ad") == 1 and rm.modern_lines("Adverts") == 0   # a bare ad slot only
    assert rm.modern_lines("x" * 300 + " cookie") == 0                      # beyond LINE_HEAD


def test_latin_share():
    assert rm.latin_share("hello world") == 1.0
    assert rm.latin_share("123 !") == 1.0                                   # no letters
    assert rm.latin_share("Łódź zażółć") == 1.0                             # Latin Extended-A
    assert rm.latin_share("你好 hello") == pytest.approx(5 / 7)


def test_looks_modern_needs_both_checks():
    assert rm.looks_modern(PAGE, 6) and not rm.looks_modern(PAGE, 7)
    assert not rm.looks_modern("新闻 " * 50 + "\n" + PAGE, 1)                # mostly another script
    assert not rm.looks_modern(PAGE, 0)                                     # k 0 routes nothing


def test_choose_k_maximises_the_difference_and_ties_take_the_larger_k():
    modern = [(True, 5), (True, 3), (False, 9)]          # a non-Latin page never routes
    dragnet = [(True, 1), (True, 3), (True, 0), (True, 0)]
    k, rows = rm.choose_k(modern, dragnet)
    by_k = {r[0]: r for r in rows}
    assert by_k[1][1:3] == (2 / 3, 2 / 4) and by_k[4][1:3] == (1 / 3, 0.0)
    # k = 2, 3: 2/3 - 1/4 = 0.4167 (the best); a tie between them takes 3
    assert k == 3


def test_compose_takes_the_routed_model_whole_page():
    def row(pid, f1, group=None):
        return {"set": "readability", "id": pid, "system": "text, page model", "f1": f1, "group": group}
    shipped = [row("a", 0.5, "half A"), row("b", 0.9, "half B"), row("c", 0.8, "half B")]
    m2 = [row("a", 1.0, "half A"), row("b", 0.1, "half B"), row("c", 0.2, "half B")]
    routed = {("readability", "a"): True, ("readability", "b"): False, ("readability", "c"): False}
    rows = {r[0]: r for r in rm.compose(shipped, m2, routed)}
    name, n, nr, f_a, f_r, change, se = rows["readability"]
    assert (n, nr) == (3, 1)
    assert f_r == pytest.approx((1.0 + 0.9 + 0.8) / 3) and change == pytest.approx(0.5 / 3)
    assert se == pytest.approx(math.sqrt(((0.5 - 1 / 6) ** 2 + 2 * (1 / 6) ** 2) / 2) / math.sqrt(3))
    assert rows["readability (half B)"][5] == 0.0                           # nothing routed there
