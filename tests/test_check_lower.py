"""A line threshold of its own for an article written in lower case (issue 26, session 6).

An article with no word capitalised in mid-sentence gives the case-reading features nothing
to read and every line scores higher there; the model file may carry ``lower_threshold``
for such articles (``check.threshold_of``). A cased article keeps the one threshold."""
from __future__ import annotations

import copy
import json

import newsgist
from newsgist.grounding import model as M
from newsgist.grounding.align import Source
from newsgist.grounding.check import check_lines, line_evidence, score_line, source_of, threshold_of, verdict

CASED = ("The harbour board in Port Ellis said on Monday that the storm had damaged the pier. "
         "Repairs will cost about 40,000 pounds, according to Mayor Ruth Calder. "
         "The pier is expected to reopen in the spring.")
LINE = "The storm damaged the pier in Port Ellis, and repairs will cost about 40,000 pounds."


def _lower_source(text: str) -> Source:
    low = text.lower()
    spans, a = [], 0
    for k, ch in enumerate(low):
        if ch == "." and (k + 1 == len(low) or low[k + 1] == " "):
            spans.append((a, k + 1))
            a = k + 2
    return Source(low, spans)


def _with_lower(threshold: float) -> M.Checker:
    checker = copy.deepcopy(M.load())
    checker.line.lower_threshold = threshold
    return checker


def test_the_evidence_says_whether_the_article_is_cased():
    cased = source_of(newsgist.read(CASED, highlights_only=True))
    assert line_evidence(cased, LINE)["uncased"] is False
    assert line_evidence(_lower_source(CASED), LINE.lower())["uncased"] is True


def test_a_cased_article_without_a_mid_sentence_capital_is_not_lower_cased():
    # no name, every capital opens a sentence: still written in capitals, so the one threshold
    # (the review's case: this faithful line was refused at the lower-cased threshold)
    plain = ("The storm damaged the old pier on the east side of the bay. "
             "Repairs will cost about 40,000 pounds and take six months.")
    line = "Repairs to the storm-damaged pier will cost about 40,000 pounds."
    src = source_of(newsgist.read(plain, highlights_only=True))
    assert not src.caps_any and line_evidence(src, line)["uncased"] is False
    got = newsgist.check(plain, line)["sentences"][0]
    assert got["score"] >= M.load().line.threshold and got["supported"] is True


def test_a_lower_cased_article_reads_the_lower_threshold_a_cased_one_does_not():
    checker = _with_lower(0.99)
    low = line_evidence(_lower_source(CASED), LINE.lower())
    cased = line_evidence(source_of(newsgist.read(CASED, highlights_only=True)), LINE)
    assert threshold_of(low, checker) == 0.99
    assert threshold_of(cased, checker) == checker.line.threshold
    # the same score is judged against each article's own threshold
    s = score_line(low, checker)
    assert s < 0.99 and not verdict(s, low, checker)
    assert verdict(1.0, low, checker) == verdict(1.0, low, M.load())
    # a model without the field keeps the one threshold everywhere
    plain = copy.deepcopy(M.load())
    plain.line.lower_threshold = None
    assert threshold_of(low, plain) == plain.line.threshold


def test_the_cased_path_does_not_move():
    src = source_of(newsgist.read(CASED, highlights_only=True))
    base = check_lines(src, [LINE, "Mayor Ruth Calder said the pier will never reopen."])
    moved = check_lines(src, [LINE, "Mayor Ruth Calder said the pier will never reopen."], _with_lower(0.99))
    assert [s["supported"] for s in base["sentences"]] == [s["supported"] for s in moved["sentences"]]
    assert [s["score"] for s in base["sentences"]] == [s["score"] for s in moved["sentences"]]


def test_the_model_file_keeps_the_lower_threshold_and_omits_it_when_absent():
    checker = _with_lower(0.31)
    d = json.loads(json.dumps(checker.to_dict()))
    assert d["line"]["lower_threshold"] == 0.31
    assert M.Checker.from_dict(d).line.lower_threshold == 0.31
    checker.line.lower_threshold = None
    d = checker.to_dict()
    assert "lower_threshold" not in d["line"]
    assert M.Checker.from_dict(d).line.lower_threshold is None


def test_the_llm_stage_names_the_threshold_the_line_was_held_to(monkeypatch):
    from newsgist.generation.stage import why
    checker = _with_lower(0.99)
    monkeypatch.setattr(M, "_LOADED", checker)
    ev = line_evidence(_lower_source(CASED), LINE.lower())
    assert ev["support"] and not ev["hard"]
    assert why({"evidence": ev, "score": 0.5})["reason"] == "checker score 0.500 below the line threshold 0.990"


def test_newsgist_check_holds_a_lower_cased_article_to_the_shipped_lower_threshold():
    shipped = M.load()
    assert shipped.line.lower_threshold is not None and shipped.line.lower_threshold > shipped.line.threshold
    wrong_day = "the pier in port ellis will reopen on monday ."   # the article: in the spring
    low = newsgist.check(CASED.lower(), wrong_day)["sentences"][0]
    # between the two thresholds: the one threshold would pass it, the lower-cased one does not
    assert shipped.line.threshold <= low["score"] < shipped.line.lower_threshold
    assert low["supported"] is False and low["support"]
    cased = newsgist.check(CASED, LINE)["sentences"][0]
    assert cased["supported"] is True
