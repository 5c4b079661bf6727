"""Benchmark body-text extraction on the readability test pages.

Data: ``../shared/data/html/readability-testpages-130.jsonl`` relative to the repo
root (one JSON object per line with ``id``, ``html`` and the reference ``text``).
The benchmark is skipped with a message when the file is absent.

For every system the script computes token-level precision / recall / F1 of the
extracted text against the reference: lowercase ``\\w+`` tokens as a bag of words
with counts (``Counter`` intersection), macro-averaged over pages, plus the median
milliseconds per page. All systems run in the same process, on the same pages.

Systems are plain functions ``html -> text`` registered in :data:`SYSTEMS`; to add
one (e.g. a clutter cleaner on top of ``newsgist``), write the function and add it
to the dict, or call :func:`register`. A system that raises counts as an empty
output (precision, recall and F1 of 0 for that page).

Usage::

    python benchmarks/bench_html.py            # trafilatura vs newsgist
    python benchmarks/bench_html.py --variants # also trafilatura option variants
    python benchmarks/bench_html.py --only newsgist --limit 20
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_PATH = REPO_ROOT.parent / "shared" / "data" / "html" / "readability-testpages-130.jsonl"
TOKEN_RE = re.compile(r"\w+")

System = Callable[[str], str]


def tokens(text: str) -> Counter:
    """Bag of lowercase ``\\w+`` tokens with counts."""
    return Counter(TOKEN_RE.findall((text or "").lower()))


def prf(hyp: str, ref: str) -> tuple[float, float, float]:
    """Token-overlap precision, recall and F1 of ``hyp`` against ``ref``."""
    h, r = tokens(hyp), tokens(ref)
    overlap = sum((h & r).values())
    p = overlap / sum(h.values()) if h else 0.0
    rc = overlap / sum(r.values()) if r else 0.0
    f = 2 * p * rc / (p + rc) if p + rc else 0.0
    return p, rc, f


# --- systems -----------------------------------------------------------------------

def sys_trafilatura(html: str) -> str:
    """(a) Plain ``trafilatura.extract`` with default options."""
    import trafilatura
    return trafilatura.extract(html) or ""


def sys_newsgist(html: str) -> str:
    """(b) ``newsgist.reading.htmlpage.extract_html(html).text``."""
    from newsgist.reading.htmlpage import extract_html
    return extract_html(html).text


def sys_newsgist_cleaned(html: str) -> str:
    """(c) the card's body: ``extract_html`` then newsgist's clutter cleaner (related links,
    captions, "Read more", credits ...), i.e. what ``newsgist text page.html`` prints."""
    from newsgist.article import Article
    from newsgist.reading.htmlpage import extract_html
    from newsgist.options import Options
    from newsgist.pipeline import run
    from newsgist.reading.stages import stage_clean
    from newsgist.errors import NoTextError
    page = extract_html(html)
    try:
        art = Article(source=page.text, kind="html", source_headings=list(page.headings))
        return run(art, Options(), [("clean", stage_clean)]).body
    except NoTextError:
        return ""


def _trafilatura_variant(**options) -> System:
    def run(html: str) -> str:
        import trafilatura
        return trafilatura.extract(html, **options) or ""
    return run


SYSTEMS: dict[str, System] = {
    "trafilatura": sys_trafilatura,
    "newsgist": sys_newsgist,
    "newsgist+clean": sys_newsgist_cleaned,
}

VARIANTS: dict[str, System] = {
    "traf-nocomments-notables": _trafilatura_variant(include_comments=False, include_tables=False),
    "traf-precision": _trafilatura_variant(include_comments=False, include_tables=False,
                                           favor_precision=True),
    "traf-recall": _trafilatura_variant(include_comments=False, include_tables=False,
                                        favor_recall=True),
    "traf-tables": _trafilatura_variant(include_comments=False, include_tables=True),
}


def register(name: str, system: System) -> None:
    """Add a system to the benchmark (used by plug-ins such as a clutter cleaner)."""
    SYSTEMS[name] = system


# --- runner ---------------------------------------------------------------------------

def load_pages(path: Path = DATA_PATH, limit: int | None = None) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        pages = [json.loads(line) for line in fh if line.strip()]
    return pages[:limit] if limit else pages


def evaluate(system: System, pages: list[dict]) -> dict:
    """Macro P/R/F1, median ms/page and failure count of one system."""
    ps, rs, fs, ms, failures = [], [], [], [], 0
    for page in pages:
        t0 = time.perf_counter()
        try:
            out = system(page["html"])
        except Exception:
            out, failures = "", failures + 1
        ms.append((time.perf_counter() - t0) * 1000)
        p, r, f = prf(out, page["text"])
        ps.append(p)
        rs.append(r)
        fs.append(f)
    n = len(pages)
    return {"P": sum(ps) / n, "R": sum(rs) / n, "F1": sum(fs) / n,
            "ms": statistics.median(ms), "failures": failures, "n": n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA_PATH)
    ap.add_argument("--limit", type=int, default=None, help="first N pages only")
    ap.add_argument("--only", action="append", help="run only this system (repeatable)")
    ap.add_argument("--variants", action="store_true", help="also run trafilatura option variants")
    args = ap.parse_args(argv)

    if not args.data.exists():
        print(f"SKIP: benchmark data not found at {args.data}")
        return 0
    sys.path.insert(0, str(REPO_ROOT / "src"))
    pages = load_pages(args.data, args.limit)
    systems = dict(SYSTEMS)
    if args.variants:
        systems.update(VARIANTS)
    if args.only:
        systems = {k: v for k, v in systems.items() if k in args.only}

    for system in systems.values():      # warm-up: imports, lazy model loads
        try:
            system(pages[0]["html"])
        except Exception:
            pass
    print(f"{len(pages)} pages from {args.data.name}")
    print(f"{'system':<26} {'P':>6} {'R':>6} {'F1':>6} {'ms/page':>8} {'fail':>5}")
    for name, system in systems.items():
        res = evaluate(system, pages)
        print(f"{name:<26} {res['P']:6.3f} {res['R']:6.3f} {res['F1']:6.3f} "
              f"{res['ms']:8.1f} {res['failures']:5d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
