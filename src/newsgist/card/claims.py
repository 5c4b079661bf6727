"""Who states each figure: its claimant, the source it passes on, and what limits it.

:func:`attach_claims` runs at the end of the ``analyse`` stage (:mod:`newsgist.card.stage`),
after quotes and figures, and fills three fields of every :class:`~newsgist.types.Figure`:

* ``claimed_by`` -- the speaker of the quote or reported speech that contains the number
  (the smallest one with a speaker; a partial quote inside reported speech gives way to the
  reported speech), as ``{speaker, mention, start, end, quote, cue, via, via_start, via_end}``:
  the canonical name as in ``quotes``, the mention as written and its span, the index of
  that quote, its cue verb, and a source the speaker passes on ("intel estimates that said
  ... 50 to 100" inside Jeff Buchanan's quote: ``via`` "intel estimates"). A number outside
  every quote is still claimed when its own sentence says who reports it and the quote
  finder let the attribution go: "according to X", or a reporting verb ("said", "showed",
  "estimated", ...) with a named (non-pronoun) subject whose complement holds the number,
  before it or after it ("..., the poll found"), a record ("the poll has X at 46 percent",
  "a tally by the Associated Press"), a noun of saying ("a Times report that ...", "in X's
  view"), or a colon that introduces it ("Soerens argued that:" then the paragraph, a
  transcript's "WALLACE: ..."); see :mod:`newsgist.card.claim_sources`. A number inside its
  source's own phrase ("a poll of 400 voters") is not claimed by it. Otherwise ``None``: the
  article says it in its own voice.
* ``qualifiers`` -- :mod:`newsgist.card.qualifiers`.
* ``group`` -- :mod:`newsgist.card.groups` (with the card-level ``groups``).

It also links every partial quote that lies inside a reported-speech item to it
(``Quote.within``), so that the card can show it once, nested.

Works on the spaCy parse of the body (``article.doc``); spans in and out are offsets into
the input, as everywhere on the card.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Optional

from newsgist.article import Article
from newsgist.card.claim_sources import colon_source, find_source, noun_phrase, sentence_source, span_root
from newsgist.card.verbs import register, word_lemma

# Cues under which the quote finder's reported speech is an action, not a claim ("the initiative passed
# with 52.9 percent", "C.V. Starr gave $10 million"): on PolNeAR train each of these put at least two
# figures outside every gold attribution and none inside one. A whitelist of speech cues instead cost
# 0.05 of the inside accuracy on train (PolNeAR counts "named", "proposed", "lists" as attributions).
# The second line: re-read after the sources of claim_sources.py, at least three outside and none inside.
NOT_CLAIM_CUES = {"pass", "charge", "speak", "sound", "swap", "seem", "assure", "threaten", "give",
                  "continue", "back", "cast", "send", "deliver"}
register(NOT_CLAIM_CUES)
# A name the quote finder did not take for a speaker right after an unattributed quote ("..., said Skelly").
_NAME = r"([A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3})"
SAID_AFTER = re.compile(r"[,.!?”\"’'\s]*(?:(?:said|says|added|wrote)\s+" + _NAME + r"|" + _NAME
                        + r"\s+(?:said|says|added|wrote)\b)")
# Quote paragraphs a speaker named before a colon carries over to (a transcript, a long statement).
COLON_CHAIN_MAX = 12
# A speaker named before a colon right ahead of an unattributed quote ("Jeffrey M. Jones: “...").
COLON_SPEAKER = re.compile(r"(?:^|[.!?\n—–-]\s*)([A-Z][^.!?:\n“”\"]{1,80}?)\s*:\s*[“\"‘']?\s*$")


class BodyMap:
    """Offsets between the input and the cleaned body, and tokens of the body's parse."""

    def __init__(self, article: Article):
        self.article = article
        self.doc = article.doc
        self.text = article.body
        self.src_starts = [p.start for p in article.paragraphs]
        self.body_paras = [(p.start, p.end) for p in article.body_paragraphs()]
        self.body_starts = [p[0] for p in self.body_paras]
        self.tok_starts = self.doc.to_array("IDX").tolist() if self.doc is not None and len(self.doc) else []
        sents = article.body_sentences()
        self.sents = [(s.start, s.end) for s in sents]
        self.sent_starts = [s for s, _ in self.sents]
        self._spans: dict = {}

    def body(self, off: int) -> int:
        i = max(0, bisect_right(self.src_starts, off) - 1)
        return self.body_starts[i] + off - self.src_starts[i]

    def source(self, off: int) -> int:
        return self.article.to_source(off)

    def token_index(self, off: int) -> int:
        return max(0, bisect_right(self.tok_starts, off) - 1)

    def tokens(self, start: int, end: int):
        """The tokens that start inside [start, end) (a Span; the same span is built once)."""
        i, j = bisect_right(self.tok_starts, start - 1), bisect_right(self.tok_starts, end - 1)
        key = (i, j)
        if key not in self._spans:
            self._spans[key] = self.doc[i:j]
        return self._spans[key]

    def token_list(self, start: int, end: int) -> list:
        """The tokens that start inside [start, end), as a list kept for the next figure of the sentence."""
        i, j = bisect_right(self.tok_starts, start - 1), bisect_right(self.tok_starts, end - 1)
        key = ("list", i, j)
        if key not in self._spans:
            self._spans[key] = list(self.doc[i:j])
        return self._spans[key]

    def paragraph(self, off: int) -> int:
        """Index of the body paragraph around ``off``."""
        return max(0, bisect_right(self.body_starts, off) - 1)

    def sentence(self, off: int) -> tuple[int, int]:
        i = bisect_right(self.sent_starts, off) - 1
        return self.sents[i] if i >= 0 else (0, len(self.text))



def link_partials(quotes) -> None:
    """Quote.within for every partial quote inside a reported-speech item."""
    indirect = [(i, q) for i, q in enumerate(quotes) if q.kind == "indirect"]
    for q in quotes:
        q.within = None
        if q.kind != "partial":
            continue
        outer = [i for i, r in indirect if r.start <= q.start and q.end <= r.end]
        if outer:
            q.within = min(outer, key=lambda i: quotes[i].end - quotes[i].start)


def _entity_name(article: Article, mention: str, default: Optional[str] = None) -> str:
    low = mention.lower()
    for e in article.entities:
        if e.type in ("PERSON", "ORG") and any(v.lower() == low or (len(v) > 3 and v.lower() in low)
                                               for v in [e.name, *e.variants]):
            return e.name
    return default or mention


def _claim(speaker, mention, start, end, quote=None, cue=None) -> dict:
    return {"speaker": speaker, "mention": mention, "start": start, "end": end, "quote": quote, "cue": cue,
            "via": None, "via_start": None, "via_end": None}


def _claim_of_quote(article: Article, m: BodyMap, qi: int, bq: tuple[int, int], seg, fs, fe, root) -> dict:
    q = article.quotes[qi]
    claim = _claim(q.speaker, q.speaker_mention, q.speaker_start if q.speaker_start >= 0 else None,
                   q.speaker_end if q.speaker_start >= 0 else None, qi, q.cue)
    if q.speaker_start >= 0:  # "according to a tally [by the Associated Press]": the record's maker too
        head = m.doc[m.token_index(m.body(q.speaker_end) - 1)]
        np = noun_phrase(head)
        b_end = m.body(q.speaker_end)
        if np.end_char > b_end and np.start_char >= m.body(q.speaker_start) and not np.start_char <= fs < np.end_char:
            mention = m.text[m.body(q.speaker_start):np.end_char]
            claim.update(mention=mention, end=m.source(np.end_char), speaker=_entity_name(article, mention, q.speaker))
    via = find_source(m, max(bq[0], seg[0]), min(bq[1], seg[1]), fs, fe, root, need_parse_link=False)
    if via is not None and (q.speaker_start < 0 or m.source(via.start_char) != q.speaker_start):
        claim.update(via=via.text, via_start=m.source(via.start_char), via_end=m.source(via.end_char))
    return claim


def _is_claim_quote(q, bq, seg) -> bool:
    """A quote that vouches for a figure in segment ``seg``: direct and partial quotes always; reported
    speech unless its cue is an action (NOT_CLAIM_CUES), and only when its content starts in the
    figure's segment or the cue comes after the content (else the quote finder ran over a clause
    boundary: "voters say X, while about 4 in 10 want Y")."""
    if q.kind != "indirect":
        return True
    words = (q.cue or "").lower().split()
    if words and word_lemma(words[-1]) in NOT_CLAIM_CUES:
        return False
    return bq[0] >= seg[0] or q.speaker_start > q.start or (q.cue or "").lower().startswith("according")


def _colon_speaker(article: Article, m: BodyMap, qi: int, quotes_b) -> Optional[dict]:
    """An unattributed quote right after "Name:" (same paragraph, or a paragraph that ends with it), or
    one that continues such a quote paragraph after paragraph ("Transcript as follows:" then the speech)."""
    for _ in range(COLON_CHAIN_MAX):
        bq = quotes_b[qi]
        before = m.text[max(0, bq[0] - 200):bq[0]]
        c = COLON_SPEAKER.search(before.rstrip("“\"‘' \n"))
        if c is not None:
            mention = c.group(1).strip()
            start = bq[0] - len(before) + c.start(1)
            return _claim(_entity_name(article, mention), mention, m.source(start), m.source(start + len(mention)),
                          qi, None)
        after = SAID_AFTER.match(m.text, bq[1], min(len(m.text), bq[1] + 120))
        if after is not None:
            g = 1 if after.group(1) else 2
            mention = after.group(g)
            return _claim(_entity_name(article, mention), mention, m.source(after.start(g)),
                          m.source(after.end(g)), qi, None)
        prev = qi - 1
        if prev < 0 or article.quotes[prev].kind != "direct" or article.quotes[prev].speaker \
                or not 0 <= bq[0] - quotes_b[prev][1] <= 4:
            return None
        qi = prev
    return None


def claim_for(article: Article, m: BodyMap, quotes_b, fs: int, fe: int, seg, root) -> Optional[dict]:
    """``claimed_by`` of the figure at body span [fs, fe)."""
    inside = [i for i, (a, b) in enumerate(quotes_b) if a <= fs and fe <= b]
    spoken = [i for i in inside if article.quotes[i].speaker and _is_claim_quote(article.quotes[i], quotes_b[i], seg)]
    if spoken:
        qi = min(spoken, key=lambda i: (article.quotes[i].within is not None, quotes_b[i][1] - quotes_b[i][0]))
        return _claim_of_quote(article, m, qi, quotes_b[qi], seg, fs, fe, root)
    for i in inside:  # an unattributed quote: a speaker named before a colon ("Jeffrey M. Jones: “...")
        q = article.quotes[i]
        if q.kind == "direct" and not q.speaker:
            found = _colon_speaker(article, m, i, quotes_b)
            if found:
                via = sentence_source(m, m.sentence(fs), fs, fe, root)
                if via is not None:
                    found.update(via=via.text, via_start=m.source(via.start_char), via_end=m.source(via.end_char))
                return found
    src = sentence_source(m, m.sentence(fs), fs, fe, root)
    if src is None:
        src = colon_source(m, fs, fe)
    if src is not None:
        return _claim(_entity_name(article, src.text), src.text, m.source(src.start_char), m.source(src.end_char))
    return None


def attach_claims(article: Article) -> None:
    """Fill ``claimed_by``, ``qualifiers`` and ``group`` of the article's figures, ``article.groups``
    and ``Quote.within`` (see the module docstring)."""
    from newsgist.card.groups import group_figures
    from newsgist.card.qualifiers import qualifiers_for, segment_of

    link_partials(article.quotes)
    if article.doc is None or not article.figures:
        article.groups = []
        return
    m = BodyMap(article)
    quotes_b = [(m.body(q.start), m.body(q.end)) for q in article.quotes]
    fig_spans = [(m.body(f.start), m.body(f.end)) for f in article.figures]
    roots = []
    for f, (fs, fe) in zip(article.figures, fig_spans):
        span = m.tokens(fs, fe)
        root = span_root(span) if len(span) else m.doc[m.token_index(fs)]
        roots.append(root)
        seg = segment_of(m, fs)
        f.claimed_by = claim_for(article, m, quotes_b, fs, fe, seg, root)
        content = quotes_b[f.claimed_by["quote"]] if f.claimed_by and f.claimed_by["quote"] is not None else None
        f.qualifiers = qualifiers_for(m, f, fs, fe, seg, content, fig_spans)
    article.groups = group_figures(article, m, fig_spans, roots)
