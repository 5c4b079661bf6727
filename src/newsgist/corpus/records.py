"""The input records of ``newsgist cluster``: one JSON object a line,
``{"id", "text" | "article", "date"?, "source"?, "title"?}``.

:func:`read_record` turns one raw line into an :class:`Doc` (the features of
:mod:`newsgist.corpus.features` plus what the story lines need) or a per-record error
``(code, message)``. HTML in ``text`` is read as ``newsgist card`` reads it (main-text
extraction of :mod:`newsgist.reading.htmlpage`; the page's date and title are used when
the record has none).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from newsgist.corpus.features import extract, parse_date
from newsgist.errors import NewsgistError

#: A record's text longer than this (characters) is refused with ``too_large`` (the
#: same order as the reader's byte cap; features read only the first MAX_CHARS anyway).
MAX_TEXT_CHARS = 5_000_000
TEXT_FIELDS = ("text", "article")


@dataclass
class Doc:
    """One input article, read: its id, line, features, date and the fields kept for stories."""
    id: Any
    line: int
    feats: dict = field(default_factory=dict)
    date: Optional[str] = None
    title: Optional[str] = None
    source: Optional[str] = None


@dataclass
class Bad:
    """An input line that cannot be clustered: its error code and message."""
    line: int
    id: Any
    code: str
    message: str


def valid_id(v) -> bool:
    return (isinstance(v, str) and v.strip() != "") or (isinstance(v, int) and not isinstance(v, bool))


def parse(raw: bytes, line: int):
    """The record of one line: a dict, a :class:`Bad`, or None for a blank line."""
    raw = raw.rstrip(b"\r\n")
    if not raw.strip():
        return None
    try:
        rec = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return Bad(line, None, "bad_json", f"malformed JSON: {str(exc)[:200]}")
    if not isinstance(rec, dict):
        return Bad(line, None, "bad_record", f"a record must be a JSON object, got {type(rec).__name__}")
    if not valid_id(rec.get("id")):
        return Bad(line, None, "missing_id", "record has no usable id (a non-empty string or an integer)")
    return rec


def article_text(rec: dict, line: int):
    """``(text, page)`` of a record, or a :class:`Bad`. ``page`` is the HTML extraction or None."""
    rid = rec["id"]
    name = next((f for f in TEXT_FIELDS if f in rec), None)
    if name is None:
        return Bad(line, rid, "bad_record", "record has neither a 'text' nor an 'article' field")
    text = rec[name]
    if not isinstance(text, str):
        return Bad(line, rid, "bad_record", f"field {name!r} must be a string")
    if len(text) > MAX_TEXT_CHARS:
        return Bad(line, rid, "too_large", f"the text is longer than {MAX_TEXT_CHARS} characters")
    page = None
    from newsgist.reading.htmlpage import looks_like_html
    if looks_like_html(text):
        from newsgist.reading.htmlpage import extract_html
        try:
            page = extract_html(text)
        except NewsgistError as exc:
            return Bad(line, rid, exc.code, exc.message)
        except Exception as exc:  # a page the extractor cannot read is this record's error
            return Bad(line, rid, "bad_html", f"cannot read the HTML: {type(exc).__name__}: {exc}"[:300])
        text = page.text
    if not text.strip():
        return Bad(line, rid, "empty_input", "the article text is empty")
    return text, page


def _str_field(rec: dict, key: str) -> Optional[str]:
    v = rec.get(key)
    return v.strip() or None if isinstance(v, str) else None


def read_record(raw: bytes, line: int):
    """One input line -> :class:`Doc`, :class:`Bad`, or None (blank line). Never raises."""
    rec = parse(raw, line)
    if not isinstance(rec, dict):
        return rec
    try:
        got = article_text(rec, line)
        if isinstance(got, Bad):
            return got
        text, page = got
        date = _str_field(rec, "date") or (getattr(page, "date", None) if page is not None else None)
        title = _str_field(rec, "title") or (getattr(page, "title", None) if page is not None else None)
        feats = extract(text, date)
        if date is not None and parse_date(date) is None:
            date = None   # unreadable: the dateline (if any) dates the article
        return Doc(rec["id"], line, feats, date, title, _str_field(rec, "source"))
    except Exception as exc:  # a bug on one record: that record's error line, the run goes on
        return Bad(line, rec.get("id"), "internal", f"{type(exc).__name__}: {exc}"[:500])
