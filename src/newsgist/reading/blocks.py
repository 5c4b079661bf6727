"""Plain block extraction for pages too big for trafilatura's analysis.

trafilatura costs about 1.8 CPU seconds per 100,000 block elements (``<p>``, list
items, ...; measured on benchmarks/bench_scaling.py's ``<p>`` shape, issue 17): an
8 MB page of short paragraphs takes ~15 s. A news article has a few hundred blocks, so
a page with more than :data:`MAX_TRAFILATURA_BLOCKS` is not a page trafilatura's
boilerplate scoring was made for; it is read here instead, in one pass: the text of each
outermost block element in document order, after dropping scripts, styles and the page
furniture elements (navigation, header, footer, aside, form). The card records this in
``meta.limits_hit`` (stage ``read``).
"""
from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

# More block elements than this (20 times a long news article's ~1,000 including
# navigation lists) and the page is read by :func:`plain_blocks`: trafilatura would
# take ~0.4 s at this size, and grows linearly from there.
MAX_TRAFILATURA_BLOCKS = 20_000

BLOCK_TAGS = ("p", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dd", "dt")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
FURNITURE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template")
_WS = re.compile(r"\s+")


def count_blocks(tree: HtmlElement, stop: int = MAX_TRAFILATURA_BLOCKS + 1) -> int:
    """The number of block elements in ``tree``, counting no further than ``stop``."""
    n = 0
    for _ in tree.iter(*BLOCK_TAGS):
        n += 1
        if n >= stop:
            break
    return n


def plain_blocks(tree: HtmlElement) -> tuple[list[str], list[str], str | None]:
    """``(paragraphs, headings, title)`` of ``tree``, read block by block.

    Only the outermost block elements are read (a ``<p>`` inside an ``<li>`` is part of
    the item), so no text is read twice. ``tree`` is modified (furniture removed).
    """
    title_el = tree.find(".//title")
    title = _WS.sub(" ", title_el.text_content()).strip() if title_el is not None else None
    etree.strip_elements(tree, *FURNITURE_TAGS, with_tail=False)
    paragraphs: list[str] = []
    headings: list[str] = []
    skip_until = None  # the outermost block being read: its descendants are inside it
    for el in tree.iter(*BLOCK_TAGS):
        if skip_until is not None and _inside(el, skip_until):
            continue
        skip_until = el
        text = _WS.sub(" ", el.text_content()).strip()
        if not text:
            continue
        if el.tag in HEADING_TAGS:
            if not paragraphs and title and text == title:
                continue
            headings.append(text)
        paragraphs.append(text)
    return paragraphs, headings, title or None


def _inside(el: HtmlElement, outer: HtmlElement) -> bool:
    """Is ``el`` a descendant of ``outer`` (document order: ``outer`` came first)?"""
    return any(anc is outer for anc in el.iterancestors())
