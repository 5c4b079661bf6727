"""Evaluation of highlight extractors against reference highlights.

Plain library code (the CLI's ``newsgist eval`` is wired to it elsewhere):

* :func:`rouge` / :func:`rouge_per_article` -- ROUGE-1, ROUGE-2 and ROUGE-Lsum
  (F1, precision, recall, x100) with ``rouge_score`` and the Porter stemmer.
  A summary is a list of highlights, joined with ``"\\n"`` (one per line, as
  ROUGE-Lsum expects).
* :func:`lead3_pysbd` / :func:`lead3_regex` -- naive LEAD-3 baselines on the
  *uncleaned* article.
* :func:`evaluate` -- runs several methods over records, times them and scores
  them; :func:`format_table` / :func:`to_markdown` render an :class:`EvalResult`.
* :func:`paired_bootstrap` -- is a gain over a baseline real?
* :func:`read_jsonl` -- streams ``{id, article, highlights}`` records (``.gz`` too).
* :func:`greedy_oracle` -- greedy extractive oracle labels (ROUGE-1+ROUGE-2 F1).
"""
from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

from newsgist.errors import InputError

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
METRIC_LABELS = {"rouge1": "R-1", "rouge2": "R-2", "rougeLsum": "R-Lsum"}

Method = Callable[[str], Sequence[Any]]

# --------------------------------------------------------------------------- ROUGE

_SCORER = None


def _scorer():
    """The shared ``RougeScorer`` (built on first use; importing nltk is slow-ish)."""
    global _SCORER
    if _SCORER is None:
        from rouge_score import rouge_scorer

        _SCORER = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    return _SCORER


def _join(highlights: Iterable[str]) -> str:
    """One highlight a line; newlines inside a highlight become spaces."""
    lines = (" ".join(str(h).split()) for h in highlights)
    return "\n".join(line for line in lines if line)


def rouge_per_article(preds: Sequence[Sequence[str]], refs: Sequence[Sequence[str]]) -> list[dict]:
    """Per-article ROUGE scores (x100).

    Each dict has ``rouge1``, ``rouge2``, ``rougeLsum`` (F1) and ``<type>_p`` /
    ``<type>_r`` (precision / recall). An empty prediction scores 0.
    """
    if len(preds) != len(refs):
        raise ValueError(f"{len(preds)} predictions but {len(refs)} references")
    scorer = _scorer()
    out = []
    for pred, ref in zip(preds, refs):
        scores = scorer.score(_join(ref), _join(pred))
        row = {}
        for t in ROUGE_TYPES:
            s = scores[t]
            row[t] = 100.0 * s.fmeasure
            row[t + "_p"] = 100.0 * s.precision
            row[t + "_r"] = 100.0 * s.recall
        out.append(row)
    return out


def _mean_scores(rows: Sequence[dict]) -> dict:
    keys = [k for t in ROUGE_TYPES for k in (t, t + "_p", t + "_r")]
    if not rows:
        return {k: 0.0 for k in keys}
    return {k: sum(r[k] for r in rows) / len(rows) for k in keys}


def rouge(preds: Sequence[Sequence[str]], refs: Sequence[Sequence[str]]) -> dict:
    """Mean ROUGE over articles (x100): keys as in :func:`rouge_per_article`."""
    return _mean_scores(rouge_per_article(preds, refs))


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


# --------------------------------------------------------------------------- oracle

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_STEMMER = None


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    global _STEMMER
    if _STEMMER is None:
        from nltk.stem import porter  # the stemmer rouge_score's DefaultTokenizer uses

        _STEMMER = porter.PorterStemmer()
    return _STEMMER.stem(word)


_VALID = re.compile(r"^[a-z0-9]+$")


def rouge_tokens(text: str) -> list[str]:
    """Tokens exactly as ``rouge_score.tokenize.tokenize(text, PorterStemmer())``:
    lowercase, non-alphanumerics to spaces, stem words longer than 3 characters
    (stems cached), drop empty/invalid tokens."""
    toks = _NON_ALNUM.sub(" ", text.lower()).split()
    toks = [_stem(t) if len(t) > 3 else t for t in toks]
    return [t for t in toks if _VALID.match(t)]


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(zip(*(tokens[i:] for i in range(n))))


_ORACLE_METRICS = {"rouge1": (1,), "rouge2": (2,), "rouge1+rouge2": (1, 2)}


def greedy_oracle(
    sentences: Sequence[str],
    refs: Sequence[str],
    max_n: int = 4,
    metric: str = "rouge1+rouge2",
) -> list[int]:
    """Greedy extractive oracle: indices (sorted, document order) of the sentences
    whose selection maximises ROUGE F1 vs the reference highlights.

    Repeatedly adds the sentence that most improves the metric (sum of ROUGE-1 and
    ROUGE-2 F1 by default; ``"rouge1"`` or ``"rouge2"`` alone) of the selected set,
    and stops when no sentence improves it or ``max_n`` are chosen. Reference
    n-grams come from the joined highlights (as rouge_score counts them); the
    selection's n-grams are the sum of its sentences' (no n-grams across sentence
    boundaries, so the result does not depend on selection order).
    """
    if metric not in _ORACLE_METRICS:
        raise ValueError(f"unknown oracle metric {metric!r}; use one of {sorted(_ORACLE_METRICS)}")
    orders = _ORACLE_METRICS[metric]
    ref_toks = rouge_tokens(" ".join(refs))
    ref = {n: _ngrams(ref_toks, n) for n in orders}
    ref_total = {n: sum(ref[n].values()) for n in orders}
    if not any(ref_total.values()):
        return []
    sent = []
    for s in sentences:
        toks = rouge_tokens(s)
        sent.append({n: _ngrams(toks, n) for n in orders})
    sel_counts = {n: Counter() for n in orders}
    overlap = {n: 0 for n in orders}
    pred_total = {n: 0 for n in orders}

    def f1(ov: int, pt: int, rt: int) -> float:
        return 2.0 * ov / (pt + rt) if ov else 0.0  # = 2PR/(P+R)

    chosen: list[int] = []
    best_score = 0.0
    while len(chosen) < max_n:
        best_i, best_gain = -1, best_score
        for i, grams in enumerate(sent):
            if i in chosen:
                continue
            score = 0.0
            for n in orders:
                cur, r = sel_counts[n], ref[n]
                add = 0
                for g, c in grams[n].items():
                    rc = r.get(g)
                    if rc:
                        have = cur.get(g, 0)
                        if have < rc:
                            add += min(c, rc - have)
                pt = pred_total[n] + sum(grams[n].values())
                score += f1(overlap[n] + add, pt, ref_total[n])
            if score > best_gain + 1e-12:
                best_i, best_gain = i, score
        if best_i < 0:
            break
        chosen.append(best_i)
        best_score = best_gain
        for n in orders:
            g_counts = sent[best_i][n]
            for g, c in g_counts.items():
                rc = ref[n].get(g, 0)
                have = sel_counts[n].get(g, 0)
                if have < rc:
                    overlap[n] += min(c, rc - have)
            sel_counts[n].update(g_counts)
            pred_total[n] += sum(g_counts.values())
    return sorted(chosen)
