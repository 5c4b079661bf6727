"""newsgist batch, local engine: exactly-once output, errors, resume after kill -9, inputs."""
import gzip
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from newsgist.apps.batch.local import BatchError, Result, batch
from newsgist.apps.cli.batch import Writer, errors_path, prepare_output, run_job, truncate_torn_line
from newsgist.apps.cli.main import main
from newsgist.options import Options

FIX = Path(__file__).parent / "fixtures" / "batch"
CORPUS = FIX / "corpus.jsonl"
ARTICLES = json.loads((FIX / "articles.json").read_text(encoding="utf-8"))
# What each record of corpus.jsonl must become: id (or line number) -> error code, or "ok".
EXPECTED_CORPUS = {
    "harbour": "ok", "orchard": "ok", "bridge-html": "ok", "library": "ok", 42: "ok", "marathon": "ok",
    "empty": "empty_input", "garbage": "binary_input", "no-content": "bad_record",
    "local-url": "blocked_address", "headline-only": "no_text",
    6: "missing_id", 7: "bad_json", 9: "duplicate_id", 11: "bad_record",
}


def read_lines(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def outcomes(out):
    """{key: "ok" | code} from an output and its errors file; fails on any key seen twice."""
    keys = Counter()
    got = {}
    for d in read_lines(out):
        keys[("id", d["id"])] += 1
        got[d["id"]] = "ok"
    for d in read_lines(errors_path(str(out))):
        key = ("line", d["line"]) if "line" in d else ("id", d["id"])
        keys[key] += 1
        got[key[1]] = d["code"]
    doubled = [k for k, n in keys.items() if n > 1]
    assert not doubled, f"written more than once: {doubled}"
    return got


def expected_keys(corpus):
    """Every record of a JSONL corpus, as the key the batch must write it under."""
    keys, seen = set(), set()
    for n, raw in enumerate(Path(corpus).read_bytes().split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            d = json.loads(raw)
        except ValueError:
            keys.add(n)
            continue
        rid = d.get("id") if isinstance(d, dict) else None
        if rid in (None, "") or rid in seen:
            keys.add(n)
        else:
            seen.add(rid)
            keys.add(rid)
    return keys


def big_corpus(path, n):
    """n distinct records, each the four fixture articles run together (long enough to be killed)."""
    body = "\n\n".join(ARTICLES.values())
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i}", "article": body}) + "\n")
    return [f"a{i}" for i in range(n)]


@pytest.mark.parametrize("workers", [1, 2])
def test_corpus_every_record_once(tmp_path, workers):
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(CORPUS), "-o", str(out), "--workers", str(workers), "--progress", "none"]) == 0
    got = outcomes(out)
    assert got == EXPECTED_CORPUS
    assert set(got) == expected_keys(CORPUS)
    ids = [d["id"] for d in read_lines(out)]
    assert ids == ["harbour", "orchard", "bridge-html", "library", 42, "marathon"]  # input order
    first = read_lines(out)[0]
    assert set(first) == {"id", "highlights"} and first["highlights"][0].startswith("SYDNEY")
    dup = [d for d in read_lines(errors_path(str(out))) if d["code"] == "duplicate_id"][0]
    assert dup == {"id": "harbour", "code": "duplicate_id", "line": 9,
                   "message": "id 'harbour' already appeared earlier in the input"}
    # The first "harbour" (the harbour story) is kept, not the duplicate (the marathon one).
    assert "ferry" in " ".join(read_lines(out)[0]["highlights"])


def test_workers_give_identical_output(tmp_path):
    for w in (1, 2):
        run_job(str(CORPUS), str(tmp_path / f"w{w}.jsonl"), workers=w)
    for name in ("w{}.jsonl", "w{}.errors.jsonl"):
        assert (tmp_path / name.format(1)).read_bytes() == (tmp_path / name.format(2)).read_bytes()


def test_existing_output_is_not_clobbered(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    assert main(["batch", str(CORPUS), "-o", str(out), "--progress", "none"]) == BatchError.exit_code
    assert "--resume" in capsys.readouterr().err and out.read_text() == "precious\n"
    assert main(["batch", str(CORPUS), "-o", str(out), "--overwrite", "--progress", "none"]) == 0
    assert outcomes(out) == EXPECTED_CORPUS


def test_resume_skips_done_and_cuts_torn_line(tmp_path):
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    run_job(str(CORPUS), str(full), workers=1)
    out_lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    err_lines = Path(errors_path(str(full))).read_text(encoding="utf-8").splitlines(keepends=True)
    part.write_text("".join(out_lines[:3]) + out_lines[3][:25], encoding="utf-8")   # torn last line
    Path(errors_path(str(part))).write_text("".join(err_lines[:4]), encoding="utf-8")
    counts = run_job(str(CORPUS), str(part), workers=2, resume=True)
    assert counts["skipped"] == 7 and counts["cut_bytes"] == 25
    assert counts["ok"] + counts["errors"] == len(EXPECTED_CORPUS) - 7
    assert outcomes(part) == EXPECTED_CORPUS
    assert sorted(part.read_text().splitlines()) == sorted(full.read_text().splitlines())
    # Nothing left to do: a second resume writes nothing.
    again = run_job(str(CORPUS), str(part), resume=True)
    assert again["ok"] == again["errors"] == 0 and again["skipped"] == len(EXPECTED_CORPUS)


def test_two_runs_on_one_output_are_refused(tmp_path):
    out = tmp_path / "out.jsonl"
    held = prepare_output(str(out), what="highlights")      # a run in progress holds the lock
    try:
        with pytest.raises(BatchError, match="another newsgist batch"):
            run_job(str(CORPUS), str(out), resume=True)
    finally:
        os.close(held.lock_fd)
    run_job(str(CORPUS), str(out), resume=True)
    assert outcomes(out) == EXPECTED_CORPUS


def test_resume_refuses_other_what_and_corrupt_files(tmp_path):
    out = tmp_path / "out.jsonl"
    run_job(str(CORPUS), str(out), workers=1)
    with pytest.raises(BatchError, match="--what card"):
        run_job(str(CORPUS), str(out), what="card", resume=True)
    with open(out, "a") as fh:
        fh.write("not json\n")
    with pytest.raises(BatchError, match="cannot resume"):
        run_job(str(CORPUS), str(out), resume=True)


def _children(pid):
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and kill -9 semantics of Linux")
def test_kill_9_mid_run_then_resume(tmp_path):
    ids = big_corpus(tmp_path / "big.jsonl", 3000)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "newsgist", "batch", str(tmp_path / "big.jsonl"), "-o", str(out),
           "--workers", "2", "--progress", "none"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.stat().st_size > 100_000:
            break
        time.sleep(0.02)
    workers = _children(proc.pid)
    assert proc.poll() is None, "the run finished before it could be killed: make the corpus bigger"
    os.kill(proc.pid, signal.SIGKILL)     # kill -9 the driver only, as a user would
    proc.wait()
    done_at_kill = len(out.read_bytes().split(b"\n")) - 1
    assert 0 < done_at_kill < len(ids)
    # Orphaned worker processes notice and exit by themselves.
    t0 = time.monotonic()
    while any(_alive(p) for p in workers) and time.monotonic() - t0 < 10:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "worker processes outlived their driver"
    res = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "already done" in res.stderr
    written = [d["id"] for d in read_lines(out)]
    assert Counter(written) == Counter(ids)           # every id exactly once
    assert Path(errors_path(str(out))).read_text() == ""


def test_directory_input(tmp_path):
    out = tmp_path / "out.jsonl"
    run_job(str(FIX / "dir"), str(out), workers=2)
    assert [d["id"] for d in read_lines(out)] == ["harbour.txt", "orchard.txt", "sub/bridge.html"]
    assert {d["id"]: d["code"] for d in read_lines(errors_path(str(out)))} == {
        "empty.txt": "empty_input", "garbage.txt": "binary_input"}


def test_gzip_input(tmp_path):
    gz = tmp_path / "corpus.jsonl.gz"
    gz.write_bytes(gzip.compress(CORPUS.read_bytes()))
    run_job(str(gz), str(tmp_path / "gz.jsonl"), workers=1)
    run_job(str(CORPUS), str(tmp_path / "plain.jsonl"), workers=1)
    assert (tmp_path / "gz.jsonl").read_bytes() == (tmp_path / "plain.jsonl").read_bytes()
    assert outcomes(tmp_path / "gz.jsonl") == EXPECTED_CORPUS


def test_stdin_input(tmp_path):
    out = tmp_path / "out.jsonl"
    res = subprocess.run([sys.executable, "-m", "newsgist", "batch", "-", "-o", str(out), "--workers", "2"],
                         input=CORPUS.read_bytes(), capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert outcomes(out) == EXPECTED_CORPUS
    assert b"wrote 6 to" in res.stderr and b"9 errors" in res.stderr


def test_card_lines(tmp_path):
    out = tmp_path / "cards.jsonl"
    small = tmp_path / "small.jsonl"
    small.write_text("".join(json.dumps({"id": k, "article": v}) + "\n" for k, v in list(ARTICLES.items())[:2]))
    assert main(["batch", str(small), "-o", str(out), "--what", "card", "--workers", "1", "-n", "2",
                 "--progress", "none"]) == 0
    lines = read_lines(out)
    assert [d["id"] for d in lines] == ["harbour", "orchard"]
    card = lines[0]["card"]
    assert len(card["highlights"]) == 2 and card["quotes"] and card["entities"]
    assert any(q["speaker"] and "Whitfield" in q["speaker"] for q in card["quotes"])


def test_progress_lines_when_not_a_terminal(tmp_path):
    res = subprocess.run([sys.executable, "-m", "newsgist", "batch", str(CORPUS), "-o", str(tmp_path / "o.jsonl"),
                          "--workers", "1"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "\r" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].startswith("newsgist batch: wrote 6 to")


def test_api_is_lazy_ordered_and_bounded():
    def endless():
        for i in itertools.count():
            yield {"id": f"s{i}", "article": ARTICLES["orchard"]}
    got = list(itertools.islice(batch(endless(), Options(count=2), workers=2), 25))
    assert [r.id for r in got] == [f"s{i}" for i in range(25)]
    assert all(r.ok and len(r.highlights) == 2 for r in got)


def test_api_pairs_duplicates_and_errors():
    recs = [("a", ARTICLES["library"]), ("b", ""), ("a", ARTICLES["harbour"]), {"article": "x"}]
    res = list(batch(recs))
    assert [(r.id, r.ok, r.code) for r in res] == [("a", True, None), ("b", False, "empty_input"),
                                                   ("a", False, "duplicate_id"), (None, False, "missing_id")]
    assert res[2].line == 3 and res[3].line == 4
    assert res[0].to_line() == {"id": "a", "highlights": res[0].highlights}


def test_truncate_torn_line_and_writer(tmp_path):
    p = tmp_path / "o.jsonl"
    p.write_bytes(b'{"id": 1}\n{"id": 2, "highl')
    assert truncate_torn_line(str(p)) == len(b'{"id": 2, "highl')
    assert p.read_bytes() == b'{"id": 1}\n'
    p.write_bytes(b"no newline at all")
    assert truncate_torn_line(str(p)) == 17 and p.read_bytes() == b""
    os.close(prepare_output(str(p), what="highlights", overwrite=True).lock_fd)
    with Writer(str(p)) as w:
        w.write(Result("x\ud800", True, highlights=["h"]))     # a lone surrogate still gives valid JSON
        w.write(Result("y", False, code="no_text", message="m"))
    assert read_lines(p) == [{"id": "x\ud800", "highlights": ["h"]}]
    assert read_lines(errors_path(str(p))) == [{"id": "y", "code": "no_text", "message": "m"}]
    assert errors_path("a/out.jsonl") == "a/out.errors.jsonl" and errors_path("out.txt") == "out.txt.errors.jsonl"


def test_ray_engine_missing_gives_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)
    rc = main(["batch", str(CORPUS), "-o", str(tmp_path / "o.jsonl"), "--engine", "ray", "--progress", "none"])
    assert rc == BatchError.exit_code
    assert "pip install 'newsgist[ray]'" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_missing_input_and_bad_output(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl")]) == BatchError.exit_code
    assert main(["batch", str(CORPUS), "-o", str(tmp_path / "no" / "o.jsonl")]) == BatchError.exit_code
    err = capsys.readouterr().err
    assert "no such file" in err and "output directory does not exist" in err


# --- the per-record time budget (--record-timeout) -------------------------------------

#: Marks the record that newsgist.api.read is made slow for (a Python loop, as a slow stage
#: would be): a test-only hook, so the tests do not depend on any real input being slow.
SLOW_MARK = "SLOW-RECORD-FOR-TESTS"
SLOW_DRIVER = f"""
import sys, time
import newsgist.api as api
_read = api.read
def read(src, *args, **kwargs):
    if {SLOW_MARK!r} in getattr(src, "text", src):
        t_end = time.monotonic() + 600
        while time.monotonic() < t_end:
            time.sleep(0.01)
    return _read(src, *args, **kwargs)
api.read = read
from newsgist.apps.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _slow_read(real):
    def read(src, *args, **kwargs):
        if SLOW_MARK in getattr(src, "text", src):
            while True:
                time.sleep(0.01)
        return real(src, *args, **kwargs)
    return read


@pytest.mark.parametrize("workers", [1, 2])
def test_record_timeout_is_an_error_line_and_the_batch_goes_on(monkeypatch, workers):
    import newsgist.api as api
    monkeypatch.setattr(api, "read", _slow_read(api.read))   # forked workers inherit it
    recs = [("a", ARTICLES["harbour"]), ("slow", ARTICLES["orchard"] + "\n\n" + SLOW_MARK),
            ("b", ARTICLES["library"])]
    t0 = time.monotonic()
    results = list(batch(recs, workers=workers, record_timeout=1.5))
    assert [(r.id, r.ok) for r in results] == [("a", True), ("slow", False), ("b", True)]
    assert results[1].code == "timeout" and "1.5 s" in results[1].message
    assert results[1].to_line() == {"id": "slow", "code": "timeout", "message": results[1].message}
    assert time.monotonic() - t0 < 60


def test_record_timeout_off_the_main_thread(monkeypatch):
    """Off the main thread (as in a Ray actor) the budget is a timer's asynchronous
    exception: the slow record times out, and a fast one leaves nothing pending behind."""
    import threading
    import newsgist.api as api
    from newsgist.apps.batch.local import Item, process_item
    monkeypatch.setattr(api, "read", _slow_read(api.read))
    out = {}

    def work():
        out["slow"] = process_item(Item(1, "slow", "article", ARTICLES["orchard"] + SLOW_MARK), "highlights",
                                   Options(), timeout=1.0)
        out["fast"] = process_item(Item(2, "fast", "article", ARTICLES["harbour"]), "highlights", Options(),
                                   timeout=30.0)
        time.sleep(0.2)
        out["after"] = "clean"      # no stray timeout raised after the record ended
    t = threading.Thread(target=work)
    t.start()
    t.join(60)
    assert out["slow"].code == "timeout" and out["fast"].ok and out["after"] == "clean"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses kill -9 semantics of Linux")
def test_kill_9_during_a_slow_record_then_resume_times_it_out(tmp_path):
    ids = [f"r{i}" for i in range(8)]
    corpus = tmp_path / "in.jsonl"
    with open(corpus, "w", encoding="utf-8") as fh:
        for i, rid in enumerate(ids):
            text = ARTICLES[["harbour", "orchard", "library"][i % 3]] + ("\n\n" + SLOW_MARK if rid == "r3" else "")
            fh.write(json.dumps({"id": rid, "article": text}) + "\n")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-c", SLOW_DRIVER, "batch", str(corpus), "-o", str(out), "--workers", "1",
           "--progress", "none"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)   # default budget (30 s): stuck on r3
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.05)
    time.sleep(0.3)
    assert proc.poll() is None, proc.stderr.read().decode()
    assert [d["id"] for d in read_lines(out)] == ["r0", "r1", "r2"]   # r3 is running
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    res = subprocess.run(cmd + ["--resume", "--record-timeout", "1"], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    assert "3 already done" in res.stderr
    got = outcomes(out)                       # fails on any id written twice
    assert got == {**{rid: "ok" for rid in ids}, "r3": "timeout"}
