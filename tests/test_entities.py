"""Entities: variant merging, partial names, titles, ORG span rules, and the seed page."""
import pytest

from conftest import acceptance_norm

from newsgist.card.entities import canonical_person, extract_entities, norm_key, title_for
from newsgist.card.nlp import load_nlp



@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def ents_of(nlp, text):
    return extract_entities(text, nlp(text))


def by_name(ents, name):
    found = [e for e in ents if e.name == name]
    assert found, f"{name!r} not in {[e.name for e in ents]}"
    return found[0]


def test_norm_key_ignores_case_hyphen_possessive_the_and_aliases():
    assert norm_key("al-Qaeda") == norm_key("Al Qaeda") == norm_key("al Qaeda’s") == "al qaeda"
    assert norm_key("the Taliban") == "taliban"
    assert norm_key("U.S.") == norm_key("United States") == "united states"


def test_variants_of_one_organisation_merge(nlp):
    text = ("Al Qaeda is growing, officials said. Officials worry about al-Qaeda in the region. "
            "The Taliban have ties to al Qaeda’s leaders, and al Qaeda recruits fighters.")
    ents = ents_of(nlp, text)
    aq = [e for e in ents if "qaeda" in e.name.lower()]
    assert len(aq) == 1
    assert aq[0].type == "ORG"
    assert aq[0].name == "al Qaeda"
    assert aq[0].mentions == 4
    assert {"al-Qaeda", "al Qaeda"} <= set(aq[0].variants)
    for s, e in aq[0].spans:
        assert norm_key(text[s:e]) == "al qaeda"


def test_surname_joins_full_name(nlp):
    text = ("Major General Jeff Buchanan visited the camp on Monday. "
            "Buchanan said the camp was large. “It was troubling,” Buchanan added.")
    ents = ents_of(nlp, text)
    p = by_name(ents, "Jeff Buchanan")
    assert p.type == "PERSON"
    assert p.mentions == 3
    assert "Buchanan" in p.variants
    assert not [e for e in ents if e.name == "Buchanan"]
    assert canonical_person("Buchanan", ents) is p
    assert canonical_person("Gen. Buchanan", ents) is p
    assert canonical_person("he", ents) is None
    assert canonical_person("Smith", ents) is None


def test_untagged_surname_mentions_are_counted(nlp):
    text = ("Acting Defense Minister Masoom Stanikzai spoke in Kabul. "
            "“The big cover is the Taliban,” said Stanikzai. Stanikzai also expressed concern.")
    p = by_name(ents_of(nlp, text), "Masoom Stanikzai")
    assert p.mentions == 3
    assert [text[s:e] for s, e in p.spans] == ["Masoom Stanikzai", "Stanikzai", "Stanikzai"]


def test_ambiguous_surname_goes_to_nearest_preceding_full_name(nlp):
    text = ("Bill Clinton spoke first. Later, Hillary Clinton arrived in Iowa. "
            "Clinton said she was ready.")
    ents = ents_of(nlp, text)
    hillary = by_name(ents, "Hillary Clinton")
    assert canonical_person("Clinton", ents, at=text.index("Clinton said")) is hillary
    assert canonical_person("Clinton", ents, at=5) is by_name(ents, "Bill Clinton")


def test_pre_name_title(nlp):
    text = "Acting Defense Minister Masoom Stanikzai told reporters that the group was active."
    ents = ents_of(nlp, text)
    assert by_name(ents, "Masoom Stanikzai").title == "Acting Defense Minister"
    assert title_for("Stanikzai", ents) == "Acting Defense Minister"


def test_pre_name_title_plus_appositive(nlp):
    text = ("Major General Jeff Buchanan, Deputy Chief of Staff for the U.S. military presence in "
            "Afghanistan, said the estimates were revised. U.S. General John Campbell, former "
            "commander in Afghanistan, has referred to a renewed partnership.")
    ents = ents_of(nlp, text)
    assert by_name(ents, "Jeff Buchanan").title == \
        "Major General, Deputy Chief of Staff for the U.S. military presence in Afghanistan"
    assert by_name(ents, "John Campbell").title == "U.S. General, former commander in Afghanistan"


def test_appositive_before_name_and_clause_is_not_a_title(nlp):
    text = ("The Taliban’s current deputy commander, Siraj Haqqani, is the head of the network. "
            "Mary Jones, who lives nearby, said nothing.")
    ents = ents_of(nlp, text)
    assert by_name(ents, "Siraj Haqqani").title == "Taliban’s current deputy commander"
    assert by_name(ents, "Mary Jones").title is None


def test_title_inside_spacy_span_is_moved_to_title(nlp):
    text = "Yet since Mullah Akhtar Mohammad Mansour became leader in mid-2015, the group has grown."
    p = by_name(ents_of(nlp, text), "Akhtar Mohammad Mansour")
    assert p.title == "Mullah"


def test_org_in_the_proper_name_is_a_separate_org(nlp):
    text = ("The camp had ties to al Qaeda and a subset called al Qaeda in the Indian Subcontinent. "
            "Al Qaeda in the Indian Subcontinent has not been active in Afghanistan.")
    ents = ents_of(nlp, text)
    sub = by_name(ents, "al Qaeda in the Indian Subcontinent")
    assert sub.type == "ORG" and sub.mentions == 2
    plain = [e for e in ents if "qaeda" in e.name.lower() and "subcontinent" not in e.name.lower()]
    assert len(plain) == 1 and plain[0].mentions == 1


def test_org_in_a_country_is_not_extended(nlp):
    text = "Officials said al Qaeda in the United States had no cells, and al Qaeda denied it."
    names = [e.name for e in ents_of(nlp, text)]
    assert "al Qaeda" in names
    assert not [n for n in names if "in the" in n]


def test_group_name_with_descriptive_adjective(nlp):
    text = "Siraj Haqqani is the head of the feared Haqqani militant network, officials said."
    ents = ents_of(nlp, text)
    net = by_name(ents, "Haqqani network")
    assert net.type == "ORG"
    assert "Haqqani militant network" in net.variants
    assert by_name(ents, "Siraj Haqqani").type == "PERSON"


def test_places_and_aliases(nlp):
    text = ("Kabul, Afghanistan. The United States invaded Afghanistan in 2001. U.S. officials "
            "said the camp in Kandahar province was destroyed.")
    ents = ents_of(nlp, text)
    us = by_name(ents, "United States")
    assert us.type == "PLACE" and us.mentions == 2 and "U.S." in us.variants
    assert by_name(ents, "Kandahar province").type == "PLACE"
    assert by_name(ents, "Afghanistan").mentions == 2


def test_outlet_only_as_source_label_is_dropped(nlp):
    text = ("Kabul, Afghanistan CNN — Officials are worried. Stanikzai told CNN that the threat grew. "
            "The Taliban did not comment.")
    names = [e.name for e in ents_of(nlp, text)]
    assert "CNN" not in names
    assert "Taliban" in names


def test_spans_point_into_text_and_are_sorted(nlp):
    text = ("Afghanistan’s top official warned that al Qaeda is active. Jeff Buchanan agreed. "
            "Buchanan visited Afghanistan twice.")
    for e in ents_of(nlp, text):
        assert e.spans == sorted(e.spans)
        assert len(e.spans) == e.mentions
        for s, t in e.spans:
            assert text[s:t] in e.variants


def test_works_without_a_doc():
    text = "Jeff Buchanan said Buchanan was in Kabul."
    assert [e.name for e in extract_entities(text) if e.type == "PERSON"] == ["Jeff Buchanan"]


def test_seed_page_entities_as_acceptance_checks_them(seed, nlp):
    """Every expected name is a name or variant; exactly one plain al Qaeda entity."""

    norm = acceptance_norm

    text, expected = seed
    ents = extract_entities(text, nlp(text))
    names = [" | ".join(norm(x) for x in [e.name] + list(e.variants)) for e in ents]
    for etype, group in expected["entities"].items():
        for want in group:
            hits = [e for e, n in zip(ents, names) if norm(want) in n]
            assert hits, f"{want} missing"
            assert any(e.type == etype for e in hits), f"{want}: {[e.type for e in hits]}"
    aq = [e for e in ents if "qaeda" in norm(e.name) and "subcontinent" not in norm(e.name)]
    assert len(aq) == 1
    for name, title in expected["speaker_titles"].items():
        assert title_for(name.split()[-1], ents) == title
    for e in ents:
        for s, t in e.spans:
            assert text[s:t] in e.variants
