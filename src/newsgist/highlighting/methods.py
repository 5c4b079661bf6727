"""Which scorer a method name means: "default" is the best one measured.

Kept apart from :mod:`newsgist.highlighting.scorers` so that the plain scorers do
not import the learned ranker that builds on them.
"""
from __future__ import annotations

from newsgist.highlighting.ranker import available_model
from newsgist.options import DEFAULT_METHOD, english_applies
from newsgist.registry import SCORERS, Scorer, method_names  # noqa: F401  (method_names: part of this API)


def default_method() -> str:
    """The method used when none is named: the best one measured (BENCHMARKS.md):
    the learned ranker when its model loads, else "position" (with a warning, once)."""
    return "learned" if available_model() is not None else "position"


# Scorers built on English features (cue words, English function words): on text in
# another language (``meta["language"]``, reading/language.py) this one stands in.
ENGLISH_ONLY_SCORERS = frozenset({"learned"})
OTHER_LANGUAGE_METHOD = "position"


def resolve(name: str, meta: dict | None = None) -> Scorer:
    """The scorer ``--method NAME`` means ("default": :func:`default_method`) for an
    article with this ``meta``: "position" where an English-only one would read
    another language."""
    if meta is not None and not english_applies(meta) and (name == DEFAULT_METHOD or name in ENGLISH_ONLY_SCORERS):
        return SCORERS[OTHER_LANGUAGE_METHOD]
    if name == DEFAULT_METHOD:
        name = default_method()
    return SCORERS[name]
