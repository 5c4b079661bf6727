"""Candidates U, U2 and W's validation sums (issue 31, sessions 13d, 13e, 14a): which hard-wrap variant, by the registered rule.

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

W (``--w``; BENCHMARKS.md, "Merge of wave three, session 14"): ``FILL_SLACK`` in {0, 10, 20} x
``WRAP_MIN_PAIRS`` in {3, 5, 10}, join "width"; the same sum over the three sets above and a fourth,
the wrapped transforms of the TRAINING written pages ``modern/`` + ``modern-train/`` (``--wrapped``
folders written by ``benchmarks/bench_paste_wrapped.py write``, 209 pages; a folder named blind or
sealed is refused). The highest sum is chosen (a tie: the larger ``WRAP_MIN_PAIRS``, then the smaller
``FILL_SLACK``); no positive sum: W is not gated. ``--dev``: without the fourth set (not the choice).

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
    PYTHONPATH=$PWD/src nice -n 10 .venv/bin/python benchmarks/wrap_choice.py --w --wrapped DIR_MODERN DIR_MODERN_TRAIN
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
# Candidate W (session 14's registration): FILL_SLACK x WRAP_MIN_PAIRS, join "width"; variants as
# (FILL_SLACK, WRAP_MIN_PAIRS). For one slack the joins do not depend on the threshold, so a page is
# run once a slack (when it has at least min(W_MIN_PAIRS) fill pairs) and the threshold only gates it.
W_SLACKS = (0, 10, 20)
W_MIN_PAIRS = (3, 5, 10)
W_GRID = [(f, k) for f in W_SLACKS for k in W_MIN_PAIRS]
# W's fourth set: the wrapped transforms of the training written pages (modern/ + modern-train/,
# benchmarks/bench_paste_wrapped.py of helper 14b; never modern-blind's transform, the gate's).
WRAPPED = "wrapped modern + modern-train"
WRAPPED_PAGES = 209
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


def wrapped_pages(dirs) -> list[dict]:
    """``{id, pasted, gold}`` of the wrapped written pages in ``dirs`` (``*.json`` with ``id``,
    ``paste`` and ``gold``, as helper 14b's transform writes them), ids prefixed by their folder's name."""
    out = []
    for d in dirs:
        for path in sorted(Path(d).glob("*.json")):
            page = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(page, dict) and {"paste", "gold"} <= page.keys():
                out.append({"id": f"{Path(d).name}/{page.get('id', path.stem)}", "pasted": page["paste"],
                            "gold": page["gold"]})
    return out


@contextmanager
def as_variant(variant):
    """``pagewrap`` set to U off (``variant`` None), a U variant ``(min_pairs, join)`` (a pair's first
    line of ``U_FIRST_MIN_WORDS``+ words), ``(min_pairs, join, first_min_words)`` or a dict of
    ``pagewrap`` constants (W: ``{"WRAP_JOIN": "width", "FILL_SLACK": f, "WRAP_MIN_PAIRS": k}``), with
    ``WRAP`` on; restored after."""
    names = ("WRAP", "WRAP_MIN_PAIRS", "WRAP_JOIN", "PAIR_FIRST_MIN_WORDS", "FILL_SLACK", "FILL_DISTINCT", "RUN_MID_SHARE")
    saved = tuple(getattr(pagewrap, n) for n in names)
    pagewrap.WRAP = variant is not None
    if isinstance(variant, dict):
        for n, v in variant.items():
            if n not in names:
                raise ValueError(f"not a wrap constant: {n}")
            setattr(pagewrap, n, v)
    elif variant is not None:
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


def w_variant(slack: int, min_pairs: int) -> dict:
    """W's constants for ``(FILL_SLACK, WRAP_MIN_PAIRS)``, join "width"."""
    return {"WRAP_JOIN": "width", "FILL_SLACK": slack, "WRAP_MIN_PAIRS": min_pairs}


def fills_as(text: str, slack: int) -> int:
    """The page's fill pairs in wrapped runs at ``FILL_SLACK`` ``slack`` (W's count)."""
    with as_variant(w_variant(slack, 0)):
        return len(pagewrap.fill_pairs(text, page_lines(text)))


def choose_w(sums: dict) -> tuple | None:
    """W's registered rule: the highest sum; a tie, the larger WRAP_MIN_PAIRS, then the smaller
    FILL_SLACK; None if no sum is positive."""
    best = max(sums, key=lambda v: (sums[v], v[1], -v[0]))
    return best if sums[best] > 0 else None


def key_of(v) -> str:
    return "/".join(str(x) for x in v)


def choose(sums: dict) -> tuple | None:
    """The registered rule: the highest sum; a tie, the higher threshold, then "lower"; None if no sum > 0."""
    best = max(sums, key=lambda v: (sums[v], v[0], v[1] == "lower"))
    return best if sums[best] > 0 else None


def print_w_changes(rows: list[dict], key: str, worst: int = 12) -> None:
    """The chosen W variant's changed pages: counts per set; by id (readable sets only: half A,
    Dragnet training, the wrapped training pages), half A's and the wrapped pages' all, Dragnet
    training's ``worst`` losses and its gains; modern-blind only as counts (aggregates only)."""
    for name in dict.fromkeys(r["set"] for r in rows):
        ch = [r for r in rows if r["set"] == name and r["var"].get(key, {}).get("changed")]
        d = [r["var"][key]["f1"] - r["f1"] for r in ch]
        print(f"  {name}: {len(ch)} pages changed, {sum(x > 0 for x in d)} up, {sum(x < 0 for x in d)} down, "
              f"sum {sum(d):+.4f}")
        if name == "modern-blind":
            continue
        ch.sort(key=lambda r: r["var"][key]["f1"] - r["f1"])
        show = ch[:worst] + [r for r in ch[worst:] if r["var"][key]["f1"] > r["f1"]] if name == "dragnet training" else ch
        for r in show:
            c = r["var"][key]["f1"]
            print(f"    {r['id']} {r['f1']:.3f} -> {c:.3f} ({c - r['f1']:+.3f})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=None, help="write per-page rows (JSON)")
    which = ap.add_mutually_exclusive_group()    # U's grid (neither), U2's variant or W's grid: one a run
    which.add_argument("--u2", action="store_true", help="U2's sum (one fixed variant) instead of U's grid")
    which.add_argument("--w", action="store_true", help="W's grid (FILL_SLACK x WRAP_MIN_PAIRS, join \"width\")")
    ap.add_argument("--wrapped", nargs="*", default=[],
                    help="W: folders of the wrapped transforms of modern/ and modern-train/ (never modern-blind's)")
    ap.add_argument("--dev", action="store_true", help="W: a development run without the wrapped set (not the choice)")
    args = ap.parse_args(argv)
    if args.dev and args.wrapped:    # a development run reads no wrapped set: --wrapped would be ignored
        ap.error("--dev is a development run without the wrapped set: drop --wrapped (or --dev for the choice)")
    variants = W_GRID if args.w else [U2] if args.u2 else VARIANTS
    if any("blind" in str(d) or "sealed" in str(d) for d in args.wrapped):
        raise ValueError("W's choice reads the wrapped TRAINING pages only (modern-blind's transform is the gate's)")
    sets = validation_sets()
    if args.w:
        if not args.dev:
            sets[WRAPPED] = wrapped_pages(args.wrapped)
            check_counts(sets, {**EXPECTED, WRAPPED: WRAPPED_PAGES})
    rows, t0 = [], time.time()
    for name, pages in sets.items():
        print(f"{name}: {len(pages)} pages", flush=True)
        for p in pages:
            text, gold = p["pasted"], p["gold"]
            base = run_as(text, None)
            row = {"set": name, "id": p["id"], "f1": prf(base, gold)[2],
                   "c4": paste_metric.page_counts(base, gold), "var": {}}
            if args.w:
                for f in W_SLACKS:
                    n = fills_as(text, f)
                    if n < min(W_MIN_PAIRS):      # fewer fill pairs: the shipped output by construction
                        continue
                    out = run_as(text, w_variant(f, min(W_MIN_PAIRS)))
                    res = {"f1": prf(out, gold)[2], "changed": out != base, "c4": paste_metric.page_counts(out, gold)}
                    for k in W_MIN_PAIRS:
                        if n >= k:
                            row["var"][key_of((f, k))] = res
            for v in ([] if args.w else variants):
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
    names = list(sets)
    print(("| FILL_SLACK / WRAP_MIN_PAIRS | " if args.w else "| variant | ")
          + " | ".join(f"{s}: sum dF1 (pages run / changed)" for s in names) + " | total sum |")
    print("|---|" + "---|" * (len(names) + 1))
    for v, per in table:
        print(f"| {' / '.join(map(str, v))} | " + " | ".join(f"{per[s][0]:+.4f} ({per[s][1]} / {per[s][2]})" for s in names)
              + f" | {sums[v]:+.4f} |")
    if args.w:
        best = choose_w(sums)
        if args.dev:
            print("\nDEVELOPMENT RUN (no wrapped set): not the registered choice")
        print(f"\nchosen: FILL_SLACK {best[0]}, WRAP_MIN_PAIRS {best[1]} (sum {sums[best]:+.4f})" if best
              else "\nno sum is positive: W is not gated")
        if best:
            print_w_changes(rows, key_of(best))
    elif args.u2:
        best = U2 if sums[U2] > 0 else None
        print(f"\nU2's sum {sums[U2]:+.4f}: " + ("positive, U2 may be gated" if best else "not positive: U2 is not gated"))
    else:
        best = choose(sums)
        print(f"\nchosen: {best} (sum {sums[best]:+.4f})" if best else "\nno sum is positive: U is not gated")
    if args.u2:                                             # the validation pages U2 changes
        for r in rows:
            c = r["var"].get(key_of(U2))
            if c and c["changed"]:
                print(f"  {r['set']}: {r['id']} {r['f1']:.3f} -> {c['f1']:.3f} ({c['f1'] - r['f1']:+.3f})")
    show = U2 if args.u2 else best          # U2: its means whatever its sum; U and W: the chosen variant
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
