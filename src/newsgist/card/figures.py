"""Key figures of an article: counts, ranges, money and percentages, with what they count.

:func:`extract_figures` scans the text with regular expressions (so it works without
spaCy) and, when a spaCy ``Doc`` is given, uses the parse to find the counted noun
and to skip numbers that are part of names ("Boeing 737").

``Figure.kind`` is one of:

* ``number``  -- a count or amount: "more than 150", "six patients", "31,683 expected fans";
  ``value`` is a float/int, ``unit`` the counted head noun, ``counts`` the noun phrase.
  Ages are numbers too: "45-year-old" has ``unit`` "years old" and ``counts`` "age".
* ``range``   -- two counts, low < high: "50 to 100 members", "between 5 and 10";
  ``value`` is ``[low, high]`` ("aged 18-35" counts "age"; "3-1" that counts nothing is a
  score and is dropped).
* ``money``   -- "$1.2 million", "£50m", "500 euros"; ``unit`` is a currency code ("USD");
  ``value`` is the amount, or ``[low, high]`` for "$1 million to $2 million".
* ``percent`` -- "25%", "25 percent", "3 percentage points"; ``unit`` "%" (or
  "percentage points"); ``value`` the number (or ``[low, high]``).
* ``ordinal`` -- "21st", "3rd"; ``value`` the integer.
* ``date``    -- "September 11, 2001", "mid-2015", "2014", "the 1990s"; ``value`` an ISO-ish
  string ("2001-09-11", "2015-10") or the year as an int. Dates never count anything, and
  years alone are dates. Times ("01:21", "10 a.m.") and bare weekdays/months are not figures.

``text`` includes qualifier words ("more than", "as high as", "up to", "about", ...) and,
when the counted noun directly follows the number, that noun ("50 to 100 members").
Spelled-out numbers are figures only when they count a noun ("six patients"), and
"one" never is on its own ("one of her kidneys"). A bare number with nothing counted, no
qualifier and no unit is kept only from MIN_BARE_VALUE up. When no noun follows, ``counts``
comes from a "number of X" phrase earlier in the sentence, else from the previous count
in the same sentence ("50 to 100 members, ... more than 150").

This module finds the figures and decides their kind; reading the number itself
(patterns, values, dates) is :mod:`newsgist.card.numerals`, finding what it counts
:mod:`newsgist.card.counted`.
"""
from __future__ import annotations

import re
from typing import Optional

from newsgist.types import Figure
from newsgist.card.counted import (
    _fill_counts, _looks_plural, _noun_after_parse, _noun_after_regex, _of_phrase, _sentence_starts, _Tokens,
)
from newsgist.card.numerals import (
    _AGE_RE, _CORE_RE, _CURWORD_RE, _DATE_RE, _MONTH, _ORDINAL_RE, _PERCENT_RE, _QUAL_RE, _RANGE_LEAD_RE,
    _RANGE_RE, _TIME_RE, CURRENCY_PREFIX, CURRENCY_WORDS, SPELLED_NOISE, _clean, _date_value, _is_year,
    _num_value, _num_value_unscaled,
)

# Entity types whose numbers are names, not figures ("Boeing 737", "Apollo 11").
NAME_ENT_TYPES = {"PRODUCT", "WORK_OF_ART", "LAW", "FAC", "ORG", "EVENT", "PERSON", "GPE", "NORP"}
# Words before a number that make it an identifier or rank, not a figure.
ID_WORDS = {"no", "no.", "number", "#", "flight", "route", "chapter", "section", "article", "room",
            "page", "episode", "season", "level", "gate", "platform", "category", "grade", "class"}
# Bare numbers (no counted noun, qualifier or unit) below this are dropped: at that size
# they are mostly scores, list numbers or codes, while "20,000" alone is still news.
MIN_BARE_VALUE = 1000


def _prev_word_is_id(text: str, s: int) -> bool:
    """A capitalised word (not sentence-initial) or an ID word right before ``s``: "Flight 370"."""
    w0 = max(0, s - 30)
    m = re.search(r"([#\w.’']+)\s*$", text[w0:s])
    if not m:
        return False
    w = m.group(1)
    if w.lower() in ID_WORDS:
        return True
    if not w[:1].isupper() or re.fullmatch(_MONTH, w):
        return False
    before = text[:w0 + m.start(1)].rstrip()
    return bool(before) and before[-1] not in ".!?\"“”‘’:\n("


def extract_figures(text: str, doc=None, include_dates: bool = True) -> list[Figure]:
    """Figures in ``text`` (offsets into ``text``), in reading order.

    ``doc`` (the spaCy parse of ``text``) is optional: with it the counted noun comes from
    the parse, without it from the words after the number. ``include_dates=False`` leaves
    out ``kind == "date"`` figures (dates are still recognised, so they never become counts).
    """
    covered = bytearray(len(text))
    figures: list[Figure] = []

    def free(s, e):
        return not any(covered[s:e])

    def take(s, e):
        covered[s:e] = b"\x01" * (e - s)

    for m in _DATE_RE.finditer(text):
        take(*m.span())
        figures.append(Figure(text=m.group(0), start=m.start(), end=m.end(), value=_date_value(m), kind="date"))
    for m in _TIME_RE.finditer(text):
        if free(*m.span()):
            take(*m.span())
    for m in _ORDINAL_RE.finditer(text):
        if free(*m.span()):
            take(*m.span())
            figures.append(Figure(text=m.group(0), start=m.start(), end=m.end(), value=int(m.group(1)),
                                  kind="ordinal"))

    toks = _Tokens(doc, text) if _same_text(doc, text) else None
    sents = _sentence_starts(text, doc if toks else None)
    for m in _CORE_RE.finditer(text):
        s, e = m.span()
        if not free(s, e) or not m.group(0).strip():
            continue
        fig = _build(text, m, toks)
        if fig is None:
            continue
        if free(fig.start, fig.end):
            take(fig.start, fig.end)
            figures.append(fig)

    figures.sort(key=lambda f: f.start)
    _fill_counts(text, figures, toks, sents)
    # a small number with no noun, unit or qualifier: scores, list items, codes
    return [f for f in figures if not (f.kind == "number" and f.counts is None and f.unit is None
                                       and re.fullmatch(r"[\d,.]+", f.text) and f.value < MIN_BARE_VALUE)
            and (include_dates or f.kind != "date")]


def _same_text(doc, text: str) -> bool:
    """Cheap check that ``doc`` was parsed from ``text`` (offsets line up)."""
    if doc is None or not len(doc):
        return False
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text) and text.startswith(doc[0].text, doc[0].idx)


def _build(text: str, m, toks: Optional[_Tokens], allow_range: bool = True) -> Optional[Figure]:
    """One figure from a number match: currency, range, percent, qualifier, noun."""
    start, end = m.start(), m.end()
    cur = CURRENCY_PREFIX.get(m.group("cur") or "")
    spelled = bool(m.group("sp")) or bool(m.group("a"))
    has_scale = bool(re.search(r"[a-z]", (m.group("scale") or "").lower()))
    if re.fullmatch(r"(?i)mn|m|k", (m.group("scale") or "").strip()) and not cur:
        return None  # "5m" is metres as often as millions
    value = _num_value(m)
    percent = _PERCENT_RE.match(text, end)
    unit, kind = None, "number"
    if percent:
        end = percent.end()
    # range continuation
    low_high = None
    r = _RANGE_RE.match(text, end) if allow_range else None
    if r and r.group("sep").strip() == "and" and not _RANGE_LEAD_RE.search(text[max(0, start - 12):start]):
        r = None
    if r and r.group("sp") and r.group("sp").lower() in SPELLED_NOISE and not r.group("scale"):
        r = None
    if r:
        v2 = _num_value(r)
        if not (m.group("scale") or "").strip() and (r.group("scale") or "").strip():
            value *= v2 / (_num_value_unscaled(r) or 1.0)
        if r.group("sep").strip() in "-–—" and v2 <= value:
            return None  # "2-1": a score or code, not a range
        if v2 <= value:
            return _build(text, m, toks, allow_range=False)  # "sentenced in 2012 to 15 years": not a range
        low_high = [value, v2]
        end = r.end()
        cur = cur or CURRENCY_PREFIX.get(r.group("cur") or "")
        has_scale = has_scale or bool((r.group("scale") or "").strip())
        spelled = spelled and bool(r.group("sp"))
        p2 = _PERCENT_RE.match(text, end)
        if p2:
            percent, end = p2, p2.end()
    lead = _RANGE_LEAD_RE.search(text[max(0, start - 12):start]) if low_high else None
    if lead:
        start -= len(text[max(0, start - 12):start]) - lead.start()
    qual = _QUAL_RE.search(text[max(0, start - 30):start])
    if qual:
        start -= len(text[max(0, start - 30):start]) - qual.start()
    if not cur:
        cw = _CURWORD_RE.match(text, end)
        if cw:
            cur, end = CURRENCY_WORDS[cw.group(1).lower()], cw.end()
    if cur:
        kind, unit = "money", cur
    elif percent:
        kind = "percent"
        unit = "percentage points" if "point" in percent.group(0).lower() else "%"
    elif low_high:
        kind = "range"
    counts = None
    age = _AGE_RE.match(text, end) if kind == "number" else None
    if age:
        end, unit, counts = age.end(), "years old", "age"
    elif kind == "percent":
        counts = _of_phrase(text, toks, end)
    elif kind in ("number", "range"):
        noun = None
        if toks is not None:
            found = _noun_after_parse(toks, end)
            if found:
                noun = (found[0], found[2])
                unit = found[1]
        else:
            noun = _noun_after_regex(text, end)
            if noun:
                unit = noun[0].split()[-1].lower()
        if noun:
            counts, end = noun
        # a bare year (or "between 2014 and 2016") is a date, not a count -- unless a
        # lowercase plural noun follows right away ("2000 people")
        plural = bool(counts) and counts.islower() and " " not in counts and _looks_plural(counts)
        if not qual and not plural and _is_year(m) and (not low_high or _is_year(r)):
            s0 = m.start() if not low_high else start
            return Figure(text=text[s0:r.end() if low_high else m.end()], start=s0,
                          end=r.end() if low_high else m.end(), kind="date",
                          value=int(m.group("dig")) if not low_high else text[m.start():r.end()])
    if spelled and not (counts or has_scale or percent or cur):
        return None  # "two of them", "one of her kidneys"
    if spelled and m.group("sp") and m.group("sp").lower() in SPELLED_NOISE and not has_scale and not low_high:
        return None
    if not cur and not qual and _prev_word_is_id(text, m.start()):
        return None
    if toks is not None:
        t = toks.at(m.start("dig") if m.group("dig") else m.start())
        if t is not None and t.ent_type_ in NAME_ENT_TYPES:
            return None
    return Figure(text=text[start:end], start=start, end=end, value=_clean(low_high or value),
                  unit=unit, counts=counts, kind=kind)
