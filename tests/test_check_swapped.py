"""The checker's rule side for a name put where the article has another name (issue 26, session 6b).

Text written for these tests."""
from __future__ import annotations

import pytest

from conftest import sentence_source
from newsgist.grounding import swapped
from newsgist.grounding.align import Source
from newsgist.grounding.check import hard_pieces, line_evidence
from newsgist.grounding.claims import Line, stem
from newsgist.grounding.context import Lexicon
from newsgist.grounding.swapped import swapped_names

ARTICLE = ("The harbour master, Maria Castell, said the new ferry service would start running in May. "
           "On Monday, Tomas Reyes welcomed the plan at a packed meeting in Port Alder. "
           "The minister, Ana Lopez, arrived in Port Alder, Kellin, on Thursday. "
           "The minister visited the harbour on Friday and praised the work of Castell.")
NAMES = ("maria", "castell", "tomas", "reyes", "ana", "lopez", "port", "alder", "kellin", "monday", "may",
         "thursday", "friday")


def _source(text: str = ARTICLE) -> Source:
    return sentence_source(text)


def _swaps(line: str, source: Source | None = None, **kw) -> list[str]:
    source = source or _source()
    ln = Line.of(line)
    got = swapped_names(source, ln, [k for k, _ in source.align(ln)], **kw)
    return [" ".join(ln.toks[a:b + 1]) for a, b in got]


def test_name_put_at_the_start_of_a_copied_stretch_fires():
    # "Tomas Reyes welcomed the plan ..." with the minister's name in his place
    assert _swaps("Ana Lopez welcomed the plan at a packed meeting in Port Alder.") == ["ana lopez"]


def test_name_put_inside_a_copied_stretch_fires():
    assert _swaps("On Monday, Ana Lopez welcomed the plan at a packed meeting in Port Alder.") == ["ana lopez"]
    assert _swaps("On Monday, Castell welcomed the plan at a packed meeting in Port Alder.") == ["castell"]


def test_the_line_as_the_article_has_it_does_not_fire():
    assert _swaps("On Monday, Tomas Reyes welcomed the plan at a packed meeting in Port Alder.") == []
    assert _swaps("Reyes welcomed the plan at a packed meeting in Port Alder.") == []   # his surname alone


def test_a_description_resolved_to_its_name_does_not_fire():
    # "The minister visited the harbour": the line names her (said two sentences before)
    assert _swaps("Ana Lopez visited the harbour on Friday and praised the work of Castell.") == []


def test_a_pronoun_resolved_to_its_name_does_not_fire():
    text = ARTICLE.replace("The minister visited", "She visited")
    assert _swaps("Ana Lopez visited the harbour on Friday and praised the work of Castell.", _source(text)) == []


def test_a_name_the_article_writes_beside_the_other_does_not_fire():
    # "Port Alder, Kellin": the article names the place both ways, one beside the other
    assert _swaps("On Monday, Tomas Reyes welcomed the plan at a packed meeting in Kellin.") == []


def test_a_country_for_its_people_does_not_fire():
    text = "The Italian minister will visit the harbour in June. Officials in Italy said so on Monday."
    assert _swaps("Italy's minister will visit the harbour in June.", _source(text)) == []


def test_lower_cased_text_reads_names_from_the_lexicon():
    low = ARTICLE.lower()
    idf = {stem(w): (9.0 if w in NAMES else 1.0) for w in Line.of(low).toks}
    lex = Lexicon(names=NAMES)
    line = "ana lopez welcomed the plan at a packed meeting in port alder ."
    assert _swaps(line, _source(low), idf=idf, lex=lex) == ["ana lopez"]
    assert _swaps("tomas reyes welcomed the plan at a packed meeting in port alder .", _source(low),
                  idf=idf, lex=lex) == []


def test_work_is_capped_by_the_line_length():
    line = "On Monday, Ana Lopez welcomed the plan at a packed meeting in Port Alder " + "and more " * 40
    assert len(Line.of(line).toks) > swapped.MAX_LINE
    assert _swaps(line) == []


@pytest.mark.parametrize("on", [True, False])
def test_the_swap_is_a_hard_name_piece_when_on(monkeypatch, on):
    monkeypatch.setattr(swapped, "HARD", on)
    ev = line_evidence(_source(), "Ana Lopez welcomed the plan at a packed meeting in Port Alder.")
    got = {"text": "Ana Lopez", "kind": "name"} in hard_pieces(ev)
    assert got is on
    # the faithful line never gets one
    ev = line_evidence(_source(), "Tomas Reyes welcomed the plan at a packed meeting in Port Alder.")
    assert not any(p["kind"] == "name" for p in hard_pieces(ev))
