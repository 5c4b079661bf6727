"""How good must deletion be? The R-2 headroom of compression, measured on its output.

    python benchmarks/bench_compress_headroom.py [--limit N] [--set validation|test|both]

For each article: the default highlights uncompressed and with ``--compress`` (the
shipped deletion model; on validation-1000 it is in-sample, so the validation row
flatters it). It counts, in ROUGE's own tokens (stemmed, the highlights joined as
ROUGE-2 joins them), the reference bigrams, the summary's bigrams and the matched ones
(clipped counts), and from them:

* the R-2 change compression makes now;
* the words deleted per article and the matched bigrams they take with them;
* what R-2 would gain if the same deletions had lost only a share of those matched
  bigrams (100 % = now, 0 % = none lost: an upper bound at this deletion volume);
* what a lossless deletion of a given share of the words would gain.

So the question "how much better must the deletion decider be to reach +1.0 R-2?"
has a measured answer. (It ignores the bigrams a deletion creates across the cut,
which can also match: the oracle's edits gain some that way.)
"""
from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import require_data  # noqa: E402

import newsgist  # noqa: E402
from newsgist.evaluation.evaluate import read_jsonl  # noqa: E402
from newsgist.evaluation.rouge import _join, rouge_tokens  # noqa: E402

LOSS_SHARES = (1.0, 0.75, 0.5, 0.25, 0.0)   # share of today's matched-bigram loss kept
LOSSLESS_SHARES = (0.1, 0.2, 0.3)           # share of the words deleted without any loss


def _bigrams(tokens) -> Counter:
    return Counter(zip(tokens, tokens[1:]))


def counts(rec) -> dict:
    """Bigram counts of one article: reference, uncompressed, compressed, and matches."""
    refs = rec["highlights"] if isinstance(rec["highlights"], list) else rec["highlights"].split("\n")
    plain = [h.text for h in newsgist.read(rec["article"], highlights_only=True, compress=False).highlights]
    short = [h.text for h in newsgist.read(rec["article"], highlights_only=True, compress=True).highlights]
    rt, ut, ct = (rouge_tokens(_join(x)) for x in (refs, plain, short))
    rb, ub, cb = _bigrams(rt), _bigrams(ut), _bigrams(ct)
    return {"ref": max(1, sum(rb.values())), "plain": max(1, sum(ub.values())), "short": max(1, sum(cb.values())),
            "m_plain": sum((ub & rb).values()), "m_short": sum((cb & rb).values()),
            "deleted": len(ut) - len(ct)}


def f2(matched: float, length: float, ref: float) -> float:
    """ROUGE-2 F1 (x100) from counts: P = matched/length, R = matched/ref."""
    return 200.0 * matched / (length + ref) if matched > 0 else 0.0


def report(name: str, rows: list[dict]) -> None:
    mean = statistics.fmean
    base = mean(f2(r["m_plain"], r["plain"], r["ref"]) for r in rows)
    deleted = mean(r["deleted"] for r in rows)
    lost = mean(r["m_plain"] - r["m_short"] for r in rows)
    print(f"\n## {name} ({len(rows)} articles)\n")
    print(f"reference {mean(r['ref'] for r in rows):.1f} bigrams; uncompressed {mean(r['plain'] for r in rows):.1f} "
          f"bigrams, {mean(r['m_plain'] for r in rows):.2f} matched; compressed {mean(r['short'] for r in rows):.1f} "
          f"bigrams, {mean(r['m_short'] for r in rows):.2f} matched")
    print(f"words deleted per article {deleted:.1f}; matched bigrams lost per article {lost:.2f} "
          f"({lost / max(deleted, 1e-9):.3f} per deleted word)\n")
    print("| same deletions, share of today's matched-bigram loss | R-2 | Δ R-2 over uncompressed |")
    print("|---|---:|---:|")
    print(f"| (uncompressed) | {base:.2f} | – |")
    for a in LOSS_SHARES:
        v = mean(f2(r["m_plain"] - a * (r["m_plain"] - r["m_short"]), r["short"], r["ref"]) for r in rows)
        label = "100 % (today)" if a == 1.0 else f"{a:.0%}"
        print(f"| {label} | {v:.2f} | {v - base:+.2f} |")
    print("\n| lossless deletion of this share of the words | Δ R-2 |\n|---|---:|")
    for k in LOSSLESS_SHARES:
        v = mean(f2(r["m_plain"], (1 - k) * r["plain"], r["ref"]) for r in rows)
        print(f"| {k:.0%} | {v - base:+.2f} |")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="articles per file (default: all)")
    ap.add_argument("--set", choices=("validation", "test", "both"), default="both")
    args = ap.parse_args(argv)
    sets = {"validation": "cnndm/validation-1000.jsonl", "test": "cnndm/test-public-500.jsonl"}
    for key in (("validation", "test") if args.set == "both" else (args.set,)):
        path = require_data(sets[key])
        rows = [counts(rec) for rec in read_jsonl(path, limit=args.limit)]
        report(path.name + (" (deletion model in-sample)" if key == "validation" else " (shipped model)"), rows)


if __name__ == "__main__":
    main()
