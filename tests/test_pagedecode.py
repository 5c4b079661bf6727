"""Per-page decodings of the page model's line probabilities (issue 31, session 6), on
small pages worked by hand."""
import numpy as np
import pytest

from newsgist.reading import pagedecode

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
