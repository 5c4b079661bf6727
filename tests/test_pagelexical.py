"""Candidate C (issue 31, session 10): the lexical continuation columns of stage 2
(:mod:`newsgist.reading.pagelexical`). Pages written for these tests."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.reading import pagelexical
from newsgist.reading.pagelexical import LEXICAL_NAMES, MAX_LINE_TERMS, NO_TERMS, lexical_columns, line_terms

ROOT = Path(__file__).resolve().parents[1]
SURE, DOUBT = 6.0, -6.0        # stage-1 log-odds of a line believed article / furniture

PAGE = [
    ("Home News Sport Weather", DOUBT),
    ("Harbour council delays vote on the new ferry terminal", SURE),
    ("The harbour council postponed its vote on the ferry terminal after residents objected.", SURE),
    ("Residents said the terminal would bring lorries through the old quarter at night.", SURE),
    ("Read more", DOUBT),
    ("Cyclist wins mountain stage in driving rain", DOUBT),
    ("Subscribe to our newsletter", DOUBT),
    ("Council officers will now study the lorries and the night traffic before the ferry vote returns.", DOUBT),
    ("Share this article", DOUBT),
]


def columns(page=PAGE):
    return lexical_columns([t for t, _ in page], np.array([r for _, r in page]))


def col(name):
    return LEXICAL_NAMES.index(name)


def test_shape_and_empty_page():
    assert lexical_columns([], np.zeros(0)).shape == (0, len(LEXICAL_NAMES))
    out = columns()
    assert out.shape == (len(PAGE), len(LEXICAL_NAMES))
    assert np.isfinite(out).all()


def test_terms_are_content_words_stemmed():
    assert line_terms("The councils are voting on 12 terminals") == ["council", "vot", "terminal"]
    assert line_terms("and the of 2024 -- !!") == []


def test_continuation_after_a_furniture_block_is_supported_by_the_body_above():
    out = columns()
    after = 7       # the article's paragraph after "Read more", a headline and a newsletter prompt
    headline = 5    # another story's headline: its words are nowhere in the article
    assert out[after, col("lex_share")] > 0.25          # council, ferry, vote, lorries, night: used above
    assert out[after, col("lex_share_above")] == pytest.approx(out[after, col("lex_share")])
    assert out[after, col("lex_share_below")] == pytest.approx(0.0, abs=1e-9)   # nothing after it uses its words
    assert out[headline, col("lex_share")] == 0.0
    assert out[after, col("lex_cos")] > out[headline, col("lex_cos")]


def test_leave_one_out_a_line_does_not_support_itself():
    page = [("Zeppelins glide", SURE), ("Menu", DOUBT), ("Weather today", SURE)]
    out = columns(page)
    assert out[0, col("lex_share")] == 0.0 and out[0, col("lex_cos")] == 0.0
    # the same line twice: each is supported by the other's weight only
    twice = [("Zeppelins glide", SURE), ("Zeppelins glide", SURE)]
    p = 1 / (1 + math.exp(-SURE))
    assert columns(twice)[0, col("lex_share")] == pytest.approx(p / (p + pagelexical.SUPPORT_HALF))


def test_a_line_without_terms_is_marked():
    out = columns([("12 | 34", SURE), ("Harbour ferry", SURE)])
    assert list(out[0, :4]) == [NO_TERMS] * 4 and out[0, col("lex_terms")] == 0


def test_cosine_matches_a_direct_computation():
    texts = [t for t, _ in PAGE]
    raw = np.array([r for _, r in PAGE]) * np.linspace(0.3, 1.0, len(PAGE))
    out = lexical_columns(texts, raw)
    p = 1 / (1 + np.exp(-raw))
    terms = [line_terms(t) for t in texts]
    vocab = sorted({t for ts in terms for t in ts})
    C = np.array([[ts.count(v) for v in vocab] for ts in terms], dtype=float)
    df = (C > 0).sum(axis=0)
    idf = np.log(1 + sum(1 for ts in terms if ts) / df)
    B = p @ C
    for i in range(len(texts)):
        if not terms[i]:
            continue
        a, r = C[i] * idf, (B - p[i] * C[i]) * idf
        want = a @ r / (np.linalg.norm(a) * np.linalg.norm(r)) if np.linalg.norm(r) > 1e-6 else 0.0
        assert out[i, col("lex_cos")] == pytest.approx(want, abs=1e-9)
        up = (p[:i] @ C[:i]) if i else np.zeros(len(vocab))
        share_up = sum(C[i, k] * up[k] / (up[k] + 1) for k in range(len(vocab))) / C[i].sum()
        assert out[i, col("lex_share_above")] == pytest.approx(share_up, abs=1e-9)


def test_long_line_is_capped_and_output_is_deterministic():
    long_line = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}x" for i in range(5000))
    page = [(long_line, SURE), ("wordaax wordbax", DOUBT)]
    out = columns(page)
    assert out[0, col("lex_terms")] == MAX_LINE_TERMS
    assert np.array_equal(out, columns(page))


def test_cv_paste_lexical_runs_with_comment_shape_alone():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import cv_paste
    with pytest.raises(SystemExit):
        cv_paste.run("dragnet", [0], 4, 1, lexical=True)                      # without --comment-shape
    with pytest.raises(SystemExit):
        cv_paste.run("dragnet", [0], 4, 1, comment=True, meta=True, lexical=True)


def test_shipped_model_does_not_read_the_columns():
    """C is off: the shipped stage 2 reads the shipped rows only (BENCHMARKS, session 10)."""
    import json
    from newsgist.reading.pagemodel import MODEL_PATH, STAGE2_NAMES
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert not set(LEXICAL_NAMES) & set(d.get("stage2_features", STAGE2_NAMES))


def test_stage2_rows_off_leaves_the_rows_and_on_appends_the_columns():
    rows = np.arange(12.0).reshape(3, 4)
    texts = ["Harbour ferry vote", "Menu", "Ferry vote delayed"]
    raw = np.array([SURE, DOUBT, SURE])
    assert pagelexical.stage2_rows(rows, None, raw, False) is rows
    on = pagelexical.stage2_rows(rows, texts, raw, True)
    assert on.shape == (3, 4 + len(LEXICAL_NAMES))
    assert np.array_equal(on[:, :4], rows) and np.array_equal(on[:, 4:], lexical_columns(texts, raw))
    with pytest.raises(ValueError):
        pagelexical.stage2_rows(rows, None, raw, True)
    assert pagelexical.reads_columns(["raw", *LEXICAL_NAMES])
    assert not pagelexical.reads_columns(list(LEXICAL_NAMES)) and not pagelexical.reads_columns(["raw"])


def test_page_model_reads_the_columns_only_when_its_file_lists_them():
    import json
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pagemodel import MODEL_PATH, STAGE2_NAMES, PageModel
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert PageModel(d).lexical is False
    d["stage2_features"] = list(STAGE2_NAMES) + list(LEXICAL_NAMES)
    m = PageModel(d)
    assert m.lexical is True
    X = np.zeros((3, len(FEATURE_NAMES)))
    with pytest.raises(ValueError):     # a lexical stage 2 without the lines' texts
        m.probabilities(X)


def test_training_stacks_the_columns_when_asked():
    from types import SimpleNamespace
    from newsgist.evaluation.train_paste import _stack
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pagemodel import STAGE2_NAMES
    pasted = "Harbour ferry vote\nMenu\nFerry vote delayed"
    page = SimpleNamespace(X=np.zeros((3, len(FEATURE_NAMES))), pasted=pasted, lines=[(0, 18, 0), (19, 23, 0), (24, 42, 0)])
    raw = np.array([SURE, DOUBT, SURE])
    off, on = _stack([page], [raw]), _stack([page], [raw], True)
    assert off.shape[1] == len(FEATURE_NAMES) + len(STAGE2_NAMES) and on.shape[1] == off.shape[1] + len(LEXICAL_NAMES)
    assert np.array_equal(on[:, -len(LEXICAL_NAMES):], lexical_columns(pasted.split("\n"), raw))


def test_the_gru_stage_gets_the_shipped_stage2_rows_when_stage2_reads_the_columns(monkeypatch):
    """Start trees (session 9e) score the stage-2 rows by column position: a lexical stage 2 must
    not widen the rows the GRU stage reads (review of session 10)."""
    import json
    from newsgist.reading import pageseq
    from newsgist.reading.pagelines import FEATURE_NAMES
    from newsgist.reading.pagemodel import MODEL_PATH, STAGE2_NAMES, PageModel
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    d["stage2_features"] = list(STAGE2_NAMES) + list(LEXICAL_NAMES)
    m, seen = PageModel(d), {}

    class Seq:
        def probabilities(self, X, raw1, raw2, texts=None, rows2=None):
            seen["width"] = rows2.shape[1]
            return np.full(len(raw2), 0.5)
    monkeypatch.setattr(pageseq, "load_seq_for", lambda fingerprint, shipped: Seq())
    texts = [t for t, _ in PAGE]
    m.probabilities(np.zeros((len(texts), len(FEATURE_NAMES))), texts)
    assert seen["width"] == len(FEATURE_NAMES) + len(STAGE2_NAMES)


# --- candidate C2 (session 10f): the page-relative columns -----------------------------------

from newsgist.reading.pagelexical import (  # noqa: E402
    BELIEVED_P, LEXICAL_REL_NAMES, REL_FLOOR, lexical_rel_columns, reads_columns)


def rel(page=PAGE, scale=1.0):
    return lexical_rel_columns([t for t, _ in page], np.array([r for _, r in page]) * scale)


def test_rel_shape_finite_and_empty():
    assert lexical_rel_columns([], np.zeros(0)).shape == (0, len(LEXICAL_REL_NAMES))
    out = rel()
    assert out.shape == (len(PAGE), len(LEXICAL_REL_NAMES)) and np.isfinite(out).all()


def test_rel_is_the_absolute_column_over_the_believed_articles_weighted_mean():
    texts, raw = [t for t, _ in PAGE], np.array([r for _, r in PAGE])
    base, out = lexical_columns(texts, raw), rel()
    p = 1 / (1 + np.exp(-raw))
    believed = (base[:, 4] > 0) & (p >= BELIEVED_P)
    for k in range(4):
        ref = max((p[believed] * base[believed, k]).sum() / p[believed].sum(), REL_FLOOR)
        has = base[:, 4] > 0
        assert np.allclose(out[has, k], base[has, k] / ref)
    assert list(out[:, 4]) == list(base[:, 4])
    assert np.allclose(out[:, 5], math.log1p(base[believed, 4].sum()))


def test_rel_a_short_article_is_judged_against_itself():
    # the same continuation paragraph, once under a long article and once under a short one: the
    # short article gives it less absolute support, but relative to its own lines it stands as well
    short = [("Ferry vote delayed", SURE), ("Newsletter", DOUBT),
             ("Ferry vote delayed again by the council", DOUBT)]
    out_abs = columns(short)
    out_rel = rel(short)
    # the believed article (one line, nothing else supports it) has reference 0 -> floored, finite
    assert np.isfinite(out_rel).all()
    assert out_rel[2, 0] == pytest.approx(out_abs[2, 0] / REL_FLOOR)
    assert out_rel[0, 5] == pytest.approx(math.log1p(3))


def test_rel_page_without_a_believed_line_falls_back_to_every_line():
    page = [(t, DOUBT) for t, _ in PAGE]
    texts, raw = [t for t, _ in page], np.array([r for _, r in page])
    base, out = lexical_columns(texts, raw), rel(page)
    has = base[:, 4] > 0
    p = 1 / (1 + np.exp(-raw))
    ref = max((p[has] * base[has, 0]).sum() / p[has].sum(), REL_FLOOR)
    assert np.allclose(out[has, 0], base[has, 0] / ref)
    assert (out[:, 5] == 0.0).all()


def test_rel_line_without_terms_is_marked():
    out = rel([("12 | 34", SURE), ("Harbour ferry", SURE), ("Harbour ferry boats", SURE)])
    assert list(out[0, :4]) == [NO_TERMS] * 4 and out[0, 4] == 0


def test_reads_columns_tells_the_modes_apart():
    from newsgist.reading.pagemodel import STAGE2_NAMES
    assert reads_columns(list(STAGE2_NAMES)) is False
    assert reads_columns(list(STAGE2_NAMES) + list(LEXICAL_NAMES)) is True
    assert reads_columns(list(STAGE2_NAMES) + list(LEXICAL_REL_NAMES)) == "rel"
    rows2 = np.zeros((len(PAGE), 3))
    texts, raw = [t for t, _ in PAGE], np.array([r for _, r in PAGE])
    assert pagelexical.stage2_rows(rows2, texts, raw, "rel").shape == (len(PAGE), 3 + len(LEXICAL_REL_NAMES))
    assert pagelexical.stage2_rows(rows2, texts, raw, True).shape == (len(PAGE), 3 + len(LEXICAL_NAMES))


def test_mode_of_the_command_line_value():
    assert [pagelexical.mode_of(v) for v in (None, "abs", "rel")] == [False, True, "rel"]
    assert pagelexical.names_of(pagelexical.mode_of("rel")) == pagelexical.LEXICAL_REL_NAMES
    with pytest.raises(KeyError):
        pagelexical.mode_of("relative")
