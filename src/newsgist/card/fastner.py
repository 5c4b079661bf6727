"""spaCy's entity recogniser with its greedy decoding done in numpy (issue 28).

``en_core_web_sm``'s ``ner`` is a transition-based tagger: a tok2vec network gives
every token a vector, a "lower" layer precomputes each token's contribution to a
64-unit maxout hidden layer for each of three state features, and for every token
in turn the state's features (the next token B0; the first token of the open entity;
the token before B0 while an entity is open) are summed, max-pooled and scored by
an "upper" layer over 74 moves (B/I/L/U of 18 labels, ``U-`` and ``O``); the best
valid move is taken. spaCy runs that loop in compiled code, yet it costs ~40 of the
card's ~100 ms per CNN article on one core: every validity test of every move reads
the state through an accessor that takes and drops the GIL (``perf``: half of the
loop's time is ``take_gil``/``drop_gil``), 74 moves x several reads per token.

:class:`FastNER` gives the same entities with the same network and the same arithmetic:

* tok2vec and the lower layer are the loaded component's own layers, called as spaCy
  calls them;
* while no entity is open, a state's features are (B0, none, none): its scores
  depend on B0 alone, so they are computed for all tokens in one matrix product,
  and its move (the best valid one, as spaCy chooses it) with them;
* an open state's features are (B0, the entity's start, B0 - 1): the steps of an entity
  depend on where it starts and its label alone, so every B move of a closed state is
  followed to its L, all of them together, one token a step (entities are short);
* the decoder then walks the tokens from one closed state's non-``O`` move to the next,
  skipping the moves that fall inside an entity.

Why this is spaCy's result and not an approximation: the validity rules are spaCy's
(``spacy/pipeline/_parser_internals/ner.pyx``) for a doc without preset entities
(:meth:`FastNER.__call__` hands any doc with preset entity marks to spaCy's own
component); the sums are taken in spaCy's order (feature 0, 1, 2, then the bias), the
maxout keeps the larger piece, the upper layer is the same BLIS ``sgemm`` spaCy calls
(one row of a matrix product is computed the same whether the product has one row or
many), unseen classes (none in the shipped model) get the row's minimum, and ties go
to the first move, as in ``arg_max_if_valid``. ``tests/test_card_fastner.py`` and
``benchmarks/bench_fastner.py`` compare the entities with spaCy's own component.
"""
from __future__ import annotations

import numpy

# spaCy's BILUO move codes (ner.pyx: MISSING, BEGIN, IN, LAST, UNIT, OUT).
_BEGIN, _IN, _LAST, _UNIT, _OUT = 1, 2, 3, 4, 5
_MOVE_CODE = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}


def read_moves(ner) -> tuple | None:
    """(move codes, label ids) of the component's moves in class order, or None when a
    move is not one of B/I/L/U/O (then this decoder does not apply)."""
    codes, labels = [], []
    strings = ner.vocab.strings
    for i in range(ner.moves.n_moves):
        name = ner.moves.get_class_name(i)
        move, _, label = name.partition("-")
        if move not in _MOVE_CODE or (move == "O") != (name == "O"):
            return None
        codes.append(_MOVE_CODE[move])
        labels.append(strings.add(label) if label else 0)
    return numpy.array(codes), numpy.array(labels, dtype=numpy.uint64)


class FastNER:
    """A pipeline component that replaces ``ner`` (see the module docstring): ``ner`` is
    the loaded ``EntityRecognizer``, whose layers and moves it uses."""

    def __init__(self, ner, moves):
        self.ner = ner
        model = ner.model
        self.tok2vec, self.lower, self.upper = model.layers[0], model.layers[1], model.layers[2]
        self.ops = model.ops
        self.nF = self.lower.get_dim("nF")
        self.nO = self.lower.get_dim("nO")
        self.nP = self.lower.get_dim("nP")
        self.bias = self.lower.get_param("b").reshape(-1)
        self.W = self.upper.get_param("W")
        self.b = self.upper.get_param("b")
        self.unseen = numpy.array(sorted(model.attrs.get("unseen_classes") or ()), dtype=int)
        codes, labels = moves
        self.codes, self.labels = codes, labels
        names = sorted({int(x) for x in labels if x})
        self._label_index = {lab: k for k, lab in enumerate(names)}
        self._label_of = numpy.array(names, dtype=numpy.uint64)
        # validity of every move for the state kinds that occur (spaCy's is_valid without
        # preset entities): closed states by (next token starts a sentence or the doc
        # ends, B0 is whitespace); open states by (the open label, next starts/ends).
        has_label = labels != 0
        closed = numpy.zeros((4, len(codes)), dtype=bool)
        for endish in (0, 1):
            for space in (0, 1):
                closed[endish * 2 + space] = ((codes == _OUT)
                                              | ((codes == _BEGIN) & has_label & (not endish) & (not space))
                                              | ((codes == _UNIT) & has_label & (not space)))
        opened = numpy.zeros((len(names), 2, len(codes)), dtype=bool)
        for k, lab in enumerate(names):
            same = labels == lab
            for endish in (0, 1):
                opened[k, endish] = ((codes == _LAST) & same) | ((codes == _IN) & same & (not endish))
        self._closed_penalty = numpy.where(closed, 0.0, -numpy.inf).astype("f")
        self._open_penalty = numpy.where(opened, 0.0, -numpy.inf).astype("f")
        self._move_label = numpy.array([self._label_index.get(int(x), -1) for x in labels])

    # -- spaCy's component interface -------------------------------------------------
    def __call__(self, doc):
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 128):
        from spacy.util import minibatch
        for batch in minibatch(docs, size=batch_size):
            batch = list(batch)
            self._annotate(batch)
            yield from batch

    # -- the decoder ---------------------------------------------------------------------
    def _annotate(self, docs) -> None:
        from spacy.attrs import ENT_IOB
        todo = [d for d in docs if len(d)]
        if not todo:
            return
        if any(d.to_array([ENT_IOB]).any() for d in todo):  # preset entity marks: spaCy's own rules
            for d in todo:
                self.ner(d)
            return
        tokvecs = self.tok2vec.predict(todo)          # as ParserStepModel computes them
        cached = self.lower.predict(tokvecs)          # (tokens + 1, nF, nO, nP); row 0 is padding
        cached = cached.reshape(cached.shape[0], self.nF, self.nO * self.nP)
        offset = 0
        for doc in todo:
            n = len(doc)
            rows = cached[offset + 1: offset + 1 + n]
            self._set_ents(doc, self._decode(doc, rows, cached[0]))
            offset += n

    def _scores(self, unmaxed) -> numpy.ndarray:
        """Upper-layer scores of states whose feature sums (without bias) are ``unmaxed``."""
        unmaxed += self.bias
        pieces = unmaxed.reshape(unmaxed.shape[0], self.nO, self.nP)
        hidden = pieces[:, :, 0]  # the larger piece (numpy's max over a 2-wide axis is ~5x slower)
        for p in range(1, self.nP):
            hidden = numpy.maximum(hidden, pieces[:, :, p])
        scores = self.ops.gemm(numpy.ascontiguousarray(hidden), self.W, trans2=True)
        scores += self.b
        if len(self.unseen):
            scores[:, self.unseen] = scores.min(axis=1, keepdims=True)
        return scores

    def _decode(self, doc, rows, pad) -> list[tuple[int, int, int]]:
        """The greedy BILUO decoding of one doc: [(start, end, label id)]."""
        from spacy.attrs import IS_SPACE, SENT_START
        n = len(doc)
        arr = doc.to_array([SENT_START, IS_SPACE])
        endish = numpy.ones(n, dtype=bool)               # B(1) starts a sentence, or B0 is the last token
        endish[:-1] = arr[1:, 0] == 1
        space = arr[:, 1].astype(bool)
        # closed states: features (B0, -, -), summed in spaCy's order
        closed = rows[:, 0] + pad[1]
        closed += pad[2]
        penalty = self._closed_penalty[endish.astype(int) * 2 + space]
        moves = (self._scores(closed) + penalty).argmax(axis=1)
        codes = self.codes[moves]
        starts = numpy.flatnonzero(codes != _OUT)
        if not len(starts):
            return []
        ends = starts + 1
        opened = codes[starts] == _BEGIN
        if opened.any():
            ends[opened] = self._close(starts[opened], self._move_label[moves[starts[opened]]], rows, endish)
        labels = self.labels[moves[starts]]
        ents, pos = [], 0
        for q, e, lab in zip(starts.tolist(), ends.tolist(), labels.tolist()):
            if q >= pos:  # a closed state's move (else q lies inside the entity before)
                ents.append((q, e, lab))
                pos = e
        return ents

    def _close(self, starts, labs, rows, endish) -> numpy.ndarray:
        """The ends of the entities that BEGIN opens at ``starts`` with labels ``labs`` (index
        into the label list): spaCy's open-state steps, for every candidate start at once
        (each entity's steps depend on its start and label only)."""
        ends = numpy.zeros(len(starts), dtype=int)
        todo = numpy.arange(len(starts))
        b = starts + 1
        while len(todo):
            s, bb = starts[todo], b[todo]
            unmaxed = rows[bb, 0] + rows[s, 1]           # features (B0, E0, B0 - 1)
            unmaxed += rows[bb - 1, 2]
            scores = self._scores(unmaxed) + self._open_penalty[labs[todo], endish[bb].astype(int)]
            last = self.codes[scores.argmax(axis=1)] == _LAST
            ends[todo[last]] = bb[last] + 1
            todo = todo[~last]
            b[todo] += 1
        return ends

    def _set_ents(self, doc, ents) -> None:
        """spaCy's ``BiluoPushDown.set_annotations`` for a doc without preset marks."""
        from spacy.tokens import Span
        doc.set_ents([Span(doc, s, e, label=lab) for s, e, lab in ents], default="outside")
