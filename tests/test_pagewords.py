"""The line's words as input columns of the page model's GRU stage (issue 31, session 8b):
stable buckets worked by hand, the bag's scaling and cap, a file without a ``words`` spec reading
as before, and bad specs refused."""
import json
import zlib

import numpy as np
import pytest

from newsgist.errors import ModelError
from newsgist.reading import pageseq, pagewords
from newsgist.reading.pagelines import FEATURE_NAMES

BAG = {"scheme": "bag", "hash": "crc32", "buckets": 256, "cap": 64}
ENDS = {"scheme": "bag+ends", "hash": "crc32", "buckets": 256, "cap": 64, "ends": 64}


def test_buckets_are_crc32_by_hand():
    # CRC-32 (zlib's, the IEEE polynomial) of b"hello" is 0x3610A686 and of b"world" 0x3A771143:
    # their last bytes 0x86 = 134 and 0x43 = 67 are the buckets among 256; stable across processes
    assert zlib.crc32(b"hello") == 0x3610A686 and zlib.crc32(b"world") == 0x3A771143
    assert pagewords.bucket("hello", 256) == 134 and pagewords.bucket("world", 256) == 67
    assert pagewords.bucket("hello", 64) == 0x86 % 64 == 6


def test_a_line_worked_by_hand():
    # "Hello, hello WORLD 42!": tokens hello, hello, world (lower-cased; the digits are no token),
    # n = 3: bucket 134 holds 2 / sqrt(3), bucket 67 holds 1 / sqrt(3); the rest 0
    cols = pagewords.word_columns(["Hello, hello WORLD 42!", "", "1999 -- 2026"], BAG)
    assert cols.shape == (3, 256)
    want = np.zeros(256)
    want[134], want[67] = 2 / np.sqrt(3), 1 / np.sqrt(3)
    assert np.array_equal(cols[0], want)
    assert not cols[1].any() and not cols[2].any()          # no token: zeros
    ends = pagewords.word_columns(["Hello, hello WORLD 42!"], ENDS)[0]
    assert ends.shape == (384,) and np.array_equal(ends[:256], want)
    assert ends[256 + 6] == 1.0 and ends[320 + 0x43 % 64] == 1.0 and ends.sum() == pytest.approx(want.sum() + 2)


def test_the_cap_and_unicode_letters():
    long = " ".join(["share"] * 1000)
    row = pagewords.word_columns([long], BAG)[0]
    assert row[pagewords.bucket("share", 256)] == pytest.approx(64 / 8.0)      # 64 tokens counted, / sqrt(64)
    assert pagewords.line_tokens("Über café_Straße 3x", 64) == ["über", "café", "straße", "x"]
    assert pagewords.line_tokens("a b c d", 2) == ["a", "b"]


def test_specs_parse_and_bad_ones_are_refused():
    assert pagewords.parse_spec("bag:256:64") == BAG
    assert pagewords.parse_spec("bag+ends:256:64:64") == ENDS
    assert pagewords.width(BAG) == 256 and pagewords.width(ENDS) == 384
    for bad in ("bag:256", "bag:x:64", "tfidf:256:64", "bag+ends:256:64", "bag:0:64", "bag:256:1001"):
        with pytest.raises(ValueError):
            pagewords.parse_spec(bad)


def _net(rng, words=None, hidden=3):
    d_in = 2 + len(pageseq.SEQ_FEATURES) + (pagewords.width(words) if words else 0)

    def m(*shape):
        return rng.normal(0, 0.3, shape).tolist()
    d = {"kind": "newsgist-page-seq", "version": 1, "features": list(pageseq.SEQ_FEATURES), "mix": "mean",
         "mean": rng.normal(0, 1, d_in).tolist(), "std": rng.uniform(0.5, 2, d_in).tolist(),
         "out_w": m(2 * hidden), "out_b": 0.1, "info": {}}
    for key in ("forward", "backward"):
        d[key] = {"w_ih": m(3 * hidden, d_in), "w_hh": m(3 * hidden, hidden), "b_ih": m(3 * hidden),
                  "b_hh": m(3 * hidden)}
    if words:
        d["words"] = words
    return d


def _rows(rng, n=9):
    X = rng.normal(0, 1, (n, len(FEATURE_NAMES)))
    texts = ["Share this story", "Harbour bridge to close", "Reply", "", "Posted by Ann at 9:14",
             "The council said on Monday the bridge would close.", "Follow us", "Getty Images", "Subscribe"][:n]
    return X, rng.normal(0, 2, n), rng.normal(0, 2, n), texts


def test_a_file_without_the_spec_reads_as_before_bit_for_bit():
    rng = np.random.default_rng(1)
    d = _net(rng)
    m = pageseq.SeqModel(d)
    assert m.words is None
    X, r1, r2, texts = _rows(rng)
    cols = [list(FEATURE_NAMES).index(c) for c in pageseq.SEQ_FEATURES]
    # today's rows (written out) and today's result; the texts are not read
    Z = np.column_stack([np.clip(r1, -10, 10), np.clip(r2, -10, 10), X[:, cols]])
    assert np.array_equal(pageseq.seq_inputs(X, r1, r2, cols), Z)
    assert np.array_equal(pageseq.seq_inputs(X, r1, r2, cols, texts, None), Z)
    p = m.probabilities(X, r1, r2)
    assert np.array_equal(p, m.probabilities(X, r1, r2, texts))
    assert np.allclose(p, 0.5 * (1 / (1 + np.exp(-m.logits_reference(Z))) + 1 / (1 + np.exp(-r2))), atol=1e-12)
    if pageseq.SEQ_PATH.exists():         # the shipped file has no spec: the words are never read
        shipped = pageseq.SeqModel(json.loads(pageseq.SEQ_PATH.read_text(encoding="utf-8")))
        if shipped.words is None:
            assert np.array_equal(shipped.probabilities(X, r1, r2), shipped.probabilities(X, r1, r2, texts))


def test_a_net_with_the_spec_reads_the_words():
    rng = np.random.default_rng(2)
    for words in (BAG, ENDS):
        d = _net(rng, words)
        m = pageseq.SeqModel(d)
        assert m.words == words
        X, r1, r2, texts = _rows(rng)
        cols = [list(FEATURE_NAMES).index(c) for c in pageseq.SEQ_FEATURES]
        Z = pageseq.seq_inputs(X, r1, r2, cols, texts, words)
        assert Z.shape == (9, 33 + pagewords.width(words))
        assert np.array_equal(Z[:, 33:], pagewords.word_columns(texts, words))
        p = m.probabilities(X, r1, r2, texts)
        assert np.allclose(m.logits(Z), m.logits_reference(Z), atol=1e-12)
        other = list(texts)
        other[0] = "Markets rallied"
        assert not np.array_equal(p, m.probabilities(X, r1, r2, other))      # the words move it
        with pytest.raises(ValueError, match="reads the lines' words"):
            m.probabilities(X, r1, r2)
        # several nets: they must agree on the spec
        many = {"kind": "newsgist-page-seq", "mix": "mean", "nets": [_net(rng, words), _net(rng, words)]}
        assert pageseq.SeqModel(many).words == words
        with pytest.raises(ValueError, match="differ"):
            pageseq.SeqModel({**many, "nets": [_net(rng, words), _net(rng)]})


@pytest.mark.parametrize("spec", [
    {"scheme": "tfidf", "hash": "crc32", "buckets": 256, "cap": 64},
    {"scheme": "bag", "hash": "python", "buckets": 256, "cap": 64},
    {"scheme": "bag", "hash": "crc32", "buckets": 0, "cap": 64},
    {"scheme": "bag", "hash": "crc32", "buckets": 1 << 20, "cap": 64},
    {"scheme": "bag", "hash": "crc32", "buckets": 256, "cap": True},
    {"scheme": "bag", "hash": "crc32", "buckets": 256.0, "cap": 64},
    {"scheme": "bag", "hash": "crc32", "buckets": 256, "cap": 64, "ends": 8},
    {"scheme": "bag+ends", "hash": "crc32", "buckets": 256, "cap": 64},
    {"scheme": "bag", "hash": "crc32", "buckets": 256},
    "bag:256:64", None,
])
def test_a_bad_spec_is_refused_with_model_error(tmp_path, spec):
    rng = np.random.default_rng(3)
    d = _net(rng, BAG)
    d["words"] = spec
    path = tmp_path / "seq.json"
    path.write_text(json.dumps(d))
    with pytest.raises(ModelError) as err:
        pageseq._load(str(path))
    assert err.value.code == "model_unavailable"


def test_a_spec_whose_width_does_not_match_the_weights_is_refused(tmp_path):
    rng = np.random.default_rng(4)
    d = _net(rng, BAG)
    d["words"] = ENDS                      # 384 columns asked, weights for 256
    path = tmp_path / "seq.json"
    path.write_text(json.dumps(d))
    with pytest.raises(ModelError, match="shape|match"):
        pageseq._load(str(path))


def test_the_page_model_gives_the_words_to_a_net_that_reads_them(tmp_path, monkeypatch):
    from newsgist.reading import pagemodel
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    model = pagemodel.load_model()
    if model is None:
        pytest.skip("no page model file")
    page = ("Home | World | Sport\n\nHarbour bridge to close for a year\n\n"
            "The city's harbour bridge will close for repairs next spring, the council said on Monday.\n\n"
            "Share this story")
    read = worded_lines(page, page_lines(page))[0]
    X, _ = features(page, read)
    texts = [page[s:e] for s, e, _ in read]
    raw1 = model.stage1.predict(X)
    raw2 = model.stage2.predict(pagemodel.stage2_features(X, raw1))
    d = dict(_net(np.random.default_rng(5), BAG), trees_sha1=model.fingerprint)
    (tmp_path / "seq.json").write_text(json.dumps(d))
    monkeypatch.setenv("NEWSGIST_PAGE_SEQ", str(tmp_path / "seq.json"))
    want = pageseq.SeqModel(d).probabilities(X, raw1, raw2, texts)
    assert np.array_equal(model.probabilities(X, texts), want)
    whole = page + "\n\n" + "\n\n".join(f"Menu item {k}" for k in range(14))
    got = pagemodel.page_furniture(whole, page_lines(whole))
    assert isinstance(got, dict)       # the whole path runs with a words net (the texts reach it)


def test_training_keeps_the_word_columns_raw_and_records_the_spec():
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq
    rng = np.random.default_rng(6)
    words = {"scheme": "bag", "hash": "crc32", "buckets": 16, "cap": 64}
    cols = [list(FEATURE_NAMES).index(c) for c in pageseq.SEQ_FEATURES]
    Zs, ys = [], []
    for n in (5, 7, 9):
        X, r1, r2, texts = _rows(rng, 9)
        Zs.append(pageseq.seq_inputs(X[:n], r1[:n], r2[:n], cols, texts[:n], words))
        ys.append((rng.random(n) > 0.5).astype(float))
    d = train_pageseq.fit(Zs, ys, pageseq.SEQ_FEATURES, mix="mean", epochs=1, hidden=3, words=words)
    assert d["words"] == words and d["mean"][33:] == [0.0] * 16 and d["std"][33:] == [1.0] * 16
    m = pageseq.SeqModel(d)
    assert m.words == words
    # without the spec, the same rows' first 33 columns train the net they always did
    plain = train_pageseq.fit([Z[:, :33] for Z in Zs], ys, pageseq.SEQ_FEATURES, mix="mean", epochs=1, hidden=3)
    again = train_pageseq.fit([Z[:, :33] for Z in Zs], ys, pageseq.SEQ_FEATURES, mix="mean", epochs=1, hidden=3,
                              words=None)
    assert "words" not in plain and plain == again
    with pytest.raises(ValueError):
        train_pageseq.fit(Zs, ys, pageseq.SEQ_FEATURES, epochs=1, words={"scheme": "bag"})


def test_the_page_wide_form_equals_a_line_at_a_time():
    rng = np.random.default_rng(7)
    vocab = ["Share", "share", "SHARE", "reply", "Über", "straße", "x1", "42", "I", "the", "Posted", "-", "é"]
    texts = [" ".join(rng.choice(vocab, size=int(rng.integers(0, 30)))) for _ in range(200)]
    texts += ["", "share " * 500, "word" * 3000, ("a b " * 300) + "Z"]     # long lines: past the scan bound
    for spec in (BAG, ENDS, {"scheme": "bag", "hash": "crc32", "buckets": 7, "cap": 3}):
        assert np.array_equal(pagewords.word_columns(texts, spec), pagewords.word_columns_reference(texts, spec))
    assert pagewords.word_columns([], BAG).shape == (0, 256)
    assert pagewords.word_columns(["", "42"], ENDS).shape == (2, 384)
