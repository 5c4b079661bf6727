"""The learned highlight ranker: the "learned" scorer.

A LightGBM binary classifier (is this sentence in the greedy ROUGE oracle?) over
the cheap features of :mod:`newsgist.highlighting.ranker_features`, trained by
``newsgist train`` (:mod:`newsgist.evaluation.train_ranker`); the shipped model on CNN
validation-1000 and sumllm-train-1000 (Daily Mail articles, GPT-4 summaries as
references; issue 16, BENCHMARKS.md). At run time the trees are
evaluated with numpy alone (LightGBM is needed only to train); the model is one
JSON file, ``models/ranker.json`` in the package, or the file named by the
``NEWSGIST_MODEL`` environment variable.

The score of sentence *i* is ::

    raw_i - length_penalty * words_i + prior_weight * position_i

``raw`` is the trees' log-odds; the length penalty (short highlights win ROUGE F1;
its own value for articles with a CNN/wire dateline, ``length_penalty_dateline``)
and the weight of the unsupervised "position" score (a lead prior the model departs
from only with evidence, for outlets it never saw) are tuned out-of-fold by the
training command and stored in the model. The model also chooses how many
highlights an article gets (3, or 4 when the 4th candidate scores at least
``count4_threshold``) and leaves the choice in ``article.meta["auto_count"]``. A model
may carry a second stage (issue 16, :mod:`newsgist.highlighting.rerank`) that scores
sets of 3-4 of the best candidates as a whole; its choice goes to
``article.meta["auto_set"]`` (sentence indices) and ``auto_count``, and selection takes
those sentences first.

The model also carries a word-salience lexicon per dateline style (issue 16,
:mod:`newsgist.highlighting.lexicon`): how much more often than the average word each
training stem made its article's references; it fills the last four feature columns.

A missing or unreadable model is never fatal for the CLI: the scorer warns once on
stderr and falls back to the "position" scorer.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from newsgist.errors import ModelError
from newsgist.highlighting.scorers import score_position
from newsgist.registry import SCORERS
from newsgist.trees import TreeEnsemble  # noqa: F401 (the ranker's trees; re-exported)

# The model file: NEWSGIST_MODEL overrides the one shipped in the package.
MODEL_ENV = "NEWSGIST_MODEL"
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "ranker.json"
MODEL_FORMAT = "newsgist-ranker"
MODEL_VERSION = 1
FALLBACK_METHOD = "position"
# Counts the learned choice is made between (the product shows 3-4 highlights).
BASE_COUNT = 3
MAX_AUTO_COUNT = 4

_CACHE: dict = {}   # resolved path -> RankerModel, or the ModelError it raised
_WARNED: set = set()


class RankerModel:
    """A loaded model: trees plus the tuned blend and count settings."""

    def __init__(self, trees: TreeEnsemble, feature_names, length_penalty=0.0, prior_weight=0.0,
                 count4_threshold=float("inf"), info=None, length_penalty_dateline=None,
                 trees_dateline: TreeEnsemble | None = None, rerank=None, lexicon=None, lexicon_dateline=None):
        self.trees = trees
        # issue 16: word salience (stem -> score, newsgist.highlighting.lexicon) for the
        # lexicon features, per dateline style as the trees are; None: those columns are 0
        self.lexicon = lexicon
        self.lexicon_dateline = lexicon_dateline if lexicon_dateline is not None else lexicon
        # issue 16: the set reranker (newsgist.highlighting.rerank.SetReranker), or None
        self.rerank = rerank
        # issue 16: articles with a CNN/wire dateline may have trees of their own (trained
        # on the articles of that style); None: ``trees`` score every article
        self.trees_dateline = trees_dateline
        self.feature_names = list(feature_names)
        self.length_penalty = float(length_penalty)
        # articles with a CNN/wire dateline get their own penalty (issue 16; None: the same)
        self.length_penalty_dateline = float(length_penalty if length_penalty_dateline is None
                                             else length_penalty_dateline)
        self.prior_weight = float(prior_weight)
        self.count4_threshold = float(count4_threshold)
        self.info = dict(info or {})

    # --- scoring ------------------------------------------------------------------------
    def combine(self, raw, X):
        """The final sentence scores from the trees' raw scores and the features."""
        return blend(raw, X, self.length_penalty, self.length_penalty_dateline, self.prior_weight)

    def raw(self, X):
        """The trees' raw scores: the dateline trees for an article with a CNN/wire dateline."""
        from newsgist.highlighting.ranker_features import FEATURE_NAMES
        dated = X.shape[0] > 0 and X[0, FEATURE_NAMES.index("cnn_dateline")] > 0
        return (self.trees_dateline if dated and self.trees_dateline is not None else self.trees).predict(X)

    def score_matrix(self, X):
        return self.combine(self.raw(X), X)

    def lexicon_for(self, article):
        """The lexicon of the article's dateline style (None: the model has none)."""
        return self.lexicon_dateline if getattr(article, "dateline", None) else self.lexicon

    def features(self, article, stems, toks=None):
        """The feature matrix of ``article``'s sentences, lexicon columns from this model's lexicon."""
        from newsgist.highlighting.ranker_features import sentence_features
        return sentence_features(article, stems=stems, lexicon=self.lexicon_for(article), toks=toks)

    def score(self, article) -> list[float]:
        """The sentence scores alone (no set reranker)."""
        from newsgist.highlighting.ranker_features import sentence_stems
        if not article.sentences:
            return []
        stems = sentence_stems(article.sentence_text(i) for i in range(len(article.sentences)))
        return [float(s) for s in self.score_matrix(self.features(article, stems))]

    def score_and_set(self, article) -> tuple[list[float], list[int] | None]:
        """The sentence scores, and the set reranker's choice (None without one)."""
        from newsgist.highlighting.ranker_features import sentence_words
        if not article.sentences:
            return [], None
        toks, stems = sentence_words([article.sentence_text(i) for i in range(len(article.sentences))])
        X = self.features(article, stems, toks)   # the words are split and stemmed once for both stages
        if self.rerank is not None:   # selection (the reranker's candidates) reads the same counts
            from newsgist.highlighting.ranker_features import FEATURE_NAMES
            from newsgist.highlighting.select import _prepared
            _prepared(article, [len(t) for t in toks], (X[:, FEATURE_NAMES.index("label_colon")] > 0).tolist())
        raw = self.raw(X)
        scores = [float(s) for s in self.combine(raw, X)]
        chosen = (self.rerank.choose(article, X, raw, scores, stems, self.lexicon_for(article))
                  if self.rerank is not None else None)
        return scores, chosen

    def choose_count(self, article, scores) -> int:
        """3, or 4 when the sentence selection would add as 4th scores >= the threshold."""
        return choose_count(article, scores, self.count4_threshold)

    # --- persistence --------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"format": MODEL_FORMAT, "version": MODEL_VERSION, "feature_names": self.feature_names,
                "length_penalty": self.length_penalty, "length_penalty_dateline": self.length_penalty_dateline,
                "prior_weight": self.prior_weight,
                "count4_threshold": self.count4_threshold if self.count4_threshold != float("inf") else None,
                "info": self.info, "trees": self.trees.to_dict(),
                "trees_dateline": None if self.trees_dateline is None else self.trees_dateline.to_dict(),
                "rerank": None if self.rerank is None else self.rerank.to_dict(),
                "lexicon": self.lexicon,
                "lexicon_dateline": None if self.lexicon_dateline is self.lexicon else self.lexicon_dateline}

    def save(self, path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, separators=(",", ":"))
            fh.write("\n")

    @classmethod
    def from_dict(cls, data: dict) -> "RankerModel":
        from newsgist.highlighting.ranker_features import FEATURE_NAMES
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise ValueError("not a newsgist ranker model")
        if data.get("version") != MODEL_VERSION:
            raise ValueError(f"model version {data.get('version')!r}, this newsgist reads {MODEL_VERSION}")
        if list(data.get("feature_names", [])) != list(FEATURE_NAMES):
            raise ValueError("the model was trained on other features than this newsgist computes; retrain it")
        from newsgist.highlighting.lexicon import check_lexicon
        from newsgist.highlighting.rerank import SetReranker

        def ensemble(t, n_features=len(FEATURE_NAMES)):
            trees = TreeEnsemble.from_dict(t)
            if trees.feature.size and trees.feature.max() >= n_features:
                raise ValueError("tree feature index out of range")
            return trees

        dated = data.get("trees_dateline")
        thr = data.get("count4_threshold")
        return cls(ensemble(data["trees"]), data["feature_names"], data.get("length_penalty", 0.0),
                   data.get("prior_weight", 0.0), float("inf") if thr is None else float(thr), data.get("info"),
                   data.get("length_penalty_dateline"), None if dated is None else ensemble(dated),
                   None if not data.get("rerank") else SetReranker.from_dict(data["rerank"], ensemble),
                   *(None if data.get(k) is None else check_lexicon(data[k]) for k in ("lexicon", "lexicon_dateline")))


def blend(raw, X, length_penalty: float, length_penalty_dateline: float, prior_weight: float):
    """raw - length penalty (per dateline style) * words + prior_weight * position score."""
    from newsgist.highlighting.ranker_features import FEATURE_NAMES
    import numpy as np
    words = X[:, FEATURE_NAMES.index("n_words")]
    prior = X[:, FEATURE_NAMES.index("unsupervised")]
    mu = np.where(X[:, FEATURE_NAMES.index("cnn_dateline")] > 0, length_penalty_dateline, length_penalty)
    return raw - mu * words + prior_weight * prior


def choose_count(article, scores, threshold: float) -> int:
    from newsgist.highlighting.select import select
    if threshold == float("inf") or len(article.sentences) <= BASE_COUNT:
        return BASE_COUNT
    three = {h.sentence for h in select(article, scores, BASE_COUNT)}
    extra = [h.sentence for h in select(article, scores, MAX_AUTO_COUNT) if h.sentence not in three]
    return MAX_AUTO_COUNT if extra and scores[extra[0]] >= threshold else BASE_COUNT


def model_path() -> Path:
    """The model file in use: $NEWSGIST_MODEL, else the shipped one."""
    env = os.environ.get(MODEL_ENV)
    return Path(env) if env else MODEL_PATH


def load_model(path=None) -> RankerModel:
    """Load (and cache) a model; raise :class:`ModelError` saying what is wrong."""
    p = Path(path) if path is not None else model_path()
    key = str(p)
    cached = _CACHE.get(key)
    if isinstance(cached, RankerModel):
        return cached
    if isinstance(cached, ModelError):
        raise cached
    try:
        if not p.is_file():
            raise ModelError(f"ranker model not found at {p}")
        try:
            with open(p, encoding="utf-8") as fh:
                data = json.load(fh)
            model = RankerModel.from_dict(data)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"ranker model {p} is unreadable: {type(exc).__name__}: {exc}") from None
    except ModelError as exc:
        _CACHE[key] = exc
        raise
    _CACHE[key] = model
    return model


def clear_cache() -> None:
    _CACHE.clear()
    _WARNED.clear()


def _warn_once(exc: ModelError) -> None:
    if exc.message not in _WARNED:
        _WARNED.add(exc.message)
        print(f"newsgist: warning: {exc.message}; using the '{FALLBACK_METHOD}' method instead", file=sys.stderr)


def available_model() -> RankerModel | None:
    """The model if it loads; otherwise warn once on stderr and return None."""
    try:
        return load_model()
    except ModelError as exc:
        _warn_once(exc)
        return None


@SCORERS.register("learned", "learned ranker (LightGBM on position, length, centrality and cue features); "
                     "falls back to 'position' without a model")
def score_learned(article) -> list[float]:
    model = available_model()
    if model is None:
        article.meta["method_fallback"] = FALLBACK_METHOD
        return score_position(article)
    scores, chosen = model.score_and_set(article)
    if chosen:
        article.meta["auto_set"] = chosen
        article.meta["auto_count"] = len(chosen)
    elif scores:
        article.meta["auto_count"] = model.choose_count(article, scores)
    return scores
