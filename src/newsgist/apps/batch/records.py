"""Batch records and inputs: :class:`Item`, :class:`Result`, their JSON lines, and the
lazy readers of JSONL files (gzip too), stdin and directories of .txt/.html files.

Part of :mod:`newsgist.apps.batch.local`, which re-exports these names; the line
formats are described there.
"""
from __future__ import annotations

import gzip
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from newsgist.errors import NewsgistError

GZIP_MAGIC = b"\x1f\x8b"
# File extensions read from a directory input.
DIR_EXTENSIONS = (".txt", ".html", ".htm")


class BatchError(NewsgistError):
    """The batch job itself cannot run (bad output path, corrupt output to resume)."""
    code = "batch_failed"
    exit_code = 11


# --- records and results --------------------------------------------------------------

@dataclass
class Item:
    """One input record before processing: ``kind`` is article | html | url | file."""
    line: int
    id: Any = None
    kind: str = "article"
    payload: Any = None          # str for article/html/url, bytes for file
    error: Optional[tuple[str, str]] = None   # (code, message) of a positional error


@dataclass
class Result:
    """The outcome of one record: ``ok`` with ``highlights``/``card``, or ``code``/``message``."""
    id: Any
    ok: bool
    highlights: Optional[list[str]] = None
    card: Optional[dict] = None
    code: Optional[str] = None
    message: Optional[str] = None
    line: Optional[int] = None   # set only for positional errors (see POSITIONAL_CODES)

    def to_line(self) -> dict:
        """The JSON object written to the output (ok) or errors file."""
        if self.ok:
            return {"id": self.id, "card": self.card} if self.card is not None \
                else {"id": self.id, "highlights": self.highlights}
        d = {"id": self.id, "code": self.code, "message": self.message}
        if self.line is not None:
            d["line"] = self.line
        return d

    @classmethod
    def from_line(cls, d: dict, ok: bool) -> "Result":
        if ok:
            return cls(d["id"], True, highlights=d.get("highlights"), card=d.get("card"))
        return cls(d.get("id"), False, code=d.get("code"), message=d.get("message"), line=d.get("line"))


def _error(item_id, code: str, message: str, line: Optional[int] = None) -> Result:
    return Result(item_id, False, code=code, message=message, line=line)


def _valid_id(v) -> bool:
    return (isinstance(v, str) and v != "") or (isinstance(v, int) and not isinstance(v, bool))


def item_from_record(rec, line: int) -> Item:
    """An :class:`Item` from a parsed record (a dict)."""
    if not isinstance(rec, dict):
        return Item(line, error=("bad_record", f"a record must be a JSON object, got {type(rec).__name__}"))
    rid = rec.get("id")
    if not _valid_id(rid):
        return Item(line, error=("missing_id", "record has no usable id (a non-empty string or an integer)"))
    for kind in ("article", "html", "url"):
        if kind in rec:
            if not isinstance(rec[kind], str):
                return Item(line, rid, "invalid", f"field {kind!r} must be a string")
            return Item(line, rid, kind, rec[kind])
    return Item(line, rid, "invalid", "record has none of the fields article, html, url")


def parse_line(raw: bytes, line: int) -> Optional[Item]:
    """Parse one JSONL line (bytes, its newline optional); None for a blank line."""
    if raw.endswith(b"\n"):
        raw = raw[:-1]
    if not raw.strip():
        return None
    try:
        rec = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return Item(line, error=("bad_json", f"malformed JSON: {str(exc)[:200]}"))
    return item_from_record(rec, line)


# --- reading inputs -------------------------------------------------------------------

def chunks(stream: Iterable, size: int) -> Iterator[list]:
    """``stream`` in lists of ``size`` items (the last one shorter), read lazily."""
    chunk = []
    for x in stream:
        chunk.append(x)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _open_binary(path: str):
    if path == "-":
        stream = sys.stdin.buffer
        head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
        return gzip.GzipFile(fileobj=stream) if head == GZIP_MAGIC else stream
    fh = open(path, "rb")
    if fh.read(2) == GZIP_MAGIC:
        fh.seek(0)
        return gzip.GzipFile(fileobj=fh)
    fh.seek(0)
    return fh


def iter_jsonl(path: str) -> Iterator[Item]:
    """Items of a JSONL file (gzip detected by its magic bytes) or ``-`` (stdin)."""
    fh = _open_binary(path)
    try:
        for n, raw in enumerate(fh, 1):
            item = parse_line(raw, n)
            if item is not None:
                yield item
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def list_dir(root: str) -> list[str]:
    """Files of ``root`` with a DIR_EXTENSIONS suffix, relative POSIX paths, sorted; dotfiles skipped."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in filenames:
            if not f.startswith(".") and f.lower().endswith(DIR_EXTENSIONS):
                out.append(Path(dirpath, f).relative_to(root).as_posix())
    return sorted(out)


def read_capped(path: str, max_bytes: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(max_bytes + 1)


def iter_dir(root: str, max_bytes: int) -> Iterator[Item]:
    """Items of a directory of .txt/.html files; the id is the relative path."""
    for n, rel in enumerate(list_dir(root), 1):
        try:
            data = read_capped(os.path.join(root, rel), max_bytes)
        except OSError as exc:
            yield Item(n, rel, "invalid", f"cannot read {rel}: {exc.strerror or exc}")
            continue
        yield Item(n, rel, "file", data)


def iter_input(path: str, max_bytes: int) -> Iterator[Item]:
    """Items of a JSONL file (.gz too), a directory, or ``-`` (JSONL on stdin)."""
    if path != "-" and os.path.isdir(path):
        return iter_dir(path, max_bytes)
    if path != "-" and not os.path.isfile(path):
        raise BatchError(f"no such file or directory: {path}")
    return iter_jsonl(path)


