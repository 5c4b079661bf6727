"""A registered gate of a page-model candidate against the shipped model, in one run (issue 31, session 11q).

Issue 31's candidates (new ``page-lines.json`` / ``page-seq.json`` pairs) are judged by a rule
registered before any result, then ONE run of the candidate against the shipped model. This runs
that run: both models on the same pages in one process (the model is switched by
``NEWSGIST_PAGE_MODEL`` / ``NEWSGIST_PAGE_SEQ``, as ``bench_paste.py`` picks it), and prints the
gate's table and a verdict per criterion (M3's registration, BENCHMARKS.md, "Merge of wave three,
session 11"):

- ``modern-gain`` (with ``--modern-dir``): the mean body-token F1 of ``bench_paste_modern.evaluate``
  on those pages, paired by page: the gain must be more than ``--min-gain-se`` paired SE;
- ``dragnet-bars``: held-out Dragnet (``bench_paste.heldout_sets``, scored by ``bench_paste.table``)
  P and F1 of the candidate >= ``--dragnet-bar`` (the issue's bars);
- ``dragnet-loss``: its F1 loss against the shipped model <= ``--dragnet-margin``;
- ``half-b-loss``: Readability half B's F1 loss <= max(``--half-b-margin``, 1 paired SE);
- ``guard``: ``bench_paste.guard`` with the candidate: no body sentence of a CNN/DM article removed
  (its Multi-News count, web pages with their furniture, is reported, not gated, as in bench_paste);
- ``seed`` (with ``--seed``): ``../shared/tools/acceptance.py seed`` with the candidate exits 0.

Paired SE: ``cv_paste.paired_diff`` (the differences' sample SD over sqrt(n)). A candidate folder
holding ``page-route.json`` (session 12's RC / RL) is the routed product (``NEWSGIST_PAGE_ROUTE``,
:mod:`newsgist.reading.pageroute`; the router's modern pair named in it, the folder's own
page-lines.json and page-seq.json as the default pair where both are there, the shipped pair where
neither is; one without the other is refused), run in ``newsgist``'s own cleaner, not composed; the
gate then prints how many pages of each set its router routed (counts only). A candidate without a
router runs with ``NEWSGIST_PAGE_ROUTE=off``; the shipped model runs as shipped
(``bench_paste.page_model_env``). The candidate must load and pair first
(``bench_paste.check_page_model``), else nothing runs (exit 2). Per-page results are never printed:
``--pages-out DIR`` writes them (``bench_paste.py --json`` rows and
``bench_paste_modern.py --json`` rows, one file a set and model), so a blind or sealed set can be
gated without anyone reading a page's result; ``--json OUT`` writes every aggregate number.
Beside the gate's table, and in ``--json`` as ``cells4``, the outside bar's metric of both models
and its paired bootstrap change (``paste_metric``; session 13a): reported, not gated.
The exit status is 0 whether the candidate passes or not (a gate is a measurement); the last line
is ``VERDICT: pass`` or ``VERDICT: fail (criteria ...)``.

Usage::

    python benchmarks/gate_paste.py --candidate M3/ --modern-dir tests/fixtures/paste/modern-sealed \\
        --seed --json gate.json --pages-out gate-pages/
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import bench_paste as bp  # noqa: E402
import bench_paste_modern as bpm  # noqa: E402
import paste_metric  # noqa: E402
import paste_render  # noqa: E402
from cv_paste import paired_diff  # noqa: E402

# M3's registered rule (BENCHMARKS.md, "Merge of wave three, session 11", 11:35 UTC): the defaults.
MIN_GAIN_SE = 2.0       # the modern set's F1 gain must exceed this many paired SE
DRAGNET_BAR = 0.90      # the bars: held-out Dragnet P and F1
DRAGNET_MARGIN = 0.010  # the most held-out Dragnet F1 the candidate may lose
HALF_B_MARGIN = 0.010   # the most Readability half B F1 it may lose, or 1 paired SE where larger
ACCEPTANCE = REPO_ROOT.parent / "shared" / "tools" / "acceptance.py"
ENV = bp.PAGE_MODEL_ENV
ROUTE_FILE = "page-route.json"   # a candidate folder holding it is a routed candidate (session 12)
MEASURES = ("p", "r", "f1")
HELDOUT_CELLS = (("dragnet", "dragnet", None), ("half A", "readability", "half A"),
                 ("half B", "readability", "half B"))      # (cell, set, group) of bench_paste's rows


def pair_cell(shipped: dict, candidate: dict) -> dict:
    """``shipped`` / ``candidate``: page id -> (P, R, F1). Over the pages in both: ``n``, each model's
    mean P/R/F1 and the candidate's paired change and SE per measure (``cv_paste.paired_diff``)."""
    ids = sorted(set(shipped) & set(candidate))
    out = {"n": len(ids), "shipped": [], "candidate": [], "change": {}}
    for m, name in enumerate(MEASURES):
        _, _, mean, se = paired_diff({i: shipped[i][m] for i in ids}, {i: candidate[i][m] for i in ids})
        out["shipped"].append(sum(shipped[i][m] for i in ids) / len(ids) if ids else float("nan"))
        out["candidate"].append(sum(candidate[i][m] for i in ids) / len(ids) if ids else float("nan"))
        out["change"][name] = [mean, se]
    return out


def heldout_cells(shipped_rows: list[dict], candidate_rows: list[dict]) -> dict:
    """``bench_paste.py --json`` rows of both models -> a paired cell for Dragnet and each Readability half."""
    def by(rows, set_name, group):
        return {r["id"]: (r["p"], r["r"], r["f1"]) for r in rows
                if r["system"] == bp.MODEL_SYSTEM and r["set"] == set_name and (group is None or r["group"] == group)}
    return {name: pair_cell(by(shipped_rows, s, g), by(candidate_rows, s, g)) for name, s, g in HELDOUT_CELLS}


def cells4(runs: dict) -> dict:
    """The outside metric (session 13a; reported, not gated: the criteria stay on ours): for held-out
    Dragnet, each Readability half and the modern set (where run), over the pages both models have,
    ``n``, each model's ``paste_metric.bootstrap`` aggregate (P4, R4, F1-4 of means, ``pm``) and the
    candidate's paired F1-4 change (``paste_metric.paired_bootstrap``, candidate minus shipped)."""
    def counts(run):
        out = {name: {r["id"]: tuple(r[k] for k in bp.COUNTS4) for r in run["heldout"]
                      if r["system"] == bp.MODEL_SYSTEM and r["set"] == s and (g is None or r["group"] == g)}
               for name, s, g in HELDOUT_CELLS}
        if run["modern"]:
            out["modern"] = {r["id"]: tuple(r["model4"]) for r in run["modern"]}
        return out
    ship, cand = counts(runs["shipped"]), counts(runs["candidate"])
    out = {}
    for name in ship:
        ids = sorted(set(ship[name]) & set(cand.get(name, {})))
        a, b = [ship[name][i] for i in ids], [cand[name][i] for i in ids]
        out[name] = {"n": len(ids), "shipped": paste_metric.bootstrap(a), "candidate": paste_metric.bootstrap(b),
                     "change": paste_metric.paired_bootstrap(b, a)}
    return out


def judge(cells: dict, guard_rows, seed, min_gain_se=MIN_GAIN_SE, dragnet_bar=DRAGNET_BAR,
          dragnet_margin=DRAGNET_MARGIN, half_b_margin=HALF_B_MARGIN) -> list[dict]:
    """The criteria (``name``, ``rule``, ``measured``, ``passed``) from the paired ``cells`` (``modern``
    only when a modern set was run), the guard's rows (None: not run) and the seed run (None: not
    asked; else ``{"rc", "line"}``). A set with no page, or an SE that cannot be computed, fails."""
    out = []

    def add(name, rule, measured, passed):
        out.append({"name": name, "rule": rule, "measured": measured, "passed": bool(passed)})
    if "modern" in cells:
        c = cells["modern"]
        gain, se = c["change"]["f1"]
        add("modern-gain", f"F1 gain > {min_gain_se:g} paired SE",
            f"{gain:+.4f} vs {min_gain_se * se:.4f} ({gain / se if se else float('nan'):.1f} SE)",
            c["n"] > 1 and se > 0 and gain > min_gain_se * se)
    d = cells["dragnet"]
    p, f1 = d["candidate"][0], d["candidate"][2]
    add("dragnet-bars", f"P >= {dragnet_bar:.2f} and F1 >= {dragnet_bar:.2f}", f"P {p:.4f}, F1 {f1:.4f}",
        d["n"] > 0 and p >= dragnet_bar and f1 >= dragnet_bar)
    loss = -d["change"]["f1"][0]
    add("dragnet-loss", f"F1 loss <= {dragnet_margin:.3f}", f"{loss:.4f}", d["n"] > 0 and loss <= dragnet_margin)
    b = cells["half B"]
    loss, se = -b["change"]["f1"][0], b["change"]["f1"][1]
    limit = max(half_b_margin, se) if not math.isnan(se) else half_b_margin
    add("half-b-loss", f"F1 loss <= max({half_b_margin:.3f}, 1 paired SE)", f"{loss:.4f} vs {limit:.4f}",
        b["n"] > 0 and loss <= limit)
    if guard_rows is not None:
        gated = [r for r in guard_rows if r["set"] in bp.GUARD_SETS]     # Multi-News: counted, not gated
        lost = sum(r["lost"] for r in gated)
        multi = [f"; Multi-News (not gated) {r['lost']} of {r['sentences']}" for r in guard_rows if r["set"] == bp.MULTI]
        add("guard", "CNN/DM body sentences removed: 0",
            f"{lost} of {sum(r['sentences'] for r in gated)} ({sum(r['pages'] for r in gated)} of "
            f"{sum(r['articles'] for r in gated)} articles taken for a page, {len(gated)} sets)" + "".join(multi),
            gated and lost == 0)
    if seed is not None:
        add("seed", "acceptance.py seed exits 0", f"exit {seed['rc']}: {seed['line']}", seed["rc"] == 0)
    return out


def verdict(criteria: list[dict]) -> str:
    failed = [c["name"] for c in criteria if not c["passed"]]
    return "VERDICT: pass" if not failed else f"VERDICT: fail (criteria {', '.join(failed)})"


def run_heldout(sets) -> list[dict]:
    """``bench_paste.py --json`` rows of the model in force on ``sets`` (its tables are not shown)."""
    rows: list[dict] = []
    with contextlib.redirect_stdout(io.StringIO()):
        for set_name, title, pages, group in sets:
            bp.table(title, pages, group=group, systems=[bp.MODEL_SYSTEM], out_rows=rows, set_name=set_name)
    return rows


def run_modern(pages) -> list[dict]:
    """``bench_paste_modern.py --json`` rows of the model in force on ``pages``."""
    return [{k: r[k] for k in bpm.JSON_KEYS} for r in bpm.evaluate(pages)]


def routed_counts(sets, modern) -> dict:
    """With the routed candidate's variables in force: ``{set: [pages routed, pages]}`` for held-out
    Dragnet, each Readability half and the modern set (pages that look like a page and that its
    router routes: ``bench_paste_modern.page_routed``). Counts only, never a page's id (review 12a, #8)."""
    from newsgist.reading import pageroute
    router = pageroute.load_router()
    out: dict[str, list[int]] = {}
    for set_name, _, pages, group in sets:
        for p in pages:
            key = "held-out Dragnet" if set_name == "dragnet" else f"Readability {group(p) if group else set_name}"
            cell = out.setdefault(key, [0, 0])
            cell[0] += bpm.page_routed(p["pasted"], router)
            cell[1] += 1
    if modern:
        out["modern"] = [sum(bpm.page_routed(p["paste"], router) for p in modern), len(modern)]
    return out


def run_seed(model, seq, route=None) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT / "src"),
                                                                      os.environ.get("PYTHONPATH")]))}
    bp.set_page_model_env(env, model, seq, route)     # a plain candidate: the router off
    p = subprocess.run([sys.executable, str(ACCEPTANCE), "seed"], cwd=REPO_ROOT, env=env,
                       capture_output=True, text=True, timeout=1800)
    lines = [ln for ln in (p.stdout + p.stderr).splitlines() if ln.strip()]
    line = next((ln for ln in reversed(lines) if ln.startswith("seed:")), lines[-1] if lines else "")
    return {"rc": p.returncode, "line": line.strip()[:300]}


def print_table(cells: dict, modern_dir, criteria: list[dict]) -> None:
    names = {"modern": f"modern ({modern_dir})", "dragnet": "held-out Dragnet",
             "half A": "Readability half A", "half B": "Readability half B"}
    print("\n| set | pages | shipped P / R / F1 | candidate P / R / F1 | F1 change (paired SE) | change / SE |\n"
          "|---|---:|---|---|---|---:|")
    for key, name in names.items():
        if key not in cells:
            continue
        c = cells[key]
        ch, se = c["change"]["f1"]
        print(f"| {name} | {c['n']} | " + " / ".join(f"{x:.3f}" for x in c["shipped"]) + " | "
              + " / ".join(f"{x:.3f}" for x in c["candidate"]) + f" | {ch:+.4f} ({se:.4f}) | "
              + (f"{ch / se:+.1f}" if se and not math.isnan(se) else "") + " |")
    print("\n| criterion | rule | measured | verdict |\n|---|---|---|---|")
    for c in criteria:
        print(f"| {c['name']} | {c['rule']} | {c['measured']} | {'pass' if c['passed'] else '**fail**'} |")


def print_table4(cells4_: dict, modern_dir) -> None:
    """:func:`cells4`'s table (the outside metric; not gated)."""
    names = {"modern": f"modern ({modern_dir})", "dragnet": "held-out Dragnet",
             "half A": "Readability half A", "half B": "Readability half B"}
    print("\nThe outside metric (paste_metric: 4-token shingles, F1 of the means of page P and R; reported, "
          "not gated)\n\n| set | pages | shipped P4 / R4 / F1-4 | candidate P4 / R4 / F1-4 | F1-4 change "
          "| ± (1.96 paired bootstrap SD) | 95 % interval |\n|---|---:|---|---|---|---|---|")
    for key, name in names.items():
        if key not in cells4_:
            continue
        c, d = cells4_[key], cells4_[key]["change"]
        print(f"| {name} | {c['n']} | {paste_metric.fmt_prf(c['shipped'])} | {paste_metric.fmt_prf(c['candidate'])} | "
              f"{paste_metric.fmt_change(d)} |")


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--candidate", type=Path, help="a folder holding page-lines.json and page-seq.json, or "
                    "page-route.json (a page router and the modern pair it names; its own page-lines.json / "
                    "page-seq.json, where there, the default pair, else the shipped pair)")
    ap.add_argument("--model", type=Path, help="the candidate's page-lines.json (instead of --candidate)")
    ap.add_argument("--seq", type=Path, help="its page-seq.json (with --model; left out: trees with the "
                    "shipped GRU only where it pairs, as bench_paste.py)")
    ap.add_argument("--modern-dir", type=Path, default=None, help="a modern page set (*.json) for modern-gain")
    ap.add_argument("--min-gain-se", type=float, default=MIN_GAIN_SE)
    ap.add_argument("--dragnet-bar", type=float, default=DRAGNET_BAR)
    ap.add_argument("--dragnet-margin", type=float, default=DRAGNET_MARGIN)
    ap.add_argument("--half-b-margin", type=float, default=HALF_B_MARGIN)
    ap.add_argument("--seed", action="store_true", help="also run seed acceptance with the candidate")
    ap.add_argument("--render", action="store_true", help="render held-out pages missing from the cache first")
    ap.add_argument("--json", type=Path, default=None, help="write every aggregate number here")
    ap.add_argument("--pages-out", type=Path, default=None, help="write the per-page results into this folder")
    args = ap.parse_args(argv)
    if (args.candidate is None) == (args.model is None):
        ap.error("give --candidate DIR or --model FILE (one of them)")
    if args.seq is not None and args.model is None:
        ap.error("--seq goes with --model")
    args.route = None
    if args.candidate is not None and (args.candidate / ROUTE_FILE).is_file():
        # a routed candidate (session 12's RC / RL): its router names its modern pair; its own
        # page-lines.json / page-seq.json, where there, are the default pair, else the shipped pair
        args.route = args.candidate / ROUTE_FILE
        args.model, args.seq = (p if p.is_file() else None for p in (args.candidate / "page-lines.json",
                                                                       args.candidate / "page-seq.json"))
        if (args.model is None) != (args.seq is None):      # review 12a, #6: not trees alone behind a router
            ap.error(f"{args.candidate}: a routed candidate's default pair needs both page-lines.json and "
                     "page-seq.json, or neither (the shipped pair)")
    elif args.candidate is not None:
        args.model, args.seq = args.candidate / "page-lines.json", args.candidate / "page-seq.json"
    for path in filter(None, (args.model, args.seq)):
        if not path.is_file():
            ap.error(f"no such file: {path}")
    if args.modern_dir is not None and not sorted(args.modern_dir.glob("*.json")):
        ap.error(f"--modern-dir {args.modern_dir}: no *.json pages there")
    if args.seed and not ACCEPTANCE.is_file():
        ap.error(f"--seed: {ACCEPTANCE} not found")
    if args.json is not None and not args.json.parent.is_dir():
        ap.error(f"--json: no folder {args.json.parent}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        modern = bpm.load_pages(args.modern_dir) if args.modern_dir else None
        with bp.page_model(args.model, args.seq, args.route):
            cand_line = bp.check_page_model()       # loads and pairs, before any page is scored
    except ValueError as exc:
        print(f"error: {' '.join(str(exc).split())} (the gate did not run)", file=sys.stderr)
        return 2
    names = [n for n in ("dragnet", "readability") if paste_render.SETS[n].exists()]
    if args.render and names:
        paste_render.render(names, None, log=lambda m: print(m, file=sys.stderr, flush=True))
    sets = bp.heldout_sets(names)
    if not sets or not all(pages for _, _, pages, _ in sets):
        print(f"error: held-out pages missing (../shared/data/html, rendered into {paste_render.CACHE_DIR}: "
              "bench_paste.py renders them) (the gate did not run)", file=sys.stderr)
        return 2
    from newsgist.reading import pagemodel, pageroute
    with bp.page_model():
        bp.clean_text("Warm-up line one.\n\nWarm-up line two.")
        ship_line = f"page model: trees {pagemodel.load_model().fingerprint} (shipped); GRU shipped" + (
            "; router shipped" if pageroute.load_router() is not None else "")     # the shipped product as it is
    print(f"# Gate: candidate vs shipped page model, one run\n\ncandidate {cand_line}\nshipped   {ship_line}")
    runs = {}
    for who, model, seq, route in (("shipped", None, None, None), ("candidate", args.model, args.seq, args.route)):
        with bp.page_model(model, seq, route):
            runs[who] = {"heldout": run_heldout(sets), "modern": run_modern(modern) if modern else None}
    with bp.page_model(args.model, args.seq, args.route), contextlib.redirect_stdout(io.StringIO()):
        guard_rows = bp.guard(None)     # the candidate against rules only, as bench_paste.py
    routed = None
    if args.route:
        with bp.page_model(args.model, args.seq, args.route):
            routed = routed_counts(sets, modern)
        print("\ncandidate's router: " + "; ".join(f"{k} routed {n} of {t}" for k, (n, t) in routed.items()))
    cells = heldout_cells(runs["shipped"]["heldout"], runs["candidate"]["heldout"])
    if modern:
        cells["modern"] = pair_cell(*({r["id"]: tuple(r["model"]) for r in runs[w]["modern"]}
                                      for w in ("shipped", "candidate")))
    seed = run_seed(args.model, args.seq, args.route) if args.seed else None
    criteria = judge(cells, guard_rows, seed, args.min_gain_se, args.dragnet_bar, args.dragnet_margin,
                     args.half_b_margin)
    print_table(cells, args.modern_dir, criteria)
    outside = cells4(runs)
    print_table4(outside, args.modern_dir)
    if args.pages_out:
        args.pages_out.mkdir(parents=True, exist_ok=True)
        for who, run in runs.items():
            for part, rows in run.items():
                if rows is not None:
                    (args.pages_out / f"{part}-{who}.json").write_text(json.dumps(rows, indent=0) + "\n")
        print(f"\nper-page results (not shown): {args.pages_out}/")
    if args.json:
        args.json.write_text(json.dumps({
            "candidate": {"model": str(args.model) if args.model else None, "seq": str(args.seq) if args.seq else None,
                          "route": str(args.route) if args.route else None, "line": cand_line},
            "shipped": ship_line, "modern_dir": str(args.modern_dir) if args.modern_dir else None,
            "cells": cells, "cells4": outside, "routed": routed,
            "guard": guard_rows, "seed": seed, "criteria": criteria, "verdict": verdict(criteria),
            "rule": {k: getattr(args, k) for k in ("min_gain_se", "dragnet_bar", "dragnet_margin", "half_b_margin")},
        }, indent=1) + "\n", encoding="utf-8")
    print(verdict(criteria))
    return 0


if __name__ == "__main__":
    sys.exit(main())
