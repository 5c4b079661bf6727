"""Tests for the ranker's word-salience lexicon (issue 16): scores, features, training fill, model file."""
from __future__ import annotations

import math
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest

from newsgist.evaluation.train_lexicon import fill_lexicon_features, neighbours
from newsgist.highlighting.lexicon import (ALPHA, LEXICON_FEATURE_NAMES, MIN_ARTICLES, check_lexicon,
                                           lexicon_features, scores_from_counts, stem_score)
from newsgist.highlighting.ranker import RankerModel, TreeEnsemble, load_model
from newsgist.highlighting.ranker_features import FEATURE_NAMES, LEXICON_COLUMNS, sentence_features, sentence_stems

pytestmark = pytest.mark.usefixtures("fresh_ranker")


def test_stem_score_hand_worked():
    # 10 articles hold the stem, 5 of them in the references, average rate 0.1:
    # (5 + 10 * 0.1) / (10 + 10) / 0.1 = 3
    assert ALPHA == 10.0
    assert stem_score(10, 5, 0.1) == pytest.approx(math.log(3.0))
    # never in a reference: (0 + 1) / 20 / 0.1 = 0.5
    assert stem_score(10, 0, 0.1) == pytest.approx(math.log(0.5))
    # exactly the average rate scores 0; too few articles score 0 whatever they say
    assert stem_score(50, 5, 0.1) == pytest.approx(0.0)
    assert stem_score(MIN_ARTICLES - 1, MIN_ARTICLES - 1, 0.1) == 0.0


def test_scores_from_counts_keeps_stems_with_enough_articles():
    a = Counter({"kill": 10, "told": 10, "rare": 2})
    h = Counter({"kill": 8, "told": 0, "rare": 2})
    scores = scores_from_counts(a, h)
    assert set(scores) == {"kill", "told"}            # "rare" is in fewer than MIN_ARTICLES
    p0 = 10 / 22
    assert scores["kill"] == pytest.approx(math.log((8 + ALPHA * p0) / 20 / p0), abs=1e-3)
    assert scores["kill"] > 0 > scores["told"]


def test_lexicon_features_hand_worked():
    stems = [["kill", "told", "kill"], [], ["unknown"]]
    F = lexicon_features(stems, {"kill": 1.0, "told": -0.5})
    assert F.shape == (3, len(LEXICON_FEATURE_NAMES))
    # distinct stems: kill 1.0, told -0.5 -> mean 0.25, max 1.0, positive sum 1.0, min -0.5
    assert F[0].tolist() == [0.25, 1.0, 1.0, -0.5]
    assert F[1].tolist() == [0.0, 0.0, 0.0, 0.0]      # no content stems
    assert F[2].tolist() == [0.0, 0.0, 0.0, 0.0]      # unknown stems score 0


def test_sentence_features_fill_lexicon_columns_only_with_a_lexicon():
    texts = ["Police arrested three men on Tuesday.", "The mayor told reporters nothing."]
    plain = sentence_features(texts)
    assert not plain[:, LEXICON_COLUMNS].any()
    lex = {w: 1.0 for w in sentence_stems(texts[:1])[0]}
    X = sentence_features(texts, lexicon=lex)
    assert X[0, LEXICON_COLUMNS].tolist() == [1.0, 1.0, float(len(set(sentence_stems(texts[:1])[0]))), 1.0]
    assert not X[1, LEXICON_COLUMNS].any()
    other = [i for i in range(len(FEATURE_NAMES)) if i not in range(*LEXICON_COLUMNS.indices(len(FEATURE_NAMES)))]
    assert np.array_equal(X[:, other], plain[:, other])


@pytest.mark.parametrize("bad", [[1, 2], {"kill": "high"}, {"kill": float("nan")}, {"kill": True}])
def test_check_lexicon_rejects_bad_entries(bad):
    with pytest.raises(ValueError):
        check_lexicon(bad)


def test_neighbours_by_jaccard():
    sets = [{"a", "b", "c", "d"}, {"a", "b", "c", "e"}, {"x", "y", "z", "w"}, set()]
    near = neighbours(sets, 0.5)          # 0 and 1 share 3 of 5
    assert near == [[1], [0], [], []]
    assert neighbours(sets, 0.7) == [[], [], [], []]


def _filler(i: int, n: int = 20) -> str:
    """``n`` words found in no other article (i: the article)."""
    return " ".join("zz" + "".join(chr(97 + int(d)) for d in f"{i:03d}{k:02d}") for k in range(n)) + "."


def _example(i: int, ref: str, extra: str = ""):
    """A stand-in for a prepared training example: "Storm." "Weather." and a sentence of
    words of article ``i``'s own (plus ``extra``)."""
    texts = ["Storm.", "Weather.", (extra + " " + _filler(i)).strip()]
    art = SimpleNamespace(sentences=texts, sentence_text=lambda k, t=texts: t[k])
    return SimpleNamespace(article=art, refs=[ref], X=np.zeros((len(texts), len(FEATURE_NAMES))))


def test_fill_is_leave_one_out_and_skips_near_duplicates():
    # "storm" is in every article's references, "weather" in none; articles 0 and 1 are
    # one story told twice (the same words, "flood" in both references)
    exs = [_example(0, "Storm flood", "Flood"), _example(0, "Storm flood", "Flood")]
    exs += [_example(i, "Storm") for i in range(2, 8)]
    lex = fill_lexicon_features(exs)[None]
    p0 = (6 * 1 + 2 * 2) / (6 * 22 + 2 * 23)          # reference stems held / stems held, all articles
    assert lex["storm"] == pytest.approx(stem_score(8, 8, p0), abs=1e-3)
    assert lex["weather"] == pytest.approx(stem_score(8, 0, p0), abs=1e-3) and lex["weather"] < 0
    assert "flood" not in lex                           # in fewer than MIN_ARTICLES articles
    col = {n: i for i, n in enumerate(FEATURE_NAMES)}
    # article 2 is counted out of its own lexicon: "storm" from the 7 others
    assert exs[2].X[0, col["lex_mean"]] == pytest.approx(stem_score(7, 7, p0))
    assert exs[2].X[1, col["lex_mean"]] == pytest.approx(stem_score(7, 0, p0))
    # article 0's near-duplicate (article 1) is counted out too: "storm" from 6
    assert exs[0].X[0, col["lex_mean"]] == pytest.approx(stem_score(6, 6, p0))
    # its own words score 0; "flood" is known from no other story
    assert not exs[0].X[2, LEXICON_COLUMNS].any()


def test_fill_with_train_mask_describes_unseen_articles_with_the_whole_lexicon():
    exs = [_example(i, "Storm") for i in range(6)]
    fill_lexicon_features(exs, train_mask=[True] * 5 + [False])
    col = {n: i for i, n in enumerate(FEATURE_NAMES)}
    # the unseen article sees all five; a training article only the four others
    assert exs[5].X[0, col["lex_max"]] > exs[0].X[0, col["lex_max"]] > 0


def test_model_lexicon_round_trip_and_style(tmp_path):
    plain = TreeEnsemble([-1], [0.0], [-1], [-1], [0.0], [0], 0)
    model = RankerModel(plain, FEATURE_NAMES, lexicon={"storm": 1.0}, lexicon_dateline={"storm": -1.0})
    model.save(tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    assert again.lexicon == {"storm": 1.0} and again.lexicon_dateline == {"storm": -1.0}
    col = {n: i for i, n in enumerate(FEATURE_NAMES)}
    stems = [["storm"]]
    undated = SimpleNamespace(sentences=["Storm."], sentence_text=lambda i: "Storm.", dateline=None)
    dated = SimpleNamespace(sentences=["Storm."], sentence_text=lambda i: "Storm.", dateline=(0, 5))
    assert again.features(undated, stems)[0, col["lex_max"]] == 1.0
    assert again.features(dated, stems)[0, col["lex_min"]] == -1.0
    one = RankerModel(plain, FEATURE_NAMES, lexicon={"storm": 0.5})
    assert one.lexicon_dateline == one.lexicon
    assert "lexicon_dateline" in one.to_dict() and one.to_dict()["lexicon_dateline"] is None


def test_shipped_model_has_a_lexicon_per_style():
    model = load_model()
    assert model.lexicon and model.lexicon_dateline and model.lexicon is not model.lexicon_dateline
    assert all(math.isfinite(v) for v in model.lexicon.values())
