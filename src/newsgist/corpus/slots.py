"""Typed event slots: the facts that tell two events of one kind apart when their words agree.

Two reports of two shootings in one city, or of two title fights of one boxer, share most
words and names; what differs is a few typed facts: the year, the people's ages, the street,
the weekday, the protagonist named at the top. :func:`extract` reads each type's values from an
article's text (hashed to small ints, like the features); two articles that both state a
type and share none of its values *conflict* on it, and a pair that conflicts on at least
``min`` of a rule's types keeps the rule's ``factor`` of its score (:func:`factors`, used by
:mod:`newsgist.corpus.linkage` with ``linkage.SLOTS``, and the index's join rule).

One type alone is weak evidence (an article names background years, a follow-up gives another
weekday); several at once are sharp: two reports of one event rarely disagree on the age, the
weekday, the street *and* the name at the top, two same-city shootings nearly always do. How the
types and the rule were chosen: BENCHMARKS.md, issue 30, session 4.
"""
from __future__ import annotations

import re
import zlib
from typing import Optional

import numpy as np
from scipy import sparse

#: The slot types read from a text (the ``types`` of a conflict rule pick among them).
TYPES = ("year", "age", "weekday", "street", "protagonist", "time", "place")
#: The types ``newsgist cluster`` reads from each article (features.extract): those of its
#: rule (linkage.SLOTS); "year" and "time" were measured and left out (BENCHMARKS.md), and reading
#: only these keeps the features' cost down (about 0.2 ms an article on CNN/DM).
#: "place" (the dateline or a town named "in X" at the top) is read for the second pass's
#: conflict check only (linkage.SECOND): two groups that both state a place and share none are
#: never joined at its lower bar (issue 30, session 4: the lead's choice at the merge).
READ = ("age", "weekday", "street", "protagonist", "place")
#: Values kept per type and article (a long article naming many years stays cheap).
MAX_VALUES = 16
#: Values kept per type and story (the union of its articles', the first ones kept).
STORY_VALUES = 48
#: Characters from the top where the protagonist (a person named in the headline or lead) is read.
LEAD_CHARS = 300

# Each pattern opens on a literal or a short class the regex engine finds quickly (a pattern
# that opens on any digit tries every digit of the text: three times slower on CNN/DM); what
# must stand before it is checked on a short slice before the match.
_YEAR = re.compile(r"(?:19|20)\d\d")
_AGE = re.compile(r"years?\s*-\s*old\b|aged\s+(\d{1,3})\b|,\s+(\d{1,2}),")
_AGE_BEFORE = re.compile(r"(?<!\w)(\d{1,3})\s*-\s*$")   # "23-year-old", "23 - year - old"
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z'’]+$")   # "Whitcombe, 34,": the age follows a name
_WEEKDAY = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_STREET = re.compile(r"(?:Street|Avenue|Road|Drive|Lane|Boulevard|Court|Highway|Way|Place|Parkway)\b"
                     r"|(?:Route|Interstate|Highway)\s?\d+\b")
_STREET_NAME = re.compile(r"(?<![\w])((?:[A-Z][a-z]+\s){1,3})$")   # the one to three words before "Street"
# a time of day told as the event's ("at about 11:30 p.m.", "shortly after 2 a.m."), not a page's
# own time stamp ("Posted 2 / 3 / 2009 11: 11 PM")
_TIME = re.compile(r"([ap])\.?\s*m\b", re.I)
_TIME_BEFORE = re.compile(r"\b(?:at|about|around|after|before|past|until|near)\s+(\d{1,2})"
                          r"(?:\s*[:.]\s*(\d\d))?\s*$", re.I)
# the place of the event: a dateline opening the lead ("Akron, Ohio (Jun. 6) -", "GARY, Ind. --",
# "Harlan - ") or a town the lead names after "in"/"near" ("Police in Tulsa", "on Elm Street in Gary")
_DATELINE = re.compile(r"([A-Z][A-Za-z]+(?:[ .][A-Z][A-Za-z]+){0,2})(?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?"
                       r"\s*(?:\([^)]{0,20}\)\s*)?(?:-|--|\u2014|\u2013)\s")
_IN_PLACE = re.compile(r"\b(?:in|near)\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})\b")
_PERSON = re.compile(r"\b([A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)+)\b")
# capitalised words that open or fill a span but are not a person's surname
_NOT_SURNAME = frozenset("""
mr mrs ms dr the a an this that in on at of for and but police county city state
street avenue road lane drive boulevard court highway way place parkway route interstate
cnn ap reuters
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
""".split())


def _h(kind: str, value: str) -> int:
    return zlib.crc32(f"{kind}:{value}".encode("utf-8", "surrogatepass")) & 0x7FFFFFFF


def _lead(text: str) -> str:
    """The top of the text without address lines (ECB+ pages open with their URL)."""
    lines = [x for x in text[:LEAD_CHARS * 3].split("\n") if "http" not in x and "www" not in x]
    return " ".join(lines)[:LEAD_CHARS]


def extract(text: str, types=TYPES) -> dict:
    """``{type: [hashed values]}`` for those of ``types`` the text states (sorted, at most
    MAX_VALUES each)."""
    vals: dict = {t: set() for t in TYPES}
    for m in _YEAR.finditer(text) if "year" in types else ():
        i, j = m.start(), m.end()
        if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_.")) and \
                (j == len(text) or not (text[j].isalnum() or text[j] == "_")):
            vals["year"].add(m.group(0))
    for m in _AGE.finditer(text) if "age" in types else ():
        if m.group(1):
            if m.start() == 0 or not text[m.start() - 1].isalnum():   # "aged 23", not "averaged 5"
                vals["age"].add(m.group(1))
        elif m.group(2) and _NAME_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            vals["age"].add(m.group(2))
        elif m.group(2) is None and (i := m.start()) and text[i - 1] in "- \t\n" and \
                (n := _AGE_BEFORE.search(text, max(0, i - 10), i)):
            vals["age"].add(n.group(1))
    for m in _WEEKDAY.finditer(text) if "weekday" in types else ():
        if m.start() == 0 or not text[m.start() - 1].isalnum():
            vals["weekday"].add(m.group(1).lower())
    for m in _STREET.finditer(text) if "street" in types else ():
        i, got = m.start(), m.group(0)
        if i and text[i - 1].isalnum():
            continue
        if got[-1].isdigit():
            vals["street"].add(" ".join(got.lower().split()))
        elif i and text[i - 1].isspace() and (before := _STREET_NAME.search(text, max(0, i - 48), i)):
            vals["street"].add(" ".join((before.group(1) + got).lower().split()))
    for m in _TIME.finditer(text) if "time" in types else ():
        if (n := _TIME_BEFORE.search(text, max(0, m.start() - 24), m.start())):
            vals["time"].add(f"{int(n.group(1))}:{n.group(2) or '00'}{m.group(1).lower()}")
    for m in _PERSON.finditer(_lead(text)) if "protagonist" in types else ():
        toks = [t.lower().rstrip("'’") for t in m.group(1).split()]
        toks = [t for t in toks if t not in _NOT_SURNAME]
        if len(toks) >= 2:   # a first name and a surname: the surname
            vals["protagonist"].add(toks[-1])
    if "place" in types:
        lead = _lead(text)
        if (m := _DATELINE.match(lead.lstrip())) and not {w.lower() for w in re.split(r"[ .]", m.group(1))} & _NOT_SURNAME:
            vals["place"].add(m.group(1).lower().replace(".", " "))
        for m in _IN_PLACE.finditer(lead):
            words = m.group(1).lower().split()
            while words and words[-1] in _NOT_SURNAME:   # "in Gary Monday" -> "gary"
                words.pop()
            if words and not set(words) & _NOT_SURNAME:
                vals["place"].add(" ".join(words))
    return {t: sorted({_h(t, v) for v in vs})[:MAX_VALUES] for t, vs in vals.items() if vs}


def merge(story_slots: dict, group_slots: list) -> dict:
    """A story's slot values after a group of articles joins it (each type's union, bounded)."""
    out = {t: list(v) for t, v in story_slots.items()}
    for s in group_slots:
        for t, v in s.items():
            have = out.setdefault(t, [])
            if len(have) < STORY_VALUES:
                have.extend(x for x in v if x not in have)
                del have[STORY_VALUES:]
    return out


def conflicting(a: dict, b: dict, types) -> int:
    """How many of ``types`` both ``a`` and ``b`` state without a value in common."""
    return sum(1 for t in types if a.get(t) and b.get(t) and not set(a[t]).intersection(b[t]))


def sharing(a: dict, b: dict, types) -> int:
    """How many of ``types`` ``a`` and ``b`` share a value of (the pairwise form of
    :func:`agreement`'s second count)."""
    return sum(1 for t in types if set(a.get(t, ())).intersection(b.get(t, ())))


def counts(slots: list, types) -> np.ndarray:
    """Per pair of articles (n x n): how many of ``types`` both state without a value in common."""
    return agreement(slots, types)[0]


def agreement(slots: list, types) -> tuple[np.ndarray, np.ndarray]:
    """Per pair (n x n) of articles -- or of groups, with their pooled values (:func:`merge`):
    how many of ``types`` both state without a value in common, and how many share a value."""
    n = len(slots)
    count = np.zeros((n, n))
    shared = np.zeros((n, n))
    for t in types:
        rows = [i for i, s in enumerate(slots) for _ in s.get(t, ())]
        if len(rows) < 2:
            continue
        values = np.asarray([v for s in slots for v in s.get(t, ())], dtype=np.int64)
        _, col = np.unique(values, return_inverse=True)
        m = sparse.csr_matrix((np.ones(len(rows)), (rows, col)), shape=(n, int(col.max()) + 1))
        h = np.asarray(m.sum(axis=1)).ravel() > 0
        common = (m @ m.T).toarray() > 0
        count += h[:, None] & h[None, :] & ~common
        shared += common
    return count, shared


def factor_of(count, rule: dict):
    """The factor for a number of conflicting types: ``rule["factor"]`` once ``rule["min"]``
    types conflict (with no ``min``: ``factor ** count``, one factor per type)."""
    if "min" in rule:
        return np.where(np.asarray(count) >= rule["min"], rule["factor"], 1.0)
    return rule["factor"] ** np.asarray(count)


def factors(slots: list, rule: Optional[dict]) -> Optional[np.ndarray]:
    """Per pair of articles (n x n): the conflict factor of ``rule`` (None without a rule)."""
    if not rule:
        return None
    return factor_of(counts(slots, rule["types"]), rule)
