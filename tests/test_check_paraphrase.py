"""The checker vouches for paraphrase (issue 26): faithful lines that fuse sentences,
resolve a title, round a number are accepted; changed facts are caught and named.

The seed page with a loopback OpenAI-style endpoint (tests/llm_fake.py) answering the
three lines of the issue: the two faithful ones are shown as LLM highlights whose support
spans hold their words; the invented NATO/5,000 line is never shown as supported."""
from __future__ import annotations

import json

import pytest

import newsgist
from llm_fake import FakeLLM

FAITHFUL_MINISTER = "Afghanistan's acting defense minister says al Qaeda is very active and a big threat."
FAITHFUL_CAMP = "A U.S. general said a camp in Kandahar held more than 150 al Qaeda members."
INVENTED = "Al Qaeda now has 5,000 fighters in Kabul, according to NATO chief Jens Stoltenberg."


def _read(text, fake, **kw):
    return newsgist.read(text, highlights_only=True, generator="llm", llm_url=fake.url, count=3, **kw)


def _support_text(article, h) -> str:
    return " ".join(article.source[s["start"]:s["end"]] for s in h["support"])


def test_seed_page_llm_lines_faithful_shown_invented_never_supported(seed):
    text, _ = seed
    with FakeLLM([json.dumps([FAITHFUL_MINISTER, FAITHFUL_CAMP, INVENTED])]) as fake:
        art = _read(text, fake)
    card = art.to_dict()
    shown = {h["text"]: h for h in card["highlights"]}
    for line, words in ((FAITHFUL_MINISTER, "very active"), (FAITHFUL_CAMP, "150")):
        h = shown.get(line)
        assert h is not None, (line, card["meta"]["llm"])
        assert h["generator"] == "llm" and h["supported"] is True, h
        assert words in _support_text(art, h), (words, h["support"])
    assert INVENTED not in shown
    replaced = card["meta"]["llm"]["replaced"] + card["meta"]["llm"]["dropped"]
    assert [r["text"] for r in replaced] == [INVENTED]
    kinds = {u["kind"] for u in replaced[0]["unsupported"]}
    assert {"number", "name"} <= kinds, replaced[0]
    assert all(h["supported"] for h in card["highlights"])


def test_seed_page_flagged_invented_line_says_what_is_not_backed(seed):
    text, _ = seed
    with FakeLLM([json.dumps([INVENTED, FAITHFUL_CAMP])]) as fake:
        card = _read(text, fake, unsupported="flag").to_dict()
    first = card["highlights"][0]
    assert first["text"] == INVENTED and first["supported"] is False
    pieces = {(u["kind"], u["text"]) for u in first["unsupported"]}
    assert ("number", "5,000") in pieces and any(k == "name" and "Stoltenberg" in t for k, t in pieces)


ARTICLE = (
    "Manchester United beat Liverpool 2-1 on Sunday at Old Trafford. Marcus Rashford scored twice for the home "
    "side, who had not won at home since March. A crowd of 297 police officers watched over the fans.\n\n"
    "Manager Erik ten Hag said: \"We showed character today.\" The club will not sign new players in January, "
    "he added. Around 74,000 fans attended the match.")


@pytest.mark.parametrize("line", [
    "Marcus Rashford scored twice as Manchester United beat Liverpool 2-1 at Old Trafford.",    # fusion
    "Nearly 300 police officers watched over the fans.",                                          # rounding
])
def test_faithful_paraphrase_is_supported(line):
    s = newsgist.check(ARTICLE, line)["sentences"][0]
    assert s["supported"] is True, s
    assert s["support"]


@pytest.mark.parametrize("line, kind", [
    ("Liverpool beat Manchester United 2-1 at Old Trafford on Sunday.", "relation"),
    # (the same swap inside a line fused from two sentences passes: BENCHMARKS.md, "Issue 26")
    ("Erik ten Hag said the club will sign new players in January.", "negation"),
    ("Nearly 500 police officers watched over the fans.", "number"),
])
def test_changed_fact_is_caught_and_named(line, kind):
    s = newsgist.check(ARTICLE, line)["sentences"][0]
    assert s["supported"] is False, s
    assert kind in {u["kind"] for u in s["unsupported"]}, s["unsupported"]


def test_a_copied_sentence_scores_one_without_the_model():
    from newsgist.grounding.check import line_evidence, score_line, source_of
    src = source_of(newsgist.read(ARTICLE, highlights_only=True))
    ev = line_evidence(src, "Around 74,000 fans attended the match.")
    assert ev["verbatim"] and score_line(ev) == 1.0
