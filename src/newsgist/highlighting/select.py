"""Selection: turn per-sentence scores into 3-4 highlights, in article order.

Greedy by score with redundancy control: a sentence that shares too many word
trigrams with one already chosen is skipped (trigram blocking, as in the
extractive-summarisation literature), so no two highlights say the same thing.
"""
from __future__ import annotations

import re

from newsgist.text import trigrams, words
from newsgist.types import Highlight

# Share of a candidate's trigrams already present in a chosen highlight above which
# the candidate is redundant. 0.5 blocks near-repeats (a lede restated later) while
# letting sentences that share a name or a phrase through.
REDUNDANCY_MAX_OVERLAP = 0.5
# Automatic count: 3 highlights, 4 for long articles (at least this many sentences).
DEFAULT_COUNT = 3
LONG_ARTICLE_SENTENCES = 40
# Sentences shorter than this many words are not offered as highlights (fragments).
MIN_HIGHLIGHT_WORDS = 4
# A sentence that begins inside a quotation ("...,” Okafor said." after "“The bridge is
# old.") is not offered either: shown alone it reads as an unattributed fragment.
# On validation-1000 it removed 55 of 3,000 highlights and moved R-1/R-2/R-Lsum by
# +0.12/+0.09/+0.10 (benchmarks/bench_core.py reports test).
SKIP_MID_QUOTE = True
# A caption-shaped sentence is not offered either while others qualify: one that opens
# with a short label and a colon ("Trial: Marcin Kostrzewa (pictured) arrived...",
# "Opinion: Why ...", "AA: It's very dangerous."), the way Daily Mail prints picture
# captions inside the text and CNN its related links and interview turns. Labels of
# reported speech ("He added: '...'") are not captions. Measured out of fold (issue 16,
# BENCHMARKS.md "Learned ranker (issue 16)").
SKIP_CAPTIONS = True
CAPTION_LABEL = re.compile(r"^[\"“‘']?[A-Z][\w'’.\-]*(?:\s+[\w'’.\-]+){0,3}\s*:\s+\S")
_SPEECH_LABEL = re.compile(r"\b(?:said|says|told|added|explained|wrote|tweeted|writes|read|reads|asked)\s*:", re.I)


def caption_shaped(text: str) -> bool:
    """Does ``text`` open like a caption or a label ("Pictured: ...", "Trial: ...")?"""
    return bool(CAPTION_LABEL.match(text)) and not _SPEECH_LABEL.search(text[:80])


def opens_inside_quote(article, i: int) -> bool:
    """Does sentence ``i`` begin inside a quotation opened before it in its paragraph?"""
    return inside_quote_flags(article)[i]


def _closes_first(text: str) -> bool:
    """Is the first curly quotation mark of ``text`` a closing one?"""
    o, c = text.find("“"), text.find("”")
    return c >= 0 and (o < 0 or c < o)


def inside_quote_flags(article) -> list[bool]:
    """:func:`opens_inside_quote` for every sentence, in one pass over the text (the
    marks before a sentence are counted incrementally along its paragraph, so a long
    paragraph of many sentences costs linear time, not quadratic)."""
    src, paras = article.source, article.paragraphs
    flags = []
    para, pos, opened, closed, straight = -1, 0, 0, 0, 0
    for s in article.sentences:
        text = src[s.start:s.end]
        if _closes_first(text):
            flags.append(True)  # closes a quotation it never opened (one that began paragraphs before)
            continue
        if not paras or s.paragraph >= len(paras):
            flags.append(False)
            continue
        if s.paragraph != para or s.start < pos:
            para, pos, opened, closed, straight = s.paragraph, paras[s.paragraph].start, 0, 0, 0
        gap = src[pos:s.start]
        opened, closed, straight = opened + gap.count("“"), closed + gap.count("”"), straight + gap.count('"')
        pos = s.start
        flags.append(opened > closed or straight % 2 == 1)
    return flags


def auto_count(n_sentences: int) -> int:
    return DEFAULT_COUNT + (1 if n_sentences >= LONG_ARTICLE_SENTENCES else 0)


def _prepared(article, lengths=None, captions=None):
    """What selection reads of each sentence, whatever the scores: its text, its words, whether
    it is ruled out (mid-quotation, caption) and (filled as asked) its trigrams. Kept on the
    article (issue 27: the set reranker's candidates and the select stage read the same
    article), valid while its sentence list and the rules are the same. A caller that has
    counted the words (``lengths``, as :func:`newsgist.text.words` splits them) or tested
    :func:`caption_shaped` (``captions``) of every sentence may hand them in."""
    sents = article.sentences
    rules = (SKIP_MID_QUOTE, SKIP_CAPTIONS)
    cached = getattr(article, "_selection_prep", None)
    if cached is not None and cached[0] is sents and cached[1] == rules:
        return cached[2]
    n = len(sents)
    texts = [article.sentence_text(i) for i in range(n)]
    if lengths is None or len(lengths) != n:
        lengths = [len(words(t)) for t in texts]
    inside = inside_quote_flags(article) if SKIP_MID_QUOTE else [False] * n
    if SKIP_CAPTIONS:
        if captions is None or len(captions) != n:
            captions = [caption_shaped(t) for t in texts]
        inside = [q or c for q, c in zip(inside, captions)]
    prep = (texts, lengths, inside, {})
    try:
        article._selection_prep = (sents, rules, prep)
    except AttributeError:
        pass
    return prep


def select(article, scores: list[float], count: int | None = None, max_words: int | None = None,
           prefer: list[int] | None = None) -> list[Highlight]:
    """Pick highlights from ``article.sentences`` by ``scores``; deterministic. Sentences
    in ``prefer`` (a set chosen as a whole, :mod:`newsgist.highlighting.rerank`) are
    considered first, under the same rules, then the rest by score."""
    n = len(article.sentences)
    if n == 0:
        return []
    k = count or auto_count(n)
    texts, lengths, inside, grams_of = _prepared(article)
    # ties break towards the earlier sentence, so the order is fully determined
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    if prefer:
        # best score first, as greedy order would meet them: trigram blocking is one-sided (a
        # long sentence restating a short one is blocked, not the reverse), so this order
        # keeps every member of a set made by greedy selection, and a smaller count keeps
        # the best-scored members
        first = sorted((i for i in dict.fromkeys(prefer) if 0 <= i < n), key=lambda i: (-scores[i], i))
        taken = set(first)
        order = first + [i for i in order if i not in taken]

    # pass 0: length band and max_words; pass 1: drop the minimum length;
    # pass 2 (only if nothing qualified): anything, so highlights are never empty
    def eligible(i, rule):
        if rule == 0 and (lengths[i] < MIN_HIGHLIGHT_WORDS or inside[i]):
            return False
        return rule == 2 or not (max_words and lengths[i] > max_words)

    chosen: list[int] = []
    grams: list[set] = []
    for rule in (0, 1, 2):
        if len(chosen) >= k or (rule == 2 and chosen):
            break
        for i in order:
            if len(chosen) >= k:
                break
            if i in chosen or not eligible(i, rule):
                continue
            g = grams_of.get(i)
            if g is None:
                g = grams_of[i] = trigrams(texts[i])
            if g and any(len(g & h) / len(g) > REDUNDANCY_MAX_OVERLAP for h in grams):
                continue
            chosen.append(i)
            grams.append(g)
    chosen.sort()
    out = []
    for i in chosen:
        s = article.sentences[i]
        # the exact source sentence: input[start:end] == text (SCHEMA.md); only compressed
        # highlights rebuild their text from ``spans`` (highlighting/compress)
        out.append(Highlight(text=texts[i], start=s.start, end=s.end, score=float(scores[i]), sentence=i))
    return out
