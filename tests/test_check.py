"""newsgist.check (issue 14): hand-made pairs for each unsupported kind, spans inside the
input, typed errors, the card's ground stage, the CLI (single and --pairs) and the service."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest

import newsgist
from newsgist.api import split_summary
from newsgist.errors import EmptyInputError, InputError, NoTextError

ARTICLE = (
    "Manchester United beat Liverpool 2-1 on Sunday at Old Trafford. Marcus Rashford scored twice for the home "
    "side, who had not won at home since March.\n\nManager Erik ten Hag said: \"We showed character today.\" "
    "The club will not sign new players in January, he added. Around 74,000 fans attended the match.")


def _one(summary: str) -> dict:
    out = newsgist.check(ARTICLE, summary)
    assert len(out["sentences"]) == 1
    return out["sentences"][0]


def _kinds(s: dict) -> dict:
    return {u["kind"]: u["text"] for u in s["unsupported"]}


@pytest.mark.parametrize("summary, kind, piece", [
    ("Marcus Rashford scored three times for the home side.", "number", "three"),
    ("Around 90,000 fans attended the match.", "number", "90,000"),
    ("Jurgen Klopp said the fans attended the match.", "name", "Jurgen Klopp"),
    ('Erik ten Hag said: "We were lucky today."', "quote", "We were lucky today"),
    ("The club will sign new players in January.", "negation", "sign"),
    ("Marcus Rashford never scored for the home side.", "negation", "never"),
    ("Liverpool beat Manchester United on Sunday at Old Trafford.", "relation", "Liverpool beat Manchester United"),
    ("Rashford juggled flamingos on Sunday.", "other", "juggled flamingos"),
])
def test_each_unsupported_kind(summary, kind, piece):
    s = _one(summary)
    assert _kinds(s).get(kind) == piece, s["unsupported"]
    assert piece in summary                       # the piece is the summary's own words
    if kind != "other":
        assert s["supported"] is False


def test_a_copied_sentence_is_supported_with_its_span():
    s = _one("Around 74,000 fans attended the match.")
    assert s["supported"] and s["unsupported"] == []
    a, b = s["support"][0]["start"], s["support"][0]["end"]
    assert ARTICLE[a:b] == "Around 74,000 fans attended the match."


def test_spans_lie_inside_the_input_best_first():
    out = newsgist.check(ARTICLE, "United beat Liverpool as Rashford scored twice.\nThe club will not sign players.")
    for s in out["sentences"]:
        assert s["support"], s
        for sp in s["support"]:
            assert 0 <= sp["start"] < sp["end"] <= len(ARTICLE)
        assert 0.0 <= s["score"] <= 1.0
    first = out["sentences"][0]["support"][0]
    assert "Liverpool" in ARTICLE[first["start"]:first["end"]]
    assert 0.0 <= out["score"] <= 1.0 and isinstance(out["supported"], bool)


def test_html_input_spans_point_into_the_extracted_text():
    html = f"<html><body><nav>Home</nav><article><p>{ARTICLE.split(chr(10))[0]}</p></article></body></html>"
    art = newsgist.read(html, highlights_only=True)
    out = newsgist.check(art, "Marcus Rashford scored twice for the home side.")
    sp = out["sentences"][0]["support"][0]
    assert "Rashford scored twice" in art.source[sp["start"]:sp["end"]]


def test_summary_splitting():
    assert split_summary("- One line here.\n- Two lines here.") == ["One line here.", "Two lines here."]
    assert split_summary("First sentence here. Second one here.") == ["First sentence here.", "Second one here."]
    assert split_summary("lower cased output . and a second one .") == ["lower cased output .", "and a second one ."]
    assert split_summary(["a list", "of lines"]) == ["a list", "of lines"]


def test_an_over_long_summary_line_is_cut_like_an_article_sentence():
    """A line given whole (a list item, a line of a file) gets the sentence cap; the
    checker's per-line alignment is quadratic in a line's length."""
    from newsgist.reading.segment import SENTENCE_MAX_CHARS
    long_line = " ".join(f"word{i % 997}" for i in range(5000))   # ~40 kB, no stop
    for summary in ([long_line], "Short first line.\n" + long_line):
        lines = split_summary(summary)
        assert len(lines) > 2 and all(len(ln) <= SENTENCE_MAX_CHARS for ln in lines)
        assert "".join(lines).replace(" ", "") == ("" if isinstance(summary, list) else "Shortfirstline.") + \
            long_line.replace(" ", "")   # nothing lost but the spaces at the cuts


@pytest.mark.parametrize("article, summary, error", [
    (ARTICLE, "", EmptyInputError),
    (ARTICLE, "   \n  ", EmptyInputError),
    (ARTICLE, 42, InputError),
    (ARTICLE, ["fine", 3], InputError),
    ("", "A summary.", EmptyInputError),
    (None, "A summary.", InputError),
    ("no sentence punctuation at all", "A summary.", NoTextError),
])
def test_bad_input_raises_typed_errors(article, summary, error):
    with pytest.raises(error):
        newsgist.check(article, summary)


def test_every_card_highlight_carries_its_evidence():
    card = newsgist.read(ARTICLE, count=2, highlights_only=True).to_dict()
    assert card["meta"]["timings_ms"]["ground"] >= 0
    for h in card["highlights"]:
        assert set(h) >= {"support", "checks", "support_score", "supported", "unsupported"}
        assert ARTICLE[h["support"][0]["start"]:h["support"][0]["end"]] and h["checks"]["spans"] is True
        assert h["supported"] is True and h["unsupported"] == []


def test_the_text_card_marks_each_highlight_supported_or_not():
    from newsgist.apps.cli.render import render
    card = newsgist.read(ARTICLE, count=2, highlights_only=True).to_dict()
    card["highlights"][1]["supported"] = False  # as the checker would mark an unsupported line
    lines = render(card, highlights_only=True).splitlines()
    assert lines[0] == "  • ✓ " + card["highlights"][0]["text"]
    assert lines[1] == "  • ✗ " + card["highlights"][1]["text"]
    del card["highlights"][0]["supported"]  # no verdict (another language): no mark
    assert render(card, "markdown", highlights_only=True).splitlines()[0] == "- " + card["highlights"][0]["text"]


def test_window_alignment_reads_a_line_off_one_stretch_in_order():
    from newsgist.grounding.align import Source
    from newsgist.grounding.claims import Line
    text = ("Rashford scored twice for the home side on Sunday. The weather was mild and dry. "
            "Fans sang songs outside the ground for hours. Later the manager praised the goalkeeper.")
    spans, a = [], 0
    for sent in text.split(". "):
        b = text.index(sent, a) + len(sent)
        spans.append((text.index(sent, a), b))
        a = b
    src = Source(text, spans)
    assert src.window(Line.of("Rashford scored twice for the home side.")) == (1.0, 1.0)
    cover, order = src.window(Line.of("The home side scored twice for Rashford."))
    assert cover == 1.0 and order < 1.0  # the same words in another order
    cover, order = src.window(Line.of("Rashford praised the goalkeeper and fans sang."))
    assert cover < 1.0  # words gathered from three sentences
    assert src.window(Line.of("Penguins danced.")) == (0.0, 0.0)


def test_a_whole_source_sentence_is_supported_however_low_its_score():
    from newsgist.grounding.check import line_evidence, source_of, verdict
    from newsgist.grounding.model import load
    src = source_of(newsgist.read(ARTICLE, highlights_only=True))
    whole = line_evidence(src, "Around 74,000 fans attended the match.")
    part = line_evidence(src, "fans attended the match.")
    model = load()
    assert whole["verbatim"] and not part["verbatim"]
    assert verdict(0.0, whole, model) is True     # below any threshold, still backed word for word
    assert verdict(0.0, part, model) is False     # a cut sentence gets no such pass
    flipped = line_evidence(src, "The club will sign new players in January, he added.")
    assert not flipped["verbatim"] and verdict(1.0, flipped, model) is False


def test_a_short_copied_sentence_is_backed_by_itself_not_a_longer_one_with_its_words():
    """Both sentences hold the line's content words; the support is the one it copies
    (found on a test-public article: the longer, earlier one made "no" look added)."""
    from newsgist.grounding.check import line_evidence, source_of
    text = ("Although every state is different, the law wants the papers handed to the defendant in person. "
            "Defendants are no different. A judge ruled on Monday.")
    ev = line_evidence(source_of(newsgist.read(text, highlights_only=True)), "Defendants are no different.")
    (start, end), = ev["support"][:1]
    assert text[start:end] == "Defendants are no different."
    assert ev["verbatim"] and ev["unsupported"] == []


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "newsgist", "check", *args], capture_output=True, text=True,
                          input=stdin, timeout=120)


def test_cli_single_text_and_json(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    r = _cli(str(art), "--summary", "Liverpool beat Manchester United on Sunday.\nAround 74,000 fans attended the match.")
    assert r.returncode == 0, r.stderr
    assert "✗ 1." in r.stdout and "✓ 2." in r.stdout and "unsupported relation" in r.stdout
    summ = tmp_path / "s.txt"
    summ.write_text("Rashford scored three times.", encoding="utf-8")
    r = _cli(str(art), "--summary-file", str(summ), "--format", "json")
    data = json.loads(r.stdout)
    assert data["sentences"][0]["unsupported"][0] == {"text": "three", "kind": "number"}
    r = _cli(str(art), "--summary", "  ")
    assert r.returncode == 4 and r.stderr.startswith("newsgist: error [empty_input]") and "Traceback" not in r.stderr
    r = _cli(str(tmp_path / "missing.txt"), "--summary", "x")
    assert r.returncode != 0 and "Traceback" not in r.stderr


def test_cli_pairs(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    rows = [{"id": "ok", "article": ARTICLE, "summary": "Rashford scored twice for the home side."},
            {"id": "empty", "article": ARTICLE, "summary": ""}]
    pairs.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _cli("--pairs", str(pairs), "--out", str(out))
    assert r.returncode == 0, r.stderr
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["ok", "empty", 2]
    assert set(got[0]) == {"id", "score", "supported", "sentences"} and got[0]["sentences"][0]["support"]
    assert got[1]["error"]["code"] == "empty_input" and got[2]["error"]["code"] == "bad_input"
    r = _cli("--pairs", str(pairs))
    assert r.returncode == 2 and "--out" in r.stderr


def test_service_route():
    pytest.importorskip("fastapi", reason="the 'serve' extra is not installed")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from fastapi.testclient import TestClient
    from newsgist.apps.service.app import Settings, create_app
    with TestClient(create_app(Settings(pool="thread", workers=1))) as c:
        r = c.post("/v1/check", json={"text": ARTICLE, "summary": ["Liverpool beat Manchester United on Sunday.",
                                                                   "Around 74,000 fans attended the match."]})
        assert r.status_code == 200, r.text
        data = r.json()
        assert [s["supported"] for s in data["sentences"]] == [False, True]
        sp = data["sentences"][1]["support"][0]
        assert ARTICLE[sp["start"]:sp["end"]] == "Around 74,000 fans attended the match."
        r = c.post("/v1/check", json={"text": ARTICLE, "summary": " "})
        assert r.status_code == 400 and r.json()["error"]["code"] == "empty_input"
        r = c.post("/v1/check", json={"summary": "x"})
        assert r.status_code == 422
        r = c.post("/v1/check", json={"url": "http://127.0.0.1:9/a", "summary": "x"})
        assert r.status_code == 400     # private hosts are refused, as for /v1/card
        assert "/v1/check" in c.get("/openapi.json").json()["paths"]


def test_the_shipped_model_reads_only_its_chosen_features():
    """Issue 26: the line model is trees over the case-free features of
    evaluation/train_check.py (TRAIN_FEATURES); the summary model a logistic regression
    over the mean and minimum of SUMMARY_LINE_FEATURES; both read their columns by name."""
    import numpy as np
    import pytest
    from newsgist.evaluation.train_check import SUMMARY_LINE_FEATURES, TRAIN_FEATURES
    from newsgist.grounding import model as M
    from newsgist.grounding.trees import LineTrees
    ck = M.load()
    assert isinstance(ck.line, LineTrees) and ck.line.features == TRAIN_FEATURES
    assert ck.summary.features == M.summary_names(SUMMARY_LINE_FEATURES)
    assert ck.line.idf and 0.0 < ck.line.threshold < 1.0
    rng = np.random.default_rng(0)
    full = rng.random((3, len(M.FEATURES)))
    own = full[:, [M.FEATURES.index(n) for n in TRAIN_FEATURES]]
    assert np.allclose(ck.line.predict(full), ck.line.predict(own))  # other columns are ignored
    full[:, M.FEATURES.index("names")] += 5.0                          # a column the trees do not read
    assert np.allclose(ck.line.predict(full), ck.line.predict(own))
    summ = [M.summary_features(full, ck.line.predict(full))]
    assert 0.0 <= float(ck.summary.predict(summ)[0]) <= 1.0
    d = ck.line.to_dict()
    d["features"][0] = "no_such_feature"
    with pytest.raises(ValueError):
        LineTrees.from_dict(d, M.FEATURES)
    again = M.Checker.from_dict(ck.to_dict())
    assert np.allclose(again.line.predict(full), ck.line.predict(full))
