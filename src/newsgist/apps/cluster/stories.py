"""The stories file of ``newsgist cluster --stories S.jsonl``: one line per story that
gained articles in this run, in story order::

    {"story": "s000003", "size": 4, "articles": ["a1", "a7", ...],
     "title": "The best highlight of the story's first article",
     "dates": {"first": "2026-03-02", "last": "2026-03-03"} | null,
     "card": {...}}            # with --cards: the story card of ``newsgist story``

``title`` is the record's own ``title`` if the story's first article has one, else the
best (highest scored) highlight of that first article — the report that opened the
story. Finding it reads INPUT a second time, for those first articles only (in
``--workers`` processes). The title is kept in ``--state``; a story opened by an earlier
run without ``--stories`` (so without a title) takes the best highlight of its first
article in this input. ``--cards`` builds each story's
card from its articles *in this input* (the first ``CARD_ARTICLES`` of them): it holds
those texts in memory and reads each one fully, so it is meant for a day's feed, not for
an archive of tens of thousands.
"""
from __future__ import annotations

import json
import os
from typing import Optional

from newsgist.apps.batch.output import _encode
from newsgist.apps.cluster.engines import iter_lines, map_ordered
from newsgist.corpus.features import day_string
from newsgist.corpus.index import StoryIndex
from newsgist.corpus.records import Bad, article_text, parse

#: Articles of this input given to one story card (``--cards``), the first in input order.
CARD_ARTICLES = 12


def best_highlight(raw: bytes, line: int) -> Optional[tuple[int, Optional[str]]]:
    """``(line, the best highlight)`` of one input line (None text when it cannot be read)."""
    rec = parse(raw, line)
    if not isinstance(rec, dict):
        return None
    got = article_text(rec, line)
    if isinstance(got, Bad):
        return line, None
    try:
        from newsgist.api import read
        hs = read(got[0], highlights_only=True).highlights
    except Exception:  # an article the pipeline refuses has no title line
        return line, None
    if not hs:
        return line, None
    return line, max(hs, key=lambda h: (h.score or 0.0, -h.start)).text


def _card(item: tuple) -> dict:
    """The story card of one story's articles (``newsgist.story``), or its error."""
    number, articles = item
    try:
        from newsgist.story import story
        return {"number": number, "card": story(articles).to_dict()}
    except Exception as exc:
        code = getattr(exc, "code", "internal")
        return {"number": number, "card": None, "card_error": {"code": code, "message": str(exc)[:300]}}


def _titles(index: StoryIndex, input: str, firsts: dict, workers: int) -> None:
    need = {line: index.stories[number - 1] for number, line in firsts.items()
            if index.stories[number - 1].title is None}
    if not need:
        return
    lines = ((n, raw) for n, raw in iter_lines(input) if n in need)
    for got in map_ordered(best_highlight, lines, workers):
        line, text = got
        need[line].title = text


def _card_inputs(index: StoryIndex, input: str, firsts: dict) -> dict:
    """Per touched story: its first CARD_ARTICLES articles of this input as story items."""
    member: dict = {}
    for number in firsts:
        for aid in index.stories[number - 1].articles:
            member.setdefault(json.dumps(aid), number)
    out: dict = {}
    for n, raw in iter_lines(input):
        rec = parse(raw, n)
        if not isinstance(rec, dict):
            continue
        number = member.pop(json.dumps(rec["id"]), None)   # pop: a duplicate id is not read twice
        if number is None or len(out.get(number, ())) >= CARD_ARTICLES:
            continue
        got = article_text(rec, n)
        if isinstance(got, Bad):
            continue
        raw_text = next(rec[f] for f in ("text", "article") if f in rec)
        item = {"text": raw_text, "id": str(rec["id"])}   # HTML as given: the card reads it (title, date)
        for k in ("source", "date", "title"):
            if isinstance(rec.get(k), str) and rec[k].strip():
                item[k] = rec[k]
        out.setdefault(number, []).append(item)
    return out


def _cards(index: StoryIndex, input: str, firsts: dict, workers: int) -> dict:
    inputs = sorted(_card_inputs(index, input, firsts).items())
    out = {}
    if workers > 1:
        import multiprocessing as mp
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        with ctx.Pool(workers) as pool:
            for r in pool.imap(_card, inputs):
                out[r["number"]] = r
    else:
        for item in inputs:
            r = _card(item)
            out[r["number"]] = r
    return out


def story_line(story) -> dict:
    dates = None
    if story.first_day is not None:
        dates = {"first": day_string(story.first_day), "last": day_string(story.last_day)}
    return {"story": story.id, "size": story.size, "articles": list(story.articles), "title": story.title,
            "dates": dates}


def write_stories(path: str, index: StoryIndex, firsts: dict, input: str, *,
                  workers: int = 1, cards: bool = False) -> int:
    """Write the stories file (atomically: a temporary file renamed) for the stories of
    ``firsts`` (story number -> its first input line in this run); return its lines."""
    _titles(index, input, firsts, workers)
    made = _cards(index, input, firsts, workers) if cards else {}
    tmp = path + ".tmp"
    n = 0
    with open(tmp, "wb") as fh:
        for number in sorted(firsts):
            s = index.stories[number - 1]
            d = story_line(s)
            if cards:
                got = made.get(s.number, {"card": None})
                d["card"] = got["card"]
                if "card_error" in got:
                    d["card_error"] = got["card_error"]
            fh.write(_encode(d))
            n += 1
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return n
