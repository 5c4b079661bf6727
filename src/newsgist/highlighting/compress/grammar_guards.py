"""Guards that keep a compressed sentence well-formed: cuts the grammar or the parse forbids.

Each guard takes the sentence ``doc``, a candidate ``c`` and its head token ``t`` and
says whether the cut would leave a broken or misread sentence: a verb's argument gone
("argument"), a phrase split ("split phrase"), a conjunction left dangling, a
participle or relative clause left bare, words run together across the cut
("misparse"), a false sentence break ("not final"), a list or place name taken for
an appositive. :data:`newsgist.highlighting.compress.guards.GUARDS` names and orders
them, with the guards of :mod:`newsgist.highlighting.compress.meaning_guards`.
"""
from __future__ import annotations

from newsgist.highlighting.compress.syntax import BE_FORMS, FINAL_PUNCT, SUBJECT_DEPS, _is_quote, _words

TIME_ENTITIES = frozenset({"DATE", "TIME"})
# Verbs whose prepositional phrase is an argument, not an optional modifier: "has put
# the town in the spotlight", "is based in Atlanta", "lived within 100 meters of ...".
ARGUMENT_PREP_VERBS = frozenset("""put puts putting place places placed placing set sets setting
keep keeps kept keeping lay lays laid stay stays stayed remain remains remained based located lies
lie reside resides resided live lives lived living hang hangs hung hanging arrive arrives arrived
arriving look looks looked looking appeal appeals appealed appealing stand stands stood standing
thank thanks thanked blame blames blamed blaming portray portrays portrayed portraying prepare
prepares prepared preparing""".split())   # the last three: "blames the police [for ...]"
SPEND_FORMS = frozenset({"spend", "spends", "spent", "spending"})     # only with an object
GO_FORMS = frozenset({"go", "goes", "went", "going", "gone"})          # "go on sale", "went on trial"
SPLIT_PHRASE_HEADS = frozenset({"instead", "thanks", "due", "because", "prior", "according", "ahead",
                                "apart", "regardless"})                # "... of", "... to"
# Participles and gerunds whose last dependent may not go ("an inspection completed
# last month", "will be removed starting January 2016").
PARTICIPLE_DEPS = frozenset({"acl", "advcl", "xcomp", "prep", "pcomp"})
# The first word of a fixed pair, and the words that must follow it.
SPLIT_PAIRS = {"instead": ("of",), "addition": ("to",), "rather": ("than",), "regardless": ("of",),
               "ahead": ("of",), "prior": ("to",), "thanks": ("to",), "due": ("to",),
               "because": ("of",), "apart": ("from",), "aside": ("from",), "according": ("to",)}
SPEECH_FORMS = frozenset({"said", "says", "say", "told", "added", "stated", "argued", "claimed", "insisted",
                          "wrote"})


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
    return w in ARGUMENT_PREP_VERBS or (w in GO_FORMS and t.text.lower() == "on") \
        or (w in SPEND_FORMS and any(x.dep_ == "dobj" for x in h.children))  # "spent two weekends behind bars"


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
    if c.rule != "attribution":
        return False
    b = max(c.tokens)
    rest = [x for x in doc[b + 1:] if not (x.is_space or x.text in FINAL_PUNCT or _is_quote(x))]
    return bool(rest) and doc[b + 1].text != ","


def _list(doc, c, t) -> bool:
    return c.rule == "appositive" and t.dep_ == "appos" and t.head.pos_ != "PROPN" \
        and any(x.dep_ == "conj" for x in t.children)


# ---------------------------------------------------------------- from a second reading
# (what these changed is noted at GUARDS in guards.py)

def _next_word(doc, b):
    i = b + 1
    while i < len(doc) and (doc[i].is_punct or doc[i].is_space):
        i += 1
    return i if i < len(doc) else None


def _split_pair(doc, c, t) -> bool:
    """A rule candidate ending in "Instead" of "Instead of ...", or a candidate starting
    with the "than" of a kept "rather"."""
    a, b = min(c.tokens), max(c.tokens)
    last = doc[b].lower_
    if c.rule != "modifier" and last in SPLIT_PAIRS and b + 1 < len(doc) and doc[b + 1].lower_ in SPLIT_PAIRS[last]:
        return True
    first = next(iter(_words(doc, c.tokens)), None)
    return first is not None and a > 0 and first.lower_ in ("than", "of", "to", "from") \
        and doc[first.i - 1].lower_ in SPLIT_PAIRS and first.i - 1 not in c.tokens


def _dangling_cc(doc, c, t) -> bool:
    """A candidate ending in "and"/"or": what it joined stays behind."""
    ws = _words(doc, c.tokens)
    return c.rule != "connective" and bool(ws) and ws[-1].tag_ == "CC"


def _apposition_follows(doc, c, t) -> bool:
    """A prepositional phrase followed across a comma or quote by an appositive or object
    of the same head ("a spaceship [from the classic film] "2001: ..."")."""
    if c.rule != "modifier" or c.kind != "prep":
        return False
    b = max(c.tokens)
    n = _next_word(doc, b)
    if n is None or n == b + 1:
        return False
    y = doc[n]
    while y.head.i != y.i and y.head.i > b and y.head.left_edge.i == n:
        y = y.head
    return y.dep_ in ("appos", "dobj") and y.head.i == t.head.i and y.head.pos_ in ("NOUN", "PROPN", "VERB") \
        and any(doc[k].text in (",", '"', "“", "``") for k in range(b + 1, n))


def _fused_clause(doc, c, t) -> bool:
    """A cut that runs a word into a conjoined clause with no conjunction left."""
    a, b = min(c.tokens), max(c.tokens)
    if a == 0 or b + 1 >= len(doc) or not (doc[a - 1].is_alpha and doc[b + 1].is_alpha):
        return False
    n = doc[b + 1]
    v = n if n.pos_ in ("VERB", "AUX") else n.head
    return v.i > b and v.dep_ in ("conj", "parataxis") and v.left_edge.i == n.i \
        and v.tag_ in ("VBD", "VBZ", "VBP", "MD") \
        and not any(x.dep_ == "cc" and x.i < v.i for x in v.head.children if x.i > b)


def _inverted_predicate(doc, c, t) -> bool:
    """The fronted predicate of an inversion ("[At issue] was a taped interview")."""
    h = t.head
    return c.kind in ("prep", "lead_adverbial") and t.dep_ == "prep" and h.lower_ in BE_FORMS \
        and t.i < h.i and any(x.dep_ in SUBJECT_DEPS and x.i > h.i for x in h.children)


def _false_break(doc, c, t) -> bool:
    """Any candidate before a final mark that more words follow (an abbreviation's
    period: ", Dallas Police Maj. Jeff Cotner said")."""
    b = max(c.tokens)
    return b + 1 < len(doc) and doc[b + 1].text in FINAL_PUNCT and \
        any(not (x.is_punct or x.is_space) for x in doc[b + 2:])


def _place_modifier(doc, c, t) -> bool:
    """The state of "Madison, Wisconsin, police officer": its closing comma is followed
    by the noun the place modifies."""
    if t.dep_ != "appos" or t.ent_type_ != "GPE" or c.rule not in ("appositive", "modifier"):
        return False
    b = max(c.tokens)
    while b + 1 < len(doc) and doc[b + 1].text == ",":
        b += 1
    return b + 1 < len(doc) and doc[b].text == "," and doc[b + 1].pos_ in ("NOUN", "PROPN", "ADJ")


def _bare_relative(doc, c, t) -> bool:
    """All a relative clause says besides its verb ("a rocket that launched [from ...]")."""
    h = t.head
    if c.rule != "modifier" or h.dep_ != "relcl" or h.i > t.i:
        return False
    return not [x for x in h.children if not x.is_punct and x.i not in c.tokens
                and x.dep_ not in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "mark")
                and x.lower_ not in ("that", "which", "who", "where", "when")]


def _measure_before(doc, c, t) -> bool:
    """"a day [before Israelis head to the polls]": the measure stays, so must its clause."""
    a = min(c.tokens)
    ws = _words(doc, c.tokens)
    return bool(ws) and ws[0].lower_ in ("before", "after") and a > 0 and a - 1 not in c.tokens and \
        (doc[a - 1].dep_ == "npadvmod" or doc[a - 1].ent_type_ in TIME_ENTITIES) and doc[a - 1].pos_ == "NOUN"


def _unmarked_finite_clause(doc, c, t) -> bool:
    """An "advcl" with a finite verb and no marker is usually a misparsed complement
    ("chances are [you will soon]")."""
    return c.kind == "advcl" and t.tag_ in ("VBD", "VBZ", "VBP", "MD", "VB") \
        and any(x.dep_ in SUBJECT_DEPS for x in t.children) \
        and not any(x.dep_ in ("mark", "advmod") and x.i < t.i for x in t.children) \
        and not any(x.tag_ in ("WRB", "WDT", "WP") for x in t.subtree if x.i < t.i)


def _dash_infinitive(doc, c, t) -> bool:
    """A dash aside that is an infinitive saying what the noun before it was."""
    ws = _words(doc, c.tokens)
    return c.rule == "dash_aside" and len(ws) > 1 and ws[0].lower_ == "to" and ws[1].tag_ == "VB"


# ---------------------------------------------------------------- from a third reading
# (what these changed is noted at GUARDS in guards.py)

def _comparative(doc, c, t) -> bool:
    """"did better [than expected]", "as eagerly anticipated [as ...]"."""
    ws = _words(doc, c.tokens)
    if not ws or ws[0].lower_ not in ("than", "as"):
        return False
    h = t.head
    return h.i not in c.tokens and (h.tag_ in ("JJR", "RBR") or any(
        x.lower_ in ("as", "so", "more", "less") and x.i < h.i and x.i not in c.tokens for x in h.children))


def _inversion(doc, c, t) -> bool:
    """The fronted phrase of an inverted clause ("[In the center of X] lies Y")."""
    h = t.head
    return t.dep_ == "prep" and t.i < h.i and h.pos_ in ("VERB", "AUX") and min(c.tokens) == 0 \
        and any(x.dep_ in SUBJECT_DEPS and x.i > h.i for x in h.children) \
        and not any(x.dep_ in SUBJECT_DEPS and x.i < h.i for x in h.children)


def _bare_number(doc, c, t) -> bool:
    """"[Now] 26, Emwazi ...": the cut would open the sentence with a bare number."""
    a, b = min(c.tokens), max(c.tokens)
    return a == 0 and b + 2 < len(doc) and doc[b + 1].like_num and doc[b + 2].text == ","


def _next_to_cc(doc, c, t) -> bool:
    """A phrase between a conjunction and what it joins ("the subway system and [on a
    newsroom in Copenhagen]" -> "system and.")."""
    a, b = min(c.tokens), max(c.tokens)
    if c.rule != "modifier" or c.kind.startswith("tail_") or c.kind == "conj":
        return False
    return (a > 0 and doc[a - 1].tag_ == "CC") or (b + 1 < len(doc) and doc[b + 1].tag_ == "CC"
                                                    and doc[b + 1].head.i in c.tokens)


def _fused_subject(doc, c, t) -> bool:
    """A cut that runs a word into the subject of the next clause ("records [...] Luis
    Suarez scored"), or takes the comma before an inverted "said X"."""
    a, b = min(c.tokens), max(c.tokens)
    if a == 0 or b + 1 >= len(doc):
        return False
    n = doc[b + 1]
    if doc[a - 1].text == "," and n.text == "," and b + 2 < len(doc):
        v = doc[b + 2]
        return v.lower_ in SPEECH_FORMS and any(x.dep_ in SUBJECT_DEPS and x.i > v.i for x in v.children)
    if not (doc[a - 1].is_alpha and n.is_alpha) or doc[a - 1].tag_ == "CC":
        return False  # after "But"/"and" nothing runs together
    y = n
    while y.dep_ not in SUBJECT_DEPS and y.head.i != y.i and y.head.left_edge.i == n.i and y.head.i > b:
        y = y.head
    return y.dep_ in ("nsubj", "nsubjpass") and y.left_edge.i == n.i and y.head.i > y.i \
        and y.head.dep_ in ("advcl", "conj", "parataxis", "ROOT") and y.head.head.i != doc[a - 1].i


def _distance(doc, c, t) -> bool:
    """"crashed a few miles [from X]", "[directly across the street] from X"."""
    a, b = min(c.tokens), max(c.tokens)
    ws = _words(doc, c.tokens)
    if not ws:
        return False
    if ws[0].lower_ in ("from", "of") and a > 0:
        p = doc[a - 1]
        if p.pos_ == "NOUN" and any(x.dep_ == "nummod" or x.lower_ in ("few", "several") for x in p.children):
            return True
    return c.kind in ("prep", "npadvmod") and b + 1 < len(doc) and doc[b + 1].lower_ in ("from", "of")
