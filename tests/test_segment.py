from newsgist.reading.segment import has_sentence_punctuation, segment, split_span
from newsgist.types import Paragraph


def sents(text):
    return [text[s:e] for s, e in split_span(text, 0, len(text))]


def test_titles_and_acronyms_do_not_split():
    t = "Maj. Gen. Jeff Buchanan said U.S. forces left at 9 a.m. Tuesday. Then they returned."
    assert sents(t) == ["Maj. Gen. Jeff Buchanan said U.S. forces left at 9 a.m. Tuesday.", "Then they returned."]


def test_acronym_at_sentence_end_splits_before_an_opener():
    assert sents("He moved to the U.S. The move was hard.") == ["He moved to the U.S.", "The move was hard."]


def test_initials_and_numbers():
    t = "John F. Kennedy was No. 1 in the polls. It rose 3.5 percent."
    assert sents(t) == ["John F. Kennedy was No. 1 in the polls.", "It rose 3.5 percent."]


def test_quotes_close_after_the_stop():
    t = "“We are ready,” he said. “Why?” she asked. “Go.” Then silence."
    assert sents(t) == ["“We are ready,” he said.", "“Why?” she asked.", "“Go.”", "Then silence."]


def test_dashes_do_not_split():
    t = "Al Qaeda – the reason the U.S. invaded – is active. It grows."
    assert sents(t) == ["Al Qaeda – the reason the U.S. invaded – is active.", "It grows."]


def test_spans_are_into_the_text_and_skip_headings():
    t = "Title\n\nOne sentence here. Two here."
    paras = [Paragraph(0, 5, "heading"), Paragraph(7, len(t), "paragraph")]
    out = segment(t, paras)
    assert [t[s.start:s.end] for s in out] == ["One sentence here.", "Two here."]
    assert all(s.paragraph == 1 for s in out)


def test_sentence_punctuation():
    assert has_sentence_punctuation("It rained.")
    assert not has_sentence_punctuation("breaking news the council met today")
