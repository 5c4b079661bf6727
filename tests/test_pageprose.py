"""Session 7b's furniture-prose cues and its candidate sure rule (issue 31; the rule is off:
``pageprose.PROSE_RULE``). Lines and pages written for these tests."""
import numpy as np
import pytest

from newsgist.reading import pagedecode, pagemodel, pageprose
from newsgist.reading.pageprose import author_lead, bio_cues, byline_names, prose_furniture, site_voice

# the Dragnet-trained pair alone (conftest.dragnet_pair): the shipped page router would send
# these pages to its modern pair (issue 31, session 12)
pytestmark = pytest.mark.usefixtures("dragnet_pair")


def _spans(lines):
    out, pos = [], 0
    for k, line in enumerate(lines):
        out.append((pos, pos + len(line), k == 0))
        pos += len(line) + 1
    return "\n".join(lines), out


def test_cues_by_hand():
    assert bio_cues("Dana Whitcombe is the harbour editor of the Gazette. Follow her on Twitter.") == 3
    assert bio_cues("Ellis, who was born in Leeds, is a former reporter.") == 2     # occupation, "born in"
    assert bio_cues("The council has voted to close the bridge.") == 0              # "The" is no name
    assert bio_cues("I'm a nurse and I live in Leeds.") == 1                        # first person only
    assert site_voice("Welcome to our site, devoted to bridges.") == 3
    assert site_voice("The bridge will close on Monday.") == 0


def test_byline_names_and_author_lead():
    names, flags = byline_names(["Home", "By Dana Whitcombe", "Posted by Al Reyes", "Dana said hello."])
    assert names == {"dana", "whitcombe", "reyes"}                  # "Al": under three letters
    assert flags == [False, True, True, False]
    assert author_lead("Whitcombe covers the harbour.", names)
    assert not author_lead("The old harbour, Whitcombe said, is busy.", names)   # the 4th word
    assert not author_lead("Whitcombe covers the harbour.", set())


def test_prose_furniture_by_hand():
    lines = ["By Dana Whitcombe",                                                     # 0 a byline: never
             "Dana Whitcombe is a reporter.",                                         # 1: 2 cues + the author
             "Tom Reyes is a reporter who grew up in Leeds.",                         # 2: 3 cues
             "Mayor Ellis is a former reporter.",                                     # 3: 2 cues, not the author
             "Welcome to our site.",                                                  # 4: 2 site cue kinds
             "Our site is new.",                                                      # 5: 1 kind
             "Dana Whitcombe is a reporter. Follow her on Twitter."]                  # 6: not kept
    text, spans = _spans(lines)
    bios, site = prose_furniture(text, spans, [True] * 6 + [False])
    assert bios == {1, 2} and site == {4}


def test_the_rule_on_a_pasted_page_with_a_bio_and_a_tagline(monkeypatch):
    """A page the model keeps a tagline and the author's bio of (given probabilities): with the
    candidate on they are set aside as "site-about" and "author-bio", the article stays; off (the
    default), the page prints them."""
    from newsgist.reading.clean import clean
    menu = ["Home page", "World news", "Business news", "Markets today", "Tech news", "Opinion pages",
            "Life and style", "Sports results", "Search the site", "Log in"]
    tagline = "Local news from the Kestrel valley since 1921. Welcome to our site."
    head, byline = "Kestrel Ferry to resume winter crossings", "By Ruth Okafor"
    para = ["The Kestrel Ferry will run through the winter for the first time in a decade, the council said.",
            "Councillors voted to pay for a second crew, so that the ferry can cross twice an hour.",
            "A new boat, built in Kestrel Quay, passed its safety checks this spring."]
    bio = "Ruth Okafor is the Gazette's transport reporter. Follow her on Twitter."
    foot = ["Share", "Tweet", "About us", "Privacy policy", "Contact", "Terms of use"]
    lines = menu + [tagline, head, byline] + para + [bio] + foot
    text = "\n".join(lines) + "\n"
    prob = {tagline: 0.6, head: 0.8, byline: 0.7, bio: 0.8, **{p: 0.95 for p in para}}

    class Given:
        threshold, relative = 0.5, 0.0

        def probabilities(self, X):
            return np.array([prob.get(ln, 0.05) for ln in lines])
    monkeypatch.setattr(pagemodel, "load_model", lambda: Given())
    monkeypatch.setattr(pagedecode, "DECODE", "threshold")
    body = [text[p.start:p.end] for p in clean(text).paragraphs]
    assert tagline in body and bio in body                       # off: both printed
    monkeypatch.setattr(pageprose, "PROSE_RULE", True)
    c = clean(text)
    body = [text[p.start:p.end] for p in c.paragraphs]
    assert tagline not in body and bio not in body
    assert all(p in body for p in para) and head in body
    reasons = {r.text: r.reason for r in c.removed}
    assert reasons[bio] == "author-bio" and reasons[tagline] == "site-about"
    assert reasons[byline] == "byline"                           # the byline sure rule, as before
