"""Candidates U and U2's validation sums (issue 31, sessions 13d, 13e): which hard-wrap variant, by the registered rule.

The registration (BENCHMARKS.md, "Merge of wave three, session 13", candidate U): six variants,
``WRAP_MIN_PAIRS`` in {3, 5, 10} x join in {"lower", "lower+long"} (``newsgist.reading.pagewrap``).
For each, the sum over the validation pages of (variant page F1 - shipped page F1), our metric
(``bench_html.prf`` of ``bench_paste.clean_text``'s body, the product, against
``train_paste.gold_article``; a written page's own ``gold``), on Readability half A (67), the
1,100 Dragnet training pages and ``tests/fixtures/paste/modern-blind/`` (100). The highest sum is
chosen (a tie: the higher ``WRAP_MIN_PAIRS``, then "lower"); no positive sum: U is not gated.

U2 (``--u2``; BENCHMARKS.md, U2's registration after U's failed gate): one fixed variant,
``WRAP_MIN_PAIRS`` 10, join "pair", a pair's first line of 5+ words; the same sum on the same pages,
reported (no choice): positive is the registered condition for gating U2.

Only validation pages are kept: each line of a set's data or cache file is parsed for its id and
dropped at once unless it is a half A or a Dragnet training id (never stored, run or scored);
held-out Dragnet, half B, ``modern-sealed/`` and ``modern-sealed2/`` are never run. A set whose file
is missing or whose page count is not the expected one (``EXPECTED``) stops the script. A page with fewer continuation
pairs than a variant's threshold gives the shipped output by construction, so only pages with at
least 3 pairs are run again (once a variant); every page is run once shipped (for the set means and
the outside metric, ``paste_metric``: F1-4 of means, printed for the chosen variant).

Usage::

    PYTHONPATH=$PWD/src nice -n 10 .venv/bin/python benchmarks/wrap_choice.py [--out /tmp/ng13d/choice.json]
    PYTHONPATH=$PWD/src nice -n 10 .venv/bin/python benchmarks/wrap_choice.py --u2 [--out /tmp/ng13e/u2.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import contextmanager
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

# U's grid: (WRAP_MIN_PAIRS, WRAP_JOIN), a pair's first line of U_FIRST_MIN_WORDS+ words.
VARIANTS = [(k, j) for k in (3, 5, 10) for j in ("lower", "lower+long")]
U_FIRST_MIN_WORDS = 3
# U2, fixed by its registration: (WRAP_MIN_PAIRS, WRAP_JOIN, PAIR_FIRST_MIN_WORDS).
U2 = (10, "pair", 5)
# The validation sets' page counts (the cache as rendered; a different count stops the script).
EXPECTED = {"readability half A": 67, "dragnet training": 1100, "modern-blind": 100}
SETS = ("readability half A", "dragnet training", "modern-blind")
BLIND = REPO_ROOT / "tests" / "fixtures" / "paste" / "modern-blind"


def cached_with_gold(name: str, keep_id) -> list[dict]:
    """``{id, pasted, gold}`` of the pages of set ``name`` whose id ``keep_id`` keeps
    (``paste_render.cached_records``: a line of either file is decoded only when its id is kept, so a
    held-out page is never loaded; [] when the set's file or its cache is absent)."""
    return [{"id": page["id"], "pasted": rec["pasted"], "gold": gold_article(page["text"])}
            for page, rec in paste_render.cached_records(name, keep_id)]


def check_counts(sets: dict[str, list[dict]], expected: dict[str, int] = EXPECTED) -> None:
    """Stop (ValueError) when a set does not hold its expected number of pages (a missing file, a
    page not rendered): a sum over fewer pages is not the registered sum."""
    bad = {name: (len(sets.get(name, [])), n) for name, n in expected.items() if len(sets.get(name, [])) != n}
    if bad:
        raise ValueError("validation sets not as expected (found, expected): "
                         + ", ".join(f"{k} {v[0]} / {v[1]}" for k, v in bad.items()))


def validation_sets() -> dict[str, list[dict]]:
    sets = {"readability half A": cached_with_gold("readability", lambda pid: readability_half(pid) == "A"),
            "dragnet training": cached_with_gold("dragnet", lambda pid: split_of(pid) != "test"),
            "modern-blind": [{"id": p["id"], "pasted": p["paste"], "gold": p["gold"]} for p in load_pages(BLIND)]}
    check_counts(sets)
    return sets


@contextmanager
def as_variant(variant):
    """``pagewrap`` set to U off (``variant`` None), a U variant ``(min_pairs, join)`` (a pair's first
    line of ``U_FIRST_MIN_WORDS``+ words) or ``(min_pairs, join, first_min_words)``; restored after."""
    names = ("WRAP", "WRAP_MIN_PAIRS", "WRAP_JOIN", "PAIR_FIRST_MIN_WORDS")
    saved = tuple(getattr(pagewrap, n) for n in names)
    pagewrap.WRAP = variant is not None
    if variant is not None:
        pagewrap.WRAP_MIN_PAIRS, pagewrap.WRAP_JOIN = variant[:2]
        pagewrap.PAIR_FIRST_MIN_WORDS = variant[2] if len(variant) > 2 else U_FIRST_MIN_WORDS
    try:
        yield
    finally:
        for n, v in zip(names, saved):
            setattr(pagewrap, n, v)


def run_as(text: str, variant) -> str:
    """The product's body for ``text`` as ``variant`` (:func:`as_variant`)."""
    with as_variant(variant):
        return clean_text(text)


def pairs_as(text: str, variant) -> int:
    """The page's continuation pairs as ``variant`` counts them (its pair's first-line words)."""
    with as_variant(variant):
        return len(pagewrap.continuation_pairs(text, page_lines(text)))


def key_of(v) -> str:
    return "/".join(str(x) for x in v)


def choose(sums: dict) -> tuple | None:
    """The registered rule: the highest sum; a tie, the higher threshold, then "lower"; None if no sum > 0."""
    best = max(sums, key=lambda v: (sums[v], v[0], v[1] == "lower"))
    return best if sums[best] > 0 else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=None, help="write per-page rows (JSON)")
    ap.add_argument("--u2", action="store_true", help="U2's sum (one fixed variant) instead of U's grid")
    args = ap.parse_args(argv)
    variants = [U2] if args.u2 else VARIANTS
    sets = validation_sets()
    rows, t0 = [], time.time()
    for name, pages in sets.items():
        print(f"{name}: {len(pages)} pages", flush=True)
        for p in pages:
            text, gold = p["pasted"], p["gold"]
            base = run_as(text, None)
            row = {"set": name, "id": p["id"], "f1": prf(base, gold)[2],
                   "c4": paste_metric.page_counts(base, gold), "var": {}}
            for v in variants:
                if pairs_as(text, v) >= v[0]:      # fewer pairs: the shipped output by construction
                    out = run_as(text, v)
                    row["var"][key_of(v)] = {"f1": prf(out, gold)[2], "changed": out != base,
                                             "c4": paste_metric.page_counts(out, gold)}
            rows.append(row)
    print(f"ran in {time.time() - t0:.0f} s\n")
    if args.out:
        Path(args.out).write_text(json.dumps(rows), encoding="utf-8")
    sums, table = {}, []
    for v in variants:
        key = key_of(v)
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
        print(f"| {' / '.join(map(str, v))} | " + " | ".join(f"{per[s][0]:+.4f} ({per[s][1]} / {per[s][2]})" for s in SETS)
              + f" | {sums[v]:+.4f} |")
    if args.u2:
        best = U2 if sums[U2] > 0 else None
        print(f"\nU2's sum {sums[U2]:+.4f}: " + ("positive, U2 may be gated" if best else "not positive: U2 is not gated"))
    else:
        best = choose(sums)
        print(f"\nchosen: {best} (sum {sums[best]:+.4f})" if best else "\nno sum is positive: U is not gated")
    if args.u2:                              # the validation pages U2 changes
        for r in rows:
            c = r["var"].get(key_of(U2))
            if c and c["changed"]:
                print(f"  {r['set']}: {r['id']} {r['f1']:.3f} -> {c['f1']:.3f} ({c['f1'] - r['f1']:+.3f})")
    show = U2 if args.u2 else best          # U2: its means whatever its sum
    key = key_of(show) if show else None
    print("\n| set | pages | shipped F1 | " + ("chosen F1 | " if show else "") + "shipped F1-4 | "
          + ("chosen F1-4 |" if show else ""))
    print("|---|---|---|" + ("---|---|---|" if show else "---|"))
    for name in sets:
        sel = [r for r in rows if r["set"] == name]
        n = len(sel)
        f_s = sum(r["f1"] for r in sel) / n
        a_s = paste_metric.aggregate([r["c4"] for r in sel])
        cells = [name, str(n), f"{f_s:.4f}"]
        if show:
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
