"""Training options of the page model's recurrent stage (issue 31, session 7f): with dropout and
weight decay off (the defaults), ``train_pageseq.fit`` trains session 7c's net draw for draw;
either option on changes the net and is recorded in its ``info``. Needs torch (training only:
run under ``/work/torchvenv`` with the project's site-packages on the path); skipped without."""
import numpy as np
import pytest

FEATS = ["words", "terminal", "prose"]


def _pages(n_pages=9, seed=0):
    rng = np.random.default_rng(seed)
    Zs, ys = [], []
    for k in range(n_pages):
        n = 3 + (7 * k) % 11
        Z = rng.normal(0, 1, (n, 2 + len(FEATS)))
        Zs.append(Z)
        ys.append((Z[:, 0] + 0.5 * Z[:, 3] > 0).astype(float))
    return Zs, ys


def _session_7c_fit(Zs, ys, seed=0, epochs=3, hidden=4):
    """Session 7c's training loop as it was (Adam without weight decay, no dropout), written
    out here so that a change to ``fit`` cannot move the reference with it."""
    import torch
    from torch import nn
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
    from newsgist.evaluation import train_pageseq as tp
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    mean, std = tp.standardiser(Zs)
    S = [torch.tensor((Z - mean) / std, dtype=torch.float32) for Z in Zs]
    Y = [torch.tensor(np.asarray(y), dtype=torch.float32) for y in ys]
    lengths = [len(y) for y in ys]
    gru = nn.GRU(S[0].shape[1], hidden, batch_first=True, bidirectional=True)
    out = nn.Linear(2 * hidden, 1)
    params = list(gru.parameters()) + list(out.parameters())
    opt = torch.optim.Adam(params, lr=0.005)
    groups = tp.batches(lengths, 16)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for b in torch.randperm(len(groups), generator=gen).tolist():
            idx = groups[b]
            lens = torch.tensor([lengths[i] for i in idx])
            x = nn.utils.rnn.pad_sequence([S[i] for i in idx], batch_first=True)
            y = nn.utils.rnn.pad_sequence([Y[i] for i in idx], batch_first=True)
            mask = (torch.arange(x.shape[1])[None, :] < lens[:, None]).float()
            h, _ = pad_packed_sequence(gru(pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False))[0],
                                       batch_first=True, total_length=x.shape[1])
            loss_all = nn.functional.binary_cross_entropy_with_logits(out(h).squeeze(-1), y, reduction="none")
            loss = (loss_all * mask).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
    return tp.to_dict(gru, out, mean, std, FEATS)


def _weights(d):
    return {k: d[k] for k in ("forward", "backward", "out_w", "out_b", "mean", "std")}


def test_options_off_train_session_7c_net_exactly():
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq as tp
    assert tp.DROPOUT == 0.0 and tp.WEIGHT_DECAY == 0.0    # shipped net: no regularisation
    Zs, ys = _pages(20)
    want = _weights(_session_7c_fit(Zs, ys))
    got = tp.fit(Zs, ys, FEATS, epochs=3, hidden=4)
    assert _weights(got) == want
    assert _weights(tp.fit(Zs, ys, FEATS, epochs=3, hidden=4, dropout=0.0, weight_decay=0.0)) == want
    assert "dropout" not in got["info"] and "weight_decay" not in got["info"]   # the file's keys as 7c's


def test_dropout_and_weight_decay_change_the_net_and_are_recorded():
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq as tp
    from newsgist.reading.pageseq import SeqModel
    Zs, ys = _pages(20)
    base = tp.fit(Zs, ys, FEATS, epochs=3, hidden=4)
    drop = tp.fit(Zs, ys, FEATS, epochs=3, hidden=4, dropout=0.2)
    decay = tp.fit(Zs, ys, FEATS, epochs=3, hidden=4, weight_decay=1e-2)
    assert drop["info"]["dropout"] == 0.2 and "weight_decay" not in drop["info"]
    assert decay["info"]["weight_decay"] == 1e-2 and "dropout" not in decay["info"]
    for d in (drop, decay):
        assert _weights(d) != _weights(base)
        p = SeqModel(d).logits(Zs[0])          # prediction has no dropout: the same net reads alike twice
        assert np.array_equal(p, SeqModel(d).logits(Zs[0])) and np.all(np.isfinite(p))
    # a seed fixes the dropout draws too
    assert _weights(tp.fit(Zs, ys, FEATS, epochs=3, hidden=4, dropout=0.2)) == _weights(drop)


@pytest.mark.parametrize("kw", [{"dropout": 1.0}, {"dropout": -0.1}, {"weight_decay": -1e-4}])
def test_bad_options_are_refused(kw):
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq as tp
    Zs, ys = _pages(3)
    with pytest.raises(ValueError):
        tp.fit(Zs, ys, FEATS, epochs=1, hidden=2, **kw)


def test_fit_nets_holds_one_net_a_seed_and_the_reader_averages_them():
    # session 7g: fit_nets = fit once a seed (the same options), as a file of several nets
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq as tp
    from newsgist.reading.pageseq import SeqModel
    Zs, ys = _pages()
    kw = {"epochs": 2, "hidden": 4, "dropout": 0.2, "weight_decay": 1e-4}
    multi = tp.fit_nets(Zs, ys, FEATS, (0, 1), mix="mean", **kw)
    singles = [tp.fit(Zs, ys, FEATS, mix="mean", seed=s, **kw) for s in (0, 1)]
    assert multi["mix"] == "mean" and len(multi["nets"]) == 2
    for net, single in zip(multi["nets"], singles):
        assert net == {k: v for k, v in single.items() if k not in ("kind", "version", "mix")}
    assert multi["nets"][0] != multi["nets"][1]
    Z = Zs[3]
    want = np.mean([1 / (1 + np.exp(-SeqModel(d).logits(Z))) for d in singles], axis=0)
    assert np.allclose(SeqModel(multi).gru_probabilities(Z), want, atol=1e-12, rtol=0)
