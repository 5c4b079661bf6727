"""The pipeline: named stages that each take and return the Article.

``clean -> segment -> analyse -> score -> select``. The runner times each stage
into ``meta.timings_ms`` and wraps an unexpected exception in
:class:`~newsgist.errors.StageError` naming the stage, so a failure says where it
happened. Typed :class:`~newsgist.errors.NewsgistError` pass through unchanged.
"""
from __future__ import annotations

import time

from . import __version__
from .article import Article
from .clean import clean
from .compress import stage_compress
from .errors import NewsgistError, NoTextError, StageError, TooLargeError

# The longest body the NLP analysis (spaCy parse) accepts: spaCy's own default
# max_length, about 200 pages of text; parsing costs ~1 GB of memory per 100k
# characters at the extreme, and highlights-only runs have no such limit.
MAX_CARD_CHARS = 1_000_000
from .inputs import Source, from_text
from .options import Options
from .scorers import resolve
from .segment import has_sentence_punctuation, segment
from .select import select
from .types import Entity, Figure, Quote


def stage_clean(article: Article, options: Options) -> Article:
    c = clean(article.source, article.source_headings)
    article.paragraphs = c.paragraphs
    article.removed = c.removed
    article.dateline = c.dateline
    article.page_highlights = article.page_highlights + [h for h in c.page_highlights
                                                         if h not in article.page_highlights]
    article.invalidate_body()
    if not any(p.kind == "paragraph" for p in article.paragraphs):
        raise NoTextError("no article text left after cleaning (only headlines, links or furniture)")
    return article


def stage_segment(article: Article, options: Options) -> Article:
    article.sentences = segment(article.source, article.paragraphs)
    if not article.sentences or not has_sentence_punctuation(article.body):
        raise NoTextError("no sentence found: the text has no sentence punctuation")
    return article


def stage_analyse(article: Article, options: Options) -> Article:
    """spaCy parse of the body, then entities, quotes and figures (body offsets mapped back)."""
    if not (options.quotes or options.entities or options.figures):
        return article
    from .nlp import load_nlp
    body = article.body
    if len(body) > MAX_CARD_CHARS:
        raise TooLargeError(f"the article is too long for a full card ({len(body):,} characters; the limit is "
                            f"{MAX_CARD_CHARS:,}): ask for highlights only")
    doc = load_nlp()(body)
    article.doc = doc
    entities = []
    if options.entities or options.quotes:
        from .entities import extract_entities
        entities = extract_entities(body, doc)
    if options.quotes:
        from .quotes import extract_quotes
        quotes = extract_quotes(body, doc, article.body_paragraphs(), article.body_sentences(), entities)
        article.quotes = [_map_quote(article, q) for q in quotes]
    if options.entities:
        article.entities = [_map_entity(article, e) for e in entities]
        _add_dateline_places(article)
    if options.figures:
        from .figures import extract_figures
        found = [_map_figure(article, f) for f in extract_figures(body, doc)]
        # dates are kept apart from the key figures: they date the story, they count nothing
        article.figures = [f for f in found if f.kind != "date"]
        article.dates = [f for f in found if f.kind == "date"]
    return article


def _add_dateline_places(article: Article) -> None:
    """The dateline ("Kabul, Afghanistan CNN —") is cut from the body but names places."""
    d = article.dateline
    if not d or not d.get("place"):
        return
    pos = d["start"]
    for part in d["place"].split(","):
        part = part.strip()
        if not part:
            continue
        s = article.source.find(part, pos, d["end"])
        pos = s + len(part) if s >= 0 else pos
        name = part.title() if part.isupper() else part
        hit = next((e for e in article.entities if e.name.lower() == name.lower()
                    or name.lower() in (v.lower() for v in e.variants)), None)
        if hit is None:
            hit = Entity(name=name, type="PLACE", variants=[part], mentions=0)
            article.entities.append(hit)
        elif part not in hit.variants:
            hit.variants.append(part)
        hit.mentions += 1
        if s >= 0:
            hit.spans.append((s, s + len(part)))


def _map_quote(a: Article, q: Quote) -> Quote:
    q.start, q.end = a.to_source(q.start), a.to_source(q.end)
    if q.speaker_start >= 0:
        q.speaker_start, q.speaker_end = a.to_source(q.speaker_start), a.to_source(q.speaker_end)
    return q


def _map_entity(a: Article, e: Entity) -> Entity:
    e.spans = [(a.to_source(s), a.to_source(t)) for s, t in e.spans]
    return e


def _map_figure(a: Article, f: Figure) -> Figure:
    f.start, f.end = a.to_source(f.start), a.to_source(f.end)
    return f


def stage_score(article: Article, options: Options) -> Article:
    scorer = resolve(options.method)
    article.scores = scorer.fn(article)
    article.meta["method"] = scorer.name
    return article


def stage_select(article: Article, options: Options) -> Article:
    # a scorer may decide how many highlights the article deserves (the learned ranker does)
    count = options.count or article.meta.get("auto_count")
    article.highlights = select(article, article.scores, count, options.max_words)
    return article


CARD_STAGES = [("clean", stage_clean), ("segment", stage_segment), ("analyse", stage_analyse),
               ("score", stage_score), ("select", stage_select), ("compress", stage_compress)]
HIGHLIGHT_STAGES = [s for s in CARD_STAGES if s[0] != "analyse"]


def run(article: Article, options: Options, stages=CARD_STAGES) -> Article:
    timings = article.meta.setdefault("timings_ms", {})
    for name, fn in stages:
        t0 = time.perf_counter()
        try:
            article = fn(article, options)
        except NewsgistError:
            raise
        except Exception as exc:  # an unexpected bug: name the stage, keep one line
            raise StageError(name, f"{type(exc).__name__}: {exc}") from exc
        timings[name] = round((time.perf_counter() - t0) * 1000, 2)
    article.meta["version"] = __version__
    article.meta.setdefault("method", options.method)
    return article


def article_from_source(src: Source) -> Article:
    """Turn a decoded Source into an Article; HTML goes through main-text extraction."""
    if src.kind == "text":
        from .htmlpage import looks_like_html
        if looks_like_html(src.text):
            src.kind, src.html = "html", src.text
    if src.kind in ("html", "url"):
        from .htmlpage import extract_html
        page = extract_html(src.html if src.html is not None else src.text, url=src.name if src.kind == "url" else None)
        meta = {k: getattr(page, k) for k in ("title", "author", "date", "sitename", "url", "description")
                if getattr(page, k, None)}
        art = Article(source=page.text, kind=src.kind, name=src.name, meta=meta,
                      page_highlights=list(page.page_highlights), source_headings=list(page.headings))
    else:
        art = Article(source=src.text, kind="text", name=src.name)
    art.meta["source"] = {"kind": art.kind, "name": src.name, "encoding": src.encoding, "chars": len(art.source)}
    return art


def _merge_options(options: Options | None, kwargs: dict) -> Options:
    """An Options from an optional base plus keyword overrides (validated either way)."""
    if options is None:
        return Options(**kwargs)
    return options.replace(**kwargs) if kwargs else options


def read(text_or_html: str | Source, options: Options | None = None, *, highlights_only: bool = False,
         **kwargs) -> Article:
    """Read an article (plain text or HTML) and return its story card as an Article.

    ``options`` is an :class:`Options`; keyword arguments build one (``count=4``).
    With ``highlights_only`` the NLP analysis (quotes, entities, figures) is skipped.
    Raises a :class:`~newsgist.errors.NewsgistError` subclass on bad input.
    """
    options = _merge_options(options, kwargs)
    src = text_or_html if isinstance(text_or_html, Source) else from_text(text_or_html)
    article = article_from_source(src)
    return run(article, options, HIGHLIGHT_STAGES if highlights_only else CARD_STAGES)


def is_url(s: str) -> bool:
    return s.strip().lower().startswith(("http://", "https://")) and "\n" not in s.strip()


def fetch_source(url: str, options: Options) -> Source:
    """Fetch a URL safely (see :mod:`newsgist.fetch`) into a Source of kind "url"."""
    from .fetch import fetch
    res = fetch(url.strip(), timeout=options.fetch_timeout, max_bytes=options.max_bytes,
                allow_private_hosts=options.allow_private_hosts)
    kind = "url" if res.is_html else "text"
    return Source(text=res.text, kind=kind, name=res.final_url, encoding=res.charset or "utf-8",
                  html=res.text if kind == "url" else None)


def read_url(url: str, options: Options | None = None, *, highlights_only: bool = False, **kwargs) -> Article:
    """Fetch ``url`` and read it like :func:`read`; fetch failures raise typed errors."""
    options = _merge_options(options, kwargs)
    article = article_from_source(fetch_source(url, options))
    return run(article, options, HIGHLIGHT_STAGES if highlights_only else CARD_STAGES)


def highlights(text: str, options: Options | None = None, **kwargs) -> list[str]:
    """Just the highlight texts of ``text``."""
    return [h.text for h in read(text, options, highlights_only=True, **kwargs).highlights]
