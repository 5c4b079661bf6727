"""The ``generate`` stage (order 65, with ``--generator llm``): highlights written by an
LLM, each line judged by the grounding checker before it is shown.

After ``select`` (50) and ``compress`` (60) have made the extractive highlights, and
before ``ground`` (70) gives every highlight its evidence, this stage

1. sends the cleaned body, the dateline, the count and a word budget to the endpoint at
   ``options.llm_url`` (:mod:`.prompt`, :mod:`.client`) and reads the lines of its reply
   (:mod:`.parse`);
2. checks every line against the article with the checker of ``newsgist check``
   (:func:`newsgist.grounding.check.line_evidence`, the shipped line model and its
   verdict): support spans, unsupported pieces, score;
3. applies ``options.unsupported`` to each line the checker does not support:
   ``replace`` (default) puts the best extractive highlight whose sentence no kept line
   already covers in its place (none left: the line is dropped), ``drop`` leaves it out,
   ``flag`` shows it with ``supported: false``;
4. records ``meta.llm``: the model, token counts when the endpoint gives them, the time,
   the lines replaced/dropped/flagged and why (SCHEMA.md).

A generated line has ``generator: "llm"``, ``start``/``end`` of its first support
sentence (0/0 when nothing backs it), ``score`` 0 (no ranker score), and the ``support``
and ``checks`` of the faithfulness report (the text-level checks against its support;
there are no kept ``spans`` to check). The ``ground`` stage then gives it, like every
highlight, ``support_score``, ``supported`` and ``unsupported``: what is shown is the
shared checker's verdict, so a number or a name the article lacks is never shown as
supported. An LLM failure is a typed ``llm_*`` error; with ``llm_fallback="extractive"``
the extractive highlights stay and ``meta.warnings`` says why.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from newsgist.article import Article
from newsgist.errors import LLMError
from newsgist.generation.parse import parse_highlights
from newsgist.generation.prompt import build_prompt
from newsgist.grounding.align import Source
from newsgist.grounding.check import (hard_pieces, line_evidence, score_line, shown_pieces, source_of, threshold_of,
                                      verdict)
from newsgist.grounding.faithfulness import check as faithfulness_check
from newsgist.grounding.model import load
from newsgist.grounding.stage import GROUND_MAX_SENTENCES
from newsgist.highlighting.select import auto_count, select
from newsgist.options import MAX_COUNT, Options, english_applies
from newsgist.registry import STAGES
from newsgist.types import Highlight

if TYPE_CHECKING:  # the client (httpx) is imported when a run asks for the LLM (CLI start-up, issue 28)
    from newsgist.generation.client import LLMClient

GENERATE_ORDER = 65


def client_for(options: Options) -> LLMClient:
    """The endpoint client of ``options`` (API key from NEWSGIST_LLM_API_KEY)."""
    from newsgist.generation.client import LLMClient
    return LLMClient(options.llm_url, options.llm_model, options.llm_timeout)


def _source(article: Article) -> Source:
    """The checker's index of the article (the first GROUND_MAX_SENTENCES sentences of a
    pathological input; a real article is indexed whole, once, shared with ``ground``)."""
    if len(article.sentences) <= GROUND_MAX_SENTENCES:
        return source_of(article)
    return Source(article.source, [(s.start, s.end) for s in article.sentences[:GROUND_MAX_SENTENCES]])


def judge(article: Article, lines: list[str]) -> list[dict]:
    """Each line's evidence and verdict: ``{text, evidence, score, supported}``
    (``score``/``supported`` None when the article is not English: the checker reads
    English only)."""
    src = _source(article)
    english = english_applies(article.meta)
    model = load() if english else None
    seen: set = set()
    out = []
    for text in lines:
        ev = line_evidence(src, text, seen)
        score = ok = None
        if english:
            score = score_line(ev, model)
            ok = verdict(score, ev, model)
        out.append({"text": text, "evidence": ev, "score": score, "supported": ok})
    return out


def why(j: dict) -> dict:
    """Why the checker does not support a line: the unsupported pieces and a short reason."""
    ev = j["evidence"]
    hard = hard_pieces(ev)
    if hard:
        reason = "; ".join(f"{u['kind']} not in the article: {u['text']!r}" for u in hard)
    elif not ev["support"]:
        reason = "no sentence of the article backs it"
    else:
        reason = f"checker score {j['score']:.3f} below the line threshold {threshold_of(ev, load()):.3f}"
    return {"reason": reason, "score": None if j["score"] is None else round(j["score"], 4),
            "unsupported": shown_pieces(ev, False)}


def llm_highlight(article: Article, j: dict) -> Highlight:
    """A generated line as a Highlight: its support as span, its faithfulness report."""
    support = [tuple(s) for s in j["evidence"]["support"]]
    start, end = support[0] if support else (0, 0)
    h = Highlight(text=j["text"], start=start, end=end, score=0.0, sentence=-1, generator="llm")
    rep = faithfulness_check(article.source, j["text"], [], support)
    rep["checks"].pop("spans", None)   # a written line has no kept spans of its own
    rep["problems"] = [p for p in rep["problems"] if p != "spans"]
    rep["passed"] = all(rep["checks"].values())
    h.faithfulness = rep
    return h


def candidates(article: Article, options: Options) -> list[Highlight]:
    """Extractive highlights, best first: the selected ones (as ``select``/``compress``
    left them), then the next ones the selection rules would pick."""
    chosen = sorted(article.highlights, key=lambda h: (-h.score, h.sentence))
    have = {h.sentence for h in chosen}
    more = []
    if len(article.scores) == len(article.sentences) and article.sentences:
        more = select(article, article.scores, min(MAX_COUNT, len(article.sentences)), options.max_words)
    return chosen + sorted((h for h in more if h.sentence not in have), key=lambda h: (-h.score, h.sentence))


def sentences_of(article: Article, spans) -> set[int]:
    """Indices of the article sentences that are exactly these (start, end) spans."""
    index = {(s.start, s.end): i for i, s in enumerate(article.sentences)}
    return {index[tuple(sp)] for sp in spans if tuple(sp) in index}


def apply_policy(article: Article, judged: list[dict], policy: str, pool: list[Highlight]) -> tuple[list, dict]:
    """The highlights shown and what happened to the unsupported lines."""
    covered = sentences_of(article, [sp for j in judged if j["supported"] is not False
                                     for sp in j["evidence"]["support"]])
    shown: list[Highlight] = []
    report = {"replaced": [], "dropped": [], "flagged": []}
    for j in judged:
        h = llm_highlight(article, j)
        if j["supported"] is not False:
            shown.append(h)
            continue
        reason = why(j)
        if policy == "flag":
            shown.append(h)
            report["flagged"].append({"text": j["text"], **reason})
            continue
        rep = None
        if policy == "replace":
            rep = next((c for c in pool if c.sentence not in covered and all(c is not s for s in shown)), None)
        if rep is None:
            note = {} if policy == "drop" else {"note": "no extractive highlight left to replace it"}
            report["dropped"].append({"text": j["text"], **reason, **note})
            continue
        covered.add(rep.sentence)
        shown.append(rep)
        report["replaced"].append({"text": j["text"], "by": rep.text, **reason})
    return shown, report


def settle(article: Article, judged: list[dict], policy: str, pool: list[Highlight]) -> tuple[list, dict]:
    """:func:`apply_policy`, until the verdicts of the lines shown agree with what the
    ``ground`` stage will say of them in their final order (the checker counts trigrams
    repeated from earlier lines: a kept line after a replacement can lose its support).
    Each round only turns verdicts from supported to not, so it ends."""
    while True:
        shown, report = apply_policy(article, judged, policy, pool)
        if policy == "flag":
            return shown, report
        final = judge(article, [h.text for h in shown])
        flipped = {f["text"]: f for h, f in zip(shown, final) if h.generator == "llm" and f["supported"] is False}
        if not flipped:
            return shown, report
        for j in judged:
            if j["supported"] and j["text"] in flipped:
                j.update(evidence=flipped[j["text"]]["evidence"], score=flipped[j["text"]]["score"], supported=False)


def top_up(article: Article, shown: list[Highlight], missing: int, pool: list[Highlight]) -> list[Highlight]:
    """Extractive highlights for the lines the model did not write (it wrote fewer than
    asked), best first, none whose sentence a shown line already covers. They go last,
    so the verdicts of the lines before them stay as :func:`settle` left them."""
    if missing <= 0:
        return []
    covered = {h.sentence for h in shown if h.sentence >= 0} | sentences_of(
        article, [sp for h in shown for sp in (h.faithfulness or {}).get("support", [])])
    out: list[Highlight] = []
    for c in pool:
        if len(out) == missing:
            break
        if c.sentence not in covered and all(c is not s for s in shown):
            out.append(c)
            covered.add(c.sentence)
    return out


def _fallback(article: Article, exc: LLMError, t0: float, model: str | None) -> Article:
    article.meta["llm"] = {"model": model, "error": exc.to_dict(), "fallback": "extractive",
                           "ms": round((time.perf_counter() - t0) * 1000, 1)}
    article.meta.setdefault("warnings", []).append(
        f"the LLM failed ({exc.code}: {exc.message}); showing the extractive highlights (--llm-fallback extractive)")
    return article


@STAGES.register("generate", order=GENERATE_ORDER,
                 description="--generator llm: highlights written by an OpenAI-compatible endpoint, each "
                             "checked against the article (--unsupported replace|drop|flag)")
def stage_generate(article: Article, options: Options) -> Article:
    if options.generator != "llm" or not article.sentences:
        return article
    t0 = time.perf_counter()
    count = options.count or article.meta.get("auto_count") or auto_count(len(article.sentences))
    prompt = build_prompt(article, count)
    client = client_for(options)
    try:
        reply = client.chat(prompt.messages, max_tokens=prompt.max_tokens)
        lines = parse_highlights(reply.text, count)
    except LLMError as exc:
        if options.llm_fallback != "extractive":
            raise
        return _fallback(article, exc, t0, options.llm_model)
    judged = judge(article, lines)
    pool = candidates(article, options)   # one pool: top_up skips what settle already showed from it
    shown, report = settle(article, judged, options.unsupported, pool)
    topped = top_up(article, shown, count - len(lines), pool)
    article.highlights = shown + topped
    article.meta["llm"] = {
        "model": reply.model, "policy": options.unsupported, "lines": len(lines),
        "topped_up": [h.text for h in topped],
        "supported": sum(1 for j in judged if j["supported"]), "checked": english_applies(article.meta),
        **report,
        "usage": reply.usage, "finish_reason": reply.finish_reason, "attempts": reply.attempts,
        "llm_ms": round(reply.seconds * 1000, 1), "ms": round((time.perf_counter() - t0) * 1000, 1),
        "words_sent": prompt.words_sent, "words_total": prompt.words_total, "truncated": prompt.truncated,
    }
    if not english_applies(article.meta):
        article.meta.setdefault("warnings", []).append(
            "the LLM's highlights are not checked: the checker reads English only")
    return article
