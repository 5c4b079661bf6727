"""Where the pasted path loses under the outside bar's metric, and what that says about the outside score
(issue 31, session 13b; analysis only: no product or model change).

The metric (the issue's outside bar, from its published description): ``paste_metric``'s (helper
13a's; since session 13f this module has no copy of its own): 4-token shingles of ``\\w+`` tokens,
case kept; each page's tp/fp/fn (multiset overlap of shingles) normalised to sum 1; set precision =
mean of page precisions, set recall = mean of page recalls (a page with no output is left out of the
precision mean, one with an empty gold out of the recall mean), F1 = harmonic mean of the two means
(:func:`set_scores`). Because the normalisation to 1 matters only when the normalised counts are
summed over pages, the pooled variant (P = sum tp / (sum tp + sum fp) of the normalised counts, the
same for R) is printed beside it (:func:`pooled_scores`).

Two steps:

- ``run``: the shipped product (``bench_paste.clean_text``: pasted text; ``bench_paste.clean_html``:
  the HTML path) on each page, cached in ``/tmp/ng13b/outputs.jsonl`` (one record a page; resumable).
  Sets: held-out Dragnet (280; gate set), Readability halves A / B (B: gate set), the first
  ``--train`` Dragnet training pages (the product was trained on them: in-sample), and the written
  validation pages ``modern-blind`` / ``modern-sealed`` (pasted path only: they have no HTML).
  ``modern-sealed2`` is never read.
- ``report``: the tables of BENCHMARKS.md's section ``Issue 31, session 13b``: set scores, the bands
  of page recall and precision with the share of ``1 - mean R`` (and ``1 - mean P``) each band carries,
  the loss split into the paste's (gold shingles absent from the pasted text) and the model's
  (present but not kept), the same by whole-page precision (furniture load), and the outside estimate.
  ``--pages`` adds the per-page reading, on the readable sets only (half A, Dragnet training, the
  written validation pages): never on held-out Dragnet or half B (``paste_outside_causes.py``, with the
  router's split).

Usage::

    nice -n 10 python benchmarks/paste_outside_estimate.py run --train 250
    python benchmarks/paste_outside_estimate.py report [--pages 12]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paste_metric  # noqa: E402
from paste_metric import TOKEN_RE, page_counts, shingles  # noqa: E402,F401 - paste_outside_causes imports them here

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

CACHE = Path("/tmp/ng13b/outputs.jsonl")
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "paste"
WRITTEN = ("modern-blind", "modern-sealed")         # validation; modern-sealed2 is sealed: never read
GATE_SETS = ("dragnet-test", "readability-B")        # aggregates and band counts only
BANDS = (0.25, 0.5, 0.8, 0.95)                       # the brief's bands: < .25, .25-.5, .5-.8, .8-.95, > .95


# --- the metric: paste_metric's (one copy of its rules; session 13f) --------------------------------

def page_pr(hyp: str, gold: str) -> tuple[float, float, bool, bool]:
    """Page ``(precision, recall, in the P mean, in the R mean)`` by ``paste_metric``'s rules: a page
    with no output shingle has no precision (it is left out of the P mean), one with an empty gold no
    recall (left out of the R mean)."""
    tp, fp, fn = page_counts(hyp, gold)
    return (*paste_metric.page_pr(tp, fp, fn), tp + fp > 0, tp + fn > 0)


def _counted(pr, i: int) -> bool:
    """Whether ``pr`` enters the mean of its coordinate ``i`` (0: P, 1: R); a bare ``(p, r)`` does."""
    return len(pr) < 4 or bool(pr[2 + i])


def harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def weighted_scores(prs: list, weights: list[float]) -> tuple[float, float, float]:
    """Weighted means of page P and R over the pages in each mean (as ``paste_metric.aggregate``;
    none: 0), and their harmonic mean."""
    means = []
    for i in (0, 1):
        sel = [(w, pr[i]) for w, pr in zip(weights, prs) if _counted(pr, i)]
        tot = sum(w for w, _ in sel)
        means.append(sum(w * x for w, x in sel) / tot if tot else 0.0)
    return means[0], means[1], harmonic(*means)


def set_scores(prs: list) -> tuple[float, float, float]:
    """(mean page P, mean page R, their harmonic mean): ``paste_metric.aggregate`` on the pages' ``prs``
    (:func:`page_pr`; a bare ``(p, r)`` enters both means)."""
    return weighted_scores(prs, [1.0] * len(prs))


def pooled_scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """P, R, F1 of the summed normalised (tp, fp, fn) of ``paste_metric.page_counts``: the variant where
    the normalisation matters."""
    tp, fp, fn = (sum(c[i] for c in counts) for i in range(3))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, harmonic(p, r)


# --- run: the product's outputs, cached ------------------------------------------------------------

def _pages(train: int):
    """``(set name, page id, pasted, html or None, gold)`` of every set, gate sets included (their
    outputs are cached; the report prints only their aggregates)."""
    import paste_render
    from newsgist.evaluation.train_paste import gold_article, readability_half, split_of
    for p in paste_render.pasted_pages("readability"):
        yield "readability-" + readability_half(p["id"]), p["id"], p["pasted"], p["html"], gold_article(p["text"])
    dragnet = paste_render.pasted_pages("dragnet")
    for p in dragnet:
        if split_of(p["id"]) == "test":
            yield "dragnet-test", p["id"], p["pasted"], p["html"], gold_article(p["text"])
    for name in WRITTEN:
        for path in sorted((FIXTURES / name).glob("*.json")):
            page = json.loads(path.read_text(encoding="utf-8"))
            yield name, page["id"], page["paste"], None, page["gold"]
    for p in [p for p in dragnet if split_of(p["id"]) != "test"][:train]:
        yield "dragnet-train", p["id"], p["pasted"], p["html"], gold_article(p["text"])


def run(train: int) -> None:
    import bench_paste
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    done = {(r["set"], r["id"]) for r in read_cache()}
    bench_paste.clean_text("Warm-up line one.\n\nWarm-up line two.")
    n = 0
    with CACHE.open("a", encoding="utf-8") as fh:
        for set_name, pid, pasted, html, gold in _pages(train):
            if (set_name, pid) in done:
                continue
            rec = {"set": set_name, "id": pid, "pasted": pasted, "gold": gold}
            for key, fn, arg in (("text", bench_paste.clean_text, pasted), ("html", bench_paste.clean_html, html)):
                if arg is None:
                    rec[key] = None
                    continue
                try:
                    rec[key] = fn(arg)
                except Exception:  # noqa: BLE001 - a failure scores 0, as in bench_paste
                    rec[key] = ""
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            fh.flush()
            n += 1
            if n % 50 == 0:
                print(f"{n} pages ({set_name})", flush=True)
    print(f"done: {n} new pages in {CACHE}")


def read_cache() -> list[dict]:
    if not CACHE.exists():
        return []
    out = {}
    with CACHE.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            out[(r["set"], r["id"])] = r
    return list(out.values())


# --- report ----------------------------------------------------------------------------------------

ORDER = ("dragnet-test", "readability-A", "readability-B", "dragnet-train", "modern-blind", "modern-sealed")
# Readability half A is NOT trained on (train_paste.READABILITY_TRAINS is False): a validation set
# (correction, session 13 lead; 13b first labelled it in-sample)
IN_SAMPLE = {"dragnet-train"}


def _minus(a: Counter, b: Counter) -> int:
    return sum((a - b).values())


def page_row(r: dict) -> dict:
    """One page's measures: P/R of the whole page, the pasted path (``text``) and the HTML path, and
    the pasted path's recall loss split into the paste's (gold shingles absent from the pasted text),
    the model's (the rest), and the part of the model's the HTML path loses too."""
    g, paste, text = shingles(r["gold"]), shingles(r["pasted"]), shingles(r["text"])
    n = max(sum(g.values()), 1)
    row = {"set": r["set"], "id": r["id"]}
    for k in ("pasted", "text", "html"):
        if r.get(k) is not None:
            row[k] = page_pr(r[k], r["gold"])
    row["paste_loss"] = _minus(g, paste) / n
    row["model_loss"] = 1 - row["text"][1] - row["paste_loss"]
    if r.get("html") is not None:       # of the model's loss (in the paste, not kept), what the HTML path loses too
        row["shared_loss"] = sum((((g & paste) - text) & (g - shingles(r["html"]))).values()) / n
    return row


def band_of(x: float) -> int:
    return sum(x >= b for b in BANDS)


BAND_NAMES = ("< 0.25", "0.25-0.5", "0.5-0.8", "0.8-0.95", ">= 0.95")


def _f(x):
    return f"{x:.3f}"


def print_scores(groups: dict, raw: dict) -> None:
    print("## Set scores (shingles-4, mean of page P / R; F1 = harmonic mean of the means; pooled: "
          "summed normalised tp/fp/fn)\n")
    print("| set | pages | whole page F1 | HTML path P / R / F1 | pasted path P / R / F1 | pooled F1: whole / HTML / pasted |")
    print("|---|---|---|---|---|---|")
    for s in ORDER:
        rows = groups.get(s, [])
        if not rows:
            continue
        recs = [raw[(s, r["id"])] for r in rows]
        counts = {k: [page_counts(x[k], x["gold"]) for x in recs] for k in ("pasted", "text", "html") if k in rows[0]}
        cells = {k: tuple(paste_metric.aggregate(c)[m] for m in ("p", "r", "f1")) for k, c in counts.items()}
        pooled = {k: pooled_scores(c)[2] for k, c in counts.items()}
        print(f"| {s}{' (in-sample)' if s in IN_SAMPLE else ''} | {len(rows)} | {_f(cells['pasted'][2])} | "
              + (" / ".join(map(_f, cells["html"])) if "html" in cells else "-") + " | "
              + " / ".join(map(_f, cells["text"])) + " | "
              + " / ".join(_f(pooled[k]) if k in pooled else "-" for k in ("pasted", "html", "text")) + " |")


def print_bands(groups: dict) -> None:
    for which, idx in (("recall", 1), ("precision", 0)):
        print(f"\n## Pasted path: page {which} bands (pages; share of 1 - mean {which[0].upper()} the band carries)\n")
        print("| set | 1 - mean | " + " | ".join(BAND_NAMES) + " |\n|---|---|" + "---|" * len(BAND_NAMES))
        for s in ORDER:
            rows = groups.get(s, [])
            if not rows:
                continue
            rows = [r for r in rows if _counted(r["text"], idx)]      # the pages in that mean
            loss = sum(1 - r["text"][idx] for r in rows)
            cells = []
            for b in range(len(BAND_NAMES)):
                sel = [r for r in rows if band_of(r["text"][idx]) == b]
                share = sum(1 - r["text"][idx] for r in sel) / loss if loss else 0.0
                cells.append(f"{len(sel)} ({share:.0%})")
            print(f"| {s} | {loss / len(rows):.3f} | " + " | ".join(cells) + " |")


def print_split(groups: dict) -> None:
    print("\n## Pasted path's recall loss (1 - mean R), split: the paste's (gold shingles absent from the pasted "
          "text), the model's (in the paste, not kept); the part of the model's the HTML path loses too\n")
    print("| set | 1 - mean R, pasted | paste's | model's | lost by the HTML path too | 1 - mean R, HTML path |")
    print("|---|---|---|---|---|---|")
    for s in ORDER:
        rows = [r for r in groups.get(s, []) if _counted(r["text"], 1)]     # the pages in the R mean
        if not rows:
            continue
        n = len(rows)
        has_html = "html" in rows[0]
        print(f"| {s} | {sum(1 - r['text'][1] for r in rows) / n:.3f} | {sum(r['paste_loss'] for r in rows) / n:.3f} | "
              f"{sum(r['model_loss'] for r in rows) / n:.3f} | "
              + (f"{sum(r['shared_loss'] for r in rows) / n:.3f} | {sum(1 - r['html'][1] for r in rows) / n:.3f} |"
                 if has_html else "- | - |"))


LOAD_BANDS = (0.25, 0.5, 0.8)          # whole-page precision: the page's share of article text
LOAD_NAMES = ("whole-page P < 0.25", "0.25-0.5", "0.5-0.8", ">= 0.8")


def print_load(groups: dict) -> None:
    print("\n## By furniture load (whole-page precision), real pages with an HTML path\n")
    print("| pages | group | n | whole-page F1 | HTML path F1 | pasted P / R / F1 | pasted - HTML |")
    print("|---|---|---|---|---|---|---|")
    for label, sets in (("out-of-sample (held-out Dragnet + half B)", ("dragnet-test", "readability-B")),
                        ("Readability half A (validation, never trained on)", ("readability-A",)),
                        ("in-sample (Dragnet training)", ("dragnet-train",))):
        rows = [r for s in sets for r in groups.get(s, [])]
        for b, name in enumerate(LOAD_NAMES):
            sel = [r for r in rows if sum(r["pasted"][0] >= x for x in LOAD_BANDS) == b]
            if not sel:
                continue
            w, h, t = (set_scores([r[k] for r in sel]) for k in ("pasted", "html", "text"))
            print(f"| {label} | {name} | {len(sel)} | {_f(w[2])} | {_f(h[2])} | {' / '.join(map(_f, t))} | {t[2] - h[2]:+.3f} |")


OUT_WHOLE, OUT_HTML, BAR = 0.667, 0.957, 0.92     # the outside set: whole page, HTML path; the bar
OUT_PAGES, BOOT_DRAWS, BOOT_SEED = 181, 2000, 0   # its size; the bootstrap of a set of that size


def page_f1(pr) -> float:
    return harmonic(pr[0], pr[1])


def print_estimate(groups: dict) -> list[tuple[str, float]]:
    """The outside estimate by three calibrations (each printed with the numbers it rests on)."""
    print("\n## Outside estimate (whole page 0.667, HTML path 0.957 there)\n")
    est = []
    print("| calibration | pages | whole page F1 | HTML F1 | pasted F1 | gap (pasted - HTML) | estimate: 0.957 + gap | 0.957 x ratio |")
    print("|---|---|---|---|---|---|---|---|")

    def line(name, rows, weight=lambda r: 1.0):
        w, h, t = (weighted_scores([r[k] for r in rows], [weight(r) for r in rows]) for k in ("pasted", "html", "text"))
        gap, ratio = t[2] - h[2], t[2] / h[2]
        print(f"| {name} | {len(rows)} | {_f(w[2])} | {_f(h[2])} | {_f(t[2])} | {gap:+.3f} | "
              f"{OUT_HTML + gap:.3f} | {min(1.0, OUT_HTML * ratio):.3f} |")
        return OUT_HTML + gap, min(1.0, OUT_HTML * ratio)

    for s in ("dragnet-test", "readability-B", "readability-A"):
        if groups.get(s):
            est.append((f"(a) {s}", line(f"(a) set: {s}{' (in-sample)' if s in IN_SAMPLE else ''}", groups[s])))
    oos = groups.get("dragnet-test", []) + groups.get("readability-B", [])
    if groups.get("dragnet-test") and groups.get("readability-B"):
        # (b) a mixture of the two out-of-sample sets whose whole-page F1 is the outside set's 0.667
        lo, hi = 0.0, 1.0
        n_d, n_b = len(groups["dragnet-test"]), len(groups["readability-B"])
        for _ in range(40):
            a = (lo + hi) / 2
            wt = (lambda a: lambda r: a / n_d if r["set"] == "dragnet-test" else (1 - a) / n_b)(a)
            if weighted_scores([r["pasted"] for r in oos], [wt(r) for r in oos])[2] > OUT_WHOLE:
                lo = a
            else:
                hi = a
        est.append(("(b) mixture", line(f"(b) Dragnet {a:.0%} / half B {1 - a:.0%} (whole page 0.667)", oos, wt)))
        # (c) the out-of-sample pages where the HTML path reads the gold well: the lowest page-F1 cut
        # whose pages' HTML set F1 reaches the outside's 0.957
        for cut in [x / 100 for x in range(50, 100)]:
            sel = [r for r in oos if page_f1(r["html"]) >= cut]
            if set_scores([r["html"] for r in sel])[2] >= OUT_HTML:
                break
        est.append((f"(c) HTML page F1 >= {cut}", line(f"(c) out-of-sample pages with HTML page F1 >= {cut:.2f}", sel)))
        # (c') the same cut on the (b) mixture
        est.append(("(c') mixture", line(f"(c') (b)'s weights, pages with HTML page F1 >= {cut:.2f}", sel, wt)))
    for s in WRITTEN:
        if groups.get(s):
            print(f"\n(d) {s} (written pages of today's web, no HTML path): pasted F1 {_f(set_scores([r['text'] for r in groups[s]])[2])}")
    return est


TINY_GOLD = 25        # shingles: a gold of a title, a byline or a caption (under ~30 words)


def loss_class(row: dict) -> str:
    """The pasted path's page by where its recall goes (aggregates only on the gate sets)."""
    r, loss = row["text"][1], 1 - row["text"][1]
    if loss <= 0.05:
        return "R > 0.95"
    if row["paste_loss"] >= loss / 2:
        return "paste: gold not in the pasted text"
    if r < 0.25:
        return "model: body lost (R < 0.25)"
    return "model: lines dropped (R 0.25-0.95)"


CLASSES = ("paste: gold not in the pasted text", "model: body lost (R < 0.25)", "model: lines dropped (R 0.25-0.95)",
           "R > 0.95")


def print_classes(groups: dict, raw: dict) -> None:
    """Pages by :func:`loss_class`: how many, how many of them have a tiny gold, their share of
    ``1 - mean R``, and the set F1 if the model's loss on them were recovered (R up to the whole
    page's R, P kept: an upper bound of fixing that class)."""
    print("\n## Pasted path's pages by where recall goes; the set F1 if the model's loss on a class were recovered "
          "(R raised to the whole page's, P kept: an upper bound)\n")
    print("| set | F1 now | " + " | ".join(f"{c}: pages (tiny gold) / share of 1 - R / F1 if recovered" for c in CLASSES[:3])
          + " | P < 0.5: pages / F1 if P were the set's median |")
    print("|---|---|" + "---|" * 4)
    for s in ORDER:
        rows = groups.get(s, [])
        if not rows:
            continue
        now = set_scores([r["text"] for r in rows])
        loss = sum(1 - r["text"][1] for r in rows) or 1.0
        cells = []
        for c in CLASSES[:3]:
            sel = [r for r in rows if loss_class(r) == c]
            tiny = sum(sum(shingles(raw[(s, r["id"])]["gold"]).values()) < TINY_GOLD for r in sel)
            fixed = set_scores([(r["text"][0], max(r["text"][1], r["pasted"][1]), *r["text"][2:]) if loss_class(r) == c
                                else r["text"]
                                for r in rows])
            cells.append(f"{len(sel)} ({tiny}) / {sum(1 - r['text'][1] for r in sel) / loss:.0%} / {fixed[2]:.3f}")
        ps = sorted(r["text"][0] for r in rows if _counted(r["text"], 0))
        med = ps[len(ps) // 2]
        lowp = [r for r in rows if _counted(r["text"], 0) and r["text"][0] < 0.5]
        fixed = set_scores([(med, *r["text"][1:]) if r in lowp else r["text"] for r in rows])
        print(f"| {s} | {now[2]:.3f} | " + " | ".join(cells) + f" | {len(lowp)} / {fixed[2]:.3f} |")


def report(n_pages: int) -> None:
    raw = {(r["set"], r["id"]): r for r in read_cache()}
    groups: dict = {}
    for r in raw.values():
        groups.setdefault(r["set"], []).append(page_row(r))
    print_scores(groups, raw)
    print_bands(groups)
    print_split(groups)
    print_load(groups)
    print_classes(groups, raw)
    est = print_estimate(groups)
    print_selection(groups)
    vals = [v for _, pair in est for v in pair]
    print(f"\nall calibrations: {min(vals):.3f} - {max(vals):.3f} (bar {BAR})")
    from paste_outside_causes import print_pages, print_routed
    print_routed(groups, raw)
    print_pages(groups, raw, n_pages)


def print_selection(groups: dict) -> None:
    """The selection effect behind calibration (c): the same cut made on the pasted path's page F1."""
    oos = groups.get("dragnet-test", []) + groups.get("readability-B", [])
    if not oos:
        return
    for cut in [x / 100 for x in range(50, 100)]:
        sel = [r for r in oos if page_f1(r["text"]) >= cut]
        if set_scores([r["text"] for r in sel])[2] >= OUT_HTML:
            break
    h, t = set_scores([r["html"] for r in sel])[2], set_scores([r["text"] for r in sel])[2]
    import random
    import statistics
    rng = random.Random(BOOT_SEED)
    boot = sorted(set_scores([rng.choice(oos)["text"] for _ in range(OUT_PAGES)])[2] for _ in range(BOOT_DRAWS))
    print(f"\nsampling spread of a {OUT_PAGES}-page set (bootstrap of the out-of-sample pages, {BOOT_DRAWS} draws): "
          f"pasted F1 SD {statistics.pstdev(boot):.3f}, 5-95 % {boot[BOOT_DRAWS // 20]:.3f} - {boot[-BOOT_DRAWS // 20]:.3f}")
    corr = statistics.correlation([page_f1(r["html"]) for r in oos], [page_f1(r["text"]) for r in oos])
    print(f"\nselection check: out-of-sample pages with pasted page F1 >= {cut:.2f} ({len(sel)}): pasted {t:.3f}, "
          f"HTML {h:.3f} (gap {h - t:+.3f}); page-F1 correlation of the two paths {corr:.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="the product's outputs on every page, cached")
    r.add_argument("--train", type=int, default=2000, help="the first N Dragnet training pages")
    rep = sub.add_parser("report", help="the tables, from the cache")
    rep.add_argument("--pages", type=int, default=0, help="per-page reading of the N worst readable pages")
    args = ap.parse_args(argv)
    if args.cmd == "run":
        run(args.train)
    else:
        report(args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
