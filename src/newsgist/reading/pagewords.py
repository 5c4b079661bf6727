"""The line's words as input columns of the page model's GRU stage (issue 31, session 8b).

The GRU stage (:mod:`newsgist.reading.pageseq`) reads the two tree stages' log-odds and the
line's shape columns; no part of the page model reads the line's words except the fixed
furniture lists of :mod:`newsgist.reading.pagelines`. Furniture vocabulary ("share", "reply",
"posted", "subscribe", "related", "photo") is shared across outlets, so a GRU file may ask
for the words too: its nets' ``words`` spec (:func:`check_spec`) appends, after the shipped
input columns, a hashed bag of the line's words:

- a line's **tokens** are its lower-cased alphabetic runs (``[^\\W\\d_]+``: letters only, no
  digits), the first ``cap`` of them (a named cap: a 57 kB line costs no more than a short one);
- each token goes to bucket ``zlib.crc32(token as UTF-8) % buckets`` (a stable hash: the same
  bucket on every run and machine; Python's ``hash()`` is salted per process and never used);
- the **bag**: ``buckets`` columns, each the count of the line's tokens in that bucket divided by
  ``sqrt(n)`` (n: the tokens counted), so a line's bag has about unit length whatever its size;
  a line with no token reads zeros;
- scheme ``"bag+ends"`` adds two more sets of ``ends`` columns: the line's first token's bucket
  (``crc32 % ends``) set to 1 in the first set, its last token's in the second.

Scheme ``"vec"`` (session 9b, :mod:`newsgist.reading.pagewordvec`) reads the same tokens through
a frozen table of pretrained word vectors instead (the mean of the vectors found).

The GRU's input weights on these columns learn a word embedding; the training's input dropout
and weight decay regularise it (``newsgist.evaluation.train_pageseq.fit(words=...)``). The
columns enter unstandardised (the file's mean 0 and scale 1 for them). The cost is one regular
expression match and a dict lookup a token, linear in the page.
"""
from __future__ import annotations

import re
import zlib
from itertools import islice

_ALPHA = re.compile(r"[^\W\d_]+")
SCHEMES = ("bag", "bag+ends", "vec")       # "vec": frozen word vectors (session 9b, pagewordvec)
# Bounds of a spec's sizes (a file asking for more is refused: a damaged or hostile file must
# not make the reader allocate without bound).
MAX_BUCKETS = 1 << 16
MAX_CAP = 1000


def check_spec(spec) -> dict:
    """``spec`` (a GRU net's ``words`` entry) as a clean dict, or ValueError naming what is wrong:
    ``{"scheme": "bag", "hash": "crc32", "buckets": B, "cap": C}``, with ``"ends": E`` for
    ``"bag+ends"`` (and only there)."""
    if not isinstance(spec, dict):
        raise ValueError(f"page-seq words spec is not a dict: {spec!r}"[:200])
    scheme = spec.get("scheme")
    if scheme not in SCHEMES:
        raise ValueError(f"page-seq words scheme {scheme!r} is not one of {SCHEMES}")
    if scheme == "vec":
        from newsgist.reading import pagewordvec
        return pagewordvec.check_spec(spec)
    want = {"scheme", "hash", "buckets", "cap"} | ({"ends"} if scheme == "bag+ends" else set())
    if set(spec) != want:
        raise ValueError(f"page-seq words spec has keys {sorted(spec)}, not {sorted(want)}")
    if spec["hash"] != "crc32":
        raise ValueError(f"page-seq words hash {spec['hash']!r} is not 'crc32'")
    for key, top in (("buckets", MAX_BUCKETS), ("cap", MAX_CAP), ("ends", MAX_BUCKETS)):
        if key in want:
            v = spec[key]
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= top:
                raise ValueError(f"page-seq words {key} must be an integer in 1..{top} (got {v!r})"[:200])
    return {k: spec[k] for k in ("scheme", "hash", "buckets", "cap", "ends") if k in want}


def parse_spec(text: str) -> dict:
    """A spec from the command line: ``bag:BUCKETS:CAP``, ``bag+ends:BUCKETS:CAP:ENDS``, or ``vec:CAP``
    (session 9b: the word table ``pagewordvec.TABLE``, built by ``benchmarks/make_wordvec.py``; not in the package)."""
    parts = text.split(":")
    if parts[0] == "vec" and len(parts) == 2 and parts[1].isdigit():
        from newsgist.reading import pagewordvec
        return pagewordvec.shipped_spec(int(parts[1]))
    try:
        nums = [int(p) for p in parts[1:]]
    except ValueError:
        raise ValueError(f"bad words spec {text!r}: bag:BUCKETS:CAP, bag+ends:BUCKETS:CAP:ENDS or vec:CAP") from None
    if parts[0] == "bag" and len(nums) == 2:
        return check_spec({"scheme": "bag", "hash": "crc32", "buckets": nums[0], "cap": nums[1]})
    if parts[0] == "bag+ends" and len(nums) == 3:
        return check_spec({"scheme": "bag+ends", "hash": "crc32", "buckets": nums[0], "cap": nums[1], "ends": nums[2]})
    raise ValueError(f"bad words spec {text!r}: bag:BUCKETS:CAP, bag+ends:BUCKETS:CAP:ENDS or vec:CAP")


def width(spec: dict) -> int:
    """The number of columns ``spec`` appends."""
    if spec["scheme"] == "vec":
        return spec["dims"]
    return spec["buckets"] + (2 * spec["ends"] if spec["scheme"] == "bag+ends" else 0)


def bucket(token: str, buckets: int) -> int:
    """The stable bucket of ``token`` (already lower-cased) among ``buckets``."""
    return zlib.crc32(token.encode("utf-8")) % buckets


def line_tokens(line: str, cap: int) -> list[str]:
    """The first ``cap`` lower-cased alphabetic tokens of ``line``."""
    return [m.group().lower() for m in islice(_ALPHA.finditer(line), cap)]


def word_columns(texts, spec: dict):
    """The ``len(texts)`` x :func:`width` word columns of the lines ``texts`` (module docstring).
    The tokens' codes are gathered page-wide and summed with one ``bincount`` (in token order,
    as a loop adding ``1 / sqrt(n)`` a token would)."""
    import numpy as np
    if spec["scheme"] == "vec":      # session 9b: frozen word vectors (pagewordvec)
        from newsgist.reading import pagewordvec
        return pagewordvec.vec_columns([line_tokens(line, spec["cap"]) for line in texts], spec)
    B, cap = spec["buckets"], spec["cap"]
    E = spec.get("ends", 0)
    W = width(spec)
    n = len(texts)
    seen: dict[str, int] = {}        # token as written -> crc32 of its lower case, once a call
    flat, rows, shares, ends = [], [], [], []
    finditer, findall = _ALPHA.finditer, _ALPHA.findall
    short = 8 * cap                  # a longer line is scanned only up to its cap's token
    for i, line in enumerate(texts):
        toks = findall(line)[:cap] if len(line) <= short else [m.group() for m in islice(finditer(line), cap)]
        if not toks:
            continue
        codes = []
        for t in toks:
            c = seen.get(t)
            if c is None:
                c = seen[t] = zlib.crc32(t.lower().encode("utf-8"))
            codes.append(c)
        k = len(codes)
        flat.extend(codes)
        rows.extend([i] * k)
        shares.extend([1.0 / k ** 0.5] * k)
        if E:
            ends.append((i, codes[0], codes[-1]))
    if not flat:
        return np.zeros((n, W))
    idx = np.asarray(rows, dtype=np.int64) * W + np.asarray(flat, dtype=np.int64) % B
    out = np.bincount(idx, weights=np.asarray(shares), minlength=n * W)
    if E:
        e = np.asarray(ends, dtype=np.int64)
        out[e[:, 0] * W + B + e[:, 1] % E] = 1.0
        out[e[:, 0] * W + B + E + e[:, 2] % E] = 1.0
    return out.reshape(n, W)


def word_columns_reference(texts, spec: dict):
    """:func:`word_columns` a line and a token at a time, for the tests."""
    import numpy as np
    B, cap = spec["buckets"], spec["cap"]
    E = spec.get("ends", 0)
    out = np.zeros((len(texts), width(spec)))
    for i, line in enumerate(texts):
        codes = [zlib.crc32(t.encode("utf-8")) for t in line_tokens(line, cap)]
        if not codes:
            continue
        for c in codes:
            out[i, c % B] += 1.0 / len(codes) ** 0.5
        if E:
            out[i, B + codes[0] % E] = 1.0
            out[i, B + E + codes[-1] % E] = 1.0
    return out
