"""Clean a pasted news page: separate what is not the story's own prose.

Works on the decoded input text and never rewrites it: the result is a list of
paragraph spans (``kind`` "paragraph" or "heading") into the input, plus what was
set aside — the page's own highlights block, the dateline, related-story headlines,
video embeds, bylines and time stamps, captions, credits — each listed in
``removed`` with a reason, so nothing disappears silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsgist.reading.softwrap import NONE, join_soft_breaks, soft_joins
from newsgist.text import stripped_lines
from newsgist.types import Paragraph, Removed

# A line with no sentence-final stop and at most this many words, standing alone
# between paragraphs, is a subhead ("Al-Qaeda resurgent", "'They need the fighters'").
# Longer such lines are related-story headlines. Set from the CNN seed page, where
# subheads have 2-4 words and related headlines 7-12.
HEADING_MAX_WORDS = 5
# Lines without a final stop and longer than this are kept as prose (a paragraph
# whose closing stop is missing), not treated as a headline.
HEADLINE_MAX_WORDS = 16
# In a pasted web page (issue 31) the line model decides what is furniture; a line it
# keeps that is shaped like a headline is the article's headline or a subhead (Dragnet's
# hand-extracted text has both), not a related-story link.
PAGE_KEEPS_HEADLINES = True
# A pasted page whose every kept line is headline-shaped (a photo or video post: its title
# and a caption or two) gives those lines as its paragraphs instead of "no article text"
# (issue 31, session 5: 8 of the 1,100 Dragnet training pages, out of fold, whose gold is
# exactly such lines; the pipeline's mean page F1 there 0.9102 -> 0.9148, BENCHMARKS.md).
PAGE_TITLE_ONLY_IS_TEXT = True
# ... but only when at least this many such lines are kept (a title AND a caption): a page
# that keeps one headline-shaped line alone is an error or paywall page ("The page you were
# looking for may have moved", a headline over "Subscribe to continue reading") and fails
# with "no article text" as before (session 5 review; out-of-fold figure in BENCHMARKS.md).
PAGE_TITLE_ONLY_MIN_LINES = 2
# The page-highlights block: at most this many items, each at most this long.
PAGE_HIGHLIGHTS_MAX_ITEMS = 6
PAGE_HIGHLIGHT_MAX_WORDS = 40
# How far into the page (in lines) a "Story highlights" header is looked for.
PAGE_HIGHLIGHTS_SEARCH_LINES = 12

_HL_HEADER = re.compile(r"^(story highlights|highlights|key points|in brief|summary|at a glance)\s*:?\s*$", re.I)
_OUTLETS = r"CNN(?: Student News)?|AP|Reuters|AFP|EW\.com|Mashable|Bloomberg"
# "Kabul, Afghanistan CNN  — " on a line of its own
_DATELINE_LINE = re.compile(
    rf"^(?P<place>[A-Z][\w .,'’\-]{{0,60}}?)?\s*[(\[]?(?P<outlet>{_OUTLETS})[)\]]?\s*[—–-]{{1,2}}\s*$")
# "(CNN)Share...", "LONDON, England (CNN) -- Text", "WASHINGTON (CNN) — Text"
_DATELINE_INLINE = re.compile(
    rf"^(?P<place>[A-Z][A-Za-z .,'’\-]{{0,60}}?)?\s*\((?P<outlet>{_OUTLETS})\)\s*(?:[—–-]{{1,2}}\s*)?")
_VIDEO_STAMP = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*[-–—]\s*Source:\s*\S.*$")
_BOILERPLATE = [
    (re.compile(r"^(read more|read|related|more|see also|watch|video|photos?|gallery|click here|"
                r"follow us|follow|sign up|subscribe|share this|advertisement)\b\s*(?:[:|>»]|-\s)", re.I), "related-link"),
    (re.compile(r"^(advertisement|scroll down for video|scroll down to watch (the )?video|"
                r"share this article|share or comment on this article|click to enlarge)\s*\.?$", re.I), "boilerplate"),
    (re.compile(r"contributed to this (?:report|story)\.?$|^(?:cnn'?s|the associated press) .{0,80} reported\.?$",
                re.I), "credit"),
]
# Line rules apply only to lines this short: a whole article pasted as one line must
# not be dropped because its last sentence is a credit (inline rules handle that).
BOILERPLATE_MAX_WORDS = 30
# Daily Mail furniture inside running text (the dataset joins paragraphs with " . ").
_DM_PIECES = [
    (re.compile(r"^\s*By\s*\.\s*(?:[^.|]{1,60}?\s*\.\s*)(?:and\s+[^.|]{1,60}?\s*\.\s*)?"
                r"(?:(?:Daily Mail Reporter|Associated Press|Reuters|PA|Mailonline)\s*\.\s*)?"), "byline"),
    (re.compile(r"(?:PUBLISHED|UPDATED|Last updated)\s*:?\s*\.?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*"
                r"(?:[AaPp]\.?[Mm]\.?\s*)?(?:EST|GMT|BST|EDT|ET)?\s*(?:on\s+)?,?\s*\d{1,2}(?:st|nd|rd|th)?\s+"
                r"[A-Z][a-z]+\s+\d{4}\s*\.?\s*\|?\s*\.?\s*"), "timestamp"),
    (re.compile(r"\b(?:Scroll down for (?:the )?video|Scroll down to (?:watch|see) (?:the )?video)\s*\.?\s*", re.I), "boilerplate"),
    # a caption ends at the dataset's " . " paragraph join, at the end of the line, or
    # (issue 16: the later Daily Mail text of sumllm-train, no " . " joins) at a stop
    # followed by the next sentence's capital or quotation mark
    (re.compile(r"(?<![\w,])(?:Pictured|Above|Below|Left|Right|Top|Inset|File photo|Photo|Image)\s*(?:\([^)]*\))?:"
                r"\s[^.!?]{0,200}?(?:\s\.\s|$|[.!?](?:\s+(?=[A-Z\"'‘“])|\s*$))"), "caption"),
    (re.compile(r"(?<=[.!?\"\u201d\u2019] )[^.!?]{3,150}?contributed to this (?:report|story)\.?\s*$"), "credit"),
]
# Text each piece's pattern cannot match without (any of these, inside the line; the
# boilerplate one ignores case, so it is looked for in the lower-cased line if ASCII): the scans
# are skipped on lines without it, the same cuts at a fraction of the cost (issue 27b).
_DM_NEEDS = {"byline": None, "timestamp": ("PUBLISHED", "UPDATED", "Last updated"), "boilerplate": "scroll down",
             "caption": (":",), "credit": ("contributed to this ",)}
_TERMINAL = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u2019)\]\u300d\u300f]*$|[\"\u201d]$")
_INNER_STOP = re.compile(r"[.!?\u3002\uff01\uff1f][\"'\u201d\u2019)]?\s+[\"'\u201c\u2018(]?[A-Z]")
# A headline or subhead never ends on one of these: a line that does is prose cut
# by a line break (<br>, inline code dropped by the extractor), not a headline.
_CONTINUES = frozenset("a an the of to for and or but by with in on at from as is are was were that this "
                       "its their his her our your".split())


def _headline_shaped(line: str) -> bool:
    """Could ``line`` (no final stop) be a headline/subhead rather than broken prose?"""
    first = line[0]
    if first.islower():
        return False  # a continuation of the previous line
    if line[-1] in ",;:\u2013\u2014-(/":
        return False
    last = line.split()[-1].lower().strip("\"'\u201d\u2019")
    if last in _CONTINUES:
        return False
    return not _INNER_STOP.search(line)  # a full stop inside: two sentences of prose


@dataclass
class Cleaned:
    paragraphs: list[Paragraph] = field(default_factory=list)
    page_highlights: list[str] = field(default_factory=list)
    dateline: dict | None = None
    removed: list[Removed] = field(default_factory=list)
    # which model pair read a pasted page when a page router is configured (issue 31, session 12;
    # :mod:`newsgist.reading.pageroute`): "modern" or "default"; None without a router
    page_model: str | None = None


def _words(s: str) -> int:
    return len(s.split())


def _is_quoted_phrase(s: str) -> bool:
    return len(s) > 2 and s[0] in "\"'‘“" and s[-1] in "\"'’”"


def clean(text: str, headings: list[str] | None = None) -> Cleaned:
    """Split ``text`` into paragraph spans and removed furniture.

    ``headings`` is given for text extracted from HTML: the page's markup already
    told subheads (those lines become headings) from list items and short lines
    (kept as prose); the highlights box was taken from the markup too. The
    line-shape guesses (subhead vs related headline) then apply only to pasted text.
    """
    out = Cleaned()
    lines = list(stripped_lines(text))
    structured = headings is not None
    known_headings = {" ".join(h.split()) for h in headings or ()}
    # 1. the page's own highlights block
    for j in range(0 if structured else min(len(lines), PAGE_HIGHLIGHTS_SEARCH_LINES)):
        s, e, _ = lines[j]
        if _HL_HEADER.match(text[s:e]):
            out.removed.append(Removed(text[s:e], "page-highlights", s, e))
            k = j + 1
            while (k < len(lines) and len(out.page_highlights) < PAGE_HIGHLIGHTS_MAX_ITEMS
                   and not _DATELINE_LINE.match(text[lines[k][0]:lines[k][1]])
                   and _words(text[lines[k][0]:lines[k][1]]) <= PAGE_HIGHLIGHT_MAX_WORDS
                   and not (_TERMINAL.search(text[lines[k][0]:lines[k][1]]) and len(out.page_highlights) >= 3)):
                hs, he, _ = lines[k]
                out.page_highlights.append(text[hs:he])
                out.removed.append(Removed(text[hs:he], "page-highlights", hs, he))
                k += 1
            # lines before the header (a title, a menu) stay as they are
            lines = lines[:j] + lines[k:]
            break
    # 2. a dateline on its own line
    for j in range(min(len(lines), PAGE_HIGHLIGHTS_SEARCH_LINES)):
        s, e, _ = lines[j]
        m = _DATELINE_LINE.match(text[s:e])
        if m:
            out.dateline = _dateline(m, s, e, text)
            out.removed.append(Removed(text[s:e], "dateline", s, e))
            del lines[j]
            break
    # 3. a whole web page pasted (issue 31): the line model's furniture, with reasons
    furniture = None if structured else _page_furniture(text)
    page = furniture is not None and PAGE_KEEPS_HEADLINES
    out.page_model = getattr(furniture, "pair", None)
    furniture = furniture or {}
    # 4. classify body lines
    blocks: dict[int, list[int]] = {}
    for idx, (_, _, b) in enumerate(lines):
        blocks.setdefault(b, []).append(idx)
    video = set()
    for idx, (s, e, b) in enumerate(lines):
        if _VIDEO_STAMP.match(text[s:e]):
            video.update(k for k in blocks[b] if k <= idx)
    first_prose = True
    # W's joins (issue 31, session 14's S2): a line in one is a piece of a wrapped paragraph, not a headline
    soft = NONE if structured else soft_joins(text)
    for idx, (s, e, b) in enumerate(lines):
        line = text[s:e]
        if idx in video:
            out.removed.append(Removed(line, "video-embed", s, e))
            continue
        reason = next((r for rx, r in _BOILERPLATE if rx.search(line)), None) if _words(line) <= BOILERPLATE_MAX_WORDS else None
        if page and reason:   # in a pasted page the finer reasons: "Photo: ..." is an image credit
            reason = _word_reason(line) or reason
        reason = furniture.get(s) or reason
        if reason:
            out.removed.append(Removed(line, reason, s, e))
            continue
        n = _words(line)
        if structured:
            if " ".join(line.split()) in known_headings:
                out.paragraphs.append(Paragraph(s, e, "heading"))
            else:
                _add_prose(text, s, e, out)
            continue
        if s not in soft.lines and ((not _TERMINAL.search(line) and _headline_shaped(line)) or (
                line.endswith("?") and n <= HEADLINE_MAX_WORDS and ":" in line)):
            if page and n <= HEADLINE_MAX_WORDS:  # the model kept it: the headline or a subhead
                out.paragraphs.append(Paragraph(s, e, "heading"))
                continue
            if n <= HEADING_MAX_WORDS or (_is_quoted_phrase(line) and n <= HEADLINE_MAX_WORDS):
                if out.paragraphs or out.dateline:  # a title line before the story is not a subhead
                    out.paragraphs.append(Paragraph(s, e, "heading"))
                else:
                    out.removed.append(Removed(line, "title", s, e))
                continue
            if n <= HEADLINE_MAX_WORDS:
                out.removed.append(Removed(line, "related-link", s, e))
                continue
        if first_prose and out.dateline is None:
            m = _DATELINE_INLINE.match(line)
            if m and m.end() < len(line):
                out.dateline = _dateline(m, s, s + m.end(), text)
                out.removed.append(Removed(line[:m.end()], "dateline", s, s + m.end()))
                s += m.end()
        first_prose = False
        _add_prose(text, s, e, out)
    # 5. a hard-wrapped paragraph's lines, W-joined, are one paragraph (issue 31, session 14's S)
    out.paragraphs = join_soft_breaks(text, out.paragraphs, None if structured else soft)
    if (page and PAGE_TITLE_ONLY_IS_TEXT and len(out.paragraphs) >= PAGE_TITLE_ONLY_MIN_LINES
            and all(p.kind == "heading" for p in out.paragraphs)):
        out.paragraphs = [Paragraph(p.start, p.end, "paragraph") for p in out.paragraphs]
    return out


def _word_reason(line: str) -> str | None:
    from newsgist.reading.pagemodel import word_reason
    return word_reason(line)


class _Reasons(dict):
    """``{line start: reason}``; ``pair``: the router's pair that read the page (None: no router)."""
    pair: str | None = None


def _page_furniture(text: str) -> dict[int, str] | None:
    """``{line start: reason}`` of the furniture lines when ``text`` is a pasted web page
    (:mod:`newsgist.reading.pagemodel`); None for an article's own text. Its ``pair`` says which
    pair read the page when a page router is configured (:mod:`newsgist.reading.pageroute`)."""
    from newsgist.reading.pagelines import page_lines
    from newsgist.reading.pagemodel import page_furniture, reasons
    lines = page_lines(text)
    out = page_furniture(text, lines)
    if out is None:
        return None
    got = _Reasons((lines[i][0], r) for i, r in reasons(text, lines, out).items())
    got.pair = getattr(out, "pair", None)
    return got


def _dateline(m, s, e, text) -> dict:
    place = (m.group("place") or "").strip(" ,—–-") or None
    raw = text[s:e]  # the span is the stripped text, so input[start:end] == text (SCHEMA.md)
    s, e = s + len(raw) - len(raw.lstrip()), e - len(raw) + len(raw.rstrip())
    return {"place": place, "outlet": m.group("outlet"), "text": text[s:e], "start": s, "end": e}


def _add_prose(text: str, s: int, e: int, out: Cleaned) -> None:
    """Add a prose line as paragraph(s), cutting out inline Daily Mail furniture."""
    cuts = []
    for rx, reason in _DM_PIECES:
        need = _DM_NEEDS[reason]   # (issue 27b) no scan where a piece cannot match
        if need is not None:
            if reason == "boilerplate":   # (re.I folds some non-ASCII letters to ASCII: those lines are scanned)
                line = text[s:e]
                if line.isascii() and need not in line.lower():
                    continue
            elif not any(text.find(w, s, e) >= 0 for w in need):
                continue
        for m in rx.finditer(text, s, e):
            if m.end() > m.start() and (reason != "byline" or m.start() == s):
                cuts.append((m.start(), m.end(), reason))
    cuts.sort()
    pos = s
    for cs, ce, reason in cuts:
        if cs < pos:
            continue
        _add_piece(text, pos, cs, out)
        piece = text[cs:ce].strip()
        if piece:
            out.removed.append(Removed(piece, reason, cs, ce))
        pos = ce
    _add_piece(text, pos, e, out)


def _add_piece(text: str, s: int, e: int, out: Cleaned) -> None:
    while s < e and (text[s].isspace() or text[s] in ".|"):
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s and any(ch.isalnum() for ch in text[s:e]):
        out.paragraphs.append(Paragraph(s, e, "paragraph"))
