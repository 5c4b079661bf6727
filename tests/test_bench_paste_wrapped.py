"""benchmarks/bench_paste_wrapped.py (issue 31, session 14b): the hard-wrap transform of written pages,
on a short page written here (an invented story); source-pre line by line also on modern/'s written
training pages (session 14c)."""
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_paste_modern as bm  # noqa: E402
import bench_paste_wrapped as bw  # noqa: E402

LONG = ("The harbour board voted on Tuesday to close the old ferry slip at Kestrel Point for six months "
        "while engineers replace the timber piles, which divers found badly worn during a survey in March.")
QUOTE = ('"We could patch it again, but every patch buys us less time than the last one," said the board\'s '
         "chief engineer, Ruth Calloway, adding that a temporary pontoon would carry foot passengers.")
WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis-" * 3    # one "word" longer than any room
LINES = [
    ["furniture:nav", "Home"], ["furniture:nav", "Local news"], ["furniture:nav", "Sport"],
    ["article:headline", "Ferry slip at Kestrel Point to close for repairs"],
    ["article:byline", "By Owen Marsh"],
    ["article:body", LONG], ["article:body", QUOTE], ["article:body", WORD + " ends here."],
    ["furniture:newsletter", "Sign up for our morning briefing and get the harbour's news in your inbox every "
                             "weekday before seven, free of charge, unsubscribe at any time."],
    ["furniture:footer", "All rights reserved"],
]
PASTE = "Home\nLocal news\nSport\n\n" + "\n\n".join(t for _, t in LINES[3:8]) + "\n\n" + LINES[8][1] + "\n" + LINES[9][1] + "\n"
PAGE = {"id": "kestrel-ferry", "shape": "local paper, invented", "paste": PASTE,
        "gold": "\n".join(t for k, t in LINES if k.startswith("article:")), "lines": LINES}
ROOM = {"email": bw.EMAIL_WIDTH, "rfc": bw.RFC_WIDTH, "narrow": bw.NARROW_WIDTH, "source-pre": bw.SOURCE_WIDTH}


def physical(paste):
    return [t for t in paste.split("\n") if t.strip()]


@pytest.mark.parametrize("style", bw.STYLES)
def test_each_style_keeps_its_room_tokens_and_labels(style, tmp_path):
    w = bw.wrap_page(PAGE, style)
    assert w["wrap_style"] == style and w["id"] == PAGE["id"] and w["shape"] == PAGE["shape"]
    lines = physical(w["paste"])
    for ln in lines:    # no physical line over the room unless it is one word (after its indent)
        assert len(ln) <= ROOM[style] or len(ln.split()) == 1, (style, ln)
    assert any(len(ln.split()) == 1 and len(ln.strip()) > 100 for ln in lines)    # the long word stands alone
    # no word split, no hyphen break: the words (and so the \w+ tokens) are the original's, in order
    assert w["paste"].split() == PASTE.split()
    assert re.findall(r"\w+", w["paste"]) == re.findall(r"\w+", PASTE)
    assert re.findall(r"\w+", w["gold"]) == re.findall(r"\w+", PAGE["gold"])
    # labels line up with the physical lines: each line's words are a slice of its source line's
    assert [t for _, t in w["lines"]] == lines
    src = iter(LINES)
    kind, text = next(src)
    rest = text.split()
    for k, t in w["lines"]:
        if not rest:
            kind, text = next(src)
            rest = text.split()
        assert k == kind and t.split() == rest[:len(t.split())]
        rest = rest[len(t.split()):]
    assert len(lines) > len(LINES)    # something was wrapped
    # the wrapped page is a fixture bench_paste_modern loads
    (tmp_path / "p.json").write_text(json.dumps(w))
    assert bm.load_page(tmp_path / "p.json")["lines"] == w["lines"]
    assert PAGE["paste"] == PASTE and PAGE["lines"] == LINES    # the input is not changed


def test_short_lines_are_kept_whole_and_blank_lines_per_style():
    plain = bw.wrap_page(PAGE, "email")["paste"].split("\n")
    assert plain[:5] == ["Home", "", "Local news", "", "Sport"]    # e-mail: every paragraph apart
    assert plain[5:8] == ["", "Ferry slip at Kestrel Point to close for repairs", ""]
    assert bw.wrap_page(PAGE, "rfc")["paste"].startswith("   Home\n\n   Local news\n")
    narrow = bw.wrap_page(PAGE, "narrow")["paste"]
    assert "\n\n" not in narrow and narrow.startswith("Home\nLocal news\nSport\nFerry slip")
    assert max(len(ln) for ln in narrow.split("\n") if len(ln.split()) > 1) <= 60
    # e-mail's greedy fill: a line ends where the next word would not have fitted
    email = physical(bw.wrap_page(PAGE, "email")["paste"])
    body = [ln for ln in email if ln.split()[0] in LONG.split()][:2]
    assert len(body[0]) + 1 + len(body[1].split()[0]) > bw.EMAIL_WIDTH


def test_source_pre_indents_blocks_and_continuations():
    w = bw.wrap_page(PAGE, "source-pre")
    rows = bw.wrap_lines(PAGE, "source-pre")
    for para in range(len(LINES)):
        mine = [t for i, t in rows if i == para]
        first = len(mine[0]) - len(mine[0].lstrip())
        assert first % bw.SOURCE_INDENT_STEP == 0 and bw.SOURCE_INDENT[0] <= first <= bw.SOURCE_INDENT[1]
        assert all(len(t) - len(t.lstrip()) == first + bw.SOURCE_CONT_EXTRA for t in mine[1:])
    # a paste without blank lines is cut into blocks of SOURCE_BLOCK_LINES lines
    flat = {**PAGE, "paste": "\n".join(t for _, t in LINES)}
    assert bw._blocks(bw.paragraphs(flat["paste"]))[0] == list(range(bw.SOURCE_BLOCK_LINES))
    assert physical(w["paste"]) == [t for _, t in w["lines"]]


def test_style_hash_is_fixed_and_output_deterministic():
    assert bw.page_style("01-national-paper") == "narrow"    # sha1 of the id, pinned
    assert bw.page_style("f") == "rfc"
    assert bw.page_style("a") == "email"
    a, b = bw.wrap_page(PAGE), bw.wrap_page(json.loads(json.dumps(PAGE)))
    assert a == b and a["wrap_style"] == bw.page_style(PAGE["id"])
    for style in bw.STYLES:
        assert bw.wrap_page(PAGE, style) == bw.wrap_page(PAGE, style)
    with pytest.raises(ValueError):
        bw.wrap_page(PAGE, "telegram")


def test_write_keeps_file_names(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "01-kestrel.json").write_text(json.dumps(PAGE))
    pages = bw.write(src, out, "narrow")
    assert [p.name for p in out.glob("*.json")] == ["01-kestrel.json"]
    assert bm.load_pages(out)[0]["paste"] == pages[0]["paste"] == bw.wrap_page(PAGE, "narrow")["paste"]


# ---- source-pre, line by line (session 14c: the reviewer's checks) ----

MODERN = Path(__file__).resolve().parent / "fixtures" / "paste" / "modern"    # written training pages


def _modern_pages():
    return [bm.load_page(p) for p in sorted(MODERN.glob("*.json"))]


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _source_pre(page):
    """``page`` in source-pre, read back: for each block (``bench_paste_wrapped._blocks``) its drawn indent
    and tightness, and each paragraph's physical lines with their markup columns, the draws replayed from
    ``page_rng`` in ``_wrap_source``'s order (per block: indent, tight; then one markup draw a physical line).
    Returns ``(blocks, rows, lines)``: ``blocks`` ``[(paragraph indices, indent, tight)]``, ``rows`` the
    output (``wrap_lines``), ``lines`` each paragraph's physical lines ``{paragraph: [(line, markup)]}``."""
    rows = bw.wrap_lines(page, "source-pre")
    per: dict[int, list[str]] = {}
    for i, t in rows:
        if i >= 0:
            per.setdefault(i, []).append(t)
    rng = bw.page_rng(page["id"])
    lo, hi = (x // bw.SOURCE_INDENT_STEP for x in bw.SOURCE_INDENT)
    blocks, lines = [], {}
    for block in bw._blocks(bw.paragraphs(page["paste"])):
        indent, tight = bw.SOURCE_INDENT_STEP * rng.randint(lo, hi), rng.random() < bw.SOURCE_TIGHT_SHARE
        blocks.append((block, indent, tight))
        for i in block:
            lines[i] = [(t, rng.randint(*bw.SOURCE_MARKUP)) for t in per[i]]
    return blocks, rows, lines


def test_source_pre_fills_each_line_to_its_own_room():
    """Each physical line against its own room, SOURCE_WIDTH (120) - its indent - its markup draw: it fits
    (or is one word), and a line that breaks its paragraph broke because the next word did not fit that
    room (a greedy fill, line by line). The markup draws: in [0, 20], both ends drawn; and, read from the
    text alone (no draws), every line within 120 - its indent and every break past 100 - its indent."""
    draws = []
    for page in _modern_pages() + [PAGE]:
        blocks, _, lines = _source_pre(page)
        for block, indent, _ in blocks:
            for i in block:
                mine = lines[i]
                for k, (t, markup) in enumerate(mine):
                    ind, words = _indent(t), t.split()
                    assert ind == indent + (bw.SOURCE_CONT_EXTRA if k else 0), (page["id"], t)
                    room = bw.SOURCE_WIDTH - ind - markup
                    assert len(t) - ind <= room or len(words) == 1, (page["id"], t, markup)
                    assert len(t) - ind <= bw.SOURCE_WIDTH - ind or len(words) == 1
                    if k + 1 < len(mine):     # the next word would not have fitted this line's room
                        nxt = len(mine[k + 1][0].split()[0])
                        assert len(t) - ind + 1 + nxt > room, (page["id"], t, markup)
                        assert len(t) - ind + 1 + nxt > bw.SOURCE_WIDTH - ind - bw.SOURCE_MARKUP[1]
                    draws.append(markup)
    assert len(draws) > 1000 and (min(draws), max(draws)) == bw.SOURCE_MARKUP == (0, 20)
    assert len(set(draws)) == 21


def test_source_pre_blocks_with_and_without_blank_lines():
    """A tight block's paragraphs follow one another, the others' have a blank line between; blocks apart
    by the paste's blank lines (at least one). On a page of several blocks of 2+ paragraphs both occur."""
    several = 0
    for page in _modern_pages():
        blocks, rows, _ = _source_pre(page)
        at = [i for i, _ in rows]                       # paragraph index or -1, line by line
        kinds = set()
        for n, (block, _, tight) in enumerate(blocks):
            if n:
                assert at[at.index(block[0]) - 1] == -1     # a blank line before each block but the first
            for a, b in zip(block, block[1:]):
                between = at[len(at) - at[::-1].index(a):at.index(b)]
                assert between == ([] if tight else [-1]), (page["id"], a, b)
            if len(block) > 1:
                kinds.add(tight)
        if sum(len(b) > 1 for b, _, _ in blocks) >= 6:
            several += 1
            assert kinds == {True, False}, page["id"]
    assert several >= 20
    shares = [t for page in _modern_pages() for _, _, t in _source_pre(page)[0]]
    assert 0.35 <= sum(shares) / len(shares) <= 0.65         # SOURCE_TIGHT_SHARE 0.5
