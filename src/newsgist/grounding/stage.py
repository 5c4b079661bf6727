"""The ``ground`` stage (order 70, every run): each highlight gets its evidence.

Every highlight -- extractive, compressed, or (later) generated -- is judged by the
same checker (:mod:`newsgist.grounding.check`):

* ``faithfulness`` (``support`` + ``checks``, :mod:`newsgist.grounding.faithfulness`):
  a compressed highlight keeps the report compression computed (with the parse); an
  extractive one gets the text-level checks against its own sentence (no parse, so
  highlights-only runs stay cheap);
* ``grounding``: the checker's score of the line against the whole article, its
  verdict at the line threshold of the shipped model, and the unsupported pieces.

Cost: one regex pass over the article's sentences and a few per highlight (well
under a millisecond a highlight; BENCHMARKS.md, "Grounding (issue 14)").
"""
from __future__ import annotations

from newsgist.article import Article
from newsgist.grounding.align import Source
from newsgist.grounding.check import line_evidence, score_line, shown_pieces, source_of, verdict
from newsgist.grounding.claims import Line
from newsgist.grounding.faithfulness import check as faithfulness_check, render_spans
from newsgist.grounding.model import load
from newsgist.options import Options, english_applies
from newsgist.registry import STAGES

# The checker indexes at most this many sentences of an article (the first ones, plus
# every highlight's own sentence): the index costs ~20 us a sentence, about 3 s on an
# 8 MB input of short sentences (issue 17). Same bound as the scorer's
# SCORE_MAX_SENTENCES (highlights come from the sentences it scores); the longest
# validation-1000 article has 125 sentences, so real articles never reach it.
GROUND_MAX_SENTENCES = 2_000
# ... and at most this many characters of them (a few hundred "sentences" of 3,000
# characters of punctuation soup cost as much as 100,000 short ones): 300,000 is three
# times the full-card limit and about 30 times a long news article.
GROUND_MAX_CHARS = 300_000
# Issue 27: a highlight that is one source sentence word for word gets its evidence
# without indexing the article: it is backed by definition (issue 26's checker scores it
# 1.0 without its model), and the index and the alignment were a quarter of a
# highlights-only run.
VERBATIM_FAST_PATH = True


def _extractive_report(source: str, h) -> dict:
    """The faithfulness report of a highlight shown as its whole sentence."""
    support = [(h.start, h.end)]
    if source[h.start:h.end] == h.text:
        # issue 27: the support is the line itself, so its numbers, names, negations and
        # quotations are all there (each check compares the line with its support) and only
        # the spans check reads anything: the report faithfulness.check would give
        rendered = render_spans(source, support) == h.text
        rep = {"support": support, "checks": {"spans": rendered, "numbers": True, "entities": True,
                                              "negations": True, "quotes": True},
               "passed": rendered, "problems": [] if rendered else ["spans"], "subject_verb": None}
    else:
        rep = faithfulness_check(source, h.text, support, support)
    # an extractive highlight is its sentence exactly as written (render_spans would
    # collapse whitespace and add a final stop or a capital, which a shown sentence does not get)
    rep["checks"]["spans"] = source[h.start:h.end] == h.text
    rep["passed"] = all(rep["checks"].values())
    return rep


def _source(article: Article) -> Source:
    """The checker's index of the article, capped at GROUND_MAX_SENTENCES (reported
    in ``meta.limits_hit``; the body and the highlights are untouched)."""
    sents = article.sentences
    n, first, chars = len(sents), 0, 0
    while first < min(n, GROUND_MAX_SENTENCES) and chars + sents[first].end - sents[first].start <= GROUND_MAX_CHARS:
        chars += sents[first].end - sents[first].start
        first += 1
    if first == n:
        return source_of(article)
    keep = set(range(first)) | {h.sentence for h in article.highlights if 0 <= h.sentence < n}
    spans = [(sents[k].start, sents[k].end) for k in sorted(keep)]
    limit = "GROUND_MAX_SENTENCES" if first == GROUND_MAX_SENTENCES else "GROUND_MAX_CHARS"
    article.limit_hit("ground", limit, f"the checker indexed {len(spans):,} of {n:,} sentences (the first "
                                       f"{first:,} and the highlights' own); support is sought among those")
    return Source(article.source, spans)


def _whole_sentence(article: Article, h) -> bool:
    """Is ``h`` one sentence of the article exactly as written (an extractive highlight)?"""
    sents = article.sentences
    return (h.faithfulness is not None and h.faithfulness.get("support") == [(h.start, h.end)]
            and 0 <= h.sentence < len(sents) and (sents[h.sentence].start, sents[h.sentence].end) == (h.start, h.end)
            and article.source[h.start:h.end] == h.text)


def _note_trigrams(text: str, seen: set) -> None:
    """Add a whole-sentence highlight's stem trigrams to ``seen``, as
    :func:`~newsgist.grounding.check.line_evidence` does for every line it reads: a later
    line's repeated trigrams (degenerate output) count against the lines before it."""
    stems = Line.of(text).stems
    seen.update(zip(stems, stems[1:], stems[2:]))


@STAGES.register("ground", order=70, description="every highlight: support spans, checks, the checker's score")
def stage_ground(article: Article, options: Options) -> Article:
    if not article.highlights:
        return article
    for h in article.highlights:
        if h.faithfulness is None:
            h.faithfulness = _extractive_report(article.source, h)
    if not english_applies(article.meta):
        return article  # the checker's model reads English only: support and checks, no verdict
    model = None  # the checker's model (1.3 MB, ~40 ms to read), loaded for a line that is not a whole sentence
    src = None   # the article's index, built only for a highlight that is not a whole sentence
    seen: set = set()
    for h in article.highlights:
        if VERBATIM_FAST_PATH and _whole_sentence(article, h):
            # issue 26's checker: a whole source sentence word for word is backed by
            # definition (score 1.0, supported, nothing unsupported, no model run); issue 27:
            # it needs no index of the article either, only its trigrams for later lines
            _note_trigrams(h.text, seen)
            h.grounding = {"score": 1.0, "supported": True, "unsupported": []}
            continue
        src = src or _source(article)
        if model is None:
            model = load()
        ev = line_evidence(src, h.text, seen)
        score = score_line(ev, model)  # issue 26: a whole copied sentence scores 1.0 without the model
        ok = verdict(score, ev, model)
        h.grounding = {"score": score, "supported": ok, "unsupported": shown_pieces(ev, ok)}
    return article
