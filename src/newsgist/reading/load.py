"""From a decoded input (text, HTML, a fetched URL) to an :class:`~newsgist.article.Article`.

HTML goes through main-text extraction (:mod:`newsgist.reading.htmlpage`); a URL is
fetched safely first (:mod:`newsgist.reading.fetch`).
"""
from __future__ import annotations

from newsgist.article import Article
from newsgist.options import Options
from newsgist.reading.inputs import Source


def article_from_source(src: Source) -> Article:
    """Turn a decoded Source into an Article; HTML goes through main-text extraction."""
    if src.kind == "text":
        from newsgist.reading.sniff import looks_like_html  # not htmlpage: no trafilatura for plain text
        if looks_like_html(src.text):
            src.kind, src.html = "html", src.text
    if src.kind in ("html", "url"):
        from newsgist.reading.htmlpage import extract_html
        page = extract_html(src.html if src.html is not None else src.text, url=src.name if src.kind == "url" else None)
        meta = {k: getattr(page, k) for k in ("title", "author", "date", "sitename", "url", "description")
                if getattr(page, k, None)}
        art = Article(source=page.text, kind=src.kind, name=src.name, meta=meta,
                      page_highlights=list(page.page_highlights), source_headings=list(page.headings))
        for limit, detail in page.limits:
            art.limit_hit("read", limit, detail)
    else:
        art = Article(source=src.text, kind="text", name=src.name)
    art.meta["source"] = {"kind": art.kind, "name": src.name, "encoding": src.encoding, "chars": len(art.source)}
    return art


def is_url(s: str) -> bool:
    return s.strip().lower().startswith(("http://", "https://")) and "\n" not in s.strip()


def fetch_source(url: str, options: Options) -> Source:
    """Fetch a URL safely (see :mod:`newsgist.reading.fetch`) into a Source of kind "url"."""
    from newsgist.reading.fetch import fetch
    res = fetch(url.strip(), timeout=options.fetch_timeout, max_bytes=options.max_bytes,
                allow_private_hosts=options.allow_private_hosts)
    kind = "url" if res.is_html else "text"
    return Source(text=res.text, kind=kind, name=res.final_url, encoding=res.charset or "utf-8",
                  html=res.text if kind == "url" else None)
