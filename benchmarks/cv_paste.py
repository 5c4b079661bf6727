"""Out-of-fold comparison of pasted-page model configurations (issue 31, session 4).

The harness behind BENCHMARKS.md "Issue 31, session 4": the same two stages, folds and
LightGBM parameters as ``benchmarks/train_paste.py`` (:mod:`newsgist.evaluation.train_paste`),
lines only (no sure rules), each page scored by its kept lines' body-token F1 against its
gold (Dragnet's gold decoded, as the benchmark reads it). A configuration is

- ``seeds``: the bagging seeds whose boosters are averaged in each stage (``0`` is the
  shipped model; ``0,1,2`` an ensemble of three);
- ``train``: ``dragnet`` (the 1,100 training pages) or ``dragnet+A`` (plus half A of the
  Readability test pages, :func:`readability_half`);
- ``--page-context`` / ``--meta``: session 6b's candidates S and M (``paste_candidates.py``;
  neither shipped): stage 2 also reads the page-context columns, stage 1 (and so stage 2) the
  page-metadata line flags;
- ``--comment-shape``: session 6e's candidate C (``paste_candidates.comment_columns``): stage 1
  (and so stage 2) also reads the comment-shape columns of a line and its neighbours;
- ``--lexicon`` (with ``--comment-shape``): session 7's candidate L, the learned furniture
  lexicon's columns (``paste_candidates.LEXICON_NAMES``) after those, in both stages; each
  fold's lexicon is learned from the other folds' pages only
  (``paste_candidates.fold_lexicon_columns``; cached in ``cv-s7-lexicon``); ``--lexicon-sites
  FILE`` (``paste_sites.py sites --out``): candidate L2, the lexicon counted by sites,
  leave-one-site-out;
- ``--site-folds FILE``: information only (session 7): folds grouped by site (:func:`site_fold_map`)
  instead of train_paste's page i -> i % 4.
- ``--comment-thread`` (with ``--comment-shape``): session 8d's candidate CT
  (``paste_thread.ct_matrix``): the shipped columns with the comment head and lead columns
  recomputed with CT's wider shapes, then CT's three thread columns, in both stages (features
  and stage-1 caches in ``cv-s8d-thread``: the baseline's ``cv-s6e-comment`` is only read);
- ``--furniture-prose``: session 7b's candidate T (``paste_candidates.prose_columns``): the
  shipped columns (C's included) and T's five bio / site-voice / caps-in-core columns after them,
  in both stages (cached in ``cv-s7b-prose``).
- ``--site-weights FILE`` (with ``--comment-shape``): session 9's candidate A, site-balanced
  training: every line of a page of a site with n training pages weighs 1 / n ** ``--site-alpha``
  (``train_paste.site_page_weights``), each fit's line weights scaled to mean 1
  (``train_paste.fit_line_weights``), in both stages (stage-1 caches in ``cv-s9a-sitew``, tagged
  ``-sw<alpha>``; the baseline's ``cv-s6e-comment`` is only read).
- ``--params NAME`` (with ``--comment-shape``): session 10c's candidate G, the tree stages with
  the LightGBM parameter set ``train_paste.PARAM_SETS[NAME]`` (``G1``: extra-randomised splits;
  ``G2``: leaves of >= 1,000 lines, lambda_l2 10), every booster of both stages (stage-1 caches
  in ``cv-s10g-params``, tagged ``-p<NAME>``; the baseline's ``cv-s6e-comment`` is only read).
- ``--lexical`` (with ``--comment-shape``): session 10's candidate C, stage 2 also reads the
  lexical continuation columns (``newsgist.reading.pagelexical.LEXICAL_NAMES``: how far a line's
  content words are used by the rest of the page weighted by stage-1 probability, the whole page,
  above and below it), computed from each page's mean stage-1 log-odds; stage 1 and its caches
  are the baseline's (read only).

It prints the out-of-fold mean page F1 on the Dragnet training pages (and on half A when
it trains), the Readability pages it did not train on (scored by the model trained on all
its training pages), and writes the per-page F1s (``--out``) so that two configurations
can be compared page by page (``--paired A.json B.json``: mean difference and its SE).
Stage-1 boosters are cached by (training set, seed) in ``/tmp/newsgist-paste/cv-s4``.

Usage::

    nice -n 10 python benchmarks/cv_paste.py --seeds 0 --out /tmp/newsgist-paste/cv-s4/d-0.json
    nice -n 10 python benchmarks/cv_paste.py --seeds 0,1,2 --out /tmp/newsgist-paste/cv-s4/d-012.json
    python benchmarks/cv_paste.py --paired /tmp/newsgist-paste/cv-s4/d-0.json /tmp/newsgist-paste/cv-s4/d-012.json
"""
from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import paste_candidates  # noqa: E402
import paste_render  # noqa: E402
from newsgist.evaluation.train_paste import readability_half  # noqa: E402,F401 - Readability halves A / B

WORK = paste_render.CACHE_DIR / "cv-s4"
WORK_META = paste_render.CACHE_DIR / "cv-s6b-meta"   # features with the page-metadata flags (--meta)
WORK_COMMENT = paste_render.CACHE_DIR / "cv-s6e-comment"   # features with the comment-shape columns (--comment-shape)
WORK_LEX = paste_render.CACHE_DIR / "cv-s7-lexicon"   # candidate L's fold-specific columns and stage-1 scores (--lexicon)
WORK_PROSE = paste_render.CACHE_DIR / "cv-s7b-prose"   # the shipped columns and candidate T's (--furniture-prose)
WORK_THREAD = paste_render.CACHE_DIR / "cv-s8d-thread"   # candidate CT's columns and stage-1 caches (--comment-thread)
WORK_SITEW = paste_render.CACHE_DIR / "cv-s9a-sitew"   # candidate A's stage-1 caches (--site-weights; features read from cv-s6e-comment)
WORK_PARAMS = paste_render.CACHE_DIR / "cv-s10g-params"   # candidate G's stage-1 caches (--params; features read from cv-s6e-comment)
FIXED = (0.6, 0.7)     # the shipped model's threshold / relative


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_sets(meta: bool = False, comment: bool = False, prose: bool = False, thread: bool = False):
    """Prepared pages: Dragnet training part, Readability A, Readability B, each page with the
    gold tokens it is scored by (``score_ref``); with ``meta``, candidate M's page-metadata line
    flags too (``paste_candidates.META_NAMES``, after the shipped columns; cached in ``WORK_META``)."""
    import numpy as np
    global WORK
    if meta:
        WORK = WORK_META
    if prose:       # candidate T (session 7b): the shipped features (C's included) plus T's columns
        return _prose_sets()
    if thread:      # candidate CT (session 8d): the shipped features, head / lead columns recomputed, thread columns
        return _thread_sets()
    if comment:     # candidate C (session 6e): the shipped features plus the comment-shape columns
        return _comment_sets()
    from newsgist.evaluation.train_paste import gold_article, prepare, split_of, tokens
    WORK.mkdir(parents=True, exist_ok=True)
    cache = WORK / "features.pkl"
    if cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    t0 = time.perf_counter()
    raw = {"dragnet": [p for p in paste_render.pasted_pages("dragnet") if split_of(p["id"]) == "train"]}
    read = paste_render.pasted_pages("readability")
    raw["A"] = [p for p in read if readability_half(p["id"]) == "A"]
    raw["B"] = [p for p in read if readability_half(p["id"]) == "B"]
    sets = {}
    for name, pages in raw.items():
        gold = {p["id"]: gold_article(p["text"]) for p in pages}
        prepared = prepare(pages)
        for p in prepared:
            if meta:        # candidate M (session 6b): the page-metadata flags after the shipped columns
                p.X = np.hstack([p.X, paste_candidates.meta_columns(p.pasted, p.lines)])
            p.score_ref = Counter(tokens(gold[p.id]))
            p.line_tokens = [tokens(p.pasted[s:e]) for s, e, _ in p.lines]
        sets[name] = prepared
    log(f"features: {', '.join(f'{k} {len(v)}' for k, v in sets.items())} pages in {time.perf_counter() - t0:.0f} s")
    with cache.open("wb") as fh:
        pickle.dump(sets, fh)
    return sets


def _comment_sets():
    """The shipped features' sets (``cv-s4``'s cache) with candidate C's comment-shape columns
    (``paste_candidates.COMMENT_NAMES``) after the shipped columns; cached in ``WORK_COMMENT``."""
    import numpy as np
    global WORK
    base = WORK / "features.pkl"
    WORK = WORK_COMMENT
    WORK.mkdir(parents=True, exist_ok=True)
    cache = WORK / "features.pkl"
    if cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    if not base.exists():
        raise SystemExit(f"{base} not found: run cv_paste.py without flags first")
    with base.open("rb") as fh:
        sets = pickle.load(fh)
    for pages in sets.values():
        for p in pages:
            p.X = np.hstack([p.X, paste_candidates.comment_columns(p.pasted, p.lines)])
    with cache.open("wb") as fh:
        pickle.dump(sets, fh)
    return sets


def _extended_sets(work, extend, what: str):
    """The shipped features' sets (``cv-s6e-comment``'s cache, read only) with ``extend(page)`` as
    each page's feature matrix; cached in ``work`` (which becomes ``WORK``: the stage-1 caches go
    there too)."""
    global WORK
    cache = work / "features.pkl"
    if cache.exists():
        WORK = work
        with cache.open("rb") as fh:
            return pickle.load(fh)
    sets = _comment_sets()
    WORK = work
    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for pages in sets.values():
        for p in pages:
            p.X = extend(p)
    log(f"{what}'s columns in {time.perf_counter() - t0:.0f} s")
    with cache.open("wb") as fh:
        pickle.dump(sets, fh)
    return sets


def _prose_sets():
    """The shipped features' sets with candidate T's columns (``paste_candidates.PROSE_NAMES``)
    after them; cached in ``WORK_PROSE``."""
    import numpy as np
    return _extended_sets(WORK_PROSE, lambda p: np.hstack([p.X, paste_candidates.prose_columns_of(p.pasted, p.lines, p.X)]),
                          "candidate T")


def _thread_sets():
    """The shipped features' sets as candidate CT reads them (``paste_thread.ct_matrix``); cached in
    ``WORK_THREAD``."""
    import paste_thread
    return _extended_sets(WORK_THREAD, lambda p: paste_thread.ct_matrix(p.pasted, p.lines, p.X), "candidate CT")


def f1_of(page, keep) -> float:
    hyp = Counter(t for toks, k in zip(page.line_tokens, keep) if k for t in toks)
    overlap = sum((hyp & page.score_ref).values())
    p = overlap / sum(hyp.values()) if hyp else 0.0
    r = overlap / sum(page.score_ref.values()) if page.score_ref else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _fit_predict(train_X, train_y, seed, threads, targets, weight=None, params=None):
    """Fit one booster (``params``: a ``train_paste.PARAM_SETS`` dict, None the shipped one); its raw
    scores on each matrix of ``targets``."""
    from newsgist.evaluation.train_paste import fit, trees_of
    from newsgist.reading.pagemodel import tree_ensemble
    t = tree_ensemble(trees_of(fit(train_X, train_y, seed, threads, weight, params)))
    return [t.predict(X) for X in targets]


def page_weights(pages) -> list:
    """Candidate W (session 6b): each line's share of its page's tokens, times the mean number
    of lines a page (the weights average 1 over ``pages``' lines)."""
    import numpy as np
    per_page = sum(len(p.y) for p in pages) / max(len(pages), 1)
    out = []
    for p in pages:
        t = np.array([len(x) for x in p.line_tokens], dtype=np.float64)
        out.append(t / max(t.sum(), 1.0) * per_page)
    return out


def stage_scores(train, evals, Xs_train, Xs_eval, seed, folds, threads, weights=None, view=None, scale=False,
                 params=None):
    """Out-of-fold raw scores of the training pages and full-model scores of ``evals``
    (``weights``: one array a training page, or None). ``view(i, f)``, when given, is training
    page ``i``'s matrix as fold ``f`` (or ``"full"``) reads it, and ``view(j, "eval")`` eval page
    ``j``'s (candidate L: fold-specific lexicon columns); otherwise ``Xs_train`` / ``Xs_eval``.
    ``scale``: ``weights`` are one page weight a training page, each fit's line weights scaled to
    mean 1 (``train_paste.fit_line_weights``; candidate A). ``params`` (candidate G): the LightGBM
    parameter dict of every fit (None: the shipped one)."""
    import numpy as np
    fold = fold_of(train, folds)
    given = {} if params is None else {"params": params}
    oof = [None] * len(train)
    if view is None:
        def view(i, f):
            return Xs_eval[i] if f == "eval" else Xs_train[i]

    def w_of(idx):
        if weights is not None and scale:
            from newsgist.evaluation.train_paste import fit_line_weights
            return fit_line_weights([len(train[i].y) for i in idx], [weights[i] for i in idx])
        return None if weights is None else np.concatenate([weights[i] for i in idx])
    for f in range(folds):
        tr = [i for i in range(len(train)) if fold[i] != f]
        te = [i for i in range(len(train)) if fold[i] == f]
        out = _fit_predict(np.vstack([view(i, f) for i in tr]), np.concatenate([train[i].y for i in tr]),
                           seed, threads, [view(i, f) for i in te], w_of(tr), **given)
        for i, r in zip(te, out):
            oof[i] = r
    full = _fit_predict(np.vstack([view(i, "full") for i in range(len(train))]),
                        np.concatenate([p.y for p in train]), seed, threads,
                        [view(j, "eval") for j in range(len(evals))], w_of(range(len(train))), **given) if evals else []
    return oof, full


def lexicon_views(train, evals, folds, sites: dict | None = None, tag: str = ""):
    """Candidate L's columns for every fold's view (``paste_candidates.fold_lexicon_columns``;
    with ``sites``, L2's: counted by site, a page without one its own site), cached in ``WORK_LEX``."""
    WORK_LEX.mkdir(parents=True, exist_ok=True)
    cache = WORK_LEX / f"lexcols{tag}-f{folds}.pkl"
    if cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    t0 = time.perf_counter()
    groups = None if sites is None else [sites.get(p.id) or p.id for p in train]
    cols = paste_candidates.fold_lexicon_columns(train, fold_of(train, folds), folds, evals, groups=groups)
    with cache.open("wb") as fh:
        pickle.dump(cols, fh)
    log(f"lexicon columns, {folds} folds + full: {time.perf_counter() - t0:.0f} s")
    return cols


def fold_of(train, folds):
    """train_paste's folds (page i -> i % folds) within each source, Dragnet first (with
    ``--site-folds``: :data:`_SITE_FOLDS`' fold of the page)."""
    if _SITE_FOLDS:
        return [_SITE_FOLDS[p.id] for p in train]
    out, seen = [], Counter()
    for p in train:
        src = "A" if p.id in _A_IDS else "dragnet"
        out.append(seen[src] % folds)
        seen[src] += 1
    return out


_A_IDS: set = set()
_SITE_FOLDS: dict = {}


def site_fold_map(ids, sites: dict, folds: int) -> dict:
    """Folds grouped by site (information only, session 7): each site's pages in one fold, the
    sites taken largest first (ties: site name) into the fold with the fewest pages (ties: the
    lower fold); a page with no site is a site of its own."""
    groups: dict = {}
    for k in ids:
        groups.setdefault(sites.get(k) or k, []).append(k)
    sizes = [0] * folds
    out = {}
    for _, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        f = min(range(folds), key=lambda j: (sizes[j], j))
        sizes[f] += len(members)
        out.update({k: f for k in members})
    return out


def run(config_train: str, seeds: list[int], folds: int, threads: int, stage1_only: bool = False,
        dump: Path | None = None, page_context: bool = False, meta: bool = False,
        weighted: bool = False, comment: bool = False, lexicon: bool = False, lexicon_sites: dict | None = None,
        site_folds: dict | None = None, prose: bool = False, thread: bool = False,
        site_weights: dict | None = None, site_alpha: float | None = None,
        param_set: str | None = None, lexical: bool | str = False) -> dict | None:
    global WORK
    import numpy as np
    from newsgist.evaluation.train_paste import RELATIVE, THRESHOLDS
    from newsgist.reading.pagemodel import keep_mask
    if lexical and (not comment or meta or prose or thread or lexicon or page_context or weighted
                    or site_weights is not None or param_set is not None):
        raise SystemExit("--lexical runs with --comment-shape alone (and --site-folds)")
    if thread and (not comment or meta or prose or lexicon):
        raise SystemExit("--comment-thread runs with --comment-shape alone")
    if site_weights is not None and (not comment or meta or prose or thread or lexicon or weighted or page_context
                                     or config_train != "dragnet"):
        raise SystemExit("--site-weights runs with --comment-shape alone, on the Dragnet training pages")
    if param_set is not None and (not comment or meta or prose or thread or lexicon or weighted or page_context
                                  or site_weights is not None or config_train != "dragnet"):
        raise SystemExit("--params runs with --comment-shape alone (and --site-folds), on the Dragnet training pages")
    from newsgist.evaluation.train_paste import params_of
    params = None if param_set is None else params_of(param_set)
    sets = load_sets(meta, comment, prose, thread)
    _A_IDS.update(p.id for p in sets["A"])
    tag = ("-lsite" if lexicon_sites else "") + ("-sitefolds" if site_folds else "")
    if site_weights is not None:    # candidate A (session 9): own stage-1 caches, the features read only
        from newsgist.evaluation.train_paste import SITE_ALPHA
        site_alpha = SITE_ALPHA if site_alpha is None else site_alpha
        WORK = WORK_SITEW
        WORK.mkdir(parents=True, exist_ok=True)
        tag = f"-sw{site_alpha:g}" + tag
    if param_set is not None:   # candidate G (session 10c): own stage-1 caches, the features read only
        WORK = WORK_PARAMS
        WORK.mkdir(parents=True, exist_ok=True)
        tag = f"-p{param_set}" + tag
    if site_folds:
        if config_train != "dragnet":
            raise SystemExit("--site-folds runs on the Dragnet training pages only")
        _SITE_FOLDS.update(site_fold_map([p.id for p in sets["dragnet"]], site_folds, folds))
    train = list(sets["dragnet"]) + (list(sets["A"]) if config_train == "dragnet+A" else [])
    evals = (list(sets["B"]) if config_train == "dragnet+A" else list(sets["A"]) + list(sets["B"]))
    weights = page_weights(train) if weighted else None
    if site_weights is not None:
        from newsgist.evaluation.train_paste import site_page_weights
        weights = site_page_weights([p.id for p in train], site_weights, site_alpha)
    view1 = view2 = None
    if lexicon:     # candidate L (session 7): each fold's own lexicon columns after the features
        if not comment or meta or page_context or config_train != "dragnet":
            raise SystemExit("--lexicon runs with --comment-shape on the Dragnet training pages only")
        lex = lexicon_views(train, evals, folds, lexicon_sites, tag)

        def view1(i, f):
            return np.hstack([(evals if f == "eval" else train)[i].X, lex[f][i]])
    raw1_oof = [np.zeros(len(p.y)) for p in train]
    raw1_eval = [np.zeros(len(p.y)) for p in evals]
    for s in seeds:
        path = ((WORK_LEX if lexicon else WORK)
                / f"stage1-{config_train}{'-pw' if weighted else ''}{tag}-seed{s}-f{folds}.pkl")
        if path.exists():
            with path.open("rb") as fh:
                oof, full = pickle.load(fh)
        else:
            t0 = time.perf_counter()
            oof, full = stage_scores(train, evals, [p.X for p in train], [p.X for p in evals], s, folds, threads,
                                     weights, view1, scale=site_weights is not None, params=params)
            with path.open("wb") as fh:
                pickle.dump((oof, full), fh)
            log(f"stage 1, {config_train}, seed {s}: {time.perf_counter() - t0:.0f} s")
        for acc, r in zip(raw1_oof + raw1_eval, list(oof) + list(full)):
            acc += r / len(seeds)
    if stage1_only:
        return None
    X2 = [paste_candidates.stage2_rows(p.X, r, page_context) for p, r in zip(train, raw1_oof)]
    X2e = [paste_candidates.stage2_rows(p.X, r, page_context) for p, r in zip(evals, raw1_eval)]
    if lexical:     # candidate C (session 10): the lexical columns after the stage-2 rows
        t0 = time.perf_counter()
        X2, X2e = ([np.hstack([x, lexical_rows(p, r, lexical)]) for x, p, r in zip(xs, pages, raws)]
                   for xs, pages, raws in ((X2, train, raw1_oof), (X2e, evals, raw1_eval)))
        log(f"lexical columns: {time.perf_counter() - t0:.0f} s")
    if lexicon:     # stage 2 reads the fold's own stage-1 matrix, as the model does (features, then raw)
        from newsgist.reading.pagemodel import stage2_features

        def view2(i, f):
            return stage2_features(view1(i, f), (raw1_eval if f == "eval" else raw1_oof)[i])
    raw2_oof = [np.zeros(len(p.y)) for p in train]
    raw2_eval = [np.zeros(len(p.y)) for p in evals]
    for s in seeds:
        t0 = time.perf_counter()
        oof, full = stage_scores(train, evals, X2, X2e, s, folds, threads, weights, view2,
                                 scale=site_weights is not None, params=params)
        for acc, r in zip(raw2_oof + raw2_eval, list(oof) + list(full)):
            acc += r / len(seeds)
        log(f"stage 2, {config_train}, seeds {seeds}, seed {s}: {time.perf_counter() - t0:.0f} s")
    prob_oof = [1 / (1 + np.exp(-r)) for r in raw2_oof]
    prob_eval = [1 / (1 + np.exp(-r)) for r in raw2_eval]
    if dump:     # the line probabilities (out of fold for the training pages), for decoding studies
        with dump.open("wb") as fh:
            pickle.dump({"oof": {p.id: pr for p, pr in zip(train, prob_oof)},
                         "eval": {p.id: pr for p, pr in zip(evals, prob_eval)}}, fh)
    grid = {}
    for th in THRESHOLDS:
        for rel in RELATIVE:
            grid[th, rel] = [f1_of(p, keep_mask(pr, th, rel)) for p, pr in zip(train, prob_oof)]
    # train_paste's choice: best mean over the training pages, ties to 0.5 and a lower relative
    best = max(grid, key=lambda k: (round(float(np.mean(grid[k])), 4), -abs(k[0] - 0.5), -k[1]))
    out = {"train": config_train, "seeds": seeds, "folds": folds, "threshold": list(best),
           "page_context": page_context, "meta": meta, "page_weights": weighted,
           "comment_shape": comment, "lexicon": lexicon, "lexicon_sites": bool(lexicon_sites),
           "site_folds": bool(site_folds), "furniture_prose": prose, "comment_thread": thread,
           **({"lexical": lexical} if lexical else {}),
           **({"site_alpha": site_alpha} if site_weights is not None else {}),
           **({"param_set": param_set} if param_set is not None else {})}
    for label, (th, rel) in (("tuned", best), ("fixed", FIXED)):
        tr = grid[th, rel]
        out[label] = {
            "dragnet_oof": {p.id: f for p, f in zip(train, tr) if p.id not in _A_IDS},
            "A_oof": {p.id: f for p, f in zip(train, tr) if p.id in _A_IDS},
            "eval": {p.id: f1_of(p, keep_mask(pr, th, rel)) for p, pr in zip(evals, prob_eval)}}
    return out


def lexical_rows(page, raw1, mode=True):
    """Candidate C's (session 10; ``mode`` True) or C2's (10f; ``mode`` "rel") columns of a
    prepared page given its stage-1 log-odds."""
    from newsgist.evaluation.train_paste import line_texts
    from newsgist.reading.pagelexical import columns_of
    return columns_of(line_texts(page), raw1, mode)


def mean(xs) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def summary(res: dict) -> str:
    rows = []
    for label in ("tuned", "fixed"):
        r = res[label]
        ev = r["eval"]
        a = {k: v for k, v in ev.items() if readability_half(k) == "A"}
        b = {k: v for k, v in ev.items() if readability_half(k) == "B"}
        rows.append(f"{label} {res['threshold'] if label == 'tuned' else list(FIXED)}: dragnet OOF "
                    f"{mean(list(r['dragnet_oof'].values())):.4f} ({len(r['dragnet_oof'])})"
                    + (f", A OOF {mean(list(r['A_oof'].values())):.4f} ({len(r['A_oof'])})" if r["A_oof"] else "")
                    + (f", A (not trained) {mean(list(a.values())):.4f}" if a else "")
                    + f", B {mean(list(b.values())):.4f} ({len(b)})")
    return "\n".join(rows)


def paired_diff(x: dict, y: dict) -> tuple[list, list, float, float]:
    """The pages in both, their differences ``y - x``, its mean and the mean's standard error."""
    keys = sorted(set(x) & set(y))
    d = [y[k] - x[k] for k in keys]
    m = mean(d)
    se = math.sqrt(sum((v - m) ** 2 for v in d) / (len(d) - 1) / len(d)) if len(d) > 1 else float("nan")
    return keys, d, m, se


def paired(a: dict, b: dict) -> str:
    out = []
    for label in ("tuned", "fixed"):
        for part in ("dragnet_oof", "A_oof", "eval"):
            x, y = a[label][part], b[label][part]
            if part == "A_oof" and not y:
                x, y = a[label]["eval"], b[label]["eval"]
                x = {k: v for k, v in x.items() if readability_half(k) == "A"}
                y = {k: v for k, v in y.items() if readability_half(k) == "A"}
            elif part == "A_oof" and not x:
                x = {k: v for k, v in a[label]["eval"].items() if readability_half(k) == "A"}
            if part == "eval":
                x = {k: v for k, v in x.items() if readability_half(k) == "B"}
                y = {k: v for k, v in y.items() if readability_half(k) == "B"}
            keys, d, m, se = paired_diff(x, y)
            if not keys:
                continue
            name = {"dragnet_oof": "dragnet OOF", "A_oof": "Readability A", "eval": "Readability B"}[part]
            out.append(f"{label:5s} {name:14s} n={len(keys):4d}  {mean([x[k] for k in keys]):.4f} -> "
                       f"{mean([y[k] for k in keys]):.4f}  diff {m:+.4f} (SE {se:.4f})")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--train", choices=("dragnet", "dragnet+A"), default="dragnet")
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--stage1-only", action="store_true", help="fill the stage-1 cache and stop")
    ap.add_argument("--dump-probs", type=Path, help="write the stage-2 line probabilities (pickle)")
    ap.add_argument("--paired", nargs=2, type=Path, metavar=("BASE", "CANDIDATE"))
    ap.add_argument("--page-context", action="store_true",
                    help="stage 2 also reads candidate S's page-context features (paste_candidates.PAGE_NAMES)")
    ap.add_argument("--meta", action="store_true",
                    help="stage 1 also reads candidate M's page-metadata line flags (paste_candidates.META_NAMES)")
    ap.add_argument("--page-weights", action="store_true",
                    help="candidate W: lines weighted by their share of the page's tokens, in both stages")
    ap.add_argument("--comment-shape", action="store_true",
                    help="candidate C (session 6e): stage 1 also reads the comment-shape columns "
                         "(paste_candidates.COMMENT_NAMES)")
    ap.add_argument("--lexicon", action="store_true",
                    help="candidate L (session 7, with --comment-shape): stage 1 also reads the learned "
                         "furniture lexicon's columns (paste_candidates.LEXICON_NAMES), each fold's own")
    ap.add_argument("--lexicon-sites", type=Path,
                    help="candidate L2: the lexicon counted by sites (paste_sites.py sites --out FILE)")
    ap.add_argument("--site-folds", type=Path,
                    help="information only: folds grouped by site (paste_sites.py sites --out FILE)")
    ap.add_argument("--furniture-prose", action="store_true",
                    help="candidate T (session 7b): the shipped columns and T's bio / site-voice / caps-in-core "
                         "columns (paste_candidates.PROSE_NAMES), both stages")
    ap.add_argument("--comment-thread", action="store_true",
                    help="candidate CT (session 8d, with --comment-shape): wider comment head / lead shapes and "
                         "the thread columns (paste_thread.py), both stages; caches in cv-s8d-thread")
    ap.add_argument("--site-weights", type=Path, metavar="SITES_JSON",
                    help="candidate A (session 9, with --comment-shape): site-balanced training, a page weighs "
                         "1 / n(site) ** --site-alpha (paste_sites.py's sites file); caches in cv-s9a-sitew")
    ap.add_argument("--site-alpha", type=float, default=None, help="default: train_paste.SITE_ALPHA")
    from newsgist.evaluation.train_paste import PARAM_SETS
    from newsgist.reading import pagelexical
    ap.add_argument("--params", choices=sorted(PARAM_SETS), default=None,
                    help="candidate G (session 10c, with --comment-shape): the tree stages with this LightGBM "
                         "parameter set (train_paste.PARAM_SETS); caches in cv-s10g-params")
    ap.add_argument("--lexical", nargs="?", const="abs", default=None, choices=("abs", "rel"),
                    help="candidate C (session 10, with --comment-shape): stage 2 also reads the lexical "
                         "continuation columns (newsgist.reading.pagelexical); '--lexical rel': session 10f's "
                         "candidate C2, the page-relative columns (LEXICAL_REL_NAMES)")
    args = ap.parse_args(argv)
    if args.paired:
        a, b = (json.loads(p.read_text()) for p in args.paired)
        print(paired(a, b))
        return 0
    if not paste_render.SETS["dragnet"].exists():
        print(f"skipped: {paste_render.SETS['dragnet']} not found")
        return 0
    res = run(args.train, [int(s) for s in args.seeds.split(",")], args.folds, args.threads, args.stage1_only,
              args.dump_probs, args.page_context, args.meta, args.page_weights, args.comment_shape,
              args.lexicon or bool(args.lexicon_sites),
              json.loads(args.lexicon_sites.read_text()) if args.lexicon_sites else None,
              json.loads(args.site_folds.read_text()) if args.site_folds else None,
              prose=args.furniture_prose, thread=args.comment_thread,
              site_weights=json.loads(args.site_weights.read_text()) if args.site_weights else None,
              site_alpha=args.site_alpha, param_set=args.params,
              lexical=pagelexical.mode_of(args.lexical))
    if res is None:
        return 0
    print(f"{args.train}, seeds {res['seeds']}:\n{summary(res)}")
    if args.out:
        args.out.write_text(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
