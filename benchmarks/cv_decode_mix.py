"""Session 8c's candidates on the page model's existing out-of-fold probabilities (issue 31).

BENCHMARKS.md, "Issue 31, session 8c" registers both before any result:

- ``decode``, candidate D: the decode constants (keep_mask's threshold, the contiguous-body
  decoding's t / lo / hi, ``SEGMENT_MIN_TOKENS``) tuned **nested** on site folds (or page folds)
  on the line-level harness F1 (``cv_paste.f1_of``'s, computed here in one matrix product a page),
  each fold's pages decoded with the choice made on the other three; the per-page choices (and
  the all-pages choice under ``"all"``) are written to ``--out``, and ``--pipeline-out`` runs them
  through ``paste_failures.pipeline`` (the clean stage of ``newsgist text``);
- ``mix``, candidate M: a logistic regression on stage 2's log-odds, the GRU part's and stage 1's
  mean raw score, fitted nested the same way (Newton's method, :func:`fit_logistic`); writes the
  mixed probabilities in ``--dump-probs``' format (the ``eval`` part from the all-pages fit of
  ``--fit-all-from``'s inputs, for Readability half B), for ``paste_failures.py pipeline``.

No held-out page is read. Usage (``B=/tmp/ng31s8base``)::

    python benchmarks/cv_decode_mix.py decode $B/E-S/E-mean.pkl --site-folds $B/sites.json \\
        --out D-S.json --pipeline-out D-S-d.json
    python benchmarks/cv_decode_mix.py mix --stage2 $B/pG.pkl --gru $B/E-S/E-gru.pkl --site-folds $B/sites.json \\
        --out M-S.pkl
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

FOLDS = 4
THRESHOLD_GRID = (0.4, 0.5, 0.6)          # keep_mask's threshold (relative stays 0.5)
MIN_TOKENS_GRID = (10, 20, 40)           # SEGMENT_MIN_TOKENS
SHIPPED = (0.5, 0.3, 0.5, 0.9, 20)       # (threshold, t, lo, hi, min tokens): session 6's decode


def settings() -> list:
    from paste_failures import SEGMENT_HI_GRID, SEGMENT_LO_GRID, SEGMENT_T_GRID
    return [(th, t, lo, hi, mt) for th in THRESHOLD_GRID for t in SEGMENT_T_GRID for lo in SEGMENT_LO_GRID
            for hi in SEGMENT_HI_GRID for mt in MIN_TOKENS_GRID]


def tie_key(c):
    """Fewest changes first on a tie: threshold nearest 0.5, min tokens nearest 20, then session
    6's order (larger lo, smaller hi, larger t). Larger is preferred."""
    import math
    return (-abs(c[0] - SHIPPED[0]), -abs(math.log(c[4] / SHIPPED[4])), c[2], -c[3], c[1])


def fold_map(ids: list, sites: Path | None) -> dict:
    """Site folds (``cv_paste.site_fold_map``) or page folds (page i -> i % 4)."""
    import cv_paste
    if sites is not None:
        return cv_paste.site_fold_map(ids, json.loads(sites.read_text()), FOLDS)
    return {k: n % FOLDS for n, k in enumerate(ids)}


def page_f1s(page, prob, grid) -> "list[float]":
    """The line-level F1 (``cv_paste.f1_of``) of every decode setting of ``grid`` on one page."""
    import numpy as np
    from scipy import sparse
    from newsgist.reading.pagedecode import body_segment
    from newsgist.reading.pagemodel import keep_mask
    prob = np.asarray(prob, dtype=float)
    w = np.asarray([len(t) for t in page.line_tokens], dtype=float)
    vocab = {t: j for j, t in enumerate(page.score_ref)}
    rows, cols = [], []
    for i, toks in enumerate(page.line_tokens):
        for t in toks:
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
    C = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(prob), len(vocab)))
    gold = np.zeros(len(vocab))
    for t, n in page.score_ref.items():
        gold[vocab[t]] = n
    g = float(sum(page.score_ref.values()))
    base = {th: keep_mask(prob, th, 0.5) for th in THRESHOLD_GRID}
    spans = {}
    for t in sorted({c[1] for c in grid}):
        span = body_segment(prob, w, t)
        inside = np.zeros(len(prob), dtype=bool)
        if span is not None:
            inside[span[0]:span[1] + 1] = True
        spans[t] = (inside, float(w[inside].sum()) if span is not None else -1.0)
    masks, index, which = [], {}, []
    for th, t, lo, hi, mt in grid:
        inside, tok = spans[t]
        keep = base[th] if tok < 0 or tok < mt else (base[th] | (inside & (prob >= lo))) & (inside | (prob >= hi))
        key = keep.tobytes()
        if key not in index:
            index[key] = len(masks)
            masks.append(keep)
        which.append(index[key])
    K = sparse.csr_matrix(np.array(masks, dtype=float))
    hyp = (K @ C).toarray()
    ov = np.minimum(hyp, gold[None, :]).sum(axis=1)
    h = hyp.sum(axis=1)
    f = np.where(h + g > 0, 2.0 * ov / np.maximum(h + g, 1e-12), 0.0)
    return [float(f[j]) for j in which]


def decode_grid(probs: dict, folds: dict) -> dict:
    """Candidate D: {page id: fold's setting} chosen nested, and "all": the all-pages choice."""
    import cv_paste
    from newsgist.reading import pagedecode
    # the grid writes out segment_mask's final formula for speed: it holds only with sessions 6's
    # gap penalty and 6d's Viterbi pass off, as shipped (review, session 8)
    assert pagedecode.SEGMENT_GAP_PENALTY is None and pagedecode.VITERBI_SWITCH is None
    grid = settings()
    assert SHIPPED in grid
    s0 = grid.index(SHIPPED)
    pages = {p.id: p for p in cv_paste.load_sets()["dragnet"]}
    ids = [k for k in probs["oof"] if k in folds]
    f1 = {k: page_f1s(pages[k], probs["oof"][k], grid) for k in ids}

    def pick(keys):
        tot = [round(sum(f1[k][j] - f1[k][s0] for k in keys), 6) for j in range(len(grid))]
        j = max(range(len(grid)), key=lambda j: (tot[j], tie_key(grid[j])))
        return (grid[j] if tot[j] > 0 else SHIPPED), tot[j] / len(keys)
    out = {}
    for f in range(FOLDS):
        c, gain = pick([k for k in ids if folds[k] != f])
        print(f"fold {f}: chosen on the other three {c} (line-level gain there {gain:+.4f})")
        out.update({k: c for k in ids if folds[k] == f})
    j = {c: n for n, c in enumerate(grid)}
    d = [f1[k][j[out[k]]] - f1[k][s0] for k in ids]
    print(f"nested, line level: {sum(f1[k][s0] for k in ids) / len(ids):.4f} -> "
          f"{sum(f1[k][j[out[k]]] for k in ids) / len(ids):.4f} ({sum(d) / len(d):+.4f})")
    out["all"], gain = pick(ids)
    print(f"chosen on all pages: {out['all']} (line-level gain {gain:+.4f})")
    return out


def decode_pipeline(probs: dict, consts: dict, which: str = "dragnet") -> dict:
    """Per-page F1 of the pipeline, each page decoded with its setting (``which`` "B": "all")."""
    import paste_failures
    from newsgist.reading import pagedecode
    saved = pagedecode.SEGMENT_MIN_TOKENS
    groups: dict = {}
    if which == "dragnet":
        for k, c in consts.items():
            if k != "all":
                groups.setdefault(tuple(c), set()).add(k)
    else:
        groups[tuple(consts["all"])] = None
    out = {}
    try:
        for (th, t, lo, hi, mt), only in sorted(groups.items()):
            pagedecode.SEGMENT_MIN_TOKENS = mt
            out.update(paste_failures.pipeline(probs, which, [], threshold=th, relative=0.5, only=only,
                                               decode=("segment", (t, lo, hi))))
    finally:
        pagedecode.SEGMENT_MIN_TOKENS = saved
    return out


def logit(p):
    import numpy as np
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


def fit_logistic(X, y, l2: float = 1e-6, iters: int = 100, tol: float = 1e-10):
    """(weights, bias) of a logistic regression of ``y`` (labels in [0, 1]) on ``X`` by Newton's
    method from zero; ``l2`` on the weights only. Deterministic."""
    import numpy as np
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    A = np.hstack([X, np.ones((len(X), 1))])
    beta = np.zeros(A.shape[1])
    reg = np.full(A.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(A @ beta)))
        grad = A.T @ (p - y) + reg * beta
        H = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg)
        step = np.linalg.solve(H, grad)
        beta -= step
        if float(np.max(np.abs(step))) < tol:
            break
    return beta[:-1], float(beta[-1])


def mix_inputs(stage2: dict, gru: dict, raw1: list, ids: list, part: str = "oof") -> dict:
    """{page id: lines x 3 matrix of (logit stage 2, logit GRU part, stage-1 mean raw)}."""
    import numpy as np
    return {k: np.column_stack([logit(stage2[part][k]), logit(gru[part][k]), np.asarray(r, dtype=np.float64)])
            for k, r in zip(ids, raw1)}


def mix_nested(Z: dict, labels: dict, folds: dict) -> tuple[dict, list]:
    """Candidate M out of fold: fold f's lines mixed by the fit on the other three folds."""
    import numpy as np
    out, fits = {}, []
    for f in range(FOLDS):
        tr = [k for k in Z if folds[k] != f]
        w, b = fit_logistic(np.vstack([Z[k] for k in tr]), np.concatenate([labels[k] for k in tr]))
        fits.append((w, b))
        print(f"fold {f}: weights {np.round(w, 4).tolist()} bias {b:+.4f}")
        for k in Z:
            if folds[k] == f:
                out[k] = 1.0 / (1.0 + np.exp(-(Z[k] @ w + b)))
    return out, fits


def main(argv=None) -> int:
    import numpy as np
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("decode", "decode-apply", "mix"))
    ap.add_argument("probs", nargs="?", type=Path, help="decode: an out-of-fold --dump-probs file")
    ap.add_argument("--site-folds", type=Path, metavar="SITES_JSON", help="site folds (default: page folds)")
    ap.add_argument("--consts", type=Path, help="decode-apply: a decode --out file")
    ap.add_argument("--set", default="dragnet", choices=("dragnet", "B"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--pipeline-out", type=Path, help="decode: the per-page pipeline F1s of the nested choice")
    ap.add_argument("--stage2", type=Path, help="mix: stage 2's --dump-probs file")
    ap.add_argument("--gru", type=Path, help="mix: the GRU part's (pageseq_ensemble.py E-gru.pkl)")
    ap.add_argument("--eval-from", nargs=3, type=Path, metavar=("STAGE2", "GRU", "SITES_JSON"),
                    help="mix: the eval part (half B) by the all-pages fit on these site-fold inputs, "
                         "applied to --stage2's and --gru's eval parts (the page-fold run's all-pages models)")
    args = ap.parse_args(argv)
    if args.what == "decode":
        probs = pickle.loads(args.probs.read_bytes())
        consts = decode_grid(probs, fold_map(list(probs["oof"]), args.site_folds))
        if args.out:
            args.out.write_text(json.dumps(consts) + "\n")
        if args.pipeline_out:
            res = decode_pipeline(probs, consts)
            print(f"pipeline, nested: {len(res)} pages, mean F1 {sum(res.values()) / len(res):.4f}")
            args.pipeline_out.write_text(json.dumps(res) + "\n")
        return 0
    if args.what == "decode-apply":
        probs = pickle.loads(args.probs.read_bytes())
        res = decode_pipeline(probs, json.loads(args.consts.read_text()), args.set)
        print(f"pipeline, {args.set}: {len(res)} pages, mean F1 {sum(res.values()) / len(res):.4f}")
        if args.out:
            args.out.write_text(json.dumps(res) + "\n")
        return 0
    import cv_paste
    import cv_pageseq
    train = list(cv_paste.load_sets()["dragnet"])
    ids = [p.id for p in train]
    labels = {p.id: np.asarray(p.y, dtype=np.float64) for p in train}
    eids = [p.id for p in list(cv_paste.load_sets()["A"]) + list(cv_paste.load_sets()["B"])]

    def inputs(stage2_path, gru_path, site_folds, part="oof"):
        s2, g = (pickle.loads(Path(x).read_bytes()) for x in (stage2_path, gru_path))
        assert list(s2["oof"]) == ids, "stage-2 file's pages are not cv_paste's"
        tag = "-sitefolds" if site_folds else ""
        r_oof, r_eval = cv_pageseq.stage1_raw(cv_paste.WORK_COMMENT, len(train), len(eids), tag)
        if part == "oof":
            return mix_inputs(s2, g, r_oof, ids)
        keep = [(k, r) for k, r in zip(eids, r_eval) if k in g["eval"]]
        return mix_inputs(s2, g, [r for _, r in keep], [k for k, _ in keep], "eval")
    Z = inputs(args.stage2, args.gru, args.site_folds)
    out, _ = mix_nested(Z, labels, fold_map(ids, args.site_folds))
    res = {"oof": {k: out[k] for k in ids}, "eval": {}}
    if args.eval_from:
        Zs = inputs(args.eval_from[0], args.eval_from[1], args.eval_from[2])
        w, b = fit_logistic(np.vstack([Zs[k] for k in ids]), np.concatenate([labels[k] for k in ids]))
        print(f"all pages (product fit): weights {np.round(w, 6).tolist()} bias {b:+.6f}")
        Ze = inputs(args.stage2, args.gru, args.site_folds, "eval")
        res["eval"] = {k: 1.0 / (1.0 + np.exp(-(z @ w + b))) for k, z in Ze.items()}
    if args.out:
        args.out.write_bytes(pickle.dumps(res))
        print(f"wrote {args.out}: {len(res['oof'])} oof pages, {len(res['eval'])} eval pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
