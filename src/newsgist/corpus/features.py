"""What tells one event from another, read from an article's text: content words, names
(capitalised spans, a rule-based extractor: no spaCy), numbers, and a date.

Every feature is hashed (``crc32``, stable across runs and machines) into one of
``BUCKETS`` slots, prefixed by its group so that the word "paris" and the name "Paris"
stay apart. :func:`extract` returns plain dicts and ints (cheap to pickle to and from
worker processes).
"""
from __future__ import annotations

import datetime as _dt
import re
import zlib
from typing import Optional

from newsgist.corpus import slots as _slots
from newsgist.text import STOPWORDS, stem

#: Hash space of the features (2^22 slots): the document-frequency table is a flat array of
#: this size, so its memory is fixed whatever the corpus; collisions at 2^22 are rare for a
#: vocabulary of a few hundred thousand words and names.
BUCKETS = 1 << 22
GROUPS = ("words", "names", "numbers")
# Characters of an article's text that are read (a longer one is cut): the event is told
# at the top, and the cut bounds the work per article.
MAX_CHARS = 20_000
# How far into the text a dateline date ("May 3, 2013") is looked for, in characters.
DATELINE_CHARS = 400
# Numbers under this are too common to tell events apart ("two", "3 people").
MIN_NUMBER = 10

_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’&\-]*|\d+(?:[.,]\d+)*|[.!?\n\"“”]")
# Capitalised words that are never names: titles, days and months (the date is read apart).
_NOT_NAMES = frozenset("""
mr mrs ms dr gov sen rep st jr sr gen col sgt lt capt prof rev president minister
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
i a an the this that these those it its he she they we you his her their our my
but and or if when while after before as at in on of for by with from to
""".split())
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON = r"(?P<mon>[A-Za-z]{3,9})\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)\s*[-/]\s*(?P<m>\d\d?)\s*[-/]\s*(?P<d>\d\d?)\b"),
    re.compile(rf"\b{_MON}\s+(?P<d>\d\d?)(?:st|nd|rd|th)?\s*,?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<d>\d\d?)(?:st|nd|rd|th)?\s+{_MON}\s*,?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<m>\d\d?)\s*/\s*(?P<d>\d\d?)\s*/\s*(?P<y>(?:19|20)\d\d)\b"),
]


def bucket(group: str, token: str) -> int:
    """The slot of ``token`` in ``group`` (stable: crc32, not Python's salted hash)."""
    return zlib.crc32(f"{group[0]}:{token}".encode("utf-8", "surrogatepass")) & (BUCKETS - 1)


def parse_date(text: str) -> Optional[int]:
    """The first full date (with a year) in ``text`` as a proleptic ordinal day, or None."""
    for rx in _DATE_PATTERNS:
        m = rx.search(text)
        while m:
            g = m.groupdict()
            mon = g.get("m")
            month = int(mon) if mon else _MONTHS.get((g.get("mon") or "").lower())
            try:
                if month:
                    return _dt.date(int(g["y"]), month, int(g["d"])).toordinal()
            except ValueError:
                pass
            m = rx.search(text, m.end())
    return None


def day_string(day: Optional[int]) -> Optional[str]:
    """An ordinal day as ``YYYY-MM-DD`` (None stays None)."""
    return None if day is None else _dt.date.fromordinal(day).isoformat()


def _add(d: dict, key: int) -> None:
    d[key] = d.get(key, 0) + 1


def extract(text: str, date: Optional[str] = None) -> dict:
    """The features of one article: ``{"words": {slot: count}, "names": {...},
    "numbers": {...}, "day": ordinal or None, "slots": {type: [values]}}`` (the typed event
    slots, :mod:`newsgist.corpus.slots`).

    ``date`` (the record's own date, any of the formats of :func:`parse_date`) wins over a
    dateline date found at the top of the text.
    """
    text = text[:MAX_CHARS]
    toks = _TOKEN.findall(text)
    # a capitalised word at a sentence start is a name only if the text also
    # capitalises it inside a sentence (or it opens a run of capitalised words)
    inner_caps, start = set(), True
    for t in toks:
        if t[0].isupper():
            if not start:
                inner_caps.add(t)
            start = False
        elif t in ".!?\n":
            start = True
        elif t[0] not in "\"“”":
            start = False
    words: dict = {}
    names: dict = {}
    numbers: dict = {}
    span: list = []

    def close_span():
        if span:
            for w in span:
                _add(names, bucket("names", w))
            if len(span) > 1:
                _add(names, bucket("names", " ".join(span)))
            span.clear()

    start = True
    for i, t in enumerate(toks):
        c = t[0]
        if c.isalpha():
            low = t.lower().replace("’", "'")
            if low.endswith("'s"):
                low = low[:-2]
            is_name = (c.isupper() and low not in _NOT_NAMES and low not in STOPWORDS
                       and (not start or t in inner_caps
                            or (i + 1 < len(toks) and toks[i + 1][0].isupper())))
            if is_name:
                span.append(low)
            else:
                close_span()
            if low not in STOPWORDS and len(low) > 2:
                _add(words, bucket("words", stem(low)))
            start = False
        elif c.isdigit():
            close_span()
            num = t.replace(",", "")
            try:
                keep = float(num) >= MIN_NUMBER or "." in num
            except ValueError:
                keep = True
            if keep:
                _add(numbers, bucket("numbers", num.rstrip(".")))
            start = False
        else:
            close_span()
            if t in ".!?\n":
                start = True
    close_span()
    day = parse_date(date) if date else None
    if day is None:
        day = parse_date(text[:DATELINE_CHARS])
    return {"words": words, "names": names, "numbers": numbers, "day": day,
            "slots": _slots.extract(text, _slots.READ)}
