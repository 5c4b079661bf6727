"""Furniture prose of a pasted page: an author's bio, a site speaking of itself (issue 31, session 7b).

A page's furniture is mostly short lines, but some of it reads like the article: the author's
bio under the story ("Dana Whitcombe is the Gazette's harbour reporter. Follow her on Twitter."),
the site's tagline or its words about itself ("I founded this blog to ...", "Welcome to our
site"). This module reads such lines by their words, with no site strings:

- :func:`bio_cues`: how many of five bio cues a line holds;
- :func:`site_voice`: how many of three cues of a site speaking of itself;
- :func:`byline_names`: the name words the page's bylines give ("By Dana Whitcombe"), so that a
  line opening with the author's name can be told (:func:`author_lead`);
- :func:`prose_furniture`: session 7b's candidate sure rule (``PROSE_RULE``, off): the kept lines
  that are a bio or a site's words about itself by those cues.

Session 7b's candidate T (the same cues as line columns for the page model,
``benchmarks/paste_candidates.py``) and candidate TR (the rule) both failed their registered
rules; see BENCHMARKS.md. Linear in the lines: a fixed set of regular expressions a line.
"""
from __future__ import annotations

import re

from newsgist.text import STOPWORDS

_NAME = r"[A-Z][\w.'’-]*"
_BIO_OPEN = re.compile(rf"^\s*((?:{_NAME}\s+){{0,2}}{_NAME}),?\s+(?:is|was|has|had|covers|covered|writes|wrote|"
                       r"joined|lives|lived|grew up|holds|studied|spent|worked|reports|teaches|taught)\b")
_OCCUPATION = re.compile(r"\b(?:editor|writer|reporter|journalist|author|columnist|correspondent|contributor|"
                         r"blogger|(?:co-)?founder|producer|freelancer?|critic|photographer|novelist|professor|"
                         r"lecturer|consultant)s?\b", re.I)
_REACH = re.compile(r"\bfollow (?:him|her|me|them|us)\b|\b(?:reach|contact|e-?mail) (?:him|her|me) at\b|"
                    r"\bfind (?:him|her|me) on\b|\bon twitter at\b", re.I)
_CAREER = re.compile(r"\b(?:is|was) the (?:co-)?author of\b|\bbefore joining\b|\bhas (?:written|contributed) "
                     r"(?:for|to)\b|\b(?:work|writing) has appeared\b|\bgraduated? (?:from|of)\b|\blives (?:in|with)\b|"
                     r"\bgrew up in\b|\bborn in\b|\bpreviously (?:worked|served|was)\b", re.I)
_FIRST_PERSON = re.compile(r"^\s*(?:I am|I['’]m) an?\b")
_SITE = [re.compile(r"\b(?:this|our|my) (?:blog|site|website|web site|section|magazine|newsletter|podcast|column|"
                    r"publication)\b", re.I),
         re.compile(r"\bwelcome to\b|\bwe (?:publish|post|cover|feature|bring you)\b|\b(?:subscribe|sign up) (?:to|for) "
                    r"(?:our|my)\b|\bour (?:readers|editors|writers|team|mission)\b", re.I),
         re.compile(r"\b(?:founded|launched|started) (?:this|my|our) (?:blog|site|website)\b|\bin this blog\b|"
                    r"\bdevoted to\b|\bdedicated to (?:bringing|providing|covering)\b", re.I)]
_BYLINE = re.compile(r"^\s*(?i:by|posted by|written by|author:?|words by|story by)\s+"
                     rf"({_NAME}(?:\s+{_NAME}){{0,3}})")
_WORD = re.compile(r"[\w'’-]+")
# A name word of a byline counts from this many letters (not "Jr", "Al").
NAME_MIN_LETTERS = 3
# The author's name must come within the line's first words ("Dana Whitcombe is ...").
AUTHOR_LEAD_WORDS = 3

# Session 7b's candidate TR, a sure rule after the page model's decision (BENCHMARKS.md, "Issue 31,
# session 7b"): a kept line is set aside as an author's bio when it holds at least
# BIO_RULE_CUES bio cues, or BIO_RULE_CUES_AUTHOR and opens with a name the page's byline gives;
# as a site's words about itself when it holds SITE_RULE_CUES kinds of site-voice cue. Constants
# set before any result of the rule (the cue counts of the lines read in the failure analysis).
# Off: it missed its registered bar (pipeline out of fold +0.0006, SE 0.0005, on the 1,100 Dragnet
# training pages; 10 pages up, 14 down: Dragnet's gold keeps the author's bio on some outlets' pages,
# e.g. news-service and op-ed contributors' bios, and drops it on others; BENCHMARKS.md).
PROSE_RULE = False
BIO_RULE_CUES = 3
BIO_RULE_CUES_AUTHOR = 2
SITE_RULE_CUES = 2


def bio_cues(line: str) -> int:
    """How many of the five bio cues ``line`` (whitespace-normalised) holds: a name (capitalised
    words, the first not a stop word) opening a bio verb, an occupation noun, a follow / reach
    cue, a career phrase, a first-person "I am a"."""
    m = _BIO_OPEN.match(line)
    opener = bool(m) and m.group(1).split()[0].lower() not in STOPWORDS
    return (int(opener) + int(bool(_OCCUPATION.search(line))) + int(bool(_REACH.search(line)))
            + int(bool(_CAREER.search(line))) + int(bool(_FIRST_PERSON.match(line))))


def site_voice(line: str) -> int:
    """How many of the three cue kinds of a site speaking of itself ``line`` holds."""
    return sum(bool(rx.search(line)) for rx in _SITE)


def byline_names(texts) -> tuple[set, list[bool]]:
    """The name words (lower-cased, at least NAME_MIN_LETTERS letters, not stop words) the
    byline-shaped lines of ``texts`` give, and per line whether it is one."""
    names, flags = set(), []
    for t in texts:
        m = _BYLINE.match(t)
        flags.append(bool(m))
        if m:
            names.update(w.lower() for w in m.group(1).split()
                         if len(w) >= NAME_MIN_LETTERS and w.lower() not in STOPWORDS)
    return names, flags


def author_lead(line: str, names) -> bool:
    """Is one of ``line``'s first AUTHOR_LEAD_WORDS words a byline name word?"""
    return bool(names) and any(w.lower() in names for w in _WORD.findall(line)[:AUTHOR_LEAD_WORDS])


def prose_furniture(text: str, lines, keep) -> tuple[set, set]:
    """Candidate TR: the kept lines (``keep``, one flag a line of ``lines``) that are an author's
    bio, and those that are a site's words about itself (see ``BIO_RULE_CUES``)."""
    texts = [" ".join(text[s:e].split()) for s, e, _ in lines]
    names, is_byline = byline_names(texts)
    bios, site = set(), set()
    for i, t in enumerate(texts):
        if not keep[i] or is_byline[i]:
            continue
        cues = bio_cues(t)
        if cues >= BIO_RULE_CUES or (cues >= BIO_RULE_CUES_AUTHOR and author_lead(t, names)):
            bios.add(i)
        elif site_voice(t) >= SITE_RULE_CUES:
            site.add(i)
    return bios, site
