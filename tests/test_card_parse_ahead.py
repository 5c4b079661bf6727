"""Batch cards parse a chunk's bodies together (card/stage.py parse_ahead, issue 28): the
analyse stage takes that parse, and the card is the same as with a parse of its own."""
import newsgist
from newsgist.card import stage
from newsgist.options import Options
from newsgist.pipeline import run, stages_named
from newsgist.reading.inputs import from_text
from newsgist.reading.load import article_from_source

# Written for this test.
TEXTS = [
    "HALIFAX, Nova Scotia (CNN) -- The harbour authority said on Tuesday that 1,200 ferries a year "
    "will stop at the new pier. \"We expect the line to carry 40,000 people by 2027,\" said Mara Quinn, "
    "the authority's director.\n\nCritics, according to the city council, say the $85 million plan "
    "is too costly. Quinn told reporters the cost had fallen by 12 percent.",
    "The school board voted 5-2 to close two schools, officials said. Parents of about 300 pupils "
    "will have to find new places by September, board chairman Tom Ellery said.\n\n\"It is a sad "
    "day,\" Ellery said.",
]


def _card(text):
    d = newsgist.read(text).to_dict()
    d["meta"].pop("timings_ms", None)
    return d


def test_parse_ahead_gives_the_same_card():
    want = [_card(t) for t in TEXTS]
    arts = [run(article_from_source(from_text(t)), Options(), stages_named("clean", "language", "segment"))
            for t in TEXTS]
    stage.parse_ahead([a.body for a in arts])
    assert all(a.body in stage._PARSED_AHEAD for a in arts)
    got = [_card(t) for t in TEXTS]
    assert not stage._PARSED_AHEAD   # each stage took its parse
    assert got == want


def test_parse_ahead_leaves_long_and_single_bodies():
    stage.parse_ahead(["x " * (stage.PARSE_AHEAD_MAX_CHARS // 2 + 1), "A short one."])
    assert not stage._PARSED_AHEAD   # the long one is left to its stage, and one body needs no batch
