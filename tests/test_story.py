"""One story from several articles (issue 29): the library, the CLI, the batch mode and the service
route, on the hand-written story of examples/story/ (three reports of one invented ferry accident
that disagree on the number injured and on who said a quote)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

import newsgist
from newsgist.errors import NoReadableArticleError, TooLargeError

ROOT = Path(__file__).resolve().parents[1]
STORY = sorted((ROOT / "examples" / "story").glob("harbourline-*.txt"))
TEXTS = [p.read_text(encoding="utf-8") for p in STORY]


@pytest.fixture(scope="module")
def card():
    return newsgist.story([{"text": t, "source": p.name} for t, p in zip(TEXTS, STORY)])


def _spans_ok(d: dict, texts: list[str]) -> None:
    assert texts[d["article"]][d["start"]:d["end"]] == d["text"]


def test_highlights_point_into_their_articles_and_list_every_source(card):
    d = card.to_dict()
    assert [a["source"] for a in d["articles"]] == [p.name for p in STORY]
    assert len(d["highlights"]) == 5
    for h in d["highlights"]:
        _spans_ok(h, TEXTS)
        assert h["sources"][0]["article"] == h["article"]
        for s in h["sources"]:
            assert 0 <= s["start"] < s["end"] <= len(TEXTS[s["article"]])
    top = d["highlights"][0]
    assert {s["article"] for s in top["sources"]} == {0, 1, 2}     # the accident: all three report it
    assert any("Marine Safety Board" in h["text"] and len(h["sources"]) == 3 for h in d["highlights"])
    # no two highlights say the same thing: the investigation sentence appears once
    assert sum("investigation" in h["text"] for h in d["highlights"]) == 1


def test_a_fact_several_outlets_report_ranks_above_a_single_source_one():
    shared = "The city council approved a new budget of 40 million dollars for the harbour district on Monday."
    single_a = "The mayor thanked the harbour workers for their patience during the long public debate."
    single_b = "Several residents complained about parking near the crowded harbour district on Monday."
    arts = [f"{shared} {single_a}", f"{single_b} {shared}"]
    d = newsgist.story(arts, count=2).to_dict()
    assert d["highlights"][0]["text"] == shared
    assert sorted(s["article"] for s in d["highlights"][0]["sources"]) == [0, 1]
    assert d["shared"] and d["shared"][0]["text"] == shared
    assert [a["items"][0]["text"] for a in d["additions"]] == [single_a, single_b]


def test_disagreements_on_the_number_injured_and_on_the_speaker(card):
    d = card.to_dict()
    figs = [x for x in d["disagreements"] if x["kind"] == "figure"]
    assert figs, d["disagreements"]
    vals = {(v["article"], v["value"]) for v in figs[0]["values"]}
    assert (0, 12) in vals and (1, 17) in vals
    # the label puts the verb after the noun as a participle: "injuring 12 passengers" (article 0)
    # and "17 passengers were injured" (article 1) read "passengers injured", never "passengers injuring"
    assert figs[0]["label"].startswith("passengers injured"), figs[0]["label"]
    for v in figs[0]["values"]:
        _spans_ok(v, TEXTS)
    assert next(v for v in figs[0]["values"] if v["article"] == 1)["claimed_by"] == "hospital officials"
    spk = [x for x in d["disagreements"] if x["kind"] == "speaker"]
    assert len(spk) == 1
    names = {(v["article"], v["value"]) for v in spk[0]["values"]}
    assert names == {(0, "Ines Kovacs"), (1, "Tomas Reyes"), (2, "Ines Kovacs")}
    # no disagreement on what all three agree on (140 passengers, the investigation)
    assert all("140" not in v["text"] for x in d["disagreements"] for v in x["values"])


def test_quotes_and_entities_are_merged_across_articles(card):
    d = card.to_dict()
    crew = [q for q in d["quotes"] if q["text"].startswith("The crew did everything")]
    assert len(crew) == 1 and sorted(s["article"] for s in crew[0]["sources"]) == [0, 1, 2]
    for s in crew[0]["sources"]:
        assert TEXTS[s["article"]][s["start"]:s["end"]] == crew[0]["text"]
    # a sentence holding a quote other reports carry is not "only in one report"
    assert not any("The crew did everything" in it["text"] for a in d["additions"] for it in a["items"])
    board = [e for e in d["entities"] if "Marine Safety Board" in e["name"]]
    assert len(board) == 1 and len({s["article"] for s in board[0]["sources"]}) == 3


def test_timeline_when_articles_carry_dates():
    arts = [{"text": TEXTS[1], "date": "2026-03-04"}, {"text": TEXTS[0], "date": "2026-03-03"}]
    d = newsgist.story(arts).to_dict()
    assert [t["article"] for t in d["timeline"]] == [1, 0]
    assert d["timeline"][1]["added"]           # the later report added something
    assert newsgist.story(TEXTS[:2]).to_dict()["timeline"] == []


def test_timeline_orders_by_the_day_not_the_date_string():
    arts = [{"text": TEXTS[1], "date": "2026-03-10"}, {"text": TEXTS[0], "date": "2026-3-4"}]
    assert [t["article"] for t in newsgist.story(arts).to_dict()["timeline"]] == [1, 0]


def test_one_article_duplicates_and_failures(tmp_path):
    one = newsgist.story([TEXTS[0]]).to_dict()
    assert len(one["articles"]) == 1 and one["highlights"] and one["disagreements"] == []
    d = newsgist.story([TEXTS[0], TEXTS[0].upper(), {"path": str(tmp_path / "missing.txt")},
                        "Der Bundestag hat am Dienstag ein neues Gesetz zur Energiepolitik beschlossen. Die "
                        "Opposition kritisierte den Entwurf scharf und kündigte eine Klage vor dem Gericht an.",
                        TEXTS[1]]).to_dict()
    assert len(d["articles"]) == 2 and [a["input"] for a in d["articles"]] == [0, 4]
    assert d["meta"]["duplicates"] == [{"input": 1, "same_as": 0}]
    codes = {f["input"]: f["error"]["code"] for f in d["meta"]["failed"]}
    assert codes == {2: "bad_input", 3: "not_english"}
    with pytest.raises(NoReadableArticleError):
        newsgist.story(["   ", {"path": str(tmp_path / "nope.txt")}])
    with pytest.raises(TooLargeError):
        newsgist.story(["x"] * 201)
    with pytest.raises(TooLargeError):
        newsgist.story(["word " * 1_100_000] * 2)


def test_bad_options_are_typed():
    with pytest.raises(newsgist.NewsgistError) as e:
        newsgist.story(TEXTS, count=0)
    assert e.value.code == "bad_options"
    with pytest.raises(newsgist.NewsgistError):
        newsgist.story(TEXTS, {"colour": "red"})
    with pytest.raises(newsgist.NewsgistError):
        newsgist.story("just one string")


def test_matching_stays_near_linear():
    """Cheap articles (no parse): 160 reports vs 40 cost about 4x, not 16x, in the matching."""
    from newsgist.story.index import MAX_CANDIDATES
    base = ("Officials said the ferry Marisol struck the pier at Port Alder on Tuesday morning. "
            "Passengers were treated at the scene by paramedics from the city. ")

    def arts(n):
        return [base + f"Report number {i} quoted witness {i} who saw the crash from pier {i % 7}. "
                       f"The harbour reopened after {i % 5 + 2} hours, officials in district {i} said." for i in range(n)]

    def timed(n):
        d = newsgist.story(arts(n), highlights_only=True).to_dict()
        return d["meta"]["timings_ms"]["match"]
    timed(10)
    small, big = min(timed(40) for _ in range(2)), min(timed(160) for _ in range(2))
    assert big < small * 8, (small, big)     # quadratic would be ~16x
    assert MAX_CANDIDATES <= 60


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "newsgist", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_cli_text_json_and_errors(tmp_path):
    r = _cli("story", *map(str, STORY))
    assert r.returncode == 0, r.stderr
    flat = " ".join(r.stdout.split())   # the renderer wraps lines: "[3/3" may end one
    assert "Highlights" in r.stdout and "[3/3 sources" in flat and "Disagreements" in r.stdout
    assert "12 passengers" in r.stdout and "17 passengers" in r.stdout and "Tomas Reyes" in r.stdout
    r = _cli("story", str(STORY[0]), str(tmp_path / "missing.txt"), "--format", "json", "--count", "2")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert len(d["highlights"]) == 2 and d["meta"]["failed"][0]["error"]["code"] == "bad_input"
    assert "not read" in r.stderr
    r = _cli("story", str(tmp_path / "missing.txt"))
    assert r.returncode == 3 and r.stderr.startswith("newsgist: error [no_readable_article]") and "Traceback" not in r.stderr
    r = _cli("story")
    assert r.returncode == 2


def test_cli_batch_stories_and_resume(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in [
        {"id": "ferry", "articles": [{"text": TEXTS[0], "source": "a"}, TEXTS[1]]},
        {"id": "bad", "articles": ["   "]},
        {"id": "one", "articles": [TEXTS[2]]}]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"id": "ferry", "story": {}}) + "\n" + '{"id": "bad", "sto', encoding="utf-8")
    r = _cli("story", "--stories", str(src), "--out", str(out), "--resume")
    assert r.returncode == 0, r.stderr
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["ferry", "bad", "one"]
    assert got[1]["error"]["code"] == "no_readable_article" and got[2]["story"]["highlights"]
    r = _cli("story", "--stories", str(src), "--out", str(out))
    assert r.returncode == 2 and "--resume" in r.stderr


def test_service_route():
    pytest.importorskip("fastapi", reason="the 'serve' extra is not installed")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from fastapi.testclient import TestClient
    from newsgist.apps.service.app import Settings, create_app
    with TestClient(create_app(Settings(pool="thread", workers=1))) as c:
        body = {"articles": [{"text": t, "source": p.name} for t, p in zip(TEXTS, STORY)]
                + [{"url": "http://127.0.0.1:9/a"}], "options": {"count": 3}}
        r = c.post("/v1/story", json=body)
        assert r.status_code == 200, r.text
        d = r.json()
        assert len(d["highlights"]) == 3 and len(d["articles"]) == 3
        for h in d["highlights"]:
            assert d["articles"][h["article"]]["source_text"][h["start"]:h["end"]] == h["text"]
        assert d["meta"]["failed"][0]["input"] == 3       # the private host is refused, the story goes on
        assert {x["kind"] for x in d["disagreements"]} == {"figure", "speaker"}
        assert c.post("/v1/story", json={"articles": [{"text": " "}]}).status_code == 400
        assert c.post("/v1/story", json={"articles": [{"text": "x"}], "options": {"count": 99}}).status_code == 422
        assert c.post("/v1/story", json={"articles": [{"text": "x"}] * 201}).status_code == 413
        assert "/v1/story" in c.get("/openapi.json").json()["paths"]


def test_stories_batch_records_a_bug_in_one_story_and_goes_on(monkeypatch):
    """A story that fails on an unexpected exception is one ``internal`` error line; the
    other stories are still written (a batch records the failure and goes on)."""
    from newsgist.apps.cli import story as story_cli
    story_pkg = sys.modules["newsgist.story"]   # the package (``newsgist.story`` is the function)

    real = story_pkg.story

    def flaky(articles, options=None):
        if articles == ["boom"]:
            raise RuntimeError("kaboom")
        return real(articles, options)

    monkeypatch.setattr(story_pkg, "story", flaky)
    bad = json.loads(story_cli._one((0, {"id": "x", "articles": ["boom"]}, {"highlights_only": True})))
    assert bad == {"id": "x", "error": {"code": "internal", "message": "RuntimeError: kaboom"}}
    good = json.loads(story_cli._one((1, {"id": "y", "articles": TEXTS[:2]}, {"highlights_only": True})))
    assert good["id"] == "y" and good["story"]["highlights"]


def _flood(mayor_a: str, mayor_b: str, quote: str) -> list[str]:
    """Two short reports of one invented flood that carry the same short quote."""
    return [f"Storm floods river town of Elmstead\n\nFloodwater covered the centre of Elmstead on Sunday after the "
            f"river Ash burst its banks overnight.\n\n\"{quote},\" said {mayor_a} as residents began clearing mud "
            f"from their homes.\n\nAbout 300 homes were damaged, the council said.",
            f"Elmstead counts the cost of river flood\n\nResidents of Elmstead spent Monday clearing mud after the "
            f"river Ash flooded the town centre.\n\n\"{quote},\" {mayor_b} told a public meeting in the town hall."
            f"\n\nInsurers said claims could take months to settle."]


def test_identical_short_quotes_are_one_quote():
    # "We will rebuild" has one content word: too few to merge by overlap, merged as the same words
    d = newsgist.story(_flood("Mayor Ana Duarte", "Mayor Ana Duarte", "We will rebuild")).to_dict()
    q = [q for q in d["quotes"] if q["text"] == "We will rebuild"]
    assert len(q) == 1 and sorted(s["article"] for s in q[0]["sources"]) == [0, 1]
    assert q[0]["speaker"] == "Ana Duarte"
    assert not [x for x in d["disagreements"] if x["kind"] == "speaker"]
    # given to two people, the short quote is a "who said it" disagreement
    d = newsgist.story(_flood("Mayor Ana Duarte", "fire chief Paul Okoro", "We will rebuild")).to_dict()
    spk = [x for x in d["disagreements"] if x["kind"] == "speaker"]
    assert len(spk) == 1 and {(v["article"], v["value"]) for v in spk[0]["values"]} == \
        {(0, "Ana Duarte"), (1, "Paul Okoro")}
    # two words ("No comment") merge too, but two people may both say them: no disagreement
    d = newsgist.story(_flood("Mayor Ana Duarte", "fire chief Paul Okoro", "No comment")).to_dict()
    q = [q for q in d["quotes"] if q["text"] == "No comment"]
    assert len(q) == 1 and len(q[0]["sources"]) == 2
    assert not [x for x in d["disagreements"] if x["kind"] == "speaker"]


def test_stories_lines_without_an_id_never_clash_with_a_real_id(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in [
        {"id": 2, "articles": [TEXTS[0]]},
        {"articles": [TEXTS[1]]},              # line 2, no id
        {"id": "line 2", "articles": ["   "]},
        {"id": 1, "articles": [TEXTS[2]]}]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _cli("story", "--stories", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(g["id"], g.get("line")) for g in got] == [(2, None), (None, 2), ("line 2", None), (1, None)]
    assert got[1]["story"]["highlights"] and got[2]["error"]["code"] == "no_readable_article"
    # --resume knows the id-less line by its line: drop it and the story with id 1, both come back
    out.write_text("\n".join(json.dumps(g) for g in got[:1] + got[2:3]) + "\n", encoding="utf-8")
    r = _cli("story", "--stories", str(src), "--out", str(out), "--resume")
    assert r.returncode == 0, r.stderr
    again = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(g["id"], g.get("line")) for g in again] == [(2, None), ("line 2", None), (None, 2), (1, None)]
    r = _cli("story", "--stories", str(src), "--out", str(out), "--resume")
    assert r.returncode == 0 and "0 stories written" in r.stderr
