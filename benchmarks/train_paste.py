"""Train the pasted-page line model (issue 31) and write ``src/newsgist/models/page-lines.json``.

One command, the same file every time (fixed seeds, deterministic LightGBM, one thread)::

    nice -n 10 python benchmarks/train_paste.py

It renders the Dragnet pages that are not yet in the cache (``benchmarks/paste_render.py``,
Chromium, JavaScript off, no network; ``/tmp/newsgist-paste``), keeps the training part
(:func:`newsgist.evaluation.train_paste.split_of`: 80 % by a hash of the page id; the
other 20 % is held out for ``benchmarks/bench_paste.py``), labels the lines by the
hand-extracted text (with ``READABILITY_TRAINS``, also half A of the Readability test
pages, labelled by Readability.js's text) and trains the two tree stages (:mod:`newsgist.evaluation.train_paste`).
Needs the test extra (playwright, Chromium) for rendering and ``lightgbm==4.7.0``.

``--seq`` also trains the recurrent stage (``src/newsgist/models/page-seq.json``,
:mod:`newsgist.evaluation.train_pageseq`: a bidirectional GRU on each training page's
out-of-fold stage-1 and stage-2 log-odds, torch on CPU, one thread; since session 7g three
nets, seeds 0, 1, 2, each with input dropout 0.2, weight decay 1e-4, 10 epochs: ``train_pageseq.ENSEMBLE``), stamped with the
fingerprint of the trees written beside it (``trees_sha1``; the page model refuses a GRU file
trained beside other trees). Torch is a
training-time need only (extra ``train-seq``); with the torch interpreter and lightgbm from
the project's venv::

    OMP_NUM_THREADS=1 PYTHONPATH=$PWD/src:/work/main/.venv/lib/python3.11/site-packages \
        nice -n 10 /work/torchvenv/bin/python benchmarks/train_paste.py --no-render --seq

``--modern DIR_OR_FILE... [--modern-weight W]`` (issue 31, session 11, candidate M; off by default,
not in the shipped model): written modern pages (``tests/fixtures/paste/modern`` format) join the
training pages after the Dragnet pages, labelled by the Dragnet labeller from their gold
(``train_paste.modern_page``), each weighing W (default ``train_paste.MODERN_WEIGHT``) in every
tree fit and the GRUs. Each argument is a folder with at least one ``*.json`` page or one
``*.json`` page file (so a subset can be named: ``modern-train/{35..84}-*.json``); anything else,
two pages with one id, or a W that is not a finite number > 0 stops the command before any
rendering. The file's info records the pages (id, sha1), W, the labels' agreement with the
written line kinds, and the out-of-fold mean F1 over the other (Dragnet) pages alone, which is
the figure comparable with a run without ``--modern``.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import paste_render  # noqa: E402

OUT = REPO_ROOT / "src" / "newsgist" / "models" / "page-lines.json"
SEQ_OUT = REPO_ROOT / "src" / "newsgist" / "models" / "page-seq.json"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-render", action="store_true", help="use the cached pages only")
    ap.add_argument("--limit", type=int, default=None, help="first N Dragnet pages only (a quick try)")
    ap.add_argument("--seq", action="store_true",
                    help="also train the recurrent stage (reading/pageseq.py; needs torch and lightgbm: the "
                         "train-seq extra, torch's CPU build) and write --seq-out")
    ap.add_argument("--seq-out", type=Path, default=SEQ_OUT)
    ap.add_argument("--seq-mix", choices=("gru", "mean"), default="mean")
    ap.add_argument("--seq-words", metavar="SPEC", default=None,
                    help="session 8b: the line's hashed words as GRU input columns (bag:BUCKETS:CAP or "
                         "bag+ends:BUCKETS:CAP:ENDS; session 9b: vec:CAP, frozen word vectors; 'off'); default train_pageseq.WORDS")
    ap.add_argument("--site-weights", type=Path, metavar="SITES_JSON",
                    help="session 9, candidate A (off by default): site-balanced training of the trees and the GRUs, "
                         "a page weighs 1 / n(site) ** --site-alpha (paste_sites.py's sites file)")
    ap.add_argument("--site-alpha", type=float, default=None, help="default: train_paste.SITE_ALPHA")
    from newsgist.evaluation.train_paste import PARAM_SETS
    ap.add_argument("--params", choices=sorted(PARAM_SETS), default=None,
                    help="session 10c, candidate G (off by default): both tree stages with this LightGBM parameter "
                         "set (train_paste.PARAM_SETS)")
    ap.add_argument("--lexical", nargs="?", const="abs", default=None, choices=("abs", "rel"),
                    help="session 10's candidate C (off by default): stage 2 also reads the lexical continuation "
                         "columns (newsgist.reading.pagelexical); the page model reads them from the file's stage2_features; "
                         "'--lexical rel': session 10f's candidate C2 (page-relative columns, LEXICAL_REL_NAMES)")
    ap.add_argument("--modern", type=Path, nargs="+", metavar="DIR_OR_FILE", default=None,
                    help="session 11, candidate M (off by default): written modern pages as training pages; each "
                         "a folder with at least one *.json page, or one *.json page file")
    ap.add_argument("--modern-weight", type=float, default=None,
                    help="a modern page's weight in Dragnet pages, on every line of it (default: "
                         "train_paste.MODERN_WEIGHT)")
    ap.add_argument("--oof-out", type=Path, metavar="FILE", default=None,
                    help="session 12b (off by default): write each training page's out-of-fold page F1 at the "
                         "run's threshold (id, source, written or not) and the means to FILE (JSON)")
    args = ap.parse_args(argv)
    if args.modern_weight is not None and not args.modern:
        ap.error("--modern-weight needs --modern")
    if args.modern_weight is not None and not (math.isfinite(args.modern_weight) and args.modern_weight > 0):
        print(f"error: --modern-weight must be a finite number > 0 (got {args.modern_weight})", file=sys.stderr)
        return 2
    modern = None
    if args.modern:     # read and checked before any rendering or feature work (review, session 11)
        try:
            modern = _modern(args.modern)
        except (OSError, ValueError) as exc:      # one line, the file named
            print("error: --modern: " + " ".join(str(exc).split()), file=sys.stderr)
            return 2
    if not args.seq and args.out.resolve() == OUT.resolve() and SEQ_OUT.exists():
        # new trees under the shipped GRU would leave a pair the page model refuses (session 7e)
        print(f"error: {SEQ_OUT.name} beside {OUT.name} was trained with the current trees; retrain both "
              f"(--seq, needs torch), write the trees elsewhere (--out), or delete {SEQ_OUT.name}", file=sys.stderr)
        return 2
    if not paste_render.SETS["dragnet"].exists():
        print(f"skipped: {paste_render.SETS['dragnet']} not found")
        return 0
    from newsgist.evaluation.train_paste import (READABILITY_TRAINS, line_texts, prepare, readability_half, split_of,
                                                 train)
    from newsgist.reading import pagelexical
    sets = ["dragnet"] + (["readability"] if READABILITY_TRAINS else [])
    if READABILITY_TRAINS and not paste_render.SETS["readability"].exists():
        print(f"skipped: {paste_render.SETS['readability']} not found")
        return 0
    if not args.no_render:
        paste_render.render(sets, args.limit, log=lambda m: print(m, file=sys.stderr, flush=True))
    pages = [p for p in paste_render.pasted_pages("dragnet", args.limit) if split_of(p["id"]) == "train"]
    sources = ["dragnet"] * len(pages)      # each page's set, for --oof-out
    if READABILITY_TRAINS:      # half A of the Readability test pages, after the Dragnet pages
        pages += [p for p in paste_render.pasted_pages("readability", args.limit) if readability_half(p["id"]) == "A"]
        sources += ["readability"] * (len(pages) - len(sources))
    if modern:
        from newsgist.evaluation.train_paste import modern_page
        pages += [modern_page(m) for m, _ in modern]
        sources += ["modern"] * len(modern)
    t0 = time.perf_counter()
    prepared = prepare(pages)
    print(f"{len(prepared)} training pages, {sum(len(p.y) for p in prepared)} lines "
          f"({sum(p.y.sum() for p in prepared):.0f} article lines); features in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    oof = {} if args.seq or modern or args.oof_out else None    # modern: the pages' out-of-fold F1 (review, session 11)
    words = None
    if args.seq:    # the GRUs' word spec, read BEFORE the trees are written (review, session 9): a bad spec or a
        from newsgist.evaluation import train_pageseq       # missing table must not leave new trees beside old nets
        from newsgist.reading import pagewords
        try:
            words = train_pageseq.WORDS if args.seq_words is None else \
                (None if args.seq_words == "off" else pagewords.parse_spec(args.seq_words))
        except (OSError, ValueError) as exc:
            print(f"error: --seq-words {args.seq_words}: {exc} (the vec table is built by benchmarks/make_wordvec.py)",
                  file=sys.stderr)
            return 2
        if words is not None and train_pageseq.START:
            print("error: word columns and article-start columns together are not built", file=sys.stderr)
            return 2
    page_w = None
    if args.site_weights:       # candidate A (session 9): site-balanced sample weights, every stage
        from newsgist.evaluation.train_paste import SITE_ALPHA, site_page_weights
        page_w = site_page_weights([p.id for p in prepared], json.loads(args.site_weights.read_text()),
                                   SITE_ALPHA if args.site_alpha is None else args.site_alpha)
    modern_info = None
    if modern:      # candidate M (session 11): the modern pages weigh --modern-weight Dragnet pages
        from newsgist.evaluation.train_paste import MODERN_WEIGHT
        weight = MODERN_WEIGHT if args.modern_weight is None else args.modern_weight
        try:
            page_w, modern_info = _modern_weights(prepared, modern, weight, page_w)
        except ValueError as exc:       # one line, the page named (session 12d)
            print(f"error: --modern: {exc}", file=sys.stderr)
            return 2
    model = train(prepared, log=lambda m: print(m, file=sys.stderr, flush=True), oof=oof, page_weights=page_w,
                  param_set=args.params,
                  lexical=pagelexical.mode_of(args.lexical),
                  **({"weights_name": "modern" if not args.site_weights else "site+modern"} if modern else {}))
    if modern_info:
        # the printed out-of-fold F1 mixes the written pages in; the Dragnet pages' alone compares with
        # a run without --modern (at this run's threshold, tuned on all the pages; review, session 11)
        from newsgist.evaluation.train_paste import MODERN_PREFIX
        f1 = [v for p, v in zip(prepared, oof["f1"]) if not p.id.startswith(MODERN_PREFIX)]
        modern_info["oof_mean_f1_without_modern"] = round(sum(f1) / max(len(f1), 1), 4)
        model["info"]["modern"] = modern_info
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} kB; threshold {model['threshold']}, "
          f"out-of-fold mean F1 {model['info']['oof_mean_f1']}"
          + (f"; over the {len(f1)} pages that are not modern (Dragnet): {modern_info['oof_mean_f1_without_modern']}"
             if modern_info else "") + ")")
    if args.oof_out:    # session 12b: the per-page out-of-fold F1, for the registration's Dragnet validation loss
        args.oof_out.write_text(json.dumps(oof_record(prepared, sources, oof["f1"], model), indent=1) + "\n",
                                encoding="utf-8")
        print(f"wrote {args.oof_out}")
    if args.seq:     # the recurrent stage (session 7c), on the pages' out-of-fold log-odds
        from newsgist.reading.pagelines import FEATURE_NAMES
        from newsgist.reading.pageseq import seq_inputs
        feats = train_pageseq.feature_names(train_pageseq.FEATURES)      # session 8: a named set
        cols = [list(FEATURE_NAMES).index(c) for c in feats]
        # session 8b: the line's words as extra columns (train_pageseq.WORDS, or --seq-words; read above)
        Z = [seq_inputs(p.X, r1, r2, cols, line_texts(p) if words else None, words)
             for p, r1, r2 in zip(prepared, oof["raw1"], oof["raw2"])]
        start = None
        if train_pageseq.START:     # session 9e (candidate H): the article-start columns and their trees
            import numpy as np
            from newsgist.evaluation.train_paste import DEFAULT_FOLDS
            from newsgist.reading.pagemodel import stage2_features
            from newsgist.reading.pagestart import START_NAMES, start_columns, start_rows
            R = [start_rows(stage2_features(p.X, r1), r2) for p, r1, r2 in zip(prepared, oof["raw1"], oof["raw2"])]
            ys = [p.y for p in prepared]
            Z = [np.hstack([z, start_columns(s)]) for z, s in
                 zip(Z, train_pageseq.start_scores_oof(R, ys, DEFAULT_FOLDS))]
            start = {"columns": list(START_NAMES), "trees": train_pageseq.fit_start(R, ys)}
        # session 7g: three regularised nets (seeds 0-2; 7f's R1 constants), read in one pass
        seq = train_pageseq.fit_nets(Z, [p.y for p in prepared], feats, train_pageseq.ENSEMBLE_SEEDS,
                                     mix=args.seq_mix, log=lambda m: print(m, file=sys.stderr, flush=True),
                                     **train_pageseq.ENSEMBLE, **({"words": words} if words else {}),
                                     **({"page_weights": page_w} if page_w is not None else {}),
                                     **({"weights_name": model["info"]["page_weights"]} if modern else {}),
                                     **({"start": True} if start else {}))
        if start:
            seq["start"] = start
        # the trees as written (read back), so the fingerprint is the loader's (session 7e)
        seq = train_pageseq.pair(seq, json.loads(args.out.read_text(encoding="utf-8")))
        args.seq_out.write_text(json.dumps(seq, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.seq_out} ({args.seq_out.stat().st_size / 1024:.0f} kB, mix {args.seq_mix})")
    return 0


def oof_record(prepared, sources, f1, model) -> dict:
    """The run's threshold, each training page's out-of-fold page F1 (``train``'s ``oof["f1"]``, at that
    threshold) with its id, set (dragnet, readability, modern) and whether it is a written page, and the
    means: all pages, the pages that are not written (Dragnet and Readability half A: the figure of
    ``oof_mean_f1_without_modern``), the Dragnet pages alone, the written pages alone (None when empty)."""
    from newsgist.evaluation.train_paste import MODERN_PREFIX
    rows = [{"id": p.id, "set": s, "written": p.id.startswith(MODERN_PREFIX), "f1": round(float(v), 6)}
            for p, s, v in zip(prepared, sources, f1)]

    def mean(keep):
        v = [r["f1"] for r in rows if keep(r)]
        return {"n": len(v), "mean_f1": round(sum(v) / len(v), 6) if v else None}
    return {"threshold": model["threshold"], "relative": model.get("relative"),
            "means": {"all": mean(lambda r: True), "not_written": mean(lambda r: not r["written"]),
                      "dragnet": mean(lambda r: r["set"] == "dragnet"), "written": mean(lambda r: r["written"])},
            "pages": rows}


def _modern(args) -> list[tuple[dict, str]]:
    """The written pages of ``args`` (in the order given; a folder's ``*.json`` files by name), each
    with the sha1 of its JSON file, checked by ``bench_paste_modern.load_page``. Each argument must
    be a folder holding at least one page or a ``*.json`` file; anything else, or two pages with
    one id, is a ValueError naming it (a mistyped folder must not train the plain model)."""
    import hashlib
    from bench_paste_modern import load_page
    out, where = [], {}
    for a in args:
        a = Path(a)
        if a.is_dir():
            files = sorted(a.glob("*.json"))
            if not files:
                raise ValueError(f"{a}: a folder with no *.json page")
        elif a.is_file() and a.suffix == ".json":
            files = [a]
        elif a.exists():
            raise ValueError(f"{a}: neither a folder nor a *.json page file")
        else:
            raise ValueError(f"{a}: no such folder or file")
        for f in files:
            try:
                page = load_page(f)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{f}: not JSON ({exc})") from None
            except (TypeError, KeyError, AttributeError) as exc:
                raise ValueError(f"{f}: not a written page ({exc!r})") from None
            if page["id"] in where:
                raise ValueError(f"page id {page['id']!r} in both {where[page['id']]} and {f}")
            where[page["id"]] = f
            out.append((page, hashlib.sha1(f.read_bytes()).hexdigest()))
    return out


def _modern_weights(prepared, modern, weight: float, page_w=None):
    """Page weights (1 a Dragnet page, ``weight`` a modern one; times ``page_w`` when given) and the
    info block: the pages (id, sha1), the weight, the training labels' agreement with the written
    line kinds (printed too). A written page that ``prepare`` left out (no worded line) is a
    ValueError naming it."""
    from collections import Counter
    from newsgist.evaluation.train_paste import MODERN_PREFIX, label_agreement, modern_page
    if not (math.isfinite(weight) and weight > 0):
        raise ValueError(f"the modern weight must be a finite number > 0 (got {weight})")
    by_id = {p.id: p for p in prepared}
    agree = lines = 0
    wrong = Counter()
    for page, _ in modern:
        prepared_page = by_id.get(modern_page(page)["id"])
        if prepared_page is None:       # prepare() leaves out a page with no worded line (was a bare KeyError)
            raise ValueError(f"written page {page['id']!r}: no worded line, so it is not a training page "
                             "(give it a line with a word, or leave it out)")
        a, n, kinds = label_agreement(prepared_page, page)
        agree, lines = agree + a, lines + n
        wrong.update(kinds)
    print(f"{len(modern)} modern pages (weight {weight:g}): training labels agree with the written kinds on "
          f"{agree} of {lines} lines ({agree / max(lines, 1):.4f}); disagreeing: "
          + ", ".join(f"{k} {v}" for k, v in wrong.most_common()), file=sys.stderr)
    w = [weight if p.id.startswith(MODERN_PREFIX) else 1.0 for p in prepared]
    if page_w is not None:
        w = [a * b for a, b in zip(w, page_w)]
    info = {"weight": weight, "pages": [{"id": p["id"], "sha1": h} for p, h in modern],
            "label_agreement": {"lines": lines, "agree": agree, "disagree_kinds": dict(wrong.most_common())}}
    return w, info


if __name__ == "__main__":
    sys.exit(main())
