"""The checker's rule side for a name of another type put where the article has a name (issue 26, session 6c).

Text written for these tests."""
from __future__ import annotations

import pytest

from conftest import sentence_source
from newsgist.grounding import typed
from newsgist.grounding.align import Source
from newsgist.grounding.check import hard_pieces, line_evidence
from newsgist.grounding.claims import Line
from newsgist.grounding.typed import OTHER, PERSON, kind_of, typed_swaps

ARTICLE = ("Harbour Rovers beat Kellin Town by two goals on Saturday. "
           "Rovers boss Tomas Reyes said the win was deserved. "
           "Ana Lopez, 31, scored both goals in front of the home fans. "
           "Kellin Town were bottom of the table before the game. "
           "Reyes, 44, has managed the club since the spring. "
           "The manager praised his young captain after the match. "
           "Officials in Port Alder said the ground would be rebuilt. "
           "Lina Marsh watched from the stand.")


def _source(text: str = ARTICLE) -> Source:
    return sentence_source(text)


def _typed(line: str, source: Source | None = None) -> list[str]:
    source = source or _source()
    ln = Line.of(line)
    got = typed_swaps(source, ln, [k for k, _ in source.align(ln)])
    return [" ".join(ln.toks[a:b + 1]) for a, b in got]


def _stems(name: str) -> list[str]:
    return Line.of(name).stems


def test_the_article_types_its_names_by_the_words_beside_them():
    src = _source()
    assert kind_of(src, _stems("Tomas Reyes")) == PERSON      # "boss Tomas Reyes said", "Reyes, 44,"
    assert kind_of(src, _stems("Ana Lopez")) == PERSON        # "Ana Lopez, 31,"
    assert kind_of(src, _stems("Kellin Town")) == OTHER       # "beat Kellin Town"
    assert kind_of(src, _stems("Port Alder")) == OTHER        # "in Port Alder"
    assert kind_of(src, _stems("Harbour Rovers")) == OTHER    # "Rovers boss", "the Rovers fans"
    assert kind_of(src, _stems("Lina Marsh")) is None         # no cue beside it: undecided


def test_a_person_put_where_the_article_has_a_team_fires():
    assert _typed("Tomas Reyes were bottom of the table before the game.") == ["tomas reyes"]


def test_a_team_put_where_the_article_has_a_person_fires():
    assert _typed("Reyes, 44, has managed the club since the spring.") == []
    assert _typed("Kellin Town, 44, has managed the club since the spring.") == ["kellin town"]


def test_a_faithful_title_resolved_to_the_name_does_not_fire():
    # "The manager praised ...": the line names him (the article says who the manager is)
    assert _typed("Tomas Reyes praised his young captain after the match.") == []


def test_a_name_of_the_same_type_is_left_to_the_copy_form_rule():
    # a person for a person: no type change (swapped.py's rule reads this one)
    assert _typed("Ana Lopez, 44, has managed the club since the spring.") == []


def test_an_undecided_name_never_fires():
    # "Lina Marsh": the article writes no cue beside her
    assert _typed("Lina Marsh were bottom of the table before the game.") == []


def test_lower_cased_text_is_read_alike():
    low = ARTICLE.lower()
    assert kind_of(_source(low), _stems("tomas reyes")) == PERSON
    assert kind_of(_source(low), _stems("kellin town")) == OTHER


def test_mentions_read_are_capped():
    text = " ".join(f"Officials in Port Alder met on day {i}." for i in range(3 * typed.MAX_MENTIONS))
    person, other = typed.cues(_source(text.replace(". ", ". ")), _stems("Port Alder"))
    assert person + other <= 2 * typed.MAX_MENTIONS


@pytest.mark.parametrize("on", [True, False])
def test_the_typed_swap_is_a_hard_name_piece_when_on(monkeypatch, on):
    monkeypatch.setattr(typed, "HARD", on)
    ev = line_evidence(_source(), "Tomas Reyes were bottom of the table before the game.")
    assert ({"text": "Tomas Reyes", "kind": "name"} in hard_pieces(ev)) is on
    # the faithful lines never get one
    for line in ("Kellin Town were bottom of the table before the game.",
                 "Tomas Reyes praised his young captain after the match."):
        ev = line_evidence(_source(), line)
        assert not any(p["kind"] == "name" for p in hard_pieces(ev))


def test_a_name_the_line_types_otherwise_than_the_article_fires():
    # the line makes the town a person; the article writes "in Port Alder"
    assert _typed("Port Alder, a retired police officer, praised the young captain.") == ["port alder"]
    assert _typed("Port Alder, 44, has managed the club since the spring.") == ["port alder"]
    # and a person a place
    assert _typed("The home fans sang for an hour in Tomas Reyes.") == ["tomas reyes"]


def test_a_name_the_line_types_as_the_article_does_not_fire():
    assert _typed("Tomas Reyes, a former striker, has managed the club since the spring.") == []
    assert _typed("Officials in Port Alder plan to rebuild the ground.") == []
    assert _typed("Rovers boss Tomas Reyes said the win over Kellin Town was deserved.") == []
