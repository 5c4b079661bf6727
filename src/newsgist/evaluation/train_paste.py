"""Training of the pasted-page line model (issue 31; library code, the command is
``python benchmarks/train_paste.py``).

Examples are web pages pasted as text (Chromium's ``document.body.innerText``,
rendered by ``benchmarks/paste_render.py``) with the article text a person extracted
by hand (Dragnet). Each non-blank line is labelled *article* when most of its word
trigrams occur in the gold text without its comments (:func:`label_lines`, :func:`gold_article`), described by
:mod:`newsgist.reading.pagelines`, and two LightGBM stages learn it: the first from the
line's own and its neighbours' features, the second adds the first stage's
out-of-fold log-odds of the lines around it (runs of menu lines, runs of prose). The
threshold on the second stage's probability is tuned out of fold for the mean page
body-token F1. Pages are split by a hash of their id (:func:`split_of`): the held-out
part never trains or tunes anything. LightGBM is needed only here
(``pip install lightgbm==4.7.0``); the model file is read with numpy.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from newsgist.evaluation.train_common import _lgb, seeds_of

TOKEN = re.compile(r"\w+")
# A line is article text when at least this share of its word trigrams is in the gold
# text; lines of one or two words when they occur in the gold text and a line next to
# them is article text. Set by reading labelled pages: menus share single words with the
# article, its sentences share whole trigrams.
LABEL_TRIGRAM_SHARE = 0.5
GOLD_COMMENTS_MARK = "!@#$%^&*()"
# Held-out share of the pages (by a hash of the page id, so the split never changes).
HOLDOUT_PERCENT = 20
# Whether training labels the 4 training pages whose gold is UTF-16 read as Latin-1 by the
# decoded text (gold_article). Session 3b, out of fold on the training part (4 folds, the
# decoded gold scoring both): labels from the decoded gold 0.9147 / from the text as read
# 0.9149 (paired difference -0.0002, SE 0.0024), so the shipped model keeps its labels and
# this command keeps giving its file byte for byte.
TRAIN_DECODES_UTF16 = False
READABILITY_SALT = "readability-half:"
# Whether the model trains on half A of the Readability test pages too (appended after the
# Dragnet training pages, in the same folds). Session 4, one booster, out of fold: Dragnet
# training pages 0.9151 -> 0.9114 (-0.0036, SE 0.0030), half A 0.8551 (not trained on) ->
# 0.8503 out of fold (-0.0048, SE 0.026): no better on A and worse on Dragnet, so off.
READABILITY_TRAINS = False
# Site-balanced training (issue 31, session 9, candidate A; a benchmark option, off in the shipped
# model): a page of a site with n pages among the training pages weighs 1 / n ** SITE_ALPHA, every
# line of it that weight, and the weights of one fit's lines are scaled to mean 1
# (:func:`site_page_weights`, :func:`fit_line_weights`). 0.5 (a square-root damping) was registered
# in BENCHMARKS.md ("Issue 31, session 9") before any result: the 1,100 training pages' effective
# number of pages is 899 with it, 607 with 1 (equal sites).
SITE_ALPHA = 0.5
# Modern pasted pages written by us as training pages (issue 31, session 11, candidate M; a
# training option, off in the shipped model): each page of ``train_paste.py --modern DIR_OR_FILE`` weighs
# this many Dragnet pages in both tree stages (their out-of-fold fits included) and the GRUs.
# Registered in BENCHMARKS.md ("Merge of wave three, session 11", Registration) before any run,
# not tuned: counted in pages, ~74 x 5 is about a third of the 1,100 Dragnet training pages. The one
# registered adjustment (pilots at 5 and 2) picks between 5 and 2 with --modern-weight.
# W weighs every LINE of a written page (fit_line_weights), and a written page has ~60 lines
# against a Dragnet page's ~190: at W = 5 the 84 written pages of session 11's run were ~10 % of
# the trees' line loss (5,013 lines x 5 against the 1,100 Dragnet pages' 208,775: 10.7 %), not the
# share their page count suggests. The threshold is tuned unweighted: the mean out-of-fold page
# F1 over all training pages, a written page counting 1 (train_paste.py also prints the Dragnet
# pages' own out-of-fold F1, the figure comparable with a run without them).
MODERN_WEIGHT = 5.0
MODERN_PREFIX = "modern/"
DEFAULT_FOLDS = 4
DEFAULT_SEED = 0
# Boosters a stage, differing only in their bagging seed (seeds_of(DEFAULT_SEED, ENSEMBLE)),
# their raw scores averaged (TreeEnsemble.average), out of fold and in the final model.
# Session 4 (out of fold on the 1,100 training pages, benchmarks/cv_paste.py, paired over
# pages against one booster, seed 0, 0.9151): seeds {0,1,2} 0.9195 (+0.0045, SE 0.0022),
# seeds {3,4,5} 0.9191 (+0.0040, SE 0.0024); one booster with seed 1 0.9152. The bagging
# noise of one booster is averaged away; the file is three times as large (2.1 MB).
ENSEMBLE = 3
# LightGBM. Out of fold on the training part: 15 leaves x 120 rounds with the first
# (narrower) feature set gave mean F1 0.872; 31 leaves x 200 rounds with the wider set
# (±3 neighbours, prose distances) 0.904 (both changed at once, no time to separate them).
# One booster a stage was 705 kB (three since session 4, ENSEMBLE: 2.1 MB); walking it
# costs a few ms a page. Session 3 (out of fold on the
# training part, harness with the same folds): min_data_in_leaf 40 -> 100 and
# feature_fraction 0.8 -> 0.5 gave 0.9017 -> 0.9041 on session 1's features and 0.9073 ->
# 0.9093 with the comment-thread features; 300 / 0.5 gave 0.9020; learning rate 0.05 x 400
# rounds 0.9040 (a file over 1 MB), so not taken.
LGB_PARAMS = {"objective": "binary", "learning_rate": 0.1, "num_leaves": 31, "min_data_in_leaf": 100,
              "feature_fraction": 0.5, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
              "verbose": -1, "deterministic": True, "force_col_wise": True}
ROUNDS = 200
# Session 10c, candidate G (issue 31; BENCHMARKS.md "Issue 31, session 10c"; off by default): the
# tree stages regularised for outlets they never saw, each set the shipped LGB_PARAMS with the
# changes registered there before any result. G1: extra-randomised splits (each feature's split
# threshold drawn at random, the best of those kept), so a leaf cannot sit on the exact value one
# site's lines share. G2: coarser, shrunk leaves: a leaf holds >= 1,000 lines (about the 90th
# percentile of a site's lines in the 1,100 training pages, 1,063; the median site has 245; a
# site-fold training part has 154-159 thousand lines) and lambda_l2 10 shrinks the leaves of
# confident regions, whose hessian sums are small. "shipped" is LGB_PARAMS itself.
PARAM_SETS = {
    "shipped": LGB_PARAMS,
    "G1": dict(LGB_PARAMS, extra_trees=True),
    "G2": dict(LGB_PARAMS, min_data_in_leaf=1000, lambda_l2=10.0),
}


def params_of(name: str | None) -> dict:
    """The LightGBM parameters of the named set (:data:`PARAM_SETS`; None: the shipped ones)."""
    if name is None:
        return LGB_PARAMS
    if name not in PARAM_SETS:
        raise ValueError(f"unknown tree parameter set {name!r} (known: {', '.join(PARAM_SETS)})")
    return PARAM_SETS[name]
THRESHOLDS = tuple(round(0.2 + 0.05 * k, 2) for k in range(13))   # 0.20 .. 0.80
# ... or this share of the page's best line probability, whichever is lower (0: off)
RELATIVE = (0.0, 0.3, 0.5, 0.7)


def gold_article(gold: str, decode_utf16: bool = True) -> str:
    """The article part of a Dragnet gold text: Dragnet's hand extraction appends the page's
    comments after a ``!@#$%^&*()  COMMENTS`` line (409 of the 1,381 pages); comments are
    page furniture here (issue 31), so the article ends at that mark. A gold text that is
    UTF-16 read as Latin-1 (5 of the 1,381: a ``ÿþ`` byte-order mark, a NUL after each
    letter) is decoded first; read as it was, it labelled all 370-907 lines of each of its
    pages furniture and matched no page's text. Training reads it as it is
    (``TRAIN_DECODES_UTF16``); the benchmarks decode it."""
    return (_utf16_fixed(gold) if decode_utf16 else gold).split(GOLD_COMMENTS_MARK, 1)[0]


def _utf16_fixed(text: str) -> str:
    if not text.startswith(("\xff\xfe", "\xfe\xff")):
        return text
    try:
        return text.encode("latin-1").decode("utf-16")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def tokens(text: str) -> list[str]:
    return TOKEN.findall((text or "").lower())


def split_of(page_id: str) -> str:
    """"test" for the held-out pages (HOLDOUT_PERCENT of them, by id hash), else "train"."""
    h = int(hashlib.sha1(page_id.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h % 100 < HOLDOUT_PERCENT else "train"


def readability_half(page_id: str) -> str:
    """"A" or "B" for a page of the Readability test pages (by a hash of its id: 67 / 63 of
    the 130). Half A may train the model (``READABILITY_TRAINS``); half B never does."""
    h = int(hashlib.sha1((READABILITY_SALT + page_id).encode("utf-8")).hexdigest()[:8], 16)
    return "A" if h % 2 == 0 else "B"


def label_lines(pasted: str, lines, gold: str) -> list[int]:
    """1 for each line of ``lines`` (spans into ``pasted``) that is article text by ``gold``."""
    g = tokens(gold)
    tri = set(zip(g, g[1:], g[2:]))
    joined = " " + " ".join(g) + " "
    toks = [tokens(pasted[s:e]) for s, e, _ in lines]
    y = [0] * len(lines)
    short = []
    for i, t in enumerate(toks):
        if len(t) >= 3:
            grams = list(zip(t, t[1:], t[2:]))
            y[i] = int(sum(x in tri for x in grams) >= LABEL_TRIGRAM_SHARE * len(grams))
        elif t:
            short.append(i)
    for i in short:
        near = any(y[j] for j in range(max(0, i - 2), min(len(y), i + 3)) if j != i and len(toks[j]) >= 3)
        y[i] = int(near and (" " + " ".join(toks[i]) + " ") in joined)
    return y


@dataclass
class Page:
    id: str
    pasted: str
    gold: str
    lines: list
    X: object
    y: object


def line_texts(page) -> list[str]:
    """The texts of a prepared page's model lines (``page.pasted`` cut at ``page.lines``' spans)."""
    return [page.pasted[s:e] for s, e, _ in page.lines]


def prepare(pages) -> list[Page]:
    """Pages (dicts with ``id``, ``pasted``, gold ``text``) with features and labels."""
    import numpy as np
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    out = []
    for p in pages:
        X, lines = features(p["pasted"], worded_lines(p["pasted"], page_lines(p["pasted"]))[0])
        if not lines:
            continue
        gold = gold_article(p["text"], decode_utf16=TRAIN_DECODES_UTF16)
        out.append(Page(p["id"], p["pasted"], gold, lines, X,
                        np.asarray(label_lines(p["pasted"], lines, gold), dtype=np.float64)))
    return out


def modern_page(page: dict) -> dict:
    """A written modern page (``tests/fixtures/paste/modern`` format: ``id``, ``paste``, ``gold``,
    ``lines``) as a training page for :func:`prepare`: ``pasted`` its paste, ``text`` its gold,
    labelled then by :func:`label_lines` as the Dragnet pages are (not by its ``lines`` kinds);
    the id gets :data:`MODERN_PREFIX`."""
    return {"id": MODERN_PREFIX + page["id"], "pasted": page["paste"], "text": page["gold"]}


def label_agreement(prepared: Page, page: dict) -> tuple[int, int, list[str]]:
    """How the training labels of a prepared modern page agree with its written ``lines`` kinds:
    ``(agreeing lines, model lines, kinds of the disagreeing lines)``; the model's lines are the
    paste's worded lines, each one of the written (non-blank) lines."""
    from newsgist.reading.pagelines import page_lines, worded_lines
    base = page_lines(page["paste"])
    if len(base) != len(page["lines"]):
        raise ValueError(f"{page['id']}: {len(base)} lines in the paste, {len(page['lines'])} written")
    _, idx = worded_lines(page["paste"], base)
    kinds = [page["lines"][i][0] for i in idx]
    wrong = [k for k, y in zip(kinds, prepared.y) if bool(y) != k.startswith("article:")]
    return len(kinds) - len(wrong), len(kinds), wrong


def page_prf(page: Page, keep) -> tuple[float, float, float]:
    """Body-token P/R/F1 (benchmarks/bench_html.py's metric) of the kept lines."""
    hyp = Counter(t for (s, e, _), k in zip(page.lines, keep) if k for t in tokens(page.pasted[s:e]))
    ref = Counter(tokens(page.gold))
    overlap = sum((hyp & ref).values())
    p = overlap / sum(hyp.values()) if hyp else 0.0
    r = overlap / sum(ref.values()) if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def site_page_weights(ids, sites: dict, alpha: float = SITE_ALPHA) -> list[float]:
    """Each page id's weight 1 / n ** ``alpha``, n = the pages of ``ids`` on its site (``sites``:
    page id -> site, ``benchmarks/paste_sites.py``'s file; a page without one is a site of its own)."""
    if alpha < 0:
        raise ValueError(f"site alpha must be >= 0 (got {alpha})")
    site = [sites.get(k) or k for k in ids]
    n = Counter(site)
    return [1.0 / n[s] ** alpha for s in site]


def fit_line_weights(lengths, page_weights):
    """One weight a line for pages of ``lengths`` lines, each line its page's weight of
    ``page_weights``, scaled so the lines' mean weight is 1 (the fit's scale stays that of
    unweighted lines)."""
    import numpy as np
    w = np.concatenate([np.full(int(n), float(pw)) for n, pw in zip(lengths, page_weights)]) \
        if len(lengths) else np.zeros(0)
    if not len(w) or w.sum() <= 0:
        raise ValueError("no line weight to scale")
    return w / w.mean()


def fit(X, y, seed=DEFAULT_SEED, threads=1, weight=None, params: dict | None = None):
    """One booster; ``params`` a set of :data:`PARAM_SETS` (None: the shipped ``LGB_PARAMS``)."""
    lgb = _lgb()
    base = LGB_PARAMS if params is None else params
    params = dict(base, seed=seed, num_threads=threads,
                  min_data_in_leaf=min(base["min_data_in_leaf"], max(2, len(y) // 20)))
    return lgb.train(params, lgb.Dataset(X, y, weight=weight, free_raw_data=True), ROUNDS)


def fit_trees(X, y, seed=DEFAULT_SEED, threads=1, ensemble=ENSEMBLE, weight=None, params: dict | None = None):
    """The mean of ``ensemble`` boosters (bagging seeds ``seed``, ``seed + 1``, ...) as one TreeEnsemble."""
    from newsgist.trees import TreeEnsemble
    return TreeEnsemble.bagged(lambda s: fit(X, y, s, threads, weight, params), seeds_of(seed, ensemble))


def trees_of(booster) -> dict:
    from newsgist.trees import TreeEnsemble
    return TreeEnsemble.from_lightgbm(booster.dump_model()).to_dict()


def _stack(pages, raws, lexical: bool | str = False):
    import numpy as np
    from newsgist.reading.pagelexical import stage2_rows
    from newsgist.reading.pagemodel import stage2_features
    return np.vstack([stage2_rows(stage2_features(p.X, r), line_texts(p) if lexical else None, r, lexical)
                      for p, r in zip(pages, raws)])


def train(pages: list[Page], folds=DEFAULT_FOLDS, seed=DEFAULT_SEED, threads=1, log=None,
          ensemble=ENSEMBLE, oof: dict | None = None, page_weights=None, param_set: str | None = None,
          lexical: bool | str = False, weights_name: str = "site") -> dict:
    """The model dict (two tree stages and the threshold) trained on ``pages``; ``oof``, when
    given, receives each page's out-of-fold stage-1 and stage-2 log-odds (``"raw1"``, ``"raw2"``:
    the recurrent stage's training inputs, ``train_pageseq``) and its out-of-fold F1 at the chosen
    threshold (``"f1"``). ``page_weights`` (session 9's
    candidate A, e.g. :func:`site_page_weights`; None: off): one weight a page, every fit's line
    weights :func:`fit_line_weights` of its pages (``weights_name``, what the file's info calls
    them: ``"site"``, or session 11's ``"modern"``). ``param_set`` (session 10c's candidate G; None:
    the shipped parameters): a name of :data:`PARAM_SETS`, every booster of both stages.
    ``lexical`` (session 10's candidate C; False: off): stage 2 also reads
    :data:`newsgist.reading.pagelexical.LEXICAL_NAMES` after its shipped columns (``"rel"``:
    session 10f's candidate C2, ``LEXICAL_REL_NAMES``)."""
    import numpy as np
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pagelexical import names_of
    from newsgist.reading.pagemodel import STAGE2_NAMES, keep_mask
    log = log or (lambda m: None)
    params = params_of(param_set)
    fold = [i % folds for i in range(len(pages))]

    def weight(idx):
        return None if page_weights is None else \
            fit_line_weights([len(pages[i].y) for i in idx], [page_weights[i] for i in idx])
    # stage 1 out of fold (its log-odds feed stage 2 as they will at run time: from a model
    # that never saw the page)
    raw1 = [None] * len(pages)
    for f in range(folds):
        idx = [i for i in range(len(pages)) if fold[i] != f]
        tr = [pages[i] for i in idx]
        t = fit_trees(np.vstack([p.X for p in tr]), np.concatenate([p.y for p in tr]), seed, threads, ensemble,
                      weight(idx), params)
        for i, p in enumerate(pages):
            if fold[i] == f:
                raw1[i] = t.predict(p.X)
        log(f"  stage 1 fold {f + 1}/{folds}")
    X2 = [_stack([p], [r], lexical) for p, r in zip(pages, raw1)]
    # stage 2 out of fold, for the threshold
    prob2 = [None] * len(pages)
    for f in range(folds):
        tr = [i for i in range(len(pages)) if fold[i] != f]
        t = fit_trees(np.vstack([X2[i] for i in tr]), np.concatenate([pages[i].y for i in tr]),
                      seed, threads, ensemble, weight(tr), params)
        for i in range(len(pages)):
            if fold[i] == f:
                raw2 = t.predict(X2[i])
                prob2[i] = 1 / (1 + np.exp(-raw2))
                if oof is not None:
                    oof.setdefault("raw2", [None] * len(pages))[i] = raw2
        log(f"  stage 2 fold {f + 1}/{folds}")
    if oof is not None:
        oof["raw1"] = raw1
    scores = {(th, rel): float(np.mean([page_prf(p, keep_mask(pr, th, rel))[2] for p, pr in zip(pages, prob2)]))
              for th in THRESHOLDS for rel in RELATIVE}
    threshold, relative = max(scores, key=lambda k: (round(scores[k], 4), -abs(k[0] - 0.5), -k[1]))
    if oof is not None:     # each page's out-of-fold F1 at the chosen threshold (session 11's review)
        oof["f1"] = [page_prf(p, keep_mask(pr, threshold, relative))[2] for p, pr in zip(pages, prob2)]
    for rel in RELATIVE:
        log(f"  out-of-fold mean F1, relative {rel}: " + ", ".join(f"{th}: {scores[th, rel]:.4f}" for th in THRESHOLDS))
    every = range(len(pages))
    stage1 = fit_trees(np.vstack([p.X for p in pages]), np.concatenate([p.y for p in pages]), seed, threads, ensemble,
                       weight(every), params)
    stage2 = fit_trees(np.vstack(X2), np.concatenate([p.y for p in pages]), seed, threads, ensemble, weight(every),
                       params)
    return {"kind": "newsgist-page-lines", "version": 1, "features": list(FEATURE_NAMES),
            "stage2_features": list(STAGE2_NAMES) + list(names_of(lexical)),
            "threshold": threshold, "relative": relative,
            "stage1": _round(stage1.to_dict()), "stage2": _round(stage2.to_dict()),
            "info": {"pages": len(pages), "lines": int(sum(len(p.y) for p in pages)), "folds": folds,
                     "seed": seed, "rounds": ROUNDS, "lightgbm_params": dict(params),
                     "oof_mean_f1": round(scores[threshold, relative], 4),
                     # only when averaged: a one-booster model's file stays as it was
                     **({"ensemble": ensemble} if ensemble > 1 else {}),
                     # only when on (session 9, candidate A): the shipped file stays as it was
                     **({"page_weights": weights_name} if page_weights is not None else {}),
                     # only when named (session 10c, candidate G): the shipped file stays as it was
                     **({"param_set": param_set} if param_set not in (None, "shipped") else {})}}


def _round(trees: dict) -> dict:
    """Leaf values to 6 decimals (the file stays small; scores move by < 1e-4)."""
    out = dict(trees)
    out["value"] = [round(v, 6) for v in trees["value"]]
    return out
