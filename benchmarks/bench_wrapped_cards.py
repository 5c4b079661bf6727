"""Card agreement between a wrapped article and the same article unwrapped (issue 31, session 14g):
candidate P's measure.

Session 14's registration of candidate P (BENCHMARKS.md, "Merge of wave three, session 14") measures
how far the card of a hard-wrapped article agrees with the card of the same article on one line a
paragraph. The articles are CNN/DM's, wrapped as :mod:`bench_wrapped_articles` wraps them (its
:func:`~bench_wrapped_articles.wrap_article`: ``bench_paste_wrapped``'s four styles, the style by the
article id; nothing of it is copied here). For each article both texts go through
``newsgist.api.read(text).to_dict()`` (the full card, default options) and it keeps

* the entity set ``{(name with whitespace runs as one space, type)}`` and
* the quote set ``{(speaker normalised so, quote text normalised so)}`` (no speaker: ""),

and scores the Jaccard overlap of the wrapped card's set with the unwrapped card's (two empty sets:
1.0). It prints the means over articles, overall and per style. A card that fails (a typed error)
counts as empty sets; the failures are counted.

``--json F`` writes one row per article; a later run (e.g. a candidate's tree) with ``--paired F`` prints
its overlaps minus that run's, paired by article id, with a paired-bootstrap 95 % interval (10,000
resamples, seed 0, the eval's ``paired_bootstrap`` as in bench_wrapped_articles).

The tree measured is this script's (its ``src`` first on ``sys.path``), unless ``--src DIR`` names
another tree's ``src`` (e.g. ``/work/main/src``, to measure main with this script); the loaded
package's path is printed. ``test-public-500`` is refused unless ``--gate`` (the lead's test, once).

Usage::

    python benchmarks/bench_wrapped_cards.py --data ../shared/data/cnndm/validation-1000.jsonl \\
        [--limit N] [--json F] [--paired F] [--src DIR]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_wrapped_articles as bwa  # noqa: E402  (puts this tree's src first on sys.path)


def _src_arg(argv) -> str | None:
    """``--src DIR`` read before the package is imported (argparse reads it again)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    for i, a in enumerate(argv):
        if a == "--src" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--src="):
            return a.split("=", 1)[1]
    return None


def _norm(s) -> str:
    return " ".join((s or "").split())


def card_sets(text: str) -> tuple[set, set, bool]:
    """``(entities, quotes, failed)`` of ``text``'s card (see the module's docstring)."""
    from newsgist.api import read
    try:
        d = read(text).to_dict()
    except Exception:  # noqa: BLE001  (a typed error: no card, empty sets)
        return set(), set(), True
    ents = {(_norm(e["name"]), e["type"]) for e in d.get("entities", [])}
    quotes = {(_norm(q.get("speaker")), _norm(q["text"])) for q in d.get("quotes", [])}
    return ents, quotes, False


def jaccard(a: set, b: set) -> float:
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def run(records: list[dict], progress: bool = True) -> list[dict]:
    """One row per record: ``id``, ``style``, ``entities``/``quotes`` (Jaccard, wrapped vs unwrapped),
    the set sizes, ``failed`` (cards that failed: 0-2) and ``ms`` (both cards)."""
    rows, t0 = [], time.perf_counter()
    for k, rec in enumerate(records, 1):
        wrapped, style = bwa.wrap_article(str(rec["id"]), rec["article"])
        t = time.perf_counter()
        pe, pq, pf = card_sets(rec["article"])
        we, wq, wf = card_sets(wrapped)
        rows.append({"id": str(rec["id"]), "style": style, "entities": jaccard(we, pe), "quotes": jaccard(wq, pq),
                     "n_entities": [len(pe), len(we)], "n_quotes": [len(pq), len(wq)], "failed": pf + wf,
                     "ms": (time.perf_counter() - t) * 1000})
        if progress and (k % 50 == 0 or k == len(records)):
            sys.stderr.write(f"  {k}/{len(records)} articles, {time.perf_counter() - t0:.0f} s\n")
    return rows


def _mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else 0.0


def _groups(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    return [("all", rows)] + [(s, [r for r in rows if r["style"] == s]) for s in bwa.STYLES]


def table(rows: list[dict]) -> str:
    out = ["| style | articles | entity overlap (mean Jaccard) | quote overlap (mean Jaccard) | "
           "articles with identical entity / quote sets | failed cards |", "|---|---:|---:|---:|---|---:|"]
    for style, mine in _groups(rows):
        if mine:
            out.append(f"| {style} | {len(mine)} | {_mean(r['entities'] for r in mine):.4f} | "
                       f"{_mean(r['quotes'] for r in mine):.4f} | {sum(r['entities'] == 1 for r in mine)} / "
                       f"{sum(r['quotes'] == 1 for r in mine)} | {sum(r['failed'] for r in mine)} |")
    return "\n".join(out)


def paired_table(rows: list[dict], base: list[dict]) -> str:
    """This run's overlaps minus ``base``'s, paired by article id, with the paired-bootstrap interval."""
    from newsgist.evaluation.evaluate import paired_bootstrap
    by_id = {b["id"]: b for b in base}
    common = [r for r in rows if r["id"] in by_id]
    out = ["| measure | style | articles | base | this | change | 95 % interval (paired bootstrap) | articles changed |",
           "|---|---|---:|---:|---:|---:|---|---:|"]
    for m in ("entities", "quotes"):
        for style, mine in _groups(common):
            if not mine:
                continue
            this, that = [r[m] for r in mine], [by_id[r["id"]][m] for r in mine]
            diff, lo, hi = paired_bootstrap(this, that, n=bwa.BOOTSTRAP_N, seed=bwa.BOOTSTRAP_SEED)
            out.append(f"| {m} | {style} | {len(mine)} | {_mean(that):.4f} | {_mean(this):.4f} | {diff:+.4f} | "
                       f"[{lo:+.4f}, {hi:+.4f}] | {sum(a != b for a, b in zip(this, that))} |")
    return "\n".join(out)


def main(argv=None) -> None:
    src = _src_arg(argv)
    if src:
        sys.path.insert(0, str(Path(src).resolve()))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="CNN/DM JSONL ({id, article, highlights})")
    ap.add_argument("--limit", type=int, default=None, help="the first N articles only")
    ap.add_argument("--json", type=Path, default=None, help="write per-article rows here (for a later --paired)")
    ap.add_argument("--paired", type=Path, default=None, help="an earlier run's --json: this run minus it")
    ap.add_argument("--src", default=None, help="measure the package under this src (default: this tree's)")
    ap.add_argument("--gate", action="store_true", help="allow test-public-500 (the lead's registered test only)")
    args = ap.parse_args(argv)
    if bwa.is_gate_set(args.data) and not args.gate:
        raise SystemExit(f"error: {args.data} is the registered test set: only the lead's test runs it (--gate)")
    from newsgist.threads import pin_blas_threads
    pin_blas_threads()
    import newsgist
    if src and not Path(newsgist.__file__).resolve().is_relative_to(Path(src).resolve()):
        raise SystemExit(f"error: newsgist loaded from {newsgist.__file__}, not from --src {src}")
    from newsgist.evaluation.evaluate import read_jsonl
    records = list(read_jsonl(args.data, limit=args.limit))
    if not records:
        raise SystemExit(f"error: {args.data} holds no records")
    base = json.loads(args.paired.read_text()) if args.paired else None
    rows = run(records)
    counts = ", ".join(f"{s} {sum(r['style'] == s for r in rows)}" for s in bwa.STYLES)
    print(f"\n## Card agreement, wrapped vs unwrapped: {args.data.name}, {len(rows)} articles ({counts})\n")
    print(f"product: {Path(newsgist.__file__).resolve().parent}\n")
    print(table(rows))
    if base is not None:
        print(f"\n### Paired against {args.paired} (this run minus that one)\n")
        print(paired_table(rows, base))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
