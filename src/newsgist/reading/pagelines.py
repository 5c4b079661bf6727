"""Line features of a pasted web page (issue 31), for the page-furniture model.

A page copied from a browser (``document.body.innerText``) is one line per block:
menu items, share buttons, the headline, paragraphs, related headlines, comments,
the footer. Each non-blank line gets a row of numbers — its own shape (length,
punctuation, stop-word share, capitals, furniture words, dates, repetition within
the page), where it sits (position, blank lines around it, the prose around it, the
page's main prose run) and the shape of its neighbours — read by the trees of
:mod:`newsgist.reading.pagemodel`. Pure Python and numpy, linear in the lines.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from newsgist.reading.linecheck import ascii_lower, digit_count, email_shaped, search_at_edges, search_unless
from newsgist.text import STOPWORDS, stripped_lines

# Words that mark page furniture when they make up much of a short line (share and
# follow buttons, menus, comment and account links, prompts, footers, credits).
# Written for this project from the shapes of web pages; lower case.
FURNITURE_WORDS = frozenset("""
share shares shared sharing tweet tweets retweet email e-mail print facebook twitter linkedin pinterest
google reddit tumblr digg stumbleupon whatsapp instagram youtube rss feed feeds pin like likes
comment comments commenting reply replies login logout log sign signup register subscribe subscribers
subscription newsletter newsletters cookie cookies privacy policy terms conditions copyright rights
reserved home menu search more related advertisement advertise advertising sponsored follow read next
previous prev tags tag posted categories category archive archives contact about top back skip
navigation photo photos image images credit getty click view watch video videos gallery download app
apps permalink trackback edit report flag points sort newest oldest popular trending recent recommended
subscribed account password username profile help faq sitemap careers jobs store shop sections
section blog blogs forum forums community page pages loading continue story stories latest
""".split())
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DATE = re.compile(r"\b(?:%s)\.?\s+\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:%s)\b|\b(?:19|20)\d\d\b|"
                   r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bago\b"
                   % ("|".join(_MONTHS), "|".join(_MONTHS)), re.I)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_TERMINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_SENT_STOP = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+[\"'\u201c\u2018(]?[A-Z]")
_URLISH_HEAD = r"https?://|www\.|\.com\b|\.org\b|\.net\b|@\w"
_URLISH = re.compile(_URLISH_HEAD + r"|\S+@\S+\.\w", re.I)
_URLISH_SHORT = re.compile(_URLISH_HEAD, re.I)       # the rest: linecheck.email_shaped, in one pass
_SEPARATORS = re.compile(r"[|»«•·›‹>/]")
_BYLINE = re.compile(r"^(?:by|posted by|written by|author:?)\s+\S", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved", re.I)
_QUOTE_CHARS = set("\"“”‘’")
# The head of a comment thread on a line of its own: "Comments", "12 Comments", "Responses (3)",
# "7 thoughts on “…”", "Leave a Reply", "Join the discussion". What follows one is read by the
# trees with its distance from it (issue 31, session 3: on the training part, out of fold, the
# three features below took the mean page F1 from 0.9017 to 0.9084; 679 of 1,100 pages have one).
_COMMENTS_HEAD = re.compile(
    r"^\s*(?:(?:\d+|one|two|three|four|five|no)\s+)?(?:comments?|responses?|replies|thoughts|reactions?|discussion|"
    r"reader comments)(?:\s*\(\d+\))?(?:\s+(?:to|on|for|so far)\b.{0,120})?\s*:?$"
    r"|^\s*(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply|response)\b.{0,30}$"
    r"|^\s*(?:join|start) the (?:discussion|conversation)\b.{0,30}$", re.I)
# A line that marks one reader's comment: "dan said,", "Lisa Myers says:", "[Reply]",
# "Flag as Inappropriate", "... | permalink | Reply", "Posted by: Gina at September 10, 2012".
# Threads without a head show as a run of these (session 3, out of fold on the training part:
# mean page F1 0.9093 -> 0.9125; 487 of 1,100 pages have one).
_COMMENT_MARK = re.compile(
    r"^.{1,80}\b(?:said|says|wrote|writes|commented)\s*[:,]?$"
    r"|^\s*\[?\s*(?:reply|report(?: abuse)?|flag(?: as inappropriate)?|permalink|quote)\s*\]?\s*$"
    r"|\b(?:reply|permalink|report abuse|flag as inappropriate|reply to this)\s*$"
    r"|^\s*(?:posted|submitted) by:?\s.{0,60}\b(?:on|at)\b.{0,40}\d", re.I)
COMMENT_MARK_WINDOW = 10
# What a match of _COMMENT_MARK holds (session 7d's pre-checks, :mod:`newsgist.reading.linecheck`):
# three alternatives end the line with one of these words, then spaces, ":", "," or "]"; the
# fourth opens it with "posted by" / "submitted by". _DATE's alternatives all hold a digit but
# "ago"; _COPYRIGHT's and _URLISH's hold one of the needles below ("©" is not ASCII).
_MARK_ENDS = ("said", "says", "wrote", "writes", "commented", "reply", "report", "abuse", "flag", "inappropriate",
              "permalink", "quote", "this")
_AGO = re.compile(r"\bago\b", re.I)
_COPYRIGHT_NEEDS = ("(c)", "copyright", "all rights reserved")
_URLISH_NEEDS = ("@", "://", "www.", ".com", ".org", ".net")
_HAS_WORD = re.compile(r"\w")

# A line of prose for the region features: at least this many words and a final stop
# (a paragraph, a quote, a comment); menus and headlines are shorter or have no stop.
PROSE_MIN_WORDS = 10
# Caps on counts that enter the trees (a wall of text and a 200-word line read alike).
MAX_WORDS = 200
# Neighbour windows (lines) for the prose-density features.
NEAR, FAR = 3, 10

BASE_NAMES = ["words", "log_chars", "terminal", "sent_stops", "stop_share", "cap_share", "allcaps_share",
              "digit_share", "furn_share", "furn_any", "separators", "byline", "date", "copyright",
              "comma_rate", "quote", "repeat", "ends_colon", "starts_lower", "urlish", "mean_word_len",
              "blank_before", "blank_after", "prose"]
_NEIGHBOUR_BASE = ["words", "terminal", "stop_share", "cap_share", "furn_share", "prose", "blank_before",
                   "date", "repeat", "separators"]
NEIGHBOUR_OFFSETS = (-3, -2, -1, 1, 2, 3)
CONTEXT_NAMES = ["rel_line", "rel_char", "prose_before", "prose_after", "near_prose", "far_prose",
                 "in_core", "core_dist_before", "core_dist_after", "n_lines_log", "page_prose_share",
                 "run_len", "run_prose", "prose_dist_before", "prose_dist_after", "core_share_before",
                 "core_share_after", "comments_head", "comments_head_dist", "comments_heads_before",
                 "comment_mark", "comment_marks_near", "comment_mark_dist"]
COMMENT_NAMES = ["cs_name_stamp", "cs_personal_rate", "cs_end_qe",
                 "cs_name_stamp_near", "cs_personal_near", "cs_end_qe_near"]
FEATURE_NAMES = (BASE_NAMES + [f"{n}@{o:+d}" for o in NEIGHBOUR_OFFSETS for n in _NEIGHBOUR_BASE]
                 + CONTEXT_NAMES + COMMENT_NAMES)


def page_lines(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, blank_before)`` of each non-blank line of ``text``, stripped (the
    first line counts as after a blank)."""
    out, last = [], None
    for s, e, block in stripped_lines(text):
        out.append((s, e, last is None or block != last))
        last = block
    return out


def worded_lines(text: str, lines) -> tuple[list[tuple[int, int, bool]], list[int]]:
    """The lines the model reads and their indices in ``lines``: those with a letter or a
    digit. A line of only marks ("-", "|", "———", "•") stands where an image or a rule was;
    it has no tokens to keep, and left in, it pushes a photo blog's short paragraphs apart
    (their neighbours look like furniture). A dropped line's blank before passes on to the
    next line."""
    out, idx, pending = [], [], False
    for i, (s, e, b) in enumerate(lines):
        if _HAS_WORD.search(text[s:e]):
            out.append((s, e, b or pending))
            idx.append(i)
            pending = False
        else:
            pending = pending or b
    return out, idx


def _base(line: str, blank_before: bool, repeat: int) -> list[float]:
    ws = _WORD.findall(line)
    n = len(ws)
    lower = list(map(str.lower, ws))
    chars = max(len(line), 1)
    terminal = bool(_TERMINAL.search(line))
    low = ascii_lower(line)                             # the pre-checks' text (None: run the patterns)
    digits = digit_count(line)
    furniture = sum(map(FURNITURE_WORDS.__contains__, lower))
    return [
        min(n, MAX_WORDS),
        math.log1p(len(line)),
        float(terminal),
        min(len(_SENT_STOP.findall(line)), 20),
        sum(map(STOPWORDS.__contains__, lower)) / n if n else 0.0,
        sum([w[0].isupper() for w in ws]) / n if n else 0.0,
        sum([w.isupper() and len(w) > 1 for w in ws]) / n if n else 0.0,
        digits / chars,
        furniture / n if n else 0.0,
        float(furniture > 0),
        min(len(_SEPARATORS.findall(line)), 20),
        float(bool(_BYLINE.match(line)) and n <= 8),
        float(bool(_DATE.search(line)) if digits else search_unless(_AGO, line, low, ("ago",))),
        float(search_unless(_COPYRIGHT, line, low, _COPYRIGHT_NEEDS)),
        line.count(",") / n if n else 0.0,
        float(not _QUOTE_CHARS.isdisjoint(line)),
        math.log(repeat),
        float(line.endswith(":")),
        float(line[0].islower()),
        float(search_unless(_URLISH_SHORT, line, low, _URLISH_NEEDS) or email_shaped(line)),
        sum(map(len, ws)) / n if n else 0.0,
        float(blank_before),
        0.0,  # blank_after, filled in below
        float(terminal and n >= PROSE_MIN_WORDS),
    ]


def features(text: str, lines: list[tuple[int, int, bool]] | None = None):
    """The feature matrix (one row a non-blank line, columns :data:`FEATURE_NAMES`) and the lines."""
    import numpy as np
    lines = page_lines(text) if lines is None else lines
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES))), lines
    texts = [" ".join(text[s:e].split()) for s, e, _ in lines]
    counts = Counter(texts)
    base = np.array([_base(t, b, counts[t]) for t, (_, _, b) in zip(texts, lines)], dtype=np.float64)
    bi = {name: k for k, name in enumerate(BASE_NAMES)}
    base[:-1, bi["blank_after"]] = base[1:, bi["blank_before"]]
    base[-1, bi["blank_after"]] = 1.0
    # neighbours (missing ones: -1 everywhere)
    cols = [bi[c] for c in _NEIGHBOUR_BASE]
    neigh = []
    for o in NEIGHBOUR_OFFSETS:
        block = np.full((n, len(cols)), -1.0)
        if o < 0 and n + o > 0:
            block[-o:] = base[:n + o, cols]
        elif o > 0 and n - o > 0:
            block[:n - o] = base[o:, cols]
        neigh.append(block)
    # where the page's prose is
    prose_words = base[:, bi["prose"]] * base[:, bi["words"]]
    total = prose_words.sum()
    cum = np.cumsum(prose_words)
    before = (cum - prose_words) / total if total else np.zeros(n)
    after = (total - cum) / total if total else np.zeros(n)
    near = _window_sum(prose_words, NEAR)
    far = _window_sum(prose_words, FAR)
    near = near / near.max() if near.max() > 0 else near
    far = far / far.max() if far.max() > 0 else far
    in_core, d_before, d_after = _core(far, n)
    starts = np.array([s for s, _, _ in lines], dtype=np.float64)
    run_len, run_prose = _runs(base[:, bi["blank_before"]], base[:, bi["prose"]])
    dist_before, dist_after = _prose_distance(base[:, bi["prose"]] > 0)
    core_words = prose_words * in_core
    core_total = core_words.sum()
    core_cum = np.cumsum(core_words)
    context = np.column_stack([
        np.arange(n) / max(n - 1, 1), starts / max(len(text), 1), before, after, near, far,
        in_core, d_before, d_after, np.full(n, math.log1p(n)),
        np.full(n, base[:, bi["prose"]].mean()), run_len, run_prose, dist_before, dist_after,
        (core_cum - core_words) / core_total if core_total else np.zeros(n),
        (core_total - core_cum) / core_total if core_total else np.zeros(n)] + _comment_heads(texts))
    return np.hstack([base] + neigh + [context, comment_columns(text, lines, texts)]), lines


def _comment_heads(texts):
    """Per line: is it a comment thread's head, log lines since the last head (log(n + 2)
    when none came before), and how many heads came before; is it a comment's mark, the
    marks within COMMENT_MARK_WINDOW lines, log lines since the last mark."""
    import numpy as np
    head = np.array([bool(_COMMENTS_HEAD.match(t)) for t in texts], dtype=np.float64)
    before = np.cumsum(head) - head   # heads strictly before each line
    mark = np.array([search_at_edges(_COMMENT_MARK, t, _MARK_ENDS, ":,]", ("posted by", "submitted by"))
                     for t in texts], dtype=np.float64)
    none = math.log(len(texts) + 2)
    return [head, _since(head, none), before, mark, _window_sum(mark, COMMENT_MARK_WINDOW), _since(mark, none)]


def _since(flags, none: float | None = None):
    """Per line: log(1 + lines since the last flagged line before it); where none came before,
    ``none`` (default log1p(n + 1); the comment features were trained with math.log(n + 2),
    the same number but for rounding, so they pass it and keep their values bit for bit)."""
    import numpy as np
    n = len(flags)
    dist = np.full(n, np.nan)
    last = None
    for i in range(n):
        if last is not None:
            dist[i] = i - last
        if flags[i]:
            last = i
    return np.where(np.isnan(dist), np.log1p(float(n + 1)) if none is None else none, np.log1p(dist))


def _prose_distance(prose):
    """Per line: log lines since the last prose line before it and until the next after it."""
    return _since(prose), _since(prose[::-1])[::-1]


def _window_sum(values, k: int):
    import numpy as np
    c = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(len(values))
    lo = np.clip(idx - k, 0, len(values))
    hi = np.clip(idx + k + 1, 0, len(values))
    return c[hi] - c[lo]


def _core(density, n: int):
    """The page's main prose run: the lines around the densest window whose density stays
    above a third of the peak; per line, inside it, and lines to its start / past its end."""
    import numpy as np
    if n == 0 or density.max() <= 0:
        z = np.zeros(n)
        return z, z, z
    peak = int(np.argmax(density))
    lo = hi = peak
    while lo > 0 and density[lo - 1] >= density[peak] / 3:
        lo -= 1
    while hi < n - 1 and density[hi + 1] >= density[peak] / 3:
        hi += 1
    idx = np.arange(n)
    inside = ((idx >= lo) & (idx <= hi)).astype(np.float64)
    return inside, np.log1p(np.clip(lo - idx, 0, None)), np.log1p(np.clip(idx - hi, 0, None))


def _runs(blank_before, prose):
    """Per line: the log length of its run of lines without a blank line between them,
    and the share of prose lines in that run (menus are long runs of short lines)."""
    import numpy as np
    n = len(blank_before)
    run_id = np.cumsum(blank_before > 0)
    sizes = np.bincount(run_id)
    prose_in = np.bincount(run_id, weights=prose)
    return np.log(sizes[run_id]), prose_in[run_id] / sizes[run_id] if n else np.zeros(0)


# Comment-shape features (issue 31, session 6e's candidate C; out of fold on the training part,
# through the pipeline with the segment decode: 0.9194 -> 0.9236, +0.0042, SE 0.0019).
# A reader's comment reads differently from an article's paragraph: it opens with the
# commenter's name and a time stamp or a "says:" / "wrote:" / "replied", it speaks in the first
# and second person ("I", "my", "you", "lol", "thanks"), it ends in a question or an
# exclamation, and a thread is a run of such lines. The shipped ``comment_mark`` reads a mark on
# a line of its own (ending in "says:"); these read the shape of the comment's own text.
# General across outlets: none names a site. Constants set before any measurement.
COMMENT_NEIGHBOURS = 3            # the window: this many rows (non-blank lines) either side
COMMENT_LEAD_WORDS = 8            # the name and its stamp must come within the first words
# ... and within this many characters of them: a named cap (review, session 8): _CS_LEAD is
# quadratic on one long token (10,000 digits took 1 s a line, a 50 kB one 27 s); 8 words of a real
# lead are far shorter (the same features on every cached page, checked when it was set).
COMMENT_LEAD_CHARS = 300
# (a handle: word characters with a digit or "_"; written "@?[^\W\d_]*[\d_]\w*", the first digit
# or "_" where the run's first is, since session 7d: the same strings as 6e's "@?\w*[\d_]\w*",
# which tried every digit of a long blob with every end after it, hours on a 57 kB token)
_CS_NAME = r"(?:@?[A-Z][\w.'’-]{0,30}(?:\s+[A-Z][\w.'’-]{0,30}){0,3}|@?[^\W\d_]*[\d_]\w*)"
_CS_STAMP = (r"(?:says|said|wrote|writes|replied|replies|commented)\s*(?:[:,]|$)"
             r"|(?:on\s+|at\s+|[-–—|,]\s*)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:\d{4}|at\b)"
             r"|(?:on\s+|at\s+|[-–—|,]\s*)?\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?:\d{4}|at\b)"
             r"|(?:on\s+|at\s+|[-–—|,]\s*)?\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b"
             r"|(?:at\s+|[-–—|,]\s*)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?"
             r"|\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b")
_CS_LEAD = re.compile(rf"^\s*{_CS_NAME}\s*[:,(\[-–—|]?\s*(?:{_CS_STAMP})", re.I)
_CS_NAME_START = re.compile(rf"^\s*{_CS_NAME}")
_CS_WORD = re.compile(r"[\w’']+")
_CS_PERSONAL = frozenset("i i'm i’m i've i’ve i'd i’d i'll i’ll me my mine myself you you're you’re you've you’ve "
                         "you'd you’d you'll you’ll your yours yourself lol thanks thank thx haha imo imho".split())
_CS_END = re.compile(r"[?!][\"'\u201d\u2019)\]]*\s*$")
# What every stamp of _CS_LEAD holds: a \d, or a "says" word (under the same re.I). A lead
# without one has no stamp, and the costly _CS_LEAD is not run on it (session 7d; 28 % of the
# held-out pages' leads have one).
_CS_STAMP_NEEDS = re.compile(r"\d|says|said|wrote|writes|replied|replies|commented", re.I)


def comment_shape(line: str) -> list[float]:
    """A line's own comment-shape values (whitespace-normalised): a name then a stamp or a
    "says:" within its first :data:`COMMENT_LEAD_WORDS` words, its first/second-person and chat
    words per word, and whether it ends in "?" or "!"."""
    words = _CS_WORD.findall(line)
    lead = " ".join(line.split(None, COMMENT_LEAD_WORDS)[:COMMENT_LEAD_WORDS])[:COMMENT_LEAD_CHARS]
    # both: _CS_NAME_START is case-sensitive (a capital, "@" or a digit opens the name), while
    # _CS_LEAD reads the stamp words under re.I, where its own [A-Z] takes any letter
    stamp = (bool(_CS_NAME_START.match(lead)) and bool(_CS_STAMP_NEEDS.search(lead))
             and bool(_CS_LEAD.match(lead)))
    personal = sum(map(_CS_PERSONAL.__contains__, map(str.lower, words))) / len(words) if words else 0.0
    return [float(stamp), personal, float(bool(_CS_END.search(line)))]


def comment_columns(pasted: str, lines, texts=None):
    """The :data:`COMMENT_NAMES` columns of a page's lines (``(start, end, blank_before)``
    spans): each line's own three values, then their means over the other rows within
    :data:`COMMENT_NEIGHBOURS` of it (0 on a one-line page). Linear in the lines. ``texts``:
    the lines whitespace-normalised, where the caller has them."""
    import numpy as np
    if texts is None:
        texts = [" ".join(pasted[s:e].split()) for s, e, _ in lines]
    own = np.array([comment_shape(t) for t in texts], dtype=np.float64).reshape(len(lines), 3)
    n = len(own)
    if n == 0:
        return np.zeros((0, len(COMMENT_NAMES)))
    k = COMMENT_NEIGHBOURS
    cs = np.vstack([np.zeros((1, 3)), np.cumsum(own, axis=0)])
    idx = np.arange(n)
    lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k, n - 1)
    count = (hi - lo).astype(np.float64)          # rows in the window other than the line itself
    sums = cs[hi + 1] - cs[lo] - own
    near = np.where(count[:, None] > 0, sums / np.maximum(count, 1.0)[:, None], 0.0)
    return np.hstack([own, near])
