"""ROUGE as ``rouge_score`` computes it, and the extractive oracle built on its tokens.

* :func:`rouge` / :func:`rouge_per_article` -- ROUGE-1, ROUGE-2 and ROUGE-Lsum
  (F1, precision, recall, x100) with ``rouge_score`` and the Porter stemmer.
  A summary is a list of highlights, joined with ``"\\n"`` (one per line, as
  ROUGE-Lsum expects).
* :func:`rouge_tokens` -- the tokens ``rouge_score`` counts, computed fast.
* :func:`greedy_oracle` -- greedy extractive oracle labels (ROUGE-1+ROUGE-2 F1).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
METRIC_LABELS = {"rouge1": "R-1", "rouge2": "R-2", "rougeLsum": "R-Lsum"}

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
