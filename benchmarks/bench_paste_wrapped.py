"""Hard-wrapped versions of written page sets (issue 31, session 14b): the W gate's test shape.

Session 14's registration (BENCHMARKS.md, "Merge of wave three, session 14") defines candidate W
(wraps told by line widths) and its test shape: a written page set's pastes rewritten hard-wrapped,
each page in one of four styles picked by a fixed hash of its id (:func:`page_style`):

- ``email``: greedy wrap at 72 columns, no indentation, the paste's lines apart by blank lines;
- ``rfc``: a 3-space indent on every line, 72 columns counting the indent, blank lines between;
- ``source-pre``: Readability's ``engadget`` shape, the page's HTML source laid out as pre-formatted
  text: each block (a run of the paste's lines between blank lines, or every ``SOURCE_BLOCK_LINES``
  lines of a paste without blanks) gets an indentation of 8-64 spaces (a multiple of 4), a wrapped
  paragraph's continuation lines 4 more; a raw column of 120 counting the indentation, of which each
  physical line loses 0-20 columns to markup that is not written (``<p>``, ``<a ...>``: it takes
  columns in the source, not in ``innerText``); about half the blocks have no blank line between
  their paragraphs;
- ``narrow``: 60 columns, no indentation, no blank line anywhere.

A line longer than its room is wrapped greedily at spaces (article and furniture alike; never a
word split, never a hyphen break); a shorter line is kept whole. The transform is a pure function
of the page (:func:`wrap_page`): its random draws come from a ``random.Random`` seeded by the sha1
of the page id, so the same page gives the same text byte for byte.

A wrapped page keeps the fixture schema (``bench_paste_modern.load_page`` checks it): ``lines`` is
each non-blank physical line with its source line's label, and ``gold`` is the article lines joined
(load_page's rule): the original gold's words with only whitespace changed, so its ``\\w+`` token
sequence, and both metrics' scores, are the original's. ``wrap_style`` names the style.

Usage::

    python benchmarks/bench_paste_wrapped.py write --src tests/fixtures/paste/modern-train --out DIR [--style S]
    python benchmarks/bench_paste_wrapped.py run --src tests/fixtures/paste/modern [--json F] [--paired F]

``run`` wraps the pages into a temporary folder and scores, on the wrapped pages and on the same
pages unwrapped, the whole page and ``newsgist text`` (``bench_paste_modern.evaluate``: ours, mean
page P/R/F1, and the outside metric, P4/R4/F1-4), per style and overall. Never run it on
``modern-blind/`` (the gate's test set, "wrapped-blind": only the lead's gate runs it) nor on the
validation and sealed sets.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_paste_modern as bpm  # noqa: E402
import paste_metric  # noqa: E402

# The four styles and their constants: all fixed by the registration (session 14, commit 2f4f377),
# not tuned on any page or detector.
STYLES = ("email", "rfc", "source-pre", "narrow")
EMAIL_WIDTH = 72            # e-mail: the customary 72-column hard wrap
RFC_INDENT = 3              # RFC-like: 3 spaces before every line ...
RFC_WIDTH = 72              # ... within 72 columns counting the indent
NARROW_WIDTH = 60           # narrow: 60 columns, no blank lines
SOURCE_WIDTH = 120          # source-pre: engadget's raw column (body lines 113-120 counting indentation)
SOURCE_INDENT = (8, 64)     # source-pre: a block's indentation, a multiple of SOURCE_INDENT_STEP (engadget: 8-76)
SOURCE_INDENT_STEP = 4
SOURCE_CONT_EXTRA = 4       # source-pre: a paragraph's continuation lines are indented this much more
SOURCE_MARKUP = (0, 20)     # source-pre: columns a physical line loses to unwritten markup (engadget: 95-106 ends)
SOURCE_TIGHT_SHARE = 0.5    # source-pre: the share of blocks whose paragraphs have no blank line between
SOURCE_BLOCK_LINES = 5      # source-pre: a paste without blank lines is cut into blocks of this many lines


def page_style(page_id: str) -> str:
    """The style of the page ``page_id``: a fixed hash (sha1 of the id, not Python's ``hash``)."""
    return STYLES[int(hashlib.sha1(page_id.encode("utf-8")).hexdigest(), 16) % len(STYLES)]


def page_rng(page_id: str) -> random.Random:
    """The seeded draws of the page ``page_id`` (source-pre's indents, markup and tight blocks)."""
    return random.Random(int(hashlib.sha1(("wrap:" + page_id).encode("utf-8")).hexdigest()[:16], 16))


def fill(text: str, rooms) -> list[str]:
    """``text`` wrapped greedily: the i-th physical line's room is ``rooms(i)`` (called once a line,
    in order). A text within its first room is kept whole (stripped); otherwise the words (split at
    whitespace) fill each line as far as the next word fits; a word longer than a room stands alone."""
    text = text.strip()
    room = rooms(0)
    if len(text) <= room:
        return [text]
    out, cur = [], ""
    for word in text.split():
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= room:
            cur += " " + word
        else:
            out.append(cur)
            room = rooms(len(out))
            cur = word
    out.append(cur)
    return out


def paragraphs(paste: str) -> list[tuple[int, str]]:
    """``(blanks before, text)`` of each non-blank line of ``paste`` (the first line's count is 0)."""
    out, blanks = [], 0
    for text in paste.split("\n"):
        if not text.strip():
            blanks += 1
            continue
        out.append((blanks if out else 0, text))
        blanks = 0
    return out


def _blocks(paras: list[tuple[int, str]]) -> list[list[int]]:
    """source-pre's blocks: the paragraph indices between blank lines, or of ``SOURCE_BLOCK_LINES``
    lines each when the paste has no blank line."""
    if all(b == 0 for b, _ in paras):
        return [list(range(i, min(i + SOURCE_BLOCK_LINES, len(paras))))
                for i in range(0, len(paras), SOURCE_BLOCK_LINES)]
    blocks: list[list[int]] = []
    for i, (b, _) in enumerate(paras):
        if b or not blocks:
            blocks.append([])
        blocks[-1].append(i)
    return blocks


def _wrap_plain(paras, width: int, indent: int, blank: bool) -> list[tuple[int, str]]:
    """``(paragraph index or -1 for a blank, physical line)`` for email / rfc / narrow."""
    out: list[tuple[int, str]] = []
    pad = " " * indent
    for i, (before, text) in enumerate(paras):
        if i and blank:
            out.extend((-1, "") for _ in range(max(1, before)))
        out.extend((i, pad + ln) for ln in fill(text, lambda _k: width - indent))
    return out


def _wrap_source(paras, rng: random.Random) -> list[tuple[int, str]]:
    """``(paragraph index or -1, physical line)`` for source-pre (see the module's doc)."""
    out: list[tuple[int, str]] = []
    lo, hi = SOURCE_INDENT[0] // SOURCE_INDENT_STEP, SOURCE_INDENT[1] // SOURCE_INDENT_STEP
    for n, block in enumerate(_blocks(paras)):
        indent = SOURCE_INDENT_STEP * rng.randint(lo, hi)
        tight = rng.random() < SOURCE_TIGHT_SHARE
        if n:
            out.extend((-1, "") for _ in range(max(1, paras[block[0]][0])))
        for j, i in enumerate(block):
            if j and not tight:
                out.append((-1, ""))

            def room(k: int, indent=indent) -> int:
                return SOURCE_WIDTH - indent - (SOURCE_CONT_EXTRA if k else 0) - rng.randint(*SOURCE_MARKUP)
            lines = fill(paras[i][1], room)
            out.extend((i, " " * (indent + (SOURCE_CONT_EXTRA if k else 0)) + ln) for k, ln in enumerate(lines))
    return out


def wrap_lines(page: dict, style: str) -> list[tuple[int, str]]:
    """``(paragraph index or -1 for a blank line, physical line)`` of ``page``'s paste in ``style``."""
    paras = paragraphs(page["paste"])
    if style == "email":
        return _wrap_plain(paras, EMAIL_WIDTH, 0, True)
    if style == "rfc":
        return _wrap_plain(paras, RFC_WIDTH, RFC_INDENT, True)
    if style == "narrow":
        return _wrap_plain(paras, NARROW_WIDTH, 0, False)
    if style == "source-pre":
        return _wrap_source(paras, page_rng(page["id"]))
    raise ValueError(f"unknown wrap style {style!r} (one of {', '.join(STYLES)})")


def wrap_page(page: dict, style: str | None = None) -> dict:
    """A new page of the fixture schema: ``page``'s paste hard-wrapped in ``style`` (None: the id's,
    :func:`page_style`), each physical line labelled as its source line, ``gold`` the article lines
    joined (the original's tokens), ``wrap_style`` the style. ``page`` is not changed."""
    style = style or page_style(page["id"])
    labels = [k for k, _ in page["lines"]]
    phys = wrap_lines(page, style)
    if max(i for i, _ in phys) + 1 != len(labels):
        raise ValueError(f"{page['id']}: lines do not match the paste's non-blank lines")
    lines = [[labels[i], t] for i, t in phys if i >= 0]
    end = "\n" if page["paste"].endswith("\n") else ""
    return {**page, "paste": "\n".join(t for _, t in phys) + end,
            "gold": "\n".join(t for k, t in lines if k.startswith("article:")),
            "lines": lines, "wrap_style": style}


def write(src: Path, out: Path, style: str | None = None) -> list[dict]:
    """Wrap every page of ``src`` (``*.json``, checked by ``bench_paste_modern.load_page``) into
    ``out`` under the same file names; returns the wrapped pages (sorted by file name)."""
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for path in sorted(Path(src).glob("*.json")):
        wrapped = wrap_page(bpm.load_page(path), style)
        (out / path.name).write_text(json.dumps(wrapped, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        pages.append(wrapped)
    return pages


def _prf_cells(rows: list[dict], key: str) -> str:
    """Ours (mean page P / R / F1 of ``row[key]``) and the outside metric's P4 / R4 / F1-4 (``key4``)."""
    ours = " / ".join(f"{bpm._mean(r[key][m] for r in rows):.3f}" for m in range(3))
    return f"{ours} | {paste_metric.fmt_prf(paste_metric.aggregate([tuple(r[key + '4']) for r in rows]))}"


def print_run(rows: list[dict], plain: dict, model: str = "shipped") -> None:
    """One table: per style and overall, the pages, the whole wrapped page, ``newsgist text`` on the
    wrapped pages and on the same pages unwrapped (``plain``: page id -> its row), and the product's
    page-F1 change wrapped minus unwrapped (ours, paired by page, with its SE; and the outside metric's)."""
    from cv_paste import paired_diff
    print(f"\n## Hard-wrapped pages: {len(rows)} pages, newsgist text ({model})\n")
    print("| style | pages | whole page, wrapped: P / R / F1 | P4 / R4 / F1-4 | text, wrapped: P / R / F1 | "
          "P4 / R4 / F1-4 | text, unwrapped: P / R / F1 | P4 / R4 / F1-4 | F1 change (SE) | F1-4 change |")
    print("|---" * 10 + "|")
    for style in STYLES + ("all",):
        mine = [r for r in rows if style in ("all", r["wrap_style"])]
        if not mine:
            continue
        base = [plain[r["id"]] for r in mine]
        _, _, change, se = paired_diff({b["id"]: b["model"][2] for b in base}, {r["id"]: r["model"][2] for r in mine})
        d4 = paste_metric.paired_bootstrap([tuple(r["model4"]) for r in mine], [tuple(b["model4"]) for b in base])
        print(f"| {style} | {len(mine)} | {_prf_cells(mine, 'whole')} | {_prf_cells(mine, 'model')} | "
              f"{_prf_cells(base, 'model')} | {change:+.4f} ({se:.4f}) | {d4['diff']:+.4f} ±{d4['pm']:.4f} |")


def run(src: Path, style: str | None = None) -> tuple[list[dict], dict]:
    """``bench_paste_modern.evaluate`` rows of ``src``'s pages wrapped (in a temporary folder, loaded
    back by ``load_pages``; each row's ``wrap_style`` added) and of the same pages unwrapped (id -> row)."""
    with tempfile.TemporaryDirectory(prefix="newsgist-wrapped-") as tmp:
        write(src, Path(tmp), style)
        pages = bpm.load_pages(Path(tmp))
    rows = bpm.evaluate(pages)
    for r in rows:
        r["wrap_style"] = r["page"]["wrap_style"]
    plain = {r["id"]: r for r in bpm.evaluate(bpm.load_pages(src))}
    return rows, plain


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="write the wrapped pages of --src into --out (same file names)")
    w.add_argument("--src", type=Path, required=True, help="a written page set (*.json)")
    w.add_argument("--out", type=Path, required=True)
    r = sub.add_parser("run", help="score the wrapped pages of --src against the same pages unwrapped")
    r.add_argument("--src", type=Path, required=True, help="a written page set (*.json)")
    r.add_argument("--json", type=Path, default=None,
                   help="write per-page rows here (bench_paste_modern's --json keys, plus wrap_style and "
                        "plain_model / plain_model4: the unwrapped page's)")
    r.add_argument("--paired", type=Path, default=None,
                   help="an earlier run's --json (the shipped product's): this run's F1 on the wrapped pages minus it")
    w.add_argument("--gate", action="store_true",
                   help="allow a validation / sealed set (modern-blind: wrapped-blind, the W gate's test set; the lead's gate only)")
    for p in (w, r):
        p.add_argument("--style", choices=STYLES, default=None, help="one style for every page (default: the id's)")
    args = ap.parse_args(argv)
    held_out = any(part.startswith(("modern-blind", "modern-sealed")) for part in args.src.resolve().parts)
    if held_out and not (args.cmd == "write" and args.gate):
        raise SystemExit(f"error: {args.src} is a validation / sealed set: only the lead's gate wraps it")
    if args.cmd == "write":
        pages = write(args.src, args.out, args.style)
        counts = {s: sum(p["wrap_style"] == s for p in pages) for s in STYLES}
        print(f"{len(pages)} pages written to {args.out}: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
        return
    from bench_paste import check_page_model
    try:
        model_line = check_page_model()    # an env-named model or router must load and pair (as bench_paste_modern)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from None
    rows, plain = run(args.src, args.style)
    print_run(rows, plain, "candidate" if model_line else "shipped")
    if model_line:
        print(model_line)
    if args.paired:
        base = json.loads(args.paired.read_text())
        bpm.print_paired(rows, base)
        by_id = {b["id"]: b for b in base}
        for style in STYLES:    # the paired change per style (ours)
            mine = [r for r in rows if r["wrap_style"] == style and r["id"] in by_id]
            if mine:
                d = bpm._mean(r["model"][2] - by_id[r["id"]]["model"][2] for r in mine)
                print(f"- {style}: {len(mine)} pages, F1 change {d:+.4f}")
    if args.json:
        args.json.write_text(json.dumps([{**{k: r[k] for k in bpm.JSON_KEYS}, "wrap_style": r["wrap_style"],
                                          "plain_model": plain[r["id"]]["model"],
                                          "plain_model4": plain[r["id"]]["model4"]} for r in rows], indent=1))


if __name__ == "__main__":
    main()
