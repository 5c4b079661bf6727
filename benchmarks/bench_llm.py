"""LLM highlights (``--generator llm``, issue 15): a real local model, checked line by line.

    python benchmarks/bench_llm.py smollm [--limit 50] [--data test|validation] [--out FILE] [--resume]
    python benchmarks/bench_llm.py report FILE      # the table of a finished or partial run
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
unsupported; seconds per article (median, and the LLM's own time). ``--out`` gets one
JSON line an article as it goes (lines, verdicts, times: for reading, and for ``report``).

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


SYSTEMS = ("LEAD-3 (pysbd)", "extractive default", "LLM final (replace)", "LLM lines as written")


def smollm(args) -> None:
    """Read the articles three ways; one JSON line an article to ``--out`` as it goes
    (``--resume``: go on after the lines already there), then the table."""
    from newsgist.generation.local import LocalServer, missing
    reason = missing()
    if reason:
        print(f"skipped: {reason}")
        return
    out = Path(args.out)
    done = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] if args.resume and out.exists() else []
    recs = list(read_jsonl(require_data(DATA[args.data]), limit=args.limit))[len(done):]
    with LocalServer() as url, out.open("a" if done else "w", encoding="utf-8") as fh:
        from newsgist.generation.client import LLMClient   # warm: the server's model, newsgist's models
        LLMClient(url, None, LLM_TIMEOUT_S).chat([{"role": "user", "content": "Hello"}], max_tokens=1)
        newsgist.read(recs[0]["article"] if recs else "Warm up. Two sentences.", highlights_only=True)
        for i, r in enumerate(recs):
            row = {"id": r["id"], "reference": r["highlights"], "preds": {}, "secs": {}}
            lead, row["secs"]["LEAD-3 (pysbd)"] = _timed(lambda: lead3_pysbd(r["article"]))
            ext, row["secs"]["extractive default"] = _timed(lambda: newsgist.read(r["article"], highlights_only=True))
            a, row["secs"]["LLM final (replace)"] = _timed(lambda: newsgist.read(
                r["article"], highlights_only=True, generator="llm", llm_url=url, llm_timeout=LLM_TIMEOUT_S,
                llm_fallback="extractive"))
            card = a.to_dict()
            kept = [h["text"] for h in card["highlights"] if h["generator"] == "llm"]
            m = card["meta"]["llm"]
            row["preds"] = {"LEAD-3 (pysbd)": lead, "extractive default": [h.text for h in ext.highlights],
                            "LLM final (replace)": [h["text"] for h in card["highlights"]],
                            "LLM lines as written": kept + [x["text"] for x in m.get("replaced", []) + m.get("dropped", [])]}
            row["llm"] = m
            row["shown_unsupported"] = sum(1 for h in card["highlights"] if h.get("supported") is False)
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()
            print(f"\r  {len(done) + i + 1}/{len(done) + len(recs)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    report(out, args.data)


def report(out: Path, data: str) -> None:
    """The table of the rows in ``out`` (also ``bench_llm.py report FILE`` for a partial run)."""
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
    refs = [r["reference"] for r in rows]
    n = len(rows)
    ok = [r for r in rows if "error" not in r["llm"]]
    failures: dict = {}
    for r in rows:
        if "error" in r["llm"]:
            failures[r["llm"]["error"]["code"]] = failures.get(r["llm"]["error"]["code"], 0) + 1
    print(f"{n} articles of {DATA.get(data, data)}; SmolLM2-135M-Instruct (Q4_1) on llama.cpp's server, 2 threads, "
          f"temperature 0, seed 0; ROUGE F1 x100 against the reference highlights\n")
    print("| system | R-1 | R-2 | R-Lsum | s/article (median) |")
    print("|---|---:|---:|---:|---:|")
    med = statistics.median
    for name in SYSTEMS:
        sc = rouge([r["preds"][name] for r in rows], refs)
        s = f"{med(r['secs'][name] for r in rows):.3f}" if name in rows[0]["secs"] else "(same call)"
        print(f"| {name} | {sc['rouge1']:.2f} | {sc['rouge2']:.2f} | {sc['rougeLsum']:.2f} | {s} |")
    c = {k: sum(r["llm"][k] if isinstance(r["llm"][k], int) else len(r["llm"][k]) for r in ok)
         for k in ("lines", "supported", "replaced", "dropped")}
    L = max(c["lines"], 1)
    shown = sum(len(r["preds"]["LLM final (replace)"]) for r in ok)
    kept = sum(len(r["preds"]["LLM lines as written"]) - len(r["llm"]["replaced"]) - len(r["llm"]["dropped"]) for r in ok)
    print(f"\ngenerated lines: {c['lines']} ({c['lines'] / max(len(ok), 1):.2f} an answer); "
          f"supported {c['supported']} ({100 * c['supported'] / L:.1f} %), replaced {c['replaced']} "
          f"({100 * c['replaced'] / L:.1f} %), dropped {c['dropped']} ({100 * c['dropped'] / L:.1f} %), "
          f"flagged (unsupported: what --unsupported flag marks) {c['lines'] - c['supported']} "
          f"({100 * (c['lines'] - c['supported']) / L:.1f} %)")
    print(f"shown highlights: {shown} ({kept} written by the LLM); shown as unsupported by the ground stage: "
          f"{sum(r['shown_unsupported'] for r in ok)}; answers cut at max_tokens: "
          f"{sum(1 for r in ok if r['llm'].get('finish_reason') == 'length')}")
    print(f"LLM failures (fallback to extractive): {failures or 0}")
    llm_s = [r["llm"]["llm_ms"] / 1000 for r in ok]
    tot = {k: sum(r["secs"][k] for r in rows) for k in rows[0]["secs"]}
    print(f"seconds per article, median: LLM run {med(r['secs']['LLM final (replace)'] for r in rows):.2f} "
          f"(the endpoint's answer {med(llm_s) if llm_s else 0:.2f}), extractive "
          f"{med(r['secs']['extractive default'] for r in rows):.3f}, LEAD-3 {med(r['secs']['LEAD-3 (pysbd)'] for r in rows):.4f}; "
          f"in total LLM run / extractive {tot['LLM final (replace)'] / tot['extractive default']:.0f}x, "
          f"/ LEAD-3 {tot['LLM final (replace)'] / tot['LEAD-3 (pysbd)']:.0f}x")


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
    p.add_argument("--out", default="bench_llm_rows.jsonl", help="one JSON line an article (for reading)")
    p.add_argument("--resume", action="store_true", help="go on after the articles already in --out")
    p = sub.add_parser("report")
    p.add_argument("out")
    p.add_argument("--data", choices=tuple(DATA), default="test")
    p = sub.add_parser("sumllm")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--examples", type=int, default=20)
    args = ap.parse_args(argv)
    if args.what == "report":
        report(Path(args.out), args.data)
    else:
        smollm(args) if args.what == "smollm" else sumllm(args)


if __name__ == "__main__":
    main()
