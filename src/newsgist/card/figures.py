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
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Optional

from newsgist.types import Figure

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
_AGE_BEFORE_RE = re.compile(r"(?i)\b(?:aged?|ages)\s+(?:of\s+)?(?:between\s+|from\s+)?$")
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

# Words that end a counted-noun phrase when there is no parse.
STOPWORDS = set("""a an the of in on at to for from by with and or but as is are was were be been has have
had do does did not no this that these those its his her their our your my it they them he she we you
i who which what when where than then so if also more most less per each every other such said says
about over under after before during into out up down off again very just only all any both some""".split())
IRREGULAR_PLURALS = {"people", "children", "men", "women", "police", "personnel", "staff", "cattle",
                     "sheep", "fish", "feet", "teeth", "mice", "geese", "troops", "data", "crew"}
# Head words whose "of"-phrase names what a later bare number counts ("the number of X ... 300").
COUNT_HEADS = {"number", "total", "tally", "count", "population"}
_COUNT_OF_RE = re.compile(r"(?i)\b(?:" + "|".join(COUNT_HEADS)
                          + r")\s+of\s+(?:the\s+)?((?:[\w'’-]+\s+){0,5}?[\w'’-]*[a-rt-z]s)\b")
# Entity types whose numbers are names, not figures ("Boeing 737", "Apollo 11").
NAME_ENT_TYPES = {"PRODUCT", "WORK_OF_ART", "LAW", "FAC", "ORG", "EVENT", "PERSON", "GPE", "NORP"}
# Words before a number that make it an identifier or rank, not a figure.
ID_WORDS = {"no", "no.", "number", "#", "flight", "route", "chapter", "section", "article", "room",
            "page", "episode", "season", "level", "gate", "platform", "category", "grade", "class"}
# Bare numbers (no counted noun, qualifier or unit) below this are dropped: at that size
# they are mostly scores, list numbers or codes, while "20,000" alone is still news.
MIN_BARE_VALUE = 1000
# Farthest the counted head noun may be from the number, in tokens ("31,683 expected fans").
MAX_NOUN_DISTANCE = 4


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


def _looks_plural(w: str) -> bool:
    w = w.lower()
    return w in IRREGULAR_PLURALS or (w.endswith("s") and not w.endswith(("ss", "us", "is")) and w not in STOPWORDS)


def _noun_after_regex(text: str, pos: int) -> Optional[tuple[str, int]]:
    """Counted noun right after ``pos`` without a parse: up to 3 words ending in a plural."""
    m = re.match(r"((?:\s+[a-z][\w-]*){1,3})", text[pos:pos + 60])
    if not m:
        return None
    words = re.findall(r"[a-z][\w-]*", m.group(1))
    best = None
    for k, w in enumerate(words):
        if w in STOPWORDS:
            break
        if _looks_plural(w):
            best = k
            break
    if best is None:
        return None
    end = pos + [mm.end() for mm in re.finditer(r"[a-z][\w-]*", m.group(1))][best]
    return " ".join(words[:best + 1]), end


class _Tokens:
    """Char-offset -> token lookup on a spaCy Doc."""

    def __init__(self, doc, text: str):
        self.doc = doc
        self.text = text
        self.starts = doc.to_array("IDX").tolist()

    def at(self, pos: int):
        i = bisect_right(self.starts, pos) - 1
        return self.doc[i] if i >= 0 else None


def _noun_after_parse(toks: _Tokens, num_end: int) -> Optional[tuple[str, str, int]]:
    """Counted noun from the parse: the head the number modifies, a few tokens to the right."""
    t = toks.at(num_end - 1)
    if t is None:
        return None
    head = t.head
    if head.i <= t.i or head.i - t.i > MAX_NOUN_DISTANCE or head.pos_ not in ("NOUN", "PROPN") or \
            t.dep_ not in ("nummod", "quantmod", "compound", "amod", "npadvmod", "nmod"):
        head = _plural_noun_after(toks.doc, t.i)  # parse did not attach it ("between 5 and 10 people")
        if head is None:
            return None
    if head.i + 1 < len(toks.doc) and toks.doc[head.i + 1].tag_ == "POS":
        return None  # "15 million baseball's ...": a possessor, not the counted noun
    mids = toks.doc[t.i + 1:head.i]
    if any(x.is_punct and x.text not in "-‐" or x.pos_ in ("DET", "ADP", "PRON", "AUX", "CCONJ") for x in mids):
        return None
    phrase = toks.doc[t.i + 1:head.i + 1]
    start = phrase[0].idx
    if start != num_end and text_gap(toks.text, num_end, start):
        return None
    end = head.idx + len(head.text)
    glued = re.match(r"(?:[-‐]\w+)+", toks.text[end:end + 40])  # "two co-hosts"
    if glued:
        end += glued.end()
    return toks.text[start:end].lstrip("-‐ "), toks.text[head.idx:end], end


def _plural_noun_after(doc, i: int):
    """First plural noun within a few adjective/noun tokens after token ``i``, or None."""
    for j in range(i + 1, min(len(doc), i + 1 + MAX_NOUN_DISTANCE)):
        t = doc[j]
        compound = j + 1 < len(doc) and doc[j + 1].tag_ in ("NNS", "NN") and t.dep_ == "compound"
        if t.tag_ in ("NNS", "NNPS") and not compound:
            return t
        if t.pos_ not in ("ADJ", "NOUN") and t.tag_ != "VBN":
            return None
    return None


def _of_phrase(text: str, toks: Optional[_Tokens], pos: int) -> Optional[str]:
    """What a percentage is of: '6% of crashes in New Zealand' -> 'crashes'."""
    m = re.match(r"\s+of\s+(?:the\s+|all\s+|their\s+|its\s+)?", text[pos:pos + 30])
    if not m:
        return None
    if toks is not None:
        t = toks.at(pos + m.end())
        if t is None or t.idx != pos + m.end():
            return None
        j = t.i
        while j < len(toks.doc) - 1 and j - t.i < MAX_NOUN_DISTANCE and (toks.doc[j].dep_ == "case" or (
                toks.doc[j].dep_ in ("compound", "amod", "nummod", "poss") and toks.doc[j].head.i > j)):
            j += 1
        if toks.doc[j].pos_ not in ("NOUN", "PROPN"):
            return None
        return toks.doc[t.i:j + 1].text
    found = _noun_after_regex(text, pos + m.end() - 1)
    return found[0] if found else None


def text_gap(text: str, a: int, b: int) -> bool:
    """True when text[a:b] holds more than spaces/hyphens (the noun is not adjacent)."""
    return bool(re.search(r"[^\s\-‐]", text[a:b]))


def _count_of_phrase(text: str, toks: Optional[_Tokens], sent_start: int, pos: int) -> Optional[str]:
    """'the number of core al Qaeda operatives ... as high as 300' -> 'core al Qaeda operatives'."""
    before = text[sent_start:pos]
    if re.search(r"(?i)\b(?:death|casualty|body)\s+toll\b", before):
        return "deaths"
    if toks is not None:
        best = None
        for t in toks.doc.char_span(sent_start, pos, alignment_mode="contract") or []:
            if t.lower_ in COUNT_HEADS and t.i + 1 < len(toks.doc) and toks.doc[t.i + 1].lower_ == "of":
                pobj = [c for c in toks.doc[t.i + 1].children if c.dep_ == "pobj"]
                if pobj and pobj[0].idx < pos:
                    left = pobj[0].left_edge
                    while left.pos_ == "DET" and left.i < pobj[0].i:
                        left = toks.doc[left.i + 1]
                    best = toks.doc[left.i:pobj[0].i + 1].text
        return best
    m = None
    for m in _COUNT_OF_RE.finditer(before):
        pass
    return m.group(1) if m else None


def _sentence_starts(text: str, doc) -> list[int]:
    if doc is not None:
        return [s.start_char for s in doc.sents]
    return [0] + [m.end() for m in re.finditer(r"[.!?][\"”’]?\s+(?=[\"“‘]?[A-Z0-9])|\n\s*\n", text)]


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


def _fill_counts(text: str, figures: list[Figure], toks, sents) -> None:
    """Counts for bare numbers: a 'number of X' phrase earlier in the sentence, else the
    previous count figure in the same sentence ("50 to 100 members, ... more than 150")."""
    prev_by_sent: dict[int, Figure] = {}
    for f in figures:
        si = bisect_right(sents, f.start) - 1
        if f.kind not in ("number", "range"):
            continue
        if f.counts is None and _AGE_BEFORE_RE.search(text[max(0, f.start - 20):f.start]):
            f.counts = "age"  # "aged 18-35", "ages 22 to 27"
        if f.counts is None:
            f.counts = _count_of_phrase(text, toks, sents[max(si, 0)], f.start)
            if f.counts is None and si in prev_by_sent:
                f.counts = prev_by_sent[si].counts
                f.unit = f.unit or prev_by_sent[si].unit
            elif f.counts and not f.unit:
                f.unit = f.counts.split()[-1].lower()
        if f.counts and f.counts != "age":
            prev_by_sent[si] = f
    # "1-6", "6-3": a hyphenated pair that counts nothing is a score, not a range
    figures[:] = [f for f in figures if not (f.kind == "range" and f.counts is None and
                                             re.fullmatch(r"[\d.,]+\s*[-–—]\s*[\d.,]+", f.text))]
