"""Compression benchmark: CNN-length highlights by deletion, with faithfulness checks.

    python benchmarks/bench_compress.py [--limit N] [--folds 5] [--examples 15] [--seed 0] [--fit]

On ../shared/data/cnndm/test-public-500.jsonl and validation-1000.jsonl, in one run:

1. ROUGE-1/2/Lsum F1 of LEAD-3 (pysbd), the uncompressed default highlights
   (``newsgist.read(text, highlights_only=True)``), the compress stage's choice of
   sentences uncompressed (selected fragments swapped for full clauses, see
   ``compress.replace_fragments``), and that choice compressed by the rules alone,
   by the learned deletion model (the proposed default), and by the model with
   ``--target-words``; paired bootstrap CIs of the gains.
   On validation the learned model is scored out of fold (``--folds``): it is fit
   on the other folds only. On test the shipped weights are used (fit on all of
   validation-1000); the test set never trains or tunes anything.
2. Rates over shown highlights: compressed, passing every faithfulness check,
   subject + finite verb (by the checks' parse, and by re-parsing the output),
   median words per highlight; median ms/article the compress stage adds.
3. ``--examples`` compressed highlights from test beside their sources (fixed seed).

``--fit`` refits the model on all of validation-1000 and prints the ``_WEIGHTS``
constant for :mod:`newsgist.highlighting.compress.stage`.

Labels for the model: each candidate deletion (a constituent) of a selected
sentence gets the share of its content words (ROUGE tokens, stemmed) found in the
article's reference highlights -- the word-level keep labels of an alignment.
The model is a logistic regression on soft labels (Newton's method, L2).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median, require_data  # noqa: E402

import numpy as np  # noqa: E402

import newsgist  # noqa: E402
from newsgist.highlighting.compress import stage as C  # noqa: E402
from newsgist.evaluation.evaluate import lead3_pysbd, paired_bootstrap, read_jsonl  # noqa: E402
from newsgist.evaluation.rouge import rouge_per_article, rouge_tokens  # noqa: E402
from newsgist.grounding.faithfulness import has_subject_and_finite_verb  # noqa: E402
from newsgist.card.nlp import load_nlp  # noqa: E402
from newsgist.options import Options  # noqa: E402
from newsgist.text import STOPWORDS  # noqa: E402

# Features seen fewer times than this in training get no weight (keeps the model small).
MIN_FEATURE_COUNT = 30
L2 = 1.0                 # ridge penalty of the logistic regression
NEWTON_STEPS = 25
METRICS = ("rouge1", "rouge2", "rougeLsum")
TARGET_ROW = 12          # the --target-words value shown in one row of the tables


# ------------------------------------------------------------------ data

def read_uncompressed(text):
    """The default selection, uncompressed."""
    return newsgist.read(text, highlights_only=True, compress=False)


def prepare(path, limit, nlp):
    """Read each article once; keep its default selection, the compress stage's choice of
    sentences (fragments swapped for full clauses) and the parses of those sentences."""
    rows = []
    opts = Options(compress=True)
    for rec in read_jsonl(path, limit=limit):
        art = read_uncompressed(rec["article"])
        row = {"article": rec["article"], "refs": rec["highlights"] if isinstance(rec["highlights"], list)
               else [x for x in rec["highlights"].split("\n") if x.strip()],
               "source": art.source, "auto_text": [h.text for h in art.highlights]}
        docs, row["swapped"] = C.replace_fragments(art, opts, nlp)  # as the stage does
        row["auto"] = [(h.start, h.end) for h in art.highlights]
        row["docs"] = {(h.start, h.end): docs[h.sentence] for h in art.highlights}
        row["ctx"] = C.article_context(row["source"])
        rows.append(row)
    return rows


def compress_row(row, model, target_words=None):
    ranges = row["auto"]
    out = []
    for k, (a, b) in enumerate(ranges):
        ctx = C.with_others(row["ctx"], row["source"], ranges, k) if model else None
        out.append(C.compress_doc(row["docs"][(a, b)], a, row["source"], model=model, context=ctx,
                                  target_words=target_words))
    return out


# ------------------------------------------------------------------ learning

def label(doc, cand, refset) -> float:
    """Share of the candidate's content words (ROUGE tokens) that the references use."""
    toks = rouge_tokens(" ".join(doc[i].text for i in sorted(cand.tokens) if not doc[i].is_punct))
    content = [t for t in toks if t not in STOPWORDS] or toks
    return sum(t in refset for t in content) / len(content) if content else 1.0


def examples(rows):
    """(features, label) of every candidate of every selected sentence of ``rows``."""
    out = []
    for row in rows:
        refset = {t for h in row["refs"] for t in rouge_tokens(h)}
        for k, (a, b) in enumerate(row["auto"]):
            doc = row["docs"][(a, b)]
            ctx = C.with_others(row["ctx"], row["source"], row["auto"], k)
            ctx = dict(ctx, position=a / max(1, ctx["chars"]))
            for c in C.candidates(doc, tuple(C.RULES) + ("modifier",)):
                out.append((C.features(doc, c, ctx), label(doc, c, refset)))
    return out


def fit(items) -> dict:
    """Logistic regression on soft labels, L2, by Newton's method; returns weights."""
    counts = Counter(k for f, _ in items for k in f)
    names = sorted(k for k, v in counts.items() if v >= MIN_FEATURE_COUNT or k == "bias")
    index = {k: i for i, k in enumerate(names)}
    x = np.zeros((len(items), len(names)))
    for r, (f, _) in enumerate(items):
        for k, v in f.items():
            if k in index:
                x[r, index[k]] = v
    y = np.array([t for _, t in items])
    w = np.zeros(len(names))
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + L2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + L2 * np.eye(len(names))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return {n: round(float(v), 3) for n, v in zip(names, w) if abs(v) >= 5e-4}


def model_of(weights: dict) -> dict:
    return dict(C.MODEL, weights=weights)


# ------------------------------------------------------------------ evaluation

def evaluate_set(name, rows, folds, seed):
    refs = [r["refs"] for r in rows]
    preds, comps = {}, {}
    preds["lead3"] = [lead3_pysbd(r["article"]) for r in rows]
    preds["default (uncompressed)"] = [r["auto_text"] for r in rows]
    preds["default, fragments swapped (uncompressed)"] = [[" ".join(r["source"][a:b].split()) for a, b in r["auto"]]
                                                         for r in rows]
    comps["default + rules"] = [compress_row(r, None) for r in rows]
    if folds:  # out of fold: each article compressed by a model that never saw it
        fold_of = [i % folds for i in range(len(rows))]
        models = [model_of(fit(examples([r for i, r in enumerate(rows) if fold_of[i] != k])))
                  for k in range(folds)]
        pick = [models[fold_of[i]] for i in range(len(rows))]
    else:
        pick = [C.MODEL] * len(rows)
    tag = " (out of fold)" if folds else ""
    proposed = "default + learned" + tag + " = proposed"
    comps[proposed] = [compress_row(r, m) for r, m in zip(rows, pick)]
    comps[f"default + learned{tag}, target {TARGET_ROW} words"] = [
        compress_row(r, m, TARGET_ROW) for r, m in zip(rows, pick)]
    for k, v in comps.items():
        preds[k] = [[c.text for c in cs] for cs in v]
    per = {k: rouge_per_article(v, refs) for k, v in preds.items()}
    base = "default (uncompressed)"
    print(f"\n## {name} ({len(rows)} articles)\n")
    print("| method | R-1 | R-2 | R-Lsum | Δ R-1 | Δ R-2 | Δ R-Lsum | #hl | words/hl (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    mean = {k: {m: statistics.fmean(x[m] for x in v) for m in METRICS} for k, v in per.items()}
    for k, v in preds.items():
        words = [len(h.split()) for p in v for h in p]
        d = [mean[k][m] - mean[base][m] for m in METRICS]
        print(f"| {k} | " + " | ".join(f"{mean[k][m]:.2f}" for m in METRICS) + " | "
              + " | ".join(f"{x:+.2f}" for x in d)
              + f" | {len(words) / len(v):.2f} | {median(words):.0f} |")
    for k in (kk for kk in comps if "learned" in kk):
        cis = []
        for m in ("rouge2", "rougeLsum"):
            dd, lo, hi = paired_bootstrap(per[k], per[base], m, seed=seed)
            cis.append(f"{m}: {dd:+.2f} (95% CI {lo:+.2f} .. {hi:+.2f})")
        print(f"\n{k} minus {base}: " + "; ".join(cis))
    print("\n| method | compressed | passed every check | subject+finite verb (checks' parse) | "
          "subject+finite verb (re-parse of output) | fell back after a failed check |")
    print("|---|---:|---:|---:|---:|---:|")
    nlp = load_nlp()
    for k, v in comps.items():
        flat = [c for cs in v for c in cs]
        n = len(flat)
        reparsed = [has_subject_and_finite_verb(d) for d in nlp.pipe([c.text for c in flat], batch_size=64)]
        fell = sum(1 for c in flat if any(r == "all" for r, _ in c.refused))
        sv = sum(1 for c in flat if c.report["subject_verb"])
        print(f"| {k} | {sum(c.compressed for c in flat) / n:.1%} | "
              f"{sum(c.report['passed'] for c in flat) / n:.1%} | {sv / n:.1%} | "
              f"{sum(reparsed) / n:.1%} | {fell} |")
        cc = [(c, ok) for c, ok in zip(flat, reparsed) if c.compressed]
        if cc:
            print(f"|   ↳ compressed ones only ({len(cc)}) | 100% | "
                  f"{sum(c.report['passed'] for c, _ in cc) / len(cc):.1%} | "
                  f"{sum(1 for c, _ in cc if c.report['subject_verb']) / len(cc):.1%} | "
                  f"{sum(ok for _, ok in cc) / len(cc):.1%} | - |")
    return comps[proposed]


def timing(rows):
    """Median ms/article of the compress stage (parse of the selected sentences included)."""
    opts = Options(compress=True)
    stage = []
    for r in rows:
        art = read_uncompressed(r["article"])
        t0 = time.perf_counter()
        C.stage_compress(art, opts)
        stage.append((time.perf_counter() - t0) * 1000)
    read = []
    for r in rows[: min(len(rows), 200)]:
        t0 = time.perf_counter()
        read_uncompressed(r["article"])
        read.append((time.perf_counter() - t0) * 1000)
    print(f"\n## Speed ({len(rows)} articles)\n\ncompress stage (parse the selected sentences, compress, "
          f"check): median {median(stage):.1f} ms/article (p90 {sorted(stage)[int(0.9 * (len(stage) - 1))]:.1f}); "
          f"highlights-only read without it: median {median(read):.1f} ms/article")
    n = sum(len(r["auto"]) for r in rows)
    print(f"\nfragments (no subject + finite verb) swapped for the next-best full clause: "
          f"{sum(r['swapped'] for r in rows)} of {n} selected sentences")


def show_examples(rows, comps, n, seed):
    pool = [(r, c) for r, cs in zip(rows, comps) for c in cs if c.compressed]
    if not pool:
        return
    print(f"\n## {n} compressed highlights from test-public-500 (seed {seed})\n")
    for k, (r, c) in enumerate(random.Random(seed).sample(pool, min(n, len(pool))), 1):
        src = " ".join(r["source"][c.start:c.end].split())
        print(f"{k}. source ({len(src.split())} words): {src}\n   highlight ({len(c.text.split())} words): "
              f"{c.text}\n   deleted by: {', '.join(c.rules)}\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="articles per file (default: all)")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds on validation")
    ap.add_argument("--examples", type=int, default=15)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fit", action="store_true", help="refit on validation and print _WEIGHTS")
    args = ap.parse_args(argv)
    test = require_data("cnndm/test-public-500.jsonl")
    val = require_data("cnndm/validation-1000.jsonl")
    nlp = load_nlp()
    if args.fit:
        weights = fit(examples(prepare(val, args.limit, nlp)))
        body = " ".join(f"{k}:{v}" for k, v in sorted(weights.items()))
        print("_WEIGHTS = \"\"\"")
        line = ""
        for tok in body.split(" "):
            if len(line) + len(tok) > 96:
                print(line.rstrip())
                line = ""
            line += tok + " "
        print(line.rstrip() + "\n\"\"\"")
        return
    t0 = time.time()
    test_rows = prepare(test, args.limit, nlp)
    comps = evaluate_set(test.name + " (shipped weights)", test_rows, 0, args.seed)
    timing(test_rows)
    show_examples(test_rows, comps, args.examples, args.seed)
    val_rows = prepare(val, args.limit, nlp)
    evaluate_set(val.name, val_rows, args.folds, args.seed)
    print(f"\n(total {time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
