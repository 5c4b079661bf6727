"""Quotations in a news article, with their speakers.

:func:`extract_quotes` works in three steps:

1. **Pair the quotation marks** paragraph by paragraph. Curly (“ ” ‘ ’), straight
   (" ') and doubled (`` '') marks are read by their context (space before and a
   word after opens; a word or stop before and a space or stop after closes), so a
   stray mark spoils only its own neighbourhood. An apostrophe between letters
   ("There’s", "al Qaeda’s") is never a mark; single marks only open at the top
   level, outside double quotes. A double quote left open at the end of a
   paragraph continues into the next paragraph when that one opens with a mark
   (the journalism convention); otherwise an unclosed quote is capped: at the end of
   its sentence when it opened mid-sentence, else at the next opening mark, the
   paragraph end or :data:`MAX_UNCLOSED_SENTENCES` sentences, whichever is first.
   Headline-like paragraphs (headings, short lines without a final stop) are skipped.
2. **Classify**: ``direct`` when the quote is a sentence of its own (it starts its
   sentence, follows "X said:" / "X said,", or resumes after '“...,” X said, “'),
   else ``partial``.
3. **Attribute** (:mod:`newsgist.card.quotes.speakers`): the cue verb in the quote's
   sentence(s) that governs the quote in the parse, else the nearest one, and its
   subject; a direct quote without one inherits the speaker of the sentence before it
   (a quote or an attribution such as "He admitted ..."), within the paragraph or
   from the previous paragraph; a partial quote without a cue takes the subject of
   the verb that governs it. Partial quotes with no speaker are scare quotes and are
   dropped; direct quotes with no speaker are kept when at least
   :data:`MIN_WORDS_UNATTRIBUTED` words long. A quote whose line ends with a dash and a
   name ('“...” ― Carlos Ruiz') is that person's, and direct.
4. **Indirect quotes** (:mod:`newsgist.card.quotes.indirect`): reported speech without marks —
   "X said (that) ...", "according to X, ...", "X told reporters ...", "X warned that
   ..." — as ``kind="indirect"``; the content is the cue's complement from the
   dependency parse, kept by a small learned filter. An indirect content may hold a
   partial quote (PolNeAR's "mixed" attribution); both are returned.

Offsets are into ``text``. For a quote running across paragraphs, ``start``/``end``
span all of it while ``text`` joins the pieces with a space, without the paragraph
break and the mark that reopens the quote; likewise an indirect quote with its
attribution inside ("The plan, she said, will fail") spans all of it while ``text``
leaves the attribution out. Otherwise ``text == source[start:end]``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from newsgist.card.quotes.speakers import CUE_FORMS, Speaker, Speakers
from newsgist.types import Entity, Paragraph, Quote, Sentence

# Pronoun speakers kept even when unresolved (the mention is still a speaker).
PERSONAL_PRONOUNS = {"he", "she", "i", "we", "they"}

# --- quotation marks -----------------------------------------------------------------
_MARK = re.compile(r"``|''|[“”„«»\"‘’‚'`]")
DOUBLE_NOMINAL = {"“": "open", "„": "open", "«": "open", "``": "open",
                  "”": "close", "»": "close", "''": "close", '"': None}
SINGLE_NOMINAL = {"‘": "open", "‚": "open", "`": "open", "’": "close", "'": None}
# Characters after which a mark opens / before which a mark closes (besides spaces).
OPEN_CONTEXT = "([{—–-/“‘„«\"'"
CLOSE_CONTEXT = ".,;:!?)]}—–-…”’»\"'"
# A single mark before these is an elision, not a quote: 'em, 'til, 'n', '90s.
_ELISION = re.compile(r"(?:em|til|tis|twas|cause|bout|n|\d0s|\d\ds?)\b", re.I)
# Stops before a single closing mark, or punctuation right after it, make it a sure close.
_STRONG_BEFORE, _STRONG_AFTER = ".,!?;:", ",.;:!?)"
# A paragraph that continues an open quote starts with one of these.
_REOPEN = re.compile(r"\s*(?:[“„«\"]|``)")

# --- limits ----------------------------------------------------------------------------
MAX_UNCLOSED_SENTENCES = 3      # an unclosed quote opening a sentence runs at most this far
HEADLINE_MAX_WORDS = 20         # a line without final stop and this short is a headline
MIN_WORDS_UNATTRIBUTED = 4      # a direct quote with no speaker is kept only when this long
MIN_WORDS_PARTIAL_NO_CUE = 3    # a partial quote attributed by its governing verb alone
ATTRIBUTION_LOOKAHEAD = 30      # chars into the next sentence where "Trump said" may follow a quote
GOVERNING_MAX_STEPS = 4         # heads walked up from a partial quote to its verb
MAX_CONTINUED_SENTENCES = 8     # sentences of an unclosed quote that a reopening mark continues
NAME_MAX_WORDS = 5              # a short Title Case partial quote is a name ("Find Cayman")
_SMALL_WORDS = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "&"}
_RESUMED = re.compile(r"[”\"]\s*[^“”\"]{1,60},$")   # a quote interrupted by its attribution
_DASH_ATTRIBUTION = re.compile(r"[ \t\xa0]*[―—–]+[ \t\xa0]*(?=[A-Z])")  # '” ― Carlos Raúl' at a line end
_SIGNED_QUOTE = re.compile(r"[.!?…][”\"][ \t\xa0]*[―—–]+[ \t\xa0]*[A-Z][^\n]*$")  # '...us.” ― Carlos Ruiz'
_STOPS = re.compile(r"[.!?…]['\"”’]?\s+")
_TERMINAL = re.compile(r"[.!?…:]['\"”’)\]]*\s*$")
_FALLBACK_SENT = re.compile(r"[^.!?]+(?:[.!?]+['\"”’]*|$)")


@dataclass
class _Mark:
    pos: int
    end: int
    family: str          # "d" double | "s" single
    dir: str | None      # "open" | "close" | None (undecided)


@dataclass
class _Open:
    open_pos: int
    seg_start: int
    pieces: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class QuoteSpan:
    """A paired (or capped) quotation: content pieces between the marks."""
    open_pos: int
    close_end: int
    pieces: list[tuple[int, int]]
    closed: bool

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    out = []
    for m in _MARK.finditer(text, start, end):
        s, e, ch = m.start(), m.end(), m.group()
        prev = text[s - 1] if s > start else " "
        nxt = text[e] if e < end else " "
        if ch in DOUBLE_NOMINAL:
            family, nominal = "d", DOUBLE_NOMINAL[ch]
        else:
            if prev.isalnum() and nxt.isalnum():
                continue  # an apostrophe: There’s, al Qaeda’s
            family, nominal = "s", SINGLE_NOMINAL[ch]
        left = prev.isspace() or prev in OPEN_CONTEXT
        right = nxt.isspace() or nxt in CLOSE_CONTEXT
        direction = "open" if left and not right else "close" if right and not left else nominal
        if family == "s" and direction == "open" and _ELISION.match(text, e):
            continue
        out.append(_Mark(s, e, family, direction))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


class _Sentences:
    """Sentence spans sorted by start, with lookup by position."""

    def __init__(self, text, paragraphs, sentences, skip):
        spans = [(s.start, s.end, s.paragraph) for s in sentences]
        have = {s.paragraph for s in sentences}
        for pi, p in enumerate(paragraphs):  # paragraphs given without sentences
            if pi not in have and not skip[pi]:
                for m in _FALLBACK_SENT.finditer(text, p.start, p.end):
                    a, b = _trim(text, m.start(), m.end())
                    if b > a:
                        spans.append((a, b, pi))
        self.spans = sorted(spans)
        self.starts = [s[0] for s in self.spans]

    def index(self, pos: int) -> int | None:
        """Index of the sentence holding ``pos``, or None."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i if i >= 0 and pos < self.spans[i][1] else None


def headline_like(text: str, p: Paragraph) -> bool:
    """Headings and short lines without a final stop: their quotes are not speech."""
    if p.kind == "heading":
        return True
    line = text[p.start:p.end].strip()
    return len(line.split()) <= HEADLINE_MAX_WORDS and not _TERMINAL.search(line) \
        and not _SIGNED_QUOTE.search(line)


def find_quote_spans(text: str, paragraphs: list[Paragraph], skip: list[bool],
                     sents: _Sentences) -> list[QuoteSpan]:
    """Pair the quotation marks of all paragraphs (see the module docstring)."""
    spans: list[QuoteSpan] = []
    cur: _Open | None = None

    def cap(o: _Open, limit: int) -> None:
        end = limit
        if not o.pieces:
            si = sents.index(o.open_pos)
            if si is not None:
                s_start, s_end, para = sents.spans[si]
                if text[s_start:o.open_pos].strip():
                    end = min(limit, s_end)  # opened mid-sentence: ends with its sentence
                else:
                    last = min(si + MAX_UNCLOSED_SENTENCES - 1, len(sents.spans) - 1)
                    while sents.spans[last][2] != para:
                        last -= 1
                    end = min(limit, sents.spans[last][1])
        a, b = _trim(text, o.seg_start, max(o.seg_start, end))
        pieces = o.pieces + ([(a, b)] if b > a else [])
        if pieces:
            spans.append(QuoteSpan(o.open_pos, pieces[-1][1], pieces, False))

    def continues(o: _Open, m: _Mark) -> bool:
        """A mark reopening a direct quote after a stop, as where paragraph breaks were lost:
        ``said: "One. Two. "Three."`` is one quote."""
        inner = text[o.seg_start:m.pos]
        si = sents.index(o.open_pos)
        pre = text[sents.spans[si][0]:o.open_pos].strip() if si is not None else "x"
        return bool(re.search(r"[.!?…]\s*$", inner)) and (not pre or pre[-1] in ":,") \
            and len(_STOPS.findall(inner)) < MAX_CONTINUED_SENTENCES

    for pi, p in enumerate(paragraphs):
        if skip[pi]:
            if cur is not None:
                cap(cur, cur.pieces[-1][1] if cur.pieces else cur.seg_start)
            cur = None
            continue
        marks = _marks(text, p.start, p.end)
        k = 0
        if cur is not None:  # a quote carried over from the previous paragraph
            if marks and marks[0].family == "d" and marks[0].dir != "close" \
                    and not text[p.start:marks[0].pos].strip():
                cur.seg_start, k = marks[0].end, 1
            else:
                cap(cur, cur.pieces[-1][1])
                cur = None
        while k < len(marks):
            m = marks[k]
            if m.family == "d":
                if cur is None:
                    if m.dir != "close":  # a stray closing mark is ignored
                        cur = _Open(m.pos, m.end)
                elif m.dir == "open" and continues(cur, m):
                    a, b = _trim(text, cur.seg_start, m.pos)
                    cur.pieces.append((a, b))
                    cur.seg_start = m.end
                elif m.dir == "open":
                    cap(cur, m.pos)
                    cur = _Open(m.pos, m.end)
                else:
                    a, b = _trim(text, cur.seg_start, m.pos)
                    pieces = cur.pieces + ([(a, b)] if b > a else [])
                    if pieces:
                        spans.append(QuoteSpan(cur.open_pos, m.end, pieces, True))
                    cur = None
            elif cur is None and m.dir == "open":
                c = _single_closer(text, marks, k)
                if c is not None:
                    a, b = _trim(text, m.end, marks[c].pos)
                    if b > a:
                        spans.append(QuoteSpan(m.pos, marks[c].end, [(a, b)], True))
                    k = c
            k += 1
        if cur is not None:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is not None and not skip[pi + 1] and _REOPEN.match(text, nxt.start, nxt.end):
                a, b = _trim(text, cur.seg_start, p.end)
                if b > a:
                    cur.pieces.append((a, b))
                    continue
            cap(cur, p.end)
            cur = None
    if cur is not None:
        cap(cur, cur.pieces[-1][1] if cur.pieces else len(text))
    return spans


def _single_closer(text: str, marks: list[_Mark], k: int) -> int | None:
    """Index of the mark closing the single quote opened by ``marks[k]``, or None.

    A close after a stop or before punctuation is sure; otherwise the first close not
    preceded by "s" (which may be a plural possessive, "players' union")."""
    weak = weak_s = None
    for n in range(k + 1, len(marks)):
        m = marks[n]
        if m.family == "d" or m.dir == "open":
            break
        prev, nxt = text[m.pos - 1], text[m.end] if m.end < len(text) else " "
        if prev in _STRONG_BEFORE or nxt in _STRONG_AFTER:
            return n
        if prev.lower() != "s":
            weak = n if weak is None else weak
        elif weak_s is None:
            weak_s = n
    return weak if weak is not None else weak_s


def _is_direct(pre: str, content: str, post: str) -> bool:
    """A quote is direct when it is a sentence of its own (see the module docstring)."""
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
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
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
    """``doc`` is a parse of ``text`` (checked at its ends: ``doc.text`` costs a join of all tokens)."""
    if doc is None or not len(doc):
        return doc is not None and not text
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text) and \
        all(text[t.idx:t.idx + len(t.text)] == t.text for t in (doc[0], doc[len(doc) // 2], last))


def marked_quotes(text: str, doc, paragraphs: list[Paragraph], sentences: list[Sentence],
                  entities: list[Entity] | None = None) -> tuple[list[Quote], Speakers | None]:
    """Direct and partial quotes of ``text`` (steps 1-3), and the :class:`Speakers` that found
    their speakers (None for an empty text)."""
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
                        [(p.start, p.end) for p, sk in zip(paragraphs, skip) if sk])
    attributor = _Attributor(text, doc, sents, speakers)
    quotes = [q for q in map(attributor.quote, spans) if q is not None]
    return sorted(quotes, key=lambda q: q.start), speakers


def extract_quotes(text: str, doc, paragraphs: list[Paragraph], sentences: list[Sentence],
                   entities: list[Entity] | None = None, indirect: bool = True) -> list[Quote]:
    """Direct, partial and (with ``indirect``) indirect quotes of ``text`` with their
    speakers, in text order.

    ``doc`` is ``load_nlp()(text)`` (parsed here when None); ``paragraphs`` and
    ``sentences`` are spans into ``text``; ``entities`` (optional) map speaker
    mentions to canonical names and titles. Indirect quotes come from
    :mod:`newsgist.card.quotes.indirect`."""
    quotes, speakers = marked_quotes(text, doc, paragraphs, sentences, entities)
    if not indirect or speakers is None:
        return quotes
    from newsgist.card.quotes.indirect import indirect_quotes
    from newsgist.card.quotes.model import load_model
    quotes = quotes + indirect_quotes(speakers.doc, speakers, quotes, load_model())
    return sorted(quotes, key=lambda q: (q.start, -q.end))
