"""Where the pasted-page cleaner loses, out of fold on the Dragnet training pages (issue 31, session 5).

Reads the line probabilities that ``benchmarks/cv_paste.py --dump-probs`` writes (stage 2,
out of fold for the 1,100 training pages; the full model's for the Readability pages) and

- ``modes``: the per-page F1 of the kept lines (the harness's line-only decision) by band, and
  each page's loss (1 - F1) put to one failure mode: tiny gold (< 20 tokens), gold not in the
  pasted text, precision lost to a comment thread (most false-positive tokens after a comment
  head or near comment marks) or to other furniture, recall lost to a comment thread the gold
  keeps or to article lines dropped;
- ``pipeline``: the same probabilities through ``newsgist text``'s clean stage (the sure rules
  and the cleaner's line rules after the model, exactly as ``bench_paste.py`` runs it), with
  ``--off`` switching a rule off (``related``, ``byline``, ``when``, ``title-only``), and the
  per-page F1s written to ``--out`` for paired comparisons (``cv_paste.py --paired`` reads
  only its own files; ``--paired A B`` here compares two of these), and ``--repeat-block K,W``
  switching on the repeated-block rule (``pagemodel.PAGE_REPEATED_BLOCKS``) with those constants;
- ``pipeline --decode HOW``: the page decoding (``pagedecode.DECODE``: ``threshold``,
  ``expected-f1``, ``segment``), ``--segment t,lo,hi`` or a ``segment-grid --out`` file (each page
  its fold's nested choice), ``--segment-min-tokens N`` (session 6); ``--caption-byline``: session
  6c's candidate (a caption-sized page keeps the byline and date lines the model keeps);
  ``--prose-rule``: session 7b's candidate TR (``pageprose.PROSE_RULE``: kept bio and site-about
  lines set aside); ``--doubt RULE,LEVEL`` or ``--doubt RULE,FILE``: session 8e's rule on pages
  the model doubts (``pagedecode.DOUBT_RULE`` head / floor, the level or ``cv_doubt.py``'s nested
  choices), run inside ``pagemodel.page_furniture`` exactly as the product would;
- ``segment-grid``: the contiguous-body decoding's (t, lo, hi) grid on the line-level F1, and its
  choice by nested CV over train_paste's four folds (session 6; ``--t-grid`` round 3's R1);
- ``gap-grid --segment FILE``: round 3's R2, two body runs: the gap penalty's grid on top of a
  segment-grid choice, and its nested choice (``pipeline --segment`` reads its --out file too);
- ``viterbi-grid --segment FILE``: session 6d, a two-state Viterbi pass after the segment
  decoding: (t, switch) by nested CV on top of a segment-grid choice (``pipeline --segment`` reads it);
- ``lines``: session 7b's failure listing: each kept furniture line and dropped article line of
  the training pages after ``pagemodel.page_furniture`` (the sure rules and the decode the flags
  set), with the exact change of its page's F1 were that one line flipped, costliest first;
- ``repeat-grid``: the repeated-block rule's grid of (K, W) on the Dragnet training pages (only the
  pages where its loosest setting sets a line aside are cleaned again; the rest keep the rule-off F1),
  each setting's mean and paired gain, and the setting chosen by nested CV over train_paste's
  four folds (chosen on three, applied to the fourth).

No held-out page is read. Usage::

    python benchmarks/cv_paste.py --seeds 0,1,2 --dump-probs /tmp/p.pkl
    python benchmarks/paste_failures.py modes /tmp/p.pkl
    python benchmarks/paste_failures.py pipeline /tmp/p.pkl --out /tmp/pipe.json [--off byline] [--set B]
    python benchmarks/paste_failures.py --paired /tmp/pipe-a.json /tmp/pipe-b.json
    python benchmarks/paste_failures.py repeat-grid /tmp/p.pkl --base /tmp/pipe.json
"""
from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01))
TINY_GOLD = 20     # tokens: a caption-sized gold text


def modes(probs: dict) -> None:
    import numpy as np
    import cv_paste
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pagemodel import keep_mask
    col = {n: k for k, n in enumerate(FEATURE_NAMES)}
    tot, cnt = Counter(), Counter()
    for pg in cv_paste.load_sets()["dragnet"]:
        pr = probs["oof"][pg.id]
        keep = keep_mask(pr, 0.5, 0.5)
        y = pg.y > 0.5
        thread = (pg.X[:, col["comments_heads_before"]] > 0) | (pg.X[:, col["comment_marks_near"]] > 0)
        ntok = np.array([len(t) for t in pg.line_tokens])
        hyp = Counter(t for toks, k in zip(pg.line_tokens, keep) if k for t in toks)
        ov, h, g = sum((hyp & pg.score_ref).values()), sum(hyp.values()), sum(pg.score_ref.values())
        p, r = (ov / h if h else 0.0), (ov / g if g else 0.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        fn, fp = y & ~keep, ~y & keep
        if g < TINY_GOLD:
            mode = "tiny gold (< 20 tokens)"
        elif ntok[y].sum() < 0.5 * g:
            mode = "gold not in the pasted text"
        elif r < p:
            mode = ("recall: gold keeps a comment thread, model drops it" if ntok[fn & thread].sum() > 0.5 * ntok[fn].sum()
                    else "recall: article lines dropped")
        else:
            mode = ("precision: comment thread kept" if ntok[fp & thread].sum() > 0.5 * ntok[fp].sum()
                    else "precision: other furniture kept")
        band = next(f"{lo}-{min(hi, 1.0)}" for lo, hi in BANDS if lo <= f < hi)
        for b in (band, "all"):
            tot[b, mode] += 1 - f
            cnt[b, mode] += 1
    bands = [f"{lo}-{min(hi, 1.0)}" for lo, hi in BANDS] + ["all"]
    names = sorted({m for _, m in tot})
    print("| failure mode | " + " | ".join(f"F1 {b}: pages / loss" for b in bands) + " |")
    print("|---|" + "---:|" * len(bands))
    for m in names + ["all"]:
        sel = names if m == "all" else [m]
        print(f"| {m} | " + " | ".join(f"{sum(cnt[b, x] for x in sel)} / {sum(tot[b, x] for x in sel):.1f}"
                                       for b in bands) + " |")


class _Given:
    """A page model whose probabilities are the ones given for the page at hand."""
    threshold, relative = 0.5, 0.5
    current = None

    def probabilities(self, X):
        if len(X) != len(self.current):
            raise ValueError(f"{len(X)} lines read, {len(self.current)} probabilities given")
        return self.current


def pipeline(probs: dict, which: str, off: list[str], threshold: float = 0.5, relative: float = 0.5,
             repeat_block: tuple[int, int] | None = None, only: set | None = None, decode=None,
             doubt=None) -> dict:
    """Per-page F1 of ``newsgist text``'s clean stage on the given probabilities. ``decode``:
    ``(how, consts)`` switches ``pagedecode.DECODE`` to ``how``; ``consts`` is a segment setting
    ``(t, lo, hi)`` or ``{page id: setting}`` (a nested-CV choice, each page its fold's).
    ``doubt``: ``(rule, level)`` sets session 8e's ``pagedecode.DOUBT_RULE`` / ``DOUBT_LEVEL``
    (``level`` a number or ``{page id: level or None}``, None: off for that page)."""
    import paste_render
    from bench_html import prf
    from bench_paste import clean_text
    from newsgist.evaluation.train_paste import gold_article, readability_half, split_of
    from newsgist.reading import clean as clean_mod
    from newsgist.reading import pagedecode, pagemodel
    given = _Given()
    given.threshold, given.relative = threshold, relative
    never = re.compile(r"(?!x)x")
    saved = (pagemodel.load_model, pagemodel.related_runs, pagemodel._BYLINE_LINE, pagemodel._WHEN,
             clean_mod.PAGE_TITLE_ONLY_IS_TEXT, pagemodel.PAGE_REPEATED_BLOCKS, pagemodel.REPEAT_BLOCK_MIN_LINES,
             pagemodel.REPEAT_BLOCK_MIN_WORDS, pagedecode.DECODE,
             (pagedecode.SEGMENT_T, pagedecode.SEGMENT_LO, pagedecode.SEGMENT_HI, pagedecode.SEGMENT_GAP_PENALTY),
             (pagedecode.VITERBI_T, pagedecode.VITERBI_SWITCH), (pagedecode.DOUBT_RULE, pagedecode.DOUBT_LEVEL))
    pagemodel.load_model = lambda: given
    if decode is not None:
        pagedecode.DECODE = decode[0]
    if repeat_block is not None:
        pagemodel.PAGE_REPEATED_BLOCKS = repeat_block[0] > 0
        pagemodel.REPEAT_BLOCK_MIN_LINES, pagemodel.REPEAT_BLOCK_MIN_WORDS = repeat_block
    if "related" in off:
        pagemodel.related_runs = lambda text, lines: []
    if "byline" in off:
        pagemodel._BYLINE_LINE = never
    if "when" in off:
        pagemodel._WHEN = never
    if "title-only" in off:
        clean_mod.PAGE_TITLE_ONLY_IS_TEXT = False
    try:
        if which == "dragnet":
            pages, table = [p for p in paste_render.pasted_pages("dragnet") if split_of(p["id"]) == "train"], probs["oof"]
        else:
            pages = [p for p in paste_render.pasted_pages("readability") if readability_half(p["id"]) == which]
            table = probs["eval"]
        out = {}
        for p in pages:
            if p["id"] in table and (only is None or p["id"] in only):
                given.current = table[p["id"]]
                if decode is not None and decode[1] is not None:
                    c = decode[1][p["id"]] if isinstance(decode[1], dict) else decode[1]
                    pagedecode.SEGMENT_T, pagedecode.SEGMENT_LO, pagedecode.SEGMENT_HI = c[:3]
                    # a gap-grid setting (t, lo, hi, G); a three-value one is one run
                    pagedecode.SEGMENT_GAP_PENALTY = c[3] if len(c) > 3 else None
                    # a viterbi-grid setting (t, lo, hi, None, vt, switch): session 6d's Viterbi pass
                    pagedecode.VITERBI_T, pagedecode.VITERBI_SWITCH = (c[4], c[5]) if len(c) > 5 else (0.5, None)
                if doubt is not None:     # session 8e: the rule and its level for this page
                    lv = doubt[1].get(p["id"]) if isinstance(doubt[1], dict) else doubt[1]
                    pagedecode.DOUBT_RULE, pagedecode.DOUBT_LEVEL = (None, 0.5) if lv is None else (doubt[0], lv)
                out[p["id"]] = prf(clean_text(p["pasted"]), gold_article(p["text"]))[2]
        return out
    finally:
        (pagemodel.load_model, pagemodel.related_runs, pagemodel._BYLINE_LINE, pagemodel._WHEN,
         clean_mod.PAGE_TITLE_ONLY_IS_TEXT, pagemodel.PAGE_REPEATED_BLOCKS, pagemodel.REPEAT_BLOCK_MIN_LINES,
         pagemodel.REPEAT_BLOCK_MIN_WORDS, pagedecode.DECODE,
         (pagedecode.SEGMENT_T, pagedecode.SEGMENT_LO, pagedecode.SEGMENT_HI, pagedecode.SEGMENT_GAP_PENALTY),
             (pagedecode.VITERBI_T, pagedecode.VITERBI_SWITCH), (pagedecode.DOUBT_RULE, pagedecode.DOUBT_LEVEL)) = saved


REPEAT_GRID_LINES = (2, 3, 4, 6)
REPEAT_GRID_WORDS = (1, 5, 8, 12)


def repeat_grid(probs: dict, base: dict) -> None:
    """The repeated-block rule's (K, W) grid on the Dragnet training pages, out of fold."""
    loose = (min(REPEAT_GRID_LINES), min(REPEAT_GRID_WORDS))
    ids = list(probs["oof"])                  # train_paste's order: fold = position % 4
    fold = {k: n % 4 for n, k in enumerate(ids)}
    fired = pipeline(probs, "dragnet", [], repeat_block=loose)
    touched = {k for k in fired if abs(fired[k] - base[k]) > 1e-12}
    print(f"pages the loosest setting {loose} changes: {len(touched)}")
    res = {}
    for k_ in REPEAT_GRID_LINES:
        for w in REPEAT_GRID_WORDS:
            f = (fired if (k_, w) == loose else pipeline(probs, "dragnet", [], repeat_block=(k_, w), only=touched))
            res[k_, w] = {k: (f[k] if k in touched else base[k]) for k in base}
            d = {k: res[k_, w][k] for k in base}
            print(f"K={k_} W={w}: changed {sum(abs(d[k] - base[k]) > 1e-12 for k in base)} pages; "
                  + paired(base, d))
    nested = {}
    for f_ in range(4):
        def score(cfg):
            return sum(res[cfg][k] - base[k] for k in base if fold[k] != f_)
        best = max(res, key=lambda c: (round(score(c), 6), c[0], c[1]))   # ties: the stricter setting
        best = best if score(best) > 0 else None
        print(f"fold {f_}: chosen on the other three {best}")
        nested.update({k: (res[best][k] if best else base[k]) for k in base if fold[k] == f_})
    print("nested by fold: " + paired(base, nested))


SEGMENT_T_GRID = (0.3, 0.4, 0.5)          # rounds 1-2; round 3's R1 adds 0.1-0.25 (--t-grid)
SEGMENT_LO_GRID = (0.1, 0.2, 0.3, 0.4, 0.5)
SEGMENT_HI_GRID = (0.0, 0.7, 0.8, 0.9, 0.95)


def segment_settings(ts=SEGMENT_T_GRID):
    return [(t, lo, hi) for t in ts for lo in SEGMENT_LO_GRID for hi in SEGMENT_HI_GRID]


SEGMENT_GRID = segment_settings()
SHIPPED_SEGMENT = (0.5, 0.5, 0.0)     # lo 0.5 / hi 0: the shipped keep_mask itself


def segment_grid(probs: dict, base_how: str = "threshold", min_tokens: float = 0.0, grid=None) -> dict:
    """Contiguous-body decoding's (t, lo, hi) grid on the line-level harness F1 (no sure rules),
    out of fold on the Dragnet training pages; the setting chosen by nested CV over train_paste's
    four folds (on three, applied to the fourth) and on all four. Returns {page id: setting}
    (each page its fold's choice) and, under "all", the choice on all four folds."""
    import cv_paste
    import numpy as np
    from newsgist.reading import pagedecode
    from newsgist.reading.pagemodel import keep_mask
    grid = SEGMENT_GRID if grid is None else grid
    grid = list(grid) + ([SHIPPED_SEGMENT] if SHIPPED_SEGMENT not in grid else [])   # the baseline of every gain
    ids = list(probs["oof"])
    fold = {k: n % 4 for n, k in enumerate(ids)}
    pages = {p.id: p for p in cv_paste.load_sets()["dragnet"]}
    f1 = {}
    for k in ids:
        pg, pr = pages[k], probs["oof"][k]
        w = [len(t) for t in pg.line_tokens]
        base = pagedecode.decode(pr, w, keep_mask(pr, 0.5, 0.5), base_how)
        w = np.asarray(w, dtype=float)
        f1[k] = {c: cv_paste.f1_of(pg, pagedecode.segment_mask(pr, w, base, *c, min_tokens)) for c in grid}
    # the fewest changes first on a tie: larger lo, smaller hi, larger t
    def pick(keys):
        tot = {c: round(sum(f1[k][c] - f1[k][SHIPPED_SEGMENT] for k in keys), 6) for c in grid}
        best = max(grid, key=lambda c: (tot[c], c[1], -c[2], c[0]))
        return best if tot[best] > 0 else SHIPPED_SEGMENT
    for c in grid:
        d = {k: f1[k][c] for k in ids}
        print(f"t={c[0]} lo={c[1]} hi={c[2]}: " + paired({k: f1[k][SHIPPED_SEGMENT] for k in ids}, d))
    out = {}
    for f_ in range(4):
        c = pick([k for k in ids if fold[k] != f_])
        print(f"fold {f_}: chosen on the other three {c}")
        out.update({k: c for k in ids if fold[k] == f_})
    print("nested by fold (line level): " + paired({k: f1[k][SHIPPED_SEGMENT] for k in ids},
                                                   {k: f1[k][out[k]] for k in ids}))
    out["all"] = pick(ids)
    print(f"chosen on all four folds: {out['all']}")
    return out


GAP_GRID = (0.0, 2.0, 5.0, 10.0, 20.0, 40.0, None)   # round 3's R2; None: one run


def gap_grid(probs: dict, state: dict, min_tokens: float) -> dict:
    """Round 3's R2: the gap penalty G of two body runs on the line-level harness F1, out of fold
    on the Dragnet training pages. ``state``: a segment-grid --out file (each page its fold's
    (t, lo, hi), and "all"). Fold f's G is chosen on the other three folds' pages with fold f's
    (t, lo, hi); ties to the larger G; no gain over one run keeps one run. Returns {page id:
    (t, lo, hi, G)} and "all"."""
    import cv_paste
    import numpy as np
    from newsgist.reading import pagedecode
    from newsgist.reading.pagemodel import keep_mask
    ids = list(probs["oof"])
    fold = {k: n % 4 for n, k in enumerate(ids)}
    pages = {p.id: p for p in cv_paste.load_sets()["dragnet"]}
    per_fold = {f_: tuple(state[next(k for k in ids if fold[k] == f_)]) for f_ in range(4)}
    settings = sorted(set(per_fold.values()) | {tuple(state["all"])})
    f1 = {}
    for k in ids:
        pg, pr = pages[k], probs["oof"][k]
        w = np.asarray([len(t) for t in pg.line_tokens], dtype=float)
        base = keep_mask(pr, 0.5, 0.5)
        f1[k] = {(c, g): cv_paste.f1_of(pg, pagedecode.segment_mask(pr, w, base, *c, min_tokens, g))
                 for c in settings for g in GAP_GRID}
    order = {g: n for n, g in enumerate(GAP_GRID)}   # ties: the larger G (None, one run, largest)

    def pick(keys, c):
        tot = {g: round(sum(f1[k][c, g] - f1[k][c, None] for k in keys), 6) for g in GAP_GRID}
        best = max(GAP_GRID, key=lambda g: (tot[g], order[g]))
        return best if tot[best] > 0 else None
    for c in settings:
        for g in GAP_GRID:
            print(f"(t, lo, hi) {c} G={g}: " + paired({k: f1[k][c, None] for k in ids}, {k: f1[k][c, g] for k in ids}))
    out = {}
    for f_ in range(4):
        c = per_fold[f_]
        g = pick([k for k in ids if fold[k] != f_], c)
        print(f"fold {f_}: (t, lo, hi) {c}, G chosen on the other three {g}")
        out.update({k: (*c, g) for k in ids if fold[k] == f_})
    print("nested by fold (line level): " + paired({k: f1[k][out[k][:3], None] for k in ids},
                                                   {k: f1[k][out[k][:3], out[k][3]] for k in ids}))
    c = tuple(state["all"])
    out["all"] = (*c, pick(ids, c))
    print(f"chosen on all four folds: {out['all']}")
    return out


VITERBI_T_GRID = (0.3, 0.4, 0.5)                # session 6d
VITERBI_SWITCH_GRID = (0.0, 1.0, 2.0, 5.0, 10.0, 20.0)


def viterbi_grid(probs: dict, state: dict) -> dict:
    """Session 6d: the Viterbi pass after the segment decoding, (t, switch) on the line-level
    harness F1 out of fold; fold f keeps ``state``'s (t, lo, hi) for fold f (a segment-grid --out
    file) and takes (t, switch) chosen on the other three folds (ties: larger t, then smaller
    switch; no gain over (0.5, 0), the shipped decision, keeps it). Returns {page id: (t, lo, hi,
    None, vt, switch)} and "all"."""
    import cv_paste
    import numpy as np
    from newsgist.reading import pagedecode
    from newsgist.reading.pagemodel import keep_mask
    ids = list(probs["oof"])
    fold = {k: n % 4 for n, k in enumerate(ids)}
    pages = {p.id: p for p in cv_paste.load_sets()["dragnet"]}
    per_fold = {f_: tuple(state[next(k for k in ids if fold[k] == f_)])[:3] for f_ in range(4)}
    settings = sorted(set(per_fold.values()) | {tuple(state["all"])[:3]})
    grid = [(t, s) for t in VITERBI_T_GRID for s in VITERBI_SWITCH_GRID]
    f1 = {}
    for k in ids:
        pg, pr = pages[k], np.asarray(probs["oof"][k], dtype=float)
        w = np.asarray([len(t) for t in pg.line_tokens], dtype=float)
        for c in settings:
            seg = pagedecode.segment_mask(pr, w, keep_mask(pr, 0.5, 0.5), *c, pagedecode.SEGMENT_MIN_TOKENS)
            for v in grid:
                f1[k, c, v] = cv_paste.f1_of(pg, pagedecode.viterbi_after(pr, w, seg, v[0], v[1], c))

    def pick(keys, c):
        tot = {v: round(sum(f1[k, c, v] - f1[k, c, (0.5, 0.0)] for k in keys), 6) for v in grid}
        best = max(grid, key=lambda v: (tot[v], v[0], -v[1]))
        return best if tot[best] > 0 else (0.5, 0.0)
    for c in settings:
        for v in grid:
            print(f"segment {c} viterbi t={v[0]} switch={v[1]}: "
                  + paired({k: f1[k, c, (0.5, 0.0)] for k in ids}, {k: f1[k, c, v] for k in ids}))
    out = {}
    for f_ in range(4):
        c = per_fold[f_]
        v = pick([k for k in ids if fold[k] != f_], c)
        print(f"fold {f_}: segment {c}, (t, switch) chosen on the other three {v}")
        out.update({k: (*c, None, *v) for k in ids if fold[k] == f_})
    print("nested by fold (line level): " + paired({k: f1[k, out[k][:3], (0.5, 0.0)] for k in ids},
                                                   {k: f1[k, out[k][:3], out[k][4:]] for k in ids}))
    c = tuple(state["all"])[:3]
    out["all"] = (*c, None, *pick(ids, c))
    print(f"chosen on all four folds: {out['all']}")
    return out


def costly_lines(probs: dict, top: int) -> list:
    """Session 7b: (cost, "FP" / "FN", page id, line, probability, tokens, text) of every kept
    furniture line and dropped article line of the Dragnet training pages after
    ``pagemodel.page_furniture`` with the given out-of-fold probabilities (the decode as the module
    constants stand); the cost is the page F1 gained were that one line flipped. Prints the
    ``top`` costliest of each kind and the totals."""
    import cv_paste
    import numpy as np
    from newsgist.reading import pagemodel
    from newsgist.reading.pagelines import page_lines, worded_lines
    given = _Given()
    saved = pagemodel.load_model
    pagemodel.load_model = lambda: given
    rows = []
    try:
        for p in cv_paste.load_sets()["dragnet"]:
            given.current = probs["oof"][p.id]
            allines = page_lines(p.pasted)
            _, idx = worded_lines(p.pasted, allines)
            fur = pagemodel.page_furniture(p.pasted, allines) or {}
            keep = np.array([i not in fur for i in idx])
            y = p.y > 0.5
            g = sum(p.score_ref.values())
            hyp = Counter(t for toks, k in zip(p.line_tokens, keep) if k for t in toks)

            def f1(h):
                n = sum(h.values())
                return 2 * sum((h & p.score_ref).values()) / (n + g) if n + g else 0.0
            f0 = f1(hyp)
            for j in range(len(idx)):
                if keep[j] != y[j]:
                    flipped = hyp - Counter(p.line_tokens[j]) if keep[j] else hyp + Counter(p.line_tokens[j])
                    rows.append((f1(flipped) - f0, "FP" if keep[j] else "FN", p.id, j,
                                 float(given.current[j]), len(p.line_tokens[j]),
                                 p.pasted[p.lines[j][0]:p.lines[j][1]]))
    finally:
        pagemodel.load_model = saved
    rows.sort(key=lambda r: -r[0])
    for kind in ("FP", "FN"):
        mine = [r for r in rows if r[1] == kind]
        print(f"{kind}: {len(mine)} lines, {sum(r[0] for r in mine):.1f} page-units")
        for r in mine[:top]:
            print(f"  {r[0]:.3f} {r[2]} L{r[3]} p={r[4]:.2f} w={r[5]} | {r[6][:120]!r}")
    return rows


def paired(a: dict, b: dict) -> str:
    from cv_paste import paired_diff
    keys, d, m, se = paired_diff(a, b)
    return (f"n={len(keys)}  {sum(a[k] for k in keys) / len(keys):.4f} -> {sum(b[k] for k in keys) / len(keys):.4f}"
            f"  diff {m:+.4f} (SE {se:.4f}); better / worse by > 0.005: {sum(x > 0.005 for x in d)} / "
            f"{sum(x < -0.005 for x in d)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", nargs="?", choices=("modes", "pipeline", "repeat-grid", "segment-grid",
                                                     "gap-grid", "viterbi-grid", "lines"))
    ap.add_argument("--top", type=int, default=40, help="lines: how many of each kind to print")
    ap.add_argument("--decode", choices=("threshold", "expected-f1", "segment", "expected-f1+segment"),
                    help="pipeline: the page decoding (pagedecode.DECODE)")
    ap.add_argument("--segment-min-tokens", type=float, default=None,
                    help="pagedecode.SEGMENT_MIN_TOKENS for segment-grid and pipeline (default: the module's)")
    ap.add_argument("--segment", help="pipeline: t,lo,hi[,G], or a segment-grid / gap-grid --out file (each page "
                    "its fold's); gap-grid: the segment-grid --out file it builds on")
    ap.add_argument("--caption-byline", action="store_true",
                    help="pipeline: session 6c's candidate on (pagedecode.CAPTION_POST_KEEPS_BYLINE)")
    ap.add_argument("--doubt", help="pipeline: session 8e's rule on pages the model doubts, RULE,LEVEL (head or "
                    "floor) or RULE,FILE (a cv_doubt.py --out file: each page its fold's level)")
    ap.add_argument("--prose-rule", action="store_true",
                    help="pipeline / lines: session 7b's candidate TR on (pageprose.PROSE_RULE: bio and site-about lines)")
    ap.add_argument("--t-grid", help="segment-grid: the t values, comma-separated (default: rounds 1-2's 0.3,0.4,0.5)")
    ap.add_argument("--base", type=Path, help="repeat-grid: the rule-off per-page F1s (pipeline --out)")
    ap.add_argument("--thread-rule", choices=("cr3", "voice", "voice2"),
                    help="pipeline: a thread rule on (pagemodel.THREAD_RULE): session 8's CR3 or session 9c's VT / VT2")
    ap.add_argument("--repeat-block", help="K,W: switch the repeated-block rule on with these constants")
    ap.add_argument("probs", nargs="?", type=Path)
    ap.add_argument("--set", default="dragnet", choices=("dragnet", "A", "B"))
    ap.add_argument("--off", action="append", default=[], choices=("related", "byline", "when", "title-only"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--threshold", type=float, default=0.5, help="the configuration's tuned threshold (cv_paste prints it)")
    ap.add_argument("--relative", type=float, default=0.5)
    ap.add_argument("--paired", nargs=2, type=Path, metavar=("BASE", "CANDIDATE"))
    args = ap.parse_args(argv)
    if args.paired:
        print(paired(*(json.loads(p.read_text()) for p in args.paired)))
        return 0
    if args.what is None or args.probs is None:
        ap.error("give modes|pipeline and the probabilities file")
    with args.probs.open("rb") as fh:
        probs = pickle.load(fh)
    if args.what == "modes":
        modes(probs)
        return 0
    if args.what == "lines":       # session 7b's listing, with the decode --decode / --segment give
        from newsgist.reading import pagedecode, pageprose
        pageprose.PROSE_RULE = args.prose_rule
        if args.decode:
            pagedecode.DECODE = args.decode
        if args.segment:          # t,lo,hi or a segment-grid --out file (its all-fold choice)
            c = (json.loads(Path(args.segment).read_text())["all"] if Path(args.segment).exists()
                 else [float(x) for x in args.segment.split(",")])
            pagedecode.SEGMENT_T, pagedecode.SEGMENT_LO, pagedecode.SEGMENT_HI = c[:3]
        if args.segment_min_tokens is not None:
            pagedecode.SEGMENT_MIN_TOKENS = args.segment_min_tokens
        costly_lines(probs, args.top)
        return 0
    if args.what == "segment-grid":
        from newsgist.reading import pagedecode
        ts = tuple(float(x) for x in args.t_grid.split(",")) if args.t_grid else SEGMENT_T_GRID
        res = segment_grid(probs, args.decode or "threshold", pagedecode.SEGMENT_MIN_TOKENS
                           if args.segment_min_tokens is None else args.segment_min_tokens, segment_settings(ts))
        if args.out:
            args.out.write_text(json.dumps(res) + "\n")
        return 0
    if args.what == "gap-grid":
        from newsgist.reading import pagedecode
        res = gap_grid(probs, json.loads(Path(args.segment).read_text()), pagedecode.SEGMENT_MIN_TOKENS
                       if args.segment_min_tokens is None else args.segment_min_tokens)
        if args.out:
            args.out.write_text(json.dumps(res) + "\n")
        return 0
    if args.what == "viterbi-grid":
        res = viterbi_grid(probs, json.loads(Path(args.segment).read_text()))
        if args.out:
            args.out.write_text(json.dumps(res) + "\n")
        return 0
    if args.what == "repeat-grid":
        repeat_grid(probs, json.loads(args.base.read_text()))
        return 0
    rb = tuple(int(x) for x in args.repeat_block.split(",")) if args.repeat_block else None
    consts = None
    if args.segment:
        if Path(args.segment).exists():
            consts = {k: tuple(v) for k, v in json.loads(Path(args.segment).read_text()).items()}
            consts = consts if args.set == "dragnet" else consts["all"]
        else:
            consts = tuple(float(x) for x in args.segment.split(","))
            consts = consts if len(consts) == 3 else (*consts[:3], None if consts[3] < 0 else consts[3])
    decode = (args.decode, consts) if args.decode else None
    if args.segment_min_tokens is not None:
        from newsgist.reading import pagedecode
        pagedecode.SEGMENT_MIN_TOKENS = args.segment_min_tokens
    if args.caption_byline:
        from newsgist.reading import pagedecode
        pagedecode.CAPTION_POST_KEEPS_BYLINE = True
    if args.prose_rule:
        from newsgist.reading import pageprose
        pageprose.PROSE_RULE = True
    if args.thread_rule:      # session 9c: the rule inside page_furniture, exactly as the product runs it
        from newsgist.reading import pagemodel
        pagemodel.THREAD_RULE = True if args.thread_rule == "cr3" else args.thread_rule
    doubt = None
    if args.doubt:
        rule, level = args.doubt.split(",", 1)
        if rule not in ("head", "floor"):
            ap.error(f"--doubt: the rule is head or floor, not {rule!r}")
        if Path(level).exists():
            chosen = json.loads(Path(level).read_text())
            doubt = (rule, chosen["pages"] if args.set == "dragnet" else chosen["all"])
        else:
            doubt = (rule, float(level))
    res = pipeline(probs, args.set, args.off, args.threshold, args.relative, repeat_block=rb, decode=decode,
                   doubt=doubt)
    print(f"pipeline, {args.set}, off {args.off or 'nothing'}: {len(res)} pages, mean F1 "
          f"{sum(res.values()) / max(len(res), 1):.4f}")
    if args.out:
        args.out.write_text(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
