"""Figures with their claimants, qualifiers and groups (issue 18): hand-made texts and the seed page."""
from __future__ import annotations

import json

import pytest

import newsgist
from newsgist.apps.cli.render import figure_alternative, render

NESTED = ("Army commanders have revised their view of the rebel group.\n\n"
          "“If you go back to March, there were a lot of estimates that said the group probably had 40 to 60 "
          "members, but in one village we found more than 200,” said Colonel Anna Berg, a spokeswoman for the army.\n\n"
          "The army did not say how the village was found.")
HEDGE = ("The storm hit the coast on Monday.\n\n"
         "Mayor Tom Reyes said the repairs could cost as much as $5 million, and the city would ask the state for help.\n\n"
         "Residents were told to stay home.")
CAVEAT_NEXT = ("Police cleared the square on Saturday night.\n\n"
               "Police said 45 people were arrested during the protest. That number does not include those detained "
               "at the border.\n\nThe protest was the third this month.")
TWO_GROUPS = ("Fighting continued in the north of the country on Tuesday.\n\n"
              "The health ministry said 120 people were killed in the attack on the market. Rebel leaders said as many "
              "as 300 people were killed.\n\n"
              "The government said the rebuilding of the market would cost $2 billion. The World Bank estimated that "
              "the rebuilding would cost $5 billion, including new roads.\n\n"
              "The city has 40,000 residents.")
PARTIAL = ("The minister has warned that the virus is “spreading fast” in the capital.\n\n"
           "Hospitals have cancelled operations.")


def card_of(text: str) -> dict:
    return newsgist.read(text).to_dict()


def figure(card: dict, starts: str) -> dict:
    return next(f for f in card["figures"] if f["text"].startswith(starts))


def quals(f: dict, kind: str) -> list[str]:
    return [q["text"] for q in f["qualifiers"] if q["kind"] == kind]


def test_nested_source_inside_a_quote():
    card = card_of(NESTED)
    low = figure(card, "40 to 60")
    c = low["claimed_by"]
    assert c["speaker"] == "Anna Berg" and c["via"] == "estimates"
    assert card["quotes"][c["quote"]]["speaker"] == "Anna Berg"
    assert NESTED[c["via_start"]:c["via_end"]] == "estimates"
    assert NESTED[c["start"]:c["end"]] == c["mention"]
    assert quals(low, "time") == ["March"] and quals(low, "hedge") == ["probably"]
    high = figure(card, "more than 200")
    assert high["claimed_by"]["speaker"] == "Anna Berg" and high["claimed_by"]["via"] is None  # "we found": no new source
    assert quals(high, "scope") == ["in one village"] and not quals(high, "time")
    assert low["group"] == high["group"] is not None


def test_hedges_and_spans():
    card = card_of(HEDGE)
    f = figure(card, "as much as $5 million")
    assert f["claimed_by"]["speaker"] == "Tom Reyes"
    assert quals(f, "hedge") == ["could cost", "as much as"]
    for q in f["qualifiers"]:
        assert HEDGE[q["start"]:q["end"]] == q["text"]


def test_caveat_in_the_next_sentence():
    f = figure(card_of(CAVEAT_NEXT), "45 people")
    assert f["claimed_by"]["speaker"] == "Police"
    assert quals(f, "caveat") == ["does not include those detained at the border"]


def test_two_unrelated_groups_and_the_articles_own_voice():
    card = card_of(TWO_GROUPS)
    killed = [figure(card, "120 people"), figure(card, "as many as 300")]
    cost = [figure(card, "$2 billion"), figure(card, "$5 billion")]
    assert [f["claimed_by"]["speaker"] for f in killed] == ["The health ministry", "Rebel leaders"]
    assert [f["claimed_by"]["speaker"] for f in cost] == ["The government", "World Bank"]
    assert killed[0]["group"] == killed[1]["group"] != cost[0]["group"] == cost[1]["group"]
    groups = {g["id"]: g for g in card["groups"]}
    assert len(groups) == 2
    assert groups[killed[0]["group"]]["label"] == "people killed"
    assert groups[cost[0]["group"]]["label"] == "rebuilding of the market"
    assert quals(cost[1], "caveat") == ["including new roads"]
    residents = figure(card, "40,000 residents")
    assert residents["claimed_by"] is None and residents["group"] is None
    for g in card["groups"]:
        assert all(card["figures"][i]["group"] == g["id"] for i in g["figures"])


def test_partial_quote_nested_in_reported_speech_is_shown_once():
    card = card_of(PARTIAL)
    kinds = [(q["kind"], q["within"]) for q in card["quotes"]]
    assert ("partial", 0) in kinds and card["quotes"][0]["kind"] == "indirect"
    text = render(card)
    attributions = text[text.index("\nREPORTED SPEECH"):]
    assert "\nQUOTES" not in text  # not listed under quotes again: once, inside the reported speech
    assert attributions.count("spreading fast") == 1


def test_group_line_in_the_text_card():
    card = card_of(TWO_GROUPS)
    text = render(card)
    assert ("people killed: 120 in the attack (The health ministry) · as many as 300 (Rebel leaders)" in text), text
    md = render(card, "markdown")
    assert "- rebuilding of the market: $2 billion (The government) · $5 billion, incl. new roads (World Bank)" in md
    assert json.loads(render(card, "json"))["groups"] == card["groups"]


def test_figure_alternative_formats_a_range_with_its_nested_claimant():
    f = {"text": "50 to 100 members", "kind": "range", "counts": "members", "unit": "members",
         "claimed_by": {"speaker": "Jeff Buchanan", "via": "intel estimates"},
         "qualifiers": [{"text": "last year", "kind": "time"}, {"text": "within Afghanistan", "kind": "scope"}]}
    assert figure_alternative(f, "al Qaeda members in Afghanistan") == "50–100 (intel estimates last year, via Jeff Buchanan)"


def test_without_quotes_the_sentence_still_names_the_source():
    """With quotes off the reporting verb of the figure's own sentence still names who claims it."""
    article = newsgist.read(TWO_GROUPS, quotes=False)
    claims = {f.text: f.claimed_by for f in article.figures}
    assert claims["120 people"]["mention"] == "health ministry" and claims["120 people"]["quote"] is None
    assert claims["40,000 residents"] is None



# Sources a sentence names outside every quote (tuned on PolNeAR train; one text per mechanism).
SOURCES = {
    # a colon introduces the next paragraph
    "colon": ("The senator spoke at length on Tuesday.\n\nSoerens argued that:\n\nOnly 2,200 refugees have been "
              "admitted in the past four years, and most of them were children.\n\nThe debate went on late into "
              "the night.", "Only 2,200 refugees", "Soerens"),
    # a speaker label opens a transcript paragraph
    "label": ("Fox News Sunday aired the interview.\n\nWALLACE: Let’s start with the budget. The plan would cut "
              "4,000 jobs in the first year. Is that right?\n\nThe show ended at noon.", "4,000 jobs", "WALLACE"),
    # a noun of saying whose that-clause holds the figure
    "noun": ("The campaign changed course.\n\nClinton is seizing upon a New York Times report that Trump had a net "
             "loss of more than $915 million in 1995.\n\nTrump did not respond.", "more than $915 million",
             "New York Times report"),
    # a reporting verb after the clause it reports
    "postposed": ("The race is close.\n\nEighty-four percent of Latino voters in Florida have an unfavorable view "
                  "of Trump, the poll found.\n\nThe poll was taken last week.", "Eighty-four percent", "poll"),
    # "in X's view"
    "view": ("The deal was signed in May.\n\nIn Bolton’s view, the agreement will cost the country $3 billion "
             "over ten years.\n\nOthers disagree.", "$3 billion", "Bolton"),
    # a record as the subject of "has" (the possessive date is not the source)
    "record": ("The race tightened this week.\n\nWednesday's Quinnipiac poll has Clinton leading Trump by six "
               "points in Ohio.\n\nBoth campaigns are spending heavily.", "six points", "Quinnipiac poll"),
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_sentence_names_the_source(name):
    text, fig, mention = SOURCES[name]
    c = figure(card_of(text), fig)["claimed_by"]
    assert c is not None and c["mention"] == mention, c
    assert text[c["start"]:c["end"]] == mention


def test_record_keeps_its_maker_and_a_figure_in_the_source_phrase_is_not_claimed():
    text = ("Voting ended on Tuesday.\n\nClinton had 2,205 delegates, according to a tally by the Associated "
            "Press.\n\nAccording to a poll of 400 registered voters released on Friday, the governor leads with "
            "52 percent.\n\nSanders vowed to fight on.")
    card = card_of(text)
    tally = figure(card, "2,205")["claimed_by"]
    assert tally["mention"] == "a tally by the Associated Press" and tally["speaker"] == "Associated Press"
    assert text[tally["start"]:tally["end"]] == tally["mention"]
    assert figure(card, "400 registered voters")["claimed_by"] is None  # it describes the poll
    assert figure(card, "52 percent")["claimed_by"]["mention"].startswith("a poll of 400")


def test_tallies_and_headings_before_a_colon_claim_nothing():
    text = ("The results came in overnight.\n\nClinton: 2,316.\n\nGaming revenue is up this year at five of "
            "the casinos: Golden Nugget by 29 percent; Resorts by 17.6 percent.\n\nThe count goes on.")
    card = card_of(text)
    assert all(f["claimed_by"] is None for f in card["figures"]), [(f["text"], f["claimed_by"]) for f in card["figures"]]


@pytest.fixture(scope="module")
def seed_card(seed):
    text, exp = seed
    return text, exp, card_of(text)


def test_seed_estimates_attributed_and_grouped(seed_card):
    """The golden seed: all three estimates of al Qaeda's strength in Afghanistan, with claimant, nested
    source, qualifiers, and one group (the expected file's figure_claims)."""
    text, exp, card = seed_card
    want = {k: v for k, v in exp["figure_claims"].items() if not k.startswith("_")}
    groups = set()
    for key, claim in want.items():
        f = figure(card, key)
        c = f["claimed_by"]
        assert c["speaker"] == claim["claimed_by"], (key, c)
        assert c.get("via") == claim.get("via"), (key, c)
        assert card["quotes"][c["quote"]]["speaker"] == claim["claimed_by"]
        got = [q["text"] for q in f["qualifiers"]]
        assert all(q in got for q in claim["qualifiers"]), (key, got)
        for q in f["qualifiers"]:
            assert text[q["start"]:q["end"]] == q["text"]
        groups.add(f["group"])
    assert len(groups) == 1 and None not in groups
    group = next(g for g in card["groups"] if g["id"] in groups)
    assert group["label"] == "al Qaeda members in Afghanistan"
    assert [card["figures"][i]["text"] for i in group["figures"]] == list(want)
    line = render(card)
    assert ("al Qaeda members in Afghanistan: 50–100 (intel estimates last year, via Jeff Buchanan) · more than 150 "
            "in this one camp (Jeff Buchanan) · as high as 300, incl. other facilitators and sympathizers "
            "(U.S. officials)") in line
    partials = [q for q in card["quotes"] if q["kind"] == "partial" and q["text"] in ("very active", "big threat")]
    assert len(partials) == 2 and all(card["quotes"][q["within"]]["kind"] == "indirect" for q in partials)
    attributions = line[line.index("\nQUOTES"):line.index("\nENTITIES")]
    assert attributions.count("“very active”") == 1 and attributions.count("“big threat”") == 1
