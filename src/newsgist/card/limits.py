"""Named caps on the card's analysis of pathological structures (issue 17).

The spaCy parse is linear in the text, but several readings of it look at a whole
sentence for each token or cue (the extent of "according to X", the commas a content
may be cut at, a token's ``.sent``). On prose that is cheap; on a "sentence" of 50,000
characters (a list pasted without stops, punctuation soup) it is quadratic. Tokens of
a sentence longer than :data:`SENTENCE_MAX_TOKENS` are therefore not read for quotes,
figures' context or speakers; the card says so in ``meta.limits_hit`` and the body
keeps all of the text.
"""
from __future__ import annotations

# The longest spaCy sentence in 150 validation-1000 articles (4,408 sentences) has 77
# tokens, the 99.9th percentile 72; 250 is three times the longest, so no news
# sentence is affected while a run-on "sentence" costs at most 250 tokens of work a cue.
SENTENCE_MAX_TOKENS = 250

# A bare number looks back through its sentence for a "number of X" phrase; in a run-on
# "sentence" of thousands of numbers that is quadratic, so it looks back at most this
# many characters: twice the longest sentence of validation-1000 + test-public-500 (993
# characters), so no news sentence is affected.
COUNT_PHRASE_MAX_CHARS = 2_000

_KEY = "newsgist_long_sentence"


def in_long_sentence(doc) -> list[bool]:
    """For every token of ``doc``: does its sentence have more than
    :data:`SENTENCE_MAX_TOKENS` tokens? Computed once a doc (linear) and cached."""
    cached = doc.user_data.get(_KEY)
    if cached is None:
        cached = [False] * len(doc)
        for sent in doc.sents:
            if sent.end - sent.start > SENTENCE_MAX_TOKENS:
                cached[sent.start:sent.end] = [True] * (sent.end - sent.start)
        doc.user_data[_KEY] = cached
    return cached


def long_sentences(doc) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences over the cap, in text order."""
    return [(s.start_char, s.end_char) for s in doc.sents if s.end - s.start > SENTENCE_MAX_TOKENS]
