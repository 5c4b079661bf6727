from newsgist.reading.clean import clean


def texts(text, c, kind=None):
    return [text[p.start:p.end] for p in c.paragraphs if kind is None or p.kind == kind]


def test_cnn_page_parts(example):
    c = clean(example)
    assert len(c.page_highlights) == 3
    assert c.page_highlights[0].startswith("Port Aldine's century-old harbour bridge")
    assert c.dateline["place"] == "Port Aldine, Newland" and c.dateline["outlet"] == "CNN"
    assert texts(example, c, "heading") == ["Ferries fill the gap"]
    body = " ".join(texts(example, c, "paragraph"))
    assert "City council approves record budget" not in body
    assert "Ferry crossing at dawn" not in body and "Source: CNN" not in body
    reasons = {r.text: r.reason for r in c.removed}
    assert reasons["City council approves record budget for schools"] == "related-link"
    assert reasons["01:45 - Source: CNN"] == "video-embed"
    assert reasons["Ferry crossing at dawn"] == "video-embed"
    assert texts(example, c, "paragraph")[0].startswith("The city of Port Aldine will close")


def test_spans_are_verbatim(example):
    c = clean(example)
    for p in c.paragraphs:
        assert example[p.start:p.end].strip() == example[p.start:p.end]
    for r in c.removed:
        assert example[r.start:r.end].strip() == r.text


def test_inline_cnn_dateline():
    t = "LONDON, England (CNN) -- The queen opened parliament on Monday. It rained."
    c = clean(t)
    assert c.dateline["place"] == "LONDON, England"
    assert t[c.paragraphs[0].start:].startswith("The queen")
    t2 = "(CNN)Share, and your gift will be multiplied. That may sound odd."
    c2 = clean(t2)
    assert c2.dateline["outlet"] == "CNN" and c2.dateline["place"] is None
    assert t2[c2.paragraphs[0].start:].startswith("Share,")


def test_daily_mail_furniture():
    t = ("By . Anna Field . PUBLISHED: . 12:04 EST, 3 March 2014 . | . UPDATED: . 14:34 EST, 3 March 2014 . "
         "A farmer found a rare owl in his barn on Sunday. Scroll down for video . "
         "Pictured: The owl sitting on a beam in the barn . The bird was taken to a sanctuary.")
    c = clean(t)
    body = " ".join(texts(t, c))
    assert body.startswith("A farmer found a rare owl")
    assert "PUBLISHED" not in body and "UPDATED" not in body and "Anna Field" not in body
    assert "Scroll down" not in body and "Pictured" not in body
    assert "The bird was taken to a sanctuary." in body
    assert {r.reason for r in c.removed} >= {"byline", "timestamp", "boilerplate", "caption"}


def test_daily_mail_caption_in_running_text():
    # the later Daily Mail text (sumllm-train): no " . " joins, captions between sentences
    t = ("The girls had shown an interest in travelling to Syria, the court heard. Pictured: Aleppo, Syria. "
         "The judge made them wards of court.")
    c = clean(t)
    body = " ".join(texts(t, c))
    assert "Aleppo" not in body
    assert "travelling to Syria, the court heard." in body and body.endswith("wards of court.")
    assert [r.reason for r in c.removed] == ["caption"]


def test_prose_without_final_stop_is_kept():
    t = ("The committee met for six hours on Thursday and agreed on a new plan for the river that "
         "will cost the town a great deal of money over the next ten years\n\nIt starts in May.")
    c = clean(t)
    assert len(texts(t, c, "paragraph")) == 2


def test_credit_line_removed():
    t = "The storm hit the coast on Friday. Thousands lost power.\n\nCNN's Jane Roe contributed to this report."
    c = clean(t)
    assert [r.reason for r in c.removed] == ["credit"]


def test_dateline_span_is_its_text():
    """Found by the fuzzer (issue 17): the span ran one space past the text."""
    import newsgist
    text = "(CNN) -- The mayor said on Monday that the old bridge would close. It will reopen in May."
    d = newsgist.read(text, highlights_only=True).to_dict()["dateline"]
    assert d["text"] == "(CNN) --" and text[d["start"]:d["end"]] == d["text"]
