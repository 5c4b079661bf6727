"""Extra training references for the ranker's word-salience lexicon (issue 27).

``newsgist train --lexicon-data FILE...`` reads more ``{article, highlights}`` records
whose only use is the lexicon's counts (:mod:`newsgist.evaluation.train_lexicon`): for
each article, the set of its content stems and the subset its references hold too. Stems
are case-free (:func:`newsgist.text.stem` lower-cases), so text that is lower-cased and
PTB-tokenised -- the CNN/DailyMail training split as the pointer-generator preprocessing
left it (``../shared/data/cnndm-train``: "editor 's note :", "do n't", "22 - year - old")
-- counts the same as the cased text newsgist reads at run time, once the tokenisation is
undone (:func:`detokenize`). With ``--lexicon-data`` the sentence trees never see this
text; with ``--tree-data`` (session 2) its undated articles train the undated trees too,
the features that read letter case masked (:data:`CASE_FEATURES`, :func:`tree_records`).

Each record goes to the lexicon of the dateline style it would have at run time
(:func:`has_dateline`: an inline wire/CNN dateline at the start, "london , england ( cnn )
-- ..."; Daily Mail articles have none), as the trees and lexicons are keyed.
"""
from __future__ import annotations

import re

# PTB tokenisation undone: contractions and possessives rejoined, no space before closing
# punctuation or after an opening bracket, "22 - year - old" rejoined.
_CLITIC = re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", re.I)
_BEFORE = re.compile(r" ([.,;:?!%)\]])")
_AFTER = re.compile(r"([(\[$£]) ")
_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")
_PTB = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}", "``": '"', "''": '"'}
_PTB_RE = re.compile("|".join(re.escape(k) for k in _PTB))
# The wire/CNN dateline at the start of a (lower-cased, tokenised) article: the outlets of
# the cleaner's dateline rule (reading/clean.py _OUTLETS), a place of up to 60 characters before.
_DATELINE = re.compile(r"^(?:[a-z](?:(?! \. )[a-z .,'\-]){0,60}?)?\s*\(\s*(?:cnn(?: student news)?|ap|reuters|afp|ew\.com|"
                       r"mashable|bloomberg)\s*\)\s*(?:--|-|—)?")


def detokenize(text: str) -> str:
    """PTB-tokenised text back to ordinary spacing (its case is left as it is)."""
    t = _PTB_RE.sub(lambda m: _PTB[m.group(0)], text)
    t = _CLITIC.sub(r"\1", t)
    t = _BEFORE.sub(r"\1", t)
    t = _AFTER.sub(r"\1", t)
    return _HYPHEN.sub("-", t)


# A sentence start in PTB text: the text's start, or a stop token (".", "?", "!") with
# closing quotes after it, then the first letter of the next word.
_OUTLET_CASE = {"reuters": "Reuters", "ew.com": "EW.com", "mashable": "Mashable", "bloomberg": "Bloomberg",
                "cnn student news": "CNN Student News"}
_OUTLET = re.compile(r"\(\s*([a-z. ]+?)\s*\)")
_START = re.compile(r"(^|(?:^| )[.?!](?: (?:''|'|\"))* )([a-z])")
_I = re.compile(r"(?<![\w'])i(?=\s|'m\b|'ve\b|'ll\b|'d\b)")


def readable(text: str) -> str:
    """Lower-cased PTB text as newsgist can segment it (issue 27, evaluation only): the
    first letter of each sentence and the pronoun "I" capitalised, then :func:`detokenize`.
    A wire/CNN dateline's outlet is upper-cased ("(CNN)", as the cleaner finds it); every
    other word stays lower-case: names and captions' labels are not restored, so the
    case-dependent features still differ from real text."""
    t = _START.sub(lambda m: m.group(1) + m.group(2).upper(), text.strip())
    m = _DATELINE.match(t.lower())
    if m:
        head = _OUTLET.sub(lambda o: "(" + _OUTLET_CASE.get(o.group(1), o.group(1).upper()) + ")", t[:m.end()],
                           count=1)
        t = head + t[m.end():]
    return detokenize(_I.sub("I", t))


def has_dateline(text: str) -> bool:
    """Does the (lower-cased) article open with a wire/CNN dateline?"""
    return bool(_DATELINE.match(text.lstrip().lower()))


def references(rec) -> list[str]:
    refs = rec.get("highlights") if isinstance(rec, dict) else None
    if isinstance(refs, str):
        return [h for h in refs.split("\n") if h.strip()]
    return [str(h) for h in refs] if isinstance(refs, list) else []


def stem_sets(records, log=None) -> tuple[list[bool], list[frozenset], list[frozenset]]:
    """For each usable record (an ``article`` text and references): its dateline style,
    the set of its article's content stems, and the subset its references hold too."""
    from newsgist.highlighting.ranker_features import sentence_stems
    dated, arts, refs = [], [], []
    for i, rec in enumerate(records):
        art = rec.get("article") if isinstance(rec, dict) else None
        hl = references(rec)
        if not isinstance(art, str) or not art.strip() or not hl:
            continue
        a = frozenset(w for s in sentence_stems([detokenize(art)]) for w in s)
        r = a & frozenset(w for s in sentence_stems([detokenize(h) for h in hl]) for w in s)
        dated.append(has_dateline(art))
        arts.append(a)
        refs.append(r)
        if log and (i + 1) % 5000 == 0:
            log(f"  lexicon data: {i + 1} records")
    return dated, arts, refs


# Issue 27, session 2: the sentence trees may learn from lower-cased editor-labelled articles
# too (``newsgist train --tree-data FILE...``). These features read letter case (capitalised
# words; caption labels start with a capital), so on such text their values are wrong: they are
# left missing (NaN) in its rows, and LightGBM learns their splits from the cased records only
# (a missing value follows each split's learned default side). Every other feature is
# case-free once :func:`readable` has restored sentence starts, "I" and the dateline's outlet.
CASE_FEATURES = ("cap_ratio", "label_colon", "art_caption_share")


def mask_case_features(X):
    """``X`` with the :data:`CASE_FEATURES` columns set to NaN (in place; returned)."""
    import numpy as np
    from newsgist.highlighting.ranker_features import FEATURE_NAMES
    X[:, [FEATURE_NAMES.index(f) for f in CASE_FEATURES]] = np.nan
    return X


# Which tree data records train the trees (``newsgist train --tree-style``): those without a
# dateline (the undated trees: Daily Mail, session 2), those with one (the dated trees: CNN,
# session 3), or both (each to the trees of its style).
TREE_STYLES = ("undated", "dated", "all")


def tree_records(records, log=None, style="undated"):
    """The lower-cased, PTB-tokenised ``{article, highlights}`` records of dateline ``style``
    (:data:`TREE_STYLES`; :func:`has_dateline`: in cnndm-train the Daily Mail and ~1,500 CNN
    articles have none, ~21,500 CNN articles have one), made segmentable (:func:`readable`),
    references detokenised. :func:`newsgist.evaluation.train_ranker.tree_examples` prepares them."""
    if style not in TREE_STYLES:
        raise ValueError(f"tree style {style!r}, expected one of {TREE_STYLES}")
    for i, rec in enumerate(records):
        art, hl = (rec.get("article") if isinstance(rec, dict) else None), references(rec)
        if log and (i + 1) % 2000 == 0:
            log(f"  tree data: {i + 1} records")
        if isinstance(art, str) and art.strip() and hl and (style == "all" or has_dateline(art) == (style == "dated")):
            yield {"article": readable(art), "highlights": [detokenize(h) for h in hl]}


def fill_from_lexicon(examples, lexicons: dict, dated: list[bool]) -> None:
    """Lexicon columns of extra tree examples as run time fills them: from the model's lexicon
    of their dateline style (counted without them: they are unseen articles to it)."""
    from newsgist.highlighting.lexicon import lexicon_features
    from newsgist.highlighting.ranker_features import LEXICON_COLUMNS, sentence_stems
    for e, d in zip(examples, dated):
        lex = lexicons.get(d, lexicons.get(None)) or {}
        stems = sentence_stems(e.article.sentence_text(i) for i in range(len(e.article.sentences)))
        e.X[:, LEXICON_COLUMNS] = lexicon_features(stems, lex)
