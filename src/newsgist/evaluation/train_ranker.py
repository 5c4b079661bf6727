"""Training of the learned highlight ranker (library code; the command is
``newsgist train``, :mod:`newsgist.apps.cli.train`).

Records are ``{article, highlights: [...]}`` (the ``newsgist eval`` format). Each
article is cleaned and segmented exactly as the highlights path does it; its
sentences are labelled with the greedy ROUGE-1+2 oracle (at most 4 sentences) and
described by :mod:`newsgist.highlighting.ranker_features`, the word-salience columns
leave-one-out (:func:`add_lexicon`, issue 16). A LightGBM binary classifier
learns oracle membership. Out-of-fold predictions (``folds``, 5) then tune, by
the mean ROUGE-1+ROUGE-2 F1 of the selected highlights (trigram-blocked, as the
product selects them):

1. the length penalty per word (short highlights win ROUGE F1), separately for
   articles with a CNN/wire dateline and without (issue 16: CNN's short editor
   highlights want short sentences, Daily Mail and LLM summaries longer ones),
2. the weight of the unsupervised "position" prior: the *largest* weight whose
   score is within ``PRIOR_TOLERANCE`` of the best (shrink towards the prior that
   carries over to other outlets, paying at most that much on the training outlet),
3. the score a 4th highlight needs (3 otherwise), kept only if it gains at least
   ``COUNT_MIN_GAIN``,
4. (issue 16) the set reranker, :mod:`newsgist.evaluation.train_rerank`: a second
   stage that picks the best set of 3-4 among the top candidates; kept only if it
   beats greedy selection out of fold.

Every model here, out-of-fold or final, is the mean of ``ENSEMBLE_SEEDS`` boosters that
differ only in their bagging seed (issue 16; ``--ensemble``). The final trees are fitted
on all records with fixed seeds. LightGBM is needed
only here (``pip install lightgbm==4.7.0``); the model file is read with numpy.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from newsgist.errors import InputError, NewsgistError
# the pieces the set reranker's training shares
from newsgist.evaluation.train_common import (ENSEMBLE_SEEDS, LGB_COMMON, _lgb, _ngrams, fold_of, seeds_of,
                                              selection_rouge)

# LightGBM settings, chosen by 5-fold cross-validation on CNN validation-1000
# (R-1 of the selection): small trees generalise better than 15 or 31 leaves and than
# stumps; 400 rounds at rate 0.05. Issue 16, on validation-1000 + sumllm-train-1000
# out of fold: 8 leaves (outlet interactions) beat 4 on sumllm (+0.15 R-1, +0.3 R-2)
# at equal CNN, 16 leaves add nothing; hard oracle labels beat soft ROUGE labels
# (cross-entropy on single-sentence ROUGE: -1.4 R-1 on sumllm, -2.5 on CNN).
LGB_PARAMS = dict(LGB_COMMON, objective="binary", num_leaves=8, min_data_in_leaf=50)
# Issue 27, session 3: the sentence trees' objective. "binary": is the sentence in the
# oracle (log-odds); "lambdarank": a listwise ranking of each article's sentences (one
# query an article, the oracle label as relevance; LightGBM's lambdarank, NDCG), whose
# scores are ranks, not log-odds -- the blend and count are tuned on them all the same.
OBJECTIVES = ("binary", "lambdarank")
ROUNDS = 400
ORACLE_MAX = 4          # oracle labels: at most 4 sentences, as many highlights as we show
DEFAULT_FOLDS = 5
DEFAULT_SEED = 0
# Tuning grids (out-of-fold). Length penalty in log-odds per word; the prior weight
# multiplies the "position" score (about 0..2 per sentence).
LENGTH_PENALTIES = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04)
PRIOR_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
# How much mean R-1+R-2 (points) the prior weight may cost on the training outlet.
# 0.25 points: about one standard error of a 1,000-article mean difference.
PRIOR_TOLERANCE = 0.25
# Candidate thresholds for a 4th highlight: these percentiles of the 4th candidate's
# out-of-fold score; a threshold must gain this much mean R-1+R-2 over "always 3".
COUNT_PERCENTILES = (50, 60, 70, 80, 85, 90, 95, 98)
COUNT_MIN_GAIN = 0.1
MIN_ARTICLES = 2
# Issue 16: separate trees for articles with a CNN/wire dateline and without, when each
# style has at least this many training articles. On validation-1000 + sumllm-train-1000
# out of fold one model for both cost each style ~0.25 R-1 against a model of its own
# (BENCHMARKS.md "Learned ranker (issue 16)"); 200 keeps tiny training sets on one model.
STYLE_MIN_ARTICLES = 200


@dataclass
class Example:
    article: object
    refs: list
    tokens: list          # rouge tokens of each sentence
    ref1: Counter
    ref2: Counter
    X: object             # feature matrix
    y: object             # oracle labels (0/1)
    lexicon: dict | None = None   # the stem scores its lexicon columns were filled from (add_lexicon)


def article_of(text: str):
    """Clean and segment ``text`` as the highlights path does (raises NewsgistError)."""
    from newsgist.article import Article
    from newsgist.options import Options
    from newsgist.pipeline import run
    from newsgist.reading.stages import stage_clean, stage_segment
    return run(Article(source=text), Options(), [("clean", stage_clean), ("segment", stage_segment)])


def prepare(records, log=None) -> tuple[list[Example], int]:
    """Examples from ``{article, highlights}`` records; also the number skipped."""
    import numpy as np
    from newsgist.evaluation.rouge import greedy_oracle, rouge_tokens
    from newsgist.highlighting.ranker_features import sentence_features
    out, skipped = [], 0
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not isinstance(rec.get("article"), str) or "highlights" not in rec:
            raise InputError(f"record {i + 1} needs 'article' (text) and 'highlights' fields")
        refs = rec["highlights"]
        refs = [h for h in refs.split("\n") if h.strip()] if isinstance(refs, str) else [str(h) for h in refs]
        try:
            art = article_of(rec["article"])
        except NewsgistError:
            skipped += 1
            continue
        texts = [art.sentence_text(j) for j in range(len(art.sentences))]
        if not refs or not texts:
            skipped += 1
            continue
        y = np.zeros(len(texts))
        y[greedy_oracle(texts, refs, max_n=ORACLE_MAX)] = 1.0
        ref_toks = rouge_tokens(" ".join(refs))
        out.append(Example(art, refs, [rouge_tokens(t) for t in texts], _ngrams(ref_toks, 1), _ngrams(ref_toks, 2),
                           sentence_features(art), y))
        if log and (i + 1) % 200 == 0:
            log(f"  prepared {i + 1} records")
    return out, skipped


def tree_examples(records, log=None, limit=None, style="undated") -> list[Example]:
    """Issue 27, session 2: prepared examples of lower-cased editor-labelled records without a
    dateline (:func:`newsgist.evaluation.train_corpus.tree_records`), the features that read
    letter case masked (``train_corpus.CASE_FEATURES``); at most ``limit``, the first usable.
    Their lexicon columns are filled later (``train_corpus.fill_from_lexicon``)."""
    from newsgist.evaluation.train_corpus import mask_case_features, tree_records
    out = []
    for rec in tree_records(records, log, style):
        if limit is not None and len(out) >= limit:
            break
        ex, _ = prepare([rec])
        for e in ex:
            mask_case_features(e.X)
            out.append(e)
    return out


def fit(examples, seed=DEFAULT_SEED, threads=2, rounds=ROUNDS, weights=None, objective="binary"):
    """A LightGBM Booster fitted on ``examples`` (``weights``: one per example, for its sentences;
    ``objective``: one of :data:`OBJECTIVES`, lambdarank with one query an article)."""
    if objective not in OBJECTIVES:
        raise InputError(f"objective {objective!r}, expected one of {', '.join(OBJECTIVES)}")
    import numpy as np
    lgb = _lgb()
    X = np.vstack([e.X for e in examples])
    y = np.concatenate([e.y for e in examples])
    w = None if weights is None else np.concatenate([np.full(len(e.y), float(x)) for e, x in zip(examples, weights)])
    params = dict(LGB_PARAMS, objective=objective, seed=seed, num_threads=threads,
                  # tiny training sets (tests, fixtures) still get splits
                  min_data_in_leaf=min(LGB_PARAMS["min_data_in_leaf"], max(2, len(y) // 20)))
    group = [len(e.y) for e in examples] if objective == "lambdarank" else None
    return lgb.train(params, lgb.Dataset(X, y, weight=w, group=group, free_raw_data=True), rounds)


def fit_trees(examples, seed=DEFAULT_SEED, threads=2, weights=None, ensemble=ENSEMBLE_SEEDS, objective="binary"):
    """The mean of ``ensemble`` boosters (bagging seeds ``seed``, ``seed + 1``, ...) as one TreeEnsemble."""
    from newsgist.trees import TreeEnsemble
    return TreeEnsemble.bagged(lambda s: fit(examples, s, threads, weights=weights, objective=objective),
                               seeds_of(seed, ensemble))


def oof_raw(examples, folds=DEFAULT_FOLDS, seed=DEFAULT_SEED, threads=2, log=None, weights=None, train_mask=None,
            ensemble=ENSEMBLE_SEEDS, objective="binary"):
    """Out-of-fold raw scores (log-odds), one array per example (folds: index mod k).
    ``train_mask`` (bools) limits which examples train the fold models (all are scored)."""
    out = [None] * len(examples)
    for f in range(folds):
        tr = [i for i in range(len(examples)) if fold_of(i, folds) != f and (train_mask is None or train_mask[i])]
        train = [examples[i] for i in tr]
        test = [i for i in range(len(examples)) if fold_of(i, folds) == f]
        trees = fit_trees(train, seed, threads, None if weights is None else [weights[i] for i in tr], ensemble,
                          objective)
        for i in test:
            out[i] = trees.predict(examples[i].X)
        if log:
            log(f"  fold {f + 1}/{folds} done")
    return out


def dated_of(examples) -> list[bool]:
    """Does each example's article carry a CNN/wire dateline (the cnn_dateline feature)?"""
    from newsgist.highlighting.ranker_features import FEATURE_NAMES
    k = FEATURE_NAMES.index("cnn_dateline")
    return [bool(e.X.shape[0] and e.X[0, k] > 0) for e in examples]


def split_by_style(examples) -> bool:
    """Train trees per dateline style when each style has at least STYLE_MIN_ARTICLES."""
    dated = dated_of(examples)
    return min(sum(dated), len(dated) - sum(dated)) >= STYLE_MIN_ARTICLES


def oof_by_style(examples, folds=DEFAULT_FOLDS, seed=DEFAULT_SEED, threads=2, log=None, train_mask=None,
                 ensemble=ENSEMBLE_SEEDS, weights=None, objective="binary"):
    """Out-of-fold raw scores as the trained model gives them: per dateline style (each
    style's fold models trained on that style's articles) when :func:`split_by_style`,
    else one set of fold models for all. ``train_mask`` and ``weights`` as for :func:`oof_raw`."""
    mask = train_mask or [True] * len(examples)
    if not split_by_style([e for e, m in zip(examples, mask) if m]):
        return oof_raw(examples, folds, seed, threads, log, weights, train_mask, ensemble, objective)
    dated = dated_of(examples)
    out = [None] * len(examples)
    for style in (True, False):
        raw = oof_raw(examples, folds, seed, threads, log, weights,
                      [d == style and m for d, m in zip(dated, mask)], ensemble, objective)
        for i, d in enumerate(dated):
            if d == style:
                out[i] = raw[i]
    return out


def _selection(ex, scores, count):
    from newsgist.highlighting.select import select
    return [h.sentence for h in select(ex.article, list(scores), count)]


def mean_rouge(examples, scores, count=3) -> float:
    return sum(selection_rouge(e, _selection(e, s, count)) for e, s in zip(examples, scores)) / len(examples)


def tune(examples, raw, log=None) -> dict:
    """Length penalty, prior weight and 4th-highlight threshold from out-of-fold scores."""
    import numpy as np
    from newsgist.highlighting.ranker import BASE_COUNT, MAX_AUTO_COUNT, blend
    from newsgist.highlighting.ranker_features import FEATURE_NAMES
    words = [e.X[:, FEATURE_NAMES.index("n_words")] for e in examples]
    dated = [bool(e.X[0, FEATURE_NAMES.index("cnn_dateline")]) for e in examples]

    def scores(mu, w, mu_dated=None):
        return [blend(r, e.X, mu, mu if mu_dated is None else mu_dated, w) for r, e in zip(raw, examples)]

    def best_mu(group):
        idx = [i for i, d in enumerate(dated) if d == group]
        if not idx:
            return None, {}
        sub = [examples[i] for i in idx]
        by = {m: mean_rouge(sub, [raw[i] - m * words[i] for i in idx]) for m in LENGTH_PENALTIES}
        return max(LENGTH_PENALTIES, key=lambda m: (by[m], -m)), by

    mu, by_mu = best_mu(False)
    mu_dated, by_mu_dated = best_mu(True)
    mu = mu if mu is not None else mu_dated
    mu_dated = mu_dated if mu_dated is not None else mu
    by_w = {w: mean_rouge(examples, scores(mu, w, mu_dated)) for w in PRIOR_WEIGHTS}
    best = max(by_w.values())
    w = max(x for x in PRIOR_WEIGHTS if by_w[x] >= best - PRIOR_TOLERANCE)
    final = scores(mu, w, mu_dated)

    # how many highlights: compare 3 and 4 per article, pick the threshold on the 4th's score
    r3, r4, s4 = [], [], []
    for e, s in zip(examples, final):
        three = _selection(e, s, BASE_COUNT)
        four = _selection(e, s, MAX_AUTO_COUNT)
        extra = [i for i in four if i not in three]
        r3.append(selection_rouge(e, three))
        r4.append(selection_rouge(e, four))
        s4.append(s[extra[0]] if extra else -np.inf)
    r3, r4, s4 = np.array(r3), np.array(r4), np.array(s4)
    always3 = float(r3.mean())
    finite = s4[np.isfinite(s4)]
    threshold, best_count = float("inf"), always3
    if finite.size:
        for t in sorted({float(np.percentile(finite, q)) for q in COUNT_PERCENTILES}, reverse=True):
            value = float(np.where(s4 >= t, r4, r3).mean())
            if value >= always3 + COUNT_MIN_GAIN and value > best_count:
                threshold, best_count = t, value
    share4 = float((s4 >= threshold).mean()) if threshold != float("inf") else 0.0
    result = {"length_penalty": mu, "length_penalty_dateline": mu_dated, "prior_weight": w,
              "count4_threshold": threshold,
              "oof_r1_plus_r2": {"by_length_penalty": {str(k): round(v, 3) for k, v in by_mu.items()},
                                 "by_length_penalty_dateline": {str(k): round(v, 3) for k, v in by_mu_dated.items()},
                                 "by_prior_weight": {str(k): round(v, 3) for k, v in by_w.items()},
                                 "always3": round(always3, 3), "always4": round(float(r4.mean()), 3),
                                 "learned_count": round(best_count, 3), "share_of_4": round(share4, 3)}}
    if log:
        log(f"  tuned: length_penalty={mu} (dateline {mu_dated}) prior_weight={w} count4_threshold={threshold:.3g} "
            f"(OOF R-1+R-2 {best_count:.2f}, 4 highlights in {share4:.1%} of articles)")
    return result


def train(records, folds=DEFAULT_FOLDS, seed=DEFAULT_SEED, threads=2, log=None, ensemble=ENSEMBLE_SEEDS,
          lexicon_records=None, tree_records=None, tree_weight=1.0, tree_limit=None, tree_style="undated",
          objective="binary"):
    """Train a :class:`~newsgist.highlighting.ranker.RankerModel` on ``records``; returns (model, report).
    Each stage's trees average ``ensemble`` boosters (bagging seeds ``seed``, ``seed + 1``, ...).
    ``lexicon_records`` (issue 27): more ``{article, highlights}`` records, counted into the
    word-salience lexicon only (:mod:`newsgist.evaluation.train_corpus`; lower-cased text is fine).
    ``tree_records`` (issue 27, session 2): lower-cased editor-labelled records that train the
    sentence trees too (the first ``tree_limit`` usable ones), each article's rows weighted
    ``tree_weight``, case features masked (:func:`tree_examples`); out of fold they join every fold's training part
    (they are other articles), but they tune nothing: the blend, count and set reranker are
    tuned on ``records``' out-of-fold scores. ``tree_style`` (session 3): which of them by dateline,
    ``train_corpus.TREE_STYLES`` (the dated ones train the dated trees)."""
    from newsgist.highlighting.ranker import RankerModel
    from newsgist.highlighting.ranker_features import FEATURE_NAMES
    t0 = time.perf_counter()
    examples, skipped = prepare(records, log)
    if len(examples) < MIN_ARTICLES:
        raise InputError(f"need at least {MIN_ARTICLES} usable articles to train, got {len(examples)}")
    folds = max(2, min(folds, len(examples)))
    if log:
        log(f"  {len(examples)} articles ({skipped} skipped), "
            f"{sum(len(e.y) for e in examples)} sentences; {folds}-fold out-of-fold tuning")
    extra = None
    if lexicon_records is not None:
        from newsgist.evaluation.train_corpus import stem_sets
        extra = stem_sets(lexicon_records, log)
        if log:
            log(f"  lexicon data: {len(extra[0])} articles ({sum(extra[0])} with a dateline)")
    lexicons = add_lexicon(examples, extra=extra)
    more, per_style = [], split_by_style(examples)
    if tree_records is not None:
        from newsgist.evaluation.train_corpus import fill_from_lexicon
        more = tree_examples(tree_records, log, tree_limit, tree_style)
        fill_from_lexicon(more, lexicons if per_style else {None: lexicons.get(None)}, dated_of(more))
        if log:
            log(f"  tree data ({tree_style}): {len(more)} articles ({sum(dated_of(more))} with a dateline), "
                f"weight {tree_weight}")
    both, weights = examples + more, [1.0] * len(examples) + [float(tree_weight)] * len(more)
    n = len(examples)
    raw = oof_by_style(both, folds, seed, threads, log, ensemble=ensemble, weights=weights if more else None,
                       objective=objective)[:n]
    tuned = tune(examples, raw, log)
    rerank, rerank_report = _second_stage(examples, raw, tuned, folds, seed, threads, log, ensemble)
    trees_dateline = None
    w = weights if more else None
    if per_style:
        dated = dated_of(both)
        by_style = {}
        for style in (False, True):
            idx = [i for i, d in enumerate(dated) if d == style]
            by_style[style] = fit_trees([both[i] for i in idx], seed, threads,
                                        None if w is None else [w[i] for i in idx], ensemble, objective)
        trees, trees_dateline = by_style[False], by_style[True]
    else:
        trees = fit_trees(both, seed, threads, w, ensemble, objective)
    info = {"articles": len(examples), "skipped": skipped, "folds": folds, "seed": seed, "ensemble": ensemble,
            "per_style_trees": trees_dateline is not None,
            "lightgbm_params": dict(LGB_PARAMS, objective=objective), "rounds": ROUNDS, "oracle_max": ORACLE_MAX,
            "oof": tuned["oof_r1_plus_r2"], "set_reranker": rerank_report,
            "train_seconds": round(time.perf_counter() - t0, 1)}
    info["lexicon_stems"] = {str(k): len(v) for k, v in lexicons.items()}
    if more:
        info["tree_extra_articles"] = {"dateline": sum(dated_of(more)), "other": len(more) - sum(dated_of(more)),
                                       "weight": float(tree_weight), "style": tree_style}
    if extra is not None:
        info["lexicon_extra_articles"] = {"dateline": sum(extra[0]), "other": len(extra[0]) - sum(extra[0])}
    model = RankerModel(trees, FEATURE_NAMES, tuned["length_penalty"], tuned["prior_weight"],
                        tuned["count4_threshold"], info, tuned["length_penalty_dateline"], trees_dateline, rerank,
                        lexicons.get(False, lexicons.get(None)), lexicons.get(True))
    return model, info


def add_lexicon(examples, train_mask=None, per_style=True, extra=None) -> dict:
    """Fill the examples' lexicon columns (leave-one-out, :mod:`newsgist.evaluation.train_lexicon`),
    counted from the ``train_mask`` examples (all by default), one lexicon per dateline
    style when the trees are per style (:func:`split_by_style`; ``per_style=False``: one);
    returns the lexicons (keys True/False for dated/undated, or None for one lexicon).
    ``extra``: more articles' stem sets for the counts (issue 27, :func:`train_corpus.stem_sets`)."""
    from newsgist.evaluation.train_lexicon import fill_lexicon_features
    mask = train_mask or [True] * len(examples)
    per_style = per_style and split_by_style([e for e, m in zip(examples, mask) if m])
    return fill_lexicon_features(examples, dated_of(examples) if per_style else None, train_mask, extra)


def _second_stage(examples, raw, tuned, folds, seed, threads, log, ensemble=ENSEMBLE_SEEDS):
    """The set reranker (issue 16), trained on the tuned out-of-fold scores; (None, report)
    when it does not beat greedy selection out of fold."""
    from newsgist.evaluation.train_rerank import train_rerank
    from newsgist.highlighting.ranker import blend, choose_count
    scores = [[float(x) for x in blend(r, e.X, tuned["length_penalty"], tuned["length_penalty_dateline"],
                                       tuned["prior_weight"])] for e, r in zip(examples, raw)]
    base = [_selection(e, s, choose_count(e.article, s, tuned["count4_threshold"])) for e, s in zip(examples, scores)]
    return train_rerank(examples, raw, scores, base, folds, seed, threads, log, ensemble)
