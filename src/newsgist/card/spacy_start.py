"""Import spaCy for the card without its command line (issue 28: ``newsgist card`` start-up).

``import spacy`` runs ``from .cli.info import info`` so that ``spacy.info`` exists, and
``spacy/cli/__init__.py`` imports every spaCy command with its dependencies (typer,
weasel, requests, httpx, jinja2): ~0.2 s of a 1.7 s one-card CLI run, for a function the
card never calls. :func:`import_spacy` imports spaCy with two placeholder modules standing
in for ``spacy.cli`` and ``spacy.cli.info`` while its ``__init__`` runs, then removes them,
so a later ``import spacy.cli`` (or ``spacy.info()``, which imports it on first call) gets
the real package. If the placeholders do not satisfy spaCy's ``__init__`` (another
version that imports more of ``spacy.cli``), spaCy is imported the ordinary way.

It also gives catalogue (spaCy's registries) its entry points indexed by group: each
registry lookup otherwise flattens and filters every installed package's entry points
(~900 here, ~120 lookups while the model loads: ~40 ms). The index answers ``select(group=...)``
with the same entry points in the same order and passes any other query to the original.

Modules of the card import this module before their first ``from spacy ... import``.
"""
from __future__ import annotations

import sys
import threading
import types

_LOCK = threading.Lock()
_PLACEHOLDERS = ("spacy.cli", "spacy.cli.info")


def _info(*args, **kwargs):
    """``spacy.info``: the real one, imported on first call."""
    from spacy.cli.info import info
    return info(*args, **kwargs)


def import_spacy():
    """Return the ``spacy`` module, imported without ``spacy.cli`` where it can be."""
    module = sys.modules.get("spacy")
    if module is not None:
        return module
    with _LOCK:
        if "spacy" in sys.modules:
            return sys.modules["spacy"]
        cli = types.ModuleType("spacy.cli")
        info = types.ModuleType("spacy.cli.info")
        info.info = _info
        stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
        if any(name in sys.modules for name in _PLACEHOLDERS):  # already real: nothing to save
            stand_ins = {}
        sys.modules.update(stand_ins)
        try:
            import spacy
        except ImportError:
            spacy = None  # the placeholders fell short: the ordinary import below
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
        if spacy is None:
            import spacy
        elif getattr(spacy, "cli", None) is cli:
            del spacy.cli
        _index_entry_points()
        return spacy


class _EntryPointsByGroup:
    """``importlib.metadata`` entry points with ``select(group=...)`` answered from an index."""

    def __init__(self, original):
        from importlib.metadata import EntryPoints
        self._original = original
        self._empty = EntryPoints(())
        # dict's own items(): SelectableGroups' dict interface warns that it is deprecated
        self._groups = dict(dict.items(original))

    def select(self, **params):
        if set(params) == {"group"}:
            return self._groups.get(params["group"], self._empty)
        return self._original.select(**params)

    def __getattr__(self, name):  # everything else as the original object does it
        return getattr(self._original, name)


def _index_entry_points() -> None:
    try:
        import catalogue
    except ImportError:
        return
    available = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    # Python 3.10-3.11 return SelectableGroups (a dict of group -> EntryPoints with .select);
    # anything else (3.12's EntryPoints, a back-port) is left as it is
    if isinstance(available, dict) and hasattr(available, "select"):
        catalogue.AVAILABLE_ENTRY_POINTS = _EntryPointsByGroup(available)
