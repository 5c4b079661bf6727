"""Issue 31, session 13's candidates U and U2: a hard-wrapped page's lines read as logical lines by the page model
(session 14's W, join "width": tests/test_pagewrap_width.py, which uses this file's invented page).

The joining tests set the switch on themselves (``wrap_on`` for U2, ``wrap_u`` for U's joins), so they
hold whatever ``pagewrap.WRAP``'s default is."""
import json
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from newsgist.reading import pagemodel, pagewrap
from newsgist.reading.clean import clean
from newsgist.reading.pagelines import page_lines, worded_lines

FIXTURES = Path(__file__).parent / "fixtures" / "paste"

# An invented story, pasted hard-wrapped at 34 characters (a pre-formatted page), inside a page
# with a menu, a byline, share lines, related and most-read links and a footer.
ARTICLE = [
    "The harbour board of Kellsworth voted on Tuesday to close the old ferry pier for good, ending a "
    "service that had carried passengers across the estuary since the town's first bridge washed away.",
    "Board members said the timber piles had rotted beyond repair and that a survey in the spring found "
    "the deck could no longer carry the weight of a loaded gangway. The ferry company had already moved "
    "its two boats to the new landing at Greyfield.",
    "Residents who rely on the crossing to reach the hospital said the decision left them with a forty "
    "minute drive around the bay. \"My mother has appointments every week and the bus does not run on "
    "Sundays,\" said one woman who lives near the pier.",
    "The board promised to pay for a shuttle bus between the two landings until the end of next year "
    "and to ask the county for money to build a footbridge.",
    "A public meeting about the footbridge will be held at the town hall on the first Monday of next "
    "month, and the plans will be shown in the library for two weeks before it.",
]
HEAD = """Skip to main content
Kellsworth Chronicle
Home
News
Sport
Business
Opinion
Weather
Subscribe
Sign in

News / Local

Harbour board closes the old ferry pier

By Mara Ellison
March 3, 2026

Share on Facebook
Share on X
Email this story
"""
TAIL = """
Share this article: Facebook | X | WhatsApp | Email

Related stories
New landing at Greyfield opens to ferry traffic
Bus timetable changes for the spring
County roads budget cut again

Most read
Council tax rise approved after long debate
School roof repairs delayed until summer
Lifeboat crew rescues two kayakers

About us
Contact
Advertise
Privacy policy
Cookie settings
© 2026 Kellsworth Chronicle. All rights reserved.
"""


def wrapped_page(width=34):
    return HEAD + "\n" + "\n\n".join(textwrap.fill(p, width) for p in ARTICLE) + "\n" + TAIL


def article_lines(width=34):
    return [line for p in ARTICLE for line in textwrap.wrap(p, width)]


def kept_lines(text):
    """The physical lines clean keeps (a hard-wrapped paragraph that softwrap's S reads as one is split
    back into its lines: S regroups kept lines, it keeps the same ones)."""
    return [ln.strip() for p in clean(text).paragraphs for ln in text[p.start:p.end].split("\n")]


@pytest.fixture
def wrap_on(monkeypatch):
    """U2 on (its join and its pair's first line of 5+ words), at 3 pairs."""
    monkeypatch.setattr(pagewrap, "WRAP", True)
    monkeypatch.setattr(pagewrap, "WRAP_MIN_PAIRS", 3)
    monkeypatch.setattr(pagewrap, "WRAP_JOIN", "pair")
    monkeypatch.setattr(pagewrap, "PAIR_FIRST_MIN_WORDS", 5)


@pytest.fixture
def wrap_u(wrap_on, monkeypatch):
    """Candidate U (its gate failed; kept reproducible): join "lower", a pair's first line of 3+ words."""
    monkeypatch.setattr(pagewrap, "WRAP_JOIN", "lower")
    monkeypatch.setattr(pagewrap, "PAIR_FIRST_MIN_WORDS", 3)


def test_the_module_carries_w_and_u2_stays_reproducible():
    assert pagewrap.WRAP_JOIN == "width" and pagewrap.WRAP_JOIN in pagewrap.JOIN_MODES     # W (session 14)
    assert (pagewrap.WRAP_RUN_MIN_LINES, pagewrap.WRAP_MIN_WIDTH, pagewrap.WRAP_RUN_FILL_SHARE, pagewrap.FILL_MIN_WORDS) \
        == (3, 40, 0.5, 5)                                                                # W's registration
    assert pagewrap.FILL_DISTINCT is True and pagewrap.RUN_MID_SHARE == 0.25             # 14a's stricter conditions
    assert "pair" in pagewrap.JOIN_MODES and pagewrap.PAIR_FIRST_MIN_WORDS == 5          # U2: join "pair", 10 pairs
    assert pagewrap.PAIR_SECOND_MIN_WORDS == 2


def test_a_hard_wrapped_article_comes_back_whole_with_u2_at_three_pairs_and_partly_lost_without(wrap_on, monkeypatch):
    page = wrapped_page()
    want = article_lines()
    assert len(pagewrap.continuation_pairs(page, page_lines(page))) >= 20
    on = kept_lines(page)
    assert [x for x in on if x in want] == want                  # every wrapped line of the story
    assert set(on) - set(want) <= {"Harbour board closes the old ferry pier"}   # and no furniture but the headline
    monkeypatch.setattr(pagewrap, "WRAP", False)
    off = kept_lines(page)
    lost = [x for x in want if x not in off]
    # the shipped line model reads the fragments: the last paragraph's six lines are dropped
    assert lost and set(lost) <= set(textwrap.wrap(ARTICLE[-1], 34)), lost
    assert len(lost) >= 5


def test_u_off_switch_reads_line_by_line(monkeypatch):
    page = wrapped_page()
    lines = page_lines(page)
    words, idx = worded_lines(page, lines)
    monkeypatch.setattr(pagewrap, "WRAP", False)
    assert pagewrap.groups(page, lines, words, idx) == [(k, k + 1) for k in range(len(words))]


def _outputs(text):
    c = clean(text)
    lines = page_lines(text)
    fur = pagemodel.page_furniture(text, lines)
    return ([(p.start, p.end, p.kind) for p in c.paragraphs], list(c.removed), None if fur is None else dict(fur),
            None if fur is None else (fur.outside, fur.repeats, fur.pair))


def _unwrapped_pages():
    pages = [(FIXTURES / "harbour-gazette-page.txt").read_text(encoding="utf-8")]
    for d in ("modern", "modern-train"):
        pages += [json.loads(p.read_text(encoding="utf-8"))["paste"] for p in sorted((FIXTURES / d).glob("*.json"))[:6]]
    return pages


def test_pages_under_the_threshold_are_unchanged(monkeypatch):
    """Byte-identical output (paragraphs, removed spans, probabilities) on pages with fewer pairs."""
    for text in _unwrapped_pages():
        n = len(pagewrap.continuation_pairs(text, page_lines(text)))
        monkeypatch.setattr(pagewrap, "WRAP", True)
        monkeypatch.setattr(pagewrap, "WRAP_JOIN", "pair")            # U2's count (W's: the test below)
        monkeypatch.setattr(pagewrap, "WRAP_MIN_PAIRS", n + 1)
        on = _outputs(text)
        monkeypatch.setattr(pagewrap, "WRAP", False)
        assert _outputs(text) == on


def test_a_page_with_two_pairs_is_not_joined_at_three(wrap_on):
    text = ("one two three four five\nsix seven eight\n\nalpha beta gamma delta epsilon\nzeta eta\n\n"
            "Some line.\nnext line here")
    lines = page_lines(text)
    words, idx = worded_lines(text, lines)
    assert pagewrap.continuation_pairs(text, lines) == [0, 2]
    assert pagewrap.groups(text, lines, words, idx) == [(k, k + 1) for k in range(len(words))]
    assert pagewrap.groups(text, lines, words, idx, min_pairs=2) == [(0, 2), (2, 4), (4, 5), (5, 6)]


@pytest.mark.parametrize("pair,counts", [
    ("the first line has words\nand the second too", True),
    ("two words\nand the second too", False),                      # the first needs 5 words (U2)
    ("the first line has\nand the second too", False),             # 4 words: a pair for U, not U2
    ("the first line ends.\nand the second too", False),            # end punctuation
    ("the first line ends with a colon:\nand the second", False),
    ("the first line quotes a \u201cword\u201d\nand the second", False),
    ("the first line has words\nsecond", False),                    # the second needs 2 words
    ("the first line has words\nAnd the second too", False),        # the second must start in lower case
    ("the first line has words\n\nand the second too", False),      # a blank line between
    ("the first line has words\n   \nand the second too", False),   # a line of spaces is blank
    ("  the first line has words  \n\tand the second too", True),   # stripped
])
def test_continuation_pairs(pair, counts, monkeypatch):
    monkeypatch.setattr(pagewrap, "PAIR_FIRST_MIN_WORDS", 5)
    assert len(pagewrap.continuation_pairs(pair, page_lines(pair))) == int(counts)


def test_u_counted_pairs_from_three_words(wrap_u):
    text = "the first line has\nand the second too\nnickmongo liked this\ndaughterofcoul reblogged this"
    assert pagewrap.continuation_pairs(text, page_lines(text)) == [0, 1, 2]


def test_u2_joins_only_pairs_where_u_joined_any_lower_case_next_line(wrap_on, monkeypatch):
    """U's "lower" joined a list of lower-case user names and a one-word next line; U2 joins neither."""
    text = ("the river rose all night and by\nmorning the road was gone under\nbrown water that nobody had\n"
            "seen in forty years\n\nnickmongo liked this\ndaughterofcoul reblogged this from\nkate liked this\n\n"
            "and the farmers moved their cattle\nup")
    lines = page_lines(text)
    words, idx = worded_lines(text, lines)
    assert pagewrap.groups(text, lines, words, idx) == [(0, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9)]
    monkeypatch.setattr(pagewrap, "WRAP_JOIN", "lower")
    monkeypatch.setattr(pagewrap, "PAIR_FIRST_MIN_WORDS", 3)
    assert pagewrap.groups(text, lines, words, idx) == [(0, 4), (4, 7), (7, 9)]


def test_a_blank_line_never_joins(wrap_on):
    text = ("the river rose all night and by\nmorning the road was gone under\nbrown water that nobody had\n\n"
            "seen in forty years and the\nfarmers moved their cattle up\nto the high fields")
    lines = page_lines(text)
    words, idx = worded_lines(text, lines)
    assert pagewrap.groups(text, lines, words, idx) == [(0, 3), (3, 6)]
    read = pagewrap.logical_spans(words, [(0, 3), (3, 6)])
    assert text[read[0][0]:read[0][1]].endswith("nobody had") and read[0][2] and read[1][2]
    assert text[read[1][0]:read[1][1]].startswith("seen in forty")


def test_a_line_of_only_marks_breaks_a_run(wrap_on):
    text = "the river rose all night and by\nmorning the road was gone under\n---\nbrown water that nobody had\n" \
           "seen in forty years and the\nfarmers moved their cattle up"
    lines = page_lines(text)
    words, idx = worded_lines(text, lines)
    assert idx == [0, 1, 3, 4, 5]
    assert pagewrap.groups(text, lines, words, idx) == [(0, 2), (2, 5)]


def test_lower_against_lower_and_long(wrap_u):
    """"lower" joins only a next line in lower case; "lower+long" also one in upper case after a line
    at least 0.8 x the wrap width (the median length of the pairs' first lines); never after a stop."""
    text = ("minute drive around the bay. \"My mother has\nappointments every week and the bus does not run on\n"
            "Sundays,\" said one woman who lives near the pier.\nThe board promised to pay for a\nshuttle bus between "
            "the two\nlandings until the end of next\nyear and to ask the county\nSee also\nMore on the ferry")
    lines = page_lines(text)
    words, idx = worded_lines(text, lines)
    pairs = pagewrap.continuation_pairs(text, lines)
    assert pairs == [0, 3, 4, 5]
    assert pagewrap.wrap_width(lines, pairs) == (30 + 31) / 2         # first lines of 43, 31, 27, 30 characters
    assert pagewrap.groups(text, lines, words, idx, min_pairs=4, join="lower") == [(0, 2), (2, 3), (3, 7), (7, 8), (8, 9)]
    # "appointments ... run on" (51 characters >= 0.8 x 30.5) joins "Sundays,"; "year and to ask the county"
    # (26 >= 24.4) joins "See also"; "See also" (8) does not join "More on the ferry"
    assert pagewrap.groups(text, lines, words, idx, min_pairs=4, join="lower+long") == [(0, 3), (3, 8), (8, 9)]
    # U2's "pair" here joins as "lower" (every joined line has 5+ words and its next 2+)
    assert pagewrap.groups(text, lines, words, idx, min_pairs=4, join="pair") == [(0, 2), (2, 3), (3, 7), (7, 8), (8, 9)]
    with pytest.raises(ValueError):
        pagewrap.groups(text, lines, words, idx, min_pairs=4, join="upper")


def test_each_physical_line_takes_its_logical_lines_probability(wrap_on):
    text = wrapped_page()
    lines = page_lines(text)
    seen = []

    def predict(X, texts):
        seen.append((X.shape[0], texts))
        return np.linspace(0.0, 1.0, X.shape[0])

    prob, read, X, at = pagewrap.line_probabilities(text, lines, predict)
    words, idx = worded_lines(text, lines)
    grouped = pagewrap.groups(text, lines, words, idx)
    assert len(read) == len(grouped) == X.shape[0] == seen[0][0] == len(at) < len(words)
    assert seen[0][1][0] == text[read[0][0]:read[0][1]]
    for k, (a, b) in enumerate(at):
        assert all(prob[i] == prob[a] for i in range(a, b + 1))
        assert prob[a] == pytest.approx(np.linspace(0.0, 1.0, len(read))[k])
    # the story's first paragraph: its physical lines in fewer logical lines (U2 breaks after a line
    # of under 5 words, "that had carried"), which together are the paragraph, one span each
    first = next(k for k, (s, e, _) in enumerate(read) if text[s:e].startswith("The harbour board"))
    last = next(k for k in range(first, len(read)) if text[read[k][0]:read[k][1]].endswith("washed away."))
    assert read[first][2] and not any(b for _, _, b in read[first + 1:last + 1])
    assert "\n".join(text[s:e] for s, e, _ in read[first:last + 1]) == textwrap.fill(ARTICLE[0], 34)
    assert at[last][1] - at[first][0] + 1 == len(textwrap.wrap(ARTICLE[0], 34)) > last - first + 1 > 1


def test_marks_only_lines_between_groups(wrap_on):
    """A line of only marks ("---"; "***" after a blank line) between two runs: probability 0, it
    breaks the run, and a blank before it passes on to the next logical line."""
    text = ("the river rose all night and by\nmorning the road was gone under\n---\nbrown water that nobody had\n"
            "seen in forty years and the\n\n***\nfarmers moved their cattle up to\nthe high fields at dawn")
    lines = page_lines(text)
    assert [text[s:e] for s, e, _ in lines][2] == "---" and [text[s:e] for s, e, _ in lines][5] == "***"
    prob, read, X, at = pagewrap.line_probabilities(text, lines, lambda X, t: np.full(X.shape[0], 0.5))
    assert at == [(0, 1), (3, 4), (6, 7)]
    assert [b for _, _, b in read] == [True, False, True]             # the page's start; "***"'s blank passes on
    assert text[read[1][0]:read[1][1]] == "brown water that nobody had\nseen in forty years and the"
    assert prob[2] == prob[5] == 0.0 and all(prob[i] > 0 for i in (0, 1, 3, 4, 6, 7))
    assert X.shape[0] == 3


def test_a_page_without_words_has_no_rows():
    text = "---\n|\n***"
    prob, read, X, at = pagewrap.line_probabilities(text, page_lines(text), lambda X, t: 1 / 0)
    assert list(prob) == [0.0, 0.0, 0.0] and read == [] and X is None and at == []


def test_the_thread_rule_reads_the_logical_lines(wrap_on, monkeypatch):
    """THREAD_RULE (off in the product) reads ``read``, ``X`` and the kept mask of the logical lines."""
    from newsgist.reading import pagevoice
    calls = []

    def span(text, read, X, kept, mode):
        calls.append((len(read), X.shape[0], len(kept)))
        return None
    monkeypatch.setattr(pagevoice, "page_span", span)
    monkeypatch.setattr(pagemodel, "THREAD_RULE", True)
    text = wrapped_page()
    pagemodel.page_furniture(text, page_lines(text))
    words, _ = worded_lines(text, page_lines(text))
    assert calls and calls[0][0] == calls[0][1] == calls[0][2] < len(words)


def _wrapped_lines(n):
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Sign in", "Subscribe", "Contact", "About us",
                      "Privacy", "Terms", "Jobs", "Shop", "Podcasts", "Video"]) + "\n\n"
    return menu + "\n".join(f"line {i} of the long story goes on and" if i % 2 == 0 else f"again it continues on line {i}"
                            for i in range(n))


def _count_pair_checks(text, monkeypatch):
    """``groups`` on ``text``, and how many times it asked whether two lines are a pair."""
    calls = []
    is_pair = pagewrap._is_pair

    def counted(a, b):
        calls.append(1)
        return is_pair(a, b)
    monkeypatch.setattr(pagewrap, "_is_pair", counted)
    lines = page_lines(text)
    words, idx = worded_lines(text, lines)
    grouped = pagewrap.groups(text, lines, words, idx)
    monkeypatch.setattr(pagewrap, "_is_pair", is_pair)
    return len(calls), grouped, len(lines)


def test_linear_in_the_lines_on_many_short_lines_and_one_long_line(wrap_on, monkeypatch):
    """Operations counted, not timed: each line is checked a bounded number of times (counting the
    pairs, then joining), whatever the page's length; wall clock only as a generous bound."""
    c1, g1, n1 = _count_pair_checks(_wrapped_lines(5_000), monkeypatch)
    c2, g2, n2 = _count_pair_checks(_wrapped_lines(10_000), monkeypatch)
    assert len(g2) == 15 and g2[-1][1] - g2[-1][0] == 10_000     # the menu's 14 lines, then one logical line
    assert c1 <= 2 * n1 and c2 <= 2 * n2 and c2 - c1 <= 2 * (n2 - n1)
    text = _wrapped_lines(200) + "\n" + "word " * 10_000 + "\nand more words follow here"
    c, g, n = _count_pair_checks(text, monkeypatch)
    assert c <= 2 * n and len(g) == 15
    t0 = time.perf_counter()
    pagemodel.page_furniture(text, page_lines(text))                # the whole model on the 50 kB logical line
    pagemodel.page_furniture(_wrapped_lines(10_000), page_lines(_wrapped_lines(10_000)))
    assert time.perf_counter() - t0 < 60.0                         # generous: ~0.5 s when measured


def test_wrap_off_is_the_pre_session_computation_exactly(monkeypatch):
    """``WRAP = False`` (the switch off; shipped on since session 14): the physical lines'
    probabilities equal, bit for bit, those of the inline computation before session 13
    (``worded_lines`` -> ``features`` -> ``model.probabilities`` into ``prob[idx]``,
    ``page_adjust``, zeros elsewhere), for the Dragnet pair and the routed pair."""
    from newsgist.reading import pageroute, pageself
    from newsgist.reading.pagelines import features
    monkeypatch.setattr(pagewrap, "WRAP", False)
    texts = [(FIXTURES / "harbour-gazette-page.txt").read_text(encoding="utf-8"), wrapped_page()]
    texts += [json.loads(p.read_text(encoding="utf-8"))["paste"] for p in sorted((FIXTURES / "modern").glob("*.json"))[:3]]
    from test_pagewrap_width import email_page, source_pre_page     # W's shapes (tests/test_pagewrap_width.py)
    texts += [email_page(), source_pre_page()[0]]                   # (WRAP_JOIN "width", the default)
    assert pagewrap.WRAP_JOIN == "width"
    assert len(pagewrap.continuation_pairs(texts[1], page_lines(texts[1]))) >= 20    # the hard-wrapped page
    assert all(len(pagewrap.fill_pairs(t, page_lines(t))) >= 10 for t in texts[-2:])
    for text in texts:
        lines = page_lines(text)
        routed = pageroute.choose(text, pagemodel.load_model, pagemodel.PageModel)[0]
        for model in {id(m): m for m in (pagemodel.load_model(), routed)}.values():
            read, idx = worded_lines(text, lines)
            assert read
            old = np.zeros(len(lines))
            X, _ = features(text, read)
            old[idx] = model.probabilities(X, [text[s:e] for s, e, _ in read])
            old[idx] = pageself.page_adjust(old[idx], X)
            prob, new_read, new_X, at = pagewrap.line_probabilities(text, lines, model.probabilities)
            assert prob.dtype == old.dtype and np.array_equal(prob, old)
            assert new_read == read and np.array_equal(new_X, X) and at == [(i, i) for i in idx]
