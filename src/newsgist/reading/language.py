"""The ``language`` stage (order 15, after ``clean``): which language the body is in.

The quotes, entities, figures, the learned ranker's features and compression are
built for English (an English spaCy model, English cue words and function words).
On text in another language they would produce English-model nonsense (a Russian
article gave "В восьмидесятых" as a quote's speaker), so this stage detects the
language offline and records it in ``meta``::

    "language": "de", "language_confidence": 0.998

and :func:`newsgist.options.english_applies` tells the later stages whether their
English-only parts run. On another language the card holds the cleaned text and
position-based highlights (``meta.method``: "position"), and ``meta.warnings`` says why.

Detection is py3langid (a naive Bayes classifier over byte n-grams, 140 languages; its
model ships inside the package, nothing is downloaded). It reads a sample of the
cleaned body (:data:`SAMPLE_HEAD_CHARS` from the start and :data:`SAMPLE_MIDDLE_CHARS`
from the middle), so its cost does not grow with the article. A guess below
:data:`MIN_CONFIDENCE` is "und" (undetermined: a headline-length text, numbers,
names), which is read as English, as before detection existed. A detector that cannot
load never fails a run: the language is "und" and a warning says so.
"""
from __future__ import annotations

import threading

from newsgist.article import Article
from newsgist.errors import ModelError
from newsgist.options import ENGLISH_LANGUAGES, Options
from newsgist.registry import STAGES

UNDETERMINED = "und"   # ISO 639-2 "undetermined"
# The sample the detector reads: the start of the body plus a window from its middle
# (a page whose first kept paragraphs are English furniture and whose story is not).
# py3langid walks the sample byte by byte in Python, so its cost is the sample's size
# (~0.2 ms per 1,000 characters on an idle core). On the CNN/DM, BBC and PolNeAR English
# sets (3,711 articles) samples of 3,000, 1,000 and 600 characters all gave "en" for
# every article, each with confidence >= 0.9; 1,000 kept a margin at a third of the cost.
# Issue 27 (highlights had to get 2.5 times faster): 500 + 200 characters cost 0.55 ms an
# article against 1.24 ms for 700 + 300, and on 884 articles (val, sumllm, BBC, PolNeAR,
# ECB+) gave the same language for every one, the same lowest confidence (0.562) and the
# same confidence to 3 decimals for 877 (the 7 others moved by 0.001-0.003).
SAMPLE_HEAD_CHARS = 500
SAMPLE_MIDDLE_CHARS = 200
# The detector's probability (normalised over its languages) below which the guess is
# "und": more likely this language than all others together. Whole sentences in
# German, French, Spanish and Russian score over 0.95; a headline such as "John Smith,
# 45, of Boston." scores 0.05 and would otherwise be guessed as anything.
MIN_CONFIDENCE = 0.5
# What the warning says is skipped on text in another language.
ENGLISH_ONLY_PARTS = "quotes, entities, figures, the learned ranker and compression"

_LOCK = threading.Lock()
_DETECTOR: list = []   # [identifier] once loaded, or [ModelError] if it cannot load


def _detector():
    """The py3langid identifier (loaded once: ~0.4 s, ~0.03 s from the unpacked copy in the cache
    folder, :mod:`newsgist.reading.langmodel`; thread-safe); raises ModelError."""
    if not _DETECTOR:
        with _LOCK:
            if not _DETECTOR:
                try:
                    from newsgist.reading.langmodel import load_identifier  # cached unpacked model (issue 28)
                    _DETECTOR.append(load_identifier(norm_probs=True))
                except Exception as exc:  # a missing or broken install: never fatal
                    _DETECTOR.append(ModelError(f"language detector unavailable: {type(exc).__name__}: {exc}"))
    d = _DETECTOR[0]
    if isinstance(d, ModelError):
        raise d
    return d


def sample(text: str) -> str:
    """The part of ``text`` the detector reads (bounded, whatever the length)."""
    if len(text) <= SAMPLE_HEAD_CHARS + SAMPLE_MIDDLE_CHARS:
        return text
    mid = (len(text) - SAMPLE_MIDDLE_CHARS) // 2
    return text[:SAMPLE_HEAD_CHARS] + "\n" + text[mid:mid + SAMPLE_MIDDLE_CHARS]


def detect(text: str) -> tuple[str, float]:
    """(ISO 639 code or "und", confidence in [0, 1]) for ``text``; raises ModelError."""
    s = sample(text).encode("utf-8", "replace")   # bytes: lone surrogates cannot trip the encoder
    code, conf = _detector().classify(s)
    conf = float(conf)
    return (code if conf >= MIN_CONFIDENCE else UNDETERMINED), conf


@STAGES.register("language", order=15, description="detect the language; English-only parts run on English only")
def stage_language(article: Article, options: Options) -> Article:
    try:
        code, conf = detect(article.body)
    except ModelError as exc:
        article.meta["language"] = UNDETERMINED
        article.meta.setdefault("warnings", []).append(f"{exc.message}; the text is read as English")
        return article
    article.meta["language"] = code
    article.meta["language_confidence"] = round(conf, 3)
    if code not in ENGLISH_LANGUAGES:
        article.meta.setdefault("warnings", []).append(
            f"the text is in language '{code}' (confidence {conf:.2f}), not English: {ENGLISH_ONLY_PARTS} "
            f"are English-only and were left out; the highlights are position-based")
    return article
