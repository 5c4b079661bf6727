"""A story's articles: normalise the inputs, read each one's card, set aside failures and duplicates.

An input is a string (text or HTML), a :class:`~newsgist.reading.inputs.Source`, or a
mapping ``{text | url | path, source, date, title, outlet}``. Each readable article gets
its full card through the ordinary pipeline (:func:`newsgist.api.read`); one that fails
(unreadable file, fetch error, empty, not English) goes to ``meta.failed`` with its typed
error and the story goes on. The same article twice counts once (``meta.duplicates``).
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsgist.article import Article
from newsgist.errors import InputError, NewsgistError, NoReadableArticleError, NotEnglishError, TooLargeError
from newsgist.options import Options, english_applies
from newsgist.reading.inputs import Source

# The most articles one story takes: 200 reports of one event is already a whole
# news cycle; more is a corpus (``newsgist cluster``), not a story.
MAX_ARTICLES = 200
# The most input one story takes, all articles together (bytes of text, or of the files
# read): 10 MB is ~50 heavy HTML pages or ~1,500 plain-text articles.
MAX_TOTAL_BYTES = 10_000_000
# Mapping keys an article dict may carry.
ITEM_KEYS = {"text", "url", "path", "source", "outlet", "date", "title", "id"}


@dataclass
class Item:
    """One input of the story, before reading."""
    index: int                      # position in the caller's list
    text: str | None = None
    url: str | None = None
    path: str | None = None
    source: str | None = None       # where it came from, as the caller names it
    outlet: str | None = None
    date: str | None = None
    title: str | None = None


@dataclass
class Read:
    """One article of the story after reading: its card and what the caller said about it."""
    item: Item
    article: Article
    info: dict = field(default_factory=dict)  # index, input, source, outlet, date, title


def _item(i: int, raw) -> Item:
    if isinstance(raw, Source):
        return Item(i, text=raw.html if raw.html is not None else raw.text, source=raw.name)
    if isinstance(raw, str):
        from newsgist.reading.load import is_url
        return Item(i, url=raw.strip()) if is_url(raw) else Item(i, text=raw)
    if isinstance(raw, dict):
        unknown = sorted(set(raw) - ITEM_KEYS)
        if unknown:
            raise InputError(f"article {i}: unknown key(s) {', '.join(unknown)}; use {', '.join(sorted(ITEM_KEYS))}")
        given = [k for k in ("text", "url", "path") if raw.get(k) is not None]
        if len(given) != 1:
            raise InputError(f"article {i}: give exactly one of text, url, path")
        for k in ("text", "url", "path", "source", "outlet", "date", "title"):
            if raw.get(k) is not None and not isinstance(raw[k], str):
                raise InputError(f"article {i}: {k} must be a string")
        return Item(i, text=raw.get("text"), url=raw.get("url"), path=raw.get("path"), source=raw.get("source"),
                    outlet=raw.get("outlet"), date=raw.get("date"), title=raw.get("title"))
    raise InputError(f"article {i}: a string, or a mapping with text, url or path")


def items_of(articles) -> list[Item]:
    """The inputs as Items; the story's size limits (typed ``too_large``)."""
    if isinstance(articles, (str, bytes, dict)) or not hasattr(articles, "__iter__"):
        raise InputError("articles: a list of texts, URLs or {text, source, date} mappings")
    articles = list(articles)
    if len(articles) > MAX_ARTICLES:
        raise TooLargeError(f"a story takes at most {MAX_ARTICLES} articles, got {len(articles)}")
    items = [_item(i, a) for i, a in enumerate(articles)]
    total = 0
    for it in items:
        if it.text is not None:
            total += len(it.text.encode("utf-8", "surrogatepass"))
        elif it.path is not None and os.path.isfile(it.path):
            total += os.path.getsize(it.path)
    if total > MAX_TOTAL_BYTES:
        raise TooLargeError(f"a story takes at most {MAX_TOTAL_BYTES // 1_000_000} MB of input in all, "
                            f"got {total / 1e6:.1f} MB")
    return items


def _fingerprint(text: str) -> str:
    """The same article twice: equal after case and whitespace are folded."""
    return hashlib.sha1(re.sub(r"\s+", " ", text).strip().lower().encode("utf-8", "surrogatepass")).hexdigest()


def _read_one(it: Item, options: Options, highlights_only: bool = False) -> Article:
    from newsgist.pipeline import run
    from newsgist.reading.inputs import from_text
    from newsgist.reading.load import article_from_source, fetch_source
    if it.url is not None:
        src = fetch_source(it.url, options)
    elif it.path is not None:
        from newsgist.reading.inputs import decode, read_bytes
        text, enc = decode(read_bytes(it.path, options.max_bytes), options.encoding)
        src = Source(text=text, kind="text", name=it.path, encoding=enc)
    else:
        src = from_text(it.text, it.source)
    try:
        return run(article_from_source(Source(src.text, src.kind, src.name, src.encoding, src.html)), options,
                   highlights_only=highlights_only)
    except TooLargeError as exc:  # too long for the NLP parse (card/stage.py MAX_CARD_CHARS): highlights only
        art = run(article_from_source(src), options, highlights_only=True)
        art.meta.setdefault("warnings", []).append(f"highlights only: {exc.message}")
        return art


def _outlet(it: Item, art: Article) -> str | None:
    if it.outlet:
        return it.outlet
    if art.meta.get("sitename"):
        return art.meta["sitename"]
    url = it.url or art.meta.get("url") or (it.source if it.source and "://" in it.source else None)
    if url:
        host = (urlsplit(url).hostname or "").lower()
        return host[4:] if host.startswith("www.") else (host or None)
    return it.source


def read_all(articles, options: Options, read_one=None, highlights_only: bool = False) -> tuple[list[Read], dict]:
    """Read every input; returns the readable, distinct articles and ``meta`` (failed, duplicates).
    ``read_one(item, options) -> Article`` replaces the pipeline (tests, cached cards)."""
    items = items_of(articles)
    if read_one is None:
        def read_one(it, opts):
            return _read_one(it, opts, highlights_only)
    out: list[Read] = []
    failed, duplicates, seen = [], [], {}
    total = 0
    for it in items:
        key = ("url", it.url) if it.url is not None else None
        if key in seen:
            duplicates.append({"input": it.index, "same_as": seen[key]})
            continue
        try:
            art = read_one(it, options)
            total += len(art.source.encode("utf-8", "surrogatepass")) if it.url is not None else 0
            if total > MAX_TOTAL_BYTES:
                raise TooLargeError(f"a story takes at most {MAX_TOTAL_BYTES // 1_000_000} MB of input in all")
            if not english_applies(art.meta):
                raise NotEnglishError(f"the article is in language '{art.meta.get('language')}', not English")
        except TooLargeError as exc:
            if "a story takes" in exc.message:
                raise
            failed.append(_failure(it, exc))
            continue
        except NewsgistError as exc:
            failed.append(_failure(it, exc))
            continue
        fp = _fingerprint(art.body or art.source)
        if fp in seen:
            duplicates.append({"input": it.index, "same_as": seen[fp]})
            continue
        seen[fp] = it.index
        if key:
            seen[key] = it.index
        info = {"index": len(out), "input": it.index, "source": it.source or it.url or it.path or art.name,
                "outlet": _outlet(it, art), "date": it.date or art.meta.get("date"),
                "title": it.title or art.meta.get("title")}
        out.append(Read(it, art, info))
    if not out:
        detail = "; ".join(f"article {f['input']}: [{f['error']['code']}] {f['error']['message']}" for f in failed)
        raise NoReadableArticleError("no article of the story could be read" + (f" ({detail})" if detail else ""))
    return out, {"inputs": len(items), "failed": failed, "duplicates": duplicates}


def _failure(it: Item, exc: NewsgistError) -> dict:
    return {"input": it.index, "source": it.source or it.url or it.path, "error": exc.to_dict()}
