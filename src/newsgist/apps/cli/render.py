"""Render a card as text (for people), Markdown, or JSON (for machines)."""
from __future__ import annotations

import json


def render(card: dict, fmt: str = "text", highlights_only: bool = False) -> str:
    if fmt == "json":
        if highlights_only:
            card = {k: card[k] for k in ("highlights", "page_highlights", "meta") if k in card}
        return json.dumps(card, ensure_ascii=False, indent=2)
    md = fmt == "markdown"
    out = []

    def section(title):
        out.append(f"\n## {title}\n" if md else f"\n{title.upper()}")

    title = (card.get("meta") or {}).get("title")
    if title and not highlights_only:
        out.append(f"# {title}" if md else title)
    if not highlights_only:
        section("Highlights")
    for h in card.get("highlights", []):
        out.append(f"- {h['text']}" if md else f"  • {h['text']}")
    if highlights_only:
        return "\n".join(out).strip("\n") + "\n"
    if card.get("page_highlights"):
        section("The page's own highlights")
        out.extend((f"- {h}" if md else f"  - {h}") for h in card["page_highlights"])
    if card.get("dateline"):
        d = card["dateline"]
        out.append(("\n**Dateline:** " if md else "\nDateline: ") + ", ".join(x for x in (d.get("place"), d.get("outlet")) if x))
    for title, kinds in (("Quotes", ("direct", "partial")), ("Reported speech", ("indirect",))):
        qs = [q for q in card.get("quotes", []) if q.get("kind", "direct") in kinds]
        if qs:
            section(title)
        for q in qs:
            who = q.get("speaker") or "unattributed"
            if q.get("speaker_title"):
                who += f" ({q['speaker_title']})"
            said = f"“{q['text']}”" if q.get("kind") != "indirect" else f"({q.get('cue') or 'said'}) {q['text']}"
            out.append(f"- {said} — {who}" if md else f"  {said} — {who}")
    if card.get("entities"):
        section("Entities")
        for e in card["entities"]:
            extra = f", {e['title']}" if e.get("title") else ""
            line = f"{e['name']} [{e['type']}{extra}] ×{e['mentions']}"
            out.append(f"- {line}" if md else f"  {line}")
    if card.get("figures"):
        section("Key figures")
        for f in card["figures"]:
            what = f" — {f['counts']}" if f.get("counts") else ""
            if f.get("kind") and f["kind"] not in ("number", "range"):
                what += f" [{f['kind']}]"
            out.append(f"- {f['text']}{what}" if md else f"  {f['text']}{what}")
    if card.get("removed"):
        section("Removed from the body")
        for r in card["removed"]:
            t = r["text"] if len(r["text"]) <= 90 else r["text"][:87] + "..."
            out.append(f"- *{r['reason']}*: {t}" if md else f"  [{r['reason']}] {t}")
    return "\n".join(out).strip("\n") + "\n"


def render_body(article) -> str:
    """The cleaned body: paragraphs separated by a blank line, headings on their own line."""
    return article.body.rstrip("\n") + "\n"
