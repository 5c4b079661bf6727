"""newsgist batch on Ray Data: the same lines, errors and resume as the local engine."""
import gzip
import subprocess
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'newsgist[ray]'); Ray engine not tested")
pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'newsgist[ray]')")

from newsgist.apps.cli.batch import errors_path, run_job  # noqa: E402

from test_batch import CORPUS, EXPECTED_CORPUS, FIX, outcomes, read_lines  # noqa: E402

# Ray Data's own DataContext reads its deprecated settings when it is copied.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def local_ray():
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


def both(tmp_path, input, **kw):
    """Run the local and the Ray engine on ``input``; return their output paths."""
    loc, ray_out = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    run_job(str(input), str(loc), workers=2, **kw)
    run_job(str(input), str(ray_out), workers=2, engine="ray", **kw)
    return loc, ray_out


def same_files(a, b):
    assert Path(a).read_bytes() == Path(b).read_bytes()
    assert Path(errors_path(str(a))).read_bytes() == Path(errors_path(str(b))).read_bytes()


def test_ray_corpus_identical_to_local(local_ray, tmp_path):
    loc, rout = both(tmp_path, CORPUS)
    same_files(loc, rout)
    assert outcomes(rout) == EXPECTED_CORPUS


def test_ray_directory_and_gzip(local_ray, tmp_path):
    (tmp_path / "d").mkdir()
    loc, rout = both(tmp_path / "d", FIX / "dir")
    same_files(loc, rout)
    gz = tmp_path / "corpus.jsonl.gz"
    gz.write_bytes(gzip.compress(CORPUS.read_bytes()))
    run_job(str(gz), str(tmp_path / "gz.jsonl"), workers=2, engine="ray")
    run_job(str(CORPUS), str(tmp_path / "plain.jsonl"), workers=1)
    same_files(tmp_path / "gz.jsonl", tmp_path / "plain.jsonl")


def test_ray_resume_finishes_a_partial_run(local_ray, tmp_path):
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    run_job(str(CORPUS), str(full), workers=1)
    out_lines = full.read_text().splitlines(keepends=True)
    err_lines = Path(errors_path(str(full))).read_text().splitlines(keepends=True)
    part.write_text("".join(out_lines[:2]) + out_lines[2][:10])                 # torn last line
    Path(errors_path(str(part))).write_text("".join(err_lines[:5]))          # incl. missing_id, bad_json
    counts = run_job(str(CORPUS), str(part), workers=2, engine="ray", resume=True)
    assert counts["skipped"] == 7 and counts["cut_bytes"] == 10
    assert outcomes(part) == EXPECTED_CORPUS
    assert sorted(part.read_text().splitlines()) == sorted(full.read_text().splitlines())


def _without_timings(lines):
    for d in lines:
        d["card"]["meta"].pop("timings_ms", None)
    return lines


def test_ray_cards_identical_to_local(local_ray, tmp_path):
    small = tmp_path / "small.jsonl"
    small.write_text("".join(line + "\n" for line in CORPUS.read_text().splitlines()[:4]))
    loc, rout = both(tmp_path, small, what="card")
    assert _without_timings(read_lines(loc)) == _without_timings(read_lines(rout))
    assert len(read_lines(rout)) == 3
    assert Path(errors_path(str(loc))).read_bytes() == Path(errors_path(str(rout))).read_bytes()


def test_ray_cli_starts_its_own_local_ray(tmp_path):
    out = tmp_path / "cli.jsonl"
    res = subprocess.run([sys.executable, "-m", "newsgist", "batch", str(CORPUS), "-o", str(out),
                          "--engine", "ray", "--workers", "2", "--progress", "none"],
                         capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr[-2000:]
    run_job(str(CORPUS), str(tmp_path / "local.jsonl"), workers=1)
    same_files(out, tmp_path / "local.jsonl")


def test_ray_record_timeout_holds(local_ray, tmp_path):
    """--record-timeout on Ray (the budget runs off the actor's main thread, by a timer):
    with a budget of one microsecond the records that are read end as ``timeout`` errors;
    one that ends before the timer thread gets the interpreter (~5 ms) keeps its own
    outcome, so only most of the articles are required to time out."""
    out = tmp_path / "ray.jsonl"
    run_job(str(CORPUS), str(out), workers=2, engine="ray", record_timeout=1e-6)
    got = outcomes(out)
    assert set(got) == set(EXPECTED_CORPUS)
    assert all(got[k] in ("timeout", v) for k, v in EXPECTED_CORPUS.items())
    assert sum(got[k] == "timeout" for k, v in EXPECTED_CORPUS.items() if v == "ok") >= 3


def test_ray_llm_runs_under_the_concurrency_cap_and_records_a_failure(local_ray, tmp_path, example):
    """--generator llm on Ray with llm_concurrency=1 (one actor: the fake endpoint's
    script is met in input order): generated highlights come back, and the failed call is
    that record's llm_* error line while the batch goes on."""
    import json

    from newsgist.options import Options
    from llm_fake import FakeLLM
    line = "Port Aldine will close its harbour bridge for two years after engineers found corrosion."
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "article": example}) + "\n" for i in "abc"))
    out = tmp_path / "out.jsonl"
    with FakeLLM([json.dumps([line]), ("status", 400, "context too long"), json.dumps([line])]) as fake:
        opts = Options(generator="llm", llm_url=fake.url, count=1, llm_concurrency=1)
        run_job(str(src), str(out), options=opts, workers=2, engine="ray")
    ok = [json.loads(x) for x in out.read_text().splitlines()]
    bad = [json.loads(x) for x in Path(errors_path(str(out))).read_text().splitlines()]
    assert [r["id"] for r in ok] == ["a", "c"] and all(r["highlights"] == [line] for r in ok)
    assert [(r["id"], r["code"]) for r in bad] == [("b", "llm_http_error")]


def test_ray_cluster_gives_the_same_stories(local_ray, tmp_path):
    """newsgist cluster --engine ray: features on Ray Data, the same stories and errors as local."""
    from newsgist.apps.cluster.job import run_cluster
    fix = Path(__file__).parent / "fixtures" / "cluster"
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes((fix / "day1.jsonl").read_bytes() + (fix / "bad.jsonl").read_bytes()
                     + (fix / "day2.jsonl").read_bytes())
    run_cluster(str(feed), str(tmp_path / "local.jsonl"), workers=2)
    run_cluster(str(feed), str(tmp_path / "ray.jsonl"), workers=2, engine="ray")
    same_files(tmp_path / "local.jsonl", tmp_path / "ray.jsonl")
    assert len((tmp_path / "ray.jsonl").read_text().splitlines()) == 16
