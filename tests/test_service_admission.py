"""Issue 32: the shape check at admission, routing to the heavy worker, its caps, and
workers replaced for their memory.

The measures are pure functions (no service needed). The scheduler tests run real worker
processes with :func:`adm_target` instead of the pipeline (``create_app(target=...,
warm=False)``, as tests/test_service_scheduler.py does): the first word of a job's text
says what to do (``slow S`` sleeps S seconds, ``grow MB`` keeps MB megabytes allocated),
every answer names the worker's pid, and every worker logs the size of each job it
received to ``$NEWSGIST_TEST_JOBLOG/<pid>``, so a test can see which worker a job
touched. The texts are written here (the shapes of issue 17).
"""
from __future__ import annotations

import json
import os
import threading
import time
import warnings
from pathlib import Path

import pytest

from newsgist.apps.service import admission
from newsgist.apps.service.admission import expected_cpu_s, heavy_reason, measure, shape_reason
from newsgist.apps.service.engine import DEFAULT_HEAVY_CARD_CHARS, DEFAULT_HEAVY_HIGHLIGHTS_CHARS

PARAGRAPH = ("The city council approved a budget of $12 million on Monday, officials said. "
             "\"This is a good day for the city,\" Mayor Jane Smith told reporters after the vote. "
             "The plan adds 40 buses and three new routes, and work on the first of them begins in May.\n\n")
ARTICLE = PARAGRAPH * 12   # ~3,200 characters, about a median CNN article
ACCORDING = "according to " * 1000 + "officials."
WHO_SAID = "The mayor, " + "who said, " * 2000 + "left."
QUOTE_PARAS = "Para. \u201cQuote,\u201d he said.\n\n" * 2200
P_QUOTES = "<p>Para. \u201cQuote,\u201d he said.</p>" * 2000


def route(text, highlights_only=False, kind="text"):
    job = {"text": text, "kind": kind, "highlights_only": highlights_only}
    return heavy_reason(job, DEFAULT_HEAVY_CARD_CHARS, DEFAULT_HEAVY_HIGHLIGHTS_CHARS)[0]


# --- the shape check, a pure function ---------------------------------------------------

def test_a_normal_article_is_a_normal_job_card_and_highlights():
    assert route(ARTICLE) is None and route(ARTICLE, True) is None
    html = "<html><body><nav><ul><li>Home</li></ul></nav><article>" + \
        "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n") if p) + "</article></body></html>"
    assert route(html, kind="html") is None and route(html, True, kind="html") is None


def test_the_attack_shapes_go_heavy_with_their_reason():
    assert route(ACCORDING) == "long_sentence"
    assert route(WHO_SAID) == "size"                   # 20,016 characters, over the card size
    assert route(WHO_SAID[:12_000] + ".") == "long_sentence"
    assert route("according to " * 4000) == "size"
    assert route(QUOTE_PARAS, True) == "punctuation"   # 200 marks a kB
    assert route(P_QUOTES, True, kind="html") == "html_blocks"
    assert route("x" * (DEFAULT_HEAVY_HIGHLIGHTS_CHARS + 1), True) == "size"
    deep = "<div>" * 300 + "<p>" + ARTICLE + "</p>" + "</div>" * 300
    assert route(deep, kind="html") == "html_depth"


def test_short_texts_and_cheap_highlights_are_never_moved_by_shape():
    assert route("according to " * 100) is None        # 1,300 characters: under SHAPE_MIN_CHARS
    assert route(ACCORDING, True) is None               # highlights of 13 kB: ~0.05 CPU s whatever the shape


def test_measures():
    s = measure('He said "yes." Then: no! ' * 10)
    assert s.chars == s.text_chars == 250 and s.scanned == 250
    assert s.quotes_per_k == 1000 * 20 / 250          # two a repeat
    assert s.punct_per_k == 1000 * 50 / 250           # " . " : ! a repeat
    assert s.longest_sentence == len(' He said "yes')
    h = measure("<html><head><script>var s = 'a. b. c' + x;</script><style>p {}</style></head>"
                "<body><!-- a comment --><div><div><p>One. Two &quot;three&quot;.</p></div></div></body></html>",
                html=True)
    assert h.html_depth == 4                           # html, body, div, div (<p> has an optional end tag)
    assert h.quotes_per_k > 0 and h.text_chars < 50   # the script, style, comment and tags are not text


def test_the_scan_is_capped_and_linear_on_hostile_markup():
    big = "a" * 1_000_000
    assert measure(big).scanned == admission.SHAPE_SCAN_CHARS
    assert measure(big, html=True).text_chars == 1_000_000          # extrapolated from the sample
    for hostile in ("<" * 200_000, "<script>" * 50_000, "<!--" * 50_000, "<p" * 100_000):
        t0 = time.process_time()
        shape = measure(hostile, html=True)
        assert shape.scanned == admission.SHAPE_SCAN_HTML_CHARS
        assert time.process_time() - t0 < 1.0   # linear: quadratic backtracking here took minutes


def test_expected_cost_grows_with_the_text_and_the_page():
    short = expected_cpu_s({"text": ARTICLE}, None)
    assert expected_cpu_s({"text": ARTICLE * 2}, None) > short > expected_cpu_s({"text": ARTICLE,
                                                                                 "highlights_only": True}, None)
    assert expected_cpu_s({"text": ARTICLE, "kind": "html"}, None) > short
    assert shape_reason(measure(ARTICLE), False) is None


def test_a_story_job_is_judged_by_its_articles():
    def story(*texts):
        return {"kind": "story", "story": [{"text": t} for t in texts], "highlights_only": False}
    assert heavy_reason(story(ARTICLE, ARTICLE), DEFAULT_HEAVY_CARD_CHARS, DEFAULT_HEAVY_HIGHLIGHTS_CHARS)[0] is None
    many = story(*[ARTICLE] * (DEFAULT_HEAVY_CARD_CHARS // len(ARTICLE) + 1))
    assert heavy_reason(many, DEFAULT_HEAVY_CARD_CHARS, DEFAULT_HEAVY_HIGHLIGHTS_CHARS)[0] == "size"
    assert heavy_reason(story(ACCORDING), DEFAULT_HEAVY_CARD_CHARS, DEFAULT_HEAVY_HIGHLIGHTS_CHARS)[0] \
        == route(ACCORDING)
    assert expected_cpu_s(story(ARTICLE, ARTICLE), None) > expected_cpu_s({"text": ARTICLE}, None)


# --- routing in the service ----------------------------------------------------------------

pytest.importorskip("fastapi", reason="the 'serve' extra (fastapi, uvicorn) is not installed")
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient  # noqa: E402

from newsgist.apps.service.app import Settings, create_app  # noqa: E402

HEADER = "X-Client"
_KEPT = []


def adm_target(job: dict) -> tuple[int, bytes]:
    """What the test workers run (module level: spawned workers import it by name)."""
    log = os.environ.get("NEWSGIST_TEST_JOBLOG")
    if log:
        with open(Path(log) / str(os.getpid()), "a") as fh:
            fh.write(f"{len(job['text'])}\n")
    words = job["text"].split(None, 2)
    if words[0] == "slow":
        time.sleep(float(words[1]))
    elif words[0] == "grow":
        _KEPT.append(bytearray(int(float(words[1]) * 2 ** 20)))
    return 200, json.dumps({"pid": os.getpid()}).encode()


def post(c, text, client, path="/v1/card"):
    return c.post(path, json={"text": text}, headers={HEADER: client})


def jobs_seen(logdir: Path, pid: int) -> list[int]:
    f = logdir / str(pid)
    return [int(x) for x in f.read_text().split()] if f.exists() else []


@pytest.fixture
def joblog(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGIST_TEST_JOBLOG", str(tmp_path))
    return tmp_path


def test_a_pathological_request_goes_to_the_heavy_worker_without_touching_a_normal_one(joblog):
    settings = Settings(workers=1, heavy_workers=1, request_timeout=30, client_ip_header=HEADER)
    app = create_app(settings, target=adm_target, warm=False)
    with TestClient(app) as c:
        engine = app.state.engine
        normal_pid, heavy_pid = engine.pids
        r = post(c, ARTICLE, "reader")
        assert r.status_code == 200 and r.json()["pid"] == normal_pid
        r = post(c, ACCORDING, "attacker")
        assert r.status_code == 200 and r.json()["pid"] == heavy_pid
        r = post(c, QUOTE_PARAS, "attacker-2", path="/v1/highlights")
        assert r.status_code == 200 and r.json()["pid"] == heavy_pid
        assert jobs_seen(joblog, normal_pid) == [len(ARTICLE)]        # never saw either
        assert jobs_seen(joblog, heavy_pid) == [len(ACCORDING), len(QUOTE_PARAS)]
        assert engine.stats["moved"] == engine.stats["stopped"] == 0   # sent there before it ran
        lanes = c.get("/healthz").json()["lanes"]
        assert lanes["why"]["routed"] == {"long_sentence": 1, "punctuation": 1}
        assert set(lanes["rss_mib"]) == {"normal", "heavy"}


def test_heavy_caps_and_a_client_that_keeps_landing_there_is_served_from_it_alone(joblog):
    settings = Settings(workers=1, heavy_workers=1, request_timeout=30, client_ip_header=HEADER,
                        max_client_requests=4, max_client_heavy=1)
    app = create_app(settings, target=adm_target, warm=False)
    with TestClient(app) as c:
        engine = app.state.engine
        normal_pid, heavy_pid = engine.pids
        slow = "slow 1.5 " + ACCORDING
        out = {}
        t = threading.Thread(target=lambda: out.setdefault("r", post(c, slow, "a")))
        t.start()
        time.sleep(0.5)                                       # a's slow job runs on the heavy worker
        r = post(c, ACCORDING, "a")                           # a second one: over a's heavy cap
        assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_requests"
        assert int(r.headers["retry-after"]) >= 1
        assert post(c, ARTICLE, "a").json()["pid"] == normal_pid   # its normal jobs still run normally
        t0 = time.monotonic()
        assert post(c, ARTICLE, "b").json()["pid"] == normal_pid   # and nobody waits behind it
        assert time.monotonic() - t0 < 1.0
        t.join(30)
        assert out["r"].status_code == 200 and out["r"].json()["pid"] == heavy_pid
        assert post(c, ACCORDING, "a").json()["pid"] == heavy_pid  # third strike: a counts as heavy
        assert post(c, ARTICLE, "a").json()["pid"] == heavy_pid    # now served from the heavy worker alone
        t = threading.Thread(target=lambda: out.update(r=post(c, "slow 1.0 short", "a")))
        t.start()
        time.sleep(0.5)
        r = post(c, ARTICLE, "a")                             # a heavy client: one in flight, before the body
        assert r.status_code == 429
        t.join(30)
        why = c.get("/healthz").json()["lanes"]["why"]
        assert why["heavy_clients"] == {"admission": 1}
        assert why["refused"]["heavy_client_cap"] == 1 and why["refused"]["heavy_client_cap_before_body"] == 1
        assert ACCORDING.__len__() not in jobs_seen(joblog, normal_pid)


def test_a_worker_grown_past_its_limit_is_replaced_between_jobs():
    settings = Settings(workers=1, heavy_workers=0, request_timeout=30, client_ip_header=HEADER,
                        worker_rss_factor=1.5)
    app = create_app(settings, target=adm_target, warm=False)
    with TestClient(app) as c:
        engine = app.state.engine
        [pid] = engine.pids
        warm = engine.lanes["normal"][0].warm_rss
        assert warm and warm > 5
        r = post(c, f"grow {warm:.0f}", "x")                     # doubles its RSS: over 1.5x
        assert r.status_code == 200 and r.json()["pid"] == pid    # the job itself is answered
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (engine.pids in ([], [pid]) or engine.busy):
            time.sleep(0.1)
        assert engine.pids and engine.pids != [pid]
        assert post(c, ARTICLE, "x").json()["pid"] == engine.pids[0]
        lanes = c.get("/healthz").json()["lanes"]
        assert lanes["replaced"] == 1 and lanes["why"]["replaced"] == {"rss_over_limit": 1}


def test_an_idle_heavy_worker_grown_by_heavy_jobs_is_replaced():
    settings = Settings(workers=1, heavy_workers=1, request_timeout=30, client_ip_header=HEADER,
                        worker_rss_factor=10, idle_rss_factor=1.2, idle_recycle_s=0.5)
    app = create_app(settings, target=adm_target, warm=False)
    with TestClient(app) as c:
        engine = app.state.engine
        normal_pid, heavy_pid = engine.pids
        warm = engine.lanes["heavy"][0].warm_rss
        r = post(c, f"grow {warm * 0.5:.0f} " + ACCORDING, "x")       # +50 %: under 10x, over 1.2x
        assert r.json()["pid"] == heavy_pid
        assert post(c, f"grow {warm * 0.5:.0f} " + ARTICLE, "y").json()["pid"] == normal_pid
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (heavy_pid in engine.pids or len(engine.pids) < 2):
            time.sleep(0.1)
        assert normal_pid in engine.pids and heavy_pid not in engine.pids   # the normal one ran no heavy job
        assert engine.why["replaced"] == {"rss_after_heavy_jobs": 1}
