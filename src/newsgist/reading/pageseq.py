"""A recurrent stage over a pasted page's lines (issue 31, session 7c; candidate G-mean, shipped).

The page model's two tree stages (:mod:`newsgist.reading.pagemodel`) see a line's neighbours
through fixed windows (±3 lines of features, ±3 lines and window means of the first stage's
log-odds). This stage reads the page's whole line sequence in both directions, as neural
boilerplate removal does over a page's text blocks: a one-layer bidirectional GRU over, for
each line, the first and second stages' log-odds and a few of the line's own features
(:data:`SEQ_FEATURES`), then a logistic output per line. The network is trained with torch
(``newsgist.evaluation.train_pageseq``, out of fold like stage 2); here it runs in numpy: the
input projections of all lines in one product, then one small step a line that advances
both directions at once (:func:`bigru`), so the cost is linear in the lines.

The weights live in a JSON file (``models/page-seq.json``, written by ``python
benchmarks/train_paste.py --seq``; :func:`load_seq` returns None when it is absent, and the
page model then uses stage 2 alone). The GRU reads the trees' log-odds, so it belongs to the
trees it was trained beside: its file records their fingerprint (``trees_sha1``,
:func:`trees_fingerprint`) and :func:`load_seq_for` refuses another pair (session 7e). The file's ``mix`` says how the GRU's probability and
stage 2's are combined: ``"mean"`` (the mean of the two probabilities: shipped, it passed the
registered rule, out of fold +0.0052 with SE 0.0019 on the 1,100 Dragnet training pages) or
``"gru"`` (the GRU's alone: it lost, -0.0067; BENCHMARKS.md, "Issue 31, session 7c").

Since session 7g the file may hold several nets (``"nets"``: a list of per-net dicts, one
``mix`` and ``trees_sha1`` for the file): the GRU part is then the mean of the nets'
probabilities, all nets run in one block-diagonal pass (:func:`bigru_nets`); a single-net file
(session 7c's layout) reads as before.

Since session 8b a net's dict may carry a ``words`` spec (:mod:`newsgist.reading.pagewords`):
its input rows then end with a hashed bag of the line's words (:func:`seq_inputs` builds them
for training and reading alike, from the lines' texts, which :meth:`SeqModel.probabilities`
then needs); a net without the spec reads exactly as before and never reads the texts.
"""
from __future__ import annotations

import hashlib
import json
import os
import logging
from functools import lru_cache
from pathlib import Path

from newsgist.errors import ModelError
from newsgist.reading import pagewords

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
# A standardised input that is infinite enters as this (a guard; the features are finite).
INPUT_CLIP = 50.0


def seq_inputs(X, raw1, raw2, columns, texts=None, words=None):
    """The GRU's input rows: stage 1's and stage 2's log-odds (clipped), then ``columns`` of ``X``;
    with a ``words`` spec (session 8b, :mod:`newsgist.reading.pagewords`), then the word columns
    of the lines ``texts`` (one a row). Training and the reader both build their rows here."""
    import numpy as np
    r1 = np.clip(np.asarray(raw1, dtype=np.float64), -LOGIT_CLIP, LOGIT_CLIP)
    r2 = np.clip(np.asarray(raw2, dtype=np.float64), -LOGIT_CLIP, LOGIT_CLIP)
    Z = np.column_stack([r1, r2, np.asarray(X, dtype=np.float64)[:, list(columns)]]) if len(r1) else \
        np.zeros((0, 2 + len(columns)))
    if words is None:
        return Z
    if texts is None or len(texts) != len(Z):
        raise ValueError("this GRU reads the lines' words: give the lines' texts, one a row")
    return np.hstack([Z, pagewords.word_columns(texts, words)])


def _start_spec(spec) -> tuple:
    """The article-start columns a net's dict names (``{"columns": pagestart.START_NAMES}``), or ()."""
    if spec is None:
        return ()
    from newsgist.reading.pagestart import START_NAMES
    if not isinstance(spec, dict) or tuple(spec.get("columns", ())) != START_NAMES:
        raise ValueError("page-seq model's start columns are not this version's")
    return START_NAMES


def _start_trees(spec):
    """The start trees of a page-seq dict's ``start`` entry (``"trees"``: a TreeEnsemble dict), or None."""
    if not isinstance(spec, dict) or "trees" not in spec:
        return None
    from newsgist.trees import TreeEnsemble
    return TreeEnsemble.from_dict(spec["trees"])


def _sigmoid(x):
    import numpy as np
    return 0.5 * (1.0 + np.tanh(0.5 * x))     # = 1 / (1 + exp(-x)), without overflow


def gru_direction(G, w_hh, b_hh, reverse: bool = False):
    """Hidden states of one GRU direction (torch's gate order r, z, n). ``G``: the input
    projections ``x @ W_ih.T + b_ih`` of every line (n x 3H); returns n x H. The reference
    form of :func:`bigru` (the tests hold the two equal)."""
    import numpy as np
    n = len(G)
    H = w_hh.shape[1]
    out = np.zeros((n, H))
    h = np.zeros(H)
    for t in (range(n - 1, -1, -1) if reverse else range(n)):
        hh = w_hh @ h + b_hh
        r, z = _sigmoid(G[t, :H] + hh[:H]), _sigmoid(G[t, H:2 * H] + hh[H:2 * H])
        cand = np.tanh(G[t, 2 * H:] + r * hh[2 * H:])
        h = (1.0 - z) * cand + z * h
        out[t] = h
    return out


def bigru(Gf, Gb, wf, bf, wb, bb):
    """Both directions of a bidirectional GRU in one pass (n x 2H: forward states, then backward
    ones): step t advances the forward state at line t and the backward state at line n-1-t with
    one block-diagonal product, so a line costs a handful of small numpy operations. ``Gf``,
    ``Gb``: each direction's input projections (n x 3H); ``w*``, ``b*``: its ``W_hh`` and ``b_hh``."""
    return bigru_nets([Gf], [Gb], [wf], [bf], [wb], [bb])[0]


def bigru_nets(Gfs, Gbs, wfs, bfs, wbs, bbs):
    """K bidirectional GRUs of one hidden size in one pass (session 7g): :func:`bigru` of each net
    (a list of K n x 2H arrays), with 2K blocks (net k's forward, net k's backward) in one
    block-diagonal product a line, so K nets cost far less than K passes."""
    import numpy as np
    n, H3 = Gfs[0].shape
    H = H3 // 3
    M = 2 * len(Gfs) * H              # the state's width
    # columns in gate-major order: r of every block, then z, then n (the sigmoid gates first)
    G = np.empty((n, 3 * M))
    W = np.zeros((M, 3 * M))
    b = np.empty(3 * M)
    for k in range(len(Gfs)):
        for j, (Gx, w, bias) in ((2 * k, (Gfs[k], wfs[k], bfs[k])), (2 * k + 1, (Gbs[k][::-1], wbs[k], bbs[k]))):
            for g in range(3):
                cols = slice(g * M + j * H, g * M + (j + 1) * H)
                G[:, cols] = Gx[:, g * H:(g + 1) * H]
                W[j * H:(j + 1) * H, cols] = w[g * H:(g + 1) * H].T
                b[cols] = bias[g * H:(g + 1) * H]
    out = np.empty((n, M))
    h = np.zeros(M)
    hh = np.empty(3 * M)
    rz = np.empty(2 * M)
    cand = np.empty(M)
    G[:, :2 * M] *= 0.5          # sigmoid(x) = (1 + tanh(x / 2)) / 2: the halves taken once
    W[:, :2 * M] *= 0.5
    b[:2 * M] *= 0.5
    r, z, hn = rz[:M], rz[M:], hh[2 * M:]
    for t in range(n):
        np.dot(h, W, out=hh)
        hh += b
        np.add(G[t, :2 * M], hh[:2 * M], out=rz)
        np.tanh(rz, out=rz)
        rz += 1.0
        rz *= 0.5
        np.multiply(r, hn, out=cand)
        cand += G[t, 2 * M:]
        np.tanh(cand, out=cand)
        h -= cand                 # h' = (1 - z) * cand + z * h = cand + z * (h - cand)
        h *= z
        h += cand
        out[t] = h
    return [np.hstack([out[:, 2 * k * H:(2 * k + 1) * H], out[::-1, (2 * k + 1) * H:(2 * k + 2) * H]])
            for k in range(len(Gfs))]


class SeqModel:
    """The GRU stage of a page-seq JSON dict (:meth:`to_dict`'s keys)."""

    def __init__(self, d: dict):
        import numpy as np
        from newsgist.reading.pagelines import FEATURE_NAMES
        if d.get("kind") != "newsgist-page-seq":
            raise ValueError("not a page-seq model")
        if "nets" in d:       # several nets (session 7g): the GRU part is the mean of their probabilities
            nets = d["nets"]
            if not isinstance(nets, list) or not nets:
                raise ValueError("page-seq model's nets is not a non-empty list")
            self.nets = [SeqModel({**net, "kind": d["kind"], "mix": d["mix"]}) for net in nets]
            first = self.nets[0]
            if any(m.columns != first.columns or m.out_w.shape != first.out_w.shape or m.words != first.words
                   or m.start != first.start for m in self.nets):
                raise ValueError("page-seq model's nets differ in features, words or hidden size")
            self.columns, self.mix, self.trees_sha1 = first.columns, first.mix, d.get("trees_sha1")
            self.words, self.start = first.words, first.start
            self.start_trees = _start_trees(d.get("start")) if self.start else None
            if self.start and self.start_trees is None:     # refused at load, not on every page (review, session 9)
                raise ValueError("page-seq model's nets read article-start columns but the file holds no start trees")
            return
        self.nets = [self]
        names = list(FEATURE_NAMES)
        missing = [c for c in d["features"] if c not in names]
        if missing:
            raise ValueError(f"page-seq model reads features this version lacks: {missing}")
        self.columns = [names.index(c) for c in d["features"]]
        self.mix = d["mix"]              # required: no default for how the two stages combine
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
        self.trees_sha1 = d.get("trees_sha1")     # the trees it was trained beside (session 7e)
        # the line's words as input columns (session 8b): only where the net's dict says so
        self.words = pagewords.check_spec(d["words"]) if "words" in d else None
        # the article-start columns (session 9e, candidate H, pagestart.py): only where the dict says so
        self.start = _start_spec(d.get("start"))
        self.start_trees = _start_trees(d.get("start"))
        D = 2 + len(self.columns) + (pagewords.width(self.words) if self.words else 0) + len(self.start)
        H = len(self.out_w) // 2
        want = {"mean": (D,), "std": (D,), "out_w": (2 * H,)}
        for key, arr in (("mean", self.mean), ("std", self.std), ("out_w", self.out_w)):
            if arr.shape != want[key]:
                raise ValueError(f"page-seq model's {key} has shape {arr.shape}, not {want[key]}")
        for w_ih, w_hh, b_ih, b_hh in self.dirs:     # every weight's shape, so a bad file fails here, not per page
            if (H == 0 or w_ih.shape != (3 * H, D) or w_hh.shape != (3 * H, H) or b_ih.shape != (3 * H,)
                    or b_hh.shape != (3 * H,)):
                raise ValueError("page-seq model's weights do not match its features and hidden size")
        arrays = [self.mean, self.std, self.out_w, np.asarray(self.out_b)] + [a for w in self.dirs for a in w]
        if not all(np.isfinite(a).all() for a in arrays) or not (self.std > 0).all():
            raise ValueError("page-seq model holds a non-finite weight or a zero scale")

    def net_logits(self, Z):
        """Each net's output log-odds for input rows ``Z`` (:func:`seq_inputs`, not yet
        standardised): a list, one array a net, all nets run in one pass (:func:`bigru_nets`)."""
        import numpy as np
        n = len(Z)
        if n == 0:
            return [np.zeros(0) for _ in self.nets]
        if n > MAX_SEQ_LINES:
            pieces = [self.net_logits(Z[k:k + MAX_SEQ_LINES]) for k in range(0, n, MAX_SEQ_LINES)]
            return [np.concatenate([piece[i] for piece in pieces]) for i in range(len(self.nets))]
        # a NaN would run down the whole page both ways: it reads as the training mean (features
        # are finite today; this is a guard), an infinity as a large value
        S = [np.nan_to_num((Z - m.mean) / m.std, nan=0.0, posinf=INPUT_CLIP, neginf=-INPUT_CLIP) for m in self.nets]
        hs = bigru_nets([s @ m.dirs[0][0].T + m.dirs[0][2] for s, m in zip(S, self.nets)],
                        [s @ m.dirs[1][0].T + m.dirs[1][2] for s, m in zip(S, self.nets)],
                        [m.dirs[0][1] for m in self.nets], [m.dirs[0][3] for m in self.nets],
                        [m.dirs[1][1] for m in self.nets], [m.dirs[1][3] for m in self.nets])
        return [h @ m.out_w + m.out_b for h, m in zip(hs, self.nets)]

    def logits(self, Z):
        """A single-net model's output log-odds for input rows ``Z`` (:meth:`net_logits`)."""
        if len(self.nets) != 1:
            raise ValueError("logits() reads a single-net model; use net_logits()")
        return self.net_logits(Z)[0]

    def gru_probabilities(self, Z):
        """The GRU part's line probabilities: one net's, or the mean of several nets' probabilities."""
        import numpy as np
        ls = self.net_logits(Z)
        return _sigmoid(ls[0]) if len(ls) == 1 else np.mean([_sigmoid(x) for x in ls], axis=0)

    def logits_reference(self, Z):
        """:meth:`logits` one direction at a time (:func:`gru_direction`), for the tests."""
        import numpy as np
        S = (Z - self.mean) / self.std
        hs = [gru_direction(S @ w_ih.T + b_ih, w_hh, b_hh, reverse=rev)
              for (w_ih, w_hh, b_ih, b_hh), rev in zip(self.dirs, (False, True))]
        return np.hstack(hs) @ self.out_w + self.out_b if len(Z) else np.zeros(0)

    def probabilities(self, X, raw1, raw2, texts=None, rows2=None):
        """The line probabilities after this stage (``MIX``: the GRU's, or its mean with stage 2's);
        ``texts``, the lines' texts, are read only by a net with a ``words`` spec; ``rows2``, the
        stage-2 rows, only by nets with article-start columns (session 9e: the file's start trees
        score them, :mod:`newsgist.reading.pagestart`)."""
        import numpy as np
        Z = seq_inputs(X, raw1, raw2, self.columns, texts, self.words)
        if self.start:
            if self.start_trees is None or rows2 is None:
                raise ValueError("this page-seq net reads article-start columns: its file has no start trees "
                                 "(a benchmark net) or no stage-2 rows were given")
            from newsgist.reading.pagestart import start_columns, start_rows
            Z = np.hstack([Z, start_columns(self.start_trees.predict(start_rows(rows2, raw2)))])
        p = self.gru_probabilities(Z)
        return 0.5 * (p + _sigmoid(raw2)) if self.mix == "mean" else p


@lru_cache(maxsize=4)
def _load(path: str) -> SeqModel | None:
    """The GRU stage of ``path``; None when there is no such file (the trees decide alone). A file
    that is there but cannot be read as a page-seq model raises :class:`ModelError` (a damaged
    install must not quietly lose a stage)."""
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            return SeqModel(json.load(fh))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ModelError(f"page-seq model {path} cannot be read: {exc}"[:300]) from None


def load_seq() -> SeqModel | None:
    """The shipped GRU stage (or ``NEWSGIST_PAGE_SEQ``'s file); None when absent (the page model
    then decides from stage 2 alone); :class:`ModelError` when there but unreadable. No pairing check: :func:`load_seq_for`."""
    return _load(os.environ.get("NEWSGIST_PAGE_SEQ") or str(SEQ_PATH))


def trees_fingerprint(trees: dict) -> str:
    """The fingerprint of a page-lines model (the dict of ``page-lines.json``) that a GRU file
    records as ``trees_sha1``: the sha1 of its two tree stages as canonical JSON (sorted keys, no
    spaces), so a threshold, an ``info`` note or the file's layout may change without it."""
    canon = json.dumps({"stage1": trees["stage1"], "stage2": trees["stage2"]}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(canon.encode("utf-8")).hexdigest()


def load_seq_for(fingerprint: str, trees_shipped: bool = True) -> SeqModel | None:
    """The GRU stage for the trees of ``fingerprint`` (session 7e), or None (stage 2 alone).

    A GRU file whose ``trees_sha1`` is not ``fingerprint`` (or is missing) was trained beside
    other trees and would read log-odds it never learnt. When the trees are not the shipped file
    (``NEWSGIST_PAGE_MODEL``'s, or a dict built in code: ``trees_shipped`` False) and the GRU is
    the shipped one (no ``NEWSGIST_PAGE_SEQ``), the GRU is left out with a warning: an experiment
    on the trees alone. Otherwise (the shipped pair, or a GRU file named by ``NEWSGIST_PAGE_SEQ``)
    the pair is refused with :class:`ModelError`: retrain both (``train_paste.py --seq``) or
    remove the GRU file."""
    named = os.environ.get("NEWSGIST_PAGE_SEQ")
    path = named or str(SEQ_PATH)
    seq = _load(path)
    problem = None if seq is None else pair_mismatch(seq, fingerprint, path)
    if not problem:
        return seq
    if not trees_shipped and not named:
        _warn_once(f"newsgist: these page-lines trees (NEWSGIST_PAGE_MODEL's, or built in code) are not the "
                   f"ones {path} was trained beside; the page model runs without its GRU stage")
        return None
    raise ModelError(problem)


def pair_mismatch(seq: SeqModel, fingerprint: str, path: str, trees_path: str | None = None) -> str | None:
    """None when the GRU ``seq`` (read from ``path``) was trained beside the trees of ``fingerprint``
    (its ``trees_sha1``, session 7e); else the error's message. ``trees_path``: the trees are a page
    router's modern pair (``pageroute.load_pair``), named in the message. One check for both pairs."""
    if seq.trees_sha1 == fingerprint:
        return None
    if trees_path is not None:
        return (f"the router's modern page-seq model {path} was trained beside other page-lines "
                f"trees than {trees_path}: retrain both (benchmarks/train_paste.py --seq)")
    return (f"page-seq model {path} was trained beside other page-lines trees "
            f"(trees_sha1 {seq.trees_sha1 or 'missing'}, the trees' {fingerprint[:12]}...): "
            f"retrain both (benchmarks/train_paste.py --seq) or remove the GRU file")


@lru_cache(maxsize=8)
def _warn_once(message: str) -> None:
    """One line on stderr (the logging module's last-resort handler where none is set), once a process."""
    logging.getLogger(__name__).warning(message)
