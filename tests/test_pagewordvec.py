"""Frozen pretrained word vectors as GRU input columns (issue 31, session 9b, candidate V): the
shipped table's shape, fingerprint and provenance; the pooling worked by hand on a small table of
our own; the fast form equal to a line at a time; a net with a ``vec`` spec read by the page-seq
reader; a wrong or missing table refused."""
import json

import numpy as np
import pytest

from newsgist.errors import ModelError
from newsgist.reading import pageseq, pagewords, pagewordvec
from newsgist.reading.pagelines import FEATURE_NAMES

# registered in BENCHMARKS.md ("Issue 31, session 9b") with the table
SHIPPED_SHA1 = "dbb47694ef1f542c323e5b252fb7b41e0980a05e"
SHIPPED_WORDS, SHIPPED_DIMS = 22531, 32


def vec_columns_reference(token_lists, spec: dict):
    """:func:`pagewordvec.vec_columns` a line and a token at a time (the reference for the fast path)."""
    index, V, _ = pagewordvec.load_table(spec["table"], spec["sha1"])
    out = np.zeros((len(token_lists), V.shape[1]))
    for i, toks in enumerate(token_lists):
        found = [V[index[pagewordvec.fold(t)]] for t in toks if pagewordvec.fold(t) in index]
        if found:
            out[i] = np.mean(found, axis=0)
    return out


def _write_table(folder, name, words, vectors, meta=None):
    vec = np.asarray(vectors, dtype=np.float16)
    vocab = "\n".join(words).encode("utf-8")
    with (folder / name).open("wb") as fh:
        np.savez(fh, vectors=vec, vocab=np.frombuffer(vocab, dtype=np.uint8),
                 meta=np.frombuffer(json.dumps(meta or {"kind": "test"}).encode("utf-8"), dtype=np.uint8))
    return pagewordvec.content_sha1(vec, vocab)


@pytest.fixture
def small(tmp_path, monkeypatch):
    """A four-word, two-dimension table in a models folder of its own."""
    monkeypatch.setattr(pagewordvec, "MODELS_DIR", tmp_path)
    pagewordvec.load_table.cache_clear()
    sha1 = _write_table(tmp_path, "small.npz", ["share", "this", "cafe", "story"],
                        [[1, 0], [0, 1], [2, 2], [-1, 3]])
    yield {"scheme": "vec", "table": "small.npz", "sha1": sha1, "dims": 2, "cap": 64}
    pagewordvec.load_table.cache_clear()


def test_the_shipped_table_shape_fingerprint_and_provenance():
    path = pagewordvec.MODELS_DIR / pagewordvec.TABLE
    if not path.exists():
        pytest.skip("no word table file: not shipped (session 9 merge); build it with benchmarks/make_wordvec.py")
    assert path.stat().st_size <= 3 * 1024 * 1024
    with np.load(path, allow_pickle=False) as z:
        vectors, vocab, meta = z["vectors"], z["vocab"].tobytes(), json.loads(z["meta"].tobytes())
    assert vectors.dtype == np.float16 and vectors.shape == (SHIPPED_WORDS, SHIPPED_DIMS)
    assert pagewordvec.content_sha1(vectors, vocab) == SHIPPED_SHA1
    assert "all-MiniLM-L6-v2" in meta["source"] and meta["licence"].startswith("Apache-2.0")
    assert meta["dims"] == SHIPPED_DIMS and meta["words"] == SHIPPED_WORDS
    spec = pagewords.parse_spec("vec:64")
    assert spec == {"scheme": "vec", "table": pagewordvec.TABLE, "sha1": SHIPPED_SHA1, "dims": 32, "cap": 64}
    assert pagewords.width(spec) == 32
    index, V, _ = pagewordvec.load_table(pagewordvec.TABLE, SHIPPED_SHA1)
    # every entry is one of our tokens as the reader forms them (a whole lower-case alphabetic run;
    # "²" is one: it is no decimal digit)
    assert all(w == w.lower() and pagewords.line_tokens(w, 2) == [w] for w in index)
    # a semantic table, not noise: "said" is nearer "told" than "facebook"
    cos = lambda a, b: V[index[a]] @ V[index[b]] / np.linalg.norm(V[index[a]]) / np.linalg.norm(V[index[b]])  # noqa: E731
    assert cos("said", "told") > cos("said", "facebook")


def test_the_pooling_worked_by_hand(small):
    # "Share THIS café 42 zzz!": tokens share, this, café -> cafe (accent folded), zzz (unknown, skipped);
    # 42 is no token: mean of (1, 0), (0, 1), (2, 2) = (1, 1)
    texts = ["Share THIS café 42 zzz!", "", "zzz 1999", "story story share", "Share story"]
    cols = pagewords.word_columns(texts, small)
    assert cols.shape == (5, 2)
    assert np.array_equal(cols[0], [1.0, 1.0])
    assert not cols[1].any() and not cols[2].any()             # nothing found: zeros
    assert np.allclose(cols[3], [(-1 - 1 + 1) / 3, (3 + 3 + 0) / 3])
    # the cap counts tokens, found or not: with cap 1 only "Share" is read
    assert np.array_equal(pagewords.word_columns(["Share story", "zzz share"], {**small, "cap": 1}),
                          [[1.0, 0.0], [0.0, 0.0]])


def test_the_fast_form_equals_a_line_at_a_time(small):
    rng = np.random.default_rng(0)
    vocab = ["Share", "this", "CAFÉ", "café", "story", "zzz", "42", "x1", "Über", "-"]
    texts = [" ".join(rng.choice(vocab, size=int(rng.integers(0, 20)))) for _ in range(300)] + ["", "share " * 500]
    for spec in (small, {**small, "cap": 3}):
        toks = [pagewords.line_tokens(t, spec["cap"]) for t in texts]
        assert np.allclose(pagewords.word_columns(texts, spec), vec_columns_reference(toks, spec),
                           atol=1e-12)
    assert pagewords.word_columns([], small).shape == (0, 2)


def test_the_shipped_table_fast_form_equals_a_line_at_a_time():
    if not (pagewordvec.MODELS_DIR / pagewordvec.TABLE).exists():
        pytest.skip("no word table file: not shipped (session 9 merge); build it with benchmarks/make_wordvec.py")
    spec = pagewords.parse_spec("vec:64")
    texts = ["Share this story on Facebook", "The council said on Monday the café would close.", "", "1999",
             "Posted by Ann at 9:14 | 3 comments", "Getty Images", "word " * 200]
    toks = [pagewords.line_tokens(t, 64) for t in texts]
    got = pagewords.word_columns(texts, spec)
    assert got.shape == (7, 32) and np.allclose(got, vec_columns_reference(toks, spec), atol=1e-12)
    assert not got[2].any() and not got[3].any() and got[0].any()


def _net(rng, words, hidden=3):
    d_in = 2 + len(pageseq.SEQ_FEATURES) + pagewords.width(words)

    def m(*shape):
        return rng.normal(0, 0.3, shape).tolist()
    d = {"kind": "newsgist-page-seq", "version": 1, "features": list(pageseq.SEQ_FEATURES), "mix": "mean",
         "mean": rng.normal(0, 1, d_in).tolist(), "std": rng.uniform(0.5, 2, d_in).tolist(),
         "out_w": m(2 * hidden), "out_b": 0.1, "info": {}, "words": words}
    for key in ("forward", "backward"):
        d[key] = {"w_ih": m(3 * hidden, d_in), "w_hh": m(3 * hidden, hidden), "b_ih": m(3 * hidden),
                  "b_hh": m(3 * hidden)}
    return d


def test_a_net_with_a_vec_spec_reads_the_words(small):
    rng = np.random.default_rng(1)
    m = pageseq.SeqModel(_net(rng, small))
    assert m.words == small
    n = 5
    X, r1, r2 = rng.normal(0, 1, (n, len(FEATURE_NAMES))), rng.normal(0, 2, n), rng.normal(0, 2, n)
    texts = ["Share this", "story", "", "zzz", "cafe story"]
    cols = [list(FEATURE_NAMES).index(c) for c in pageseq.SEQ_FEATURES]
    Z = pageseq.seq_inputs(X, r1, r2, cols, texts, small)
    assert Z.shape == (n, 35) and np.array_equal(Z[:, 33:], pagewords.word_columns(texts, small))
    p = m.probabilities(X, r1, r2, texts)
    assert np.allclose(m.logits(Z), m.logits_reference(Z), atol=1e-12)
    assert not np.array_equal(p, m.probabilities(X, r1, r2, ["zzz"] + texts[1:]))   # the words move it


def test_a_wrong_or_missing_table_is_refused(small, tmp_path):
    rng = np.random.default_rng(2)
    bad = [{**small, "sha1": "0" * 40},                   # another table's content
           {**small, "table": "missing.npz"},
           {**small, "table": "../small.npz"},             # no directory part
           {**small, "dims": 3},
           {**small, "cap": 0},
           {**small, "sha1": "xyz"},
           {k: v for k, v in small.items() if k != "sha1"}]
    for spec in bad:
        d = _net(rng, small)
        d["words"] = spec
        path = tmp_path / "seq.json"
        path.write_text(json.dumps(d))
        pageseq._load.cache_clear()
        with pytest.raises(ModelError) as err:
            pageseq._load(str(path))
        assert err.value.code == "model_unavailable"
    # a table whose vocabulary and vectors disagree
    vocab = np.frombuffer(b"share\nthis", dtype=np.uint8)
    with (tmp_path / "odd.npz").open("wb") as fh:
        np.savez(fh, vectors=np.zeros((3, 2), dtype=np.float16), vocab=vocab, meta=np.frombuffer(b"{}", dtype=np.uint8))
    with pytest.raises(ValueError, match="words"):
        pagewordvec.load_table("odd.npz")
    with pytest.raises(ValueError):
        pagewords.parse_spec("vec:x")


def test_training_keeps_the_vector_columns_raw_and_records_the_spec(small):
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq
    rng = np.random.default_rng(3)
    cols = [list(FEATURE_NAMES).index(c) for c in pageseq.SEQ_FEATURES]
    texts = ["Share this", "story", "", "zzz", "cafe story", "this"]
    Zs, ys = [], []
    for n in (4, 6):
        X = rng.normal(0, 1, (n, len(FEATURE_NAMES)))
        Zs.append(pageseq.seq_inputs(X, rng.normal(0, 1, n), rng.normal(0, 1, n), cols, texts[:n], small))
        ys.append((rng.random(n) > 0.5).astype(float))
    d = train_pageseq.fit(Zs, ys, pageseq.SEQ_FEATURES, mix="mean", epochs=1, hidden=3, words=small)
    assert d["words"] == small and d["mean"][33:] == [0.0, 0.0] and d["std"][33:] == [1.0, 1.0]
    assert pageseq.SeqModel(d).words == small
