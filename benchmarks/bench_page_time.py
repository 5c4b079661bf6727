"""The time of the page path on pasted pages, against a base commit's tree in the same run (issue 31, session 7d).

Two worker processes, one with the base commit's ``src/`` first on the path (``git archive``
into a temporary folder, default 27262c0: main before this session) and one with this tree's,
read the same texts: the cached pasted pages (``/tmp/newsgist-paste``, read-only, never
re-rendered: ``benchmarks/paste_render.py``) and hand-written pathological pages. The parent
asks them in turn, so machine noise hits both alike, and times LEAD-3 (pysbd) on a plain CNN
article between them (as ``benchmarks/bench_core.py`` does).

* **identity**: on every cached page (Dragnet 1,380, Readability 130) and the pathological
  pages, each worker hashes the page model's feature matrix (``pagelines.features`` on the
  worded lines, bytes: equal hashes are bit-identical arrays with NaN in the same places),
  the model's probabilities, and ``newsgist text``'s output with its removed lines and reasons;
  the parent counts the pages where the two trees differ (must be 0 everywhere).
* **time**: ``newsgist text`` (the clean stage and the body, in process) on held-out pasted
  Dragnet pages, ``--passes`` passes, the order of the two trees swapped every pass; median ms
  per page, the per-page ratio, and LEAD-3's median; then each pathological page, alternated.

Usage::

    python benchmarks/bench_page_time.py                       # base 27262c0, 100 held-out pages, 3 passes
    python benchmarks/bench_page_time.py --base 27262c0 --pages 150 --passes 3 --no-identity
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_COMMIT = "27262c0"
# The hand-written pathological pages (issue 31, session 7d); each is a pasted page (the gate
# takes it), linear work expected. Written here, not shared data.
_MENU = "\n".join(["Home", "World", "Politics", "Business", "Tech", "Science", "Health", "Sport", "Travel",
                   "Video", "Share", "Tweet", "Email", "Sign in", "Subscribe"])
_PROSE = ("The council said on March 3, 2019 that 12 people had written to it about the bridge at "
          "www.example.org or by email to desk@example.org, and it would reply by 10:30 am. ")


def pathological_pages() -> dict[str, str]:
    words = ["Home", "Share", "2012", "said", "Reply", "Ana", "ago", "Comments", "©", "Tuesday"]
    prose = ("Maria Lopez wrote: I think the ferry will run again soon, thanks for asking! "
             "The harbour master said the 14 boats were checked on Feb. 4 and cleared for the season.")
    return {
        "50,000 one-word lines": "\n".join(words[i % len(words)] for i in range(50000)),
        "one 57 kB line": _MENU + "\n\n" + (_PROSE * (57000 // len(_PROSE) + 1))[:57000] + "\n\nShare\nTweet\n",
        "20,000 alternating lines": "\n".join("Share this story" if i % 2 else prose for i in range(20000)),
        # a pasted blob (base64, a hash) with digits: 27262c0's comment-shape handle pattern tried
        # every digit with every end after it (2 s at 4 kB, growing faster than the square)
        "one 4 kB token without a space": _MENU + "\n\n" + ("Qm9hdHMrZmVycnk9" * 250)[:4000] + "\n\n" + _MENU,
        "10,000 quotation marks": _MENU + "\n\n" + "\u201cYes,\u201d she said. " * 2500 + "\n\n" + '"' * 5000
        + "\n\nA line with \u2018quotes\u2019 and \"more\" of them.\n" + _MENU,
    }


# --- worker: runs with one tree's src first on the path -----------------------------------
def _text_output(text: str):
    from newsgist.apps.cli.render import render_body
    from newsgist.article import Article
    from newsgist.errors import NewsgistError
    from newsgist.options import Options
    from newsgist.pipeline import run, stages_named
    try:
        art = run(Article(source=text, kind="text"), Options(), stages_named("clean"))
    except NewsgistError as exc:
        return f"error {type(exc).__name__}", None
    removed = getattr(art, "removed", None)
    return render_body(art), removed


def _digest(*parts) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(p if isinstance(p, bytes) else repr(p).encode("utf-8"))
    return h.hexdigest()


def _identity(text: str) -> dict:
    import numpy as np
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    from newsgist.reading.pagemodel import load_model
    lines = page_lines(text)
    read, _ = worded_lines(text, lines)
    X, _ = features(text, read)
    model = load_model()
    import inspect
    words = "texts" in inspect.signature(model.probabilities).parameters     # session 8b on; a base before reads rows only
    prob = (model.probabilities(X, [text[s:e] for s, e, _ in read]) if words else model.probabilities(X)) \
        if len(X) else np.zeros(0)
    out, removed = _text_output(text)
    return {"features": _digest(str(X.shape), X.tobytes(), np.isnan(X).tobytes()), "rows": int(X.shape[0]),
            "prob": _digest(prob.tobytes()),
            "text": _digest(out, [(r.text, r.reason, r.start, r.end) for r in removed or ()])}


def worker() -> int:
    texts: list[str] = []
    for raw in sys.stdin:
        job = json.loads(raw)
        if job["op"] == "load":
            texts = json.loads(Path(job["path"]).read_text(encoding="utf-8"))
            _text_output("Warm-up line one.\n\nWarm-up line two.")
            ans: object = len(texts)
        elif job["op"] == "identity":
            ans = [_identity(texts[i]) for i in job["ids"]]
        elif job["op"] == "time":
            t0 = time.perf_counter()
            _text_output(texts[job["id"]])
            ans = (time.perf_counter() - t0) * 1000
        elif job["op"] == "highlights":
            import newsgist
            t0 = time.perf_counter()
            newsgist.highlights(texts[job["id"]])
            ans = (time.perf_counter() - t0) * 1000
        else:
            ans = None
        sys.stdout.write(json.dumps(ans) + "\n")
        sys.stdout.flush()
    return 0


# --- parent -------------------------------------------------------------------------------
class Worker:
    def __init__(self, src: Path, script: Path):
        import os
        env = dict(os.environ, PYTHONPATH=str(src), OMP_NUM_THREADS="1")
        env.pop("NEWSGIST_PAGE_MODEL", None)
        self.proc = subprocess.Popen([sys.executable, str(script), "--worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)

    def ask(self, **job):
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("worker died")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(60)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default=BASE_COMMIT, help="the commit whose tree is timed beside this one")
    ap.add_argument("--pages", type=int, default=100, help="held-out Dragnet pages timed")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--no-identity", action="store_true")
    ap.add_argument("--no-time", action="store_true")
    ap.add_argument("--identity-limit", type=int, default=None, help="first N cached pages of each set")
    args = ap.parse_args(argv)
    here = Path(__file__).resolve().parent
    repo = here.parent
    sys.path.insert(0, str(here))
    sys.path.insert(0, str(repo / "src"))
    import paste_render
    from common import first_records
    from newsgist.evaluation.evaluate import lead3_pysbd
    from newsgist.evaluation.train_paste import split_of
    if not paste_render.cache_path("dragnet").exists():
        print(f"skipped: no cached pasted pages in {paste_render.CACHE_DIR} (benchmarks/paste_render.py makes them)")
        return 0
    sets = {n: paste_render.pasted_pages(n, args.identity_limit) for n in ("dragnet", "readability")
            if paste_render.cache_path(n).exists()}
    held = [p for p in sets["dragnet"] if split_of(p["id"]) == "test"][:args.pages]
    patho = pathological_pages()
    cnn_path = repo.parent / "shared" / "data" / "cnndm" / "test-public-500.jsonl"
    cnn = [r["article"] for r in first_records(cnn_path, 200)] if cnn_path.exists() else []
    texts = [p["pasted"] for ps in sets.values() for p in ps] + list(patho.values()) + cnn
    with tempfile.TemporaryDirectory() as tmp:
        arch = subprocess.run(["git", "-C", str(repo), "archive", args.base, "src"], capture_output=True)
        if arch.returncode != 0:
            print(f"git archive {args.base} failed: {arch.stderr.decode()[-300:]}")
            return 1
        subprocess.run(["tar", "-x", "-C", tmp], input=arch.stdout, check=True)
        job = Path(tmp) / "texts.json"
        job.write_text(json.dumps(texts), encoding="utf-8")
        workers = {f"base {args.base}": Worker(Path(tmp) / "src", Path(__file__).resolve()),
                   "this tree": Worker(repo / "src", Path(__file__).resolve())}
        try:
            for w in workers.values():
                w.ask(op="load", path=str(job))
            if not args.no_identity:
                identity(workers, sets, patho, len(texts))
            if not args.no_time:
                timing(workers, texts, sets, held, patho, cnn, args.passes, lead3_pysbd)
        finally:
            for w in workers.values():
                w.close()
    return 0


def identity(workers, sets, patho, n_texts) -> None:
    (na, a), (nb, b) = workers.items()
    print(f"\n## Identity: {nb} against {na} (hashes of the feature matrix, probabilities, `newsgist text`)\n")
    print("| pages | n | rows | features differ | probabilities differ | text output differs |\n|---|---:|---:|---:|---:|---:|")
    start = 0
    groups = [(f"{n} (cached pasted)", len(ps)) for n, ps in sets.items()] + [(k, 1) for k in patho]
    for name, size in groups:
        ids = list(range(start, start + size))
        start += size
        ra, rb = [], []
        for k in range(0, len(ids), 50):            # in turn, 50 pages at a time
            ra += a.ask(op="identity", ids=ids[k:k + 50])
            rb += b.ask(op="identity", ids=ids[k:k + 50])
        diff = {f: sum(x[f] != y[f] for x, y in zip(ra, rb)) for f in ("features", "prob", "text")}
        print(f"| {name} | {size} | {sum(x['rows'] for x in ra)} | {diff['features']} | {diff['prob']} | "
              f"{diff['text']} |", flush=True)
    assert start <= n_texts


def timing(workers, texts, sets, held, patho, cnn, passes, lead3) -> None:
    names = list(workers)
    index = {id(p): i for i, p in enumerate(p for ps in sets.values() for p in ps)}
    ids = [index[id(p)] for p in held]
    ms: dict[str, dict[int, list[float]]] = {n: {i: [] for i in ids} for n in names}
    lead: list[float] = []
    for k in range(passes):
        order = names if k % 2 == 0 else names[::-1]
        for j, i in enumerate(ids):
            for n in order:
                ms[n][i].append(workers[n].ask(op="time", id=i))
            if cnn:
                t0 = time.perf_counter()
                lead3(cnn[(k * len(ids) + j) % len(cnn)])
                lead.append((time.perf_counter() - t0) * 1000)
    base, ours = names
    per_page = {n: [statistics.median(v) for v in ms[n].values()] for n in names}
    lead_ms = statistics.median(lead) if lead else float("nan")
    print(f"\n## `newsgist text` on {len(ids)} held-out pasted Dragnet pages, {passes} passes (trees alternated), "
          f"LEAD-3 (pysbd) on CNN articles interleaved\n")
    print("| what | median ms/page | p90 ms | × lead3 (pysbd) |\n|---|---:|---:|---:|")
    for n in names:
        v = sorted(per_page[n])
        print(f"| {n} | {statistics.median(v):.2f} | {v[int(0.9 * (len(v) - 1))]:.2f} | "
              f"{statistics.median(v) / lead_ms:.2f} |")
    print(f"| lead3 (pysbd), {len(lead)} CNN articles | {lead_ms:.2f} | | 1.00 |")
    ratios = [o / b for b, o in zip(per_page[base], per_page[ours])]
    print(f"\nper page, {ours} / {base}: median {statistics.median(ratios):.3f}; "
          f"ratio of medians {statistics.median(per_page[ours]) / statistics.median(per_page[base]):.3f}; "
          f"ratio of totals {sum(per_page[ours]) / sum(per_page[base]):.3f}")
    print("\n## Pathological pages (`newsgist text`, in process; best of 2 each, alternated)\n")
    print("| page | chars | " + " | ".join(f"{n} s" for n in names) + " | ratio |\n|---|---:|---:|---:|---:|")
    first = sum(len(ps) for ps in sets.values())
    for k, (name, text) in enumerate(patho.items()):
        t = {n: [] for n in names}
        for r in range(2):
            for n in (names if r % 2 == 0 else names[::-1]):
                t[n].append(workers[n].ask(op="time", id=first + k) / 1000)
        b, o = min(t[base]), min(t[ours])
        print(f"| {name} | {len(text):,} | {b:.2f} | {o:.2f} | {o / b:.2f} |", flush=True)
    if cnn:      # the ranker's trees (trees.py is shared): `newsgist highlights` on plain CNN articles
        first += len(patho)
        hl: dict[str, list[float]] = {n: [] for n in names}
        lead = []
        for n in names:
            workers[n].ask(op="highlights", id=first)        # warm-up: the ranker and its models load
        for j in range(len(cnn)):
            for n in (names if j % 2 == 0 else names[::-1]):
                hl[n].append(workers[n].ask(op="highlights", id=first + j))
            t0 = time.perf_counter()
            lead3(cnn[j])
            lead.append((time.perf_counter() - t0) * 1000)
        lead_ms = statistics.median(lead)
        print(f"\n## `newsgist highlights` on {len(cnn)} CNN articles (test-public-500; plain text, no page model), "
              "trees alternated, LEAD-3 (pysbd) interleaved\n")
        print("| what | median ms/article | × lead3 (pysbd) |\n|---|---:|---:|")
        for n in names:
            print(f"| {n} | {statistics.median(hl[n]):.2f} | {statistics.median(hl[n]) / lead_ms:.2f} |")
        print(f"| lead3 (pysbd) | {lead_ms:.2f} | 1.00 |")


if __name__ == "__main__":
    if "--worker" in sys.argv[1:]:
        sys.exit(worker())
    sys.exit(main())
