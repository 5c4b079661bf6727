"""Who said it: cue verbs, speaker mentions, and their resolution to people.

:class:`Speakers` reads a spaCy ``Doc`` once and answers, for any cue verb
("said", "told", "according to"), who its speaker is:

* the **mention** as written — the verb's ``nsubj`` from the dependency parse,
  with rule fallbacks when the small model misparses ("said Stanikzai",
  "Jeff Buchanan, Deputy Chief of Staff ..., said");
* the **resolved speaker** — a canonical person (from the ``entities`` module when
  given, else from ``doc.ents`` PERSON spans grouped by surname), an organisation,
  or the description as written. Pronouns ("he", "she") go to the subject of the
  previous attribution unless another person has been the subject of a sentence
  since; definite descriptions ("Afghanistan's top defense official", "the
  minister") go to the nearest person whose title shares a content word with the
  description ("Acting **Defense** Minister Masoom Stanikzai");
* the speaker's **title** — the entity's title, else the capitalised words before
  the first full mention ("Acting Defense Minister") joined with an appositive
  after it ("Jeff Buchanan, Deputy Chief of Staff for ..., said").

:meth:`Speakers.subject` and :meth:`Speakers.speaker_of` serve the indirect quotes of
:mod:`newsgist.card.quotes.indirect` too, for any verb. The cue verbs, people words and
windows it uses are in :mod:`newsgist.card.quotes.lexicon`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.attrs import IDX, LOWER

from newsgist.card.quotes.lexicon import (
    _CUE_IDS, ADJACENT_COMMA_WINDOW, APPOSITIVE_MAX_TOKENS, CUE_FORMS, DESCRIPTION_MAX_TOKENS,
    GENDERED_PRONOUNS, GENERIC_WORDS, GROUP_PRONOUNS, HONORIFICS, HUMAN_NOUNS, NAME_STOP,
    NOT_SPEAKERS, PRE_TITLE_MAX_TOKENS, PRONOUN_EVENT_WINDOW, PRONOUN_MENTION_WINDOW,
    TITLE_MENTIONS_READ, TITLE_MODIFIERS, TITLE_WORDS, _display_name, _norm, _stem,
)


@dataclass
class Person:
    name: str
    type: str = "PERSON"                   # "PERSON" | "ORG"
    keys: set[str] = field(default_factory=set)   # normalised name and variants
    title: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    gender: str | None = None
    title_checked: bool = False

    @property
    def tokens(self) -> list[str]:
        return _norm(self.name).split()


@dataclass
class Speaker:
    """The speaker of one cue: the mention as written and what it resolves to."""
    mention: str
    start: int
    end: int
    name: str | None          # canonical name / description; None for an unresolved pronoun
    title: str | None = None
    person: Person | None = None
    human: bool = False       # a person, an organisation or a role noun (not "the fighting")


@dataclass
class Event:
    """A cue verb outside quotation marks, with its speaker."""
    pos: int
    cue: str
    strong: bool
    speaker: Speaker | None


class Speakers:
    """Speaker finding and resolution over one document (see the module docstring)."""

    def __init__(self, text, doc, entities=None, blocked=(), skipped=()):
        self.text, self.doc = text, doc
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

    def _same_block(self, a, b) -> bool:
        """No line break between two tokens (they are in one paragraph)."""
        lo, hi = (a, b) if a.i < b.i else (b, a)
        return "\n" not in self.text[lo.idx:hi.idx]

    @staticmethod
    def is_cue(tok) -> bool:
        return tok.lower_ in CUE_FORMS and (tok.tag_.startswith("VB") or tok.pos_ == "VERB")

    # --- the person registry ----------------------------------------------------------
    def _register_doc_people(self) -> None:
        for ent in self.doc.ents:
            if self.skipped_at(ent.start_char) or "\n" in ent.text:
                continue
            person = self.lookup(ent.text, ent.start_char, create=ent.label_ == "PERSON")
            if person is None:
                continue
            if (ent.start_char, ent.end_char) not in person.spans[-3:]:
                bisect.insort(person.spans, (ent.start_char, ent.end_char))
            prev = self.doc[ent.start - 1].lower_ if ent.start else ""
            if person.gender is None and prev in HONORIFICS:
                person.gender = HONORIFICS[prev]
            is_subj = any(t.dep_ == "nsubj" for t in ent)
            self._mentions.append((ent.start_char, person, is_subj))
            self._mention_pos.append(ent.start_char)

    def _add_person(self, p: Person) -> None:
        self.people.append(p)
        for key in p.keys | {_norm(p.name)}:
            if key:
                bucket = self._by_last.setdefault(key.split()[-1], [])
                if p not in bucket:
                    bucket.append(p)

    def lookup(self, mention: str, pos: int, create: bool = False) -> Person | None:
        """The person a name mention means: exact variant, else same surname, else first name.

        With ``create``, an unknown name becomes a new person (a longer name found later
        for the same surname becomes its canonical name)."""
        key = _norm(mention)
        toks = key.split()
        if not toks or len(toks) > 5 or any(ch.isdigit() for ch in key):
            return None
        bucket = self._by_last.get(toks[-1], [])
        cands = [p for p in bucket if key in p.keys]
        if not cands:
            cands = [p for p in bucket if p.tokens and p.tokens[-1] == toks[-1]
                     and (set(toks) <= set(p.tokens) or set(p.tokens) <= set(toks))]
        if not cands and len(toks) == 1:
            cands = [p for p in self.people if p.tokens and p.tokens[0] == toks[0]]
        if not cands:
            if not create:
                return None
            person = Person(_display_name(mention), keys={key})
            self._add_person(person)
            return person
        person = self._nearest(cands, pos)
        if create and key not in person.keys:
            person.keys.add(key)
            if person not in self._by_last.setdefault(toks[-1], []):
                self._by_last[toks[-1]].append(person)
            if len(toks) > len(person.tokens):
                person.name = _display_name(mention)
        return person

    @staticmethod
    def _nearest(cands: list[Person], pos: int) -> Person:
        def key(p):
            i = bisect.bisect_right(p.spans, (pos, 1 << 62)) - 1  # spans are kept sorted
            return (0, pos - p.spans[i][0]) if i >= 0 else (1, p.spans[0][0] if p.spans else 0)
        return min(cands, key=key)

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
                and "\n" not in doc[k:verb.i].text and self._may_speak(doc[k]):
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
        while i < tok.i and "\n" in self.text[self.doc[i].idx:tok.idx]:
            i += 1  # the parse may join a headline to the description: not across a line break
        while i < j and (self.doc[i].is_punct or self.doc[i].is_space or self.doc[i].lower_ == "the"
                         and ent is not None):
            i += 1
        while j > i and (self.doc[j - 1].lower_ in NAME_STOP or self.doc[j - 1].is_punct):
            j -= 1
        return (i, j) if j > i else (tok.i, tok.i + 1)

    # --- resolution -----------------------------------------------------------------------
    def resolve(self, i: int, j: int, pos: int) -> Speaker:
        """Resolve the mention ``doc[i:j]`` said at ``pos`` to a :class:`Speaker`."""
        span = self.doc[i:j]
        mention, start, end = span.text, span.start_char, span.end_char
        low = mention.lower()
        head = span.root
        if j - i == 1 and head.pos_ == "PRON" or low in GENDERED_PRONOUNS or low in GROUP_PRONOUNS:
            return self._resolve_pronoun(mention, start, end)
        ent = self._ent_of[head.i]
        if head.pos_ == "PROPN" or ent is not None:
            person = self.lookup(mention, pos)
            if person is not None:
                return Speaker(mention, start, end, person.name, self.title(person), person, True)
            org = next((o for o in self.orgs if _norm(mention) in o.keys), None)
            return Speaker(mention, start, end, org.name if org else mention, None, None, True)
        human = head.lower_ in HUMAN_NOUNS
        definite = span[0].lower_ in ("the", "this") or any(c.dep_ == "poss" for c in head.children)
        if definite and head.tag_ != "NNS":
            person = self._by_description(span, pos)
            if person is not None:
                return Speaker(mention, start, end, person.name, self.title(person), person, True)
        return Speaker(mention, start, end, mention, None, None, human)

    def _resolve_pronoun(self, mention: str, start: int, end: int) -> Speaker:
        low = mention.lower()
        if low in GENDERED_PRONOUNS:
            person = self.antecedent(start, GENDERED_PRONOUNS[low])
            if person is not None:
                person.gender = person.gender or GENDERED_PRONOUNS[low]
                return Speaker(mention, start, end, person.name, self.title(person), person, True)
        elif low in GROUP_PRONOUNS:
            for ev in reversed(self.events_between(start - PRONOUN_EVENT_WINDOW, start)):
                sp = ev.speaker
                if sp and sp.human and sp.person is None and sp.name and sp.name.lower() not in GROUP_PRONOUNS:
                    return Speaker(mention, start, end, sp.name, None, None, True)
        return Speaker(mention, start, end, None, None, None, False)

    def antecedent(self, pos: int, gender: str | None) -> Person | None:
        """The person a "he"/"she" at ``pos`` means: the subject of the previous attribution,
        unless another person was the subject of a sentence after it (then that one)."""
        ok = lambda p: p.type == "PERSON" and (p.gender is None or gender is None or p.gender == gender)
        last_event = None
        for ev in reversed(self.events_between(pos - PRONOUN_EVENT_WINDOW, pos)):
            if ev.speaker and ev.speaker.person is not None and ok(ev.speaker.person):
                last_event = ev
                break
        lo = bisect.bisect_left(self._mention_pos, max(pos - PRONOUN_MENTION_WINDOW,
                                                       last_event.pos if last_event else 0))
        hi = bisect.bisect_left(self._mention_pos, pos)
        later = [(p, s) for m, p, s in self._mentions[lo:hi] if ok(p) and (last_event is None or m > last_event.pos)]
        subjects = [p for p, s in later if s and len(p.tokens) > 1]  # full names: NER calls "Weasels" a person
        if subjects and (last_event is None or subjects[-1] is not last_event.speaker.person):
            return subjects[-1]
        if last_event is not None:
            return last_event.speaker.person
        return later[-1][0] if later else None

    def _by_description(self, span, pos: int) -> Person | None:
        """A definite description resolved to the nearest person whose title shares a word."""
        words = {_stem(t.lower_) for t in span if not t.is_punct and t.pos_ in ("NOUN", "ADJ", "PROPN")
                 and self._ent_of[t.i] is None and t.lower_ not in GENERIC_WORDS}
        best, best_key = None, None
        for p in self.people:
            title = self.title(p)
            if not title or not p.spans:
                continue
            overlap = len(words & {_stem(w) for w in re.findall(r"[a-z][a-z.\-]*", title.lower())
                                   if w not in GENERIC_WORDS})
            i = bisect.bisect_right(p.spans, (pos, 1 << 62))
            dist = min(abs(s - pos) for s, _ in p.spans[max(0, i - 1):i + 1])
            if overlap and (best_key is None or (-overlap, dist) < best_key):
                best, best_key = p, (-overlap, dist)
        return best

    # --- titles -------------------------------------------------------------------------
    def title(self, person: Person) -> str | None:
        """The person's title: from the entity, else read around the first titled mention."""
        if person.title or person.title_checked:
            return person.title
        person.title_checked = True
        for s, e in person.spans[:TITLE_MENTIONS_READ]:
            i, j = self.token_at(s), self.token_at(e - 1) + 1
            parts = [x for x in (self._pre_title(i), self._appositive(j)) if x]
            if parts:
                person.title = ", ".join(parts)
                break
        return person.title

    def _pre_title(self, i: int) -> str | None:
        """Capitalised title words (or lower-case role words) right before a name."""
        doc, k = self.doc, i - 1
        while k >= max(0, i - PRE_TITLE_MAX_TOKENS):
            t = doc[k]
            titled = (t.is_title or t.is_upper) and t.pos_ in ("PROPN", "NOUN", "ADJ", "VERB") \
                and t.ent_type_ not in ("DATE", "TIME", "PERSON", "CARDINAL")
            if t.is_space or t.is_punct or not (titled or t.lower_ in TITLE_WORDS or t.lower_ in TITLE_MODIFIERS):
                break
            k -= 1
        words = list(doc[k + 1:i])
        while words and words[0].lower_ not in TITLE_WORDS | TITLE_MODIFIERS and words[0].pos_ != "PROPN":
            words = words[1:]  # a sentence-initial word that is no part of the title
        if any(t.lower_ in TITLE_WORDS for t in words):
            return doc[words[0].i:i].text
        return None

    def _appositive(self, j: int) -> str | None:
        """A role between commas after a name: ", former commander in Afghanistan,"."""
        doc = self.doc
        if j >= len(doc) or doc[j].text != ",":
            return None
        k = j + 1
        while k < len(doc) and k - j <= APPOSITIVE_MAX_TOKENS and doc[k].text not in (",", ".", ";", ":") \
                and not doc[k].is_space and not self.in_quote(doc[k].idx) and not self.is_cue(doc[k]):
            k += 1
        words = doc[j + 1:k]
        if not len(words) or k >= len(doc) or k - j > APPOSITIVE_MAX_TOKENS or doc[k].text not in (",", ".", ";"):
            return None
        if words[0].lower_ in ("who", "which", "that", "and", "but", "or", "as", "if", "when", "while") \
                or words[0].like_num or any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN" for t in words):
            return None
        if not any(t.lower_ in TITLE_WORDS for t in words):
            return None
        start = 1 if words[0].lower_ in ("the", "a", "an") else 0
        return words[start:].text if len(words) > start else None

