"""Checker models on the threshold-tuning lines, kind by kind (issue 26, session 6).

    python benchmarks/bench_check_tune.py MODEL.json [MODEL.json ...] [--first 200] [--last 400] [--no-lower]

For each model file (the shipped one is ``src/newsgist/models/grounding-check.json``), on the
sumllm-train articles [first, last) -- by default 200-399, the lines ``train_check`` sets the
line threshold on; never the benchmark's 0-199 -- the rows ``train_check.line_threshold``
reads: the GPT-4 sentences and a synthetic corruption of each (``grounding/synthetic.py``,
seed 0), and the gpt3 / brio_gpt4 sentences. Prints, at the model's own line threshold, the
sentences accepted and the corruptions caught per kind, and the threshold the rule
(``check_rows.tune_threshold``, >= ``train_check.MIN_ACCEPT`` of GPT-4's and gpt3's accepted)
picks on these rows (equal to the file's when [first, last) is 200-399).

Then (unless ``--no-lower``) the same rows lower-cased and tokenised, the article read as
cnndm-train text (``train_check.lower_rows``), at the one threshold and at the file's
``lower_threshold`` (the threshold of an article with no mid-sentence capital), if it has one.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import require_data  # noqa: E402

import numpy as np  # noqa: E402

from newsgist.evaluation import train_check as T  # noqa: E402
from newsgist.evaluation.check_rows import REPORT_SUMMARIES, summary_rows, tune_threshold  # noqa: E402
from newsgist.evaluation.evaluate import read_jsonl  # noqa: E402
from newsgist.grounding import model as M  # noqa: E402

KINDS = ("number", "name", "negation", "relation")


def shares(rows, others, t: float) -> dict:
    """Accepted shares (GPT-4's and each other summary's) and caught shares per kind at ``t``."""
    out = {"gpt4": np.mean([ok and sc >= t for sc, ok, y, _ in rows if y == 1])}
    out.update({k: np.mean([ok and sc >= t for sc, ok in v]) if v else float("nan") for k, v in others.items()})
    for kind in KINDS + ("all",):
        got = [not (ok and sc >= t) for sc, ok, y, k in rows if y == 0 and kind in (k, "all")]
        out[kind] = np.mean(got) if got else float("nan")
    return out


def line(label: str, t: float, s: dict) -> str:
    return (f"| {label} | {t:.2f} | {s['gpt4']:.3f} | " + " | ".join(f"{s[k]:.3f}" for k in REPORT_SUMMARIES)
            + " | " + " | ".join(f"{s[k]:.3f}" for k in KINDS + ("all",)) + " |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--first", type=int, default=T.TUNE_FROM)
    ap.add_argument("--last", type=int, default=T.TRAIN_FROM)
    ap.add_argument("--no-lower", action="store_true", help="skip the lower-cased rows")
    args = ap.parse_args()
    path = require_data("cnndm-llm/sumllm-train-1000.jsonl")
    if args.first < T.TUNE_FROM:
        print(f"note: articles {args.first}-{T.TUNE_FROM - 1} are the benchmark's (bench_check.py)")
    recs = list(read_jsonl(path))[args.first:args.last]
    print(f"sumllm-train articles {args.first}-{args.last - 1}; caught = corruptions refused, per kind\n")
    print("| model | threshold | GPT-4 accepted | " + " | ".join(f"{k} accepted" for k in REPORT_SUMMARIES)
          + " | " + " | ".join(KINDS) + " | all caught |")
    print("|---|---:|---:|" + "---:|" * (len(REPORT_SUMMARIES) + len(KINDS) + 1))
    for mp in args.models:
        t0 = time.perf_counter()
        checker = M.Checker.from_dict(json.loads(mp.read_text(encoding="utf-8")))
        name = f"{mp.name} ({mp.stat().st_size / 1e6:.1f} MB)"
        rows = T.gpt4_rows(args.first, args.last, checker)
        others = {k: summary_rows(recs, k, checker, T.read_article) for k in REPORT_SUMMARIES}
        t = checker.line.threshold
        print(line(f"{name}, cased", t, shares(rows, others, t)), flush=True)
        rule_t = tune_threshold(rows, others, T.MIN_ACCEPT)[0]
        if rule_t != t:
            print(line(f"{name}, cased, the rule's threshold on these rows", rule_t, shares(rows, others, rule_t)))
        if not args.no_lower:
            low, low_others = T.lower_rows(args.first, args.last, checker)
            print(line(f"{name}, lower-cased, the one threshold", t, shares(low, low_others, t)), flush=True)
            lt = getattr(checker.line, "lower_threshold", None)
            if lt is not None:
                print(line(f"{name}, lower-cased, its lower_threshold", lt, shares(low, low_others, lt)))
            rule_lt = tune_threshold(low, low_others, T.MIN_ACCEPT)[0]
            if rule_lt != lt:
                print(line(f"{name}, lower-cased, the rule's threshold on these rows", rule_lt,
                           shares(low, low_others, rule_lt)))
        print(f"<!-- {mp}: {time.perf_counter() - t0:.0f}s -->", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
