"""A comment thread under a head the page model's features miss (issue 31, session 8d, candidate CR).

The page model's comment features (:mod:`newsgist.reading.pagelines`) read a thread's head when
the count stands alone on its line ("53 Comments", "Comments (3)", "7 thoughts on “…”"). Some
blog themes print it in other shapes: a count in brackets ("{ 53 comments… read them below or
add one }", "[12 Responses]"), a count then a dash and a prompt ("0 Comments - Leave a
comment!"), the word then its count ("Comments:18", "COMMENTS[8]"); on outlets the model never
saw, the thread below such a head was kept. The rule (:func:`rule_span`, ``pagemodel.THREAD_RULE = True``,
not shipped): the first such head followed by at least :data:`RULE_MIN_LEADS` comment leads within
:data:`THREAD_WINDOW` lines opens the thread. Session 8d's CR set the page's lines from the head on
aside (its replay: ``benchmarks/paste_thread.py rule``); it cut ordinary articles, and what is here
is the guarded CR3 of the session 8 merge: the thread from its head through its last lead, the
head after most of the kept words; it still took a readers' letters page for a thread, so it is
off. Session 9c's rule reads its head shapes and leads but judges the thread by what follows the head:
:mod:`newsgist.reading.pagevoice` (VT / VT2, ``THREAD_RULE = "voice"`` / ``"voice2"``; off too).
A lead: a commenter's name and stamp (``pagelines.comment_shape``), also after a list number
("2. MJ - August 8, 2012"), or a comment mark. General shapes, no site's strings; constants set
before any measurement (BENCHMARKS.md, "Issue 31, session 8d": site folds 0.9049 -> 0.9093).
Linear in the lines.
"""
from __future__ import annotations

import re

from newsgist.reading.pagelines import _COMMENTS_HEAD, comment_shape

_COUNT = r"(?:\d{1,6}|no|one|two|three|four|five|six|seven|eight|nine|ten)"
_CWORD = r"(?:comments?|responses?|replies|thoughts|reactions?)"
HEAD_EXTRA = re.compile(
    # "{ 53 comments… read them below or add one }", "[12 Responses]", "{ 131 comments }"
    rf"^\s*[{{\[(]\s*{_COUNT}\s+{_CWORD}\b[^{{}}\[\]()]{{0,60}}[}}\])]\s*$"
    # "0 Comments - Leave a comment!", "2 Comments | Leave a comment"
    rf"|^\s*{_COUNT}\s+{_CWORD}\s*(?:…|\.\.\.|[-–—:|])\s*(?:read|add|leave|post|join|jump|view|see|show|have|be)\b.{{0,60}}$"
    # "Comments:18", "COMMENTS[8]"
    rf"|^\s*(?:reader\s+)?{_CWORD}\s*(?::\s*\d{{1,6}}|[\[{{(]\s*\d{{1,6}}\s*[\]}})])\s*$", re.I)
NUMBER_PREFIX = re.compile(r"^\s*#?\d{1,4}\s*[.):]\s+(?=\S)")
# A numbered line whose stamp is a duration ("1. Tsegaye Kebede - 2:04:38": race results, a
# numbered list in an article) is no lead: comment stamps give a time of day, not h:mm:ss.
_DURATION = re.compile(r"\d:\d\d:\d\d")
THREAD_WINDOW = 20     # lines after the head; a comment is 2-6 lines; set before any result
RULE_MIN_LEADS = 3     # leads among them; set before any result


def is_head(text: str) -> bool:
    """A comment thread's head: the page model's pattern or :data:`HEAD_EXTRA` (whitespace-normalised text)."""
    return bool(_COMMENTS_HEAD.match(text) or HEAD_EXTRA.match(text))


def is_lead(text: str) -> bool:
    """A comment lead: ``comment_shape``'s name-and-stamp, of the line or of the line without its
    list number (and no duration in it)."""
    if comment_shape(text)[0]:
        return True
    m = NUMBER_PREFIX.match(text)
    return bool(m) and not _DURATION.search(text) and bool(comment_shape(text[m.end():])[0])


# Session 8d's review (CR2, registered in BENCHMARKS.md "Merge of wave three, session 8" before its
# result; constants fixed there, not tuned): the rule's own guards, CT's head and lead unchanged.
# A count, a separator, then one of these verbs is a subhead ("Three reactions: see how ..."):
RULE_WEAK_PROMPT = re.compile(r"^\s*[{\[(]?\s*\S+\s+\S+\s*(?:…|\.\.\.|[-–—:|])\s*(?:view|see|show|have|be)\b", re.I)
# CR3 (second review): the rule's head has a digit count, and a bracketed one a plural word ("(No
# comment.)", "(Two responses)" are asides); a line that starts with a time ("16:55 The manager")
# or carries a transcript stamp ("Helen Marsh (03:15):") is no lead.
RULE_BRACKET_HEAD = re.compile(r"^\s*[{\[(]\s*\d{1,6}\s+(?:comments|responses|replies|thoughts|reactions)\b", re.I)
RULE_NOT_LEAD = re.compile(r"^\s*\d{1,2}[:.]\d\d\b|\(\d{1,2}:\d\d(?::\d\d)?\)")
LEAD_MAX_WORDS = 12        # a commenter's name-and-stamp line is short; "The mayor said, ..." is prose
HEAD_AFTER_SHARE = 0.5     # the head follows at least this share of the words of the lines the model keeps
COMMENT_TAIL_LINES = 8     # the last comment's body after its lead; the cut ends there, not at the page's end


def rule_head(text: str) -> bool:
    """A head for the rule (CR3): :data:`HEAD_EXTRA`, not the model's own head, not a weak prompt,
    a digit in it, and a bracketed head with a plural word."""
    if not HEAD_EXTRA.match(text) or _COMMENTS_HEAD.match(text) or RULE_WEAK_PROMPT.match(text):
        return False
    if not any(c.isdigit() for c in text):
        return False
    return not text.lstrip()[:1] in "{[(" or bool(RULE_BRACKET_HEAD.match(text))


def rule_lead(text: str, words: int) -> bool:
    """A lead for the rule: :func:`is_lead` on a line of at most :data:`LEAD_MAX_WORDS` words that
    neither starts with a time nor carries a transcript stamp (CR3)."""
    return words <= LEAD_MAX_WORDS and not RULE_NOT_LEAD.search(text) and is_lead(text)


def rule_span(texts, marks, keep) -> tuple[int, int] | None:
    """CR3: ``(start, end)`` of the first thread a :func:`rule_head` opens under the guards above
    (``keep``: the page's keep mask before the decode), or None. The span
    runs from the head through the last lead reachable with gaps of at most :data:`THREAD_WINDOW`
    lines, plus :data:`COMMENT_TAIL_LINES`."""
    n = len(texts)
    lead = None
    words = [len(t.split()) for t in texts]
    kept_total = sum(w for w, k in zip(words, keep) if k)
    kept_before = 0
    for i, t in enumerate(texts):
        if kept_total > 0 and kept_before >= HEAD_AFTER_SHARE * kept_total and rule_head(t):
            if lead is None:        # the leads, once a page has a candidate head (most have none)
                lead = [rule_lead(x, w) or bool(m) for x, w, m in zip(texts, words, marks)]
            if sum(lead[i + 1:i + 1 + THREAD_WINDOW]) >= RULE_MIN_LEADS:
                last = i
                for j in range(i + 1, n):
                    if j - last > THREAD_WINDOW:
                        break
                    if lead[j]:
                        last = j
                return i, min(n, last + 1 + COMMENT_TAIL_LINES)
        if keep[i]:
            kept_before += words[i]
    return None


def page_rule_span(text: str, read, X, keep):
    """:func:`rule_span` on a page's model-read lines (``(start, end, _)`` spans into ``text``, each
    read whitespace-joined), their ``comment_mark`` column of the feature matrix ``X`` and the
    page's keep mask on them (:func:`newsgist.reading.pagemodel.page_furniture`'s hook)."""
    from newsgist.reading.pagelines import FEATURE_NAMES
    return rule_span([" ".join(text[s:e].split()) for s, e, _ in read],
                     X[:, FEATURE_NAMES.index("comment_mark")], keep)
