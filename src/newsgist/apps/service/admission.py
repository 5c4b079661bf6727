"""The shape check at admission (issue 32): will this request be slow? Decided before it runs.

:func:`measure` reads a request's input in one capped pass of C-speed string operations
(no parse, no Python loop over characters; one over the tags of HTML) and returns its
:class:`Shape`: size, longest sentence, punctuation and quote-mark density and, for HTML, nesting depth and
block elements -- the measures behind the stage caps of issue 17 (``SENTENCE_MAX_CHARS``
in reading/segment.py, ``SENTENCE_MAX_TOKENS`` in card/limits.py,
``MAX_TRAFILATURA_BLOCKS`` in reading/blocks.py). :func:`heavy_reason` says why a job
should go straight to the heavy workers (``None``: it is a normal job), and
:func:`expected_cpu_s` what a normal job is expected to cost (the scheduler moves a job
that uses far more). The thresholds were set on real pages and articles (CNN
validation-1000 and test-public-500, BBC, Dragnet and the readability test pages; see
``benchmarks/bench_admission.py``, which prints the measures' maxima there and on the
attack shapes of ``benchmarks/bench_attack.py``, and the check's cost).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Optional

#: At most this many characters of an input are read (the first ones), so the check costs
#: a few ms at most (bench_admission.py) whatever the input: a text card longer than
#: ``heavy_card_chars`` is heavy by its size anyway, and a highlights job is linear in its
#: input (issue 17's caps), so a long input whose shape hides past the sample costs a
#: normal worker ~1-6 us a character until the long-job move stops it.
SHAPE_SCAN_CHARS = 32_000
#: ... of an HTML page (one Python pass over its tags); its text size is extrapolated.
SHAPE_SCAN_HTML_CHARS = 24_000
#: Shape rules apply to inputs of at least this many characters (of text): below it even
#: the worst shape costs less than a normal card (~0.2 CPU s), so short texts are never
#: routed by shape. The shortest attack shape (issue 17) has 13,010 characters.
SHAPE_MIN_CHARS = 2_000
#: A highlights job is cheap per character (~1-2 us, against ~60 us for a card), so its
#: shape matters only from this size on: twice the longest CNN validation article.
SHAPE_MIN_HIGHLIGHTS_CHARS = 20_000
#: Longest "sentence" (characters between sentence stops or line breaks). The longest
#: sentence of 47,272 CNN/DM sentences has 993 characters and the segmenter cuts at 3,000
#: (SENTENCE_MAX_CHARS); a run-on sentence of 1,500 makes the card's per-sentence readings
#: (quotes, figures' context) work on 250+ tokens (SENTENCE_MAX_TOKENS) per cue.
LONGEST_SENTENCE_CHARS = 1_500
#: Punctuation marks per 1,000 characters of text (``PUNCTUATION``). Real articles: p99
#: ~53, max 87 (3,627 CNN and BBC articles, bench_admission.py); the text of 1,511 real
#: pages up to 133 (code listings); punctuation soup has 500, quote paragraphs 200.
PUNCT_PER_K = 160.0
#: Quote marks (straight and curly double quotes) per 1,000 characters. Real articles: p99
#: ~15, max 25; real pages' text max 14; quote paragraphs (issue 17) have 80.
QUOTES_PER_K = 65.0
#: HTML nesting depth (elements with optional end tags such as ``<p>`` and void elements
#: not counted) and block elements (``<p>``, ``<li>``, ...) per 1,000 characters of
#: HTML. Real pages (1,511, bench_admission.py; their first SHAPE_SCAN_HTML_CHARS): depth
#: p99 90, max 94; blocks max 13 a kB; the ``<p>`` quotes of issue 17 have 33.
HTML_MAX_DEPTH = 200
HTML_BLOCKS_PER_K = 20.0
#: CPU seconds a character of text costs a normal worker. ``bench_admission.py --cpu 80``
#: (80 CNN validation articles, time.process_time): cards median 53 us a character, max
#: 74; highlights 6 us median with the per-request part included; with JOB_BASE_CPU_S
#: below the estimate was above the measured CPU for all 80 (max ratio 0.93 card, 0.90
#: highlights), so twice the estimate (routing.MOVE_FACTOR) never moves a normal article.
CARD_CPU_PER_CHAR = 60e-6
HIGHLIGHTS_CPU_PER_CHAR = 3e-6
#: Fixed part of a job's expected cost (options, JSON, the stages' set-up), and the HTML
#: extraction's cost a character of page source (trafilatura, ~0.4 s at 20,000 blocks).
JOB_BASE_CPU_S = 0.02
HTML_CPU_PER_CHAR = 2e-6

PUNCTUATION = ".,;:!?'\"-()[]\u201c\u201d\u2018\u2019\u2026"
QUOTE_MARKS = "\"\u201c\u201d"
QUOTE_ENTITIES = ("&quot;", "&ldquo;", "&rdquo;", "&#8220;", "&#8221;", "&#34;")
# Scripts, styles and comments (opening, closing), then any tag: what is left is (roughly)
# the page's text. A tag stops at the next "<", so "<<<<" is linear too.
_HIDDEN = (("<script", "</script"), ("<style", "</style"), ("<!--", "-->"))
_ANY_TAG = re.compile(r"<[^<>]*>")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_BLOCKS = frozenset("p li blockquote pre h1 h2 h3 h4 h5 h6 td dd dt".split())
# Elements with no end tag or an optional one: they do not count for depth.
_FLAT = frozenset("""area base br col embed hr img input link meta param source track wbr
p li td th tr dt dd option colgroup tbody thead tfoot caption""".split())
_DELTA = {"": 1, "/": -1}


@dataclass(frozen=True)
class Shape:
    """The shape of an input, as far as the scan read (``scanned`` characters)."""
    chars: int                 # characters of the input (HTML: of the page source)
    text_chars: int            # characters of text (HTML: tags, scripts, comments stripped; past the
                               # scanned part extrapolated)
    longest_sentence: int      # characters of the longest run without a sentence end
    punct_per_k: float         # punctuation marks per 1,000 characters of text
    quotes_per_k: float        # double quote marks per 1,000 characters of text
    html_depth: int = 0        # deepest element nesting (HTML only)
    html_blocks_per_k: float = 0.0   # block elements per 1,000 characters of HTML
    scanned: int = 0


def measure(text: str, html: bool = False, limit: Optional[int] = None) -> Shape:
    """The :class:`Shape` of the first ``limit`` characters (default :data:`SHAPE_SCAN_CHARS`,
    :data:`SHAPE_SCAN_HTML_CHARS` for HTML) of ``text``, an HTML page if ``html``: a few
    passes of C-speed string and regex operations (and one Python pass over HTML's tags)."""
    head = text[:limit or (SHAPE_SCAN_HTML_CHARS if html else SHAPE_SCAN_CHARS)]
    depth = 0
    blocks = 0.0
    if html:
        tags = [(close, name.lower()) for close, name in _TAG.findall(head)]
        depth = max(accumulate((_DELTA[close] for close, name in tags if name not in _FLAT), initial=0))
        blocks = 1000.0 * sum(not close and name in _BLOCKS for close, name in tags) / max(1, len(head))
        body = _visible_text(head)
    else:
        body = head
    n = max(1, len(body))
    # the longest run between sentence stops or line breaks (a decimal point also cuts: shorter runs only)
    runs = body.replace("!", ".").replace("?", ".").replace("\u2026", ".").replace("\n", ".").split(".")
    longest = max(map(len, runs))
    punct = sum(map(body.count, PUNCTUATION))
    quotes = sum(map(body.count, QUOTE_MARKS)) + (sum(map(body.count, QUOTE_ENTITIES)) if html else 0)
    text_chars = len(body) if len(head) == len(text) else int(len(body) * len(text) / max(1, len(head)))
    return Shape(chars=len(text), text_chars=text_chars, longest_sentence=longest,
                 punct_per_k=round(1000.0 * punct / n, 2), quotes_per_k=round(1000.0 * quotes / n, 2),
                 html_depth=depth, html_blocks_per_k=round(blocks, 2), scanned=len(head))


def _visible_text(head: str) -> str:
    """``head`` without scripts, styles, comments and tags (each replaced by a line break):
    every search goes forward only, so the pass is linear whatever the markup."""
    low = head.lower()
    nxt = {opening: low.find(opening) for opening, _ in _HIDDEN}
    parts, i = [], 0
    while True:
        found = [(nxt[o], o, c) for o, c in _HIDDEN if nxt[o] >= 0]
        if not found:
            break
        start, opening, closing = min(found)
        parts.append(head[i:start])
        end = low.find(closing, start + len(opening))
        i = len(head) if end < 0 else end + len(closing)
        if end < 0:
            break
        for o, _ in _HIDDEN:
            if 0 <= nxt[o] < i:
                nxt[o] = low.find(o, i)
    parts.append(head[i:])
    return _ANY_TAG.sub("\n", "\n".join(parts))


def shape_reason(shape: Shape, highlights_only: bool) -> Optional[str]:
    """The first shape rule ``shape`` breaks (a stable name), or None."""
    if shape.text_chars < (SHAPE_MIN_HIGHLIGHTS_CHARS if highlights_only else SHAPE_MIN_CHARS):
        return None
    if shape.html_depth > HTML_MAX_DEPTH:
        return "html_depth"
    if shape.html_blocks_per_k > HTML_BLOCKS_PER_K:
        return "html_blocks"
    if shape.longest_sentence > LONGEST_SENTENCE_CHARS:
        return "long_sentence"
    if shape.punct_per_k > PUNCT_PER_K:
        return "punctuation"
    if shape.quotes_per_k > QUOTES_PER_K:
        return "quote_marks"
    return None


def heavy_reason(job: dict, card_chars: int, highlights_chars: int) -> tuple[Optional[str], Optional[Shape]]:
    """Why ``job`` (the service's job dict: ``text``, ``kind``, ``highlights_only``) should
    go straight to the heavy workers -- ``"size"`` (its text is over ``card_chars`` for a
    card, ``highlights_chars`` for highlights; an HTML page over ``highlights_chars``
    whatever it asks) or a rule of :func:`shape_reason` -- and the shape read (None when
    the size alone decided). A story (``POST /v1/story``) is judged by its articles' total size,
    then by each article's shape."""
    if job.get("story") is not None:
        total = sum(len(_item_text(a)) for a in job["story"])
        if total > card_chars:
            return "size", None
        for a in job["story"]:
            reason, shape = heavy_reason({"text": _item_text(a), "kind": "html" if a.get("html") else "text"},
                                         card_chars, highlights_chars)
            if reason is not None:
                return reason, shape
        return None, None
    text = job.get("text") or ""
    html = job.get("kind") in ("html", "url")
    highlights = bool(job.get("highlights_only"))
    limit = highlights_chars if highlights else card_chars
    if len(text) > (highlights_chars if html else limit):
        return "size", None
    shape = measure(text, html=html)
    if shape.text_chars > limit:
        return "size", shape
    return shape_reason(shape, highlights), shape


def expected_cpu_s(job: dict, shape: Optional[Shape]) -> float:
    """CPU seconds a normal worker is expected to spend on ``job``: a fixed part, its text's
    characters times the cost of one (card or highlights), HTML's extraction."""
    if job.get("story") is not None:   # a story reads a card of each of its articles
        return JOB_BASE_CPU_S + sum(expected_cpu_s({"text": _item_text(a), "kind": "html" if a.get("html") else "text"},
                                                   None) for a in job["story"])
    text = job.get("text") or ""
    chars = shape.text_chars if shape is not None else len(text)
    per_char = HIGHLIGHTS_CPU_PER_CHAR if job.get("highlights_only") else CARD_CPU_PER_CHAR
    html = HTML_CPU_PER_CHAR * len(text) if job.get("kind") in ("html", "url") else 0.0
    return JOB_BASE_CPU_S + chars * per_char + html


def _item_text(article: dict) -> str:
    """The text of one article of a story job (``{text | html, ...}``)."""
    return article.get("html") or article.get("text") or ""
