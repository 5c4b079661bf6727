"""The learned ranker's second stage (issue 16): choose the highlight *set* as a whole.

The sentence scores rank sentences one by one, and greedy selection then takes the best
3 (or 4) in turn: it cannot see that two good sentences say much the same, that four short
ones beat three long ones for this article, or that a set already covers the article's
main words. This stage takes the first :data:`CANDIDATES` sentences that selection
would offer (trigram blocking and the caption / mid-quotation rules already applied),
describes every set of 3 or 4 of them by :data:`SET_FEATURE_NAMES` (their scores and
ranks, lengths, positions, overlap with each other, coverage of the article's most
frequent content stems and of the stems the model's lexicon finds salient) and lets
regression trees predict the set's ROUGE-1 + ROUGE-2 against the article's other sets
(z-scored per article in training). The best set is shown; ``newsgist train`` keeps the
stage only when it gains out of fold.

Linear in the article: the stem counts are one pass; the sets are a constant
C(5,3) + C(5,4) = 15.
"""
from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np

# How many selection candidates the sets are made of, and the set sizes. Chosen out of
# fold on validation-1000 + sumllm-train-1000 (BENCHMARKS.md "Learned ranker (issue 16)"):
# with the first settings (16 leaves), 5 candidates gained +0.58 / +0.45 R-1 (val / sumllm)
# over greedy selection, 4 gained +0.36 / +0.35, 6 +0.55 / +0.19 and 7 +0.26 / +0.44 (wider
# pools let the trees chase noise); with the shipped 8 leaves, 4 / 5 / 6 candidates gained
# +0.26 / +0.37 / +0.40 (val) and +0.26 / +0.49 / +0.48 (sumllm): 6 is no better and costs
# 35 sets an article instead of 15.
CANDIDATES = 5
SET_SIZES = (3, 4)
# Coverage is measured against the article's this-many most frequent content stems.
TOP_STEMS = 20

SET_FEATURE_NAMES = (
    "size",              # 3 or 4
    "score_sum",         # sum of the members' final sentence scores
    "score_mean",
    "score_min",
    "score_max",
    "prob_sum",          # sum of the members' tree probabilities (sigmoid of the raw score)
    "prob_min",
    "score_vs_top3",     # score_sum minus the sum of the best three candidates' scores
    "rank_sum",          # members' ranks by score among the candidates (0 = best)
    "rank_max",
    "words_sum",         # words in the set
    "words_mean",
    "words_max",
    "words_min",
    "words_vs_article",  # words_sum / the article's mean words per sentence
    "first_index",       # the earliest member's sentence index
    "has_first",         # the set holds the body's first sentence
    "rel_index_mean",
    "rel_index_max",
    "overlap_max",       # highest share of content stems two members share (of the smaller)
    "overlap_mean",
    "distinct_share",    # distinct content stems / content stems of the members
    "top_coverage",      # share of the article's TOP_STEMS stem occurrences the set's stems cover
    "distinct_stems",
    "cnn_dateline",      # the article's style (as the sentence features)
    "art_mean_words",
    "n_sentences",
    "n_candidates",
    "quoted_sum",        # members' quoted_share summed
    "digits_sum",        # members' digit tokens summed
    # word salience (the model's lexicon, newsgist.highlighting.lexicon), over the set's distinct stems
    "lex_cover",         # sum of the positive stem scores the set covers
    "lex_cover_share",   # lex_cover / the same sum over the whole article
    "lex_neg_mean",      # sum of the negative stem scores / distinct stems
)


def candidates(article, scores) -> list[int]:
    """The sentences selection would offer first, best score first (at most CANDIDATES)."""
    from newsgist.highlighting.select import select
    chosen = [h.sentence for h in select(article, list(scores), CANDIDATES)]
    return sorted(chosen, key=lambda i: (-scores[i], i))


def set_features(article, X, raw, scores, stems=None, lexicon=None) -> tuple[list[tuple], np.ndarray]:
    """The candidate sets (sentence indices, in article order) and their feature rows.
    ``X`` is the sentence feature matrix, ``raw`` the trees' log-odds and ``scores`` the
    final sentence scores; ``stems`` (content stems per sentence) is computed if absent;
    ``lexicon`` (stem -> score, as filled X's lexicon columns; None: those features are 0).
    No sets (an empty list) when fewer than the smallest set size qualify."""
    from newsgist.highlighting.ranker_features import FEATURE_NAMES, sentence_stems
    fi = FEATURE_NAMES.index
    cand = candidates(article, scores)
    if len(cand) < min(SET_SIZES):
        return [], np.zeros((0, len(SET_FEATURE_NAMES)))
    if stems is None:
        stems = sentence_stems(article.sentence_text(i) for i in range(len(article.sentences)))
    tf = Counter()
    for s in stems:
        tf.update(s)
    top = dict(tf.most_common(TOP_STEMS))
    top_total = sum(top.values()) or 1
    bags = {i: set(stems[i]) for i in cand}
    prob = {i: 1.0 / (1.0 + math.exp(-min(max(float(raw[i]), -50.0), 50.0))) for i in cand}
    rank = {i: r for r, i in enumerate(cand)}
    best3 = sum(scores[i] for i in cand[:3])
    lex = lexicon or {}
    # fsum over sets of stems: exact, so independent of the order string hashing gives them
    lex_all = math.fsum([max(lex.get(w, 0.0), 0.0) for w in tf]) or 1.0
    row0 = X[0]
    mean_words = row0[fi("art_mean_words")] or 1.0
    article_cols = [row0[fi("cnn_dateline")], row0[fi("art_mean_words")], row0[fi("n_sentences")], len(cand)]
    # per candidate and per pair, once (issue 27: the 15 sets share them); same numbers
    col = {name: fi(name) for name in ("n_words", "rel_index", "quoted_share", "digit_tokens")}
    per = {i: {name: float(X[i, k]) for name, k in col.items()} for i in cand}
    pos = {w: max(lex.get(w, 0.0), 0.0) for i in cand for w in bags[i]}
    neg = {w: min(lex.get(w, 0.0), 0.0) for w in pos}
    overlap = {(a, b): len(bags[a] & bags[b]) / (min(len(bags[a]), len(bags[b])) or 1)
               for a, b in itertools.combinations(sorted(cand), 2)}
    sets, rows = [], []
    for k in SET_SIZES:
        for combo in itertools.combinations(cand, k):
            c = tuple(sorted(combo))
            sc = [scores[i] for i in c]
            sum_sc = sum(sc)
            pr = [prob[i] for i in c]
            nw = [per[i]["n_words"] for i in c]
            sum_nw = sum(nw)
            union = set().union(*(bags[i] for i in c))
            lex_pos = math.fsum([pos[w] for w in union])
            total = sum([len(bags[i]) for i in c]) or 1
            pair = [overlap[a, b] for a, b in itertools.combinations(c, 2)]
            rel = [per[i]["rel_index"] for i in c]
            rows.append([
                k, sum_sc, sum_sc / k, min(sc), max(sc), sum(pr), min(pr), sum_sc - best3,
                sum(rank[i] for i in c), max(rank[i] for i in c),
                sum_nw, sum_nw / k, max(nw), min(nw), sum_nw / mean_words,
                c[0], float(c[0] == 0), sum(rel) / k, max(rel),
                max(pair), sum(pair) / len(pair), len(union) / total,
                sum(v for t, v in top.items() if t in union) / top_total, len(union),
                *article_cols,
                sum(per[i]["quoted_share"] for i in c), sum(per[i]["digit_tokens"] for i in c),
                lex_pos, lex_pos / lex_all, math.fsum([neg[w] for w in union]) / (len(union) or 1),
            ])
            sets.append(c)
    return sets, np.array(rows, dtype=float)


class SetReranker:
    """Regression trees over :data:`SET_FEATURE_NAMES`; :meth:`choose` gives the best set."""

    def __init__(self, trees, info=None):
        self.trees = trees
        self.info = dict(info or {})

    def choose(self, article, X, raw, scores, stems=None, lexicon=None) -> list[int] | None:
        """The best candidate set (sentence indices in article order), or None (too few)."""
        sets, F = set_features(article, X, raw, scores, stems, lexicon)
        if not sets:
            return None
        pred = self.trees.predict(F)
        return list(sets[int(np.argmax(pred))])   # ties: the first set, i.e. the smaller size

    def to_dict(self) -> dict:
        return {"feature_names": list(SET_FEATURE_NAMES), "candidates": CANDIDATES,
                "sizes": list(SET_SIZES), "info": self.info, "trees": self.trees.to_dict()}

    @classmethod
    def from_dict(cls, data: dict, ensemble) -> "SetReranker":
        if list(data.get("feature_names", [])) != list(SET_FEATURE_NAMES) \
                or data.get("candidates") != CANDIDATES or list(data.get("sizes", [])) != list(SET_SIZES):
            raise ValueError("the model's set reranker was trained on other set features than this newsgist "
                             "computes; retrain it")
        trees = ensemble(data["trees"], len(SET_FEATURE_NAMES))
        return cls(trees, data.get("info"))
