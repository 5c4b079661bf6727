"""Which line-feature columns the page model's GRU stage reads (issue 31, session 8, candidate W):
the named column sets of ``train_pageseq``, a file of nets over a wider set run by the page
model, and the benchmark's ``--features`` option. The torch test is skipped without torch."""
import json

import numpy as np
import pytest

from newsgist.evaluation import train_pageseq as tp
from newsgist.reading import pageseq
from newsgist.reading.pagelines import FEATURE_NAMES

_PAGE = ("Home | World | Sport\n\nHarbour bridge to close for a year\n\n"
         "The city's harbour bridge will close for repairs next spring, the council said on Monday.\n\n"
         "Officials said traffic would move to the old ferry route while the work goes on.\n\n"
         "Share this story\n\nMore from World")


def _random_net(rng, features, hidden=4):
    d_in = 2 + len(features)

    def m(*shape):
        return rng.normal(0, 0.4, shape).tolist()
    d = {"features": list(features), "mean": rng.normal(0, 1, d_in).tolist(),
         "std": rng.uniform(0.5, 2, d_in).tolist(), "out_w": m(2 * hidden), "out_b": -0.2, "info": {}}
    for key in ("forward", "backward"):
        d[key] = {"w_ih": m(3 * hidden, d_in), "w_hh": m(3 * hidden, hidden), "b_ih": m(3 * hidden),
                  "b_hh": m(3 * hidden)}
    return d


def test_the_named_sets_are_the_registered_columns():
    own, context, every = (tp.feature_names(n) for n in ("own", "context", "all"))
    assert tp.FEATURE_SETS == ("own", "context", "all") and tp.FEATURES in tp.FEATURE_SETS
    assert tp.feature_names() == tp.feature_names(tp.FEATURES)
    assert own == tuple(pageseq.SEQ_FEATURES) and len(own) == 31
    assert every == tuple(FEATURE_NAMES) and len(every) == 113
    # context: the 31 first, in their order, then the 22 page-context columns; no neighbour window
    assert context[:31] == own and len(context) == 53 and len(set(context)) == 53
    assert set(context) <= set(FEATURE_NAMES)
    assert not any("@" in n for n in context)
    assert set(FEATURE_NAMES) - set(context) == {n for n in FEATURE_NAMES if "@" in n}
    assert {"rel_char", "n_lines_log", "page_prose_share", "run_len", "core_dist_before",
            "cs_end_qe_near"} <= set(context[31:])
    with pytest.raises(ValueError):
        tp.feature_names("neighbours")


@pytest.mark.parametrize("name", ["context", "all"])
def test_a_three_net_file_of_a_wider_set_reads_its_own_columns_in_the_page_model(name, tmp_path, monkeypatch):
    from newsgist.reading import pagemodel
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    model = pagemodel.load_model()
    if model is None:
        pytest.skip("no page model file")
    feats = tp.feature_names(name)
    rng = np.random.default_rng(21)
    nets = [_random_net(rng, feats) for _ in range(3)]
    d = {"kind": "newsgist-page-seq", "version": 2, "mix": "mean", "nets": nets, "trees_sha1": model.fingerprint}
    (tmp_path / "seq.json").write_text(json.dumps(d))
    monkeypatch.setenv("NEWSGIST_PAGE_SEQ", str(tmp_path / "seq.json"))
    X, _ = features(_PAGE, worded_lines(_PAGE, page_lines(_PAGE))[0])
    raw1 = model.stage1.predict(X)
    raw2 = model.stage2.predict(pagemodel.stage2_features(X, raw1))
    # by hand: each net reads the two clipped log-odds and the named columns of X, in the set's order
    cols = [list(FEATURE_NAMES).index(c) for c in feats]
    Z = np.hstack([np.clip(np.column_stack([raw1, raw2]), -pageseq.LOGIT_CLIP, pageseq.LOGIT_CLIP), X[:, cols]])
    gru = np.mean([1 / (1 + np.exp(-pageseq.SeqModel({**n, "kind": "newsgist-page-seq", "mix": "mean"})
                                    .logits_reference(Z))) for n in nets], axis=0)
    assert Z.shape[1] == 2 + len(feats)
    assert np.allclose(model.probabilities(X), 0.5 * (gru + 1 / (1 + np.exp(-raw2))), atol=1e-12, rtol=0)
    # the same weights read through another column set's columns give another answer
    shuffled = [{**n, "features": list(reversed(feats))} for n in nets]
    (tmp_path / "other.json").write_text(json.dumps({**d, "nets": shuffled}))
    monkeypatch.setenv("NEWSGIST_PAGE_SEQ", str(tmp_path / "other.json"))
    assert not np.allclose(model.probabilities(X), 0.5 * (gru + 1 / (1 + np.exp(-raw2))))


def test_a_file_naming_a_column_this_version_lacks_is_refused():
    rng = np.random.default_rng(22)
    net = _random_net(rng, list(tp.feature_names("context")[:-1]) + ["no_such_column"])
    with pytest.raises(ValueError, match="no_such_column"):
        pageseq.SeqModel({**net, "kind": "newsgist-page-seq", "mix": "mean"})


def test_the_benchmark_option_names_a_set_and_refuses_others(capsys):
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import cv_pageseq
    with pytest.raises(SystemExit) as exc:
        cv_pageseq.main(["--features", "neighbours", "--stage2", "x.pkl", "--out-dir", "y"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:       # a valid set still needs the inputs
        cv_pageseq.main(["--features", "all"])
    assert exc.value.code == 2


def test_nets_trained_on_a_named_set_record_it_and_read_back():
    pytest.importorskip("torch")
    from newsgist.reading.pageseq import SeqModel
    feats = tp.feature_names("context")
    rng = np.random.default_rng(23)
    Zs, ys = [], []
    for k in range(12):
        Z = rng.normal(0, 1, (4 + k, 2 + len(feats)))
        Zs.append(Z)
        ys.append((Z[:, 1] + Z[:, 2 + feats.index("rel_char")] > 0).astype(float))
    d = tp.fit_nets(Zs, ys, feats, (0, 1), mix="mean", epochs=2, hidden=3, dropout=0.2, weight_decay=1e-4)
    assert [n["features"] for n in d["nets"]] == [list(feats)] * 2
    m = SeqModel(d)
    assert m.columns == [list(FEATURE_NAMES).index(c) for c in feats]
    p = m.gru_probabilities(Zs[0])
    assert p.shape == (len(Zs[0]),) and np.all((p > 0) & (p < 1))
