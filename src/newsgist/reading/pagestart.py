"""Where the article starts: a page-wide anchor for the GRU stage (issue 31, session 9e, candidate H).

On outlets the model never saw, prose kept *before* the article (a blog's tagline, the author's
bio, a site describing itself) and caption posts whose title is lost under a sidebar hold about
30 % of the remaining loss (BENCHMARKS.md, "Issue 31, session 8c"). A line's own shape cannot
tell a tagline from a lede; its place relative to where the article starts can. Candidate H
learns that place: a tree model (the ``start`` trees, trained like stage 1 and stage 2, target
"this line is the page's first article line") scores every line, and four columns per line
describe the line against the page's best-scoring line (the *anchor*):

- ``start_gap``: the line's start score minus the anchor's (0 on the anchor, negative
  elsewhere; floored at ``-START_GAP_FLOOR``);
- ``start_dist``: the line's distance in lines from the anchor, signed (before < 0), divided
  by ``START_SCALE`` and clipped to [-1, 1];
- ``start_before``: 1 for a line above the anchor, else 0;
- ``start_conf``: the anchor's own start score (log-odds, clipped to ±``START_GAP_FLOOR``), the
  same on every line of the page: how sure the page's start is.

The start trees read the stage-2 rows (:func:`newsgist.reading.pagemodel.stage2_features`)
with stage 2's log-odds as one more column (:func:`start_rows`). The GRU reads the four columns
after its other inputs (:func:`newsgist.reading.pageseq.seq_inputs`). Constants registered in
BENCHMARKS.md ("Issue 31, session 9e") before any result; everything here is off unless a
page-seq file asks for it (a net's dict with a ``start`` entry). Linear in the page's lines.
"""
from __future__ import annotations

# The four columns, in the order the GRU reads them.
START_NAMES = ("start_gap", "start_dist", "start_before", "start_conf")
# A line scoring this far (log-odds) below the anchor reads as this far: a menu line's -25 and
# -12 read alike (fixed, not tuned).
START_GAP_FLOOR = 10.0
# Distances are in units of this many lines (a headline's byline, dek and first paragraphs lie
# within it; a blog's header and sidebar usually beyond it); fixed, not tuned.
START_SCALE = 20.0


def start_rows(rows2, raw2):
    """The start trees' input rows: the stage-2 rows ``rows2`` and stage 2's log-odds ``raw2``
    as one more column."""
    import numpy as np
    rows2 = np.asarray(rows2, dtype=np.float64)
    raw2 = np.asarray(raw2, dtype=np.float64).reshape(-1, 1)
    if len(rows2) != len(raw2):
        raise ValueError("start rows: stage-2 rows and log-odds differ in length")
    return np.hstack([rows2, raw2]) if len(raw2) else np.zeros((0, rows2.shape[1] + 1 if rows2.ndim == 2 else 1))


def anchor(scores) -> int:
    """The page's anchor: the line with the highest start score (the earliest on a tie); -1 for
    an empty page."""
    import numpy as np
    scores = np.asarray(scores, dtype=np.float64)
    return int(np.argmax(scores)) if len(scores) else -1


def start_columns(scores):
    """The four columns (:data:`START_NAMES`) of a page's lines from their start scores
    (log-odds, one a line): an ``(n, 4)`` array."""
    import numpy as np
    z = np.asarray(scores, dtype=np.float64)
    n = len(z)
    if n == 0:
        return np.zeros((0, len(START_NAMES)))
    z = np.where(np.isfinite(z), z, -START_GAP_FLOOR - 1.0)      # a guard: the trees give finite scores
    a = anchor(z)
    idx = np.arange(n, dtype=np.float64)
    gap = np.maximum(z - z[a], -START_GAP_FLOOR)
    dist = np.clip((idx - a) / START_SCALE, -1.0, 1.0)
    before = (idx < a).astype(np.float64)
    conf = np.full(n, float(np.clip(z[a], -START_GAP_FLOOR, START_GAP_FLOOR)))
    return np.column_stack([gap, dist, before, conf])
