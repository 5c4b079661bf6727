"""The page path made faster without changing its output (issue 31, session 7d).

The pasted-page features run their costly patterns only where a cheap pre-check leaves a match
possible (:mod:`newsgist.reading.linecheck`), and the trees are evaluated a cache-sized slice
of rows at a time. Each helper is checked against the pattern it stands for, and a page written
here gets the same feature matrix as the plain patterns give (and the values main gave).
"""
from __future__ import annotations

import random
import re

import numpy as np
import pytest

from newsgist.reading import pagelines
from newsgist.reading.linecheck import (ascii_lower, digit_count, email_shaped, followed_on_line, search_at_edges,
                                        search_unless)
from newsgist.reading.pagelines import FEATURE_NAMES, features, page_lines, worded_lines

# A page of this test's own: a menu, a headline, a byline and date, an article with a quote,
# a web address, non-ASCII digits and units, a comment thread (names with stamps, "says:",
# "Reply", a handle, "Posted by:"), related links and two copyright lines.
PAGE = """Harbour Times
Home
News
Sport
Share
Tweet
Email

Ferry service to the islands resumes after winter storms

By Dana Whitcombe
March 3, 2019 at 10:30 am

The ferry between Port Avel and the outer islands ran again on Tuesday, the harbour master said, after storms closed the crossing for 12 days.
\u201cWe checked all 14 boats,\u201d said Ines Moreau, who runs the port. \u201cThey are ready for the season.\u201d
Timetables are posted at www.harbourtimes.example/ferries and questions go to desk@harbour.example.
The new pier covers 450 m\u00b2 and cost \u00a32\u00b75 million; the work took \u0663 months, a contractor said.
Fares rise by 5% from April 1. Residents pay less.

3 Comments
Rosa Delgado says:
March 4, 2019 at 8:02 am
I love this, thanks! Will you print the winter timetable too?
Reply
Zo\u00eb \u00c5ngstr\u00f6m said:
Ferries are back!!! My kids can visit their gran again.
Flag as Inappropriate
kayak_88 | 12/03/2019 4:05 PM
Anyone know if the 7:15 runs on Sundays?
Posted by: Gina at September 10, 2012 5:40 pm
Tom Birch 5 hours ago
Ages ago I wrote to them about it. Nothing came of it, \u017fays my neighbour.
permalink | Reply
Related stories
Island school gets a new roof
Most read
(c) 2019 Harbour Times
\u00a9 2019 Harbour Times. All rights reserved. Privacy Policy | Terms of Use
"""

# Values main (27262c0) gave on PAGE, before the pre-checks: (line start, column, value).
EXPECTED = [
    ("March 3, 2019", "digit_share", 0.36), ("March 3, 2019", "date", 1.0),
    ("The new pier", "digit_share", 7 / 92), ("The new pier", "date", 0.0),
    ("Timetables", "urlish", 1.0), ("The ferry", "urlish", 0.0),
    ("\u201cWe checked", "quote", 1.0), ("\u201cWe checked", "stop_share", 0.5),
    ("3 Comments", "comments_head", 1.0), ("Rosa Delgado", "comment_mark", 1.0),
    ("Rosa Delgado", "cs_name_stamp", 1.0), ("Reply", "comment_mark", 1.0), ("Zo\u00eb", "comment_mark", 1.0),
    ("Zo\u00eb", "cs_name_stamp", 0.0), ("Flag as", "comment_mark", 1.0), ("permalink", "comment_mark", 1.0),
    ("Posted by", "comment_mark", 1.0), ("Posted by", "date", 1.0), ("kayak_88", "cs_name_stamp", 1.0),
    ("kayak_88", "allcaps_share", 0.125), ("Tom Birch", "cs_name_stamp", 1.0), ("Tom Birch", "date", 1.0),
    ("Ages ago", "date", 1.0), ("Ages ago", "cs_name_stamp", 0.0), ("Ages ago", "cs_personal_rate", 2 / 15),
    ("I love this", "cs_personal_rate", 3 / 11), ("I love this", "cs_end_qe", 1.0),
    ("Anyone know", "cs_end_qe", 1.0), ("Anyone know", "cs_name_stamp", 1.0),
    ("(c) 2019", "copyright", 1.0), ("\u00a9 2019", "copyright", 1.0), ("Most read", "copyright", 0.0),
    ("Most read", "furn_share", 0.5), ("Home", "furn_any", 1.0), ("News", "furn_any", 0.0),
    ("Ferry service", "mean_word_len", 16 / 3), ("Ferry service", "cap_share", 1 / 9),
]


def _matrix(text):
    lines = page_lines(text)
    read, _ = worded_lines(text, lines)
    X, _ = features(text, read)
    return X, [text[s:e] for s, e, _ in read]


def _plain_patterns(monkeypatch):
    """pagelines with every pre-check replaced by the plain pattern (the code before session 7d)."""
    monkeypatch.setattr(pagelines, "search_unless", lambda rx, line, low, needles: bool(rx.search(line)))
    monkeypatch.setattr(pagelines, "search_at_edges", lambda rx, line, *a: bool(rx.search(line)))
    monkeypatch.setattr(pagelines, "digit_count", lambda line: sum(c.isdigit() for c in line))
    monkeypatch.setattr(pagelines, "_URLISH_SHORT", pagelines._URLISH)       # the whole pattern
    monkeypatch.setattr(pagelines, "email_shaped", lambda line: False)
    monkeypatch.setattr(pagelines, "_CS_STAMP_NEEDS", re.compile(""))
    # and the date column from the whole pattern, whatever the digits
    monkeypatch.setattr(pagelines, "_AGO", pagelines._DATE)


def test_written_page_features_have_mains_values():
    X, lines = _matrix(PAGE)
    assert X.shape == (34, len(FEATURE_NAMES))
    for start, col, value in EXPECTED:
        row = next(i for i, t in enumerate(lines) if t.startswith(start))
        assert X[row, FEATURE_NAMES.index(col)] == value, (start, col)


@pytest.mark.parametrize("text", [
    PAGE,
    PAGE.replace("\n", "\n\n"),                                        # blank lines between
    "\n".join(["Home", "Reply", "2 hours ago", "\u00a9 2020", "said:"] * 40),   # short lines
    PAGE + "\n" + "x" * 3000 + "@y.z and www. " * 20 + "\n" + "Comments\n" * 15,
])
def test_feature_matrix_is_the_plain_patterns_matrix(text, monkeypatch):
    fast, _ = _matrix(text)
    with monkeypatch.context() as m:
        _plain_patterns(m)
        plain, _ = _matrix(text)
    assert fast.shape == plain.shape
    assert np.array_equal(np.isnan(fast), np.isnan(plain))
    assert np.array_equal(fast, plain, equal_nan=True)
    assert fast.tobytes() == plain.tobytes()


def test_digit_count_is_isdigit_count():
    for line in ["", "abc", "2019-03-04 10:30", "450 m\u00b2 \u0663 \u00bd", "\u00b2\u00b3", "x9" * 50]:
        assert digit_count(line) == sum(c.isdigit() for c in line)


def test_ascii_lower():
    assert ascii_lower("Home NEWS") == "home news"
    assert ascii_lower("Zo\u00eb") is None


_ALPHABET = list("abcdeiklmoprstwyACKMS019 .:,@/()]-_\t\n") + ["\u017f", "\u212a", "\u00a9", "\u0663", "\u00b2", "\u00a0",
                                                                "\u0130", "ago", "says", "www.", ".com", "reply",
                                                                "Reply", "permalink", "posted by", "(c)", "20"]


def _random_lines(seed, n=3000):
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14))) for _ in range(n)]


@pytest.mark.parametrize("name,needles", [("_URLISH", pagelines._URLISH_NEEDS),
                                          ("_COPYRIGHT", pagelines._COPYRIGHT_NEEDS), ("_AGO", ("ago",))])
def test_search_unless_is_the_search(name, needles):
    rx = getattr(pagelines, name)
    cases = ["www.Example.ORG", "mail me@x.io", "HTTP://a", "foo.Com", "(C) 2019", "\u00a9 2019", "Copyright",
             "all rights reserved", "All Rights Reserved", "2 days AGO", "agony", "\u017fays", "no match here", ""]
    for line in cases + _random_lines(7):
        assert search_unless(rx, line, ascii_lower(line), needles) == bool(rx.search(line)), line


def test_date_column_pre_check():
    for line in ["Tom Birch 5 hours ago", "ages ago", "agony", "March 3", "Mar 3", "AGO", "\u0663 ago", "n/a"] \
            + _random_lines(11):
        digits = digit_count(line)
        fast = bool(pagelines._DATE.search(line)) if digits else search_unless(pagelines._AGO, line, ascii_lower(line),
                                                                                ("ago",))
        assert fast == bool(pagelines._DATE.search(line)), line


def test_search_at_edges_is_the_comment_mark_search():
    rx = pagelines._COMMENT_MARK
    cases = ["dan said,", "Lisa Myers says:", "Lisa Myers says :  ", "[Reply]", " [ reply ] ", "Flag as Inappropriate",
             "12 points | permalink | Reply", "Reply to this", "Posted by: Gina at September 10, 2012",
             "  submitted by Ann on 3", "Zo\u00eb said:", "she said yes", "said\n", "Report Abuse", "quote",
             "The mayor said on Tuesday the bridge would reopen.", "", "reply]:,", "\u017fays:"]
    for line in cases + _random_lines(13):
        got = search_at_edges(rx, line, pagelines._MARK_ENDS, ":,]", ("posted by", "submitted by"))
        assert got == bool(rx.search(line)), line


def test_comment_stamp_pre_check_keeps_every_stamp():
    """A lead _CS_LEAD matches always holds a digit or a "says" word (_CS_STAMP_NEEDS)."""
    leads = ["Rosa Delgado says:", "Tom Birch on March 3, 2019 at 10:02 am", "kayak_88 | 12/03/2011 4:05 PM",
             "Nell Ivers 5 hours ago", "Greta wrote:", "Ann replied", "Bo - Feb 4, 2012", "@jo 10:15"] \
        + [" ".join(t.split()[:8]) for t in _random_lines(17)]
    for lead in leads:
        if pagelines._CS_LEAD.match(lead):
            assert pagelines._CS_STAMP_NEEDS.search(lead), lead
    assert pagelines.comment_shape("Rosa Delgado says: I love this, thanks!") == pytest.approx([1.0, 2 / 7, 1.0])
    assert pagelines.comment_shape("Tom Birch on March 3, 2019 at 10:02 am")[0] == 1.0
    assert pagelines.comment_shape("The Mayor Of Avel Ferry Office Says Nothing")[0] == 0.0
    assert pagelines.comment_shape("The Mayor says: no")[0] == 1.0


def test_comment_columns_take_the_callers_texts():
    lines = page_lines(PAGE)
    texts = [" ".join(PAGE[s:e].split()) for s, e, _ in lines]
    assert np.array_equal(pagelines.comment_columns(PAGE, lines), pagelines.comment_columns(PAGE, lines, texts))


def test_tree_slices_give_the_same_scores(monkeypatch):
    """The page model's trees in slices of any size: the same numbers as the walk."""
    from newsgist import trees
    from newsgist.reading.pagemodel import load_model
    model = load_model()
    if model is None:
        pytest.skip("no page model")
    X, _ = _matrix(PAGE * 3)
    walk = model.stage1.walk(X)
    for cells in (1, 1 << 14, 1 << 21, 1 << 30):
        monkeypatch.setattr(trees, "CHUNK_CELLS", cells)
        assert np.array_equal(model.stage1.predict(X), walk)


def test_word_reason_is_the_plain_patterns_reason():
    from newsgist.reading import pagemodel, pagereasons
    cases = ["We use cookies", "Privacy settings and policy", "Sign-up for our newsletter", "Subscribe", "in your INBOX",
             "\u00a9 2019 Harbour Times", "Terms of Use", "Share this", "e-mail", "Follow us on Twitter", "Google+",
             "Photos: AP", "Getty Images", "Photographed by Ann", "By Dana Whitcombe", "posted by admin",
             "Pinterest", "Opinion", "Source: council", "\u017fhare", "Tw\u0130tter", "The ferry ran again.", ""]
    words = ["cookie", "privacy", "policy", "consent", "notice", "settings", "cookies", "\n", "privacy\n", "newsletter", "subscribe", "sign up", "sign-up", "terms of use",
             "copyright", "share", "tweet", "email", "e-mail", "print", "pin", "like", "follow", "facebook", "google+",
             "photo", "images", "credit:", "caption :", "getty images", "photo by", "by", "posted by", "\u017f", "\u0130",
             "the", "ferry", ":", " ", "  ", "\u00a9"]
    rng = random.Random(19)
    lines = cases + [" ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    for line in lines:
        plain = next((r for rx, r in pagereasons._REASONS if rx.search(line)), None)
        assert pagemodel.word_reason(line) == plain, line


def test_leaf_masks_read_every_bit_of_a_32_leaf_tree():
    """A comb of 31 splits (32 leaves, the last one bit 31 of the mask), and a NaN: the masks'
    leaf (from the float exponent of the lowest set bit) is the walk's."""
    from newsgist.trees import TreeEnsemble, compile_trees
    feature, threshold, left, right, value = [], [], [], [], []
    for k in range(31):                        # split k at node 2k: left leaf 2k+1, right the next split
        feature += [0, -1]
        threshold += [k + 0.5, 0.0]
        left += [2 * k + 1, -1]
        right += [2 * k + 2, -1]
        value += [0.0, float(k) + 0.25]
    feature.append(-1)
    threshold.append(0.0)
    left.append(-1)
    right.append(-1)
    value.append(99.0)
    trees = TreeEnsemble(feature, threshold, left, right, value, [0], 31)
    assert compile_trees(trees).widest == 32
    X = np.array([[x] for x in [-1.0, 0.0, 3.0, 17.2, 30.0, 30.6, 31.0, 1e9, np.nan]])
    assert np.array_equal(trees.predict(X), trees.walk(X))
    assert trees.predict(X).tolist() == [0.25, 0.25, 3.25, 17.25, 30.25, 99.0, 99.0, 99.0, 99.0]


def test_handle_name_pattern_is_6es_on_every_lead():
    """_CS_NAME's handle alternative takes the first digit or "_" of the run: the same leads match
    as with session 6e's "@?\\w*[\\d_]\\w*" (both patterns built here), and a long blob with
    digits (base64, a hash) is read in one pass instead of one per digit and end."""
    old_name = pagelines._CS_NAME.replace(r"@?[^\W\d_]*[\d_]\w*", r"@?\w*[\d_]\w*")
    assert old_name != pagelines._CS_NAME
    old_lead = re.compile(rf"^\s*{old_name}\s*[:,(\[-–—|]?\s*(?:{pagelines._CS_STAMP})", re.I)
    old_start = re.compile(rf"^\s*{old_name}")
    leads = ["kayak_88 | 12/03/2011 4:05 PM", "jo_1says:", "ab12cd3 5 hours ago", "x9mar 4, 2019", "_ 10:15",
             "@dan99 wrote:", "99 said:", "a1b2c3d4e5f6says", "Qm9hdHMr 12/03/2011", "\u0663abc says:"] \
        + [" ".join(t.split()[:8]) for t in _random_lines(23)]
    for lead in leads:
        assert bool(pagelines._CS_LEAD.match(lead)) == bool(old_lead.match(lead)), lead
        assert bool(pagelines._CS_NAME_START.match(lead)) == bool(old_start.match(lead)), lead
    blob = ("Qm9hdHMrZmVycnk9" * 1300)[:20000]
    assert pagelines.comment_shape(blob) == [0.0, 0.0, 0.0]
    # a handle, then its stamp; past COMMENT_LEAD_CHARS (session 8's cap: the lead pattern was
    # quadratic on one long token) a blob is no commenter's name
    cap = pagelines.COMMENT_LEAD_CHARS
    assert pagelines.comment_shape(blob[:cap - 10] + " wrote:")[0] == 1.0
    assert pagelines.comment_shape("a1" * 100 + " wrote: hello")[0] == 1.0
    assert pagelines.comment_shape(blob + " wrote:")[0] == 0.0
    assert pagelines.comment_shape("a1" * 3000 + " wrote: hello")[0] == 0.0


def test_email_shape_in_one_pass_is_the_pattern():
    rx = re.compile(r"\S+@\S+\.\w")
    assert pagelines._URLISH.pattern == r"https?://|www\.|\.com\b|\.org\b|\.net\b|@\w|\S+@\S+\.\w"
    cases = ["desk@harbour.example", "@x.io", "a@.b", "a@b.c", "a@bc.", "a@b.", "a@@b.c", "x @y.z", "a@b .c", "a@b.\u00e9",
             "a@b._", "a@b.-", "\u00a0a@b.c", "a\u2003@b.c", "q@w@e.r", "@" * 50, "a@" + "b" * 3000, ""]
    rng = random.Random(29)
    alphabet = list("ab@. _-\n\t") + ["\u00a0", "\u2003", "\u00e9", "\u0663"]
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(5000)]
    for line in cases:
        assert email_shaped(line) == bool(rx.search(line)), line
        assert (bool(pagelines._URLISH_SHORT.search(line)) or email_shaped(line)) == bool(pagelines._URLISH.search(line))


def test_followed_on_line_is_the_joined_pattern():
    from newsgist.reading import pagereasons
    first, second = pagereasons._PRIVACY, pagereasons._PRIVACY_WHAT
    joined = re.compile(r"\bprivacy\b.*\b(?:policy|notice|settings)\b", re.I)
    assert pagereasons._COOKIE.pattern == (pagereasons._COOKIE_WORDS.pattern.replace("|", "|" + joined.pattern + "|", 1))
    rng = random.Random(31)
    words = ["privacy", "Privacy", "policy", "POLICY", "notice", "settings", "xprivacy", "policyx", "\n", " ", "-", "_",
             "privacypolicy", "a"]
    cases = ["privacy policy", "policy privacy", "privacy\npolicy", "privacy  notice\n", "privacy-policy",
             "privacy" * 3 + " policy", "Privacy settings", ""]
    cases += ["".join(rng.choice(words) for _ in range(rng.randint(0, 10))) for _ in range(5000)]
    for line in cases:
        assert followed_on_line(first, second, line) == bool(joined.search(line)), line
