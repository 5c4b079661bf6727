"""Where two page models differ, line by line, on held-out Dragnet and Readability (issue 31, 11i).

Runs ``newsgist text``'s cleaner (``bench_paste_modern.clean``) on each held-out Dragnet page and
each Readability test page twice: with the shipped page model, and with the candidate named by
``--model`` / ``--seq`` (``NEWSGIST_PAGE_MODEL`` / ``NEWSGIST_PAGE_SEQ`` set for the second run
only). Each non-blank line of the paste is called kept or removed (``line_verdicts``) and gold or
not (``train_paste.label_lines``, the training labels). The lines whose verdict differs are put
in one category each by the rules of ``category`` (first match wins) and reported by direction
(the candidate keeps what shipped removed: "added"; removes what it kept: "dropped"), with the
F1 each category costs: the sum over pages of the line-level F1 with only that category's lines
set to the candidate's verdict minus the line-level F1 with shipped's verdicts. Then the paired
page F1 change (``bench_paste.py``'s page F1, recomputed: it equals the bench JSONs' ``f1``) by
gold size (lines, words), language (Latin-letter share of the gold >= ``LATIN_SHARE``) and
short-line share; the candidate's drop / keep rates by line length; with ``--written``, the
article share of lines by length in the written pages vs Dragnet's labels; and a convention
check on ``--conventions`` random held-out Dragnet pages: whether the page's headline line (the
longest ``<title>`` part) and the byline / date lines near it are inside the gold. The
categories and the headline guess are heuristics (regular expressions, read with the examples).

Usage::

    python benchmarks/paste_model_diff.py --model M/page-lines.json --seq M/page-seq.json \\
        [--dump /tmp/diff.json] [--examples 3] [--written tests/fixtures/paste/modern/*.json ...]
"""
from __future__ import annotations

import argparse
import html as htmllib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

import paste_render  # noqa: E402
from bench_html import prf  # noqa: E402
from bench_paste import check_page_model, page_model  # noqa: E402
from bench_paste_modern import clean, line_verdicts  # noqa: E402
from route_modern import LATIN_SHARE, latin_share  # noqa: E402
from newsgist.evaluation.train_paste import gold_article, label_lines, readability_half, split_of  # noqa: E402

SHORT_WORDS = 8          # a line of at most this many words is "short"
TINY_GOLD = 3            # a page with at most this many gold lines is a tiny-gold page
HEAD_LINES = 6           # byline / date lines are looked for within this many lines after the headline
NEAR_BEFORE = 3          # ... and this many before it
SEED = 11
WORD_BUCKETS = ((50, "<50"), (150, "50-149"), (400, "150-399"), (10 ** 9, "400+"))


def words_bucket(text: str) -> str:
    if latin_share(text) < LATIN_SHARE:
        return "non-Latin"
    n = len(text.split())
    return "1-2" if n <= 2 else "3-8" if n <= 8 else "9-20" if n <= 20 else "21-40" if n <= 40 else "41+"


LINE_BUCKETS = ("1-2", "3-8", "9-20", "21-40", "41+", "non-Latin")

BYLINE = re.compile(r"^(by|posted by|written by|from|author:?|reporter:?)\s+\S", re.I)
MONTHS = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = re.compile(rf"\b{MONTHS}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTHS}\b|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
                  r"|\b(19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}:\d\d\s*(am|pm|a\.m\.|p\.m\.)?|\b(posted|published|updated)\b"
                  r"|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
CAPTION = re.compile(r"\b(photo|photograph|image|picture|pictured|getty|credit|courtesy|caption|file photo|"
                     r"\(ap\)|associated press|reuters|afp|illustration)\b", re.I)
COMMENT_MARK = re.compile(r"^\s*(\d+\s+)?(comments?|responses?|replies|reader comments|leave a (reply|comment)|"
                          r"add (a|your) comment|post a comment|discussion|trackbacks?)\b", re.I)
COMMENT_LINE = re.compile(r"\b(reply|says:|said\.\.\.|wrote:|report abuse|permalink)\b", re.I)
TAG = re.compile(r"<[^>]+>")
NOT_BYLINE = re.compile(r"comment|e-?mail|tags?:|filed (in|under)|categor|posted in:|share", re.I)


def norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


SEPARATORS = re.compile(r" [|:\u2013\u2014\u00bb-]+ ")


def headings(html: str) -> list[str]:
    """The normalised texts of the page's ``<title>`` and ``<h1>`` elements and the title's parts
    between `` | `` / `` - `` / `` :: `` separators; the first is the headline guess
    (``headline_guess``)."""
    out = []
    for tag in ("title", "h1"):
        for m in re.finditer(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html or "", re.I | re.S):
            t = htmllib.unescape(TAG.sub(" ", m.group(1)))
            out.append(norm(t))
            out.extend(norm(part) for part in SEPARATORS.split(t))
    out = [h for h in out if len(h.split()) >= 2]
    return [headline_guess(html)] + out


def headline_guess(html: str) -> str:
    """The longest part of the ``<title>`` between separators (the site name is the shorter part
    on most pages), normalised; "" without a title."""
    m = re.search(r"<title\b[^>]*>(.*?)</title>", html or "", re.I | re.S)
    if not m:
        return ""
    parts = [norm(x) for x in SEPARATORS.split(htmllib.unescape(TAG.sub(" ", m.group(1))))]
    return max(parts, key=lambda x: len(x.split()), default="")


def is_headline(text: str, heads: list[str]) -> bool:
    n = norm(text)
    return len(n.split()) >= 2 and any(h and (n == h or (len(n) >= 15 and (n in h or h in n))) for h in heads)


def page_lines(paste: str) -> list[tuple[int, int, None]]:
    """Spans of the non-blank lines of ``paste`` (the lines ``line_verdicts`` judges)."""
    out, pos = [], 0
    for text in paste.split("\n"):
        if text.strip():
            out.append((pos, pos + len(text), None))
        pos += len(text) + 1
    return out


def category(text: str, gold: int, idx: int, page: dict) -> str:
    words = len(text.split())
    if latin_share(text) < LATIN_SHARE:
        return "non-Latin text"
    if gold and page["gold_lines"] <= TINY_GOLD:
        return "tiny-gold page's lines"
    if is_headline(text, page["heads"]):
        return "headline/title"
    if words <= 15 and (BYLINE.match(text.strip()) or DATE.search(text)):
        return "byline/date"
    if page["comment_from"] is not None and idx > page["comment_from"] or COMMENT_LINE.search(text) and words <= 20:
        return "comments"
    if words <= 40 and CAPTION.search(text):
        return "caption/credit"
    if words <= SHORT_WORDS:
        return "short line (nav/list/subhead)"
    return "paragraph (>8 words)"


def run_set(pages: list[dict], model: str, seq: str, setname: str, group) -> list[dict]:
    out = []
    for p in pages:
        gold = gold_article(p["text"])
        paste = p["pasted"]
        spans = page_lines(paste)
        texts = [paste[s:e] for s, e, _ in spans]
        y = label_lines(paste, spans, gold)
        verdicts = {}
        for name, pair in (("shipped", (None, None)), ("cand", (model, seq))):
            with page_model(*pair):
                body, removed = clean(paste)
            verdicts[name] = [k for k, _ in line_verdicts(paste, removed)]
            verdicts[name + "_f1"] = prf(body, gold)[2]
        comment_from = next((i for i, t in enumerate(texts) if COMMENT_MARK.match(t) and len(t.split()) <= 6
                             and i > len(texts) // 3), None)
        out.append({"set": setname, "id": p["id"], "group": group(p), "texts": texts, "y": y, "gold": gold,
                    "shipped": verdicts["shipped"], "cand": verdicts["cand"],
                    "shipped_f1": verdicts["shipped_f1"], "cand_f1": verdicts["cand_f1"],
                    "heads": headings(p.get("html", "")), "gold_lines": sum(y), "comment_from": comment_from,
                    "gold_latin": latin_share(gold)})
    return out


def line_f1(page: dict, kept: list[bool]) -> float:
    return prf("\n".join(t for t, k in zip(page["texts"], kept) if k), page["gold"])[2]


def categories(rows: list[dict], title: str, examples: int) -> None:
    cost = defaultdict(float)
    count = defaultdict(lambda: [0, 0])
    ex = defaultdict(list)
    total_line, total_page = 0.0, 0.0
    for page in rows:
        base = page["shipped"]
        total_page += page["cand_f1"] - page["shipped_f1"]
        diff = [i for i, (a, b) in enumerate(zip(base, page["cand"])) if a != b]
        if not diff:
            continue
        f0 = line_f1(page, base)
        total_line += line_f1(page, page["cand"]) - f0
        cats = defaultdict(list)
        for i in diff:
            key = ("added" if page["cand"][i] else "dropped", category(page["texts"][i], page["y"][i], i, page),
                   "gold" if page["y"][i] else "not gold")
            cats[key].append(i)
        for key, idx in cats.items():
            kept = list(base)
            for i in idx:
                kept[i] = page["cand"][i]
            cost[key] += line_f1(page, kept) - f0
            count[key][0] += len(idx)
            count[key][1] += 1
            if len(ex[key]) < examples:
                ex[key].append(f"{page['id']}: " + page["texts"][idx[0]][:70].replace("|", "/"))
    print(f"\n### {title}: {len(rows)} pages, {sum(r['shipped'] != r['cand'] for r in rows)} differ; "
          f"page F1 change sum {total_page:+.2f}, line-level F1 change sum {total_line:+.2f}\n")
    print("| candidate ... | category | gold? | lines | pages | F1 sum (flip this category only) | examples |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(cost, key=lambda k: cost[k]):
        print(f"| {key[0]} | {key[1]} | {key[2]} | {count[key][0]} | {count[key][1]} | {cost[key]:+.2f} | "
              f"{'; '.join(ex[key])} |")


def buckets(rows: list[dict], title: str) -> None:
    def table(label, fn):
        agg = defaultdict(list)
        for r in rows:
            agg[fn(r)].append(r["cand_f1"] - r["shipped_f1"])
        print(f"\n{title}, by {label}:\n\n| {label} | pages | F1 shipped | F1 change sum | mean | pages worse by >0.05 / better |")
        print("|---|---|---|---|---|---|")
        for k in sorted(agg):
            sel = [r for r in rows if fn(r) == k]
            d = agg[k]
            print(f"| {k} | {len(d)} | {sum(r['shipped_f1'] for r in sel) / len(sel):.3f} | {sum(d):+.2f} | "
                  f"{sum(d) / len(d):+.4f} | {sum(x < -0.05 for x in d)} / {sum(x > 0.05 for x in d)} |")

    def size(r):
        n = r["gold_lines"]
        return "a 0" if n == 0 else "b 1-3" if n <= 3 else "c 4-10" if n <= 10 else "d 11-30" if n <= 30 else "e 31+"

    def short(r):
        g = [t for t, y in zip(r["texts"], r["y"]) if y]
        s = sum(len(t.split()) <= SHORT_WORDS for t in g) / len(g) if g else 0
        return "short share >= 0.5" if s >= 0.5 else "short share < 0.5"
    table("gold lines", size)
    table("gold words", lambda r: next(f"{c} {lab}" for c, (hi, lab) in zip("abcd", WORD_BUCKETS)
                                       if len(r["gold"].split()) < hi))
    table("language", lambda r: "Latin >= 0.9" if r["gold_latin"] >= LATIN_SHARE else "non-Latin")
    table("gold lines of <= 8 words", short)


def line_rates(rows: list[dict], title: str) -> None:
    """By line length: the share of the gold lines shipped keeps that the candidate drops, and of
    the non-gold lines shipped removes that the candidate keeps."""
    kept, added = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for r in rows:
        for t, y, a, c in zip(r["texts"], r["y"], r["shipped"], r["cand"]):
            if y and a:
                kept[words_bucket(t)][0] += 1
                kept[words_bucket(t)][1] += not c
            elif not y and not a:
                added[words_bucket(t)][0] += 1
                added[words_bucket(t)][1] += c
    print(f"\n{title}, by line length (words; non-Latin: Latin-letter share < {LATIN_SHARE}):\n")
    print("| line | gold lines shipped keeps | candidate drops | share | furniture lines shipped removes | candidate keeps | share |")
    print("|---|---|---|---|---|---|---|")
    for k in LINE_BUCKETS:
        g, f = kept[k], added[k]
        print(f"| {k} | {g[0]} | {g[1]} | {g[1] / max(g[0], 1):.3f} | {f[0]} | {f[1]} | {f[1] / max(f[0], 1):.4f} |")


def written_shares(paths: list[str], rows: list[dict]) -> None:
    """The article share of lines by length: the written pages' kinds vs held-out Dragnet's labels."""
    written, drag = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for path in paths:
        for kind, text in json.loads(Path(path).read_text())["lines"]:
            written[words_bucket(text)][0] += kind.startswith("article:")
            written[words_bucket(text)][1] += 1
    for r in rows:
        for t, y in zip(r["texts"], r["y"]):
            drag[words_bucket(t)][0] += y
            drag[words_bucket(t)][1] += 1
    print(f"\n## Article share of lines by length: {len(paths)} written pages vs held-out Dragnet\n")
    print("| line | written: article / lines | share | Dragnet: gold / lines | share |\n|---|---|---|---|---|")
    for k in LINE_BUCKETS:
        w, d = written[k], drag[k]
        print(f"| {k} | {w[0]} / {w[1]} | {w[0] / max(w[1], 1):.3f} | {d[0]} / {d[1]} | {d[0] / max(d[1], 1):.3f} |")


def conventions(rows: list[dict], n: int) -> None:
    pick = random.Random(SEED).sample(rows, min(n, len(rows)))
    head = [0, 0]
    by = [0, 0]
    date = [0, 0]
    for r in pick:
        guess = r["heads"][0]
        hi = next((i for i, t in enumerate(r["texts"]) if len(guess.split()) >= 3 and is_headline(t, [guess])), None)
        line = f"- {r['id']}:"
        if hi is None:
            print(line + " no headline line found")
            continue
        head[0] += r["y"][hi]
        head[1] += 1
        line += f" headline {'IN' if r['y'][hi] else 'out'} ({r['texts'][hi][:50]!r})"
        for i in range(max(0, hi - NEAR_BEFORE), min(len(r["texts"]), hi + 1 + HEAD_LINES)):
            t = r["texts"][i]
            if i == hi or len(t.split()) > 15 or NOT_BYLINE.search(t):
                continue
            kind = by if BYLINE.match(t.strip()) else date if DATE.search(t) else None
            if kind is not None:
                kind[0] += r["y"][i]
                kind[1] += 1
                line += f"; {'byline' if kind is by else 'date'} {'IN' if r['y'][i] else 'out'} ({t[:40]!r})"
        print(line)
    print(f"\nheadline line inside the gold: {head[0]}/{head[1]}; byline lines: {by[0]}/{by[1]}; "
          f"date lines: {date[0]}/{date[1]} (of {len(pick)} pages)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--seq", required=True)
    ap.add_argument("--dump", help="cache the per-line verdicts here (read when it exists)")
    ap.add_argument("--examples", type=int, default=2)
    ap.add_argument("--conventions", type=int, default=40)
    ap.add_argument("--written", nargs="*", default=[], help="written training pages (JSON) to compare line shares with")
    args = ap.parse_args(argv)
    try:        # the candidate must load and pair, or every "candidate" line would be rules-only
        with page_model(args.model, args.seq):
            model_line = check_page_model()
    except ValueError as exc:
        raise SystemExit(f"paste_model_diff: {exc}")
    print(model_line)
    if args.dump and Path(args.dump).exists():
        dump = json.loads(Path(args.dump).read_text())
        if not isinstance(dump, dict) or dump.get("model") != model_line:
            raise SystemExit(f"paste_model_diff: {args.dump} holds another candidate's verdicts "
                             f"(or an older dump without one); delete it or name another --dump")
        rows = dump["rows"]
    else:
        drag = [p for p in paste_render.pasted_pages("dragnet") if split_of(p["id"]) == "test"]
        read = paste_render.pasted_pages("readability")
        rows = run_set(drag, args.model, args.seq, "dragnet", lambda p: None)
        rows += run_set(read, args.model, args.seq, "readability", lambda p: readability_half(p["id"]))
        if args.dump:
            Path(args.dump).write_text(json.dumps({"model": model_line, "rows": rows}))
    sets = {"Dragnet held-out": [r for r in rows if r["set"] == "dragnet"],
            "Readability half B": [r for r in rows if r["set"] == "readability" and r["group"] == "B"],
            "Readability half A": [r for r in rows if r["set"] == "readability" and r["group"] == "A"]}
    for title, sel in sets.items():
        if not sel:
            print(f"\n## {title}: no page (not rendered?)")
            continue
        print(f"\n## {title}: page F1 shipped {sum(r['shipped_f1'] for r in sel) / len(sel):.3f}, "
              f"candidate {sum(r['cand_f1'] for r in sel) / len(sel):.3f}")
        categories(sel, title, args.examples)
        buckets(sel, title)
        line_rates(sel, title)
    if args.written:
        written_shares(args.written, sets["Dragnet held-out"])
    print("\n## Conventions: random held-out Dragnet pages\n")
    conventions(sets["Dragnet held-out"], args.conventions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
