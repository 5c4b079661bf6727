"""Deletion candidates of a parsed sentence, for :mod:`newsgist.highlighting.compress.stage`.

**Candidates** (one constituent each, found on the dependency parse):

* rules (``RULES``): ``dateline`` "(CNN)" / "LONDON (CNN) --"; ``connective``
  "But", "However,", "Meanwhile,"; ``lead_adverbial`` "On Tuesday,", "Last year,",
  "Speaking to CNN,", "After the attack," (never "If ...,", "Unless ...,": a
  condition); ``attribution`` ", officials said Tuesday." after a reported clause
  that is not a direct quotation, ", he said," in the middle, "according to ...";
  ``parenthetical`` "( ... )"; ``dash_aside`` "– the reason the United States first
  invaded Afghanistan –"; ``appositive`` ", the No. 11 singles player,";
  ``nonrestrictive`` ", which ...", ", who ...", ", sentenced in 2010, ...".
* modifiers (``MODIFIER_DEPS``, learned mode only): prepositional phrases,
  adverbial clauses, time nouns, comma-set-off participial and
  relative clauses, a conjoined verb phrase, a few adverbs ("also", "now"), the
  part after ";" or a lone dash. Never adjectives or scope adverbs ("alleged",
  "former", "only", "nearly"), "of"/"than"/"to" phrases, the predicate of "is"
  ("is on trial"), conditions ("if", "unless"), a clause after "but" or holding a
  negation, a restrictive clause ("events that unfolded in the Middle East").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Spoken-attribution verbs, as written (the pipeline loads spaCy without a lemmatizer).
SPEECH_VERBS = frozenset("""
said says say told tells added adds explained explains noted notes wrote writes stated states
announced announces reported reports claimed claims insisted insists warned warns
acknowledged acknowledges confirmed confirms argued argues suggested suggests
""".split())
# Sentence-initial connectives that only link to the previous sentence.
CONNECTIVES = ("on the other hand", "at the same time", "as a result", "in addition", "in fact",
               "of course", "for example", "for instance", "but", "however", "meanwhile", "and",
               "still", "also", "yet", "moreover", "furthermore", "additionally", "nevertheless",
               "nonetheless", "indeed", "instead", "now", "so", "then", "separately", "similarly",
               "likewise", "ultimately", "eventually", "finally", "overall", "besides", "plus")
# ... of which these are adverbs of the clause unless a comma follows ("So far", "Now that").
COMMA_ONLY_CONNECTIVES = frozenset({"so", "then", "now", "still", "yet"})
# Dependency labels of a leading modifier of the main verb that may go ("On Tuesday,").
LEAD_DEPS = frozenset({"prep", "npadvmod", "advmod", "advcl", "pcomp"})
# Markers of a leading clause that may go: they set time or background, not a condition.
SAFE_MARKERS = frozenset({"after", "as", "while", "when", "before", "although", "though", "since"})
# Relative pronouns/adverbs that open a non-restrictive relative clause after a comma.
WH_WORDS = frozenset({"who", "which", "whom", "whose", "where", "when"})
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
BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s", "’s", "'re", "’re", "am"})
# Phrases whose pair of commas must stay while any of the phrase does ("Terry of
# Davenport, Florida, died" minus "Florida" keeps the comma closing the outer aside).
FRAME_DEPS = frozenset({"appos", "relcl", "acl", "advcl", "parataxis", "npadvmod", "prep"})
# Subjects, and the parts of speech a participial clause (acl) may modify.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
NOMINALS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
DASHES = frozenset({"--", "–", "—", "-", "---"})
CLAUSE_PUNCT = frozenset({",", ";", ":"}) | DASHES
FINAL_PUNCT = frozenset({".", "!", "?"})
OPENERS = frozenset({"(", "[", "“", '"', "‘", "'"})
CLOSERS = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "”", '"', "’", "'"})
# Conjunctions dropped when a deletion leaves them first ("And ..." after "Meanwhile,").
LEADING_CONJUNCTIONS = frozenset({"and", "but"})
# "(CNN)", "LONDON, England (CNN) --", "CNN --" at the very start of a sentence.
DATELINE = re.compile(r"^\s*(?:[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*)*\s*)?"
                      r"(?:\(CNN\)|CNN\s*(?:--|—|–))\s*(?:--|—|–)?\s*")
RULES = ("dateline", "connective", "lead_adverbial", "attribution", "parenthetical",
         "dash_aside", "appositive", "nonrestrictive")



@dataclass
class Candidate:
    rule: str
    tokens: frozenset                    # token indices in the sentence Doc
    commas: frozenset = frozenset()      # the commas that set an aside off (see _kept)
    kind: str = ""                       # the rule, or the dependency label of a modifier

    def __post_init__(self):
        self.kind = self.kind or self.rule



# ------------------------------------------------------------------ candidates

def _rng(a: int, b: int) -> set:
    return set(range(a, b + 1))


def _aside(rule: str, doc, a: int, b: int) -> Candidate | None:
    """Tokens a..b set off by commas: ", the No. 11 singles player," (or ", ... ." at the end).

    The delimiting commas are kept apart in ``commas``: they go only when no kept
    aside needs them (see :func:`_kept`). None when the phrase is not set off by a
    comma; the sentence-final mark always stays.
    """
    if a == 0 or doc[a - 1].text != ",":
        return None
    if b + 1 < len(doc) and doc[b + 1].text == ",":
        return Candidate(rule, frozenset(_rng(a, b)), frozenset({a - 1, b + 1}))
    if b + 1 < len(doc) and doc[b + 1].text not in FINAL_PUNCT and not _is_quote(doc[b + 1]):
        return None  # not closed by a comma or the end: probably a list, not an aside
    return Candidate(rule, frozenset(_rng(a - 1, b)))


def _edges(t) -> tuple[int, int]:
    """First and last token of ``t``'s subtree, without commas at either end."""
    a, b = t.left_edge.i, t.right_edge.i
    while a < b and t.doc[a].text == "," and a != t.i:
        a += 1
    while b > a and t.doc[b].text == "," and b != t.i:
        b -= 1
    return a, b


def _is_quote(tok) -> bool:
    return tok.text in ('"', "“", "”", "‘", "''", "``") or (tok.text == "’" and tok.dep_ == "punct")


def _dateline(doc, skip):
    m = DATELINE.match(doc.text)
    if not m or m.end() >= len(doc.text):
        return []
    toks = {t.i for t in doc if t.idx < m.end()}
    return [Candidate("dateline", frozenset(toks))] if toks else []


def _lead_start(doc, skip: set) -> int:
    i = 0
    while i < len(doc) and (i in skip or doc[i].is_space):
        i += 1
    return i


def _connective(doc, skip):
    i = _lead_start(doc, skip)
    low = doc[i:].text.lower() if i < len(doc) else ""
    for c in CONNECTIVES:
        if low.startswith(c + " ") or low.startswith(c + ","):
            n = len(c.split())
            toks = _rng(i, i + n - 1)
            if i + n < len(doc) and doc[i + n].text == ",":
                toks.add(i + n)
            elif c in COMMA_ONLY_CONNECTIVES:
                return []
            return [Candidate("connective", frozenset(toks))]
    return []


def _lead_adverbials(doc, skip):
    out, p = [], _lead_start(doc, skip)
    for sent in doc.sents:
        root = sent.root
        subj = next((c.i for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")), None)
        if subj is None:
            continue
        for c in sorted(root.children, key=lambda t: t.i):
            if c.i >= subj or c.left_edge.i != p or c.dep_ not in LEAD_DEPS:
                continue
            e = c.right_edge.i
            if e + 1 >= len(doc) or doc[e + 1].text != ",":
                continue
            if c.dep_ == "advcl":
                mark = next((m.text.lower() for m in c.children if m.dep_ == "mark"), None)
                if mark is None and c.tag_ not in ("VBG", "VBN"):
                    continue
                if mark is not None and mark not in SAFE_MARKERS:
                    continue
            if c.dep_ == "advmod" and c.text.lower() in ("not", "never", "only"):
                continue
            out.append(Candidate("lead_adverbial", frozenset(_rng(p, e + 1))))
            p = e + 2
        break  # only the first sentence of the parse has a "leading" phrase
    return out


def _attribution(doc, skip):
    out = []
    for sent in doc.sents:
        root = sent.root
        last = sent.end - 1
        while last > root.i and (doc[last].text in FINAL_PUNCT or _is_quote(doc[last])):
            last -= 1
        if root.text.lower() in SPEECH_VERBS:
            comp = next((c for c in root.children if c.dep_ == "ccomp" and c.i < root.i), None)
            subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if comp is not None and subj is not None and subj.i > comp.i and last >= root.i:
                a = comp.right_edge.i + 1
                first = comp.left_edge.i
                quoted = _is_quote(doc[first]) or (first > 0 and _is_quote(doc[first - 1]))
                if not quoted and a <= last and doc[a].text == "," and a > first:
                    out.append(Candidate("attribution", frozenset(_rng(a, last))))
    for t in doc:
        if t.dep_ == "parataxis" and t.text.lower() in SPEECH_VERBS:
            c = _aside("attribution", doc, *_edges(t))
            if c:
                out.append(c)
        if t.text.lower() == "according" and t.i + 1 < len(doc) and doc[t.i + 1].text.lower() == "to":
            a, b = _edges(t)
            if a == _lead_start(doc, skip) and b + 1 < len(doc) and doc[b + 1].text == ",":
                out.append(Candidate("attribution", frozenset(_rng(a, b + 1))))
            else:
                c = _aside("attribution", doc, a, b)
                if c:
                    out.append(c)
    return out


def _paired(doc, opens, closes):
    out, stack = [], []
    for t in doc:
        if t.text in opens:
            stack.append(t.i)
        elif t.text in closes and stack:
            a = stack.pop()
            if not stack:
                out.append((a, t.i))
    return out


def _parenthetical(doc, skip):
    return [Candidate("parenthetical", frozenset(_rng(a, b)))
            for a, b in _paired(doc, "([", ")]") if a > 0 or b < len(doc) - 2]


def _spaced_dash(doc, t) -> bool:
    return t.text in DASHES and (t.text != "-" or (t.i > 0 and bool(doc[t.i - 1].whitespace_)
                                                   and bool(t.whitespace_)))


def _dash_aside(doc, skip):
    dashes = [t.i for t in doc if _spaced_dash(doc, t)]
    return [Candidate("dash_aside", frozenset(_rng(a, b)))  # not between two quotations
            for a, b in zip(dashes[::2], dashes[1::2]) if b > a + 1 and a > 0
            and not (_is_quote(doc[a - 1]) and b + 1 < len(doc) and _is_quote(doc[b + 1]))
            and not _separates_lead_from_subject(doc, a, b)]


def _separates_lead_from_subject(doc, a: int, b: int) -> bool:
    """Do the dashes at a and b also close a leading phrase before the subject?

    "As a member of the Committee -- China's top body -- Zhou was ..." without the
    aside would run "Committee Zhou" together: the closing dash did a comma's work.
    """
    if b + 1 >= len(doc):
        return False
    nxt = doc[b + 1]
    subject = next((t for t in doc if t.dep_ in SUBJECT_DEPS and t.left_edge.i == nxt.i), None)
    return subject is not None and not (subject.left_edge.i <= a - 1 <= subject.right_edge.i) \
        and doc[a - 1].text not in CLAUSE_PUNCT


def _appositive(doc, skip):
    out = []
    for t in doc:
        if t.dep_ != "appos" or t.head.i > t.i:
            continue
        a, b = _edges(t)
        if t.head.pos_ != "PROPN" and _names_someone(doc, a, b):
            continue  # "the passenger, Gary Terry of Davenport,": the name is the news
        if b + 1 < len(doc) and doc[b + 1].text == "," and b + 2 < len(doc) and \
                doc[b + 2].text.lower() in ("and", "or"):
            continue  # "X, Y, and Z": a list, not an appositive
        c = _aside("appositive", doc, a, b)
        if c:
            out.append(c)
    return out


def _nonrestrictive(doc, skip):
    out = []
    for t in doc:
        a, b = _edges(t)
        if t.dep_ == "relcl":
            opener = doc[a].text.lower()
            if opener not in WH_WORDS and not (doc[a].dep_ == "prep" and a + 1 <= b
                                               and doc[a + 1].text.lower() in WH_WORDS):
                continue
        elif t.dep_ == "acl" and t.tag_ in ("VBN", "VBG") and a == t.i and t.head.pos_ in NOMINALS:
            pass  # ", sold to al Qaeda" after "given or, more likely" is a misparsed conjunct
        else:
            continue
        c = _aside("nonrestrictive", doc, a, b)
        if c:
            out.append(c)
    return out


def _names_someone(doc, a: int, b: int) -> bool:
    """A person's name in tokens a..b: a PERSON entity, or two unlabelled proper nouns."""
    if any(e.label_ == "PERSON" and a <= e.start and e.end - 1 <= b for e in doc.ents):
        return True
    return any(doc[i].pos_ == doc[i + 1].pos_ == "PROPN" and not doc[i].ent_type_ and not doc[i + 1].ent_type_
               for i in range(a, b))


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


_RULE_FNS = {"dateline": _dateline, "connective": _connective, "lead_adverbial": _lead_adverbials,
             "attribution": _attribution, "parenthetical": _parenthetical, "dash_aside": _dash_aside,
             "appositive": _appositive, "nonrestrictive": _nonrestrictive, "modifier": _modifiers}


def candidates(doc, rules=RULES) -> list[Candidate]:
    """Deletion candidates of every rule in ``rules``, in rule order, less those a guard
    refuses (:mod:`newsgist.highlighting.compress.guards`)."""
    from newsgist.highlighting.compress.guards import refusal
    out: list[Candidate] = []
    skip: set = set()
    for r in rules:
        found = _RULE_FNS[r](doc, skip)
        if r in ("dateline", "connective"):
            for c in found:
                skip |= c.tokens
        for c in found:
            toks = set(c.tokens)
            while toks and (max(toks) >= _last_word(doc) and doc[max(toks)].text in FINAL_PUNCT
                            or c.rule == "modifier" and doc[max(toks)].text == ","):
                toks.discard(max(toks))  # the closing mark and a trailing comma belong outside
            if toks and _on_word_boundaries(doc, min(toks), max(toks)):
                c.tokens = frozenset(toks)
                if refusal(doc, c) is None:
                    out.append(c)
    frames = None
    for c in out:  # "A jury in Clark County, Nevada, has indicted": the comma closing the
        b = max(c.tokens)  # place goes with it when the verb follows
        if c.rule == "modifier" and b + 2 < len(doc) and doc[b + 1].text == "," and doc[b + 2].tag_ in FINITE_TAGS:
            frames = _frames(doc) if frames is None else frames
            if any(b + 1 in f.commas and min(f.commas) in c.tokens for f in frames):
                c.tokens = frozenset(c.tokens | {b + 1})
    for c in out:  # ", or should be,": a conjunct set off by commas takes its closing one along
        a, b = min(c.tokens), max(c.tokens)
        if c.rule == "modifier" and c.kind == "conj" and doc[a].text == "," and b + 1 < len(doc) \
                and doc[b + 1].text == "," and a + 1 < len(doc) and doc[a + 1].tag_ == "CC":
            c.tokens = frozenset(c.tokens | {b + 1})
    return out


def _frames(doc) -> list[Candidate]:
    """Every phrase set off by a pair of commas, candidate or not: its commas stay while it does."""
    out = []
    for t in doc:
        if t.dep_ in FRAME_DEPS:
            a, b = _edges(t)
            if a > 0 and b + 1 < len(doc) and doc[a - 1].text == doc[b + 1].text == ",":
                out.append(Candidate("frame", frozenset(_rng(a, b)), frozenset({a - 1, b + 1})))
    return out


def candidate_head(doc, c: Candidate):
    """The candidate's head token: the first whose own head lies outside it (None if empty)."""
    return next((doc[i] for i in sorted(c.tokens) if doc[i].head.i not in c.tokens or doc[i].head.i == i), None)


def _on_word_boundaries(doc, a: int, b: int) -> bool:
    """Does tokens a..b start and end between words ("career-high" is one word)?"""
    left = a == 0 or bool(doc[a - 1].whitespace_) or doc[a - 1].text in OPENERS or doc[a].text in CLOSERS
    right = b + 1 >= len(doc) or bool(doc[b].whitespace_) or doc[b + 1].text in CLOSERS or \
        doc[b].text in (")", "]")
    return left and right


def _is_word(t) -> bool:
    return not (t.is_punct or t.is_space)


def _last_word(doc) -> int:
    i = len(doc) - 1
    while i > 0 and (doc[i].is_space or doc[i].text in FINAL_PUNCT):
        i -= 1
    return i + 1
