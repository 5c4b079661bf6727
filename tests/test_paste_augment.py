"""Session 9f's candidate F (issue 31; benchmarks/paste_augment.py, not shipped): a training page's
broken-body copy, its furniture inserted between body lines, labels kept. Pages written for these tests."""
import random
import sys
from pathlib import Path

import numpy as np

from newsgist.evaluation.train_paste import Page
from newsgist.reading.pagelines import features, page_lines, worded_lines

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_augment as aug  # noqa: E402

# one furniture run of exactly two lines (Share / Tweet) and one gap (after "First ..."): every
# draw is forced (one gap, one run, length randint(2, 2), start randint(1, 1)), whatever the seed
PAGE = ("Mayor opens the bridge\n"
        "Share\n"
        "Tweet\n"
        "\n"
        "The new bridge opened on Monday after two years of work.\n"
        "\n"
        "Traffic is expected to ease across the river by spring.\n"
        "\n"
        "Contact us")
LABELS = [1, 0, 0, 1, 1, 0]


def _lines(text):
    return worded_lines(text, page_lines(text))[0]


def test_runs_and_gaps():
    assert aug.furniture_runs([1, 0, 0, 1, 0, 1, 0, 0, 0]) == [(1, 2), (6, 8)]   # a lone 0 is no run
    assert aug.furniture_runs([1, 1]) == []
    assert aug.body_gaps([1, 1, 0, 1, 1, 1]) == [0, 3, 4]


def test_forced_copy_by_hand():
    lines = _lines(PAGE)
    assert len(lines) == len(LABELS)
    text, inserted = aug.augment_text("hand", PAGE, lines, LABELS)
    assert text == ("Mayor opens the bridge\n"
                    "Share\n"
                    "Tweet\n"
                    "\n"
                    "The new bridge opened on Monday after two years of work.\n"
                    "\n"
                    "Share\n"
                    "Tweet\n"
                    "\n"
                    "Traffic is expected to ease across the river by spring.\n"
                    "\n"
                    "Contact us")
    at = PAGE.index(" work.") + len(" work.")
    assert inserted == [(at, len("\n\nShare\nTweet"), at + 2, at + 2 + len("Share\nTweet"))]
    new_lines = _lines(text)
    assert aug.map_labels(new_lines, inserted, lines, LABELS) == [1, 0, 0, 1, 0, 0, 1, 0]


def test_two_blocks_follow_the_registered_draws():
    # two gaps (after lines 3 and 4) and two runs; the draws in their registered order, replayed here
    text = "Head\nMenu a\nMenu b\nMenu c\n\nOne body line here.\n\nTwo body line here.\n\nThree body line here.\n\nFoot a\nFoot b"
    y = [1, 0, 0, 0, 1, 1, 1, 0, 0]
    lines = _lines(text)
    for pid in ("p1", "p2", "p3", "p4", "p5", "p6"):
        rng = random.Random(f"{aug.AUG_SEED}:{pid}:0")
        n = rng.choice(aug.BLOCKS)
        gaps = sorted(rng.sample([4, 5], n))
        blocks = []
        for _ in gaps:
            first, last = [(1, 3), (7, 8)][rng.randrange(2)]
            length = rng.randint(2, min(8, last - first + 1))
            a = rng.randint(first, last - length + 1)
            blocks.append(text[lines[a][0]:lines[a + length - 1][1]])
        got, inserted = aug.augment_text(pid, text, lines, y)
        assert got == aug.augment_text(pid, text, lines, y)[0]      # deterministic
        assert [got[s:e] for _, _, s, e in inserted] == blocks
        new = _lines(got)
        labels = aug.map_labels(new, inserted, lines, y)
        assert sum(labels) == sum(y)                                  # body lines all kept, all 1
        assert len(labels) == len(y) + sum(b.count("\n") + 1 for b in blocks)
        # the body resumes after each block: the line after a block is the next body line
        for _, _, s, e in inserted:
            after = next(k for k, (ls, _, _) in enumerate(new) if ls > e)
            assert labels[after] == 1


def test_no_copy_without_run_or_gap():
    lines = _lines(PAGE)
    assert aug.augment_text("x", PAGE, lines, [1, 0, 1, 1, 0, 1]) is None       # no run of 2
    assert aug.augment_text("x", PAGE, lines, [1, 0, 0, 1, 0, 0]) is None       # no two body lines in a row


def test_augment_page_features_and_labels():
    lines = _lines(PAGE)
    X, _ = features(PAGE, lines)
    page = Page("hand", PAGE, "gold", lines, X, np.asarray(LABELS, dtype=np.float64))
    copy = aug.augment_page(page)
    assert copy.id == "hand#aug0"
    assert copy.y.tolist() == [1, 0, 0, 1, 0, 0, 1, 0]
    X2, lines2 = features(copy.pasted, _lines(copy.pasted))
    assert lines2 == copy.lines and np.array_equal(X2, copy.X)
    assert copy.X.shape == (8, X.shape[1])
    out = aug.augmented([page, Page("none", "One line only.", "", _lines("One line only."),
                                    features("One line only.")[0], np.ones(1))])
    assert [(i, p.id) for i, p in out] == [(0, "hand#aug0")]
