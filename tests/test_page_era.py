"""benchmarks/page_era.py (issue 31, session 11r): page-level era features, the logistic fit and the
AUC, on hand-worked cases (no rendered pages needed)."""
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import page_era as pe  # noqa: E402


def test_features_of_a_small_page():
    text = "Skip to content\nWe use cookies.\n\nCouncil votes\nThe council voted 7-2 in 2012.\n© 2025 Courier"
    f = dict(zip(pe.FEATURES, pe.features(text)))
    assert f["year"] == 2025 and f["has_year"] == 1.0          # the latest year of the page
    assert f["lex_share"] == pytest.approx(3 / 5)               # skip link, cookies, © 2025 of 5 lines
    assert f["lex_lines"] == pytest.approx(math.log1p(3))
    assert f["short_share"] == pytest.approx(4 / 5)             # every line but the sentence has <= 3 words
    assert f["blocks_per_line"] == pytest.approx(2 / 5)         # two blank-line blocks
    assert math.isnan(dict(zip(pe.FEATURES, pe.features("no year here")))["year"])


def test_auc_counts_ties_half():
    assert pe.auc(np.array([3.0, 2.0, 1.0]), np.array([1, 0, 0])) == 1.0
    assert pe.auc(np.array([1.0, 1.0]), np.array([1, 0])) == 0.5


def test_fit_separates_a_separable_set_and_weighs_classes_equally():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(-2, 1, (90, 1)), rng.normal(2, 1, (10, 1))])
    y = np.array([0] * 90 + [1] * 10)
    w = pe.fit(x, y)
    assert w[0] > 0 and pe.auc(x[:, 0] * w[0] + w[1], y) > 0.95
    # equal class weights: the decision boundary sits near the middle, not pushed to the big class
    assert abs(-w[1] / w[0]) < 0.75


def test_training_pages_are_read_without_decoding_a_held_out_line(tmp_path, monkeypatch):
    """paste_render.cached_pasted (session 12d: page_era's and fit_router's one loader): a line of the
    data or the cache is decoded only when its id is kept (here the held-out lines are not JSON), a
    page whose HTML changed or that failed to render is left out, and a missing file gives []."""
    import gzip
    import json
    import paste_render
    data = tmp_path / "dragnet.jsonl.gz"
    with gzip.open(data, "wt", encoding="utf-8") as fh:
        for pid in ("a", "b", "c"):
            fh.write(json.dumps({"id": pid, "html": f"<p>{pid}</p>"}) + "\n")
        fh.write('{"id": "held", not json\n')
    cache = tmp_path / "cache"
    cache.mkdir()
    recs = [{"id": "a", "sha1": paste_render.sha1("<p>a</p>"), "pasted": "old A", "error": None},
            {"id": "a", "sha1": paste_render.sha1("<p>a</p>"), "pasted": "A", "error": None},   # the last wins
            {"id": "b", "sha1": paste_render.sha1("<p>changed</p>"), "pasted": "B", "error": None},
            {"id": "c", "sha1": paste_render.sha1("<p>c</p>"), "pasted": "", "error": "timeout"}]
    (cache / "dragnet.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs) + '{"id": "held", x\n')
    monkeypatch.setitem(paste_render.SETS, "dragnet", data)
    monkeypatch.setattr(paste_render, "CACHE_DIR", cache)
    assert paste_render.cached_pasted("dragnet", lambda pid: pid != "held") == [("a", "A")]
    with pytest.raises(ValueError):               # the held-out lines would be decoded if kept
        paste_render.cached_pasted("dragnet", lambda pid: True)
    monkeypatch.setattr(paste_render, "CACHE_DIR", tmp_path / "none")
    assert paste_render.cached_pasted("dragnet", lambda pid: True) == [] == pe.dragnet_training_texts()
