"""LLM highlights (``--generator llm``, issue 15): a real local model, checked line by line.

    python benchmarks/bench_llm.py smollm [--limit 50] [--data test|validation] [--out FILE]
    python benchmarks/bench_llm.py sumllm [--limit 200] [--examples 20]

``smollm``: starts llama.cpp's server on loopback with SmolLM2-135M-Instruct (the ``llm``
extra: newsgist.generation.local) and reads the first ``--limit`` articles of
cnndm/test-public-500 (a report only: nothing here was tuned on it; ``--data validation``
for development) three ways in the same run, each timed:

* LEAD-3 (pysbd) on the raw article;
* the extractive default (``newsgist.read(..., highlights_only=True)``);
* ``--generator llm`` with the defaults (``--unsupported replace``), and
  ``--llm-fallback extractive`` so one failed call does not end the run (counted).

It prints ROUGE-1/2/Lsum F1 against the reference highlights for LEAD-3, the extractive
default, the LLM's final highlights, and the LLM's lines as written (every generated line,
as ``--unsupported flag`` shows them); the shares of generated lines the checker supports,
replaced, dropped (no extractive highlight left) and flagged (the unsupported ones:
what ``--unsupported flag`` would mark); shown highlights the ``ground`` stage calls
unsupported; seconds per article (median, and the LLM's own time); and ``--out`` writes
every article's lines with their verdicts, for reading.

``sumllm``: the grounding of strong-LLM output without running one. The GPT-4 summaries of
cnndm-llm/sumllm-train-1000 (training split), sentence by sentence, through
``newsgist.check``: the share supported (the number BENCHMARKS.md's grounding section
reports, recomputed here with the current checker) and ``--examples`` flagged sentences
drawn at random (seed 0), printed with the unsupported pieces and the best support
sentence, to be read and judged (true error or false alarm).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import require_data  # noqa: E402

import newsgist  # noqa: E402
from newsgist.evaluation.evaluate import lead3_pysbd, read_jsonl  # noqa: E402
from newsgist.evaluation.rouge import rouge  # noqa: E402

SEED = 0
DATA = {"test": "cnndm/test-public-500.jsonl", "validation": "cnndm/validation-1000.jsonl"}
# Seconds allowed for one answer of the 135M model on the shared two-core machine.
LLM_TIMEOUT_S = 240.0


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def smollm(args) -> None:
    from newsgist.generation.local import LocalServer, missing
    reason = missing()
    if reason:
        print(f"skipped: {reason}")
        return
    recs = list(read_jsonl(require_data(DATA[args.data]), limit=args.limit))
    refs = [r["highlights"] for r in recs]
    preds = {"LEAD-3 (pysbd)": [], "extractive default": [], "LLM final (replace)": [], "LLM lines as written": []}
    secs = {"LEAD-3 (pysbd)": [], "extractive default": [], "LLM final (replace)": []}
    llm_ms, counts, failures, rows = [], dict(lines=0, supported=0, replaced=0, dropped=0, shown_unsupported=0,
                                             shown_llm=0, shown=0), {}, []
    with LocalServer() as url:
        newsgist.read(recs[0]["article"], highlights_only=True, generator="llm", llm_url=url,
                      llm_timeout=LLM_TIMEOUT_S)   # warm: model pages, checker model, language model
        for i, r in enumerate(recs):
            lead, t = _timed(lambda: lead3_pysbd(r["article"]))
            preds["LEAD-3 (pysbd)"].append(lead)
            secs["LEAD-3 (pysbd)"].append(t)
            ext, t = _timed(lambda: newsgist.read(r["article"], highlights_only=True))
            preds["extractive default"].append([h.text for h in ext.highlights])
            secs["extractive default"].append(t)
            a, t = _timed(lambda: newsgist.read(r["article"], highlights_only=True, generator="llm", llm_url=url,
                                                llm_timeout=LLM_TIMEOUT_S, llm_fallback="extractive"))
            secs["LLM final (replace)"].append(t)
            card = a.to_dict()
            m = card["meta"]["llm"]
            preds["LLM final (replace)"].append([h["text"] for h in card["highlights"]])
            if "error" in m:
                failures[m["error"]["code"]] = failures.get(m["error"]["code"], 0) + 1
                preds["LLM lines as written"].append([])
                rows.append({"id": r["id"], "error": m["error"]})
                continue
            llm_ms.append(m["llm_ms"])
            kept = [h for h in card["highlights"] if h["generator"] == "llm"]
            written = [h["text"] for h in kept] + [x["text"] for x in m["replaced"] + m["dropped"]]
            preds["LLM lines as written"].append(written)
            counts["lines"] += m["lines"]
            counts["supported"] += m["supported"]
            counts["replaced"] += len(m["replaced"])
            counts["dropped"] += len(m["dropped"])
            counts["shown"] += len(card["highlights"])
            counts["shown_llm"] += len(kept)
            counts["shown_unsupported"] += sum(1 for h in card["highlights"] if h.get("supported") is False)
            rows.append({"id": r["id"], "reference": r["highlights"], "kept": [h["text"] for h in kept],
                         "replaced": m["replaced"], "dropped": m["dropped"], "usage": m["usage"]})
            print(f"\r  {i + 1}/{len(recs)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    n = len(recs)
    print(f"{n} articles of {DATA[args.data]}; SmolLM2-135M-Instruct (Q4_1) on llama.cpp's server, 2 threads, "
          f"temperature 0, seed 0; ROUGE F1 x100 against the reference highlights\n")
    print(f"| system | R-1 | R-2 | R-Lsum | s/article (median) |")
    print("|---|---:|---:|---:|---:|")
    for name, p in preds.items():
        sc = rouge(p, refs)
        s = f"{statistics.median(secs[name]):.3f}" if name in secs else "(same call)"
        print(f"| {name} | {sc['rouge1']:.2f} | {sc['rouge2']:.2f} | {sc['rougeLsum']:.2f} | {s} |")
    L = max(counts["lines"], 1)
    print(f"\ngenerated lines: {counts['lines']} ({counts['lines'] / max(n - sum(failures.values()), 1):.2f} an answer); "
          f"supported {counts['supported']} ({100 * counts['supported'] / L:.1f} %), "
          f"replaced {counts['replaced']} ({100 * counts['replaced'] / L:.1f} %), "
          f"dropped {counts['dropped']} ({100 * counts['dropped'] / L:.1f} %), "
          f"flagged (unsupported) {counts['lines'] - counts['supported']} "
          f"({100 * (counts['lines'] - counts['supported']) / L:.1f} %)")
    print(f"shown highlights: {counts['shown']} ({counts['shown_llm']} written by the LLM); "
          f"shown as unsupported by the ground stage: {counts['shown_unsupported']}")
    print(f"LLM failures (fallback to extractive): {failures or 0}")
    med = statistics.median
    print(f"seconds per article, median: LLM run {med(secs['LLM final (replace)']):.2f} (the endpoint's answer "
          f"{med(llm_ms) / 1000 if llm_ms else 0:.2f}), extractive {med(secs['extractive default']):.3f}, "
          f"LEAD-3 {med(secs['LEAD-3 (pysbd)']):.4f}; LLM run / extractive "
          f"{sum(secs['LLM final (replace)']) / sum(secs['extractive default']):.1f}x in total")
    if args.out:
        Path(args.out).write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in rows) + "\n", encoding="utf-8")
        print(f"wrote {len(rows)} articles' lines and verdicts to {args.out}")


def sumllm(args) -> None:
    path = require_data("cnndm-llm/sumllm-train-1000.jsonl")
    sents = sup = 0
    flagged = []
    t0 = time.perf_counter()
    for r in read_jsonl(path, limit=args.limit):
        try:
            res = newsgist.check(r["article"], list(r["highlights"]))
        except newsgist.NewsgistError:   # an article the reader refuses
            continue
        for s in res["sentences"]:
            sents += 1
            sup += s["supported"]
            if not s["supported"]:
                best = s["support"][0] if s["support"] else None
                flagged.append((r["id"], s, best, r["article"]))
    print(f"GPT-4 summaries (sumllm-train, first {args.limit} articles): {sup}/{sents} sentences supported "
          f"({100 * sup / max(sents, 1):.1f} %) in {time.perf_counter() - t0:.1f} s")
    picks = random.Random(SEED).sample(flagged, min(args.examples, len(flagged)))
    print(f"\n{len(picks)} flagged sentences (random, seed {SEED}) with their unsupported pieces and best support:")
    for k, (rid, s, best, article) in enumerate(picks, 1):
        # check() gives spans into the article as read (the same text for plain-text input)
        src = article[best["start"]:best["end"]] if best else "(no support)"
        pieces = "; ".join(f"{u['kind']}: {u['text']!r}" for u in s["unsupported"]) or "(none: score only)"
        print(f"\n[{k}] {rid} score {s['score']:.3f}\n  line:    {s['text']}\n  pieces:  {pieces}\n  support: {src}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("smollm")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--data", choices=tuple(DATA), default="test")
    p.add_argument("--out", default=None)
    p = sub.add_parser("sumllm")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--examples", type=int, default=20)
    args = ap.parse_args(argv)
    smollm(args) if args.what == "smollm" else sumllm(args)


if __name__ == "__main__":
    main()
