"""The checker: is each line of a summary backed by the source, and by which spans?

:func:`line_evidence` aligns one line with the source (:mod:`newsgist.grounding.align`)
and lists what is not backed (:mod:`newsgist.grounding.claims`), each piece
``{text, kind}`` with kind among :data:`KINDS`:

* ``number``   -- a number (digits or a number word) that none of the supporting
  sentences has (so also one the article gives for another thing);
* ``name``     -- a capitalised name with a word the article never uses;
* ``quote``    -- a quoted stretch that is not word for word in the article;
* ``negation`` -- a negation the support lacks, or one of the best sentence that the
  line drops ("will not be able" -> "will be able");
* ``relation`` -- words in the reverse order of the best sentence (X beat Y where
  the article says Y beat X);
* ``other``    -- a run of content words found nowhere in the article.

:func:`check_lines` scores every line with the learned line model and the whole
summary with the learned aggregate over its lines (:mod:`newsgist.grounding.model`).
"""
from __future__ import annotations

from newsgist.grounding.align import Source
from newsgist.grounding.claims import (Line, NEGATIONS, is_content, names, number_values, numbers, quotes,
                                       token_spans, tokens)
from newsgist.grounding.model import Checker, line_features, load, summary_features

KINDS = ("number", "name", "quote", "negation", "relation", "other")
# Kinds that make a line unsupported whatever its score: each is a specific claim the
# source contradicts or lacks. ("other" -- new words -- is left to the score: a
# paraphrase has them too.)
HARD_KINDS = frozenset({"number", "name", "quote", "negation", "relation"})
# The best sentence must hold this share of the line's content words before a
# negation it has and the line lacks counts as dropped (below, the line says
# something else and the negation may belong to another claim).
NEG_DROP_COVER = 0.6
# A line that opens with one of these leans on a sentence before it (a coreference the
# summary may have got wrong).
PRONOUNS = frozenset("he she it they his her its their him them this these those".split())


def _ngram_share(stems: list[str], n: int, have: set) -> float:
    grams = list(zip(*(stems[i:] for i in range(n))))
    return sum(1 for g in grams if g in have) / len(grams) if grams else 1.0


def _fragments(toks: list[str], folded: str) -> dict:
    """Greedy copy fragments (Grusky et al.'s extractive fragments): the longest run of
    the line's tokens found word for word in the source, as a share of the line, and the
    number of fragments of two or more tokens the line is made of."""
    hay = f" {folded} "
    i, longest, frags = 0, 0, 0
    while i < len(toks):
        j = i + 1
        while j <= len(toks) and f" {' '.join(toks[i:j])} " in hay:
            j += 1
        n = j - 1 - i
        if n >= 2:
            frags += 1
        longest = max(longest, n)
        i = max(j - 1, i + 1)
    return {"longest": longest / len(toks) if toks else 1.0, "fragments": frags}


def _names_elsewhere(line: Line, source: Source, sup_sents) -> int:
    """Names of the source (words it writes capitalised) that the line uses but its
    support does not hold: a name taken from another part of the article."""
    sup = {s for x in sup_sents for s in x.stems}
    caps = source.capitalised
    return len({s for s in line.stems if s in caps and s not in sup})


def line_evidence(source: Source, text: str, seen: set | None = None) -> dict:
    """Everything the checker knows about one line: overlaps, support, unsupported pieces.

    ``seen``: the trigrams of the summary's earlier lines (updated), for repetitions."""
    line = Line.of(text)
    tri = list(zip(line.stems, line.stems[1:], line.stems[2:]))
    seen = set() if seen is None else seen
    own: set = set()
    repeats = 0
    for g in tri:  # a trigram said twice (in the line or the summary): degenerate output
        repeats += g in seen or g in own
        own.add(g)
    seen |= own
    content = line.content
    aligned = source.align(line)
    support = [k for k, _ in aligned]
    cover = sum(g for _, g in aligned)
    cover1 = aligned[0][1] if aligned else 0.0
    window, window_order = source.window(line)
    sup_sents = [source.sentences[k] for k in support]
    sup_text = " ".join(source.text[s.start:s.end] for s in sup_sents)
    unsupported: list[dict] = []

    sup_numbers = number_values(sup_text)
    for written, value in numbers(text):
        if value not in sup_numbers and round(value, 3) not in sup_numbers:
            unsupported.append({"text": written, "kind": "number"})
    for name, _, _ in names(text):
        if any(t not in source.words_lower for t in tokens(name) if t.isalpha() and len(t) > 1):
            unsupported.append({"text": name, "kind": "name"})
    for q in quotes(text):
        if " ".join(tokens(q)) not in source.folded:
            unsupported.append({"text": q, "kind": "quote"})

    neg_line = [t for t in line.toks if t in NEGATIONS]
    sup_toks = [t for s in sup_sents for t in s.toks]
    sup_neg = [t for t in sup_toks if t in NEGATIONS]
    neg_added = len(neg_line) > len(sup_neg) or any(t not in sup_neg for t in neg_line)
    spans = token_spans(text)
    if neg_added:
        for t, a, b in spans:
            if t in NEGATIONS and (t not in sup_neg or len(neg_line) > len(sup_neg)):
                unsupported.append({"text": text[a:b], "kind": "negation"})
                break
    neg_dropped = False
    if aligned and not neg_line and cover1 >= NEG_DROP_COVER:
        best = source.sentences[support[0]]
        for i, t in enumerate(best.toks):
            if t in NEGATIONS and t not in ("without", "nor", "neither"):
                # the negated word, if the line has it: "will [not] be able" -> "able"
                after = next((s for u, s in zip(best.toks[i + 1:], best.stems[i + 1:]) if is_content(u)), None)
                if after in content:
                    neg_dropped = True
                    j = line.stems.index(after)
                    unsupported.append({"text": text[spans[j][1]:spans[j][2]], "kind": "negation"})
                    break

    flips, triples = (source.order_flips(line, support[0]) if aligned else (0.0, []))
    if triples:
        a, c = min(triples, key=lambda p: p[1] - p[0])
        unsupported.append({"text": text[spans[a][1]:spans[c][2]], "kind": "relation"})

    flagged = {t for u in unsupported for t in tokens(u["text"])}
    run: list[int] = []
    for i, (t, s) in enumerate(zip(line.toks, line.stems)):
        novel = is_content(t) and s not in source.stems and t not in flagged and t not in NEGATIONS
        if novel:
            run.append(i)
        if run and (not novel or i == len(line.toks) - 1):
            unsupported.append({"text": text[spans[run[0]][1]:spans[run[-1]][2]], "kind": "other"})
            run = []

    return {
        "text": text,
        "support": [(source.sentences[k].start, source.sentences[k].end) for k in support],
        "uni": sum(1 for s in content if s in source.stems) / len(content) if content else 1.0,
        "bi": _ngram_share(line.stems, 2, source.bigrams),
        "bi_support": _ngram_share(line.stems, 2, {g for s in sup_sents for g in zip(s.stems, s.stems[1:])}),
        "quad": _ngram_share(line.stems, 4, source.fourgrams),
        "pronoun": float(bool(line.toks) and line.toks[0] in PRONOUNS),
        "n_support": len(support),
        **_fragments(line.toks, source.folded),
        "repeats": repeats / len(tri) if tri else 0.0,
        "names_elsewhere": _names_elsewhere(line, source, sup_sents),
        "unk": sum(1 for t in line.toks if t == "unk" and "unk" not in source.stems),
        "tri": _ngram_share(line.stems, 3, source.trigrams),
        "cover1": cover1 if content else 1.0,
        "cover": cover if content else 1.0,
        "window": window,
        "window_order": window_order,
        "verbatim": bool(aligned) and any(s.toks == line.toks for s in sup_sents),
        "novel": sum(1 for s in content if s not in source.stems),
        "neg_added": neg_added,
        "neg_dropped": neg_dropped,
        "flips": flips,
        "length": len(line.toks),
        "unsupported": unsupported,
    }


def verdict(score: float, ev: dict, model: Checker) -> bool:
    """A line is supported when its score reaches the line threshold (or the line is one
    whole sentence of the source, word for word: backed by definition, however short --
    the line model, fit with every line taking its summary's label, scores short lines
    low), something in the source backs it, and nothing of a checkable kind
    (:data:`HARD_KINDS`) is unsupported. A verbatim *part* of a sentence gets no such
    pass: cutting a sentence can change what it says."""
    return bool((score >= model.line.threshold or ev.get("verbatim")) and ev["support"]
                and not any(u["kind"] in HARD_KINDS for u in ev["unsupported"]))


def check_lines(source: Source, lines: list[str], model: Checker | None = None) -> dict:
    """The report of a summary: one entry per line, and the whole summary's verdict."""
    model = model or load()
    seen: set = set()
    evs = [line_evidence(source, t, seen) for t in lines]
    X = [line_features(e) for e in evs]
    scores = model.line.predict(X).tolist() if evs else []
    sentences = []
    for e, sc in zip(evs, scores):
        sentences.append({
            "text": e["text"],
            "score": round(float(sc), 4),
            "supported": verdict(sc, e, model),
            "support": [{"start": a, "end": b} for a, b in e["support"]],
            "unsupported": e["unsupported"],
        })
    total = float(model.summary.predict([summary_features(X)])[0]) if X else 0.0
    ok = bool(X) and total >= model.summary.threshold and all(s["supported"] for s in sentences)
    return {"score": round(total, 4), "supported": ok,
            "sentences": sentences}


def source_of(article) -> Source:
    """The checker's index of an Article (its sentences, as input spans)."""
    cached = getattr(article, "_grounding_source", None)
    if cached is None:
        cached = Source(article.source, [(s.start, s.end) for s in article.sentences])
        try:
            article._grounding_source = cached
        except AttributeError:
            pass
    return cached
