"""Cheap tests that rule out a costly pattern's match on a line (issue 31, session 7d).

The pasted-page features (:mod:`newsgist.reading.pagelines`) run a dozen regular expressions
on every line of a page. Most lines cannot match most of them: a date needs a digit or "ago",
a web address "www." or "@". These helpers give exactly ``bool(pattern.search(line))`` and run
the pattern only where a plain substring test leaves a match possible, so the features stay
bit for bit and the page path's time falls.

The substring tests read ``low``, the line lower-cased when it is ASCII (:func:`ascii_lower`).
On ASCII text ``re.I`` compares letters as ``str.lower`` does and ``\\d``, ``\\s``, ``\\w`` are
the ASCII classes, so a needle the pattern must match, absent from ``low``, rules the match
out. On other text the pattern always runs: ``re.I`` also folds "ſ" to "s" and the Kelvin
sign to "k", and ``\\d`` takes other scripts' digits.
"""
from __future__ import annotations

import re

# The characters str.isspace and the pattern class \s take among ASCII (str.strip's default).
ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
_ASCII_DIGIT = re.compile("[0-9]")
_DOT_WORD = re.compile(r"\.\w")


def ascii_lower(line: str) -> str | None:
    """``line`` lower-cased when it is ASCII, else None (the pre-checks then run the pattern)."""
    return line.lower() if line.isascii() else None


def digit_count(line: str) -> int:
    """``sum(c.isdigit() for c in line)``: on an ASCII line, where only 0-9 are digits, one scan
    for them (a third of the time of a str.count per digit)."""
    return len(_ASCII_DIGIT.findall(line)) if line.isascii() else sum(map(str.isdigit, line))


def may_hold(low: str | None, needles) -> bool:
    """Whether a pattern whose every match holds one of ``needles`` (lower case, as re.I reads
    them) can match the line: False only on an ASCII line (``low``) that holds none of them."""
    return low is None or any(map(low.__contains__, needles))


def search_unless(pattern, line: str, low: str | None, needles) -> bool:
    """``bool(pattern.search(line))``, where every match of ``pattern`` holds one of
    ``needles``: False without the search where :func:`may_hold` says no."""
    return may_hold(low, needles) and bool(pattern.search(line))


def search_at_edges(pattern, line: str, ends, tail: str, starts) -> bool:
    """``bool(pattern.search(line))``, where every match of ``pattern`` either ends the line
    with one of the words ``ends`` followed only by characters of ``tail`` and spaces, or
    opens it, after spaces, with one of ``starts`` (lower case, as re.I reads them): False
    without the search on an ASCII line where neither holds."""
    if line.isascii():
        low = line.lower()
        if not low.rstrip(ASCII_SPACE + tail).endswith(ends) and not low.lstrip(ASCII_SPACE).startswith(starts):
            return False
    return bool(pattern.search(line))


def email_shaped(line: str) -> bool:
    """``bool(re.search(r"\\S+@\\S+\\.\\w", line))`` in one pass: a run of non-space characters
    with an "@" after its first character and, two or more characters after that "@", a "." and
    a word character. (The pattern tries every start and, for each, every end: quadratic in a
    long run that holds an "@" and no such "." after it.)"""
    if "@" not in line:
        return False
    for run in line.split():               # str.split's spaces are \s's
        at = run.find("@", 1)
        if at >= 0 and _DOT_WORD.search(run, at + 2):
            return True
    return False


def followed_on_line(first, second, line: str) -> bool:
    """``bool(re.search(first + ".*" + second, line))`` for patterns that match no newline, in one
    pass: on each newline-free stretch, a match of ``second`` starting at or after the end of the
    stretch's first match of ``first``. (The joined pattern runs ``.*`` to the end after every
    match of ``first``: quadratic in a line that repeats it.)"""
    pos = 0
    while True:
        m = first.search(line, pos)
        if m is None:
            return False
        end = line.find("\n", m.end())
        end = len(line) if end < 0 else end
        if second.search(line, m.end(), end):     # \b at ``end`` reads the newline as the end
            return True
        pos = end + 1
