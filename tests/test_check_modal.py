"""The checker's rule side for modality and added attributions (issue 26, session 5c).

Text written for these tests."""
from __future__ import annotations

import pytest

from conftest import sentence_source
from newsgist.grounding import added
from newsgist.grounding.align import Source
from newsgist.grounding.check import HARD_KINDS, KINDS, check_lines, hard_pieces, line_evidence
from newsgist.grounding.claims import Line, token_spans
from newsgist.grounding.modal import modal_flips
from newsgist.grounding.tight import lcs_pairs

ARTICLE = ("The harbour board said the new ferry service may start running between Port Alder and Kellin "
           "next spring. The old pier was closed after a storm damaged its western end in January. "
           "Engineers are expected to finish a survey of the pier by the end of March. "
           "Local traders said they would welcome the ferry.")


def _source() -> Source:
    return sentence_source(ARTICLE)


def _flips(line: str, sent: str) -> list[int]:
    a, b = Line.of(line), Line.of(sent)
    return modal_flips(a.toks, b.toks, lcs_pairs(a.stems, b.stems))


def _pieces(line: str) -> list[dict]:
    return hard_pieces(line_evidence(_source(), line))


def test_hedge_removed_is_a_flip():
    sent = "The harbour board said the new ferry service may start running between Port Alder and Kellin next spring."
    line = "The harbour board said the new ferry service will start running between Port Alder and Kellin next spring."
    got = _flips(line, sent)
    assert got and Line.of(line).toks[got[0]] == "will"


def test_plain_fact_made_a_possibility_is_a_flip():
    sent = "The old pier was closed after a storm damaged its western end in January."
    assert _flips("The old pier could be closed after a storm damaged its western end in January.", sent)
    assert _flips("The old pier might be closed after a storm damaged its western end in January.", sent)


def test_same_certainty_is_no_flip():
    sent = "The harbour board said the new ferry service may start running between Port Alder and Kellin next spring."
    # "might" / "could" for "may": a possibility however worded
    assert not _flips("The harbour board said the new ferry service might start running between Port Alder "
                      "and Kellin next spring.", sent)
    assert not _flips(sent, sent)


def test_reported_would_for_will_is_tense_not_certainty():
    sent = "Local traders said they would welcome the ferry and the visitors it brings to the harbour."
    assert not _flips("Local traders said they will welcome the ferry and the visitors it brings to the harbour.", sent)


def test_attribution_adverbs_and_ability_are_left_to_the_model():
    plain = "The mayor of the small coastal town is ready to sign the new harbour deal with the board."
    hedged = "The mayor of the small coastal town is reportedly ready to sign the new harbour deal with the board."
    assert not _flips(hedged, plain)   # a summary may attribute what the article states
    assert not _flips(plain, hedged)   # or drop an "apparently" (GPT-4 does, often)
    assert not _flips("The slugs, which can grow to six inches long, are spreading across the county.",
                      "The slugs, which grow to six inches long, are spreading across the county.")


def test_dropped_possibility_is_a_flip():
    sent = "The survey of the old pier may be finished by the end of March, the engineers said."
    assert _flips("The survey of the old pier is finished by the end of March, the engineers said.", sent)


def test_loose_paraphrase_is_left_to_the_model():
    sent = "Engineers are expected to finish a survey of the pier by the end of March."
    # the slot is framed by too few aligned words: not the same clause word for word
    assert not _flips("A survey will be done by engineers soon.", sent)


def test_hard_modality_piece_in_check():
    bad = "The harbour board said the new ferry service will start running between Port Alder and Kellin next spring."
    good = "The harbour board said the new ferry service may start running between Port Alder and Kellin next spring."
    assert any(p["kind"] == "modality" for p in _pieces(bad))
    assert not any(p["kind"] == "modality" for p in _pieces(good))
    res = check_lines(_source(), [bad])["sentences"][0]
    assert not res["supported"]
    assert {"text": "will", "kind": "modality"} in res["unsupported"]


def test_added_attribution_is_hard_speaker_piece():
    line = "The old pier was closed after a storm, according to coastguard chief Moira Tennant."
    pieces = [p for p in _pieces(line) if p["kind"] == "speaker"]
    assert pieces and "coastguard" in pieces[0]["text"].lower()
    # lower-cased text, where no name can be told by its capital, is caught the same way
    low = "the old pier was closed after a storm , according to coastguard chief moira tennant ."
    assert any(p["kind"] == "speaker" for p in _pieces(low))
    assert not check_lines(_source(), [low])["sentences"][0]["supported"]


def test_known_speaker_is_no_hard_piece():
    line = "The new ferry service may start running next spring, the harbour board said."
    assert not any(p["kind"] == "speaker" for p in _pieces(line))


def test_attribution_to_a_known_source_does_not_take_the_claim_for_its_speaker():
    # "according to the ..." names its source after the article; the claim's own words before
    # it ("seaward tip", a paraphrase of "western end") are no speaker (the lead's review)
    for line in ("The old pier was closed after a storm damaged its seaward tip, according to the harbour board.",
                 "the old pier was closed after a storm damaged its seaward tip , according to the harbour board ."):
        assert not any(p["kind"] == "speaker" for p in _pieces(line)), line


def test_attribution_words_stop_at_a_clause_mark():
    for text, want in (("Shares rose sharply, analysts said.", ["analysts"]),
                       ("Al Qaeda has grown, said NATO chief Jens Stoltenberg.", ["nato", "chief", "jens"]),
                       ("The pier is safe, according to the harbour board.", ["harbour", "board"])):
        line = Line.of(text)
        who = added.attribution(text, line.toks, token_spans(text))
        assert [line.toks[i].lower() for i in who] == want, text


def test_kinds_unchanged():
    assert {"modality", "speaker"} <= HARD_KINDS <= set(KINDS)


@pytest.fixture
def tail_rule(monkeypatch):
    monkeypatch.setattr(added, "HARD", True)


def test_added_clause_rule_is_off_by_default():
    # shipped off (round 4 missed its registered margin): no tail is a hard piece, however checkable
    line = "The old pier was closed after a storm damaged its western end, and 40 smugglers looted the lighthouse."
    assert not added.HARD
    assert not any(p["kind"] == "other" for p in _pieces(line))


@pytest.mark.parametrize("line, word", [
    # a number the article never gives
    ("The old pier was closed after a storm damaged its western end, and 40 smugglers looted the lighthouse.", "40"),
    # a name (and a place) the article never mentions
    ("The old pier was closed after a storm damaged its western end, while Interpol raided warehouses in Dunmore.",
     "Interpol"),
    # a role: who acted, new to the article
    ("The old pier was closed after a storm damaged its western end, and police officers sealed the promenade.",
     "police"),
    # lower-cased, tokenised text: a rare new word stands in for the name
    ("the old pier was closed after a storm damaged its western end , and smugglers looted the lighthouse .",
     "lighthouse"),
])
def test_added_checkable_clause_is_hard_other_piece(tail_rule, line, word):
    pieces = [p for p in _pieces(line) if p["kind"] == "other"]
    assert pieces and word in pieces[0]["text"]
    res = check_lines(_source(), [line])["sentences"][0]
    assert not res["supported"]


@pytest.mark.parametrize("line", [
    # a comment on the line, cased and lower-cased: nothing a reader could check
    "The old pier was closed after a storm damaged its western end, highlighting coastal fragility and resilience.",
    "the old pier was closed after a storm damaged its western end , highlighting coastal fragility and resilience .",
    "The old pier was closed after a storm damaged its western end, making the loss even more painful.",
    # a role word inside a comment does not make it a fact
    "The old pier was closed after a storm damaged its western end, underscoring the mayor's vital leadership.",
    # new words with no number, name or role in a cased line
    "The old pier was closed after a storm damaged its western end, and smugglers looted the lighthouse.",
])
def test_commentary_or_uncheckable_tail_is_no_hard_piece(tail_rule, line):
    assert not any(p["kind"] == "other" for p in _pieces(line))


def test_number_in_a_commentary_tail_still_counts(tail_rule):
    line = "The old pier was closed after a storm damaged its western end, making 300 fishermen jobless."
    assert any(p["kind"] == "other" and "300" in p["text"] for p in _pieces(line))


def test_new_words_inside_the_line_are_left_to_the_model(tail_rule):
    # a paraphrase's new words with no clause break before them: no hard piece
    line = "The old pier was shut after a storm wrecked its western end in January."
    assert not any(p["kind"] == "other" for p in _pieces(line))
    # a lone new word at the end is no added clause
    line = "The old pier was closed after a storm damaged its western end, engineers said."
    assert not any(p["kind"] == "other" for p in _pieces(line))
