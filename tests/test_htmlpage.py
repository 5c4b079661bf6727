"""Tests for newsgist.reading.htmlpage on hand-written fixtures (tests/fixtures/html/)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsgist import errors
from newsgist.reading.htmlpage import HtmlError, HtmlPage, extract_html, looks_like_html

FIXTURES = Path(__file__).parent / "fixtures" / "html"

# Clutter in the fixtures that must never reach the body text.
CLUTTER = [
    "cookies", "cookie policy", "Accept all", "newsletter", "Sign up", "Subscribe",
    "Related", "Storm batters southern coast", "Insurers brace", "More on this story",
    "Council approves budget", "Exam stress", "Photo:", "Photograph by", "Waves break over",
    "Students studying in the reading room", "Most read", "Celebrity chef", "Copyright",
    "Home", "World", "Sport",
]


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cnn_style() -> HtmlPage:
    return extract_html(load("story_highlights.html"), url="https://news.example.com/x?utm=1")


@pytest.fixture(scope="module")
def key_points() -> HtmlPage:
    return extract_html(load("key_points.html"))


# --- the story highlights box -----------------------------------------------------------

def test_story_highlights_box_becomes_page_highlights(cnn_style):
    assert cnn_style.page_highlights == [
        "Voters backed a 14 million pound plan by a wide margin",
        "The old wall collapsed during the storm in March",
        "Construction could begin as early as next spring",
    ]
    assert cnn_style.highlights_source == "box"


def test_story_highlights_not_in_text(cnn_style):
    for item in cnn_style.page_highlights:
        assert item not in cnn_style.text
    assert "Story highlights" not in cnn_style.text
    assert "14 million" not in cnn_style.text


def test_metadata(cnn_style):
    assert cnn_style.title == "Harbour town votes to rebuild its flooded sea wall"
    assert cnn_style.author == "Priya Nandakumar"
    assert cnn_style.date == "2021-04-12"
    assert cnn_style.sitename == "Coastal Daily"
    assert cnn_style.url == "https://news.example.com/2021/04/12/marlow-bay-sea-wall"   # canonical
    assert cnn_style.description.startswith("Residents of Marlow Bay voted")


def test_paragraphs_and_headings(cnn_style):
    paras = cnn_style.text.split("\n\n")
    assert paras == cnn_style.paragraphs
    assert paras[0].startswith("Residents of the small harbour town")
    assert paras[-1].startswith("Some residents remain unconvinced")
    assert cnn_style.headings == ["How the wall failed", "What happens next"]
    for heading in cnn_style.headings:          # subheads are paragraphs of their own
        assert heading in paras
    assert len(paras) == 9
    assert all(p == p.strip() and "\n" not in p for p in paras)
    assert cnn_style.title not in paras         # the headline is not repeated in the body


@pytest.mark.parametrize("fixture", ["cnn_style", "key_points"])
def test_clutter_not_in_text(request, fixture):
    page = request.getfixturevalue(fixture)
    for phrase in CLUTTER:
        assert phrase not in page.text, phrase


def test_quote_kept(cnn_style):
    assert '"People have made it very clear' in cnn_style.text


# --- other box shapes ------------------------------------------------------------------------

def test_key_points_paragraph_box_and_heading_list(key_points):
    assert key_points.page_highlights == [
        "The central library will open until midnight for six weeks",
        "The trial costs the council about 40,000 dollars",
        "Students asked for longer hours in a petition signed by 3,000 people",
        "Security staff will be on duty at the entrance after 9 pm",
        "The cafe will close at the usual time",
    ]
    for item in key_points.page_highlights + ["Key points", "Key takeaways"]:
        assert item not in key_points.text
    assert key_points.text.startswith("The central library in Valley City")
    assert key_points.author == "Daniel Okafor" and key_points.date == "2023-04-28"
    assert key_points.description == "The central library will extend its hours for six weeks from May."


def test_meta_description_fallback():
    page = extract_html(load("no_box.html"))
    assert page.page_highlights == ["Island ferries are running again after crews accepted a new pay offer."]
    assert page.highlights_source == "meta"
    assert page.text.startswith("Ferries between the mainland")       # headline h1 dropped
    assert page.author == "Sam Reyes" and page.date == "2022-09-05"


BODY = ("<p>{0} paragraph of the release notes, with enough words in it to look like the body "
        "of a real article that a reader would want to read.</p>")


def test_highlights_section_heading_is_not_a_summary_box():
    html = ("<html><body><article>" + BODY.format("First") +
            "<h3>Highlights</h3><ul><li>Faster startup on all platforms</li>"
            "<li>New dark theme for the settings page</li></ul>" + BODY.format("Last") +
            "</article></body></html>")
    page = extract_html(html)
    assert page.page_highlights == [] and page.highlights_source is None
    assert "Faster startup on all platforms" in page.text


def test_link_only_list_is_not_a_summary_box():
    html = ("<html><body><article>" + BODY.format("First") +
            "<div class='video-highlights'><ul><li><a href='/v1'>Watch all the goals</a></li>"
            "<li><a href='/v2'>Post-match interview</a></li></ul></div>" + BODY.format("Last") +
            "</article></body></html>")
    assert extract_html(html).page_highlights == []


# --- robustness ------------------------------------------------------------------------------

def test_malformed_html_does_not_crash():
    page = extract_html(load("malformed.html"))
    assert len(page.paragraphs) == 4
    assert "because the weather had been unusually dry" in page.text


@pytest.mark.parametrize("html", [load("empty_body.html"), "", "   \n", "<html>",
                                  "<html><head><script>var a = 1;</script></head><body>"
                                  "<style>p {}</style></body></html>"])
def test_empty_body_raises_no_text(html):
    with pytest.raises(errors.NoTextError) as exc:
        extract_html(html)
    assert exc.value.code == "no_text" and "\n" not in exc.value.message


def test_fragment_and_xml_declaration_and_bytes():
    frag = "<p>Just one paragraph of text that is long enough to count as an article body.</p>"
    assert extract_html(frag).text.startswith("Just one paragraph")
    decl = ("<?xml version='1.0' encoding='utf-8'?><html><body>"
            "<p>Some text here that is a paragraph.</p></body></html>")
    assert extract_html(decl).text == "Some text here that is a paragraph."
    assert "harbour town" in extract_html(load("story_highlights.html").encode("utf-8")).text


def test_line_breaks_split_paragraphs():
    html = ("<html><body><div>First line of the story goes here with words.<br><br>"
            "Second line of the story follows it here.</div></body></html>")
    assert extract_html(html).paragraphs == ["First line of the story goes here with words.",
                                             "Second line of the story follows it here."]


def _garbage() -> list[str]:
    rnd = random.Random(7)
    pieces = ["<p>", "</p>", '<div class="x">', "</div>", "<b>", "text ", "more words ", "<br>",
              "<!--", "-->", "<li>", "&amp;", "&#0;", "<![CDATA[", "<table><tr><td>", "\x00"]
    return ["<<<>>>", "\x00\x01<p>a", "<html>" + "<div>" * 3000 + "deep" + "</div>" * 3000,
            "".join(rnd.choice(pieces) for _ in range(3000)),
            "".join(chr(rnd.randrange(1, 0x3000)) for _ in range(2000))]


@pytest.mark.parametrize("html", _garbage())
def test_garbage_never_crashes(html):
    try:
        page = extract_html(html)
    except errors.NoTextError:
        return
    assert isinstance(page.text, str) and page.text


def test_non_string_input():
    with pytest.raises(HtmlError) as exc:
        extract_html(12345)   # type: ignore[arg-type]
    assert exc.value.code == "bad_html" and 20 <= exc.value.exit_code <= 29


# --- sniffing -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "<!DOCTYPE html><html><body>x</body></html>", "  \n<html lang='en'>", "\ufeff<!doctype html>",
    "<head><title>x</title></head>", "<body>", "<p>One</p><p>Two</p>", "<div class='a'>text</div>",
    load("malformed.html"),
])
def test_looks_like_html_true(text):
    assert looks_like_html(text)


@pytest.mark.parametrize("text", [
    "", "Plain news story.\n\nSecond paragraph.", "Use a <p> tag for paragraphs, she said.",
    "x < y and y > z", "LONDON (Reuters) - Prices rose 3% <in March>.",
])
def test_looks_like_html_false(text):
    assert not looks_like_html(text)


def test_box_holding_the_whole_article_is_not_removed():
    html = ("<html><body><div class='story-summary'>" + BODY.format("First") + BODY.format("Last") +
            "</div></body></html>")
    page = extract_html(html)
    assert page.text.startswith("First paragraph") and page.highlights_source is None


def test_a_page_too_big_for_trafilatura_is_read_block_by_block(monkeypatch):
    import newsgist
    from newsgist.reading import htmlpage
    monkeypatch.setattr(htmlpage, "MAX_TRAFILATURA_BLOCKS", 5)
    body = "".join(f"<p>The council met for the {i}th time on the bridge repairs.</p>" for i in range(8))
    page = ("<html><head><title>Bridge</title><script>var x = 'not text';</script></head><body>"
            "<nav><ul><li>Home</li><li>World</li></ul></nav><h2>The vote</h2>" + body +
            "<ul><li><p>A nested paragraph is read once.</p></li></ul><footer>Copyright</footer></body></html>")
    p = htmlpage.extract_html(page)
    assert p.paragraphs[0] == "The vote" and p.headings == ["The vote"]
    assert p.paragraphs.count("A nested paragraph is read once.") == 1
    assert not any(x in p.text for x in ("not text", "Home", "Copyright"))
    assert len(p.paragraphs) == 1 + 8 + 1 and p.title == "Bridge"
    assert [lim for lim, _ in p.limits] == ["MAX_TRAFILATURA_BLOCKS"]
    art = newsgist.read(page, highlights_only=True)
    assert any(h["stage"] == "read" and h["limit"] == "MAX_TRAFILATURA_BLOCKS" for h in art.meta["limits_hit"])
    assert all(art.source[h.start:h.end] == h.text for h in art.highlights)


def test_a_normal_page_is_not_read_block_by_block():
    from newsgist.reading import htmlpage
    page = "<html><body>" + "".join(f"<p>Paragraph {i} of a short story about the bridge vote.</p>"
                                    for i in range(6)) + "</body></html>"
    assert htmlpage.extract_html(page).limits == []
