"""Verb lemmas without spaCy's lemmatizer (the shared pipeline loads without it, for speed).

:func:`verb_lemma` maps the inflected forms of the verbs that :mod:`newsgist.card.claims` and
:mod:`newsgist.card.groups` look for to their lemma ("said" -> "say", "found" -> "find",
"has" -> "have"), and strips a regular ending from any other verb ("killed" -> "kill"),
so that two forms of one verb compare equal.
"""
from __future__ import annotations

import functools
import re

from newsgist.card.quotes.lexicon import _forms

IRREGULAR = {
    "be": "is are was were been being be am 's 're 'm ’s ’re ’m",
    "have": "has had having have 've ’ve",
    "do": "does did done doing",
    "find": "found finding finds",
    "hold": "held",
    "stand": "stood",
    "grow": "grew grown",
    "rise": "rose risen rising",
    "fall": "fell fallen",
    "keep": "kept",
    "show": "shown",
    "put": "puts putting",
    "say": "said says saying",
    "tell": "told",
    "write": "wrote written",
    "think": "thought",
    "get": "got gotten getting",
    "leave": "left",
    "lose": "lost",
    "give": "gave given",
    "take": "took taken",
    "make": "made",
    "run": "ran running",
    "win": "won winning",
    "meet": "met",
    "spend": "spent",
    "pay": "paid",
    "buy": "bought",
    "bring": "brought",
    "send": "sent",
    "build": "built",
    "sell": "sold",
    "seek": "sought",
    "speak": "spoke spoken speaking speaks",
    "swap": "swapped swapping",
}
_FORM_TO_LEMMA: dict[str, str] = {}


def register(lemmas) -> None:
    """Make the regular forms of ``lemmas`` known to :func:`verb_lemma`."""
    for lemma in lemmas:
        for form in _forms(lemma):
            _FORM_TO_LEMMA.setdefault(form, lemma)


for _lemma, _irregular in IRREGULAR.items():
    for _form in _irregular.split():
        _FORM_TO_LEMMA[_form] = _lemma
    _FORM_TO_LEMMA[_lemma] = _lemma

_REGULAR = re.compile(r"(?:ied|ies|ed|ing|es|s)$")


def verb_lemma(tok) -> str:
    """The lemma of a verb token (a known form, else the word without a regular ending)."""
    return word_lemma(tok.lower_)


@functools.lru_cache(maxsize=4096)
def word_lemma(w: str) -> str:
    """The lemma of a lowercase verb form (see :func:`verb_lemma`)."""
    hit = _FORM_TO_LEMMA.get(w)
    if hit:
        return hit
    if len(w) > 4:
        return _REGULAR.sub("", w)
    return w
