"""Issue 27: the ranker's lexicon learned also from cnndm-train (39,160 CNN/DailyMail training
articles with their editors' highlights), out of fold, LEAD-3 in the same run.

    python benchmarks/bench_cnndm_train.py [--sizes 0,2000,5000,10000,all] [--eval-dm 1000] [--eval-cnn 500]
    python benchmarks/bench_cnndm_train.py --sizes 0 --trees-dm 0,2000,5000,all [--dm-weight 1]   # session 2
    python benchmarks/bench_cnndm_train.py --sizes 0 --trees-cnn 0,all,10000,5000   # session 3: CNN, dated trees
    python benchmarks/bench_cnndm_train.py --sizes 0 --trees-dm 0,5000 --objective lambdarank   # session 3

The trees are trained as ``newsgist train`` trains them: on validation-1000 + sumllm-train-1000
(cased), 5 folds by index, three boosters, per dateline style, tuned blend, set reranker. For each
learning-curve size, the first N articles of cnndm-train in a fixed shuffled order (seed 0) are
added to the lexicon counts (``--lexicon-data``). Scored out of fold:

* val, sumllm: the usual out-of-fold sets (the fold models never saw the article; its lexicon
  columns leave it and its near-duplicates out);
* cnndm-DM / cnndm-CNN: a fixed sample of cnndm-train's Daily Mail (chunks 166-287) and CNN
  articles, made segmentable (:func:`newsgist.evaluation.train_corpus.readable`: sentence starts
  capitalised, tokenisation undone; still lower-case), scored by the fold models of their index
  (never trained on them), their lexicon columns counted without them and their near-duplicates.
  LEAD-3 is pysbd on the same readable text, references detokenised the same way.

``--trees-dm`` (issue 27, session 2): the lexicon stays as trained today and the sentence trees of
articles without a dateline learn also from the first N Daily Mail articles of cnndm-train (all but
the eval sample, shuffled order), made readable, case features masked
(:func:`newsgist.evaluation.train_ranker.tree_examples`), lexicon columns from the undated lexicon
as run time fills them, rows weighted ``--dm-weight``; they join every fold's training part and tune
nothing. The Daily Mail sample is scored twice: as before (its case features as they come out of
lower-cased text) and masked like the training rows ("cnndm-DM masked"). "LEAD-3 clean" below the
table is the first three of newsgist's own sentences (the cleaner drops the bylines pysbd keeps).

R-1 / R-2 are the trainer's counter (rouge_score's numbers); the largest size also gets rouge_score's
R-1 / R-2 / R-Lsum through ``evaluate``. Prepared articles are cached under /tmp.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ranker import CACHE, SETS, SRC, TRAINED_ON, _r12, prepared  # noqa: E402
from common import data_path, require_data  # noqa: E402

from newsgist.evaluation.evaluate import evaluate, lead3_pysbd, paired_bootstrap, read_jsonl  # noqa: E402
from newsgist.evaluation.rouge import rouge_tokens  # noqa: E402
from newsgist.evaluation.train_corpus import detokenize, mask_case_features, readable, stem_sets  # noqa: E402
from newsgist.highlighting.lexicon import lexicon_features  # noqa: E402
from newsgist.highlighting.ranker_features import LEXICON_COLUMNS, sentence_stems  # noqa: E402
from newsgist.evaluation.train_ranker import add_lexicon, oof_by_style, prepare, tune  # noqa: E402
from newsgist.evaluation.train_rerank import oof_sets, set_data  # noqa: E402
from newsgist.highlighting.ranker import blend, choose_count  # noqa: E402
from newsgist.highlighting.select import select  # noqa: E402

TRAIN_FILES = [f"cnndm-train/train-0{k}.jsonl.gz" for k in range(4)]
DM_FIRST_CHUNK = 166    # PROVENANCE.md: chunks 166-287 are Daily Mail


def chunk_of(rec) -> int:
    return int(rec["id"].split("train_")[1].split("-")[0])


def _key(*files) -> str:
    return hashlib.md5(b"".join((SRC / p).read_bytes() for p in files)).hexdigest()[:10]


def load_train() -> list[dict]:
    out = []
    for f in TRAIN_FILES:
        out.extend(read_jsonl(require_data(f)))
    return out


def extra_sets(recs):
    path = CACHE / f"cnndm-train-stems-{len(recs)}-{_key('evaluation/train_corpus.py', 'text.py')}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    t0 = time.perf_counter()
    out = stem_sets(recs)
    if len(out[0]) != len(recs):
        raise SystemExit("a cnndm-train record had no article or highlights")
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    print(f"[cnndm-train] stem sets of {len(recs)} articles in {time.perf_counter() - t0:.0f} s", flush=True)
    return out


def prepared_kept(name, recs):
    """(records, prepared examples) of the ``recs`` that cleaning keeps, cached like bench_ranker's."""
    key = _key("highlighting/ranker_features.py", "reading/clean.py", "reading/segment.py",
               "evaluation/train_ranker.py", "evaluation/train_corpus.py")
    path = CACHE / f"{name}-{len(recs)}-{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    kept, examples = [], []
    for r in recs:
        ex, _ = prepare([r])
        if ex:
            kept.append(r)
            examples.append(ex[0])
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps((kept, examples)))
    return kept, examples


DM_CHUNK = 500


def dm_tree_rows(train, idx, name="DM"):
    """(id, X, y, sentence stems) of the articles ``idx`` of cnndm-train (``name``: DM, or CNN for
    the dated ones of session 3) as ``train_ranker.tree_examples`` prepares them, case features
    masked, cached in chunks before masking."""
    from types import SimpleNamespace
    key = _key("highlighting/ranker_features.py", "reading/clean.py", "reading/segment.py")
    folder = CACHE / f"cnndm-{name}-trees-{len(idx)}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(0, len(idx), DM_CHUNK):
        path = folder / f"chunk-{k // DM_CHUNK:03d}.pkl"
        if not path.exists():
            rows = []
            for r in readable_records([train[i] for i in idx[k:k + DM_CHUNK]]):
                ex, _ = prepare([r])
                for e in ex:
                    rows.append((r["id"], e.X, e.y,
                                 sentence_stems(e.article.sentence_text(i) for i in range(len(e.article.sentences)))))
            path.write_bytes(pickle.dumps(rows))
        out.extend(SimpleNamespace(X=mask_case_features(X), y=y, stems=st)
                   for _, X, y, st in pickle.loads(path.read_bytes()))
    return out


def readable_records(recs):
    return [{"id": r["id"], "article": readable(r["article"]), "highlights": [detokenize(h) for h in r["highlights"]]}
            for r in recs]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0,2000,5000,10000,all")
    ap.add_argument("--eval-dm", type=int, default=1000, help="Daily Mail articles of cnndm-train scored OOF")
    ap.add_argument("--eval-cnn", type=int, default=500, help="CNN articles of cnndm-train scored OOF")
    ap.add_argument("--ensemble", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None, help="val/sumllm records (tests)")
    ap.add_argument("--trees-dm", default=None,
                    help="sizes: cnndm-train DM articles in the trees (lexicon: --sizes' first)")
    ap.add_argument("--dm-weight", type=float, default=1.0, help="weight of each DM tree article's rows")
    ap.add_argument("--trees-cnn", default=None,
                    help="sizes: cnndm-train CNN articles with a dateline in the dated trees (session 3; "
                         "the DM trees: --trees-dm's first size)")
    ap.add_argument("--objective", default="binary", help="the sentence trees' objective (session 3: lambdarank)")
    ap.add_argument("--cnn-weight", type=float, default=1.0, help="weight of each CNN tree article's rows")
    args = ap.parse_args()

    train = load_train()
    order = list(range(len(train)))
    random.Random(0).shuffle(order)
    dm = [i for i in order if chunk_of(train[i]) >= DM_FIRST_CHUNK][:args.eval_dm]
    cnn = [i for i in order if chunk_of(train[i]) < DM_FIRST_CHUNK][:args.eval_cnn]
    xs = extra_sets(train)
    print(f"cnndm-train: {len(train)} articles ({sum(chunk_of(r) >= DM_FIRST_CHUNK for r in train)} Daily Mail by "
          f"chunk), {sum(xs[0])} with a wire/CNN dateline", flush=True)

    pool = []   # (set name, example, LEAD-3 pair, record)
    for name in TRAINED_ON:
        recs = list(read_jsonl(data_path(SETS[name]), limit=args.limit))
        for r, ex in zip(recs, prepared(name, recs)):
            pool.append((name, ex, _r12(ex, rouge_tokens(" ".join(lead3_pysbd(r["article"])))), r))
    n_train = len(pool)
    for name, idx in (("cnndm-DM", dm), ("cnndm-CNN", cnn)):
        recs, exs = prepared_kept(name, readable_records([train[i] for i in idx]))
        print(f"[{name}] {len(recs)} of {len(idx)} articles usable", flush=True)
        for r, ex in zip(recs, exs):
            pool.append((name, ex, _r12(ex, rouge_tokens(" ".join(lead3_pysbd(r["article"])))), r))
        if name == "cnndm-DM" and args.trees_dm is not None:
            import copy
            for r, ex in zip(recs, exs):
                ex = copy.copy(ex)
                ex.X = mask_case_features(ex.X.copy())
                pool.append(("cnndm-DM masked", ex, _r12(ex, rouge_tokens(" ".join(lead3_pysbd(r["article"])))), r))
    dm_rows, cnn_rows = [], []
    if args.trees_dm is not None:
        rest = [i for i in order if chunk_of(train[i]) >= DM_FIRST_CHUNK][args.eval_dm:]
        dm_rows = dm_tree_rows(train, rest)
        print(f"[cnndm-DM trees] {len(dm_rows)} of {len(rest)} articles usable", flush=True)
    if args.trees_cnn is not None:   # session 3: CNN articles with a dateline, none of the scored sample
        rest = [i for i in order if chunk_of(train[i]) < DM_FIRST_CHUNK][args.eval_cnn:]
        rest = [i for i in rest if xs[0][i]]
        cnn_rows = dm_tree_rows(train, rest, "CNN")
        print(f"[cnndm-CNN trees] {len(cnn_rows)} of {len(rest)} dated articles usable", flush=True)
    examples = [p[1] for p in pool]
    mask = [i < n_train for i in range(len(pool))]
    names = list(dict.fromkeys(p[0] for p in pool))
    for name in names:   # the baselines: pysbd's first three sentences, and newsgist's own first three
        rows = [(l3, _r12(ex, [t for i in range(min(3, len(ex.tokens))) for t in ex.tokens[i]]))
                for n, ex, l3, _ in pool if n == name]
        print(f"[{name}] LEAD-3 (pysbd) R-1/R-2 {statistics.fmean(a[0] for a, _ in rows):.2f} / "
              f"{statistics.fmean(a[1] for a, _ in rows):.2f}; LEAD-3 clean (newsgist's sentences) "
              f"{statistics.fmean(b[0] for _, b in rows):.2f} / {statistics.fmean(b[1] for _, b in rows):.2f}", flush=True)
    print("\nR-1 (Δ LEAD-3) / R-2 (Δ LEAD-3), out of fold, the chosen sets (set reranker), trainer's counter\n")
    print("| lexicon data (cnndm-train articles) | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names), flush=True)
    sizes = [len(train) if s == "all" else int(s) for s in args.sizes.split(",")]
    configs = [(size, 0, 0) for size in sizes]
    if args.trees_dm is not None:
        configs = [(sizes[0], len(dm_rows) if s == "all" else int(s), 0) for s in args.trees_dm.split(",")]
    if args.trees_cnn is not None:
        n_dm = configs[0][1]
        configs = [(sizes[0], n_dm, len(cnn_rows) if s == "all" else int(s)) for s in args.trees_cnn.split(",")]
    for size, n_dm, n_cnn in configs:
        t0 = time.perf_counter()
        sub = sorted(order[:size])
        extra = ([xs[0][i] for i in sub], [xs[1][i] for i in sub], [xs[2][i] for i in sub]) if size else None
        lexicons = add_lexicon(examples, mask, extra=extra)
        more = dm_rows[:n_dm] + cnn_rows[:n_cnn]
        for row in dm_rows[:n_dm]:   # as run time fills them: the undated lexicon, which never counted them
            row.X[:, LEXICON_COLUMNS] = lexicon_features(row.stems, lexicons.get(False, lexicons.get(None)) or {})
        for row in cnn_rows[:n_cnn]:   # the dated lexicon
            row.X[:, LEXICON_COLUMNS] = lexicon_features(row.stems, lexicons.get(True, lexicons.get(None)) or {})
        weights = [1.0] * len(examples) + [args.dm_weight] * n_dm + [args.cnn_weight] * len(cnn_rows[:n_cnn])
        raw = oof_by_style(examples + more, 5, 0, threads=1, train_mask=mask + [True] * len(more),
                           ensemble=args.ensemble, weights=weights if more else None,
                           objective=args.objective)[:len(examples)]
        t = tune(examples[:n_train], raw[:n_train])
        scores = [[float(x) for x in blend(r, e.X, t["length_penalty"], t["length_penalty_dateline"],
                                           t["prior_weight"])] for e, r in zip(examples, raw)]
        greedy = [[h.sentence for h in select(e.article, s, choose_count(e.article, s, t["count4_threshold"]))]
                  for e, s in zip(examples, scores)]
        picked = oof_sets(set_data(examples, raw, scores), 5, 0, threads=1, train_mask=mask, ensemble=args.ensemble)
        chosen = [sorted(picked.get(i, g)) for i, g in enumerate(greedy)]
        cells = []
        for name in names:
            rows = [_r12(ex, [tok for i in c for tok in ex.tokens[i]]) + l3
                    for (n, ex, l3, _), c in zip(pool, chosen) if n == name]
            r1, r2, l1, l2 = (statistics.fmean(x[j] for x in rows) for j in range(4))
            cells.append(f"{r1:.2f} ({r1 - l1:+.2f}) / {r2:.2f} ({r2 - l2:+.2f})")
        label = f"{size:,}" if args.trees_dm is None else f"trees +{n_dm:,} DM (w {args.dm_weight})"
        if args.trees_cnn is not None:
            label += f" +{n_cnn:,} CNN (w {args.cnn_weight})"
        print(f"| {label} ({time.perf_counter() - t0:.0f} s; lp {t['length_penalty']}/{t['length_penalty_dateline']}, "
              f"prior {t['prior_weight']}) | " + " | ".join(cells) + " |", flush=True)
        if (size, n_dm, n_cnn) == configs[-1]:   # rouge_score's table for the last configuration
            final_table(pool, chosen, names)
    return 0


def final_table(pool, chosen, names):
    """rouge_score's R-1 / R-2 / R-Lsum of the last size's out-of-fold choices, LEAD-3 beside."""
    print("\nrouge_score, the largest size (out of fold), LEAD-3 = pysbd in the same run\n")
    print("| set | n | LEAD-3 R-1 / R-2 / R-Lsum | learned | Δ (95 % CI of R-1) |\n|---|---:|---|---|---|")
    for name in names:
        items = [(ex, rec, c) for (n, ex, _, rec), c in zip(pool, chosen) if n == name]
        by_text = {rec["article"]: [ex.article.sentence_text(i) for i in c] for ex, rec, c in items}
        res = evaluate([rec for _, rec, _ in items], {"lead3": lead3_pysbd, "learned": by_text.__getitem__})
        a, b = res.methods["lead3"], res.methods["learned"]
        d, lo, hi = paired_bootstrap(res.per_article["learned"], res.per_article["lead3"], "rouge1")
        print(f"| {name} | {len(items)} | {a.rouge1:.2f} / {a.rouge2:.2f} / {a.rougeLsum:.2f} | "
              f"{b.rouge1:.2f} / {b.rouge2:.2f} / {b.rougeLsum:.2f} | {b.rouge1 - a.rouge1:+.2f} / "
              f"{b.rouge2 - a.rouge2:+.2f} / {b.rougeLsum - a.rougeLsum:+.2f} ({lo:+.2f} .. {hi:+.2f}) |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
