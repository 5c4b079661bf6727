"""A recurrent stage over a pasted page's lines (issue 31, session 7c; candidate G, off).

The page model's two tree stages (:mod:`newsgist.reading.pagemodel`) see a line's neighbours
through fixed windows (±3 lines of features, ±3 lines and window means of the first stage's
log-odds). This stage reads the page's whole line sequence in both directions, as neural
boilerplate removal does over a page's text blocks: a one-layer bidirectional GRU over, for
each line, the first and second stages' log-odds and a few of the line's own features
(:data:`SEQ_FEATURES`), then a logistic output per line. The network is trained with torch
(``newsgist.evaluation.train_pageseq``, out of fold like stage 2); here it runs in numpy: the
input projections of all lines in one product, then one small matrix-vector step a line in
each direction, so the cost is linear in the lines.

The weights live in a JSON file (``models/page-seq.json`` when shipped; :func:`load_seq`
returns None when it is absent, and the page model then uses stage 2 alone). ``MIX`` says
how the GRU's probability and stage 2's are combined: ``"gru"`` (the GRU's alone) or
``"mean"`` (the mean of the two probabilities).
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

SEQ_PATH = Path(__file__).resolve().parents[1] / "models" / "page-seq.json"
# The line's own features the GRU reads besides the two stages' log-odds (columns of
# pagelines.FEATURE_NAMES): every own-line shape column, the line's place on the page, and
# the comment marks of the line itself (the neighbour and window columns are left out: the
# recurrence reads the neighbours). Registered in BENCHMARKS.md ("Issue 31, session 7c")
# before any result.
SEQ_FEATURES = ("words", "log_chars", "terminal", "sent_stops", "stop_share", "cap_share", "allcaps_share",
                "digit_share", "furn_share", "furn_any", "separators", "byline", "date", "copyright",
                "comma_rate", "quote", "repeat", "ends_colon", "starts_lower", "urlish", "mean_word_len",
                "blank_before", "blank_after", "prose", "rel_line", "in_core", "comments_head", "comment_mark",
                "cs_name_stamp", "cs_personal_rate", "cs_end_qe")
# The stages' log-odds enter clipped to this size (a sure line's 14 and 30 read alike).
LOGIT_CLIP = 10.0
# A page of more lines than this is read in pieces of this many lines, each piece on its
# own (a named cap: the GRU's state carries no further; the Dragnet pages have at most 2,091).
MAX_SEQ_LINES = 20000


def seq_inputs(X, raw1, raw2, columns):
    """The GRU's input rows: stage 1's and stage 2's log-odds (clipped), then ``columns`` of ``X``."""
    import numpy as np
    r1 = np.clip(np.asarray(raw1, dtype=np.float64), -LOGIT_CLIP, LOGIT_CLIP)
    r2 = np.clip(np.asarray(raw2, dtype=np.float64), -LOGIT_CLIP, LOGIT_CLIP)
    return np.column_stack([r1, r2, np.asarray(X, dtype=np.float64)[:, list(columns)]]) if len(r1) else \
        np.zeros((0, 2 + len(columns)))


def _sigmoid(x):
    import numpy as np
    return 0.5 * (1.0 + np.tanh(0.5 * x))     # = 1 / (1 + exp(-x)), without overflow


def gru_direction(G, w_hh, b_hh, reverse: bool = False):
    """Hidden states of one GRU direction (torch's gate order r, z, n). ``G``: the input
    projections ``x @ W_ih.T + b_ih`` of every line (n x 3H); returns n x H."""
    import numpy as np
    n = len(G)
    H = w_hh.shape[1]
    out = np.zeros((n, H))
    h = np.zeros(H)
    order = range(n - 1, -1, -1) if reverse else range(n)
    w_rz, w_n = w_hh[:2 * H].T.copy(), w_hh[2 * H:].T.copy()
    b_rz, b_n = b_hh[:2 * H], b_hh[2 * H:]
    for t in order:
        g = G[t]
        rz = _sigmoid(g[:2 * H] + h @ w_rz + b_rz)
        r, z = rz[:H], rz[H:]
        cand = np.tanh(g[2 * H:] + r * (h @ w_n + b_n))
        h = (1.0 - z) * cand + z * h
        out[t] = h
    return out


class SeqModel:
    """The GRU stage of a page-seq JSON dict (:meth:`to_dict`'s keys)."""

    def __init__(self, d: dict):
        import numpy as np
        from newsgist.reading.pagelines import FEATURE_NAMES
        if d.get("kind") != "newsgist-page-seq":
            raise ValueError("not a page-seq model")
        names = list(FEATURE_NAMES)
        missing = [c for c in d["features"] if c not in names]
        if missing:
            raise ValueError(f"page-seq model reads features this version lacks: {missing}")
        self.columns = [names.index(c) for c in d["features"]]
        self.mix = d.get("mix", "gru")
        if self.mix not in ("gru", "mean"):
            raise ValueError(f"unknown page-seq mix {self.mix!r}")
        self.mean = np.asarray(d["mean"], dtype=np.float64)
        self.std = np.asarray(d["std"], dtype=np.float64)
        self.dirs = []
        for key in ("forward", "backward"):
            w = d[key]
            self.dirs.append(tuple(np.asarray(w[k], dtype=np.float64) for k in ("w_ih", "w_hh", "b_ih", "b_hh")))
        self.out_w = np.asarray(d["out_w"], dtype=np.float64)
        self.out_b = float(d["out_b"])
        if len(self.mean) != 2 + len(self.columns) or self.dirs[0][0].shape[1] != len(self.mean):
            raise ValueError("page-seq model's input size does not match its features")

    def logits(self, Z):
        """The GRU's output log-odds for input rows ``Z`` (:func:`seq_inputs`, not yet standardised)."""
        import numpy as np
        n = len(Z)
        if n == 0:
            return np.zeros(0)
        if n > MAX_SEQ_LINES:
            return np.concatenate([self.logits(Z[k:k + MAX_SEQ_LINES]) for k in range(0, n, MAX_SEQ_LINES)])
        S = (Z - self.mean) / self.std
        hs = []
        for (w_ih, w_hh, b_ih, b_hh), rev in zip(self.dirs, (False, True)):
            hs.append(gru_direction(S @ w_ih.T + b_ih, w_hh, b_hh, reverse=rev))
        return np.hstack(hs) @ self.out_w + self.out_b

    def probabilities(self, X, raw1, raw2):
        """The line probabilities after this stage (``MIX``: the GRU's, or its mean with stage 2's)."""
        p = _sigmoid(self.logits(seq_inputs(X, raw1, raw2, self.columns)))
        return 0.5 * (p + _sigmoid(raw2)) if self.mix == "mean" else p


@lru_cache(maxsize=4)
def _load(path: str) -> SeqModel | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return SeqModel(json.load(fh))
    except (OSError, ValueError, KeyError):
        return None


def load_seq() -> SeqModel | None:
    """The shipped GRU stage (or ``NEWSGIST_PAGE_SEQ``'s file); None when absent or unreadable:
    the page model then decides from stage 2 alone."""
    return _load(os.environ.get("NEWSGIST_PAGE_SEQ") or str(SEQ_PATH))
