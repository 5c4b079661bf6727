"""One mention of a name in an article, and the key that merges its spellings.

:class:`_Mention` is the record the entity rules pass around: a cleaned char span, its
spaCy label, the surface form, the merge key and the token span of the name (with any
title words spaCy put inside it). :func:`norm_key` is that merge key: case, hyphens,
dots, possessive "'s", a leading "the" and a few fixed aliases ("U.S." = "United
States") do not matter.

Shared by :mod:`newsgist.card.gather` (which makes mentions),
:mod:`newsgist.card.titles` (which reads a person's title around one) and
:mod:`newsgist.card.entities` (which merges them); it imports none of them.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

# Different spellings of the same place/organisation, after key normalisation.
ALIASES = {
    "us": "united states", "usa": "united states", "united states of america": "united states",
    "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "un": "united nations", "isil": "isis",
}

_DASHES = "‐‑–—-"  # hyphen last so it is literal inside [...]


@functools.lru_cache(maxsize=4096)
def norm_key(s: str) -> str:
    """Normalised merge key: lowercase, no dots/hyphens/possessive/leading 'the', aliased."""
    s = unicodedata.normalize("NFKC", s or "").replace("’", "'").replace("‘", "'").lower().strip()
    s = re.sub(r"'s?$", "", s)
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(f"[{_DASHES}]", " ", s).replace(".", "")
    s = re.sub(r"[^\w&' ]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return ALIASES.get(s, s)


@dataclass
class _Mention:
    start: int          # char span of the cleaned surface form
    end: int
    label: str          # PERSON / ORG / PLACE / NORP
    surface: str
    key: str
    tok: int = -1       # first token of the name (after any stripped title)
    tok_end: int = -1   # token after the name
    display: Optional[str] = None  # preferred canonical form ("Haqqani network")
    title_words: list = field(default_factory=list)  # titles stripped from inside the span
