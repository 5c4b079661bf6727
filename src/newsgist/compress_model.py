"""The learned deletion model of :mod:`newsgist.compress`.

A logistic regression over :func:`features` of one deletion candidate (a
constituent of a selected sentence, see :func:`newsgist.compress.candidates`).
:func:`predict` estimates the share of the candidate's content words a CNN
highlight keeps; the compressor drops modifiers scored under ``THRESHOLD``. The
weights were fit by ``benchmarks/bench_compress.py --fit`` on word-level keep
labels from aligning validation-1000 highlights with the selected sentences (never
on test). :func:`article_context` and :func:`with_others` give the features what
they need from the rest of the article.
"""
from __future__ import annotations

import math
from collections import Counter

from .compress_rules import _last_word
from .text import content_terms

# A term first seen in this leading share of the article's terms counts as a lead term.
LEAD_SHARE = 0.1


def with_others(context: dict, source: str, ranges, k: int) -> dict:
    """``context`` plus the terms of the other highlights (the ``dup`` feature)."""
    others = set()
    for j, (a, b) in enumerate(ranges):
        if j != k:
            others.update(content_terms(source[a:b]))
    return dict(context, others=others)


def features(doc, c, context: dict | None = None) -> dict:
    """Features of one deletion candidate for the learned model (sparse: name -> value)."""
    toks = sorted(c.tokens)
    a, b = toks[0], toks[-1]
    words = [doc[i] for i in toks if not (doc[i].is_punct or doc[i].is_space)]
    n_sent = max(1, sum(1 for t in doc if not (t.is_punct or t.is_space)))
    root = next((doc[i] for i in toks if doc[i].head.i not in c.tokens or doc[i].head.i == i), doc[a])
    end = b >= _last_word(doc) - 1
    f = {"bias": 1.0, "k=" + c.kind: 1.0, f"k={c.kind}|end={end}": 1.0, "len": math.log1p(len(words)),
         "frac": len(words) / n_sent, "start": a / len(doc), "at_start": float(a == 0),
         "comma": float(doc[a].text == "," or (a > 0 and doc[a - 1].text == ",")),
         "hpos=" + root.head.pos_: 1.0, "hroot": float(root.head.dep_ == "ROOT"),
         "number": float(any(t.like_num for t in words)), "slen": math.log1p(n_sent),
         "adjacent": float(a == root.head.i + 1)}
    first = next((t for t in words), None)
    if first is not None and c.kind in ("prep", "advcl", "agent", "npadvmod", "advmod", "conj", "acl"):
        f[f"w={first.text.lower()}"] = 1.0
    for e in doc.ents:
        if a <= e.start and e.end - 1 <= b:
            f["ent=" + e.label_] = 1.0
    ctx = context or {}
    tf, first_seen = ctx.get("tf"), ctx.get("first", {})
    if tf:
        terms = content_terms(" ".join(t.text for t in words))
        rest = content_terms(" ".join(t.text for t in doc if t.i not in c.tokens))
        counts = [max(0, tf.get(x, 1) - 1) for x in terms]  # mentions outside this one
        if counts:
            f["sal_mean"] = sum(math.log1p(x) for x in counts) / len(counts)
            f["sal_max"] = math.log1p(max(counts))
            f["sal_new"] = sum(1 for x in counts if x == 0) / len(counts)
            f["first_pos"] = sum(first_seen.get(x, 1.0) for x in terms) / len(terms)
            f["lead"] = sum(1 for x in terms if first_seen.get(x, 1.0) < LEAD_SHARE) / len(terms)
            others = ctx.get("others")
            if others is not None:  # said already by another highlight of the card
                f["dup"] = sum(1 for x in terms if x in others) / len(terms)
            if rest:
                f["sal_rel"] = f["sal_mean"] - sum(math.log1p(max(0, tf.get(x, 1) - 1)) for x in rest) / len(rest)
    if "position" in ctx:
        f["spos"] = ctx["position"]
    return f


def predict(model: dict, feats: dict) -> float:
    """The model's estimate of the share of the candidate's words a CNN editor keeps."""
    w = model["weights"]
    z = sum(w.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def article_context(text: str) -> dict:
    """What the model needs from the whole article: term counts and first positions."""
    terms = content_terms(text)
    first: dict = {}
    for k, x in enumerate(terms):
        first.setdefault(x, k / max(1, len(terms)))
    return {"tf": Counter(terms), "first": first, "chars": len(text)}


# Logistic regression over :func:`features`, fit by ``benchmarks/bench_compress.py --fit``
# on validation-1000 (never on test). :func:`predict` estimates the share of a
# candidate's content words a CNN highlight keeps; below THRESHOLD it is dropped.
THRESHOLD = 0.18      # chosen out of fold on validation-1000 (R-2, R-Lsum, median words <= 16)
MAX_THRESHOLD = 0.28  # with a target length, modifiers scored up to this may go as well
_WEIGHTS = """
adjacent:-0.074 at_start:-0.091 bias:-0.84 comma:-0.022 dup:0.976 ent=CARDINAL:-0.182
ent=DATE:-0.164 ent=EVENT:0.811 ent=FAC:0.188 ent=GPE:0.105 ent=LOC:-0.143 ent=MONEY:0.519
ent=NORP:0.004 ent=ORDINAL:0.047 ent=ORG:0.109 ent=PERSON:0.165 ent=PRODUCT:-0.101
ent=QUANTITY:-0.448 ent=TIME:-0.468 ent=WORK_OF_ART:0.135 first_pos:-0.156 frac:0.24
hpos=ADJ:0.026 hpos=ADP:-0.591 hpos=ADV:0.139 hpos=AUX:0.05 hpos=NOUN:0.223 hpos=PROPN:0.208
hpos=VERB:0.128 hroot:-0.119 k=acl:0.184 k=advcl:0.173 k=advcl|end=False:0.187
k=advcl|end=True:-0.014 k=advmod:-0.438 k=advmod|end=False:-0.139 k=agent:0.032
k=agent|end=False:0.139 k=agent|end=True:-0.107 k=appos:0.063 k=appositive:0.068
k=appositive|end=False:0.358 k=appositive|end=True:-0.29 k=appos|end=False:0.321
k=appos|end=True:-0.258 k=attribution:-0.15 k=attribution|end=False:-0.303
k=attribution|end=True:0.153 k=conj:0.209 k=conj|end=False:0.287 k=conj|end=True:-0.078
k=connective:0.222 k=connective|end=False:0.222 k=dash_aside:0.023 k=dash_aside|end=False:0.023
k=lead_adverbial:0.042 k=lead_adverbial|end=False:0.042 k=nonrestrictive:0.158
k=nonrestrictive|end=False:0.228 k=nonrestrictive|end=True:-0.07 k=npadvmod:-0.177
k=npadvmod|end=False:0.22 k=npadvmod|end=True:-0.398 k=parenthetical:-0.372
k=parenthetical|end=False:0.489 k=prep:0.176 k=prep|end=False:0.197 k=prep|end=True:-0.021
k=relcl:0.165 k=relcl|end=False:0.216 k=relcl|end=True:-0.051 k=tail_--:0.032
k=tail_--|end=True:0.032 lead:-0.258 len:-0.147 number:0.46 sal_max:0.168 sal_mean:0.117
sal_new:-0.247 sal_rel:0.419 slen:-0.235 spos:0.299 start:0.08 w=a:0.425 w=about:0.056
w=according:-0.779 w=after:0.228 w=against:0.338 w=also:-0.078 w=and:0.102 w=around:-0.502
w=as:-0.13 w=at:-0.024 w=before:-0.616 w=by:0.051 w=during:-0.028 w=for:0.027 w=friday:-0.53
w=from:0.02 w=in:0.041 w=into:0.573 w=last:-0.338 w=monday:-0.382 w=now:-0.437 w=on:0.215
w=over:0.312 w=saturday:-0.18 w=since:0.276 w=this:0.328 w=thursday:-0.761 w=to:0.307
w=tuesday:-0.972 w=wednesday:-0.723 w=when:-0.107 w=while:-0.121
"""


def _parse_weights(text: str) -> dict:
    return {k: float(v) for k, v in (t.rsplit(":", 1) for t in text.split())}


MODEL = {"threshold": THRESHOLD, "max_threshold": MAX_THRESHOLD, "weights": _parse_weights(_WEIGHTS)}
