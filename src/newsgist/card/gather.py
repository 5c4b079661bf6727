"""Mentions of people, organisations and places: where in the text each name stands.

:func:`_raw_mentions` turns spaCy's entity spans into cleaned :class:`_Mention` records
(NORP still included; :mod:`newsgist.card.entities` settles the types and merges them):

* types: PERSON -> ``PERSON``; ORG -> ``ORG``; GPE/LOC/FAC -> ``PLACE``.
* "<Name> [adjectives] network/movement/..." where <Name> is tagged NORP or PERSON
  becomes an ORG named "<Name> network" (descriptive adjectives dropped), so
  "Haqqani militant network" is found as "Haqqani network".
* "<ORG> in the <Proper Name>" is one organisation ("al Qaeda in the Indian
  Subcontinent"), kept apart from "<ORG>".
* a span is trimmed of quotes, a leading "the" and a possessive; title words and
  honorifics spaCy put inside a person's name are stripped (titles kept on the
  mention); run-on spans, numbers, generic regions and calendar words are not names.

:func:`_find_more` searches known names again in the text, so untagged mentions
("said Stanikzai.") are counted too.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

import numpy
from newsgist.card.spacy_start import import_spacy

import_spacy()  # spaCy without its command line (card/spacy_start.py), before the import below
from spacy.strings import hash_string  # noqa: E402

from newsgist.card.mentions import _DASHES, _Mention, norm_key
from newsgist.card.titles import HONORIFICS, TITLE_WORDS, _word

# spaCy label -> card type. NORP is handled separately (only kept as a group name).
TYPE_OF_LABEL = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}

# Head nouns that turn "<NORP/PERSON name> [adj] <head>" into an organisation.
GROUP_HEADS = {"network", "networks", "movement", "militia", "faction", "group", "clan",
               "brigade", "brigades", "cartel", "gang", "tribe"}
# At most this many descriptive words between the name and the group head noun.
MAX_GROUP_MODIFIERS = 2

# Region words after "in the" that do not make "<ORG> in the X" a new organisation
# (and that are too generic to list as places on their own).
GENERIC_REGIONS = {"west", "east", "north", "south", "midwest", "region", "world"}

# Month and weekday names spaCy sometimes tags as names in listings ("Jun 7 Vancouver").
CALENDAR_WORDS = set("""january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday
sunday""".split())

# Longest person name accepted, in tokens (longer spans are spaCy run-ons).
MAX_PERSON_TOKENS = 5


def _clean_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim quotes/commas/dashes, a leading 'the' and a trailing possessive from text[s:e]."""
    strip = " \t\n,;:\"“”‘'’()[]" + _DASHES
    while s < e and (text[s] in strip or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in strip or text[e - 1].isspace()) and not re.search(r"\w['’]$", text[s:e]):
        e -= 1
    m = re.match(r"(?i)the\s+", text[s:e])
    if m and e - s > m.end():
        s += m.end()
    m = re.search(r"['’]s?$", text[s:e])
    if m and m.start() > 0:
        e = s + m.start()
    return s, e


def _group_head_rule(doc, ents):
    """'<NORP/PERSON> [adj...] network' -> ORG span with display '<Name> network'."""
    out = []
    for s, e, label in ents:
        if label in ("NORP", "PERSON") and doc[e - 1].tag_ in ("NNP", "NNPS"):
            j = e
            while j < len(doc) and j - e < MAX_GROUP_MODIFIERS and doc[j].is_lower and \
                    doc[j].pos_ == "ADJ" and doc[j].lower_ not in GROUP_HEADS:
                j += 1
            if j < len(doc) and doc[j].lower_ in GROUP_HEADS and doc[j].is_lower:
                out.append((s, j + 1, "ORG", f"{doc[s:e].text} {doc[j].text}"))
                continue
        out.append((s, e, label, None))
    return out


def _in_the_rule(doc, ents, org_keys):
    """Join '<ORG> in the <Proper Name>' into one ORG (the right part must not be a GPE)."""
    out = list(ents)
    for idx, (s, e, label, disp) in enumerate(out):
        if label is None:
            continue
        # right part: "the X ..." entity (or "X" entity preceded by "the") after "in"
        rs = s + 1 if doc[s].lower_ == "the" else s
        if label not in ("ORG", "LOC") or rs >= e or not doc[rs].is_title:
            continue
        the = rs - 1 if doc[s].lower_ != "the" else s
        if the < 1 or doc[the].lower_ != "the" or doc[the - 1].lower_ != "in":
            continue
        if norm_key(doc[rs:e].text) in GENERIC_REGIONS:
            continue
        left_end = the - 1
        left = None
        for k, (s2, e2, l2, _) in enumerate(out):  # a tagged ORG right before "in"
            if l2 == "ORG" and e2 == left_end:
                left = (k, s2)
        if left is None:  # an untagged known ORG name right before "in"
            for n in range(1, 5):
                ls = left_end - n
                if ls >= 0 and norm_key(doc[ls:left_end].text) in org_keys:
                    left = (None, ls)
        if left is None:
            continue
        k, ls = left
        out[idx] = (ls, e, "ORG", None)
        if k is not None:
            out[k] = (s, e, None, None)  # consumed
    return [x for x in out if x[2] is not None]


def _raw_mentions(text: str, doc) -> list[_Mention]:
    """spaCy entities after the span rules, cleaned, as mentions (NORP still included)."""
    ents = [(e.start, e.end, e.label_) for e in doc.ents
            if e.label_ in TYPE_OF_LABEL or e.label_ == "NORP"]
    ents = _group_head_rule(doc, ents)
    org_keys = {norm_key(doc[s:e].text) for s, e, lab, _ in ents if lab == "ORG"}
    ents = _in_the_rule(doc, ents, org_keys)
    mentions = []
    for s, e, label, disp in ents:
        titles = []
        if label == "PERSON":  # titles/honorifics spaCy put inside the name
            while e - s > 1 and (_word(doc[s].text) in TITLE_WORDS or _word(doc[s].text) in HONORIFICS) \
                    and doc[s].is_title:
                if _word(doc[s].text) not in HONORIFICS:
                    titles.append(doc[s].text)
                s += 1
            while e - s > 1 and (doc[e - 1].is_punct or any(ch.isdigit() for ch in doc[e - 1].text)):
                e -= 1  # "Levante 2-0": a score glued to a name
            if e - s > MAX_PERSON_TOKENS or any(ch.isdigit() for ch in doc[s:e].text):
                continue  # run-on spans ("Jun 7 Vancouver") are not names
        cs, ce = _clean_span(text, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text))
        surface = text[cs:ce]
        key = norm_key(disp or surface)
        if not key or len(key) < 2 or not any(c.isupper() for c in surface) or key.isdigit():
            continue
        if key in GENERIC_REGIONS or key in CALENDAR_WORDS:
            continue
        mentions.append(_Mention(cs, ce, TYPE_OF_LABEL.get(label, label), surface, key,
                                 s, e, disp, titles))
    return mentions


def _shape(s: str) -> str:
    return re.sub(f"[\\s{_DASHES}]+", " ", s.replace("’", "'"))[1:]


def _find_more(text: str, doc, clusters) -> None:
    """Add untagged mentions of names already known (case-faithful, outside known spans)."""
    covered = bytearray(len(text))
    for c in clusters:
        for m in c:
            covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    forms: dict[str, tuple[int, set]] = {}  # key -> (cluster index, shapes)
    surnames = Counter()
    for c in clusters:
        if c[0].label == "PERSON":
            for k in {m.key for m in c if len(m.key.split()) >= 2}:
                surnames[k.split()[-1]] += 1
    for ci, c in enumerate(clusters):
        for m in c:
            forms.setdefault(m.key, (ci, set()))[1].add(_shape(m.surface))
            if c[0].label == "PERSON" and len(m.key.split()) >= 2:
                last = m.surface.split()[-1]
                lk = norm_key(last)
                if surnames[lk] == 1 and (lk not in forms or forms[lk][0] == ci):
                    forms.setdefault(lk, (ci, set()))[1].add(_shape(last))
    if not forms:
        return
    # candidate spans start at a token equal to some form's first word and end at one equal
    # to some form's last word (compared as lowercase hashes: no Python loop over tokens)
    surfaces = [m.surface for c in clusters for m in c]
    surfaces += [f.split()[-1] for f in surfaces]
    words = [re.split(f"[\\s{_DASHES}]+", f.lower().strip()) for f in surfaces if f.strip()]
    lower = doc.to_array("LOWER")
    is_first = numpy.isin(lower, numpy.array([hash_string(w[0]) for w in words], dtype=lower.dtype))
    is_last = numpy.isin(lower, numpy.array([hash_string(w[-1]) for w in words], dtype=lower.dtype))
    idx = doc.to_array("IDX").tolist()
    max_tokens = min(2 * max(len(w) for w in words) + 1, MAX_PERSON_TOKENS * 2)
    lasts = numpy.nonzero(is_last)[0].tolist()
    for i in numpy.nonzero(is_first)[0].tolist():
        if covered[idx[i]]:
            continue
        hit = None
        # lasts is sorted: bisect to the window, a scan of all of them was quadratic (issue 17)
        for j in reversed([k + 1 for k in lasts[bisect_left(lasts, i):bisect_left(lasts, i + max_tokens)]]):
            s, e = idx[i], idx[j - 1] + len(doc[j - 1].text)
            surface = text[s:e]
            key = norm_key(surface)
            if key in forms and _shape(surface) in forms[key][1] and not any(covered[s:e]):
                hit = (j, s, e, surface, key)
                break
        if hit is None or (hit[0] - i == 1 and not _alone(doc, i)):
            continue
        j, s, e, surface, key = hit
        ci = forms[key][0]
        clusters[ci].append(_Mention(s, e, clusters[ci][0].label, surface, key, i, j))
        covered[s:e] = b"\x01" * (e - s)


def _alone(doc, i: int) -> bool:
    """A one-token name must be a proper noun not glued to other capitalised proper nouns."""
    t = doc[i]
    if t.pos_ != "PROPN":
        return False
    if i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN" and doc[i + 1].is_title:
        return False
    return not (i > 0 and not t.is_sent_start and doc[i - 1].pos_ == "PROPN" and doc[i - 1].is_title)
