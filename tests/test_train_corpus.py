"""Tests for issue 27: lexicon-only training data (lower-cased, PTB-tokenised text) and its counts."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from newsgist.evaluation.train_corpus import detokenize, has_dateline, readable, stem_sets
from newsgist.evaluation.train_lexicon import fill_lexicon_features, neighbours
from newsgist.highlighting.lexicon import stem_score
from newsgist.highlighting.ranker_features import FEATURE_NAMES, sentence_stems

pytestmark = pytest.mark.usefixtures("fresh_ranker")


def test_detokenize_undoes_ptb_spacing():
    t = "the 22 - year - old said he do n't know , and it 's -lrb- maybe -rrb- `` fine '' ."
    assert detokenize(t) == "the 22-year-old said he don't know, and it's (maybe) \" fine \"."


def test_readable_capitalises_sentence_starts_and_the_dateline_outlet():
    t = "london , england ( cnn ) -- police said i was there . ' it is over . ' the u.s. army agreed ."
    assert readable(t) == "London, england (CNN) -- police said I was there. ' It is over. ' The u.s. army agreed."
    assert readable("( reuters ) -- markets fell .") == "(Reuters) -- markets fell."


def test_has_dateline_only_at_the_start():
    assert has_dateline("washington ( cnn ) -- the senate voted .")
    assert has_dateline("( cnn ) -- the senate voted .")
    assert not has_dateline("by . jane doe . the senate voted , cnn reported .")
    assert not has_dateline("the senate voted . ( cnn ) -- later .")


def test_stem_sets_are_case_free_and_the_same_as_on_cased_text():
    lower = {"article": "police arrested 3 men on tuesday . the mayor told reporters .",
             "highlights": ["police arrested three men ."]}
    cased = {"article": "Police arrested 3 men on Tuesday. The mayor told reporters.",
             "highlights": ["Police arrested three men."]}
    bad = {"article": "", "highlights": ["x"]}
    d1, a1, r1 = stem_sets([lower, bad])
    d2, a2, r2 = stem_sets([cased])
    assert a1 == a2 and r1 == r2 and d1 == d2 == [False]
    assert r1[0] == {"police", "arrest", "men"}         # reference stems the article holds


def _words(tag: str, n: int = 20) -> str:
    """``n`` words of one article's own."""
    return " ".join(f"{tag}{chr(97 + k)}x" for k in range(n))


def _example(words: str, ref: str):
    texts = [words]
    art = SimpleNamespace(sentences=texts, sentence_text=lambda k, t=texts: t[k])
    return SimpleNamespace(article=art, refs=[ref], X=np.zeros((1, len(FEATURE_NAMES))))


def test_neighbours_across_two_collections():
    near = neighbours([{"a", "b", "c"}, {"x"}], 0.5, others=[{"a", "b", "c", "d"}, {"q"}, {"a", "b", "c"}])
    assert near == [[0, 2], []]


def test_extra_articles_count_into_their_style_and_near_duplicates_stay_out():
    col = FEATURE_NAMES.index("lex_max")
    texts = [f"storm weather {_words('zz' + chr(97 + i))}" for i in range(4)]
    exs = [_example(t, "storm") for t in texts]
    # six more articles of the same style; one of them is example 0's own story
    extra_arts = [frozenset(sentence_stems([f"storm weather {_words('qq' + chr(97 + i))}"])[0]) for i in range(5)]
    extra_arts.append(frozenset(sentence_stems([texts[0]])[0]))
    extra_refs = [a & {"storm"} for a in extra_arts]
    extra = ([False] * 6, extra_arts, extra_refs)
    lex = fill_lexicon_features(exs, extra=extra)[None]
    a_total = 10 * 22                                     # (article, stem) pairs
    p0 = 10 / a_total                                     # every article's "storm" is in its references
    assert lex["storm"] == pytest.approx(stem_score(10, 10, p0), abs=1e-3)
    # example 1: itself out -> 9 articles; example 0: itself and its near-duplicate out -> 8
    assert exs[1].X[0, col] == pytest.approx(stem_score(9, 9, p0))
    assert exs[0].X[0, col] == pytest.approx(stem_score(8, 8, p0))
    # extra articles of another style do not reach this style's lexicon
    exs2 = [_example(t, "storm") for t in texts]
    lex2 = fill_lexicon_features(exs2, groups=[False] * 4, extra=([True] * 6, extra_arts, extra_refs))
    assert set(lex2) == {False, True} and lex2[False]["storm"] != lex2[True]["storm"]


# ------------------------------------------------------------------ session 2: tree data


def test_tree_examples_mask_case_features_and_skip_dated_articles():
    from newsgist.evaluation.train_corpus import CASE_FEATURES, fill_from_lexicon
    from newsgist.evaluation.train_ranker import tree_examples
    recs = [{"article": "the storm hit the town on monday . residents said they were n't warned . "
                        "the mayor 's office said the roads would reopen . officials counted 12 homes damaged .",
             "highlights": ["the storm hit the town on monday ."]},
            {"article": "london ( cnn ) -- the senate voted . the bill passed . it goes to the house next .",
             "highlights": ["the senate voted ."]},
            {"article": "no highlights here .", "highlights": []}]
    exs = tree_examples(recs)
    assert len(exs) == 1                                  # the dated one and the one without references are left out
    e = exs[0]
    masked = [FEATURE_NAMES.index(f) for f in CASE_FEATURES]
    assert np.isnan(e.X[:, masked]).all()
    others = [k for k in range(len(FEATURE_NAMES)) if k not in masked]
    assert np.isfinite(e.X[:, others]).all()
    assert e.y[0] == 1.0                                  # the oracle label, from the detokenised reference
    assert e.article.sentence_text(0).startswith("The storm hit")
    fill_from_lexicon(exs, {False: {"storm": 1.5}, True: {"storm": -1.0}}, [False])
    assert e.X[0, FEATURE_NAMES.index("lex_max")] == pytest.approx(1.5)
    assert e.X[1, FEATURE_NAMES.index("lex_max")] == 0.0


def test_tree_examples_of_the_dated_style_keep_their_dateline():
    """Session 3: ``style="dated"`` takes only the articles with a wire/CNN dateline (the dated
    trees learn from them), ``"all"`` both; an unknown style is an error."""
    from newsgist.evaluation.train_corpus import tree_records
    from newsgist.evaluation.train_ranker import dated_of, tree_examples
    recs = [{"article": "the storm hit the town on monday . residents said they were n't warned . "
                        "the mayor 's office said the roads would reopen .",
             "highlights": ["the storm hit the town on monday ."]},
            {"article": "london ( cnn ) -- the senate voted on the bill . the bill passed by two votes . "
                        "it goes to the house next week .",
             "highlights": ["the senate voted ."]}]
    dated = tree_examples(recs, style="dated")
    assert len(dated) == 1 and dated_of(dated) == [True]
    assert dated[0].article.sentence_text(0) == "the senate voted on the bill."   # the dateline cleaned off
    assert dated_of(tree_examples(recs, style="all")) == [False, True]
    assert dated_of(tree_examples(recs)) == [False]                       # the default: undated (session 2)
    with pytest.raises(ValueError):
        list(tree_records(recs, style="cnn"))
