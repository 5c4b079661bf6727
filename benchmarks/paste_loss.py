"""What the page model's remaining errors are, on site-grouped folds (issue 31, session 8c, information).

Runs the clean stage of ``newsgist text`` on each Dragnet training page with the given out-of-fold
line probabilities (``paste_failures.pipeline``'s way: the shipped decode and rules), and splits
each page's loss 1 - F1 exactly into its false-positive and false-negative tokens:
1 - F1 = (FP + FN) / (kept + gold) with FP = kept - overlap, FN = gold - overlap. A page's FP
tokens are shared among its kept non-article lines by their tokens, by kind; its FN tokens among
its dropped article lines by kind, plus the gold tokens no pasted line carries. Prints

- the loss (sum of 1 - F1 over pages: the page-mean criterion times the page count) by token kind;
- the pages by their main mode (tiny gold, gold not in the paste, article missed, recall, precision);
- the loss by site (the ten costliest sites' share);
- ``--worst N``: the N worst pages, each wrong line with its label, our decision, reason, probability.

No held-out page is read. Usage::

    python benchmarks/paste_loss.py /tmp/ng31s8base/E-S/E-mean.pkl --sites /tmp/ng31s8base/sites.json \\
        --check /tmp/ng31s8base/E-S-mean-d.json --worst 30
"""
from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TINY_GOLD = 20            # paste_failures.TINY_GOLD: a caption-sized gold text
MISSED_RECALL = 0.25      # recall below this: the article was missed (not tuned; a reading aid)
SHORT_LINE = 8            # tokens: a menu item, link, button, byline-sized line
_BIO = re.compile(r"\b(?:is an? [\w\s,-]{0,60}(?:writer|reporter|editor|journalist|author|columnist|correspondent|"
                  r"contributor|blogger|founder|professor|student|consultant)|writes (?:about|for)|"
                  r"(?:follow|find) (?:him|her|them|me|us) on|about the author|lives in)\b", re.I)
_META = re.compile(r"\b(?:posted|published|updated|by|filed under|tags?|categor(?:y|ies)|comments?|share|"
                   r"tweet|email|print|photo|image|credit|getty|reuters|associated press|copyright|©)\b", re.I)


def line_kind(text: str, ntok: int, thread: bool) -> str:
    if thread:
        return "comment thread"
    if _BIO.search(text):
        return "bio / about"
    if ntok <= SHORT_LINE:
        return "short: meta (byline, date, share, credit)" if _META.search(text) else "short: link, menu, heading"
    return "prose-length line"


def analyse(probs: dict, sites: dict):
    import numpy as np
    import cv_paste
    import paste_failures
    import paste_render
    from newsgist.article import Article
    from newsgist.errors import NoTextError
    from newsgist.evaluation.train_paste import gold_article, split_of, tokens
    from newsgist.options import Options
    from newsgist.pipeline import run
    from newsgist.reading import pagemodel
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.stages import stage_clean
    col = {n: k for k, n in enumerate(FEATURE_NAMES)}
    cp = {p.id: p for p in cv_paste.load_sets(comment=True)["dragnet"]}
    given = paste_failures._Given()
    saved = pagemodel.load_model
    pagemodel.load_model = lambda: given
    rows = []
    try:
        for p in paste_render.pasted_pages("dragnet"):
            if split_of(p["id"]) != "train" or p["id"] not in probs["oof"]:
                continue
            c = cp[p["id"]]
            given.current = probs["oof"][p["id"]]
            try:
                a = run(Article(source=p["pasted"], kind="text"), Options(), [("clean", stage_clean)])
                body, removed = a.body, a.removed
            except NoTextError:
                body, removed = "", []            # every line reads "no_text" below
            gold = Counter(tokens(gold_article(p["text"])))
            hyp = Counter(tokens(body))
            ov = sum((hyp & gold).values())
            h, g = sum(hyp.values()), sum(gold.values())
            f1 = 2 * ov / (h + g) if h + g else 0.0
            # each line's decision and reason: the removed span covering most of it
            starts = sorted((r.start, r.end, r.reason) for r in removed if r.start >= 0)
            why = []
            j = 0
            for s, e, _ in c.lines:
                reason = None
                for rs, re_, rr in starts:
                    if rs < e and re_ > s and min(e, re_) - max(s, rs) >= 0.5 * (e - s):
                        reason = rr
                        break
                why.append(reason)
            if not body:
                why = ["no_text"] * len(c.lines)
            thread = (c.X[:, col["comments_heads_before"]] > 0) | (c.X[:, col["comment_marks_near"]] > 0)
            lines = []
            for i, (s, e, _) in enumerate(c.lines):
                text = p["pasted"][s:e]
                nt = len(c.line_tokens[i])
                lines.append({"i": i, "text": text, "y": bool(c.y[i] > 0.5), "kept": why[i] is None, "why": why[i],
                              "p": float(given.current[i]), "ntok": nt, "kind": line_kind(text, nt, bool(thread[i]))})
            rows.append({"id": p["id"], "site": sites.get(p["id"]) or p["id"], "f1": f1, "h": h, "g": g, "ov": ov,
                         "lines": lines, "gold_in_lines": sum(l_["ntok"] for l_ in lines if l_["y"])})
    finally:
        pagemodel.load_model = saved
    return rows


# a comment thread's head or one comment's mark, read broadly (an analysis aid: the model's own
# comment features miss "{ 14 comments… read them below or add one }", "Peter 07.08.12 at 13:24" threads)
_HEAD = re.compile(r"\b\d+\s+(?:comments?|responses?|replies|thoughts)\b|\bcomments?\s*\(\d+\)|"
                   r"\b(?:leave|post|add|write)\s+(?:a|your)\s+(?:comment|reply|response)|read them below|"
                   r"\bresponses? to\b|^\s*(?:reader )?comments?\s*:?\s*$|\bsaid\.\.\.\s*$|\bsays:?\s*$|"
                   r"\d\d?\.\d\d\.\d\d(?:\d\d)? at \d", re.I)


def refine(r) -> None:
    """Each wrong line's kind by where it sits: before the article's first gold line, inside the
    article's span, after it; a line after the article that follows a comment head (or that the
    model's comment features flag) is in a comment thread; a gold line after a head that follows
    the article's first prose line is a comment the gold keeps."""
    lines = r["lines"]
    # the article's span: its first to its last gold line of prose (a short gold line can be a title,
    # or a label matched on a footer far down the page)
    gold = [l_["i"] for l_ in lines if l_["y"] and l_["ntok"] > SHORT_LINE] or [l_["i"] for l_ in lines if l_["y"]]
    first, last = (gold[0], gold[-1]) if gold else (len(lines), -1)
    prose = next((l_["i"] for l_ in lines if l_["y"] and l_["ntok"] > SHORT_LINE), first)
    # the last article line of prose we kept: a gold line beyond it and beyond a comment head after it
    # reads as a comment the gold keeps (a head between two kept article paragraphs is a link, not a thread)
    kept_last = max((l_["i"] for l_ in lines if l_["y"] and l_["kept"] and l_["ntok"] > SHORT_LINE), default=-1)
    head_after_last = head_after_prose = False
    for l_ in lines:
        i = l_["i"]
        is_head = bool(_HEAD.search(l_["text"])) or l_["kind"] == "comment thread"
        if is_head and i > last:
            head_after_last = True
        if is_head and i > max(prose, kept_last):
            head_after_prose = True
        size = "prose" if l_["ntok"] > SHORT_LINE else "short"
        if l_["kept"] and not l_["y"]:
            if i > last:
                l_["kind2"] = "comment thread after the article" if head_after_last or is_head else \
                    f"{size} line after the article"
            elif i < first:
                l_["kind2"] = "bio / about" if l_["kind"] == "bio / about" else f"{size} line before the article"
            else:
                l_["kind2"] = f"{size} line inside the article's span"
        elif l_["y"] and not l_["kept"]:
            if head_after_prose or (l_["kind"] == "comment thread" and i > kept_last):
                l_["kind2"] = "comment the gold keeps"
            elif size == "short":
                l_["kind2"] = "short gold line (title, byline, date, subhead, list item)"
            else:
                l_["kind2"] = "article prose"


def split(rows):
    """The loss by token kind (exact per page; shared among lines by tokens) and each page's mode."""
    kinds = Counter()
    modes, mode_n = Counter(), Counter()
    for r in rows:
        loss = 1 - r["f1"]
        den = r["h"] + r["g"]
        if den == 0:
            r["mode"] = "empty"     # nothing kept, no gold: no loss (review, session 8: --worst read it)
            continue
        fp, fn = r["h"] - r["ov"], r["g"] - r["ov"]
        refine(r)
        fpl = [l_ for l_ in r["lines"] if l_["kept"] and not l_["y"]]
        fnl = [l_ for l_ in r["lines"] if not l_["kept"] and l_["y"]]
        missing = max(r["g"] - r["gold_in_lines"], 0)
        fp_t = sum(l_["ntok"] for l_ in fpl)
        fn_t = sum(l_["ntok"] for l_ in fnl) + missing
        part = Counter()
        if fp:
            if fp_t:
                for l_ in fpl:
                    part["FP " + l_["kind2"]] += fp * l_["ntok"] / fp_t
            else:
                part["FP (tokens of article lines over the gold count)"] += fp
        if fn:
            if fn_t:
                for l_ in fnl:
                    part["FN " + l_["kind2"] + (" (no text at all)" if l_["why"] == "no_text" else "")] \
                        += fn * l_["ntok"] / fn_t
                part["FN gold no pasted line carries"] += fn * missing / fn_t
            else:
                part["FN (gold tokens short in kept lines)"] += fn
        for k, v in part.items():
            kinds[k] += v / den
        r["part"] = {k: v / den for k, v in part.items()}
        rec = r["ov"] / r["g"] if r["g"] else 0.0
        if not part:
            mode = "perfect"
        elif r["g"] < TINY_GOLD:
            mode = "tiny gold (title / caption page, < 20 tokens)"
        elif r["gold_in_lines"] < 0.5 * r["g"]:
            mode = "gold mostly not in the pasted lines"
        elif rec < MISSED_RECALL:
            mode = "article missed (recall < 0.25)"
        elif fn > fp:
            top = max((k for k in part if k.startswith("FN")), key=part.get)
            mode = "recall: " + top[3:]
        else:
            top = max((k for k in part if k.startswith("FP")), key=part.get)
            mode = "precision: " + top[3:]
        r["mode"] = mode
        modes[mode] += loss
        mode_n[mode] += 1
    return kinds, modes, mode_n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("probs", type=Path)
    ap.add_argument("--sites", type=Path, required=True)
    ap.add_argument("--check", type=Path, help="a pipeline --out file these F1s must equal (the same probabilities)")
    ap.add_argument("--worst", type=int, default=0)
    ap.add_argument("--lines", type=int, default=14, help="--worst: wrong lines shown a page")
    ap.add_argument("--dump", type=Path, help="write the per-page rows (pickle)")
    ap.add_argument("--rows", type=Path, help="read the rows a --dump wrote instead of running the pages")
    args = ap.parse_args(argv)
    if args.rows:
        rows = pickle.loads(args.rows.read_bytes())
    else:
        rows = analyse(pickle.loads(args.probs.read_bytes()), json.loads(args.sites.read_text()))
    if args.dump:
        args.dump.write_bytes(pickle.dumps(rows))
    if args.check:
        ref = json.loads(args.check.read_text())
        diff = [r["id"] for r in rows if abs(ref[r["id"]] - r["f1"]) > 1e-9]
        print(f"check against {args.check}: {len(rows)} pages, {len(diff)} differ {diff[:5]}")
    total = sum(1 - r["f1"] for r in rows)
    print(f"{len(rows)} pages, mean F1 {1 - total / len(rows):.4f}, loss {total:.1f} page-units")
    kinds, modes, mode_n = split(rows)
    print("\n| tokens of (line kind) | loss, page-units | share |\n|---|---:|---:|")
    for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"| {k} | {v:.2f} | {v / total:.1%} |")
    print("\n| page mode | pages | loss | share |\n|---|---:|---:|---:|")
    for k, v in sorted(modes.items(), key=lambda kv: -kv[1]):
        print(f"| {k} | {mode_n[k]} | {v:.2f} | {v / total:.1%} |")
    by_site, n_site = defaultdict(float), Counter()
    for r in rows:
        by_site[r["site"]] += 1 - r["f1"]
        n_site[r["site"]] += 1
    top = sorted(by_site.items(), key=lambda kv: -kv[1])
    print(f"\nsites: {len(by_site)}; the ten costliest hold {sum(n_site[s] for s, _ in top[:10])} pages and "
          f"{sum(v for _, v in top[:10]):.1f} of {total:.1f} page-units ({sum(v for _, v in top[:10]) / total:.1%})")
    for s, v in top[:10]:
        print(f"  {s}: {n_site[s]} pages, loss {v:.2f}, mean F1 {1 - v / n_site[s]:.3f}")
    acc = 0.0
    for k, (_, v) in enumerate(top):
        acc += v
        if acc >= total / 2:
            print(f"half the loss is on {k + 1} of {len(top)} sites")
            break
    for lo, hi in ((1, 1), (2, 4), (5, 10 ** 6)):
        ss = [s for s in n_site if lo <= n_site[s] <= hi]
        n = sum(n_site[s] for s in ss)
        print(f"sites with {lo}-{hi} pages: {len(ss)} sites, {n} pages, loss {sum(by_site[s] for s in ss):.1f}, "
              f"mean F1 {1 - sum(by_site[s] for s in ss) / max(n, 1):.4f}")
    for lo, hi in ((0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)):
        sel = [r for r in rows if lo <= r["f1"] < hi]
        print(f"page F1 {lo}-{min(hi, 1)}: {len(sel)} pages, loss {sum(1 - r['f1'] for r in sel):.1f}")
    for cap in (0.5, 0.7):
        sel = [r for r in rows if max((l_["p"] for l_ in r["lines"]), default=0.0) < cap]
        print(f"pages whose likeliest line is below {cap}: {len(sel)}, loss {sum(1 - r['f1'] for r in sel):.1f}")
    low = [l_ for r in rows for l_ in r["lines"] if l_["kept"] and l_["p"] < 0.5]
    print(f"kept lines below 0.5 (keep_mask's relative floor): article tokens {sum(l_['ntok'] for l_ in low if l_['y'])}, "
          f"furniture tokens {sum(l_['ntok'] for l_ in low if not l_['y'])}")
    worst = sorted(rows, key=lambda r: r["f1"])[:args.worst]
    for r in worst:
        print(f"\n=== {r['id']} ({r['site']}) F1 {r['f1']:.3f} P {r['ov'] / r['h'] if r['h'] else 0:.2f} "
              f"R {r['ov'] / r['g'] if r['g'] else 0:.2f} gold {r['g']} kept {r['h']} gold in lines "
              f"{r['gold_in_lines']} mode: {r['mode']}")
        print("  loss parts: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(r.get("part", {}).items(),
                                                                          key=lambda kv: -kv[1])[:4]))
        gold = [l_ for l_ in r["lines"] if l_["y"]]
        wrong = [l_ for l_ in r["lines"] if l_["y"] != l_["kept"]]
        for l_ in gold[:3] + wrong[:args.lines]:
            tag = ("ok " if l_["y"] == l_["kept"] else ("FP " if l_["kept"] else "FN "))
            print(f"  {tag}L{l_['i']} p={l_['p']:.2f} y={int(l_['y'])} {l_['why'] or 'kept'} | "
                  f"{' '.join(l_['text'].split())[:110]}")
        if len(wrong) > args.lines:
            print(f"  ... {len(wrong) - args.lines} more wrong lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
