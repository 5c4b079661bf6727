"""Write modern pasted pages (issue 31) from a plain line-marked text into the fixture JSON.

A page is easier to write and to read as text than as JSON. One ``.page`` file a page::

    id: 35-city-council-vote
    shape: local paper: cookie banner, skip link, nav, ... (the outlet type and its furniture, in words)

    F skip-link | Skip to main content
    F navigation | News
    A headline | Council votes to close the Elm Street depot
    A byline | By Jo Hart
    A body | The city council voted 7-2 on Tuesday ...

- the header (``id:``, ``shape:``) ends at the first blank line;
- then one line of the pasted page a line: ``A <part> | text`` for the article (``article:<part>``)
  or ``F <kind> | text`` for furniture (``furniture:<kind>``); the text is taken as written
  after the first ``" | "`` (no trailing spaces);
- a blank line is a blank line of the paste (``innerText`` puts one around paragraphs).

The JSON (``bench_paste_modern.FIELDS``): ``paste`` is the lines' texts with the blank lines,
``gold`` the article lines joined by a newline, ``lines`` the ``[kind, text]`` pairs. Every page
written is loaded back with ``bench_paste_modern.load_pages``'s checks.

Usage::

    python benchmarks/modern_pages.py pages/*.page --out tests/fixtures/paste/modern-train
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_paste_modern import load_pages  # noqa: E402

LINE = re.compile(r"^([AF]) ([a-z][a-z0-9-]*) \| (.+)$")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def parse_page(text: str, name: str = "page") -> dict:
    """The fixture object of one ``.page`` text; a malformed line is a ValueError naming it."""
    head, sep, body = text.replace("\r\n", "\n").partition("\n\n")
    if not sep:
        raise ValueError(f"{name}: no blank line after the header")
    meta = {}
    for raw in head.split("\n"):
        key, colon, value = raw.partition(":")
        if not colon or key.strip() not in ("id", "shape"):
            raise ValueError(f"{name}: header line {raw!r} is not 'id: ...' or 'shape: ...'")
        meta[key.strip()] = value.strip()
    if not ID.match(meta.get("id", "")) or not meta.get("shape"):
        raise ValueError(f"{name}: the header needs an id (lower-case, digits, '-') and a shape")
    paste, lines = [], []
    for n, raw in enumerate(body.strip("\n").split("\n"), 1):
        raw = raw.rstrip()
        if not raw:
            if paste and paste[-1] != "":
                paste.append("")
            continue
        m = LINE.match(raw)
        if not m:
            raise ValueError(f"{name}: line {n} of the body is not 'A|F <kind> | text': {raw[:60]!r}")
        kind = ("article:" if m.group(1) == "A" else "furniture:") + m.group(2)
        text = m.group(3).strip()
        paste.append(text)
        lines.append([kind, text])
    if not any(k.startswith("article:") for k, _ in lines):
        raise ValueError(f"{name}: no article line")
    return {"id": meta["id"], "shape": meta["shape"], "paste": "\n".join(paste).strip("\n"),
            "gold": "\n".join(t for k, t in lines if k.startswith("article:")), "lines": lines}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="+", type=Path, help=".page files")
    ap.add_argument("--out", type=Path, required=True, help="the fixture directory (one <id>.json a page)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pages = [(path, parse_page(path.read_text(encoding="utf-8"), path.name)) for path in args.pages]
    seen = {}
    for path, page in pages:        # two sources with one id would overwrite each other's JSON
        if page["id"] in seen:
            raise SystemExit(f"modern_pages: id {page['id']} is in both {seen[page['id']]} and {path}")
        seen[page["id"]] = path
    for path, page in pages:
        (args.out / f"{page['id']}.json").write_text(json.dumps(page, indent=1, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
    pages = load_pages(args.out)
    print(f"{len(args.pages)} page(s) written; {len(pages)} page(s) in {args.out} load cleanly")


if __name__ == "__main__":
    main()
