"""Candidate U's validation choice (issue 31, session 13d): which hard-wrap variant, by the registered rule.

The registration (BENCHMARKS.md, "Merge of wave three, session 13", candidate U): six variants,
``WRAP_MIN_PAIRS`` in {3, 5, 10} x join in {"lower", "lower+long"} (``newsgist.reading.pagewrap``).
For each, the sum over the validation pages of (variant page F1 - shipped page F1), our metric
(``bench_html.prf`` of ``bench_paste.clean_text``'s body, the product, against
``train_paste.gold_article``; a written page's own ``gold``), on Readability half A (67), the
1,100 Dragnet training pages and ``tests/fixtures/paste/modern-blind/`` (100). The highest sum is
chosen (a tie: the higher ``WRAP_MIN_PAIRS``, then "lower"); no positive sum: U is not gated.

Only validation pages are read: a data or cache line is decoded only when its id is a half A or a
Dragnet training id (``paste_render``'s id-first lines, as ``cached_pasted``); held-out Dragnet,
half B, ``modern-sealed/`` and ``modern-sealed2/`` are never loaded. A page with fewer continuation
pairs than a variant's threshold gives the shipped output by construction, so only pages with at
least 3 pairs are run again (once a variant); every page is run once shipped (for the set means and
the outside metric, ``paste_metric``: F1-4 of means, printed for the chosen variant).

Usage::

    PYTHONPATH=$PWD/src nice -n 10 .venv/bin/python benchmarks/wrap_choice.py [--out /tmp/ng13d/choice.json]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import paste_metric  # noqa: E402
import paste_render  # noqa: E402
from bench_html import prf  # noqa: E402
from bench_paste import clean_text  # noqa: E402
from bench_paste_modern import load_pages  # noqa: E402
from newsgist.evaluation.train_paste import gold_article, readability_half, split_of  # noqa: E402
from newsgist.reading import pagewrap  # noqa: E402
from newsgist.reading.pagelines import page_lines  # noqa: E402

VARIANTS = [(k, j) for k in (3, 5, 10) for j in ("lower", "lower+long")]
SETS = ("readability half A", "dragnet training", "modern-blind")
BLIND = REPO_ROOT / "tests" / "fixtures" / "paste" / "modern-blind"


def cached_with_gold(name: str, keep_id) -> list[dict]:
    """``{id, pasted, gold}`` of the pages of set ``name`` whose id ``keep_id`` keeps (a line of either
    file is decoded only then: ``paste_render.cached_pasted``'s reading, with the gold text kept)."""
    def kept(fh):
        for line in fh:
            m = paste_render._ID.match(line)
            if m and keep_id(m.group(1)):
                yield json.loads(line)
    path, data = paste_render.cache_path(name), paste_render.SETS[name]
    with path.open(encoding="utf-8") as fh:
        cache = {rec["id"]: rec for rec in kept(fh)}
    opener = gzip.open if data.suffix == ".gz" else open
    out = []
    with opener(data, "rt", encoding="utf-8") as fh:
        for page in kept(fh):
            rec = cache.get(page["id"])
            if rec and not rec.get("error") and rec.get("sha1") == paste_render.sha1(page["html"]):
                out.append({"id": page["id"], "pasted": rec["pasted"], "gold": gold_article(page["text"])})
    return out


def validation_sets() -> dict[str, list[dict]]:
    return {"readability half A": cached_with_gold("readability", lambda pid: readability_half(pid) == "A"),
            "dragnet training": cached_with_gold("dragnet", lambda pid: split_of(pid) != "test"),
            "modern-blind": [{"id": p["id"], "pasted": p["paste"], "gold": p["gold"]} for p in load_pages(BLIND)]}


def run_as(text: str, variant) -> str:
    """The product's body for ``text`` with U off (``variant`` None) or as ``(min_pairs, join)``."""
    saved = pagewrap.WRAP, pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN
    pagewrap.WRAP = variant is not None
    if variant is not None:
        pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN = variant
    try:
        return clean_text(text)
    finally:
        pagewrap.WRAP, pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN = saved


def choose(sums: dict) -> tuple | None:
    """The registered rule: the highest sum; a tie, the higher threshold, then "lower"; None if no sum > 0."""
    best = max(sums, key=lambda v: (sums[v], v[0], v[1] == "lower"))
    return best if sums[best] > 0 else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=None, help="write per-page rows (JSON)")
    args = ap.parse_args(argv)
    sets = validation_sets()
    rows, t0 = [], time.time()
    for name, pages in sets.items():
        print(f"{name}: {len(pages)} pages", flush=True)
        for p in pages:
            text, gold = p["pasted"], p["gold"]
            pairs = len(pagewrap.continuation_pairs(text, page_lines(text)))
            base = run_as(text, None)
            row = {"set": name, "id": p["id"], "pairs": pairs, "f1": prf(base, gold)[2],
                   "c4": paste_metric.page_counts(base, gold), "var": {}}
            for v in VARIANTS:
                if pairs >= v[0]:
                    out = run_as(text, v)
                    row["var"][f"{v[0]}/{v[1]}"] = {"f1": prf(out, gold)[2], "changed": out != base,
                                                    "c4": paste_metric.page_counts(out, gold)}
            rows.append(row)
    print(f"ran in {time.time() - t0:.0f} s\n")
    if args.out:
        Path(args.out).write_text(json.dumps(rows), encoding="utf-8")
    sums, table = {}, []
    for v in VARIANTS:
        key = f"{v[0]}/{v[1]}"
        per = {}
        for name in sets:
            sel = [r for r in rows if r["set"] == name]
            d = sum(r["var"][key]["f1"] - r["f1"] for r in sel if key in r["var"])
            per[name] = (d, sum(key in r["var"] for r in sel), sum(r["var"].get(key, {}).get("changed", False) for r in sel))
        sums[v] = sum(d for d, _, _ in per.values())
        table.append((v, per))
    print("| variant | " + " | ".join(f"{s}: sum dF1 (pages run / changed)" for s in SETS) + " | total sum |")
    print("|---|" + "---|" * (len(SETS) + 1))
    for v, per in table:
        print(f"| {v[0]} / {v[1]} | " + " | ".join(f"{per[s][0]:+.4f} ({per[s][1]} / {per[s][2]})" for s in SETS)
              + f" | {sums[v]:+.4f} |")
    best = choose(sums)
    print(f"\nchosen: {best} (sum {sums[best]:+.4f})" if best else "\nno sum is positive: U is not gated")
    key = f"{best[0]}/{best[1]}" if best else None
    print("\n| set | pages | shipped F1 | " + ("chosen F1 | " if best else "") + "shipped F1-4 | "
          + ("chosen F1-4 |" if best else ""))
    print("|---|---|---|" + ("---|---|---|" if best else "---|"))
    for name in sets:
        sel = [r for r in rows if r["set"] == name]
        n = len(sel)
        f_s = sum(r["f1"] for r in sel) / n
        a_s = paste_metric.aggregate([r["c4"] for r in sel])
        cells = [name, str(n), f"{f_s:.4f}"]
        if best:
            f_c = sum(r["var"][key]["f1"] if key in r["var"] else r["f1"] for r in sel) / n
            a_c = paste_metric.aggregate([r["var"][key]["c4"] if key in r["var"] else r["c4"] for r in sel])
            cells += [f"{f_c:.4f}", f"{a_s['f1']:.4f} (P {a_s['p']:.3f} R {a_s['r']:.3f})",
                      f"{a_c['f1']:.4f} (P {a_c['p']:.3f} R {a_c['r']:.3f})"]
        else:
            cells.append(f"{a_s['f1']:.4f}")
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
