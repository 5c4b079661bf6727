"""Hard-wrapped lines read as one logical line by the page model: ON (``WRAP = True``, join
``"width"``: issue 31, session 14's candidate W passed its registered gate, BENCHMARKS.md "Merge of
wave three, session 14"; session 13's candidates U and U2, joined by the next line's case, failed
theirs and are kept, switched off, to reproduce them).

Some pages paste "hard-wrapped": the browser's ``innerText`` breaks each paragraph into physical
lines (pre-formatted source, preserved newlines: an RFC, an e-mail, a blog whose HTML carries the
line breaks). The line model (:mod:`newsgist.reading.pagemodel`) then reads sentence fragments,
which look like furniture (short, no final stop), and drops the article.

**W (join "width", session 14's registration): wraps told by line widths.** Read on the raw lines
(a line's leading whitespace kept, its trailing dropped: :func:`raw_lengths`). A *run* is a maximal
sequence of non-blank lines; its width is its longest raw line. A **fill pair** is two consecutive
lines of a run where the first has at least ``FILL_MIN_WORDS`` words and would have had no room
for the next line's first word: raw length + 1 + that word's length > width - ``FILL_SLACK``
(columns lost to markup that ``innerText`` does not show). A *wrapped run* has at least
``WRAP_RUN_MIN_LINES`` lines, width at least ``WRAP_MIN_WIDTH`` and at least
``WRAP_RUN_FILL_SHARE`` of its pairs fill pairs. Two stricter conditions (session 14a, chosen on
training and validation pages, BENCHMARKS.md "Issue 31, session 14a"): two identical lines are no
fill pair (``FILL_DISTINCT``), and a wrapped run needs at least ``RUN_MID_SHARE`` of its fill pairs
to run on mid-sentence (no end punctuation, the next line in lower case: a list of headlines of
like lengths does not). A page with at least ``WRAP_MIN_PAIRS`` fill pairs in wrapped runs is read
wrapped: a worded line joins the next exactly when the two are such a fill pair (:func:`fill_pairs`).

**U and U2 (session 13, kept to reproduce them).** A **continuation pair** is two consecutive
non-blank lines, no blank line between them, the first of at least ``PAIR_FIRST_MIN_WORDS``
whitespace words and without end punctuation (``END_MARKS``), the second of at least
``PAIR_SECOND_MIN_WORDS`` words and starting in lower case. A page with at least ``WRAP_MIN_PAIRS``
of them is read wrapped, a line joining the one before it when the two are adjacent on the page
with no blank line between and (join ``"pair"``, U2) the two are a continuation pair; U's joins,
with ``PAIR_FIRST_MIN_WORDS`` 3: ``"lower"``, the first has no end punctuation and the second starts
in lower case (no word counts); ``"lower+long"`` also joins when the first is at least
``WRAP_WIDTH_SHARE`` x the page's wrap width (the median length of its pairs' first lines).

For every join: the model's worded lines (:func:`newsgist.reading.pagelines.worded_lines`) are
grouped into logical lines; a logical line's span is ``(first start, last end, first
blank_before)``. The model's features and probabilities are computed on the logical lines and
every physical line takes its logical line's probability; everything after (decode, sure rules,
``removed``) stays on the physical lines. A page under its threshold is read line by line exactly
as before. No retraining: the shipped pairs as they are. Linear in the lines.

Registered before any result (BENCHMARKS.md, "Merge of wave three, session 13": U, U2; "... session
14": W); U's variant chosen on validation pages by the registered rule (``benchmarks/wrap_choice.py``;
"Issue 31, session 13d"), U2's fixed by its registration ("Issue 31, session 13e"), W's
(``FILL_SLACK``, ``WRAP_MIN_PAIRS``) by its registered rule (``wrap_choice.py --w``; "Issue 31,
session 14a").
"""
from __future__ import annotations

# The switch: False reads every page line by line (the product before session 14, byte for byte).
# ON since session 14: W (join "width") passed its registered gate (BENCHMARKS.md, "Merge of wave three,
# session 14"): wrapped-blind (100 written pages hard-wrapped by benchmarks/bench_paste_wrapped.py)
# 0.745 -> 0.862, +0.117 (95 % [+0.080, +0.158]); held-out Dragnet -0.0001, Readability half B,
# modern-sealed and modern-blind unchanged; half A (validation) +0.0168. U and U2 (session 13, joined by
# the next line's case) failed theirs: held-out Dragnet -0.0041 / -0.0019, half B -0.0049 / -0.0024.
WRAP = True
# Pages with fewer pairs (join "width": fill pairs in wrapped runs) are not touched. W's choice,
# WRAP_MIN_PAIRS in {3, 5, 10} x FILL_SLACK in {0, 10, 20}, by the registered rule
# (benchmarks/wrap_choice.py --w: the highest sum of page-F1 changes over half A + Dragnet training +
# modern-blind + the wrapped training pages; BENCHMARKS.md, "Issue 31, session 14a"): 5 with slack
# 20, +21.94 (20 / 3: +21.80, 20 / 10: +20.86; slack 10: +16.2 to +17.3; slack 0: +13.5 to +14.4).
# U's choice was 10 with "lower" (+0.323); U2 kept 10 (its registration): set 10 with WRAP_JOIN
# "pair" to reproduce U2.
WRAP_MIN_PAIRS = 5
# How lines join (JOIN_MODES): "pair" (U2's registration) joins a line and the next only when the two
# are a continuation pair (the first PAIR_FIRST_MIN_WORDS+ words, no end punctuation; the next 2+
# words, lower case first). U's modes, kept to reproduce U (its gate failed, BENCHMARKS.md session 13):
# "lower", join when the line has no end punctuation and the next starts in lower case, any word
# counts; "lower+long", also when the line is at least WRAP_WIDTH_SHARE x the wrap width, any case.
# U's choice between the two ("lower") on validation: "lower+long" gained more on half A, +1.01 to
# +1.47, and lost far more on the Dragnet training pages, -4.97 to -10.02 (BENCHMARKS.md, session 13d).
# "width" (W, session 14's registration, the default): a line joins the next exactly when the two are a
# fill pair in a wrapped run (fill_pairs). Set "pair" (with WRAP_MIN_PAIRS 10) to reproduce U2.
WRAP_JOIN = "width"
JOIN_MODES = ("pair", "lower", "lower+long", "width")
# A line this share of the wrap width (the median length of the page's pairs' first lines) or
# longer ends at the wrap, not at the paragraph's end: fixed by U's registration (not tuned; "lower+long").
WRAP_WIDTH_SHARE = 0.8
# A pair's first line: at least this many whitespace words. U2's registration: 5. U had 3 (the count
# behind U's registration) and failed its gate: lists of lower-case user names, truncated tweets and
# short furniture pairs joined (BENCHMARKS.md, "U's gate"). Set to 3 with WRAP_JOIN "lower" for U.
PAIR_FIRST_MIN_WORDS = 5
# A pair's second line: at least this many words (U's and U2's registrations).
PAIR_SECOND_MIN_WORDS = 2
# End punctuation: a line ending in one of these ends its sentence (or a quote, a list's colon).
END_MARKS = frozenset(".!?\u2026:;\"\u201d\u2019')]")


# Candidate W (join "width", session 14's registration; its own constants below): wraps told by line
# widths, on the raw lines (leading whitespace kept). A fill pair's first line: at least this many words.
FILL_MIN_WORDS = 5
# Columns a line may lose to invisible markup and still count as filled (its raw length + 1 + the next
# line's first word > the run's width - FILL_SLACK). Chosen with WRAP_MIN_PAIRS (above) among {0, 10, 20}:
# 20 (the lead's read of half A's engadget: body lines of 113-120 columns, some ending at 95-106 where
# the source line also held a tag).
FILL_SLACK = 20
# A wrapped run: at least this many lines, this width (its longest raw line), this share of fill pairs
# (fixed by the registration, not tuned).
WRAP_RUN_MIN_LINES = 3
WRAP_MIN_WIDTH = 40
WRAP_RUN_FILL_SHARE = 0.5
# Two stricter conditions (helper 14a; the registration allows conditions that only make a join
# stricter, chosen on training and validation pages, committed before the choice run; BENCHMARKS.md,
# "Issue 31, session 14a"). (1) Two identical lines are no fill pair: a repeated caption
# ("Front page appears courtesy of the Newseum" x 25 on dragnet-R589, -0.426 without it).
FILL_DISTINCT = True
# (2) A wrapped run: at least this share of its fill pairs run on mid-sentence (the first line without
# end punctuation, the next starting in lower case); 0: no such condition. Runs of link headlines of like
# lengths fill their width too (Title Case, no stops: dragnet-R459, R17, 44, half A yahoo-2). Set a priori
# between wrapped prose (most pairs run on mid-sentence) and a headline list (almost none), not tuned.
# Development runs at (FILL_SLACK 20, WRAP_MIN_PAIRS 5), sums of page-F1 changes: Dragnet training
# -3.28 with neither condition, -2.82 with (1), -0.03 with both; half A +0.32 / +0.32 / +1.12 (heise,
# ietf-1); the wrapped training pages +21.15 / +21.15 / +20.84 (short runs of names or German nouns).
RUN_MID_SHARE = 0.25


def _words_at_least(line: str, k: int) -> bool:
    """Has ``line`` at least ``k`` whitespace-separated words? (splits at most ``k - 1`` times)"""
    return len(line.split(None, k - 1)) >= k


def _ends(line: str) -> bool:
    """Does the (stripped) ``line`` end in end punctuation?"""
    return bool(line) and line[-1] in END_MARKS


def _lower_first(line: str) -> bool:
    return line[:1].islower()


def _is_pair(a: str, b: str) -> bool:
    """Are the (stripped) lines ``a`` then ``b`` (no blank line between) a continuation pair?"""
    return (_lower_first(b) and not _ends(a) and _words_at_least(a, PAIR_FIRST_MIN_WORDS)
            and _words_at_least(b, PAIR_SECOND_MIN_WORDS))


def continuation_pairs(text: str, lines) -> list[int]:
    """Indices ``i`` into ``lines`` (``pagelines.page_lines``' stripped ``(start, end, blank_before)``)
    of the first line of each continuation pair ``(i, i + 1)`` (module docstring)."""
    out = []
    for i in range(len(lines) - 1):
        s1, e1, blank = lines[i + 1]
        if blank:
            continue
        s0, e0, _ = lines[i]
        if _is_pair(text[s0:e0], text[s1:e1]):
            out.append(i)
    return out


def raw_lengths(text: str, lines) -> list[int]:
    """Each line's raw length: from the start of its text line (leading whitespace kept; ``page_lines``
    strips it, ``text`` still holds it) to its stripped end. Linear: each search stops at the line's start."""
    return [e - (text.rfind("\n", 0, s) + 1) for s, e, _ in lines]


def _first_word_len(line: str) -> int:
    """The length of the (stripped, non-empty) ``line``'s first whitespace word."""
    return len(line.split(None, 1)[0])


def fill_pairs(text: str, lines) -> list[int]:
    """Indices ``i`` into ``lines`` (``page_lines``') of the first line of each fill pair ``(i, i + 1)``
    inside a wrapped run (module docstring, candidate W). A run: a maximal sequence of lines with no
    blank line between; its width, its longest raw line. Two identical lines are no fill pair
    (``FILL_DISTINCT``); a run with fewer than ``RUN_MID_SHARE`` of its fill pairs on mid-sentence is
    not wrapped. Each line is read a bounded number of times: linear in the text."""
    raw, out, n, a = raw_lengths(text, lines), [], len(lines), 0
    while a < n:
        b = a + 1
        while b < n and not lines[b][2]:
            b += 1
        if b - a >= WRAP_RUN_MIN_LINES and (width := max(raw[a:b])) >= WRAP_MIN_WIDTH:
            fills, mid = [], 0
            for i in range(a, b - 1):
                one, two = text[lines[i][0]:lines[i][1]], text[lines[i + 1][0]:lines[i + 1][1]]
                if (raw[i] + 1 + _first_word_len(two) > width - FILL_SLACK and _words_at_least(one, FILL_MIN_WORDS)
                        and not (FILL_DISTINCT and one == two)):
                    fills.append(i)
                    mid += not _ends(one) and _lower_first(two)
            if fills and len(fills) >= WRAP_RUN_FILL_SHARE * (b - a - 1) and mid >= RUN_MID_SHARE * len(fills):
                out += fills
        a = b
    return out


def w_joins(text: str, lines=None) -> list[int]:
    """W's joins of ``text``: indices ``i`` into ``lines`` (:func:`newsgist.reading.pagelines.page_lines`'
    ``(start, end, blank_before)``, computed when None) of the first line of each pair ``(i, i + 1)``
    that W (join "width") joins on a page it reads wrapped: the fill pairs inside wrapped runs
    (:func:`fill_pairs`, on the raw lines, W's shipped constants), or none when there are fewer than
    ``WRAP_MIN_PAIRS`` of them (the page is read line by line). Independent of ``WRAP`` (the page
    model's switch) and of whether the page model reads the input: the card's soft wraps
    (:mod:`newsgist.reading.softwrap`, candidate S) use it on every input. Linear in the text."""
    if lines is None:
        from newsgist.reading.pagelines import page_lines
        lines = page_lines(text)
    pairs = fill_pairs(text, lines)
    return pairs if len(pairs) >= WRAP_MIN_PAIRS else []


def wrap_width(lines, pairs: list[int]) -> float:
    """The page's wrap width: the median length (characters) of its pairs' first lines (0 without pairs)."""
    if not pairs:
        return 0.0
    lens = sorted(lines[i][1] - lines[i][0] for i in pairs)
    m = len(lens) // 2
    return float(lens[m]) if len(lens) % 2 else (lens[m - 1] + lens[m]) / 2.0


def groups(text: str, lines, read, idx, min_pairs: int | None = None, join: str | None = None) -> list[tuple[int, int]]:
    """The logical lines as half-open ranges ``(a, b)`` of the worded lines ``read`` (indices
    ``idx`` into ``lines``, as :func:`newsgist.reading.pagelines.worded_lines` gives them): one
    range a line, unless ``WRAP`` is on and the page has at least ``min_pairs`` (default
    ``WRAP_MIN_PAIRS``) continuation pairs (join "width": fill pairs in wrapped runs), when wrapped
    runs share a range (join ``join``, default ``WRAP_JOIN``; checked only then: a page read line by
    line never looks at it)."""
    single = [(k, k + 1) for k in range(len(read))]
    if not WRAP or not read:
        return single
    min_pairs = WRAP_MIN_PAIRS if min_pairs is None else min_pairs
    join = WRAP_JOIN if join is None else join
    if join not in JOIN_MODES:
        raise ValueError(f"unknown join {join!r}: one of {JOIN_MODES}")
    pairs = fill_pairs(text, lines) if join == "width" else continuation_pairs(text, lines)
    if len(pairs) < min_pairs:
        return single
    fills = set(pairs) if join == "width" else ()
    long_at = WRAP_WIDTH_SHARE * wrap_width(lines, pairs) if join == "lower+long" else None
    out, a = [], 0
    for k in range(1, len(read)):
        s0, e0, _ = read[k - 1]
        s1, e1, blank = read[k]
        prev, nxt = text[s0:e0], text[s1:e1]
        if idx[k] != idx[k - 1] + 1 or blank:
            joined = False
        elif join == "width":
            joined = idx[k - 1] in fills
        elif join == "pair":
            joined = _is_pair(prev, nxt)
        else:
            joined = not _ends(prev) and (_lower_first(nxt) or (long_at is not None and e0 - s0 >= long_at))
        if not joined:
            out.append((a, k))
            a = k
    out.append((a, len(read)))
    return out


def logical_spans(read, grouped: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """The logical lines' spans: ``(first start, last end, first blank_before)`` of each group."""
    return [(read[a][0], read[b - 1][1], read[a][2]) for a, b in grouped]


def spread(prob, grouped: list[tuple[int, int]]):
    """Each worded line's probability: its logical line's (``prob``, one a group)."""
    import numpy as np
    return np.repeat(np.asarray(prob, dtype=np.float64), [b - a for a, b in grouped])


def line_probabilities(text: str, lines, predict):
    """The page model's reading (:func:`newsgist.reading.pagemodel.page_furniture`): ``(prob, read,
    X, at)``. ``prob``: the probability of each of ``lines`` (0 for a line without a letter or a
    digit), its logical line's; ``read``: the logical lines' spans, ``X`` their feature rows (None
    when the page has no worded line), ``at``: each logical line's ``(first, last)`` index into
    ``lines``. ``predict(X, texts)`` gives the rows' probabilities (``texts``: the logical lines'
    texts); :func:`newsgist.reading.pageself.page_adjust` is applied to them."""
    import numpy as np
    from newsgist.reading import pageself
    from newsgist.reading.pagelines import features, worded_lines
    words, idx = worded_lines(text, lines)
    prob = np.zeros(len(lines))       # a line of only marks ("-", "|") has nothing to keep
    if not words:
        return prob, words, None, []
    grouped = groups(text, lines, words, idx)
    read = logical_spans(words, grouped)
    X, _ = features(text, read)
    p = np.asarray(predict(X, [text[s:e] for s, e, _ in read]), dtype=np.float64)
    prob[idx] = spread(pageself.page_adjust(p, X), grouped)
    return prob, read, X, [(idx[a], idx[b - 1]) for a, b in grouped]
