"""Main-text and metadata extraction from an HTML news page.

:func:`extract_html` turns a page into an :class:`HtmlPage`:

* ``text`` -- the article body found by trafilatura, one paragraph per block
  (``<p>``, list item, block quote, subhead) separated by a blank line (``"\\n\\n"``).
  Subheads stay in the text as their own paragraphs and are also listed in
  ``headings``. A leading heading that repeats the title is dropped.
* ``page_highlights`` -- the page's own summary box ("Story highlights", "Key
  points", CNN's ``el__storyhighlights`` ...). The box is *removed from the tree
  before extraction*, so its text never ends up in ``text``. When a page has no
  such box, the meta description (``<meta name="description">`` /
  ``og:description``) is reported instead as a one-item list, and
  ``highlights_source`` says which one was used (``"box"``, ``"meta"`` or ``None``).
* ``title``, ``author``, ``date`` (ISO ``YYYY-MM-DD``), ``sitename``, ``url``
  (canonical URL, else the URL passed in), ``description`` -- from trafilatura's
  metadata extraction. A page too big for trafilatura is read block by block
  (:mod:`newsgist.reading.blocks`) and says so in ``limits``.

Malformed markup is parsed leniently by lxml; a page without article text raises
:class:`newsgist.errors.NoTextError`, any other failure :class:`HtmlError`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Optional

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from newsgist.errors import InputError, NoTextError
from newsgist.reading.sniff import (  # noqa: F401  (re-exported)
    _STRONG_MARKERS, _WEAK_MARKERS, MIN_WEAK_MARKERS, SNIFF_CHARS, looks_like_html,
)
from newsgist.reading.blocks import MAX_TRAFILATURA_BLOCKS, count_blocks, plain_blocks

__all__ = ["HtmlError", "HtmlPage", "extract_html", "looks_like_html", "find_highlight_boxes"]


class HtmlError(InputError):
    """The HTML page could not be processed (parser or extractor failure)."""
    code = "bad_html"
    exit_code = 29
    http_status = 422


# --- named constants -------------------------------------------------------

# SNIFF_CHARS, the markers and looks_like_html: newsgist.reading.sniff (imported above)

#: trafilatura options, chosen on benchmarks/bench_html.py (see its docstring).
TRAFILATURA_OPTIONS = dict(
    include_comments=False,   # reader comments are not the article
    include_tables=False,     # tables render badly as prose and hurt precision
    include_images=False,
    include_links=False,
    include_formatting=False,
    favor_precision=False,
    favor_recall=True,     # measured: higher P and R than the default mode, and faster
    deduplicate=False,
)

#: class/id values that mark a page's own summary box.
_BOX_ATTR_RE = re.compile(
    r"story-?_*highlights?|storyhighlights|hghlght|(?:^|[\s_-])highlights?(?:$|[\s_-])"
    r"|key-?_*points|keypoints|key-?_*takeaways|takeaways|tl-?_*dr|at-a-glance"
    r"|summary-?_*(?:box|list|bullets)|(?:article|story)-?_*summary",
    re.I)
#: Titles of a summary box (heading text followed by a list).
_BOX_TITLE_RE = re.compile(
    r"^\s*(?:story\s+highlights|key\s+points|key\s+takeaways|the\s+key\s+points"
    r"|at\s+a\s+glance|tl;?\s*dr)\s*:?\s*$", re.I)
#: Labels dropped from the items of a box found by class/id ("Highlights", "Summary").
_BOX_LABEL_RE = re.compile(
    r"^\s*(?:(?:story\s+)?highlights|(?:the\s+)?key\s+(?:points|takeaways)|takeaways|summary"
    r"|in\s+brief|at\s+a\s+glance|tl;?\s*dr|quick\s+read|what\s+you\s+need\s+to\s+know)"
    r"\s*:?\s*$", re.I)
#: A box larger than this is a false positive, not a summary box.
MAX_BOX_ITEMS = 12
MAX_BOX_ITEM_CHARS = 400
#: Shortest item text kept as a highlight.
MIN_BOX_ITEM_CHARS = 3
_BOX_CONTAINER_TAGS = {"div", "section", "aside", "ul", "ol", "header", "details", "nav", "figure"}
_HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "span", "div"}

_WS_RE = re.compile(r"\s+")
_BREAK = object()   # sentinel: a line break inside a paragraph
_SKIP_BODY_TAGS = {"graphic", "table", "comments", "fw", "note", "ref-target"}


@dataclass
class HtmlPage:
    """Text and metadata extracted from one HTML page."""
    text: str
    title: Optional[str] = None
    author: Optional[str] = None
    date: Optional[str] = None
    sitename: Optional[str] = None
    url: Optional[str] = None
    description: Optional[str] = None
    page_highlights: list[str] = field(default_factory=list)
    highlights_source: Optional[str] = None   # "box" | "meta" | None
    headings: list[str] = field(default_factory=list)
    limits: list[tuple[str, str]] = field(default_factory=list)  # (limit, detail): see reading/blocks.py

    @property
    def paragraphs(self) -> list[str]:
        """The body paragraphs (headings included), in order."""
        return self.text.split("\n\n") if self.text else []


# --- text helpers -------------------------------------------------------------

def _norm(text: Optional[str]) -> str:
    return _WS_RE.sub(" ", text or "").strip()


def _text_of(el: HtmlElement) -> str:
    return _norm(el.text_content())


def _attr_string(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


# --- page summary boxes -----------------------------------------------------------

def _box_items(box: HtmlElement, title_el: Optional[HtmlElement] = None) -> list[str]:
    """The item texts of a summary box: its ``<li>``, else its paragraphs."""
    items = [li for li in box.iter("li")]
    if not items:
        items = [p for p in box.iter("p") if p is not title_el]
    texts = []
    for item in items:
        t = _text_of(item)
        if len(t) >= MIN_BOX_ITEM_CHARS and not _BOX_LABEL_RE.match(t):
            texts.append(t)
    return texts


def _plausible_box(box: HtmlElement, items: list[str]) -> bool:
    """Reject navigation/video lists and large containers matched by accident."""
    if not items or len(items) > MAX_BOX_ITEMS:
        return False
    if any(len(t) > MAX_BOX_ITEM_CHARS for t in items):
        return False
    # a list where every item is just a link is navigation/related links
    lis = list(box.iter("li"))
    if lis and all(_text_of(li) and _norm(" ".join(a.text_content() for a in li.iter("a"))) == _text_of(li)
                   for li in lis):
        return False
    return True


def find_highlight_boxes(tree: HtmlElement) -> list[tuple[list[HtmlElement], list[str]]]:
    """Locate summary boxes in ``tree``.

    Returns ``(elements, items)`` pairs: the elements forming a box (to be removed)
    and the box's item texts. Two kinds are found: containers whose class/id names
    a summary ("storyhighlights", "key-points", "takeaways", ...), and a heading
    titled like one ("Story highlights", "Key points") followed by a list.
    """
    boxes: list[tuple[list[HtmlElement], list[str]]] = []
    taken: set[HtmlElement] = set()

    def inside_taken(el: HtmlElement) -> bool:
        return any(anc in taken for anc in el.iterancestors()) or el in taken

    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag not in _BOX_CONTAINER_TAGS:
            continue
        if not _BOX_ATTR_RE.search(_attr_string(el)) or inside_taken(el):
            continue
        items = _box_items(el)
        if _plausible_box(el, items):
            boxes.append(([el], items))
            taken.add(el)

    for el in tree.iter(*_HEADING_TAGS):
        if inside_taken(el) or len(el) > 2:
            continue
        if not _BOX_TITLE_RE.match(_text_of(el) or "x"):
            continue
        nxt = el.getnext()
        if nxt is None or nxt.tag not in ("ul", "ol") or inside_taken(nxt):
            continue
        items = _box_items(nxt)
        if _plausible_box(nxt, items):
            boxes.append(([el, nxt], items))
            taken.update((el, nxt))
    return boxes


def _remove(el: HtmlElement) -> None:
    """Remove ``el`` from its tree, keeping its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# --- body rendering -----------------------------------------------------------------

def _inline_parts(el) -> Iterator[object]:
    """Text pieces of an inline element, with :data:`_BREAK` for ``<lb/>``."""
    if el.text:
        yield el.text
    for child in el:
        if child.tag == "lb":
            yield _BREAK
        elif child.tag in _SKIP_BODY_TAGS:
            pass
        else:
            yield from _inline_parts(child)
        if child.tail:
            yield child.tail


def _split_breaks(el) -> list[str]:
    """The paragraph(s) of an inline block; a line break starts a new one."""
    out, cur = [], []
    for part in _inline_parts(el):
        if part is _BREAK:
            out.append(_norm("".join(cur)))
            cur = []
        else:
            cur.append(part)
    out.append(_norm("".join(cur)))
    return [p for p in out if p]


#: trafilatura XML elements that start a paragraph of their own.
_BLOCK_TAGS = {"p", "list", "item", "head", "quote", "code", "div", "row", "cell", "table"}


def _flush(run: list) -> Iterator[tuple[str, str]]:
    cur: list[str] = []
    for part in run + [_BREAK]:
        if part is _BREAK:
            text = _norm("".join(cur))
            if text:
                yield "paragraph", text
            cur = []
        elif part:
            cur.append(part)


def _blocks(el) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` for each paragraph of a trafilatura XML element.

    Inline content (text, ``hi``, ``ref`` ...) is gathered into runs; a block child
    (``p``, ``list``, ``item``, ``quote`` ...) or a line break ends the run.
    """
    if el.tag == "head":
        text = _norm(" ".join(_split_breaks(el)))
        if text:
            yield "heading", text
        return
    run: list = [el.text]
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_BODY_TAGS:
            pass
        elif tag in _BLOCK_TAGS:
            yield from _flush(run)
            run = []
            yield from _blocks(child)
        elif tag == "lb":
            run.append(_BREAK)
        else:
            run.extend(_inline_parts(child))
        run.append(child.tail)
    yield from _flush(run)


def _same(a: Optional[str], b: Optional[str]) -> bool:
    norm = lambda s: re.sub(r"\W+", " ", (s or "").lower()).strip()  # noqa: E731
    return bool(a and b) and norm(a) == norm(b)


# --- main entry point ---------------------------------------------------------------

def _parse(html: str) -> Optional[HtmlElement]:
    if not _STRONG_MARKERS.search(html[:SNIFF_CHARS]):
        html = f"<html><body>{html}</body></html>"   # a bare fragment
    return load_html(html)


def _run_trafilatura(tree: HtmlElement, url: Optional[str], box_items: list[str]):
    """trafilatura on ``tree``: ``(document, paragraphs, headings)``; document may be None."""
    try:
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **TRAFILATURA_OPTIONS)
    except Exception as exc:
        raise HtmlError(f"text extraction failed: {type(exc).__name__}: {exc}") from exc
    if doc is None or getattr(doc, "body", None) is None:
        return doc, [], []
    title = _norm(doc.title) or None
    paragraphs: list[str] = []
    headings: list[str] = []
    for kind, text in _blocks(doc.body):
        if kind == "heading":
            if not paragraphs and _same(text, title):
                continue          # the headline repeated at the top of the body
            headings.append(text)
        paragraphs.append(text)
    # a summary item may survive inside the body in another wrapper: drop exact repeats
    if box_items:
        boxed = {_norm(t).lower() for t in box_items}
        paragraphs = [p for p in paragraphs if p.lower() not in boxed]
    return doc, paragraphs, headings


def extract_html(html: str, url: Optional[str] = None) -> HtmlPage:
    """Extract the article text, summary box and metadata of an HTML page.

    Raises :class:`~newsgist.errors.NoTextError` when the page has no article text
    and :class:`HtmlError` when parsing or extraction fails unexpectedly.
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        raise HtmlError(f"expected HTML text, got {type(html).__name__}")
    if not html.strip():
        raise NoTextError("HTML page is empty")
    try:
        tree = _parse(html)
    except Exception as exc:  # lxml is lenient; anything here is unexpected
        raise HtmlError(f"cannot parse HTML: {exc}") from exc
    if tree is None:
        raise NoTextError("HTML page has no parsable content")

    boxes = find_highlight_boxes(tree)
    box_items = [item for _, items in boxes for item in items]
    for elements, _ in boxes:
        for el in elements:
            _remove(el)
    if (n := count_blocks(tree)) > MAX_TRAFILATURA_BLOCKS:  # too big for trafilatura (issue 17)
        if not (blocks := plain_blocks(tree))[0]:
            raise NoTextError("HTML page has no extractable article text")
        paragraphs, headings, title = blocks
        return HtmlPage(text="\n\n".join(paragraphs), title=title, url=url, page_highlights=box_items,
                        highlights_source="box" if box_items else None, headings=headings,
                        limits=[("MAX_TRAFILATURA_BLOCKS", f"more than {n - 1:,} block elements: read block by "
                                 "block (reading/blocks.py), without trafilatura's boilerplate removal")])
    doc, paragraphs, headings = _run_trafilatura(tree, url, box_items)
    if not paragraphs and boxes:
        # the "box" held the whole article (a false positive): extract without removing it
        box_items = []
        doc, paragraphs, headings = _run_trafilatura(_parse(html), url, box_items)
    if not paragraphs or doc is None:
        raise NoTextError("HTML page has no extractable article text")

    description = _norm(doc.description) or None
    if box_items:
        highlights, source = box_items, "box"
    elif description:
        highlights, source = [description], "meta"
    else:
        highlights, source = [], None
    return HtmlPage(
        text="\n\n".join(paragraphs),
        title=_norm(doc.title) or None,
        author=_norm(doc.author) or None,
        date=doc.date or None,
        sitename=_norm(doc.sitename) or None,
        url=doc.url or url,
        description=description,
        page_highlights=highlights,
        highlights_source=source,
        headings=headings,
    )
