"""Candidate F (issue 31, session 9f): the page model trained with broken-body copies.

``paste_augment.py`` makes one copy of each training page with one or two runs of its own
furniture inserted between body lines (labels kept). Registered in BENCHMARKS.md ("Issue 31,
session 9f") before any result.

``sitefolds``: E's site-fold pipeline (``cv_paste.py --site-folds`` stage 1 and 2, three bagging
seeds; ``cv_pageseq.py --site-folds`` GRUs, seeds 0-2, ``train_pageseq.ENSEMBLE``'s constants;
``pageseq_ensemble.py``'s mix) with each fold's models trained on its training pages **and their
copies** (a copy in its original's fold, never predicted). Writes, in ``--out-dir``:
``pF.pkl`` (stage 2 out of fold), ``FT-mean.pkl`` (information: that stage 2 with E's GRU part,
``--e-gru``), ``F-seed{S}-gru.pkl`` and ``F-mean.pkl`` (F itself), each decoded by
``paste_failures.py pipeline`` as E's files are.

``train``: the shipped training (``train_paste.train`` + ``train_paste.py --seq``'s GRUs) on the
1,100 Dragnet training pages and their copies (a copy in its original's fold i % 4; the
threshold tuned on the originals), ``page-lines.json`` and ``page-seq.json`` into ``--out-dir``.

``--synthetic N`` (candidate Y, issue 31 session 10d, registered in BENCHMARKS.md before any result):
instead of F's copies, ``paste_synth.py``'s N synthetic pages (other outlets' articles in the
furniture of Dragnet training pages of the synthetic page's own fold), each line weighing
``paste_synth.SYNTH_WEIGHT`` of a real page's line; files ``pY.pkl``, ``YT-mean.pkl`` (Y's screen:
``--trees-only`` stops there), ``Y-seed{S}-gru.pkl``, ``Y-mean.pkl``. ``--page-folds``: the same on
train_paste's page folds (i % 4), and each stage and net also fitted on every page and read on
Readability half B (the files' ``eval`` part, ``paste_failures.py pipeline --set B``).

Torch interpreter (the GRUs), lightgbm from the project's venv::

    OMP_NUM_THREADS=1 PYTHONPATH=$PWD/src:/work/main/.venv/lib/python3.11/site-packages nice -n 10 \\
        /work/torchvenv/bin/python benchmarks/cv_augment.py sitefolds --out-dir /tmp/ng31s9F/F-S
    ... benchmarks/cv_augment.py sitefolds --synthetic 600 --trees-only --out-dir /tmp/ng31s10Y/Y-S
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import cv_paste  # noqa: E402
import paste_augment  # noqa: E402
import paste_candidates  # noqa: E402

FOLDS = 4
SEEDS = (0, 1, 2)
BASE = Path("/tmp/ng31s8base")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def oof_scores(Xs, ys, fold, predict, seed, folds=FOLDS, page_weights=None):
    """Out-of-fold raw scores: for each fold, one booster (bagging ``seed``) fitted on the rows of
    every page outside the fold, read on the pages of ``predict`` (indices) inside it.
    ``page_weights`` (candidate Y; None: unweighted): one weight a page, each fit's line weights
    ``train_paste.fit_line_weights`` of its pages."""
    import numpy as np
    from newsgist.evaluation.train_paste import fit_line_weights
    out = {}
    for f in range(folds):
        tr = [i for i in range(len(Xs)) if fold[i] != f]
        te = [i for i in predict if fold[i] == f]
        w = None if page_weights is None else fit_line_weights([len(ys[i]) for i in tr], [page_weights[i] for i in tr])
        res = cv_paste._fit_predict(np.vstack([Xs[i] for i in tr]), np.concatenate([ys[i] for i in tr]),
                                    seed, 1, [Xs[i] for i in te], w)
        out.update(zip(te, res))
    return [out[i] for i in predict]


def extra_pages(train, fold_of, out_dir: Path, synthetic: int):
    """The training pages beside the originals: ``(tag, pages, their folds, their page weight)``.
    ``synthetic`` 0: F's broken-body copies (``paste_augment``; a copy in its original's fold,
    weight 1); else candidate Y's ``synthetic`` synthetic pages (``paste_synth``; each in the fold its
    donors come from, weight ``paste_synth.SYNTH_WEIGHT``). Cached in ``out_dir``."""
    if synthetic:
        import paste_synth
        cache = out_dir / "synth.pkl"
        if cache.exists():
            syn = pickle.loads(cache.read_bytes())
        else:
            syn = paste_synth.synthetic(train, fold_of, FOLDS, synthetic, log=log)
            cache.write_bytes(pickle.dumps(syn))
        return "Y", [p for _, p, _ in syn], [f for f, _, _ in syn], paste_synth.SYNTH_WEIGHT
    cache = out_dir / "aug.pkl"
    if cache.exists():
        aug = pickle.loads(cache.read_bytes())
    else:
        t0 = time.perf_counter()
        aug = paste_augment.augmented(train, log=log)
        cache.write_bytes(pickle.dumps(aug))
        log(f"copies in {time.perf_counter() - t0:.0f} s")
    return "F", [a for _, a in aug], [fold_of[i] for i, _ in aug], 1.0


def check_manifest(out_dir: Path, run: dict) -> None:
    """The run a directory's caches (copies, synthetic pages, stage scores, nets) were made for, in
    ``run.json``: a directory made by another run (other folds, other extra pages) is refused, so a
    page-fold run never reads synthetic pages whose donors were drawn for site folds (review, session 10)."""
    path = out_dir / "run.json"
    if path.exists():
        made = json.loads(path.read_text(encoding="utf-8"))
        if made != run:
            raise SystemExit(f"{out_dir} holds the caches of another run ({made}); this run is {run}: "
                             "use another --out-dir")
    else:
        path.write_text(json.dumps(run, sort_keys=True) + "\n", encoding="utf-8")


def sitefolds(out_dir: Path, e_gru: Path, seeds=SEEDS, synthetic: int = 0, trees_only: bool = False,
              page_folds: bool = False) -> int:
    import numpy as np
    from newsgist.evaluation import train_pageseq
    from newsgist.evaluation.train_paste import fit_line_weights
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pageseq import SeqModel, seq_inputs
    from cv_pageseq import logit
    out_dir.mkdir(parents=True, exist_ok=True)
    sets = cv_paste.load_sets(comment=True)
    train = list(sets["dragnet"])
    from newsgist.reading.pagelines import features
    for p in train[:5]:     # the cached features are what pagelines computes now (the copies' are fresh)
        if not np.array_equal(features(p.pasted, p.lines)[0], p.X):
            raise SystemExit(f"{p.id}: the cached features are not pagelines.features'")
    if page_folds:      # train_paste's folds: page i -> i % 4 (the baseline pC.pkl's)
        fmap = {p.id: i % FOLDS for i, p in enumerate(train)}
    else:
        fmap = cv_paste.site_fold_map([p.id for p in train], json.loads((BASE / "sites.json").read_text()), FOLDS)
    check_manifest(out_dir, {"folds": "page" if page_folds else "site", "synthetic": synthetic,
                             "copies": 0 if synthetic else paste_augment.COPIES})
    tag, extra, extra_fold, extra_weight = extra_pages(train, [fmap[p.id] for p in train], out_dir, synthetic)
    pages = train + extra
    fold = [fmap[p.id] for p in train] + extra_fold
    weights = None if extra_weight == 1.0 else [1.0] * len(train) + [extra_weight] * len(extra)
    ys = [p.y for p in pages]
    everything = list(range(len(pages)))
    n = len(train)

    # page folds: also the full models' scores on Readability half B (rule 3), as cv_paste's "eval"
    evals = list(sets["B"]) if page_folds else []

    def seed_mean(stage, Xs, Xe):
        """A stage's out-of-fold raw scores (originals and copies), averaged over the bagging seeds,
        each seed's cached in ``out_dir``; and the scores of ``Xe`` (half B) by the seed's booster
        fitted on every page (cached beside)."""
        acc = [np.zeros(len(p.y)) for p in pages]
        acc_e = [np.zeros(len(X)) for X in Xe]
        for s in seeds:
            path = out_dir / f"{stage}-seed{s}.pkl"
            if path.exists():
                r = pickle.loads(path.read_bytes())
            else:
                t0 = time.perf_counter()
                r = oof_scores(Xs, ys, fold, everything, s, page_weights=weights)
                path.write_bytes(pickle.dumps(r))
                log(f"{stage.replace('stage', 'stage ')} seed {s}: {time.perf_counter() - t0:.0f} s")
            for a, v in zip(acc, r):
                a += v / len(seeds)
            if Xe:
                path = out_dir / f"{stage}-seed{s}-B.pkl"
                if path.exists():
                    re = pickle.loads(path.read_bytes())
                else:
                    t0 = time.perf_counter()
                    w = None if weights is None else fit_line_weights([len(y) for y in ys], weights)
                    re = cv_paste._fit_predict(np.vstack(Xs), np.concatenate(ys), s, 1, Xe, w)
                    path.write_bytes(pickle.dumps(re))
                    log(f"{stage.replace('stage', 'stage ')} seed {s}, all pages -> half B: "
                        f"{time.perf_counter() - t0:.0f} s")
                for a, v in zip(acc_e, re):
                    a += v / len(seeds)
        return acc, acc_e
    # stage 1: three bagging seeds, out of fold on originals and copies, raw scores averaged
    raw1, raw1e = seed_mean("stage1", [p.X for p in pages], [p.X for p in evals])
    X2 = [paste_candidates.stage2_rows(p.X, r, False) for p, r in zip(pages, raw1)]
    raw2, raw2e = seed_mean("stage2", X2, [paste_candidates.stage2_rows(p.X, r, False) for p, r in zip(evals, raw1e)])
    prob2 = [1 / (1 + np.exp(-r)) for r in raw2]
    prob2e = [1 / (1 + np.exp(-r)) for r in raw2e]
    p2 = {"oof": {p.id: pr for p, pr in zip(train, prob2[:n])}, "eval": {p.id: pr for p, pr in zip(evals, prob2e)}}
    (out_dir / f"p{tag}.pkl").write_bytes(pickle.dumps(p2))
    eg = pickle.loads(e_gru.read_bytes())
    ft = {"oof": {k: 0.5 * (np.asarray(eg["oof"][k]) + v) for k, v in p2["oof"].items()},
          "eval": {k: 0.5 * (np.asarray(eg["eval"][k]) + v) for k, v in p2["eval"].items() if k in eg.get("eval", {})}}
    (out_dir / f"{tag}T-mean.pkl").write_bytes(pickle.dumps(ft))
    log(f"wrote {out_dir / f'p{tag}.pkl'} and {out_dir / f'{tag}T-mean.pkl'}")
    if trees_only:      # Y's screen: the tree stages only
        return 0
    # the three GRUs, out of fold on originals and copies' out-of-fold log-odds
    feats = train_pageseq.feature_names(train_pageseq.FEATURES)
    cols = [list(FEATURE_NAMES).index(c) for c in feats]
    Z = [seq_inputs(p.X, r1, logit(pr), cols) for p, r1, pr in zip(pages, raw1, prob2)]
    Ze = [seq_inputs(p.X, r1, logit(pr), cols) for p, r1, pr in zip(evals, raw1e, prob2e)]
    grus = []
    for s in seeds:
        path = out_dir / f"{tag}-seed{s}-gru.pkl"
        if path.exists():
            grus.append(pickle.loads(path.read_bytes()))
            continue
        got = {}
        for f in range(FOLDS):
            t0 = time.perf_counter()
            tr = [i for i in everything if fold[i] != f]
            d = train_pageseq.fit([Z[i] for i in tr], [ys[i] for i in tr], feats, seed=s, log=None,
                                   page_weights=None if weights is None else [weights[i] for i in tr],
                                   **train_pageseq.ENSEMBLE)
            m = SeqModel(d)
            for i in range(n):
                if fold[i] == f:
                    got[i] = 1.0 / (1.0 + np.exp(-m.logits(Z[i])))
            log(f"GRU seed {s} fold {f + 1}/{FOLDS}: {time.perf_counter() - t0:.0f} s")
        g = {"oof": {train[i].id: got[i] for i in range(n)}, "eval": {}}
        if evals:       # the net of this seed trained on every page, read on half B
            t0 = time.perf_counter()
            m = SeqModel(train_pageseq.fit(Z, ys, feats, seed=s, log=None, page_weights=weights,
                                           **train_pageseq.ENSEMBLE))
            g["eval"] = {p.id: 1.0 / (1.0 + np.exp(-m.logits(z))) for p, z in zip(evals, Ze)}
            log(f"GRU seed {s}, all pages -> half B: {time.perf_counter() - t0:.0f} s")
        path.write_bytes(pickle.dumps(g))
        grus.append(g)
    from pageseq_ensemble import ensemble
    gru, mean = ensemble(grus, p2)
    (out_dir / f"{tag}-gru.pkl").write_bytes(pickle.dumps(gru))
    (out_dir / f"{tag}-mean.pkl").write_bytes(pickle.dumps(mean))
    log(f"wrote {out_dir / f'{tag}-mean.pkl'}")
    return 0


def train_model(out_dir: Path, trees_only: bool = False, copies: int = paste_augment.COPIES,
                synthetic: int = 0) -> int:
    """The shipped training with the copies (see the module's doc), or with ``synthetic`` synthetic
    pages instead (candidate Y: each in the fold i % 4 its donors come from, every fit's line weights
    ``train_paste.fit_line_weights`` of the page weights 1 / ``paste_synth.SYNTH_WEIGHT``); files
    into ``out_dir``."""
    import numpy as np
    import paste_render
    from newsgist.evaluation import train_paste as tp
    from newsgist.evaluation import train_pageseq
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pagemodel import STAGE2_NAMES, keep_mask
    from newsgist.reading.pageseq import seq_inputs
    out_dir.mkdir(parents=True, exist_ok=True)
    if tp.READABILITY_TRAINS:
        raise SystemExit("train: the shipped training reads Readability half A now; F's training does not")
    raw = [p for p in paste_render.pasted_pages("dragnet") if tp.split_of(p["id"]) == "train"]
    t0 = time.perf_counter()
    train = tp.prepare(raw)
    n = len(train)
    if synthetic:
        import paste_synth
        syn = paste_synth.synthetic(train, [i % FOLDS for i in range(n)], FOLDS, synthetic, log=log)
        aug, extra_fold = [(None, p) for _, p, _ in syn], [f for f, _, _ in syn]
        pw = [1.0] * n + [paste_synth.SYNTH_WEIGHT] * len(aug)
    else:
        aug = paste_augment.augmented(train, copies, log=log)
        extra_fold, pw = [i % FOLDS for i, _ in aug], None
    log(f"{len(train)} pages prepared, {len(aug)} more made in {time.perf_counter() - t0:.0f} s")
    pages = train + [a for _, a in aug]
    fold = [i % FOLDS for i in range(n)] + extra_fold
    seed, ens = tp.DEFAULT_SEED, tp.ENSEMBLE

    def w_of(idx):
        return None if pw is None else tp.fit_line_weights([len(pages[i].y) for i in idx], [pw[i] for i in idx])
    raw1 = [None] * len(pages)
    for f in range(FOLDS):
        idx = [i for i, k in enumerate(fold) if k != f]
        tr = [pages[i] for i in idx]
        t = tp.fit_trees(np.vstack([p.X for p in tr]), np.concatenate([p.y for p in tr]), seed, 1, ens, w_of(idx))
        for i, p in enumerate(pages):
            if fold[i] == f:
                raw1[i] = t.predict(p.X)
        log(f"  stage 1 fold {f + 1}/{FOLDS}")
    X2 = [tp._stack([p], [r]) for p, r in zip(pages, raw1)]
    raw2 = [None] * len(pages)
    for f in range(FOLDS):
        tr = [i for i in range(len(pages)) if fold[i] != f]
        t = tp.fit_trees(np.vstack([X2[i] for i in tr]), np.concatenate([pages[i].y for i in tr]), seed, 1, ens,
                         w_of(tr))
        for i in range(len(pages)):
            if fold[i] == f:
                raw2[i] = t.predict(X2[i])
        log(f"  stage 2 fold {f + 1}/{FOLDS}")
    prob2 = [1 / (1 + np.exp(-r)) for r in raw2[:n]]      # the threshold: originals only
    scores = {(th, rel): float(np.mean([tp.page_prf(p, keep_mask(pr, th, rel))[2] for p, pr in zip(train, prob2)]))
              for th in tp.THRESHOLDS for rel in tp.RELATIVE}
    threshold, relative = max(scores, key=lambda k: (round(scores[k], 4), -abs(k[0] - 0.5), -k[1]))
    every = list(range(len(pages)))
    stage1 = tp.fit_trees(np.vstack([p.X for p in pages]), np.concatenate([p.y for p in pages]), seed, 1, ens,
                          w_of(every))
    stage2 = tp.fit_trees(np.vstack(X2), np.concatenate([p.y for p in pages]), seed, 1, ens, w_of(every))
    model = {"kind": "newsgist-page-lines", "version": 1, "features": list(FEATURE_NAMES),
             "stage2_features": list(STAGE2_NAMES), "threshold": threshold, "relative": relative,
             "stage1": tp._round(stage1.to_dict()), "stage2": tp._round(stage2.to_dict()),
             "info": {"pages": n, ("synthetic_pages" if synthetic else "augmented_copies"): len(aug), "lines": int(sum(len(p.y) for p in pages)),
                      "folds": FOLDS, "seed": seed, "rounds": tp.ROUNDS, "lightgbm_params": dict(tp.LGB_PARAMS),
                      "oof_mean_f1": round(scores[threshold, relative], 4), "ensemble": ens,
                      "candidate": ("Y (session 10d): synthetic pages, paste_synth.py" if synthetic
                                    else "F (session 9f): broken-body copies, paste_augment.py")}}
    lines_out = out_dir / "page-lines.json"
    lines_out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    log(f"wrote {lines_out}: threshold {threshold}, relative {relative}, oof mean F1 (originals) "
        f"{scores[threshold, relative]:.4f}")
    if trees_only:      # session 9f's F-T for the modern pages: no GRU file (the page model runs stage 2 alone)
        return 0
    feats = train_pageseq.feature_names(train_pageseq.FEATURES)
    cols = [list(FEATURE_NAMES).index(c) for c in feats]
    Z = [seq_inputs(p.X, r1, r2, cols) for p, r1, r2 in zip(pages, raw1, raw2)]
    seq = train_pageseq.fit_nets(Z, [p.y for p in pages], feats, train_pageseq.ENSEMBLE_SEEDS, mix="mean",
                                 log=log, page_weights=pw, **train_pageseq.ENSEMBLE)
    seq = train_pageseq.pair(seq, json.loads(lines_out.read_text(encoding="utf-8")))
    (out_dir / "page-seq.json").write_text(json.dumps(seq, separators=(",", ":")) + "\n", encoding="utf-8")
    log(f"wrote {out_dir / 'page-seq.json'}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("sitefolds", "train"))
    ap.add_argument("--out-dir", type=Path, required=True)
    ap.add_argument("--e-gru", type=Path, default=None,
                    help="sitefolds: E's GRU part (for F-T, information; default the site-fold "
                         "/tmp/ng31s8base/E-S/E-gru.pkl; with --page-folds it must be given: E-P/E-gru.pkl)")
    ap.add_argument("--trees-only", action="store_true",
                    help="the two tree stages only (train: F-T, information, the page model then runs without a "
                         "GRU; sitefolds: Y's screen, stops after pY.pkl / YT-mean.pkl)")
    ap.add_argument("--copies", type=int, default=paste_augment.COPIES,
                    help="train: copies a page (0: the shipped training's trees, a check of this path)")
    ap.add_argument("--synthetic", type=int, default=0, metavar="N",
                    help="candidate Y (session 10d): N synthetic pages (paste_synth.py; registered N: "
                         "paste_synth.SYNTH_PAGES) instead of F's copies; sitefolds' files are then pY.pkl, "
                         "YT-mean.pkl, Y-seed{S}-gru.pkl, Y-mean.pkl")
    ap.add_argument("--page-folds", action="store_true",
                    help="sitefolds: train_paste's page folds (i %% 4) instead of site folds (pass --e-gru "
                         "/tmp/ng31s8base/E-P/E-gru.pkl)")
    args = ap.parse_args(argv)
    if args.synthetic and args.copies != paste_augment.COPIES:
        raise SystemExit("--copies is F's; --synthetic makes Y's pages instead (give one of them)")
    if args.page_folds and args.what != "sitefolds":
        raise SystemExit("--page-folds is for sitefolds (train uses train_paste's page folds already)")
    if args.what == "sitefolds" and args.e_gru is None and args.page_folds:
        raise SystemExit("--page-folds needs --e-gru (the page-fold E-P/E-gru.pkl, not the site-fold default)")
    import paste_render
    if not paste_render.SETS["dragnet"].exists():
        print(f"skipped: {paste_render.SETS['dragnet']} not found")
        return 0
    if args.what == "sitefolds":
        return sitefolds(args.out_dir, args.e_gru or BASE / "E-S" / "E-gru.pkl", synthetic=args.synthetic,
                         trees_only=args.trees_only, page_folds=args.page_folds)
    return train_model(args.out_dir, args.trees_only, args.copies, args.synthetic)


if __name__ == "__main__":
    sys.exit(main())
