import pytest

from newsgist.article import Article
from newsgist.options import Options
from newsgist.pipeline import run
from newsgist.reading.stages import stage_clean, stage_segment
from newsgist.highlighting.methods import SCORERS, method_names, resolve


def art(text):
    return run(Article(source=text), Options(), [("clean", stage_clean), ("segment", stage_segment)])


TEXT = ("Floods hit the town of Dale on Monday. Floods closed roads and schools in Dale. "
        "A local baker said she liked cats very much indeed and always had. "
        "Officials said the floods in Dale could last a week. Why would anyone care?")


def test_table_names():
    assert {"lead", "position", "textrank"} <= set(SCORERS)
    assert method_names()[0] == "default"
    assert resolve("default").name in SCORERS


@pytest.mark.parametrize("name", ["lead", "position", "textrank"])
def test_one_score_per_sentence(name):
    a = art(TEXT)
    assert len(SCORERS[name].fn(a)) == len(a.sentences) == 5


def test_lead_orders_by_position():
    s = SCORERS["lead"].fn(art(TEXT))
    assert s == sorted(s, reverse=True)


def test_position_prefers_on_topic_and_penalises_questions():
    s = SCORERS["position"].fn(art(TEXT))
    assert s[3] > s[2]        # on-topic beats off-topic despite coming later
    assert s[4] < s[3]        # the question is penalised


def test_textrank_central_sentence_ranks_high():
    s = SCORERS["textrank"].fn(art(TEXT))
    assert s[2] == min(s[:4])  # the off-topic sentence is least central
