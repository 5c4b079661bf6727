"""The optional modifiers of a parsed sentence that the learned model may drop.

Found for :func:`newsgist.highlighting.compress.rules.candidates` (the ``modifier``
rule, learned mode only; ``MODIFIER_DEPS``): prepositional phrases, adverbial
clauses, time nouns, comma-set-off participial and relative clauses, a conjoined
verb phrase, a few adverbs ("also", "now"), the part after ";" or a lone dash. Never
adjectives or scope adverbs ("alleged", "former", "only", "nearly"),
"of"/"than"/"to" phrases, the predicate of "is" ("is on trial"), conditions ("if",
"unless"), a clause after "but" or holding a negation, a restrictive clause ("events
that unfolded in the Middle East").
"""
from __future__ import annotations

from newsgist.highlighting.compress.syntax import (BE_FORMS, FINAL_PUNCT, NOMINALS, Candidate, _aside, _edges,
                                                   _names_someone, _rng, _spaced_dash)

# Modifiers the learned model may drop: removing the subtree leaves a grammatical clause.
# ("by ..." agents stay: "characterized by chaos", "overrun by sellers" -- 3 of 4 cuts read were bad)
MODIFIER_DEPS = frozenset({"prep", "advcl", "advmod", "npadvmod", "relcl", "acl", "conj",
                           "appos", "parataxis"})
# The only adverbs that may go; "only", "nearly", "allegedly", "not" carry the claim.
DROPPABLE_ADVERBS = frozenset({"also", "now", "currently", "recently", "later", "previously",
                               "earlier", "already", "finally", "eventually", "meanwhile", "then",
                               "today", "instead", "however", "still"})
# "members of the group", "more than 150", "came to a close": these carry the phrase.
KEEP_PREPOSITIONS = frozenset({"of", "than", "between", "like", "as", "without", "except", "to",
                               "with"})  # "charged Durst with unlawful possession of a firearm"
# A clause with these markers states a condition: dropping it would assert its main clause.
KEEP_MARKERS = frozenset({"if", "unless", "until", "whether", "once", "lest", "provided"})
# A conjoined clause after these qualifies the one before ("shot, but suffered no injuries").
CONTRAST = frozenset({"but", "yet", "although", "though", "while", "whereas"})
# A restrictive clause after these determiners or heads defines what is meant
# ("no one who ...", "the one defending the castle", "a way to cap his career").
QUANTIFIERS = frozenset({"no", "every", "all", "any", "each", "few", "only", "some"})
EMPTY_HEADS = frozenset({"one", "ones", "those", "that", "thing", "things", "something", "anything",
                         "everything", "nothing", "someone", "anyone", "everyone", "way", "another",
                         "others", "both", "each", "many", "some", "most", "all"})


def _is_predicate(t) -> bool:
    """A prepositional phrase that is what a form of "be" says ("is on trial")."""
    h = t.head
    if h.text.lower() not in BE_FORMS:
        return False
    first = next((c.i for c in h.children if c.dep_ == "prep" and c.i > h.i), None)  # not "In the end, ..."
    return first == t.i and not any(c.dep_ in ("acomp", "attr", "dobj", "xcomp", "ccomp") for c in h.children)


def _qualifies(doc, t) -> bool:
    """A conjoined clause that qualifies the first: "but ...", or one with a negation."""
    a = t.left_edge.i
    before = {doc[i].text.lower() for i in range(max(0, a - 2), a)}
    return bool(before & CONTRAST) or any(x.dep_ == "neg" or x.text.lower() in ("no", "never", "not")
                                          for x in doc[a:t.right_edge.i + 1])


def _modifiers(doc, skip):
    """Optional modifier subtrees the learned model may drop (see ``MODIFIER_DEPS``)."""
    out = []
    for t in doc:
        if t.dep_ not in MODIFIER_DEPS or t.head.i == t.i:
            continue
        a, b = _edges(t)
        first = doc[a].text.lower()
        if _names_someone(doc, a, b):
            continue  # names are what highlights keep ("the first full look at Jared Leto")
        if t.dep_ == "advmod" and (a != b or first not in DROPPABLE_ADVERBS):
            continue
        if t.dep_ == "prep" and (first in KEEP_PREPOSITIONS or _is_predicate(t)
                                 or t.head.text.lower() in EMPTY_HEADS
                                 or t.head.pos_ in ("ADV", "ADP", "PART")  # "along with ..."
                                 or (t.head.tag_ == "VBN" and a == t.head.i + 1)):  # "charged with"
            continue
        if t.dep_ in ("relcl", "acl", "appos") and (a == 0 or doc[a - 1].text != ","):
            continue  # restrictive: "events that unfolded in ...", "students Brittney McDaniel"
        if t.dep_ == "advcl" and any(m.dep_ == "mark" and m.text.lower() in KEEP_MARKERS
                                     for m in t.children):
            continue
        if t.dep_ in ("relcl", "acl") and (
                t.head.pos_ == "PRON" or t.head.text.lower() in EMPTY_HEADS
                or any(d.dep_ == "det" and d.text.lower() in QUANTIFIERS for d in t.head.children)):
            continue
        if t.dep_ == "acl" and (t.tag_ not in ("VBN", "VBG") or t.head.pos_ not in NOMINALS):
            continue  # "a way to cap his career": the infinitive is the point
        if t.dep_ == "conj":
            if t.pos_ not in ("VERB", "AUX") or _qualifies(doc, t):
                continue
            while a - 1 > t.head.i and (doc[a - 1].dep_ == "cc" or doc[a - 1].text == ","):
                a -= 1
            if a == t.left_edge.i:
                continue
        elif a > 0 and doc[a - 1].text == ",":  # set off by commas: they go with it
            c = _aside("modifier", doc, a, b)
            if c is not None:
                c.kind = t.dep_
                out.append(c)
            continue
        out.append(Candidate("modifier", frozenset(_rng(a, b)), kind=t.dep_))
    dashes = [t.i for t in doc if _spaced_dash(doc, t)]
    for t in doc:  # "X; Y." and a lone "X -- Y." drop their second part
        if t.text == ";" or (t.i in dashes and len(dashes) % 2 == 1 and t.i == dashes[-1]):
            last = len(doc) - 1
            while last > t.i and (doc[last].text in FINAL_PUNCT or doc[last].is_space):
                last -= 1
            if last > t.i and t.i > 2:
                out.append(Candidate("modifier", frozenset(_rng(t.i, last)), kind="tail_" + t.text))
    return out
