"""Average several GRUs' out-of-fold probabilities per line, then mix with stage 2 (issue 31, session 7g).

Candidate E (BENCHMARKS.md, "Issue 31, session 7g"): the GRU part of G-mean is the mean of the
probabilities of several ``cv_pageseq.py`` runs (one a torch seed), each run's ``G-gru.pkl``;
G-mean is then the mean of that and the stage-2 probability of ``--stage2`` (the file those runs
read). Writes ``E-gru.pkl`` and ``E-mean.pkl`` in ``--dump-probs``' format, pages in the stage-2
file's order (``paste_failures.py`` reads page i's fold from its place)::

    python benchmarks/pageseq_ensemble.py --stage2 /tmp/ng31s7l/pG.pkl --out-dir /tmp/ng31s7g/E-S \\
        /tmp/ng31s7f/R1-S/G-gru.pkl /tmp/ng31s7g/R1-S-seed1/G-gru.pkl /tmp/ng31s7g/R1-S-seed2/G-gru.pkl
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path


def ensemble(grus: list, stage2: dict) -> tuple[dict, dict]:
    """(the GRUs' mean, its mean with stage 2), each ``{part: {id: probs}}`` in ``stage2``'s page order."""
    import numpy as np
    gru, mean = {}, {}
    for part in ("oof", "eval"):
        ids = [k for k in stage2.get(part, {}) if all(k in g.get(part, {}) for g in grus)]
        gru[part] = {k: np.mean([np.asarray(g[part][k], dtype=np.float64) for g in grus], axis=0) for k in ids}
        mean[part] = {k: 0.5 * (gru[part][k] + np.asarray(stage2[part][k], dtype=np.float64)) for k in ids}
    return gru, mean


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("grus", nargs="+", type=Path, help="cv_pageseq.py runs' G-gru.pkl files")
    ap.add_argument("--stage2", type=Path, required=True, help="the stage-2 --dump-probs file those runs read")
    ap.add_argument("--out-dir", type=Path, required=True)
    args = ap.parse_args(argv)
    grus = [pickle.loads(p.read_bytes()) for p in args.grus]
    stage2 = pickle.loads(args.stage2.read_bytes())
    n = {len(g["oof"]) for g in grus}
    if n != {len(stage2["oof"])}:
        raise SystemExit(f"the files cover different pages: {sorted(n)} against stage 2's {len(stage2['oof'])}")
    gru, mean = ensemble(grus, stage2)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, probs in (("E-gru", gru), ("E-mean", mean)):
        (args.out_dir / f"{name}.pkl").write_bytes(pickle.dumps(probs))
        print(f"wrote {args.out_dir / (name + '.pkl')}: {len(probs['oof'])} oof pages, {len(probs['eval'])} eval pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
