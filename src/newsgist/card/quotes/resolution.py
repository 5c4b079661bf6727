"""Speaker resolution: from a mention as written to a person, with a title.

:class:`Resolver` is the half of :class:`newsgist.card.quotes.speakers.Speakers` that
keeps the people of a document and resolves speaker mentions (``Speakers`` finds the
cue verbs and their mentions):

* the **person registry** — the people of the ``entities`` module when given, and
  ``doc.ents`` PERSON spans grouped by surname (:meth:`Resolver.lookup`);
* the **resolved speaker** (:class:`Speaker`) — a canonical person, an organisation,
  or the description as written. Pronouns ("he", "she") go to the subject of the
  previous attribution unless another person has been the subject of a sentence
  since; definite descriptions ("Afghanistan's top defense official", "the
  minister") go to the nearest person whose title shares a content word with the
  description ("Acting **Defense** Minister Masoom Stanikzai");
* the speaker's **title** — the entity's title, else the capitalised words before
  the first full mention ("Acting Defense Minister") joined with an appositive
  after it ("Jeff Buchanan, Deputy Chief of Staff for ..., said").

The pronouns, people words and windows it uses are in :mod:`newsgist.card.quotes.lexicon`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from newsgist.card.quotes.lexicon import (
    APPOSITIVE_MAX_TOKENS, GENDERED_PRONOUNS, GENERIC_WORDS, GROUP_PRONOUNS, HONORIFICS, HUMAN_NOUNS,
    PRE_TITLE_MAX_TOKENS, PRONOUN_EVENT_WINDOW, PRONOUN_MENTION_WINDOW, TITLE_MENTIONS_READ,
    TITLE_MODIFIERS, TITLE_WORDS, _display_name, _norm, _stem,
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
    _tokens: tuple = field(default=("", []), repr=False, compare=False)   # (name, its tokens)

    @property
    def tokens(self) -> list[str]:
        # cached for the current name: lookup() compares against every person, and
        # normalising each name again each time dominated long texts (issue 17)
        if self._tokens[0] != self.name or not self.name:
            self._tokens = (self.name, _norm(self.name).split())
        return self._tokens[1]


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


class Resolver:
    """The person registry, mention resolution and titles of
    :class:`~newsgist.card.quotes.speakers.Speakers` (a mixin: it works on what
    ``Speakers.__init__`` sets up — ``doc``, ``people``, ``orgs``, the surname index, the
    entity of each token, the person mentions — and uses its lookups ``events_between``,
    ``in_quote``, ``skipped_at``, ``token_at``, ``line_break`` and ``is_cue``)."""

    # --- the person registry ----------------------------------------------------------
    def _register_doc_people(self) -> None:
        for ent in self.doc.ents:
            if self.skipped_at(ent.start_char) or self.line_break(ent.start_char, ent.end_char):
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
