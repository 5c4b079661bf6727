"""Synthetic training lines: true sentences and corrupted copies of them.

The factuality literature's recipe (swap a number, a name, a negation, subject and
object): a line that an article backs (a CNN highlight, a GPT-4 summary sentence) is
the positive; the same line with one corruption is the negative. Deterministic:
the choices come from a seeded ``random.Random``. Used by ``benchmarks/bench_check.py``
to say how much such pairs add to the human labels of FRANK.
"""
from __future__ import annotations

import random
import re

from newsgist.grounding.claims import fold, names, numbers

AUXILIARIES = ("is", "are", "was", "were", "will", "would", "has", "have", "had", "can", "could", "did",
               "does", "should", "must")


def _swap_number(line: str, article: str, rng: random.Random) -> str | None:
    found = [w for w, _ in numbers(line) if any(ch.isdigit() for ch in w)]
    if not found:
        return None
    w = rng.choice(found)
    others = sorted({n for n, _ in numbers(article) if any(ch.isdigit() for ch in n)} - set(found))
    new = rng.choice(others) if others else str(int(float(w.replace(",", "")) + rng.choice((2, 3, 10))))
    return re.sub(rf"(?<![\w.]){re.escape(w)}(?![\w])", new, line, count=1)


def _swap_name(line: str, article: str, rng: random.Random) -> str | None:
    mine = [n for n, _, _ in names(line) if len(n) > 2]
    if not mine:
        return None
    pool = sorted({n for n, _, _ in names(fold(article)) if len(n) > 2} - set(mine))
    if not pool:
        return None
    old = rng.choice(mine)
    return line.replace(old, rng.choice(pool), 1)


def _flip_negation(line: str, rng: random.Random) -> str | None:
    if re.search(r"\bnot\b|n't\b", line):
        return re.sub(r"\s?\bnot\b|n't\b", "", line, count=1)
    auxes = [m for m in re.finditer(r"\b(" + "|".join(AUXILIARIES) + r")\b", line)]
    if not auxes:
        return None
    m = rng.choice(auxes)
    return line[:m.end()] + " not" + line[m.end():]


def _swap_roles(line: str, rng: random.Random) -> str | None:
    mine = []
    for n, a, b in names(line):
        if len(n) > 2 and n not in [x for x, _, _ in mine]:
            mine.append((n, a, b))
    if len(mine) < 2:
        return None
    (n1, a1, b1), (n2, a2, b2) = mine[0], mine[1]
    return line[:a1] + n2 + line[b1:a2] + n1 + line[b2:]


CORRUPTIONS = ("number", "name", "negation", "relation")


def corrupt(line: str, article: str, rng: random.Random) -> tuple[str, str] | None:
    """(corrupted line, kind) for one corruption that applies, or None."""
    kinds = list(CORRUPTIONS)
    rng.shuffle(kinds)
    for kind in kinds:
        new = (_swap_number(line, article, rng) if kind == "number" else
               _swap_name(line, article, rng) if kind == "name" else
               _flip_negation(line, rng) if kind == "negation" else _swap_roles(line, rng))
        if new and new != line:
            return new, kind
    return None


def with_corruptions(sentences, article: str, rng: random.Random) -> list[tuple[str, int, str]]:
    """(line, label, kind) of each sentence (1, "true") followed by a corruption of it when one
    applies (0, its kind): the GPT-4 rows of the checker's benchmark and its threshold tuning."""
    out = []
    for s in sentences:
        out.append((s, 1, "true"))
        bad = corrupt(s, article, rng)
        if bad:
            out.append((bad[0], 0, bad[1]))
    return out


def pairs(records, lines_of, rng: random.Random, per_article: int = 1):
    """(article, line, label, kind) rows: for each record, ``per_article`` true lines
    from ``lines_of(record)`` and a corrupted copy of each (label 1 / 0)."""
    for rec in records:
        lines = [ln for ln in lines_of(rec) if len(ln.split()) >= 6]
        rng.shuffle(lines)
        for ln in lines[:per_article]:
            bad = corrupt(ln, rec["article"], rng)
            if bad is None:
                continue
            lower = rng.random() < 0.5  # half lower-cased, as FRANK's tokenised model output is
            yield rec["article"], ln.lower() if lower else ln, 1, "true"
            yield rec["article"], bad[0].lower() if lower else bad[0], 0, bad[1]
