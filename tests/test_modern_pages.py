"""benchmarks/modern_pages.py (issue 31, session 11): a line-marked .page text becomes the
fixture JSON that bench_paste_modern.load_pages accepts."""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_paste_modern as bm  # noqa: E402
import modern_pages as mp  # noqa: E402

PAGE = """id: 99-council-depot
shape: local paper: skip link, share line

F skip-link | Skip to main content
A headline | Council votes | to close the depot

A body | The council voted 7-2 on Tuesday.
F share | Share
"""


def test_page_text_to_fixture(tmp_path):
    page = mp.parse_page(PAGE)
    assert page["id"] == "99-council-depot"
    # the text is everything after the first " | "; a blank line stays one blank line of the paste
    assert page["paste"] == "Skip to main content\nCouncil votes | to close the depot\n\nThe council voted 7-2 on Tuesday.\nShare"
    assert page["gold"] == "Council votes | to close the depot\nThe council voted 7-2 on Tuesday."
    assert page["lines"][0] == ["furniture:skip-link", "Skip to main content"]
    src = tmp_path / "a.page"
    src.write_text(PAGE, encoding="utf-8")
    mp.main([str(src), "--out", str(tmp_path / "out")])
    loaded = bm.load_pages(tmp_path / "out")
    assert [p["id"] for p in loaded] == ["99-council-depot"]
    assert json.loads((tmp_path / "out" / "99-council-depot.json").read_text())["gold"] == page["gold"]


@pytest.mark.parametrize("text, msg", [
    ("id: x\n\nA body | text\n", "shape"),
    ("id: x\nshape: s\n\nB body | text\n", "line 1"),
    ("id: x\nshape: s\n\nF nav | News\n", "no article line"),
    ("id: x\nshape: s\nA body | text\n", "no blank line"),
])
def test_malformed_pages_are_refused(text, msg):
    with pytest.raises(ValueError, match=msg):
        mp.parse_page(text)
