"""The story's learned sentence score: which sentences of the reports an editor's summary keeps.

A small tree model (``models/story-sentences.json``, trained by
``python benchmarks/train_story.py``) reads each sentence's place in its report and in the
story (position, the report's length, how many other reports carry its fact, its words and
word pairs, cosine with the story centroid, the report's own ranker score, ...) and predicts
how much of it an editor's summary of the story repeats: the share of its word pairs found in
the summary plus 0.3 times the share of its words (ROUGE-2 and ROUGE-1 precision of the
sentence alone). Five bagged boosters, averaged into one set of trees. It was fit on stories 0-99 of Multi-News validation (editors of newser.com
summarising 2-9 reports); stories 100-249 were never used to fit or choose it
(BENCHMARKS.md "Issue 29, session 2"). The hand weights of :mod:`newsgist.story.rank` remain
the fallback when the model file is missing or does not match these features, and they rank a
count of highlights (the card's default): the model ranks word-budget summaries (``words``).
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from newsgist.text import STOPWORDS, stem, words

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "story-sentences.json"
MODEL_KIND = "newsgist-story-sentences"
QUOTE_MARKS = ('"', "“", "”")
_SAID = re.compile(r"\b(?:said|says|told|according)\b")

FEATURE_NAMES = (
    "position",        # sentence index in its report (0 = first)
    "rel_position",    # position / the report's sentences
    "words",           # words between spaces
    "support",         # share of the other reports with a matching sentence (index.Unit.matches)
    "matches",         # how many reports match it
    "reports",         # reports in the story
    "centroid",        # cosine with the story centroid (index.centroid_scores)
    "quote",           # holds a quotation mark
    "ranker_rel",      # the report's own ranker score, min-max within the report
    "ranker",          # the same, raw
    "soft_support",    # mean best cosine with a candidate sentence of each other report
    "paragraph",       # paragraph index in its report
    "names",           # capitalised words (not the first)
    "numbers",         # numbers in digits
    "report_shared",   # share of the report's sentences that another report matches
    "report_centroid",  # mean centroid cosine of the report's sentences
    "first_paragraph",
    "stem_support",    # mean over its content stems of the share of the other reports holding it
    "pair_support",    # the same for its pairs of consecutive content stems
    "lead_similarity",  # cosine with its report's first sentence
    "attribution",     # "said", "says", "told", "according"
)
# The model's score never falls when one of these rises, all else equal (LightGBM monotone
# constraints): a fact more reports carry never ranks lower for it (the rule).
MONOTONE = ("support", "matches", "soft_support", "stem_support", "pair_support")
# The report's length (sentences, words) is no feature: it read the same out of fold on
# Multi-News (47.01 vs 47.00 R-1) and made short hand-written reports look unlike any it saw.


def _content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w.lower() not in STOPWORDS and len(w) > 1]


def features(index, reads, centroid: list[float] | None = None) -> list[list[float]]:
    """One row of FEATURE_NAMES per unit of ``index`` (linear in the story's sentences)."""
    units = index.units
    cen = centroid if centroid is not None else index.centroid_scores()
    by_article: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        by_article.setdefault(u.article, []).append(k)
    rel, shared, mean_cen = {}, {}, {}
    for a, ks in by_article.items():
        sc = [units[k].score for k in ks]
        lo, hi = min(sc), max(sc)
        for k in ks:
            rel[k] = (units[k].score - lo) / (hi - lo) if hi > lo else 0.5
        shared[a] = sum(1 for k in ks if units[k].matches) / len(ks)
        mean_cen[a] = sum(cen[k] for k in ks) / len(ks)
    seqs = [_content_stems(u.text) for u in units]
    stem_reports: dict[str, set] = {}
    pair_reports: dict[tuple, set] = {}
    for k, u in enumerate(units):
        for t in set(seqs[k]):
            stem_reports.setdefault(t, set()).add(u.article)
        for p in set(zip(seqs[k], seqs[k][1:])):
            pair_reports.setdefault(p, set()).add(u.article)
    others = max(1, index.n - 1)
    rows = []
    for k, u in enumerate(units):
        stems, pairs = set(seqs[k]), set(zip(seqs[k], seqs[k][1:]))
        ks = by_article[u.article]
        para = getattr(reads[u.article].article.sentences[u.sentence], "paragraph", 0) or 0
        rows.append([u.position, u.position / len(ks), len(u.text.split()),
                     len(u.matches) / others, len(u.matches), index.n, cen[k],
                     float(any(q in u.text for q in QUOTE_MARKS)), rel[k], u.score,
                     sum(u.soft.values()) / others, para, len(u.names), len(u.numbers),
                     shared[u.article], mean_cen[u.article], float(para == 0),
                     sum(len(stem_reports[t]) - 1 for t in stems) / others / max(1, len(stems)),
                     sum(len(pair_reports[p]) - 1 for p in pairs) / others / max(1, len(pairs)),
                     index.cosine(u, units[ks[0]]), float(bool(_SAID.search(u.text)))])
    return rows


class StoryModel:
    def __init__(self, d: dict):
        from newsgist.trees import TreeEnsemble
        if d.get("kind") != MODEL_KIND or list(d.get("features", [])) != list(FEATURE_NAMES):
            raise ValueError("story-sentences model does not match this version's features")
        t = d["trees"]
        self.trees = TreeEnsemble(t["feature"], t["threshold"], t["left"], t["right"], t["value"], t["roots"],
                                  t["depth"])
        self.info = dict(d.get("info", {}))

    def predict(self, rows) -> list[float]:
        import numpy as np
        if not rows:
            return []
        out = self.trees.predict(np.asarray(rows, dtype=np.float64))
        return [float(v) if math.isfinite(v) else 0.0 for v in out]


@lru_cache(maxsize=2)
def load_model(path: str = str(MODEL_PATH)) -> StoryModel | None:
    """The shipped model, or None when the file is missing or does not match FEATURE_NAMES."""
    try:
        with open(path, encoding="utf-8") as fh:
            return StoryModel(json.load(fh))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def learned_scores(index, reads, centroid: list[float] | None = None) -> list[float] | None:
    """The model's score of every unit, or None without a usable model."""
    model = load_model()
    if model is None:
        return None
    return model.predict(features(index, reads, centroid))
