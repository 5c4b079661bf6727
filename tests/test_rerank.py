"""The ranker's second stage: sets of 3-4 candidates scored as a whole (issue 16)."""
from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from newsgist.article import Article
from newsgist.evaluation.train_rerank import RERANK_MIN_GAIN, oof_sets, set_data, train_rerank
from newsgist.highlighting import ranker
from newsgist.highlighting.ranker import MODEL_ENV, RankerModel, TreeEnsemble, load_model
from newsgist.highlighting.ranker_features import FEATURE_NAMES, sentence_features, sentence_stems
from newsgist.highlighting.rerank import CANDIDATES, SET_FEATURE_NAMES, SET_SIZES, SetReranker, candidates, set_features
from newsgist.highlighting.select import select
from newsgist.options import Options
from newsgist.pipeline import run
from newsgist.reading.stages import stage_clean, stage_segment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-bridge.txt"
COL = {n: i for i, n in enumerate(SET_FEATURE_NAMES)}

SEVEN = (
    "The city council voted on Monday to close the old harbour bridge to cars. "
    "Engineers found cracks in two of the bridge's steel supports last month. "
    "Repairs will cost about 40 million dollars and take two years. "
    "Buses and bicycles may still cross the bridge during the repairs. "
    "Shop owners near the bridge said they feared losing customers. "
    "The council will vote again in March on a plan for a new ferry. "
    "A public meeting on the closure is set for next Thursday evening."
)


pytestmark = pytest.mark.usefixtures("fresh_ranker")   # conftest: no NEWSGIST_MODEL, empty cache


def _article(text: str) -> Article:
    return run(Article(source=text), Options(method="position"), [("clean", stage_clean), ("segment", stage_segment)])


def _leaf(value: float) -> TreeEnsemble:
    return TreeEnsemble([-1], [0.0], [-1], [-1], [value], [0], 0)


def _split(feature: str, threshold: float, left: float, right: float) -> TreeEnsemble:
    """One tree: rows with set feature <= threshold score ``left``, the others ``right``."""
    return TreeEnsemble([COL[feature], -1, -1], [threshold, 0.0, 0.0], [1, -1, -1], [2, -1, -1],
                        [0.0, left, right], [0], 1)


def _inputs(text=SEVEN, scores=None):
    a = _article(text)
    X = sentence_features(a)
    n = len(a.sentences)
    scores = list(scores) if scores is not None else [float(n - i) for i in range(n)]
    return a, X, np.array(scores), scores


def test_candidates_are_what_selection_offers_first_best_first():
    a, _, _, scores = _inputs(scores=[0.1, 5.0, 0.2, 4.0, 0.3, 3.0, 2.0])
    cand = candidates(a, scores)
    assert cand == [1, 3, 5, 6, 4]          # by score, CANDIDATES of them
    assert sorted(cand) == sorted(h.sentence for h in select(a, scores, CANDIDATES))


def test_set_features_enumerate_every_set_of_3_and_4_candidates():
    a, X, raw, scores = _inputs()
    sets, F = set_features(a, X, raw, scores)
    cand = candidates(a, scores)
    expected = [tuple(sorted(c)) for k in SET_SIZES for c in combinations(cand, k)]
    assert sets == expected and len(sets) == 10 + 5
    assert F.shape == (15, len(SET_FEATURE_NAMES)) and np.isfinite(F).all()
    for c, row in zip(sets, F):
        assert row[COL["size"]] == len(c)
        assert row[COL["score_sum"]] == pytest.approx(sum(scores[i] for i in c))
        assert row[COL["first_index"]] == c[0] and row[COL["has_first"]] == float(c[0] == 0)
        assert row[COL["words_sum"]] == sum(X[i, FEATURE_NAMES.index("n_words")] for i in c)
        assert 0.0 <= row[COL["top_coverage"]] <= 1.0 and 0.0 < row[COL["distinct_share"]] <= 1.0
    # the best three candidates' set is 0 against itself
    top3 = tuple(sorted(cand[:3]))
    assert F[sets.index(top3), COL["score_vs_top3"]] == pytest.approx(0.0)


def test_hand_worked_overlap_and_coverage():
    # sentences 0 and 1 share five content stems in another order (no trigram in common)
    text = ("Alpha beta gamma delta met today. Delta met gamma yesterday beta alpha. "
            "Zeta eta theta iota left early. Kappa lambda sigma omega arrived late.")
    a, X, raw, scores = _inputs(text)
    sets, F = set_features(a, X, raw, scores)
    assert sets == [(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3), (0, 1, 2, 3)]
    row = F[sets.index((0, 1, 2))]
    # 5 shared stems of the smaller sentence's 6
    assert row[COL["overlap_max"]] == pytest.approx(5 / 6)
    assert F[sets.index((0, 2, 3)), COL["overlap_max"]] == 0.0
    assert F[sets.index((0, 1, 2, 3)), COL["top_coverage"]] == pytest.approx(1.0)


def test_too_few_candidates_give_no_sets():
    a, X, raw, scores = _inputs("One short line here today. Another line follows it now.")
    assert set_features(a, X, raw, scores)[0] == []
    assert SetReranker(_leaf(0.0)).choose(a, X, raw, scores) is None


def test_choose_follows_the_trees():
    a, X, raw, scores = _inputs()
    fours = SetReranker(_split("size", 3.5, 0.0, 1.0)).choose(a, X, raw, scores)
    threes = SetReranker(_split("size", 3.5, 1.0, 0.0)).choose(a, X, raw, scores)
    assert len(fours) == 4 and len(threes) == 3
    # ties: the first set enumerated, i.e. the best three candidates' combination order
    assert threes == sorted(candidates(a, scores)[:3])
    # prefer the set without the first sentence
    late = SetReranker(_split("first_index", 0.5, 0.0, 1.0)).choose(a, X, raw, scores)
    assert 0 not in late


def test_select_takes_preferred_sentences_first_under_the_same_rules():
    a = _article(SEVEN)
    scores = [7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    assert [h.sentence for h in select(a, scores, 3, prefer=[6, 4, 2])] == [2, 4, 6]
    assert [h.sentence for h in select(a, scores, 4, prefer=[6, 4, 2])] == [0, 2, 4, 6]
    assert [h.sentence for h in select(a, scores, 3, prefer=[99, 5])] == [0, 1, 5]   # out of range ignored
    # preferred sentences are taken best score first: a smaller count keeps the best of them
    assert [h.sentence for h in select(a, scores, 1, prefer=[6, 4, 2])] == [2]
    # a preferred sentence still obeys max_words
    long_one = max(range(7), key=lambda i: len(a.sentence_text(i).split()))
    got = [h.sentence for h in select(a, scores, 3, max_words=len(a.sentence_text(long_one).split()) - 1,
                                      prefer=[long_one])]
    assert long_one not in got and len(got) == 3


def test_preferred_set_survives_one_sided_trigram_blocking():
    # a long early sentence restates a short later one: checked short-first (greedy order) both
    # pass, checked in article order the short one would be blocked as a repeat
    text = ("Officials said on Monday that the old harbour bridge will close for two years, after "
            "engineers found cracks, rust and loose bolts in its ageing steel frame last spring. "
            "Ferries will carry commuters across the harbour while the work goes on. "
            "The old harbour bridge will close for two years. "
            "Shop owners near the bridge fear they will lose customers during the closure.")
    a = _article(text)
    scores = [2.0, 0.5, 3.0, 1.0]
    got = [h.sentence for h in select(a, scores, 2, prefer=[0, 2])]
    assert got == [0, 2]


def test_model_with_a_reranker_round_trips_and_sets_auto_set(tmp_path, monkeypatch):
    model = RankerModel(_leaf(0.0), FEATURE_NAMES, rerank=SetReranker(_split("size", 3.5, 0.0, 1.0), {"x": 1}))
    path = tmp_path / "m.json"
    model.save(path)
    again = load_model(path)
    assert again.to_dict() == model.to_dict() and again.rerank.info == {"x": 1}
    monkeypatch.setenv(MODEL_ENV, str(path))
    ranker.clear_cache()
    a = _article(SEVEN)
    scores = ranker.score_learned(a)
    assert len(a.meta["auto_set"]) == 4 and a.meta["auto_count"] == 4
    a.scores = scores
    from newsgist.highlighting.stages import stage_select
    assert [h.sentence for h in stage_select(a, Options()).highlights] == a.meta["auto_set"]


def test_reranker_with_other_set_features_is_rejected(tmp_path):
    data = RankerModel(_leaf(0.0), FEATURE_NAMES, rerank=SetReranker(_leaf(1.0))).to_dict()
    data["rerank"]["feature_names"] = data["rerank"]["feature_names"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        RankerModel.from_dict(data)
    data = RankerModel(_leaf(0.0), FEATURE_NAMES, rerank=SetReranker(_split("size", 3.5, 0.0, 1.0))).to_dict()
    data["rerank"]["trees"]["feature"][0] = len(SET_FEATURE_NAMES)
    with pytest.raises(ValueError, match="out of range"):
        RankerModel.from_dict(data)


def test_model_without_a_reranker_still_loads():
    data = RankerModel(_leaf(0.0), FEATURE_NAMES).to_dict()
    data.pop("rerank")
    assert RankerModel.from_dict(data).rerank is None


class _Ex:
    """What train_rerank reads of a prepared example."""

    def __init__(self, text, refs):
        from collections import Counter
        from newsgist.evaluation.rouge import rouge_tokens
        self.article = _article(text)
        self.X = sentence_features(self.article)
        self.tokens = [rouge_tokens(self.article.sentence_text(i)) for i in range(len(self.article.sentences))]
        ref = rouge_tokens(" ".join(refs))
        self.ref1 = Counter(ref)
        self.ref2 = Counter(zip(ref, ref[1:]))


def test_set_data_labels_are_per_article_z_scores():
    ex = _Ex(SEVEN, ["Repairs will cost 40 million dollars.", "Shop owners fear losing customers."])
    n = len(ex.article.sentences)
    [(sets, F, z, value)] = set_data([ex], [np.zeros(n)], [[float(n - i) for i in range(n)]])
    assert len(sets) == len(z) == len(value) == F.shape[0] == 15
    assert z.mean() == pytest.approx(0.0) and (np.argmax(z) == np.argmax(value))
    best = sets[int(np.argmax(value))]
    assert 2 in best and 4 in best          # the two sentences the references restate


def test_train_rerank_learns_a_size_preference_out_of_fold():
    pytest.importorskip("lightgbm")
    # every reference restates four sentences: sets of 4 win, and the trees must learn it
    texts = [SEVEN.replace("harbour", w) for w in ("north", "south", "east", "west", "river", "canal",
                                                   "rail", "stone", "iron", "green", "red", "blue")]
    exs = [_Ex(t, [t.split(". ")[i] for i in (0, 1, 2, 3)]) for t in texts]
    n = len(exs[0].article.sentences)
    raw = [np.zeros(n) for _ in exs]
    scores = [[float(n - i) for i in range(n)] for _ in exs]
    base = [[0, 1, 4] for _ in exs]        # a poor greedy choice to beat
    picked = oof_sets(set_data(exs, raw, scores), 3, threads=1)
    assert set(picked) == set(range(len(exs))) and all(len(c) == 4 for c in picked.values())
    model, report = train_rerank(exs, raw, scores, base, 3, threads=1)
    assert report["kept"] and report["gain"] >= RERANK_MIN_GAIN and isinstance(model, SetReranker)
    # nothing to gain: the greedy choice is already the best set -> dropped
    best = [list(picked[i]) for i in range(len(exs))]
    model, report = train_rerank(exs, raw, scores, best, 3, threads=1)
    assert model is None and not report["kept"]


def test_shipped_model_carries_a_kept_reranker():
    model = load_model()
    assert model.rerank is not None and model.info["set_reranker"]["kept"] is True
    a = _article(EXAMPLE.read_text(encoding="utf-8"))
    scores, chosen = model.score_and_set(a)
    assert chosen == sorted(chosen) and len(chosen) in SET_SIZES and set(chosen) <= set(candidates(a, scores))


def test_set_lexicon_features_hand_worked():
    a, X, raw, scores = _inputs()
    cust, = sentence_stems(["customers"])[0]          # only in sentence 4
    eng, = sentence_stems(["Engineers"])[0]           # only in sentence 1
    sets, F = set_features(a, X, raw, scores, lexicon={cust: 2.0, eng: -1.0})
    stems = sentence_stems(a.sentence_text(i) for i in range(len(a.sentences)))
    assert sum(cust in s for s in stems) == 1 and sum(eng in s for s in stems) == 1
    assert any(4 in c for c in sets) and any(1 in c for c in sets)
    for c, row in zip(sets, F):
        union = set().union(*(stems[i] for i in c))
        assert row[COL["lex_cover"]] == (2.0 if 4 in c else 0.0)
        assert row[COL["lex_cover_share"]] == (1.0 if 4 in c else 0.0)   # the article's only positive stem
        assert row[COL["lex_neg_mean"]] == pytest.approx(-1.0 / len(union) if 1 in c else 0.0)
    # without a lexicon those columns are 0 and the others unchanged
    _, plain = set_features(a, X, raw, scores)
    lex_cols = [COL[n] for n in ("lex_cover", "lex_cover_share", "lex_neg_mean")]
    assert not plain[:, lex_cols].any()
    other = [i for i in range(len(SET_FEATURE_NAMES)) if i not in lex_cols]
    assert np.array_equal(plain[:, other], F[:, other])
