"""Indirect (reported) speech: "X said (that) ...", "according to X, ...", "X warned ...".

:func:`indirect_quotes` reads the dependency parse in two steps:

1. **Candidates** (:mod:`newsgist.card.quotes.candidates`) — every verb outside
   quotation marks with a clausal or nominal complement, and every "according to X",
   with the complement as the parse gives it for content (and shorter readings of it).

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

This module holds step 2: the :func:`features` of a candidate (with the cue priors of
:func:`lexicon_features`), the rule, and the choice of one candidate per attribution.
"""
from __future__ import annotations

import math
from bisect import bisect_left, insort

from newsgist.card.quotes.candidates import MAX_CONTENT_TOKENS, Candidate, _trim, candidates
from newsgist.card.quotes.lexicon import CUE_FORMS, HUMAN_NOUNS
from newsgist.card.quotes.speakers import Speakers
from newsgist.types import Quote

# --- the filter ------------------------------------------------------------------------
# Words that open a clause in the content ("that", "whether", "how" ...).
CLAUSE_OPENERS = {"that", "whether", "if", "how", "what", "why", "when", "where", "who", "which"}
MAX_DIRECT_SHARE = 0.5         # content this much inside a direct quote belongs to that quote
NESTED_MAX_SHARE = 0.5         # contents overlapping this much are one attribution (the better one stays)
PRIOR_PSEUDO = 0.1             # prior of a cue never seen in training: 0.1 / 1
RULE_KINDS = {"ccomp", "according", "parataxis"}   # what the rule keeps without a model

# --- feature vocabularies (one-hot columns of the model) -------------------------------------
BASE_KINDS = ("ccomp", "ccomp+conj", "ccomp-left", "comp", "according", "parataxis")
KINDS = BASE_KINDS + tuple(k + "-cut" for k in BASE_KINDS)
TAGS = ("VBD", "VBZ", "VBP", "VB", "VBG", "VBN")          # the cue verb's tag
VERB_DEPS = ("ROOT", "conj", "advcl", "ccomp", "xcomp", "relcl", "acl", "pcomp", "parataxis", "prep")
MODALS = {"would", "could", "might", "may", "will", "should", "can", "must", "shall"}  # "would say"


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


class _Ranges(list):
    """Sorted char ranges that know their longest one, so that the ranges meeting
    ``[a, b)`` are found by bisection (one sum over all quotes per candidate was
    quadratic in the number of quotes, issue 17)."""

    def __init__(self, ranges):
        super().__init__(sorted(ranges))
        self.longest = max((e - s for s, e in self), default=0)

    def near(self, a: int, b: int):
        """The ranges that may overlap ``[a, b)`` (a superset; in order)."""
        lo = bisect_left(self, (a - self.longest, -1))
        hi = bisect_left(self, (b, -1))
        return self[lo:hi]


def _share(ranges, a: int, b: int) -> float:
    """Share of the chars ``[a, b)`` inside the (disjoint) ranges."""
    near = ranges.near(a, b) if isinstance(ranges, _Ranges) else ranges
    inside = sum(max(0, min(b, e) - max(a, s)) for s, e in near)
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
    direct = _Ranges((q.start, q.end) for q in quotes if q.kind == "direct")
    partial = _Ranges((q.start, q.end) for q in quotes if q.kind == "partial")
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
    taken_cues: set[int] = set()
    taken_starts: list[tuple[int, int]] = []   # (content start, index in taken), sorted
    for c in sorted(chosen, key=lambda c: -c.score):
        if _raising(c):
            if c.cue_tok.lower_ not in CUE_FORMS:
                continue  # "is expected to cost $310 million": a forecast, nobody's words
            c.subj = None  # "is said to have fled": reported, but not by its subject
        a, b = doc[c.i].idx, doc[c.j - 1].idx + len(doc[c.j - 1])
        if _share(chars[0], a, b) >= MAX_DIRECT_SHARE or _clashes(c, taken, taken_cues, taken_starts):
            continue
        insort(taken_starts, (c.i, len(taken)))
        taken_cues.add(c.cue_tok.i)
        taken.append(c)
    return [to_quote(c, doc, sp) for c in taken]


def _raising(c: Candidate) -> bool:
    """A passive cue with an infinitive ("X is expected to ...", "X was said to ..."):
    its subject is what the content is about, not who says it."""
    cue = c.cue_tok
    return cue.tag_ == "VBN" and any(t.dep_ == "auxpass" for t in cue.children) and any(
        t.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in t.children) for t in cue.children)


def _clashes(c: Candidate, taken: list, cues: set, starts: list) -> bool:
    """``any(_same_content(c, t) for t in taken)``, looking only at the taken contents
    that can overlap ``c`` (contents are at most MAX_CONTENT_TOKENS long): linear, not
    quadratic, in the number of candidates."""
    if c.cue_tok.i in cues:
        return True
    lo = bisect_left(starts, (c.i - MAX_CONTENT_TOKENS, -1))
    hi = bisect_left(starts, (c.j, -1))
    return any(_same_content(c, taken[k]) for _, k in starts[lo:hi])


def _same_content(c: Candidate, d: Candidate) -> bool:
    """Two readings of one cue, or two candidates whose contents overlap by at least
    NESTED_MAX_SHARE of the longer one ("X said Y expected Z"), are one attribution."""
    return c.cue_tok.i == d.cue_tok.i or overlapping(c.i, c.j, d.i, d.j)


def overlapping(i: int, j: int, i2: int, j2: int) -> bool:
    common = min(j, j2) - max(i, i2)
    return common > 0 and common >= NESTED_MAX_SHARE * max(j - i, j2 - i2)
