"""People, organisations and places named in an article, merged across variants.

:func:`extract_entities` turns spaCy's entity spans into merged :class:`Entity`
records. On top of spaCy it applies a few light rules:

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

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import numpy
from spacy.strings import hash_string

from newsgist.types import Entity
from newsgist.card.titles import HONORIFICS, TITLE_MODIFIERS, TITLE_WORDS, _title_of, _word

# spaCy label -> card type. NORP is handled separately (only kept as a group name).
TYPE_OF_LABEL = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}

# Different spellings of the same place/organisation, after key normalisation.
ALIASES = {
    "us": "united states", "usa": "united states", "united states of america": "united states",
    "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "un": "united nations", "isil": "isis",
}

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

# News outlets: dropped when every mention is only a source label ("told CNN",
# "Source: CNN", a dateline "Kabul, Afghanistan CNN —"), kept when the article is about them.
OUTLETS = {"cnn", "bbc", "reuters", "ap", "associated press", "afp", "cnn com", "mailonline",
           "daily mail", "fox news", "nbc", "abc", "cbs", "sky news"}
_OUTLET_BEFORE = re.compile(r"(?:\btold(?:\s+the)?|\bSource:|\(|\bto|\bwith|\bby|\bcontacted|\bon)\s*$")
_OUTLET_AFTER = re.compile(r"^(?:\s*[)—–-]|\s+(?:affiliate|reported|has learned|that|cannot|could not)\b"
                           r"|['’]s\s+[A-Z]|\s*\n)")

# Longest person name accepted, in tokens (longer spans are spaCy run-ons).
MAX_PERSON_TOKENS = 5

_DASHES = "‐‑–—-"  # hyphen last so it is literal inside [...]


@functools.lru_cache(maxsize=4096)
def norm_key(s: str) -> str:
    """Normalised merge key: lowercase, no dots/hyphens/possessive/leading 'the', aliased."""
    s = unicodedata.normalize("NFKC", s or "").replace("’", "'").replace("‘", "'").lower().strip()
    s = re.sub(r"'s?$", "", s)
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(f"[{_DASHES}]", " ", s).replace(".", "")
    s = re.sub(r"[^\w&' ]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return ALIASES.get(s, s)




@dataclass
class _Mention:
    start: int          # char span of the cleaned surface form
    end: int
    label: str          # PERSON / ORG / PLACE / NORP
    surface: str
    key: str
    tok: int = -1       # first token of the name (after any stripped title)
    tok_end: int = -1   # token after the name
    display: Optional[str] = None  # preferred canonical form ("Haqqani network")
    title_words: list = field(default_factory=list)  # titles stripped from inside the span


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


def _is_outlet_label(text: str, m: _Mention) -> bool:
    return bool(_OUTLET_BEFORE.search(text[max(0, m.start - 12):m.start])
                or _OUTLET_AFTER.search(text[m.end:m.end + 16]))


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
    for k in persons:
        if k in full:
            continue
        cands = [f for f in full if _contains(f.split(), k.split())]
        if not cands:
            continue
        for m in groups.pop(("PERSON", k)):
            target = _nearest(cands, groups, m.start)
            groups[("PERSON", target)].append(m)
    return list(groups.values())


def _nearest(cands, groups, pos):
    """The candidate full name mentioned closest before ``pos`` (else the first mentioned)."""
    def last_before(k):
        starts = [m.start for m in groups[("PERSON", k)] if m.start < pos]
        return max(starts) if starts else -1
    best = max(cands, key=last_before)
    if last_before(best) >= 0:
        return best
    return min(cands, key=lambda k: min(m.start for m in groups[("PERSON", k)]))


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
        for j in reversed([k + 1 for k in lasts if i <= k < i + max_tokens]):  # longest first
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
