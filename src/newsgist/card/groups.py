"""Figures that count the same thing: conflicting estimates, a running total and its parts.

:func:`group_figures` gives every figure a few traits read from the parse and the card:

* the **unit**: the counted noun without its plural "s" ("members"), "%" or a currency;
* the **owner**: the organisation, group or place whose count it is -- an entity inside what
  it counts ("core al Qaeda operatives"), the subject of "has"/"numbers"/"fields" ("al Qaeda
  probably has 50 to 100 members"), or a possessor ("al Qaeda's fighters");
* the **place**: a place name in its scope qualifiers or in what it counts ("in Afghanistan");
* the **predicate**: the verb it hangs from. Verbs that only state an amount ("be", "have",
  "find", "estimate", "number", "reach", ...) are one class, *amount*; any other verb is
  itself, with its object when the figure is not that object ("chose Clinton" and "chose
  Trump" are two things, "killed 5" and "killed 3 more" one).

Two figures count the same thing when they are of one kind (counts, money or percentages),
have the same unit -- or units that both name a group's people ("members", "operatives",
"fighters", ...) and the same owner --, the same predicate, and no two different owners or
places. A number that takes its counted noun from an earlier one in the sentence ("50 to 100
members ... more than 150") takes that figure's owner too. Groups are the connected sets of
two figures or more; the card lists them as ``{id, label, figures}`` with ``label`` what they
count as written in the text: the owner and the first figure's counted noun, and the place
("al Qaeda members in Afghanistan").
"""
from __future__ import annotations

from newsgist.card.verbs import register, verb_lemma
from newsgist.unionfind import UnionFind

# Verbs that only state how many there are: estimates of one amount share them.
AMOUNT_VERBS = set("""be have find estimate number total reach exist include hold top exceed stand remain boast
field count put range comprise contain grow rise climb fall drop swell""".split())
# Counted nouns that name a group's people: two of these count the same people when the owner is one.
PEOPLE_UNITS = set("""member operative fighter militant troop soldier insurgent combatant jihadist terrorist recruit
follower supporter personnel force agent cadre loyalist gunman gunmen rebel guerrilla""".split())
# Units that measure time or age: "15 years" and "20 years" are rarely one thing counted twice.
TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "years old"}
OWNER_TYPES = {"ORG", "NORP", "GPE", "PERSON"}
PLACE_TYPES = {"GPE", "LOC"}
# Longest subject phrase used as a group's label ("rebuilding of the market").
LABEL_MAX_TOKENS = 8
# Verbs whose subject owns the counted people ("al Qaeda has 50 members").
OWNING_VERBS = {"have", "number", "field", "boast", "count", "hold", "command", "keep", "maintain"}
register(AMOUNT_VERBS | OWNING_VERBS)
# Adverbs and auxiliaries skipped back from an owning verb to the name before it ("al Qaeda probably has").
OWNER_GAP_TOKENS = 3


def _unit_key(f) -> str | None:
    if f.kind == "percent":
        return "%"
    if f.kind == "money":
        return f.unit
    u = (f.unit or "").lower()
    if not u or f.counts == "age":
        return None
    u = u.split()[-1]
    if u.endswith("ies") and len(u) > 4:
        u = u[:-3] + "y"
    elif u.endswith("s") and not u.endswith("ss") and len(u) > 3:
        u = u[:-1]
    return None if u in TIME_UNITS else u


def _kind_class(f) -> str:
    return {"range": "number"}.get(f.kind, f.kind)


def _entity_names(article) -> dict:
    names = {}
    for e in article.entities:
        for v in [e.name, *e.variants]:
            names.setdefault(v.lower(), e.name)
    return names


def _ent_in(tokens, names, types) -> str | None:
    """The canonical name of the first entity (of ``types``) among ``tokens``."""
    for t in tokens:
        if t.ent_type_ in types:
            doc, a, b = t.doc, t.i, t.i + 1
            while a > 0 and doc[a].ent_iob_ == "I":
                a -= 1
            while b < len(doc) and doc[b].ent_iob_ == "I":
                b += 1
            text = doc[a:b].text
            return names.get(text.lower(), text)
    return None


def _predicate(root):
    """The verb the figure hangs from and its class; None when there is none in the sentence."""
    t, child = root, root
    while t.head.i != t.i and t.pos_ not in ("VERB", "AUX"):
        child, t = t, t.head
    if t.pos_ not in ("VERB", "AUX"):
        return None, None, child
    lemma = verb_lemma(t)
    if lemma in AMOUNT_VERBS:
        return "amount", t, child
    obj = next((c for c in t.children if c.dep_ in ("dobj", "attr", "oprd") and c.i != child.i
                and not c.like_num), None)
    return (f"{lemma}:{obj.lower_}" if obj is not None and child.dep_ in ("nsubj", "nsubjpass")
            else lemma), t, child


class _Traits:
    def __init__(self, article, m, f, span, root, names):
        self.f = f
        self.kind = _kind_class(f)
        self.unit = _unit_key(f)
        self.pred, verb, child = _predicate(root)
        self.verb, self.child = verb, child
        doc = m.doc
        text = m.text
        self.counts_span = None
        self.inherited = bool(f.counts) and f.counts not in f.text
        if f.counts and not self.inherited:
            self.counts_span = m.tokens(span[0], span[1])
        elif f.counts:
            s0 = m.sentence(span[0])[0]
            k = text.rfind(f.counts, s0, span[0])
            if k >= 0:
                self.counts_span = m.tokens(k, k + len(f.counts))
        owner = _ent_in(self.counts_span or [], names, OWNER_TYPES - {"GPE"})
        if owner is None and verb is not None and verb_lemma(verb) in OWNING_VERBS:
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                owner = _ent_in(list(subj.subtree), names, OWNER_TYPES)
            else:  # the parse lost the subject ("within Afghanistan al Qaeda probably has"): the name just before
                k = verb.i - 1
                while k > 0 and verb.i - k <= OWNER_GAP_TOKENS and doc[k].pos_ in ("ADV", "AUX", "PART"):
                    k -= 1
                owner = _ent_in([doc[k]], names, OWNER_TYPES - {"GPE"})
        if owner is None and self.counts_span:
            noun = self.counts_span[-1]
            poss = [c for c in noun.children if c.dep_ == "poss"]
            if poss:
                owner = _ent_in(list(poss[0].subtree), names, OWNER_TYPES)
        self.owner = owner
        place = None
        for q in f.qualifiers:
            if q["kind"] == "scope":
                place = place or _ent_in(m.tokens(m.body(q["start"]), m.body(q["end"])), names, PLACE_TYPES)
        if place is None and self.counts_span:
            noun = self.counts_span[-1]
            for c in noun.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "within", "inside"):
                    place = _ent_in(list(c.subtree), names, PLACE_TYPES)
        self.place = place
        self.place_text = None
        self.doc = doc


def _compatible(a: _Traits, b: _Traits) -> bool:
    if a.kind != b.kind or a.unit is None or b.unit is None or a.pred is None or a.pred != b.pred:
        return False
    if a.kind == "ordinal":
        return False
    if a.owner and b.owner and a.owner != b.owner:
        return False
    if a.place and b.place and a.place != b.place:
        return False
    if a.unit == b.unit:
        if a.kind == "percent":
            return bool(a.f.counts) and a.f.counts == b.f.counts
        return True
    return a.unit in PEOPLE_UNITS and b.unit in PEOPLE_UNITS and a.owner is not None and a.owner == b.owner


def _subject_phrase(verb) -> str:
    """"the rebuilding of the market would cost $2 billion" -> "rebuilding of the market"."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.pos_ == "PRON":
        return ""
    toks = [t for t in subj.subtree if not (t.dep_ == "det" and t.i < subj.i)]
    return " ".join(t.text for t in toks) if len(toks) <= LABEL_MAX_TOKENS else ""


def _event_verb(members: list[_Traits]) -> str | None:
    """The verb that follows the counted noun in a label, as a participle ("passengers injured"):
    the verb of a passive ("17 passengers were injured"), else of an object in the past tense
    of a regular verb ("killed 12 people"); never a form that reads wrong after the noun
    ("injuring", "injures", "took"), for which the label goes without a verb."""
    events = [t for t in members if t.pred not in (None, "amount") and t.verb is not None]
    for t in events:
        if t.child.dep_ == "nsubjpass" and t.verb.tag_ == "VBN":
            return t.verb.text
    for t in events:
        if t.child.dep_ == "dobj" and (t.verb.tag_ == "VBN" or (t.verb.tag_ == "VBD" and t.verb.text.endswith("ed"))):
            return t.verb.text
    return None


def _label(members: list[_Traits]) -> str:
    """What the group counts, in the text's words: owner and counted noun ("al Qaeda members"), with the
    event when it is not a mere amount ("people killed"), or the subject of the amount ("rebuilding of
    the market"), and the place ("... in Afghanistan")."""
    first = members[0]
    owner = next((t.owner for t in members if t.owner), None)
    place = next((t.place for t in members if t.place), None)
    what = first.f.counts or ""
    if first.kind in ("percent", "money") or not what:
        what = first.f.counts or (_subject_phrase(first.verb) if first.verb is not None else "") \
            or {"percent": "share", "money": "amount"}.get(first.kind, first.f.unit or "")
    elif (event := _event_verb(members)) is not None:
        what = f"{what} {event}"  # "people killed"
    if owner and owner.lower() not in what.lower():
        what = f"{owner} {what}".strip()
    if place and place.lower() not in what.lower():
        what = f"{what} in {place}"
    return what


def group_figures(article, m, fig_spans, roots) -> list[dict]:
    """Set ``Figure.group`` on the figures that count the same thing; return the card's ``groups``."""
    names = _entity_names(article)
    traits = [_Traits(article, m, f, span, root, names) for f, span, root in zip(article.figures, fig_spans, roots)]
    # a number that borrows its counted noun from the previous figure of the sentence borrows its owner too
    for i, t in enumerate(traits):
        if t.inherited and t.owner is None and i > 0:
            prev = traits[i - 1]
            if prev.f.counts == t.f.counts and m.sentence(fig_spans[i - 1][0]) == m.sentence(fig_spans[i][0]):
                t.owner, t.place = prev.owner, t.place or None
    sets = UnionFind(len(traits))
    for i in range(len(traits)):
        for j in range(i + 1, len(traits)):
            if _compatible(traits[i], traits[j]):
                sets.union(i, j)
    groups = []
    for members in sorted((v for v in sets.groups().values() if len(v) > 1), key=lambda v: v[0]):
        gid = len(groups)
        for i in members:
            article.figures[i].group = gid
        groups.append({"id": gid, "label": _label([traits[i] for i in members]), "figures": members})
    for i, f in enumerate(article.figures):
        if all(i not in g["figures"] for g in groups):
            f.group = None
    return groups
