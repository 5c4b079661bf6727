"""Frozen pretrained word vectors as input columns of the page model's GRU stage (issue 31,
session 9b, candidate V; scheme ``"vec"`` of :mod:`newsgist.reading.pagewords`).

Session 8b's hashed bag of words (scheme ``"bag"``) let the GRUs learn a word embedding from our
labels: it helped on outlets never seen (site folds) but lost on Readability's pages, as if the
learned embedding kept Dragnet's vocabulary. Here the words enter through a **frozen** table of
pretrained semantic vectors that no label ever touched: ``models/page-wordvec.npz``, distilled by
``benchmarks/make_wordvec.py`` from the sentence encoder all-MiniLM-L6-v2 (Apache-2.0; each
whole-word vocabulary entry encoded alone by the full model, PCA to 32 dimensions, float16;
provenance and licence in the file's ``meta``). Only the GRU's input weights on these columns are
learned (a linear map of the vectors, under the training's input dropout and weight decay).

A line's columns: its lower-cased alphabetic tokens (``pagewords``' tokens, the first ``cap`` of
them), accents stripped as the encoder's uncased tokenizer strips them (NFD, combining marks
dropped; only for a non-ASCII token), each looked up as a whole word; the **mean** of the vectors
of the tokens found (unknown tokens skipped); a line with no known token reads zeros. The table is
read with numpy (``np.load(allow_pickle=False)``), once a process, and checked against the sha1
of its content that the net's spec records.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
TABLE = "page-wordvec.npz"          # built by benchmarks/make_wordvec.py (not in the package: no shipped net reads it)
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}\.npz")
_SHA1 = re.compile(r"[0-9a-f]{40}")
MAX_DIMS = 1024


def content_sha1(vectors, vocab_bytes: bytes) -> str:
    """The fingerprint of a table: sha1 of its float16 vectors' bytes (C order), a NUL, its vocabulary's
    UTF-8 bytes (newline-joined), so the zip container's own bytes (dates) do not matter."""
    import numpy as np
    h = hashlib.sha1(np.ascontiguousarray(vectors, dtype=np.float16).tobytes())
    h.update(b"\0")
    h.update(vocab_bytes)
    return h.hexdigest()


def check_name(name) -> str:
    """``name`` if it is a plain ``.npz`` file name (no directory part), else ValueError."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name.startswith("."):
        raise ValueError(f"page-seq word table {name!r} is not a plain .npz file name"[:200])
    return name


@lru_cache(maxsize=4)
def load_table(name: str, sha1: str | None = None):
    """``(index, vectors, meta)`` of the table ``name`` in the models folder: ``index`` word -> row,
    ``vectors`` a float64 array (words x dims), ``meta`` its metadata dict. ValueError (or OSError)
    when it is not a word table or its content's sha1 is not ``sha1`` (when given)."""
    import numpy as np
    path = MODELS_DIR / check_name(name)
    with np.load(path, allow_pickle=False) as z:
        if set(z.files) != {"vectors", "vocab", "meta"}:
            raise ValueError(f"word table {name} holds {sorted(z.files)}, not vectors, vocab, meta")
        vectors, vocab_bytes, meta = z["vectors"], z["vocab"].tobytes(), json.loads(z["meta"].tobytes())
    if vectors.dtype != np.float16 or vectors.ndim != 2 or not 1 <= vectors.shape[1] <= MAX_DIMS:
        raise ValueError(f"word table {name}'s vectors are {vectors.dtype} {vectors.shape}, not float16 words x dims")
    words = vocab_bytes.decode("utf-8").split("\n")
    if len(words) != len(vectors) or len(set(words)) != len(words):
        raise ValueError(f"word table {name} has {len(words)} words (distinct: {len(set(words))}) for {len(vectors)} vectors")
    if sha1 is not None and content_sha1(vectors, vocab_bytes) != sha1:
        raise ValueError(f"word table {name}'s content is not the one the model was trained with (sha1 {sha1[:12]}...)")
    V = vectors.astype(np.float64)
    if not np.isfinite(V).all():
        raise ValueError(f"word table {name} holds a non-finite value")
    return {w: i for i, w in enumerate(words)}, V, meta


def check_spec(spec: dict) -> dict:
    """A ``vec`` spec's keys checked (``pagewords.check_spec`` dispatches here) and its table loaded
    once, so a missing or altered table fails when the model is read, not on a page."""
    want = {"scheme", "table", "sha1", "dims", "cap"}
    if set(spec) != want:
        raise ValueError(f"page-seq words spec has keys {sorted(spec)}, not {sorted(want)}")
    if not isinstance(spec["sha1"], str) or not _SHA1.fullmatch(spec["sha1"]):
        raise ValueError("page-seq words sha1 is not 40 lower-case hex digits")
    for key, top in (("dims", MAX_DIMS), ("cap", 1000)):
        v = spec[key]
        if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= top:
            raise ValueError(f"page-seq words {key} must be an integer in 1..{top} (got {v!r})"[:200])
    _, V, _ = load_table(check_name(spec["table"]), spec["sha1"])
    if V.shape[1] != spec["dims"]:
        raise ValueError(f"word table {spec['table']} has {V.shape[1]} dims, the spec {spec['dims']}")
    return {k: spec[k] for k in ("scheme", "table", "sha1", "dims", "cap")}


def shipped_spec(cap: int, name: str = TABLE) -> dict:
    """The spec of the table ``name`` (default: ``TABLE`` in ``models/``, built by ``make_wordvec.py``) with ``cap`` tokens a line."""
    import numpy as np
    with np.load(MODELS_DIR / check_name(name), allow_pickle=False) as z:
        vectors, vocab_bytes = z["vectors"], z["vocab"].tobytes()
    return check_spec({"scheme": "vec", "table": name, "sha1": content_sha1(vectors, vocab_bytes),
                       "dims": int(vectors.shape[1]), "cap": cap})


def fold(token: str) -> str:
    """``token`` (lower case) as the uncased encoder spells it: accents stripped (NFD, combining marks dropped)."""
    if token.isascii():
        return token
    return "".join(c for c in unicodedata.normalize("NFD", token) if unicodedata.category(c) != "Mn")


def vec_columns(token_lists, spec: dict):
    """The ``len(token_lists)`` x dims columns: for each line's tokens (lower-cased, at most ``cap``),
    the mean of the table vectors of the tokens found; zeros where none is found."""
    import numpy as np
    index, V, _ = load_table(spec["table"], spec["sha1"])
    n, D = len(token_lists), V.shape[1]
    out = np.zeros((n, D))
    rows, idx = [], []
    seen: dict[str, int] = {}
    for i, toks in enumerate(token_lists):
        for t in toks:
            j = seen.get(t)
            if j is None:
                j = seen[t] = index.get(fold(t), -1)
            if j >= 0:
                rows.append(i)
                idx.append(j)
    if not idx:
        return out
    r = np.asarray(rows, dtype=np.int64)
    counts = np.bincount(r, minlength=n)
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    sums = np.add.reduceat(V[np.asarray(idx, dtype=np.int64)], starts, axis=0)
    lines = r[starts]
    out[lines] = sums / counts[lines][:, None]
    return out

