"""The card stage ``analyse``: one spaCy parse of the cleaned body, then entities,
quotes and figures. They work on body offsets; this stage maps every span back to
the input before it reaches the card. Registered in :data:`newsgist.registry.STAGES`
as card-only (highlights-only runs skip it).
"""
from __future__ import annotations

from newsgist.article import PARAGRAPH_SEPARATOR, Article
from newsgist.errors import TooLargeError
from newsgist.options import Options, english_applies
from newsgist.registry import STAGES
from newsgist.text import soft_breaks_as_spaces
from newsgist.types import Entity, Figure, Quote

# The longest body the NLP analysis (spaCy parse) accepts. It was spaCy's own default
# (1,000,000); issue 17 lowered it so that a full card at the limit finishes in about
# 10 s on one core: the parse alone runs at roughly 10,000-25,000 characters per CPU
# second (token-dense text is the slow end; benchmarks/bench_scaling.py), and
# 100,000 characters is also the service's default cap (apps/service/engine.py). Longer
# articles get a typed TooLargeError; highlights-only runs have no such limit.
MAX_CARD_CHARS = 100_000


# Bodies parsed together by parse_ahead (batch: spaCy's nlp.pipe over a chunk of records,
# ~7-12 % less CPU than one parse at a time on CNN articles, same parse), taken by the stage.
_PARSED_AHEAD: dict = {}
# parse_ahead leaves longer bodies to their own stage: their parse stays inside their
# record's time budget (apps/batch); 20,000 characters is ~5x a median CNN article.
PARSE_AHEAD_MAX_CHARS = 20_000


def parse_text(article: Article) -> str:
    """The text spaCy parses for ``article``: its body with each newline inside a body paragraph (a soft
    break of a hard-wrapped paragraph read as one, :mod:`newsgist.reading.softwrap`) as one space, so
    the name recognition and the parse read the paragraph as its one-line text ("Marta\\nKowalczyk" one
    name). The same length, so every token offset is a body offset; the whitespace after the newline
    (indentation) is kept. Only the parse reads it: spans are cut from the body. A body without soft
    breaks is returned itself (the same parse as before). Linear: one ``find`` pass a paragraph."""
    body = article.body
    chars = None
    for p in article.body_paragraphs():
        i = body.find("\n", p.start, p.end)
        while i >= 0:
            if chars is None:
                chars = list(body)
            chars[i] = " "
            i = body.find("\n", i + 1, p.end)
    return body if chars is None else "".join(chars)


def parse_ahead(bodies: list[str]) -> None:
    """Parse ``bodies`` (each article's :func:`parse_text`) in one ``nlp.pipe`` call for the ``analyse``
    stages that follow in this process (earlier unused parses are dropped: memory stays bounded)."""
    from newsgist.card.nlp import load_nlp
    _PARSED_AHEAD.clear()
    todo = [b for b in dict.fromkeys(bodies) if b and len(b) <= PARSE_AHEAD_MAX_CHARS]
    if len(todo) > 1:
        _PARSED_AHEAD.update(zip(todo, load_nlp().pipe(todo, batch_size=len(todo))))


@STAGES.register("analyse", order=30, card_only=True, description="spaCy parse; entities, quotes, figures")
def stage_analyse(article: Article, options: Options) -> Article:
    """spaCy parse of the body, then entities, quotes and figures (body offsets mapped back)."""
    if not (options.quotes or options.entities or options.figures):
        return article
    if not english_applies(article.meta):  # another language: no English-model output (reading/language.py)
        return article
    from newsgist.card.nlp import load_nlp
    body = article.body
    if len(body) > MAX_CARD_CHARS:
        raise TooLargeError(f"the article is too long for a full card ({len(body):,} characters; the limit is "
                            f"{MAX_CARD_CHARS:,}): ask for highlights only")
    parsed = parse_text(article)   # the body itself unless it holds a soft break
    doc = _PARSED_AHEAD.pop(parsed, None)
    if doc is None:
        doc = load_nlp()(parsed)
    article.doc = doc
    _note_long_sentences(article, doc)
    entities = []
    if options.entities or options.quotes:
        from newsgist.card.entities import extract_entities
        entities = _soft_entities(extract_entities(body, doc))
    if options.quotes:
        from newsgist.card.quotes.extract import extract_quotes
        # a newline inside a body paragraph is a soft break (reading/softwrap.py), not a line break
        quotes = extract_quotes(body, doc, article.body_paragraphs(), article.body_sentences(), entities,
                                soft_breaks=True)
        article.quotes = [_map_quote(article, q) for q in quotes]
    if options.entities:
        article.entities = [_map_entity(article, e) for e in entities]
        _add_dateline_places(article)
    if options.figures:
        from newsgist.card.figures import extract_figures
        # a figure never runs across a paragraph break (seen only on fuzzed text: "0\n\nl...");
        # its body text would not be the input's text there
        found = [_map_figure(article, f) for f in extract_figures(body, doc) if PARAGRAPH_SEPARATOR not in f.text]
        # dates are kept apart from the key figures: they date the story, they count nothing
        article.figures = [f for f in found if f.kind != "date"]
        article.dates = [f for f in found if f.kind == "date"]
    if options.figures or options.quotes:
        # who states each figure, what limits it, which count the same thing; partial quotes nested
        from newsgist.card.claims import attach_claims
        attach_claims(article)
    _soft_labels(article)
    return article


def _soft_entities(entities: list[Entity]) -> list[Entity]:
    """Entities whose name, variants and title are labels, not spans: a soft break inside a hard-wrapped
    paragraph read as one (:mod:`newsgist.reading.softwrap`) shown as one space ("Tomas Reilly", not
    "Tomas\\nReilly"); the spans keep the input's text. Nothing changes where the body has no soft break."""
    for e in entities:
        e.name, e.title = soft_breaks_as_spaces(e.name), soft_breaks_as_spaces(e.title)
        e.variants = list(dict.fromkeys(soft_breaks_as_spaces(v) for v in e.variants))
    return entities


def _soft_labels(article: Article) -> None:
    """The quotes' and figures' labels (a speaker's name and title, what a figure counts, who claims it)
    with soft breaks as one space, as :func:`_soft_entities`; span texts are kept exactly."""
    for q in article.quotes:
        q.speaker, q.speaker_title = soft_breaks_as_spaces(q.speaker), soft_breaks_as_spaces(q.speaker_title)
    for f in article.figures + article.dates:
        f.counts, f.unit = soft_breaks_as_spaces(f.counts), soft_breaks_as_spaces(f.unit)
        if f.claimed_by and isinstance(f.claimed_by.get("speaker"), str):
            f.claimed_by["speaker"] = soft_breaks_as_spaces(f.claimed_by["speaker"])
    for g in article.groups:
        if isinstance(g.get("label"), str):
            g["label"] = soft_breaks_as_spaces(g["label"])


def _note_long_sentences(article: Article, doc) -> None:
    """Record in meta.limits_hit the parsed sentences too long to read for quotes (card/limits.py)."""
    from newsgist.card.limits import COUNT_PHRASE_MAX_CHARS, SENTENCE_MAX_TOKENS, long_sentences
    spans = long_sentences(doc)
    if spans:
        longest = max(e - s for s, e in spans)
        article.limit_hit("analyse", "SENTENCE_MAX_TOKENS",
                          f"{len(spans):,} sentence(s) over {SENTENCE_MAX_TOKENS} tokens (the longest {longest:,} "
                          "characters) not read for quotes; their text stays in the body")
        if longest > COUNT_PHRASE_MAX_CHARS:
            article.limit_hit("analyse", "COUNT_PHRASE_MAX_CHARS",
                              f"figures in sentences over {COUNT_PHRASE_MAX_CHARS:,} characters look back at most "
                              f"that far for what they count")


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
