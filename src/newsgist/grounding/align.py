"""Which sentences of the source back a line: the article index and the alignment.

:class:`Source` tokenises the article's sentences once (regex tokens, light stems:
:mod:`newsgist.grounding.claims`) and keeps what every check asks of it: the stems
and bigrams of the whole article and of each sentence, the numbers, the words as
they are cased in the article, and the folded text for quotations. :meth:`Source.align`
ranks the sentences for one line by how many of its content words they hold and
returns a greedy cover (best first), the ``support`` of the line; :meth:`Source.window`
aligns the line softly to the one stretch of the article (a window about as long as the
line) that holds most of its content words, and in which order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsgist.grounding.claims import _TOKEN, Line, fold, is_content, number_values, stem

# A support holds at most this many sentences; a sentence joins it only if it adds at
# least MIN_GAIN of the line's content words (a summary line rarely fuses more than
# two or three sentences; FRANK's CNN/DM lines: 1.6 on average by this cover).
MAX_SUPPORT = 3
MIN_GAIN = 0.15
# The window of :meth:`Source.window` spans WINDOW_FACTOR times the line's token count
# (at least WINDOW_MIN tokens): a summary line is a source stretch with about a third
# cut away. 1.5 was the best of {1, 1.5, 2, 3} by the unlearned window cover's AUC on
# frank-validation's CNN/DM pairs (0.777, 0.790, 0.781, 0.750; bench_check.py); 2 gives
# most of the same gain.
WINDOW_FACTOR = 1.5
WINDOW_MIN = 6
# Sentence breaks count as this many tokens in the window's token stream, so a window
# may run across a break (a line fusing two neighbouring sentences) but pays for it.
WINDOW_BREAK = 3


@dataclass
class SourceSentence:
    start: int
    end: int
    toks: list[str]
    stems: list[str]
    content: set[str] = field(default_factory=set)


class Source:
    """The article as the checker reads it; build once, check many lines."""

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        self.text = text
        self.sentences: list[SourceSentence] = []
        self.stems: set[str] = set()
        self.bigrams: set[tuple[str, str]] = set()
        self.trigrams: set[tuple[str, str, str]] = set()
        self.fourgrams: set[tuple[str, str, str, str]] = set()
        self.postings: dict[str, list[int]] = {}
        caps, lower = set(), set()
        for k, (a, b) in enumerate(spans):
            words = _TOKEN.findall(fold(text[a:b]))
            toks = [w.lower() for w in words]
            stems = [stem(t) for t in toks]
            for w, s in zip(words[1:], stems[1:]):  # not the sentence's first word
                (caps if w[0].isupper() else lower).add(s)
            content = {s for t, s in zip(toks, stems) if is_content(t)}
            self.sentences.append(SourceSentence(a, b, toks, stems, content))
            self.stems.update(stems)
            self.bigrams.update(zip(stems, stems[1:]))
            self.trigrams.update(zip(stems, stems[1:], stems[2:]))
            self.fourgrams.update(zip(stems, stems[1:], stems[2:], stems[3:]))
            for s in content:
                self.postings.setdefault(s, []).append(k)
        self.capitalised = caps - lower  # stems the source only writes capitalised (names)
        self.caps_any = caps  # stems it writes capitalised at least once, not first in a sentence
        # no capital letter anywhere: text lower-cased as cnndm-train's is (the checker's
        # lower_threshold was chosen on such text; a cased article without a mid-sentence
        # capital, "The storm damaged the pier. Repairs ...", is not one)
        self.uncased = not any(ch.isupper() for ch in text)
        # the source's words, folded and lower-cased, one space apart (for quotes, copied runs)
        self.folded = " ".join(t for x in self.sentences for t in x.toks)
        self._numbers: set[float] | None = None
        self._cased: set[str] | None = None
        self._acronyms: set[str] | None = None
        self._stream: tuple[list[str], dict[str, list[int]]] | None = None

    @property
    def numbers(self) -> set[float]:
        if self._numbers is None:
            self._numbers = number_values(self.text)
        return self._numbers

    @property
    def words_lower(self) -> set[str]:
        """Every token of the source, lower-cased (for names)."""
        if self._cased is None:
            self._cased = set(re.findall(r"[^\W_]+", fold(self.text).lower()))
        return self._cased

    @property
    def acronyms(self) -> set[str]:
        """Lower-cased acronyms the article spells out or dots: "U.S." -> "us", "Chief
        Executive Officer" -> "ceo" (initials of 2-4 consecutive capitalised words)."""
        if self._acronyms is None:
            acr = {m.group().replace(".", "").lower() for m in re.finditer(r"\b(?:[A-Za-z]\.){2,}", self.text)}
            for sent in self.sentences:  # runs of capitalised words ("Chief Executive Officer")
                t = [w for w in _TOKEN.findall(fold(self.text[sent.start:sent.end]))
                     if w not in ("of", "and", "the", "for")]
                for n in (2, 3, 4):
                    acr.update("".join(w[0] for w in t[i:i + n]).lower() for i in range(len(t) - n + 1)
                               if all(w[0].isupper() for w in t[i:i + n]))
            self._acronyms = acr
        return self._acronyms

    def _positions(self) -> tuple[list[str], dict[str, list[int]]]:
        """The article's stems as one stream (sentence breaks as WINDOW_BREAK empty
        tokens) and the stream positions of every content stem (built once)."""
        if self._stream is None:
            flat: list[str] = []
            where: dict[str, list[int]] = {}
            for sent in self.sentences:
                for t, s in zip(sent.toks, sent.stems):
                    if is_content(t):
                        where.setdefault(s, []).append(len(flat))
                    flat.append(s)
                flat.extend([""] * WINDOW_BREAK)
            self._stream = (flat, where)
        return self._stream

    def window(self, line: Line) -> tuple[float, float]:
        """Soft alignment of the line to one stretch of the source: the window of
        WINDOW_FACTOR x the line's length that holds most of its distinct content words.
        Returns (their share: ``window``, and the share of the line's content tokens
        that the window holds in the line's order -- the longest common subsequence:
        ``window_order``). A line read off one stretch of the article scores (1, 1);
        words gathered from all over it, or in another order, score less."""
        content = set(line.content)
        if not content:
            return 1.0, 1.0
        flat, where = self._positions()
        occ = sorted((p, s) for s in content for p in where.get(s, ()))
        if not occ:
            return 0.0, 0.0
        width = max(int(WINDOW_FACTOR * len(line.toks)), WINDOW_MIN)
        best, start, held, a = 0, occ[0][0], {}, 0
        for p, s in occ:  # two pointers over the sorted occurrences
            held[s] = held.get(s, 0) + 1
            while p - occ[a][0] >= width:
                q = occ[a][1]
                held[q] -= 1
                if not held[q]:
                    del held[q]
                a += 1
            if len(held) > best:
                best, start = len(held), occ[a][0]
        seq = [s for t, s in zip(line.toks, line.stems) if is_content(t)]
        return best / len(content), _lcs(seq, flat[start:start + width]) / len(seq)

    def align(self, line: Line) -> list[tuple[int, float]]:
        """(sentence index, share of the line's content words it adds), best first."""
        content = set(line.content)
        if not content or not self.sentences:
            return []
        counts: dict[int, int] = {}
        for s in content:
            for k in self.postings.get(s, ()):
                counts[k] = counts.get(k, 0) + 1
        if not counts:
            return []
        top = max(counts.values())
        words = set(line.toks)
        # among the sentences holding as many content words, the one sharing most of the
        # line's words (function words, negations included), then the shortest: a line
        # copied from a short sentence is backed by that sentence, not by a longer one
        # that happens to hold the same content words ("Defendants are no different.")
        best = max((k for k in counts if counts[k] == top),
                   key=lambda k: (len(words.intersection(self.sentences[k].toks)),
                                  -len(self.sentences[k].toks), -k))
        chosen = [(best, counts[best] / len(content))]
        covered = content & self.sentences[best].content
        while len(chosen) < MAX_SUPPORT:
            gains = {k: len((content - covered) & self.sentences[k].content) for k in counts
                     if k not in dict(chosen)}
            if not gains:
                break
            k = max(gains, key=lambda j: (gains[j], -j))
            if gains[k] / len(content) < MIN_GAIN:
                break
            chosen.append((k, gains[k] / len(content)))
            covered |= self.sentences[k].content
        return chosen

    def order_flips(self, line: Line, k: int) -> tuple[float, list[tuple[int, int]]]:
        """Share of pairs of the line's content words (those found once in sentence ``k``)
        that sentence ``k`` has in the other order, and the line token indices of the
        pairs that make a reversed triple (a < b < c in the line, c < b < a in the source)."""
        sent = self.sentences[k]
        where: dict[str, list[int]] = {}
        for i, s in enumerate(sent.stems):
            where.setdefault(s, []).append(i)
        seq = []  # (line token index, source position)
        seen = set()
        for i, (t, s) in enumerate(zip(line.toks, line.stems)):
            if is_content(t) and len(where.get(s, ())) == 1 and s not in seen:
                seen.add(s)
                seq.append((i, where[s][0]))
        n = len(seq)
        if n < 2:
            return 0.0, []
        bad = sum(1 for x in range(n) for y in range(x + 1, n) if seq[y][1] < seq[x][1])
        triples = []
        for x in range(n):
            for y in range(x + 1, n):
                if seq[y][1] >= seq[x][1]:
                    continue
                for z in range(y + 1, n):
                    if seq[z][1] < seq[y][1]:
                        triples.append((seq[x][0], seq[z][0]))
        return bad / (n * (n - 1) / 2), triples


def _lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two token lists (O(len a x len b))."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]
