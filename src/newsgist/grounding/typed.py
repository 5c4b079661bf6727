"""A name of another type put where the article has a name (issue 26, session 6c).

Session 6 read the name swaps the checker misses: most real ones change what KIND of thing
stands in the slot -- a person where a team stood ("[Peter Moores] were bowled out" for
"Bangladesh were bowled out"), a place for a person ("[Kansas], 34, said" for "Miller, 34,
said"). :func:`typed_swaps` takes the slots of :func:`newsgist.grounding.swapped.swaps` (a name X
of the line where the aligned article sentence has another name Y, every alias guard kept),
read with a looser context than the copy-form rule (:data:`CONTEXT`, :data:`EDGE_CONTEXT`,
:data:`MIN_CONTEXT_CONTENT`), and keeps those where the ARTICLE's own words give X and Y
different types (:func:`kind_of`): a person against a non-person (a team, a place, an
organisation). The article types its names by the words it writes right beside them:

* a person: a title or role before it ("Mr", "coach", "striker", "minister"), or after it
  "said" / "told" / "who", "'s wife" ...; an age in commas anywhere (", 34,");
* a non-person: "in" / "at" / "near" / "the" before it, or after it "boss", "fans", "side",
  "club", "'s manager" ...

A name's type is read at each of its mentions in the article (at most :data:`MAX_MENTIONS`) and
decided only when its cues agree (:data:`MIN_CUES`, :data:`DOMINANCE`); an undecided name never
fires. Case-free: the cues are lower-cased words, so a lower-cased article is read alike.
A faithful "the minister" / "he" resolved to a name has no name in the sentence's slot and is
never read (swapped.py). Where no slot aligns (a paraphrased line), :func:`retyped` compares the
type the LINE's own words give a name ("[Port Alder], a retired police officer") with the
article's. With :data:`HARD` on, either is a hard ``name`` piece (check.hard_pieces).
"""
from __future__ import annotations

import re

from newsgist.grounding.claims import fold, is_content, runs, stem
from newsgist.grounding.swapped import MAX_LINE, MAX_SLOTS, _gap, _name_tok, _spelt, swaps

# Whether a typed swap is a hard ``name`` piece of check.line_evidence: off. Against 327f055 on
# sumllm-train 200-399 it caught 2 more of 195 synthetic.py name swaps (0.774 -> 0.785; the
# registered bar was +0.02) and rejected faithful lines ("interest in [Rhodes]" types a person as
# a place): GPT-4 / gpt3 accepted 0.8614 -> 0.8598 / 0.8600 -> 0.8567 there, 0.9295 -> 0.9267 /
# 0.9288 -> 0.9261 on 400-999 (BENCHMARKS.md, issue 26 session 6c). The name swaps the checker
# misses sit in paraphrased lines, where no article name stands opposite the line's.
HARD = False
# The slot's aligned neighbours (swapped.swaps' context, edge, min_content): one aligned token
# each side of an inner slot, two at the line's edge, one content word among them; looser than
# the copy-form rule's 2 / 4 / 2 because a type change is itself strong evidence. Written from
# session 6's reading of the misses, not searched.
CONTEXT = 1
EDGE_CONTEXT = 2
MIN_CONTEXT_CONTENT = 1
# Work cap: mentions of a name read for its type (the first ones in the article).
MAX_MENTIONS = 12
# A type is decided when its cues number at least MIN_CUES and at least DOMINANCE times the
# other type's (a name the article writes both "Chelsea boss" and "Chelsea said" stays open).
MIN_CUES = 1
DOMINANCE = 2
PERSON, OTHER = "person", "other"
# A name's mention runs back over at most this many name words before its last one, and over
# the small words inside a name (LINKS).
MAX_RUN = 4
LINKS = frozenset("de da del di van von der la le".split())
# Words right before a name that make it a person.
TITLES = frozenset((
    "boss mr mrs ms miss dr sir dame lord lady president coach manager striker midfielder defender winger "
    "goalkeeper keeper captain minister senator governor secretary chancellor actor actress singer "
    "rapper star player wife husband son daughter mother father brother sister girlfriend boyfriend "
    "fiance fiancee judge prince princess king queen officer sergeant detective pope rev reverend "
    "general colonel professor prof spokesman spokeswoman mayor chairman ceo founder driver boxer "
    "golfer rider jockey author director producer model presenter host teammate nephew niece uncle "
    "aunt cousin grandmother grandfather widow victim suspect defendant").split())
# Words right after a name that make it a person ("Smith said", "Smith, who").
PERSON_AFTER = frozenset("said says told tells added adds admitted insisted explained wrote who "
                         "claimed claims revealed confirmed believes thinks".split())
# Words after a name's possessive "'s" that make it a person ("Smith's wife").
PERSON_OWN = frozenset("wife husband mother father son daughter family lawyer attorney girlfriend "
                       "boyfriend brother sister parents children career death body".split())
# Words right before a name that make it no person ("in Kansas", "at Wembley", "the Hammers").
PLACE_BEFORE = frozenset("in at near outside inside across throughout the against beat beating "
                         "toward towards".split())
# Words right after a name (or its "'s") that make it no person ("Chelsea boss", "Chelsea's manager").
OTHER_AFTER = frozenset("boss manager chairman owner owners fans supporters side team club squad "
                        "city county state council government police officials residents fc "
                        "stadium players based".split())


# A word followed by an age in commas ("Reyes, 44,"): the tokens drop the commas, so it is read
# off the article's text.
_AGED = re.compile(r"([^\W\d_]+), (\d{1,3}),")


def _index(source) -> tuple[dict, set]:
    """stem -> [(sentence, token)] of each content stem of the article, and the stems written
    with an age after them; built once (linear)."""
    idx = getattr(source, "_typed_index", None)
    if idx is None:
        where: dict = {}
        for k, sent in enumerate(source.sentences):
            for i, (t, s) in enumerate(zip(sent.toks, sent.stems)):
                if is_content(t):
                    where.setdefault(s, []).append((k, i))
        aged = {stem(m.group(1).lower()) for m in _AGED.finditer(fold(source.text))}
        idx = source._typed_index = (where, aged)
    return idx


def cues(source, stems: list[str]) -> tuple[int, int]:
    """(person cues, non-person cues) the article writes beside the name of ``stems``: at each
    mention of its last stem (a surname, "Ham" of "West Ham"), the run of the name's stems
    ending there, and the words before and after that run."""
    if not stems:
        return 0, 0
    want = set(stems)
    where, aged = _index(source)
    person, other = int(stems[-1] in aged), 0
    for k, i in where.get(stems[-1], ())[:MAX_MENTIONS]:
        toks, sst = source.sentences[k].toks, source.sentences[k].stems
        a = i   # back over the name's words (or the article's other name words: "boss Tomas [Reyes]")
        while a > 0 and i - a < MAX_RUN and (sst[a - 1] in want or sst[a - 1] in source.capitalised or (
                a > 1 and sst[a - 1] in LINKS and sst[a - 2] in source.capitalised)):   # "Playa de Jobos"
            a -= 1
        before = toks[a - 1] if a > 0 else ""
        after = toks[i + 1:i + 3]
        nxt = after[0] if after else ""
        if before in TITLES:
            person += 1
        elif before in PLACE_BEFORE:
            other += 1
        if nxt in PERSON_AFTER and before not in PLACE_BEFORE:   # "officials in Kansas said": no person
            person += 1
        elif nxt in OTHER_AFTER:
            other += 1
        elif nxt == "s" and len(after) > 1:
            if after[1] in PERSON_OWN:
                person += 1
            elif after[1] in OTHER_AFTER:
                other += 1
    return person, other


def kind_of(source, stems: list[str]) -> str | None:
    """PERSON, OTHER (a team, place or organisation) or None (the article's cues are too few or
    disagree) for the name of ``stems`` (its content stems, in order)."""
    person, other = cues(source, stems)
    if person >= MIN_CUES and person >= DOMINANCE * other:
        return PERSON
    if other >= MIN_CUES and other >= DOMINANCE * person:
        return OTHER
    return None


def typed_swaps(source, line, support, idf: dict | None = None, lex=None) -> list[tuple[int, int]]:
    """(first, last) line token indices of each name X the line puts in a slot where an aligned
    article sentence has a name Y of another type (see the module's doc); [] for most lines."""
    out = []
    for (a, b), k, (c, d) in swaps(source, line, support, idf, lex, context=CONTEXT, edge=EDGE_CONTEXT,
                                   min_content=MIN_CONTEXT_CONTENT):
        xs = [s for t, s in zip(line.toks[a:b + 1], line.stems[a:b + 1]) if is_content(t)]
        sent = source.sentences[k]
        ys = [s for t, s in zip(sent.toks[c:d + 1], sent.stems[c:d + 1]) if is_content(t)]
        kx, ky = kind_of(source, xs), kind_of(source, ys)
        if kx and ky and kx != ky:
            out.append((a, b))
    return out or retyped(source, line, idf, lex)


# The line's own words that type the name they stand beside (stronger cues than the article's:
# one is enough, and "said" / "who" / "the" are left out -- an organisation says things, a team
# is "who" in British English, "the Obama administration").
LINE_PERSON_BEFORE = TITLES
LINE_OTHER_BEFORE = frozenset("in near outside inside across throughout".split())
LINE_OTHER_AFTER = frozenset("fc stadium club squad".split())
# An apposition ", a retired police officer" types the name before it when a TITLES word stands
# within this many tokens after the comma.
APPOSITION = 4


def line_kind(text: str, toks: list[str], spelt, a: int, b: int) -> str | None:
    """PERSON, OTHER or None: the type the LINE's own words give the name at tokens [a, b]
    (``spelt``: swapped._spelt of the line, for the commas the tokens drop)."""
    before = toks[a - 1] if a > 0 else ""
    nxt = toks[b + 1] if b + 1 < len(toks) else ""
    comma = b + 1 < len(toks) and _gap(text, spelt, b + 1) == ","
    if before in LINE_PERSON_BEFORE:
        return PERSON
    if nxt == "s":   # a possessive: "Smith's wife", "Chelsea's stadium"
        own = toks[b + 2] if b + 2 < len(toks) else ""
        return PERSON if own in PERSON_OWN else None
    if comma and nxt[:1].isdigit() and b + 2 < len(toks) and _gap(text, spelt, b + 2) == ",":
        return PERSON   # "Smith, 34,"
    if comma and nxt in ("a", "an") and any(t in TITLES for t in toks[b + 2:b + 2 + APPOSITION]):
        return PERSON   # "Smith, a retired police officer"
    if before in LINE_OTHER_BEFORE or nxt in LINE_OTHER_AFTER:
        return OTHER
    return None


def _split(text: str, spelt, a: int, b: int) -> list[tuple[int, int]]:
    """The run [a, b) cut wherever a mark stands between two of its tokens."""
    out, c = [], a
    for i in range(a + 1, b):
        if _gap(text, spelt, i):
            out.append((c, i))
            c = i
    return out + [(c, b)]


def retyped(source, line, idf: dict | None = None, lex=None) -> list[tuple[int, int]]:
    """(first, last) line token indices of each name the line's own words give one type (a
    person: "[Playa de Jobos], a retired NYPD officer") and the article the other (it writes
    "in Playa de Jobos"): :func:`line_kind` against :func:`kind_of`; cased lines only (the
    commas are read off the text), at most MAX_SLOTS names a line; [] for most lines."""
    idf = idf or {}
    toks, stems = line.toks, line.stems
    n = len(toks)
    spelt = _spelt(line.text, n)
    if not n or n > MAX_LINE or not spelt or not any(ch.isupper() for ch in line.text):
        return []
    named = [_name_tok(t, st, spelt, i, source, idf, lex) for i, (t, st) in enumerate(zip(toks, stems))]
    out = []
    spans = [(c, d) for a, b in runs(n, lambda i: named[i])   # a name stops at a mark ("Iraq," Earnest)
             for c, d in _split(line.text, spelt, a, b)]
    for a, b in spans[:MAX_SLOTS]:
        want = line_kind(line.text, toks, spelt, a, b - 1)
        if want is None:
            continue
        have = kind_of(source, [s for t, s in zip(toks[a:b], stems[a:b]) if is_content(t)])
        if have and have != want:
            out.append((a, b - 1))
    return out
