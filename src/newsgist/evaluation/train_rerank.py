"""Training of the ranker's second stage, the set reranker (issue 16;
:mod:`newsgist.highlighting.rerank`), called by :func:`newsgist.evaluation.train_ranker.train`.

It learns from the first stage's *out-of-fold* sentence scores, so that it sees scores
as good (and as wrong) as the model's on an unseen article. Every candidate set of an
article is labelled with its ROUGE-1 + ROUGE-2 F1 against the references, z-scored
within the article (what matters is which set is best for this article, not how easy the
article is); LightGBM regression learns the labels. The same folds then give an
out-of-fold estimate: the stage is kept only when the sets it chooses beat the first
stage's own selection (greedy, learned count) by at least ``RERANK_MIN_GAIN``.
"""
from __future__ import annotations

from newsgist.evaluation.train_common import ENSEMBLE_SEEDS, LGB_COMMON, seeds_of

# Settings chosen out of fold on validation-1000 + sumllm-train-1000 (BENCHMARKS.md;
# gains in R-1 over greedy selection, 6 candidates): regression on the per-article z-score
# (+0.55 val, +0.19 sumllm) beat lambdarank (+0.63 val but +0.00 R-1 and -0.30 R-2 on
# sumllm) and regression on the centred ROUGE (+0.14 val: sumllm's larger spread drowned
# CNN); lambdarank per dateline style lost 0.13 (val) and 0.22 (sumllm) R-1 against one
# model for both styles. Then, 5 candidates (R-1 gain over greedy, val / sumllm): 8 leaves
# +0.37 / +0.49 (another bagging seed +0.49 / +0.44), 4 leaves +0.19 / +0.33, 16 leaves
# +0.28 / +0.32, 32 leaves +0.48 / +0.17; with 16 leaves 150 rounds +0.32 / +0.37, 600 rounds
# +0.34 / +0.20, no bagging +0.34 / +0.27; 8 leaves 150 rounds +0.29 / +0.28.
RERANK_PARAMS = dict(LGB_COMMON, objective="regression", num_leaves=8, min_data_in_leaf=100)
RERANK_ROUNDS = 300
# The +1 in the z-score's denominator keeps articles whose sets all score alike (a short
# article, three near-equal sets) from turning noise into large labels.
Z_SMOOTHING = 1.0
# Mean R-1 + R-2 (points) the reranker must gain out of fold over greedy selection to be
# kept: train_ranker's COUNT_MIN_GAIN for the 4th highlight (its PRIOR_TOLERANCE, 0.25, is
# about one standard error of a 1,000-article mean difference).
RERANK_MIN_GAIN = 0.1


def set_data(examples, raw, scores):
    """Per example: (sets, features, z-scored labels, R-1+R-2 of each set), or None."""
    import numpy as np
    from newsgist.evaluation.train_common import selection_rouge
    from newsgist.highlighting.rerank import set_features
    out = []
    for ex, r, s in zip(examples, raw, scores):
        sets, F = set_features(ex.article, ex.X, r, list(s), lexicon=getattr(ex, "lexicon", None))
        if not sets:
            out.append(None)
            continue
        value = np.array([selection_rouge(ex, c) for c in sets])
        out.append((sets, F, (value - value.mean()) / (value.std() + Z_SMOOTHING), value))
    return out


def fit_sets(items, seed, threads, ensemble=ENSEMBLE_SEEDS):
    """A TreeEnsemble fitted on the (sets, features, labels, ...) ``items``: the mean of
    ``ensemble`` boosters with bagging seeds ``seed``, ``seed + 1``, ..."""
    import numpy as np
    from newsgist.evaluation.train_common import _lgb
    from newsgist.trees import TreeEnsemble
    lgb = _lgb()
    X = np.vstack([it[1] for it in items])
    y = np.concatenate([it[2] for it in items])
    params = dict(RERANK_PARAMS, num_threads=threads,   # each booster adds its own seed
                  min_data_in_leaf=min(RERANK_PARAMS["min_data_in_leaf"], max(2, len(y) // 20)))
    return TreeEnsemble.bagged(lambda s: lgb.train(dict(params, seed=s), lgb.Dataset(X, y), RERANK_ROUNDS),
                               seeds_of(seed, ensemble))


def oof_sets(data, folds, seed=0, threads=2, train_mask=None, ensemble=ENSEMBLE_SEEDS) -> dict:
    """{example index: the set chosen by fold models that never saw it} for the
    :func:`set_data` items (folds: index mod k; ``train_mask`` limits the training examples)."""
    import numpy as np
    from newsgist.evaluation.train_common import fold_of
    usable = [i for i, d in enumerate(data) if d is not None]
    picked = {}
    for f in range(folds):
        train = [data[i] for i in usable if fold_of(i, folds) != f and (train_mask is None or train_mask[i])]
        test = [i for i in usable if fold_of(i, folds) == f]
        if not train or not test:
            continue
        trees = fit_sets(train, seed, threads, ensemble)
        for i in test:
            picked[i] = data[i][0][int(np.argmax(trees.predict(data[i][1])))]
    return picked


def train_rerank(examples, raw, scores, base_choice, folds, seed=0, threads=2, log=None, ensemble=ENSEMBLE_SEEDS):
    """(SetReranker or None, report). ``raw``/``scores``: the first stage's out-of-fold
    raw and final sentence scores; ``base_choice``: the first stage's selection per
    example (what the reranker must beat)."""
    import numpy as np
    from newsgist.evaluation.train_common import selection_rouge
    from newsgist.highlighting.rerank import SetReranker
    data = set_data(examples, raw, scores)
    usable = [i for i, d in enumerate(data) if d is not None]
    if len(usable) < 2 * folds:
        return None, {"kept": False, "why": "too few articles with a full candidate set"}
    picked = oof_sets(data, folds, seed, threads, ensemble=ensemble)
    base = [selection_rouge(ex, c) for ex, c in zip(examples, base_choice)]
    mine = [selection_rouge(ex, picked[i]) if i in picked else base[i] for i, ex in enumerate(examples)]
    gain = float(np.mean(mine) - np.mean(base))
    report = {"oof_r1_plus_r2_greedy": round(float(np.mean(base)), 3),
              "oof_r1_plus_r2_sets": round(float(np.mean(mine)), 3), "gain": round(gain, 3),
              "share_of_4": round(float(np.mean([len(picked[i]) == 4 for i in picked])), 3) if picked else 0.0,
              "kept": gain >= RERANK_MIN_GAIN}
    if log:
        log(f"  set reranker: OOF R-1+R-2 {report['oof_r1_plus_r2_greedy']:.2f} greedy -> "
            f"{report['oof_r1_plus_r2_sets']:.2f} sets ({gain:+.2f}; {'kept' if report['kept'] else 'dropped'})")
    if not report["kept"]:
        return None, report
    info = {"rounds": RERANK_ROUNDS, "params": dict(RERANK_PARAMS), "ensemble": ensemble, "oof": report}
    return SetReranker(fit_sets([data[i] for i in usable], seed, threads, ensemble), info), report
