"""Which scorer a method name means: "default" is the best one measured.

Kept apart from :mod:`newsgist.highlighting.scorers` so that the plain scorers do
not import the learned ranker that builds on them.
"""
from __future__ import annotations

from newsgist.highlighting.ranker import available_model
from newsgist.options import DEFAULT_METHOD
from newsgist.registry import SCORERS, Scorer, method_names  # noqa: F401  (method_names: part of this API)


def default_method() -> str:
    """The method used when none is named: the best one measured (BENCHMARKS.md):
    the learned ranker when its model loads, else "position" (with a warning, once)."""
    return "learned" if available_model() is not None else "position"


def resolve(name: str) -> Scorer:
    """The scorer ``--method NAME`` means ("default": :func:`default_method`)."""
    if name == DEFAULT_METHOD:
        name = default_method()
    return SCORERS[name]
