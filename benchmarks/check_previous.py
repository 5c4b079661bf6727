"""A previous checker (issue 14's, or issue 26's first session's, as committed), for bench_check.py.

``bench_check.py`` extracts that commit's ``src/`` and ``benchmarks/`` into a temporary
folder and runs this script with them first on the path; it reads a JSON job on stdin
and writes the previous checker's answers as JSON on stdout:

* ``pairs``: ``[[article, [line, ...]], ...]`` -> per line ``[score, supported]``
  (``newsgist.check``, the shipped model of that commit) and ms per checked line;
  ``ptb``: true -> the articles are lower-cased, space-tokenised text, read as
  ``train_check.ptb_source`` reads cnndm-train's (sentences end at " . ");
* ``frank``: true -> the 5-fold article-CV summary scores of frank-validation as that
  commit's bench_check computed them (its shipped features, fit inside the folds).
"""
from __future__ import annotations

import json
import sys
import time


def main() -> int:
    job = json.load(sys.stdin)
    import newsgist
    from newsgist.grounding.check import check_lines, source_of
    out: dict = {"pairs": [], "line_ms": []}
    for article, lines in job.get("pairs", []):
        try:
            if job.get("ptb"):
                from newsgist.evaluation.train_check import ptb_source
                src = ptb_source(article)
            else:
                src = source_of(newsgist.read(article, highlights_only=True))
        except Exception:  # an article the reader refuses
            out["pairs"].append(None)
            continue
        t0 = time.perf_counter()
        res = check_lines(src, lines)
        out["line_ms"].append((time.perf_counter() - t0) * 1000 / max(len(lines), 1))
        out["pairs"].append([[s["score"], s["supported"]] for s in res["sentences"]])
    if job.get("frank"):
        from pathlib import Path

        import bench_check as old
        import common
        from common import require_data
        common.DATA_DIR = Path(job["data_dir"])   # the old tree lies in a temporary folder
        from newsgist.evaluation.evaluate import read_jsonl
        rows = list(read_jsonl(require_data("faithfulness/frank-validation.jsonl")))
        if hasattr(old, "cross_validate"):   # issue 14's bench_check
            feats = old.featurise(rows)
            scores, _ = old.cross_validate(rows, feats, [], [])
        else:   # issue 26's: a checker argument, the summary model's inputs in train_check
            import numpy as np
            from newsgist.evaluation.train_check import SUMMARY_L2, SUMMARY_LINE_FEATURES
            from newsgist.grounding import model as M
            feats = old.featurise(rows, M.load())
            y = np.array([1.0 if r["consistent"] else 0.0 for r in rows])
            scores = old.summary_cv(feats, y, old.folds_of(rows), M.summary_names(SUMMARY_LINE_FEATURES), SUMMARY_L2)
        out["frank"] = scores.tolist()
    if job.get("highlights"):
        recs = job["highlights"]
        newsgist.read(recs[0], highlights_only=True)
        ground = []
        for text in recs:
            art = newsgist.read(text, highlights_only=True)
            ground.append(art.meta["timings_ms"].get("ground", 0.0))
        out["ground_ms"] = ground
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
