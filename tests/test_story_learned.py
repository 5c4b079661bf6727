"""The story's learned sentence score (issue 29, session 2): the shipped model matches the
features, never ranks a sentence lower for more support, and the hand weights take over
without it."""
from __future__ import annotations

from pathlib import Path

import numpy as np

import newsgist
from newsgist.story import StoryOptions, learned, rank
from newsgist.story.index import FactIndex, units_of
from newsgist.story.load import read_all

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "story").glob("harbourline-*.txt"))]


def _index():
    reads, _ = read_all(TEXTS, StoryOptions().card)
    index = FactIndex(units_of(reads), len(reads))
    index.match_all()
    return index, reads


def test_the_shipped_model_matches_the_features():
    model = learned.load_model()
    assert model is not None, "src/newsgist/models/story-sentences.json missing or stale: run benchmarks/train_story.py"
    assert model.info["data"].endswith("stories 0-99")
    index, reads = _index()
    rows = learned.features(index, reads)
    assert len(rows) == len(index.units) and all(len(r) == len(learned.FEATURE_NAMES) for r in rows)
    scores = rank.story_scores(index, reads)          # a word-budget summary: the learned model
    assert scores == model.predict(rows) and len(set(scores)) > 5
    # a count of highlights (the card's default) is ranked by the hand weights
    assert rank.story_scores(index, reads, summary=False) == rank.hand_scores(index, reads)
    d = newsgist.story(TEXTS, words=60).to_dict()
    assert d["highlights"][0]["score"] == round(max(scores), 4)
    d = newsgist.story(TEXTS).to_dict()
    assert d["highlights"][0]["text"].startswith("A steering failure")


def test_more_support_never_lowers_the_score():
    index, reads = _index()
    X = np.asarray(learned.features(index, reads), dtype=np.float64)
    model = learned.load_model()
    base = np.asarray(model.predict(X.tolist()))
    for name in learned.MONOTONE:
        c = learned.FEATURE_NAMES.index(name)
        for step in (0.1, 0.5, 1.0, 3.0):
            up = X.copy()
            up[:, c] += step
            assert (np.asarray(model.predict(up.tolist())) >= base - 1e-12).all(), name


def test_hand_weights_without_the_model(monkeypatch):
    index, reads = _index()
    monkeypatch.setattr(learned, "learned_scores", lambda *a, **k: None)
    assert rank.story_scores(index, reads) == rank.hand_scores(index, reads)
    d = newsgist.story(TEXTS, words=60).to_dict()
    assert d["highlights"][0]["text"].startswith("A steering failure")
    monkeypatch.setattr(rank, "USE_LEARNED", False)
    assert rank.story_scores(index, reads) == rank.hand_scores(index, reads)


def test_a_stale_model_file_is_not_used(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text('{"kind": "newsgist-story-sentences", "features": ["position"], "trees": {}}', encoding="utf-8")
    assert learned.load_model(str(bad)) is None
    assert learned.load_model(str(tmp_path / "missing.json")) is None
