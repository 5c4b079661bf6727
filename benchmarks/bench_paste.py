"""Benchmark the cleaning of web pages pasted as text (issue 31).

Pages: the held-out part of ``../shared/data/html/dragnet-1381.jsonl.gz`` (20 % of the
pages by a hash of their id, never used in training; hand-extracted article text) and
``readability-testpages-130.jsonl`` (gold is Readability.js's output, not a person's),
each pasted as a reader pastes it: Chromium's ``document.body.innerText`` with
JavaScript off and no network (``benchmarks/paste_render.py``; cached in
``/tmp/newsgist-paste``; pages missing from the cache are rendered first).

Dragnet's gold text holds the page's comments after a ``!@#$%^&*()  COMMENTS`` line on
409 pages; the article ends there (comment threads are furniture by the issue). Five gold
texts are UTF-16 read as Latin-1 (a ``ÿþ`` mark); they are decoded first (one of them is
held out; read as it was, its tokens are single letters: whole-page F1 0.04).

Systems, all on the same pages in the same run, scored by ``benchmarks/bench_html.py``'s
body-token P/R/F1 (lowercase ``\\w+`` bags, macro over pages), and beside it (session 13a) by the
outside bar's metric (``benchmarks/paste_metric.py``: 4-token shingles, case kept, F1 of the means
of page P and R, ``P4 R4 F1-4``, with 1.96 bootstrap SD):

- ``whole page``: the pasted text as it is;
- ``text, rules only``: ``newsgist text`` without the page model (the cleaner before issue 31);
- ``text, page model, threshold decoding (session 5)``: the same with the page model's one
  threshold in place of the contiguous-body decoding (``pagedecode.DECODE``, issue 31 session 6);
- ``text, page model``: ``newsgist text`` as shipped (the line model of issue 31);
- ``HTML path``: ``newsgist text page.html`` (main-text extraction, then the cleaner).

Then the guard: on the CNN/DM sets (articles given as plain text), the body sentences
that the shipped cleaner loses against the rules-only cleaner (must be 0), and how many
Multi-News articles the page model touches; and the time of ``newsgist highlights``
with and without the page-model step, LEAD-3 (pysbd) interleaved in the same run.

``--json FILE`` writes one row a page and system (page id, set, Readability half, P/R/F1;
issue 31, session 11; since session 13a also the outside metric's normalised ``tp4 fp4 fn4``);
``--paired FILE`` prints this run's page-model P/R/F1 minus an earlier run's ``--json`` (e.g. the
shipped model's), paired by page, mean and paired SE per set and half (and how many of the earlier
run's pages this run lacks), then the outside metric's F1-4 change with its paired bootstrap;
``--model-only`` runs the shipped system (``text, page model``) alone, the one a page model
candidate changes (the model is picked with ``NEWSGIST_PAGE_MODEL`` / ``NEWSGIST_PAGE_SEQ``; when
either is set, the run starts only if the named trees load and a named GRU loads and pairs with
them, and prints the trees' fingerprint and whether the GRU is on: :func:`check_page_model`).
With ``NEWSGIST_PAGE_ROUTE`` (session 12) the product's page router reads each page first and
routed pages are read by the router's modern pair (``newsgist.reading.pageroute``): the run is the
routed product itself; the router and its modern pair must load and pair before anything runs.

Usage::

    python benchmarks/bench_paste.py                 # render missing pages, then measure
    python benchmarks/bench_paste.py --no-render --limit 200
    NEWSGIST_PAGE_MODEL=m/page-lines.json NEWSGIST_PAGE_SEQ=m/page-seq.json \
        python benchmarks/bench_paste.py --no-render --model-only --json m.json --paired shipped.json
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import paste_metric  # noqa: E402
import paste_render  # noqa: E402
from bench_html import prf  # noqa: E402
from cv_paste import paired_diff  # noqa: E402
from newsgist.evaluation.train_paste import gold_article  # noqa: E402

GUARD_SETS = ("cnndm/validation-1000.jsonl", "cnndm/test-public-500.jsonl", "cnndm-llm/sumllm-train-1000.jsonl")
MULTI = "multi/multinews-validation-250.jsonl"


def clean_text(text: str, model: bool = True) -> str:
    """The body ``newsgist text`` prints for ``text`` (the page model off when ``model`` is False)."""
    from newsgist.article import Article
    from newsgist.errors import NoTextError
    from newsgist.options import Options
    from newsgist.pipeline import run
    from newsgist.reading import pagemodel
    from newsgist.reading.stages import stage_clean
    saved = pagemodel.load_model
    if not model:
        pagemodel.load_model = lambda: None
    try:
        return run(Article(source=text, kind="text"), Options(), [("clean", stage_clean)]).body
    except NoTextError:
        return ""
    finally:
        pagemodel.load_model = saved


def _with_decoding(how: str, fn):
    from newsgist.reading import pagedecode
    saved = pagedecode.DECODE
    pagedecode.DECODE = how
    try:
        return fn()
    finally:
        pagedecode.DECODE = saved


def clean_text_threshold_decoding(text: str) -> str:
    """``clean_text`` with the page model's one threshold (session 5's decoding, for the same run)."""
    return _with_decoding("threshold", lambda: clean_text(text))


def clean_html(html: str) -> str:
    from bench_html import sys_newsgist_cleaned
    return sys_newsgist_cleaned(html)


SYSTEMS = {
    "whole page": lambda p: p["pasted"],
    "text, rules only": lambda p: clean_text(p["pasted"], model=False),
    "text, page model, threshold decoding (session 5)": lambda p: clean_text_threshold_decoding(p["pasted"]),
    "text, page model": lambda p: clean_text(p["pasted"]),
    "HTML path": lambda p: clean_html(p["html"]),
}


MODEL_SYSTEM = "text, page model"     # the shipped system: the one a page-model candidate changes
# the outside bar's metric (session 13a, ``paste_metric``): its columns after ours, its per-page keys
METRIC4_HEAD = paste_metric.HEAD
COUNTS4 = ("tp4", "fp4", "fn4")
# what picks a candidate page model (and, session 12, a page router in front of a modern pair)
PAGE_MODEL_ENV = ("NEWSGIST_PAGE_MODEL", "NEWSGIST_PAGE_SEQ", "NEWSGIST_PAGE_ROUTE")


def table(name: str, pages: list[dict], group=None, systems=None, out_rows: list | None = None,
          set_name: str = "") -> None:
    """One row a system; with ``group`` (page -> label) also one row a system and label.
    ``systems``: the names of :data:`SYSTEMS` to run (None: all); ``out_rows``, when given, receives
    one dict a page and system (``id``, ``set``, ``group``, ``system``, ``p``, ``r``, ``f1``, and the
    outside metric's page-normalised ``tp4``, ``fp4``, ``fn4``: ``paste_metric.page_counts``). Each
    row prints our measure, then the outside metric's aggregate and its bootstrap ``±`` (session 13a)."""
    print(f"\n## {name}: {len(pages)} pages\n")
    print("| system | P | R | F1 | median ms/page | " + METRIC4_HEAD + " |\n|---|---|---|---|---|---|---|---|---|")
    for sysname, fn in SYSTEMS.items():
        if systems is not None and sysname not in systems:
            continue
        rows = []
        for p in pages:
            t0 = time.perf_counter()
            try:
                out = fn(p)
            except Exception:  # noqa: BLE001 - a failure scores 0, as in bench_html
                out = ""
            ms = (time.perf_counter() - t0) * 1000
            gold = gold_article(p["text"])
            rows.append((group(p) if group else None, ms) + tuple(prf(out, gold))
                        + (paste_metric.page_counts(out, gold),))
            if out_rows is not None:
                out_rows.append({"id": p["id"], "set": set_name, "group": rows[-1][0], "system": sysname,
                                 "p": rows[-1][2], "r": rows[-1][3], "f1": rows[-1][4],
                                 **dict(zip(COUNTS4, rows[-1][5]))})
        labels = [None] + (sorted({r[0] for r in rows}) if group else [])
        for label in labels:
            sel = [r for r in rows if label is None or r[0] == label]
            n = max(len(sel), 1)
            print(f"| {sysname}{f' ({label}: {len(sel)})' if label else ''} | {sum(r[2] for r in sel) / n:.3f} | "
                  f"{sum(r[3] for r in sel) / n:.3f} | {sum(r[4] for r in sel) / n:.3f} | "
                  f"{statistics.median([r[1] for r in sel]) if sel else 0:.1f} | "
                  f"{paste_metric.fmt(paste_metric.bootstrap([r[5] for r in sel]))} |", flush=True)


def guard(limit: int | None) -> list[dict]:
    """Body sentences of plain articles lost to the page model (the shipped cleaner vs rules only).
    A text the gate does not take for a pasted page never meets the model, so only those
    it takes are compared sentence by sentence. Returns one dict a set found (``set``,
    ``articles``, ``pages``, ``sentences``, ``lost``; ``benchmarks/gate_paste.py``)."""
    from newsgist.reading.pagelines import page_lines
    from newsgist.reading.pagemodel import looks_like_page
    data = REPO_ROOT.parent / "shared" / "data"
    print("\n## Plain articles: body sentences the page model removes\n")
    print("| set | articles | taken for a pasted page | their body sentences (rules only) | removed by the model |\n"
          "|---|---|---|---|---|")
    out = []
    for rel in GUARD_SETS + (MULTI,):
        path = data / rel
        if not path.exists():
            print(f"| {rel} | skipped: not found | | | |")
            continue
        with path.open(encoding="utf-8") as fh:
            recs = [json.loads(line) for line in fh if line.strip()][:limit]
        texts = [a for r in recs for a in (r["articles"] if "articles" in r else [r["article"]])]
        pages = sents = lost = 0
        for t in texts:
            if not looks_like_page(t, page_lines(t)):
                continue
            pages += 1
            before, after = _sentences(clean_text(t, model=False)), set(_sentences(clean_text(t)))
            sents += len(before)
            lost += sum(s not in after for s in before)
        print(f"| {rel} | {len(texts)} | {pages} | {sents} | {lost} |", flush=True)
        out.append({"set": rel, "articles": len(texts), "pages": pages, "sentences": sents, "lost": lost})
    return out


def speed(limit: int | None) -> None:
    """``newsgist highlights`` ms per article with and without the page-model step, LEAD-3
    (pysbd) interleaved in the same run (benchmarks/common.py), on CNN articles and on
    pasted pages (held-out Dragnet)."""
    from common import first_records, interleaved_times, print_speed_table
    import newsgist
    from newsgist.evaluation.evaluate import lead3_pysbd
    from newsgist.reading import clean as clean_mod
    data = REPO_ROOT.parent / "shared" / "data" / "cnndm" / "test-public-500.jsonl"
    if not data.exists():
        print("\nskipped speed: test-public-500 not found")
        return
    saved = clean_mod._page_furniture

    def without(text):
        clean_mod._page_furniture = lambda t: None
        try:
            return newsgist.highlights(text)
        finally:
            clean_mod._page_furniture = saved

    def threshold(text):
        return _with_decoding("threshold", lambda: newsgist.highlights(text))

    rows = {"lead3 (pysbd)": lead3_pysbd, "highlights, rules only": without,
            "highlights (page model, threshold decoding)": threshold,
            "highlights (page model)": lambda t: newsgist.highlights(t)}
    recs = first_records(data, limit or 200)
    for r in recs[:3]:
        for fn in rows.values():
            fn(r["article"])
    print_speed_table(f"newsgist highlights, {len(recs)} CNN articles (test-public-500)",
                      interleaved_times(recs, rows), "lead3 (pysbd)")
    from newsgist.evaluation.train_paste import split_of
    pages = [{"article": p["pasted"]} for p in paste_render.pasted_pages("dragnet", limit)
             if split_of(p["id"]) == "test"][:100]
    if pages:
        def safe(fn):
            def run(t):
                try:
                    return fn(t)
                except Exception:  # noqa: BLE001 - a page with no sentence left still counts its time
                    return None
            return run
        print_speed_table(f"newsgist highlights, {len(pages)} pasted pages (held-out Dragnet)",
                          interleaved_times(pages, {k: safe(v) for k, v in rows.items()}), "lead3 (pysbd)")


def _sentences(body: str) -> list[str]:
    from newsgist.reading.segment import split_span
    return [" ".join(body[s:e].split()) for s, e in split_span(body, 0, len(body))]


def _page_pairs(rows: list[dict], base: list[dict], system: str, need: str | None = None) -> tuple[dict, dict, dict]:
    """``system``'s rows of this run and of ``base`` by ``(set, id)`` (``old``, ``new``; with ``need``,
    only rows that carry that key), and ``cells``: ``(set, group or None)`` -> the ``(row, base row)``
    pairs of each set and of each set and group (:func:`paired`, :func:`paired4`)."""
    old = {(b["set"], b["id"]): b for b in base if b["system"] == system and (need is None or need in b)}
    new = {(r["set"], r["id"]): r for r in rows if r["system"] == system and (need is None or need in r)}
    cells: dict = {}
    for key, r in new.items():
        b = old.get(key)
        if b is None:
            continue
        for cell in [(r["set"], None)] + ([(r["set"], r["group"])] if r["group"] else []):
            cells.setdefault(cell, []).append((r, b))
    return old, new, cells


def paired(rows: list[dict], base: list[dict], system: str = MODEL_SYSTEM) -> dict:
    """``system``'s P/R/F1 of ``rows`` minus ``base``'s (both ``--json`` rows), paired by set and
    page id: for each set and for each set and group (Readability's halves), the pages in both
    (``n``), the mean of each measure's difference and its paired SE (``cv_paste.paired_diff``: the
    differences' sample SD over sqrt(n); NaN for one page); each set's entry also counts the base
    run's pages of that set that this run lacks (``unpaired``; a set only the base run has gets an
    entry with ``n`` 0)."""
    old, new, cells = _page_pairs(rows, base, system)
    out = {}
    for cell, pairs in cells.items():
        stats = {}
        for m in ("p", "r", "f1"):
            _, _, mean, se = paired_diff({i: b[m] for i, (_, b) in enumerate(pairs)},
                                         {i: r[m] for i, (r, _) in enumerate(pairs)})
            stats[m] = (mean, se)
        out[cell] = {"n": len(pairs), **stats}
    for set_name in sorted({s for s, _ in old}):
        lacking = sum(1 for s, i in old if s == set_name and (s, i) not in new)
        out.setdefault((set_name, None), {"n": 0, **{m: (float("nan"), float("nan")) for m in ("p", "r", "f1")}})
        out[(set_name, None)]["unpaired"] = lacking
    return out


def print_paired(stats: dict, label: str) -> None:
    print(f"\n## Paired by page: this run minus {label} (text, page model)\n")
    print("| set | pages | P change (SE) | R change (SE) | F1 change (SE) | its pages not in this run |\n"
          "|---|---|---|---|---|---|")
    for (set_name, group), st in sorted(stats.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        print(f"| {set_name}{f' ({group})' if group else ''} | {st['n']} | "
              + " | ".join(f"{st[m][0]:+.4f} ({st[m][1]:.4f})" for m in ("p", "r", "f1"))
              + f" | {st.get('unpaired', '')} |")


def paired4(rows: list[dict], base: list[dict], system: str = MODEL_SYSTEM) -> dict:
    """The outside metric's paired comparison (session 13a): ``system``'s F1-4 of means on ``rows``
    minus ``base``'s, on the pages of each set (and set and group) in both runs with ``tp4`` counts
    (``paste_metric.paired_bootstrap``: the same resampled pages for both); each cell also carries
    both aggregates (``this``, ``base``: ``paste_metric.aggregate``). Base rows without counts (runs
    before session 13a) pair no page."""
    cells = _page_pairs(rows, base, system, need=COUNTS4[0])[2]
    out = {}
    for cell, pairs in cells.items():
        this, was = ([tuple(x[k] for k in COUNTS4) for x in side] for side in zip(*pairs))
        out[cell] = {**paste_metric.paired_bootstrap(this, was), "this": paste_metric.aggregate(this),
                     "base": paste_metric.aggregate(was)}
    return out


def print_paired4(stats: dict, label: str) -> None:
    print(f"\n## Paired by page, the outside metric (F1-4 of means): this run minus {label} (text, page model)\n")
    if not stats:
        print("no page paired: the earlier run's rows carry no tp4/fp4/fn4 (a run before session 13a)")
        return
    print("| set | pages | earlier P4 / R4 / F1-4 | this run P4 / R4 / F1-4 | F1-4 change | ± (1.96 bootstrap SD) "
          "| 95 % percentile interval |\n|---|---|---|---|---|---|---|")
    for (set_name, group), st in sorted(stats.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        print(f"| {set_name}{f' ({group})' if group else ''} | {st['n']} | "
              + f"{paste_metric.fmt_prf(st['base'])} | {paste_metric.fmt_prf(st['this'])} | {paste_metric.fmt_change(st)} |")


def page_model_env(model=None, seq=None, route=None) -> dict:
    """``PAGE_MODEL_ENV``'s values (None: unset) for :func:`page_model`: all three None is the shipped
    product as it is (every variable unset: a shipped router, if one ships, included); a candidate
    pair without a router (``model`` or ``seq``, no ``route``) runs with ``NEWSGIST_PAGE_ROUTE=off``, so
    a shipped router never reads in front of it (review 12a, #3)."""
    if route is None and (model or seq):
        route = "off"
    return {k: str(v) if v else None for k, v in zip(PAGE_MODEL_ENV, (model, seq, route))}


def set_page_model_env(env, model=None, seq=None, route=None) -> None:
    """Write :func:`page_model_env`'s values into ``env`` (``os.environ``, or a subprocess's dict):
    a value set, None removed."""
    for k, v in page_model_env(model, seq, route).items():
        if v:
            env[k] = v
        else:
            env.pop(k, None)


@contextlib.contextmanager
def page_model(model=None, seq=None, route=None):
    """The page model of ``model`` / ``seq`` (paths, set as ``PAGE_MODEL_ENV``; both None: the shipped
    pair), with ``route``'s page router in front when given (session 12; its modern pair named in
    it, ``model``/``seq`` the default pair), while inside; the variables as they were after
    (``gate_paste``, ``paste_model_diff``). A pair without ``route``: the router off
    (:func:`page_model_env`)."""
    saved = {k: os.environ.get(k) for k in PAGE_MODEL_ENV}
    try:
        set_page_model_env(os.environ, model, seq, route)
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def check_page_model() -> str | None:
    """With ``NEWSGIST_PAGE_MODEL``, ``NEWSGIST_PAGE_SEQ`` or ``NEWSGIST_PAGE_ROUTE`` set (None when
    none is): the line naming the trees (fingerprint) and whether the GRU stage is on (and the
    router's modern pair). A ValueError (one line) when the named trees do not load (the run would
    be rules only), or a GRU file is named and does not load or was trained beside other trees
    (every page would score 0): review, session 11; or a named router or its modern pair does not
    load or pair (session 12). Trees named without a GRU file run with the shipped GRU only where
    it pairs with them."""
    named, named_seq = os.environ.get("NEWSGIST_PAGE_MODEL"), os.environ.get("NEWSGIST_PAGE_SEQ")
    from newsgist.reading import pageroute
    route = os.environ.get("NEWSGIST_PAGE_ROUTE")
    if route and pageroute.router_path() is None:       # NEWSGIST_PAGE_ROUTE=off: no router (review 12a, #3)
        route = None
    if not named and not named_seq and not route:
        return None
    line = _check_pair(named, named_seq)
    if route:
        from newsgist.errors import ModelError
        from newsgist.reading.pagemodel import PageModel
        try:
            router = pageroute.load_router()
            modern = pageroute.load_pair(*router.modern_files, PageModel)
        except ModelError as exc:
            raise ValueError(" ".join(str(exc).split())) from None
        except Exception as exc:  # noqa: BLE001 - any failure to read the router's pair stops the run with one line
            raise ValueError(f"the page router {route} or its modern pair cannot be read: "
                             f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]) from None
        line += (f"; router {route} (threshold {router.threshold:.4f}) -> modern pair: trees "
                 f"{modern.fingerprint} ({router.modern_files[0]}), GRU on ({router.modern_files[1]})")
    return line


def _check_pair(named, named_seq) -> str:
    """``check_page_model``'s check of the pair named by ``NEWSGIST_PAGE_MODEL`` / ``NEWSGIST_PAGE_SEQ``."""
    from newsgist.errors import ModelError
    from newsgist.reading import pagemodel, pageseq
    try:
        m = pagemodel.load_model()
    except Exception as exc:  # noqa: BLE001 - any failure to read the trees stops the run with one line
        raise ValueError(f"the page-lines model cannot be read: {' '.join(str(exc).split())}"[:300]) from None
    if m is None:
        raise ValueError(f"NEWSGIST_PAGE_MODEL={named}: no page-lines model could be read there" if named else
                         f"the shipped page-lines model {pagemodel.MODEL_PATH} could not be read")
    if named_seq and not os.path.isfile(named_seq):
        raise ValueError(f"NEWSGIST_PAGE_SEQ={named_seq}: no such file")
    try:
        seq = pageseq.load_seq_for(m.fingerprint, m.shipped)
    except ModelError as exc:
        raise ValueError(" ".join(str(exc).split())) from None
    return (f"page model: trees {m.fingerprint} ({named or 'shipped'}); GRU "
            + (f"on ({named_seq or 'shipped'})" if seq is not None else "off (trees alone)"))


def heldout_sets(names, limit: int | None = None) -> list[tuple]:
    """``(set name, title, pages, group)`` of the rendered held-out sets among ``names``: Dragnet's
    held-out part (no group) and Readability's test pages (grouped by half)."""
    from newsgist.evaluation.train_paste import readability_half, split_of
    out = []
    if "dragnet" in names:
        out.append(("dragnet", "Dragnet, held-out part (hand-extracted gold)",
                    [p for p in paste_render.pasted_pages("dragnet", limit) if split_of(p["id"]) == "test"], None))
    if "readability" in names:
        out.append(("readability", "Readability test pages (gold: Readability.js output; halves A / B by a hash "
                    "of the id: A may train the model, B never does)", paste_render.pasted_pages("readability", limit),
                    lambda p: "half " + readability_half(p["id"])))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-render", action="store_true", help="use the cached pages only")
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    ap.add_argument("--no-guard", action="store_true", help="skip the plain-article guard")
    ap.add_argument("--no-speed", action="store_true", help="skip the highlights timing")
    ap.add_argument("--model-only", action="store_true",
                    help=f"run the system {MODEL_SYSTEM!r} alone (a page-model candidate changes no other)")
    ap.add_argument("--json", type=Path, default=None, help="write one row a page and system here")
    ap.add_argument("--paired", type=Path, default=None,
                    help="an earlier run's --json: this run's page-model P/R/F1 minus it, paired by page")
    args = ap.parse_args(argv)
    try:
        model_line = check_page_model()     # before any rendering or scoring (review, session 11)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    systems = [MODEL_SYSTEM] if args.model_only else None
    rows: list[dict] = []
    names = [n for n in ("dragnet", "readability") if paste_render.SETS[n].exists()]
    if not names:
        print("skipped: ../shared/data/html not found")
        return 0
    if not args.no_render:
        paste_render.render(names, args.limit, log=lambda m: print(m, file=sys.stderr, flush=True))
    clean_text("Warm-up line one.\n\nWarm-up line two.")
    print("page model: " + ", ".join(f"{k}={os.environ.get(k) or '(shipped)'}" for k in PAGE_MODEL_ENV))
    if model_line:
        print(model_line)
    for set_name, title, pages, group in heldout_sets(names, args.limit):
        table(title, pages, group=group, systems=systems, out_rows=rows, set_name=set_name)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=0) + "\n", encoding="utf-8")
    if args.paired:
        base = json.loads(args.paired.read_text(encoding="utf-8"))
        print_paired(paired(rows, base), str(args.paired))
        print_paired4(paired4(rows, base), str(args.paired))
    if not args.no_guard:
        guard(args.limit)
    if not args.no_speed:
        speed(args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
