from newsgist.article import Article
from newsgist.options import Options
from newsgist.pipeline import run
from newsgist.reading.stages import stage_clean, stage_segment
from newsgist.highlighting.select import auto_count, caption_shaped, select


def art(text):
    return run(Article(source=text), Options(), [("clean", stage_clean), ("segment", stage_segment)])


TEXT = ("The river flooded the town on Monday night. "
        "The river flooded the town on Monday night, officials said. "
        "Schools were closed across the county. "
        "Rescue teams worked through the night to reach stranded families. "
        "Ok then.")


def test_redundant_sentence_is_blocked_and_order_kept():
    a = art(TEXT)
    scores = [5, 4.9, 1, 3, 0]
    hl = select(a, scores, count=3)
    assert [h.sentence for h in hl] == [0, 2, 3]  # sentence 1 repeats sentence 0
    for h in hl:
        assert a.source[h.start:h.end] == h.text


def test_max_words_and_fragments():
    a = art(TEXT)
    hl = select(a, [5, 4, 3, 2, 10], count=2, max_words=7)
    assert [h.sentence for h in hl] == [2, 4] or all(len(h.text.split()) <= 7 for h in hl)
    assert all(len(h.text.split()) <= 7 for h in hl)


def test_never_empty_when_sentences_exist():
    a = art("Short one. Tiny two.")
    assert len(select(a, [1, 2], count=3, max_words=3)) >= 1


def test_deterministic_ties():
    a = art(TEXT)
    assert [h.sentence for h in select(a, [1] * 5, count=3)] == [0, 2, 3]


def test_auto_count():
    assert auto_count(10) == 3 and auto_count(60) == 4


QUOTED = ("The council met on Monday to discuss the bridge closure plan. "
          "“The bridge is old. It will stay closed until the cables are replaced,” Okafor said. "
          "Ferries will carry commuters across the harbour every ten minutes.\n\n"
          "\"We checked every cable. Most of them were fine,\" the engineer said.")


def test_opens_inside_quote_marks_the_second_sentence_of_a_quotation():
    from newsgist.highlighting.select import opens_inside_quote
    a = art(QUOTED)
    texts = [a.sentence_text(i) for i in range(len(a.sentences))]
    inside = [t for i, t in enumerate(texts) if opens_inside_quote(a, i)]
    assert inside == ["It will stay closed until the cables are replaced,” Okafor said.",
                      "Most of them were fine,\" the engineer said."]


def test_sentence_inside_a_quote_is_not_selected_while_others_qualify():
    a = art(QUOTED)
    texts = [a.sentence_text(i) for i in range(len(a.sentences))]
    mid = texts.index("It will stay closed until the cables are replaced,” Okafor said.")
    scores = [1.0] * len(texts)
    scores[mid] = 10.0
    chosen = [h.text for h in select(a, scores, count=3)]
    assert texts[mid] not in chosen and len(chosen) == 3
    # ...but when nothing else is left it may still be shown (highlights are never empty)
    only = art("“The bridge is old. It will stay closed until the cables are all replaced,” she said.")
    assert len(select(only, [0.0, 5.0], count=1)) == 1


def test_highlight_text_is_the_exact_source_slice():
    # double spaces, a line break inside a paragraph and a tab stay as written (SCHEMA.md)
    text = ("The Port  Authority said on Monday that the harbour would close for repairs.\n"
            "Ferries will run from the north pier\tinstead, officials said. "
            "Repairs are expected to take six weeks in all.")
    a = art(text)
    hs = select(a, [3.0, 2.0, 1.0], 3)
    assert len(hs) == 3
    for h in hs:
        assert text[h.start:h.end] == h.text
    assert "Port  Authority" in hs[0].text and "pier\tinstead" in hs[1].text


def test_caption_shaped():
    assert caption_shaped("Trial: Marcin Kostrzewa (pictured) arrived at Plymouth Crown Court.")
    assert caption_shaped("Pictured: Aleppo, Syria.")
    assert caption_shaped("Opinion: Why are these NFLers retiring early?")
    assert not caption_shaped("He added: 'I do not take direct responsibility.'")
    assert not caption_shaped("A club statement read: 'It seems illogical.'")
    assert not caption_shaped("The mayor said the bridge would close: it is unsafe.")


def test_caption_not_offered_while_others_qualify():
    a = art("Trial: Marcin Kostrzewa arrived at court on Monday morning. "
            "A Polish man stole secret documents about submarines, a court heard. "
            "He tried to sell them to his government for a large sum. "
            "Officers found the files in his flat after a long search.")
    hl = select(a, [9, 3, 2, 1], count=3)
    assert [h.sentence for h in hl] == [1, 2, 3]
    assert [h.sentence for h in select(a, [9, 3, 2, 1], count=4)] == [0, 1, 2, 3]  # nothing else qualifies
