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
from newsgist.grounding.check import PRONOUNS, line_evidence, source_of, verdict
from newsgist.grounding.claims import Line
from newsgist.grounding.faithfulness import check as faithfulness_check, render_spans
from newsgist.grounding.model import line_features, load
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
# without indexing the article (:func:`_verbatim_evidence`): the index and the alignment
# were a quarter of a highlights-only run.
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


def _verbatim_evidence(h, seen: set) -> dict:
    """The checker's evidence for a highlight that is one source sentence word for word
    (issue 27: without indexing the article). Everything :func:`line_evidence` measures
    is then known from the line alone: every word, n-gram and quotation is the source's,
    the sentence itself is the support (it holds all the line's content words, so no
    other joins it) and the soft window is the sentence ((1, 1)); only the summary's
    repeated trigrams depend on the lines before (``seen``, updated as there). On the
    highlights of 360 validation, sumllm and BBC articles this gave the full checker's
    verdict for every highlight (BENCHMARKS.md, issue 27)."""
    line = Line.of(h.text)
    tri = list(zip(line.stems, line.stems[1:], line.stems[2:]))
    own: set = set()
    repeats = 0
    for g in tri:
        repeats += g in seen or g in own
        own.add(g)
    seen |= own
    n = len(line.toks)
    return {"text": h.text, "support": [(h.start, h.end)], "uni": 1.0, "bi": 1.0, "bi_support": 1.0, "quad": 1.0,
            "pronoun": float(bool(line.toks) and line.toks[0] in PRONOUNS), "n_support": 1,
            "longest": 1.0, "fragments": int(n >= 2), "repeats": repeats / len(tri) if tri else 0.0,
            "names_elsewhere": 0, "unk": 0, "tri": 1.0, "cover1": 1.0, "cover": 1.0, "window": 1.0,
            "window_order": 1.0, "verbatim": True, "novel": 0, "neg_added": False, "neg_dropped": False,
            "flips": 0.0, "length": n, "unsupported": []}


@STAGES.register("ground", order=70, description="every highlight: support spans, checks, the checker's score")
def stage_ground(article: Article, options: Options) -> Article:
    if not article.highlights:
        return article
    for h in article.highlights:
        if h.faithfulness is None:
            h.faithfulness = _extractive_report(article.source, h)
    if not english_applies(article.meta):
        return article  # the checker's model reads English only: support and checks, no verdict
    model = load()
    src = None   # the article's index, built only for a highlight that is not a whole sentence
    seen: set = set()
    for h in article.highlights:
        if VERBATIM_FAST_PATH and _whole_sentence(article, h):
            ev = _verbatim_evidence(h, seen)
        else:
            src = src or _source(article)
            ev = line_evidence(src, h.text, seen)
        score = float(model.line.predict([line_features(ev)])[0])
        h.grounding = {"score": score, "supported": verdict(score, ev, model),
                       "unsupported": ev["unsupported"]}
    return article
