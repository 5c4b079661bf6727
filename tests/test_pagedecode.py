"""Per-page decodings of the page model's line probabilities (issue 31, session 6), on
small pages worked by hand."""
import numpy as np
import pytest

from newsgist.reading import pagedecode, pagemodel

# the Dragnet-trained pair alone (conftest.dragnet_pair): the shipped page router would send
# these pages to its modern pair (issue 31, session 12)
pytestmark = pytest.mark.usefixtures("dragnet_pair")

# Five lines: probabilities and token counts.
P = np.array([0.9, 0.8, 0.6, 0.3, 0.1])
W = np.array([10, 20, 5, 10, 30], dtype=float)


def test_expected_f1_prefixes_by_hand():
    # sum p*w over the page = 9 + 16 + 3 + 3 + 3 = 34; prefixes by p (already sorted):
    # k=1: 2*9 / (10 + 34) = 0.409;  k=2: 2*25 / (30 + 34) = 0.781;  k=3: 2*28 / (35 + 34) = 0.812
    # k=4: 2*31 / (45 + 34) = 0.785; k=5: 2*34 / (75 + 34) = 0.624  -> keep the first three lines
    keep = pagedecode.expected_f1_mask(P, W)
    assert keep.tolist() == [True, True, True, False, False]


def test_expected_f1_is_a_per_page_threshold_not_a_global_one():
    # A page the model doubts: no line reaches 0.5, yet its likeliest lines are kept (worked below).
    p = np.array([0.1, 0.45, 0.3, 0.45, 0.05])
    w = np.array([5, 40, 10, 20, 50], dtype=float)
    # sum p*w = 0.5 + 18 + 3 + 9 + 2.5 = 33; by p: line 1 (0.45, 40), line 3 (0.45, 20; page order
    # breaks the tie), line 2 (0.3, 10), line 0 (0.1, 5), line 4 (0.05, 50):
    # k=1: 36 / 73 = 0.493; k=2: 54 / 93 = 0.581; k=3: 60 / 103 = 0.583; k=4: 61 / 108 = 0.565
    keep = pagedecode.expected_f1_mask(p, w)
    assert keep.tolist() == [False, True, True, True, False]
    assert not (p >= 0.5).any()


def test_expected_f1_shortest_prefix_on_a_tie_and_nothing_probable():
    # a line with no tokens adds nothing: the shorter prefix is kept
    keep = pagedecode.expected_f1_mask(np.array([0.9, 0.8]), np.array([10.0, 0.0]))
    assert keep.tolist() == [True, False]
    assert pagedecode.expected_f1_mask(np.zeros(3), np.ones(3)) is None
    assert pagedecode.expected_f1_mask(np.array([]), np.array([])) is None


def test_body_segment_by_hand():
    # w*(p - 0.5): 4, 6, 0.5, -2, -12 -> the run 0..2 sums 10.5, the most
    assert pagedecode.body_segment(P, W, 0.5) == (0, 2)
    # t = 0.25: 6.5, 11, 1.75, 0.5, -4.5 -> 0..3 sums 19.75
    assert pagedecode.body_segment(P, W, 0.25) == (0, 3)
    assert pagedecode.body_segment(P, W, 0.95) is None


def test_segment_mask_keeps_inside_from_lo_and_outside_from_hi():
    p = np.array([0.95, 0.1, 0.9, 0.35, 0.9, 0.6, 0.2])
    w = np.array([3, 5, 20, 10, 20, 4, 5], dtype=float)
    base = p >= 0.5
    # w*(p - 0.5): 1.35, -2, 8, -1.5, 8, 0.4, -1.5 -> the run 2..5 sums 14.9 (0..5 sums 14.25)
    assert pagedecode.body_segment(p, w, 0.5) == (2, 5)
    keep = pagedecode.segment_mask(p, w, base, 0.5, 0.3, 0.9)
    # inside: line 3 (0.35 >= lo 0.3) joins; outside: line 0 (0.95 >= hi 0.9) stays
    assert keep.tolist() == [True, False, True, True, True, True, False]
    keep = pagedecode.segment_mask(p, w, base, 0.5, 0.4, 0.99)
    # line 3 below lo stays out; line 0 below hi goes
    assert keep.tolist() == [False, False, True, False, True, True, False]
    # lo 0.5 and hi 0 give the base back
    assert pagedecode.segment_mask(p, w, base, 0.5, 0.5, 0.0).tolist() == base.tolist()


def test_decode_dispatch():
    base = P >= 0.5
    assert pagedecode.decode(P, W, base, "threshold") is base
    assert pagedecode.decode(P, W, base, "expected-f1").tolist() == [True, True, True, False, False]
    assert pagedecode.decode(np.zeros(5), W, base, "expected-f1") is base
    with pytest.raises(ValueError):
        pagedecode.decode(P, W, base, "nonsense")


def test_token_weights_count_the_metrics_tokens():
    text = "Hello, world!\nIt's 3 p.m.\n---"
    lines = [(0, 13, True), (14, 25, False), (26, 29, False)]
    assert pagedecode.token_weights(text, lines).tolist() == [2.0, 5.0, 0.0]


def test_segment_mask_leaves_a_caption_sized_body_alone():
    # a title-and-caption page: the segment is the one 8-token line 1; with min_tokens 20 the
    # page keeps both headline-shaped lines, without it the one outside (p 0.69 < hi) goes;
    # t 0.7: w*(p - t) = -0.04, 0.8, -3.9
    p = np.array([0.69, 0.8, 0.05])
    w = np.array([4, 8, 6], dtype=float)
    base = p >= 0.5
    assert pagedecode.body_segment(p, w, 0.3) == (0, 1)
    assert pagedecode.body_segment(p, w, 0.7) == (1, 1)
    assert pagedecode.segment_mask(p, w, base, 0.7, 0.5, 0.9).tolist() == [False, True, False]
    assert pagedecode.segment_mask(p, w, base, 0.7, 0.5, 0.9, min_tokens=20).tolist() == [True, True, False]


def test_a_stray_line_outside_the_body_is_set_aside_with_its_reason(monkeypatch):
    """A pasted page whose model keeps a teaser far from the article (p 0.6): the
    contiguous-body decoding sets it aside as "outside-body"; the threshold kept it."""
    from newsgist.reading import pagemodel
    from newsgist.reading.clean import clean
    menu = ["Home page", "World news", "Business news", "Markets today", "Tech news", "Opinion pages",
            "Life and style", "Sports results", "Search the site", "Log in"]
    teaser = "Why the ferry timetable changed again this winter"
    para = ["The council voted on Tuesday to close the old harbour bridge for repairs next spring.",
            "Engineers found cracks in two of the supports during a routine inspection last month.",
            "Ferries will run every twenty minutes while the bridge is shut, the council said."]
    foot = ["Share", "Tweet", "Most read", "About us", "Privacy policy", "Contact", "Terms of use"]
    # t 0.3: the teaser's 8 tokens score +2.4, the 22 menu tokens after it -5.5: two runs
    lines = [teaser] + menu + ["Bridge to close for repairs"] + para + foot
    text = "\n".join(lines) + "\n"
    prob = {teaser: 0.6, "Bridge to close for repairs": 0.8, **{p: 0.95 for p in para}}

    class Given:
        threshold, relative = 0.5, 0.0

        def probabilities(self, X):
            return np.array([prob.get(ln, 0.05) for ln in lines])
    monkeypatch.setattr(pagemodel, "load_model", lambda: Given())
    monkeypatch.setattr(pagedecode, "DECODE", "segment")
    c = clean(text)
    assert [r.reason for r in c.removed if r.text == teaser] == ["outside-body"]
    assert [text[p.start:p.end] for p in c.paragraphs if p.kind == "paragraph"] == para
    monkeypatch.setattr(pagedecode, "DECODE", "threshold")
    assert teaser not in [r.text for r in clean(text).removed]


# Round 3's R2: the article as two runs of lines. A 6-line page at t = 0.5: a body of two lines,
# a related-links block, the body's last two lines, a footer.
P6 = np.array([0.9, 0.9, 0.1, 0.8, 0.7, 0.2])
W6 = np.array([20, 10, 30, 10, 20, 10], dtype=float)


def test_two_runs_dp_by_hand():
    # g = w*(p - 0.5): 8, 4, -12, 3, 4, -3. One run (Kadane): 8, 12, 0 (restart), 3, 7, 4 -> (0, 1)
    # scores 12 (0..4 scores only 7).
    assert pagedecode.body_segment(P6, W6, 0.5) == (0, 1)
    # The DP with penalty 5, line by line (run 1 / gap / run 2):
    # i=0: 8 / -inf / -inf;  i=1: 12 / 8 / -inf;  i=2: 0 / 12 / (8 - 5) - 12 = -9
    # i=3: 3 / 12 / (12 - 5) + 3 = 10 (run 2 starts);  i=4: 7 / 12 / max(7, 10) + 4 = 14
    # i=5: 4 / 12 / 14 - 3 = 11.  Best 14 at line 4: run 2 = 3..4, after the gap 2..2, run 1 = 0..1.
    assert pagedecode.two_runs(P6, W6, 0.5, 5.0) == ((0, 1), (3, 4), 14.0)
    # 14 > 12: two runs; with penalty 7 the two score 12, a tie: one run; with 10, one run
    assert pagedecode.body_runs(P6, W6, 0.5, 5.0) == [(0, 1), (3, 4)]
    assert pagedecode.body_runs(P6, W6, 0.5, 7.0) == [(0, 1)]
    assert pagedecode.body_runs(P6, W6, 0.5, 10.0) == [(0, 1)]
    assert pagedecode.body_runs(P6, W6, 0.5) == [(0, 1)]


def test_two_runs_keep_the_body_after_an_inline_block():
    base = P6 >= 0.5
    # one run: lines 3 and 4 (0.8, 0.7) lie outside it and are below hi 0.9, so they go
    keep = pagedecode.segment_mask(P6, W6, base, 0.5, 0.5, 0.9, 20)
    assert keep.tolist() == [True, True, False, False, False, False]
    # two runs (penalty 5): they are the second run and stay; the gap and the footer stay out
    keep = pagedecode.segment_mask(P6, W6, base, 0.5, 0.5, 0.9, 20, penalty=5.0)
    assert keep.tolist() == [True, True, False, True, True, False]


def test_two_runs_cut_a_dip_out_of_one_run():
    # g at t 0.5: 6, -2, 6, -10, 7, -1. One run: 0..2 (10). Two runs by hand: 0..2 + 4..4 = 17,
    # 0..2 + 4..5 = 16, 0..0 + 2..4 = 9, 0..0 + 4..4 = 13 -> 0..2 and 4..4, 17 - penalty
    p = np.array([0.8, 0.4, 0.8, 0.0, 0.85, 0.45])
    w = np.full(6, 20.0)
    assert pagedecode.body_segment(p, w, 0.5) == (0, 2)
    (r1, r2, score) = pagedecode.two_runs(p, w, 0.5, 2.0)
    assert (r1, r2) == ((0, 2), (4, 4)) and score == pytest.approx(15.0)
    # inside from lo 0.3 (line 1, 0.4, joins), outside from hi 0.9
    keep = pagedecode.segment_mask(p, w, p >= 0.5, 0.5, 0.3, 0.9, 20, penalty=2.0)
    assert keep.tolist() == [True, True, True, False, True, False]
    keep = pagedecode.segment_mask(p, w, p >= 0.5, 0.5, 0.3, 0.9, 20, penalty=10.0)
    assert keep.tolist() == [True, True, True, False, False, False]


def test_two_runs_is_the_best_pair_by_brute_force():
    rng = np.random.default_rng(31)
    for _ in range(300):
        n = int(rng.integers(1, 9))
        p, w = rng.random(n).round(2), rng.integers(0, 30, n).astype(float)
        g = w * (p - 0.4)
        pen = float(rng.choice([0.0, 2.0, 10.0]))
        pairs = [(sum(g[a1:b1 + 1]) + sum(g[a2:b2 + 1]) - pen)
                 for a1 in range(n) for b1 in range(a1, n) for a2 in range(b1 + 2, n) for b2 in range(a2, n)]
        got = pagedecode.two_runs(p, w, 0.4, pen)
        if not pairs:
            assert got is None
            continue
        (a1, b1), (a2, b2), score = got
        assert 0 <= a1 <= b1 < a2 - 1 < b2 < n
        assert score == pytest.approx(max(pairs))
        assert score == pytest.approx(sum(g[a1:b1 + 1]) + sum(g[a2:b2 + 1]) - pen)


def test_a_line_set_aside_outside_the_body_does_not_move_the_article_end_for_other_reasons():
    """The review's case: the decoding sets aside the page's last likely line (3); a long
    sentence before it (2) lies inside the article's span as the threshold saw it, so it is a
    related headline, not a comment after the article's end."""
    text = "\n".join([
        "The council approved the new harbour wall on Tuesday after a long debate.",
        "Work will start in the spring and last two years, the council said.",
        "Readers also liked this long story about a lighthouse keeper and his very old dog.",
        "Read our guide to the best harbour walks in the whole of the county this year.",
    ])
    lines, a = [], 0
    for ln in text.split("\n"):
        lines.append((a, a + len(ln), None))
        a += len(ln) + 1
    furniture = pagemodel._Furniture({2: 0.1, 3: 0.6})
    furniture.outside = frozenset({3})
    got = pagemodel.reasons(text, lines, furniture)
    assert got[3] == "outside-body"
    assert got[2] == "related-link"     # before the fix: "comment" (line 1 taken as the end)


def test_caption_sized_by_hand():
    # sure body = kept lines with p >= 0.9: line 0 (10 tokens) + line 2 (5) = 15 < 20 -> caption-sized;
    # line 1 (p 0.8) is kept but not sure; line 3 (p 0.95, 30 tokens) is not kept, so not counted
    p = np.array([0.9, 0.8, 0.95, 0.95])
    w = np.array([10, 40, 5, 30], dtype=float)
    keep = np.array([True, True, True, False])
    assert pagedecode.caption_sized(p, w, keep)
    keep[3] = True                                  # 45 sure tokens: an article
    assert not pagedecode.caption_sized(p, w, keep)
    assert pagedecode.caption_sized(p, w, np.zeros(4, dtype=bool))


def test_a_caption_post_keeps_its_byline_when_the_candidate_is_on(monkeypatch):
    """A photo post: its title, its byline and a caption, the model sure of none of them
    (p 0.8 < 0.9): with session 6c's candidate on, the byline the model keeps stays; off (the
    default), the byline sure rule sets it aside. A long article's byline goes either way."""
    from newsgist.reading.clean import clean
    menu = ["Home page", "World news", "Business news", "Markets today", "Tech news", "Opinion pages",
            "Life and style", "Sports results", "Search the site", "Log in"]
    post = ["Harbour lights at dusk", "By Ana Souza", "The old pier lit up for the winter festival."]
    foot = ["Share", "Tweet", "About us", "Privacy policy", "Contact", "Terms of use"]
    lines = menu + post + foot
    text = "\n".join(lines) + "\n"

    def given(prob):
        class Given:
            threshold, relative = 0.5, 0.0

            def probabilities(self, X):
                return np.array([prob.get(ln, 0.05) for ln in lines])
        return Given()
    monkeypatch.setattr(pagemodel, "load_model", lambda: given({ln: 0.8 for ln in post}))
    monkeypatch.setattr(pagedecode, "DECODE", "threshold")
    assert "By Ana Souza" in [r.text for r in clean(text).removed]
    monkeypatch.setattr(pagedecode, "CAPTION_POST_KEEPS_BYLINE", True)
    c = clean(text)
    assert "By Ana Souza" not in [r.text for r in c.removed]
    assert [text[p.start:p.end] for p in c.paragraphs] == post
    # the same page sure of its lines (3 + 3 + 9 = 15 tokens at p 0.95): still caption-sized
    monkeypatch.setattr(pagemodel, "load_model", lambda: given({ln: 0.95 for ln in post}))
    assert "By Ana Souza" not in [r.text for r in clean(text).removed]
    # an article: 4 sure lines of 9-10 tokens each (> 20): the byline goes
    para = ["The council voted on Tuesday to close the old harbour bridge for repairs.",
            "Engineers found cracks in two of the supports during a routine inspection.",
            "Ferries will run every twenty minutes while the bridge is shut, it said.",
            "The work is expected to take about four months and cost two million."]
    lines[:] = menu + post + para + foot
    text = "\n".join(lines) + "\n"
    monkeypatch.setattr(pagemodel, "load_model", lambda: given({**{ln: 0.8 for ln in post}, **{ln: 0.95 for ln in para}}))
    assert "By Ana Souza" in [r.text for r in clean(text).removed]


# Session 6d's candidate: a two-state Viterbi pass (keep / drop) after the segment decoding.
VP = np.array([1.0, 0.2, 0.8, 0.6, 0.1])
VW = np.array([9, 1, 4, 0, 3], dtype=float)
# tau = min(0.5, 0.5 * 1.0) = 0.5; keep scores (w + 1) * (p - 0.5): [5, -0.6, 1.5, 0.1, -1.6]


def test_viterbi_by_hand():
    # switch 0: each line alone, kept when its score is >= 0 (the threshold decision)
    assert pagedecode.viterbi_mask(VP, VW, 0.5, 0.0).tolist() == [True, False, True, True, False]
    assert (pagedecode.viterbi_mask(VP, VW, 0.5, 0.0) == pagemodel.keep_mask(VP, 0.5, 0.5)).all()
    # switch 1: KKKKD = 5 - 0.6 + 1.5 + 0.1 - 1 = 5.0 beats KDKKD 6.6 - 3 = 3.6, KKKDD 5.9 - 1 = 4.9,
    # KKKKK 4.4, KDDDD 5 - 1 = 4: the one-word hole is filled
    assert pagedecode.viterbi_mask(VP, VW, 0.5, 1.0).tolist() == [True, True, True, True, False]
    # switch 5: KKKKK 4.4 (no switch) beats KKKKD 6.0 - 5 = 1.0 and KDDDD 0: every line kept
    assert pagedecode.viterbi_mask(VP, VW, 0.5, 5.0).tolist() == [True] * 5
    # line 3 forced to drop, switch 1: KKKDD 5 - 0.6 + 1.5 - 1 = 4.9 beats KDKDD 6.5 - 3 = 3.5,
    # KDDDD 4 and KKKDK 5.9 - 1.6 - 2 = 2.3
    allowed = np.array([True, True, True, False, True])
    assert pagedecode.viterbi_mask(VP, VW, 0.5, 1.0, allowed).tolist() == [True, True, True, False, False]
    # a doubtful page: tau is half the page's best (keep_mask's relative floor), 0.3 here
    assert pagedecode.viterbi_mask(VP * 0.6, VW, 0.5, 0.0).tolist() == [True, False, True, True, False]


def test_viterbi_is_the_best_labelling_by_brute_force():
    import itertools
    rng = np.random.default_rng(6)
    for _ in range(300):
        n = int(rng.integers(1, 8))
        p, w = rng.random(n), rng.integers(0, 10, n).astype(float)
        allowed, switch, t = rng.random(n) > 0.2, float(rng.choice([0, 1, 2, 5, 10])), float(rng.choice([0.3, 0.5]))
        tau = min(t, 0.5 * p.max())

        def score(ys):
            return (sum((w[i] + 1) * (p[i] - tau) for i in range(n) if ys[i])
                    - switch * sum(ys[i] != ys[i + 1] for i in range(n - 1)))
        keep = pagedecode.viterbi_mask(p, w, t, switch, allowed)
        assert not (keep & ~allowed).any()
        best = max(score(ys) for ys in itertools.product([False, True], repeat=n)
                   if not any(y and not a for y, a in zip(ys, allowed)))
        assert score(keep) == pytest.approx(best)


def test_viterbi_after_the_segment_keeps_its_cuts_and_its_guard():
    # a 40-token body (lines 0-2; scores at t 0.3: 13, 0.1, 10.8, then -4 and 3) and a teaser after a menu
    p = np.array([0.95, 0.35, 0.9, 0.1, 0.8])
    w = np.array([20, 2, 18, 20, 6], dtype=float)
    seg = pagedecode.segment_mask(p, w, pagemodel.keep_mask(p, 0.5, 0.5), 0.3, 0.5, 0.9, 20)
    assert seg.tolist() == [True, False, True, False, False]
    # switch 2: the hole (score 3 * -0.15 = -0.45) is filled; the teaser stays out (the segment cut it)
    keep = pagedecode.viterbi_after(p, w, seg, 0.5, 2.0, (0.3, 0.5, 0.9), 20)
    assert keep.tolist() == [True, True, True, False, False]
    # switch 0, t 0.5: the segment's decision itself
    assert (pagedecode.viterbi_after(p, w, seg, 0.5, 0.0, (0.3, 0.5, 0.9), 20) == seg).all()
    # a body under 20 tokens: the page is left as the segment decoding left it
    small = np.array([4, 2, 4, 3, 6], dtype=float)   # the run is lines 0-4, 19 tokens
    seg = pagemodel.keep_mask(p, 0.5, 0.5)
    assert (pagedecode.viterbi_after(p, small, seg, 0.5, 20.0, (0.3, 0.5, 0.9), 20) == seg).all()
