"""Session 10d's candidate Y (issue 31; benchmarks/paste_synth.py, not shipped): synthetic pasted
pages, another outlet's article in the furniture of training pages of the page's own fold, labels
by construction. Donor pages and articles written for these tests."""
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.evaluation.train_paste import Page
from newsgist.reading.pagelines import features, page_lines, worded_lines

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_synth as ps  # noqa: E402


def _page(pid, blocks):
    """A donor page from ``[(text, label)]`` lines, set off by blank lines."""
    text = "\n\n".join(t for t, _ in blocks)
    lines = worded_lines(text, page_lines(text))[0]
    assert len(lines) == len(blocks)
    return Page(pid, text, "", lines, features(text, lines)[0], np.asarray([v for _, v in blocks], dtype=np.float64))


def _donor(pid, site):
    return _page(pid, [(f"{site} home", 0), (f"{site} sport", 0), (f"{site} weather", 0),
                       (f"The {site} council met on Tuesday to talk about the roads.", 1),
                       (f"Members of {site} said the repairs would start soon.", 1),
                       (f"{site} related stories", 0), (f"{site} more from the desk", 0), (f"{site} newsletter", 0),
                       (f"More of the {site} story: the roads will shut for a week.", 1),
                       (f"{site} share this", 0), (f"{site} print", 0), (f"{site} copyright 2012", 0)])


def _article(k):
    return (f"test:{k:03d}", f"Harbour festival number {k} draws crowds",
            [f"Paragraph one of festival {k} tells who came and why they came.",
             f"Paragraph two of festival {k} says what the mayor said at the gate.",
             f"Paragraph three of festival {k} gives the numbers for the weekend.",
             f"Paragraph four of festival {k} ends with next year's dates."])


ARTICLES = {"one": [_article(k) for k in range(0, 10)], "two": [_article(k) for k in range(10, 20)]}
DONORS = [_donor(f"d{i}", f"site{i}") for i in range(8)]
FOLD = [i % 4 for i in range(8)]


def test_runs_and_frame():
    assert ps.label0_runs([1, 0, 0, 1, 0, 1, 0, 0, 0]) == [(1, 2), (6, 8)]
    assert ps.donor_frame([0, 0, 1, 0, 1, 0]) == ((0, 1), (5, 5))
    assert ps.donor_frame([1, 1, 0]) == (None, (2, 2))
    assert ps.donor_frame([0, 0]) is None
    long = [0] * 100 + [1] + [0] * 200
    assert ps.donor_frame(long) == ((100 - ps.HEADER_MAX, 99), (101, 100 + ps.FOOTER_MAX))


def test_article_of_drops_the_title_line():
    row = {"id": "x", "title": "Rates rise again", "article": "Rates rise again\n\nThe bank  raised\nrates.\n\nMore."}
    assert ps.article_of("bbc", row) == ("bbc:x", "Rates rise again", ["The bank raised rates.", "More."])
    row = {"id": "y", "title": "Rates rise again", "text": "Rates rise again.\n\nOne.\n\nTwo."}
    assert ps.article_of("polnear", row) == ("polnear:y", "Rates rise again", ["One.", "Two."])
    assert ps.article_of("polnear", {"id": "z", "title": "T", "text": "T.\n\nOnly one."}) is None


def test_labels_by_construction():
    art = _article(3)
    page = ps.synth_page("k", art, DONORS[1], DONORS[5])
    texts = [page.pasted[s:e] for s, e, _ in page.lines]
    article_texts = {art[1], *art[2]}
    donor_ones = {DONORS[i].pasted[s:e] for i in (1, 5) for (s, e, _), v in zip(DONORS[i].lines, DONORS[i].y) if v}
    donor_zeros = {DONORS[i].pasted[s:e] for i in (1, 5) for (s, e, _), v in zip(DONORS[i].lines, DONORS[i].y)
                   if not v}
    for t, v in zip(texts, page.y):
        assert (t in article_texts) if v else (t in donor_zeros)
        assert t not in donor_ones                      # no donor's article line enters
    assert texts[:3] == ["site1 home", "site1 sport", "site1 weather"]      # header: A's lines before its article
    assert texts[3] == art[1] and page.y[3] == 1                            # the headline, labelled 1
    assert texts[-3:] == ["site1 share this", "site1 print", "site1 copyright 2012"]   # footer: after A's last
    assert [t for t, v in zip(texts, page.y) if v] == [art[1], *art[2]]    # the whole article, in order
    blocks = [t for t in texts[4:-3] if t not in article_texts]
    assert all(t.startswith("site5 ") for t in blocks)                      # blocks: B's label-0 runs only
    X, lines = features(page.pasted, worded_lines(page.pasted, page_lines(page.pasted))[0])
    assert lines == page.lines and np.array_equal(X, page.X)               # pagelines' own features
    assert page.id == "synth:test:003"


def test_body_separator_follows_donor_a():
    text = "Menu\nThe first line of the story runs on.\nThe second line of it runs on.\nFooter"
    lines = worded_lines(text, page_lines(text))[0]
    donor = Page("a", text, "", lines, features(text, lines)[0], np.asarray([0, 1, 1, 0], dtype=np.float64))
    assert ps.body_separator(text, lines, [0, 1, 1, 0]) == "\n"
    page = ps.synth_page("k", _article(1), donor, DONORS[2])
    assert "\n\n" not in page.pasted[page.pasted.index(_article(1)[2][0]):page.pasted.index(_article(1)[2][-1])]


def test_no_leak_fold_rule_and_determinism():
    out = ps.synthetic(DONORS, FOLD, 4, n=12, articles=ARTICLES)
    assert len(out) == 12
    fold_of = {p.id: f for p, f in zip(DONORS, FOLD)}
    for k, (f, page, (a, b)) in enumerate(out):
        assert f == k % 4
        assert fold_of[a] == f and fold_of[b] == f and a != b      # furniture only from the page's own fold
        others = [d for d, g in zip(DONORS, FOLD) if g != f]
        for s, e, _ in page.lines:                                   # no line of another fold's page
            assert all(page.pasted[s:e] not in d.pasted for d in others)
    again = ps.synthetic(DONORS, FOLD, 4, n=12, articles=ARTICLES)
    assert [(f, p.pasted, p.y.tolist(), d) for f, p, d in out] == [(f, p.pasted, p.y.tolist(), d) for f, p, d in again]
    ids = [p.id for _, p, _ in out]
    assert len(set(ids)) == 12
    assert sum(i.startswith("synth:test:00") for i in ids) == 6     # an equal share from each source


def test_shared_articles_load():
    if not all(p.exists() for p in ps.SOURCES.values()):
        pytest.skip("../shared/data/bbc or quotes not found")
    arts = ps.load_articles()
    assert len(arts["bbc"]) > 2000 and len(arts["polnear"]) > 800
    picked = ps.pick_articles(arts)
    assert len(picked) == ps.SYNTH_PAGES
    assert sum(a[0].startswith("bbc:") for a in picked) == ps.SYNTH_PAGES // 2
    assert all(len(a[2]) <= ps.BODY_MAX for a in picked)


def test_cv_augment_takes_the_synthetic_pages(tmp_path):
    if not all(p.exists() for p in ps.SOURCES.values()):
        pytest.skip("../shared/data/bbc or quotes not found")
    import cv_augment
    tag, pages, folds, weight = cv_augment.extra_pages(DONORS, FOLD, tmp_path, 8)
    assert (tag, len(pages), folds, weight) == ("Y", 8, [k % 4 for k in range(8)], ps.SYNTH_WEIGHT)
    assert (tmp_path / "synth.pkl").exists()
    assert [p.pasted for p in cv_augment.extra_pages(DONORS, FOLD, tmp_path, 8)[1]] == [p.pasted for p in pages]


def test_oof_scores_page_weights():
    pytest.importorskip("lightgbm")
    import cv_augment
    rng = np.random.default_rng(0)
    Xs = [rng.normal(size=(30, 4)) for _ in range(8)]
    ys = [(X[:, 0] + 0.5 * rng.normal(size=30) > 0).astype(float) for X in Xs]
    fold = [i % 4 for i in range(8)]
    plain = cv_augment.oof_scores(Xs, ys, fold, list(range(8)), 0)
    ones = cv_augment.oof_scores(Xs, ys, fold, list(range(8)), 0, page_weights=[1.0] * 8)
    light = cv_augment.oof_scores(Xs, ys, fold, list(range(8)), 0, page_weights=[1.0] * 4 + [0.3] * 4)
    assert all(np.allclose(a, b) for a, b in zip(plain, ones))          # weight 1 everywhere: the unweighted fit
    assert not all(np.allclose(a, b) for a, b in zip(plain, light))


def test_cv_augment_refuses_another_runs_caches_and_mixed_options(tmp_path):
    """Review of session 10: a directory's caches belong to one run (folds, extra pages); options
    that would be ignored or mix site-fold and page-fold files are refused."""
    import cv_augment
    cv_augment.check_manifest(tmp_path, {"folds": "site", "synthetic": 600, "copies": 0})
    cv_augment.check_manifest(tmp_path, {"folds": "site", "synthetic": 600, "copies": 0})    # the same run again
    with pytest.raises(SystemExit, match="another run"):
        cv_augment.check_manifest(tmp_path, {"folds": "page", "synthetic": 600, "copies": 0})
    out = str(tmp_path / "x")
    with pytest.raises(SystemExit, match="--copies is F's"):
        cv_augment.main(["sitefolds", "--out-dir", out, "--synthetic", "600", "--copies", "2"])
    with pytest.raises(SystemExit, match="--page-folds is for sitefolds"):
        cv_augment.main(["train", "--out-dir", out, "--page-folds"])
    with pytest.raises(SystemExit, match="needs --e-gru"):
        cv_augment.main(["sitefolds", "--out-dir", out, "--page-folds"])
