"""The registries: every stage and every highlight scorer, by name, in one place.

Core module: imports nothing from the stages. A stage or scorer module registers
itself at import time with a decorator::

    from newsgist.registry import STAGES, SCORERS

    @STAGES.register("check", order=70, description="score each highlight against the source")
    def stage_check(article, options): ...

    @SCORERS.register("lead", "the first sentences of the cleaned body")
    def score_lead(article) -> list[float]: ...

and :mod:`newsgist.plugins` imports the built-in modules (one line each). The
pipeline (:mod:`newsgist.pipeline`), the CLI (``--method``, ``newsgist methods``)
and the service (``/version``) all read these tables, so a new stage or scorer is
one file and one line.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Callable, Iterator


@dataclass(frozen=True)
class Scorer:
    """A highlight scorer: ``fn(article) -> list[float]``, one score per sentence."""
    name: str
    fn: Callable
    description: str


@dataclass(frozen=True)
class Stage:
    """A pipeline stage: ``fn(article, options) -> article``.

    ``order`` places it in the run (clean 10, segment 20, analyse 30, score 40,
    select 50, compress 60); ``card_only`` stages are skipped by highlights-only runs.
    Indexable like the ``(name, fn)`` pairs the runner also accepts.
    """
    name: str
    fn: Callable
    order: int
    card_only: bool = False
    description: str = ""

    def __getitem__(self, i):
        return (self.name, self.fn)[i]

    def __iter__(self):
        return iter((self.name, self.fn))


class Registry(Mapping):
    """A name -> entry table (read-only as a mapping; entries are added by ``register``)."""

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, object] = {}

    def add(self, name: str, entry) -> None:
        old = self._entries.get(name)
        if old is not None and _origin(old.fn) != _origin(entry.fn):  # a reload replaces its own entry
            raise ValueError(f"{self.kind} {name!r} is registered twice ({_origin(old.fn)}, {_origin(entry.fn)})")
        self._entries[name] = entry

    def __getitem__(self, name: str):
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class ScorerRegistry(Registry):
    def register(self, name: str, description: str):
        def deco(fn):
            self.add(name, Scorer(name, fn, description))
            return fn
        return deco


class StageRegistry(Registry):
    def register(self, name: str, *, order: int, card_only: bool = False, description: str = ""):
        def deco(fn):
            self.add(name, Stage(name, fn, order, card_only, description))
            return fn
        return deco

    def ordered(self, *, highlights_only: bool = False) -> list[Stage]:
        """The registered stages in run order; without the card-only ones for highlights."""
        return sorted((s for s in self._entries.values() if not (highlights_only and s.card_only)),
                      key=lambda s: s.order)


def _origin(fn) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', '?')}"


SCORERS = ScorerRegistry("scorer")
STAGES = StageRegistry("stage")


def method_names() -> list[str]:
    """The values ``--method`` accepts: "default" and every registered scorer."""
    return ["default", *SCORERS]
