"""People, organisations and places named in an article, merged across variants.

:func:`extract_entities` turns spaCy's entity spans into merged :class:`Entity`
records. On top of spaCy it applies a few light rules (finding the mentions is
:mod:`newsgist.card.gather`, the mention record and merge key :mod:`newsgist.card.mentions`;
merging them is this module):

* types: PERSON -> ``PERSON``; ORG -> ``ORG``; GPE/LOC/FAC -> ``PLACE``. NORP
  ("Afghan", "Haqqani") is dropped unless the same words are tagged ORG elsewhere
  in the article, or it names a group ("Haqqani militant network", see below).
* variants merge on a normalised key: case, hyphens, dots, possessive "'s", a
  leading "the" and a few fixed aliases ("U.S." = "United States") do not matter,
  so "al Qaeda", "al-Qaeda", "Al Qaeda" and "al Qaeda's" are one ORG. A key
  tagged with several labels takes the majority label.
* a partial person name ("Stanikzai", "bin Laden") joins the full name that
  contains it (the nearest preceding one when several do); a name that spaCy
  tagged ORG but that is the surname of a person in the text becomes that person.
* "<Name> [adjectives] network/movement/..." where <Name> is tagged NORP or PERSON
  becomes an ORG named "<Name> network" (descriptive adjectives dropped), so
  "Haqqani militant network" is found as "Haqqani network".
* "<ORG> in the <Proper Name>" is one organisation ("al Qaeda in the Indian
  Subcontinent"), kept apart from "<ORG>".
* after spaCy, known names are searched again in the text, so untagged mentions
  ("said Stanikzai.") are counted too.
* titles for people: pre-name title words ("Acting Defense Minister", "U.S.
  General") plus a comma-delimited appositive with a role noun and no finite verb
  ("former commander in Afghanistan"), or "<role phrase>, <Name>,". These rules and
  the title vocabulary live in :mod:`newsgist.card.titles`.

:func:`canonical_person` maps a mention ("Buchanan", "Gen. Buchanan") to the merged
PERSON; :func:`title_for` gives that person's title.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from typing import Optional

from newsgist.types import Entity
from newsgist.card.gather import _find_more, _raw_mentions
from newsgist.card.mentions import _DASHES, _Mention, norm_key
from newsgist.card.titles import HONORIFICS, TITLE_MODIFIERS, TITLE_WORDS, _title_of

# News outlets: dropped when every mention is only a source label ("told CNN",
# "Source: CNN", a dateline "Kabul, Afghanistan CNN —"), kept when the article is about them.
OUTLETS = {"cnn", "bbc", "reuters", "ap", "associated press", "afp", "cnn com", "mailonline",
           "daily mail", "fox news", "nbc", "abc", "cbs", "sky news"}
_OUTLET_BEFORE = re.compile(r"(?:\btold(?:\s+the)?|\bSource:|\(|\bto|\bwith|\bby|\bcontacted|\bon)\s*$")
# (an outlet ending its paragraph: a blank line after it in the body; a soft break inside a hard-wrapped
# paragraph read as one, reading/softwrap.py, is no paragraph end. In a body without one every newline
# is a paragraph break's "\n\n", so this reads as the old "\s*\n" there.)
_OUTLET_AFTER = re.compile(r"^(?:\s*[)—–-]|\s+(?:affiliate|reported|has learned|that|cannot|could not)\b"
                           r"|['’]s\s+[A-Z]|\s*\n\s*\n)")


def _is_outlet_label(text: str, m: _Mention) -> bool:
    return bool(_OUTLET_BEFORE.search(text[max(0, m.start - 12):m.start])
                or _OUTLET_AFTER.search(text[m.end:m.end + 16]))


def _assign_types(mentions):
    """Majority label per key; NORP survives only where the key is also an ORG."""
    by_key: dict[str, Counter] = {}
    first: dict[str, str] = {}
    for m in mentions:
        by_key.setdefault(m.key, Counter())[m.label] += 1
        first.setdefault(m.key, m.label)
    out = []
    for m in mentions:
        votes = by_key[m.key]
        if votes.get("ORG"):
            votes = votes + Counter({"ORG": votes.get("NORP", 0)})
        votes = Counter({k: v for k, v in votes.items() if k != "NORP"})
        if not votes:
            continue
        m.label = max(votes, key=lambda lab: (votes[lab], lab == first[m.key]))
        out.append(m)
    return out


def _contains(big: list, small: list) -> bool:
    n = len(small)
    return any(big[i:i + n] == small for i in range(len(big) - n + 1))


def _cluster(mentions) -> list[list[_Mention]]:
    """Group mentions by key, then fold partial person names into full ones."""
    groups: dict[str, list[_Mention]] = {}
    for m in mentions:
        groups.setdefault((m.label, m.key), []).append(m)
    persons = [k for (lab, k) in groups if lab == "PERSON"]
    full = [k for k in persons if len(k.split()) >= 2 and not any(
        o != k and len(o.split()) > len(k.split()) and _contains(o.split(), k.split()) for o in persons)]
    # an ORG that is exactly a full person's surname is that person (spaCy mislabel)
    for (lab, k) in list(groups):
        if lab == "ORG" and any(f.split()[-1] == k for f in full):
            for m in groups.pop((lab, k)):
                m.label = "PERSON"
                groups.setdefault(("PERSON", k), []).append(m)
    persons = [k for (lab, k) in groups if lab == "PERSON"]
    starts: dict[str, list[int]] = {}  # sorted mention starts of a full name, kept as mentions move in
    for k in persons:
        if k in full:
            continue
        cands = [f for f in full if _contains(f.split(), k.split())]
        if not cands:
            continue
        for m in groups.pop(("PERSON", k)):
            target = _nearest(cands, groups, m.start, starts)
            groups[("PERSON", target)].append(m)
            insort(starts[target], m.start)
    return list(groups.values())


def _nearest(cands, groups, pos, starts):
    """The candidate full name mentioned closest before ``pos`` (else the first mentioned).

    ``starts`` caches each candidate's sorted mention starts: a bisection, not a scan of
    all its mentions for every mention (quadratic on long texts, issue 17)."""
    def sorted_starts(k):
        if k not in starts:
            starts[k] = sorted(m.start for m in groups[("PERSON", k)])
        return starts[k]

    def last_before(k):
        s = sorted_starts(k)
        i = bisect_left(s, pos)
        return s[i - 1] if i else -1
    best = max(cands, key=last_before)
    if last_before(best) >= 0:
        return best
    return min(cands, key=lambda k: sorted_starts(k)[0])


# ---------------------------------------------------------------- public API

def _canonical(cluster) -> str:
    forms = Counter((m.display or m.surface) for m in cluster)
    first = {}
    for m in sorted(cluster, key=lambda m: m.start):
        first.setdefault(m.display or m.surface, m.start)
    return max(forms, key=lambda f: (len(re.split(f"[\\s{_DASHES}]+", f)), forms[f], -first[f]))


def extract_entities(text: str, doc=None) -> list[Entity]:
    """Merged PERSON/ORG/PLACE entities of ``text``; ``doc`` is ``load_nlp()(text)``.

    Sorted by mention count (descending), then first appearance. Spans are offsets
    into ``text`` of each mention's name (without "the" or possessive "'s").
    """
    if doc is None:
        from newsgist.card.nlp import load_nlp
        doc = load_nlp()(text)
    mentions = _assign_types(_raw_mentions(text, doc))
    clusters = _cluster(mentions)
    clusters = [c for c in clusters if not (c[0].key in OUTLETS and all(_is_outlet_label(text, m) for m in c))]
    _find_more(text, doc, clusters)
    out = []
    for c in clusters:
        c.sort(key=lambda m: m.start)
        name = _canonical(c)
        variants = []
        for m in c:
            for f in (m.surface, m.display):
                if f and f not in variants:
                    variants.append(f)
        title = None
        if c[0].label == "PERSON":
            for m in c:
                title = _title_of(doc, m)
                if title:
                    break
        out.append(Entity(name=name, type=c[0].label, variants=variants, mentions=len(c),
                          title=title, spans=[(m.start, m.end) for m in c]))
    out.sort(key=lambda e: (-e.mentions, e.spans[0][0]))
    return out


def _person_key(mention: str) -> list[str]:
    words = norm_key(mention).split()
    while len(words) > 1 and (words[0] in TITLE_WORDS or words[0] in HONORIFICS or words[0] in TITLE_MODIFIERS):
        words = words[1:]
    return words


def canonical_person(mention: str, entities: list[Entity], at: Optional[int] = None) -> Optional[Entity]:
    """The merged PERSON entity that ``mention`` ("Stanikzai", "Gen. Buchanan") refers to.

    Candidates: persons that have the mention (titles dropped) as name or variant, or
    whose full name contains its words. With several, the one mentioned nearest before
    offset ``at`` (when given), else an exact match, else the most mentioned.
    ``None`` if no person fits (pronouns, unknown names).
    """
    words = _person_key(mention or "")
    persons = [e for e in entities if e.type == "PERSON"]
    exact, cands = [], []
    for k in range(len(words)):  # "U.S. General John Campbell" -> try "john campbell" too
        tail = words[k:]
        exact = [e for e in persons if tail in [norm_key(v).split() for v in e.variants + [e.name]]]
        cands = exact + [e for e in persons if e not in exact and _contains(norm_key(e.name).split(), tail)]
        if cands:
            break
    if not cands:
        return None
    if at is not None:
        before = [(max((s for s, _ in e.spans if s <= at), default=-1), e) for e in cands]
        best = max(before, key=lambda p: p[0])
        if best[0] >= 0:
            return best[1]
    return max(cands, key=lambda e: (e in exact, e.mentions))


def title_for(name: str, entities: list[Entity], at: Optional[int] = None) -> Optional[str]:
    """The title of the person ``name`` refers to (see :func:`canonical_person`), or None."""
    e = canonical_person(name, entities, at)
    return e.title if e else None
