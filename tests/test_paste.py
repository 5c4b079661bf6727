"""Issue 31: a web page pasted as text (menus, share lines, related links, comments) gives the article."""
from pathlib import Path

import pytest

from newsgist.reading import pagemodel
from newsgist.reading.clean import clean
from newsgist.reading.pagelines import FEATURE_NAMES, features, page_lines

PAGE = Path(__file__).parent / "fixtures" / "paste" / "harbour-gazette-page.txt"
HEADLINE = "Volunteers restore Millbrook's flooded library in three weeks"
ARTICLE_STARTS = ["Volunteers have reopened the Millbrook public library",
                  "More than 200 residents spent their evenings",
                  "\"We thought we would be closed until the autumn,\"",
                  "The council had estimated the repairs at 180,000 pounds.",
                  "About 3,000 books could not be saved.",
                  "The library will hold a reopening afternoon on Saturday"]


@pytest.fixture(scope="module")
def page():
    return PAGE.read_text(encoding="utf-8")


def kept(text, c, kind=None):
    return [text[p.start:p.end] for p in c.paragraphs if kind is None or p.kind == kind]


def test_pasted_page_gives_only_the_article(page):
    c = clean(page)
    paragraphs = kept(page, c, "paragraph")
    assert len(paragraphs) == len(ARTICLE_STARTS), paragraphs
    for got, want in zip(paragraphs, ARTICLE_STARTS):
        assert got.startswith(want)
    # the headline may stay as a heading; nothing else of the page does
    assert set(kept(page, c, "heading")) <= {HEADLINE}


def test_furniture_is_listed_with_reasons(page):
    c = clean(page)
    reasons = {r.text: r.reason for r in c.removed}
    for line in ("Home", "Sport", "Share on Facebook", "Print", "Related stories",
                 "Council votes to raise flood barriers along the Mill river",
                 "Great work by everyone involved. My kids can't wait to go back.",
                 "Why did it take a flood for the council to fix that building?",
                 "Get the day's top stories in your inbox every morning.",
                 "© 2026 The Harbour Gazette. All rights reserved.",
                 "Follow Dana Whitcombe on Twitter @danawhit"):
        assert line in reasons, line
    assert reasons["Home"] == "navigation"
    assert reasons["Share on Facebook"] == "share-link"
    assert reasons["Follow Dana Whitcombe on Twitter @danawhit"] == "share-link"
    assert reasons["Great work by everyone involved. My kids can't wait to go back."] == "comment"
    assert reasons["Get the day's top stories in your inbox every morning."] == "newsletter-prompt"
    assert reasons["© 2026 The Harbour Gazette. All rights reserved."] == "footer"
    for r in c.removed:      # spans are verbatim, as for every removal
        assert page[r.start:r.end] == r.text


def test_article_text_is_not_a_page(example, seed):
    """An article's own text (the CNN example, the seed page, one-line CNN/DM records) never
    goes to the page model: its cleaning is what it was before issue 31."""
    text, _ = seed
    one_line = " ".join(ARTICLE_STARTS) + " It rained."
    for t in (example, text, one_line):
        assert not pagemodel.looks_like_page(t, page_lines(t))


def test_model_off_leaves_the_rules(page, monkeypatch):
    monkeypatch.setattr(pagemodel, "load_model", lambda: None)
    c = clean(page)
    assert "Great work by everyone involved" in " ".join(kept(page, c))   # without the model the comments stay


def test_features_one_row_a_line(page):
    X, lines = features(page)
    assert X.shape == (len(page_lines(page)), len(FEATURE_NAMES))
    assert (X == X).all()     # no NaN
    X0, lines0 = features("")
    assert X0.shape == (0, len(FEATURE_NAMES)) and lines0 == []


def test_shipped_model_is_small_and_matches():
    # three boosters a stage since session 4 (2.1 MB); a few MB at most
    assert pagemodel.MODEL_PATH.stat().st_size < 3_000_000
    model = pagemodel.load_model()
    assert model is not None and 0 < model.threshold < 1


def test_labels_follow_the_gold_text():
    from newsgist.evaluation.train_paste import label_lines
    pasted = "Home\nNews\nA quiet town votes on its bridge today.\nShare\nThe vote ends at noon on Friday.\nNews\n"
    gold = "A quiet town votes on its bridge today.\nThe vote ends at noon on Friday."
    assert label_lines(pasted, page_lines(pasted), gold) == [0, 0, 1, 0, 1, 0]


def test_gold_read_as_latin1_utf16_is_decoded():
    from newsgist.evaluation.train_paste import gold_article, label_lines
    gold = "A quiet town votes on its bridge today.\r\n\r\nThe vote ends at noon.\r\n!@#$%^&*()  COMMENTS\r\nNice"
    garbled = ("\ufeff" + gold).encode("utf-16-le").decode("latin-1")    # how 5 Dragnet gold texts arrive
    assert garbled.startswith("\xff\xfe") and gold_article(garbled) == gold_article(gold)
    assert gold_article(gold) == "A quiet town votes on its bridge today.\r\n\r\nThe vote ends at noon.\r\n"
    pasted = "Home\nA quiet town votes on its bridge today.\nThe vote ends at noon.\n"
    assert label_lines(pasted, page_lines(pasted), gold_article(garbled)) == [0, 1, 1]
    assert gold_article("\xff\xfe is not \u0100 UTF-16") == "\xff\xfe is not \u0100 UTF-16"


def test_training_is_deterministic():
    pytest.importorskip("lightgbm", reason="lightgbm (training only) is not installed")
    import json
    from newsgist.evaluation.train_paste import prepare, train
    menu = "Home\nWorld\nSport\nShare\nTweet\nSign in\n"
    pages = []
    for k in range(20):
        body = "\n\n".join(f"Story {k} paragraph {j} says the council met on day {j} and agreed a plan." for j in range(5))
        pages.append({"id": str(k), "pasted": menu + body + "\n\nRelated stories\nMore news\n© 2026 Paper",
                      "text": body})
    a = train(prepare(pages), folds=2, ensemble=1)
    b = train(prepare(pages), folds=2, ensemble=1)
    assert json.dumps(a) == json.dumps(b)
    assert a["info"]["pages"] == 20
    # an ensemble of bagging seeds: deterministic too, its stages the boosters' trees together
    from newsgist.reading.pagemodel import PageModel
    c = train(prepare(pages), folds=2, ensemble=2)
    assert json.dumps(c) == json.dumps(train(prepare(pages), folds=2, ensemble=2))
    assert c["info"]["ensemble"] == 2 and "ensemble" not in a["info"]
    assert len(c["stage1"]["roots"]) == 2 * len(a["stage1"]["roots"])
    X, _ = features(pages[0]["pasted"])
    prob = PageModel(c).probabilities(X)
    assert prob.shape == (len(X),) and ((prob >= 0) & (prob <= 1)).all()


def test_lines_of_only_marks_are_not_read():
    """A photo blog's paragraphs between "-" lines (where its images were) are read as
    neighbours; the mark lines are set aside, with no words lost."""
    from newsgist.reading.pagelines import worded_lines
    text = "Home\n\nFirst short paragraph here.\n\n-\n\nSecond short paragraph here.\n\n|\nShare\n"
    lines = page_lines(text)
    read, idx = worded_lines(text, lines)
    assert [text[s:e] for s, e, _ in read] == ["Home", "First short paragraph here.",
                                               "Second short paragraph here.", "Share"]
    assert idx == [0, 1, 3, 5]
    assert read[3][2]      # "Share" came after a blank (the dropped "|" line's)


def test_comment_thread_heads_are_features():
    from newsgist.reading.pagelines import FEATURE_NAMES
    text = ("Home\nNews\nThe council met on Monday and agreed a plan for the bridge.\n\n"
            "12 Comments\nAnna wrote that the plan is long overdue and welcome.\n\nLeave a Reply\nName\n")
    X, lines = features(text)
    col = {n: k for k, n in enumerate(FEATURE_NAMES)}
    heads = [text[s:e] for (s, e, _), h in zip(lines, X[:, col["comments_head"]]) if h]
    assert heads == ["12 Comments", "Leave a Reply"]
    assert list(X[:, col["comments_heads_before"]]) == [0, 0, 0, 0, 1, 1, 2]
    assert X[5, col["comments_head_dist"]] < X[2, col["comments_head_dist"]]


def test_comment_marks_are_features():
    from newsgist.reading.pagelines import FEATURE_NAMES
    text = ("Home\nThe council met on Monday and agreed a plan for the bridge.\n\n"
            "dan said,\nAbout time too, the old one shook in the wind.\n[Reply]\n"
            "Posted by: Gina at September 10, 2012 12:05 PM\nWell said.\n")
    X, lines = features(text)
    col = {n: k for k, n in enumerate(FEATURE_NAMES)}
    marks = [text[s:e] for (s, e, _), m in zip(lines, X[:, col["comment_mark"]]) if m]
    assert marks == ["dan said,", "[Reply]", "Posted by: Gina at September 10, 2012 12:05 PM"]
    assert X[1, col["comment_marks_near"]] == 3


def test_a_page_whose_article_is_a_title_and_a_caption_gives_them(monkeypatch):
    """A photo post: the model keeps only a title and a caption, both shaped like headlines;
    they are the article's text, not "no article text left" (issue 31, session 5)."""
    import numpy as np
    menu = ["Home", "Photos", "Video", "Travel", "Food", "Style", "Archive", "About", "Contact", "Search"]
    title, caption = "Harbour lights at midnight", "Shot from the old pier by Mara Lind"
    lines = menu + [title, caption] + ["Share", "Tweet", "Pin", "Older posts", "Newer posts", "Powered by Blogfolk"]
    text = "\n".join(lines) + "\n"
    assert pagemodel.looks_like_page(text, page_lines(text))

    class Keeps:
        threshold, relative = 0.5, 0.0

        def probabilities(self, X):
            return np.array([0.9 if i in (len(menu), len(menu) + 1) else 0.05 for i in range(len(X))])
    monkeypatch.setattr(pagemodel, "load_model", lambda: Keeps())
    c = clean(text)
    assert kept(text, c, "paragraph") == [title, caption]
    from newsgist.reading import clean as clean_mod
    monkeypatch.setattr(clean_mod, "PAGE_TITLE_ONLY_IS_TEXT", False)
    assert kept(text, clean(text), "paragraph") == []      # before: headings only, and `newsgist text` failed


def _spans(text):
    out, pos = [], 0
    for ln in text.split("\n"):
        if ln.strip():
            out.append((pos, pos + len(ln), 0))
        pos += len(ln) + 1
    return out


def test_repeated_block_keeps_lone_repeats_and_drops_the_other_copy(monkeypatch):
    monkeypatch.setattr(pagemodel, "REPEAT_BLOCK_MIN_LINES", 3)
    monkeypatch.setattr(pagemodel, "REPEAT_BLOCK_MIN_WORDS", 8)
    para = ["The council voted on Tuesday to close the old harbour bridge for repairs.",
            "Engineers found cracks in two of the supports during a routine inspection.",
            "The bridge will reopen in the spring, the mayor said in a statement."]
    refrain = "Row, row, row your boat gently down the stream merrily merrily"
    text = "\n".join(["Menu"] + para + ["Print this story", refrain, refrain] + para + ["x = 1", "x = 1"])
    lines = _spans(text)
    kept = list(range(len(lines)))
    # all kept lines adjacent: one stretch, a tie, the earliest copy kept; the refrain and code stay
    assert pagemodel.repeated_block_lines(text, lines, kept) == [7, 8, 9]
    # a copy broken in the middle (a line missing) leaves runs shorter than K: nothing dropped
    assert pagemodel.repeated_block_lines(text, lines, [k for k in kept if k != 8]) == []
    # a block repeated back to back many times: each line kept once, at its first copy
    text2 = "\n".join(para * 3)
    assert pagemodel.repeated_block_lines(text2, _spans(text2), list(range(9))) == [3, 4, 5, 6, 7, 8]
    # three copies, the last cut short (a teaser printed again): each line kept once, in order A B C
    text3 = "\n".join(para * 2 + para[:2])
    assert pagemodel.repeated_block_lines(text3, _spans(text3), list(range(8))) == [3, 4, 5, 6, 7]


def _article_order(order):
    """The kept lines' texts, after the repeated-block rule, of a page whose kept lines are
    ``order`` (indices into six paragraphs; None: a furniture line, not kept)."""
    six = [f"P{k} the council voted on Tuesday to close the old harbour bridge, part {k}." for k in range(1, 7)]
    text = "\n".join("Print this article" if k is None else six[k] for k in order)
    lines = _spans(text)
    kept = [i for i, k in enumerate(order) if k is not None]
    out = set(pagemodel.repeated_block_lines(text, lines, kept))
    return [order[i] + 1 for i in kept if i not in out]


def test_repeated_block_keeps_the_article_in_its_own_order():
    """Session 5 review: a full article followed by a cut-short copy of its first paragraphs
    (a teaser, a print copy) gave P4 P5 P6 P1 P2 P3; the copy in the longer stretch of kept
    lines is the one kept, so the article comes out in its own order whichever copy is first."""
    full, part, cut = list(range(6)), [0, 1, 2], None
    assert _article_order(full + [cut] + part) == [1, 2, 3, 4, 5, 6]        # the teaser after
    assert _article_order(part + [cut] + full) == [1, 2, 3, 4, 5, 6]        # the teaser before
    assert _article_order(part + [cut] + full + [cut] + part) == [1, 2, 3, 4, 5, 6]
    assert _article_order([0, 1, 2, cut, 3, 4, 5, cut, 0, 1]) == [1, 2, 3, 4, 5, 6]   # equal stretches
    # in every case each paragraph once
    for order in (full + [cut] + part, part + part + [cut] + full[3:]):
        got = _article_order(order)
        assert sorted(got) == sorted(set(got))


def test_a_page_printing_its_article_twice_gives_it_once(monkeypatch):
    """A page that prints the article's paragraphs twice (a print copy beside the page's own):
    the copy apart from the headline's stretch is set aside as "repeat" (issue 31, session 5)."""
    import numpy as np
    menu = ["Home", "World", "Business", "Markets", "Tech", "Opinion", "Life", "Sports", "Search", "Log in"]
    para = ["The council voted on Tuesday to close the old harbour bridge for repairs.",
            "Engineers found cracks in two of the supports during a routine inspection."]
    lines = menu + ["Bridge to close"] + para + ["Print", "Email"] + para + ["Share", "Tweet", "Most read", "About us"]
    text = "\n".join(lines) + "\n"
    art = {len(menu), len(menu) + 1, len(menu) + 2, len(menu) + 5, len(menu) + 6}

    class Keeps:
        threshold, relative = 0.5, 0.0

        def probabilities(self, X):
            return np.array([0.9 if i in art else 0.05 for i in range(len(X))])
    monkeypatch.setattr(pagemodel, "load_model", lambda: Keeps())
    monkeypatch.setattr(pagemodel, "PAGE_REPEATED_BLOCKS", True)
    c = clean(text)
    assert kept(text, c, "paragraph") == para
    assert [r.text for r in c.removed if r.reason == "repeat"] == para
    monkeypatch.setattr(pagemodel, "PAGE_REPEATED_BLOCKS", False)
    assert kept(text, clean(text), "paragraph") == para + para


class _KeepsOnly:
    """A page model that keeps the lines flagged True."""
    threshold, relative = 0.5, 0.0

    def __init__(self, flags):
        self.flags = flags

    def probabilities(self, X):
        import numpy as np
        return np.array([0.9 if f else 0.05 for f in self.flags])


_MENU = ["Home", "World", "Business", "Markets", "Tech", "Opinion", "Life", "Sports", "Search", "Log in"]
_FOOT = ["Share", "Tweet", "Most read", "About us", "Privacy policy", "Contact", "Terms of use", "Cookie settings"]


@pytest.mark.parametrize("body, keep", [
    (["Page not found", "The page you were looking for may have moved"], [False, True]),
    (["Harbour bridge to close for a year", "Subscribe to continue reading this article"], [True, False]),
])
def test_an_error_or_paywall_page_keeping_one_headline_has_no_text(monkeypatch, body, keep):
    """Session 5 review: a 404 page or a paywall page whose one kept line is headline-shaped is
    not an article (the title-and-caption fallback needs two such lines)."""
    from newsgist.errors import NoTextError
    from newsgist.reading import clean as clean_mod
    lines = _MENU + body + _FOOT
    text = "\n".join(lines) + "\n"
    flags = [False] * len(_MENU) + keep + [False] * len(_FOOT)
    monkeypatch.setattr(pagemodel, "load_model", lambda: _KeepsOnly(flags))
    c = clean(text)
    assert kept(text, c, "paragraph") == []
    assert [text[p.start:p.end] for p in c.paragraphs] == [b for b, k in zip(body, keep) if k]   # a heading only
    monkeypatch.setattr(clean_mod, "PAGE_TITLE_ONLY_MIN_LINES", 1)      # the reviewed state printed it
    assert kept(text, clean(text), "paragraph") == [b for b, k in zip(body, keep) if k]
    monkeypatch.setattr(clean_mod, "PAGE_TITLE_ONLY_MIN_LINES", 2)
    from newsgist.api import read
    with pytest.raises(NoTextError):
        read(text)


@pytest.mark.parametrize("body", [
    ["Page not found", "The page you were looking for may have moved"],
    ["Harbour bridge to close for a year", "Subscribe to continue reading this article"],
])
def test_cli_text_on_an_error_or_paywall_page_fails_typed(tmp_path, body):
    """With the shipped model: `newsgist text` on a pasted 404 or paywall page exits 8 (no_text)."""
    import subprocess
    import sys
    f = tmp_path / "page.txt"
    f.write_text("\n".join(_MENU + body + _FOOT) + "\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "newsgist", "text", str(f)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 8 and "no_text" in p.stderr and p.stdout == "", (p.returncode, p.stdout, p.stderr)


@pytest.mark.parametrize("line,sure", [
    ("Subscribe to continue reading this article", True),
    ("Already a subscriber? Sign in", True),
    ("Sign in to keep reading.", True),
    ("Readers must subscribe to continue reading, the publisher said.", False),   # an article's sentence
    ("The council will subscribe to the plan.", False),
])
def test_the_paywall_notice_rule_reads_a_notice_not_a_sentence_about_one(line, sure):
    assert bool(pagemodel._PAYWALL_LINE.match(line)) is sure and len(line) <= pagemodel.PAYWALL_MAX_CHARS
