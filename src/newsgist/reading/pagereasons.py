"""The reason a furniture line's own words give (issue 31): cookie notice, newsletter prompt,
footer, share link, image credit, byline. Read by :func:`newsgist.reading.pagemodel.reasons`
and by the cleaner's line rules; moved out of ``pagemodel`` in session 7 (its size), unchanged.
"""
from __future__ import annotations

import re

from newsgist.reading.linecheck import ascii_lower, followed_on_line, may_hold

_COOKIE = re.compile(r"\bcookies?\b|\bprivacy\b.*\b(?:policy|notice|settings)\b|\bconsent\b", re.I)
# its parts, searched in one pass (linecheck.followed_on_line; "privacy" x 8,000 on a line took
# the joined pattern 11.8 s): the same answers (session 7d)
_COOKIE_WORDS, _PRIVACY, _PRIVACY_WHAT = (re.compile(p, re.I) for p in (
    r"\bcookies?\b|\bconsent\b", r"\bprivacy\b", r"\b(?:policy|notice|settings)\b"))
_REASONS = [
    (_COOKIE, "cookie-notice"),
    (re.compile(r"\bnewsletters?\b|\bsubscribe\b|\bsign[ -]up\b|\bin your inbox\b", re.I), "newsletter-prompt"),
    (re.compile(r"©|\bcopyright\b|all rights reserved|\bterms (?:of|and) (?:use|service|conditions)\b|"
                r"\bprivacy policy\b", re.I), "footer"),
    (re.compile(r"^\s*(?:share|tweet|e-?mail|print|pin|like|follow)\b|\b(?:facebook|twitter|linkedin|pinterest|"
                r"reddit|whatsapp|google\+|tumblr|digg)\b", re.I), "share-link"),
    (re.compile(r"^\s*(?:photo|image|picture|credit|source|caption)s?\s*:|\b(?:getty images|ap photo|shutterstock|"
                r"photograph(?:ed)? by|photo by|image by)\b", re.I), "image-credit"),
    (re.compile(r"^\s*(?:by|posted by|written by)\s+\S", re.I), "byline"),
]
# What every match of each reason's pattern holds (lower case): on an ASCII line without one the
# pattern is not run (linecheck.may_hold; the same reasons, session 7d).
_REASON_NEEDS = {
    "cookie-notice": ("cookie", "privacy", "consent"),
    "newsletter-prompt": ("newsletter", "subscribe", "sign", "in your inbox"),
    "footer": ("copyright", "all rights reserved", "terms ", "privacy policy"),
    "share-link": ("share", "tweet", "mail", "print", "pin", "like", "follow", "facebook", "twitter", "linkedin",
                   "reddit", "whatsapp", "google+", "tumblr", "digg"),   # "pinterest" holds "pin"
    "image-credit": ("photo", "image", "picture", "credit", "source", "caption", "shutterstock"),
    "byline": ("by",),
}

def word_reason(line: str) -> str | None:
    """The reason ``line``'s own words give (cookie notice, newsletter prompt, footer, share
    link, image credit, byline), or None."""
    low = ascii_lower(line)
    for rx, r in _REASONS:
        if not may_hold(low, _REASON_NEEDS[r]):
            continue
        if rx is _COOKIE:
            hit = bool(_COOKIE_WORDS.search(line)) or followed_on_line(_PRIVACY, _PRIVACY_WHAT, line)
        else:
            hit = rx.search(line)
        if hit:
            return r
    return None
