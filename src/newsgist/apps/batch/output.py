"""The output files of ``newsgist batch`` and ``newsgist cluster``: append-only JSONL lines
(one ``write(2)`` each, fsynced in groups), the errors file beside them, the lock that keeps a
second run off them, and the scan that lets ``--resume`` skip what is done.

Moved out of :mod:`newsgist.apps.cli.batch` (which still exports these names) when the
cluster command came to share them.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Optional

from newsgist.apps.batch.local import BatchError, Result

# --- output: append-only lines, flushed per line, fsynced per group; resume -------------

# Lines are written with one write(2) each (so a killed run loses at most the line being
# written) and fsynced every FSYNC_EVERY_LINES lines or FSYNC_EVERY_SECONDS seconds (so
# an OS crash loses at most that much; --resume redoes it).
FSYNC_EVERY_LINES = 64
FSYNC_EVERY_SECONDS = 1.0
SCAN_BLOCK = 1 << 16
_ID_PREFIX = '{"id": '
_DECODER = json.JSONDecoder()


def errors_path(output: str) -> str:
    """``out.jsonl`` -> ``out.errors.jsonl`` (any other name gets ``.errors.jsonl`` appended)."""
    base = output[: -len(".jsonl")] if output.endswith(".jsonl") else output
    return base + ".errors.jsonl"


def truncate_torn_line(path: str) -> int:
    """Cut an unterminated last line (a write interrupted by a kill); return bytes cut."""
    size = os.path.getsize(path)
    if size == 0:
        return 0
    with open(path, "r+b") as fh:
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return 0
        keep, pos = 0, size
        while pos > 0:
            start = max(0, pos - SCAN_BLOCK)
            fh.seek(start)
            i = fh.read(pos - start).rfind(b"\n")
            if i >= 0:
                keep = start + i + 1
                break
            pos = start
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
    return size - keep


def _line_obj(raw: bytes, where: str, full: bool) -> dict:
    text = raw.decode("utf-8", "surrogatepass")
    if not full and text.startswith(_ID_PREFIX):  # an output line: only its id is needed
        try:
            return {"id": _DECODER.raw_decode(text, len(_ID_PREFIX))[0]}
        except ValueError:
            pass
    try:
        d = json.loads(text)
    except ValueError:
        d = None
    if not isinstance(d, dict) or "id" not in d:
        raise BatchError(f"{where}: not a batch output line; cannot resume (move the file away or --overwrite)")
    return d


@dataclass
class ResumeState:
    """What an earlier run left: the keys done, and how many bytes of torn lines were cut."""
    done_ids: set = field(default_factory=set)
    done_lines: set = field(default_factory=set)
    ok: int = 0
    errors: int = 0
    cut_bytes: int = 0
    lock_fd: Optional[int] = None    # held (see prepare_output) until the run ends


def scan_done(output: str, what: str) -> ResumeState:
    """Cut torn last lines and collect the keys already in the output and errors files."""
    st = ResumeState()
    for path, ok in ((output, True), (errors_path(output), False)):
        if not os.path.exists(path):
            continue
        st.cut_bytes += truncate_torn_line(path)
        with open(path, "rb") as fh:
            for n, raw in enumerate(fh, 1):
                d = _line_obj(raw, f"{path}:{n}", full=not ok or n == 1)
                if ok and n == 1 and ("card" if what == "card" else "highlights") not in d:
                    raise BatchError(f"{path} was not written with --what {what}; resume with the same options")
                if ok:
                    st.done_ids.add(d["id"])
                    st.ok += 1
                else:
                    (st.done_lines.add(d["line"]) if d.get("line") is not None else st.done_ids.add(d["id"]))
                    st.errors += 1
    return st


def prepare_output(output: str, *, what: str, resume: bool = False, overwrite: bool = False) -> ResumeState:
    """Check and lock OUTPUT; empty it (and its errors file), or with ``resume`` scan them.

    The returned state's ``lock_fd`` holds the lock: close it when the run ends.
    """
    lock, errs = claim_output(output, resume, overwrite)
    try:
        if resume:
            state = scan_done(output, what)
        else:
            for p in (output, errs):
                open(p, "wb").close()
            state = ResumeState()
    except BaseException:
        os.close(lock)
        raise
    state.lock_fd = lock
    return state


def claim_output(output: str, resume: bool, overwrite: bool, *, flag: str = "output",
                 empty_ok: bool = False) -> tuple[int, str]:
    """Check OUTPUT and lock it; return (lock fd, its errors file's path). OUTPUT must be a file
    path in an existing directory; unless resuming or overwriting, neither it nor its errors file
    may exist (with ``empty_ok``, may be non-empty). Shared by ``batch`` and ``cluster``."""
    if output == "-" or os.path.isdir(output):
        raise BatchError(f"{flag} must be a file path, got {output!r}")
    parent = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(parent):
        raise BatchError(f"output directory does not exist: {parent}")
    errs = errors_path(output)
    if not resume and not overwrite:
        for p in (output, errs):
            if os.path.exists(p) and not (empty_ok and os.path.getsize(p) == 0):
                raise BatchError(f"{p} exists; pass --resume to finish that run or --overwrite to replace it")
    return _lock(output), errs


def _lock(output: str) -> int:
    """An exclusive lock on OUTPUT for the whole run: two runs on one output would double lines."""
    fd = os.open(output, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        import fcntl
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # not POSIX: no lock
        pass
    except OSError:
        os.close(fd)
        raise BatchError(f"{output} is being written by another newsgist batch run") from None
    return fd


def _encode(obj: dict) -> bytes:
    try:
        return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (from \\ud800 escapes): keep them escaped
        return (json.dumps(obj) + "\n").encode("ascii")


class Writer:
    """Appends result lines to the output (ok) and errors files; see FSYNC_EVERY_LINES."""

    def __init__(self, output: str):
        import time
        self._clock = time.monotonic
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        self._fds = {True: os.open(output, flags, 0o644), False: os.open(errors_path(output), flags, 0o644)}
        self._unsynced, self._last_sync = 0, self._clock()

    def write(self, result: Result) -> None:
        data, fd = memoryview(_encode(result.to_line())), self._fds[result.ok]
        while data:
            data = data[os.write(fd, data):]
        self._unsynced += 1
        if self._unsynced >= FSYNC_EVERY_LINES or self._clock() - self._last_sync >= FSYNC_EVERY_SECONDS:
            self.sync()

    def sync(self) -> None:
        for fd in self._fds.values():
            os.fsync(fd)
        self._unsynced, self._last_sync = 0, self._clock()

    def close(self) -> None:
        if self._fds:
            self.sync()
            for fd in self._fds.values():
                os.close(fd)
            self._fds = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
