"""What limits a figure: time, scope, hedges and caveats (``Figure.qualifiers``).

Each qualifier is ``{text, start, end, kind}`` (offsets into the input), ``kind`` one of

* ``time``   -- a date expression near the number: "last year", "since 2014", "on Monday";
* ``scope``  -- where or among whom it holds: "within Afghanistan", "in this one camp";
* ``hedge``  -- how sure the claim is: "could be", "probably", and the figure's own
  "as high as", "up to", "about", "an estimated";
* ``caveat`` -- what the number does or does not cover, after it in the same sentence or at
  the start of the next: "but that number does include other facilitators and
  sympathizers", ", including 40 children".

Time, scope and hedges are looked for in the figure's *segment*: its sentence cut at clause
boundaries (";", ", but", ", while", ...), so that "last year ... 50 to 100 members, but in
this one camp we found more than 150" gives "last year" to the first number and "in this one
camp" to the second; and, when a quote carries the figure, only inside the quoted words (not
the "said on Monday" of the attribution). When a segment holds two figures, a phrase goes
to the one nearer to it in the parse.
"""
from __future__ import annotations

import re

# Clause boundaries inside a sentence: a qualifier on one side does not limit a number on the other.
SEGMENT_BOUNDARY = re.compile(r";|,\s+(?:but|while|whereas|although|though|yet)\b|\s+but\s+|,\s+and\s+(?=\w+\s+\w+)")
# Prepositions that give a scope ("within Afghanistan", "in this one camp", "among Republicans").
SCOPE_PREPS = {"in", "within", "inside", "across", "among", "throughout", "outside", "nationwide"}
# Longest scope phrase kept, in tokens ("in this one camp" is 4): longer ones are clauses.
SCOPE_MAX_TOKENS = 6
# Prepositions taken along in front of a date ("since 2014", "by 2020").
TIME_PREPS = {"in", "since", "by", "until", "during", "through", "before", "after", "as", "of", "from", "over"}
HEDGE_ADVERBS = {"probably", "possibly", "perhaps", "likely", "maybe", "reportedly", "allegedly", "apparently",
                 "roughly", "approximately", "potentially", "presumably", "supposedly", "conceivably"}
MODALS = {"could", "may", "might"}
# The figure's own qualifier words that are hedges (the others, "more than", "at least", are bounds).
OWN_HEDGE = re.compile(r"(?i)(?:as high as|as many as|as much as|as few as|as low as|up to|about|around|roughly|"
                       r"approximately|an estimated|estimated|some|upwards of|perhaps)\b")
# A caveat: "(but) that number does include ...", "the figure excludes ...", ", including ...".
_REF = r"(?:(?:that|this|the)\s+(?:number|figure|estimate|total|tally|count|toll|tally|data)|which|it|this|that)"
CAVEAT_RE = re.compile(r"(?i)\b" + _REF + r"\s+(?:(?:also|only|still)\s+)?"
                       r"((?:(?:does|do|did)(?:\s+not|n[’']t)?\s+)?(?:(?:also|only)\s+)?"
                       r"(?:includ|exclud|count|cover|compris|encompass|reflect)\w*)\b")
CAVEAT_PARTICIPLE_RE = re.compile(r"(?i)[,\s(–—-]+((?:not\s+)?(?:including|excluding|counting)|not\s+counting)\b")
# Longest caveat kept, in words, when the parse gives no object to end it.
CAVEAT_MAX_WORDS = 12


def segment_of(m, off: int) -> tuple[int, int]:
    """The clause segment of the body sentence around ``off``."""
    s, e = m.sentence(off)
    start = s
    for b in SEGMENT_BOUNDARY.finditer(m.text, s, e):
        if b.end() <= off:
            start = b.end()
        elif b.start() >= off:
            return start, b.start()
    return start, e


def _nearest_figure(m, tok_i: int, fig_idx: int, seg, fig_spans, roots_cache) -> bool:
    """The phrase at token ``tok_i`` belongs to figure ``fig_idx`` rather than to another figure of
    the same segment: fewer parse edges (then fewer characters) between them."""
    here = [k for k, (a, b) in enumerate(fig_spans) if seg[0] <= a and b <= seg[1]]
    if len(here) < 2:
        return True
    tok = m.doc[tok_i]

    def dist(k):
        root = roots_cache(k)
        up = {}
        t, d = tok, 0
        while True:
            up[t.i] = d
            if t.head.i == t.i:
                break
            t, d = t.head, d + 1
        t, d = root, 0
        while t.i not in up:
            if t.head.i == t.i:
                return 99, abs(root.i - tok.i)
            t, d = t.head, d + 1
        return d + up[t.i], abs(root.i - tok.i)
    return min(here, key=dist) == fig_idx


def _scope_phrase(prep):
    """"within Afghanistan" (up to a place name), "in this one camp" (up to the noun), or None."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or obj.ent_type_ in ("DATE", "TIME") or obj.i < prep.i:
        return None
    doc = prep.doc
    k = prep.i + 1
    if k < len(doc) and doc[k].lower_ == "the":
        k += 1
    if k < len(doc) and doc[k].ent_type_ in ("GPE", "LOC", "FAC", "NORP") and doc[k].ent_iob_ == "B":
        end = k + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return doc[prep.i:end]
    if obj.i - prep.i + 1 > SCOPE_MAX_TOKENS:
        return None
    return doc[prep.i:obj.i + 1]


def _caveat_end(m, verb_start: int, limit: int) -> int:
    """End of a caveat's object: the object noun phrase without its trailing prepositions, else the
    clause punctuation, at most CAVEAT_MAX_WORDS words on."""
    toks = m.tokens(verb_start, limit)
    verb = next((t for t in toks if t.pos_ == "VERB" or t.lower_.startswith(("includ", "exclud", "count"))), None)
    if verb is not None:
        objs = [c for c in verb.children if c.dep_ in ("dobj", "pobj", "attr", "prep")]
        if verb.dep_ == "prep":
            objs = [c for c in verb.children if c.dep_ == "pobj"]
        if objs:
            obj = objs[0]
            if obj.dep_ == "prep":
                obj = next((c for c in obj.children if c.dep_ == "pobj"), obj)
            last = obj
            for c in obj.subtree:
                if c.dep_ in ("prep", "punct") and c.head.i in (obj.i, *[x.i for x in obj.conjuncts]):
                    break
                last = c
            if last.idx + len(last) <= limit:
                return last.idx + len(last)
    words = list(re.finditer(r"[^\s,;.()]+", m.text[verb_start:limit]))
    stop = re.search(r"[,;.()]", m.text[verb_start:limit])
    end = verb_start + (stop.start() if stop else limit - verb_start)
    if len(words) > CAVEAT_MAX_WORDS:
        end = min(end, verb_start + words[CAVEAT_MAX_WORDS - 1].end())
    return end


def _caveat(m, fe: int, fig_spans) -> tuple[int, int] | None:
    """A caveat after the figure ending at ``fe``: in the rest of its sentence (before another figure)
    or at the start of the next sentence (when no other figure comes first)."""
    s, e = m.sentence(fe - 1)
    nxt = [a for a, _ in fig_spans if a >= fe]
    limit = min([e] + [a for a in nxt if a < e])
    p = CAVEAT_PARTICIPLE_RE.match(m.text, fe, limit)
    if p:
        return p.start(1), _caveat_end(m, p.start(1), limit)
    c = CAVEAT_RE.search(m.text, fe, limit)
    if c:
        return c.start(1), _caveat_end(m, c.start(1), limit)
    i = m.sent_starts.index(s) if s in m.sent_starts else -1
    if 0 <= i < len(m.sents) - 1 and not any(s <= a < e for a in nxt):
        ns, ne = m.sents[i + 1]
        head = m.text[ns:ne]
        c = CAVEAT_RE.match(head, len(head) - len(head.lstrip("“\"‘' ")))
        if c and not any(ns <= a < ne for a in nxt):
            return ns + c.start(1), _caveat_end(m, ns + c.start(1), ne)
        c = re.match(r"(?i)^\W*(?:but|and|however,?)\s+", head)
        if c:
            c = CAVEAT_RE.match(head, c.end())
            if c and not any(ns <= a < ne for a in nxt):
                return ns + c.start(1), _caveat_end(m, ns + c.start(1), ne)
    return None


def qualifiers_for(m, fig, fs: int, fe: int, seg, content, fig_spans) -> list[dict]:
    """The qualifiers of ``fig`` (body span [fs, fe)) as dicts with input offsets, in text order."""
    found: list[tuple[int, int, str]] = []
    own = OWN_HEDGE.match(m.text, fs, fe)
    if own:
        found.append((fs, own.end(), "hedge"))
    lo, hi = seg
    if content is not None:
        lo, hi = max(lo, content[0]), min(hi, content[1])
    others = [(a, b) for a, b in fig_spans if (a, b) != (fs, fe)]
    idx = fig_spans.index((fs, fe))
    roots = {}

    def root_of(k):
        if k not in roots:
            a, b = fig_spans[k]
            span = m.tokens(a, b)
            roots[k] = next((t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i),
                            span[0]) if len(span) else m.doc[m.token_index(a)]
        return roots[k]

    def free(a, b):
        return not (a < fe and fs < b) and not any(a < y and x < b for x, y in others)

    for t in m.token_list(lo, hi):
        if t.ent_iob_ == "B" and t.ent_type_ in ("DATE", "TIME"):
            end = t.i + 1
            while end < len(m.doc) and m.doc[end].ent_iob_ == "I":
                end += 1
            start = t.i - 1 if t.i > 0 and m.doc[t.i - 1].lower_ in TIME_PREPS else t.i
            a, b = m.doc[start].idx, m.doc[end - 1].idx + len(m.doc[end - 1])
            if b <= hi and free(a, b) and _nearest_figure(m, t.i, idx, seg, fig_spans, root_of):
                found.append((a, b, "time"))
        elif t.lower_ in SCOPE_PREPS and t.dep_ == "prep":
            ph = _scope_phrase(t)
            if ph is not None and ph.end_char <= hi and free(ph.start_char, ph.end_char) \
                    and _nearest_figure(m, t.i, idx, seg, fig_spans, root_of):
                found.append((ph.start_char, ph.end_char, "scope"))
        elif t.lower_ in HEDGE_ADVERBS and t.dep_ in ("advmod", "npadvmod") and free(t.idx, t.idx + len(t)) \
                and _nearest_figure(m, t.i, idx, seg, fig_spans, root_of):
            found.append((t.idx, t.idx + len(t), "hedge"))
        elif t.lower_ in MODALS and t.tag_ == "MD" and t.i + 1 < len(m.doc) and _nearest_figure(m, t.i, idx, seg, fig_spans, root_of):
            nxt = m.doc[t.i + 1]
            b = nxt.idx + len(nxt) if nxt.pos_ in ("AUX", "VERB") and nxt.idx + len(nxt) <= hi else t.idx + len(t)
            found.append((t.idx, b, "hedge"))
    cav = _caveat(m, fe, fig_spans)
    if cav and cav[1] > cav[0]:
        found.append((cav[0], cav[1], "caveat"))
    out, seen = [], set()
    for a, b, kind in sorted(found):
        if (a, b) in seen:
            continue
        seen.add((a, b))
        sa, sb = m.source(a), m.source(b)
        out.append({"text": m.article.source[sa:sb], "start": sa, "end": sb, "kind": kind})
    return out
