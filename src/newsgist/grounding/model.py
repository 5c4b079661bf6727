"""The learned part of the checker: a logistic regression over a line's evidence.

Numpy only. :func:`line_features` turns what :mod:`newsgist.grounding.check` found
for one line (overlaps with the source, the unsupported pieces) into
:data:`FEATURES`; :class:`Model` maps them to a probability that the line is backed
by the source (its ``score``); a model reads only the columns it was fit on
(:data:`SHIPPED` for the shipped one). The weights in ``models/grounding-check.json`` were fit
by ``benchmarks/bench_check.py --fit`` on every pair of FRANK's validation split
(``../shared/data/faithfulness/frank-validation.jsonl``; a line takes the label of its
summary; the synthetic corrupted pairs that script also tries would be added only if
they raised the cross-validated AUC, and they do not); the AUCs it reports are 5-fold
cross-validated, fitting inside the folds only, over several fold shuffles (``--seeds``).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsgist.errors import ModelError
from newsgist.grounding.evidence import EXTRA
from newsgist.grounding.trees import LineTrees

FEATURES = (
    "uni",          # share of the line's content words found in the source
    "bi",           # share of its (stemmed) bigrams found in the source
    "tri",          # share of its trigrams found in the source
    "cover1",       # share of its content words in the best supporting sentence
    "cover",        # ... in the support (up to three sentences)
    "novel",        # content words found nowhere in the source (log1p of the count)
    "numbers",      # numbers not in the support
    "names",        # capitalised names not in the source
    "quotes",       # quoted stretches not in the source
    "neg_added",    # more negations than the support has
    "neg_dropped",  # the best sentence negates, the line does not
    "flips",        # share of word pairs in the other order than in the best sentence
    "relations",    # reversed triples (X beat Y <-> Y beat X)
    "length",       # log of the line's token count
    "bi_support",   # share of its bigrams found in the supporting sentences themselves
    "quad",         # share of its 4-grams found in the source
    "pronoun",      # the line opens with a pronoun
    "n_support",    # sentences in the support
    "longest",      # the longest run copied word for word, as a share of the line
    "fragments",    # copied runs of two or more words the line is made of
    "repeats",      # share of its trigrams said before in the summary (degenerate output)
    "unk",          # "UNK" tokens (a model's unknown word)
    "names_elsewhere",  # names of the article the line uses that its support does not hold
    "window",       # share of its content words in the best window of the source (Source.window)
    "window_order",  # share of its content tokens that window holds in the line's order
) + EXTRA  # issue 26: the word alignment, numbers, negation, modality, speaker, rarity (grounding/evidence.py)
# The inputs of the summary model: the mean and the minimum of each line feature, and of
# the line model's score (as a logit: "score").
SUMMARY_INPUTS = tuple(f"mean_{n}" for n in FEATURES + ("score",)) + tuple(f"min_{n}" for n in FEATURES + ("score",))
# The features the shipped checker uses: the alignment evidence only. Chosen on
# frank-validation by leave-one-summariser-out AUC (fit on 8 of FRANK's systems, score the
# 9th), under the constraint that the article-fold CV keeps >= +0.05 AUC over bigram
# precision on CNN/DM and XSum (mean of 8 fold shuffles and seed 0): all 25 features reach
# higher article-fold CV but fall below bigram precision on an unseen summariser (CNN/DM
# pooled 0.707 vs 0.733; the style features -- length, repeats, "UNK", fragments --
# recognise FRANK's systems). Greedy forward selection from window, window_order, uni,
# cover (BENCHMARKS.md, "Grounding (issue 14)").
SHIPPED = ("window", "window_order", "uni", "cover", "cover1", "quotes")
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "grounding-check.json"
# L2 penalties of the fits (on standardised features). Lines: 1 (the best of {1, 10, 30,
# 100} in the 5-fold CV of the first model). Summaries: 100, the middle of {30, 100, 300}
# in the leave-one-summariser-out runs of bench_check.py (pooled AUC CNN/DM / XSum of the
# lean set 0.763/0.726, 0.762/0.733, 0.753/0.738).
L2 = 1.0
SUMMARY_L2 = 100.0


def line_features(ev: dict) -> list[float]:
    """The feature vector of one line from its evidence dict (see check.line_evidence)."""
    kinds = [u["kind"] for u in ev["unsupported"]]
    return [ev["uni"], ev["bi"], ev["tri"], ev["cover1"], ev["cover"],
            math.log1p(ev["novel"]), kinds.count("number"), kinds.count("name"), kinds.count("quote"),
            float(ev["neg_added"]), float(ev["neg_dropped"]), ev["flips"], kinds.count("relation"),
            math.log(max(ev["length"], 1)), ev["bi_support"], ev["quad"], ev["pronoun"], ev["n_support"],
            ev["longest"], ev["fragments"], ev["repeats"], ev["unk"],
            ev["names_elsewhere"], ev["window"], ev["window_order"]] + [float(ev.get(k, 0.0)) for k in EXTRA]


@dataclass
class Model:
    """``predict`` takes full input rows (:data:`FEATURES` or :data:`SUMMARY_INPUTS`)
    and reads the columns ``features`` names."""
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float = 0.5
    notes: str = ""
    features: tuple = FEATURES
    inputs: tuple = FEATURES

    @property
    def columns(self) -> list[int]:
        return [self.inputs.index(n) for n in self.features]

    def predict(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim == 2 and X.shape[1] != len(self.features):
            X = X[:, self.columns]
        X = (X - self.mean) / self.std
        return 1.0 / (1.0 + np.exp(-(X @ self.weights + self.bias)))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "std": self.std.round(6).tolist(), "weights": self.weights.round(6).tolist(),
                "bias": round(float(self.bias), 6), "threshold": self.threshold, "notes": self.notes}

    @classmethod
    def from_dict(cls, d: dict, inputs: tuple = FEATURES) -> "Model":
        names = tuple(d["features"])
        if len(d["weights"]) != len(names) or not set(names) <= set(inputs):
            raise ValueError("the grounding model was fit on other features; refit it (bench_check.py --fit)")
        return cls(np.array(d["mean"]), np.array(d["std"]), np.array(d["weights"]), float(d["bias"]),
                   float(d.get("threshold", 0.5)), d.get("notes", ""), names, tuple(inputs))


def fit(X, y, sample_weight=None, l2: float = L2, iters: int = 50, features: tuple | None = None,
        inputs: tuple = FEATURES) -> Model:
    """Logistic regression by Newton's method on standardised features (deterministic).

    ``X``: rows of ``inputs``; the model is fit on the columns ``features`` (default all)."""
    X = np.asarray(X, dtype=float)
    features = tuple(inputs) if features is None else tuple(features)
    if X.ndim == 2 and X.shape[1] == len(inputs) and len(features) != len(inputs):
        X = X[:, [inputs.index(n) for n in features]]
    y = np.asarray(y, dtype=float)
    w_s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    mean, std = X.mean(0), X.std(0)
    std[std < 1e-9] = 1.0
    Z = np.hstack([(X - mean) / std, np.ones((len(X), 1))])
    beta = np.zeros(Z.shape[1])
    reg = np.full(Z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(Z @ beta)))
        g = Z.T @ (w_s * (p - y)) + reg * beta
        H = (Z * (w_s * p * (1 - p))[:, None]).T @ Z + np.diag(reg) + 1e-9 * np.eye(Z.shape[1])
        step = np.linalg.solve(H, g)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return Model(mean, std, beta[:-1], float(beta[-1]), features=features, inputs=tuple(inputs))


def summary_names(features) -> tuple:
    """The summary-model inputs of the line features ``features``."""
    return tuple(f"mean_{n}" for n in features) + tuple(f"min_{n}" for n in features)


def logit(p) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def summary_features(line_rows, scores=None) -> list[float]:
    """A summary's features: the mean and the minimum of its lines' features and of the
    logits of their line scores (0 when not given)."""
    X = np.asarray(line_rows, dtype=float)
    if X.ndim != 2:
        X = X.reshape(-1, len(FEATURES))
    z = logit(scores)[:, None] if scores is not None else np.zeros((len(X), 1))
    X = np.hstack([X, z])
    return np.concatenate([X.mean(0), X.min(0)]).tolist()


@dataclass
class Checker:
    """The two fits: ``line`` scores a line, ``summary`` a whole summary (a learned
    aggregate over :func:`summary_features`)."""
    line: "Model | LineTrees"
    summary: Model

    def to_dict(self) -> dict:
        return {"line": self.line.to_dict(), "summary": self.summary.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> "Checker":
        line = (LineTrees.from_dict(d["line"], FEATURES) if d["line"].get("kind") == "trees"
                else Model.from_dict(d["line"]))
        return cls(line, Model.from_dict(d["summary"], SUMMARY_INPUTS))


_LOADED: Checker | None = None


def load() -> Checker:
    """The shipped checker (cached)."""
    global _LOADED
    if _LOADED is None:
        try:
            _LOADED = Checker.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"grounding model {MODEL_PATH.name}: {exc}") from exc
    return _LOADED
