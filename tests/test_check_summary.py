"""Issue 26, session 5b: the summary model refit alone on the line trees in the model file."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from newsgist.evaluation import check_summary as CS
from newsgist.evaluation.train_check import DATA, main
from newsgist.grounding import model as M


def test_balanced_threshold_and_folds():
    y = np.array([0, 0, 0, 1, 1, 1], float)
    t, b = CS.balanced_threshold(np.array([0.1, 0.2, 0.6, 0.5, 0.8, 0.9]), y)
    assert t == 0.5 and b == pytest.approx(5 / 6)
    rows = [{"article": f"article {i // 3}"} for i in range(30)]
    folds = CS.article_folds(rows)
    assert set(folds.tolist()) == set(range(CS.FOLDS))
    for i in range(0, 30, 3):   # an article's summaries stay in one fold
        assert len(set(folds[i:i + 3].tolist())) == 1
    assert (CS.article_folds(rows, seed=1) != folds).any()


@pytest.mark.skipif(not (DATA / "faithfulness/frank-validation.jsonl").exists(),
                    reason="../shared/data/faithfulness/frank-validation.jsonl not present")
def test_summary_only_refits_the_shipped_summary_model(tmp_path):
    """`train_check --summary-only` rewrites only the summary model; on the shipped trees it
    gives back the shipped one (the same inputs, weights to 1e-4, the same threshold)."""
    out = tmp_path / "check.json"
    shutil.copy(M.MODEL_PATH, out)
    before = json.loads(out.read_text(encoding="utf-8"))
    try:
        assert main(["--summary-only", "--out", str(out)]) == 0
    finally:
        M._LOADED = None
    after = json.loads(out.read_text(encoding="utf-8"))
    assert after["line"] == before["line"]
    s0, s1 = before["summary"], after["summary"]
    assert s1["features"] == s0["features"] == list(M.summary_names(CS.SUMMARY_LINE_FEATURES))
    assert np.allclose(s1["weights"], s0["weights"], atol=1e-4)
    assert s1["threshold"] == pytest.approx(s0["threshold"], abs=0.002)
    assert json.loads(Path(M.MODEL_PATH).read_text(encoding="utf-8")) == before   # the shipped file untouched
