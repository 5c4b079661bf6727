"""Session 8e's rule on pasted pages the page model doubts (pagedecode.DOUBT_RULE), worked by hand."""
import numpy as np
import pytest

from newsgist.reading import pagedecode, pagemodel
from newsgist.reading.pagelines import page_lines

# the Dragnet-trained pair alone (conftest.dragnet_pair): the shipped page router would send
# these pages to its modern pair (issue 31, session 12)
pytestmark = pytest.mark.usefixtures("dragnet_pair")

MENU = ["Home page", "World news", "Business news", "Markets today", "Tech news", "Opinion pages",
        "Life and style", "Sports results", "Search the site", "Log in"]
POST = ["Harbour Lights At Dusk Over The Old Pier", "By Ana Souza", "March 14, 2026"]
THREAD = ["12 Comments",
          "What a lovely picture of the pier, I walked there every summer as a child and loved it.",
          "Reply",
          "The lights were even brighter last year when the festival ran for a whole week in town."]
FOOT = ["Share", "Tweet", "About us", "Privacy policy", "Contact", "Terms of use"]


def test_page_head_by_hand():
    # titles at 1 (p 0.4), 5 (p 0.45) and 9 (p 0.45, later: the earliest wins a tie);
    # stamps at 2 (reach 3 from 5), 4 and 8 (reach 3 from 5: 8 - 5 = 3), 0 (5 - 0 = 5: too far)
    p = np.array([0.1, 0.4, 0.2, 0.1, 0.3, 0.45, 0.1, 0.1, 0.2, 0.45])
    titles = [False, True, False, False, False, True, False, False, False, True]
    stamps = [True, False, True, False, True, False, False, False, True, False]
    assert pagedecode.page_head(p, titles, stamps) == [2, 4, 5, 8]
    # no stamp within reach: a head of one line is no head (title-only would be "no article text")
    assert pagedecode.page_head(p, titles, [True] + [False] * 9) is None
    assert pagedecode.page_head(p, [False] * 10, stamps) is None


def test_doubted_is_off_by_default_and_strictly_below_the_level(monkeypatch):
    p = np.array([0.2, 0.45])
    assert not pagedecode.doubted(p)                       # shipped: off
    monkeypatch.setattr(pagedecode, "DOUBT_RULE", "head")
    monkeypatch.setattr(pagedecode, "DOUBT_LEVEL", 0.5)
    assert pagedecode.doubted(p)
    assert not pagedecode.doubted(np.array([0.2, 0.5]))   # best 0.5 is not below 0.5
    assert not pagedecode.doubted(np.zeros(0))


def test_line_shapes_by_hand():
    text = "\n".join(["Home", "Harbour Lights At Dusk", "By Ana Souza", "March 14, 2026",
                      "The pier lit up for the festival.", "the lights were bright", "Share this"]) + "\n"
    titles, stamps = pagemodel.line_shapes(text, page_lines(text))
    # one word: not a title; a byline and a date are stamps, not titles; a final stop, a lower-case
    # start: not titles; "Share this" is title-shaped (its probability keeps it out of a head)
    assert titles == [False, True, False, False, False, False, True]
    assert stamps == [False, False, True, True, False, False, False]


def test_doubt_decode_head_and_floor_by_hand(monkeypatch):
    # lines: title 0 (p 0.45), byline 1 (0.3), comment 2 (0.4, 20 tokens), comment 3 (0.35, 18)
    p = np.array([0.45, 0.3, 0.4, 0.35])
    w = np.array([6, 3, 20, 18], dtype=float)
    shapes = lambda: ([True, False, False, False], [False, True, False, False])  # noqa: E731
    base, strict = pagemodel.keep_mask(p, 0.5, 0.5), pagemodel.keep_mask(p, 0.5, 0.0)
    assert base.all() and not strict.any()          # the relative floor: 0.5 x 0.45 = 0.225
    monkeypatch.setattr(pagedecode, "DOUBT_RULE", "head")
    keep, head = pagedecode.doubt_decode(p, w, base, strict, shapes)
    assert keep.tolist() == [True, True, False, False] and head == {0, 1}
    # floor: nothing >= 0.5, the decode from the strict base keeps nothing -> the head
    monkeypatch.setattr(pagedecode, "DOUBT_RULE", "floor")
    keep, head = pagedecode.doubt_decode(p, w, base, strict, shapes)
    assert keep.tolist() == [True, True, False, False] and head == {0, 1}
    # floor on a page with one line >= 0.5 (the 20-token comment at 0.6): it alone is kept
    # (the segment at t 0.3 is lines 0-3, 47 tokens; inside it lo 0.5 adds no line to the strict
    # base), no head
    p2 = np.array([0.45, 0.3, 0.6, 0.35])
    keep, head = pagedecode.doubt_decode(p2, w, pagemodel.keep_mask(p2, 0.5, 0.5), pagemodel.keep_mask(p2, 0.5, 0.0),
                                         shapes)
    assert keep.tolist() == [False, False, True, False] and head == ()
    # no head (no stamp near the title): today's decode from the relative-floor base
    monkeypatch.setattr(pagedecode, "DOUBT_RULE", "head")
    no_stamp = lambda: ([True, False, False, False], [False] * 4)  # noqa: E731
    keep, head = pagedecode.doubt_decode(p, w, base, strict, no_stamp)
    assert keep.tolist() == pagedecode.decode(p, w, base).tolist() and head == ()


def _given(lines, prob):
    class Given:
        threshold, relative = 0.5, 0.5

        def probabilities(self, X):
            return np.array([prob.get(ln, 0.05) for ln in lines])
    return Given()


@pytest.mark.parametrize("rule", ["head", "floor"])
def test_a_doubted_photo_post_keeps_its_head_not_its_comments(monkeypatch, rule):
    """A photo post (title, byline, date) under a comment thread, the model sure of nothing
    (best p 0.45): today the relative floor keeps the comments and the decode takes them for the
    body (the title and byline set aside); with the rule on, the page's text is its head, and the
    comments are in ``removed`` with their reasons."""
    from newsgist.reading.clean import clean
    lines = MENU + POST + THREAD + FOOT
    text = "\n".join(lines) + "\n"
    prob = {POST[0]: 0.3, POST[1]: 0.25, POST[2]: 0.2, THREAD[1]: 0.45, THREAD[3]: 0.42}
    monkeypatch.setattr(pagemodel, "load_model", lambda: _given(lines, prob))
    today = clean(text)
    kept = [text[p.start:p.end] for p in today.paragraphs]
    assert THREAD[1] in kept and POST[1] not in kept
    monkeypatch.setattr(pagedecode, "DOUBT_RULE", rule)
    monkeypatch.setattr(pagedecode, "DOUBT_LEVEL", 0.5)
    c = clean(text)
    assert [text[p.start:p.end] for p in c.paragraphs] == POST
    why = {r.text: r.reason for r in c.removed}
    assert why[THREAD[1]] == "comment" and why[THREAD[3]] == "comment"
    assert POST[1] not in why and POST[2] not in why          # the byline and date rules leave the head
    # the same page with a sure article line (best 0.95 >= the level): exactly today's output
    sure = dict(prob, **{THREAD[1]: 0.95})
    monkeypatch.setattr(pagemodel, "load_model", lambda: _given(lines, sure))
    on = clean(text)
    monkeypatch.setattr(pagedecode, "DOUBT_RULE", None)
    off = clean(text)
    assert [(p.start, p.end, p.kind) for p in on.paragraphs] == [(p.start, p.end, p.kind) for p in off.paragraphs]
    assert [(r.text, r.reason) for r in on.removed] == [(r.text, r.reason) for r in off.removed]


def test_floor_drops_the_relative_floor_lines_on_a_doubted_page(monkeypatch):
    """Best p 0.6 (an article line), a sidebar tagline at 0.35 (above the relative floor 0.3):
    today both are kept; "floor" below 0.7 keeps the headline and the article line, the tagline
    set aside as "outside-body"."""
    from newsgist.reading.clean import clean
    tagline = "Thoughts on cooking, travel and the small pleasures of a slow weekend at home."
    body = "The bakery on Mill Street reopened on Monday after a fire closed it for three months."
    lines = MENU + [tagline, "Bakery Reopens After Fire", body] + FOOT
    text = "\n".join(lines) + "\n"
    prob = {tagline: 0.35, "Bakery Reopens After Fire": 0.55, body: 0.6}
    monkeypatch.setattr(pagemodel, "load_model", lambda: _given(lines, prob))
    assert tagline in [text[p.start:p.end] for p in clean(text).paragraphs]
    monkeypatch.setattr(pagedecode, "DOUBT_RULE", "floor")
    monkeypatch.setattr(pagedecode, "DOUBT_LEVEL", 0.7)
    c = clean(text)
    assert [text[p.start:p.end] for p in c.paragraphs] == ["Bakery Reopens After Fire", body]
    assert {r.text: r.reason for r in c.removed}[tagline] == "outside-body"
