"""Wrapped CNN/DM articles through the card (issue 31, session 14e): candidate S's test shape.

Session 14's registration of candidate S (BENCHMARKS.md, "Merge of wave three, session 14") tests it
on CNN/DM articles (one line each in the shared files) hard-wrapped by ``bench_paste_wrapped``'s four
styles (e-mail 72, rfc 3 + 69, source-pre 120 with markup, narrow 60; the style by the sha1 of the
article id, :func:`bench_paste_wrapped.page_style`). :func:`wrap_article` makes the article a
one-line page and calls :func:`bench_paste_wrapped.wrap_page` on it (nothing of the transform is
copied): only whitespace changes, no word is split.

For each article, on the wrapped text and on the unwrapped text, it runs what ``newsgist eval`` runs
with its default options -- ``newsgist.api.highlights(text, method="default")`` and the eval's
LEAD-3 (``lead3_pysbd``, the first three pysbd sentences of the raw text) -- through the eval's own
:func:`newsgist.evaluation.evaluate.evaluate` (its timing, its ROUGE scorer: ROUGE-1/2/Lsum F x100
against the reference highlights), and prints one table: {LEAD-3, newsgist highlights} x
{unwrapped, wrapped}, the wrapped rows per style too, with mean ROUGE F, the ROUGE-2 F change against
the same articles unwrapped, article counts and median ms / article.

``--json F`` writes one row per article (id, style, each system's and condition's ROUGE F and the
highlights). A later run -- e.g. of a candidate's tree -- with ``--paired F`` prints its ROUGE-2 F
minus that run's, per article, averaged, with a paired-bootstrap 95 % interval (10,000 resamples of the
articles, seed 0, the eval's :func:`paired_bootstrap`), overall and per style, and how many articles'
highlights changed.

The tree that is measured is this script's: its ``src`` goes first on ``sys.path``, ahead of
``PYTHONPATH`` (run ``/work/wt-X/benchmarks/bench_wrapped_articles.py`` to measure wt-X's product);
the loaded package's path is printed.

Usage::

    python benchmarks/bench_wrapped_articles.py --data ../shared/data/cnndm/validation-1000.jsonl \\
        [--limit N] [--style S] [--json F] [--paired F]

``test-public-500`` is the registered gate's test set: the script refuses it unless ``--gate`` is
given (the lead's gate, once).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO_ROOT / "src"))    # this tree's product, ahead of PYTHONPATH

import bench_paste_wrapped as bpw  # noqa: E402

STYLES = bpw.STYLES
SYSTEMS = ("lead3", "newsgist")               # newsgist: ``newsgist highlights`` (the eval's "default")
CONDITIONS = ("plain", "wrapped")
METRICS = ("rouge1", "rouge2", "rougeLsum")   # the eval's ROUGE types (F, x100)
LABELS = {"lead3": "LEAD-3", "newsgist": "newsgist highlights"}
GATE_SETS = ("test-public",)                  # file names only the lead's gate may run
BOOTSTRAP_N = 10_000                          # registration: 10,000 resamples of the articles ...
BOOTSTRAP_SEED = 0                            # ... seed 0
PROGRESS_EVERY = 500                          # calls between two progress lines on stderr


def wrap_article(article_id: str, article: str, style: str | None = None) -> tuple[str, str]:
    """``(wrapped text, style)``: ``article`` hard-wrapped by ``bench_paste_wrapped.wrap_page`` as a
    page whose paste is the article (each non-blank line one article line); ``style`` None: the id's."""
    lines = [["article:body", t] for t in article.split("\n") if t.strip()]
    page = {"id": article_id, "paste": article, "lines": lines, "gold": "\n".join(t for _, t in lines)}
    wrapped = bpw.wrap_page(page, style)
    return wrapped["paste"], wrapped["wrap_style"]


def is_gate_set(path: Path) -> bool:
    """Is ``path`` the registered gate's test set (test-public-500)?"""
    return any(path.name.startswith(g) for g in GATE_SETS)


def _methods() -> dict:
    """The eval's methods with ``newsgist eval``'s defaults (apps/cli/main.py ``cmd_eval``)."""
    from newsgist.api import highlights
    from newsgist.evaluation.evaluate import lead3_pysbd
    return {"lead3": lead3_pysbd, "newsgist": lambda text: highlights(text, method="default")}


def _progress(label: str, total: int):
    t0 = time.perf_counter()

    def tick(done: int, _total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            sys.stderr.write(f"  {label}: {done}/{total} calls, {time.perf_counter() - t0:.0f} s\n")
            sys.stderr.flush()
    return tick


def run(records: list[dict], style: str | None = None, progress: bool = True) -> list[dict]:
    """One row per record: ``id``, ``style``, and per system and condition (``<system>_<condition>``)
    ``{"rouge1", "rouge2", "rougeLsum", "ms", "highlights"}``, run through the eval's ``evaluate``."""
    from newsgist.evaluation.evaluate import evaluate
    wrapped, styles = [], []
    for rec in records:
        text, st = wrap_article(str(rec["id"]), rec["article"], style)
        wrapped.append({**rec, "article": text})
        styles.append(st)
    rows = [{"id": str(rec["id"]), "style": st} for rec, st in zip(records, styles)]
    methods = _methods()
    for cond, recs in (("plain", records), ("wrapped", wrapped)):
        res = evaluate(recs, methods, progress=_progress(cond, len(recs) * len(methods)) if progress else None)
        for name in methods:
            if res.methods[name].errors:
                sys.stderr.write(f"warning: {name} {cond}: {res.methods[name].errors} error(s), "
                                 f"first: {res.methods[name].first_error}\n")
            for row, per, ms, pred in zip(rows, res.per_article[name], res.times_ms[name], res.predictions[name]):
                row[f"{name}_{cond}"] = {**{m: per[m] for m in METRICS}, "ms": ms, "highlights": pred}
    return rows


def _mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else 0.0


def table(rows: list[dict]) -> str:
    """Markdown: {LEAD-3, newsgist highlights} x {unwrapped, wrapped}, the wrapped rows per style too."""
    out = ["| system | condition | articles | ROUGE-1 F | ROUGE-2 F | ROUGE-Lsum F | ROUGE-2 F change vs the same "
           "articles unwrapped | median ms / article |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name in SYSTEMS:
        groups = [("unwrapped", "plain", rows), ("wrapped (all styles)", "wrapped", rows)]
        groups += [(f"wrapped: {s}", "wrapped", [r for r in rows if r["style"] == s]) for s in STYLES]
        for label, cond, mine in groups:
            if not mine:
                continue
            cells = [f"{_mean(r[f'{name}_{cond}'][m] for r in mine):.2f}" for m in METRICS]
            ms = statistics.median(r[f"{name}_{cond}"]["ms"] for r in mine)
            change = _mean(r[f"{name}_{cond}"]["rouge2"] - r[f"{name}_plain"]["rouge2"] for r in mine)
            out.append(f"| {LABELS[name]} | {label} | {len(mine)} | {' | '.join(cells)} | "
                       f"{'–' if cond == 'plain' else f'{change:+.2f}'} | {ms:.1f} |")
    return "\n".join(out)


def paired(rows: list[dict], base: list[dict], system: str = "newsgist", metric: str = "rouge2",
           n: int = BOOTSTRAP_N, seed: int = BOOTSTRAP_SEED) -> list[dict]:
    """This run's ``metric`` minus ``base``'s (an earlier run's rows), paired by article id, per
    condition, overall and per wrapped style: ``{condition, style, articles, mean_this, mean_base,
    diff, lo, hi, changed, changed_words}`` (``lo``/``hi``: the paired-bootstrap 95 % interval;
    ``changed``: articles whose highlights differ; ``changed_words``: differ beyond whitespace)."""
    from newsgist.evaluation.evaluate import paired_bootstrap
    by_id = {b["id"]: b for b in base}
    common = [r for r in rows if r["id"] in by_id]
    out = []
    for cond in CONDITIONS:
        groups = [("all", common)]
        if cond == "wrapped":
            groups += [(s, [r for r in common if r["style"] == s]) for s in STYLES]
        key = f"{system}_{cond}"
        for style, mine in groups:
            if not mine:
                continue
            this = [r[key][metric] for r in mine]
            that = [by_id[r["id"]][key][metric] for r in mine]
            diff, lo, hi = paired_bootstrap(this, that, n=n, seed=seed)
            hl = [(r[key]["highlights"], by_id[r["id"]][key]["highlights"]) for r in mine]
            out.append({"condition": cond, "style": style, "articles": len(mine), "mean_this": _mean(this),
                        "mean_base": _mean(that), "diff": diff, "lo": lo, "hi": hi,
                        "changed": sum(a != b for a, b in hl),
                        "changed_words": sum([" ".join(h.split()) for h in a] != [" ".join(h.split()) for h in b]
                                             for a, b in hl)})
    return out


def paired_table(res: list[dict], system: str = "newsgist", metric: str = "rouge2") -> str:
    out = [f"| {LABELS[system]} | style | articles | base {metric} F | this {metric} F | change | 95 % interval "
           "(paired bootstrap) | highlights changed (beyond whitespace) |",
           "|---|---|---:|---:|---:|---:|---|---:|"]
    for r in res:
        out.append(f"| {'unwrapped' if r['condition'] == 'plain' else 'wrapped'} | {r['style']} | {r['articles']} | "
                   f"{r['mean_base']:.3f} | {r['mean_this']:.3f} | {r['diff']:+.3f} | [{r['lo']:+.3f}, {r['hi']:+.3f}] | "
                   f"{r['changed']} ({r['changed_words']}) |")
    return "\n".join(out)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="test-public-500 is the registered gate's test set (candidate S): it is refused unless --gate "
               "is given, which only the lead's gate uses, once.")
    ap.add_argument("--data", type=Path, required=True, help="CNN/DM JSONL ({id, article, highlights})")
    ap.add_argument("--limit", type=int, default=None, help="the first N articles only")
    ap.add_argument("--style", choices=STYLES, default=None, help="one style for every article (default: the id's)")
    ap.add_argument("--json", type=Path, default=None, help="write per-article rows here (for a later --paired)")
    ap.add_argument("--paired", type=Path, default=None,
                    help="an earlier run's --json (e.g. the shipped product's): this run's ROUGE-2 F minus it, "
                         "paired bootstrap 95 %% interval (10,000 resamples, seed 0), overall and per style")
    ap.add_argument("--gate", action="store_true", help="allow test-public-500 (the lead's registered gate only)")
    args = ap.parse_args(argv)
    if is_gate_set(args.data) and not args.gate:
        raise SystemExit(f"error: {args.data} is the registered gate's test set: only the lead's gate runs it (--gate)")
    from newsgist.threads import pin_blas_threads
    pin_blas_threads()                        # as the CLI does, before numpy is imported
    import newsgist
    from newsgist.evaluation.evaluate import read_jsonl
    records = list(read_jsonl(args.data, limit=args.limit))
    if not records:
        raise SystemExit(f"error: {args.data} holds no records")
    base = json.loads(args.paired.read_text()) if args.paired else None   # read first: fail before the run
    rows = run(records, args.style)
    counts = ", ".join(f"{s} {sum(r['style'] == s for r in rows)}" for s in STYLES)
    print(f"\n## Wrapped CNN/DM articles: {args.data.name}, {len(rows)} articles ({counts})\n")
    print(f"product: {Path(newsgist.__file__).resolve().parent}\n")
    print(table(rows))
    if base is not None:
        print(f"\n### Paired against {args.paired} (ROUGE-2 F, this run minus that one)\n")
        print(paired_table(paired(rows, base)))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
