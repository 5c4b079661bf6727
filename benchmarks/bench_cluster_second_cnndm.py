"""Issue 30, session 4, round 3: what the second pass does on lower-cased news (CNN/DM).

    python benchmarks/bench_cluster_second_cnndm.py [--n 4895] [--sample 8]

Clusters the first ``n`` articles of ../shared/data/cnndm-train through the product's path
(newsgist.apps.cluster.job.run_cluster, one worker, the default chunking) without the second
pass and with each setting below, and prints how many stories each setting merged and, for a
sample of the merges, the opening of every article involved, so that a reader can say whether
the joined stories tell one event.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster import cnndm_lines  # noqa: E402
from newsgist.apps.cluster.job import run_cluster  # noqa: E402
from newsgist.corpus.linkage import SECOND  # noqa: E402

AGREE3 = ["weekday", "street", "protagonist"]
SETTINGS = {
    "round 2 (ages count as agreement)": {"lower": 0.1, "small": 3, "shared": 1},
    "fix 1: shared beyond age": {"lower": 0.1, "small": 3, "shared": 1, "agree": AGREE3},
    "fixes 1 + 2: and a place conflict": {"lower": 0.1, "small": 3, "shared": 1, "agree": AGREE3,
                                           "conflict": ["age", "weekday", "street", "protagonist", "place"]},
    "shipped linkage.SECOND": dict(SECOND),
}


def partition(path: str) -> dict:
    out = {}
    for line in open(path):
        r = json.loads(line)
        out[r["id"]] = r["story"]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=4895)
    ap.add_argument("--sample", type=int, default=8)
    args = ap.parse_args()
    lines = cnndm_lines(args.n)
    texts = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.jsonl")
        with open(src, "w") as fh:
            for k, raw in enumerate(lines):
                r = json.loads(raw)
                rid = str(r.get("id") or k)
                texts[rid] = r["article"]
                fh.write(json.dumps({"id": rid, "text": r["article"]}) + "\n")
        runs = {}
        for name, second in [("default", None), *SETTINGS.items()]:
            out = os.path.join(tmp, f"{len(runs)}.jsonl")
            run_cluster(src, out, workers=1, params={"second": second} if second else None)
            runs[name] = partition(out)
    base = runs["default"]
    n_base = len(set(base.values()))
    for name in SETTINGS:
        got = runs[name]
        joined = defaultdict(set)   # a story of this run -> the default's stories it holds
        for rid, s in got.items():
            joined[s].add(base[rid])
        merges = [sorted(v) for v in joined.values() if len(v) > 1]
        print(f"\n## {name}: {SETTINGS[name]}\n\n{n_base} -> {len(set(got.values()))} stories; "
              f"{sum(len(m) - 1 for m in merges)} merges into {len(merges)} stories\n")
        members = defaultdict(list)
        for rid, s in base.items():
            members[s].append(rid)
        for k, m in enumerate(merges[:args.sample]):
            print(f"merge {k + 1}:")
            for s in m:
                for rid in members[s][:3]:
                    print(f"  [{s}] {' '.join(texts[rid][:160].split())}")
                if len(members[s]) > 3:
                    print(f"  [{s}] ... {len(members[s]) - 3} more")


if __name__ == "__main__":
    main()
