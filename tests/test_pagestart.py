"""Session 9e's candidate H (issue 31): the article-start anchor columns, worked by hand on a small
page, and the page-seq net that reads them (a benchmark net: off in the shipped files)."""
import numpy as np
import pytest

from newsgist.reading import pageseq, pagestart


# A blog page as pasted, one start score a line (log-odds, as the start trees would give them):
# the site's header and the author's blurb above the post (taglines a line's shape cannot tell
# from a lede), then the post's title — the anchor — its byline and two paragraphs.
PAGE = [
    ("Home", -9.0),
    ("The Y Project", -4.0),
    ("About Bob: Bob Walsh is the author of a book on startups and hosts a podcast.", -2.5),
    ("Keeper emails from a reader", 1.5),          # the post's title: the best start score
    ("Posted on 08-7-2012 by Bob Walsh", -1.0),
    ("A reader sent me three emails worth keeping, and here they are.", -3.0),
    ("The first one asks how to price a service nobody has bought yet.", -30.0),
]


def test_the_columns_of_a_hand_worked_page():
    z = [s for _, s in PAGE]
    cols = pagestart.start_columns(z)
    assert cols.shape == (7, 4)
    assert pagestart.anchor(z) == 3
    gap, dist, before, conf = cols.T
    # the gap to the anchor, floored at -START_GAP_FLOOR (line 0: -10.5 -> -10; line 6: -31.5 -> -10)
    assert gap.tolist() == [-10.0, -5.5, -4.0, 0.0, -2.5, -4.5, -10.0]
    # the signed distance in units of START_SCALE (20) lines
    assert dist.tolist() == [-0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15]
    # the header and the blurb lie above the anchor; the title itself and what follows do not
    assert before.tolist() == [1, 1, 1, 0, 0, 0, 0]
    # how sure the start is: the anchor's own score on every line
    assert conf.tolist() == [1.5] * 7


def test_far_lines_clip_ties_take_the_earliest_and_an_empty_page_has_no_rows():
    z = np.full(60, -5.0)
    z[10] = z[30] = 2.0                       # a tie: the earliest is the anchor
    z[50] = np.nan                            # a guard: a non-finite score reads as below the floor
    cols = pagestart.start_columns(z)
    assert pagestart.anchor(z[:50]) == 10
    assert cols[0, 1] == -0.5 and cols[59, 1] == 1.0 and cols[31, 1] == 1.0   # (31 - 10) / 20 clips to 1
    assert cols[50, 0] == -10.0                   # NaN reads as -11: -11 - 2 = -13, floored at -10
    assert cols[30, 0] == 0.0 and cols[30, 2] == 0.0
    assert cols[:, 3].tolist() == [2.0] * 60
    assert pagestart.start_columns([]).shape == (0, 4)
    assert pagestart.anchor([]) == -1
    big = pagestart.start_columns([40.0, 0.0])
    assert big[0, 3] == 10.0 and big[1, 0] == -10.0


def test_start_rows_add_stage_2s_log_odds_as_the_last_column():
    rows2 = np.arange(6, dtype=float).reshape(3, 2)
    r = pagestart.start_rows(rows2, [0.5, -1.0, 2.0])
    assert r.tolist() == [[0, 1, 0.5], [2, 3, -1.0], [4, 5, 2.0]]
    with pytest.raises(ValueError):
        pagestart.start_rows(rows2, [1.0])


def _net(d_in, start, hidden=3, seed=0):
    rng = np.random.default_rng(seed)

    def m(*shape):
        return rng.normal(0, 0.5, shape).tolist()
    d = {"kind": "newsgist-page-seq", "version": 1, "features": ["words", "prose"], "mix": "mean",
         "mean": [0.0] * d_in, "std": [1.0] * d_in, "out_w": m(2 * hidden), "out_b": 0.0, "info": {}}
    for key in ("forward", "backward"):
        d[key] = {"w_ih": m(3 * hidden, d_in), "w_hh": m(3 * hidden, hidden), "b_ih": m(3 * hidden),
                  "b_hh": m(3 * hidden)}
    if start is not None:
        d["start"] = start
    return d


def test_a_net_that_reads_the_start_columns_is_a_benchmark_net():
    spec = {"columns": list(pagestart.START_NAMES)}
    m = pageseq.SeqModel(_net(2 + 2 + 4, spec))
    assert m.start == pagestart.START_NAMES
    Z = np.hstack([np.ones((7, 4)), pagestart.start_columns([s for _, s in PAGE])])
    assert m.logits(Z).shape == (7,)
    # a lone net without start trees: the run-time reader cannot score the start rows, so it refuses
    with pytest.raises(ValueError, match="start"):
        m.probabilities(np.zeros((7, 200)), np.zeros(7), np.zeros(7))
    # a net whose width leaves no room for the columns, or another version's columns, is refused
    with pytest.raises(ValueError):
        pageseq.SeqModel(_net(2 + 2, spec))
    with pytest.raises(ValueError, match="start columns"):
        pageseq.SeqModel(_net(2 + 2 + 4, {"columns": ["start_gap"]}))
    # a net without the entry reads no start columns (the shipped nets)
    assert pageseq.SeqModel(_net(2 + 2, None)).start == ()
    # several nets must agree on it
    several = {"kind": "newsgist-page-seq", "mix": "mean",
               "nets": [_net(8, spec, seed=1), {k: v for k, v in _net(8, None, seed=2).items() if k != "start"}]}
    several["nets"][1]["mean"], several["nets"][1]["std"] = [0.0] * 4, [1.0] * 4
    several["nets"][1]["forward"]["w_ih"] = np.zeros((9, 4)).tolist()
    several["nets"][1]["backward"]["w_ih"] = np.zeros((9, 4)).tolist()
    with pytest.raises(ValueError, match="differ"):
        pageseq.SeqModel(several)
    # a file whose nets read start columns but which holds no start trees is refused at load (review, session 9)
    no_trees = {"kind": "newsgist-page-seq", "mix": "mean", "nets": [_net(8, spec, seed=1), _net(8, spec, seed=2)]}
    with pytest.raises(ValueError, match="no start trees"):
        pageseq.SeqModel(no_trees)


def test_training_writes_the_start_entry():
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq
    rng = np.random.default_rng(1)
    Zs = [np.hstack([rng.normal(0, 1, (n, 4)), pagestart.start_columns(rng.normal(0, 2, n))]) for n in (5, 9)]
    ys = [rng.integers(0, 2, len(z)).astype(float) for z in Zs]
    d = train_pageseq.fit(Zs, ys, ["words", "prose"], epochs=1, hidden=2, start=True)
    assert d["start"] == {"columns": list(pagestart.START_NAMES)}
    assert len(d["mean"]) == 8
    m = pageseq.SeqModel(d)
    assert m.logits(Zs[0]).shape == (5,)
    from newsgist.reading import pagewords
    with pytest.raises(ValueError, match="together"):
        train_pageseq.fit(Zs, ys, ["words", "prose"], epochs=1, hidden=2, start=True,
                          words=pagewords.parse_spec("bag:8:2"))


def test_the_run_time_reader_scores_the_start_rows_with_the_files_trees():
    pytest.importorskip("lightgbm")
    from newsgist.evaluation import train_pageseq
    from newsgist.trees import TreeEnsemble
    rng = np.random.default_rng(4)
    # pages whose first article line is the one with a large first stage-2 column
    rows, ys = [], []
    for n in rng.integers(6, 30, 40):
        R = rng.normal(0, 1, (int(n), 3))
        k = int(rng.integers(0, n))
        R[k, 0] += 6.0
        y = np.zeros(int(n))
        y[k:] = 1.0
        rows.append(R)
        ys.append(y)
    trees = train_pageseq.fit_start(rows, ys)
    assert train_pageseq.start_targets([[0, 0, 1, 1, 0]])[0].tolist() == [0, 0, 1, 0, 0]
    assert train_pageseq.start_targets([[0, 0]])[0].tolist() == [0, 0]
    oof = train_pageseq.start_scores_oof([np.hstack([r, np.zeros((len(r), 1))]) for r in rows], ys, 4)
    assert len(oof) == 40 and all(len(s) == len(r) for s, r in zip(oof, rows))
    t = TreeEnsemble(trees["feature"], trees["threshold"], trees["left"], trees["right"], trees["value"],
                     trees["roots"], trees["depth"])
    # a two-net file: each net names the columns, the file holds the trees
    spec = {"columns": list(pagestart.START_NAMES)}
    d = {"kind": "newsgist-page-seq", "version": 2, "mix": "mean",
         "nets": [{k: v for k, v in _net(2 + 2 + 4, spec, seed=s).items() if k not in ("kind", "mix")} for s in (1, 2)],
         "start": {**spec, "trees": trees}}
    m = pageseq.SeqModel(d)
    n = 9
    X = rng.normal(0, 1, (n, 200))
    raw1, rows2 = rng.normal(0, 1, n), rng.normal(0, 1, (n, 2))
    raw2 = rng.normal(0, 1, n)
    z = t.predict(pagestart.start_rows(rows2, raw2))
    Z = np.hstack([pageseq.seq_inputs(X, raw1, raw2, m.columns), pagestart.start_columns(z)])
    want = 0.5 * (m.gru_probabilities(Z) + 1.0 / (1.0 + np.exp(-raw2)))
    assert np.allclose(m.probabilities(X, raw1, raw2, None, rows2), want, atol=1e-12)
    with pytest.raises(ValueError, match="stage-2 rows"):
        m.probabilities(X, raw1, raw2)
