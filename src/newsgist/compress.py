"""Sentence compression: CNN-length highlights by deletion only.

CNN highlights are short (12 words, median, in validation-1000) while extracted
sentences run to ~21. This module shortens each selected sentence by *deleting*
constituents -- nothing is added or reworded -- so every word of a highlight is a
span of the input. Only the selected sentences are parsed (spaCy en_core_web_sm).

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
  adverbial clauses, time nouns, "by ..." agents, comma-set-off participial and
  relative clauses, a conjoined verb phrase, a few adverbs ("also", "now"), the
  part after ";" or a lone dash. Never adjectives or scope adverbs ("alleged",
  "former", "only", "nearly"), "of"/"than"/"to" phrases, the predicate of "is"
  ("is on trial"), conditions ("if", "unless"), a clause after "but" or holding a
  negation, a restrictive clause ("events that unfolded in the Middle East").

**Choosing**: every safe rule candidate goes. With the learned model
(:data:`MODEL`, the default; ``model=None`` gives the rules alone) modifiers go too
when a logistic regression over :func:`features` expects a CNN editor to drop them:
its score estimates the share of the constituent's content words a highlight keeps,
and those under ``THRESHOLD`` go, most droppable first. It was fit on word-level
keep labels from aligning validation-1000 highlights with the selected sentences
(``benchmarks/bench_compress.py --fit``). With ``target_words`` modifiers scored up
to ``MAX_THRESHOLD`` may also go while the highlight is longer than the target.

**Safety** (:func:`newsgist.faithfulness.deletion_problems`): a deletion is refused
if it would cut into a quotation, a bracket pair or a named entity, drop a negation
whose word stays, drop a number whose word stays, leave no subject with a finite
verb, or leave fewer than ``MIN_KEPT_WORDS`` words or ``MIN_KEPT_SHARE`` of the
sentence; candidates never split a word ("career-high"). The result then goes through
:func:`newsgist.faithfulness.check`; a highlight that fails any check falls back to
the full sentence (``compressed`` false), so nothing unchecked is shown.

**Clean-up** after deletion removes punctuation *tokens* only: a comma that set off
a deleted aside (unless it also closes a kept one: "Naib, 13, has"), a leading
punctuation mark or "and"/"but", and a , ; : or dash left before another one,
before the closing mark, or at the end.

**Text** of a highlight from its ``spans`` (the kept pieces of the input, in order),
by :func:`render_spans` -- these fixes and no others:

1. whitespace inside a piece collapses to one space; pieces are joined by one space;
2. no space before a piece that starts with , . ; : ! ? % ) ] ” ’ or 's / n't;
3. a trailing , ; : or dash is removed;
4. a final period is added when the text does not end in . ! ? (or one of them
   followed by closing quotes/brackets);
5. the first letter is capitalised when the first word has no capital letter.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .faithfulness import render_spans, spans_of  # noqa: F401  (part of this module's API)
from .text import content_terms

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
MODIFIER_DEPS = frozenset({"prep", "advcl", "advmod", "npadvmod", "agent", "relcl", "acl", "conj",
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
# A compression must keep at least this many words and this share of the sentence's
# words: "That's when." is not a highlight of a 28-word sentence.
MIN_KEPT_WORDS = 6
MIN_KEPT_SHARE = 0.35
# A term first seen in this leading share of the article's terms counts as a lead term.
LEAD_SHARE = 0.1
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


@dataclass
class Compression:
    text: str
    spans: list                      # [(start, end)] into the input, in order
    start: int                       # the whole source sentence
    end: int
    compressed: bool = False
    rules: list = field(default_factory=list)    # kinds of the deletions applied
    refused: list = field(default_factory=list)  # (kind, reason) of refused ones; ("all", ...) = fallback
    report: dict | None = None       # the faithfulness report (newsgist.faithfulness.check)


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
            and not (_is_quote(doc[a - 1]) and b + 1 < len(doc) and _is_quote(doc[b + 1]))]


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
        elif t.dep_ == "acl" and t.tag_ in ("VBN", "VBG") and a == t.i:
            pass
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
    first = next((c.i for c in h.children if c.dep_ == "prep"), None)
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
        if t.dep_ == "acl" and t.tag_ not in ("VBN", "VBG"):
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
    """Deletion candidates of every rule in ``rules``, in rule order."""
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
                out.append(c)
    return out


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


# ------------------------------------------------------------------ applying

def _frames(doc) -> list[Candidate]:
    """Every phrase set off by a pair of commas, candidate or not: its commas stay while it does."""
    out = []
    for t in doc:
        if t.dep_ in FRAME_DEPS:
            a, b = _edges(t)
            if a > 0 and b + 1 < len(doc) and doc[a - 1].text == doc[b + 1].text == ",":
                out.append(Candidate("frame", frozenset(_rng(a, b)), frozenset({a - 1, b + 1})))
    return out


def cleanup(doc, kept: set) -> set:
    """Drop punctuation (and a leading conjunction) that deletions left dangling."""
    kept = set(kept)
    changed = True
    while changed:
        changed = False
        order = sorted(kept)
        if not order:
            break
        first = doc[order[0]]
        if first.text in CLAUSE_PUNCT or (first.text.lower() in LEADING_CONJUNCTIONS and len(order) > 1):
            kept.discard(first.i)
            changed = True
            continue
        for k, x in enumerate(order):
            tx, y = doc[x].text, (order[k + 1] if k + 1 < len(order) else None)
            nxt, prev = (doc[y].text if y is not None else None), order[max(0, k - 2):k]
            if tx == "." and y is None and prev and doc[prev[-1]].text.endswith(".") \
                    and doc[prev[-1]].text != ".":  # "Taubman Centers Inc.." -> "Inc."
                kept.discard(x)
                changed = True
                break
            if tx not in CLAUSE_PUNCT or (tx in DASHES and not _spaced_dash(doc, doc[x])):
                continue
            after_comma_quote = tx == "," and len(prev) == 2 and doc[prev[0]].text == "," \
                and _is_quote(doc[prev[1]])  # '"Returns,", is' -> '"Returns," is'
            after_conjunction = tx == "," and prev and doc[prev[-1]].text.lower() in LEADING_CONJUNCTIONS
            if nxt is None or nxt in CLAUSE_PUNCT or nxt in FINAL_PUNCT or nxt in (")", "]") \
                    or after_comma_quote or after_conjunction:  # "but, director" -> "but director"
                kept.discard(x)
                changed = True
                break
    return kept


def _kept(doc, applied: list[Candidate], cands: list[Candidate]) -> set:
    """Tokens left after the ``applied`` deletions, with their commas and clean-up.

    A delimiting comma of a deleted aside goes unless it also delimits an aside
    that stays: "Naib, 13, who lives in Newtown, has" minus the relative clause is
    "Naib, 13, has" (the comma after 13 closes the kept appositive).
    """
    gone = set().union(*(c.tokens for c in applied)) if applied else set()
    stay = {i for c in cands + _frames(doc) if c not in applied and not c.tokens <= gone for i in c.commas}
    commas = {i for c in applied for i in c.commas} - stay
    return cleanup(doc, set(range(len(doc))) - gone - commas)


def n_words(text: str) -> int:
    return len(text.split())


# ------------------------------------------------------------------ compressing

def compress_doc(doc, offset: int = 0, source: str | None = None, *, rules=RULES, model=None,
                 target_words: int | None = None, context: dict | None = None) -> Compression:
    """Compress one parsed sentence (``doc`` of ``source[offset:offset+len(doc.text)]``).

    Every safe rule candidate goes; with a ``model``, so do the modifiers it scores
    below ``model["threshold"]`` (lowest first). ``target_words`` lets more go while
    the highlight is longer: modifiers scored below ``model["max_threshold"]``, or,
    without a model, modifiers longest first. ``context`` is :func:`article_context`
    (plus :func:`with_others`). Returns the full sentence when nothing safe was cut.
    """
    from .faithfulness import check, deletion_problems

    if source is None:
        source, offset = doc.text, 0
    if model is None:
        cands = candidates(doc, rules)
        ordered = [(c, True) for c in cands]
        if target_words:
            extra = sorted(candidates(doc, ("modifier",)), key=lambda c: -len(c.tokens))
            cands += extra
            ordered += [(c, False) for c in extra]
    else:
        cands = candidates(doc, tuple(rules) + ("modifier",))
        if context is not None:
            context = dict(context, position=offset / max(1, context.get("chars", 1)))
        scored = sorted(((predict(model, features(doc, c, context)), k) for k, c in enumerate(cands)))
        limit = model["max_threshold"] if target_words else model["threshold"]
        ordered = [(cands[k], p < model["threshold"] or cands[k].rule != "modifier") for p, k in scored
                   if p < limit or cands[k].rule != "modifier"]
    full = set(range(len(doc)))
    kept = set(full)
    n_all = sum(1 for t in doc if _is_word(t))
    applied: list[Candidate] = []
    refused = []
    for c, must in ordered:
        if not must and n_words(render_spans(source, spans_of(doc, kept, offset))) <= target_words:
            continue
        if not (c.tokens & kept):
            continue
        trial = _kept(doc, applied + [c], cands)
        problems = deletion_problems(doc, trial)
        n_kept = sum(1 for i in trial if _is_word(doc[i]))
        if n_kept < max(MIN_KEPT_WORDS, MIN_KEPT_SHARE * n_all):
            problems = problems + ["too short"]
        if problems:
            refused.append((c.kind, problems[0]))
            continue
        kept = trial
        applied.append(c)
    s_end = offset + len(doc.text)
    full_spans = spans_of(doc, full, offset)
    full_text = render_spans(source, full_spans)
    fallback = Compression(full_text, full_spans, offset, s_end, False, [], refused, None)
    if kept == full or not applied:
        fallback.report = check(source, full_text, full_spans, [(offset, s_end)], doc)
        return fallback
    spans = spans_of(doc, kept, offset)
    text = render_spans(source, spans)
    report = check(source, text, spans, [(offset, s_end)], doc)
    if not report["passed"]:
        fallback.refused.append(("all", "checks: " + ", ".join(report["problems"])))
        fallback.report = check(source, full_text, full_spans, [(offset, s_end)], doc)
        return fallback
    return Compression(text, spans, offset, s_end, True, [c.kind for c in applied], refused, report)


def compress_sentences(source: str, ranges, nlp=None, *, rules=RULES, model=None, target_words=None,
                       context: dict | None = None) -> list[Compression]:
    """Compress ``source[a:b]`` for each (a, b) in ``ranges``; parses only those."""
    if nlp is None:
        from .nlp import load_nlp
        nlp = load_nlp()
    ranges = list(ranges)
    docs = nlp.pipe([source[a:b] for a, b in ranges])
    out = []
    for k, (d, (a, b)) in enumerate(zip(docs, ranges)):
        ctx = None if context is None else with_others(context, source, ranges, k)
        out.append(compress_doc(d, a, source, rules=rules, model=model, target_words=target_words, context=ctx))
    return out


def with_others(context: dict, source: str, ranges, k: int) -> dict:
    """``context`` plus the terms of the other highlights (the ``dup`` feature)."""
    others = set()
    for j, (a, b) in enumerate(ranges):
        if j != k:
            others.update(content_terms(source[a:b]))
    return dict(context, others=others)


# ------------------------------------------------------------------ pipeline stage

def stage_compress(article, options, model: dict | None | str = "default"):
    """Pipeline stage after "select": compress each highlight, attach spans and checks.

    Sets on each :class:`~newsgist.types.Highlight`: ``text`` (compressed or the
    full sentence), ``spans`` ([(start, end)] kept pieces), ``compressed`` and
    ``faithfulness`` ({"support", "checks", "passed", "problems", "subject_verb"});
    ``start``/``end`` stay the whole source sentence. ``meta["compression"]`` counts
    the highlights that passed each check. Off when ``options.compress`` is false.
    ``model``: "default" (:data:`MODEL`), a model dict, or None for the rules alone.
    """
    from .faithfulness import summarise

    if not getattr(options, "compress", True) or not article.highlights:
        return article
    model = MODEL if model == "default" else model
    results = compress_sentences(article.source, [(h.start, h.end) for h in article.highlights],
                                 model=model, target_words=getattr(options, "target_words", None),
                                 context=article_context(article.source) if model else None)
    for h, c in zip(article.highlights, results):
        h.text = c.text
        h.spans = [tuple(s) for s in c.spans]
        h.compressed = c.compressed
        h.faithfulness = c.report
    meta = summarise([c.report for c in results], [c.compressed for c in results])
    meta["method"] = "learned" if model else "rules"
    article.meta["compression"] = meta
    return article


def highlight_dict(h) -> dict:
    """The card's JSON for one highlight, with the compression fields when present."""
    d = {"text": h.text, "start": h.start, "end": h.end, "score": round(h.score, 4)}
    spans = getattr(h, "spans", None)
    if spans is not None:
        d["spans"] = [{"start": a, "end": b} for a, b in spans]
        d["compressed"] = bool(getattr(h, "compressed", False))
        rep = getattr(h, "faithfulness", None) or {}
        d["support"] = [{"start": a, "end": b} for a, b in rep.get("support", [])]
        d["checks"] = dict(rep.get("checks", {}))
    return d


# ------------------------------------------------------------------ the learned model

def features(doc, c: Candidate, context: dict | None = None) -> dict:
    """Features of one deletion candidate for the learned model (sparse: name -> value)."""
    toks = sorted(c.tokens)
    a, b = toks[0], toks[-1]
    words = [doc[i] for i in toks if not (doc[i].is_punct or doc[i].is_space)]
    n_sent = max(1, sum(1 for t in doc if not (t.is_punct or t.is_space)))
    root = next((doc[i] for i in toks if doc[i].head.i not in c.tokens or doc[i].head.i == i), doc[a])
    end = b >= _last_word(doc) - 1
    f = {"bias": 1.0, "k=" + c.kind: 1.0, f"k={c.kind}|end={end}": 1.0, "len": math.log1p(len(words)),
         "frac": len(words) / n_sent, "start": a / len(doc), "at_start": float(a == 0),
         "comma": float(doc[a].text == "," or (a > 0 and doc[a - 1].text == ",")),
         "hpos=" + root.head.pos_: 1.0, "hroot": float(root.head.dep_ == "ROOT"),
         "number": float(any(t.like_num for t in words)), "slen": math.log1p(n_sent),
         "adjacent": float(a == root.head.i + 1)}
    first = next((t for t in words), None)
    if first is not None and c.kind in ("prep", "advcl", "agent", "npadvmod", "advmod", "conj", "acl"):
        f[f"w={first.text.lower()}"] = 1.0
    for e in doc.ents:
        if a <= e.start and e.end - 1 <= b:
            f["ent=" + e.label_] = 1.0
    ctx = context or {}
    tf, first_seen = ctx.get("tf"), ctx.get("first", {})
    if tf:
        terms = content_terms(" ".join(t.text for t in words))
        rest = content_terms(" ".join(t.text for t in doc if t.i not in c.tokens))
        counts = [max(0, tf.get(x, 1) - 1) for x in terms]  # mentions outside this one
        if counts:
            f["sal_mean"] = sum(math.log1p(x) for x in counts) / len(counts)
            f["sal_max"] = math.log1p(max(counts))
            f["sal_new"] = sum(1 for x in counts if x == 0) / len(counts)
            f["first_pos"] = sum(first_seen.get(x, 1.0) for x in terms) / len(terms)
            f["lead"] = sum(1 for x in terms if first_seen.get(x, 1.0) < LEAD_SHARE) / len(terms)
            others = ctx.get("others")
            if others is not None:  # said already by another highlight of the card
                f["dup"] = sum(1 for x in terms if x in others) / len(terms)
            if rest:
                f["sal_rel"] = f["sal_mean"] - sum(math.log1p(max(0, tf.get(x, 1) - 1)) for x in rest) / len(rest)
    if "position" in ctx:
        f["spos"] = ctx["position"]
    return f


def predict(model: dict, feats: dict) -> float:
    """The model's estimate of the share of the candidate's words a CNN editor keeps."""
    w = model["weights"]
    z = sum(w.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def article_context(text: str) -> dict:
    """What the model needs from the whole article: term counts and first positions."""
    terms = content_terms(text)
    first: dict = {}
    for k, x in enumerate(terms):
        first.setdefault(x, k / max(1, len(terms)))
    return {"tf": Counter(terms), "first": first, "chars": len(text)}


# Logistic regression over :func:`features`, fit by ``benchmarks/bench_compress.py --fit``
# on validation-1000 (never on test). :func:`predict` estimates the share of a
# candidate's content words a CNN highlight keeps; below THRESHOLD it is dropped.
THRESHOLD = 0.18      # chosen out of fold on validation-1000 (R-2, R-Lsum, median words <= 16)
MAX_THRESHOLD = 0.28  # with a target length, modifiers scored up to this may go as well
_WEIGHTS = """
adjacent:-0.074 at_start:-0.091 bias:-0.84 comma:-0.022 dup:0.976 ent=CARDINAL:-0.182
ent=DATE:-0.164 ent=EVENT:0.811 ent=FAC:0.188 ent=GPE:0.105 ent=LOC:-0.143 ent=MONEY:0.519
ent=NORP:0.004 ent=ORDINAL:0.047 ent=ORG:0.109 ent=PERSON:0.165 ent=PRODUCT:-0.101
ent=QUANTITY:-0.448 ent=TIME:-0.468 ent=WORK_OF_ART:0.135 first_pos:-0.156 frac:0.24
hpos=ADJ:0.026 hpos=ADP:-0.591 hpos=ADV:0.139 hpos=AUX:0.05 hpos=NOUN:0.223 hpos=PROPN:0.208
hpos=VERB:0.128 hroot:-0.119 k=acl:0.184 k=advcl:0.173 k=advcl|end=False:0.187
k=advcl|end=True:-0.014 k=advmod:-0.438 k=advmod|end=False:-0.139 k=agent:0.032
k=agent|end=False:0.139 k=agent|end=True:-0.107 k=appos:0.063 k=appositive:0.068
k=appositive|end=False:0.358 k=appositive|end=True:-0.29 k=appos|end=False:0.321
k=appos|end=True:-0.258 k=attribution:-0.15 k=attribution|end=False:-0.303
k=attribution|end=True:0.153 k=conj:0.209 k=conj|end=False:0.287 k=conj|end=True:-0.078
k=connective:0.222 k=connective|end=False:0.222 k=dash_aside:0.023 k=dash_aside|end=False:0.023
k=lead_adverbial:0.042 k=lead_adverbial|end=False:0.042 k=nonrestrictive:0.158
k=nonrestrictive|end=False:0.228 k=nonrestrictive|end=True:-0.07 k=npadvmod:-0.177
k=npadvmod|end=False:0.22 k=npadvmod|end=True:-0.398 k=parenthetical:-0.372
k=parenthetical|end=False:0.489 k=prep:0.176 k=prep|end=False:0.197 k=prep|end=True:-0.021
k=relcl:0.165 k=relcl|end=False:0.216 k=relcl|end=True:-0.051 k=tail_--:0.032
k=tail_--|end=True:0.032 lead:-0.258 len:-0.147 number:0.46 sal_max:0.168 sal_mean:0.117
sal_new:-0.247 sal_rel:0.419 slen:-0.235 spos:0.299 start:0.08 w=a:0.425 w=about:0.056
w=according:-0.779 w=after:0.228 w=against:0.338 w=also:-0.078 w=and:0.102 w=around:-0.502
w=as:-0.13 w=at:-0.024 w=before:-0.616 w=by:0.051 w=during:-0.028 w=for:0.027 w=friday:-0.53
w=from:0.02 w=in:0.041 w=into:0.573 w=last:-0.338 w=monday:-0.382 w=now:-0.437 w=on:0.215
w=over:0.312 w=saturday:-0.18 w=since:0.276 w=this:0.328 w=thursday:-0.761 w=to:0.307
w=tuesday:-0.972 w=wednesday:-0.723 w=when:-0.107 w=while:-0.121
"""


def _parse_weights(text: str) -> dict:
    return {k: float(v) for k, v in (t.rsplit(":", 1) for t in text.split())}


MODEL = {"threshold": THRESHOLD, "max_threshold": MAX_THRESHOLD, "weights": _parse_weights(_WEIGHTS)}
