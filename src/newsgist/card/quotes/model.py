"""The learned filter over indirect-quote candidates (:mod:`newsgist.card.quotes.indirect`).

A LightGBM binary classifier — does this cue + content candidate match an attribution of
PolNeAR's train split (content tokens overlapping at least half)? — over the features of
:func:`newsgist.card.quotes.indirect.features`. At run time the trees are evaluated with numpy
alone; the model is one JSON file, ``models/quotes-indirect.json`` in the package, holding
the trees, the feature names, the cue lexicon (how often each cue form and lemma was a
true attribution in training) and the score threshold tuned out of fold.

Training (needs ``lightgbm``; the data is read, never copied)::

    python -m newsgist.card.quotes.model train ../shared/data/quotes/polnear-train.jsonl [--docs F.spacy]

A missing model is not fatal: :func:`load_model` returns None and the rule of
:mod:`newsgist.card.quotes.indirect` is used.
"""
from __future__ import annotations

import bisect
import functools
import json
import os
import re
import sys
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "quotes-indirect.json"
MODEL_ENV = "NEWSGIST_QUOTE_MODEL"   # a model file to use instead of the shipped one
MODEL_FORMAT = "newsgist-quotes-indirect"
MODEL_VERSION = 1
MATCH_MIN = 0.5          # a candidate is positive when it shares this much of the larger token set with a gold
LEXICON_MIN_COUNT = 3    # cue forms seen fewer times in training are left out of the lexicon
FOLDS = 5                # out-of-fold lexicon priors and scores (by article)
LGB_PARAMS = {"objective": "binary", "learning_rate": 0.1, "num_leaves": 7, "min_data_in_leaf": 20,
              "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
              "verbose": -1, "seed": 7, "num_threads": 2}
ROUNDS = 150             # small trees, few rounds: as good out of fold as 300 x 31 leaves, a quarter the size
THRESHOLD_GRID, THRESHOLD_STEPS = (-24, 13), 8   # thresholds tried: -3.0 to 1.5 by 1/8 (log-odds)
_WORD = re.compile(r"\w+(?:[’']\w+)*")   # the tokens of content spans, as in benchmarks/bench_quotes.py


class Trees:
    """LightGBM trees as flat lists, evaluated with numpy (node k is a leaf when feature[k] < 0)."""

    def __init__(self, feature, threshold, left, right, value, roots):
        import numpy as np
        self.feature, self.threshold = np.asarray(feature, np.int64), np.asarray(threshold, np.float64)
        self.left, self.right = np.asarray(left, np.int64), np.asarray(right, np.int64)
        self.value, self.roots = np.asarray(value, np.float64), np.asarray(roots, np.int64)

    @classmethod
    def from_lightgbm(cls, dump: dict) -> "Trees":
        cols = {k: [] for k in ("feature", "threshold", "left", "right", "value")}
        roots = []

        def add(node):
            k = len(cols["feature"])
            for name, v in (("feature", -1), ("threshold", 0.0), ("left", -1), ("right", -1), ("value", 0.0)):
                cols[name].append(v)
            if "leaf_value" in node:
                cols["value"][k] = float(node["leaf_value"])
                return k
            cols["feature"][k], cols["threshold"][k] = int(node["split_feature"]), float(node["threshold"])
            cols["left"][k] = add(node["left_child"])
            cols["right"][k] = add(node["right_child"])
            return k

        for tree in dump["tree_info"]:
            roots.append(add(tree["tree_structure"]))
        return cls(roots=roots, **cols)

    def to_dict(self) -> dict:
        return {"feature": self.feature.tolist(), "threshold": [round(t, 6) for t in self.threshold.tolist()],
                "left": self.left.tolist(), "right": self.right.tolist(),
                "value": [round(v, 6) for v in self.value.tolist()], "roots": self.roots.tolist()}

    def predict(self, X):
        """Raw scores (log-odds) of the rows of ``X``."""
        import numpy as np
        X = np.asarray(X, np.float64)
        node = np.broadcast_to(self.roots, (X.shape[0], self.roots.size)).copy()
        rows = np.arange(X.shape[0])[:, None]
        while True:
            f = self.feature[node]
            inner = f >= 0
            if not inner.any():
                return self.value[node].sum(axis=1)
            go_left = X[rows, np.where(inner, f, 0)] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)


class QuoteModel:
    def __init__(self, trees: Trees, feature_names, lexicon: dict, threshold: float, info=None):
        self.trees, self.feature_names = trees, list(feature_names)
        self.lexicon, self.threshold, self.info = lexicon, float(threshold), dict(info or {})

    def score(self, rows: list[dict]) -> list[float]:
        X = [[r.get(n, 0.0) for n in self.feature_names] for r in rows]
        return self.trees.predict(X).tolist()

    def to_dict(self) -> dict:
        return {"format": MODEL_FORMAT, "version": MODEL_VERSION, "feature_names": self.feature_names,
                "threshold": self.threshold, "lexicon": {k: list(v) for k, v in sorted(self.lexicon.items())},
                "info": self.info, "trees": self.trees.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> "QuoteModel":
        if d.get("format") != MODEL_FORMAT or d.get("version") != MODEL_VERSION:
            raise ValueError("not a newsgist indirect-quote model")
        return cls(Trees(**d["trees"]), d["feature_names"], {k: tuple(v) for k, v in d["lexicon"].items()},
                   d["threshold"], d.get("info"))


@functools.lru_cache(maxsize=1)
def load_model(path: str | None = None) -> QuoteModel | None:
    """The shipped model, or None when it is missing or unreadable (the rule is used then)."""
    p = Path(path or os.environ.get(MODEL_ENV) or MODEL_PATH)
    try:
        return QuoteModel.from_dict(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- training -------------------------------------------------------------------------
def _tokens(starts, a, b) -> frozenset:
    return frozenset(range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)))


def _layout(text: str):
    from newsgist.reading.segment import split_span
    from newsgist.types import Paragraph, Sentence
    paras = [Paragraph(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
    return paras, [Sentence(s, e, i) for i, p in enumerate(paras) for s, e in split_span(text, p.start, p.end)]


def examples(recs: list[dict], docs) -> list[dict]:
    """Per article: candidates' feature rows (lexicon features filled in later), labels and
    the gold ids they match; gold attributions other than direct quotes are the targets."""
    from newsgist.card.quotes.candidates import candidates
    from newsgist.card.quotes.direct import marked_quotes
    from newsgist.card.quotes.indirect import MAX_DIRECT_SHARE, _share, features, quote_ranges
    out = []
    for rec, doc in zip(recs, docs):
        text = rec["text"]
        starts = [m.start() for m in _WORD.finditer(text)]
        targets = [g for g in rec["quotes"] if g["type"] != "direct"]
        gold = [frozenset().union(*(_tokens(starts, a, b) for a, b in g["quote_fragments"])) for g in targets]
        cue_spans = [g["cue_span"] for g in targets]
        quotes, sp = marked_quotes(text, doc, *_layout(text))
        art = {"rows": [], "labels": [], "matched": [], "cues": [], "spans": [], "cue_i": [], "outer": [], "inner": [],
               "partials_in": [], "n_partials": 0, "n_gold": len(gold)}
        if sp is not None:
            chars = quote_ranges(quotes)
            art["n_partials"] = len(chars[1])
            by_cue: dict[int, tuple[int, float]] = {}   # cue token -> (row, overlap) of its best candidate
            for c in candidates(doc, sp):
                a, b = doc[c.i].idx, doc[c.j - 1].idx + len(doc[c.j - 1])
                if _share(chars[0], a, b) >= MAX_DIRECT_SHARE:
                    continue
                toks = _tokens(starts, a, b)
                best, best_g, label = 0.0, -1, 0
                for gi, g in enumerate(gold):
                    common = len(g & toks)
                    share = common / max(len(g), len(toks))
                    if share >= MATCH_MIN:
                        cue = cue_spans[gi]
                        label |= cue is None or cue[0] <= c.cue_tok.idx < cue[1]
                        if share > best:
                            best, best_g = share, gi
                prev = by_cue.get(c.cue_tok.i)
                if prev is not None:  # alternatives of one cue: only the best one is positive
                    if best <= prev[1]:
                        label = 0
                    else:
                        art["labels"][prev[0]] = 0
                if prev is None or best > prev[1]:
                    by_cue[c.cue_tok.i] = (len(art["rows"]), best)
                art["rows"].append(features(c, doc, sp, chars, {}))
                art["labels"].append(int(label))
                art["matched"].append(best_g)
                art["cues"].append(c.cue)
                art["spans"].append((c.i, c.j))
                art["cue_i"].append(c.cue_tok.i)
                art["partials_in"].append([n for n, (x, y) in enumerate(chars[1]) if a <= x and y <= b])
                art["outer"].append(c.outer)
                art["inner"].append(c.inner)
        out.append(art)
    return out


def build_lexicon(arts: list[dict]) -> dict:
    from newsgist.card.quotes.indirect import crude_lemma
    counts: dict[str, list[int]] = {}
    for art in arts:
        for cue, y in zip(art["cues"], art["labels"]):
            for key in ("form:" + cue, "lemma:" + crude_lemma(cue.split()[0])):
                c = counts.setdefault(key, [0, 0])
                c[0] += y
                c[1] += 1
    return {k: (p, t) for k, (p, t) in counts.items() if t >= LEXICON_MIN_COUNT}


def _with_lexicon(art: dict, lexicon: dict) -> list[dict]:
    from newsgist.card.quotes.indirect import lexicon_features
    return [dict(row, **lexicon_features(cue, outer, inner, lexicon))
            for row, cue, outer, inner in zip(art["rows"], art["cues"], art["outer"], art["inner"])]


def _kept(art: dict, scores, t: float) -> list[int]:
    """The candidates kept at threshold ``t``, one per group of overlapping contents, as
    :func:`newsgist.card.quotes.indirect.indirect_quotes` keeps them."""
    from newsgist.card.quotes.indirect import overlapping
    kept: list[int] = []
    for k in sorted(range(len(scores)), key=lambda k: -scores[k]):
        if scores[k] < t:
            break
        if not any(art["cue_i"][x] == art["cue_i"][k] or overlapping(*art["spans"][k], *art["spans"][x])
                   for x in kept):
            kept.append(k)
    return kept


def tune(arts: list[dict], scores: list[list[float]]) -> tuple[float, float]:
    """The threshold with the best F1 of gold attributions matched one per gold, where a partial
    quote left outside every kept content counts as a false positive (in the benchmark it is
    one, unless a content holds it and the two make a mixed attribution)."""
    n_gold = sum(a["n_gold"] for a in arts)

    def f1(t):
        tp = n_pred = 0
        for a, ss in zip(arts, scores):
            kept = _kept(a, ss, t)
            tp += len({a["matched"][k] for k in kept if a["matched"][k] >= 0})
            covered = {p for k in kept for p in a["partials_in"][k]}
            n_pred += len(kept) + a["n_partials"] - len(covered)
        p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
        return 2 * p * r / max(p + r, 1e-9)

    t = max((x / THRESHOLD_STEPS for x in range(*THRESHOLD_GRID)), key=f1)
    return t, f1(t)


def fit(arts: list[dict], params: dict | None = None, rounds: int = ROUNDS) -> QuoteModel:
    """Train on the candidates of :func:`examples`: thresholds out of fold, then the model on all."""
    import lightgbm
    import numpy as np
    params = dict(LGB_PARAMS, **(params or {}))
    names = sorted({k for a in arts for r in a["rows"] for k in r})
    oof: list[list[float]] = [[] for _ in arts]
    for f in range(FOLDS):
        held = set(range(f, len(arts), FOLDS))
        rest = [a for i, a in enumerate(arts) if i not in held]
        X, y = _matrix(rest, names)
        booster = lightgbm.train(params, lightgbm.Dataset(np.asarray(X), np.asarray(y)), rounds)
        lex = build_lexicon(rest)
        for i in held:
            rows = _with_lexicon(arts[i], lex)
            oof[i] = booster.predict(np.asarray([[r.get(n, 0.0) for n in names] for r in rows]),
                                     raw_score=True).tolist() if rows else []
    t, f1 = tune(arts, oof)
    X, y = _matrix(arts, names)
    booster = lightgbm.train(params, lightgbm.Dataset(np.asarray(X), np.asarray(y)), rounds)
    info = {"articles": len(arts), "candidates": len(y), "positives": int(sum(y)), "rounds": rounds,
            "oof_f1": round(f1, 4), "lightgbm_params": params}
    return QuoteModel(Trees.from_lightgbm(booster.dump_model()), names, build_lexicon(arts), t, info)


def _matrix(arts: list[dict], names: list[str]):
    """Rows with out-of-fold lexicon priors (each fold's priors from the other folds)."""
    X, y = [], []
    for g in (list(range(f, len(arts), FOLDS)) for f in range(FOLDS)):
        held = set(g)
        lex = build_lexicon([a for i, a in enumerate(arts) if i not in held])
        for i in g:
            for r in _with_lexicon(arts[i], lex):
                X.append([r.get(n, 0.0) for n in names])
            y.extend(arts[i]["labels"])
    return X, y


def _main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "train":
        print(__doc__)
        return 2
    recs = [json.loads(line) for line in open(argv[1], encoding="utf-8")]
    from newsgist.card.nlp import load_nlp
    nlp = load_nlp()
    if "--docs" in argv:
        from spacy.tokens import DocBin
        docs = list(DocBin().from_disk(argv[argv.index("--docs") + 1]).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((r["text"] for r in recs), batch_size=16))
    model = fit(examples(recs, docs))
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else MODEL_PATH
    out.write_text(json.dumps(model.to_dict(), separators=(",", ":")), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB): {model.info}, threshold {model.threshold:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
