"""Fit the page router of issue 31's candidates RC / RL (session 12), as registered in BENCHMARKS.md
("Merge of wave three, session 12"), before any routed result.

The router (:mod:`newsgist.reading.pageroute`) is a logistic regression over three page columns
(``pageroute.COLUMNS``: the share of non-blank lines matching the whole-word modern lexicon, log1p
of their count, the Latin letter share), standardised over the training pages, the two classes
weighted to equal total, L2 = 1 on the standardised weights (``page_era.fit``, session 11r's fit,
reused). Label 1: the 209 written pages of ``tests/fixtures/paste/modern`` + ``modern-train``;
label 0: the 1,100 Dragnet training pages (``page_era.dragnet_training_texts``: only training ids
are ever decoded). The threshold, on the router's log-odds as the product computes them, is the
training page score that maximises (share of written pages routed) - (share of Dragnet training
pages routed), in sample; a tie takes the higher threshold (session 11's R rule).

``--out DIR`` writes ``DIR/page-route.json`` (the modern pair's file names ``--modern-lines`` /
``--modern-seq``, relative to DIR, and an ``info`` block: counts, routed shares, sha1 of the
inputs) and prints the routed shares on the training pages and, for information only, on
Readability's half A (``train_paste.readability_half``; half B is never decoded).

``--apply ROUTER SOURCE...`` prints how many pages of each source the router routes (counts only);
``--ids-out FILE`` writes the routed page ids (one ``source<TAB>id`` a line), for composing
validation numbers without printing a page's route. A SOURCE is ``dragnet-training``, a folder of
written pages (``*.json``), a JSONL file (``id`` and ``pasted`` or ``paste``), or a text file.
The registration's protocol (review 12a, #7): no SOURCE under ``modern-sealed`` is ever read (the
lead's gate alone scores it), and ``--ids-out`` takes only training sources (``dragnet-training``,
the ``modern`` and ``modern-train`` fixture folders): the blind set is counted, never listed.

Usage::

    python benchmarks/fit_router.py --out /tmp/ng12/router
    python benchmarks/fit_router.py --apply /tmp/ng12/router/page-route.json dragnet-training \\
        --ids-out /tmp/ng12/routed-ids.tsv
    python benchmarks/fit_router.py --apply /tmp/ng12/router/page-route.json tests/fixtures/paste/modern-blind
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import paste_render  # noqa: E402
from bench_paste_modern import load_pages  # noqa: E402
from page_era import L2, dragnet_training_texts, fit  # noqa: E402
from route_modern import MODERN_DIRS  # noqa: E402
from newsgist.evaluation.train_paste import readability_half  # noqa: E402
from newsgist.reading import pageroute  # noqa: E402

# The modern pair's default file names in a router's folder (``--modern-lines`` / ``--modern-seq``):
# the names session 12's RC / RL folders use, beside the default pair's page-lines.json / page-seq.json.
MODERN_LINES, MODERN_SEQ = "page-lines-modern.json", "page-seq-modern.json"
SEALED = "modern-sealed"           # no --apply source under a folder whose name starts so (review 12a, #7;
                                   # modern-sealed2 and any later sealed set too: final review, session 12)
IDS_SOURCES = ("dragnet-training",)  # with MODERN_DIRS: the only sources whose ids --ids-out may write


def written_texts(dirs=MODERN_DIRS) -> list[tuple[str, str]]:
    """(id, paste) of the written training pages."""
    return [(p["id"], p["paste"]) for d in dirs for p in load_pages(d)]


def half_a_texts() -> list[tuple[str, str]]:
    """(id, pasted) of Readability's half A pages whose HTML still matches the cache; a line is decoded
    only when its id is a half A id (half B is the gate's)."""
    return paste_render.cached_pasted("readability", lambda pid: readability_half(pid) == "A")


def texts_sha1(pages: list[tuple[str, str]]) -> str:
    """One sha1 of the pages (id and text, sorted by id)."""
    h = hashlib.sha1()
    for pid, text in sorted(pages):
        h.update(f"{pid}\t{hashlib.sha1(text.encode('utf-8')).hexdigest()}\n".encode("utf-8"))
    return h.hexdigest()


def choose_threshold(written: list[float], dragnet: list[float]) -> tuple[float, float, float]:
    """(threshold, written share routed, Dragnet share routed): the page score that maximises the
    written share routed (score >= threshold) minus the Dragnet share; a tie takes the higher."""
    w, d = np.sort(np.array(written)), np.sort(np.array(dragnet))
    best = None
    for t in sorted(set(written) | set(dragnet)):
        sw = (len(w) - np.searchsorted(w, t, side="left")) / len(w)
        sd = (len(d) - np.searchsorted(d, t, side="left")) / len(d)
        # ascending t: >= keeps the higher on a tie. 1e-12 absorbs float rounding only: two distinct
        # differences of shares differ by at least 1 / (209 * 1,100) = 1 / 229,900, far above it.
        if best is None or sw - sd >= best[1] - best[2] - 1e-12:
            best = (t, sw, sd)
    return best


def fit_router(written: list[tuple[str, str]], dragnet: list[tuple[str, str]],
               modern_lines: str = MODERN_LINES, modern_seq: str = MODERN_SEQ) -> dict:
    """The router JSON dict fitted on ``written`` (label 1) and ``dragnet`` (label 0), (id, text) pairs."""
    x = np.array([pageroute.columns(t) for _, t in written] + [pageroute.columns(t) for _, t in dragnet])
    y = np.array([1.0] * len(written) + [0.0] * len(dragnet))
    mu, sd = x.mean(0), x.std(0)
    if not (sd > 0).all():
        raise SystemExit(f"a router column is constant over the training pages: sd {sd.tolist()}")
    w = fit((x - mu) / sd, y)
    d = {"kind": pageroute.KIND, "columns": list(pageroute.COLUMNS), "mean": [float(v) for v in mu],
         "sd": [float(v) for v in sd], "coef": [float(v) for v in w[:-1]], "intercept": float(w[-1]),
         "threshold": 0.0, "modern_lines": modern_lines, "modern_seq": modern_seq}
    router = pageroute.Router(d)                  # the product's own scores set the threshold
    sw, sdr = [router.score(t) for _, t in written], [router.score(t) for _, t in dragnet]
    d["threshold"], share_w, share_d = (float(v) for v in choose_threshold(sw, sdr))
    d["info"] = {
        "fit": f"logistic, standardised columns, classes weighted equally, L2 {L2:g} (benchmarks/page_era.py fit)",
        "threshold_rule": "max (written routed share) - (Dragnet training routed share), in sample; tie: higher",
        "written_pages": len(written), "dragnet_training_pages": len(dragnet),
        "written_routed": share_w, "dragnet_routed": share_d,
        "written_sha1": texts_sha1(written), "dragnet_sha1": texts_sha1(dragnet),
        "lexicon_sha1": pageroute.lexicon_sha1(),
    }
    return d


def load_source(source: str) -> list[tuple[str, str]]:
    """(id, text) of a ``--apply`` SOURCE (see the module's docstring)."""
    if source == "dragnet-training":
        return dragnet_training_texts()
    path = Path(source)
    if path.is_dir():
        return [(p["id"], p["paste"]) for p in load_pages(path)]
    if path.suffix == ".jsonl":
        out = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    out.append((str(rec["id"]), rec.get("pasted", rec.get("paste", ""))))
        return out
    return [(path.name, path.read_text(encoding="utf-8"))]


def routed_ids(router_path: str | Path, pages: list[tuple[str, str]]) -> set[str]:
    """The ids of ``pages`` ((id, text) pairs) that the router of ``router_path`` routes to its modern
    pair; a file that cannot be read is the product's ModelError (one line), not a traceback (#12)."""
    router = pageroute._load_router(str(Path(router_path).resolve()))
    return {pid for pid, text in pages if router.routes(text)}


def sealed(source: str) -> bool:
    """Is ``source`` under a folder named ``modern-sealed...`` (``modern-sealed``, ``modern-sealed2``, ...), or one?"""
    return source != "dragnet-training" and any(part.startswith(SEALED) for part in Path(source).resolve().parts)


def ids_allowed(source: str) -> bool:
    """May ``--ids-out`` list ``source``'s routed ids: Dragnet training or a written training folder."""
    return source in IDS_SOURCES or Path(source).resolve() in {d.resolve() for d in MODERN_DIRS}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="write DIR/page-route.json")
    ap.add_argument("--modern-lines", default=MODERN_LINES, help="the modern pair's trees, relative to DIR")
    ap.add_argument("--modern-seq", default=MODERN_SEQ, help="the modern pair's GRU, relative to DIR")
    ap.add_argument("--apply", nargs="+", metavar=("ROUTER", "SOURCE"), help="count the routed pages of sources")
    ap.add_argument("--ids-out", type=Path, help="with --apply: write the routed ids here (not printed)")
    args = ap.parse_args(argv)
    if (args.out is None) == (args.apply is None):
        ap.error("give --out DIR or --apply ROUTER SOURCE... (one of them)")
    if args.apply:
        if len(args.apply) < 2:
            ap.error("--apply needs a router file and at least one source")
        if any(sealed(src) for src in args.apply[1:]):
            ap.error(f"--apply: a source under {SEALED} is never read (the registered gate alone scores it)")
        if args.ids_out and not all(ids_allowed(src) for src in args.apply[1:]):
            ap.error("--ids-out lists routed ids of training sources only (dragnet-training, "
                     + ", ".join(str(d.relative_to(REPO_ROOT)) for d in MODERN_DIRS) + "); counts only for others")
        from newsgist.errors import ModelError
        lines = []
        print("| source | pages | routed | share |\n|---|---:|---:|---:|")
        for source in args.apply[1:]:
            pages = load_source(source)
            try:
                ids = routed_ids(args.apply[0], pages)
            except ModelError as exc:
                print(f"error: {exc.message}", file=sys.stderr)
                return 2
            lines += [f"{source}\t{pid}" for pid in sorted(ids)]
            print(f"| {source} | {len(pages)} | {len(ids)} | {len(ids) / max(len(pages), 1):.3f} |")
        if args.ids_out:
            args.ids_out.write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")
        return 0
    written, dragnet = written_texts(), dragnet_training_texts()
    if not written or not dragnet:
        raise SystemExit("no written pages or no rendered Dragnet training pages (run paste_render.py)")
    d = fit_router(written, dragnet, args.modern_lines, args.modern_seq)
    half_a = half_a_texts()
    router = pageroute.Router(d)
    d["info"]["readability_half_a_pages"] = len(half_a)
    d["info"]["readability_half_a_routed"] = (sum(router.routes(t) for _, t in half_a) / len(half_a)
                                              if half_a else None)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "page-route.json").write_text(json.dumps(d, indent=1) + "\n", encoding="utf-8")
    info = d["info"]
    print(f"\n## Page router fitted: {len(written)} written pages (label 1), {len(dragnet)} Dragnet training "
          f"pages (label 0)\n")
    print("| column | mean | sd | standardised coef |\n|---|---:|---:|---:|")
    for name, m, s, c in zip(pageroute.COLUMNS, d["mean"], d["sd"], d["coef"]):
        print(f"| {name} | {m:.4f} | {s:.4f} | {c:+.4f} |")
    print(f"\nintercept {d['intercept']:+.4f}, threshold (log-odds) {d['threshold']:+.4f}\n")
    print("| pages | n | routed share |\n|---|---:|---:|")
    print(f"| written training pages | {len(written)} | {info['written_routed']:.3f} |")
    print(f"| Dragnet training pages | {len(dragnet)} | {info['dragnet_routed']:.3f} |")
    if half_a:
        print(f"| Readability half A (information) | {len(half_a)} | {info['readability_half_a_routed']:.3f} |")
    print(f"\nwrote {args.out / 'page-route.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
