"""Render HTML pages into the text a reader pastes: Chromium's ``document.body.innerText``.

A benchmark tool (issue 31), not a run-time dependency: newsgist reads the text it is
given. Each page of ``../shared/data/html/dragnet-1381.jsonl.gz`` and
``readability-testpages-130.jsonl`` is loaded into headless Chromium through Playwright
with JavaScript off and every network request aborted (``page.set_content(html)``), and
``document.body.innerText`` is what a reader gets with select-all and copy.

The texts are cached as JSON Lines in ``/tmp/newsgist-paste/<set>.jsonl`` (one record
``{"id", "sha1", "pasted", "error"}`` a page, keyed by the id and the SHA-1 of its HTML);
a run renders only the pages missing from the cache, so it can be stopped and resumed.
Never commit the cache: the texts are the publishers'.

Usage (one browser; ~0.3 s a page on one core)::

    nice -n 10 python benchmarks/paste_render.py            # both sets
    python benchmarks/paste_render.py --set readability --limit 20
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "html"
SETS = {"dragnet": DATA_DIR / "dragnet-1381.jsonl.gz",
        "readability": DATA_DIR / "readability-testpages-130.jsonl"}
CACHE_DIR = Path(os.environ.get("NEWSGIST_PASTE_CACHE", "/tmp/newsgist-paste"))
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Images are never fetched (every request is aborted) and take no room in innerText; not
# decoding them makes rendering ~1.5x faster with the same text (checked on Dragnet pages).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--blink-settings=imagesEnabled=false"]
# Per-page limit on set_content + innerText; a page that takes longer is recorded with its error
# (a few Dragnet pages are several MB of markup).
PAGE_TIMEOUT_MS = 30_000
# A fresh browser context every this many pages keeps memory flat over 1,500 pages.
PAGES_PER_CONTEXT = 50
VIEWPORT = {"width": 1280, "height": 900}
# A cache or data line's id, read before the line is decoded (cached_pasted): both files write the
# id first (``{"id": "...", ...}``, json.dumps's order), so a held-out page is never loaded.
_ID = re.compile(r'^\{"id": "([^"]+)"')


def chromium_path() -> str | None:
    env = os.environ.get("NEWSGIST_CHROMIUM")
    for path in ([env] if env else []) + list(CHROMIUM_CANDIDATES) + [shutil.which("chromium") or ""]:
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return None


def load_pages(name: str, limit: int | None = None) -> list[dict]:
    """The pages of set ``name`` (``id``, ``html``, gold ``text``); [] when the file is absent."""
    path = SETS[name]
    if not path.exists():
        return []
    opener = gzip.open if path.suffix == ".gz" else open
    pages = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                pages.append(json.loads(line))
                if limit and len(pages) >= limit:
                    break
    return pages


def sha1(html: str) -> str:
    return hashlib.sha1(html.encode("utf-8", "surrogatepass")).hexdigest()


def cache_path(name: str) -> Path:
    return CACHE_DIR / f"{name}.jsonl"


def read_cache(name: str) -> dict[str, dict]:
    """``id -> record`` of the rendered pages of set ``name`` (the last record of an id wins)."""
    out: dict[str, dict] = {}
    p = cache_path(name)
    if p.exists():
        with p.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue  # a line cut by an interrupted run
                out[rec["id"]] = rec
    return out


def pasted_pages(name: str, limit: int | None = None) -> list[dict]:
    """The pages of ``name`` that have a rendered text in the cache: each page's record
    with ``pasted`` added (pages whose HTML changed or failed to render are left out)."""
    cache = read_cache(name)
    out = []
    for page in load_pages(name, limit):
        rec = cache.get(page["id"])
        if rec and not rec.get("error") and rec.get("sha1") == sha1(page["html"]):
            out.append(dict(page, pasted=rec["pasted"]))
    return out


def cached_records(name: str, keep_id) -> list[tuple[dict, dict]]:
    """``(page, cache record)`` of the pages of set ``name`` whose id ``keep_id`` keeps and whose rendered
    text is in the cache with the same HTML (the order of the set's file; [] when the set's file or
    its cache is absent). Unlike :func:`pasted_pages`, a line of either file is decoded only when
    ``keep_id`` keeps its id: the benchmarks that must never load a held-out page (session 11r's
    Dragnet training pages, session 12's Readability half A, session 13's wrap choice) read the sets
    through this."""
    def kept(fh):
        for line in fh:
            m = _ID.match(line)
            if m and keep_id(m.group(1)):
                yield json.loads(line)
    path, data = cache_path(name), SETS[name]
    if not path.exists() or not data.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        cache = {rec["id"]: rec for rec in kept(fh)}      # the last record of an id wins, as read_cache
    opener = gzip.open if data.suffix == ".gz" else open
    out = []
    with opener(data, "rt", encoding="utf-8") as fh:
        for page in kept(fh):
            rec = cache.get(page["id"])
            if rec and not rec.get("error") and rec.get("sha1") == sha1(page["html"]):
                out.append((page, rec))
    return out


def cached_pasted(name: str, keep_id) -> list[tuple[str, str]]:
    """``(id, pasted)`` of :func:`cached_records`' pages."""
    return [(page["id"], rec["pasted"]) for page, rec in cached_records(name, keep_id)]


def render(names: list[str], limit: int | None = None, log=print) -> int:
    """Render the pages of ``names`` missing from the cache; returns how many were rendered."""
    from playwright.sync_api import sync_playwright
    exe = chromium_path()
    if exe is None:
        raise SystemExit("no Chromium found (apt-get install chromium, or set NEWSGIST_CHROMIUM)")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    done = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        for name in names:
            cache = read_cache(name)
            todo = [p for p in load_pages(name, limit)
                    if p["id"] not in cache or cache[p["id"]].get("sha1") != sha1(p["html"])]
            # the held-out pages first: the benchmark can run before the training part is done
            from newsgist.evaluation.train_paste import split_of
            todo.sort(key=lambda p: split_of(p["id"]) != "test")
            log(f"{name}: {len(todo)} pages to render ({len(cache)} cached)")
            with cache_path(name).open("a", encoding="utf-8") as out:
                context = None
                for i, page in enumerate(todo):
                    if context is None or i % PAGES_PER_CONTEXT == 0:
                        if context is not None:
                            context.close()
                        context = browser.new_context(java_script_enabled=False, viewport=VIEWPORT)
                        context.route("**/*", lambda route: route.abort())
                    rec = {"id": page["id"], "sha1": sha1(page["html"]), "pasted": "", "error": None}
                    tab = context.new_page()
                    tab.set_default_timeout(PAGE_TIMEOUT_MS)
                    try:
                        # the DOM is all there is (no scripts, no network): innerText lays it out
                        tab.set_content(page["html"], wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
                        rec["pasted"] = tab.evaluate("document.body ? document.body.innerText : ''")
                    except Exception as exc:  # noqa: BLE001 - a page that fails is recorded, not fatal
                        rec["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
                    finally:
                        tab.close()
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    out.flush()
                    done += 1
                    if (i + 1) % 50 == 0:
                        log(f"{name}: {i + 1}/{len(todo)}")
                if context is not None:
                    context.close()
        browser.close()
    return done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=sorted(SETS), action="append", help="render only this set (repeatable)")
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    args = ap.parse_args(argv)
    names = args.set or ["readability", "dragnet"]
    missing = [n for n in names if not SETS[n].exists()]
    if missing:
        print(f"skipped: {', '.join(str(SETS[n]) for n in missing)} not found")
        names = [n for n in names if n not in missing]
    n = render(names, args.limit, log=lambda m: print(m, flush=True))
    print(f"rendered {n} pages into {CACHE_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
