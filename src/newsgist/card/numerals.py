"""Numbers as they are written in news text: digits, spelled words, scales and units.

The patterns and values behind :mod:`newsgist.card.figures`: a number with its
currency and scale words ("$1.2 million", "£50m", "six", "a thousand"), the second
half of a range ("to 100"), percent and currency words after it, the qualifiers
before it ("more than"), and the dates, times and ordinals that are read first so
they never become counts. What a number counts is :mod:`newsgist.card.counted`.
"""
from __future__ import annotations

import re
from typing import Optional

# Qualifiers kept in a figure's text ("more than 150"); longest first for the regex.
QUALIFIERS = sorted([
    "more than", "less than", "fewer than", "greater than", "higher than", "lower than",
    "no more than", "no fewer than", "no less than", "just over", "just under", "well over",
    "well under", "up to", "at least", "at most", "as many as", "as much as", "as high as",
    "as low as", "as few as", "as little as", "about", "around", "nearly", "almost",
    "approximately", "roughly", "some", "over", "under", "close to", "an estimated",
    "estimated", "upwards of", "in excess of", "a total of", "only",
], key=len, reverse=True)
_QUAL_RE = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in QUALIFIERS)
                      + r")\s+$")
_RANGE_LEAD_RE = re.compile(r"(?i)(?<![\w-])(?:between|from)\s+$")

# Currency symbols/codes before a number, and currency words after it -> ISO code.
CURRENCY_PREFIX = {"$": "USD", "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD",
                   "S$": "SGD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR"}
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "yen": "JPY",
                  "yuan": "CNY", "rupees": "INR", "pesos": "MXN", "francs": "CHF", "rubles": "RUB",
                  "roubles": "RUB"}
_CUR = "(?:US\\$|A\\$|C\\$|NZ\\$|HK\\$|S\\$|\\$|£|€|¥|₹)"

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "bn": 1e9, "m": 1e6, "mn": 1e6, "k": 1e3}
# Spelled numbers that never stand alone as a figure (too often not a count: "one of her kidneys").
SPELLED_NOISE = {"zero", "one"}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SPELLED = (r"(?:(?:" + "|".join(TENS) + r")(?:[-‐ ](?:" + "|".join(list(UNITS)[1:10]) + r"))?|"
            + "|".join(sorted(UNITS, key=len, reverse=True)) + r")")
_SCALE = (r"(?:(?:\s*-?\s*(?i:hundred|thousand|million|billion|trillion)|\s?bn|(?<=\d)(?:mn|m|k))(?![\w]))*")
_NUM = (rf"(?:(?P<dig>{_DIGITS})|(?P<sp>(?i:{_SPELLED}))(?![\w-])"
        r"|(?P<a>(?i:a))(?=\s+(?i:hundred|thousand|million|billion)\b))")
_CORE_RE = re.compile(rf"(?<![\w.,/:$£€-])(?:(?P<cur>{_CUR})\s?)?{_NUM}(?P<scale>{_SCALE})(?![\w])")
_RANGE_RE = re.compile(rf"(?P<sep>\s*(?:to|-|–|—|and)\s*)(?:(?P<cur>{_CUR})\s?)?{_NUM}(?P<scale>{_SCALE})(?![\w])")
_PERCENT_RE = re.compile(r"(?i)\s*(?:%|percentage\s+points?\b|percent\b|per\s+cent\b)")
_CURWORD_RE = re.compile(r"(?i)\s+(" + "|".join(CURRENCY_WORDS) + r")\b")
_AGE_RE = re.compile(r"(?i)[-‐ ]years?[-‐ ]old\b")

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
MONTH_NUM = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}})\b)?"
    rf"|(?P<m3>{_MONTH}),?\s+(?P<y3>\d{{4}})\b"
    r"|(?:(?:early|mid|late|pre|post)[-‐ ])(?P<y4>\d{4})\b"
    r"|(?P<y5>(?:1[5-9]|20)\d\d)\s*[-–/]\s*(?:\d{2}|\d{4})\b"
    r"|(?P<dec>(?:1[5-9]|20)\d0|['’]\d0)s\b"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})\b"
    r"|\d{1,2}/\d{1,2}/\d{2,4}\b|9/11\b)")
_TIME_RE = re.compile(r"(?i)\b\d{1,2}[.:]\d{2}\s*(?:local\s+time|GMT|UTC|[ECMP][SD]?T|BST|CET)\b"
                      r"|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?"
                      r"|\b\d{1,2}(?:\.\d{2})?\s*[ap]\.m\.|\b\d{1,2}\s*[ap]m\b"
                      r"|\b\d+/\d+\b")  # slashes: fractions, "24/7" -- not figures
_ORDINAL_RE = re.compile(r"(?<![\w.,-])(\d+)(?:st|nd|rd|th)\b")
# Years standing alone are dates in this range.
YEAR_RANGE = (1500, 2099)


def _num_value(m) -> Optional[float]:
    """Numeric value of a _NUM match (digits or spelled words), times its scale words."""
    if m.group("dig"):
        v = float(m.group("dig").replace(",", ""))
    elif m.group("sp"):
        v = 0.0
        for w in re.split(r"[-‐ ]", m.group("sp").lower()):
            v += UNITS.get(w, TENS.get(w, 0))
    else:
        v = 1.0
    for s in re.findall(r"[a-z]+", (m.group("scale") or "").lower()):
        v *= SCALES.get(s, 1)
    return v


def _clean(v):
    if isinstance(v, list):
        return [_clean(x) for x in v]
    return int(v) if v is not None and float(v).is_integer() and abs(v) < 1e15 else v


def _date_value(m):
    g = m.groupdict()
    mon = g.get("m1") or g.get("m2") or g.get("m3")
    day = g.get("d1") or g.get("d2")
    year = g.get("y1") or g.get("y2") or g.get("y3") or g.get("y4") or g.get("y5")
    if g.get("iso"):
        return g["iso"]
    if g.get("dec"):
        return m.group(0)
    if mon:
        parts = [year] if year else []
        parts.append(f"{MONTH_NUM[mon[:3].lower()]:02d}")
        if day:
            parts.append(f"{int(day):02d}")
        return "-".join(parts) if year else "--" + "-".join(parts)
    return int(year) if year else m.group(0)


def _is_year(m) -> bool:
    dig = m.group("dig") or ""
    return bool(re.fullmatch(r"\d{4}", dig)) and YEAR_RANGE[0] <= int(dig) <= YEAR_RANGE[1] \
        and not (m.group("scale") or "").strip()


def _num_value_unscaled(m) -> float:
    if m.group("dig"):
        return float(m.group("dig").replace(",", ""))
    if m.group("sp"):
        return float(sum(UNITS.get(w, TENS.get(w, 0)) for w in re.split(r"[-‐ ]", m.group("sp").lower())))
    return 1.0
