"""Faithfulness report of a highlight: is every word of it backed by its source?

A highlight is ``text`` plus ``spans`` (the kept pieces of the input) and a
``support`` (the sentence(s) it comes from, as spans). :func:`check` runs these
checks and returns ``{"support": [...], "checks": {name: bool}, "passed": bool,
"problems": [...], "subject_verb": bool | None}``:

* ``spans``     -- the spans lie inside the support, in order, without overlap, and
  rendering them (:func:`render_spans`, the fixes documented in
  :mod:`newsgist.highlighting.compress.stage`) gives exactly ``text``; no bracket pair is cut.
* ``numbers``   -- every number in the text (digits or a number word) occurs in the
  support; with the parse, no number was dropped while the word it modifies stayed
  ("50 to 100 members" may not become "members").
* ``entities``  -- every capitalised word of the text occurs in the support; with the
  parse, no named entity is cut in part ("Masoom Stanikzai" -> "Masoom").
* ``negations`` -- every negation word of the text occurs in the support at least as
  often; with the parse, no negation was dropped while its verb stayed.
* ``quotes``    -- quotation marks are as balanced as in the support and every quoted
  stretch of the text occurs word for word in the support; with the parse, no
  quotation is cut in part.

``subject_verb`` (needs the parse) says whether the kept words have a subject and a
finite verb; it is reported beside the checks, since a selected sentence that is
itself a fragment is shown as it is (the compressor never shortens one).
:func:`deletion_problems` is the same logic applied to a planned deletion, before
any text exists, so the compressor can refuse it.
"""
from __future__ import annotations

import re

# Words that negate what they govern (as tokenised by spaCy: "n't" is its own token).
NEGATIONS = frozenset({"not", "n't", "n’t", "never", "no", "nobody", "nothing", "none", "neither",
                       "nor", "nowhere", "without", "cannot", "nor"})
NUMBER_WORDS = frozenset("""zero one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty
seventy eighty ninety hundred thousand million billion trillion dozen dozens half""".split())
# Subject dependency labels and the Penn tags of a finite verb (or modal).
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
MISTAGGED_FINITE = frozenset({"VBN", "VB"})
# A clause under these labels depends on another: its subject and verb do not make a
# sentence of a fragment ("the last time you crossed it").
SUBORDINATE_DEPS = frozenset({"relcl", "acl", "advcl", "pcomp"})
CHECKS = ("spans", "numbers", "entities", "negations", "quotes")

_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_QUOTED = re.compile(r"“([^”]*)”|\"([^\"]*)\"")


def _norm(s: str) -> str:
    return " ".join(s.replace("’", "'").split())


# ------------------------------------------------------------------ spans and their text

def spans_of(doc, kept: set, offset: int) -> list[tuple[int, int]]:
    """The kept tokens as maximal runs, as (start, end) offsets into the input."""
    spans: list[list[int]] = []
    prev = None
    for i in sorted(kept):
        t = doc[i]
        joined = prev is not None and i == prev + 1 and spans
        prev = i
        if t.is_space:  # whitespace tokens never start or end a piece
            if not joined:
                prev = None
            continue
        a, b = offset + t.idx, offset + t.idx + len(t.text)
        if joined:
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]”’]|'s\b|’s\b|n't\b|n’t\b)")
_TRAILING = re.compile(r"\s*(?:[,;:]|--|–|—|-)\s*$")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")


def render_spans(source: str, spans) -> str:
    """The highlight text of ``spans`` (pieces of ``source``): the fixes listed in
    :mod:`newsgist.highlighting.compress.stage` (join with one space, no space before closing
    punctuation, no trailing , ; : or dash, a final period, a capital first letter)."""
    text = ""
    for a, b in spans:
        piece = " ".join(source[a:b].split())
        if not piece:
            continue
        if text and not _NO_SPACE_BEFORE.match(piece):
            text += " "
        text += piece
    text = _TRAILING.sub("", text)
    if text and not _ENDS_SENTENCE.search(text):
        text += "."
    first = text.split(" ", 1)[0] if text else ""
    if first and first[0].islower() and not any(ch.isupper() for ch in first):
        text = text[0].upper() + text[1:]
    return text


# ------------------------------------------------------------------ parse-based pieces

def _quote_regions(doc) -> list[tuple[int, int]]:
    """Token ranges of quotations (marks included); an unclosed one runs to the end."""
    out, open_at = [], None
    for t in doc:
        x = t.text
        if x in ("“", "``") or (x == '"' and open_at is None):
            if open_at is None:
                open_at = t.i
        elif x in ("”", "''") or x == '"':
            if open_at is not None:
                out.append((open_at, t.i))
                open_at = None
            else:
                out.append((0, t.i))
    if open_at is not None:
        out.append((open_at, len(doc) - 1))
    return out


def _bracket_regions(doc) -> list[tuple[int, int]]:
    out, stack = [], []
    for t in doc:
        if t.text in "([":
            stack.append(t.i)
        elif t.text in ")]" and stack:
            out.append((stack.pop(), t.i))
    return out


def _partial(region, kept: set) -> bool:
    a, b = region
    n = sum(1 for i in range(a, b + 1) if i in kept)
    return 0 < n < b - a + 1


def _is_number_token(t) -> bool:
    return t.like_num or t.tag_ == "CD"


def has_subject_and_finite_verb(doc, kept: set | None = None) -> bool:
    """Do the kept tokens contain a subject whose (kept) verb is finite, in a clause
    that is not subordinate (a relative, adverbial or prepositional clause)?"""
    kept = set(range(len(doc))) if kept is None else kept
    for i in kept:
        s = doc[i]
        if s.dep_ not in SUBJECT_DEPS or s.head.i not in kept or s.head.i == s.i:
            continue
        h = s.head
        if h.dep_ in SUBORDINATE_DEPS:  # "Think back to the last time you crossed it."
            continue
        if h.tag_ in FINITE_TAGS:
            return True
        auxes = [c for c in h.children if c.dep_ in ("aux", "auxpass")]
        if any(c.i in kept and c.tag_ in FINITE_TAGS for c in auxes):
            return True
        # en_core_web_sm tags many a simple past or present as VBN/VB ("five hours
        # passed", "safaris conjure"): a verb after its subject, without an auxiliary,
        # heading the sentence or a clause joined to it, is read as finite.
        if h.tag_ in MISTAGGED_FINITE and h.pos_ == "VERB" and s.i < h.i and not auxes \
                and h.dep_ in ("ROOT", "ccomp", "conj"):
            return True
    return False


def deletion_problems(doc, kept: set) -> list[str]:
    """Why keeping only ``kept`` tokens of ``doc`` would be unfaithful or ungrammatical."""
    problems = []
    if any(_partial(r, kept) for r in _quote_regions(doc)):
        problems.append("quote cut")
    if any(_partial(r, kept) for r in _bracket_regions(doc)):
        problems.append("bracket cut")
    if any(_partial((e.start, e.end - 1), kept) for e in doc.ents):
        problems.append("entity cut")
    for t in doc:
        if t.i in kept or t.head.i == t.i or t.head.i not in kept:
            continue
        if t.dep_ == "neg" or t.text.lower() in NEGATIONS:
            problems.append(f"negation dropped: {t.text}")
        elif _is_number_token(t):
            problems.append(f"number dropped: {t.text}")
    if not has_subject_and_finite_verb(doc, kept):  # a fragment is never shortened either
        problems.append("no subject and finite verb")
    return problems


# ------------------------------------------------------------------ the report

def _kept_tokens(doc, spans, offset: int) -> set:
    out = set()
    for t in doc:
        a, b = offset + t.idx, offset + t.idx + len(t.text)
        if any(s <= a and b <= e for s, e in spans):
            out.add(t.i)
    return out


def _check_spans(source, text, spans, support) -> bool:
    prev = -1
    for a, b in spans:
        if not (a < b and a >= prev and any(s <= a and b <= e for s, e in support)):
            return False
        prev = b
    return bool(spans) and render_spans(source, spans) == text


def _check_numbers(text, support_text) -> bool:
    have = set(_NUMBER.findall(support_text))
    words = {w.lower() for w in _WORD.findall(support_text)}
    if any(n not in have for n in _NUMBER.findall(text)):
        return False
    return all(w.lower() in words for w in _WORD.findall(text) if w.lower() in NUMBER_WORDS)


def _check_entities(text, support_text) -> bool:
    words = set(_WORD.findall(_norm(support_text)))
    lower = {w.lower() for w in words}
    toks = _WORD.findall(_norm(text))
    for k, w in enumerate(toks):
        if k == 0:
            if w.lower() not in lower:
                return False
        elif w[:1].isupper() and w not in words:
            return False
    return True


def _check_negations(text, support_text) -> bool:
    def count(s):
        ws = [w.lower() for w in re.findall(r"n[’']t\b|[^\W_]+", s.replace("’", "'"))]
        return {n: ws.count(n) for n in ("not", "n't", "never", "no", "nobody", "nothing", "none",
                                         "neither", "nor", "nowhere", "without", "cannot")}
    have, got = count(support_text), count(text)
    return all(got[n] <= have[n] for n in got)


def _starts_inside_quote(s: str) -> bool:
    """Does ``s`` open mid-quotation (its first quote mark closes a quote)?"""
    curly = re.search(r"[“”]", s)
    if curly:
        return curly.group() == "”"
    m = re.search(r'"', s)
    if not m or s.count('"') % 2 == 0:
        return False
    before = s[m.start() - 1] if m.start() else " "
    after = s[m.end()] if m.end() < len(s) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?")


def _quoted_segments(s: str, inside: bool) -> list[str]:
    """The quoted stretches of ``s``; ``inside``: ``s`` starts inside a quotation."""
    out, cur, in_q = [], [], inside
    for ch in s:
        if ch in "“”\"":
            if in_q:
                out.append("".join(cur))
            cur, in_q = [], not in_q if ch == '"' else ch == "“"
        elif in_q:
            cur.append(ch)
    if in_q:
        out.append("".join(cur))
    return out


def _check_quotes(text, support_text) -> bool:
    """Marks as balanced as in the support; every quoted stretch is in the support."""
    def balance(s):
        return s.count("“") - s.count("”"), s.count('"') % 2
    if balance(text) != balance(support_text):
        return False
    sup = _norm(support_text)
    for seg in _quoted_segments(text, _starts_inside_quote(support_text)):
        seg = _norm(seg).strip(" ,.")
        if seg and seg not in sup:
            return False
    return True


def check(source: str, text: str, spans, support, doc=None) -> dict:
    """The faithfulness report of one highlight (see the module docstring).

    ``doc`` is the spaCy parse of ``source[support[0][0]:support[0][1]]``; without
    it only the text-level checks run (``subject_verb`` is then None).
    """
    spans = [tuple(s) for s in spans]
    support = [tuple(s) for s in support]
    support_text = " ".join(source[a:b] for a, b in support)
    checks = {
        "spans": _check_spans(source, text, spans, support),
        "numbers": _check_numbers(text, support_text),
        "entities": _check_entities(text, support_text),
        "negations": _check_negations(text, support_text),
        "quotes": _check_quotes(text, support_text),
    }
    problems = [k for k, ok in checks.items() if not ok]
    subject_verb = None
    if doc is not None and support:
        kept = _kept_tokens(doc, spans, support[0][0])
        for p in deletion_problems(doc, kept):
            key = ("quotes" if p.startswith("quote") else "entities" if p.startswith("entity") else
                   "negations" if p.startswith("negation") else "numbers" if p.startswith("number") else
                   "spans" if p.startswith("bracket") else None)
            if key is not None:
                checks[key] = False
                problems.append(p)
        subject_verb = has_subject_and_finite_verb(doc, kept)
    return {"support": support, "checks": checks, "passed": all(checks.values()),
            "problems": problems, "subject_verb": subject_verb}


def summarise(reports, compressed=None) -> dict:
    """Card ``meta`` counts: highlights, compressed, passed per check, passed all."""
    reports = [r for r in reports if r]
    compressed = list(compressed or [])
    return {
        "highlights": len(reports),
        "compressed": sum(1 for c in compressed if c),
        "passed": {name: sum(1 for r in reports if r["checks"].get(name)) for name in CHECKS},
        "passed_all": sum(1 for r in reports if r["passed"]),
        "subject_verb": sum(1 for r in reports if r.get("subject_verb")),
    }
