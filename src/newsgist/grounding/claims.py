"""The checkable pieces of a line: tokens, numbers, names, quotes, negations.

Text-level only (no parse), so a line costs a few regex passes. Tokens are
lower-cased and folded (curly quotes, ``\\'`` escapes, "'s" split off the way
tokenised model output writes it), so "Kilmarnock’s" and "kilmarnock 's" give the
same tokens; the XSum/CNN-DM model summaries of FRANK are lower-cased and
tokenised, the card's highlights are not, and both go through the same code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from newsgist.text import STOPWORDS

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\.\d+)?")
_QUOTED = re.compile(r'"([^"]{3,})"')
_CAP_RUN = re.compile(r"(?:(?<=\s)|^)((?:[A-Z][\w'-]*\.?)(?:\s+(?:of|de|al|bin|van|von|the)?\s*[A-Z][\w'-]*)*)")

# Words that negate what they govern ("n't" is folded to "not").
NEGATIONS = frozenset({"not", "never", "no", "nobody", "nothing", "none", "neither", "nor", "nowhere",
                       "without", "cannot", "nt"})
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "hundred": 100, "thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9,
                     "trillion": 10 ** 12, "dozen": 12, "first": 1, "second": 2, "third": 3, "fourth": 4,
                     "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10})
# "one" is too often a pronoun ("one of the ...") to count as a figure; "second" a unit of time.
_AMBIGUOUS_NUMBER_WORDS = frozenset({"one", "second"})
# Extra function words for the checker (on top of newsgist.text.STOPWORDS): tokens that
# carry no checkable claim by themselves.
FUNCTION = STOPWORDS | frozenset("""s nt ll re ve d m also as well new would could year years old
per cent percent mr mrs ms dr""".split())


def fold(text: str) -> str:
    """Curly quotes and dashes folded, ``\\'`` unescaped, "n't" spelt "'nt" (token "nt").

    Keeps the length, so offsets into the folded text are offsets into ``text``."""
    t = text.translate(_FOLD).replace("\\'", " '").replace('\\"', ' "')
    return re.sub(r"(?i)n't\b", "'nt", t)


@lru_cache(maxsize=200_000)
def stem(w: str) -> str:
    """A light suffix stripper: 'attacks'/'attacked'/'attacking' -> 'attack'."""
    for suf, minlen in (("ies", 5), ("ing", 6), ("ed", 5), ("es", 5), ("s", 4)):
        if w.endswith(suf) and len(w) >= minlen:
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens of folded ``text`` ("Locke's" -> "locke", "s")."""
    return [t.lower() for t in _TOKEN.findall(fold(text))]


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end): the tokens of :func:`tokens` with their offsets in ``text``."""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(fold(text))]


def is_content(tok: str) -> bool:
    return tok not in FUNCTION and (len(tok) > 1 or tok.isdigit())


def number_value(tok: str):
    """A number token as a float ("1,200" -> 1200.0, "three" -> 3.0), else None."""
    t = tok.lower()
    if t in NUMBER_WORDS and t not in _AMBIGUOUS_NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t.replace(",", ""))
    except ValueError:
        return None


def numbers(text: str) -> list[tuple[str, float]]:
    """(as written, value) of every number in ``text``: digits and number words."""
    t = fold(text)
    out = [(m.group(), float(m.group().replace(",", ""))) for m in _NUMBER.finditer(t)
           if _safe_float(m.group()) is not None]
    for w in _TOKEN.findall(t):
        lw = w.lower()
        if lw in NUMBER_WORDS and lw not in _AMBIGUOUS_NUMBER_WORDS:
            out.append((w, float(NUMBER_WORDS[lw])))
    return out


def _safe_float(s: str):
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def number_values(text: str) -> set[float]:
    """Every value a number of ``text`` can stand for (also x1000 for "thousand" etc.)."""
    vals = {v for _, v in numbers(text)}
    t = fold(text)
    scales = {"hundred": 100, "thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}
    for m in _NUMBER.finditer(t):  # "1.2 million" -> 1200000.0, "3 thousand" -> 3000.0
        nxt = re.match(r"\s*-?\s*([a-z]+)", t[m.end():].lower())
        v = _safe_float(m.group())
        if nxt and nxt.group(1) in scales and v is not None:
            vals.add(round(v * scales[nxt.group(1)], 3))
    return vals


def names(text: str) -> list[tuple[str, int, int]]:
    """Capitalised word runs that are not the sentence's first word alone: candidate names.

    Empty for a lower-cased line (tokenised model output), where no name can be told apart.
    """
    t = fold(text)
    if not any(ch.isupper() for ch in t[1:]):
        return []
    out = []
    for m in _CAP_RUN.finditer(t):
        s, a = m.group(1).rstrip("."), m.start(1)
        words = s.split()
        if a == 0 or re.match(r"^[\s\"'(\[-]*$", t[:a]) or re.search(r"[.!?:]\s*[\"']?\s*$", t[:a]):
            # the line's (or a sentence's) first word: a name only if the run goes on or it is not a common word
            if len(words) == 1 and words[0].lower() in FUNCTION | NUMBER_WORDS.keys():
                continue
            if words[0].lower() in FUNCTION:
                words, a = words[1:], a + len(words[0]) + 1
                if not words:
                    continue
        out.append((" ".join(words), a, a + len(" ".join(words))))
    return out


def quotes(text: str) -> list[str]:
    """The quoted stretches of ``text`` (three characters or more)."""
    return [m.group(1).strip(" ,.") for m in _QUOTED.finditer(fold(text))]


def negation_count(toks: list[str]) -> int:
    return sum(1 for t in toks if t in NEGATIONS)


@dataclass
class Line:
    """One summary line, tokenised once."""
    text: str
    toks: list[str] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> "Line":
        toks = tokens(text)
        return cls(text, toks, [stem(t) for t in toks])

    @property
    def content(self) -> list[str]:
        return [s for t, s in zip(self.toks, self.stems) if is_content(t)]


def runs(n: int, inside) -> list[tuple[int, int]]:
    """Maximal runs [a, b) of the positions 0 .. n-1 where ``inside(i)`` holds."""
    out, i = [], 0
    while i < n:
        if inside(i):
            j = i
            while j < n and inside(j):
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out
