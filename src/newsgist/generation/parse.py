"""Reading an LLM's reply as a list of highlights, whatever shape it takes.

Accepted, in this order of trust:

1. JSON (bare, or in a ```json fence, or after a preface line): a list of strings, a
   list of objects (``{"text": ...}``, ``{"highlight": ...}`` or their one string
   value), or an object holding such a list (``{"highlights": [...]}``) or only
   strings (``{"1": "...", "2": "..."}``);
2. a JSON list cut short (the reply hit ``max_tokens``): its complete strings;
3. bullets or numbered lines (``-``, ``*``, ``•``, ``1.``, ``2)``, ``Highlight 3:``),
   with any preface or closing line around them dropped;
4. plain lines; one line of prose is split into sentences.

Each line is cleaned (surrounding quotes, Markdown emphasis, a "Highlight 1:" label and
spaces), lines under :data:`MIN_LINE_WORDS` words and repeats are dropped, and at most
``count`` are kept. Nothing left is :class:`~newsgist.errors.LLMBadReply`.
"""
from __future__ import annotations

import json
import re

from newsgist.errors import LLMBadReply

# A "highlight" of fewer words is a heading, a label or a stray fragment ("Highlights:").
MIN_LINE_WORDS = 3
# Longest line kept: a reply that is one long paragraph is split into sentences first;
# a single sentence over this is cut at a word boundary (a runaway small model).
MAX_LINE_CHARS = 400
TEXT_KEYS = ("text", "highlight", "content", "summary", "sentence", "line")

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.S)
_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\(?\d{1,2}[.):]|\d{1,2}\s+-|#{1,3})\s+")
_LABEL = re.compile(r"^\s*(?:\*\*)?(?:story\s+)?highlights?\s*\d*\s*(?:\*\*)?\s*[:.)-]\s*(?:\*\*)?\s*", re.I)
_PREFACE = re.compile(r"^(?:here\s+(?:are|is)|sure\b|certainly\b|okay\b|ok\b|below\s+are|the\s+highlights?\b)", re.I)
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“])")


def _strings(value) -> list[str] | None:
    """The highlight strings of a parsed JSON value, or None if it holds none."""
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                text = next((item[k] for k in TEXT_KEYS if isinstance(item.get(k), str)), None)
                if text is None:
                    text = next((v for v in item.values() if isinstance(v, str)), None)
                if text is not None:
                    out.append(text)
        return out or None
    if isinstance(value, dict):
        for k in ("highlights", "story_highlights", "bullets", "items", "summary"):
            got = _strings(value.get(k)) if isinstance(value.get(k), list) else None
            if got:
                return got
        for v in value.values():
            if isinstance(v, list) and (got := _strings(v)):
                return got
        texts = [v for v in value.values() if isinstance(v, str)]
        return texts or None
    if isinstance(value, str):
        return [value]
    return None


def _from_json(text: str) -> list[str] | None:
    try:
        return _strings(json.loads(text, strict=False))   # strict=False: a raw newline inside a string
    except ValueError:
        pass
    dec = json.JSONDecoder(strict=False)
    for m in re.finditer(r"[\[{]", text):   # JSON after a preface ("Here you go: [...]")
        try:
            value, _ = dec.raw_decode(text, m.start())
        except ValueError:
            continue
        got = _strings(value)
        if got:
            return got
    return None


def _from_cut_json(text: str) -> list[str] | None:
    """The complete strings of a JSON list that was cut short (``["a", "b", "c``)."""
    start = text.find("[")
    if start < 0 or text.find("]", start) >= 0 and _from_json(text[start:]) is not None:
        return None
    out = []
    for m in _JSON_STRING.finditer(text, start):
        try:
            out.append(json.loads(f'"{m.group(1)}"', strict=False))
        except ValueError:
            continue
    return [s for s in out if s.strip().lower() not in TEXT_KEYS] or None


def _from_lines(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n") if ln.strip()]
    marked = [ln for ln in lines if _BULLET.match(ln) or _LABEL.match(ln)]
    if marked:
        lines = [_LABEL.sub("", _BULLET.sub("", ln), count=1) for ln in marked]
    else:
        lines = [ln for ln in lines if not (ln.endswith(":") or _PREFACE.match(ln) and len(lines) > 1)]
    if len(lines) == 1:   # one paragraph of prose: its sentences
        lines = [p for p in _SENTENCE_END.split(lines[0]) if p.strip()]
    return lines


def clean_line(line: str) -> str:
    """One highlight as shown: no label, emphasis, surrounding quotes or extra spaces."""
    s = " ".join(str(line).split())
    s = _LABEL.sub("", _BULLET.sub("", s), count=1)
    s = s.replace("**", "").replace("__", "")
    for _ in range(2):
        if len(s) >= 2 and s[0] in "\"'“‘" and s[-1] in "\"'”’" and s[0] not in s[1:-1] and s[-1] not in s[1:-1]:
            s = s[1:-1].strip()   # quotes around the whole line (not a quotation inside it)
        s = s.rstrip(",;").strip()
    if len(s) > MAX_LINE_CHARS:
        s = s[:MAX_LINE_CHARS].rsplit(" ", 1)[0] + "…"
    return s


def parse_highlights(reply: str, count: int | None = None) -> list[str]:
    """The highlights in ``reply`` (see the module docstring); raises LLMBadReply if none."""
    if not isinstance(reply, str):
        raise LLMBadReply("the LLM's reply is not text")
    text = _THINK.sub("", reply).strip()
    fenced = _FENCE.search(text)
    candidates = None
    for body in ([fenced.group(1).strip()] if fenced else []) + [text]:
        candidates = _from_json(body) or _from_cut_json(body)
        if candidates:
            break
    if not candidates:
        candidates = _from_lines(_FENCE.sub(lambda m: m.group(1), text))
    out, seen = [], set()
    for raw in candidates:
        line = clean_line(raw)
        key = " ".join(re.findall(r"\w+", line.lower()))
        if len(line.split()) < MIN_LINE_WORDS or key in seen:
            continue
        seen.add(key)
        out.append(line)
    if not out:
        shown = " ".join(reply.split())[:120]
        raise LLMBadReply(f"no highlights found in the LLM's reply: {shown!r}")
    return out[:count] if count else out
