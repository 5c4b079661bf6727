"""The attribute ruler's POS, TAG and DEP rules without spaCy's Matcher (issue 28).

``en_core_web_sm``'s ``attribute_ruler`` maps the tagger's fine tags to coarse
``pos_`` (plus a few word- and dependency-specific exceptions, and ``_SP`` / ``dep``
for whitespace tokens); it also sets ``morph`` and a few lemmas. It runs a
:class:`spacy.matcher.Matcher` of 179 patterns over every token and applies each
match from Python: about a fifth of the whole parse on CNN articles.

The card (and compression) read ``pos_``, ``tag_`` and ``dep_`` but never ``morph``
or ``lemma_`` (the lemmatizer is off). :class:`FastAttributes` therefore applies the
same ruler's rules that set POS, TAG or DEP, read from the loaded ruler itself (no
copy of the rules), with the ruler's semantics: every pattern is matched on the
attributes as the parser left them, and where several patterns set one attribute of
a token the later pattern wins (the ruler sorts its matches by pattern index). A
single-token rule only depends on a token's (TAG, DEP, LOWER, IS_SPACE), so its
outcome is computed once for each such combination and cached.

:func:`compile_rules` returns None when a pattern uses something this reader does not
know (an operator, another attribute): then the spaCy ruler stays in the pipeline.
``tests/test_card_attributes.py`` checks that both give the same POS, TAG and DEP.
"""
from __future__ import annotations

import re

# The token attributes the rules may test (as the Matcher names them) and that they may set.
_TESTED = ("TAG", "DEP", "LOWER", "IS_SPACE")
SET_ATTRS = ("POS", "TAG", "DEP")
# Memo of single-token outcomes: at most this many (TAG, DEP, LOWER, IS_SPACE)
# combinations are kept (a news article has a few hundred; the cap bounds a long
# batch run's memory, as spaCy's own vocabulary cache does not).
MEMO_MAX = 200_000
# The lowercase form that stands for "a word no rule names" (never a real token's form).
_OTHER_WORD = "\x00other"


def _predicate(value, literals: set | None = None):
    """A test of one attribute value (a string or bool) as the Matcher reads ``value``;
    ``literals`` collects the values an equality or IN test names (None: another test)."""
    if isinstance(value, (str, bool)):
        if literals is not None:
            literals.add(value)
        return lambda v: v == value
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (op, arg), = value.items()
    if op == "IN" and literals is not None:
        literals.update(arg)
    if op != "IN" and literals is not None:
        literals.add(None)  # NOT_IN / REGEX: any word may pass
    if op == "IN":
        s = set(arg)
        return lambda v: v in s
    if op == "NOT_IN":
        s = set(arg)
        return lambda v: v not in s
    if op == "REGEX":
        rx = re.compile(arg)
        return lambda v: bool(rx.search(v))
    return None


def _token_test(spec: dict, lowers: set):
    """One token of a pattern as a test of the tuple (tag, dep, lower, is_space), or None;
    ``lowers`` collects the words its LOWER test names."""
    tests = []
    for key, value in spec.items():
        if key not in _TESTED:
            return None
        pred = _predicate(value, lowers if key == "LOWER" else None)
        if pred is None:
            return None
        tests.append((_TESTED.index(key), pred))
    return lambda t: all(pred(t[k]) for k, pred in tests)


def compile_rules(patterns: list[dict]):
    """The ruler's patterns (``AttributeRuler.patterns``, in rule order) that set POS, TAG
    or DEP, as (single-token rules, multi-token rules, the words their single-token LOWER
    tests name); None if one cannot be read. The words are None when a single-token rule
    tests LOWER otherwise than by equality or IN (then every word counts)."""
    single, multi, lowers = [], [], set()
    for order, p in enumerate(patterns):
        attrs = {k: v for k, v in p["attrs"].items() if k in SET_ATTRS}
        if not attrs:
            continue  # MORPH / LEMMA only: nothing the card reads
        if set(p["attrs"]) - set(SET_ATTRS) - {"MORPH", "LEMMA"}:
            return None
        for pat in p["patterns"]:
            tests = [_token_test(spec, lowers if len(pat) == 1 else set()) for spec in pat]
            if not tests or any(t is None for t in tests):
                return None
            index = p.get("index", 0)
            index = index + len(tests) if index < 0 else index
            if not 0 <= index < len(tests):
                return None
            if len(tests) == 1:
                single.append((order, tests[0], attrs))
            else:
                multi.append((order, tests, index, attrs))
    return single, multi, (None if None in lowers else frozenset(lowers))


class FastAttributes:
    """A pipeline component: the POS/TAG/DEP rules of an ``attribute_ruler`` (see the module
    docstring); ``rules`` comes from :func:`compile_rules`."""

    def __init__(self, vocab, rules):
        self.vocab = vocab
        self.single, self.multi, lowers = rules
        # A word no single-token rule names passes or fails their LOWER tests alike: its
        # outcome is keyed by "another word" (so the memo holds word classes, not every word).
        self._lowers = None if lowers is None else {vocab.strings.add(w) for w in lowers}
        self._memo: dict = {}

    def _outcome(self, key: tuple) -> dict:
        """{attribute: (rule order, value)} of the single-token rules for one token shape."""
        hit = self._memo.get(key)
        if hit is None:
            strings = self.vocab.strings
            t = (strings[key[0]] if key[0] else "", strings[key[1]] if key[1] else "",
                 _OTHER_WORD if key[2] == -1 else strings[key[2]] if key[2] else "", bool(key[3]))
            hit = {}
            for order, test, attrs in self.single:
                if test(t):
                    for a, v in attrs.items():
                        hit[a] = (order, v)
            if len(self._memo) >= MEMO_MAX:
                self._memo.clear()
            self._memo[key] = hit
        return hit

    def __call__(self, doc):
        from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG
        from spacy.symbols import IDS
        n = len(doc)
        if not n:
            return doc
        arr = doc.to_array([TAG, DEP, LOWER, IS_SPACE]).tolist()
        lowers, memo, outcome = self._lowers, self._memo, self._outcome
        if lowers is None:
            keys = [tuple(row) for row in arr]
        else:
            keys = [(r[0], r[1], r[2] if r[2] in lowers else -1, r[3]) for r in arr]
        outcomes = [memo[k] if k in memo else outcome(k) for k in keys]
        if self.multi:
            strings = self.vocab.strings
            toks = None
            for order, tests, index, attrs in self.multi:
                m = len(tests)
                for i in range(n - m + 1):
                    if toks is None:
                        toks = [(strings[r[0]] if r[0] else "", strings[r[1]] if r[1] else "",
                                 strings[r[2]] if r[2] else "", bool(r[3])) for r in arr]
                    if all(test(toks[i + k]) for k, test in enumerate(tests)):
                        hit = dict(outcomes[i + index])
                        for a, v in attrs.items():
                            if a not in hit or hit[a][0] <= order:
                                hit[a] = (order, v)
                        outcomes[i + index] = hit
        pos = doc.to_array([POS])
        changed_pos = False
        for i, hit in enumerate(outcomes):
            if not hit:
                continue
            if "POS" in hit:
                pos[i] = IDS[hit["POS"][1]]
                changed_pos = True
            if "TAG" in hit:
                doc[i].tag_ = hit["TAG"][1]
            if "DEP" in hit:
                doc[i].dep_ = hit["DEP"][1]
        if changed_pos:
            doc.from_array([POS], pos)
        return doc
