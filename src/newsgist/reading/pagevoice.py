"""A comment thread told by what follows its head: the comments' units and voice (issue 31, session 9c, candidate VT).

Session 8's thread rules (:mod:`newsgist.reading.pagethread`: CR, CR2, CR3) judged a thread by its
head's shape and by name-and-date lines below it; they cut ordinary articles written to fool them
(a readers' letters page, an obituary list, a subhead "Three reactions: see how ..."). VT reads
what FOLLOWS the head, and fires only where all of these hold (``pagemodel.THREAD_RULE = "voice"``;
VT2, ``"voice2"``, adds the machinery test under 3; both OFF as shipped: a reviewer's page, a
readers'-comments roundup, loses its own ending to VT2, session 9 merge):

1. **the head**: :func:`pagethread.rule_head` (CR3's: a session 8d head shape the model's own
   pattern misses, a digit count, a plural in brackets, no weak prompt), and not a count of
   "reactions" (a news page's word for quotes);
2. **the article above it**: at least :data:`ARTICLE_MIN_WORDS` words of the lines the model keeps
   (the page's keep mask before the decode) lie above the head, so a count link under a title
   opens nothing;
3. **comment units right below it**: the thread's first unit line within :data:`FIRST_UNIT_WITHIN`
   lines of the head, and the units chained with gaps of at most ``pagethread.THREAD_WINDOW``
   lines. A unit line is a *stamp* (a short lead with a time of day: :func:`is_stamp`), an
   *interface* line (a comment system's control: "Reply", "Report abuse", "Permalink",
   "... | Reply", "12 likes": :data:`INTERFACE`), or a *counter* (a bare number one more than
   the thread's previous counter, the first one 1: "1", "2", ...). At least
   :data:`MIN_UNITS` stamps and interface lines together (counters join a chain, never count):
   letters and obituaries dated by day only, transcript turns "(03:15)" and time-first live
   entries "16:55 ..." have none. **VT2** (``THREAD_RULE = "voice2"``) also needs at least
   :data:`MIN_MACHINE_UNITS` counters and interface lines in the chain: a time of day alone
   does not make a comment system (a letters page may print its letters' times);
4. **the comments' voice**: of the thread's body lines (not units, at least
   :data:`BODY_MIN_WORDS` words), at least :data:`VOICE_MIN_SHARE` speak in the first or second
   person or a chat word, address someone ("@Chris", "Peter,"), or ask / exclaim
   (:func:`voiced`); a line that opens with a quotation mark is reported speech, not voice;
5. **one thread**: no other :func:`pagethread.rule_head` inside the span (a blog's front page
   prints a count under every post).

The span set aside: the head through the chain's last unit plus ``pagethread.COMMENT_TAIL_LINES``
(the last comment's body); the lines after it stay with the model. Constants set before any
result (BENCHMARKS.md, "Issue 31, session 9c"). Linear in the lines: the units are computed once,
on a page with a candidate head.
"""
from __future__ import annotations

import re

from newsgist.reading.pagelines import _CS_PERSONAL, _CS_WORD
from newsgist.reading.pagethread import (_DURATION, COMMENT_TAIL_LINES, LEAD_MAX_WORDS, RULE_NOT_LEAD,
                                         THREAD_WINDOW, is_lead, page_rule_span, rule_head)

ARTICLE_MIN_WORDS = 20     # kept words above the head: more than a caption-sized title (paste_failures' TINY_GOLD)
FIRST_UNIT_WITHIN = 4      # the first comment starts right below its head ("← Previous comments" may sit between)
MIN_UNITS = 3              # stamps and interface lines in the chain (CR's RULE_MIN_LEADS)
BODY_MIN_WORDS = 3         # a body line worth reading for its voice
VOICE_MIN_SHARE = 1 / 3    # of the body lines: one in three speaks as a commenter speaks
# VT2 (registered after VT's results and a letters page with time-stamped letters that VT cuts,
# BENCHMARKS.md "Issue 31, session 9c"): a comment system's machinery, not only a time, on three
# comments: at least this many counters and interface lines in the chain (0: VT)
MIN_MACHINE_UNITS = 3

# a time of day: "at 4:05" / "at 13.24", "4:05 pm", or "h:mm" (a duration h:mm:ss is excluded separately)
TIME_OF_DAY = re.compile(r"\bat\s+\d{1,2}[:.]\d\d\b|\d{1,2}[:.]\d\d\s*[ap]\.?\s?m\b|\b\d{1,2}:\d\d\b", re.I)
INTERFACE = re.compile(
    r"^\s*[\[(]?\s*(?:reply(?:\s+to\s+this(?:\s+comment)?)?|report(?:\s+(?:abuse|comment|this))?|flag(?:\s+as\s+inappropriate)?|permalink|quote|"
    r"\d{1,5}\s+likes?|up-?vote|down-?vote|vote\s+(?:up|down)|reply\s*[↓↑]?)\s*[\])]?\s*#?\s*$"
    r"|(?:\||·|•)\s*(?:reply|permalink|report(?:\s+abuse)?)\s*#?\s*$"
    r"|\.\s+reply\s*#?\s*$", re.I)
# a post's own byline ("Posted by Rosa Delgado at 5:12 PM" under each post of a blog's front page)
_POST_LINE = re.compile(r"^\s*(?:posted|written|published|filed|updated|submitted)\b", re.I)
_COUNTER = re.compile(r"^\s*(\d{1,4})\s*$")
_QUOTE_OPEN = re.compile(r"^\s*[\"“”‘’'«]")
_ADDRESS = re.compile(r"^\s*@\w|^\s*[A-Z][\w.’'-]{1,20},\s*$|^\s*(?:hi|hey|dear|thanks)\b", re.I)
_END = re.compile(r"[?!][\"'\u201d\u2019)\]]*\s*$")


def is_stamp(text: str, words: int | None = None) -> bool:
    """A comment's lead with its time: CR3's lead (:func:`pagethread.is_lead` on a line of at most
    ``LEAD_MAX_WORDS`` words, not time-first, no transcript stamp) that holds a time of day and no
    duration, not a post's byline ("Peter Flom 07.08.12 at 13:24", "Maria July 7, 2012 at 2:31 pm";
    not "Tom Birch, March 10, 2026", "Helen Marsh (03:15):", "16:55 The manager", "1. Tsegaye
    Kebede - 2:04:38", "Posted by Rosa Delgado at 5:12 PM")."""
    if words is None:
        words = len(text.split())
    if words > LEAD_MAX_WORDS or RULE_NOT_LEAD.search(text) or _DURATION.search(text) or _POST_LINE.match(text):
        return False
    return bool(TIME_OF_DAY.search(text)) and is_lead(text)


def is_interface(text: str) -> bool:
    """A comment system's control line: "Reply", "[Report abuse]", "Permalink", "... | Reply",
    "by zdw on November 14, 2010 at 4:25 pm. Reply #", "12 likes"."""
    return len(text) <= 120 and bool(INTERFACE.search(text))


def voiced(text: str) -> bool:
    """A body line in a commenter's voice: a first/second-person or chat word
    (``pagelines._CS_PERSONAL``), an address ("@Chris", "Peter,", "Hi Dave"), or a question or
    exclamation at its end; not a line that opens with a quotation mark (reported speech)."""
    if _QUOTE_OPEN.match(text):
        return False
    if _ADDRESS.match(text) or _END.search(text):
        return True
    return any(w.lower() in _CS_PERSONAL for w in _CS_WORD.findall(text))


def _units(texts, words):
    """Per line: 2 a stamp or interface line, 1 a counter (one more than the previous counter
    seen on the page, the first 1), 0 else."""
    out, last = [], 0
    for t, w in zip(texts, words):
        m = _COUNTER.match(t)
        if m:
            n = int(m.group(1))
            ok = n == last + 1 or (n == 1)
            last = n
            out.append(1 if ok else 0)
        elif is_interface(t) or is_stamp(t, w):
            out.append(2)
        else:
            out.append(0)
    return out


def _head(t: str) -> bool:
    return rule_head(t) and not re.search(r"\breactions?\b", t, re.I)


def voice_span(texts, keep, min_machine: int = 0) -> tuple[int, int] | None:
    """VT: ``(start, end)`` of the first thread whose head passes the five tests of the module's
    docstring (``texts``: the model-read lines, whitespace-normalised; ``keep``: the page's keep
    mask before the decode; ``min_machine``: VT2's :data:`MIN_MACHINE_UNITS`, 0 for VT), or None. Linear: the units, chains, voice and heads are prefix sums
    built once, on a page with a candidate head (tests/test_paste_voice.py checks it against the
    head-by-head reading of the definition)."""
    words = [len(t.split()) for t in texts]
    kept_before = 0
    page = None
    for i, t in enumerate(texts):
        if kept_before >= ARTICLE_MIN_WORDS and _head(t):
            if page is None:            # once, on a page with a candidate head (most have none)
                page = _Page(texts, words)
            span = page.thread(i, min_machine)
            if span is not None:
                return span
        if keep[i]:
            kept_before += words[i]
    return None


class _Page:
    """A page's unit lines, chains and voice as prefix sums: each head's tests in O(1)."""

    def __init__(self, texts, words):
        n = len(texts)
        self.n = n
        self.unit = unit = _units(texts, words)
        # a unit line's chain end: the last unit reachable with gaps of at most THREAD_WINDOW
        self.end = end = list(range(n))
        nxt = None
        for j in range(n - 1, -1, -1):
            if unit[j]:
                if nxt is not None and nxt - j <= THREAD_WINDOW:
                    end[j] = end[nxt]
                nxt = j
        self.strong = _prefix(u == 2 for u in unit)
        self.machine = _prefix(u == 1 or (u == 2 and is_interface(t)) for u, t in zip(unit, texts))
        body = [not u and w >= BODY_MIN_WORDS for u, w in zip(unit, words)]
        self.body = _prefix(body)
        self.voiced = _prefix(b and voiced(t) for b, t in zip(body, texts))
        self.heads = _prefix(map(_head, texts))

    def thread(self, h: int, min_machine: int = 0) -> tuple[int, int] | None:
        n, unit = self.n, self.unit
        first = next((j for j in range(h + 1, min(n, h + 1 + FIRST_UNIT_WITHIN)) if unit[j]), None)
        if first is None:
            return None
        last = self.end[first]
        if self.strong[last + 1] - self.strong[first] < MIN_UNITS or \
                self.machine[last + 1] - self.machine[first] < min_machine:
            return None
        a, b = h + 1, min(n, last + 1 + COMMENT_TAIL_LINES)
        body = self.body[b] - self.body[a]
        if not body or self.voiced[b] - self.voiced[a] < VOICE_MIN_SHARE * body:
            return None
        if self.heads[b] - self.heads[a]:
            return None
        return h, b


def _prefix(flags) -> list[int]:
    out = [0]
    for f in flags:
        out.append(out[-1] + bool(f))
    return out


def page_span(text: str, read, X, keep, mode):
    """``pagemodel.page_furniture``'s thread hook: ``mode`` its ``THREAD_RULE`` ("voice": VT on the
    page's model-read lines, each whitespace-joined; else session 8's CR3,
    :func:`newsgist.reading.pagethread.page_rule_span`)."""
    if mode in ("voice", "voice2"):
        return voice_span([" ".join(text[s:e].split()) for s, e, _ in read], keep,
                          MIN_MACHINE_UNITS if mode == "voice2" else 0)
    return page_rule_span(text, read, X, keep)
