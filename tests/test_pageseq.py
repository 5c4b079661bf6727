"""The page model's recurrent stage (issue 31, session 7c): the numpy forward pass against
torch's, and a small page worked by hand."""
import json

import numpy as np
import pytest

from newsgist.reading import pageseq
from newsgist.reading.pagelines import FEATURE_NAMES


def _random_dict(rng, features, hidden=5, mix="gru"):
    d_in = 2 + len(features)

    def m(*shape):
        return rng.normal(0, 0.6, shape).tolist()
    d = {"kind": "newsgist-page-seq", "version": 1, "features": list(features), "mix": mix,
         "mean": rng.normal(0, 1, d_in).tolist(), "std": rng.uniform(0.5, 2, d_in).tolist(),
         "out_w": m(2 * hidden), "out_b": 0.3, "info": {}}
    for key in ("forward", "backward"):
        d[key] = {"w_ih": m(3 * hidden, d_in), "w_hh": m(3 * hidden, hidden), "b_ih": m(3 * hidden),
                  "b_hh": m(3 * hidden)}
    return d


def test_numpy_forward_equals_torch():
    torch = pytest.importorskip("torch")
    from newsgist.evaluation.train_pageseq import to_dict
    torch.manual_seed(3)
    feats = ["words", "terminal", "prose"]
    gru = torch.nn.GRU(2 + len(feats), 6, batch_first=True, bidirectional=True).double()
    out = torch.nn.Linear(12, 1).double()
    rng = np.random.default_rng(0)
    mean, std = rng.normal(0, 1, 5), rng.uniform(0.5, 2, 5)
    model = pageseq.SeqModel(to_dict(gru, out, mean, std, feats))
    for n in (1, 2, 17, 90):
        Z = rng.normal(0, 2, (n, 5))
        with torch.no_grad():
            h, _ = gru(torch.tensor((Z - mean) / std)[None])
            want = out(h)[0, :, 0].numpy()
        assert np.allclose(model.logits(Z), want, atol=1e-6, rtol=0)
        assert np.allclose(model.logits_reference(Z), want, atol=1e-6, rtol=0)


def test_both_directions_in_one_pass_equal_one_direction_at_a_time():
    rng = np.random.default_rng(5)
    m = pageseq.SeqModel(_random_dict(rng, ["words", "prose", "terminal"], hidden=7))
    for n in (1, 3, 40, 211):
        Z = rng.normal(0, 1.5, (n, 5))
        assert np.allclose(m.logits(Z), m.logits_reference(Z), atol=1e-12, rtol=0)


def test_a_one_unit_gru_by_hand():
    # One hidden unit, one input column (all weights 0 but the ones named): the forward
    # direction's candidate is tanh(x), z = sigmoid(0) = 1/2, r irrelevant (w_hh = 0), so
    # h_t = (h_{t-1} + tanh(x_t)) / 2; the backward direction is switched off (output weight 0).
    d = {"kind": "newsgist-page-seq", "features": [], "mix": "gru", "mean": [0.0, 0.0], "std": [1.0, 1.0],
         "out_w": [1.0, 0.0], "out_b": 0.0,
         "forward": {"w_ih": [[0, 0], [0, 0], [1, 0]], "w_hh": [[0], [0], [0]], "b_ih": [0, 0, 0], "b_hh": [0, 0, 0]},
         "backward": {"w_ih": [[0, 0], [0, 0], [0, 0]], "w_hh": [[0], [0], [0]], "b_ih": [0, 0, 0],
                      "b_hh": [0, 0, 0]}}
    m = pageseq.SeqModel(d)
    x = np.array([1.0, -2.0, 0.5])
    h1 = np.tanh(1.0) / 2
    h2 = (h1 + np.tanh(-2.0)) / 2
    h3 = (h2 + np.tanh(0.5)) / 2
    assert np.allclose(m.logits(np.column_stack([x, np.zeros(3)])), [h1, h2, h3], atol=1e-12)


def test_a_hand_written_page_reads_its_lines_in_order_and_in_both_directions():
    # A six-line page: menu, headline, two paragraphs, a share line, a footer. The net's output
    # at each line depends on the lines after it (backward direction) and before it (forward):
    # changing the last line moves the first line's output, changing the first moves the last.
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    page = ("Home | World | Sport\n\nHarbour bridge to close for a year\n\n"
            "The city's harbour bridge will close for repairs next spring, the council said on Monday.\n\n"
            "Engineers found cracks in two of its piers during a routine inspection last month.\n\n"
            "Share this story\n\nCopyright 2026 The Gazette")
    lines = worded_lines(page, page_lines(page))[0]
    X, _ = features(page, lines)
    assert len(X) == 6
    rng = np.random.default_rng(1)
    m = pageseq.SeqModel(_random_dict(rng, pageseq.SEQ_FEATURES))
    raw1, raw2 = np.array([-3.0, 0.5, 4.0, 4.0, -2.0, -5.0]), np.array([-4.0, 1.0, 5.0, 5.0, -3.0, -6.0])
    p = m.probabilities(X, raw1, raw2)
    assert p.shape == (6,) and np.all((p > 0) & (p < 1))
    raw2b = raw2.copy()
    raw2b[-1] = 6.0
    q = m.probabilities(X, raw1, raw2b)
    assert q[0] != p[0] and np.allclose(q[-1] == p[-1], False)
    raw2c = raw2.copy()
    raw2c[0] = 6.0
    assert m.probabilities(X, raw1, raw2c)[-1] != p[-1]
    # the "mean" mix is the mean of the GRU's probability and stage 2's
    mm = pageseq.SeqModel(_random_dict(np.random.default_rng(1), pageseq.SEQ_FEATURES, mix="mean"))
    assert np.allclose(mm.probabilities(X, raw1, raw2), 0.5 * (p + 1 / (1 + np.exp(-raw2))))


def test_inputs_clip_and_pick_columns_and_long_pages_are_read_in_pieces(monkeypatch):
    cols = [list(FEATURE_NAMES).index(c) for c in ("words", "prose")]
    X = np.arange(3 * len(FEATURE_NAMES), dtype=float).reshape(3, -1)
    Z = pageseq.seq_inputs(X, [20.0, 0.0, -20.0], [1.0, -30.0, 2.0], cols)
    assert Z[:, 0].tolist() == [10.0, 0.0, -10.0] and Z[:, 1].tolist() == [1.0, -10.0, 2.0]
    assert Z[:, 2].tolist() == X[:, cols[0]].tolist() and Z[:, 3].tolist() == X[:, cols[1]].tolist()
    assert pageseq.seq_inputs(X[:0], [], [], cols).shape == (0, 4)
    m = pageseq.SeqModel(_random_dict(np.random.default_rng(2), ["words", "prose"]))
    Z = np.random.default_rng(3).normal(0, 1, (25, 4))
    whole = m.logits(Z)
    monkeypatch.setattr(pageseq, "MAX_SEQ_LINES", 10)
    pieces = m.logits(Z)
    assert np.allclose(pieces[:10], m.logits(Z[:10])) and np.allclose(pieces[20:], m.logits(Z[20:]))
    assert not np.allclose(pieces, whole)
    assert len(m.logits(np.zeros((0, 4)))) == 0


def test_a_bad_file_is_refused():
    d = _random_dict(np.random.default_rng(0), ["words"])
    with pytest.raises(ValueError):
        pageseq.SeqModel(dict(d, kind="other"))
    with pytest.raises(ValueError):
        pageseq.SeqModel(dict(d, features=["no-such-feature"]))
    with pytest.raises(ValueError):
        pageseq.SeqModel(dict(d, mix="max"))
    assert pageseq._load("/nonexistent/page-seq.json") is None


def test_a_damaged_file_is_a_typed_error_not_a_silent_fallback(tmp_path):
    from newsgist.errors import ModelError
    d = _random_dict(np.random.default_rng(0), ["words"])
    short = dict(d, forward=dict(d["forward"], w_hh=d["forward"]["w_hh"][:-1]))
    bad_nan = dict(d, out_b=float("nan"))
    no_mix = {k: v for k, v in d.items() if k != "mix"}
    for i, body in enumerate(["", "[1, 2]", '{"kind": "newsgist-page-seq", "features": null}',
                              json.dumps(short), json.dumps(bad_nan), json.dumps(no_mix)]):
        path = tmp_path / f"seq-{i}.json"
        path.write_text(body, encoding="utf-8")
        with pytest.raises(ModelError):
            pageseq._load(str(path))
    with pytest.raises(ValueError):
        pageseq.SeqModel(short)


def test_a_nan_input_reads_as_the_training_mean_and_an_infinity_as_a_large_value():
    m = pageseq.SeqModel(_random_dict(np.random.default_rng(3), ["words"]))
    Z = np.random.default_rng(4).normal(size=(30, 3))
    Z[12, 2] = np.nan
    Z[20, 0] = np.inf
    out = m.logits(Z)
    assert np.isfinite(out).all()             # without the guard every line of the page was NaN
    same = Z.copy()
    same[12, 2] = m.mean[2]
    same[20, 0] = m.mean[0] + pageseq.INPUT_CLIP * m.std[0]
    assert np.allclose(out, m.logits(same), atol=1e-12)


def test_the_page_model_runs_the_recurrent_stage_after_stage_2_when_its_file_is_there(tmp_path, monkeypatch):
    import json

    from newsgist.reading import pagemodel
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    model = pagemodel.load_model()
    if model is None:
        pytest.skip("no page model file")
    page = ("Home | World | Sport\n\nHarbour bridge to close for a year\n\n"
            "The city's harbour bridge will close for repairs next spring, the council said on Monday.\n\n"
            "Share this story")
    X, _ = features(page, worded_lines(page, page_lines(page))[0])
    raw1 = model.stage1.predict(X)
    raw2 = model.stage2.predict(pagemodel.stage2_features(X, raw1))
    monkeypatch.setenv("NEWSGIST_PAGE_SEQ", str(tmp_path / "none.json"))
    assert np.allclose(model.probabilities(X), 1 / (1 + np.exp(-raw2)))      # no file: stage 2 alone
    d = dict(_random_dict(np.random.default_rng(4), pageseq.SEQ_FEATURES), trees_sha1=model.fingerprint)
    (tmp_path / "seq.json").write_text(json.dumps(d))
    monkeypatch.setenv("NEWSGIST_PAGE_SEQ", str(tmp_path / "seq.json"))
    want = pageseq.SeqModel(d).probabilities(X, raw1, raw2)
    assert np.allclose(model.probabilities(X), want)


# --- session 7e: a GRU file belongs to the trees it was trained beside ----------------------

_PAGE = ("Home | World | Sport\n\nHarbour bridge to close for a year\n\n"
         "The city's harbour bridge will close for repairs next spring, the council said on Monday.\n\n"
         "Share this story")


def _shipped_trees():
    import json

    from newsgist.reading import pagemodel
    if not pagemodel.MODEL_PATH.exists():
        pytest.skip("no page model file")
    return json.loads(pagemodel.MODEL_PATH.read_text(encoding="utf-8"))


def _page_X():
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    return features(_PAGE, worded_lines(_PAGE, page_lines(_PAGE))[0])[0]


def test_the_fingerprint_reads_the_two_tree_stages_only():
    trees = {"stage1": {"value": [0.5, -1.25], "roots": [0]}, "stage2": {"value": [2.0], "roots": [0]},
             "threshold": 0.5, "info": {"a": 1}}
    fp = pageseq.trees_fingerprint(trees)
    assert len(fp) == 40 and fp == pageseq.trees_fingerprint(dict(trees, threshold=0.6, info={}))
    assert fp == pageseq.trees_fingerprint({"stage2": {"roots": [0], "value": [2.0]},    # key order
                                            "stage1": {"roots": [0], "value": [0.5, -1.25]}})
    assert fp != pageseq.trees_fingerprint(dict(trees, stage2={"value": [2.0000001], "roots": [0]}))
    from newsgist.evaluation.train_pageseq import pair
    assert pair({"kind": "newsgist-page-seq"}, trees) == {"kind": "newsgist-page-seq", "trees_sha1": fp}


def test_the_shipped_pair_matches(caplog):
    import json

    from newsgist.reading import pagemodel
    trees = _shipped_trees()
    if not pageseq.SEQ_PATH.exists():
        pytest.skip("no page-seq file")
    seq = json.loads(pageseq.SEQ_PATH.read_text(encoding="utf-8"))
    assert seq["trees_sha1"] == pageseq.trees_fingerprint(trees)
    model = pagemodel.load_model()
    assert model.shipped and model.fingerprint == seq["trees_sha1"]
    X = _page_X()
    raw1 = model.stage1.predict(X)
    raw2 = model.stage2.predict(pagemodel.stage2_features(X, raw1))
    got = model.probabilities(X)      # no warning, no error
    assert np.array_equal(got, pageseq.SeqModel(seq).probabilities(X, raw1, raw2))   # the GRU ran
    assert not caplog.records


def test_a_mismatched_pair_is_refused(tmp_path, monkeypatch):
    import json

    from newsgist.errors import ModelError
    from newsgist.reading import pagemodel
    trees = _shipped_trees()
    model = pagemodel.PageModel(trees)
    model.shipped = True
    X = _page_X()
    d = _random_dict(np.random.default_rng(5), pageseq.SEQ_FEATURES)
    # the shipped trees beside a GRU file trained beside other trees, or one that records none
    for k, seq in enumerate((dict(d, trees_sha1="0" * 40), d)):
        (tmp_path / f"seq{k}.json").write_text(json.dumps(seq))
        monkeypatch.setattr(pageseq, "SEQ_PATH", tmp_path / f"seq{k}.json")
        monkeypatch.delenv("NEWSGIST_PAGE_SEQ", raising=False)
        with pytest.raises(ModelError, match="trained beside other page-lines trees") as err:
            model.probabilities(X)
        assert err.value.exit_code == 9 and err.value.code == "model_unavailable"
        # a GRU file named by NEWSGIST_PAGE_SEQ is refused the same way, whatever the trees
        monkeypatch.setenv("NEWSGIST_PAGE_SEQ", str(tmp_path / f"seq{k}.json"))
        with pytest.raises(ModelError):
            pagemodel.PageModel(trees).probabilities(X)


def test_one_pairing_check_for_the_default_and_the_routers_pair():
    """pageseq.pair_mismatch (session 12d): the check load_seq_for and pageroute.load_pair share, and
    their two messages (the router's names the trees file)."""
    seq = pageseq.SeqModel(dict(_random_dict(np.random.default_rng(5), pageseq.SEQ_FEATURES), trees_sha1="a" * 40))
    assert pageseq.pair_mismatch(seq, "a" * 40, "s.json") is None
    assert pageseq.pair_mismatch(seq, "a" * 40, "s.json", "t.json") is None
    assert pageseq.pair_mismatch(seq, "b" * 40, "s.json") == (
        f"page-seq model s.json was trained beside other page-lines trees (trees_sha1 {'a' * 40}, the trees' "
        f"{'b' * 12}...): retrain both (benchmarks/train_paste.py --seq) or remove the GRU file")
    assert pageseq.pair_mismatch(seq, "b" * 40, "s.json", "t.json") == (
        "the router's modern page-seq model s.json was trained beside other page-lines trees than t.json: "
        "retrain both (benchmarks/train_paste.py --seq)")
    seq.trees_sha1 = None
    assert "(trees_sha1 missing," in pageseq.pair_mismatch(seq, "b" * 40, "s.json")


def test_trees_swapped_for_an_experiment_run_without_the_shipped_gru(tmp_path, monkeypatch, caplog):
    import json

    from newsgist.reading import pagemodel
    trees = _shipped_trees()
    monkeypatch.delenv("NEWSGIST_PAGE_SEQ", raising=False)
    d = _random_dict(np.random.default_rng(6), pageseq.SEQ_FEATURES)
    (tmp_path / "seq.json").write_text(json.dumps(dict(d, trees_sha1=pageseq.trees_fingerprint(trees))))
    monkeypatch.setattr(pageseq, "SEQ_PATH", tmp_path / "seq.json")
    other = json.loads(json.dumps(trees))
    other["stage2"]["value"][0] += 0.25                     # a retrain of the trees alone
    (tmp_path / "trees.json").write_text(json.dumps(other))
    monkeypatch.setenv("NEWSGIST_PAGE_MODEL", str(tmp_path / "trees.json"))
    model = pagemodel.load_model()
    assert not model.shipped
    X = _page_X()
    raw2 = model.stage2.predict(pagemodel.stage2_features(X, model.stage1.predict(X)))
    got = model.probabilities(X)
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "without its GRU stage" in caplog.records[0].getMessage()
    assert np.allclose(got, 1 / (1 + np.exp(-raw2)))           # stage 2 alone
    # the same trees under NEWSGIST_PAGE_MODEL with the GRU trained beside them: the GRU runs
    (tmp_path / "trees2.json").write_text(json.dumps(trees))
    monkeypatch.setenv("NEWSGIST_PAGE_MODEL", str(tmp_path / "trees2.json"))
    m2 = pagemodel.load_model()
    raw1 = m2.stage1.predict(X)
    want = pageseq.SeqModel(d).probabilities(X, raw1, m2.stage2.predict(pagemodel.stage2_features(X, raw1)))
    assert np.array_equal(m2.probabilities(X), want)


def test_several_nets_in_one_pass_equal_each_net_alone():
    # session 7g: a file of K nets runs them in one block-diagonal pass; each net's states, and
    # the GRU part (the mean of the nets' probabilities), equal K single-net passes
    rng = np.random.default_rng(11)
    feats = ["words", "prose", "terminal"]
    singles = [_random_dict(rng, feats, hidden=4, mix="mean") for _ in range(3)]
    multi = pageseq.SeqModel({"kind": "newsgist-page-seq", "version": 2, "mix": "mean", "trees_sha1": "ab",
                              "nets": [{k: v for k, v in d.items() if k not in ("kind", "mix")} for d in singles]})
    alone = [pageseq.SeqModel(d) for d in singles]
    assert len(multi.nets) == 3 and multi.trees_sha1 == "ab" and multi.mix == "mean"
    for n in (1, 2, 35, 160):
        Z = rng.normal(0, 1.5, (n, 5))
        want = np.mean([1.0 / (1.0 + np.exp(-m.logits_reference(Z))) for m in alone], axis=0)
        assert np.allclose(multi.gru_probabilities(Z), want, atol=1e-12, rtol=0)
        S = [(Z - m.mean) / m.std for m in alone]
        args = [[s @ m.dirs[d][0].T + m.dirs[d][2] for s, m in zip(S, alone)] for d in (0, 1)]
        hs = pageseq.bigru_nets(args[0], args[1], [m.dirs[0][1] for m in alone], [m.dirs[0][3] for m in alone],
                                [m.dirs[1][1] for m in alone], [m.dirs[1][3] for m in alone])
        for h, G0, G1, m in zip(hs, args[0], args[1], alone):
            assert np.allclose(h, pageseq.bigru(G0, G1, m.dirs[0][1], m.dirs[0][3], m.dirs[1][1], m.dirs[1][3]),
                               atol=1e-12, rtol=0)
    assert multi.gru_probabilities(np.zeros((0, 5))).shape == (0,)


def test_a_single_net_file_still_reads_and_a_bad_net_list_is_refused():
    rng = np.random.default_rng(12)
    one = pageseq.SeqModel(_random_dict(rng, ["words"], hidden=3))
    Z = rng.normal(0, 1, (9, 3))
    assert one.nets == [one]
    assert np.array_equal(one.gru_probabilities(Z), pageseq._sigmoid(one.logits(Z)))
    base = {"kind": "newsgist-page-seq", "mix": "mean"}
    with pytest.raises(ValueError):
        pageseq.SeqModel({**base, "nets": []})
    small, big = _random_dict(rng, ["words"], hidden=3), _random_dict(rng, ["words"], hidden=4)
    with pytest.raises(ValueError):
        pageseq.SeqModel({**base, "nets": [small, big]})
