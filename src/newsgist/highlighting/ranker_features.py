"""Per-sentence features of the learned highlight ranker (numpy and regex only).

Every feature is cheap (no spaCy parse) and is meant to mean the same thing in any
outlet's text: position in words and sentences, length, centrality and similarity
to the lede in bag-of-stems space, and shallow signals (numbers, capitalised words,
quotation marks, attribution verbs, questions). Paragraph structure is deliberately
left out: the CNN/DailyMail training text has no paragraph breaks, so a model
trained on it would extrapolate blindly on outlets that have them.

:func:`sentence_features` returns an ``(n_sentences, len(FEATURE_NAMES))`` float64
matrix for an :class:`~newsgist.article.Article` (or a plain list of sentences).
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from newsgist.highlighting.scorers import PositionParams, score_position
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
)
N_FEATURES = len(FEATURE_NAMES)
# The "unsupervised" feature is the position scorer with these weights, pinned here so
# that retuning the "position" method does not silently change a trained model's input
# (they are the PositionParams defaults the shipped model was trained with).
RANKER_POSITION = PositionParams(decay=1.2, w_centrality=1.0, w_first=0.0, min_words=8, max_words=30,
                                 w_length=0.02, w_quote=0.15, w_question=0.2)
# Long articles: positions and counts beyond these add nothing but outlet-specific noise.
WORD_OFFSET_CAP = 2000
N_SENTENCES_CAP = 120

_QUOTES = "\"“”‘’"
_OPEN_QUOTES = "\"“‘'"
_ATTRIBUTION = re.compile(r"\b(?:said|says|say|told|tells|according to|added|explained)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|my|My|our|Our|me|us)\b")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")


def _stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w.lower() not in STOPWORDS and len(w) > 1]


def _cos_matrix(vecs: list[Counter]) -> tuple[np.ndarray, np.ndarray]:
    """Cosine similarity of every pair of bag-of-stems vectors, and the unit vectors."""
    vocab: dict[str, int] = {}
    for v in vecs:
        for k in v:
            vocab.setdefault(k, len(vocab))
    m = np.zeros((len(vecs), max(1, len(vocab))))
    for i, v in enumerate(vecs):
        for k, c in v.items():
            m[i, vocab[k]] = c
    norms = np.linalg.norm(m, axis=1)
    norms[norms == 0] = 1.0
    m /= norms[:, None]
    # einsum, not the BLAS matmul: for these tiny matrices a multi-threaded BLAS costs
    # milliseconds of thread start-up (10+ ms on a busy 2-core machine)
    return np.einsum("ik,jk->ij", m, m), m


def sentence_features(article_or_texts, unsupervised: list[float] | None = None) -> np.ndarray:
    """The feature matrix of the sentences (rows in body order)."""
    if isinstance(article_or_texts, (list, tuple)):
        texts = list(article_or_texts)
    else:
        a = article_or_texts
        texts = [a.sentence_text(i) for i in range(len(a.sentences))]
    n = len(texts)
    out = np.zeros((n, N_FEATURES))
    if n == 0:
        return out
    if unsupervised is None:
        unsupervised = score_position(_TextsArticle(texts), RANKER_POSITION)
    toks = [words(t) for t in texts]
    lens = np.array([len(t) for t in toks], dtype=float)
    stems = [_stems(t) for t in texts]
    vecs = [Counter(s) for s in stems]
    sim, unit = _cos_matrix(vecs)
    centroid = (unit > 0).sum(axis=0).astype(float)  # document frequency within the article
    centrality = np.einsum("ik,k->i", unit, centroid / (np.linalg.norm(centroid) or 1.0))
    total_stems = sum(len(s) for s in stems) or 1
    tf = Counter()
    for s in stems:
        tf.update(s)
    total_words = float(lens.sum()) or 1.0
    median_len = float(np.median(lens)) or 1.0
    seen: set[str] = set()
    offset = 0.0
    for i, t in enumerate(texts):
        nw = lens[i]
        f = out[i]
        f[0] = i
        f[1] = i / n
        f[2] = min(offset, WORD_OFFSET_CAP)
        f[3] = offset / total_words
        f[4] = min(n, N_SENTENCES_CAP)
        f[5] = nw
        f[6] = nw / median_len
        f[7] = (sum(len(w) for w in toks[i]) / nw) if nw else 0.0
        f[8] = centrality[i]
        f[9] = 1.0 if i == 0 else sim[i, 0]
        lead = [j for j in range(min(3, n)) if j != i]
        f[10] = float(np.mean(sim[i, lead])) if lead else 0.0
        f[11] = sim[i, i - 1] if i else 0.0
        f[12] = (float(sim[i].sum()) - (1.0 if stems[i] else 0.0)) / (n - 1) if n > 1 else 0.0
        f[13] = (sum(tf[s] for s in stems[i]) / len(stems[i]) / total_stems) * 100 if stems[i] else 0.0
        uniq = set(stems[i])
        f[14] = (len(uniq - seen) / len(uniq)) if uniq else 0.0
        seen |= uniq
        f[15] = (len(stems[i]) / nw) if nw else 0.0
        f[16] = (sum(1 for w in toks[i][1:] if w[:1].isupper()) / nw) if nw else 0.0
        f[17] = sum(1 for w in toks[i] if any(c.isdigit() for c in w))
        f[18] = sum(t.count(q) for q in _QUOTES)
        f[19] = 1.0 if t[:1] in _OPEN_QUOTES else 0.0
        quoted = sum(m.end() - m.start() for m in _QUOTED.finditer(t))
        f[20] = quoted / len(t) if t else 0.0
        f[21] = 1.0 if _ATTRIBUTION.search(t) else 0.0
        f[22] = len(_FIRST_PERSON.findall(_QUOTED.sub(" ", t)))
        f[23] = 1.0 if t.rstrip(_QUOTES + "' )").endswith("?") else 0.0
        f[24] = unsupervised[i]
        offset += nw
    return out


class _TextsArticle:
    """A minimal stand-in for an Article built from sentence texts."""

    def __init__(self, texts):
        self._texts = texts
        self.sentences = texts

    def sentence_text(self, i):
        return self._texts[i]
