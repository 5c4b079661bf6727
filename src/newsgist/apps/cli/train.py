"""``newsgist train DATA.jsonl --out MODEL``: train the learned highlight ranker.

A thin command over :mod:`newsgist.evaluation.train_ranker`, which holds the training
(oracle labels, LightGBM, out-of-fold tuning). Records are ``{article, highlights:
[...]}`` (the ``newsgist eval`` format). LightGBM is needed only here
(``pip install lightgbm==4.7.0``); the model file is read with numpy.
"""
from __future__ import annotations

import sys

from newsgist.errors import InputError, OptionsError
from newsgist.evaluation.train_corpus import TREE_STYLES
from newsgist.evaluation.train_ranker import DEFAULT_FOLDS, DEFAULT_SEED, ENSEMBLE_SEEDS, OBJECTIVES, train

COMMAND = "train"


def add_parser(subparsers):
    p = subparsers.add_parser(COMMAND, help="train the learned highlight ranker on {article, highlights} JSONL",
                              description="Train the 'learned' highlight ranker (LightGBM; needs lightgbm==4.7.0) "
                                          "on JSONL records {article, highlights:[...]} and write the model file: "
                                          "sentence trees, a word-salience lexicon learned from the references, "
                                          "their tuned blend and count, and a second stage that "
                                          "chooses the set of 3-4 highlights (kept if it gains out of fold). "
                                          "Use it with NEWSGIST_MODEL=MODEL, or ship it as "
                                          "src/newsgist/models/ranker.json.")
    p.add_argument("data", help="a JSONL file (.gz too) of {article, highlights}")
    p.add_argument("--out", required=True, help="where to write the model (JSON)")
    p.add_argument("--folds", type=int, default=DEFAULT_FOLDS, help="cross-validation folds for tuning (default: 5)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default: 0)")
    p.add_argument("--ensemble", type=int, default=ENSEMBLE_SEEDS,
                   help=f"boosters averaged per stage, each with its own bagging seed (default: {ENSEMBLE_SEEDS}; "
                        "1 trains that many times faster)")
    p.add_argument("--threads", type=int, default=2, help="LightGBM threads (default: 2)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N records")
    p.add_argument("--lexicon-data", nargs="+", action="extend", default=None, metavar="FILE",
                   help="more JSONL files (.gz too) of {article, highlights} counted into the word-salience "
                        "lexicon only, never into the trees (lower-cased, tokenised text is fine: the lexicon "
                        "is case-free; e.g. ../shared/data/cnndm-train/train-0*.jsonl.gz)")
    p.add_argument("--tree-data", nargs="+", action="extend", default=None, metavar="FILE",
                   help="more JSONL files (.gz too) of {article, highlights} whose articles of --tree-style "
                        "(default: WITHOUT a wire/CNN dateline) also train the sentence trees (issue 27: lower-cased, tokenised text, e.g. the "
                        "Daily Mail of ../shared/data/cnndm-train; features that read letter case are masked); "
                        "they tune nothing")
    p.add_argument("--tree-weight", type=float, default=1.0,
                   help="weight of each --tree-data article's sentences against a DATA article's (default: 1)")
    p.add_argument("--tree-limit", type=int, default=None, metavar="N",
                   help="use only the first N usable --tree-data articles")
    p.add_argument("--tree-style", choices=TREE_STYLES, default="undated",
                   help="which --tree-data articles train the trees: without a wire/CNN dateline (default; the "
                        "undated trees), with one (the dated trees), or all (each to the trees of its style)")
    p.add_argument("--objective", choices=OBJECTIVES, default="binary",
                   help="the sentence trees' objective: binary (in the oracle or not; default) or lambdarank "
                        "(each article's sentences ranked, the oracle as relevance)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return p


def run(args) -> int:
    from newsgist.evaluation.evaluate import read_jsonl
    if args.folds < 2:
        raise OptionsError(f"--folds must be at least 2, got {args.folds}")
    if args.ensemble < 1:
        raise OptionsError(f"--ensemble must be at least 1, got {args.ensemble}")
    if not args.tree_weight > 0:
        raise OptionsError(f"--tree-weight must be above 0, got {args.tree_weight}")
    if args.tree_limit is not None and args.tree_limit < 1:
        raise OptionsError(f"--tree-limit must be at least 1, got {args.tree_limit}")
    if args.threads < 1:
        raise OptionsError(f"--threads must be at least 1, got {args.threads}")
    records = list(read_jsonl(args.data, limit=args.limit))
    if not records:
        raise InputError(f"{args.data} holds no records")

    def log(msg):
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    lexicon_records = None
    if args.lexicon_data:
        import itertools   # streamed (39,000 articles need not sit in memory); missing files fail here
        lexicon_records = itertools.chain.from_iterable([read_jsonl(path) for path in args.lexicon_data])
    tree_records = None
    if args.tree_data:
        import itertools
        tree_records = itertools.chain.from_iterable([read_jsonl(path) for path in args.tree_data])
    model, info = train(records, args.folds, args.seed, args.threads, log, ensemble=args.ensemble,
                        lexicon_records=lexicon_records, tree_records=tree_records, tree_weight=args.tree_weight,
                        tree_limit=args.tree_limit, tree_style=args.tree_style, objective=args.objective)
    try:
        model.save(args.out)
    except OSError as exc:
        raise InputError(f"cannot write the model to {args.out}: {exc.strerror or exc}") from None
    oof = info["oof"]
    print(f"wrote {args.out}: {info['articles']} articles, {len(model.trees.roots)} trees, "
          f"length_penalty={model.length_penalty}, prior_weight={model.prior_weight}, "
          f"4th highlight at score >= {model.count4_threshold:.3g}; "
          f"out-of-fold R-1+R-2 {oof['learned_count']:.2f} (always 3: {oof['always3']:.2f}); "
          f"{_sets(info.get('set_reranker') or {})}{info['train_seconds']} s")
    return 0


def _sets(report: dict) -> str:
    """What the set reranker's out-of-fold test said, for the summary line."""
    if "gain" not in report:
        return ""
    verdict = "kept" if report.get("kept") else "dropped"
    return f"set reranker {report['oof_r1_plus_r2_sets']:.2f} ({report['gain']:+.2f}, {verdict}); "
