"""The story card as text for a terminal: highlights with their source counts, disagreements
side by side, then what each outlet adds (and what could not be read)."""
from __future__ import annotations

import textwrap

WIDTH = 88


def _name(card: dict, a: int) -> str:
    art = card["articles"][a]
    return art.get("outlet") or art.get("source") or f"article {a}"


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=first, subsequent_indent=rest) or [first]


def _value_cell(card: dict, v: dict) -> str:
    who = f", {v['claimed_by']}" if v.get("claimed_by") else ""
    return f"{v['text']} ({_name(card, v['article'])} [{v['article']}]{who})"


def render_story(card: dict) -> str:
    arts, meta = card["articles"], card.get("meta", {})
    out = [f"Story of {len(arts)} article{'s' if len(arts) != 1 else ''}"]
    if meta.get("duplicates"):
        out[0] += f" ({len(meta['duplicates'])} duplicate{'s' if len(meta['duplicates']) != 1 else ''} counted once)"
    for a in arts:
        bits = [b for b in (a.get("outlet"), a.get("date"), a.get("title")) if b]
        out.append(f"  [{a['index']}] " + (" · ".join(bits) if bits else (a.get("source") or "(text)")))
    out += ["", "Highlights"]
    for i, h in enumerate(card["highlights"], 1):
        n = len({s["article"] for s in h["sources"]})
        tag = f"[{n}/{len(arts)} source{'s' if n != 1 else ''}: " + ", ".join(
            str(s["article"]) for s in h["sources"]) + "]"
        out += _wrap(f"{h['text']} {tag}", f"{i:2d}. ", "    ")
    if card["disagreements"]:
        out += ["", "Disagreements"]
        for d in card["disagreements"]:
            out.append(f"  {d['label']}:")
            cells = [_value_cell(card, v) for v in d["values"]]
            out += _wrap("  ·  ".join(cells), "    ", "    ")
    adds = [a for a in card["additions"] if a["items"]]
    if adds and len(arts) > 1:
        out += ["", "Only in one report"]
        for a in adds:
            out.append(f"  {_name(card, a['article'])} [{a['article']}]:")
            for it in a["items"]:
                out += _wrap(it["text"], "    - ", "      ")
    if card.get("timeline"):
        out += ["", "Timeline"]
        for t in card["timeline"]:
            out.append(f"  {t['date']}  {_name(card, t['article'])} [{t['article']}]: {len(t['added'])} new")
    for f in meta.get("failed", []):
        out.append(f"newsgist: article {f['input']} not read: [{f['error']['code']}] {f['error']['message']}")
    return "\n".join(out) + "\n"
