"""The tok2vec networks' first layer computed once per distinct token (issue 28).

Both tok2vec networks of ``en_core_web_sm`` (the shared one that tagger and parser
listen to, and the NER's own) start with an embedding of each token taken from its
lexical attributes alone (NORM, PREFIX, SUFFIX, SHAPE and, in the shared one, SPACY
and IS_SPACE): hashed embedding tables, concatenated, a maxout layer and a layer norm
(a third of the shared network's multiply-adds). Only the window encoder after it
looks at the neighbours. A token's embedding therefore depends on its attribute ids
and nothing else, and "the", "said", "." recur throughout an article.

:func:`dedupe_embedding` wraps that first layer so that it runs on the distinct rows of
attribute ids of a batch, and only on those not met in an earlier call (a bounded memo),
and copies each result to every token that has them. Every
step works row by row (table lookups, one row of a matrix product, a per-row norm), so
the vectors are the network's own, bit for bit (``tests/test_card_fastner.py`` compares
the outputs of both networks with the plain layer's).
"""
from __future__ import annotations

import threading

import numpy

# Embeddings kept across calls, keyed by the row of attribute ids: at most this many per
# network (96 floats each: ~12 MB with the keys). A CNN article has ~350 distinct rows,
# most of them seen in earlier articles; the memo is emptied when full (bounded memory).
MEMO_ROWS = 30_000


def dedupe_embedding(tok2vec) -> bool:
    """Replace the embedding sub-layer of a spaCy ``Tok2Vec.v2`` model (``tok2vec``: the
    thinc chain ``embed >> encode``) by its distinct-rows form; False when the layout is
    not the expected one (then nothing changes)."""
    from thinc.api import Model
    if len(tok2vec.layers) != 2:
        return False
    embed = tok2vec.layers[0]
    names = [layer.name for layer in embed.layers]
    if names[:2] != ["extract_features", "list2ragged"] or names[-1] != "ragged2list" or len(names) != 5:
        return False
    features, tables, mix = embed.layers[0], embed.layers[2].layers[0], embed.layers[3].layers[0]
    memo: dict = {}
    lock = threading.Lock()

    def forward(model, docs, is_train):
        if is_train:  # training keeps the plain layer (gradients)
            return embed(docs, is_train)
        ids = features.predict(docs)                    # per doc: (tokens, attributes) uint64
        lengths = [len(a) for a in ids]
        if not sum(lengths):
            return embed(docs, is_train)
        every = numpy.ascontiguousarray(numpy.concatenate(ids))
        rows, inverse = numpy.unique(every, axis=0, return_inverse=True)
        if len(rows) > MEMO_ROWS:  # more distinct tokens than the memo holds: no memo
            return _split(mix.predict(tables.predict(numpy.ascontiguousarray(rows)))[inverse.reshape(-1)],
                          lengths), lambda d: []
        keys = [r.tobytes() for r in rows]
        with lock:  # one memo per network, shared by the threads of a process
            missing = [i for i, k in enumerate(keys) if k not in memo]
            if len(memo) + len(missing) > MEMO_ROWS:  # full: start again (bounded memory)
                memo.clear()
                missing = list(range(len(keys)))
            if missing:
                fresh = mix.predict(tables.predict(numpy.ascontiguousarray(rows[missing])))
                for i, v in zip(missing, fresh):
                    memo[keys[i]] = v
            found = numpy.stack([memo[k] for k in keys])
        return _split(found[inverse.reshape(-1)], lengths), lambda d: []

    wrapped = Model("dedup_" + embed.name, forward, layers=[embed], dims={"nO": embed.get_dim("nO")})
    tok2vec.layers[0] = wrapped
    return True


def _split(vectors, lengths: list[int]) -> list:
    """``vectors`` (all tokens of a batch) cut back into one array per doc."""
    out, start = [], 0
    for n in lengths:
        out.append(vectors[start:start + n])
        start += n
    return out
