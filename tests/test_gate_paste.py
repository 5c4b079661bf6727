"""benchmarks/gate_paste.py (issue 31, session 11q): the registered gate's criteria on hand-made
numbers, the command's argument errors, and a run on hand-written pages whose per-page results
go to files, never to the screen. No training, no rendering, no ../shared."""
import json
import math
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_paste as bp  # noqa: E402
import gate_paste as gp  # noqa: E402
from conftest import write_routed_pair  # noqa: E402


def _cell(shipped, candidate, change_f1, se_f1, n=50):
    return {"n": n, "shipped": list(shipped), "candidate": list(candidate),
            "change": {"p": [0.0, 0.001], "r": [0.0, 0.001], "f1": [change_f1, se_f1]}}


def _cells():
    """Numbers that pass every criterion of M3's registered rule."""
    return {"modern": _cell((0.95, 0.90, 0.92), (0.96, 0.97, 0.96), 0.04, 0.01, n=100),     # 4 SE
            "dragnet": _cell((0.93, 0.93, 0.91), (0.925, 0.93, 0.905), -0.008, 0.004, n=280),
            "half A": _cell((0.9, 0.9, 0.88), (0.9, 0.9, 0.87), -0.01, 0.01),
            "half B": _cell((0.9, 0.9, 0.875), (0.9, 0.9, 0.86), -0.015, 0.02, n=63)}   # 0.015 <= 1 SE


GUARD = [{"set": bp.GUARD_SETS[0], "articles": 10, "pages": 2, "sentences": 30, "lost": 0},
         {"set": bp.GUARD_SETS[1], "articles": 10, "pages": 0, "sentences": 0, "lost": 0},
         {"set": bp.MULTI, "articles": 20, "pages": 5, "sentences": 90, "lost": 9}]   # counted, not gated


def _failed(cells, guard=GUARD, seed={"rc": 0, "line": "seed: ok"}):
    crit = gp.judge(cells, guard, seed)
    return [c["name"] for c in crit if not c["passed"]], gp.verdict(crit)


def test_everything_passes():
    failed, verdict = _failed(_cells())
    assert failed == [] and verdict == "VERDICT: pass"
    names = [c["name"] for c in gp.judge(_cells(), GUARD, {"rc": 0, "line": ""})]
    assert names == ["modern-gain", "dragnet-bars", "dragnet-loss", "half-b-loss", "guard", "seed"]
    # no modern set, no seed run asked: those criteria are not there (not passed silently either)
    cells = _cells()
    del cells["modern"]
    assert [c["name"] for c in gp.judge(cells, GUARD, None)] == ["dragnet-bars", "dragnet-loss", "half-b-loss", "guard"]


@pytest.mark.parametrize("edit, failing", [
    (lambda c: c["modern"]["change"].update(f1=[0.02, 0.01]), ["modern-gain"]),          # exactly 2 SE: not more
    (lambda c: c["modern"]["change"].update(f1=[-0.01, 0.002]), ["modern-gain"]),
    (lambda c: c["modern"]["change"].update(f1=[0.0, 0.0]), ["modern-gain"]),            # no spread: no gain
    (lambda c: c["modern"]["change"].update(f1=[0.3, float("nan")]), ["modern-gain"]),   # one page
    (lambda c: c["dragnet"].update(candidate=[0.899, 0.93, 0.905]), ["dragnet-bars"]),   # P under the bar
    (lambda c: c["dragnet"].update(candidate=[0.92, 0.93, 0.899]), ["dragnet-bars"]),    # F1 under the bar
    (lambda c: c["dragnet"]["change"].update(f1=[-0.0101, 0.001]), ["dragnet-loss"]),
    (lambda c: (c["dragnet"].update(candidate=[0.913, 0.9, 0.899]),                      # M3's numbers
                c["dragnet"]["change"].update(f1=[-0.0136, 0.0048])), ["dragnet-bars", "dragnet-loss"]),
    (lambda c: c["half B"]["change"].update(f1=[-0.021, 0.02]), ["half-b-loss"]),
    (lambda c: c["dragnet"].update(n=0), ["dragnet-bars", "dragnet-loss"]),
])
def test_each_kind_of_fail(edit, failing):
    cells = _cells()
    edit(cells)
    failed, verdict = _failed(cells)
    assert failed == failing and verdict == f"VERDICT: fail (criteria {', '.join(failing)})"


def test_guard_and_seed_fail():
    lost = [dict(GUARD[0], lost=1)] + GUARD[1:]
    assert _failed(_cells(), guard=lost)[0] == ["guard"]
    assert _failed(_cells(), guard=[])[0] == ["guard"]                # no guard set found: not measured
    assert _failed(_cells(), guard=GUARD[2:])[0] == ["guard"]         # Multi-News alone: not measured
    crit = gp.judge(_cells(), GUARD, None)
    assert crit[-1]["measured"] == "0 of 30 (2 of 20 articles taken for a page, 2 sets); Multi-News (not gated) 9 of 90"
    assert _failed(_cells(), seed={"rc": 1, "line": "seed: clutter leaks 1"})[0] == ["seed"]
    assert _failed(_cells(), guard=lost, seed={"rc": 1, "line": ""})[1] == "VERDICT: fail (criteria guard, seed)"


@pytest.mark.parametrize("loss, se, passes", [
    (0.015, 0.020, True),     # over the margin, under 1 SE: the SE is the limit
    (0.015, 0.005, False),    # over both
    (0.009, 0.001, True),     # under the margin, over 1 SE: the margin is the limit
    (0.010, 0.002, True),     # on the margin
    (0.011, float("nan"), False),   # no SE: the margin alone
    (-0.05, 0.001, True),     # a gain
])
def test_half_b_takes_the_larger_of_margin_and_one_se(loss, se, passes):
    cells = _cells()
    cells["half B"]["change"]["f1"] = [-loss, se]
    assert (_failed(cells)[0] == []) is passes
    # a wider margin given on the command line moves the limit
    crit = gp.judge(cells, GUARD, None, half_b_margin=0.1)
    assert all(c["passed"] for c in crit)


def test_pair_cell_and_heldout_cells_by_hand():
    ship = {"a": (1.0, 0.5, 0.5), "b": (1.0, 0.5, 0.5), "c": (0.5, 0.9, 0.9), "only-here": (0, 0, 0)}
    cand = {"a": (1.0, 0.6, 0.6), "b": (1.0, 0.8, 0.8), "c": (0.0, 0.9, 0.9)}
    c = gp.pair_cell(ship, cand)
    # F1 differences .1 .3 0: mean .1333, SD .1528, SE .0882 (as tests/test_bench_paste.py)
    assert c["n"] == 3 and c["shipped"][2] == pytest.approx(1.9 / 3) and c["candidate"][2] == pytest.approx(2.3 / 3)
    assert c["change"]["f1"][0] == pytest.approx(0.4 / 3) and c["change"]["f1"][1] == pytest.approx(0.0882, abs=1e-4)
    assert c["change"]["p"][0] == pytest.approx(-0.5 / 3)
    empty = gp.pair_cell({}, {})
    assert empty["n"] == 0 and math.isnan(empty["candidate"][2])

    def row(pid, s, f1, group=None, system=bp.MODEL_SYSTEM):
        return {"id": pid, "set": s, "group": group, "system": system, "p": 1.0, "r": 1.0, "f1": f1}
    ship_rows = [row("d1", "dragnet", 0.5), row("r1", "readability", 0.8, "half A"), row("r2", "readability", 0.6, "half B"),
                 row("r3", "readability", 0.6, "half B"), row("d1", "dragnet", 0.0, system="whole page")]
    cand_rows = [row("d1", "dragnet", 0.7), row("r1", "readability", 0.8, "half A"), row("r2", "readability", 0.4, "half B"),
                 row("r3", "readability", 0.6, "half B")]
    cells = gp.heldout_cells(ship_rows, cand_rows)
    assert cells["dragnet"]["n"] == 1 and cells["dragnet"]["change"]["f1"][0] == pytest.approx(0.2)
    assert cells["half A"]["n"] == 1 and cells["half B"]["n"] == 2
    assert cells["half B"]["change"]["f1"] == [pytest.approx(-0.1), pytest.approx(0.1)]


def test_page_model_sets_and_restores_the_variables(monkeypatch):
    monkeypatch.setenv("NEWSGIST_PAGE_MODEL", "before.json")
    monkeypatch.delenv("NEWSGIST_PAGE_SEQ", raising=False)
    import os
    with bp.page_model():
        assert "NEWSGIST_PAGE_MODEL" not in os.environ and "NEWSGIST_PAGE_SEQ" not in os.environ
    with bp.page_model("m.json", "s.json"):
        assert os.environ["NEWSGIST_PAGE_MODEL"] == "m.json" and os.environ["NEWSGIST_PAGE_SEQ"] == "s.json"
    assert os.environ["NEWSGIST_PAGE_MODEL"] == "before.json" and "NEWSGIST_PAGE_SEQ" not in os.environ
    monkeypatch.setenv("NEWSGIST_PAGE_ROUTE", "before-route.json")        # session 12: the router too
    with bp.page_model(route="r.json"):
        assert os.environ["NEWSGIST_PAGE_ROUTE"] == "r.json" and "NEWSGIST_PAGE_MODEL" not in os.environ
    with bp.page_model("m.json"):          # a plain candidate: a shipped router off (review 12a, #3)
        assert os.environ["NEWSGIST_PAGE_ROUTE"] == "off"
    with bp.page_model(seq="s.json"):
        assert os.environ["NEWSGIST_PAGE_ROUTE"] == "off"
    with bp.page_model():                  # the shipped product as it is: a shipped router, if any, on
        assert "NEWSGIST_PAGE_ROUTE" not in os.environ
    assert os.environ["NEWSGIST_PAGE_ROUTE"] == "before-route.json"


def test_a_plain_candidate_runs_without_a_shipped_router(tmp_path, monkeypatch):
    """Review 12a, #3: with a router shipped, the shipped run is routed, a plain candidate is not,
    in process and in the seed's subprocess."""
    import os
    from newsgist.reading import pageroute
    shipped = tmp_path / "page-route.json"
    shipped.write_text("{}")
    monkeypatch.setattr(pageroute, "ROUTE_PATH", shipped)
    monkeypatch.setenv("NEWSGIST_PAGE_ROUTE", "inherited.json")
    with bp.page_model():
        assert pageroute.router_path() == str(shipped)
    with bp.page_model("m.json", "s.json"):
        assert pageroute.router_path() is None
    with bp.page_model(route=tmp_path / "r.json"):
        assert pageroute.router_path() == str(tmp_path / "r.json")
    seen = []
    monkeypatch.setattr(gp.subprocess, "run", lambda cmd, env, **k: seen.append(env) or
                        type("P", (), {"returncode": 0, "stdout": "seed: ok\n", "stderr": ""})())
    monkeypatch.setattr(gp, "ACCEPTANCE", tmp_path / "acceptance.py")
    assert gp.run_seed(None, None)["rc"] == 0 and gp.run_seed("m.json", "s.json")["line"] == "seed: ok"
    gp.run_seed(None, None, "r.json")
    assert "NEWSGIST_PAGE_ROUTE" not in seen[0] and seen[1]["NEWSGIST_PAGE_ROUTE"] == "off"
    assert seen[2]["NEWSGIST_PAGE_ROUTE"] == "r.json" and "NEWSGIST_PAGE_MODEL" not in seen[2]
    assert os.environ["NEWSGIST_PAGE_ROUTE"] == "inherited.json"


# --- the command ---
def _page(pid, lines):
    paste = "\n".join(t for _, t in lines)
    gold = "\n".join(t for k, t in lines if k.startswith("article:"))
    return {"id": pid, "shape": "hand-written test page", "paste": paste, "gold": gold, "lines": lines}


BODY = [("article:body", f"Paragraph {i} of the invented story about the harbour council's new ferry timetable, "
         "which the council says will run every twenty minutes from the spring.") for i in range(6)]
PAGES = {"zq-page-one": [("furniture:navigation", "Home"), ("furniture:navigation", "News"),
                         ("article:headline", "Council sets a new ferry timetable")] + BODY
         + [("furniture:footer", "Privacy policy"), ("furniture:footer", "Terms of use")],
         "zq-page-two": [("furniture:cookie-consent", "We use cookies. Accept all"),
                         ("article:headline", "Harbour lights return")] + BODY[:4]
         + [("furniture:newsletter", "Sign up for our newsletter")]}


@pytest.fixture
def setup(tmp_path, monkeypatch):
    """A candidate folder (copies of the shipped files: they load and pair), a modern set of two
    hand-written pages, and held-out sets of hand-made pages in place of the rendered ones."""
    from newsgist.reading import pagemodel, pageseq
    if not (pagemodel.MODEL_PATH.exists() and pageseq.SEQ_PATH.exists()):
        pytest.skip("no shipped page model files")
    cand = tmp_path / "cand"
    cand.mkdir()
    shutil.copy(pagemodel.MODEL_PATH, cand / "page-lines.json")
    shutil.copy(pageseq.SEQ_PATH, cand / "page-seq.json")
    modern = tmp_path / "modern"
    modern.mkdir()
    for pid, lines in PAGES.items():
        (modern / f"{pid}.json").write_text(json.dumps(_page(pid, lines)))
    held = [{"id": f"zq-held-{i}", "pasted": _page("", lines)["paste"], "text": _page("", lines)["gold"]}
            for i, lines in enumerate(PAGES.values())]
    monkeypatch.setattr(bp, "heldout_sets", lambda names, limit=None: [
        ("dragnet", "Dragnet", held, None),
        ("readability", "Readability", held, lambda p: "half " + "AB"[int(p["id"][-1])])])
    monkeypatch.setattr(gp.paste_render, "SETS", {"dragnet": modern, "readability": modern})   # "present"
    monkeypatch.setattr(bp, "guard", lambda limit: [dict(GUARD[0])])
    monkeypatch.delenv("NEWSGIST_PAGE_MODEL", raising=False)
    monkeypatch.delenv("NEWSGIST_PAGE_SEQ", raising=False)
    monkeypatch.delenv("NEWSGIST_PAGE_ROUTE", raising=False)
    from newsgist.reading import pageroute      # "shipped" means the pair alone, even once a router ships (#4)
    monkeypatch.setattr(pageroute, "ROUTE_PATH", tmp_path / "no-shipped-router.json")
    return tmp_path, cand, modern


def test_the_command_writes_pages_to_files_and_never_prints_them(setup, capsys):
    tmp, cand, modern = setup
    out_dir, js = tmp / "pages", tmp / "gate.json"
    assert gp.main(["--candidate", str(cand), "--modern-dir", str(modern), "--json", str(js),
                    "--pages-out", str(out_dir)]) == 0
    cap = capsys.readouterr()
    assert "zq-" not in cap.out and "zq-" not in cap.err          # no page's id, so no page's row
    lines = cap.out.strip().splitlines()
    # the candidate is the shipped model: no change, no gain (no spread), so modern-gain fails
    assert lines[-1].startswith("VERDICT: fail (criteria modern-gain")
    assert "| modern (" in cap.out and "| held-out Dragnet | 2 |" in cap.out and "| guard |" in cap.out
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == ["heldout-candidate.json", "heldout-shipped.json", "modern-candidate.json", "modern-shipped.json"]
    rows = json.loads((out_dir / "modern-candidate.json").read_text())
    assert sorted(r["id"] for r in rows) == sorted(PAGES)
    assert {r["id"] for r in json.loads((out_dir / "heldout-shipped.json").read_text())} == {"zq-held-0", "zq-held-1"}
    got = json.loads(js.read_text())
    assert got["verdict"] == lines[-1] and got["cells"]["modern"]["n"] == 2
    assert got["cells"]["dragnet"]["change"]["f1"][0] == 0.0 and got["guard"] == [GUARD[0]] and got["seed"] is None
    assert "zq-" not in js.read_text()
    # session 13a: the outside metric beside the gate's table and in its JSON (not a criterion)
    assert "The outside metric (paste_metric" in cap.out and "| held-out Dragnet | 2 | " in cap.out.split("outside")[-1]
    four = got["cells4"]
    assert set(four) == {"dragnet", "half A", "half B", "modern"} and four["modern"]["n"] == 2
    assert four["dragnet"]["change"]["diff"] == 0.0 and four["dragnet"]["shipped"] == four["dragnet"]["candidate"]
    assert 0.0 <= four["modern"]["candidate"]["f1"] <= 1.0 and "pm" in four["modern"]["candidate"]
    assert [c["name"] for c in got["criteria"]] == ["modern-gain", "dragnet-bars", "dragnet-loss", "half-b-loss",
                                                    "guard"]
    assert all("tp4" in r for r in json.loads((out_dir / "heldout-shipped.json").read_text()))
    assert all("model4" in r for r in rows)


@pytest.mark.parametrize("argv, message", [
    ([], "give --candidate DIR or --model FILE"),
    (["--candidate", "{d}", "--model", "{d}/page-lines.json"], "give --candidate DIR or --model FILE"),
    (["--seq", "{d}/page-seq.json"], "give --candidate DIR or --model FILE"),
    (["--candidate", "{d}", "--seq", "{d}/page-seq.json"], "--seq goes with --model"),
    (["--candidate", "{d}/nowhere"], "no such file"),
    (["--model", "{d}/missing.json"], "no such file"),
    (["--candidate", "{d}", "--modern-dir", "{d}/empty"], "no *.json pages there"),
    (["--candidate", "{d}", "--json", "{d}/no-folder/gate.json"], "--json: no folder"),
    (["--candidate", "{d}", "--min-gain-se", "two"], "invalid float value"),
])
def test_argument_errors(tmp_path, capsys, argv, message):
    (tmp_path / "page-lines.json").write_text("{}")
    (tmp_path / "page-seq.json").write_text("{}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as exc:
        gp.main([a.format(d=tmp_path) for a in argv])
    assert exc.value.code == 2 and message in capsys.readouterr().err


def test_a_candidate_that_does_not_load_stops_before_any_page(tmp_path, capsys, monkeypatch):
    (tmp_path / "page-lines.json").write_text("{}")
    (tmp_path / "page-seq.json").write_text("{}")
    monkeypatch.setattr(bp, "heldout_sets", lambda *a, **k: pytest.fail("pages read before the check"))
    assert gp.main(["--candidate", str(tmp_path)]) == 2
    cap = capsys.readouterr()
    assert cap.err.startswith("error: ") and "no page-lines model could be read" in cap.err
    assert "the gate did not run" in cap.err and "VERDICT" not in cap.out


def _routed_candidate(folder, threshold=-1.0):
    """A routed candidate (session 12): a router that routes every page (``threshold`` -1 on a score
    of at least 0) to a modern pair that is the shipped pair keeping every line; no default pair of
    its own (the shipped one)."""
    write_routed_pair(folder, threshold)
    return folder


def test_a_routed_candidate_runs_the_routed_product(setup, capsys):
    tmp, _, _ = setup
    cand = _routed_candidate(tmp / "routed")
    modern = tmp / "modern-pages"          # pages the page model reads (12 lines and more, many short)
    modern.mkdir()
    menu = [("furniture:navigation", w) for w in ("Home", "News", "Sport", "Business", "Weather", "Opinion",
                                                    "Culture", "Travel", "Podcasts", "Newsletters")]
    for pid, lines in PAGES.items():
        (modern / f"{pid}.json").write_text(json.dumps(_page(pid, menu + lines)))
    args = gp.parse_args(["--candidate", str(cand)])
    assert (args.route, args.model, args.seq) == (cand / "page-route.json", None, None)
    js = tmp / "gate.json"
    assert gp.main(["--candidate", str(cand), "--modern-dir", str(modern), "--json", str(js)]) == 0
    got = json.loads(js.read_text())
    assert got["candidate"]["route"] == str(cand / "page-route.json") and "router" in got["candidate"]["line"]
    # review 12a, #8: counts of routed pages per set (pages that look like a page), never an id
    assert got["routed"] == {"held-out Dragnet": [0, 2], "Readability half A": [0, 1],
                             "Readability half B": [0, 1], "modern": [2, 2]}
    out = capsys.readouterr().out
    assert "held-out Dragnet routed 0 of 2" in out and "modern routed 2 of 2" in out and "zq-" not in out
    # every page routed to a pair that keeps every line: the candidate's modern scores are not the shipped ones
    assert got["cells"]["modern"]["candidate"] != got["cells"]["modern"]["shipped"]
    import os
    assert "NEWSGIST_PAGE_ROUTE" not in os.environ               # restored after the run
    # with its own page-lines.json / page-seq.json, those are the default pair
    shutil.copy(cand / "page-seq-modern.json", cand / "page-seq.json")
    with pytest.raises(SystemExit) as exc:          # review 12a, #6: one file of the pair is refused
        gp.parse_args(["--candidate", str(cand)])
    assert exc.value.code == 2 and "both page-lines.json and page-seq.json, or neither" in capsys.readouterr().err
    shutil.copy(cand / "page-lines-modern.json", cand / "page-lines.json")
    args = gp.parse_args(["--candidate", str(cand)])
    assert (args.model, args.seq) == (cand / "page-lines.json", cand / "page-seq.json")


def test_a_routed_candidate_whose_pair_does_not_pair_stops_before_any_page(setup, capsys, monkeypatch):
    tmp, _, _ = setup
    cand = _routed_candidate(tmp / "routed-bad")
    seq = json.loads((cand / "page-seq-modern.json").read_text())
    (cand / "page-seq-modern.json").write_text(json.dumps(dict(seq, trees_sha1="0" * 40)))
    monkeypatch.setattr(bp, "heldout_sets", lambda *a, **k: pytest.fail("pages read before the check"))
    assert gp.main(["--candidate", str(cand)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "trained beside other page-lines trees" in err
    for name, trees in (("routed-list", []), ("routed-nokey", {"kind": "newsgist-page-lines"})):
        broken = _routed_candidate(tmp / name)     # review 12a, #1: one line and exit 2, never a traceback
        (broken / "page-lines-modern.json").write_text(json.dumps(trees))
        assert gp.main(["--candidate", str(broken)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1 and "the gate did not run" in err
        assert "page-lines-modern.json" in err and "Traceback" not in err
    bad = tmp / "routed-unreadable"        # (a router file is read once a process: another folder)
    bad.mkdir()
    (bad / "page-route.json").write_text("{")
    assert gp.main(["--candidate", str(bad)]) == 2
    assert "page router" in capsys.readouterr().err
