"""Grid search for the "position" scorer's weights and the highlight count, on
validation-1000 only (never on a test file). Prints the best settings by R-1+R-2.

    python benchmarks/tune_position.py [--limit N]
"""
from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import require_data  # noqa: E402

from newsgist.article import Article  # noqa: E402
from newsgist.evaluation.evaluate import read_jsonl  # noqa: E402
from newsgist.evaluation.rouge import rouge  # noqa: E402
from newsgist.options import Options  # noqa: E402
from newsgist.pipeline import run  # noqa: E402
from newsgist.reading.stages import stage_clean, stage_segment  # noqa: E402
from newsgist.highlighting.scorers import POSITION, score_position  # noqa: E402
from newsgist.highlighting.select import select  # noqa: E402

GRID = {
    "decay": [0.3, 0.5, 0.8, 1.2],
    "w_centrality": [0.0, 0.3, 0.6, 1.0],
    "w_first": [0.0, 0.3, 0.6],
    "max_words": [25, 30, 40],
}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    path = require_data("cnndm/validation-1000.jsonl")
    recs = list(read_jsonl(path, limit=args.limit))
    arts = [run(Article(source=r["article"]), Options(), [("clean", stage_clean), ("segment", stage_segment)])
            for r in recs]
    refs = [r["highlights"] for r in recs]
    results = []
    keys = list(GRID)
    for values in itertools.product(*GRID.values()):
        p = replace(POSITION, **dict(zip(keys, values)))
        for count in (3, None):
            preds = [[h.text for h in select(a, score_position(a, p), count)] for a in arts]
            r = rouge(preds, refs)
            results.append((r["rouge1"] + r["rouge2"], r["rouge1"], r["rouge2"], r["rougeLsum"], values, count))
    results.sort(reverse=True)
    print("R1+R2    R-1    R-2  R-Lsum  " + " ".join(keys) + " count")
    for row in results[:15]:
        print(f"{row[0]:.2f}  {row[1]:.2f}  {row[2]:.2f}  {row[3]:.2f}  {row[4]} {row[5]}")
    cur = next(r for r in results if r[4] == tuple(getattr(POSITION, k) for k in keys) and r[5] is None)
    print(f"current defaults: R-1 {cur[1]:.2f} R-2 {cur[2]:.2f} R-Lsum {cur[3]:.2f}")


if __name__ == "__main__":
    main()
