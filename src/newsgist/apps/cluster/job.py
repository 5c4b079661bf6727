"""``newsgist cluster`` as a job: read INPUT, place each article in a story, write the lines.

Files (one JSON object a line, UTF-8, in input order):

* ``OUT.jsonl``: ``{"id": ID, "story": "s000001"}``, one line per article placed.
* ``OUT.errors.jsonl``: ``{"id": ID|null, "code": CODE, "message": MSG, "line": N}`` for an
  input line that could not be placed: ``bad_json``, ``bad_record``, ``missing_id`` (absent,
  empty or not a string/integer), ``duplicate_id`` (seen earlier in this input or in the
  ``--state``; the first is kept), ``empty_input``, ``too_large``, ``internal``.
* ``--stories S.jsonl``: one line per story that gained articles in this run, in story order:
  ``{"story", "size", "articles": [ids], "title", "dates": {"first", "last"} | null}``
  (and ``"card"`` with ``--cards``); see :mod:`newsgist.apps.cluster.stories`.

Kill -9 and ``--resume``: lines are appended with one ``write(2)`` each and fsynced in
groups (the batch Writer); the state and the stories file are written only at the end.
The placement is a deterministic function of the input order (and the state it starts
from), so ``--resume`` recomputes the run from the start state, checks that the lines
already written agree, and appends the rest: the files end as a run that was never
killed would have left them. A ``--resume`` of a ``--state`` run that had finished (the state
names its OUT) does nothing.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Optional

from newsgist.apps.batch.records import BatchError
from newsgist.apps.batch.output import Writer, claim_output, truncate_torn_line
from newsgist.corpus import state as state_mod
from newsgist.corpus.index import StoryIndex
from newsgist.corpus.records import Bad, Doc


@dataclass
class Line:
    """One output line: ``ok`` lines go to OUT, the others to its errors file."""
    ok: bool
    obj: dict

    def to_line(self) -> dict:
        return self.obj


def _keys(path: str) -> list:
    """The lines already in ``path`` (a torn last one cut first), as parsed objects."""
    if not os.path.exists(path):
        return []
    truncate_torn_line(path)
    out = []
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                out.append(json.loads(raw))
            except ValueError:
                raise BatchError(f"{path}:{n} is not a JSON line; cannot resume (use --overwrite)") from None
    return out


def prepare(output: str, resume: bool, overwrite: bool) -> tuple[int, list, list]:
    """Check and lock OUT; return (lock fd, lines done, error lines done)."""
    lock, errs = claim_output(output, resume, overwrite, flag="--out", empty_ok=True)
    try:
        if resume:
            return lock, _keys(output), _keys(errs)
        for p in (output, errs):
            open(p, "wb").close()
        return lock, [], []
    except BaseException:
        os.close(lock)
        raise


def refuse(index: StoryIndex, doc) -> Optional[Line]:
    """The error line of a read record that cannot be placed (a Bad, or an id already
    placed or waiting in this chunk), or None: then the id is taken."""
    if isinstance(doc, Bad):
        return Line(False, {"id": doc.id, "code": doc.code, "message": doc.message, "line": doc.line})
    if doc.id in index.seen:
        return Line(False, {"id": doc.id, "code": "duplicate_id", "line": doc.line,
                            "message": f"id {doc.id!r} was already placed (earlier in the input or in --state)"})
    index.seen.add(doc.id)
    return None


def place_chunk(index: StoryIndex, docs: list, firsts: Optional[dict] = None) -> list[Line]:
    """Place a chunk of accepted Docs into ``index`` (StoryIndex.add_batch); their lines in
    input order. ``firsts`` collects each story's first input line in this run (story
    number -> line)."""
    before = len(index.stories)
    placed = index.add_batch([(d.id, d.feats) for d in docs])
    out = []
    for doc, (story, _) in zip(docs, placed):
        if story.number > before and story.title is None and story.number not in (firsts or {}):
            story.title = doc.title   # the first article's own title, if any (else the best highlight, later)
        if firsts is not None:
            firsts.setdefault(story.number, doc.line)
        out.append(Line(True, {"id": doc.id, "story": story.id}))
    return out


def placed_lines(index: StoryIndex, docs, firsts: dict):
    """The output lines of a stream of read records: error lines at once, the accepted
    articles a chunk (``index.params["chunk"]``) at a time, each file's lines in input order."""
    chunk, size = [], max(1, int(index.params.get("chunk", 1)))
    for doc in docs:
        bad = refuse(index, doc)
        if bad is not None:
            yield bad
            continue
        chunk.append(doc)
        if len(chunk) >= size:
            yield from place_chunk(index, chunk, firsts)
            chunk = []
    if chunk:
        yield from place_chunk(index, chunk, firsts)


class _Skip:
    """On --resume: the lines already written, checked against the recomputed ones."""

    def __init__(self, done: list, errs: list):
        self.done = {True: done, False: errs}
        self.pos = {True: 0, False: 0}

    def __call__(self, line: Line) -> bool:
        done, i = self.done[line.ok], self.pos[line.ok]
        if i >= len(done):
            return False
        if done[i] != json.loads(json.dumps(line.obj)):
            raise BatchError(f"the output written before does not match this input at its line {i + 1} "
                             f"({done[i]!r} vs {line.obj!r}): resume with the same input, --state and settings")
        self.pos[line.ok] = i + 1
        return True


def run_cluster(input: str, output: str, *, stories: Optional[str] = None, state_dir: Optional[str] = None,
                workers: int = 1, engine: str = "local", address: Optional[str] = None,
                resume: bool = False, overwrite: bool = False, cards: bool = False,
                params: Optional[dict] = None, progress=None) -> dict:
    """Run ``newsgist cluster``; return counts. Raises BatchError/StateError before writing
    anything when the job cannot start."""
    if input != "-" and not os.path.isfile(input):
        raise BatchError(f"no such file: {input}")
    if engine not in ("local", "ray"):
        raise BatchError(f"unknown engine {engine!r}; choose local or ray")
    if cards and not stories:
        raise BatchError("--cards needs --stories (the cards are written in the stories file)")
    if input == "-" and stories:
        raise BatchError("--stories reads INPUT a second time (titles, cards): INPUT cannot be -")
    index = state_mod.load(state_dir, params) if state_dir else StoryIndex(params)
    if resume and state_dir and getattr(index, "last_out", None) == os.path.abspath(output):
        # that run finished and saved the state: resuming it again must not re-place its articles
        return {"placed": 0, "errors": 0, "skipped": 0, "new_stories": 0, "stories": len(index.stories),
                "touched": 0, "complete": True}
    if engine == "ray":
        from newsgist.apps.batch.ray_engine import require_ray
        require_ray()
    lock, done, errs = prepare(output, resume, overwrite)
    counts = {"placed": 0, "errors": 0, "skipped": len(done) + len(errs), "new_stories": 0}
    before = len(index.stories)
    firsts: dict = {}
    skip = _Skip(done, errs)
    try:
        if engine == "ray":
            from newsgist.apps.cluster.engines import read_ray
            docs = read_ray(input, workers, address)
        else:
            from newsgist.apps.cluster.engines import read_local
            docs = read_local(input, workers)
        with Writer(output) as w:
            for line in placed_lines(index, docs, firsts):
                if line.ok:
                    counts["placed"] += 1
                else:
                    counts["errors"] += 1
                if not skip(line):
                    w.write(line)
                if progress is not None:
                    progress(line)
        counts["new_stories"] = len(index.stories) - before
        if stories:
            from newsgist.apps.cluster.stories import write_stories
            write_stories(stories, index, firsts, input, workers=workers, cards=cards)
        if state_dir:
            index.last_out = os.path.abspath(output)   # a later --resume of this run has nothing to do
            state_mod.save(state_dir, index)
    finally:
        os.close(lock)
    counts["stories"] = len(index.stories)
    counts["touched"] = len(firsts)
    return counts
