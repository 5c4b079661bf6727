"""Render a card as text (for people), Markdown, or JSON (for machines)."""
from __future__ import annotations

import json
import re

from newsgist.text import soft_breaks_as_spaces


def one_line(text: str) -> str:
    """``text`` as people read it: each soft break shown as one space. A hard-wrapped paragraph read as
    one (:mod:`newsgist.reading.softwrap`) keeps its soft breaks (newline, indentation) in its spans'
    text, as ``input[start:end]``; JSON keeps that text exactly, the text and Markdown outputs show it on
    one line. A soft break is what the card's labels read as one (:func:`newsgist.text.soft_breaks_as_spaces`:
    a whitespace run holding exactly one newline, as a space); a paragraph break's blank line is kept,
    as in the product before S. Text without a line break, or any text with ``SOFT_WRAP`` off, is
    returned unchanged (the product before S, byte for byte). Linear."""
    from newsgist.reading import softwrap
    if "\n" not in text or not softwrap.SOFT_WRAP:
        return text
    return soft_breaks_as_spaces(text)


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
        # a written line (--generator llm --unsupported flag) the checker does not support says so
        flag = " [not supported by the article]" if h.get("generator") == "llm" and h.get("supported") is False else ""
        # the grounding checker's verdict (absent where it gave none: not English)
        mark = {True: "✓ ", False: "✗ "}.get(h.get("supported"), "")
        said = one_line(h['text'])
        out.append(f"- {mark}{said}{flag}" if md else f"  • {mark}{said}{flag}")
    if highlights_only:
        return "\n".join(out).strip("\n") + "\n"
    if card.get("page_highlights"):
        section("The page's own highlights")
        out.extend((f"- {h}" if md else f"  - {h}") for h in card["page_highlights"])
    if card.get("dateline"):
        d = card["dateline"]
        out.append(("\n**Dateline:** " if md else "\nDateline: ") + ", ".join(x for x in (d.get("place"), d.get("outlet")) if x))
    for title, kinds in (("Quotes", ("direct", "partial")), ("Reported speech", ("indirect",))):
        # a partial quote inside reported speech is shown there, once (its "within" names that item)
        qs = [q for q in card.get("quotes", []) if q.get("kind", "direct") in kinds and q.get("within") is None]
        if qs:
            section(title)
        for q in qs:
            who = q.get("speaker") or "unattributed"
            if q.get("speaker_title"):
                who += f" ({q['speaker_title']})"
            who = one_line(who)
            text = one_line(q['text'])
            said = f"“{text}”" if q.get("kind") != "indirect" else f"({one_line(q.get('cue') or 'said')}) {text}"
            out.append(f"- {said} — {who}" if md else f"  {said} — {who}")
    if card.get("entities"):
        section("Entities")
        for e in card["entities"]:
            extra = f", {e['title']}" if e.get("title") else ""
            line = one_line(f"{e['name']} [{e['type']}{extra}] ×{e['mentions']}")
            out.append(f"- {line}" if md else f"  {line}")
    if card.get("figures"):
        section("Key figures")
        figs = card["figures"]
        for g in card.get("groups") or []:  # estimates of one thing side by side, with who claims each
            line = one_line(f"{g['label']}: " + " · ".join(figure_alternative(figs[i], g["label"]) for i in g["figures"]
                                                              if i < len(figs)))
            out.append(f"- {line}" if md else f"  {line}")
        for f in figs:
            if f.get("group") is not None and card.get("groups"):
                continue
            what = f" — {f['counts']}" if f.get("counts") else ""
            if f.get("kind") and f["kind"] not in ("number", "range"):
                what += f" [{f['kind']}]"
            who = _claimant(f)
            what += f" ({who})" if who else ""
            line = one_line(f"{f['text']}{what}")
            out.append(f"- {line}" if md else f"  {line}")
    if card.get("removed"):
        section("Removed from the body")
        for r in card["removed"]:
            t = r["text"] if len(r["text"]) <= 90 else r["text"][:87] + "..."
            out.append(f"- *{r['reason']}*: {t}" if md else f"  [{r['reason']}] {t}")
    return "\n".join(out).strip("\n") + "\n"


def _claimant(f: dict, time: str = "") -> str:
    """"intel estimates last year, via Jeff Buchanan", "U.S. officials", "" (the article's own voice)."""
    c = f.get("claimed_by") or {}
    who = c.get("speaker") or c.get("mention") or ""
    if c.get("via"):
        return f"{c['via']}{' ' + time if time else ''}, via {who}" if who else c["via"]
    return ", ".join(x for x in (who, time) if x)


def figure_alternative(f: dict, label: str = "") -> str:
    """One estimate in a group's line: the number, its scope and caveat, and who claims it, e.g.
    "50–100 (intel estimates last year, via Jeff Buchanan)", "as high as 300, incl. other facilitators
    (U.S. officials)". A scope that ``label`` (the group's) already names is left out."""
    text = soft_breaks_as_spaces(f.get("text", ""))   # "$42\nmillion" (a soft break) as "$42 million"
    unit = f.get("counts") or f.get("unit") or ""
    if unit and text.endswith(" " + unit.split()[-1]) and f.get("kind") in ("number", "range"):
        text = text[: -len(unit.split()[-1])].rstrip()
    if f.get("kind") == "range":
        text = re.sub(r"^(?:between |from )?([\d.,]+) (?:to|and) ([\d.,]+)$", "\\1–\\2", text)
    quals = f.get("qualifiers") or []
    for q in quals:
        if q.get("kind") == "scope" and q["text"].split(" ", 1)[-1].lower() not in label.lower():
            text += f" {q['text']}"  # a scope the group's label already names is left out
    for q in quals:
        if q.get("kind") == "caveat":
            cav = re.sub(r"^(?:(?:does|do|did) )?(?:also )?includ(?:es|e|ing)\b", "incl.", q["text"])
            cav = re.sub(r"^(?:(?:does|do|did) not |(?:doesn|don|didn)[’']t |not )includ(?:es|e|ing)\b|^exclud\w*",
                         "excl.", cav)
            text += f", {cav}"
    time = " ".join(q["text"] for q in quals if q.get("kind") == "time")
    who = _claimant(f, time)
    return f"{text} ({who})" if who else text


def render_body(article) -> str:
    """The cleaned body: paragraphs separated by a blank line, headings on their own line; a hard-wrapped
    paragraph read as one (:mod:`newsgist.reading.softwrap`) on one line (:func:`one_line`; without one,
    ``article.body`` as it is)."""
    from newsgist.article import PARAGRAPH_SEPARATOR
    body = PARAGRAPH_SEPARATOR.join(one_line(article.source[p.start:p.end]) for p in article.paragraphs)
    return body.rstrip("\n") + "\n"
