"""Numbers in token lists (issue 26): values, "74,000" read as one number, rounding.

Shared by the checker's evidence (:mod:`newsgist.grounding.evidence`) and its tight
alignment checks (:mod:`newsgist.grounding.tight`).
"""
from __future__ import annotations

from newsgist.grounding.claims import NUMBER_WORDS, _AMBIGUOUS_NUMBER_WORDS

# A line's number matches an article number within this relative difference when it is
# the rounder of the two ("nearly 300" ~ 297, "more than 150" ~ 153); exact otherwise.
ROUND_TOLERANCE = 0.12
SCALES = frozenset({"hundred", "thousand", "million", "billion", "trillion"})


def _number_value(tok: str):
    """A number token's value; a scale word alone ("million") is no figure of its own."""
    if tok in NUMBER_WORDS and tok not in _AMBIGUOUS_NUMBER_WORDS and tok not in SCALES:
        return float(NUMBER_WORDS[tok])
    if tok[:1].isdigit():
        try:
            return float(tok.replace(",", ""))
        except ValueError:
            return None
    return None


def _trailing_zeros(v: float) -> int:
    n, k = int(round(abs(v))), 0
    if n != abs(v) or n == 0:
        return 0
    while n % 10 == 0:
        n //= 10
        k += 1
    return k


def number_matches(v: float, have) -> bool:
    """Is ``v`` one of ``have``, or a rounding of one ("300" for 297, "1.2" for 1.17)?"""
    for a in have:
        if a == v:
            return True
        if a and abs(v - a) / abs(a) <= ROUND_TOLERANCE and (
                _trailing_zeros(v) > _trailing_zeros(a) or (v != int(v) and abs(v - round(a, 1)) < 1e-9)):
            return True
    return False


def number_tokens(toks) -> list[tuple[int, int, float]]:
    """(first, last token index, value) of the numbers of a token list: "74", "000" (the
    tokens of "74,000") are one number; "3 million" is 3,000,000."""
    scale = {"hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9, "trillion": 1e12}
    out, i = [], 0
    while i < len(toks):
        v = _number_value(toks[i])
        if v is None:
            i += 1
            continue
        j = i
        if toks[i].isdigit():
            digits = toks[i]
            while j + 1 < len(toks) and len(toks[j + 1]) == 3 and toks[j + 1].isdigit():
                j += 1
                digits += toks[j]
            v = float(digits)
        if j + 1 < len(toks) and toks[j + 1] in scale:
            v = round(v * scale[toks[j + 1]], 3)
        out.append((i, j, v))
        i = j + 1
    return out


def values(toks) -> set:
    """Number values of tokens (also without their scale: "3 million" -> 3 and 3e6)."""
    out = set()
    for a, b, v in number_tokens(toks):
        out.add(v)
        out.add(_number_value(toks[a]) if a == b else v)
    return out
