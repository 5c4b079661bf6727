"""Evaluation of highlight extractors against reference highlights.

Plain library code (the CLI's ``newsgist eval`` is wired to it elsewhere); the ROUGE
scores and the oracle are in :mod:`newsgist.evaluation.rouge`:

* :func:`lead3_pysbd` / :func:`lead3_regex` -- naive LEAD-3 baselines on the
  *uncleaned* article.
* :func:`evaluate` -- runs several methods over records, times them and scores
  them; :func:`format_table` / :func:`to_markdown` render an :class:`EvalResult`.
* :func:`paired_bootstrap` -- is a gain over a baseline real?
* :func:`read_jsonl` -- streams ``{id, article, highlights}`` records (``.gz`` too).
"""
from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

from newsgist.errors import InputError
from newsgist.evaluation.rouge import ROUGE_TYPES, _mean_scores, rouge_per_article

Method = Callable[[str], Sequence[Any]]

# --------------------------------------------------------------------------- LEAD-3

_SEGMENTER = None
_REGEX_SPLIT = re.compile(r"(?<=[.!?])\s+")


def _segmenter():
    global _SEGMENTER
    if _SEGMENTER is None:
        import pysbd

        _SEGMENTER = pysbd.Segmenter(language="en", clean=False)
    return _SEGMENTER


def lead3_pysbd(article: str) -> list[str]:
    """First three sentences of the raw article, split by pysbd (``clean=False``)."""
    sents = (s.strip() for s in _segmenter().segment(article))
    return [s for s in sents if s][:3]


def lead3_regex(article: str) -> list[str]:
    """First three sentences of the raw article, naively split after ``.``, ``!``, ``?``.

    Deliberately naive: it splits after abbreviations ("Mr. Smith", "U.S. officials")
    and does *not* split after a closing quote (``said "Yes." Then``), because the
    character before the space is ``"``, not the stop.
    """
    sents = (s.strip() for s in _REGEX_SPLIT.split(article))
    return [s for s in sents if s][:3]


# --------------------------------------------------------------------------- evaluate


@dataclass
class MethodResult:
    """Scores and costs of one method over the evaluated records."""

    name: str
    n: int
    rouge1: float
    rouge2: float
    rougeLsum: float
    precision: dict = field(default_factory=dict)  # rouge type -> mean precision
    recall: dict = field(default_factory=dict)  # rouge type -> mean recall
    median_ms: float = 0.0
    mean_ms: float = 0.0
    avg_highlights: float = 0.0
    avg_words: float = 0.0  # words per highlight, over all highlights
    errors: int = 0
    first_error: Optional[str] = None


@dataclass
class EvalResult:
    """Everything :func:`evaluate` measured.

    ``methods`` keeps the order the methods were given in. ``predictions``,
    ``per_article`` and ``times_ms`` are indexed like ``ids``.
    """

    ids: list
    methods: dict  # name -> MethodResult
    predictions: dict  # name -> list[list[str]]
    per_article: dict  # name -> list[dict] (see rouge_per_article)
    times_ms: dict  # name -> list[float]

    def to_dict(self) -> dict:
        """JSON-ready summary (no predictions)."""
        return {"n": len(self.ids), "methods": {k: asdict(v) for k, v in self.methods.items()}}


def _as_texts(out: Any) -> list[str]:
    """Normalise a method's output: strings, or objects with a ``.text`` (Highlight)."""
    if isinstance(out, str) or not isinstance(out, (list, tuple)):
        raise TypeError(f"method returned {type(out).__name__}, expected a list of str")
    texts = []
    for item in out:
        text = item if isinstance(item, str) else getattr(item, "text", None)
        if not isinstance(text, str):
            raise TypeError(f"method returned a list item of type {type(item).__name__}")
        texts.append(text)
    return texts


def _record_fields(rec: Any, i: int) -> tuple[Any, str, list[str]]:
    if not isinstance(rec, dict) or "article" not in rec or "highlights" not in rec:
        raise InputError(f"record {i + 1} needs 'article' and 'highlights' fields")
    hl = rec["highlights"]
    if isinstance(hl, str):
        hl = [line for line in hl.split("\n") if line.strip()]
    return rec.get("id", i), str(rec["article"]), [str(h) for h in hl]


def evaluate(
    records: Iterable[dict],
    methods: dict[str, Method],
    progress: Optional[Callable[[int, int], None]] = None,
) -> EvalResult:
    """Run each method on every record's article and score it against the highlights.

    A method that raises (or returns something that is not a list of str) on an
    article counts one error and scores ``[]`` for that article; the evaluation goes
    on. ``progress(done, total)`` is called after each call, ``total`` being
    ``len(records) * len(methods)``.
    """
    rows = [_record_fields(r, i) for i, r in enumerate(records)]
    ids = [r[0] for r in rows]
    refs = [r[2] for r in rows]
    total, done = len(rows) * len(methods), 0
    res = EvalResult(ids=ids, methods={}, predictions={}, per_article={}, times_ms={})
    for name, fn in methods.items():
        preds, times, errors, first_error = [], [], 0, None
        for _, article, _ in rows:
            t0 = time.perf_counter()
            try:
                pred = _as_texts(fn(article))
            except Exception as exc:  # never crash the whole eval
                pred = []
                errors += 1
                if first_error is None:
                    first_error = f"{type(exc).__name__}: {exc}"
            times.append(1000.0 * (time.perf_counter() - t0))
            preds.append(pred)
            done += 1
            if progress is not None:
                progress(done, total)
        per = rouge_per_article(preds, refs)
        mean = _mean_scores(per)
        n_hl = sum(len(p) for p in preds)
        n_words = sum(len(h.split()) for p in preds for h in p)
        res.methods[name] = MethodResult(
            name=name,
            n=len(rows),
            rouge1=mean["rouge1"],
            rouge2=mean["rouge2"],
            rougeLsum=mean["rougeLsum"],
            precision={t: mean[t + "_p"] for t in ROUGE_TYPES},
            recall={t: mean[t + "_r"] for t in ROUGE_TYPES},
            median_ms=statistics.median(times) if times else 0.0,
            mean_ms=statistics.fmean(times) if times else 0.0,
            avg_highlights=n_hl / len(rows) if rows else 0.0,
            avg_words=n_words / n_hl if n_hl else 0.0,
            errors=errors,
            first_error=first_error,
        )
        res.predictions[name] = preds
        res.per_article[name] = per
        res.times_ms[name] = times
    return res


# --------------------------------------------------------------------------- tables

_COLUMNS = ["method", "n", "R-1", "dR-1", "R-2", "dR-2", "R-Lsum", "dR-Lsum",
            "ms med", "ms mean", "x time", "#hl", "w/hl", "errors"]


def _num(v: float) -> str:
    """Two decimals, or two significant digits for small non-zero values (0.0016)."""
    return f"{v:.2g}" if 0 < abs(v) < 0.1 else f"{v:.2f}"


def _rows(result: EvalResult, baseline: Optional[str]) -> list[list[str]]:
    base = result.methods.get(baseline) if baseline else None
    out = []
    for m in result.methods.values():
        row = [m.name, str(m.n)]
        for t in ROUGE_TYPES:
            v = getattr(m, t)
            row.append(f"{v:.2f}")
            row.append(f"{v - getattr(base, t):+.2f}" if base is not None else "-")
        ratio = "-"
        if base is not None and base.median_ms > 0:
            ratio = _num(m.median_ms / base.median_ms)
        row += [_num(m.median_ms), _num(m.mean_ms), ratio,
                f"{m.avg_highlights:.2f}", f"{m.avg_words:.1f}", str(m.errors)]
        out.append(row)
    return out


def format_table(result: EvalResult, baseline: str = "lead3") -> str:
    """Fixed-width table; ``dR-*`` and ``x time`` (median ms ratio) are relative to
    ``baseline`` (shown as ``-`` when that method was not evaluated)."""
    rows = [_COLUMNS] + _rows(result, baseline)
    widths = [max(len(r[i]) for r in rows) for i in range(len(_COLUMNS))]
    lines = []
    for k, r in enumerate(rows):
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"{m.name}: {m.errors} error(s), first: {m.first_error}"
             for m in result.methods.values() if m.errors]
    if baseline in result.methods:
        notes.insert(0, f"d = difference to '{baseline}'; x time = median ms / {baseline}'s")
    return "\n".join(lines + notes)


def to_markdown(result: EvalResult, baseline: str = "lead3") -> str:
    """The same table as :func:`format_table`, as GitHub markdown (for BENCHMARKS.md)."""
    header = [c.replace("dR-", "Δ R-").replace("x time", "× time") for c in _COLUMNS]
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    for r in _rows(result, baseline):
        lines.append("| " + " | ".join(r) + " |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- bootstrap


def paired_bootstrap(
    per_a: Sequence[Union[dict, float]],
    per_b: Sequence[Union[dict, float]],
    metric: str = "rouge1",
    n: int = 1000,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Paired bootstrap of the mean difference ``a - b`` over articles.

    ``per_a``/``per_b`` are per-article score dicts (``metric`` picks the key) or
    plain numbers, aligned by article. Returns ``(mean diff, 95% CI low, high)``;
    a CI that excludes 0 means the gain is unlikely to be noise.
    """
    import numpy as np

    if len(per_a) != len(per_b):
        raise ValueError(f"unpaired: {len(per_a)} vs {len(per_b)} articles")
    if not per_a:
        raise ValueError("no articles to bootstrap")

    def vals(xs):
        return np.asarray([x[metric] if isinstance(x, dict) else x for x in xs], dtype=float)

    diffs = vals(per_a) - vals(per_b)
    m = len(diffs)
    rng = np.random.default_rng(seed)
    means = np.empty(n)
    chunk = max(1, 2_000_000 // m)  # bound memory of the index matrix
    for s in range(0, n, chunk):
        k = min(chunk, n - s)
        means[s:s + k] = diffs[rng.integers(0, m, size=(k, m))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(diffs.mean()), float(lo), float(hi)


# --------------------------------------------------------------------------- JSONL


def read_jsonl(path: Union[str, Path], limit: Optional[int] = None) -> Iterator[dict]:
    """Stream JSON objects from a ``.jsonl`` (or ``.jsonl.gz``) file.

    A missing file raises :class:`InputError` at once; a malformed line raises it
    while iterating, naming the file and line number. Blank lines are skipped;
    ``limit`` stops after that many records.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    return _iter_jsonl(p, limit)


def _iter_jsonl(p: Path, limit: Optional[int]) -> Iterator[dict]:
    opener = gzip.open if p.suffix == ".gz" else open
    count, lineno = 0, 0
    if limit is not None and limit <= 0:
        return
    try:
        with opener(p, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{p}:{lineno}: malformed JSON ({exc.msg})") from None
                if not isinstance(rec, dict):
                    raise InputError(f"{p}:{lineno}: expected a JSON object, got {type(rec).__name__}")
                yield rec
                count += 1
                if limit is not None and count >= limit:
                    return
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}:{lineno + 1}: not UTF-8 ({exc.reason})") from None
    except (OSError, EOFError) as exc:  # e.g. gzip.BadGzipFile, truncated .gz
        raise InputError(f"{p}: cannot read ({exc})") from None
