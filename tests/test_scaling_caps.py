"""Issue 17: every stage near-linear. The caps on pathological structures trigger and are
reported in ``meta.limits_hit`` (never silently: the body keeps all of the text), and the
linear rewrites give the same output as the plain definitions they replace on normal text.
No test here is timed (benchmarks/bench_scaling.py measures time)."""
from __future__ import annotations

import json
import math
import os
import re
from collections import Counter

import numpy as np
import pytest

import newsgist
from newsgist.article import Article
from newsgist.errors import TooLargeError
from newsgist.types import Paragraph

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "seeds")
SEED = os.path.join(SEEDS, "cnn-afghanistan-al-qaeda.txt")

ARTICLE = (
    "WASHINGTON (CNN) -- The city council approved a $3 million budget for the bridge on Monday, "
    "officials said. The vote was 7-2.\n\n"
    "“The bridge is old. It has to be fixed,” Mayor Jane Okafor said. “We cannot wait.”\n\n"
    "According to the city engineer, the repairs will take two years. Okafor said the work would "
    "start in May. Critics, who said the plan was rushed, called the vote “a mistake.”\n\n"
    "The number of daily commuters who cross the bridge is about 40,000, the engineer said."
)


def _hits(article, limit=None):
    return [h for h in article.meta.get("limits_hit", []) if limit is None or h["limit"] == limit]


def _seed_or_article() -> str:
    if os.path.exists(SEED):
        with open(SEED, encoding="utf-8") as fh:
            return fh.read()
    return ARTICLE


# --- normal text: no cap, no change ------------------------------------------------------

def test_normal_article_hits_no_limit():
    a = newsgist.read(ARTICLE)
    assert "limits_hit" not in a.meta
    assert a.quotes and a.entities and a.figures


def test_seed_page_hits_no_limit():
    a = newsgist.read(_seed_or_article())
    assert _hits(a) == []


# --- segment: runs of stops stay linear and split as before; long sentences are cut ---------

def test_segment_runs_of_stops_split_as_before():
    from newsgist.reading.segment import split_span
    text = "He left!?! Then she came... And it rained.” Done. Dr. Smith stayed."
    spans = [text[s:e] for s, e in split_span(text, 0, len(text))]
    assert spans == ["He left!?!", "Then she came...", "And it rained.”", "Done.", "Dr. Smith stayed."]
    soup = "x" + "!?." * 900 + "x A."      # backtracking made this quadratic
    assert [soup[s:e] for s, e in split_span(soup, 0, len(soup))] == [soup]


def test_long_sentence_is_cut_and_reported_body_keeps_text():
    from newsgist.reading.segment import SENTENCE_MAX_CHARS
    text = "The mayor, " + "who said, " * 2000 + "left."
    a = newsgist.read(text, highlights_only=True)
    hits = _hits(a, "SENTENCE_MAX_CHARS")
    assert len(hits) == 1 and hits[0]["stage"] == "segment" and f"{len(text):,}" in hits[0]["detail"]
    assert all(s.end - s.start <= SENTENCE_MAX_CHARS for s in a.sentences)
    assert a.body == text                                      # nothing dropped from the body
    joined = "".join(a.source[s.start:s.end] for s in a.sentences)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)  # the pieces cover all of it
    for h in a.highlights:
        assert a.source[h.start:h.end] == h.text


def test_sentences_under_the_cap_are_not_cut():
    from newsgist.reading.segment import SENTENCE_MAX_CHARS, split_span
    text = "A " * ((SENTENCE_MAX_CHARS - 4) // 2) + "end."   # exactly the cap
    assert split_span(text, 0, len(text)) == [(0, len(text))]


# --- score / select ----------------------------------------------------------------------

def test_score_cap_ranks_the_first_sentences_and_reports(monkeypatch):
    import newsgist.highlighting.stages as stages
    monkeypatch.setattr(stages, "SCORE_MAX_SENTENCES", 6)
    text = " ".join(f"Sentence number {i} tells readers about the bridge vote." for i in range(20))
    a = newsgist.read(text, highlights_only=True, method="position")
    assert len(a.scores) == len(a.sentences) == 20
    assert all(h.sentence < 6 for h in a.highlights)
    assert max(a.scores[6:]) < min(a.scores[:6])
    assert [h["limit"] for h in _hits(a)] == ["SCORE_MAX_SENTENCES"]


def test_textrank_cap_reports(monkeypatch):
    import newsgist.highlighting.scorers as scorers
    monkeypatch.setattr(scorers, "TEXTRANK_MAX_SENTENCES", 4)
    text = " ".join(f"Sentence number {i} tells readers about the bridge vote." for i in range(10))
    a = newsgist.read(text, highlights_only=True, method="textrank")
    assert a.scores[4:] == [0.0] * 6
    assert [h["limit"] for h in _hits(a)] == ["TEXTRANK_MAX_SENTENCES"]


def test_inside_quote_flags_match_the_definition():
    from newsgist.highlighting.select import inside_quote_flags
    a = newsgist.read(ARTICLE + "\n\n“One. Two. Three,” he said. \"Four. Five.\" Six.", highlights_only=True)

    def naive(i):
        s = a.sentences[i]
        text = a.source[s.start:s.end]
        first = min((k for k in (text.find("“"), text.find("”")) if k >= 0), default=-1)
        if first >= 0 and text[first] == "”":
            return True
        before = a.source[a.paragraphs[s.paragraph].start:s.start]
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1
    flags = inside_quote_flags(a)
    assert flags == [naive(i) for i in range(len(a.sentences))]
    assert any(flags) and not all(flags)


def test_ranker_features_match_the_dense_similarities():
    from newsgist.highlighting.ranker_features import FEATURE_NAMES, _stems, sentence_features
    a = newsgist.read(_seed_or_article(), highlights_only=True)
    texts = [a.sentence_text(i) for i in range(len(a.sentences))]
    x = sentence_features(a)
    vecs = [Counter(_stems(t)) for t in texts]
    vocab = sorted({k for v in vecs for k in v})
    m = np.array([[v.get(k, 0) for k in vocab] for v in vecs], dtype=float)
    m /= np.where(np.linalg.norm(m, axis=1) == 0, 1, np.linalg.norm(m, axis=1))[:, None]
    sim = m @ m.T
    n = len(texts)
    col = {name: FEATURE_NAMES.index(name) for name in ("sim_first", "sim_prev", "mean_sim", "centrality")}
    assert np.allclose(x[1:, col["sim_first"]], sim[1:, 0])
    assert np.allclose(x[1:, col["sim_prev"]], [sim[i, i - 1] for i in range(1, n)])
    own = np.array([1.0 if v else 0.0 for v in vecs])
    assert np.allclose(x[:, col["mean_sim"]], (sim.sum(axis=1) - own) / (n - 1))
    df = (m > 0).sum(axis=0)
    assert np.allclose(x[:, col["centrality"]], m @ (df / np.linalg.norm(df)))


def test_to_body_matches_a_scan():
    text = "One para.\n\nTwo para here.\n\n\nThree."
    a = Article(text, paragraphs=[Paragraph(0, 9), Paragraph(11, 25), Paragraph(28, 34)])
    body = a.body
    for p in a.paragraphs:
        for off in range(p.start, p.end + 1):
            b = a.to_body(off)
            assert a.to_source(b) == off
            if off < p.end:
                assert body[b] == text[off]
    with pytest.raises(ValueError):
        a.to_body(26)


# --- the card ----------------------------------------------------------------------------

def test_long_parsed_sentence_is_not_read_for_quotes_and_reported():
    a = newsgist.read("according to " * 400 + "officials.")
    hits = _hits(a, "SENTENCE_MAX_TOKENS")
    assert len(hits) == 1 and hits[0]["stage"] == "analyse"
    assert a.quotes == []
    assert a.body.startswith("according to according to") and a.body.endswith("officials.")


def test_count_phrase_look_back_is_capped(monkeypatch):
    import newsgist.card.counted as counted
    from newsgist.card.figures import extract_figures
    from newsgist.card.nlp import load_nlp
    text = "The number of protesters, " + "officials said on Monday, " * 20 + "was 300."
    doc = load_nlp()(text)
    full = {f.text: f.counts for f in extract_figures(text, doc)}
    assert full.get("300") == "protesters"
    monkeypatch.setattr(counted, "COUNT_PHRASE_MAX_CHARS", 100)
    capped = {f.text: f.counts for f in extract_figures(text, doc)}
    assert capped.get("300") != "protesters"


def test_count_phrase_cap_is_reported():
    a = newsgist.read("The number of protesters, " + "officials said on Monday, " * 120 + "was 300.")
    assert {h["limit"] for h in _hits(a)} >= {"SENTENCE_MAX_TOKENS", "COUNT_PHRASE_MAX_CHARS"}


def test_card_limit_is_a_typed_error():
    from newsgist.card.stage import MAX_CARD_CHARS
    para = "The council approved the budget for the bridge on Monday, officials said.\n\n"
    with pytest.raises(TooLargeError) as err:
        newsgist.read(para * (MAX_CARD_CHARS // len(para) + 2))
    assert "highlights only" in str(err.value)
    assert newsgist.read(para * (MAX_CARD_CHARS // len(para) + 2), highlights_only=True).highlights


def test_quote_nesting_and_shares_match_the_plain_definitions():
    from newsgist.card.entities import extract_entities
    from newsgist.card.nlp import load_nlp
    from newsgist.card.quotes.candidates import candidates
    from newsgist.card.quotes.direct import marked_quotes
    from newsgist.card.quotes.indirect import _share, quote_ranges
    a = newsgist.read(_seed_or_article(), highlights_only=True)
    body = a.body
    doc = load_nlp()(body)
    quotes, sp = marked_quotes(body, doc, a.body_paragraphs(), a.body_sentences(), extract_entities(body, doc))
    cands = candidates(doc, sp)
    assert len(cands) > 5
    for c in cands:
        assert c.outer == [d.cue for d in cands if d is not c and d.i <= c.cue_tok.i < d.j]
        assert c.inner == [d.cue for d in cands if d is not c and c.i <= d.cue_tok.i < c.j
                           and d.cue_tok is not c.cue_tok]
    direct, partial = quote_ranges(quotes)
    for c in cands:
        a_, b_ = doc[c.i].idx, doc[c.j - 1].idx + len(doc[c.j - 1])
        for ranges in (direct, partial):
            plain = sum(max(0, min(b_, e) - max(a_, s)) for s, e in ranges) / max(b_ - a_, 1)
            assert math.isclose(_share(ranges, a_, b_), plain)


def test_limits_hit_entries_are_documented_shape():
    a = newsgist.read("The mayor, " + "who said, " * 2000 + "left.")
    card = json.loads(json.dumps(a.to_dict()))
    for h in card["meta"]["limits_hit"]:
        assert set(h) == {"stage", "limit", "detail"} and h["limit"].isupper()


def test_ground_index_cap_keeps_highlights_and_reports(monkeypatch):
    from newsgist.grounding import stage as G
    full = newsgist.read(ARTICLE * 3, highlights_only=True)
    assert not any(h["stage"] == "ground" for h in full.meta.get("limits_hit", []))
    monkeypatch.setattr(G, "GROUND_MAX_SENTENCES", 4)
    # issue 27: whole-sentence highlights need no index at all (so no cap is reached) ...
    fast = newsgist.read(ARTICLE * 3, highlights_only=True)
    assert not any(h["stage"] == "ground" for h in fast.meta.get("limits_hit", []))
    assert [h.grounding["supported"] for h in fast.highlights] == [h.grounding["supported"] for h in full.highlights]
    # ... the index, when one is built, is capped
    monkeypatch.setattr(G, "VERBATIM_FAST_PATH", False)
    capped = newsgist.read(ARTICLE * 3, highlights_only=True)
    hits = [h for h in capped.meta["limits_hit"] if h["stage"] == "ground"]
    assert [h["limit"] for h in hits] == ["GROUND_MAX_SENTENCES"]
    assert [h.text for h in capped.highlights] == [h.text for h in full.highlights]
    for h in capped.highlights:  # each highlight is still indexed: its own sentence backs it
        d = h.grounding
        assert d is not None and isinstance(d["supported"], bool)
        assert (h.start, h.end) in [tuple(s) for s in h.faithfulness["support"]]


def test_ground_char_cap_reports(monkeypatch):
    from newsgist.grounding import stage as G
    monkeypatch.setattr(G, "GROUND_MAX_CHARS", 300)
    monkeypatch.setattr(G, "VERBATIM_FAST_PATH", False)   # the index is built only without the fast path
    art = newsgist.read(ARTICLE * 3, highlights_only=True)
    assert [h["limit"] for h in art.meta["limits_hit"] if h["stage"] == "ground"] == ["GROUND_MAX_CHARS"]
