"""Scaling benchmark (issue 17): is every stage near-linear in its input?

For each adversarial shape of issue 17 and for real CNN/DailyMail articles
concatenated, time ``newsgist`` highlights-only at n, 2n, 4n, 8n (8n = the 8 MB input
limit) and the full card at n .. 8n (8n = ``MAX_CARD_CHARS``), fit the exponent k of
``time ~ size^k`` (least squares on log-log), and time LEAD-3 (pysbd) on the same
inputs beside it as the baseline (pysbd itself may be superlinear: it is reported,
not fixed). Targets: every exponent <= 1.15; highlights on 8 MB <= 10 s; the card at
its limit <= 10 s, on one core::

    taskset -c 0 .venv/bin/python benchmarks/bench_scaling.py            # full run
    taskset -c 0 .venv/bin/python benchmarks/bench_scaling.py --quick    # 1/16 of the sizes

A measurement that runs past ``--budget`` seconds is stopped and shown as ``>B``;
the larger sizes of that row are not tried (pysbd on punctuation soup, typically).
The ``limits`` column lists the named caps (``meta.limits_hit``) the largest input hit.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_path  # noqa: E402

import newsgist  # noqa: E402
from newsgist.card.stage import MAX_CARD_CHARS  # noqa: E402
from newsgist.errors import NewsgistError  # noqa: E402
from newsgist.evaluation.evaluate import lead3_pysbd  # noqa: E402
from newsgist.options import MAX_INPUT_BYTES  # noqa: E402

SEED = 17
SOUP_CHARS = ".,;:'\"-()\u201c\u201d" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + "    "


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    n = max(1, (size - len(head) - len(tail)) // len(unit.encode("utf-8")))
    return head + unit * n + tail


def shape_according(size: int) -> str:
    return _repeat("according to ", size, tail="officials.")


def shape_soup(size: int) -> str:
    rng = random.Random(SEED)
    # mostly ASCII; the curly quotes are 3 bytes, keep the byte size under the limit
    return "".join(rng.choice(SOUP_CHARS) for _ in range(int(size * 0.85)))


def shape_html_para(size: int) -> str:
    return _repeat("<p>Para. \u201cQuote,\u201d he said.</p>", size, head="<html><body>", tail="</body></html>")


def shape_text_para(size: int) -> str:
    return _repeat("Para. \u201cQuote,\u201d he said.\n\n", size)


def shape_who_said(size: int) -> str:
    return _repeat("who said, ", size, head="The mayor, ", tail="left.")


_REAL: list[str] = []


def shape_real(size: int) -> str:
    if not _REAL:
        path = data_path("cnndm/validation-1000.jsonl")
        if not path.exists():
            raise FileNotFoundError(path)
        with open(path, encoding="utf-8") as f:
            _REAL.extend(json.loads(line)["article"] for line in f)
    out, total, i = [], 0, 0
    while True:
        a = _REAL[i % len(_REAL)] + "\n\n"
        b = len(a.encode("utf-8"))
        if total + b > size:
            break
        out.append(a)
        total += b
        i += 1
    return "".join(out) or _REAL[0][: size]


SHAPES = {
    "according to * n": shape_according,
    "punctuation soup": shape_soup,
    "<p>Para. “Quote,” he said.</p> * n": shape_html_para,
    "Para. “Quote,” he said.\\n\\n * n": shape_text_para,
    "The mayor, who said, * n left.": shape_who_said,
    "real articles concatenated": shape_real,
}


def timed(fn, budget: float):
    """(CPU seconds, wall seconds, result) of ``fn()`` run in a forked child (the models
    loaded here are shared, warm), or Nones when it runs past ``budget`` wall seconds: the
    child is killed, so a regex stuck in C code (pysbd on some shapes) cannot hang the run.

    The exponents are fitted on the child's CPU time: on a shared machine the wall time
    also counts the other processes' share of the core."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child():
        t0, c0 = time.perf_counter(), time.process_time()
        res = fn()
        send.send((time.process_time() - c0, time.perf_counter() - t0, res))

    proc = ctx.Process(target=child)
    proc.start()
    send.close()
    out = (None, None, None)
    if recv.poll(budget):
        try:
            out = recv.recv()
        except EOFError:  # the child died without an answer (a crash): shown as over budget
            pass
    if proc.is_alive():
        proc.kill()
    proc.join()
    return out


def run_ours(text: str, card: bool):
    try:
        art = newsgist.read(text, highlights_only=not card)
    except NewsgistError as exc:
        return {"error": exc.code}
    timings = art.meta.get("timings_ms", {})
    slow = max(timings, key=timings.get) if timings else ""
    return {"limits": sorted({f"{h['stage']}:{h['limit']}" for h in art.meta.get("limits_hit", [])}),
            "slowest": f"{slow} {timings.get(slow, 0) / 1000:.1f}s" if slow else ""}


def exponent(points: list[tuple[int, float]]) -> float | None:
    pts = [(math.log(s), math.log(max(t, 1e-4))) for s, t in points if t is not None]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def fmt_t(t: float | None, budget: float) -> str:
    return f">{budget:.0f}" if t is None else f"{t:.2f}"


def bench_row(name, make, mode, top, budget, with_pysbd):
    sizes = [top // 8, top // 4, top // 2, top]
    ours, base, info, wall = [], [], {}, None
    ours_dead = base_dead = False
    for size in sizes:
        text = make(size)
        if mode == "card":
            text = text[: MAX_CARD_CHARS]
        if not ours_dead:
            t, wall, info = timed(lambda: run_ours(text, mode == "card"), budget)
            ours.append((len(text), t))
            ours_dead = t is None
        else:
            ours.append((len(text), None))
        if with_pysbd and not base_dead:
            t, _, _ = timed(lambda: lead3_pysbd(text), budget)
            base.append((len(text), t))
            base_dead = t is None
        else:
            base.append((len(text), None))
    return sizes, ours, base, dict(info or {}, wall=wall)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="sizes / 16 (a fast run while developing)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds before one measurement is stopped")
    ap.add_argument("--mode", choices=("highlights", "card", "both"), default="both")
    ap.add_argument("--shape", default=None, help="only shapes whose name contains this")
    ap.add_argument("--no-pysbd", action="store_true", help="skip the LEAD-3 (pysbd) baseline")
    args = ap.parse_args()
    div = 16 if args.quick else 1
    tops = {"highlights": MAX_INPUT_BYTES // div, "card": MAX_CARD_CHARS // div}
    modes = ["highlights", "card"] if args.mode == "both" else [args.mode]
    print(f"sizes: n, 2n, 4n, 8n with 8n = {tops['highlights']:,} bytes (highlights), "
          f"{tops['card']:,} characters (card); budget {args.budget:.0f} s a measurement\n")
    newsgist.read(shape_real(20_000))  # warm up: load the models before anything is timed
    print("CPU seconds of this process (wall seconds at 8n in its own column)\n")
    print("| shape | mode | s at n | 2n | 4n | 8n | wall 8n | exponent | LEAD-3 pysbd s at n | 2n | 4n | 8n "
          "| pysbd exponent | slowest stage at 8n | limits hit at 8n |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    worst = 0.0
    for mode in modes:
        for name, make in SHAPES.items():
            if args.shape and args.shape not in name:
                continue
            try:
                sizes, ours, base, info = bench_row(name, make, mode, tops[mode], args.budget, not args.no_pysbd)
            except FileNotFoundError as exc:
                print(f"| {name} | {mode} | skipped: {exc} not found |")
                continue
            k, kb = exponent(ours), exponent(base)
            worst = max(worst, k or 0.0)
            cells = [fmt_t(t, args.budget) for _, t in ours] + [fmt_t(info.get("wall"), args.budget)]
            cells += [f"{k:.2f}" if k is not None else "-"]
            cells += [fmt_t(t, args.budget) if not args.no_pysbd else "-" for _, t in base]
            cells += [f"{kb:.2f}" if kb is not None else "-"]
            lim = ", ".join(info.get("limits", [])) or info.get("error", "") or "-"
            print(f"| {name} | {mode} | " + " | ".join(cells) + f" | {info.get('slowest') or '-'} | {lim} |", flush=True)
    print(f"\nworst exponent: {worst:.2f} (target <= 1.15)")


if __name__ == "__main__":
    main()
