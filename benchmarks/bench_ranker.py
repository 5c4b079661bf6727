"""The learned ranker against LEAD-3 (computed in the same run), with ROUGE F1.

    python benchmarks/bench_ranker.py [--sets test,val,bbc] [--limit N] [--markdown]

* test: CNN test-public-500 (report only: never trained or tuned on).
* val:  CNN validation-1000, *out-of-fold*: 5-fold models trained here exactly as
        ``newsgist train`` does, with the shipped model's tuned blend and count.
* bbc:  BBC News Summary, 2,127 articles, references = its extractive highlights
        (about 7 a story): another outlet and style, never trained on.

Methods: lead3 = LEAD-3 on the raw article (pysbd; the baseline); lead = first 3
sentences after cleaning; position = the unsupervised scorer as the CLI runs it
(automatic count); learned = the ranker with its learned count (the
``article.meta["auto_count"]`` hook); learned-3 = the ranker with 3 highlights.
Then the ranker's own cost per article (features + trees + count; median, one core).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_path  # noqa: E402

from newsgist.evaluation.train_ranker import article_of, oof_raw, prepare  # noqa: E402
from newsgist.evaluation.evaluate import evaluate, format_table, lead3_pysbd, paired_bootstrap, read_jsonl, to_markdown  # noqa: E402
from newsgist.highlighting.ranker import MODEL_PATH, choose_count, load_model  # noqa: E402
from newsgist.highlighting.scorers import score_lead, score_position  # noqa: E402
from newsgist.highlighting.select import select  # noqa: E402

SETS = {"test": "cnndm/test-public-500.jsonl", "val": "cnndm/validation-1000.jsonl",
        "bbc": "bbc/bbc-news-summary.jsonl"}


def _texts(article, scores, count):
    return [h.text for h in select(article, scores, count)]


def methods_for(model, oof_by_text=None):
    """Method table text -> highlights. ``oof_by_text`` maps an article text to its
    out-of-fold raw scores (val); otherwise the shipped model scores it."""
    def lead(text):
        a = article_of(text)
        return _texts(a, score_lead(a), 3)

    def position(text):
        a = article_of(text)
        return _texts(a, score_position(a), None)

    def learned_scores(text):
        a = article_of(text)
        if oof_by_text is not None:
            from newsgist.highlighting.ranker_features import sentence_features
            scores = [float(s) for s in model.combine(oof_by_text[text], sentence_features(a))]
        else:
            scores = model.score(a)
        return a, scores

    def learned(text):
        a, s = learned_scores(text)
        return _texts(a, s, choose_count(a, s, model.count4_threshold))

    def learned3(text):
        a, s = learned_scores(text)
        return _texts(a, s, 3)

    return {"lead3": lead3_pysbd, "lead": lead, "position": position, "learned": learned, "learned-3": learned3}


def ranker_cost_ms(model, records, n=300) -> tuple[float, float]:
    """Median ms per article of the learned scorer and of the position scorer alone."""
    arts = [article_of(r["article"]) for r in records[:n]]
    out = []
    for fn in (lambda a: choose_count(a, model.score(a), model.count4_threshold), score_position):
        times = []
        for a in arts:
            t0 = time.perf_counter()
            fn(a)
            times.append(1000 * (time.perf_counter() - t0))
        out.append(statistics.median(times))
    return out[0], out[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="test,val,bbc")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    model = load_model()
    print(f"model: {MODEL_PATH.name}, {MODEL_PATH.stat().st_size / 1024:.0f} KiB, {len(model.trees.roots)} trees, "
          f"length_penalty={model.length_penalty}, prior_weight={model.prior_weight}, "
          f"count4_threshold={model.count4_threshold}")
    for name in args.sets.split(","):
        path = data_path(SETS[name])
        if not path.exists():
            print(f"skipped {name}: {path} not found")
            continue
        records = list(read_jsonl(path, limit=args.limit))
        oof = None
        if name == "val":
            t0 = time.perf_counter()
            examples, skipped = prepare(records)
            if skipped:  # the shipped model saw these articles: out-of-fold scores are a must
                raise SystemExit(f"{skipped} val articles were skipped by cleaning; cannot align OOF scores")
            raw = oof_raw(examples, model.info.get("folds", 5), model.info.get("seed", 0))
            oof = {r["article"]: s for r, s in zip(records, raw)}
            print(f"\n[val] out-of-fold models trained in {time.perf_counter() - t0:.0f} s")
        result = evaluate(records, methods_for(model, oof))
        print(f"\n## {name}: {path.name} ({len(records)} articles)\n")
        print(to_markdown(result) if args.markdown else format_table(result, baseline="lead3"))
        for other in ("lead3", "position"):
            for metric in ("rouge1", "rouge2"):
                d, lo, hi = paired_bootstrap(result.per_article["learned"], result.per_article[other], metric)
                print(f"learned - {other} {metric}: {d:+.2f} (95% CI {lo:+.2f} .. {hi:+.2f})")
    test = data_path(SETS["test"])
    if test.exists():
        recs = list(read_jsonl(test, limit=args.limit))
        ms, pos_ms = ranker_cost_ms(model, recs)
        print(f"\nspeed: learned scorer {ms:.2f} ms/article median (position scorer {pos_ms:.2f} ms), one process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
