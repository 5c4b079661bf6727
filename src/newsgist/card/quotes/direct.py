"""Direct and partial quotes: the paired quotation marks classified and attributed.

Steps 2 and 3 of :func:`newsgist.card.quotes.extract.extract_quotes` (its docstring
tells the rules): :func:`marked_quotes` pairs the marks (:mod:`newsgist.card.quotes.marks`),
calls a quote ``direct`` when it is a sentence of its own, else ``partial``, and finds
its speaker (:class:`_Attributor`): the cue verb that governs it, a name after a dash,
the verb it hangs from, the subject before a colon, or the speaker of the sentence
before; scare quotes and quoted names are dropped.
"""
from __future__ import annotations

import re

from newsgist.card.quotes.marks import QuoteSpan, _Sentences, find_quote_spans, headline_like
from newsgist.card.quotes.resolution import Speaker
from newsgist.card.quotes.speakers import CUE_FORMS, Speakers
from newsgist.types import Entity, Paragraph, Quote, Sentence

# Pronoun speakers kept even when unresolved (the mention is still a speaker).
PERSONAL_PRONOUNS = {"he", "she", "i", "we", "they"}

# --- limits ----------------------------------------------------------------------------
MIN_WORDS_UNATTRIBUTED = 4      # a direct quote with no speaker is kept only when this long
MIN_WORDS_PARTIAL_NO_CUE = 3    # a partial quote attributed by its governing verb alone
ATTRIBUTION_LOOKAHEAD = 30      # chars into the next sentence where "Trump said" may follow a quote
GOVERNING_MAX_STEPS = 4         # heads walked up from a partial quote to its verb
NAME_MAX_WORDS = 5              # a short Title Case partial quote is a name ("Find Cayman")
_SMALL_WORDS = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "&"}
_RESUMED = re.compile(r"[”\"]\s*[^“”\"]{1,60},$")   # a quote interrupted by its attribution
_DASH_ATTRIBUTION = re.compile(r"[ \t\xa0]*[―—–]+[ \t\xa0]*(?=[A-Z])")  # '” ― Carlos Raúl' at a line end


def _is_direct(pre: str, content: str, post: str) -> bool:
    """A quote is direct when it is a sentence of its own (see the ``extract`` module docstring)."""
    first = next((ch for ch in content if ch.isalnum()), "")
    upper = first.isupper() or first.isdigit()
    if not pre:
        ends = content.rstrip()[-1:] in ".,!?…—–-:;"
        return ends or not post or post[0] in ",.;:!?—–-"
    words = re.findall(r"[\w’']+", pre.lower())
    resumed = _RESUMED.search(pre)  # '“Everything ...,” the judge exclaimed, “has overlapped.”'
    if resumed and any(w in CUE_FORMS for w in re.findall(r"[\w’']+", resumed.group().lower())):
        return True
    after_cue = pre[-1] in ":,—–" or (words and words[-1] in CUE_FORMS)
    return upper and after_cue and (pre[-1] == ":" or any(w in CUE_FORMS for w in words[-4:]))


def _looks_like_name(content: str) -> bool:
    """A short quoted Title Case phrase is a name or a title, not speech ("Find Cayman")."""
    words = content.split()
    return 0 < len(words) <= NAME_MAX_WORDS and words[0][:1].isupper() and content[-1] not in ".!?," \
        and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL_WORDS for w in words)


def _valid(s: Speaker | None) -> bool:
    """A speaker worth carrying to another sentence: a person, a group, a role, he/she."""
    return s is not None and (s.person is not None or s.human or s.mention.lower() in PERSONAL_PRONOUNS)


class _Attributor:
    """Finds the speaker of each quote span; keeps what the previous quotes found."""

    def __init__(self, text, doc, sents: _Sentences, speakers: Speakers):
        self.text, self.doc, self.sents, self.sp = text, doc, sents, speakers
        self.last_by_sentence: dict[int, tuple[Speaker, str | None]] = {}

    def _roots(self, span: QuoteSpan):
        doc, sp = self.doc, self.sp
        ti, tj = sp.token_at(span.start), sp.token_at(span.end - 1)
        return [t for t in doc[ti:tj + 1] if t.head is t or not span.start <= t.head.idx < span.end]

    def from_cue(self, span: QuoteSpan, frame: tuple[int, int], roots):
        """The speaker of the cue verb in the frame that governs the quote, else the nearest."""
        best, best_key = None, None
        for ev in self.sp.events_between(*frame):
            if ev.speaker is None:
                continue
            tok = self.doc[self.sp.token_at(ev.pos)]
            governs = any(r.head is tok or tok in r.ancestors for r in roots)
            dist = ev.pos - span.close_end if ev.pos >= span.close_end else span.open_pos - ev.pos
            key = (not governs, not ev.strong, abs(dist))
            if best_key is None or key < best_key:
                best, best_key = ev, key
        return (best.speaker, best.cue) if best else (None, None)

    def from_dash(self, span: QuoteSpan):
        """'“...” ― Carlos Raúl': a name after a dash ends the quote's line (pull quotes, vox pops)."""
        text, sp = self.text, self.sp
        m = _DASH_ATTRIBUTION.match(text, span.close_end)
        if m is None:
            return None, None
        line_end = sp.line_end(m.end())
        name = text[m.end():line_end].rstrip(" .\t\xa0")
        words = name.split()
        if not words or len(words) > NAME_MAX_WORDS or not all(w[:1].isupper() for w in words):
            return None, None
        i, j = sp.token_at(m.end()), sp.token_at(m.end() + len(name) - 1) + 1
        return sp.resolve(i, j, m.end()), text[m.start():m.end()].strip()

    def from_governing_verb(self, span: QuoteSpan, roots):
        """A partial quote without cue: the subject of the verb it hangs from."""
        for r in roots:
            h = r.head
            for _ in range(GOVERNING_MAX_STEPS):
                if h.pos_ == "VERB" and not self.sp.in_quote(h.idx):
                    subj = [c for c in h.children if c.dep_ == "nsubj" and not self.sp.in_quote(c.idx)]
                    if subj:
                        speaker = self.sp.speaker_of(subj[0], h.idx)
                        # only a person, not a topic: "Twitter appears to be 'the province of'"
                        return (speaker, h.lower_) if speaker.person is not None else (None, None)
                if h.head is h:
                    break
                h = h.head
        return None, None

    def from_root_subject(self, start: int, end: int):
        """The subject of the main verb of ``text[start:end]`` ("Cruz continued:")."""
        sp = self.sp
        lo, hi = sp.token_at(start), sp.token_at(max(start, end - 1)) + 1
        verbs = [t for t in self.doc[lo:hi] if t.pos_ in ("VERB", "AUX") and not sp.in_quote(t.idx)]
        verbs.sort(key=lambda t: start <= t.head.idx < end and t.head is not t)  # roots first
        for v in verbs:
            subj = [c for c in v.children if c.dep_ == "nsubj" and start <= c.idx < end and not sp.in_quote(c.idx)]
            if subj:
                speaker = sp.speaker_of(subj[0], v.idx)
                return (speaker, v.lower_) if _valid(speaker) else (None, None)
        return None, None

    def from_previous(self, si: int):
        """A stand-alone quote: the speaker of the sentence before (a quote or an attribution;
        after a colon, any verb: "Cruz continued:")."""
        if si <= 0:
            return None, None
        prev, here = self.sents.spans[si - 1], self.sents.spans[si]
        if prev[2] not in (here[2], here[2] - 1):
            return None, None
        if si - 1 in self.last_by_sentence:
            return self.last_by_sentence[si - 1]
        colon = self.text[prev[0]:prev[1]].rstrip().endswith(":")
        for ev in reversed(self.sp.events_between(prev[0], prev[1])):
            if (ev.strong or colon) and _valid(ev.speaker):
                return ev.speaker, ev.cue
        return self.from_root_subject(prev[0], prev[1]) if colon else (None, None)

    def quote(self, span: QuoteSpan) -> Quote | None:
        text, sents = self.text, self.sents
        si, sj = sents.index(span.open_pos), sents.index(max(span.start, span.end - 1))
        if si is None:
            return None
        sj = max(si, sj if sj is not None else si)
        frame_end = max(sents.spans[sj][1], span.close_end)
        nxt = sents.spans[sj + 1] if sj + 1 < len(sents.spans) else None
        if nxt is not None and nxt[2] == sents.spans[sj][2] and nxt[0] - span.close_end <= 2 \
                and any(ev.speaker and ev.speaker.start - nxt[0] <= 2 and 0 <= ev.pos - ev.speaker.end <= 8
                        for ev in self.sp.events_between(nxt[0], nxt[0] + ATTRIBUTION_LOOKAHEAD)):
            frame_end = nxt[1]  # '“Who are they?” Trump said.': split after the "?"
        frame = (sents.spans[si][0], frame_end)
        pre = text[frame[0]:span.open_pos].strip()
        content = " ".join(text[a:b] for a, b in span.pieces)
        post = text[span.close_end:sents.spans[sj][1]].strip()
        kind = "direct" if _is_direct(pre, content, post) else "partial"
        if content.endswith(",") and len(content) > 1:  # "...," he said: the comma is not quoted
            span.pieces[-1] = (span.pieces[-1][0], span.pieces[-1][1] - 1)
            content = content[:-1]
        roots = self._roots(span)
        speaker, cue = self.from_dash(span)
        if speaker is not None:
            kind = "direct"
        else:
            speaker, cue = self.from_cue(span, frame, roots)
        if speaker is None and kind == "partial" and len(content.split()) >= MIN_WORDS_PARTIAL_NO_CUE:
            speaker, cue = self.from_governing_verb(span, roots)
        if speaker is None and kind == "direct" and pre.endswith(":"):
            speaker, cue = self.from_root_subject(frame[0], span.open_pos)
        if speaker is None and kind == "direct" and not pre:
            speaker, cue = self.from_previous(si)
        if speaker is not None and speaker.start < span.close_end and span.open_pos < speaker.end:
            speaker = None  # the "speaker" is the quoted phrase itself: 'two U.S.-based "runners" admitted'
        if speaker is not None and speaker.name is None and kind == "partial" \
                and speaker.mention.lower() not in PERSONAL_PRONOUNS:
            speaker = None  # "which read 'Hispanics 4 Trump'", "Ask yourself"
        if speaker is None and (kind == "partial" or len(content.split()) < MIN_WORDS_UNATTRIBUTED):
            return None
        if (kind == "partial" or speaker is None) and _looks_like_name(content):
            return None
        if speaker is not None:
            self.last_by_sentence[sj] = (speaker, cue)
        return Quote(text=content, start=span.start, end=span.end,
                     speaker=speaker.name if speaker else None,
                     speaker_mention=speaker.mention if speaker else None,
                     speaker_start=speaker.start if speaker else -1,
                     speaker_end=speaker.end if speaker else -1,
                     speaker_title=speaker.title if speaker else None,
                     cue=cue, kind=kind)


def _doc_of(doc, text: str) -> bool:
    """``doc`` is a parse of ``text`` (checked at its ends: ``doc.text`` costs a join of all tokens). A
    whitespace token may be whitespace of another kind: the card parses its body with soft breaks as
    spaces (card/stage.py ``parse_text``)."""
    if doc is None or not len(doc):
        return doc is not None and not text
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text) and \
        all(text[t.idx:t.idx + len(t.text)] == t.text or t.is_space and text[t.idx:t.idx + len(t.text)].isspace()
            for t in (doc[0], doc[len(doc) // 2], last))


def marked_quotes(text: str, doc, paragraphs: list[Paragraph], sentences: list[Sentence],
                  entities: list[Entity] | None = None,
                  soft_breaks: bool = False) -> tuple[list[Quote], Speakers | None]:
    """Direct and partial quotes of ``text`` (steps 1-3), and the :class:`Speakers` that found
    their speakers (None for an empty text). ``soft_breaks``: a newline inside one of ``paragraphs`` is
    a soft break, not a line break (the card's body, whose paragraphs are joined by a blank line and
    hold a single newline only where a hard-wrapped paragraph is read as one, reading/softwrap.py);
    without it every newline is a line break."""
    if not text or not text.strip():
        return [], None
    if not _doc_of(doc, text):
        from newsgist.card.nlp import load_nlp
        doc = load_nlp()(text)
    paragraphs = paragraphs or [Paragraph(0, len(text))]
    skip = [headline_like(text, p) for p in paragraphs]
    sents = _Sentences(text, paragraphs, sentences, skip)
    spans = find_quote_spans(text, paragraphs, skip, sents)
    speakers = Speakers(text, doc, entities, [(s.open_pos, s.close_end) for s in spans],
                        [(p.start, p.end) for p, sk in zip(paragraphs, skip) if sk],
                        [(p.start, p.end) for p in paragraphs] if soft_breaks else ())
    attributor = _Attributor(text, doc, sents, speakers)
    quotes = [q for q in map(attributor.quote, spans) if q is not None]
    return sorted(quotes, key=lambda q: q.start), speakers
