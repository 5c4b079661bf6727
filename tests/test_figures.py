"""Figures: counts, ranges, qualifiers, money, percentages; dates kept apart; the seed page."""
import re

import pytest

from conftest import acceptance_norm

from newsgist.card.figures import extract_figures
from newsgist.card.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(params=["doc", "no-doc"])
def figs(request, nlp):
    """extract_figures with the parse and without it: every rule must hold both ways."""
    def run(text):
        out = extract_figures(text, nlp(text) if request.param == "doc" else None)
        for f in out:
            assert text[f.start:f.end] == f.text
        return out
    return run


def one(figures, text):
    found = [f for f in figures if f.text == text]
    assert found, f"{text!r} not in {[f.text for f in figures]}"
    return found[0]


def test_range_with_counted_noun(figs):
    f = one(figs("Al Qaeda probably has 50 to 100 members in the country."), "50 to 100 members")
    assert (f.kind, f.value, f.counts, f.unit) == ("range", [50, 100], "members", "members")


def test_between_and_range(figs):
    f = one(figs("Between 5 and 10 people died in the blast."), "Between 5 and 10 people")
    assert f.kind == "range" and f.value == [5, 10] and f.counts == "people"


def test_qualifiers_are_kept_in_text(figs):
    out = figs("In this one camp we found more than 150. Up to 2,000 people fled. "
               "About 40 soldiers stayed, and nearly 12 are still missing.")
    assert one(out, "more than 150").value == 150
    assert one(out, "Up to 2,000 people").value == 2000
    assert one(out, "About 40 soldiers").counts == "soldiers"
    assert one(out, "nearly 12").value == 12


def test_bare_number_inherits_counted_noun_in_same_sentence(figs):
    out = figs("Al Qaeda probably has 50 to 100 members, but in this one camp we found more than 150.")
    assert one(out, "more than 150").counts == "members"


def test_number_of_phrase_gives_what_is_counted(figs):
    text = ("U.S. officials said the number of core al Qaeda operatives in Afghanistan could be "
            "as high as 300, but that number does include other facilitators.")
    f = one(figs(text), "as high as 300")
    assert f.value == 300 and f.counts == "core al Qaeda operatives"


def test_money(figs):
    out = figs("The charity raised $1.2 million. The budget is £50m, or €1.5bn. "
               "He paid 500 dollars. The fine was $1 million to $2 million.")
    f = one(out, "$1.2 million")
    assert (f.kind, f.value, f.unit) == ("money", 1200000, "USD")
    assert one(out, "£50m").value == 50_000_000 and one(out, "£50m").unit == "GBP"
    assert one(out, "€1.5bn").value == 1_500_000_000 and one(out, "€1.5bn").unit == "EUR"
    assert one(out, "500 dollars").unit == "USD"
    assert one(out, "$1 million to $2 million").value == [1_000_000, 2_000_000]


def test_percent(figs):
    out = figs("Sales rose 25% last year. About 25 percent of voters agreed. "
               "Unemployment fell 0.3 percentage points.")
    f = one(out, "25%")
    assert (f.kind, f.value, f.unit) == ("percent", 25, "%")
    g = one(out, "About 25 percent")
    assert g.kind == "percent" and g.counts == "voters"
    assert one(out, "0.3 percentage points").unit == "percentage points"


def test_spelled_numbers_count_only_with_a_noun(figs):
    out = figs("When she gave one of her kidneys to a stranger, it resulted in six patients "
               "receiving transplants. Two of them were children. Nearly two million people watched.")
    assert one(out, "six patients").value == 6
    assert one(out, "Nearly two million people").value == 2_000_000
    texts = [f.text for f in out]
    assert not [t for t in texts if t.lower().startswith(("one", "two of"))]


def test_adjectives_between_number_and_noun(figs):
    f = one(figs("They played in front of 31,683 expected fans at the stadium."), "31,683 expected fans")
    assert f.value == 31683 and f.counts == "expected fans" and f.unit == "fans"


def test_dates_are_kept_apart_from_counts(figs):
    text = ("The group regretted it before the September 11, 2001 terrorist attacks. Since Mansour "
            "became leader in mid-2015, the group grew. It happened in October, on a Wednesday, "
            "in 2014. The 1990s were calm. Officials counted 2000 people.")
    out = figs(text)
    dates = {f.text: f.value for f in out if f.kind == "date"}
    assert dates["September 11, 2001"] == "2001-09-11"
    assert dates["mid-2015"] == 2015
    assert dates["2014"] == 2014
    assert "1990s" in dates
    counts = [f for f in out if f.kind != "date"]
    assert [f.text for f in counts] == ["2000 people"]
    assert not [f for f in out if "October" in f.text or "Wednesday" in f.text]


def test_times_scores_and_identifiers_are_not_figures(figs):
    out = figs("01:21 - Source: CNN. The match ended in a 3-1 win at 10 a.m. on Flight 370. "
               "He is the world No. 1 and carded a 68. Care is available 24/7.")
    assert out == []


def test_age(figs):
    f = one(figs("A 45-year-old man was arrested."), "45-year-old")
    assert f.value == 45 and f.counts == "age"


def test_ordinal(figs):
    f = one(figs("It was his 21st goal of the season."), "21st")
    assert f.kind == "ordinal" and f.value == 21


def test_seed_page_figures_as_acceptance_checks_them(seed, nlp):
    norm = acceptance_norm

    text, expected = seed
    for doc in (nlp(text), None):
        out = extract_figures(text, doc)
        joined = " | ".join(norm(f.text) for f in out)
        for want in expected["figures"]:
            assert norm(want) in joined, f"{want} missing from {joined}"
        assert not [f for f in out if f.kind != "date" and re.search(r"2001|2015", f.text)]
        assert not [f for f in out if "01:21" in f.text]


def test_age_ranges_and_scores(figs):
    out = figs("The ban covers men aged 18-35. Bossel lost 1-6 to Bemelmans. "
               "He was sentenced in 2012 to 15 years in prison.")
    assert one(out, "18-35").counts == "age"
    assert not [f for f in out if f.text.startswith("1-6")]
    assert one(out, "15 years").value == 15
    assert one(out, "2012").kind == "date"
    assert not [f for f in out if f.kind == "range" and "2012" in f.text]


def test_percent_of_a_possessive_phrase(nlp):
    text = "In America we have 5% of the world's population."
    assert one(extract_figures(text, nlp(text)), "5%").counts == "world's population"


def test_include_dates_false_drops_only_dates(nlp):
    text = "In 2014, more than 150 people fled on September 11."
    assert [f.kind for f in extract_figures(text, nlp(text))] == ["date", "number", "date"]
    assert [f.text for f in extract_figures(text, nlp(text), include_dates=False)] == ["more than 150 people"]
    assert [f.text for f in extract_figures(text, include_dates=False)] == ["more than 150 people"]


def test_card_figures_are_slices_of_the_input_with_crlf_paragraphs():
    """Found by the fuzzer (issue 17): a figure across a paragraph break had the body's
    text ("0\\n\\nl...") where the input has other line breaks."""
    import newsgist
    text = ("The council approved 40\r\n\r\nlanes of traffic for the bridge on Monday, officials said.\r\n\r\n"
            "The vote was 7-2, and 3 members were absent. Repairs will cost $2 million.")
    art = newsgist.read(text)
    for f in art.figures + art.dates:
        assert art.source[f.start:f.end] == f.text
