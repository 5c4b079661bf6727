"""Guards on deletion candidates: constituents the parse offers that must stay.

:func:`refusal` names why a candidate of :func:`newsgist.compress_rules.candidates`
may not be deleted, or returns None. Each guard answers a kind of bad output found
by reading 416 compressed highlights of validation-1000 (articles 0-199) beside
their sources; together they turned 40 of the 75 bad ones good, and on articles
200-299, not read while writing them, they changed 17 highlights, about 10 bad ones
for the better and none clearly for the worse (see BENCHMARKS.md):

* ``not a time``      -- an ``npadvmod`` that is not a date or time is usually a
  misparsed noun ("the world's reigning No. 1 player").
* ``argument``        -- the phrase a verb needs: "lived within 100 meters of ...",
  "go on sale", "missed out on gold", "appealed for help", "kept their hopes alive".
* ``scope``           -- a phrase that limits the claim: under a negation ("won't
  have to search for long"), holding "only" or "first", or completing a superlative
  or "first"/"last"/"only" ("first new product since the iPad").
* ``bare participle`` -- the only words of a participle or gerund ("an inspection
  completed last month found ...", "removed starting January 2016").
* ``split phrase``    -- the first word of "instead of", "thanks to", "due to" ..., and
  the "also" of "not only ... but also".
* ``not final``       -- an attribution "tail" that something other than the final
  mark follows (a false sentence break: "said Sgt. Michael Verlich of ...").
* ``list``            -- a list taken for an appositive ("a man, four women, three
  girls and eight boys").
"""
from __future__ import annotations

TIME_ENTITIES = frozenset({"DATE", "TIME"})
# Verbs whose prepositional phrase is an argument, not an optional modifier: "has put
# the town in the spotlight", "is based in Atlanta", "lived within 100 meters of ...".
ARGUMENT_PREP_VERBS = frozenset("""put puts putting place places placed placing set sets setting
keep keeps kept keeping lay lays laid stay stays stayed remain remains remained based located lies
lie reside resides resided live lives lived living hang hangs hung hanging arrive arrives arrived
arriving look looks looked looking appeal appeals appealed appealing stand stands stood standing
thank thanks thanked""".split())
GO_FORMS = frozenset({"go", "goes", "went", "going", "gone"})          # "go on sale", "went on trial"
SCOPE_HEAD_WORDS = frozenset({"first", "last", "only"})                # "first new product since ..."
SPLIT_PHRASE_HEADS = frozenset({"instead", "thanks", "due", "because", "prior", "according", "ahead",
                                "apart", "regardless"})                # "... of", "... to"
# Participles and gerunds whose last dependent may not go ("an inspection completed
# last month", "will be removed starting January 2016").
PARTICIPLE_DEPS = frozenset({"acl", "advcl", "xcomp", "prep", "pcomp"})
# How far up from a modifier a negation still scopes over it (the verb and two above).
NEGATION_REACH = 3


def _words(doc, toks):
    return [doc[i] for i in sorted(toks) if not (doc[i].is_punct or doc[i].is_space)]


def _root(doc, c):
    """The candidate's head token: the one whose own head lies outside it."""
    return next((doc[i] for i in sorted(c.tokens) if doc[i].head.i not in c.tokens or doc[i].head.i == i), None)


def _not_time(doc, c, t) -> bool:
    return c.kind == "npadvmod" and not all(w.ent_type_ in TIME_ENTITIES for w in _words(doc, c.tokens))


def _argument(doc, c, t) -> bool:
    if c.kind == "advcl" and len(_words(doc, c.tokens)) == 1 and t.pos_ == "ADJ":
        return True  # "kept their hopes alive": a one-adjective "clause" is the verb's complement
    h = t.head
    if c.kind != "prep" or h.pos_ not in ("VERB", "AUX") or t.i < h.i:
        return False
    if any(x.dep_ == "pobj" and x.ent_type_ in TIME_ENTITIES for x in t.children):
        return False  # "on Sunday", "in October 2011" stay optional
    particles = [x.i for x in h.children if x.dep_ == "prt"]
    if particles and min(c.tokens) == max(particles) + 1:
        return True  # "missed out on gold"
    w = h.text.lower()
    return w in ARGUMENT_PREP_VERBS or (w in GO_FORMS and t.text.lower() == "on")


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


def _bare_participle(doc, c, t) -> bool:
    h = t.head
    if c.rule != "modifier" or h.dep_ not in PARTICIPLE_DEPS or h.tag_ not in ("VBN", "VBG") or h.i in c.tokens:
        return False
    return all(x.i in c.tokens for x in h.children if not x.is_punct)  # "removed starting [January 2016]"


def _split_phrase(doc, c, t) -> bool:
    a, b = min(c.tokens), max(c.tokens)
    if c.rule == "modifier" and a == b and doc[a].lower_ == "also" and a > 0 and doc[a - 1].lower_ == "but" \
            and any(x.lower_ == "only" and x.i < a for x in doc):
        return True  # "not only ... but also ..."
    return c.rule == "modifier" and doc[b].text.lower() in SPLIT_PHRASE_HEADS and b + 1 < len(doc) \
        and doc[b + 1].text.lower() in ("of", "to")


def _not_final(doc, c, t) -> bool:
    from .compress_rules import FINAL_PUNCT, _is_quote
    if c.rule != "attribution":
        return False
    b = max(c.tokens)
    rest = [x for x in doc[b + 1:] if not (x.is_space or x.text in FINAL_PUNCT or _is_quote(x))]
    return bool(rest) and doc[b + 1].text != ","


def _list(doc, c, t) -> bool:
    return c.rule == "appositive" and t.dep_ == "appos" and t.head.pos_ != "PROPN" \
        and any(x.dep_ == "conj" for x in t.children)


GUARDS = (("not a time", _not_time), ("argument", _argument), ("scope", _scope),
          ("bare participle", _bare_participle), ("split phrase", _split_phrase),
          ("not final", _not_final), ("list", _list))


def refusal(doc, c) -> str | None:
    """Why candidate ``c`` of ``doc`` may not be deleted, or None."""
    t = _root(doc, c)
    if t is None:
        return None
    return next((name for name, guard in GUARDS if guard(doc, c, t)), None)
