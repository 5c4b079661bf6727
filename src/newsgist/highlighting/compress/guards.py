"""Guards on deletion candidates: constituents the parse offers that must stay.

:func:`refusal` names why a candidate of :func:`newsgist.highlighting.compress.rules.candidates`
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

Two later readings (articles 300-499, then 700-899) added the guards of the sections
"from a second reading" and "from a third reading" below, each checked on articles not
read while writing it. A held-out reading between them (700-899) still found 15.6 % of
compressed highlights bad, so compression stays opt-in. The three guards listed last
in GUARDS (``claim source``, two kinds of ``news``) came from its misleading cuts; what
they change is in BENCHMARKS.md.
"""
from __future__ import annotations

from newsgist.highlighting.compress.rules import BE_FORMS, FINAL_PUNCT, SUBJECT_DEPS, _is_quote, candidate_head

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
    if c.rule != "attribution":
        return False
    b = max(c.tokens)
    rest = [x for x in doc[b + 1:] if not (x.is_space or x.text in FINAL_PUNCT or _is_quote(x))]
    return bool(rest) and doc[b + 1].text != ","


def _list(doc, c, t) -> bool:
    return c.rule == "appositive" and t.dep_ == "appos" and t.head.pos_ != "PROPN" \
        and any(x.dep_ == "conj" for x in t.children)


# ---------------------------------------------------------------- from a second reading
# (validation-1000 articles 300-499: 70 of 387 compressed highlights bad; these guards
# and the comma fixes in compress.py turn 41 good and change 6 others harmlessly; read
# where they were not written -- articles 500-699 and 0-199 -- they changed 33
# highlights: 14 better, 19 neutral, 0 worse. One more guard, "subject swallowed",
# was dropped: it made one held-out highlight worse.)

# The first word of a fixed pair, and the words that must follow it.
SPLIT_PAIRS = {"instead": ("of",), "addition": ("to",), "rather": ("than",), "regardless": ("of",),
               "ahead": ("of",), "prior": ("to",), "thanks": ("to",), "due": ("to",),
               "because": ("of",), "apart": ("from",), "aside": ("from",), "according": ("to",)}
CASUALTY_VERBS = frozenset({"killing", "injuring", "wounding", "crushing"})
CONTRAST_WORDS = frozenset({"though", "although", "but", "yet", "except", "barring", "unless", "if", "not",
                            "albeit", "even"})
SCOPE_WORDS = frozenset({"only", "few", "just"})
HEDGE_NOUNS = frozenset({"ways", "way", "respects", "respect", "cases", "sense", "extent", "degree", "part",
                         "areas"})
OPINION_WORDS = frozenset({"should", "must", "ought"})
SPEECH_FORMS = frozenset({"said", "says", "say", "told", "added", "stated", "argued", "claimed", "insisted",
                          "wrote"})
NEGATED_OBJECTS = frozenset({"nothing", "none", "nobody", "no one"})
# Sources that are a party to what they report (a family, a lawyer, a lawsuit): what they say
# is a claim, and a highlight without them states it as fact ("according to Roy's parents").
PARTY_SOURCES = frozenset({"parents", "mother", "father", "family", "lawyer", "lawyers", "attorney", "attorneys",
                           "prosecutor", "prosecutors", "defense", "witness", "witnesses", "friend", "friends",
                           "wife", "husband", "son", "daughter", "sister", "brother", "testimony", "complaint",
                           "lawsuit", "suit", "indictment", "affidavit", "documents"})


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


def _name_of_common_noun(doc, c, t) -> bool:
    """The name after a common noun ("the Israeli news site, NRG,"): it says which one."""
    return t.dep_ == "appos" and c.rule in ("appositive", "modifier") and t.head.pos_ == "NOUN" \
        and t.pos_ == "PROPN" and t.ent_type_ not in ("", "DATE", "TIME", "CARDINAL", "ORDINAL")


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


def _unmarked_finite_clause(doc, c, t) -> bool:
    """An "advcl" with a finite verb and no marker is usually a misparsed complement
    ("chances are [you will soon]")."""
    return c.kind == "advcl" and t.tag_ in ("VBD", "VBZ", "VBP", "MD", "VB") \
        and any(x.dep_ in SUBJECT_DEPS for x in t.children) \
        and not any(x.dep_ in ("mark", "advmod") and x.i < t.i for x in t.children) \
        and not any(x.tag_ in ("WRB", "WDT", "WP") for x in t.subtree if x.i < t.i)


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


def _dash_infinitive(doc, c, t) -> bool:
    """A dash aside that is an infinitive saying what the noun before it was."""
    ws = _words(doc, c.tokens)
    return c.rule == "dash_aside" and len(ws) > 1 and ws[0].lower_ == "to" and ws[1].tag_ == "VB"


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


# ---------------------------------------------------------------- from a third reading
# (validation-1000 articles 700-899, read after the second set: 61 of 392 compressed
# highlights bad; these six turn about 12 good and change 16 there in all; on articles
# 900-999, never read before, they changed 4 highlights: 1 better, 3 neutral, 0 worse.
# Two broader prototypes -- keep the first phrase of a verb without an object, keep a bare
# "X said" -- were left out: they mostly keep more words, and were not shown to help.)

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


GUARDS = (("not a time", _not_time), ("argument", _argument), ("scope", _scope),
          ("bare participle", _bare_participle), ("split phrase", _split_phrase),
          ("not final", _not_final), ("list", _list),
          ("split phrase", _split_pair), ("dangling conjunction", _dangling_cc),
          ("misparse", _apposition_follows), ("misparse", _fused_clause),
          ("argument", _inverted_predicate), ("not final", _false_break), ("place modifier", _place_modifier),
          ("name", _name_of_common_noun), ("bare relative", _bare_relative),
          ("argument", _measure_before), ("rate", _rate), ("scope", _contrast_tail),
          ("condition", _inverted_condition), ("misparse", _unmarked_finite_clause), ("scope", _wide_scope),
          ("hedge", _hedge), ("scope", _concession), ("opinion", _opinion_source), ("condition", _condition_prep),
          ("argument", _dash_infinitive), ("scope", _negated_object), ("news", _casualties),
          ("argument", _comparative), ("argument", _inversion), ("bare number", _bare_number),
          ("dangling conjunction", _next_to_cc), ("misparse", _fused_subject), ("argument", _distance),
          ("claim source", _party_source), ("news", _interrupting_event), ("news", _second_predicate))


def refusal(doc, c) -> str | None:
    """Why candidate ``c`` of ``doc`` may not be deleted, or None."""
    t = candidate_head(doc, c)
    if t is None:
        return None
    return next((name for name, guard in GUARDS if guard(doc, c, t)), None)
