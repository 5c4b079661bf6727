"""Deletion candidates of a parsed sentence, for :mod:`newsgist.highlighting.compress.stage`.

:func:`candidates` runs the rules below (and, in learned mode, the ``modifier`` rule of
:mod:`newsgist.highlighting.compress.modifiers`), trims each candidate to whole words and
drops those a guard refuses (:func:`newsgist.highlighting.compress.guards.refusal`).

**Candidates** (one constituent each, found on the dependency parse):

* rules (``RULES``): ``dateline`` "(CNN)" / "LONDON (CNN) --"; ``connective``
  "But", "However,", "Meanwhile,"; ``lead_adverbial`` "On Tuesday,", "Last year,",
  "Speaking to CNN,", "After the attack," (never "If ...,", "Unless ...,": a
  condition); ``attribution`` ", officials said Tuesday." after a reported clause
  that is not a direct quotation, ", he said," in the middle, "according to ...";
  ``parenthetical`` "( ... )"; ``dash_aside`` "– the reason the United States first
  invaded Afghanistan –"; ``appositive`` ", the No. 11 singles player,";
  ``nonrestrictive`` ", which ...", ", who ...", ", sentenced in 2010, ...".
* modifiers (``MODIFIER_DEPS``, learned mode only): see
  :mod:`newsgist.highlighting.compress.modifiers`.
"""
from __future__ import annotations

import re

from newsgist.highlighting.compress.guards import refusal
from newsgist.highlighting.compress.modifiers import _modifiers
from newsgist.highlighting.compress.syntax import (CLAUSE_PUNCT, FINAL_PUNCT, FINITE_TAGS, NOMINALS, SPEECH_VERBS,
                                                   SUBJECT_DEPS, Candidate, _aside, _edges, _frames, _is_quote,
                                                   _last_word, _names_someone, _rng, _spaced_dash)

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
OPENERS = frozenset({"(", "[", "“", '"', "‘", "'"})
CLOSERS = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "”", '"', "’", "'"})
# "(CNN)", "LONDON, England (CNN) --", "CNN --" at the very start of a sentence.
DATELINE = re.compile(r"^\s*(?:[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*)*\s*)?"
                      r"(?:\(CNN\)|CNN\s*(?:--|—|–))\s*(?:--|—|–)?\s*")
RULES = ("dateline", "connective", "lead_adverbial", "attribution", "parenthetical",
         "dash_aside", "appositive", "nonrestrictive")


# ------------------------------------------------------------------ the rules

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


# ------------------------------------------------------------------ candidates

_RULE_FNS = {"dateline": _dateline, "connective": _connective, "lead_adverbial": _lead_adverbials,
             "attribution": _attribution, "parenthetical": _parenthetical, "dash_aside": _dash_aside,
             "appositive": _appositive, "nonrestrictive": _nonrestrictive, "modifier": _modifiers}


def candidates(doc, rules=RULES) -> list[Candidate]:
    """Deletion candidates of every rule in ``rules``, in rule order, less those a guard
    refuses (:mod:`newsgist.highlighting.compress.guards`)."""
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


def _on_word_boundaries(doc, a: int, b: int) -> bool:
    """Does tokens a..b start and end between words ("career-high" is one word)?"""
    left = a == 0 or bool(doc[a - 1].whitespace_) or doc[a - 1].text in OPENERS or doc[a].text in CLOSERS
    right = b + 1 >= len(doc) or bool(doc[b].whitespace_) or doc[b + 1].text in CLOSERS or \
        doc[b].text in (")", "]")
    return left and right
