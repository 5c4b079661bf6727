"""Reading input: bytes from a file, stdin or a string, decoded safely.

The text that spans point into is the decoded input with newlines normalised
(``\\r\\n`` and ``\\r`` become ``\\n``, a leading BOM is dropped) — exactly what
Python's ``open(path, encoding=...)`` returns, so ``open(path).read()[start:end]``
is the source of every span.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from newsgist.errors import BinaryInputError, EmptyInputError, EncodingError, InputError, TooLargeError
from newsgist.options import MAX_INPUT_BYTES  # noqa: F401  (re-exported: callers read the limit here too)

# Share of control characters (other than tab/newline/CR/form feed) above which
# input is treated as binary.
BINARY_CONTROL_SHARE = 0.02


@dataclass
class Source:
    text: str
    kind: str = "text"        # "text" | "html" | "url"
    name: str | None = None   # file path, "-" or URL
    encoding: str = "utf-8"
    html: str | None = None   # the original HTML when kind is "html"/"url"


def read_bytes(path: str, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """Read at most ``max_bytes`` (+1 to detect overflow) from a path or "-" (stdin)."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise TooLargeError(f"input is larger than the {max_bytes // 1_000_000} MB limit "
                            "(set max_bytes / --max-bytes to change it)")
    return data


def decode(data: bytes, encoding: str = "utf-8") -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding used).

    ``encoding`` "utf-8" (default) is strict: invalid UTF-8 is an error that names
    the byte offset. "auto" detects the encoding (BOM, UTF-8, then charset
    detection); any other codec name is used as given.
    """
    if not data.strip():
        raise EmptyInputError("input is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], ("utf-8" if encoding == "auto" else encoding)
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff") and encoding in ("auto", "utf-16"):
        return _normalise(data.decode("utf-16")), "utf-16"
    if _looks_binary(data):
        raise BinaryInputError("input looks binary, not text or HTML")
    if encoding == "auto":
        try:
            return _normalise(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes
            best = from_bytes(data).best()
            if best is None:
                raise EncodingError("cannot detect the text encoding; pass --encoding") from None
            return _normalise(str(best)), best.encoding
    try:
        text = data.decode(encoding)
    except LookupError:
        raise EncodingError(f"unknown encoding: {encoding}") from None
    except UnicodeDecodeError as exc:
        raise EncodingError(f"input is not valid {encoding} (byte {exc.start}); "
                            "try --encoding auto or --encoding latin-1") from None
    return _normalise(text), encoding


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return ctrl / max(1, len(sample)) > BINARY_CONTROL_SHARE


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def from_text(text: str, name: str | None = None) -> Source:
    """A Source from an in-memory string (library use)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        raise TooLargeError(f"input is larger than the {MAX_INPUT_BYTES // 1_000_000} MB limit")
    if not text.strip():
        raise EmptyInputError("input is empty")
    return Source(_normalise(text), "text", name)
