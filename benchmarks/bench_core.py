"""Core benchmark (issue 2): highlight quality and speed, LEAD-3 in the same run.

    python benchmarks/bench_core.py [--limit N] [--methods default,lead,position,textrank]

1. Quality on ../shared/data/cnndm/test-public-500.jsonl and validation-1000.jsonl:
   ROUGE-1/2/Lsum F1 (rouge-score, stemming, one highlight a line) of each method vs
   naive LEAD-3 on the uncleaned article (pysbd split, and a regex split), with a
   paired bootstrap 95% CI of the default method's R-1 gain.
2. Speed on test-public-500, pinned to one core: median ms/article for
   (a) highlights only and (b) the full card, beside naive LEAD-3 timed in the same run.
3. Peak memory (max RSS) of the CLI `newsgist card` on one article.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (REPO_ROOT, interleaved_times, median, p90, pin_one_core, print_speed_table,  # noqa: E402
                    require_data)

import newsgist  # noqa: E402
from newsgist.evaluation.evaluate import (evaluate, format_table, lead3_pysbd, lead3_regex, paired_bootstrap,  # noqa: E402
                               read_jsonl, to_markdown)
from newsgist.highlighting.methods import default_method  # noqa: E402

SPEED_REPEATS = 1  # each article once; medians over 500 articles are stable to ~5 %


def quality(path, methods, limit, markdown):
    recs = list(read_jsonl(path, limit=limit))
    table = {"lead3": lead3_pysbd, "lead3_regex": lead3_regex}
    for m in methods:
        table[m] = (lambda mm: (lambda text: newsgist.highlights(text, method=mm)))(m)
    res = evaluate(recs, table)
    print(f"\n## {Path(path).name} ({len(recs)} articles)\n")
    print(to_markdown(res) if markdown else format_table(res))
    d, lo, hi = paired_bootstrap(res.per_article[methods[0]], res.per_article["lead3"], "rouge1")
    print(f"\n{methods[0]} ({default_method() if methods[0] == 'default' else methods[0]}) minus lead3, "
          f"R-1: {d:+.2f} (95% CI {lo:+.2f} .. {hi:+.2f}, paired bootstrap)")


def speed(path, limit):
    pinned = pin_one_core()
    recs = list(read_jsonl(path, limit=limit))
    newsgist.read(recs[0]["article"])  # load models once, outside the timings
    stages: dict[str, list[float]] = {}

    def card(t):  # issue 28: the card's stages (meta.timings_ms) kept for the table below
        for k, v in newsgist.read(t).meta["timings_ms"].items():
            stages.setdefault(k, []).append(v)
    rows = {"lead3 (pysbd, naive)": lead3_pysbd, "lead3 (regex, naive)": lead3_regex,
            "(a) highlights only": lambda t: newsgist.read(t, highlights_only=True),
            "(b) full card": card}
    times = interleaved_times(recs, rows)
    print_speed_table(f"Speed on {Path(path).name} ({len(recs)} articles, {pinned})", times, "lead3 (pysbd, naive)")
    lead, full = times["lead3 (pysbd, naive)"], times["(b) full card"]
    print(f"\n(b) full card: median {median(full) / median(lead):.2f}x LEAD-3 (target <= 3.5x), p90 "
          f"{p90(full) / p90(lead):.2f}x LEAD-3's p90 (target <= 7x)\n\n| card stage | median ms | p90 ms | mean ms |"
          "\n|---|---:|---:|---:|")
    for k, v in stages.items():
        print(f"| {k} | {median(v):.2f} | {p90(v):.2f} | {sum(v) / len(v):.2f} |")


def cli_memory():
    exe = REPO_ROOT / ".venv" / "bin" / "newsgist"
    cmd = [str(exe) if exe.exists() else "newsgist", "card", "--format", "json",
           str(REPO_ROOT / "examples" / "harbour-bridge.txt")]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\n## CLI on one article\n\n`newsgist card --format json examples/harbour-bridge.txt`: "
          f"peak RSS {rss:.0f} MiB, wall {wall:.2f} s (includes Python start-up and model load)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="articles per file (default: all)")
    ap.add_argument("--methods", default="default,lead,position,textrank")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables (for BENCHMARKS.md)")
    ap.add_argument("--skip-quality", action="store_true")
    args = ap.parse_args()
    test = require_data("cnndm/test-public-500.jsonl")
    val = require_data("cnndm/validation-1000.jsonl")
    print(f"newsgist {newsgist.__version__}; default method = {default_method()}")
    cli_memory()
    if not args.skip_quality:
        for p in (test, val):
            quality(p, args.methods.split(","), args.limit, args.markdown)
    speed(test, args.limit)


if __name__ == "__main__":
    main()
