"""Candidate R of issue 31, session 11: route a pasted page to the model trained with today's page
shapes (M2) or to the shipped, Dragnet-trained model, by how the page looks. Not in the product:
R failed its registered gate (BENCHMARKS.md, "Merge of wave three, session 11").

A page goes to M2 when its letters are mostly Latin (every written training page is English) and at
least ``k`` of its lines carry today's furniture (``MODERN_LINE``: consent banners, skip links, ad
slots, newsletter and sign-in prompts, today's social networks, a copyright year from 2015 on, share
rows, "min read"); lexicon and rule were registered before any routed number was computed. ``k`` is
the value of 1-20 that maximises (share of the written modern training pages routed to M2) - (share
of the Dragnet training pages routed to M2), a tie taking the larger k: training pages only.

Since session 12 the lexicon and ``latin_share`` are imported from the product
(``newsgist.reading.pageroute``, whole words only); R's session-11 numbers were computed with the
version that also matched inside words ("log in" in "blog in", "sign in" in "design in"), commit
c442f54.

``--compose`` scores R from two models' per-page results, which is what the routed product would
print (a page's output is one model's output, whole): ``bench_paste.py --model-only --json`` of the
shipped model and of M2 (held-out Dragnet, Readability and its halves), and
``bench_paste_modern.py --json`` of both on a page directory; each set's paired F1 change against
the shipped model, with its paired SE.

Usage::

    python benchmarks/route_modern.py                       # the k table on the training pages
    python benchmarks/route_modern.py --compose SHIPPED.json M2.json \
        [--modern-json SHIPPED_MODERN.json M2_MODERN.json --modern-dir DIR]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import paste_render  # noqa: E402
from bench_paste_modern import load_page, load_pages  # noqa: E402
from cv_paste import paired_diff  # noqa: E402
from newsgist.evaluation.train_paste import split_of  # noqa: E402
# The lexicon and the Latin share are the product's (session 12, ``newsgist.reading.pageroute``):
# whole words only. R's session-11 numbers (BENCHMARKS.md) were computed with the earlier version,
# which also matched inside words ("log in" in "blog in"; commit c442f54).
from newsgist.reading.pageroute import LINE_HEAD, MODERN_LINE, latin_share, modern_lines  # noqa: E402,F401

# Registered with the lexicon (session 11): the written training pages are English, so a page
# whose letters are mostly in another script stays with the Dragnet-trained pair.
LATIN_SHARE = 0.9
# Set on training pages only (``main`` below, without --compose): the k of 1-20 that maximises the share
# of the 134 written training pages routed modern minus the share of the 1,100 Dragnet training
# pages routed modern (a tie takes the larger k).
MODERN_MIN_LINES = 4        # chosen: 0.746 of the modern training pages routed, 0.348 of Dragnet's


def looks_modern(text: str, min_lines: int | None = None) -> bool:
    """True when the page goes to the modern pair: mostly Latin letters and at least
    ``min_lines`` (default ``MODERN_MIN_LINES``) lines of today's furniture."""
    k = MODERN_MIN_LINES if min_lines is None else min_lines
    if k <= 0:
        return False
    return latin_share(text) >= LATIN_SHARE and modern_lines(text) >= k


MODERN_DIRS = (REPO_ROOT / "tests/fixtures/paste/modern", REPO_ROOT / "tests/fixtures/paste/modern-train")
K_RANGE = range(1, 21)


def page_stats(texts: list[str]) -> list[tuple[bool, int]]:
    """(mostly Latin, modern furniture lines) for each text."""
    return [(latin_share(t) >= LATIN_SHARE, modern_lines(t)) for t in texts]


def routed_share(stats: list[tuple[bool, int]], k: int) -> float:
    return sum(latin and n >= k for latin, n in stats) / len(stats) if stats else 0.0


def choose_k(modern: list[tuple[bool, int]], dragnet: list[tuple[bool, int]]) -> tuple[int, list]:
    """The registered k and the table behind it: (k, modern share, Dragnet share, difference)."""
    rows = [(k, routed_share(modern, k), routed_share(dragnet, k)) for k in K_RANGE]
    rows = [(k, m, d, m - d) for k, m, d in rows]
    best = max(rows, key=lambda r: (round(r[3], 12), r[0]))
    return best[0], rows


def compose(shipped: list[dict], m2: list[dict], routed: dict) -> list[tuple]:
    """Per set (and Readability half): (name, pages, routed, shipped F1, R's F1, change, SE), where R
    takes M2's row for a routed page and the shipped row otherwise (``bench_paste.py --json`` rows of
    the "text, page model" system, keyed by (set, id))."""
    def rows(data):
        return {(r["set"], r["id"]): r for r in data if r["system"] == "text, page model"}
    a, b = rows(shipped), rows(m2)
    out = []
    groups = sorted({(k[0], None) for k in a} | {(k[0], r.get("group")) for k, r in a.items() if r.get("group")},
                    key=lambda g: (g[0], g[1] or ""))
    for name, group in groups:
        keys = [k for k in a if k[0] == name and (group is None or a[k].get("group") == group) and k in b]
        if not keys:
            continue
        r_f1 = {k: (b[k] if routed[k] else a[k])["f1"] for k in keys}
        _, _, change, se = paired_diff({k: a[k]["f1"] for k in keys}, r_f1)
        out.append((name + (f" ({group})" if group else ""), len(keys), sum(routed[k] for k in keys),
                    statistics.mean(a[k]["f1"] for k in keys), statistics.mean(r_f1.values()), change, se))
    return out


def _print_composed(rows: list[tuple]) -> None:
    print("\n| set | pages | routed to M2 | shipped F1 | R F1 | change (paired SE) |\n|---|---:|---:|---:|---:|---|")
    for name, n, nr, f_a, f_r, change, se in rows:
        print(f"| {name} | {n} | {nr} | {f_a:.4f} | {f_r:.4f} | {change:+.4f} ({se:.4f}) |")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--modern", type=Path, nargs="+", default=list(MODERN_DIRS),
                    help="written modern training pages: fixture directories or *.json page files")
    ap.add_argument("--compose", type=Path, nargs=2, metavar=("SHIPPED_JSON", "M2_JSON"),
                    help="score R from two bench_paste.py --json runs (the rendered pages' routes)")
    ap.add_argument("--modern-json", type=Path, nargs=2, metavar=("SHIPPED_JSON", "M2_JSON"),
                    help="with --compose: two bench_paste_modern.py --json runs on --modern-dir")
    ap.add_argument("--modern-dir", type=Path, help="the page directory of --modern-json")
    args = ap.parse_args(argv)
    if args.modern_json and not (args.compose and args.modern_dir):
        ap.error("--modern-json needs --compose and --modern-dir")
    if args.compose:
        routed = {(name, p["id"]): looks_modern(p["pasted"])
                  for name in ("dragnet", "readability") for p in paste_render.pasted_pages(name)}
        rows = compose(*(json.loads(f.read_text()) for f in args.compose), routed)
        if args.modern_json:
            pages = load_pages(args.modern_dir)
            routed.update({("modern", p["id"]): looks_modern(p["paste"]) for p in pages})
            as_rows = [[{"set": "modern", "id": r["id"], "system": "text, page model", "f1": r["model"][2]}
                        for r in json.loads(f.read_text())] for f in args.modern_json]
            rows += compose(*as_rows, routed)
        print(f"\n## Candidate R (k = {MODERN_MIN_LINES}, Latin share >= {LATIN_SHARE}) against the shipped model")
        _print_composed(rows)
        return
    modern = [p["paste"] for d in args.modern for p in (load_pages(d) if d.is_dir() else [load_page(d)])]
    dragnet = [p["pasted"] for p in paste_render.pasted_pages("dragnet") if split_of(p["id"]) != "test"]
    if not modern or not dragnet:
        raise SystemExit("no modern pages or no rendered Dragnet training pages (run paste_render.py)")
    k, rows = choose_k(page_stats(modern), page_stats(dragnet))
    print(f"\n## Router k on training pages: {len(modern)} written modern pages, {len(dragnet)} Dragnet training pages\n")
    print("| k | modern routed | Dragnet routed | difference |\n|---|---:|---:|---:|")
    for kk, m, d, diff in rows:
        print(f"| {kk}{' (chosen)' if kk == k else ''} | {m:.3f} | {d:.3f} | {diff:+.3f} |")
    print(f"\nchosen k = {k}" + ("" if k == MODERN_MIN_LINES else f" (MODERN_MIN_LINES is {MODERN_MIN_LINES})"))


if __name__ == "__main__":
    main()
