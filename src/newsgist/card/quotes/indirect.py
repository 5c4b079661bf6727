"""Indirect (reported) speech: "X said (that) ...", "according to X, ...", "X warned ...".

:func:`indirect_quotes` reads the dependency parse in two steps:

1. **Candidates** — every verb outside quotation marks with a clausal or nominal
   complement, and every "according to X". The content is the complement as the parse
   gives it (PolNeAR's convention: the complementizer "that" is part of it):

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
   that opens in it.

2. **Filter** — a learned scorer (:mod:`newsgist.card.quotes.model`, trained on PolNeAR's
   train split) rates each candidate from its cue word, its complement, its subject,
   its content and the cues around it; those over the model's threshold are kept, the
   best first, one per cue and one per group of contents overlapping by half or more
   ("X said Y expected Z" is one attribution). Without a model, a rule keeps the
   candidates of the cue verbs of :mod:`newsgist.card.quotes.speakers` with a clausal
   complement or "according to".

The speaker is the cue's subject (or the object of "according to"), resolved by
:class:`newsgist.card.quotes.speakers.Speakers` like the speakers of direct quotes.
Content that lies mostly inside a direct quote is left to that quote; content holding
a partial quote is kept (PolNeAR calls it "mixed").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from newsgist.card.quotes.speakers import CUE_FORMS, HUMAN_NOUNS, Speakers
from newsgist.types import Quote

# --- complements -----------------------------------------------------------------------
# Children of a verb that make up its content when it has no clausal complement.
COMP_DEPS = {"dobj", "dative", "xcomp", "oprd", "attr", "acomp", "ccomp", "pcomp"}
# Prepositions that introduce content after a verb ("accused X of", "called for", "warned
# about", "pointed to", "described X as"); others are circumstances ("said on Monday").
COMP_PREPS = {"as", "of", "for", "about", "to", "against", "on", "that", "with"}
# Words that open a clause in the content ("that", "whether", "how" ...).
CLAUSE_OPENERS = {"that", "whether", "if", "how", "what", "why", "when", "where", "who", "which"}
MIN_CONTENT_TOKENS = 2         # a shorter complement ("said so", "said nothing") is no content
MAX_CONTENT_TOKENS = 150       # longer "content" is a misparse running over sentences
MAX_DIRECT_SHARE = 0.5         # content this much inside a direct quote belongs to that quote
NESTED_MAX_SHARE = 0.5         # contents overlapping this much are one attribution (the better one stays)
PRIOR_PSEUDO = 0.1             # prior of a cue never seen in training: 0.1 / 1
RULE_KINDS = {"ccomp", "according", "parataxis"}   # what the rule keeps without a model
# Where a content may end early: a comma before a phrase of one of these dependencies
# (", and when asked ...", ", who ...", ", saying ...", ", on Monday ...").
CUT_DEPS = {"cc", "relcl", "advcl", "acl", "conj", "npadvmod", "prep", "nsubj", "advmod", "mark"}
_OPENING = re.compile(r"^(?:[“‘]|``|\")$")      # a token that opens a quotation
_CLOSING = re.compile(r"^(?:[”’]|''|\")$")      # a token that closes one

# --- feature vocabularies (one-hot columns of the model) -------------------------------------
BASE_KINDS = ("ccomp", "ccomp+conj", "ccomp-left", "comp", "according", "parataxis")
KINDS = BASE_KINDS + tuple(k + "-cut" for k in BASE_KINDS)
TAGS = ("VBD", "VBZ", "VBP", "VB", "VBG", "VBN")          # the cue verb's tag
VERB_DEPS = ("ROOT", "conj", "advcl", "ccomp", "xcomp", "relcl", "acl", "pcomp", "parataxis", "prep")
MODALS = {"would", "could", "might", "may", "will", "should", "can", "must", "shall"}  # "would say"


@dataclass
class Candidate:
    """A cue with its content: token range ``[i, j)`` of the doc, maybe minus a hole."""
    cue_tok: object               # the cue's spaCy token ("said", "according")
    cue: str                      # the cue as reported ("said", "according to")
    kind: str                     # one of KINDS
    i: int
    j: int
    subj: object = None           # the subject token (the speaker's head), or None
    hole: tuple[int, int] | None = None   # tokens inside [i, j) that are not content ("he said")
    score: float = 0.0
    outer: list = field(default_factory=list)   # cues whose content holds this cue
    inner: list = field(default_factory=list)   # cues inside this content


def crude_lemma(form: str) -> str:
    """A rough lemma for the lexicon ("says", "said" -> "say"; "warned" -> "warn")."""
    form = form.lower()
    irregular = {"said": "say", "says": "say", "told": "tell", "tells": "tell", "wrote": "write",
                 "written": "write", "thought": "think", "believes": "believe", "argues": "argue"}
    if form in irregular:
        return irregular[form]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
            return form[: len(form) - len(suffix)] + repl
    return form


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
    k = tok.i + 2
    while k < sent.end and doc[k].text not in (",", ";", "—", "–") and not doc[k].is_sent_end:
        k += 1
    lead = [t for t in doc[sent.start:tok.i] if not t.is_punct]
    if len(lead) <= 2 and k < sent.end and doc[k].text == ",":   # "(But) according to X, Y."
        return "according", k + 1, sent.end, None
    if tok.i > sent.start and doc[tok.i - 1].text in (",", "—", "–", "(") and k >= sent.end - 1:
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


def _same_block(doc, text: str, cue, i: int, j: int) -> tuple[int, int]:
    """The part of ``[i, j)`` in the cue's paragraph (the parse links across line breaks)."""
    lo = text.rfind("\n", 0, cue.idx) + 1
    hi = text.find("\n", cue.idx)
    hi = len(text) if hi < 0 else hi
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
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX") and tok.lower_ != "according":
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
            i, j = _close_quote(doc, sp, *_trim(doc, *_same_block(doc, sp.text, tok, i, j)))
            if not MIN_CONTENT_TOKENS <= j - i <= MAX_CONTENT_TOKENS or i <= tok.i < j and hole is None:
                continue
            s = None if subj is not None and i <= subj.i < j and hole is None else subj
            out.append(Candidate(tok, cue, kind, i, j, s, hole))  # (a "subject" inside the content is none)
    _nesting(out)
    return out


def _nesting(cands: list[Candidate]) -> None:
    """Each candidate's outer cues (whose content holds its cue) and inner cues (in its content)."""
    for c in cands:
        c.outer = [d.cue for d in cands if d is not c and d.i <= c.cue_tok.i < d.j]
        c.inner = [d.cue for d in cands if d is not c and c.i <= d.cue_tok.i < c.j and d.cue_tok is not c.cue_tok]


def lexicon_features(cue: str, outer, inner, lexicon: dict) -> dict[str, float]:
    """How often the cue (its form, its crude lemma) and the cues around it were attributions
    in training: ``lexicon`` maps "form:said" / "lemma:say" to (positives, total)."""
    def prior(key):
        pos, tot = lexicon.get(key, (0, 0))
        return (pos + PRIOR_PSEUDO) / (tot + 1.0), tot

    f = {}
    for name, key in (("form", "form:" + cue), ("lemma", "lemma:" + crude_lemma(cue.split()[0]))):
        p, tot = prior(key)
        f[f"prior_{name}"], f[f"log_count_{name}"] = p, math.log1p(tot)
    f["outer_prior"] = max((prior("lemma:" + crude_lemma(x.split()[0]))[0] for x in outer), default=0.0)
    f["inner_prior"] = max((prior("lemma:" + crude_lemma(x.split()[0]))[0] for x in inner), default=0.0)
    f["n_outer"], f["n_inner"] = float(len(outer)), float(len(inner))
    return f


def _one_hot(prefix: str, value: str, choices) -> dict[str, float]:
    return {f"{prefix}={c}": float(value == c) for c in choices}


def features(c: Candidate, doc, sp: Speakers, quote_chars, lexicon: dict) -> dict[str, float]:
    """Numeric features of one candidate (names are the model's columns).

    ``quote_chars`` is ``(direct, partial)``: sorted lists of quote char ranges;
    ``lexicon`` maps cue forms and crude lemmas to (positives, total) seen in training."""
    verb, content = c.cue_tok, doc[c.i:c.j]
    f = lexicon_features(c.cue, c.outer, c.inner, lexicon)
    f.update(_one_hot("kind", c.kind, KINDS))
    f.update(_one_hot("tag", verb.tag_, TAGS))
    f.update(_one_hot("dep", verb.dep_, VERB_DEPS))
    f["cue_strong"] = float(CUE_FORMS.get(verb.lower_) is True)
    f["cue_weak"] = float(CUE_FORMS.get(verb.lower_) is False)
    kids = list(verb.children)
    f["neg"] = float(any(k.dep_ == "neg" for k in kids))
    f["modal"] = float(any(k.dep_ == "aux" and k.lower_ in MODALS for k in kids))
    f["passive"] = float(any(k.dep_ in ("nsubjpass", "auxpass") for k in kids))
    f["has_dobj"] = float(any(k.dep_ in ("dobj", "dative") for k in kids))
    f["has_xcomp"] = float(any(k.dep_ == "xcomp" for k in kids))
    f["n_children"] = float(len(kids))
    s = c.subj
    f["subj"] = float(s is not None)
    ent = s.ent_type_ if s is not None else ""
    f["subj_person"] = float(ent == "PERSON")
    f["subj_org"] = float(ent in ("ORG", "NORP", "GPE"))
    f["subj_pron"] = float(s is not None and s.pos_ == "PRON")
    f["subj_first_second"] = float(s is not None and s.lower_ in ("i", "we", "you"))
    f["subj_propn"] = float(s is not None and s.pos_ == "PROPN")
    f["subj_human"] = float(s is not None and s.lower_ in HUMAN_NOUNS)
    f["subj_rel"] = float(s is not None and s.lower_ in ("who", "that", "which"))
    f["subj_after"] = float(s is not None and s.i > verb.i)
    n = c.j - c.i
    f["len"] = float(n)
    f["log_len"] = math.log(n)
    first = doc[c.i]
    f["opens_that"] = float(first.lower_ == "that")
    f["opens_clause"] = float(first.lower_ in CLAUSE_OPENERS)
    f["opens_to"] = float(first.lower_ == "to")
    root = content.root
    f["content_verb"] = float(root.pos_ in ("VERB", "AUX"))
    f["content_noun"] = float(root.pos_ in ("NOUN", "PROPN", "PRON"))
    f["content_subj"] = float(any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in content))
    f["content_finite"] = float(any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in content))
    f["gap"] = float(c.i - verb.i - 1 if c.i > verb.i else verb.i - c.j)
    sent = verb.sent
    f["sent_len"] = float(len(sent))
    f["share_sent"] = n / max(len(sent), 1)
    f["question"] = float(sp.text[sent.start_char:sent.end_char].rstrip().endswith("?"))
    f["sent_index"] = math.log1p(verb.sent.start)
    a, b = content.start_char, content.end_char
    direct, partial = quote_chars
    f["in_direct"] = _share(direct, a, b)
    f["in_partial"] = _share(partial, a, b)
    f["has_partial"] = float(f["in_partial"] > 0)
    f["cue_after"] = float(verb.i >= c.j)
    return f


def _share(ranges, a: int, b: int) -> float:
    """Share of the chars ``[a, b)`` inside the (disjoint) ranges."""
    inside = sum(max(0, min(b, e) - max(a, s)) for s, e in ranges)
    return inside / max(b - a, 1)


def to_quote(c: Candidate, doc, sp: Speakers) -> Quote:
    text = sp.text
    a, b = doc[c.i].idx, doc[c.j - 1].idx + len(doc[c.j - 1])
    content = text[a:b]
    if c.hole is not None:  # "The plan, he said, will fail": the text without the attribution
        ha, hb = c.hole
        i1, j1 = _trim(doc, c.i, ha)
        i2, j2 = _trim(doc, hb, c.j)
        parts = [doc[x:y].text for x, y in ((i1, j1), (i2, j2)) if y > x]
        content = " ".join(parts)
    speaker = sp.speaker_of(c.subj, c.cue_tok.idx) if c.subj is not None else None
    return Quote(text=content, start=a, end=b,
                 speaker=speaker.name if speaker else None,
                 speaker_mention=speaker.mention if speaker else None,
                 speaker_start=speaker.start if speaker else -1,
                 speaker_end=speaker.end if speaker else -1,
                 speaker_title=speaker.title if speaker else None,
                 cue=c.cue, kind="indirect")


def quote_ranges(quotes: list[Quote]) -> tuple[list, list]:
    """Char ranges of the direct and of the partial quotes."""
    direct = sorted((q.start, q.end) for q in quotes if q.kind == "direct")
    partial = sorted((q.start, q.end) for q in quotes if q.kind == "partial")
    return direct, partial


def indirect_quotes(doc, sp: Speakers, quotes: list[Quote], model=None) -> list[Quote]:
    """Indirect quotes of ``doc``; ``quotes`` are its direct and partial quotes (see the docstring)."""
    chars = quote_ranges(quotes)
    cands = candidates(doc, sp)
    if model is not None and cands:
        rows = [features(c, doc, sp, chars, model.lexicon) for c in cands]
        scores = model.score(rows)
        for c, s in zip(cands, scores):
            c.score = float(s)
        chosen = [c for c in cands if c.score >= model.threshold]
    else:
        chosen = [c for c in cands if c.kind in RULE_KINDS and c.subj is not None
                  and (c.cue == "according to" or c.cue_tok.lower_ in CUE_FORMS)]
    taken: list[Candidate] = []
    for c in sorted(chosen, key=lambda c: -c.score):
        if _raising(c):
            if c.cue_tok.lower_ not in CUE_FORMS:
                continue  # "is expected to cost $310 million": a forecast, nobody's words
            c.subj = None  # "is said to have fled": reported, but not by its subject
        a, b = doc[c.i].idx, doc[c.j - 1].idx + len(doc[c.j - 1])
        if _share(chars[0], a, b) >= MAX_DIRECT_SHARE or any(_same_content(c, t) for t in taken):
            continue
        taken.append(c)
    return [to_quote(c, doc, sp) for c in taken]


def _raising(c: Candidate) -> bool:
    """A passive cue with an infinitive ("X is expected to ...", "X was said to ..."):
    its subject is what the content is about, not who says it."""
    cue = c.cue_tok
    return cue.tag_ == "VBN" and any(t.dep_ == "auxpass" for t in cue.children) and any(
        t.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in t.children) for t in cue.children)


def _same_content(c: Candidate, d: Candidate) -> bool:
    """Two readings of one cue, or two candidates whose contents overlap by at least
    NESTED_MAX_SHARE of the longer one ("X said Y expected Z"), are one attribution."""
    return c.cue_tok.i == d.cue_tok.i or overlapping(c.i, c.j, d.i, d.j)


def overlapping(i: int, j: int, i2: int, j2: int) -> bool:
    common = min(j, j2) - max(i, i2)
    return common > 0 and common >= NESTED_MAX_SHARE * max(j - i, j2 - i2)
