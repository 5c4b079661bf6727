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
  "estimated", ...) with a named (non-pronoun) subject whose complement holds the number.
  Otherwise ``None``: the article says it in its own voice.
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
from newsgist.card.verbs import register, verb_lemma, word_lemma

# Verbs whose subject vouches for a number in their complement. The speech cues of the
# quote finder plus the verbs of estimates, counts and studies ("a poll showed", "estimates
# that said", "officials put the toll at"); chosen by reading the PolNeAR train articles.
CLAIM_VERBS = set("""say tell add warn explain note claim insist argue admit acknowledge announce declare
state write tweet report confirm estimate show find suggest indicate reveal predict project put
calculate count tally record conclude allege assert testify disclose""".split())
register(CLAIM_VERBS)
# Cues under which the quote finder's reported speech is an action, not a claim ("the initiative passed
# with 52.9 percent", "C.V. Starr gave $10 million"): on PolNeAR train each of these put at least two
# figures outside every gold attribution and none inside one. A whitelist of speech cues instead cost
# 0.05 of the inside accuracy on train (PolNeAR counts "named", "proposed", "lists" as attributions).
NOT_CLAIM_CUES = {"pass", "charge", "speak", "sound", "swap", "seem", "assure", "threaten", "give"}
register(NOT_CLAIM_CUES)
# Nouns that name a record a number comes from: "In a new CBS News poll, 56 percent ...",
# "a new poll showing ... 14 percent", "by one estimate".
RECORD_NOUNS = set("""poll polls survey surveys study studies report reports analysis analyses estimate
estimates census count tally data figures projection projections audit review investigation
research index average""".split())
POLL_NOUNS = {"poll", "polls", "survey", "surveys", "average"}
# Nouns of saying and planning whose possessor owns the numbers in their complement ("Mr. Trump's claims
# that his net worth exceeds $10 billion", "Mr. Sanders's plan would raise $15.3 trillion").
CLAIM_NOUNS = set("""claim claims estimate estimates prediction predictions forecast forecasts projection projections
plan plans proposal proposals pledge promise promises statement statements assertion view count tally
calculation calculations figures""".split())
# A verb's children through which its reported content hangs ("said [that ...]", "put the toll [at 300]").
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "attr", "oprd", "parataxis", "advcl", "prep", "acomp"}
# A name the quote finder did not take for a speaker right after an unattributed quote ("..., said Skelly").
_NAME = r"([A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3})"
SAID_AFTER = re.compile(r"[,.!?”\"’'\s]*(?:(?:said|says|added|wrote)\s+" + _NAME + r"|" + _NAME
                        + r"\s+(?:said|says|added|wrote)\b)")
# Quote paragraphs a speaker named before a colon carries over to (a transcript, a long statement).
COLON_CHAIN_MAX = 12
# A speaker named before a colon right ahead of an unattributed quote ("Jeffrey M. Jones: “...").
COLON_SPEAKER = re.compile(r"(?:^|[.!?\n—–-]\s*)([A-Z][^.!?:\n“”\"]{1,80}?)\s*:\s*[“\"‘']?\s*$")
# Pronoun subjects name nobody new: the claim stays with the quote's speaker (or with nobody).
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "us", "me", "this", "that",
            "these", "those", "who", "which", "one", "someone", "anyone", "everyone"}
RELATIVE = {"that", "which", "who"}
# Heads that only measure the source they lead to ("a lot of estimates", "a number of officials").
QUANTITY_HEADS = {"lot", "lots", "number", "plenty", "couple", "dozen", "dozens", "handful", "majority", "series"}
# Left modifiers kept in a source's noun phrase ("intel estimates", "the latest Reuters/Ipsos poll").
NP_LEFT = {"compound", "amod", "nmod", "poss", "case", "nummod", "npadvmod"}
# Dependencies that make a token the subject of its verb (never the reported content).
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent", "expl"}
# Farthest a reporting verb may sit from the number it vouches for, in tokens, when the parse
# does not join them (a relative clause: "estimates that said within X, al Qaeda has 50").
VIA_MAX_TOKENS = 25


class BodyMap:
    """Offsets between the input and the cleaned body, and tokens of the body's parse."""

    def __init__(self, article: Article):
        self.article = article
        self.doc = article.doc
        self.text = article.body
        self.src_starts = [p.start for p in article.paragraphs]
        self.body_starts = [p.start for p in article.body_paragraphs()]
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

    def sentence(self, off: int) -> tuple[int, int]:
        i = bisect_right(self.sent_starts, off) - 1
        return self.sents[i] if i >= 0 else (0, len(self.text))


def span_root(span):
    """The token of ``span`` whose head lies outside it (the first such)."""
    for t in span:
        if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i:
            return t
    return span[0]


def noun_phrase(tok):
    """The noun phrase a head token names, without determiners: compounds and adjectives to its left."""
    doc = tok.doc
    start = tok.i
    for k in range(tok.i - 1, max(-1, tok.i - 8), -1):
        t = doc[k]
        if t.dep_ in NP_LEFT and tok.left_edge.i <= k and (t.head.i > k and t.head.i <= tok.i):
            start = k
        elif t.dep_ == "punct" and t.text in "/-" and k > tok.left_edge.i:
            start = k
        else:
            break
    return doc[start:tok.i + 1]


def _numeric(np) -> bool:
    """A subject that is itself a count ("Twenty-four percent said ...") names no source."""
    return any(t.like_num or t.ent_type_ in ("PERCENT", "CARDINAL", "MONEY", "QUANTITY") for t in np)


def _source_np(verb):
    """The named subject of a reporting verb (the noun a relative clause or participle hangs on:
    "estimates that said", "a new poll showing"), or None."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and any(c.dep_ == "nsubjpass" or c.dep_ == "auxpass" for c in verb.children):
        # a passive names what is reported, not who reports it: the source is its "by" agent, if any
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        subj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if subj is None:
            return None
    if subj is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        subj = verb.head
    if subj is None:
        return None
    if subj.lower_ in RELATIVE and verb.dep_ in ("relcl", "acl"):
        subj = verb.head
    if subj.lower_ in QUANTITY_HEADS:  # "a lot of estimates that said": the estimates
        of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        subj = obj if obj is not None else subj
    if subj.lower_ in PRONOUNS or subj.pos_ == "PRON":
        return None
    np = noun_phrase(subj)
    return None if _numeric(np) else np


def _according_to(tok):
    """The source of "according to X" at ``tok`` ("according"), or None."""
    if tok.lower_ != "according" or tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].lower_ != "to":
        return None
    obj = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
    if obj is None or obj.lower_ in PRONOUNS:
        return None
    return noun_phrase(obj)


def _record_source(tok, after: bool = False):
    """"In a new CBS News poll, ..." / "by one estimate" (before the figure), "... 9 points in the
    RealClearPolitics average of polls" (after it: polls only): the record named at preposition ``tok``."""
    if tok.lower_ not in ("in", "by") or tok.dep_ != "prep":
        return None
    obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lower_ not in (POLL_NOUNS if after else RECORD_NOUNS):
        return None
    return noun_phrase(obj)


def _in_complement(verb, root, deps=None) -> bool:
    """``root`` hangs under ``verb`` through a child that is not its subject (one of ``deps`` if given)."""
    t = root
    while t.head.i != t.i:
        if t.head.i == verb.i:
            return t.dep_ not in SUBJECT_DEPS and (deps is None or t.dep_ in deps)
        t = t.head
    return False


def _outside(np, fig_start: int) -> bool:
    return np is not None and not (np.start_char <= fig_start < np.end_char)


def find_source(m: BodyMap, start: int, end: int, fig_start: int, fig_end: int, root, need_parse_link: bool,
                sentence=None):
    """The nearest named source that vouches for the figure: "according to X" anywhere in ``sentence``
    (default: [start, end)), else a reporting verb in [start, end) before the figure whose complement
    holds it (with ``need_parse_link`` False a verb within VIA_MAX_TOKENS before the figure will do,
    where the parse does not join them)."""
    lo, hi = sentence or (start, end)
    for t in m.token_list(lo, hi):
        if not fig_start <= t.idx < fig_end:
            np = _according_to(t)
            if _outside(np, fig_start):
                return np
    best = None
    for t in m.token_list(start, min(end, fig_start)):
        if t.pos_ not in ("VERB", "AUX") or verb_lemma(t) not in CLAIM_VERBS:
            continue
        linked = _in_complement(t, root, CONTENT_DEPS if need_parse_link else None)
        if not linked and (need_parse_link or root.i - t.i > VIA_MAX_TOKENS or t.is_ancestor(root)):
            continue
        np = _source_np(t)
        if _outside(np, fig_start):
            best = np
    return best


def _claim_noun_source(noun, root):
    """"Mr. Trump's claims that ... $10 billion", "Mr. Sanders's plan would raise $15.3 trillion": the
    possessor of a noun of saying or planning whose complement, or whose verb's complement, holds the figure."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is None or poss.lower_ in PRONOUNS or poss.pos_ == "PRON":
        return None
    if noun.is_ancestor(root) and not poss.is_ancestor(root):
        return noun_phrase(poss)
    if noun.dep_ in ("nsubj", "nsubjpass") and _in_complement(noun.head, root, CONTENT_DEPS):
        return noun_phrase(poss)
    return None


def sentence_source(m: BodyMap, sent, fs: int, fe: int, root):
    """The source a sentence names for a figure outside every quote: "according to X"; a record ("In a
    new CBS News poll, ..."); "As the Washington Post reported, ..."; a reporting verb whose complement
    holds the figure, before it or after it ("..., records show"); a noun of saying with its possessor."""
    found = find_source(m, sent[0], sent[1], fs, fe, root, need_parse_link=True)
    if found is not None:
        return found
    for t in m.token_list(sent[0], sent[1]):
        if fs <= t.idx < fe:
            continue
        np = None
        np = _record_source(t, after=t.idx > fs)
        if np is None and t.pos_ == "VERB" and verb_lemma(t) in CLAIM_VERBS:
            if any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children) and not t.is_ancestor(root):
                np = _source_np(t)  # "As the Washington Post observed, Republicans control 30 states"
            elif t.idx > fe and _in_complement(t, root, {"ccomp", "parataxis"}):
                np = _source_np(t)  # "The aircraft was insured at $35 million, records show"
        if np is None and t.lower_ in CLAIM_NOUNS:
            np = _claim_noun_source(t, root)
        if _outside(np, fs):
            return np
    return None


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


def _entity_name(article: Article, mention: str) -> str:
    low = mention.lower()
    for e in article.entities:
        if e.type in ("PERSON", "ORG") and any(v.lower() == low or (len(v) > 3 and v.lower() in low)
                                               for v in [e.name, *e.variants]):
            return e.name
    return mention


def _claim(speaker, mention, start, end, quote=None, cue=None) -> dict:
    return {"speaker": speaker, "mention": mention, "start": start, "end": end, "quote": quote, "cue": cue,
            "via": None, "via_start": None, "via_end": None}


def _claim_of_quote(article: Article, m: BodyMap, qi: int, bq: tuple[int, int], seg, fs, fe, root) -> dict:
    q = article.quotes[qi]
    claim = _claim(q.speaker, q.speaker_mention, q.speaker_start if q.speaker_start >= 0 else None,
                   q.speaker_end if q.speaker_start >= 0 else None, qi, q.cue)
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
