"""--generator llm (newsgist.generation) against a small in-process OpenAI-compatible
endpoint (tests/llm_fake.py): what is sent, every reply format, the grounding verdict
of fabricated and true lines, the replace/drop/flag policies, typed failures (error
status, hang, refused connection, a bad reply), the API key kept out of every message,
and the CLI, batch and service paths. The real local model: tests/test_llm_server.py."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time

import pytest

import newsgist
from newsgist.errors import LLMBadReply, LLMHTTPError, LLMTimeout, LLMUnreachable, OptionsError
from newsgist.generation.client import LLMClient
from newsgist.generation.parse import parse_highlights
from newsgist.generation.prompt import build_prompt
from newsgist.options import Options
from llm_fake import FakeLLM

TRUE_LINE = "Port Aldine will close its harbour bridge for two years after engineers found corrosion."
FAKE_NUMBER = "Rust damage was found in 75 of the bridge's 112 suspension cables."    # the article: 40
FAKE_NAME = "Governor Tom Brady said ferries would carry commuters across the harbour."  # nobody of that name
KEY = "sk-test-0123456789abcdef-SECRET"


def reply(*lines) -> str:
    return json.dumps(list(lines))


def read(example, fake, **kw):
    return newsgist.read(example, highlights_only=True, generator="llm", llm_url=fake.url, **kw)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- parsing: every reply format --------------------------------------------------------

LINES = ["The bridge will close for two years.", "Rust was found in 40 of 112 cables."]


@pytest.mark.parametrize("text", [
    json.dumps(LINES),
    json.dumps({"highlights": LINES}),
    json.dumps({"highlights": [{"text": t} for t in LINES]}),
    json.dumps({"1": LINES[0], "2": LINES[1]}),
    "```json\n" + json.dumps(LINES, indent=2) + "\n```",
    "Here are the highlights:\n" + json.dumps(LINES),
    "Here are the highlights:\n- " + LINES[0] + "\n- " + LINES[1] + "\nI hope this helps!",
    "1. " + LINES[0] + "\n2) " + LINES[1],
    "* \"" + LINES[0] + "\"\n* \"" + LINES[1] + "\"",
    "**Highlight 1:** " + LINES[0] + "\n**Highlight 2:** " + LINES[1],
    LINES[0] + " " + LINES[1],                              # one line of prose
    LINES[0] + "\n" + LINES[1],                             # plain lines
    json.dumps(LINES + ["The ferries will run every"])[:-25],   # a list cut at max_tokens
])
def test_every_reply_format_gives_the_lines(text):
    assert parse_highlights(text, 3) == LINES


@pytest.mark.parametrize("text", ["", "   ", "[]", "{}", "OK", "Highlights:", '["a", "b"]'])
def test_a_reply_without_highlights_is_a_bad_reply(text):
    with pytest.raises(LLMBadReply):
        parse_highlights(text, 3)


def test_parse_keeps_at_most_count_and_drops_repeats():
    got = parse_highlights(json.dumps(LINES + [LINES[0].upper(), "A third line about the ferries."]), 3)
    assert got == LINES + ["A third line about the ferries."]
    assert parse_highlights(json.dumps(LINES * 2), 1) == LINES[:1]


# --- what is sent ---------------------------------------------------------------------

def test_the_prompt_holds_the_cleaned_body_never_the_clutter(example):
    with FakeLLM([reply(TRUE_LINE)]) as fake:
        a = read(example, fake, count=3)
        sent = fake.requests[0]["body"]
    text = " ".join(m["content"] for m in sent["messages"])
    assert a.removed and all(r.text not in text for r in a.removed if r.reason != "dateline")
    assert "Port Aldine, Newland" in text                     # the dateline's place
    assert "Mayor Helen Okafor announced on Tuesday" in text  # the body
    assert "exactly 3 highlights" in text and "10 to 20 words" in text and "60 words" in text
    assert sent["temperature"] == 0 and sent["max_tokens"] > 0 and sent["model"] == "fake-model"


def test_a_long_body_is_cut_at_whole_sentences(example):
    article = newsgist.read(example, highlights_only=True)
    p = build_prompt(article, 3, max_words=60)
    assert p.truncated and p.words_sent <= 60 < p.words_total
    body = p.messages[1]["content"].split("<<<\n", 1)[1].split("\n>>>", 1)[0]
    assert body.rstrip().endswith((".", "”", '"')) and "the first part of a longer article" in p.messages[1]["content"]


# --- grounding: fabricated lines are never shown as supported -------------------------

@pytest.mark.parametrize("fake_line,kind", [(FAKE_NUMBER, "number"), (FAKE_NAME, "name")])
def test_a_fabricated_line_is_replaced_and_says_why(example, fake_line, kind):
    with FakeLLM([reply(TRUE_LINE, fake_line)]) as fake:
        a = read(example, fake, count=2)
    card = a.to_dict()
    gens = [h["generator"] for h in card["highlights"]]
    assert gens == ["llm", "extractive"]
    assert all(h["supported"] for h in card["highlights"])
    assert fake_line not in [h["text"] for h in card["highlights"]]
    llm = card["meta"]["llm"]
    assert llm["lines"] == 2 and llm["supported"] == 1 and len(llm["replaced"]) == 1
    rep = llm["replaced"][0]
    assert rep["text"] == fake_line and kind in rep["reason"] and any(u["kind"] == kind for u in rep["unsupported"])
    assert rep["by"] == card["highlights"][1]["text"]
    # the replacement is not the sentence the kept line already covers
    assert card["highlights"][1]["start"] != card["highlights"][0]["start"]
    assert llm["model"] == "fake-model" and llm["usage"] == {"prompt_tokens": 321, "completion_tokens": 45,
                                                             "total_tokens": 366}
    assert llm["llm_ms"] >= 0 and "generate" in card["meta"]["timings_ms"]


@pytest.mark.parametrize("fake_line,kind", [(FAKE_NUMBER, "number"), (FAKE_NAME, "name")])
def test_flag_shows_the_fabricated_line_as_unsupported(example, fake_line, kind):
    with FakeLLM([reply(fake_line, TRUE_LINE)]) as fake:
        card = read(example, fake, count=2, unsupported="flag").to_dict()
    first = card["highlights"][0]
    assert first["text"] == fake_line and first["generator"] == "llm"
    assert first["supported"] is False and any(u["kind"] == kind for u in first["unsupported"])
    assert card["meta"]["llm"]["flagged"][0]["text"] == fake_line and not card["meta"]["llm"]["replaced"]
    from newsgist.apps.cli.render import render
    assert "[not supported by the article]" in render(card, "text", highlights_only=True).splitlines()[0]


def test_drop_leaves_the_fabricated_line_out(example):
    with FakeLLM([reply(FAKE_NUMBER, TRUE_LINE, FAKE_NAME)]) as fake:
        card = read(example, fake, count=3, unsupported="drop").to_dict()
    assert [h["text"] for h in card["highlights"]] == [TRUE_LINE]
    assert [d["text"] for d in card["meta"]["llm"]["dropped"]] == [FAKE_NUMBER, FAKE_NAME]


def test_a_short_answer_is_topped_up_with_extractive_highlights(example):
    """The model wrote 1 line where 3 were asked: two extractive highlights follow it,
    neither the sentence the written line already rests on."""
    with FakeLLM([reply(TRUE_LINE)]) as fake:
        card = read(example, fake, count=3).to_dict()
    hs = card["highlights"]
    assert [h["generator"] for h in hs] == ["llm", "extractive", "extractive"]
    assert card["meta"]["llm"]["topped_up"] == [h["text"] for h in hs[1:]]
    backed = {(s["start"], s["end"]) for s in hs[0]["support"]}
    assert len({h["start"] for h in hs}) == 3 and not backed & {(h["start"], h["end"]) for h in hs[1:]}
    assert all(h["supported"] for h in hs)


def test_a_true_line_carries_support_spans_holding_its_words(example):
    with FakeLLM([reply(TRUE_LINE)]) as fake:
        a = read(example, fake, count=1)
    h = a.to_dict()["highlights"][0]
    assert h["generator"] == "llm" and h["supported"] is True and h["unsupported"] == []
    support = " ".join(a.source[s["start"]:s["end"]] for s in h["support"]).lower()
    assert all(w.lower() in support for w in re.findall(r"[A-Za-z]{4,}", TRUE_LINE))
    assert (h["start"], h["end"]) == (h["support"][0]["start"], h["support"][0]["end"])
    assert h["checks"] == {"numbers": True, "entities": True, "negations": True, "quotes": True}


def test_extractive_highlights_say_so(example):
    card = newsgist.read(example, highlights_only=True).to_dict()
    assert card["highlights"] and all(h["generator"] == "extractive" for h in card["highlights"])
    assert "llm" not in card["meta"]


# --- failures: typed, one line, never the key ------------------------------------------

def test_error_status_is_typed_and_not_retried():
    with FakeLLM([("status", 400, "model not found")]) as fake:
        with pytest.raises(LLMHTTPError) as e:
            LLMClient(fake.url, "m", 5).chat([{"role": "user", "content": "x"}], max_tokens=5)
        assert fake.calls == 1
    assert "HTTP 400" in e.value.message and "model not found" in e.value.message
    assert e.value.code == "llm_http_error" and e.value.http_status == 502 and e.value.exit_code == 34


def test_busy_server_is_retried_with_backoff():
    with FakeLLM([("status", 503, "loading model"), reply(TRUE_LINE)]) as fake:
        r = LLMClient(fake.url, "m", 10, backoff=0.05).chat([{"role": "user", "content": "x"}], max_tokens=5)
        assert fake.calls == 2
    assert r.attempts == 2 and json.loads(r.text) == [TRUE_LINE]
    with FakeLLM([("status", 503, "still loading")]) as fake:
        with pytest.raises(LLMHTTPError):
            LLMClient(fake.url, "m", 10, backoff=0.05).chat([{"role": "user", "content": "x"}], max_tokens=5)
        assert fake.calls == 3   # RETRIES = 2


def test_a_hang_is_a_timeout_within_the_budget():
    with FakeLLM([("hang", 5)]) as fake:
        t0 = time.monotonic()
        with pytest.raises(LLMTimeout) as e:
            LLMClient(fake.url, "m", 0.5).chat([{"role": "user", "content": "x"}], max_tokens=5)
        assert time.monotonic() - t0 < 2.0
    assert e.value.code == "llm_timeout" and e.value.http_status == 504 and "0.5 s" in e.value.message


def test_refused_connection_is_unreachable():
    with pytest.raises(LLMUnreachable) as e:
        LLMClient(f"http://127.0.0.1:{closed_port()}/v1", "m", 5, backoff=0.01).chat(
            [{"role": "user", "content": "x"}], max_tokens=5)
    assert e.value.code == "llm_unreachable" and e.value.http_status == 502


@pytest.mark.parametrize("step", [("raw", "<html>oops</html>"), ("raw", '{"choices": []}'), ("raw", "[1, 2]")])
def test_a_malformed_answer_is_a_bad_reply(step):
    with FakeLLM([step]) as fake:
        with pytest.raises(LLMBadReply):
            LLMClient(fake.url, "m", 5).chat([{"role": "user", "content": "x"}], max_tokens=5)


def test_the_key_is_sent_but_never_in_errors(monkeypatch):
    monkeypatch.setenv("NEWSGIST_LLM_API_KEY", KEY)
    with FakeLLM([("echo_auth", 401)]) as fake:
        client = LLMClient(fake.url, "m", 5)
        with pytest.raises(LLMHTTPError) as e:
            client.chat([{"role": "user", "content": "x"}], max_tokens=5)
        assert fake.requests[0]["headers"]["Authorization"] == f"Bearer {KEY}"
    assert KEY not in e.value.message and KEY not in str(e.value) and KEY not in repr(client)
    assert "bad key: Bearer [redacted]" in e.value.message
    # a key in the URL (user info, query) is not shown either
    port = closed_port()
    with pytest.raises(LLMUnreachable) as e:
        LLMClient(f"http://user:{KEY}@127.0.0.1:{port}/v1?key={KEY}", "m", 5, backoff=0.01).chat(
            [{"role": "user", "content": "x"}], max_tokens=5)
    assert KEY not in e.value.message and f"http://127.0.0.1:{port}/v1" in e.value.message


def test_cli_failures_are_one_line_with_their_own_exit_codes(example, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGIST_LLM_API_KEY", KEY)
    path = tmp_path / "a.txt"
    path.write_text(example, encoding="utf-8")
    cmd = [sys.executable, "-m", "newsgist", "highlights", str(path), "--generator", "llm", "--llm-timeout", "3"]
    with FakeLLM([("echo_auth", 403)]) as fake:
        r = subprocess.run(cmd + ["--llm-url", fake.url], capture_output=True, text=True, timeout=60)
    err = [ln for ln in r.stderr.splitlines() if "ranker" not in ln]
    assert r.returncode == 34 and len(err) == 1 and err[0].startswith("newsgist: error [llm_http_error]")
    assert KEY not in r.stderr and KEY not in r.stdout and "Traceback" not in r.stderr
    r = subprocess.run(cmd + ["--llm-url", f"http://127.0.0.1:{closed_port()}/v1"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 32 and "[llm_unreachable]" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run(cmd + ["--llm-url", f"http://127.0.0.1:{closed_port()}/v1", "--llm-fallback", "extractive"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip()   # the extractive highlights, and a reader is told why
    assert "newsgist: warning: the LLM failed (llm_unreachable" in r.stderr and "Traceback" not in r.stderr
    with FakeLLM([reply(TRUE_LINE, FAKE_NUMBER)]) as fake:
        r = subprocess.run(cmd + ["--llm-url", fake.url, "-n", "2", "-f", "json"], capture_output=True, text=True,
                           timeout=60)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [h["generator"] for h in out["highlights"]] == ["llm", "extractive"]


def test_fallback_gives_the_extractive_card_with_a_warning(example):
    with FakeLLM([("status", 500, "boom")]) as fake:
        a = newsgist.read(example, highlights_only=True, generator="llm", llm_url=fake.url, llm_timeout=2,
                          llm_fallback="extractive")
    card = a.to_dict()
    assert card["highlights"] and all(h["generator"] == "extractive" for h in card["highlights"])
    assert card["meta"]["llm"]["error"]["code"] == "llm_http_error"
    assert card["meta"]["llm"]["fallback"] == "extractive"
    assert any("llm_http_error" in w for w in card["meta"]["warnings"])


@pytest.mark.parametrize("kw", [dict(generator="gpt"), dict(generator="llm"), dict(llm_url="ftp://x/v1"),
                                dict(llm_url="localhost:8080"), dict(llm_timeout=0), dict(llm_timeout=1e6),
                                dict(unsupported="hide"), dict(llm_fallback="retry"), dict(llm_concurrency=0),
                                dict(llm_model="")])
def test_llm_options_are_validated_at_construction(kw):
    with pytest.raises(OptionsError):
        Options(**kw)


# --- batch and service ------------------------------------------------------------------

def test_batch_records_a_failed_llm_call_and_goes_on(example):
    from newsgist.apps.batch.local import batch
    with FakeLLM([reply(TRUE_LINE), ("status", 400, "context too long"), reply(TRUE_LINE)]) as fake:
        opts = Options(generator="llm", llm_url=fake.url, count=1, llm_concurrency=2)
        results = list(batch([("a", example), ("b", example), ("c", example)], opts, workers=1))
    assert [(r.id, r.ok) for r in results] == [("a", True), ("b", False), ("c", True)]
    assert results[0].highlights == [TRUE_LINE]
    assert results[1].to_line()["code"] == "llm_http_error"


def test_service_llm_is_a_server_setting(example):
    pytest.importorskip("fastapi", reason="the 'serve' extra is not installed")
    import warnings
    with warnings.catch_warnings():   # starlette suggests httpx2 for its TestClient; httpx works
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from fastapi.testclient import TestClient
    from newsgist.apps.service.app import Settings, create_app
    with FakeLLM([reply(TRUE_LINE, FAKE_NAME), ("hang", 5), ("status", 404, "no such model")]) as fake:
        app = create_app(Settings(pool="thread", workers=1, llm_url=fake.url, llm_timeout=1.0), warm=False)
        with TestClient(app) as c:
            assert c.get("/version").json()["generators"] == ["extractive", "llm"]
            r = c.post("/v1/highlights", json={"text": example, "options": {"generator": "llm", "count": 2}})
            assert r.status_code == 200, r.text
            hs = r.json()["highlights"]
            assert [h["generator"] for h in hs] == ["llm", "extractive"] and all(h["supported"] for h in hs)
            r = c.post("/v1/highlights", json={"text": example, "options": {"generator": "llm"}})
            assert r.status_code == 504 and r.json()["error"]["code"] == "llm_timeout"
            r = c.post("/v1/highlights", json={"text": example, "options": {"generator": "llm"}})
            assert r.status_code == 502 and r.json()["error"]["code"] == "llm_http_error"
            for bad in ({"llm_url": "http://10.0.0.1/v1"}, {"llm_timeout": 100}):
                r = c.post("/v1/highlights", json={"text": example, "options": {"generator": "llm", **bad}})
                assert r.status_code == 422 and "server setting" in r.json()["error"]["message"]
        calls = fake.calls
    assert calls == 3
    app = create_app(Settings(pool="thread", workers=1), warm=False)
    with TestClient(app) as c:
        r = c.post("/v1/highlights", json={"text": example, "options": {"generator": "llm"}})
        assert r.status_code == 422 and "no LLM endpoint" in r.json()["error"]["message"]
