"""``--state DIR``: the story index kept between runs.

DIR holds ``index.pickle`` (the whole :class:`~newsgist.corpus.index.StoryIndex`: the
document frequencies, every story with its centroid, members and title, the posting
lists exactly as they stand, and the ids seen) and ``state.json`` (a readable summary).
Both are replaced atomically (write, fsync, rename) and only when a run has finished,
so a run killed half-way leaves the state of the run before it: rerunning (``--resume``)
starts from there again.

Because the index is everything the join rule reads, a run over part 1 saved to DIR
and a run over part 2 from DIR place part 2's articles exactly as one run over
parts 1 and 2 would when part 1 is a whole number of chunks (``--chunk``; tests/test_cluster.py
checks it). Otherwise part 1's last chunk is shorter: its articles and part 2's first ones
are not grouped together by average link but meet through the join rule (an earlier
story and a later group), which can leave apart what one run would have grouped. The pickle is this program's own
file: load only a state directory you wrote (pickle runs code from the file it reads).
"""
from __future__ import annotations

import json
import os
import pickle
from typing import Optional

from newsgist.corpus.index import StoryIndex
from newsgist.errors import NewsgistError

STATE_FORMAT = 2   # 2: chunked placement (average link; the chunk param)
INDEX_FILE = "index.pickle"
SUMMARY_FILE = "state.json"


class StateError(NewsgistError):
    """The ``--state`` directory cannot be used (unreadable, another format, other settings)."""
    code = "bad_state"
    exit_code = 40


def load(directory: str, params: Optional[dict] = None) -> StoryIndex:
    """The index saved in ``directory``, or a new one (``params``) if it holds none yet."""
    path = os.path.join(directory, INDEX_FILE)
    if not os.path.exists(path):
        if os.path.exists(directory) and not os.path.isdir(directory):
            raise StateError(f"--state must be a directory: {directory}")
        return StoryIndex(params)
    try:
        with open(path, "rb") as fh:
            fmt, index = pickle.load(fh)
    except Exception as exc:
        raise StateError(f"cannot read the story index in {directory}: {type(exc).__name__}: {exc}"[:300]) from None
    if fmt != STATE_FORMAT or not isinstance(index, StoryIndex):
        raise StateError(f"{path} was written by another version of newsgist (format {fmt!r})")
    if params:
        differ = {k: v for k, v in params.items() if index.params.get(k) != v}
        if differ:
            raise StateError(f"the state in {directory} was built with other settings "
                             f"({', '.join(f'{k}={index.params.get(k)!r}' for k in differ)}); "
                             "use a new --state directory to change them")
    return index


def _write_atomic(path: str, data: bytes) -> None:
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save(directory: str, index: StoryIndex) -> None:
    """Write ``index`` to ``directory`` (created if needed), atomically."""
    os.makedirs(directory, exist_ok=True)
    _write_atomic(os.path.join(directory, INDEX_FILE),
                  pickle.dumps((STATE_FORMAT, index), protocol=pickle.HIGHEST_PROTOCOL))
    summary = {"format": STATE_FORMAT, "articles": index.n_docs, "stories": len(index.stories),
               "params": index.params}
    _write_atomic(os.path.join(directory, SUMMARY_FILE), (json.dumps(summary, indent=1) + "\n").encode())
    try:  # the renames themselves survive a crash once the directory is synced
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass
