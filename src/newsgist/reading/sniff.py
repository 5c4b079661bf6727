"""Is a text HTML? A cheap look at its start, without the HTML extractor's imports.

:func:`looks_like_html` lives here so that reading plain text does not import
trafilatura and lxml (about half of the CLI's start-up, issue 28);
:mod:`newsgist.reading.htmlpage` re-exports it with its constants.
"""
from __future__ import annotations

import re

#: How many leading characters :func:`looks_like_html` inspects.
SNIFF_CHARS = 2048
#: Markers that alone make a text HTML.
_STRONG_MARKERS = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
#: Markers that need company (or a text starting with ``<``).
_WEAK_MARKERS = re.compile(
    r"<(?:p|div|br|span|article|section|h[1-6]|ul|ol|li|meta|title|a\s+href|table)\b[^>]*>", re.I)
#: Number of weak markers that make a text HTML.
MIN_WEAK_MARKERS = 2


def looks_like_html(text: str) -> bool:
    """True if ``text`` looks like an HTML document or fragment.

    A doctype or ``<html>``/``<head>``/``<body>`` tag near the start is enough;
    otherwise two common block tags (``<p>``, ``<div>``, ``<br>`` ...) are needed, or
    one when the text starts with ``<``.
    """
    if not text:
        return False
    head = text[:SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    if _STRONG_MARKERS.search(head):
        return True
    weak = len(_WEAK_MARKERS.findall(head))
    return weak >= MIN_WEAK_MARKERS or (weak >= 1 and head.startswith("<"))
