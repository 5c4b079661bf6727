"""Candidate S (reading/softwrap.py): a W-joined pair of kept lines is one paragraph for the card.

The articles below are invented for these tests (no real article text). Each is hard-wrapped here by a
small greedy filler of our own (not the benchmark's transform): e-mail (72 columns, blank lines between
paragraphs), source-pre (block indentation, a raw column of 120 with some columns lost to markup), narrow
(60 columns, no blank line anywhere).
"""
import json
import re

import pytest

from newsgist.api import read
from newsgist.apps.cli.render import one_line, render, render_body
from newsgist.reading import clean as clean_mod
from newsgist.reading import pagewrap, softwrap
from newsgist.reading.clean import clean
from newsgist.reading.pagelines import page_lines
from newsgist.reading.segment import split_span
from newsgist.reading.softwrap import join_soft_breaks
from newsgist.text import soft_breaks_as_spaces
from newsgist.types import Paragraph

# An invented story; each paragraph long enough to wrap into three lines or more at 72 columns (W's
# wrapped runs need 3+ lines). The words at the wrapped lines' ends were checked so that no physical
# line is headline-shaped for clean's line rules (a capitalised line of up to 16 words without a final
# stop is a related-story link there); S2 reads a line in a W join as prose whatever its shape (last tests).
KESTREL = """\
Engineers at the Kestrel Valley dam have begun lowering the reservoir by four metres after a routine survey found that water was seeping through a section of the eastern embankment, the regional water authority said on Wednesday. The authority stressed that the dam was not in danger of failing and that the work was a precaution.

About 2,300 homes in the villages below the dam were told to keep an evacuation bag ready until the level had fallen, a process expected to take nine days. Schools in the two nearest villages will stay open, but two caravan parks near the river have been closed to visitors.

"We found the seepage early, and that is exactly what the monitoring is for," said Priya Anand, the authority's chief engineer. "Lowering the water takes the pressure off the embankment while our divers and surveyors work out what has changed inside it."

The dam is old. It was finished in 1961 and holds about 18 million cubic metres of water, which is the drinking water of roughly 140,000 people in the valley and in the coastal towns beyond it. A repair plan costing an estimated $42 million was approved by the authority's board in March, but work had not been due to start until next spring.

At a meeting in the village hall on Tuesday evening, residents said that they had been given little notice of the work. "My daughter heard about it from a friend before anyone from the authority called us," said Tomas Reilly, who runs a farm shop about two kilometres below the dam.
"""


def fill(text: str, rooms) -> list[str]:
    """``text`` greedily wrapped, line k's room ``rooms(k)`` (words never split)."""
    out, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > rooms(len(out)):
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    return out + [cur]


def paras(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def email(text: str, width: int = 72) -> str:
    return "\n\n".join("\n".join(fill(p, lambda k: width)) for p in paras(text)) + "\n"


def narrow(text: str, width: int = 60) -> str:
    return "\n".join(ln for p in paras(text) for ln in fill(p, lambda k: width)) + "\n"


MARKUP = (0, 7, 15, 3, 19, 11, 5, 17)   # columns each physical line loses to unwritten markup


def source_pre(text: str) -> str:
    """Each paragraph a block indented 8 + 8 k spaces (its continuation lines 4 more), a raw column of 120."""
    out = []
    for k, p in enumerate(paras(text)):
        ind = 8 + 8 * (k % 4)
        lines = fill(p, lambda j, ind=ind: 120 - ind - (4 if j else 0) - MARKUP[(j + k) % len(MARKUP)])
        out.append("\n".join(" " * (ind + (4 if j else 0)) + ln for j, ln in enumerate(lines)))
    return "\n\n".join(out) + "\n"


def sentences_of(text: str) -> set[str]:
    """The unwrapped article's sentences (one space between words)."""
    out = set()
    for p in paras(text):
        out.update(p[a:b] for a, b in split_span(p, 0, len(p)))
    return out


def card(text: str, **kw):
    return read(text, **kw)


def _exact(text: str, d: dict) -> None:
    """Every span of the card JSON ``d`` is the input's text there."""
    for h in d["highlights"]:
        assert text[h["start"]:h["end"]] == h["text"]
    for q in d["quotes"]:
        if "\n\n" not in text[q["start"]:q["end"]]:       # a quote across paragraphs joins its pieces
            assert text[q["start"]:q["end"]] == q["text"]
    for f in d["figures"] + d["dates"]:
        assert text[f["start"]:f["end"]] == f["text"]
    for r in d["removed"]:
        assert text[r["start"]:r["end"]].strip() == r["text"]
    for p in d["body"]["paragraphs"]:
        assert text[p["start"]:p["end"]].strip() == text[p["start"]:p["end"]]


def _card_json(text: str, **kw) -> str:
    d = card(text, **kw).to_dict()
    d["meta"].pop("timings_ms", None)
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


@pytest.fixture()
def s_off(monkeypatch):
    monkeypatch.setattr(softwrap, "SOFT_WRAP", False)


# --- W's joins, exposed ------------------------------------------------------------------------

def test_w_joins_are_fill_pairs_above_the_page_threshold():
    t = email(KESTREL)
    lines = page_lines(t)
    pairs = pagewrap.fill_pairs(t, lines)
    assert len(pairs) >= pagewrap.WRAP_MIN_PAIRS
    assert pagewrap.w_joins(t) == pairs == pagewrap.w_joins(t, lines)
    # under the page threshold: no join at all (the page is read line by line)
    one = email(paras(KESTREL)[0])
    assert 0 < len(pagewrap.fill_pairs(one, page_lines(one))) < pagewrap.WRAP_MIN_PAIRS
    assert pagewrap.w_joins(one) == []


def test_w_joins_ignore_the_page_model_switch(monkeypatch):
    t = email(KESTREL)
    monkeypatch.setattr(pagewrap, "WRAP", False)
    assert pagewrap.w_joins(t)


# --- the merge in clean ------------------------------------------------------------------------

@pytest.mark.parametrize("wrap", [email, source_pre, narrow], ids=["email", "source-pre", "narrow"])
def test_wrapped_article_paragraphs_are_whole(wrap):
    t = wrap(KESTREL)
    c = clean(t)
    got = [" ".join(t[p.start:p.end].split()) for p in c.paragraphs]
    if wrap is narrow:    # no blank line: a paragraph whose last line fills its width joins the next one
        assert " ".join(got) == " ".join(" ".join(p.split()) for p in paras(KESTREL))
    else:
        assert got == [" ".join(p.split()) for p in paras(KESTREL)]
    assert not c.removed


@pytest.mark.parametrize("wrap", [email, source_pre, narrow], ids=["email", "source-pre", "narrow"])
def test_wrapped_article_card_reads_whole_sentences(wrap):
    t = wrap(KESTREL)
    a = card(t)
    d = a.to_dict()
    _exact(t, d)
    whole = sentences_of(KESTREL)
    for s in a.sentences:
        assert " ".join(t[s.start:s.end].split()) in whole
    assert d["highlights"]
    for h in d["highlights"]:
        assert one_line(h["text"]) in whole
        assert "\n" in h["text"] or len(h["text"]) <= 72     # JSON keeps the exact text
    # a quote that runs across a soft break is found whole, its text exact
    said = [q for q in d["quotes"] if q["kind"] == "direct" and q["speaker"] == "Tomas Reilly"]
    assert said and one_line(said[0]["text"]).startswith("My daughter heard about it from a friend before anyone")
    # labels read as one line; spans keep the input's text
    assert all("\n" not in e["name"] for e in d["entities"])
    assert "Tomas Reilly" in [e["name"] for e in d["entities"]]


def test_s_off_is_one_paragraph_a_line(s_off):
    t = email(KESTREL)
    c = clean(t)
    assert [(p.start, p.end) for p in c.paragraphs] == [(s, e) for s, e, _ in page_lines(t)]


def test_unwrapped_inputs_are_unchanged(example, monkeypatch):
    for t in (KESTREL, example, " ".join(paras(KESTREL))):
        on = _card_json(t)
        monkeypatch.setattr(softwrap, "SOFT_WRAP", False)
        off = _card_json(t)
        monkeypatch.setattr(softwrap, "SOFT_WRAP", True)
        assert on == off


def test_short_wrapped_text_is_read_line_by_line():
    t = email(paras(KESTREL)[0])     # three fill pairs: under W's page threshold
    assert len(clean(t).paragraphs) == len(page_lines(t))


def test_no_merge_across_an_inline_cut():
    # a Daily Mail piece cut out at the end of a wrapped line: the text before it does not join the
    # next line (removed text between), the lines after the cut still do
    body = fill(" ".join(paras(KESTREL)[:2]), lambda k: 72)
    body[2] = body[2] + " Scroll down for video"
    t = "\n".join(body) + "\n"
    assert len(pagewrap.w_joins(t)) >= pagewrap.WRAP_MIN_PAIRS
    c = clean(t)
    cut = [r for r in c.removed if r.reason == "boilerplate"]
    assert len(cut) == 1 and cut[0].text.startswith("Scroll down for video")
    for p in c.paragraphs:
        assert not (p.start < cut[0].start < p.end)
    line3 = page_lines(t)[3]
    assert any(p.start == line3[0] for p in c.paragraphs)       # the next line starts a paragraph
    assert any(p.end < cut[0].start and p.start < line3[0] for p in c.paragraphs)


def test_headings_never_merge(monkeypatch):
    ps = [Paragraph(0, 5, "paragraph"), Paragraph(6, 11, "heading"), Paragraph(12, 17, "paragraph")]
    t = "aaaaa\nbbbbb\nccccc"
    assert join_soft_breaks(t, ps) == ps
    # a subhead right under a full wrapped line, no blank line between, is the second line of a W join:
    # S2 reads it as prose (a known cost, registered: it merges into the paragraph above); the product
    # before S2 kept it a heading, apart
    p = paras(KESTREL)
    full = fill(p[0] + " " + p[1], lambda k: 72)[:-1]       # the run's last line filled to its width
    t = "\n".join(full) + "\nFerries fill the gap\n" + email(p[3])
    lines = page_lines(t)
    head = next(i for i, (s, e, _) in enumerate(lines) if t[s:e] == "Ferries fill the gap")
    assert head - 1 in pagewrap.w_joins(t, lines)
    c = clean(t)
    assert not any(q.kind == "heading" for q in c.paragraphs)
    assert any(q.start < lines[head][0] and q.end >= lines[head][1] for q in c.paragraphs)
    monkeypatch.setattr(softwrap, "SOFT_WRAP", False)
    c = clean(t)
    kinds = {t[q.start:q.end]: q.kind for q in c.paragraphs}
    assert kinds["Ferries fill the gap"] == "heading"


def test_no_merge_across_lines_the_page_model_removes(monkeypatch):
    # a wrapped page with furniture: a line the model removes between two kept lines of a wrapped
    # run. The model is stood in for (its reasons, by line start) so that the test fixes the lines.
    t = narrow(KESTREL)
    lines = page_lines(t)
    joins = pagewrap.w_joins(t, lines)
    mid = next(i for i in joins if {i - 2, i - 1, i + 1} <= set(joins))
    furniture = clean_mod._Reasons({lines[mid][0]: "share"})
    furniture.pair = None
    monkeypatch.setattr(clean_mod, "_page_furniture", lambda text: furniture)
    c = clean(t)
    assert [r.start for r in c.removed] == [lines[mid][0]]
    before = next(p for p in c.paragraphs if p.end == lines[mid - 1][1])
    after = next(p for p in c.paragraphs if p.start == lines[mid + 1][0])
    assert before is not after and before.end < lines[mid][0] < after.start
    # the model ran and S still merged the rest of the run
    assert before.start < lines[mid - 1][0]


def test_merged_paragraph_spans_first_start_to_last_end():
    t = source_pre(KESTREL)
    c = clean(t)
    lines = page_lines(t)
    starts, ends = {s for s, _, _ in lines}, {e for _, e, _ in lines}
    for p in c.paragraphs:
        assert p.start in starts and p.end in ends
        assert "\n" in t[p.start:p.end] and "\n\n" not in t[p.start:p.end]


# --- what people read --------------------------------------------------------------------------

def test_one_line_and_soft_breaks():
    assert one_line("a  b") == "a  b"
    assert one_line("the harbour bridge for\n        two years") == "the harbour bridge for two years"
    assert soft_breaks_as_spaces("Tomas\n   Reilly") == "Tomas Reilly"
    assert soft_breaks_as_spaces("a\n\nb") == "a\n\nb" and soft_breaks_as_spaces(None) is None
    assert soft_breaks_as_spaces("a  b") == "a  b"


def test_one_line_off_with_s(s_off):
    assert one_line("a\n  b") == "a\n  b"


def test_readable_outputs_show_one_line():
    t = source_pre(KESTREL)
    a = card(t)
    d = a.to_dict()
    text = render(d)
    for h in d["highlights"]:
        assert f"  • ✓ {one_line(h['text'])}" in text or f"  • {one_line(h['text'])}" in text
    hl = render(d, highlights_only=True)
    assert len(hl.strip("\n").split("\n")) == len(d["highlights"])
    assert all(" ".join(line.split()) == line.strip() for line in hl.splitlines())
    md = render(d, "markdown")
    assert "\n        " not in md
    assert json.loads(render(d, "json"))["highlights"][0]["text"] == d["highlights"][0]["text"]
    body = render_body(a)
    assert body.split("\n\n")[0] == " ".join(paras(KESTREL)[0].split())
    assert re.search(r"\n {4,}", body) is None


def test_render_body_unchanged_without_soft_breaks(example):
    a = card(example, highlights_only=True)
    assert render_body(a) == a.body.rstrip("\n") + "\n"


# --- S2: a line in a W join is never read as headline-shaped ------------------------------------

EXTRA = ("the survey was ordered after a week of heavy rain in the hills above the valley,\n"
         "Officials from three neighbouring regions will visit the site next week\n"
         "to see the work for themselves before the winter storms arrive, she said.\n")


def test_a_headline_shaped_wrapped_line_is_prose_and_merges():
    # A capitalised wrapped line of up to 16 words without a final stop is a related-story link by
    # shape; inside a W join it is a piece of its paragraph (S2): kept, and the paragraph is one.
    t = email(KESTREL) + "\n" + EXTRA
    lines = page_lines(t)
    assert {len(lines) - 3, len(lines) - 2} <= set(pagewrap.w_joins(t, lines))
    assert clean_mod._headline_shaped(t[lines[-2][0]:lines[-2][1]])
    c = clean(t)
    assert not c.removed
    assert (c.paragraphs[-1].start, c.paragraphs[-1].end) == (lines[-3][0], lines[-1][1])
    assert c.paragraphs[-1].kind == "paragraph"


def test_s_off_sets_the_headline_shaped_wrapped_line_aside(s_off):
    # the product before S / S2: the same line is a related link, its paragraph cut in two
    t = email(KESTREL) + "\n" + EXTRA
    lines = page_lines(t)
    c = clean(t)
    assert [(r.reason, r.start) for r in c.removed] == [("related-link", lines[-2][0])]


def test_a_headline_shaped_line_outside_any_join_is_still_set_aside():
    # the same capitalised line standing alone between wrapped paragraphs (blank lines around it, so
    # in no W join) is read by its shape as before
    t = email(KESTREL) + "\nOfficials from three neighbouring regions will visit the site next week\n\n" + email(KESTREL)
    lines = page_lines(t)
    alone = next(i for i, ln in enumerate(lines) if t[ln[0]:ln[1]].startswith("Officials from three"))
    joined = set(pagewrap.w_joins(t, lines))
    assert alone not in joined and alone - 1 not in joined
    c = clean(t)
    assert ("related-link", lines[alone][0]) in [(r.reason, r.start) for r in c.removed]


# --- the quote stage and the labels across soft breaks (session 14f) ---------------------------
# Invented paragraphs, broken by hand so that each line is a fill line of a 72-column run (W joins
# them after the wrapped KESTREL above); ``_soft_article`` builds the same article wrapped or with each
# of these paragraphs on one line.

SOFT = {
    "cue": ["\"The old spillway gates were tested twice this summer and held,\" said",
            "Marta Kowalczyk, a hydrologist who advises the authority on its dams,",
            "after she had walked the length of the embankment with the divers."],
    "indirect": ["At a briefing in the village hall on Thursday the hydrologist said that",
                 "the embankment had moved by less than a centimetre since the spring and",
                 "that the pumps would keep the level falling for at least another week."],
    "title": ["\"Nobody needs to leave their home tonight,\" said Ruth Adeyemi, the",
              "council's director of emergency planning, at the end of the briefing in",
              "the village hall, where more than two hundred people had come to listen."],
}


def _soft_article(keys, wrapped: bool = True) -> tuple[str, int]:
    """The wrapped KESTREL, then the ``SOFT`` paragraphs ``keys``; and where those start."""
    base = email(KESTREL).rstrip("\n")
    parts = [base] + ["\n".join(SOFT[k]) if wrapped else " ".join(SOFT[k]) for k in keys]
    return "\n\n".join(parts) + "\n", len(base)


def _said(d: dict, after: int) -> list[tuple]:
    return [(q["kind"], q["speaker"], q["speaker_title"], one_line(q["text"])) for q in d["quotes"]
            if q["start"] > after]


def test_quote_whose_cue_ends_a_wrapped_line_has_the_next_lines_speaker():
    t, after = _soft_article(["cue"])
    assert any("\n" in p for p in card(t).body.split("\n\n"))         # S read the paragraph as one
    said = _said(card(t).to_dict(), after)
    assert ("direct", "Marta Kowalczyk") in [s[:2] for s in said]      # not the speaker before (Tomas Reilly)
    assert said == _said(card(_soft_article(["cue"], wrapped=False)[0]).to_dict(), after)


def test_reported_speech_across_soft_breaks_is_whole():
    t, after = _soft_article(["indirect"])
    said = _said(card(t).to_dict(), after)
    whole = " ".join(" ".join(SOFT["indirect"]).split("said ", 1)[1].split()).rstrip(".")
    assert ("indirect", "the hydrologist", None, whole) in said
    assert said == _said(card(_soft_article(["indirect"], wrapped=False)[0]).to_dict(), after)


def test_a_name_across_a_soft_break_is_in_the_speaker_registry():
    from newsgist.card.nlp import load_nlp
    from newsgist.card.quotes.speakers import Speakers
    text = "The camp warden, Anna\nVelde, told reporters that the water was falling."
    doc = load_nlp()(text)
    if not any(e.label_ == "PERSON" and "\n" in e.text for e in doc.ents):
        pytest.skip("the model does not read the name across the line break here")
    soft = Speakers(text, doc, soft=[(0, len(text))])
    assert [_words(p.name) for p in soft.people] == [["Anna", "Velde"]]
    assert Speakers(text, doc).people == []             # a newline that is a line break: as before
    assert soft.line_start(text.index("Velde")) == 0 and soft.line_end(0) == len(text)


def _words(s: str) -> list[str]:
    return s.split()


def test_appositive_title_after_a_soft_break_has_no_leading_space():
    t, after = _soft_article(["title"])
    d = card(t).to_dict()
    title = "council's director of emergency planning"
    assert ("direct", "Ruth Adeyemi", title) in [s[:3] for s in _said(d, after)]
    assert next(e for e in d["entities"] if e["name"] == "Ruth Adeyemi")["title"] == title


def test_quote_stage_without_soft_breaks_is_unchanged(s_off, example):
    # no soft break in the body (S off, or an unwrapped input): reading the paragraphs' newlines as
    # soft breaks changes nothing, and the labels are as they were
    from newsgist.card.quotes.extract import extract_quotes
    from newsgist.types import to_dict
    for t in (_soft_article(list(SOFT))[0], example):
        a = card(t)
        body = a.body
        assert not any("\n" in body[p.start:p.end] for p in a.body_paragraphs())
        args = (body, a.doc, a.body_paragraphs(), a.body_sentences())
        assert [to_dict(q) for q in extract_quotes(*args, soft_breaks=True)] == \
            [to_dict(q) for q in extract_quotes(*args)]


def test_soft_break_labels_and_figure_lines():
    from newsgist.apps.cli.render import figure_alternative
    assert soft_breaks_as_spaces("\nauthority's deputy\n   director") == "authority's deputy director"
    assert soft_breaks_as_spaces("chief engineer \n") == "chief engineer"
    assert soft_breaks_as_spaces("\n\ncouncil's director") == "\n\ncouncil's director"   # a paragraph break: kept
    assert one_line("a\n\nb") == "a\n\nb" and one_line("a\n   b") == "a b"
    fig = {"text": "$42\nmillion", "counts": "million", "kind": "number"}
    assert figure_alternative(fig) == figure_alternative({**fig, "text": "$42 million"}) == "$42"


# --- the parse reads a soft break as a space (session 14g, candidate P) -------------------------
# An invented paragraph; wrapped at 83 columns its first line ends in "Marta", so the name is split by
# a soft break (without P the model read "Marta" as a place and "Kowalczyk" as a person here).
SPLIT_NAME = ("At the end of a long briefing in the village hall on Thursday the hydrologist Marta Kowalczyk "
              "told residents that the embankment had moved by less than a centimetre since the spring, and "
              "that the pumps would keep the level falling for at least another week.")


def _split_name_article() -> tuple[str, int]:
    base = email(KESTREL, 83).rstrip("\n")
    lines = fill(SPLIT_NAME, lambda k: 83)
    assert any(ln.endswith(" Marta") for ln in lines)
    return base + "\n\n" + "\n".join(lines) + "\n", len(base)


def _entities_after(d: dict, after: int) -> list[tuple]:
    return [(e["type"], e["name"], [tuple(s) for s in e["spans"]]) for e in d["entities"]
            if e["spans"] and e["spans"][0][0] > after]


def test_a_name_split_by_a_soft_break_is_one_person():
    t, after = _split_name_article()
    a = card(t)
    assert a.doc.text != a.body and len(a.doc.text) == len(a.body)    # the parse read a space there
    d = a.to_dict()
    start = t.index("Marta\nKowalczyk")
    assert ("PERSON", "Marta Kowalczyk", [(start, start + len("Marta Kowalczyk"))]) in _entities_after(d, after)
    assert not any(e["name"] in ("Marta", "Kowalczyk") for e in d["entities"])
    _exact(t, d)
    for e in d["entities"]:
        for s, f in e["spans"]:
            assert soft_breaks_as_spaces(t[s:f]) in [e["name"]] + e["variants"] or e["type"] == "PLACE"


def test_parse_text_is_the_body_without_soft_breaks(s_off, example):
    from newsgist.card.stage import parse_text
    for t in (_split_name_article()[0], example):
        a = card(t)
        assert parse_text(a) is a.body and a.doc.text == a.body


def test_parse_text_keeps_offsets_and_indentation():
    from newsgist.card.stage import parse_text
    a = card(source_pre(KESTREL))
    body, parsed = a.body, parse_text(a)
    assert len(parsed) == len(body) and "\n    " in body
    assert parsed == "\n\n".join(p.replace("\n", " ") for p in body.split("\n\n"))
