"""Which sentences of the source back a line: the article index and the alignment.

:class:`Source` tokenises the article's sentences once (regex tokens, light stems:
:mod:`newsgist.grounding.claims`) and keeps what every check asks of it: the stems
and bigrams of the whole article and of each sentence, the numbers, the words as
they are cased in the article, and the folded text for quotations. :meth:`Source.align`
ranks the sentences for one line by how many of its content words they hold and
returns a greedy cover (best first), the ``support`` of the line.
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
        # the source's words, folded and lower-cased, one space apart (for quotes, copied runs)
        self.folded = " ".join(t for x in self.sentences for t in x.toks)
        self._numbers: set[float] | None = None
        self._cased: set[str] | None = None

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
        best = max(counts, key=lambda k: (counts[k], -k))
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
