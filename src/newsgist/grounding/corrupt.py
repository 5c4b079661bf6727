"""Negatives that look like real errors, for training the checker (issue 26).

Works on space-tokenised, lower-cased lines (cnndm-train's PTB text: "did n't",
"-lrb-"), so names cannot be told by their capital: ``names`` is a set of tokens that
cased news text writes capitalised (built by :mod:`newsgist.grounding.train` from the
cased shared articles). Each corruption changes one fact of a true line, using the
same article where it can (an error a summariser makes copies the wrong thing from the
article, it rarely invents): :data:`KINDS`. Deterministic for a seeded ``random.Random``.
"""
from __future__ import annotations

import random

from newsgist.grounding.claims import NUMBER_WORDS, _AMBIGUOUS_NUMBER_WORDS, runs
from newsgist.grounding.evidence import MONTHS, SAY

AUX = ("is", "are", "was", "were", "will", "would", "has", "have", "had", "can", "could", "should", "must",
       "did", "does", "do")
NEG_REMOVE = {"not": None, "never": None, "no": None, "n't": None}
# "ca n't" -> "can", "wo n't" -> "will" when the negation is taken away
NT_BASE = {"ca": "can", "wo": "will", "sha": "shall"}
MODAL_SWAP = {"will": "may", "may": "will", "might": "will", "could": "will", "would": "will", "should": "will",
              "must": "may", "can": "may", "likely": "certain", "possibly": "definitely", "allegedly": "",
              "reportedly": "", "expected": "certain", "plans": "has", "planned": "has"}
KINDS = ("number", "date", "name", "negation", "modality", "role", "speaker", "added", "foreign")
# How often each kind is tried first (the mix of errors summarisers make: entities and
# numbers most, FRANK's EntE/CircE; then relations, negation, modality, speakers).
WEIGHTS = (0.2, 0.05, 0.2, 0.13, 0.1, 0.12, 0.1, 0.05, 0.05)


def is_number(t: str) -> bool:
    if t in NUMBER_WORDS and t not in _AMBIGUOUS_NUMBER_WORDS:
        return True
    return t[:1].isdigit() and t.replace(",", "").replace(".", "").isdigit()


def name_runs(toks: list[str], names: set) -> list[tuple[int, int]]:
    """Maximal runs [a, b) of name tokens."""
    return runs(len(toks), lambda i: toks[i] in names)


def _number(toks, art, rng):
    idx = [i for i, t in enumerate(toks) if is_number(t)]
    if not idx:
        return None
    i = rng.choice(idx)
    old = toks[i]
    pool = sorted({t for t in art if is_number(t) and t != old and t[:1].isdigit() == old[:1].isdigit()})
    if pool and rng.random() < 0.6:
        new = rng.choice(pool)
    elif old[:1].isdigit():
        try:
            v = float(old.replace(",", ""))
        except ValueError:  # a digit token that is no number Python reads ("¹", "1.2.3"): no corruption
            return None
        if 1900 <= v <= 2030 and v == int(v):
            new = str(int(v) + rng.choice((-3, -2, -1, 1, 2, 3)))
        else:
            w = v * rng.choice((2, 3, 10, 0.5)) if rng.random() < 0.5 else v + rng.choice((1, 2, 3, 5, 7))
            new = f"{int(w):,}" if "," in old else (str(int(w)) if w == int(w) else f"{w:.1f}")
    else:
        words = [w for w in NUMBER_WORDS if w not in _AMBIGUOUS_NUMBER_WORDS and w != old and NUMBER_WORDS[w] <= 20]
        new = rng.choice(sorted(words))
    return toks[:i] + [new] + toks[i + 1:] if new != old else None


def _date(toks, art, rng):
    idx = [i for i, t in enumerate(toks) if t in MONTHS]
    if not idx:
        return None
    i = rng.choice(idx)
    same = sorted(m for m in MONTHS if m != toks[i] and (m.endswith("day") == toks[i].endswith("day")))
    pool = [m for m in same if m in art] or same
    return toks[:i] + [rng.choice(pool)] + toks[i + 1:]


def _swap_run(toks, art, names, rng, runs):
    a, b = rng.choice(runs)
    mine = set(toks[a:b])
    pool = sorted({tuple(art[x:y]) for x, y in name_runs(art, names)
                   if not set(art[x:y]) & mine and y - x <= 3})
    if not pool:
        return None
    new = list(rng.choice(pool))
    if b - a == 1 and len(new) > 1 and rng.random() < 0.5:
        new = new[-1:]   # a surname for a surname
    return toks[:a] + new + toks[b:]


def _name(toks, art, names, rng):
    runs = name_runs(toks, names)
    return _swap_run(toks, art, names, rng, runs) if runs else None


def _speaker(toks, art, names, rng):
    runs = name_runs(toks, names)
    says = [i for i, t in enumerate(toks) if t in SAY]
    near = [r for r in runs if any(r[1] <= i <= r[1] + 1 or r[0] - 3 <= i < r[0] for i in says)]
    return _swap_run(toks, art, names, rng, near) if near else None


def _negation(toks, rng):
    idx = [i for i, t in enumerate(toks) if t in NEG_REMOVE]
    if idx:
        i = rng.choice(idx)
        if toks[i] == "n't":
            prev = toks[i - 1] if i else ""
            return toks[:i - 1] + [NT_BASE.get(prev, prev)] + toks[i + 1:] if i else None
        if toks[i] == "no":
            return toks[:i] + ["a"] + toks[i + 1:]
        return toks[:i] + toks[i + 1:]
    aux = [i for i, t in enumerate(toks) if t in AUX]
    if not aux:
        return None
    i = rng.choice(aux)
    return toks[:i + 1] + [rng.choice(("not", "never") if toks[i] in ("has", "have", "had") else ("not",))] + toks[i + 1:]


def _modality(toks, rng):
    idx = [i for i, t in enumerate(toks) if t in MODAL_SWAP]
    if idx:
        i = rng.choice(idx)
        new = MODAL_SWAP[toks[i]]
        return toks[:i] + ([new] if new else []) + toks[i + 1:]
    aux = [i for i, t in enumerate(toks) if t in ("is", "are", "was", "were")]
    if not aux:
        return None
    i = rng.choice(aux)
    return toks[:i] + [rng.choice(("may", "could", "might")), "be"] + toks[i + 1:]


def _role(toks, names, rng):
    runs = name_runs(toks, names)
    distinct = []
    for a, b in runs:
        if all(toks[a:b] != toks[x:y] for x, y in distinct):
            distinct.append((a, b))
    if len(distinct) < 2:
        return None
    (a1, b1), (a2, b2) = distinct[0], distinct[1]
    return toks[:a1] + toks[a2:b2] + toks[b1:a2] + toks[a1:b1] + toks[b2:]


def _added(toks, other, rng):
    """The line plus a clause of a line about another story."""
    if len(other) < 6:
        return None
    k = rng.randint(3, min(8, len(other) - 1))
    start = rng.randint(0, len(other) - k)
    tail = [t for t in toks[-1:] if t in (".", "!", "?")]
    body = toks[:-1] if tail else toks
    return body + [rng.choice((",", "and", ", while"))] + other[start:start + k] + tail


def corrupt(line: str, article: str, names: set, rng: random.Random, other: str = "") -> tuple[str, str] | None:
    """(corrupted line, kind) of a space-tokenised lower-cased line, or None.

    ``other``: a line of another article (for the kinds ``added`` and ``foreign``)."""
    toks, art, oth = line.split(), article.split(), other.split()
    order = []
    kinds = list(KINDS)
    weights = list(WEIGHTS)
    while kinds:  # a weighted order without replacement
        k = rng.choices(range(len(kinds)), weights=weights)[0]
        order.append(kinds.pop(k))
        weights.pop(k)
    for kind in order:
        new = (_number(toks, art, rng) if kind == "number" else
               _date(toks, art, rng) if kind == "date" else
               _name(toks, art, names, rng) if kind == "name" else
               _negation(toks, rng) if kind == "negation" else
               _modality(toks, rng) if kind == "modality" else
               _role(toks, names, rng) if kind == "role" else
               _speaker(toks, art, names, rng) if kind == "speaker" else
               _added(toks, oth, rng) if kind == "added" else
               (oth if len(oth) >= 5 else None))
        if new and new != toks:
            return " ".join(new), kind
    return None
