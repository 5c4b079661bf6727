"""Tests for the learned highlight ranker: training, the shipped model, fallbacks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.highlighting import ranker
from newsgist.article import Article
from newsgist.apps.cli.main import main as cli_main
from newsgist.errors import ModelError
from newsgist.evaluation.train_common import ENSEMBLE_SEEDS
from newsgist.options import Options
from newsgist.pipeline import run
from newsgist.reading.stages import stage_clean, stage_segment
from newsgist.highlighting.ranker import MODEL_ENV, MODEL_PATH, RankerModel, TreeEnsemble, choose_count, load_model
from newsgist.highlighting.ranker_features import FEATURE_NAMES, sentence_features

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "ranker" / "tiny.jsonl"
EXAMPLE = ROOT / "examples" / "harbour-bridge.txt"


def _article(text: str) -> Article:
    return run(Article(source=text), Options(method="position"), [("clean", stage_clean), ("segment", stage_segment)])


pytestmark = pytest.mark.usefixtures("fresh_ranker")   # conftest: no NEWSGIST_MODEL, empty cache


def _cli(*args, env_model=None):
    env = dict(os.environ)
    env.pop(MODEL_ENV, None)
    if env_model is not None:
        env[MODEL_ENV] = str(env_model)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "newsgist", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


# ------------------------------------------------------------------ features


def test_features_shape_and_meaning():
    text = ('The council voted on Tuesday to close the bridge to cars. It found 40 rusty cables. '
            '"We had no choice," the mayor said. Will it reopen?')
    X = sentence_features(_article(text))
    assert X.shape == (4, len(FEATURE_NAMES))
    col = {n: X[:, i] for i, n in enumerate(FEATURE_NAMES)}
    assert col["index"].tolist() == [0, 1, 2, 3]
    assert col["n_words"][0] == 11
    assert col["sim_first"][0] == 1.0
    assert col["digit_tokens"].tolist() == [0, 1, 0, 0]
    assert col["starts_quote"].tolist() == [0, 0, 1, 0]
    assert col["attribution"].tolist() == [0, 0, 1, 0]
    assert col["question"].tolist() == [0, 0, 0, 1]
    assert np.isfinite(X).all()


def test_features_of_plain_sentence_list_match_article():
    a = _article(EXAMPLE.read_text(encoding="utf-8"))
    texts = [a.sentence_text(i) for i in range(len(a.sentences))]
    assert np.array_equal(sentence_features(a), sentence_features(texts, cnn_dateline=a.dateline is not None))


def test_furniture_and_outlet_features():
    texts = ["A Polish man stole secret documents about British submarines, a court heard today.",
             "Trial: Marcin Kostrzewa (pictured arriving at court) broke into the flat.",
             "He added: 'I did not know about it.'",
             "A Polish man stole secret documents about submarines, the court heard.",
             "Officers found the files in an airing cupboard"]
    col = {n: i for i, n in enumerate(FEATURE_NAMES)}
    X = sentence_features(texts)
    assert X[:, col["caption_paren"]].tolist() == [0, 1, 0, 0, 0]
    assert X[:, col["label_colon"]].tolist() == [0, 1, 0, 0, 0]    # "He added:" is speech, not a label
    assert X[:, col["no_final_stop"]].tolist() == [0, 0, 0, 0, 1]
    assert X[3, col["max_sim_before"]] > 0.6 and X[0, col["max_sim_after"]] > 0.6   # the repeat, both ways
    assert X[0, col["max_sim_before"]] == 0.0 and X[4, col["max_sim_after"]] == 0.0
    assert np.allclose(X[:, col["art_caption_share"]], 0.2)
    assert np.allclose(X[:, col["art_dup_share"]], 0.2)
    assert X[:, col["cnn_dateline"]].tolist() == [0] * 5
    assert sentence_features(texts, cnn_dateline=True)[:, col["cnn_dateline"]].tolist() == [1] * 5
    dated = _article("LONDON (CNN) -- The council voted to close the bridge. It found 40 rusty cables.")
    assert sentence_features(dated)[:, col["cnn_dateline"]].tolist() == [1, 1]


def test_length_penalty_per_dateline(tmp_path):
    trees = TreeEnsemble([-1], [0.0], [-1], [-1], [0.0], [0], 0)
    model = RankerModel(trees, FEATURE_NAMES, length_penalty=0.0, length_penalty_dateline=0.1)
    col = {n: i for i, n in enumerate(FEATURE_NAMES)}
    X = np.zeros((2, len(FEATURE_NAMES)))
    X[:, col["n_words"]] = 10
    X[1, col["cnn_dateline"]] = 1
    assert model.score_matrix(X).tolist() == [0.0, -1.0]
    model.save(tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    assert again.length_penalty_dateline == 0.1 and again.length_penalty == 0.0
    assert RankerModel(trees, FEATURE_NAMES, length_penalty=0.2).length_penalty_dateline == 0.2


# ------------------------------------------------------------------ trees


def test_tree_ensemble_matches_lightgbm():
    lgb = pytest.importorskip("lightgbm")
    rng = np.random.default_rng(0)
    X = rng.random((400, 6))
    y = (X[:, 0] + 0.5 * X[:, 3] + 0.2 * rng.random(400) > 0.9).astype(float)
    booster = lgb.train({"objective": "binary", "num_leaves": 6, "verbose": -1, "seed": 0, "num_threads": 1}, lgb.Dataset(X, y), 30)
    trees = TreeEnsemble.from_lightgbm(booster.dump_model())
    Xt = rng.random((50, 6))
    assert np.allclose(trees.predict(Xt), booster.predict(Xt, raw_score=True), atol=1e-10)
    # and survives a JSON round trip
    again = TreeEnsemble(**json.loads(json.dumps(trees.to_dict())))
    assert np.array_equal(again.predict(Xt), trees.predict(Xt))


def test_tree_ensemble_average_is_the_mean_of_its_members():
    # hand-worked: a stump on feature 0 (x <= 0.5: 1.0, else 3.0) and a single leaf (2.0)
    stump = TreeEnsemble([0, -1, -1], [0.5, 0, 0], [1, -1, -1], [2, -1, -1], [0.0, 1.0, 3.0], [0], 1)
    leaf = TreeEnsemble([-1], [0.0], [-1], [-1], [2.0], [0], 0)
    avg = TreeEnsemble.average([stump, leaf])
    assert np.allclose(avg.predict([[0.2], [0.9]]), [1.5, 2.5])
    assert TreeEnsemble.average([leaf]) is leaf


def test_tree_ensemble_average_matches_boosters_with_other_seeds():
    lgb = pytest.importorskip("lightgbm")
    rng = np.random.default_rng(1)
    X = rng.random((300, 4))
    y = (X[:, 1] + 0.3 * rng.random(300) > 0.7).astype(float)
    params = {"objective": "binary", "num_leaves": 8, "bagging_fraction": 0.7, "bagging_freq": 1, "verbose": -1,
              "num_threads": 1}
    boosters = [lgb.train(dict(params, seed=s), lgb.Dataset(X, y), 20) for s in (0, 1, 2)]
    avg = TreeEnsemble.average([TreeEnsemble.from_lightgbm(b.dump_model()) for b in boosters])
    Xt = rng.random((40, 4))
    want = np.mean([b.predict(Xt, raw_score=True) for b in boosters], axis=0)
    assert np.allclose(avg.predict(Xt), want, atol=1e-10)
    assert not np.allclose(want, boosters[0].predict(Xt, raw_score=True))   # the seeds did differ


def test_tree_ensemble_rejects_bad_indices():
    with pytest.raises(ValueError):
        TreeEnsemble([0, -1, -1], [0.5, 0, 0], [1, -1, -1], [7, -1, -1], [0, 1, 2], [0], 1)


# ------------------------------------------------------------------ training


def test_train_on_tiny_fixture_gives_loadable_model(tmp_path, capsys):
    pytest.importorskip("lightgbm")
    out = tmp_path / "m.json"
    assert cli_main(["train", str(TINY), "--out", str(out), "--folds", "3", "--threads", "1", "-q"]) == 0
    assert "wrote" in capsys.readouterr().out
    model = load_model(out)
    assert model.feature_names == list(FEATURE_NAMES)
    assert len(model.trees.roots) > 0
    assert model.info["articles"] == 10
    assert model.info["ensemble"] == ENSEMBLE_SEEDS
    a = _article(EXAMPLE.read_text(encoding="utf-8"))
    scores = model.score(a)
    assert len(scores) == len(a.sentences) and all(np.isfinite(scores))
    # a fixed seed: training again gives the same file
    out2 = tmp_path / "m2.json"
    assert cli_main(["train", str(TINY), "--out", str(out2), "--folds", "3", "--threads", "1", "-q"]) == 0
    strip = lambda p: {k: v for k, v in json.loads(p.read_text()).items() if k != "info"}  # noqa: E731
    assert strip(out) == strip(out2)


def test_trained_model_used_through_env_var(tmp_path):
    pytest.importorskip("lightgbm")
    out = tmp_path / "m.json"
    assert cli_main(["train", str(TINY), "--out", str(out), "--folds", "2", "--threads", "1", "--ensemble", "1",
                     "-q"]) == 0
    assert load_model(out).info["ensemble"] == 1
    r = _cli("highlights", EXAMPLE, "-f", "json", env_model=out)
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr
    card = json.loads(r.stdout)
    assert card["meta"]["method"] == "learned"
    assert 3 <= len(card["highlights"]) <= 4


def test_train_with_lexicon_data(tmp_path):
    """Issue 27: --lexicon-data (lower-cased, PTB-tokenised records too) feeds the lexicon only."""
    pytest.importorskip("lightgbm")
    import gzip
    extra = tmp_path / "extra.jsonl.gz"
    recs = [{"article": f"( cnn ) -- the harbour bridge closed on day {i} . officials said it was n't safe .",
             "highlights": ["the harbour bridge closed ."]} for i in range(4)]
    recs += [{"article": f"by . a writer . the storm hit town {i} . residents said they were n't told .",
              "highlights": ["the storm hit town ."]} for i in range(4)]
    with gzip.open(extra, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r) for r in recs) + "\n")
    out = tmp_path / "m.json"
    assert cli_main(["train", str(TINY), "--out", str(out), "--folds", "2", "--threads", "1", "--ensemble", "1",
                     "--lexicon-data", str(extra), "-q"]) == 0
    model = load_model(out)
    assert model.info["lexicon_extra_articles"] == {"dateline": 4, "other": 4}
    lex = {**model.lexicon, **model.lexicon_dateline}
    assert lex.get("storm", 0.0) > 0 or lex.get("harbour", 0.0) > 0
    assert model.info["articles"] == 10            # the trees learned from the training records only
    assert cli_main(["train", str(TINY), "--out", str(tmp_path / "m2.json"), "--lexicon-data",
                     str(tmp_path / "missing.jsonl")]) == 3


def test_train_with_tree_data(tmp_path):
    """Issue 27, session 2: --tree-data (lower-cased records) trains the undated trees too,
    tunes nothing, and a fixed seed gives the same file."""
    pytest.importorskip("lightgbm")
    extra = tmp_path / "trees.jsonl"
    recs = [{"article": f"the storm hit town {i} on monday . residents said they were n't told . "
                        f"the council met on tuesday . roads reopened on friday {i} .",
             "highlights": [f"the storm hit town {i} ."]} for i in range(6)]
    recs.append({"article": "( cnn ) -- the bridge closed . it reopened .", "highlights": ["the bridge closed ."]})
    extra.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    outs = [tmp_path / "m1.json", tmp_path / "m2.json"]
    for out in outs:
        assert cli_main(["train", str(TINY), "--out", str(out), "--folds", "2", "--threads", "1", "--ensemble", "1",
                         "--tree-data", str(extra), "--tree-weight", "0.5", "-q"]) == 0
    model = load_model(outs[0])
    assert model.info["tree_extra_articles"] == {"dateline": 0, "other": 6, "weight": 0.5, "style": "undated"}
    assert model.info["articles"] == 10
    strip = lambda p: {k: v for k, v in json.loads(p.read_text()).items() if k != "info"}  # noqa: E731
    assert strip(outs[0]) == strip(outs[1])
    assert np.isfinite(model.score(_article(EXAMPLE.read_text(encoding="utf-8")))).all()
    assert cli_main(["train", str(TINY), "--out", str(tmp_path / "m3.json"), "--tree-data", str(extra),
                     "--tree-weight", "0"]) == 2
    # session 3: --tree-style dated takes the articles with a dateline (to the dated trees), all takes both
    for style, want in (("dated", (1, 0)), ("all", (1, 6))):
        out = tmp_path / f"m-{style}.json"
        assert cli_main(["train", str(TINY), "--out", str(out), "--folds", "2", "--threads", "1", "--ensemble", "1",
                         "--tree-data", str(extra), "--tree-style", style, "-q"]) == 0
        info = load_model(out).info["tree_extra_articles"]
        assert (info["dateline"], info["other"], info["style"]) == (*want, style)
    with pytest.raises(SystemExit) as exc:   # argparse's own usage error, exit code 2
        cli_main(["train", str(TINY), "--out", str(tmp_path / "m4.json"), "--tree-data", str(extra),
                  "--tree-style", "cnn"])
    assert exc.value.code == 2


def test_train_lambdarank_objective(tmp_path):
    """Issue 27, session 3: --objective lambdarank ranks each article's sentences (one query an
    article); the model says so, scores finite values, a fixed seed gives the same file, and the
    trees differ from the binary ones."""
    pytest.importorskip("lightgbm")
    outs = [tmp_path / "r1.json", tmp_path / "r2.json", tmp_path / "b.json"]
    for out, obj in zip(outs, ("lambdarank", "lambdarank", "binary")):
        assert cli_main(["train", str(TINY), "--out", str(out), "--folds", "2", "--threads", "1", "--ensemble", "1",
                         "--objective", obj, "-q"]) == 0
    model = load_model(outs[0])
    assert model.info["lightgbm_params"]["objective"] == "lambdarank"
    assert load_model(outs[2]).info["lightgbm_params"]["objective"] == "binary"
    strip = lambda p: {k: v for k, v in json.loads(p.read_text()).items() if k != "info"}  # noqa: E731
    assert strip(outs[0]) == strip(outs[1])
    assert strip(outs[0])["trees"] != strip(outs[2])["trees"]
    assert np.isfinite(model.score(_article(EXAMPLE.read_text(encoding="utf-8")))).all()
    from newsgist.errors import InputError
    from newsgist.evaluation.train_ranker import fit
    with pytest.raises(InputError):
        fit([], objective="pairwise")


def test_train_errors(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    assert cli_main(["train", str(empty), "--out", str(tmp_path / "m.json")]) == 3
    assert cli_main(["train", str(TINY), "--out", str(tmp_path / "m.json"), "--folds", "1"]) == 2
    assert cli_main(["train", str(TINY), "--out", str(tmp_path / "m.json"), "--ensemble", "0"]) == 2
    assert cli_main(["train", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "m.json")]) == 3
    assert not (tmp_path / "m.json").exists()


# ------------------------------------------------------------------ the shipped model


def test_shipped_model_loads_and_is_deterministic():
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size < 25 * 1024 * 1024
    model = load_model()
    a = _article(EXAMPLE.read_text(encoding="utf-8"))
    first = model.score(a)
    ranker.clear_cache()
    second = load_model().score(_article(EXAMPLE.read_text(encoding="utf-8")))
    assert first == second
    assert len(first) == len(a.sentences)
    # the lede of this example is the obvious highlight
    assert int(np.argmax(first)) == 0


def test_shipped_model_is_the_default_and_cli_output_is_stable():
    from newsgist.highlighting.methods import default_method
    assert default_method() == "learned"
    runs = [_cli("highlights", EXAMPLE, "-f", "json") for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr
        assert r.stderr == ""
    cards = [json.loads(r.stdout) for r in runs]
    assert cards[0]["highlights"] == cards[1]["highlights"]
    assert cards[0]["meta"]["method"] == "learned"
    assert cards[0]["meta"]["auto_count"] in (3, 4)


def test_learned_scorer_sets_auto_count():
    a = _article(EXAMPLE.read_text(encoding="utf-8"))
    scores = ranker.score_learned(a)
    assert len(scores) == len(a.sentences)
    assert a.meta["auto_count"] in (3, 4)


def test_choose_count_threshold():
    a = _article(EXAMPLE.read_text(encoding="utf-8"))
    assert len(a.sentences) > 4
    scores = [float(len(a.sentences) - i) for i in range(len(a.sentences))]
    assert choose_count(a, scores, float("inf")) == 3
    assert choose_count(a, scores, -1e9) == 4
    short = _article("One sentence here is fine. Two sentences here now. Three is enough.")
    assert choose_count(short, [3.0, 2.0, 1.0], -1e9) == 3


# ------------------------------------------------------------------ missing / corrupt models


def test_missing_model_raises_model_error(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope.json")


@pytest.mark.parametrize("content, message", [
    ("{not json", "unreadable"),
    (json.dumps({"format": "something-else"}), "not a newsgist ranker model"),
    (json.dumps({"format": "newsgist-ranker", "version": 1, "feature_names": ["a", "b"]}), "other features"),
])
def test_corrupt_model_raises_model_error(tmp_path, content, message):
    p = tmp_path / "bad.json"
    p.write_text(content)
    with pytest.raises(ModelError, match=message):
        load_model(p)


def test_truncated_shipped_model_is_rejected(tmp_path):
    p = tmp_path / "cut.json"
    p.write_text(MODEL_PATH.read_text()[:5000])
    with pytest.raises(ModelError, match="unreadable"):
        load_model(p)


def test_fallback_warns_once_and_scores_like_position(tmp_path, monkeypatch, capsys):
    from newsgist.highlighting.methods import default_method
    from newsgist.highlighting.scorers import score_position
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "nope.json"))
    assert default_method() == "position"
    a = _article(EXAMPLE.read_text(encoding="utf-8"))
    assert ranker.score_learned(a) == score_position(a)
    assert a.meta["method_fallback"] == "position"
    ranker.score_learned(a)
    err = capsys.readouterr().err
    assert err.count("warning") == 1
    assert "not found" in err and "'position'" in err


@pytest.mark.parametrize("bad", ["missing", "corrupt"])
def test_cli_falls_back_to_position_with_a_warning(tmp_path, bad):
    path = tmp_path / "model.json"
    if bad == "corrupt":
        path.write_bytes(b"\x00\x01 definitely not a model")
    r = _cli("highlights", EXAMPLE, "-f", "json", env_model=path)
    assert r.returncode == 0
    assert r.stderr.count("newsgist: warning:") == 1
    assert str(path) in r.stderr and "'position'" in r.stderr
    assert ("not found" if bad == "missing" else "unreadable") in r.stderr
    card = json.loads(r.stdout)
    assert card["meta"]["method"] == "position"
    ref = _cli("highlights", EXAMPLE, "-f", "json", "-m", "position")
    assert ref.returncode == 0
    assert card["highlights"] == json.loads(ref.stdout)["highlights"]


def test_model_round_trip(tmp_path):
    model = load_model()
    p = tmp_path / "copy.json"
    model.save(p)
    again = load_model(p)
    assert isinstance(again, RankerModel)
    assert again.to_dict() == model.to_dict()


def test_trees_per_dateline_style(tmp_path):
    col = {n: i for i, n in enumerate(FEATURE_NAMES)}
    plain = TreeEnsemble([-1], [0.0], [-1], [-1], [1.0], [0], 0)
    dated = TreeEnsemble([-1], [0.0], [-1], [-1], [5.0], [0], 0)
    model = RankerModel(plain, FEATURE_NAMES, trees_dateline=dated)
    X = np.zeros((2, len(FEATURE_NAMES)))
    assert model.score_matrix(X).tolist() == [1.0, 1.0]
    X[:, col["cnn_dateline"]] = 1
    assert model.score_matrix(X).tolist() == [5.0, 5.0]
    model.save(tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    assert again.score_matrix(X).tolist() == [5.0, 5.0]
    assert RankerModel(plain, FEATURE_NAMES).score_matrix(X).tolist() == [1.0, 1.0]   # one model for both


def test_shipped_model_has_trees_per_style():
    model = load_model()
    assert model.trees_dateline is not None and model.info.get("per_style_trees") is True


def test_leaf_masks_give_exactly_the_walk(tmp_path):
    """Issue 27: the leaf-mask evaluation (newsgist.trees) is bit-for-bit the node-by-node walk,
    on the shipped model's trees (both styles and the set reranker) and on odd shapes."""
    from newsgist.highlighting.ranker import TreeEnsemble, load_model
    from newsgist.trees import compile_trees
    rng = np.random.default_rng(0)
    model = load_model()
    for trees in (model.trees, model.trees_dateline, model.rerank.trees if model.rerank else None):
        if trees is None:
            continue
        width = int(trees.feature.max()) + 1
        X = rng.normal(size=(40, width)) * 5
        X[3, 0] = np.nan                                   # NaN goes right in both
        assert compile_trees(trees) is not None
        assert np.array_equal(trees.predict(X), trees.walk(X))
    # a single-leaf tree beside a split one; a tree deeper on its right
    t = TreeEnsemble([-1, 0, -1, 1, -1, -1], [0, 0.5, 0, 0.2, 0, 0], [-1, 2, -1, 4, -1, -1],
                     [-1, 3, -1, 5, -1, -1], [7.0, 0, 1.0, 0, 2.0, 3.0], [0, 1], 2)
    X = np.array([[0.1, 0.0], [0.9, 0.1], [0.9, 0.9], [0.5, 0.2]])
    assert t.predict(X).tolist() == t.walk(X).tolist() == [8.0, 9.0, 10.0, 8.0]


def test_leaf_masks_wide_trees_and_too_wide_ones():
    """Trees of 9-16 leaves use 16-bit masks, 17-32 32-bit ones; wider ones are walked node by node."""
    from newsgist.highlighting.ranker import TreeEnsemble
    from newsgist.trees import compile_trees

    def full_tree(depth, rng):
        feature, threshold, left, right, value = [], [], [], [], []

        def add(d):
            k = len(feature)
            feature.append(-1), threshold.append(0.0), left.append(-1), right.append(-1), value.append(0.0)
            if d == depth:
                value[k] = float(rng.normal())
                return k
            feature[k], threshold[k] = int(rng.integers(0, 3)), float(rng.normal())
            left[k] = add(d + 1)
            right[k] = add(d + 1)
            return k
        add(0)
        return TreeEnsemble(feature, threshold, left, right, value, [0], depth)

    rng = np.random.default_rng(1)
    X = rng.normal(size=(25, 3))
    wide = TreeEnsemble.average([full_tree(4, rng), full_tree(2, rng)])        # 16 and 4 leaves
    assert compile_trees(wide).dtype is np.uint16
    assert np.array_equal(wide.predict(X), wide.walk(X))
    wider = full_tree(5, rng)                                                   # 32 leaves
    assert compile_trees(wider).dtype is np.uint32
    assert np.array_equal(wider.predict(X), wider.walk(X))
    widest = full_tree(6, rng)                                                  # 64 leaves
    assert compile_trees(widest) is None
    assert np.array_equal(widest.predict(X), widest.walk(X))


def test_final_stop_test_is_the_regex():
    """Issue 27: the no_final_stop feature's string test says what its old regex said."""
    import re
    from newsgist.highlighting.ranker_features import _ends_with_stop
    regex = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
    for t in ["", " ", "Done.", "Done. ", 'He said "no."', 'He said "no." \n', "Why?)", "Wait… ", "abc. \"",
              'abc." )', "no stop", "Pictured: a dog", "(left)", "3.5", "A.\u00a0", "x.\t\n", "x ’.’", "..."]:
        assert _ends_with_stop(t) == bool(regex.search(t)), t
