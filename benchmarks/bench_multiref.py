"""Issue 27, session 3: sumllm's other LLM summaries (gpt3, brio_gpt4, gpt_brio_gptscore) as extra oracle labels of the same
sumllm articles (same features, other labels), weight W, in the trees only; out of fold (an article's
extra rows sit in its own fold), one booster, scored on val + sumllm against GPT-4 / editors as usual.

    python benchmarks/bench_multiref.py

R-1 (Δ pysbd LEAD-3) / R-2 (Δ), trainer's counter, chosen sets; the "base" row is bench_cnndm_train's
"0" row for val and sumllm (same folds, seeds, tuning). Results: BENCHMARKS.md "Issue 27, session 3"."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ranker import SETS, TRAINED_ON, _r12, prepared
from common import require_data
from newsgist.evaluation.evaluate import lead3_pysbd, read_jsonl
from newsgist.evaluation.rouge import greedy_oracle, rouge_tokens
from newsgist.evaluation.train_ranker import add_lexicon, oof_by_style, tune, ORACLE_MAX
from newsgist.evaluation.train_rerank import oof_sets, set_data
from newsgist.highlighting.ranker import blend, choose_count
from newsgist.highlighting.select import select
ALT = ("gpt3", "brio_gpt4", "gpt_brio_gptscore")


def main() -> int:
    pool = []
    for name in TRAINED_ON:
        recs = list(read_jsonl(require_data(SETS[name])))
        for r, ex in zip(recs, prepared(name, recs)):
            pool.append((name, ex, _r12(ex, rouge_tokens(" ".join(lead3_pysbd(r["article"])))), r))
    examples = [p[1] for p in pool]
    n = len(examples)
    add_lexicon(examples)
    alt = []   # (original index, y)
    for i, (name, ex, _, r) in enumerate(pool):
        if name != "sumllm":
            continue
        texts = [ex.article.sentence_text(j) for j in range(len(ex.article.sentences))]
        for k in ALT:
            s = (r.get("summaries") or {}).get(k)
            if isinstance(s, str) and s.strip():
                y = np.zeros(len(texts)); y[greedy_oracle(texts, [s], max_n=ORACLE_MAX)] = 1.0
                alt.append((i, y))
    buckets = {f: [a for a in alt if a[0] % 5 == f] for f in range(5)}
    more, p = [], n
    while any(buckets.values()):
        f = p % 5
        if buckets[f]:
            i, y = buckets[f].pop()
            more.append(SimpleNamespace(X=examples[i].X, y=y))
        else:   # keep the residues aligned: a row of weight ~0 (a copy of the article's own labels) fills the slot
            j = next(j for j in range(n) if j % 5 == f)
            more.append(SimpleNamespace(X=examples[j].X, y=examples[j].y, filler=True))
        p += 1
    print(f"{len(alt)} extra labellings, {len(more)} rows ({sum(hasattr(m, 'filler') for m in more)} fillers)", flush=True)
    for label, rows, w in (("base", [], 0), ("alt w 1/3", more, 1 / 3), ("alt w 1", more, 1.0)):
        t0 = time.perf_counter()
        weights = [1.0] * n + [1e-6 if hasattr(m, "filler") else w for m in rows]
        raw = oof_by_style(examples + rows, 5, 0, threads=1, ensemble=1, weights=weights if rows else None)[:n]
        t = tune(examples, raw)
        scores = [[float(x) for x in blend(r, e.X, t["length_penalty"], t["length_penalty_dateline"], t["prior_weight"])]
                  for e, r in zip(examples, raw)]
        greedy = [[h.sentence for h in select(e.article, s, choose_count(e.article, s, t["count4_threshold"]))]
                  for e, s in zip(examples, scores)]
        picked = oof_sets(set_data(examples, raw, scores), 5, 0, threads=1, ensemble=1)
        chosen = [sorted(picked.get(i, g)) for i, g in enumerate(greedy)]
        cells = []
        for name in TRAINED_ON:
            rows_ = [_r12(ex, [tok for i in c for tok in ex.tokens[i]]) + l3 for (nm, ex, l3, _), c in zip(pool, chosen) if nm == name]
            r1, r2, l1, l2 = (statistics.fmean(x[j] for x in rows_) for j in range(4))
            cells.append(f"{name} {r1:.2f} ({r1 - l1:+.2f}) / {r2:.2f} ({r2 - l2:+.2f})")
        print(f"| {label} ({time.perf_counter() - t0:.0f} s; lp {t['length_penalty']}/{t['length_penalty_dateline']}, prior {t['prior_weight']}) | " + " | ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
