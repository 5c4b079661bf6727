"""Tests of indirect quotes: newsgist.card.quotes.indirect (candidates, rule) and newsgist.card.quotes.model."""
from __future__ import annotations

import pytest

from newsgist.card.nlp import load_nlp
from newsgist.card.quotes.candidates import candidates
from newsgist.card.quotes.direct import marked_quotes
from newsgist.card.quotes.indirect import features, indirect_quotes
from newsgist.card.quotes.model import QuoteModel, Trees, load_model
from newsgist.card.quotes.extract import extract_quotes


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def indirect(nlp, text):
    return [q for q in extract_quotes(text, nlp(text), [], []) if q.kind == "indirect"]


def one(nlp, text):
    found = indirect(nlp, text)
    assert len(found) == 1, [(q.text, q.cue) for q in found]
    q = found[0]
    assert text[q.start:q.end] == q.text
    if q.speaker_start >= 0:
        assert text[q.speaker_start:q.speaker_end] == q.speaker_mention
    return q


def test_model_is_shipped_and_matches_the_features(nlp):
    model = load_model()
    assert model is not None, "src/newsgist/models/quotes-indirect.json is missing"
    text = "Mayor Ann Lee said that the bridge would reopen in May."
    doc = nlp(text)
    quotes, sp = marked_quotes(text, doc, [], [])
    cands = candidates(doc, sp)
    assert cands
    row = features(cands[0], doc, sp, ([], []), model.lexicon)
    assert set(model.feature_names) <= set(row), set(model.feature_names) - set(row)


# --- the patterns ----------------------------------------------------------------------
def test_said_that(nlp):
    q = one(nlp, "Mayor Ann Lee said that the bridge would reopen in May.")
    assert (q.text, q.kind, q.cue) == ("that the bridge would reopen in May", "indirect", "said")
    assert (q.speaker, q.speaker_mention, q.speaker_title) == ("Ann Lee", "Ann Lee", "Mayor")


def test_said_without_that(nlp):
    q = one(nlp, "Mayor Ann Lee said the plan would fail.")
    assert (q.text, q.speaker, q.cue) == ("the plan would fail", "Ann Lee", "said")


@pytest.mark.parametrize("text, content", [
    ("According to the health ministry, 40 people were hurt in the blast.", "40 people were hurt in the blast"),
    ("Forty people were hurt in the blast, according to the health ministry.", "Forty people were hurt in the blast"),
])
def test_according_to(nlp, text, content):
    q = one(nlp, text)
    assert (q.text, q.cue) == (content, "according to")
    assert q.speaker_mention == "health ministry"


@pytest.mark.parametrize("that", ["", "that "])
def test_told_reporters(nlp, that):
    q = one(nlp, f"Police chief Tom Reed told reporters {that}the suspect had fled the city.")
    assert (q.text, q.speaker, q.cue) == (f"{that}the suspect had fled the city", "Tom Reed", "told")


@pytest.mark.parametrize("text, cue, content", [
    ("Senator Jane Holt warned that the bill would raise taxes for families.", "warned",
     "that the bill would raise taxes for families"),
    ("Senator Jane Holt believes the bill will fail in the House.", "believes", "the bill will fail in the House"),
    ("Economist Mark Dunn argues that rates will stay low for years.", "argues", "that rates will stay low for years"),
    ("Residents claimed the water was unsafe to drink.", "claimed", "the water was unsafe to drink"),
])
def test_other_cues(nlp, text, cue, content):
    q = one(nlp, text)
    assert (q.cue, q.text) == (cue, content)


def test_pronoun_speaker_is_resolved(nlp):
    text = "Coach Mark Hill said the team was tired. Later, he said the players would rest on Sunday."
    first, second = indirect(nlp, text)
    assert (first.text, first.speaker) == ("the team was tired", "Mark Hill")
    assert (second.text, second.speaker, second.speaker_mention) == ("the players would rest on Sunday", "Mark Hill", "he")


def test_attribution_inside_the_clause(nlp):
    text = "The plan, Mayor Ann Lee said, will cost $5 million."
    q = indirect(nlp, text)[0]
    assert q.text == "The plan will cost $5 million"  # the pieces, without "Mayor Ann Lee said"
    assert (q.start, q.end) == (0, text.index("."))
    assert q.speaker == "Ann Lee"


# --- negatives and the other kinds ---------------------------------------------------------
@pytest.mark.parametrize("text", [
    "She said nothing.",
    "The committee said so.",
    "He said goodbye and left the room.",
    "The river rose after the storm.",
])
def test_no_clausal_complement_no_quote(nlp, text):
    assert indirect(nlp, text) == []


def test_direct_quote_is_not_repeated_as_indirect(nlp):
    text = "Mayor Ann Lee visited the site.\n\n“We will rebuild the bridge by spring,” Lee said."
    quotes = extract_quotes(text, nlp(text), [], [])
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", "Ann Lee")]


def test_cue_inside_a_quote_is_not_an_attribution(nlp):
    text = "Officials met.\n\n“He said the plan would fail, and it did,” Ann Lee said."
    assert indirect(nlp, text) == []


def test_mixed_quote_keeps_the_partial_quote(nlp):
    text = "Senator Jane Holt said that the bill was “a disaster for families.” The vote is on Friday."
    quotes = extract_quotes(text, nlp(text), [], [])
    kinds = {q.kind: q for q in quotes}
    assert set(kinds) == {"indirect", "partial"}
    assert kinds["partial"].text == "a disaster for families."
    assert kinds["indirect"].text == "that the bill was “a disaster for families.”"  # up to the closing mark
    assert kinds["indirect"].speaker == kinds["partial"].speaker == "Jane Holt"


def test_indirect_can_be_turned_off(nlp):
    text = "Mayor Ann Lee said the plan would fail."
    assert extract_quotes(text, nlp(text), [], [], indirect=False) == []


# --- without a model -------------------------------------------------------------------------
def test_rule_without_model(nlp):
    text = "Mayor Ann Lee said that the bridge would reopen. Lee called the vote a mistake."
    doc = nlp(text)
    quotes, sp = marked_quotes(text, doc, [], [])
    found = indirect_quotes(doc, sp, quotes, model=None)
    assert [(q.text, q.cue, q.speaker) for q in found] == [("that the bridge would reopen", "said", "Ann Lee")]


def test_missing_model_file_is_not_fatal(tmp_path):
    assert load_model(str(tmp_path / "none.json")) is None
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    assert load_model(str(bad)) is None


def test_trees_round_trip():
    # one stump: x0 <= 0.5 -> -1.0, else 2.0; plus a constant tree 0.25
    trees = Trees(feature=[0, -1, -1, -1], threshold=[0.5, 0, 0, 0], left=[1, -1, -1, -1],
                  right=[2, -1, -1, -1], value=[0, -1.0, 2.0, 0.25], roots=[0, 3])
    model = QuoteModel(trees, ["a"], {"form:said": (3, 4)}, 0.0, {"note": "test"})
    again = QuoteModel.from_dict(model.to_dict())
    assert again.score([{"a": 0.0}, {"a": 1.0}, {}]) == [-0.75, 2.25, -0.75]
    assert again.lexicon == {"form:said": (3, 4)} and again.threshold == 0.0


def test_passive_expected_to_is_a_forecast_not_reported_speech(nlp):
    assert indirect(nlp, "About 65,000 vehicles cross the bridge every day. The closure is expected to add "
                         "as much as 30 minutes to many journeys.") == []


def test_passive_said_to_is_reported_but_not_by_its_subject(nlp):
    q = one(nlp, "Omar Haddad is said to have fled across the border before dawn, and the police are "
                 "still looking for him.")
    assert q.cue == "said" and q.text.startswith("to have fled") and q.speaker is None
