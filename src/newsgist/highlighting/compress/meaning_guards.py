"""Guards that keep a compressed sentence's claim: cuts that would change what it asserts.

Each guard takes the sentence ``doc``, a candidate ``c`` and its head token ``t`` and
says whether the cut would widen or shift the claim: a phrase under a negation,
"only" or a superlative ("scope"), a condition, a hedge, a rate, the source of an
opinion or of a party's claim ("claim source"), the name that says which one, or the
news itself (a toll, the event that interrupted an action, a second event).
:data:`newsgist.highlighting.compress.guards.GUARDS` names and orders them, with the
guards of :mod:`newsgist.highlighting.compress.grammar_guards`.
"""
from __future__ import annotations

from newsgist.highlighting.compress.syntax import SUBJECT_DEPS, _words

SCOPE_HEAD_WORDS = frozenset({"first", "last", "only"})                # "first new product since ..."
# How far up from a modifier a negation still scopes over it (the verb and two above).
NEGATION_REACH = 3
CASUALTY_VERBS = frozenset({"killing", "injuring", "wounding", "crushing"})
CONTRAST_WORDS = frozenset({"though", "although", "but", "yet", "except", "barring", "unless", "if", "not",
                            "albeit", "even"})
SCOPE_WORDS = frozenset({"only", "few", "just"})
HEDGE_NOUNS = frozenset({"ways", "way", "respects", "respect", "cases", "sense", "extent", "degree", "part",
                         "areas"})
OPINION_WORDS = frozenset({"should", "must", "ought"})
NEGATED_OBJECTS = frozenset({"nothing", "none", "nobody", "no one"})
# Sources that are a party to what they report (a family, a lawyer, a lawsuit): what they say
# is a claim, and a highlight without them states it as fact ("according to Roy's parents").
PARTY_SOURCES = frozenset({"parents", "mother", "father", "family", "lawyer", "lawyers", "attorney", "attorneys",
                           "prosecutor", "prosecutors", "defense", "witness", "witnesses", "friend", "friends",
                           "wife", "husband", "son", "daughter", "sister", "brother", "testimony", "complaint",
                           "lawsuit", "suit", "indictment", "affidavit", "documents"})


def _scope(doc, c, t) -> bool:
    if c.rule not in ("modifier", "lead_adverbial"):
        return False
    ws = [w.text.lower() for w in _words(doc, c.tokens)]
    if "only" in ws or (c.kind == "prep" and "first" in ws):
        return True
    if c.rule != "modifier":
        return False
    h = t.head
    if c.kind == "prep" and h.pos_ in ("NOUN", "PROPN") and any(
            x.i < h.i and (x.tag_ == "JJS" or x.text.lower() in SCOPE_HEAD_WORDS
                           or (x.dep_ == "advmod" and x.tag_ == "RBS") or any(y.tag_ == "RBS" for y in x.children))
            for x in h.children):
        return True  # "the biggest drop since 2008", "the first visit in a decade"
    if c.kind in ("prep", "advcl", "npadvmod", "advmod"):
        chain = [h] + list(h.ancestors)[:NEGATION_REACH - 1]
        return any(v.pos_ in ("VERB", "AUX") and any(x.dep_ == "neg" for x in v.children) for v in chain)
    return False


# ---------------------------------------------------------------- from a second reading
# (what these changed is noted at GUARDS in guards.py)

def _name_of_common_noun(doc, c, t) -> bool:
    """The name after a common noun ("the Israeli news site, NRG,"): it says which one."""
    return t.dep_ == "appos" and c.rule in ("appositive", "modifier") and t.head.pos_ == "NOUN" \
        and t.pos_ == "PROPN" and t.ent_type_ not in ("", "DATE", "TIME", "CARDINAL", "ORDINAL")


def _rate(doc, c, t) -> bool:
    """"five new cases [a year]", "$10 [per day]"."""
    ws = _words(doc, c.tokens)
    return c.kind == "npadvmod" and len(ws) >= 2 and ws[0].lower_ in ("a", "an", "per")


def _contrast_tail(doc, c, t) -> bool:
    """"... to include gay couples [-- though not explicitly]"."""
    ws = _words(doc, c.tokens)
    return c.kind.startswith("tail_") and bool(ws) and ws[0].lower_ in CONTRAST_WORDS


def _inverted_condition(doc, c, t) -> bool:
    """"would have been fired [had he not done so]"."""
    ws = _words(doc, c.tokens)
    return c.kind == "advcl" and len(ws) > 2 and ws[0].lower_ in ("had", "were", "should") \
        and ws[1].dep_ in SUBJECT_DEPS


def _scoping(x) -> bool:
    w = x.lower_
    if w in SCOPE_WORDS:
        return not (w == "only" and x.i > 0 and x.doc[x.i - 1].lower_ == "not")
    return x.tag_ in ("JJS", "RBS") or (x.ent_type_ == "ORDINAL" and x.tag_ == "JJ")


def _wide_scope(doc, c, t) -> bool:
    """A time or place phrase limiting a counted, ranked or "only" claim higher up
    ("started only one game [since November]", "few women [in high-profile jobs]")."""
    if c.rule != "modifier" or c.kind not in ("prep", "npadvmod"):
        return False
    a = min(c.tokens)
    for h in [t.head] + list(t.head.ancestors)[:2]:
        for x in list(h.children) + [h]:
            if x.i in c.tokens or x.i > a:
                continue
            if _scoping(x):
                return True
            if x.dep_ in ("dobj", "attr", "nsubj", "nsubjpass") and any(
                    _scoping(y) and y.lower_ in ("only", "just") for y in x.subtree if y.i < a):
                return True
    return False


def _hedge(doc, c, t) -> bool:
    """A short leading hedge: "In some ways,", "In many cases,", "On any other day,"."""
    if c.rule not in ("lead_adverbial", "modifier") or min(c.tokens) > 1:
        return False
    ws = [w.lower_ for w in _words(doc, c.tokens)]
    return len(ws) <= 6 and (
        any(w in ("some", "many", "most", "certain", "large") and n in HEDGE_NOUNS for w, n in zip(ws, ws[1:]))
        or any(w == "any" and n == "other" for w, n in zip(ws, ws[1:])))


def _concession(doc, c, t) -> bool:
    """"Aside from ...", "Apart from ...", "Except for ...": the exception the claim makes."""
    ws = _words(doc, c.tokens)
    return c.rule in ("lead_adverbial", "modifier") and bool(ws) and ws[0].lower_ in ("aside", "apart", "except")


def _opinion_source(doc, c, t) -> bool:
    """The source of a judgement ("... is the best way to see the city[, says Mueller]"):
    a superlative or should/must in the rest of the sentence."""
    return c.rule == "attribution" and any(x.tag_ in ("JJS", "RBS") or x.lower_ in OPINION_WORDS
                                           for x in doc if x.i not in c.tokens)


def _speaker(doc, c):
    """Who an attribution candidate names: the object of "according to", else the
    subject of its verb ("[, her mother told CNN]")."""
    toks = sorted(c.tokens)
    for i in toks:
        if doc[i].lower_ == "according" and i + 1 < len(doc) and doc[i + 1].lower_ == "to":
            return next((x for x in doc[i + 1].children if x.dep_ == "pobj"), None)
    verb = next((doc[i] for i in toks if doc[i].pos_ in ("VERB", "AUX")), None)
    return None if verb is None else next((x for x in verb.children if x.dep_ in ("nsubj", "nsubjpass")), None)


def _party_source(doc, c, t) -> bool:
    """An attribution to a party of the story ("[, according to the lawsuit]"): the claim keeps
    its source. So does any phrase that carries one ("[since May, according to his family]")."""
    if c.rule != "attribution" and not any(doc[i].lower_ == "according" for i in c.tokens):
        return False
    s = _speaker(doc, c)
    return s is not None and s.lower_ in PARTY_SOURCES


def _interrupting_event(doc, c, t) -> bool:
    """"was walking home [when he was gunned down]": after an action in progress, the
    when-clause is the event the sentence reports."""
    ws = _words(doc, c.tokens)
    if c.kind != "advcl" or not ws or ws[0].lower_ != "when" or t.head.i == t.i:
        return False
    main = t.head
    return main.tag_ == "VBG" and any(x.dep_ == "aux" and x.lower_ in ("was", "were") for x in main.children)


def _second_predicate(doc, c, t) -> bool:
    """"appealed his suspension [and lost both times]": a second verb of the main clause,
    sharing its subject, is a second event, not a modifier."""
    return c.kind == "conj" and any(
        w.pos_ in ("VERB", "AUX") and w.dep_ == "conj" and w.head.dep_ == "ROOT" and w.head.i not in c.tokens
        and not any(x.dep_ in ("nsubj", "nsubjpass") for x in w.children) for w in _words(doc, c.tokens))


def _condition_prep(doc, c, t) -> bool:
    """"[barring a miracle rescue]", "[except for ...]"."""
    ws = _words(doc, c.tokens)
    return bool(ws) and ws[0].lower_ in ("barring", "except", "excluding", "unless")


def _negated_object(doc, c, t) -> bool:
    """"time and tide wait [for no man]"."""
    return c.kind == "prep" and any(x.dep_ == "pobj" and (x.lower_ in NEGATED_OBJECTS
                                                          or any(d.lower_ == "no" for d in x.children))
                                    for x in t.children)


def _casualties(doc, c, t) -> bool:
    """", killing 130 worshippers": the toll is the news; so is its second half
    ("killing nine people [and injuring 30 others]")."""
    ws = _words(doc, c.tokens)
    if c.kind == "conj":
        return any(w.lower_ in CASUALTY_VERBS and w.dep_ == "conj" and w.head.lower_ in CASUALTY_VERBS for w in ws)
    return c.kind == "advcl" and any(w.lower_ in CASUALTY_VERBS and w.dep_ == "advcl" for w in ws)
