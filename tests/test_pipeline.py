"""End-to-end through the library: the seed page (golden acceptance) and spans."""

import pytest

from conftest import acceptance_norm

import newsgist
from newsgist.errors import EmptyInputError, NoTextError, StageError
from newsgist.pipeline import card_stages, run
from newsgist.reading.load import article_from_source
from newsgist.reading.inputs import from_text
from newsgist.options import Options


norm = acceptance_norm


@pytest.fixture(scope="module")
def seed_card(seed):
    text, exp = seed
    return text, exp, newsgist.read(text).to_dict()


def test_seed_clutter_and_parts(seed_card):
    text, exp, card = seed_card
    sents = [text[s["start"]:s["end"]] for s in card["body"]["sentences"]]
    for junk in exp["not_body_text"]:
        assert not any(norm(junk) in norm(s) for s in sents), junk
        assert not any(norm(junk) in norm(h["text"]) for h in card["highlights"]), junk
    assert card["page_highlights"] == exp["page_highlights"]
    assert card["dateline"]["place"] == exp["dateline"]["place"]
    assert card["dateline"]["outlet"] == exp["dateline"]["outlet"]
    assert [norm(h) for h in card["headings"]] == [norm(h) for h in exp["section_headings"]]
    assert sents[0].startswith(exp["first_body_sentence_starts"])


def test_seed_highlights_are_sentences(seed_card):
    text, _, card = seed_card
    assert 3 <= len(card["highlights"]) <= 4
    starts = [s["start"] for s in card["body"]["sentences"]]
    for h in card["highlights"]:
        assert text[h["start"]:h["end"]] == h["text"]
        assert h["start"] in starts
    assert [h["start"] for h in card["highlights"]] == sorted(h["start"] for h in card["highlights"])


def test_seed_quotes(seed_card):
    text, exp, card = seed_card
    found = 0
    for q in exp["quotes"]:
        last = norm(q["speaker"]).split()[-1]
        if any(norm(q["starts"]) in norm(g["text"]) and last in norm(g["speaker"] or "").split()
               for g in card["quotes"]):
            found += 1
    assert found >= 9
    for g in card["quotes"]:
        assert text[g["start"]:g["end"]] == g["text"]


def test_seed_figures_and_entities(seed_card):
    text, exp, card = seed_card
    figs = " | ".join(norm(f["text"]) for f in card["figures"])
    assert all(norm(f) in figs for f in exp["figures"])
    for f in card["figures"]:
        assert text[f["start"]:f["end"]] == f["text"]
    names = [" | ".join(norm(x) for x in [e["name"], *e["variants"]]) for e in card["entities"]]
    missing = [n for g in exp["entities"].values() for n in g if not any(norm(n) in x for x in names)]
    assert len(missing) <= 1, missing
    qaeda = [e for e in card["entities"] if "qaeda" in norm(e["name"]) and "subcontinent" not in norm(e["name"])]
    assert len(qaeda) == 1


def test_body_text_matches_paragraph_spans(seed_card):
    text, _, card = seed_card
    parts = [text[p["start"]:p["end"]] for p in card["body"]["paragraphs"]]
    assert card["body"]["text"] == "\n\n".join(parts)


def test_example_card_spans(example):
    card = newsgist.read(example).to_dict()
    assert card["meta"]["method"] and card["meta"]["version"] == newsgist.__version__
    assert set(card["meta"]["timings_ms"]) == {name for name, _ in card_stages()}
    for h in card["highlights"]:
        assert example[h["start"]:h["end"]] == h["text"]
    for e in card["entities"]:
        for s, t in e["spans"]:
            assert norm(example[s:t]) in [norm(v) for v in e["variants"]] or example[s:t]


def test_deterministic(example):
    assert newsgist.read(example).to_dict()["highlights"] == newsgist.read(example).to_dict()["highlights"]


def test_errors_are_typed():
    with pytest.raises(EmptyInputError):
        newsgist.read("   ")
    with pytest.raises(NoTextError):
        newsgist.read("breaking news the council met today and the mayor spoke")


def test_stage_failure_names_the_stage(example):
    def boom(article, options):
        raise RuntimeError("kaput")
    with pytest.raises(StageError, match="stage 'boom' failed: RuntimeError: kaput"):
        run(article_from_source(from_text(example)), Options(), [("boom", boom)])


def test_highlights_api_and_count(example):
    assert len(newsgist.highlights(example, count=2)) == 2
    assert len(newsgist.highlights(example, method="lead", count=4)) == 4


def test_highlight_text_is_exact_on_text_with_double_spaces(example):
    # the issue-17 case: "Authority  said" in the source stays so in the highlight, and the
    # grounding check of an extractive highlight agrees that it is its sentence
    text = example.replace(". ", ".  ").replace(" the ", " the  ", 3)
    card = newsgist.read(text).to_dict()
    assert any("  " in h["text"] for h in card["highlights"])
    for h in card["highlights"]:
        assert text[h["start"]:h["end"]] == h["text"]
        if "checks" in h:
            assert h["checks"]["spans"] is True
    assert card["meta"]["language"] == "en"
