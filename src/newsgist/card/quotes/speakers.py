"""Who said it: cue verbs and the mentions of their speakers.

:class:`Speakers` reads a spaCy ``Doc`` once and answers, for any cue verb
("said", "told", "according to"), who its speaker is:

* the **events** — every cue verb outside quotation marks and skipped text, in
  document order, with its speaker (:meth:`Speakers.events_between`);
* the **mention** as written — the verb's ``nsubj`` from the dependency parse,
  with rule fallbacks when the small model misparses ("said Stanikzai",
  "Jeff Buchanan, Deputy Chief of Staff ..., said");
* the **resolved speaker** and its title, by the methods ``Speakers`` takes from
  :class:`newsgist.card.quotes.resolution.Resolver` (people, pronouns, descriptions).

:meth:`Speakers.subject` and :meth:`Speakers.speaker_of` serve the indirect quotes of
:mod:`newsgist.card.quotes.indirect` too, for any verb. The cue verbs, people words and
windows it uses are in :mod:`newsgist.card.quotes.lexicon`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsgist.card.spacy_start import import_spacy

import_spacy()  # spaCy without its command line (card/spacy_start.py), before the import below
from spacy.attrs import IDX, LOWER  # noqa: E402

from newsgist.card.quotes.lexicon import (
    _CUE_IDS, ADJACENT_COMMA_WINDOW, CUE_FORMS, DESCRIPTION_MAX_TOKENS, NAME_STOP, NOT_SPEAKERS, _norm,
)
from newsgist.card.quotes.resolution import Person, Resolver, Speaker


@dataclass
class Event:
    """A cue verb outside quotation marks, with its speaker."""
    pos: int
    cue: str
    strong: bool
    speaker: Speaker | None


class Speakers(Resolver):
    """Speaker finding and resolution over one document (see the module docstring)."""

    def __init__(self, text, doc, entities=None, blocked=(), skipped=(), soft=()):
        self.text, self.doc = text, doc
        # the line breaks: every newline but those inside the ``soft`` char ranges (the paragraphs of a
        # body whose hard-wrapped paragraphs are read as one, reading/softwrap.py: their single newlines
        # are soft breaks inside a paragraph); without ``soft``, every newline, as before soft breaks
        self._breaks = _hard_newlines(text, soft)
        self._blocked = sorted(blocked)            # quote intervals (marks included)
        self._blocked_starts = [b[0] for b in self._blocked]
        self._skipped = sorted(skipped)            # char ranges not read (headlines)
        self._skipped_starts = [a for a, _ in self._skipped]
        arr = doc.to_array([IDX, LOWER])  # no Token objects for the many tokens that are no cue
        self._tok_starts = arr[:, 0].tolist() if len(doc) else []
        self._lower_ids = arr[:, 1].tolist() if len(doc) else []
        self._ent_of = [None] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self._ent_of[i] = ent
        self.people: list[Person] = []
        self._by_last: dict[str, list[Person]] = {}   # surname -> people (the lookup index)
        self.orgs: list[Person] = []
        for e in entities or ():
            p = Person(e.name, e.type, {_norm(e.name)} | {_norm(v) for v in e.variants},
                       e.title, sorted(e.spans))
            if e.type == "PERSON":
                self._add_person(p)
            else:
                self.orgs.append(p)
        self._mentions: list[tuple[int, Person, bool]] = []  # (pos, person, is_subject), in text order
        self._mention_pos: list[int] = []
        self._register_doc_people()
        self.events: list[Event] = []
        self._event_pos: list[int] = []
        self._find_events()

    # --- helpers ----------------------------------------------------------------------
    def in_quote(self, pos: int) -> bool:
        return self.quote_at(pos) is not None

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        """The quotation (marks included) holding char ``pos``, or None."""
        i = bisect.bisect_right(self._blocked_starts, pos) - 1
        return self._blocked[i] if i >= 0 and self._blocked[i][0] <= pos < self._blocked[i][1] else None

    def skipped_at(self, pos: int) -> bool:
        i = bisect.bisect_right(self._skipped_starts, pos) - 1
        return i >= 0 and pos < self._skipped[i][1]

    def token_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._tok_starts, pos) - 1)

    def line_break(self, start: int, end: int) -> bool:
        """A line break in ``text[start:end]`` (a newline that is no soft break, see ``__init__``)."""
        k = bisect.bisect_left(self._breaks, start)
        return k < len(self._breaks) and self._breaks[k] < end

    def line_start(self, pos: int) -> int:
        """Start of the line holding ``pos``: just after the last line break before it, else 0."""
        k = bisect.bisect_left(self._breaks, pos)
        return self._breaks[k - 1] + 1 if k else 0

    def line_end(self, pos: int) -> int:
        """The first line break at or after ``pos``, else the text's end."""
        k = bisect.bisect_left(self._breaks, pos)
        return self._breaks[k] if k < len(self._breaks) else len(self.text)

    def _same_block(self, a, b) -> bool:
        """No line break between two tokens (they are in one paragraph)."""
        lo, hi = (a, b) if a.i < b.i else (b, a)
        return not self.line_break(lo.idx, hi.idx)

    @staticmethod
    def is_cue(tok) -> bool:
        return tok.lower_ in CUE_FORMS and (tok.tag_.startswith("VB") or tok.pos_ == "VERB")

    # --- events: every cue verb with its speaker, in document order --------------------------
    def _find_events(self) -> None:
        doc = self.doc
        for i, (idx, low) in enumerate(zip(self._tok_starts, self._lower_ids)):
            if low not in _CUE_IDS or self.in_quote(idx) or self.skipped_at(idx):
                continue
            tok = doc[i]
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                subj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None) or \
                    next((t for t in doc[tok.i + 2:tok.i + 7] if t.pos_ in ("PROPN", "NOUN", "PRON")), None)
                cue, strong = "according to", True
            elif self.is_cue(tok):
                subj, cue, strong = self.subject(tok), tok.lower_, CUE_FORMS[tok.lower_]
            else:
                continue
            speaker = self.speaker_of(subj, tok.idx) if subj is not None else None
            self.events.append(Event(tok.idx, cue, strong, speaker))
            self._event_pos.append(tok.idx)

    def events_between(self, start: int, end: int) -> list[Event]:
        lo, hi = bisect.bisect_left(self._event_pos, start), bisect.bisect_left(self._event_pos, end)
        return self.events[lo:hi]

    def subject(self, verb, depth: int = 0):
        """The speaking subject of a cue verb, or None."""
        doc = self.doc
        for c in verb.children:
            if not self._same_block(c, verb) or self.in_quote(c.idx) or not self._may_speak(c):
                continue  # the small model links across lines of a raw page
            if c.dep_ == "nsubj":
                if c.lower_ in ("who", "that") and verb.dep_ == "relcl":
                    return verb.head
                before = self._person_before(verb)
                if before is not None and self._ent_of[c.i] is None and c.i < before.i \
                        and not any(t.pos_ in ("VERB", "AUX") for t in doc[c.i:before.i]):
                    return before  # "Vice President for news Dave Gorab called": the name
                return c
            if c.dep_ == "agent":  # "was quoted by X"
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if depth < 3 and verb.dep_ in ("conj", "xcomp", "advcl", "acomp") and verb.head.pos_ in ("VERB", "AUX", "ADJ") \
                and self._same_block(verb, verb.head):
            found = self.subject(verb.head, depth + 1)
            if found is not None:
                return found
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return None  # "he was told": the subject did not speak
        nxt = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
        prev = doc[verb.i - 1] if verb.i else None
        if prev is not None and not (prev.is_quote or verb.is_sent_start or prev.is_space or prev.text == ":"):
            nxt = None  # a speaker after the verb only in '..." said Stanikzai' and 'Stated Stone:'
        if nxt is not None and nxt.pos_ in ("PROPN", "PRON") and not self.in_quote(nxt.idx) \
                and self._same_block(verb, nxt) and self._may_speak(nxt):
            return nxt  # "said Stanikzai"
        if nxt is not None and nxt.pos_ == "DET" and nxt.head.pos_ == "NOUN" and nxt.head.i > verb.i \
                and self._same_block(verb, nxt.head) and not self.in_quote(nxt.idx):
            return nxt.head  # "wrote a man calling himself ..."
        k = self._skip_back(verb.i - 1)
        if k >= 0 and doc[k].pos_ in ("PROPN", "PRON", "NOUN") and not self.in_quote(doc[k].idx) \
                and not self.line_break(doc[k].idx, verb.idx) and self._may_speak(doc[k]):
            return doc[k]
        return None

    def _skip_back(self, k: int) -> int:
        """From the token before a verb back to its subject's head: over auxiliaries and
        adverbs ("has also said"), a parenthesis ("Kasich (R-OH), said") and an appositive
        between commas ("Buchanan, Deputy Chief of Staff ..., said")."""
        doc, jumps = self.doc, 0
        while k >= 0 and jumps < 3:
            if doc[k].dep_ in ("aux", "advmod", "neg") and doc[k].pos_ != "PUNCT":
                k -= 1
            elif doc[k].text == ")":
                j = k - 1
                while j > max(-1, k - ADJACENT_COMMA_WINDOW) and doc[j].text != "(":
                    j -= 1
                k, jumps = (j - 1 if j >= 0 and doc[j].text == "(" else -1), jumps + 1
            elif doc[k].text == ",":
                if k > 0 and doc[k - 1].text == ")":
                    k, jumps = k - 1, jumps + 1
                    continue
                j = k - 1
                while j > max(-1, k - ADJACENT_COMMA_WINDOW) and (doc[j].text != "," or self.in_quote(doc[j].idx)):
                    j -= 1  # (commas inside a quoted name in the appositive do not count)
                k, jumps = (j - 1 if j >= 0 and doc[j].text == "," else -1), jumps + 1
            else:
                break
        return k

    @staticmethod
    def _may_speak(tok) -> bool:
        """Dates and numbers do not speak ("said Tuesday"); "the 46-year-old" does."""
        return tok.ent_type_ not in NOT_SPEAKERS or tok.lower_ == "old"

    def _person_before(self, verb):
        """A PERSON name ending right before the verb ("... talk Dave Gorab called")."""
        k = verb.i - 1
        while k >= 0 and self.doc[k].dep_ in ("aux", "advmod", "neg") and self.doc[k].pos_ != "PUNCT":
            k -= 1
        ent = self._ent_of[k] if k >= 0 else None
        return self.doc[k] if ent is not None and ent.label_ == "PERSON" and ent.end == k + 1 else None

    def speaker_of(self, tok, pos: int) -> Speaker:
        """The resolved speaker whose mention is headed by ``tok``, speaking at ``pos`` (a
        relative "who" is the noun its clause hangs from)."""
        if tok.lower_ in ("who", "that", "which") and tok.head.dep_ == "relcl":
            tok = tok.head.head
        return self.resolve(*self._mention(tok), pos)

    def _mention(self, tok) -> tuple[int, int]:
        """Token range of the mention headed by ``tok`` (a name, a pronoun, a description)."""
        ent = self._ent_of[tok.i]
        if ent is not None and ent.label_ in ("PERSON", "ORG", "NORP", "GPE", "FAC"):
            i, j = ent.start, ent.end
        elif tok.pos_ == "PRON":
            return tok.i, tok.i + 1
        else:
            i, j = max(tok.left_edge.i, tok.i - DESCRIPTION_MAX_TOKENS), tok.i + 1
            for c in tok.rights:  # "a spokesman for the ministry"
                if c.dep_ == "prep" and c.lower_ in ("for", "of", "at", "with", "from") \
                        and c.right_edge.i - i < DESCRIPTION_MAX_TOKENS:
                    j = c.right_edge.i + 1
                break
        while i < tok.i and self.line_break(self.doc[i].idx, tok.idx):
            i += 1  # the parse may join a headline to the description: not across a line break
        while i < j and (self.doc[i].is_punct or self.doc[i].is_space or self.doc[i].lower_ == "the"
                         and ent is not None):
            i += 1
        while j > i and (self.doc[j - 1].lower_ in NAME_STOP or self.doc[j - 1].is_punct):
            j -= 1
        return (i, j) if j > i else (tok.i, tok.i + 1)


def _hard_newlines(text: str, soft=()) -> list[int]:
    """Positions of the newlines of ``text`` outside the char ranges ``soft`` (sorted, not overlapping),
    in order: the line breaks of :meth:`Speakers.line_break`. Linear."""
    out, spans, k = [], sorted(soft), 0
    for m in re.finditer("\n", text):
        pos = m.start()
        while k < len(spans) and spans[k][1] <= pos:
            k += 1
        if not (k < len(spans) and spans[k][0] <= pos):
            out.append(pos)
    return out
