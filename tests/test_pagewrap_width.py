"""Issue 31, session 14's candidate W (join "width": wraps told by line widths, helper 14a's two stricter
conditions; shipped on): ``pagewrap``'s W part. The invented story, its page and the U / U2 tests:
tests/test_pagewrap.py.

The joining tests set W on themselves (``wrap_w``), so they hold whatever ``pagewrap.WRAP``'s default is."""
import sys
import textwrap
from pathlib import Path

import pytest

from newsgist.reading import pagemodel, pagewrap
from newsgist.reading.pagelines import page_lines, worded_lines

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_pagewrap import ARTICLE, HEAD, TAIL, _outputs, _unwrapped_pages, kept_lines, wrapped_page  # noqa: E402


@pytest.fixture
def wrap_w(monkeypatch):
    """W on with the module's (chosen) constants: join "width", FILL_SLACK 20, WRAP_MIN_PAIRS 5."""
    monkeypatch.setattr(pagewrap, "WRAP", True)
    monkeypatch.setattr(pagewrap, "WRAP_JOIN", "width")


def test_w_carries_its_chosen_constants():
    assert (pagewrap.FILL_SLACK, pagewrap.WRAP_MIN_PAIRS) == (20, 5)      # wrap_choice.py --w (session 14a)


def email_page(width=72):
    """The story hard-wrapped at ``width`` columns as an e-mail is, paragraphs apart by blank lines."""
    return HEAD + "\n" + "\n\n".join(textwrap.fill(p, width) for p in ARTICLE) + "\n" + TAIL


# Columns each physical line of a source-pre paste loses to markup that innerText does not show.
MARKUP = (0, 0, 14, 0, 6, 18, 0, 10, 0, 3)


def source_pre(paragraphs, indent=36, column=120):
    """``paragraphs`` laid out as engadget's pre-formatted source: every line indented ``indent``
    spaces, greedily wrapped at a raw column of ``column`` less the line's markup columns
    (``MARKUP``, in turn), no blank line between paragraphs. Also the physical lines of each paragraph."""
    out, per, j = [], [], 0
    for p in paragraphs:
        line, mine = "", []
        for w in p.split():
            if line and len(line) + 1 + len(w) > column - indent - MARKUP[j % len(MARKUP)]:
                mine.append(line)
                j += 1
                line = w
            else:
                line = f"{line} {w}" if line else w
        mine.append(line)
        j += 1
        out += [" " * indent + x for x in mine]
        per.append(mine)
    return "\n".join(out), per


def source_pre_page():
    body, per = source_pre(ARTICLE)
    return HEAD + "\n" + body + "\n" + TAIL, per


def _groups_texts(text):
    lines = page_lines(text)
    words, idx = worded_lines(text, lines)
    return [[text[s:e] for s, e, _ in words[a:b]] for a, b in pagewrap.groups(text, lines, words, idx)]


def test_w_joins_an_email_wrapped_at_72_into_its_paragraphs_and_keeps_the_story(wrap_w, monkeypatch):
    page = email_page()
    paras = [textwrap.wrap(p, 72) for p in ARTICLE]
    assert all(len(p) >= 3 for p in paras)                         # each paragraph a run of 3+ lines
    assert len(pagewrap.fill_pairs(page, page_lines(page))) == sum(len(p) - 1 for p in paras) >= 5
    got = _groups_texts(page)
    assert all(p in got for p in paras)                              # each paragraph one logical line
    assert sum(len(g) > 1 for g in got) == len(paras)                # and nothing else joined
    on = kept_lines(page)
    want = [x for p in paras for x in p]
    assert [x for x in on if x in want] == want                     # every line of the story kept
    assert set(on) - set(want) <= {"Harbour board closes the old ferry pier"}
    # the same at every registered slack (a greedy wrap fills its lines to the column)
    for slack in (0, 10):
        monkeypatch.setattr(pagewrap, "FILL_SLACK", slack)
        assert all(p in _groups_texts(page) for p in paras)


def test_w_joins_an_indented_source_pre_page_whose_lines_end_early_for_markup(wrap_w, monkeypatch):
    page, per = source_pre_page()
    lines = page_lines(page)
    raw = pagewrap.raw_lengths(page, lines)
    body = [i for i, (s, e, _) in enumerate(lines) if page[s - 36:s] == " " * 36]
    assert max(raw[i] for i in body) >= 115 and min(raw[i] for i in body) < 60       # raw column ~120, counted with the indent
    early = [i for i in body[:-1] if 80 <= raw[i] <= 106]
    assert early                                                     # lines that ended early for their markup
    got = _groups_texts(page)
    # every paragraph's lines in one logical line; with no blank line between paragraphs, a paragraph
    # whose last line happens to reach the column (the fourth's, 103 raw columns) runs on into the next
    assert [g for g in got if len(g) > 1] == [per[0], per[1], per[2], per[3] + per[4]]
    on = kept_lines(page)
    want = [x for p in per for x in p]
    assert [x for x in on if x in want] == want
    # the slack is what reads the lines that lost columns to markup: at 0 they break their paragraph
    monkeypatch.setattr(pagewrap, "FILL_SLACK", 0)
    assert [g for g in _groups_texts(page) if len(g) > 1] != [per[0], per[1], per[2], per[3] + per[4]]


def test_w_off_reads_the_wrapped_pages_line_by_line(monkeypatch):
    monkeypatch.setattr(pagewrap, "WRAP", False)
    monkeypatch.setattr(pagewrap, "WRAP_JOIN", "width")
    for page in (email_page(), source_pre_page()[0]):
        assert all(len(g) == 1 for g in _groups_texts(page))


def test_w_does_not_join_user_names_headlines_or_short_furniture(wrap_w, monkeypatch):
    # lower-case user names, one a line (and Tumblr's notes under the post, in one run with the
    # post's long line, as dragnet-T16): no line of 5+ words, or no line near the run's width
    names = "\n".join(["nickmongo", "daughterofcoul", "elfgrove", "ealperin", "touchofgrey37", "monica-segura"] * 3)
    post = ("we walked down to the harbour at dawn and the fog was so thick that the ferry sounded its horn the "
            "whole way across, which is a sound I will miss when the old pier closes for good next month")
    notes = post + "\n" + "\n".join(["nickmongo liked this", "daughterofcoul reblogged this from elfgrove",
                                     "ealperin reblogged this from dcwomenkickingass", "ealperin liked this",
                                     "stridermanpain reblogged this from elfgrove", "touchofgrey37 liked this"] * 3)
    # link headlines of like lengths (Title Case, no stops): they fill their run's width, but none runs
    # on mid-sentence (RUN_MID_SHARE)
    heads = "\n".join(["New Landing At Greyfield Opens To Ferry Traffic Today", "Bus Timetable Changes For The Spring Season",
                       "County Roads Budget Cut Again After Long Debate", "Council Tax Rise Approved By Narrow Vote",
                       "School Roof Repairs Delayed Until The Summer", "Lifeboat Crew Rescues Two Kayakers Off Point",
                       "Harbour Festival Returns With Tall Ships In June"])
    # short furniture pairs: under 5 words, a run under 40 columns
    furniture = "Share on Facebook\nShare on X\nEmail this story\nPrint this page\nMost read\nRelated stories"
    for text in (names, notes, heads, furniture):
        assert pagewrap.fill_pairs(text, page_lines(text)) == []
        assert all(len(g) == 1 for g in _groups_texts(text))
    # without the mid-sentence condition the headlines would be read as one wrapped run
    monkeypatch.setattr(pagewrap, "RUN_MID_SHARE", 0.0)
    monkeypatch.setattr(pagewrap, "WRAP_MIN_PAIRS", 3)
    assert len(pagewrap.fill_pairs(heads, page_lines(heads))) >= 5
    assert any(len(g) > 1 for g in _groups_texts(heads))


def test_two_identical_lines_are_no_fill_pair(wrap_w, monkeypatch):
    text = "\n".join(["Front page appears courtesy of the Newseum"] * 12)
    assert pagewrap.fill_pairs(text, page_lines(text)) == []
    monkeypatch.setattr(pagewrap, "FILL_DISTINCT", False)
    monkeypatch.setattr(pagewrap, "RUN_MID_SHARE", 0.0)
    assert len(pagewrap.fill_pairs(text, page_lines(text))) == 11


def test_the_run_width_rule(wrap_w, monkeypatch):
    """A run's width is its longest raw line (indentation counted); a run under WRAP_MIN_WIDTH (40) is
    never wrapped; a run of fewer than 3 lines neither."""
    # the story at 34 columns (U2 joined it): every run is under 40 columns wide, W reads it line by line
    page = wrapped_page(34)
    assert pagewrap.fill_pairs(page, page_lines(page)) == []
    # indented 8 spaces, the same lines are 42 wide and fill their runs
    indented = "\n\n".join(textwrap.indent(textwrap.fill(p, 34), " " * 8) for p in ARTICLE)
    assert len(pagewrap.fill_pairs(indented, page_lines(indented))) >= 10
    # one long line in a run sets its width: the 72-column lines no longer fill it at slack 0 or 20
    para = textwrap.fill(ARTICLE[1], 72)
    assert len(pagewrap.fill_pairs(para, page_lines(para))) == len(para.split("\n")) - 1
    longer = para + "\n" + "x " * 60 + "and the board will meet again in the spring to decide"
    assert pagewrap.fill_pairs(longer, page_lines(longer)) == []
    # two lines make no run
    two = "\n".join(textwrap.wrap(ARTICLE[3], 72)[:2])
    assert pagewrap.fill_pairs(two, page_lines(two)) == []
    # the pair's rule: raw length + 1 + the next line's first word > width - FILL_SLACK
    run = "\n".join(["a" * 10 + " b c d e " + "f" * 50, "g" * 5 + " h i j k " + "l" * 29, "mmmm n o p q r s t u v w"])
    lines = page_lines(run)
    assert pagewrap.raw_lengths(run, lines) == [69, 43, 24]        # width 69; line 2: 43 + 1 + 4 = 48
    monkeypatch.setattr(pagewrap, "RUN_MID_SHARE", 0.0)
    monkeypatch.setattr(pagewrap, "FILL_SLACK", 21)
    assert pagewrap.fill_pairs(run, lines) == [0]                   # 48 > 48? no: one fill of two pairs
    monkeypatch.setattr(pagewrap, "FILL_SLACK", 22)
    assert pagewrap.fill_pairs(run, lines) == [0, 1]                # 48 > 47


def test_w_pages_under_the_threshold_are_unchanged(monkeypatch):
    """W on, a page with fewer fill pairs than the threshold: byte-identical output."""
    for text in _unwrapped_pages() + [email_page()]:
        n = len(pagewrap.fill_pairs(text, page_lines(text)))
        monkeypatch.setattr(pagewrap, "WRAP", True)
        monkeypatch.setattr(pagewrap, "WRAP_JOIN", "width")
        monkeypatch.setattr(pagewrap, "WRAP_MIN_PAIRS", n + 1)
        on = _outputs(text)
        monkeypatch.setattr(pagewrap, "WRAP", False)
        assert _outputs(text) == on


class _Counted(list):
    """A list that counts the items read from it: one an index, a slice's length, one each item iterated."""
    reads = 0

    def __getitem__(self, k):
        got = super().__getitem__(k)
        self.reads += len(got) if isinstance(k, slice) else 1
        return got

    def __iter__(self):
        for item in super().__iter__():
            self.reads += 1
            yield item

    def __reversed__(self):
        for item in super().__reversed__():
            self.reads += 1
            yield item


def _counted(call, text, monkeypatch):
    """``call(text, lines)`` with ``lines`` (``page_lines``') and every raw-length list ``fill_pairs`` gets
    (``raw_lengths``, monkeypatched) counting the items read from them, and the per-line helpers counting the
    characters handed to them: ``(result, lines, items read from the lines, from the raw lengths, characters)``."""
    raws, chars, lines = [], [], _Counted(page_lines(text))
    with monkeypatch.context() as mp:
        real = pagewrap.raw_lengths
        mp.setattr(pagewrap, "raw_lengths", lambda t, ls: raws.append(_Counted(real(t, ls))) or raws[-1])
        for name in ("_first_word_len", "_words_at_least", "_ends", "_lower_first"):
            f = getattr(pagewrap, name)
            mp.setattr(pagewrap, name, lambda line, *a, f=f: chars.append(len(line)) or f(line, *a))
        got = call(text, lines)
    return got, len(lines), lines.reads, sum(r.reads for r in raws), sum(chars)


def test_w_is_linear_in_the_lines(wrap_w, monkeypatch):
    """Items read counted, not timed: ``fill_pairs`` reads each line, its raw length and its text a bounded
    number of times however long the run (a quadratic pass, e.g. a run's width taken again for each pair,
    reads ~n^2/2 raw lengths: 12.5 million on the 5,000-line run). The bounds: what it reads (comments),
    rounded up; measured 6.0 n, 2.0 n and 3.84 x the text."""
    para = textwrap.wrap(" ".join(ARTICLE), 72)
    for n in (5_000, 10_000):
        text = "\n".join(para[i % len(para)] for i in range(n))      # one run of n lines, no blank line
        fills, m, from_lines, from_raw, chars = _counted(pagewrap.fill_pairs, text, monkeypatch)
        assert m == n and fills == pagewrap.fill_pairs(text, page_lines(text)) and len(fills) >= n // 2
        assert from_raw <= 2 * n            # the run's width (n), then each pair's first line (n - 1)
        assert from_lines <= 7 * n          # raw_lengths (n), the run's end (n), a pair's two spans (4 n)
        assert chars <= 4 * len(text)       # a pair's next line (its first word); a fill's: 5 words, end, case
    # one 50 kB line in a run (its width: no line of the run fills it) on a page whose e-mail-wrapped story
    # is read wrapped: the long line is handed to the helpers at most 3 times, not once a pair; and the
    # whole model (pagemodel.page_furniture, W on) reads the raw lengths and the helpers' lines as boundedly
    body = "\n".join(para) + "\n" + "word " * 10_000 + "\n" + "\n".join(para)
    page = HEAD + "\n" + body + "\n\n" + "\n\n".join(textwrap.fill(p, 72) for p in ARTICLE) + "\n" + TAIL
    fills, m, from_lines, from_raw, chars = _counted(pagewrap.fill_pairs, page, monkeypatch)
    long_at = page_lines(page).index(next(s for s in page_lines(page) if s[1] - s[0] > 40_000))
    assert len(fills) >= pagewrap.WRAP_MIN_PAIRS and min(fills) > long_at
    assert from_raw <= 2 * m and from_lines <= 7 * m and chars <= 4 * len(page)
    fur, m, from_lines, from_raw, chars = _counted(pagemodel.page_furniture, page, monkeypatch)
    assert fur is not None and from_raw <= 2 * m and chars <= 4 * len(page)
    assert from_lines <= 20 * m                                      # the whole model: ~10 reads a line
