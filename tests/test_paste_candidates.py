"""Session 6b's candidate inputs of the pasted-page model (issue 31; not shipped, kept in
benchmarks/paste_candidates.py so that cv_paste.py reproduces their numbers): the page-context
columns of stage 2 (S) and the page-metadata line flags (M). Lines written for these tests."""
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.reading.pagelines import FEATURE_NAMES, features, page_lines
from newsgist.reading.pagemodel import STAGE2_NAMES, stage2_features

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_candidates as pagestack  # noqa: E402
from paste_candidates import META_NAMES, PAGE_NAMES, meta_columns, meta_flags, stage2_rows  # noqa: E402

COL = {n: k for k, n in enumerate(PAGE_NAMES)}


def _logit(p):
    p = np.asarray(p, dtype=np.float64)
    return np.log(p / (1 - p))


def test_longest_believed_run_bridges_short_gaps_only():
    # believed: 0-1, gap of 3, 5-7 + gap of 2 + 10-11 (one run), gap of 3, 15 (alone)
    p = [0.9, 0.9, 0.1, 0.1, 0.1, 0.8, 0.8, 0.8, 0.2, 0.2, 0.9, 0.9, 0.1, 0.1, 0.1, 0.9]
    words = [5] * len(p)
    out = pagestack.page_context(words, [True] + [False] * (len(p) - 1), _logit(p))
    inside = out[:, COL["in_run"]]
    assert inside.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert out[4, COL["run_lines_before"]] == pytest.approx(np.log1p(1))
    assert out[15, COL["run_lines_after"]] == pytest.approx(np.log1p(4))
    assert out[0, COL["run_words_between"]] == pytest.approx(np.log1p(20))   # lines 1-4 lie between
    assert out[6, COL["run_words_between"]] == 0
    assert out[0, COL["run_share"]] == pytest.approx(35 / 80)


def test_page_level_columns_and_blocks():
    p = [0.2, 0.9, 0.9, 0.3]
    words = [2, 10, 30, 8]
    blank = [True, True, False, True]          # blocks: [0], [1, 2], [3]
    out = pagestack.page_context(words, blank, _logit(p))
    assert out[:, COL["page_mass"]] == pytest.approx([(0.4 + 9 + 27 + 2.4) / 50] * 4)
    assert out[0, COL["page_share_hi"]] == pytest.approx(40 / 50)
    assert out[1, COL["block_word_share"]] == pytest.approx(10 / 40)
    assert out[2, COL["block_word_share"]] == pytest.approx(30 / 40)
    assert out[0, COL["block_word_share"]] == 1.0
    assert out[1, COL["block_mass"]] == pytest.approx(0.9)
    # token-weighted rank: the share of the page's words in lines believed more
    assert out[1, COL["p1_tok_rank"]] == 0.0 and out[2, COL["p1_tok_rank"]] == pytest.approx(10 / 50)
    assert out[0, COL["p1_tok_rank"]] == pytest.approx(48 / 50)


def test_flat_page_and_empty_page():
    out = pagestack.page_context([3, 3, 3], [True, False, False], np.zeros(3))
    assert np.all(out[:, COL["p1_z"]] == 0)
    assert out[:, COL["in_run"]].tolist() == [1, 1, 1]           # p = 0.5 is believed
    none = pagestack.page_context([3, 3], [True, False], _logit([0.1, 0.2]))
    assert none[:, COL["in_run"]].tolist() == [0, 0] and none[0, COL["run_share"]] == 0
    assert pagestack.page_context([], [], np.zeros(0)).shape == (0, len(PAGE_NAMES))


def test_stage2_width_with_and_without_page_context():
    para = "Paragraph {} says something long enough to read as prose here."
    text = "Home\nNews\n\n" + "\n\n".join(para.format(k) for k in range(5))
    X, lines = features(text)
    raw = np.linspace(-2, 2, len(lines))
    plain = stage2_rows(X, raw, False)
    both = stage2_rows(X, raw, True)
    assert np.array_equal(plain, stage2_features(X, raw))
    assert plain.shape == (len(lines), len(FEATURE_NAMES) + len(STAGE2_NAMES))
    assert both.shape == (len(lines), plain.shape[1] + len(PAGE_NAMES))
    assert np.array_equal(both[:, :plain.shape[1]], plain)


def test_meta_flags():
    f = dict.fromkeys(META_NAMES)
    cases = {
        "This entry was posted on Monday and is filed under Gardening, Weekend.": "meta_filed",
        "Tags: tomatoes, compost, allotments": "meta_filed",
        "Jo Bramley is a staff writer who covers allotments and city parks.": "meta_bio",
        "Everything you read on this blog is my own opinion.": "meta_site",
        "Comments are moderated and will not appear until approved.": "meta_form",
        "Your email address will not be published.": "meta_form",
        "Ten ways to grow tomatoes on a balcony...": "meta_teaser",
        "The council approved the new allotments on Tuesday, read more": "meta_teaser",
    }
    for line, name in cases.items():
        flags = dict(zip(f, meta_flags(line)))
        assert flags[name] == 1.0, (line, name)
    plain = "The council approved forty new allotment plots on Tuesday after a long wait."
    assert meta_flags(plain) == [0.0] * len(META_NAMES)
    # a capitalised name and "is" without an occupation is no bio
    assert dict(zip(f, meta_flags("Maria Lopez is happy with her new plot.")))["meta_bio"] == 0.0


def test_meta_columns_of_a_page():
    text = "Menu\nHome\n\nTags:   one, two\n\nA sentence of the article that is long enough to be prose."
    M = meta_columns(text, page_lines(text))
    assert M.shape == (4, len(META_NAMES))
    assert M[2, META_NAMES.index("meta_filed")] == 1.0
    assert M[3].tolist() == [0.0] * len(META_NAMES)
    assert meta_columns("", []).shape == (0, len(META_NAMES))
