"""The parse vocabulary of compression: the :class:`Candidate` record and what it is built from.

The :class:`Candidate` record (one deletable constituent); the word lists, dependency
labels and punctuation sets of the parse that the candidate finders (``rules``,
``modifiers``), the guards and ``stage`` have in common; and the small token helpers
they share: a subtree's edges (:func:`_edges`), a phrase set off by commas
(:func:`_aside`), the phrases whose commas stay (:func:`_frames`), a candidate's head
token (:func:`candidate_head`). It imports nothing of the package, so every other
module of the room builds on it.
"""
from __future__ import annotations

from dataclasses import dataclass

# Spoken-attribution verbs, as written (the pipeline loads spaCy without a lemmatizer).
SPEECH_VERBS = frozenset("""
said says say told tells added adds explained explains noted notes wrote writes stated states
announced announces reported reports claimed claims insisted insists warned warns
acknowledged acknowledges confirmed confirms argued argues suggested suggests
""".split())
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
# Conjunctions dropped when a deletion leaves them first ("And ..." after "Meanwhile,").
LEADING_CONJUNCTIONS = frozenset({"and", "but"})


@dataclass
class Candidate:
    rule: str
    tokens: frozenset                    # token indices in the sentence Doc
    commas: frozenset = frozenset()      # the commas that set an aside off (see _kept)
    kind: str = ""                       # the rule, or the dependency label of a modifier

    def __post_init__(self):
        self.kind = self.kind or self.rule


# ------------------------------------------------------------------ token helpers

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


def _spaced_dash(doc, t) -> bool:
    return t.text in DASHES and (t.text != "-" or (t.i > 0 and bool(doc[t.i - 1].whitespace_)
                                                   and bool(t.whitespace_)))


def _names_someone(doc, a: int, b: int) -> bool:
    """A person's name in tokens a..b: a PERSON entity, or two unlabelled proper nouns."""
    if any(e.label_ == "PERSON" and a <= e.start and e.end - 1 <= b for e in doc.ents):
        return True
    return any(doc[i].pos_ == doc[i + 1].pos_ == "PROPN" and not doc[i].ent_type_ and not doc[i + 1].ent_type_
               for i in range(a, b))


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


def _is_word(t) -> bool:
    return not (t.is_punct or t.is_space)


def _last_word(doc) -> int:
    i = len(doc) - 1
    while i > 0 and (doc[i].is_space or doc[i].text in FINAL_PUNCT):
        i -= 1
    return i + 1


def _words(doc, toks):
    return [doc[i] for i in sorted(toks) if not (doc[i].is_punct or doc[i].is_space)]
