"""Per-sentence features of the learned highlight ranker (numpy and regex only).

Every feature is cheap (no spaCy parse) and is meant to mean the same thing in any
outlet's text: position in words and sentences, length, centrality and similarity
to the lede in bag-of-stems space, and shallow signals (numbers, capitalised words,
quotation marks, attribution verbs, questions), and (issue 16) the page furniture and
house style that tell outlets apart: caption shapes, near-repeats of a neighbouring
sentence (Daily Mail reprints a sentence as a picture caption), article-level shares of
those, and whether the cleaner found a CNN/wire dateline. Paragraph structure is deliberately
left out: the CNN/DailyMail training text has no paragraph breaks, so a model
trained on it would extrapolate blindly on outlets that have them.

:func:`sentence_features` returns an ``(n_sentences, len(FEATURE_NAMES))`` float64
matrix for an :class:`~newsgist.article.Article` (or a plain list of sentences).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np

from newsgist.highlighting.lexicon import LEXICON_FEATURE_NAMES, lexicon_features
from newsgist.highlighting.scorers import PositionParams, position_scores
from newsgist.highlighting.select import caption_shaped
from newsgist.text import STOPWORDS, stem, words

FEATURE_NAMES = (
    "index",            # sentence index in the body
    "rel_index",        # index / number of sentences
    "word_offset",      # words before the sentence (capped, see WORD_OFFSET_CAP)
    "rel_word_offset",  # words before / words in the body
    "n_sentences",      # sentences in the body (capped)
    "n_words",          # words in the sentence
    "len_ratio",        # n_words / median words per sentence in this article
    "mean_word_len",    # characters per word
    "centrality",       # cosine with the article's document-frequency centroid
    "sim_first",        # cosine with the first sentence (1 for the first)
    "sim_lead",         # cosine with the other sentences among the first three
    "sim_prev",         # cosine with the previous sentence
    "mean_sim",         # mean cosine with all other sentences (degree centrality)
    "sumbasic",         # mean within-article probability of the sentence's content stems
    "novelty",          # share of content stems not seen in earlier sentences
    "content_ratio",    # content words / words
    "cap_ratio",        # capitalised words (not the first) / words
    "digit_tokens",     # tokens with a digit
    "quote_chars",      # quotation marks in the sentence
    "starts_quote",     # opens with a quotation mark
    "quoted_share",     # share of characters inside quotation marks
    "attribution",      # says / said / told / according to
    "first_person",     # I, we, my, our, me, us outside any quotation
    "question",         # ends with a question mark
    "unsupervised",     # the "position" scorer's score (the unsupervised default)
    # --- issue 16: page furniture and outlet style -------------------------------------
    "caption_paren",    # a parenthesis about a picture: "(pictured)", "(left)", "(file photo)"
    "label_colon",      # opens with a short label and a colon: "Trial: ...", "Pictured: ..."
    "no_final_stop",    # does not end with . ! ? (captions, credits, headings)
    "max_sim_before",   # highest cosine with one of the DUP_WINDOW sentences before (a caption repeating it)
    "max_sim_after",    # highest cosine with one of the DUP_WINDOW sentences after (repeated: it matters)
    "art_caption_share",  # article: share of sentences with caption cues (caption_paren or label_colon)
    "art_dup_share",    # article: share of sentences repeating an earlier one (max_sim_before >= DUP_SIM)
    "art_mean_words",   # article: mean words per sentence
    "cnn_dateline",     # article: the cleaner found a wire/CNN dateline (the CNN house style)
) + LEXICON_FEATURE_NAMES   # issue 16: word salience learned from training references (lexicon.py)
N_FEATURES = len(FEATURE_NAMES)
# The lexicon columns: filled from the model's lexicon (0 without one).
LEXICON_COLUMNS = slice(N_FEATURES - len(LEXICON_FEATURE_NAMES), N_FEATURES)
# The "unsupervised" feature is the position scorer with these weights, pinned here so
# that retuning the "position" method does not silently change a trained model's input
# (they are the PositionParams defaults the shipped model was trained with).
RANKER_POSITION = PositionParams(decay=1.2, w_centrality=1.0, w_first=0.0, min_words=8, max_words=30,
                                 w_length=0.02, w_quote=0.15, w_question=0.2)
# Long articles: positions and counts beyond these add nothing but outlet-specific noise.
WORD_OFFSET_CAP = 2000
N_SENTENCES_CAP = 120
# Near-duplicates are looked for among this many neighbours on each side (Daily Mail
# captions repeat a sentence of the text a few sentences away); a cosine of DUP_SIM
# or more counts as a repeat for art_dup_share. Window set by reading sumllm-train
# articles (captions sit within ~10 sentences of the text they repeat); linear in n.
DUP_WINDOW = 12
DUP_SIM = 0.6

_QUOTES = "\"“”‘’"
_OPEN_QUOTES = "\"“‘'"
_ATTRIBUTION = re.compile(r"\b(?:said|says|say|told|tells|according to|added|explained)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|my|My|our|Our|me|us)\b")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")
_CAPTION_PAREN = re.compile(r"\((?:[^()]{0,80}?\b)?(?:pictured|picture|photo|photograph|image|file|left|right|centre|"
                            r"center|above|below|top|bottom|inset|main|far left|far right)\b[^()]{0,80}\)", re.I)
_STOPS, _CLOSERS = frozenset(".!?…"), "\"'”’)]"


def _ends_with_stop(text: str) -> bool:
    """Does ``text`` end with . ! ? or … (closing quotes and brackets, then spaces, after it)?
    What the regex ``[.!?…]["'”’)]]*\\s*$`` said, without scanning the whole sentence."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _STOPS


_HAS_DIGIT = re.compile(r"[0-9]").search   # words() holds no other digits
_ATTRIBUTION_WORDS = ("said", "says", "say", "told", "tells", "according to", "added", "explained")


def _attribution(text: str):
    """``_ATTRIBUTION.search(text)``; on ASCII text (where ignoring case is lower-casing) only
    when one of its words is there at all (issue 27: the case-blind scan was the dearest test)."""
    if text.isascii():
        low = text.lower()
        if not any(w in low for w in _ATTRIBUTION_WORDS):
            return None
    return _ATTRIBUTION.search(text)


@lru_cache(maxsize=65536)
def _content_stem(w: str) -> str | None:
    """The stem of a content word; None for a stop word or a one-character word."""
    return stem(w) if len(w) > 1 and w.lower() not in STOPWORDS else None


def _stems_of(toks: list[str]) -> list[str]:
    return [s for s in map(_content_stem, toks) if s is not None]


def _stems(text: str) -> list[str]:
    return _stems_of(words(text))


def sentence_stems(texts) -> list[list[str]]:
    """The content stems of each sentence, as the features (and the set reranker) count them."""
    return [_stems_of(words(t)) for t in texts]


def sentence_words(texts) -> tuple[list[list[str]], list[list[str]]]:
    """The words (:func:`newsgist.text.words`) and the content stems of each sentence, the
    stems as :func:`sentence_stems` gives them (the words are split once for both)."""
    toks = [words(t) for t in texts]
    return toks, [_stems_of(t) for t in toks]


class _Unit:
    """The sentences' bag-of-stems vectors, L2-normalised, stored sparse (one entry per
    distinct stem of a sentence), so that every similarity the features need costs
    time linear in the text: a dense sentence-by-sentence matrix is quadratic (issue 17)."""

    def __init__(self, vecs: list[Counter]):
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, v in enumerate(vecs):   # (extend, not append: the same arrays, issue 27)
            rows.extend([i] * len(v))
            cols.extend([vocab.setdefault(k, len(vocab)) for k in v])
            vals.extend(v.values())
        self.n, self.dim = len(vecs), max(1, len(vocab))
        self.rows = np.array(rows, dtype=np.int64)
        self.cols = np.array(cols, dtype=np.int64)
        v = np.array(vals, dtype=float)
        norms = np.sqrt(np.bincount(self.rows, weights=v * v, minlength=self.n))
        norms[norms == 0] = 1.0
        self.vals = v / norms[self.rows]

    def dot(self, dense: np.ndarray) -> np.ndarray:
        """Every sentence's dot product with one dense vector over the vocabulary."""
        return np.bincount(self.rows, weights=self.vals * dense[self.cols], minlength=self.n)

    def row(self, i: int) -> np.ndarray:
        out = np.zeros(self.dim)
        lo, hi = np.searchsorted(self.rows, (i, i + 1))
        out[self.cols[lo:hi]] = self.vals[lo:hi]
        return out

    def _sorted(self):
        if not hasattr(self, "_keys"):
            keys = self.rows * self.dim + self.cols        # one entry per (row, col)
            order = np.argsort(keys, kind="stable")
            self._keys, self._kvals = keys[order], self.vals[order]
        return self._keys, self._kvals

    def sim_prev(self, lag: int = 1) -> np.ndarray:
        """Cosine of each sentence with the one ``lag`` before it (0 for the first ones)."""
        return self.sims_by_lag(lag)[lag - 1]

    def sims_by_lag(self, lags: int) -> np.ndarray:
        """``(lags, n)``: row ``l - 1`` holds each sentence's cosine with the one ``l`` before
        it (0 for the first ones), for every lag at once (one search and one count for all:
        each row is summed in the same order as a lag on its own)."""
        keys, vals = self._sorted()
        if not len(keys) or lags < 1:
            return np.zeros((max(lags, 0), self.n))
        shift = np.arange(1, lags + 1)[:, None]
        want = keys[None, :] - shift * self.dim            # the same stem in the sentence lag before
        pos = np.clip(np.searchsorted(keys, want), 0, len(keys) - 1)
        prod = np.where(keys[pos] == want, vals[None, :] * vals[pos], 0.0)
        bins = (keys // self.dim)[None, :] + (shift - 1) * self.n
        return np.bincount(bins.ravel(), weights=prod.ravel(), minlength=lags * self.n).reshape(lags, self.n)

    def max_sims(self, window: int, by_lag: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Highest cosine of each sentence with one of the ``window`` before it and after it
        (``by_lag``: :meth:`sims_by_lag` for at least that many lags, if the caller has it)."""
        before, after = np.zeros(self.n), np.zeros(self.n)
        lags = min(window, self.n - 1)
        if by_lag is None:
            by_lag = self.sims_by_lag(lags)
        for lag in range(1, lags + 1):
            s = by_lag[lag - 1]                            # s[i] = cos(i, i - lag), 0 for i < lag
            before = np.maximum(before, s)
            after[:-lag] = np.maximum(after[:-lag], s[lag:])
        return before, after


def sentence_features(article_or_texts, unsupervised: list[float] | None = None,
                      cnn_dateline: bool | None = None, stems: list[list[str]] | None = None,
                      lexicon=None, toks: list[list[str]] | None = None) -> np.ndarray:
    """The feature matrix of the sentences (rows in body order). For a plain list of
    sentences ``cnn_dateline`` says whether the text had a CNN/wire dateline (default no);
    for an Article it is read from ``article.dateline``. ``stems`` (from :func:`sentence_stems`)
    saves counting them again when the caller needs them too, and ``toks`` (the words of each
    sentence, :func:`sentence_words`) splitting them again. ``lexicon`` (stem -> score,
    :mod:`newsgist.highlighting.lexicon`) fills the lexicon columns; without one they are 0."""
    if isinstance(article_or_texts, (list, tuple)):
        texts = list(article_or_texts)
    else:
        a = article_or_texts
        texts = [a.sentence_text(i) for i in range(len(a.sentences))]
        if cnn_dateline is None:
            cnn_dateline = bool(getattr(a, "dateline", None))
    n = len(texts)
    out = np.zeros((n, N_FEATURES))
    if n == 0:
        return out
    if toks is None:
        toks = [words(t) for t in texts]
    lens = np.array([len(t) for t in toks], dtype=float)
    if stems is None:   # the content stems of each sentence (sentence_stems), if the caller has none
        stems = [_stems_of(t) for t in toks]
    vecs = [Counter(s) for s in stems]
    if unsupervised is None:   # the position scorer, from the same bags of stems (scorers.position_scores)
        unsupervised = position_scores(texts, vecs, [len(t) for t in toks], RANKER_POSITION)
    unit = _Unit(vecs)
    centroid = np.bincount(unit.cols, minlength=unit.dim).astype(float)  # document frequency within the article
    centrality = unit.dot(centroid / (np.linalg.norm(centroid) or 1.0))
    lead_sims = [unit.dot(unit.row(j)) for j in range(min(3, n))]   # sim[:, j] for the first sentences
    by_lag = unit.sims_by_lag(max(1, min(DUP_WINDOW, n - 1)))
    sim_prev = by_lag[0]
    sim_sum = unit.dot(np.bincount(unit.cols, weights=unit.vals, minlength=unit.dim))  # sum_j sim[:, j]
    total_stems = sum(len(s) for s in stems) or 1
    tf = Counter()
    for s in stems:
        tf.update(s)
    total_words = float(lens.sum()) or 1.0
    median_len = _median([len(t) for t in toks]) or 1.0
    seen: set[str] = set()
    offset = 0.0
    # Python floats from here (issue 27): the same IEEE arithmetic as on numpy scalars, without
    # their overhead; the rows go into ``out`` at once
    lens_l, cen, prev_l, sum_l = lens.tolist(), centrality.tolist(), sim_prev.tolist(), sim_sum.tolist()
    lead_l = [x.tolist() for x in lead_sims]
    n_lead, n_cap = min(3, n), min(n, N_SENTENCES_CAP)
    rows = []
    for i, t in enumerate(texts):
        nw = lens_l[i]
        tk, st = toks[i], stems[i]
        lead = [lead_l[j][i] for j in range(n_lead) if j != i]
        mean_lead = 0.0
        if lead:   # their mean, added in order as numpy's mean adds a short array
            acc = 0.0
            for x in lead:
                acc += x
            mean_lead = acc / len(lead)
        uniq = set(st)
        novelty = (len(uniq - seen) / len(uniq)) if uniq else 0.0
        seen |= uniq
        has_quote = '"' in t or "“" in t   # _QUOTED needs one to start a quotation
        quoted = sum(m.end() - m.start() for m in _QUOTED.finditer(t)) if has_quote else 0
        rows.append((
            i, i / n, min(offset, WORD_OFFSET_CAP), offset / total_words, n_cap, nw, nw / median_len,
            (sum(map(len, tk)) / nw) if nw else 0.0,
            cen[i], 1.0 if i == 0 else lead_l[0][i], mean_lead,
            prev_l[i] if i else 0.0,
            (sum_l[i] - (1.0 if st else 0.0)) / (n - 1) if n > 1 else 0.0,
            (sum([tf[s] for s in st]) / len(st) / total_stems) * 100 if st else 0.0,
            novelty,
            (len(st) / nw) if nw else 0.0,
            (len([w for w in tk[1:] if w[0].isupper()]) / nw) if nw else 0.0,   # words are never empty
            sum(1 for w in tk if _HAS_DIGIT(w)) if _HAS_DIGIT(t) else 0,   # words are pieces of t
            sum([t.count(q) for q in _QUOTES]),
            1.0 if t[:1] in _OPEN_QUOTES else 0.0,
            quoted / len(t) if t else 0.0,
            1.0 if _attribution(t) else 0.0,
            len(_FIRST_PERSON.findall(_QUOTED.sub(" ", t) if has_quote else t)),
            1.0 if t.rstrip(_QUOTES + "' )").endswith("?") else 0.0,
            unsupervised[i],
            1.0 if _CAPTION_PAREN.search(t) else 0.0,
            1.0 if caption_shaped(t) else 0.0,
            0.0 if _ends_with_stop(t) else 1.0,
        ))
        offset += nw
    out[:, :28] = rows
    before, after = unit.max_sims(DUP_WINDOW, by_lag)
    out[:, 28] = before
    out[:, 29] = after
    out[:, 30] = np.maximum(out[:, 25], out[:, 26]).mean()
    out[:, 31] = float((before >= DUP_SIM).mean())
    out[:, 32] = float(lens.mean())
    out[:, 33] = 1.0 if cnn_dateline else 0.0
    if lexicon is not None:
        out[:, LEXICON_COLUMNS] = lexicon_features(stems, lexicon)
    return out


def _median(values: list[int]) -> float:
    """``float(numpy.median(values))`` without numpy.median, whose first call imports
    ``numpy.ma`` (~20 ms of a one-article CLI run)."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
