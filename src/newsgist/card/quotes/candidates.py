"""Indirect-quote candidates: cue words with the content their complement gives.

Step 1 of :func:`newsgist.card.quotes.indirect.indirect_quotes`: :func:`candidates` takes
every verb outside quotation marks with a clausal or nominal complement, and every
"according to X". The content is the complement as the parse gives it (PolNeAR's
convention: the complementizer "that" is part of it):

* ``ccomp``: the clause a verb governs, right or left of it ("X said the plan would
  fail", "The plan would fail, X said"); with an object before it, the clause alone
  ("X told reporters (that) ...");
* ``comp``: the objects and complements to the right ("X called the vote a mistake",
  "X urged Republicans to vote", "X accused Y of lying", "X called for ...");
* ``according``: the clause that "according to X" attaches to, without the phrase;
* ``parataxis``: "The plan, X said, will fail": the clause around the cue;
* alternatives: ``ccomp+conj`` (the clause and a conjoined one after it) and
  ``*-cut`` (the content up to a comma that opens a trailing clause or modifier).

A content stays in the cue's paragraph, and runs to the closing mark of a quotation
that opens in it. Each :class:`Candidate` also knows the cues whose content holds its
cue and the cues inside its content (features of the filter).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from newsgist.card.limits import in_long_sentence
from newsgist.card.quotes.speakers import Speakers

# --- complements -----------------------------------------------------------------------
# Children of a verb that make up its content when it has no clausal complement.
COMP_DEPS = {"dobj", "dative", "xcomp", "oprd", "attr", "acomp", "ccomp", "pcomp"}
# Prepositions that introduce content after a verb ("accused X of", "called for", "warned
# about", "pointed to", "described X as"); others are circumstances ("said on Monday").
COMP_PREPS = {"as", "of", "for", "about", "to", "against", "on", "that", "with"}
MIN_CONTENT_TOKENS = 2         # a shorter complement ("said so", "said nothing") is no content
MAX_CONTENT_TOKENS = 150       # longer "content" is a misparse running over sentences
# Where a content may end early: a comma before a phrase of one of these dependencies
# (", and when asked ...", ", who ...", ", saying ...", ", on Monday ...").
CUT_DEPS = {"cc", "relcl", "advcl", "acl", "conj", "npadvmod", "prep", "nsubj", "advmod", "mark"}
_OPENING = re.compile(r"^(?:[“‘]|``|\")$")      # a token that opens a quotation
_CLOSING = re.compile(r"^(?:[”’]|''|\")$")      # a token that closes one


@dataclass
class Candidate:
    """A cue with its content: token range ``[i, j)`` of the doc, maybe minus a hole."""
    cue_tok: object               # the cue's spaCy token ("said", "according")
    cue: str                      # the cue as reported ("said", "according to")
    kind: str                     # one of KINDS (newsgist.card.quotes.indirect)
    i: int
    j: int
    subj: object = None           # the subject token (the speaker's head), or None
    hole: tuple[int, int] | None = None   # tokens inside [i, j) that are not content ("he said")
    score: float = 0.0
    outer: list = field(default_factory=list)   # cues whose content holds this cue
    inner: list = field(default_factory=list)   # cues inside this content


def _edges(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _trim(doc, i: int, j: int) -> tuple[int, int]:
    """Drop punctuation, spaces and conjunctions at the edges of a token range; quotation
    marks stay with the quote they open or close (and the stop before a closing mark)."""
    while i < j and (doc[i].is_punct and not _OPENING.match(doc[i].text) or doc[i].is_space or doc[i].dep_ == "cc"):
        i += 1
    while j > i and (doc[j - 1].is_punct or doc[j - 1].is_space or doc[j - 1].dep_ == "cc"):
        if _CLOSING.match(doc[j - 1].text) and j - 1 > i and not doc[j - 2].is_space:
            break
        j -= 1
    return i, j


def _skip_lead(tok, i: int) -> int:
    """Start of a clause without its leading time phrase ("told X this weekend he would")."""
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if subj is None:
        return i
    for c in tok.children:
        if c.i >= subj.i:
            break
        if c.dep_ == "npadvmod" or c.ent_type_ in ("DATE", "TIME") and c.dep_ in ("npadvmod", "prep"):
            i = max(i, c.right_edge.i + 1)
    return i


def _contents_of_verb(verb) -> list[tuple]:
    """(kind, i, j, hole) of a verb's complement, maybe with alternatives (see the docstring)."""
    kids = list(verb.children)
    ccomps = [c for c in kids if c.dep_ == "ccomp"]
    right = [c for c in ccomps if c.i > verb.i]
    if right:
        i, j = _edges(right[0])
        out = [("ccomp", _skip_lead(right[0], i), j, None)]
        conj = [c for c in kids if c.dep_ == "conj" and c.i > j]
        if conj:  # "says she hopes ..., but she knows ...": the content may go on
            out.append(("ccomp+conj", out[0][1], conj[-1].right_edge.i + 1, None))
        return out
    if ccomps:
        i, j = _edges(ccomps[-1])
        return [("ccomp-left", i, j, None)]
    comps = [c for c in kids if c.i > verb.i and (c.dep_ in COMP_DEPS or c.dep_ == "prep" and c.lower_ in COMP_PREPS)]
    if comps:
        first = comps[0]
        if first.dep_ == "prep" and len(comps) == 1:  # "called for X": the object, not "for"
            objs = [g for g in first.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                i, j = _edges(objs[0])
                return [("comp", i, j, None)]
        return [("comp", first.left_edge.i, comps[-1].right_edge.i + 1, None)]
    if verb.dep_ == "parataxis":  # "The plan, he said, will fail."
        i, j = _edges(verb.head)
        a, b = _edges(verb)
        if j - b >= MIN_CONTENT_TOKENS or a - i >= MIN_CONTENT_TOKENS:
            return [("parataxis", i, j, (a, b))]
    return []


def _content_of_according(tok):
    """The clause that "according to X" attaches to, without the phrase: by the commas
    around the phrase when it opens or closes its sentence, else by the parse."""
    doc, sent = tok.doc, tok.sent

    def next_stop() -> int:  # the first separator after "according to" (walked only when needed:
        k = tok.i + 2        # one walk a sentence per cue would be quadratic, issue 17)
        while k < sent.end and doc[k].text not in (",", ";", "—", "–") and not doc[k].is_sent_end:
            k += 1
        return k

    lead = 0
    for t in doc[sent.start:tok.i]:
        lead += not t.is_punct
        if lead > 2:
            break
    if lead <= 2:
        k = next_stop()
        if k < sent.end and doc[k].text == ",":                      # "(But) according to X, Y."
            return "according", k + 1, sent.end, None
    if tok.i > sent.start and doc[tok.i - 1].text in (",", "—", "–", "(") and next_stop() >= sent.end - 1:
        return "according", sent.start, tok.i - 1, None            # "Y, according to X."
    head = tok.head
    if head is tok:
        return None
    i, j = _edges(head)
    a, b = _edges(tok)
    if a <= i:
        i = b
    elif b >= j:
        j = a
    else:
        i, j = (i, a) if a - i >= j - b else (b, j)
    return "according", i, j, None


def _cut(doc, i: int, j: int) -> int | None:
    """End of a shorter reading of the content ``[i, j)``: before the first comma that opens
    a trailing clause or modifier (", who ...", ", and when asked ...", ", saying ...")."""
    for k in range(i + MIN_CONTENT_TOKENS, j - 1):
        if doc[k].text not in (",", "—", "–", ";") or _OPENING.match(doc[k + 1].text):
            continue
        top = next((t for t in doc[k + 1:j] if t.head.i < k), None)  # the phrase after the comma
        if top is not None and top.left_edge.i >= k + 1 and top.dep_ in CUT_DEPS:
            return k
    return None


def _same_block(doc, sp: Speakers, cue, i: int, j: int) -> tuple[int, int]:
    """The part of ``[i, j)`` in the cue's paragraph (the parse links across line breaks; a soft break
    is none, :meth:`Speakers.line_break`)."""
    lo, hi = sp.line_start(cue.idx), sp.line_end(cue.idx)
    while i < j and doc[i].idx < lo:
        i += 1
    while j > i and doc[j - 1].idx >= hi:
        j -= 1
    return i, j


def _close_quote(doc, sp: Speakers, i: int, j: int) -> tuple[int, int]:
    """Extend a content over the end of a quotation that opens inside it (the parse leaves
    the closing stop and mark to the main verb: 'insisted that X "stop it."')."""
    if j <= i:
        return i, j
    last = doc[j - 1]
    span = sp.quote_at(last.idx)
    if span is not None and span[0] >= doc[i].idx and span[1] > last.idx + len(last) \
            and span[1] <= last.sent.end_char + 1:
        j = sp.token_at(span[1] - 1) + 1
    return i, j


def candidates(doc, sp: Speakers) -> list[Candidate]:
    """Cue + content candidates of a parsed doc (quoted and skipped text left out)."""
    out = []
    too_long = in_long_sentence(doc)   # sentences over SENTENCE_MAX_TOKENS are not read (card/limits.py)
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX") and tok.lower_ != "according" or too_long[tok.i]:
            continue
        if sp.in_quote(tok.idx) or sp.skipped_at(tok.idx):
            continue
        if tok.lower_ == "according":
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is None or nxt.lower_ != "to":
                continue
            found = _content_of_according(tok)
            found = [found] if found else []
            subj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
            cue = "according to"
        else:
            if not tok.tag_.startswith("VB") or tok.dep_ in ("aux", "auxpass"):
                continue
            found = _contents_of_verb(tok)
            subj = sp.subject(tok)
            cue = tok.lower_
        cut = [(kind + "-cut", i, k, hole) for kind, i, j, hole in found if hole is None
               for k in [_cut(doc, i, j)] if k is not None]
        for kind, i, j, hole in found + cut:
            i, j = _close_quote(doc, sp, *_trim(doc, *_same_block(doc, sp, tok, i, j)))
            if not MIN_CONTENT_TOKENS <= j - i <= MAX_CONTENT_TOKENS or i <= tok.i < j and hole is None:
                continue
            s = None if subj is not None and i <= subj.i < j and hole is None else subj
            out.append(Candidate(tok, cue, kind, i, j, s, hole))  # (a "subject" inside the content is none)
    _nesting(out)
    return out


def _nesting(cands: list[Candidate]) -> None:
    """Each candidate's outer cues (whose content holds its cue) and inner cues (in its content).

    Contents are at most MAX_CONTENT_TOKENS long, so only candidates whose content starts
    (for outer) or whose cue lies (for inner) in a window of that size are looked at:
    linear in the number of candidates, not quadratic. Lists keep the candidates' order."""
    by_start = sorted(range(len(cands)), key=lambda k: cands[k].i)
    starts = [cands[k].i for k in by_start]
    by_cue = sorted(range(len(cands)), key=lambda k: cands[k].cue_tok.i)
    cues = [cands[k].cue_tok.i for k in by_cue]
    for c in cands:
        t = c.cue_tok.i
        lo, hi = bisect_left(starts, t - MAX_CONTENT_TOKENS), bisect_right(starts, t)
        outer = sorted(k for k in by_start[lo:hi] if cands[k] is not c and cands[k].i <= t < cands[k].j)
        c.outer = [cands[k].cue for k in outer]
        lo, hi = bisect_left(cues, c.i), bisect_left(cues, c.j)
        inner = sorted(k for k in by_cue[lo:hi] if cands[k] is not c and cands[k].cue_tok is not c.cue_tok)
        c.inner = [cands[k].cue for k in inner]
