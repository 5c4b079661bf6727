"""Training of the page model's recurrent stage (issue 31, session 7c; library code).

:mod:`newsgist.reading.pageseq` runs a one-layer bidirectional GRU over a pasted page's
lines; this trains it with torch (CPU, one thread, fixed seed) and writes its weights as the
JSON dict :class:`newsgist.reading.pageseq.SeqModel` reads. Torch is needed only here (the
``/work/torchvenv`` interpreter, ``torch==2.13.0`` CPU; never a run-time dependency). Its
inputs for a training page are that page's **out-of-fold** stage-1 and stage-2 log-odds (from
tree stages that never saw the page, as stage 2 reads stage 1's), so the GRU learns from
the log-odds it will meet at run time on a page the trees never saw.

Constants registered in BENCHMARKS.md ("Issue 31, session 7c") before any result.
"""
from __future__ import annotations

HIDDEN = 24            # hidden units a direction
EPOCHS = 20            # passes over the training pages (fixed: no early stopping)
BATCH_PAGES = 16       # pages a batch (pages sorted by length, then cut into batches)
LEARNING_RATE = 0.005  # Adam
CLIP_NORM = 1.0        # gradient norm clip
SEED = 0
STD_FLOOR = 1e-6       # a constant input column is divided by 1, not by 0
# Regularisation (session 7f; benchmark options, off in the shipped net): dropout on the
# standardised input columns during training (0: no dropout layer, no random draw) and Adam's
# L2 weight decay (0: Adam exactly as session 7c trained it).
DROPOUT = 0.0
WEIGHT_DECAY = 0.0
# The shipped GRU part (session 7g, candidate E): three nets, torch seeds 0-2, each with session
# 7f's R1 constants; the reader averages their probabilities. Registered in BENCHMARKS.md.
ENSEMBLE_SEEDS = (0, 1, 2)
ENSEMBLE = {"epochs": 10, "dropout": 0.2, "weight_decay": 1e-4}
# The line-feature columns the GRU reads besides the two stages' log-odds (session 8, candidate W;
# registered in BENCHMARKS.md, "Issue 31, session 8"): "own" = pageseq.SEQ_FEATURES (31 own-line
# columns, the shipped nets since 7c); "context" = those + every page-context column of
# pagelines.FEATURE_NAMES that is not a ±k neighbour-window column (53; the recurrence reads the
# neighbours); "all" = every pagelines.FEATURE_NAMES column, in its order (113, what the trees read).
# ``cv_pageseq.py --features`` picks one for a benchmark; ``train_paste.py --seq`` trains FEATURES.
FEATURE_SETS = ("own", "context", "all")
FEATURES = "own"


def feature_names(name: str = FEATURES) -> tuple:
    """The column names (of ``pagelines.FEATURE_NAMES``) of the feature set ``name`` (:data:`FEATURE_SETS`)."""
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pageseq import SEQ_FEATURES
    if name == "own":
        return tuple(SEQ_FEATURES)
    if name == "context":
        return tuple(SEQ_FEATURES) + tuple(n for n in FEATURE_NAMES if "@" not in n and n not in SEQ_FEATURES)
    if name == "all":
        return tuple(FEATURE_NAMES)
    raise ValueError(f"unknown GRU feature set {name!r} (one of {', '.join(FEATURE_SETS)})")

# The line's words as GRU input columns (session 8b, candidate X; :mod:`newsgist.reading.pagewords`
# spec, or None: off, the nets read what session 7g's read). Registered in BENCHMARKS.md.
WORDS = None
# Session 9e's candidate H (registered in BENCHMARKS.md, "Issue 31, session 9e"): the nets also read
# pagestart's article-start columns, scored by start trees stored in the page-seq file. False: the
# shipped nets read no start columns (their file is session 7g's); True only once H has passed its rule.
START = False
START_SEED = 0          # the start trees' LightGBM seed (train_paste.fit, one thread), as cv_pagestart.py


def start_targets(ys) -> list:
    """Each page's start target: 1 on its first article line, 0 elsewhere (all 0 without one)."""
    import numpy as np
    out = []
    for y in ys:
        y = np.asarray(y, dtype=np.float64)
        t = np.zeros(len(y))
        hit = np.flatnonzero(y > 0.5)
        if len(hit):
            t[hit[0]] = 1.0
        out.append(t)
    return out


def fit_start(rows, ys, seed: int = START_SEED) -> dict:
    """The start trees (a TreeEnsemble dict, leaf values rounded as the page-lines file's) fit on the
    pages' start rows (``pagestart.start_rows``, one array a page) and line labels ``ys``."""
    import numpy as np
    from newsgist.evaluation.train_paste import _round, fit, trees_of
    return _round(trees_of(fit(np.vstack(rows), np.concatenate(start_targets(ys)), seed, 1)))


def start_scores_oof(rows, ys, folds: int, seed: int = START_SEED) -> list:
    """Each page's start scores from start trees that never saw it (page i in fold i % ``folds``, the
    page-lines trees' folds): the nets' training inputs, as the GRU reads stage 2's log-odds."""
    from newsgist.trees import TreeEnsemble
    out = [None] * len(rows)
    for f in range(folds):
        tr = [i for i in range(len(rows)) if i % folds != f]
        t = TreeEnsemble.from_dict(fit_start([rows[i] for i in tr], [ys[i] for i in tr], seed))
        for i in range(len(rows)):
            if i % folds == f:
                out[i] = t.predict(rows[i])
    return out


def standardiser(Zs, raw: int = 0):
    """Column means and standard deviations over every line of ``Zs`` (a floor for constant columns);
    the last ``raw`` columns (session 8b's word columns) get mean 0 and scale 1: they enter as they are."""
    import numpy as np
    Z = np.vstack(Zs)
    mean, std = Z.mean(axis=0), Z.std(axis=0)
    std[std < STD_FLOOR] = 1.0
    if raw:
        mean[-raw:], std[-raw:] = 0.0, 1.0
    return mean, std


def batches(lengths, size: int = BATCH_PAGES) -> list[list[int]]:
    """Page indices in batches of ``size`` pages of similar length (sorted by length, ties by index)."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    return [order[k:k + size] for k in range(0, len(order), size)]


def fit(Zs, ys, features, mix: str = "gru", seed: int = SEED, epochs: int = EPOCHS, hidden: int = HIDDEN,
        log=None, dropout: float = DROPOUT, weight_decay: float = WEIGHT_DECAY, words: dict | None = None,
        page_weights=None, weights_name: str = "site",
        start: bool = False) -> dict:
    """Train the GRU on pages' input rows ``Zs`` (:func:`newsgist.reading.pageseq.seq_inputs`) and line
    labels ``ys``; the JSON dict of :class:`newsgist.reading.pageseq.SeqModel`. ``features``: the
    names of the feature columns in ``Zs`` after the two log-odds. ``dropout``: the share of input
    values zeroed (and the rest scaled up) in training only; ``weight_decay``: Adam's L2 term.
    Both 0 (the defaults): the net of session 7c, draw for draw. ``words``: a
    :mod:`newsgist.reading.pagewords` spec whose columns end each row of ``Zs`` (``seq_inputs``'
    ``words``); they are not standardised and the spec is written into the net's dict (session 8b).
    ``page_weights`` (session 9, candidate A; None: off, the loss as before): one weight a page, every
    line of the page that weight, scaled to mean 1 over all the training lines
    (``train_paste.fit_line_weights``; ``weights_name``, what the info calls them: ``"site"`` or
    session 11's ``"modern"``); a batch's loss is then the sum of its lines' weighted losses
    over its number of lines (the same as before when every weight is 1).
    ``start``: the rows end with :mod:`newsgist.reading.pagestart`'s four columns (standardised as
    the others; session 9e's candidate H, a benchmark option); the dict records them."""
    import numpy as np
    import torch
    from torch import nn
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    log = log or (lambda m: None)
    if words is not None:
        from newsgist.reading import pagewords
        words = pagewords.check_spec(words)
        if start:
            raise ValueError("word columns and start columns together are not built (the word columns end the rows)")
    mean, std = standardiser(Zs, pagewords.width(words) if words is not None else 0)
    S = [torch.tensor((Z - mean) / std, dtype=torch.float32) for Z in Zs]
    Y = [torch.tensor(np.asarray(y), dtype=torch.float32) for y in ys]
    lengths = [len(y) for y in ys]
    W = None
    if page_weights is not None:
        from newsgist.evaluation.train_paste import fit_line_weights
        if len(page_weights) != len(ys):
            raise ValueError(f"{len(page_weights)} page weights for {len(ys)} pages")
        w = fit_line_weights(lengths, page_weights)
        cuts = np.cumsum([0] + lengths)
        W = [torch.tensor(w[a:b], dtype=torch.float32) for a, b in zip(cuts[:-1], cuts[1:])]
    gru = nn.GRU(S[0].shape[1], hidden, batch_first=True, bidirectional=True)
    out = nn.Linear(2 * hidden, 1)
    params = list(gru.parameters()) + list(out.parameters())
    if not 0.0 <= dropout < 1.0 or weight_decay < 0.0:
        raise ValueError(f"dropout must be in [0, 1) and weight decay >= 0 (got {dropout}, {weight_decay})")
    opt = torch.optim.Adam(params, lr=LEARNING_RATE, weight_decay=weight_decay)
    groups = batches(lengths)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        total, count = 0.0, 0
        for b in torch.randperm(len(groups), generator=gen).tolist():
            idx = groups[b]
            lens = torch.tensor([lengths[i] for i in idx])
            x = nn.utils.rnn.pad_sequence([S[i] for i in idx], batch_first=True)
            if dropout > 0.0:
                x = nn.functional.dropout(x, p=dropout, training=True)
            y = nn.utils.rnn.pad_sequence([Y[i] for i in idx], batch_first=True)
            mask = (torch.arange(x.shape[1])[None, :] < lens[:, None]).float()
            h, _ = pad_packed_sequence(gru(pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False))[0],
                                       batch_first=True, total_length=x.shape[1])
            logit = out(h).squeeze(-1)
            loss_all = nn.functional.binary_cross_entropy_with_logits(logit, y, reduction="none")
            if W is not None:    # site-balanced (candidate A): padded lines weigh 0 as the mask does
                wb = nn.utils.rnn.pad_sequence([W[i] for i in idx], batch_first=True)
                loss = (loss_all * wb * mask).sum() / mask.sum()
            else:
                loss = (loss_all * mask).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, CLIP_NORM)
            opt.step()
            total += float(loss.detach()) * float(mask.sum())
            count += int(mask.sum())
        log(f"    epoch {epoch + 1}/{epochs}: training loss {total / count:.4f}")
    info = {"seed": seed, "epochs": epochs, "hidden": hidden, "batch_pages": BATCH_PAGES,
            "learning_rate": LEARNING_RATE, "clip_norm": CLIP_NORM, "pages": len(Zs), "lines": int(sum(lengths))}
    if dropout:       # recorded only when on, so an unregularised net's file is session 7c's
        info["dropout"] = dropout
    if weight_decay:
        info["weight_decay"] = weight_decay
    if page_weights is not None:
        info["page_weights"] = weights_name
    d = to_dict(gru, out, mean, std, features, mix, info)
    if words is not None:
        d["words"] = words
    if start:
        from newsgist.reading.pagestart import START_NAMES
        d["start"] = {"columns": list(START_NAMES)}
    return d


def fit_nets(Zs, ys, features, seeds, mix: str = "mean", log=None, **kw) -> dict:
    """Several nets (:func:`fit`, one a torch seed of ``seeds``, ``kw`` the same for each) as one
    page-seq dict whose ``nets`` list the reader runs in one pass, its GRU part the mean of the
    nets' probabilities (session 7g)."""
    nets = []
    for seed in seeds:
        (log or (lambda m: None))(f"  net of seed {seed}")
        net = fit(Zs, ys, features, mix=mix, seed=seed, log=log, **kw)
        nets.append({k: v for k, v in net.items() if k not in ("kind", "version", "mix")})
    return {"kind": "newsgist-page-seq", "version": 2, "mix": mix, "nets": nets}


def pair(seq: dict, trees: dict) -> dict:
    """``seq`` (a page-seq dict) stamped with the fingerprint of the page-lines trees it was
    trained beside (``trees_sha1``; the loader refuses another pair: session 7e)."""
    from newsgist.reading.pageseq import trees_fingerprint
    return {**seq, "trees_sha1": trees_fingerprint(trees)}


def to_dict(gru, out, mean, std, features, mix: str = "gru", info: dict | None = None) -> dict:
    """A torch ``nn.GRU`` (one layer, bidirectional) and ``nn.Linear`` head as a page-seq dict."""
    def arr(t):
        return t.detach().double().numpy().tolist()
    d = {"kind": "newsgist-page-seq", "version": 1, "features": list(features), "mix": mix,
         "mean": [float(v) for v in mean], "std": [float(v) for v in std]}
    for key, sfx in (("forward", ""), ("backward", "_reverse")):
        d[key] = {"w_ih": arr(getattr(gru, f"weight_ih_l0{sfx}")), "w_hh": arr(getattr(gru, f"weight_hh_l0{sfx}")),
                  "b_ih": arr(getattr(gru, f"bias_ih_l0{sfx}")), "b_hh": arr(getattr(gru, f"bias_hh_l0{sfx}"))}
    d["out_w"] = arr(out.weight[0])
    d["out_b"] = float(out.bias[0].detach())
    d["info"] = dict(info or {})
    return d
