"""benchmarks/paste_metric.py (issue 31, session 13a): the outside bar's metric (4-token shingles,
case kept, page-normalised counts, F1 of the means of page precision and recall) on hand-worked
pages, its edge cases, and its bootstrap intervals."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_metric as pm  # noqa: E402


def test_a_page_worked_by_hand():
    # gold A B C D E F: shingles ABCD, BCDE, CDEF; prediction A B C D E X: ABCD, BCDE, CDEX.
    # tp 2 (ABCD, BCDE), fp 1 (CDEX), fn 1 (CDEF); sum 4 -> 0.5, 0.25, 0.25; P = R = 2/3.
    counts = pm.page_counts("A B C D E X", "A B C D E F")
    assert counts == pytest.approx((0.5, 0.25, 0.25))
    assert pm.page_pr(*counts) == pytest.approx((2 / 3, 2 / 3))
    # punctuation and spacing are no tokens: the same shingles
    assert pm.page_counts("A, B. C;\n\nD E -- X!", "A B C D E F") == pytest.approx(counts)
    agg = pm.aggregate([counts])
    assert (agg["p"], agg["r"], agg["f1"]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert (agg["n"], agg["n_p"], agg["n_r"]) == (1, 1, 1)


def test_repeated_shingles_count_as_a_multiset():
    # gold a b c d a b c d (8 tokens): abcd, bcda, cdab, dabc, abcd -> abcd x2 and three others (5).
    # prediction a b c d: abcd x1. tp = min(2, 1) = 1, fp 0, fn 4; sum 5 -> .2, 0, .8; P 1, R 0.2.
    assert pm.shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2
    counts = pm.page_counts("a b c d", "a b c d a b c d")
    assert counts == pytest.approx((0.2, 0.0, 0.8))
    assert pm.page_pr(*counts) == pytest.approx((1.0, 0.2))
    # the prediction a b c d four times (16 tokens, 13 shingles: abcd x4, bcda x3, cdab x3, dabc x3):
    # tp = min(4, 2) + 1 + 1 + 1 = 5, fp 13 - 5 = 8, fn 0 -> P 5/13, R 1
    twice = pm.page_counts("a b c d a b c d " * 2, "a b c d a b c d")
    assert pm.page_pr(*twice) == pytest.approx((5 / 13, 1.0))


def test_texts_under_four_tokens_give_one_shorter_shingle():
    assert pm.shingles("Hello world") == {("Hello", "world"): 1}
    assert pm.page_counts("Hello world", "Hello, world.") == (1.0, 0.0, 0.0)
    # three tokens against two: two different shingles, nothing in common
    assert pm.page_counts("Hello world again", "Hello world") == pytest.approx((0.0, 0.5, 0.5))
    assert pm.page_pr(0.0, 0.5, 0.5) == (0.0, 0.0)
    # four tokens give exactly one 4-shingle
    assert pm.shingles("one two three four") == {("one", "two", "three", "four"): 1}


def test_empty_prediction_empty_gold_and_both():
    assert pm.shingles("") == {} and pm.shingles("  ... !! ") == {}
    # empty prediction: tp = fp = 0 -> precision 0 but the page is out of the precision mean; recall 0
    assert pm.page_counts("", "a b c d e") == (0.0, 0.0, 1.0)
    assert pm.page_pr(0.0, 0.0, 1.0) == (0.0, 0.0)
    # empty gold, some prediction: recall 0 but out of the recall mean; precision 0
    assert pm.page_counts("a b c d e", "") == (0.0, 1.0, 0.0)
    assert pm.page_pr(0.0, 1.0, 0.0) == (0.0, 0.0)
    # both empty: fp == fn == 0 -> 1 and 1, and the page is in neither mean
    assert pm.page_counts("", "") == (0.0, 0.0, 0.0) and pm.page_pr(0, 0, 0) == (1.0, 1.0)
    perfect = pm.page_counts("a b c d e", "a b c d e")
    agg = pm.aggregate([perfect, (0.0, 0.0, 1.0), (0.0, 1.0, 0.0), (0.0, 0.0, 0.0)])
    # precision over the pages with output (perfect, empty gold): (1 + 0) / 2; recall over the pages
    # with gold (perfect, empty prediction): (1 + 0) / 2
    assert (agg["p"], agg["r"], agg["f1"]) == pytest.approx((0.5, 0.5, 0.5))
    assert (agg["n"], agg["n_p"], agg["n_r"]) == (4, 2, 2)
    assert pm.aggregate([])["f1"] == 0.0 and pm.aggregate([(0.0, 0.0, 0.0)])["n_p"] == 0


def test_case_is_kept():
    # the lower-cased bag of bench_html.prf calls these the same text; the shingles do not
    assert pm.page_counts("the cat sat down", "The Cat sat down") == pytest.approx((0.0, 0.5, 0.5))
    assert pm.page_counts("The Cat sat down", "The Cat sat down") == (1.0, 0.0, 0.0)


def test_f1_of_means_is_not_the_mean_of_page_f1s():
    # page 1: gold a..h (5 shingles), prediction a b c d (1): P 1, R 0.2, page F1 1/3
    # page 2: gold a b c d (1), prediction a b c d x y (3 shingles, 1 right): P 1/3, R 1, page F1 0.5
    # mean of page F1s 0.4167; mean P 2/3, mean R 0.6 -> F1 of means 2 * 0.4 / (19/15) = 12/19 = 0.6316
    p1 = pm.page_counts("a b c d", "a b c d e f g h")
    p2 = pm.page_counts("a b c d x y", "a b c d")
    assert pm.page_pr(*p1) == pytest.approx((1.0, 0.2)) and pm.page_pr(*p2) == pytest.approx((1 / 3, 1.0))
    agg = pm.aggregate([p1, p2])
    assert (agg["p"], agg["r"]) == pytest.approx((2 / 3, 0.6))
    assert agg["f1"] == pytest.approx(12 / 19)
    mean_of_f1s = (1 / 3 + 0.5) / 2
    assert abs(agg["f1"] - mean_of_f1s) > 0.2


def _pages():
    texts = [("a b c d e f", "a b c d e f"), ("a b c d", "a b c d e f g"), ("x y z w v", "a b c d e"),
             ("p q r s t u v", "p q r s t"), ("", "k l m n o"), ("m n o p q", "m n o p q r")]
    return [pm.page_counts(p, g) for p, g in texts]


def test_bootstrap_is_deterministic():
    a, b = pm.bootstrap(_pages()), pm.bootstrap(_pages())
    assert a == b
    assert a["f1"] == pm.aggregate(_pages())["f1"] and a["sd"] > 0 and a["pm"] == pytest.approx(1.96 * a["sd"])
    assert a["lo"] <= a["f1"] <= a["hi"]
    other = pm.bootstrap(_pages(), seed=1)
    assert other["f1"] == a["f1"] and other["sd"] != a["sd"]
    # identical pages: no spread
    same = pm.bootstrap([(0.5, 0.25, 0.25)] * 5)
    assert same["sd"] == pytest.approx(0.0) and same["f1"] == pytest.approx(2 / 3)
    assert pm.bootstrap([])["n"] == 0


def test_paired_bootstrap():
    base = _pages()
    same = pm.paired_bootstrap(base, base)
    assert same["diff"] == 0.0 and same["sd"] == 0.0 and same["share_le0"] == 1.0
    better = list(base)
    better[2] = pm.page_counts("a b c d e", "a b c d e")     # one page made right
    got = pm.paired_bootstrap(better, base)
    assert got["diff"] == pytest.approx(pm.aggregate(better)["f1"] - pm.aggregate(base)["f1"])
    assert got["diff"] > 0 and got["sd"] > 0 and got["pm"] == pytest.approx(1.96 * got["sd"])
    assert got == pm.paired_bootstrap(better, base)      # deterministic
    # the pairing: a resample never makes the better system worse here
    assert got["lo"] >= 0 and got["share_le0"] < 0.5
    with pytest.raises(ValueError):
        pm.paired_bootstrap(base, base[:-1])


def test_intervals_do_not_hang_on_the_pages_order():
    pages = _pages()
    assert pm.bootstrap(pages[::-1]) == pm.bootstrap(pages)
    better = [pm.page_counts("a b c d e", "a b c d e")] + pages[1:]
    got = pm.paired_bootstrap(better, pages)
    assert pm.paired_bootstrap(better[::-1], pages[::-1]) == got


def test_the_script_reads_bench_paste_rows(tmp_path, capsys):
    def row(pid, system, pred, gold, group=None):
        tp, fp, fn = pm.page_counts(pred, gold)
        return {"id": pid, "set": "s", "group": group, "system": system, "p": 0.5, "r": 0.5, "f1": 0.5,
                "tp4": tp, "fp4": fp, "fn4": fn}
    rows = [row("a", pm.MODEL, "a b c d e", "a b c d e", "half A"),
            row("b", pm.MODEL, "x y z w", "a b c d", "half B"),
            row("a", "whole page", "a b c d e f", "a b c d e", "half A"),
            row("b", "whole page", "a b c d", "a b c d", "half B"),
            {"id": "c", "set": "s", "group": None, "system": "old", "p": 1, "r": 1, "f1": 1}]   # no counts: out
    (tmp_path / "rows.json").write_text(__import__("json").dumps(rows))
    assert pm.main([str(tmp_path / "rows.json")]) == 0
    out = capsys.readouterr().out
    # the model: page a P 1 R 1, page b P 0 R 0 -> F1-4 0.5; the whole page: a P 2/3 R 1, b 1 1 -> 5/6, 1
    assert "| s | text, page model | 2 | 0.500 | 0.500 | 0.500 | 0.500 | 0.500 |" in out
    assert "| s (half A) | whole page | 1 | 0.500 | 0.800 | 0.667 | 1.000 | 0.800 | ±0.000 |" in out
    assert "| s | whole page | 2 | " in out and "old" not in out
    assert f"| s | whole page | 2 | {0.5 - 2 * (5 / 6) / (11 / 6):+.4f} |" in out


def test_paired_rows_pairs_by_id_and_leaves_out_rows_without_the_key():
    rows = [{"id": "a", "m4": (1.0, 0.0, 0.0)}, {"id": "b", "m4": (0.5, 0.5, 0.0)}, {"id": "c"}]
    base = [{"id": "b", "m4": (0.5, 0.0, 0.5)}, {"id": "a", "m4": (1.0, 0.0, 0.0)}, {"id": "c", "m4": (1.0, 0.0, 0.0)}]
    line = pm.paired_rows(rows, base, "m4")
    assert line == pm.paired_line({"a": (1.0, 0.0, 0.0), "b": (0.5, 0.5, 0.0)},
                                  {"a": (1.0, 0.0, 0.0), "b": (0.5, 0.0, 0.5), "c": (1.0, 0.0, 0.0)})
    # pages a, b: this run P (1 + 0.5) / 2, R 1 -> F1 0.857; the base P 1, R 0.75 -> F1 0.857: no change
    assert line.startswith("the outside metric on 2 pages in common: F1-4 change +0.0000")
    assert pm.paired_rows(rows, [{"id": "z"}], "m4").startswith("the outside metric: no page in common")
