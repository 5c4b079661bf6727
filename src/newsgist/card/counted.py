"""What a figure counts: the noun after a number, or one found earlier in the sentence.

Used by :mod:`newsgist.card.figures`. With a spaCy parse the counted noun is the head
the number modifies (or the first plural noun a few tokens on); without one it is
the first plural among the next few words. Percentages count their "of" phrase
("6% of crashes"). :func:`_fill_counts` gives bare numbers a count from a "number of
X" phrase earlier in the sentence, else from the previous count in the same sentence,
marks "aged 18-35" as ages and drops hyphenated pairs that count nothing (scores).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Optional

from newsgist.card.limits import COUNT_PHRASE_MAX_CHARS
from newsgist.types import Figure

_AGE_BEFORE_RE = re.compile(r"(?i)\b(?:aged?|ages)\s+(?:of\s+)?(?:between\s+|from\s+)?$")

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
# Farthest the counted head noun may be from the number, in tokens ("31,683 expected fans").
MAX_NOUN_DISTANCE = 4


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
            # the look-back is capped (card/limits.py): linear on a run-on "sentence" of numbers
            start = max(sents[max(si, 0)], f.start - COUNT_PHRASE_MAX_CHARS)
            f.counts = _count_of_phrase(text, toks, start, f.start)
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
