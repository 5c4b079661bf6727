"""Language detection (issue 17): what it costs highlights-only runs, and what it says.

    python benchmarks/bench_language.py [--limit 200] [--detect-limit N]

1. Speed on the first ``--limit`` articles of ../shared/data/cnndm/test-public-500.jsonl,
   pinned to one core, interleaved in one run: naive LEAD-3 (pysbd), highlights only
   without the ``language`` stage (before), highlights only with it (after), and the
   stage alone (``meta.timings_ms.language``). Median ms/article and × LEAD-3.
2. Detected languages (clean + language stages) on the English sets (CNN/DM test and
   validation, BBC, PolNeAR dev) and on the readability test pages (several languages).
3. How many default highlights on test-public-500 now differ from their old
   whitespace-collapsed text (the exact-slice change; ROUGE tokenises, so it is a no-op there).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (data_path, interleaved_times, median, p90, pin_one_core, print_speed_table,  # noqa: E402
                    require_data)

import newsgist  # noqa: E402
from newsgist.evaluation.evaluate import lead3_pysbd, read_jsonl  # noqa: E402
from newsgist.options import Options  # noqa: E402
from newsgist.pipeline import highlight_stages, run, stages_named  # noqa: E402
from newsgist.reading.inputs import from_text  # noqa: E402
from newsgist.reading.load import article_from_source  # noqa: E402


def speed(path, limit):
    pinned = pin_one_core()
    recs = list(read_jsonl(path, limit=limit))
    with_lang = highlight_stages()
    without = [s for s in with_lang if s.name != "language"]
    opts = Options()

    def hl(stages):
        return lambda t: run(article_from_source(from_text(t)), opts, stages)

    rows = {"lead3 (pysbd, naive)": lead3_pysbd, "highlights only, no language stage (before)": hl(without),
            "highlights only, with language stage (after)": hl(with_lang)}
    newsgist.read(recs[0]["article"], highlights_only=True)  # load the models outside the timings
    stage_ms = []

    def language_ms(name, out):
        if "with language" in name:
            stage_ms.append(out.meta["timings_ms"]["language"])

    times = interleaved_times(recs, rows, language_ms)
    base = print_speed_table(f"Speed on {Path(path).name} ({len(recs)} articles, {pinned})", times,
                             "lead3 (pysbd, naive)")
    print(f"| the language stage alone | {median(stage_ms):.2f} | {p90(stage_ms):.2f} | "
          f"{median(stage_ms) / base:.2f} |")
    t0 = time.perf_counter()
    from newsgist.reading import language
    language._DETECTOR.clear()
    language.detect("warm")
    print(f"\nloading the detector (once a process): {(time.perf_counter() - t0) * 1000:.0f} ms")


def detected(limit):
    sets = [("cnndm/test-public-500.jsonl", "article"), ("cnndm/validation-1000.jsonl", "article"),
            ("bbc/bbc-news-summary.jsonl", "article"), ("quotes/polnear-dev.jsonl", "text"),
            ("html/readability-testpages-130.jsonl", "html")]
    stages = stages_named("clean", "language")
    print("\n## Detected language (clean + language stages)\n")
    print("| set | articles | languages (count) | English-only parts skipped |\n|---|---|---|---|")
    for rel, key in sets:
        p = data_path(rel)
        if not p.exists():
            print(f"| {rel} | skipped: not found | | |")
            continue
        langs, skipped, n = Counter(), 0, 0
        for line in p.open(encoding="utf-8"):
            if limit and n >= limit:
                break
            n += 1
            try:
                a = run(article_from_source(from_text(json.loads(line)[key])), Options(), stages)
            except newsgist.NewsgistError as exc:
                langs[f"error:{exc.code}"] += 1
                continue
            langs[a.meta["language"]] += 1
            skipped += bool(a.meta.get("warnings"))
        print(f"| {rel} | {n} | {', '.join(f'{k} {v}' for k, v in langs.most_common(8))} | {skipped} |")


def exact_text(path):
    changed = total = 0
    for r in read_jsonl(path):
        for h in newsgist.read(r["article"], highlights_only=True).highlights:
            total += 1
            changed += h.text != " ".join(h.text.split())
    print(f"\n## Exact highlight text on {Path(path).name}\n\n{changed} of {total} default highlights keep "
          "whitespace the old collapsed text dropped (double spaces, tabs, line breaks)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=200, help="articles timed (default 200)")
    ap.add_argument("--detect-limit", type=int, default=None, help="articles a set for the detection table")
    args = ap.parse_args()
    path = require_data("cnndm/test-public-500.jsonl")
    speed(path, args.limit)
    detected(args.detect_limit)
    exact_text(path)


if __name__ == "__main__":
    main()
