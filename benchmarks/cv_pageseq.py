"""Out-of-fold line probabilities of the recurrent page stage (issue 31, session 7c, candidate G).

The GRU of :mod:`newsgist.reading.pageseq` is trained exactly as stage 2 is out of fold
(``benchmarks/cv_paste.py``): in each of the four folds (page i -> i % 4, train_paste's folds)
it trains on the other folds' pages, whose inputs are their **out-of-fold** stage-1 log-odds
(the mean of the three seeds' raw scores, as stage 2 reads them: the stage-1 cache of
``cv_paste.py --seeds 0,1,2 --comment-shape``) and their out-of-fold stage-2 log-odds (the
logit of ``--stage2``, that run's ``--dump-probs`` file), and predicts the fold's pages. The
Readability pages (never trained on) are read by a GRU trained on all 1,100 pages, with the
full models' stage-1 and stage-2 log-odds, as the shipped model would read them.

It writes one pickle a candidate in ``--dump-probs``'s format (``{"oof": {id: probs}, "eval":
{id: probs}}``), which ``paste_failures.py pipeline`` decodes with the shipped decode::

    nice -n 10 /work/torchvenv/bin/python benchmarks/cv_pageseq.py --stage2 /tmp/ng31s6e/pC.pkl --out-dir /tmp/ng31s7c
    # -> G-gru.pkl (the GRU's probability) and G-mean.pkl (its mean with stage 2's)
    python benchmarks/paste_failures.py pipeline /tmp/ng31s7c/G-gru.pkl --decode segment \\
        --segment /tmp/ng31s6e/const.json --segment-min-tokens 20 --out /tmp/ng31s7c/G-gru-d.json

Needs torch (``/work/torchvenv/bin/python``: torch 2.13.0 CPU), training only.
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
import paste_render  # noqa: E402

FOLDS = 4
SEEDS = (0, 1, 2)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def stage1_raw(work: Path, n_train: int, n_eval: int, tag: str = ""):
    """The mean over ``SEEDS`` of the cached stage-1 raw scores (out of fold; full model on the evals);
    ``tag`` "-sitefolds": ``cv_paste.py --site-folds``' cache."""
    import numpy as np
    oof, full = None, None
    for s in SEEDS:
        with (work / f"stage1-dragnet{tag}-seed{s}-f{FOLDS}.pkl").open("rb") as fh:
            o, f = pickle.load(fh)
        if oof is None:
            oof, full = [np.zeros(len(r)) for r in o], [np.zeros(len(r)) for r in f]
        for acc, r in zip(oof + full, list(o) + list(f)):
            acc += np.asarray(r) / len(SEEDS)
    assert len(oof) == n_train and len(full) == n_eval
    return oof, full


def logit(p):
    import numpy as np
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


def time_pages(seq_files: list, n_pages: int = 120, passes: int = 3) -> None:
    """The clean stage's time on held-out pasted pages without the GRU stage and with each of
    ``seq_files`` (session 7g: several, e.g. the shipped single net against a file of three),
    alternated page by page in one process (order rotated each pass)."""
    import statistics
    from bench_paste import clean_text
    from newsgist.evaluation.train_paste import split_of
    from newsgist.reading import pageseq
    pages = [p["pasted"] for p in paste_render.pasted_pages("dragnet") if split_of(p["id"]) == "test"][:n_pages]
    models = {"without": None}
    for f in seq_files:
        models[str(f)] = pageseq._load(str(f))
        if models[str(f)] is None:
            raise SystemExit(f"{f}: not a page-seq model")
    real = pageseq.load_seq_for      # what the page model calls (session 7e: with the pairing check)
    kinds = list(models)
    times = {k: [] for k in kinds}

    def one(kind, text):
        pageseq.load_seq_for = lambda *a: models[kind]
        t0 = time.perf_counter()
        clean_text(text)
        times[kind].append(time.perf_counter() - t0)
    try:
        for kind in kinds:
            one(kind, pages[0])
        times = {k: [] for k in kinds}
        for k in range(passes):
            order = kinds[k % len(kinds):] + kinds[:k % len(kinds)]
            for text in pages:
                for kind in order:
                    one(kind, text)
    finally:
        pageseq.load_seq_for = real
    base = statistics.median(times["without"])
    print(f"{len(pages)} held-out pasted pages x {passes} passes: median ms/page without the GRU {1000 * base:.2f}")
    for kind in kinds[1:]:
        m = statistics.median(times[kind])
        print(f"  with {kind}: {1000 * m:.2f} (x{m / base:.3f}); total s {sum(times[kind]) / passes:.2f} "
              f"(without: {sum(times['without']) / passes:.2f})")


def main(argv=None) -> int:
    import numpy as np
    from newsgist.evaluation import train_pageseq
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stage2", type=Path, help="cv_paste.py --dump-probs file (stage 2, out of fold)")
    ap.add_argument("--out-dir", type=Path)
    ap.add_argument("--epochs", type=int, default=None, help="default: train_pageseq.EPOCHS")
    ap.add_argument("--seed", type=int, default=None, help="the GRU's torch seed (default: train_pageseq.SEED)")
    ap.add_argument("--hidden", type=int, default=None, help="hidden units a direction (default: train_pageseq.HIDDEN)")
    ap.add_argument("--dropout", type=float, default=None,
                    help="session 7f: input dropout in training (default: train_pageseq.DROPOUT, off)")
    ap.add_argument("--weight-decay", type=float, default=None,
                    help="session 7f: Adam's L2 weight decay (default: train_pageseq.WEIGHT_DECAY, off)")
    ap.add_argument("--features", choices=train_pageseq.FEATURE_SETS, default=None,
                    help="session 8 (candidate W): the line-feature columns the GRU reads (train_pageseq.FEATURE_SETS; "
                         "default: train_pageseq.FEATURES, the shipped nets' set)")
    ap.add_argument("--site-folds", type=Path, metavar="SITES_JSON",
                    help="information (session 7e): folds grouped by site (cv_paste.site_fold_map over "
                         "paste_sites.py's sites file); stage-1 inputs from cv_paste --site-folds' cache, "
                         "--stage2 must be that run's --dump-probs file")
    ap.add_argument("--comment-thread", action="store_true",
                    help="candidate CT (session 8d): features and stage-1 caches of cv_paste --comment-thread "
                         "(cv-s8d-thread); --stage2 must be that run's --dump-probs file")
    ap.add_argument("--site-weights", type=Path, metavar="SITES_JSON",
                    help="candidate A (session 9): site-balanced training, a page weighs 1 / n(site) ** --site-alpha "
                         "(train_paste.site_page_weights); stage-1 inputs from cv_paste --site-weights' cache "
                         "(cv-s9a-sitew), --stage2 must be that run's --dump-probs file")
    ap.add_argument("--site-alpha", type=float, default=None, help="default: train_paste.SITE_ALPHA")
    from newsgist.evaluation.train_paste import PARAM_SETS
    ap.add_argument("--params", choices=sorted(PARAM_SETS), default=None,
                    help="candidate G (session 10c): stage-1 inputs from cv_paste --params NAME's cache "
                         "(cv-s10g-params), --stage2 must be that run's --dump-probs file")
    ap.add_argument("--words", metavar="SPEC", default=None,
                    help="session 8b, candidate X: the line's hashed words as extra GRU input columns, "
                         "bag:BUCKETS:CAP or bag+ends:BUCKETS:CAP:ENDS, or (session 9b, candidate V) vec:CAP, the frozen word "
                         "vectors of models/page-wordvec.npz (reading/pagewords.py, pagewordvec.py; default off)")
    ap.add_argument("--start", type=Path, metavar="START_PKL", default=None,
                    help="session 9e, candidate H: the article-start columns (reading/pagestart.py) from this "
                         "cv_pagestart.py file's start scores (made on the same folds) as extra GRU input columns")
    ap.add_argument("--no-eval", action="store_true",
                    help="skip the all-pages GRU that reads the Readability pages (the pickles' eval part is empty)")
    ap.add_argument("--time", type=Path, metavar="SEQ_JSON", nargs="+",
                    help="instead: time the clean stage on held-out pasted pages without a GRU and with each of these files")
    args = ap.parse_args(argv)
    if args.time:
        time_pages(args.time)
        return 0
    if args.stage2 is None or args.out_dir is None:
        ap.error("give --stage2 and --out-dir (or --time)")
    if not paste_render.SETS["dragnet"].exists():
        print(f"skipped: {paste_render.SETS['dragnet']} not found")
        return 0
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pageseq import SeqModel, seq_inputs
    args.out_dir.mkdir(parents=True, exist_ok=True)
    sets = cv_paste.load_sets(comment=True, thread=args.comment_thread)
    train, evals = list(sets["dragnet"]), list(sets["A"]) + list(sets["B"])
    with args.stage2.open("rb") as fh:
        p2 = pickle.load(fh)
    assert [p.id for p in train] == list(p2["oof"]), "stage-2 file's pages are not cv_paste's"
    tag = "-sitefolds" if args.site_folds else ""
    work = cv_paste.WORK_THREAD if args.comment_thread else cv_paste.WORK_COMMENT
    page_w = None
    if args.site_weights:       # candidate A (session 9): the site-weighted trees' stage 1, weighted GRUs
        from newsgist.evaluation.train_paste import SITE_ALPHA, site_page_weights
        if args.comment_thread or args.words:
            raise SystemExit("--site-weights runs alone")
        alpha = SITE_ALPHA if args.site_alpha is None else args.site_alpha
        work, tag = cv_paste.WORK_SITEW, f"-sw{alpha:g}" + tag
        page_w = site_page_weights([p.id for p in train], json.loads(args.site_weights.read_text()), alpha)
    if args.params is not None:    # candidate G (session 10c): its trees' stage 1
        if args.comment_thread or args.site_weights or args.start:
            raise SystemExit("--params runs alone")
        work, tag = cv_paste.WORK_PARAMS, f"-p{args.params}" + tag
    raw1_oof, raw1_eval = stage1_raw(work, len(train), len(evals), tag)
    feats = train_pageseq.feature_names(args.features or train_pageseq.FEATURES)
    cols = [list(FEATURE_NAMES).index(c) for c in feats]
    words = None
    if args.words:
        from newsgist.reading import pagewords
        words = pagewords.parse_spec(args.words)

    from newsgist.evaluation.train_paste import line_texts

    def texts(p):
        return line_texts(p) if words else None
    Z = [seq_inputs(p.X, r1, logit(p2["oof"][p.id]), cols, texts(p), words) for p, r1 in zip(train, raw1_oof)]
    Ze = [seq_inputs(p.X, r1, logit(p2["eval"][p.id]), cols, texts(p), words) for p, r1 in zip(evals, raw1_eval)]
    if args.start:
        if words:
            ap.error("--start and --words together are not built")
        if args.site_weights or args.comment_thread:    # cv_pagestart reads the plain stage 1 (review, session 9)
            ap.error("--start reads cv_pagestart.py's scores of the plain stage 1: not with --site-weights or --comment-thread")
        from newsgist.reading.pagestart import start_columns
        st = pickle.loads(args.start.read_bytes())
        assert list(st["oof"]) == [p.id for p in train], "start file's pages are not cv_paste's"
        if st.get("folds", "site" if args.site_folds else "page") != ("site" if args.site_folds else "page"):
            ap.error(f"{args.start} was made on {st['folds']} folds: its scores would leak held-out labels here")
        Z = [np.hstack([z, start_columns(st["oof"][p.id])]) for p, z in zip(train, Z)]
        if not args.no_eval and not all(p.id in st.get("eval", {}) for p in evals):
            ap.error(f"{args.start} has no start scores for the Readability pages (made with --no-eval?): give --no-eval")
        Ze = [np.hstack([z, start_columns(st["eval"][p.id])]) for p, z in zip(evals, Ze)] if not args.no_eval else Ze
    epochs = args.epochs or train_pageseq.EPOCHS
    seed = train_pageseq.SEED if args.seed is None else args.seed
    reg = {"hidden": train_pageseq.HIDDEN if args.hidden is None else args.hidden,
           "dropout": train_pageseq.DROPOUT if args.dropout is None else args.dropout,
           "weight_decay": train_pageseq.WEIGHT_DECAY if args.weight_decay is None else args.weight_decay}
    if words:
        reg["words"] = words
    if args.start:
        reg["start"] = True

    def weights_of(idx):
        return None if page_w is None else [page_w[i] for i in idx]
    if args.site_folds:
        fmap = cv_paste.site_fold_map([p.id for p in train], json.loads(args.site_folds.read_text()), FOLDS)
        fold = [fmap[p.id] for p in train]
    else:
        fold = [i % FOLDS for i in range(len(train))]
    log(f"folds: {'by site' if args.site_folds else 'page i -> i % 4'} (sizes {[fold.count(f) for f in range(FOLDS)]}), seed {seed}, epochs {epochs}, {reg}, {len(feats)} feature columns")
    gru_oof: dict = {}
    for f in range(FOLDS):
        t0 = time.perf_counter()
        tr = [i for i in range(len(train)) if fold[i] != f]
        d = train_pageseq.fit([Z[i] for i in tr], [train[i].y for i in tr], feats, epochs=epochs, seed=seed,
                               log=log, page_weights=weights_of(tr), **reg)
        (args.out_dir / f"seq-fold{f}.json").write_text(json.dumps(d) + "\n")
        m = SeqModel(d)
        for i in range(len(train)):
            if fold[i] == f:
                gru_oof[train[i].id] = m.logits(Z[i])
        log(f"fold {f + 1}/{FOLDS}: {time.perf_counter() - t0:.0f} s")
    # in the training pages' order, as the stage-2 pickle is: paste_failures.py and paste_sites.py
    # read page i's fold as i % 4 from its place (filled fold by fold, the order was wrong; review, session 7)
    gru_oof = {p.id: gru_oof[p.id] for p in train}
    gru_eval: dict = {}
    if not args.no_eval:
        t0 = time.perf_counter()
        d = train_pageseq.fit(Z, [p.y for p in train], feats, epochs=epochs, seed=seed, log=log,
                              page_weights=weights_of(range(len(train))), **reg)
        (args.out_dir / "seq-all.json").write_text(json.dumps(d) + "\n")
        m = SeqModel(d)
        gru_eval = {p.id: m.logits(z) for p, z in zip(evals, Ze)}
        log(f"all pages: {time.perf_counter() - t0:.0f} s")
    sig = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
    gru = {"oof": {k: sig(v) for k, v in gru_oof.items()}, "eval": {k: sig(v) for k, v in gru_eval.items()}}
    mean = {part: {k: 0.5 * (v + np.asarray(p2[part][k])) for k, v in gru[part].items()} for part in ("oof", "eval")}
    for name, probs in (("G-gru", gru), ("G-mean", mean)):
        with (args.out_dir / f"{name}.pkl").open("wb") as fh:
            pickle.dump({part: {k: np.asarray(v) for k, v in probs[part].items()} for part in probs}, fh)
        log(f"wrote {args.out_dir / (name + '.pkl')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
