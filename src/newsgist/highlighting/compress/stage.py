"""Sentence compression: CNN-length highlights by deletion only.

CNN highlights are short (12 words, median, in validation-1000) while extracted
sentences run to ~21. This module shortens each selected sentence by *deleting*
constituents -- nothing is added or reworded -- so every word of a highlight is a
span of the input. Only the selected sentences are parsed (spaCy en_core_web_sm).

**Candidates** (one constituent each, found on the dependency parse) come from
:mod:`newsgist.highlighting.compress.rules`: the editing rules (``RULES``) and, for the learned
model, optional modifiers.

**Choosing**: every safe rule candidate goes. With the learned model
(:data:`MODEL`, the default; ``model=None`` gives the rules alone) modifiers go too
when a logistic regression over :func:`features` expects a CNN editor to drop them:
its score estimates the share of the constituent's content words a highlight keeps,
and those under ``THRESHOLD`` go, most droppable first. It was fit on word-level
keep labels from aligning validation-1000 highlights with the selected sentences
(``benchmarks/bench_compress.py --fit``). With ``target_words`` modifiers scored up
to ``MAX_THRESHOLD`` may also go while the highlight is longer than the target.

**Safety** (:func:`newsgist.grounding.faithfulness.deletion_problems`): a deletion is refused
if it would cut into a quotation, a bracket pair or a named entity, drop a negation
whose word stays, drop a number whose word stays, leave no subject with a finite
verb, or leave fewer than ``MIN_KEPT_WORDS`` words or ``MIN_KEPT_SHARE`` of the
sentence; candidates never split a word ("career-high"). The result then goes through
:func:`newsgist.grounding.faithfulness.check`; a highlight that fails any check falls back to
the full sentence (``compressed`` false), so nothing unchecked is shown.

**Clean-up** after deletion removes punctuation *tokens* only: a comma that set off
a deleted aside (unless it also closes a kept one: "Naib, 13, has"), a leading
punctuation mark or "and"/"but", and a , ; : or dash left before another one,
before the closing mark, or at the end.

**Text** of a highlight from its ``spans`` (the kept pieces of the input, in order),
by :func:`render_spans` -- these fixes and no others:

1. whitespace inside a piece collapses to one space; pieces are joined by one space;
2. no space before a piece that starts with , . ; : ! ? % ) ] ” ’ or 's / n't;
3. a trailing , ; : or dash is removed;
4. a final period is added when the text does not end in . ! ? (or one of them
   followed by closing quotes/brackets);
5. the first letter is capitalised when the first word has no capital letter.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from newsgist.registry import STAGES

# the model and the candidates are part of this module's API (compress.MODEL, compress.candidates)
from newsgist.highlighting.compress.model import MODEL, article_context, features, predict, with_others  # noqa: F401
from newsgist.highlighting.compress.rules import RULES, candidates
from newsgist.highlighting.compress.syntax import (CLAUSE_PUNCT, DASHES, FINAL_PUNCT, FINITE_TAGS, LEADING_CONJUNCTIONS,
                                                   SPEECH_VERBS, SUBJECT_DEPS, Candidate, _frames, _is_quote, _is_word,
                                                   _spaced_dash, candidate_head)
from newsgist.grounding.faithfulness import render_spans, spans_of  # noqa: F401  (part of this module's API)

# A compression must keep at least this many words and this share of the sentence's
# words: "That's when." is not a highlight of a 28-word sentence.
MIN_KEPT_WORDS = 6
MIN_KEPT_SHARE = 0.35
RELATIVE_PRONOUNS = frozenset({"who", "whom", "whose", "which"})
# A selected sentence with no subject and finite verb (a headline-like fragment:
# "Tsarnaev's trial: What's next?") is swapped for the next-best sentence that has
# one, in at most this many rounds of re-selection; each round parses only the new
# sentences. On validation-1000 (3,000 highlights) 1 round leaves 25 fragments, 2 leave 7,
# 3 leave 1 and 10 leave 0: three is where more rounds stop paying for their parses.
MAX_FRAGMENT_ROUNDS = 3

# Dependents that go on with the phrase before them: a comma between a word and one of
# these (after a cut) is an orphan ("founded[ March 9, 1856], at the University").
CONTINUING_DEPS = frozenset({"prep", "acomp", "attr", "dobj", "oprd", "xcomp", "agent", "dative"})
PREMODIFIER_DEPS = frozenset({"det", "amod", "compound", "nummod", "poss", "predet", "quantmod", "nmod"})


@dataclass
class Compression:
    text: str
    spans: list                      # [(start, end)] into the input, in order
    start: int                       # the whole source sentence
    end: int
    compressed: bool = False
    rules: list = field(default_factory=list)    # kinds of the deletions applied
    refused: list = field(default_factory=list)  # (kind, reason) of refused ones; ("all", ...) = fallback
    report: dict | None = None       # the faithfulness report (newsgist.grounding.faithfulness.check)


# ------------------------------------------------------------------ applying

def cleanup(doc, kept: set) -> set:
    """Drop punctuation (and a leading conjunction) that deletions left dangling."""
    kept = set(kept)
    order = sorted(kept)
    for x, y in zip(order, order[1:]):  # "picture[: In politics ...], authenticity": the colon stays
        if doc[x].text in (":", ";") and doc[y].text == "," and y != x + 1:
            kept.discard(y)
    changed = True
    while changed:
        changed = False
        order = sorted(kept)
        if not order:
            break
        first = doc[order[0]]
        if first.text in CLAUSE_PUNCT or (first.text.lower() in LEADING_CONJUNCTIONS and len(order) > 1):
            kept.discard(first.i)
            changed = True
            continue
        for k, x in enumerate(order):
            tx, y = doc[x].text, (order[k + 1] if k + 1 < len(order) else None)
            nxt, prev = (doc[y].text if y is not None else None), order[max(0, k - 2):k]
            if tx == "." and y is None and prev and doc[prev[-1]].text.endswith(".") \
                    and doc[prev[-1]].text != ".":  # "Taubman Centers Inc.." -> "Inc."
                kept.discard(x)
                changed = True
                break
            if tx not in CLAUSE_PUNCT or (tx in DASHES and not _spaced_dash(doc, doc[x])):
                continue
            after_comma_quote = tx == "," and len(prev) == 2 and doc[prev[0]].text == "," \
                and _is_quote(doc[prev[1]])  # '"Returns,", is' -> '"Returns," is'
            after_conjunction = tx == "," and prev and doc[prev[-1]].text.lower() in LEADING_CONJUNCTIONS
            if nxt is None or nxt in CLAUSE_PUNCT or nxt in FINAL_PUNCT or nxt in (")", "]") \
                    or after_comma_quote or after_conjunction:  # "but, director" -> "but director"
                kept.discard(x)
                changed = True
                break
    return kept


def _kept(doc, applied: list[Candidate], cands: list[Candidate]) -> set:
    """Tokens left after the ``applied`` deletions, with their commas and clean-up.

    A delimiting comma of a deleted aside goes unless it also delimits an aside
    that stays: "Naib, 13, who lives in Newtown, has" minus the relative clause is
    "Naib, 13, has" (the comma after 13 closes the kept appositive).
    """
    gone = set().union(*(c.tokens for c in applied)) if applied else set()
    # a candidate whose words are all gone keeps no commas ("Pratchett, [who wrote ...], had")
    cands = [c for c in cands if c in applied or not (w := _words_of(doc, c)) or not w <= gone]
    frames = _frames(doc)
    stay = {i for c in cands + frames if c not in applied and not c.tokens <= gone for i in c.commas}
    commas = {i for c in applied for i in c.commas} - stay
    kept = cleanup(doc, set(range(len(doc))) - gone - commas)
    for c in applied:
        if len(c.commas) == 2 and _closing_comma_needed(doc, c, kept):
            kept.add(max(c.commas))  # "hindered the search, [which lasted ...,] Cayman 27 reported"
    for k, i in enumerate(order := sorted(kept)):
        if doc[i].text == "," and k and order[k - 1] != i - 1 and (
                doc[order[k - 1]].dep_ == "mark" or doc[order[k - 1]].text.lower() in ("that", "and", "but")):
            kept.discard(i)  # "said that, [on Monday,] the" -> "said that the"
    return kept - _orphan_commas(doc, kept)


def _orphan_commas(doc, kept: set) -> set:
    """Commas of a cut phrase that now split a phrase from its own dependent.

    "made an emergency landing [in Buffalo, New York], on Wednesday": the comma after
    "York" belonged to the deleted place; the next kept word ("on") goes on with the
    phrase before the cut, so the comma goes too; so does an opening comma whose
    closing one went with the aside ("has been, [some say,] a battle"). It stays where
    the next word starts something new ("to Varanasi, railway spokesman Neeraj Sharma
    said"), after a speech verb, and before "according to". Found on validation-1000
    output: "was founded, at the University", "has been, a battle".
    """
    out = set()
    order = sorted(kept)
    for k, i in enumerate(order):
        if doc[i].text != "," or k == 0 or k + 1 == len(order) \
                or (order[k - 1] == i - 1 and order[k + 1] == i + 1):
            continue  # only a comma next to a cut
        prv, nxt = doc[order[k - 1]], doc[order[k + 1]]
        if prv.is_punct or nxt.is_punct or prv.lower_ in SPEECH_VERBS:
            continue  # "the UK said[ Thursday], as part of": the attribution's comma stays
        while nxt.dep_ in PREMODIFIER_DEPS and nxt.i < nxt.head.i and nxt.head.i in kept:
            nxt = nxt.head  # "a battle": the phrase's head
        line = [prv]  # prv and its ancestors up to the verb of its clause
        while line[-1].pos_ not in ("VERB", "AUX") and line[-1].head.i != line[-1].i:
            line.append(line[-1].head)
        head = nxt.head
        if head not in line or nxt.dep_ not in CONTINUING_DEPS or nxt.lower_ == "according":
            continue
        if nxt.dep_ != "prep" and any(c.dep_ == nxt.dep_ and c.i < i and c.i in kept for c in head.children):
            continue  # a second object is an appositive or a list: "chief in Sanford, another community"
        out.add(i)
    return out


def _closing_comma_needed(doc, c: Candidate, kept: set) -> bool:
    """Does the comma closing deleted aside ``c`` also end the phrase before it?

    It does when the next kept word starts something new ("the search, Cayman 27
    reported"), not when it goes on with the phrase the aside hung from, nor when it
    is the finite verb of a subject the aside described ("Naib, 13, has").
    """
    a, b = sorted(c.commas)
    if a in kept or b in kept:
        return False
    root = candidate_head(doc, c)
    if root is None:
        return False
    anchor = root.head
    if anchor.dep_ in SUBJECT_DEPS and anchor.head.i > b:
        return False  # the aside hung from a subject whose verb follows: "Kirkman[, who ...,] co-wrote"
    nxt = next((i for i in range(b + 1, len(doc)) if i in kept), None)
    prv = next((i for i in range(a - 1, -1, -1) if i in kept), None)
    if nxt is None or prv is None or doc[nxt].is_punct or doc[prv].is_punct:
        return False
    line = {x.i for x in anchor.ancestors} | {anchor.i}
    n = doc[nxt]
    if nxt in line or (n.head.i in line and n.dep_ in ("prep", "cc", "conj", "punct", "aux", "auxpass", "neg", "advmod")):
        return False
    return not ((n.dep_ == "prep" and n.head.i == anchor.i) or n.tag_ in FINITE_TAGS)


def _words_of(doc, c: Candidate) -> set:
    return {i for i in c.tokens if not (doc[i].is_punct or doc[i].is_space)}


def _dangling_relative(doc, kept: set) -> list[str]:
    """A relative pronoun right after a cut, before any verb ("... Thursday a third of
    whom have ..."): the clause has lost the noun it describes (the parse may not say so)."""
    order = sorted(kept)
    for k in range(1, len(order)):
        if order[k] == order[k - 1] + 1:
            continue
        for i in order[k:]:
            t = doc[i]
            if t.pos_ in ("VERB", "AUX") or t.text in CLAUSE_PUNCT or t.text in FINAL_PUNCT:
                break
            if t.text.lower() in RELATIVE_PRONOUNS:
                return ["relative clause cut from its noun"]
    return []


def n_words(text: str) -> int:
    return len(text.split())


# ------------------------------------------------------------------ compressing

def compress_doc(doc, offset: int = 0, source: str | None = None, *, rules=RULES, model=None,
                 target_words: int | None = None, context: dict | None = None) -> Compression:
    """Compress one parsed sentence (``doc`` of ``source[offset:offset+len(doc.text)]``).

    Every safe rule candidate goes; with a ``model``, so do the modifiers it scores
    below ``model["threshold"]`` (lowest first). ``target_words`` lets more go while
    the highlight is longer: modifiers scored below ``model["max_threshold"]``, or,
    without a model, modifiers longest first. ``context`` is :func:`article_context`
    (plus :func:`with_others`). Returns the full sentence when nothing safe was cut.
    """
    from newsgist.grounding.faithfulness import check, deletion_problems

    if source is None:
        source, offset = doc.text, 0
    if model is None:
        cands = candidates(doc, rules)
        ordered = [(c, True) for c in cands]
        if target_words:
            extra = sorted(candidates(doc, ("modifier",)), key=lambda c: -len(c.tokens))
            cands += extra
            ordered += [(c, False) for c in extra]
    else:
        cands = candidates(doc, tuple(rules) + ("modifier",))
        if context is not None:
            context = dict(context, position=offset / max(1, context.get("chars", 1)))
        scored = sorted(((predict(model, features(doc, c, context)), k) for k, c in enumerate(cands)))
        limit = model["max_threshold"] if target_words else model["threshold"]
        ordered = [(cands[k], p < model["threshold"] or cands[k].rule != "modifier") for p, k in scored
                   if p < limit or cands[k].rule != "modifier"]
    full = set(range(len(doc)))
    kept = set(full)
    n_all = sum(1 for t in doc if _is_word(t))
    applied: list[Candidate] = []
    refused = []
    for c, must in ordered:
        if not must and n_words(render_spans(source, spans_of(doc, kept, offset))) <= target_words:
            continue
        if not (c.tokens & kept):
            continue
        trial = _kept(doc, applied + [c], cands)
        problems = deletion_problems(doc, trial) + _dangling_relative(doc, trial)
        n_kept = sum(1 for i in trial if _is_word(doc[i]))
        if n_kept < max(MIN_KEPT_WORDS, MIN_KEPT_SHARE * n_all):
            problems = problems + ["too short"]
        if problems:
            refused.append((c.kind, problems[0]))
            continue
        kept = trial
        applied.append(c)
    s_end = offset + len(doc.text)
    full_spans = spans_of(doc, full, offset)
    full_text = render_spans(source, full_spans)
    fallback = Compression(full_text, full_spans, offset, s_end, False, [], refused, None)
    if kept == full or not applied:
        fallback.report = check(source, full_text, full_spans, [(offset, s_end)], doc)
        return fallback
    spans = spans_of(doc, kept, offset)
    text = render_spans(source, spans)
    report = check(source, text, spans, [(offset, s_end)], doc)
    if not report["passed"]:
        fallback.refused.append(("all", "checks: " + ", ".join(report["problems"])))
        fallback.report = check(source, full_text, full_spans, [(offset, s_end)], doc)
        return fallback
    return Compression(text, spans, offset, s_end, True, [c.kind for c in applied], refused, report)


def compress_sentences(source: str, ranges, nlp=None, *, rules=RULES, model=None, target_words=None,
                       context: dict | None = None, docs=None) -> list[Compression]:
    """Compress ``source[a:b]`` for each (a, b) in ``ranges``; parses only those
    (``docs``: their parses, when the caller has them already)."""
    ranges = list(ranges)
    if docs is None:
        if nlp is None:
            from newsgist.card.nlp import load_nlp
            nlp = load_nlp()
        docs = nlp.pipe([source[a:b] for a, b in ranges])
    out = []
    for k, (d, (a, b)) in enumerate(zip(docs, ranges)):
        ctx = None if context is None else with_others(context, source, ranges, k)
        out.append(compress_doc(d, a, source, rules=rules, model=model, target_words=target_words, context=ctx))
    return out


# ------------------------------------------------------------------ pipeline stage

def replace_fragments(article, options, nlp) -> tuple[dict, int]:
    """Swap selected fragments for the next-best sentences with a subject and finite verb.

    Re-runs :func:`newsgist.highlighting.select.select` with the fragments' scores set lowest, so
    redundancy control and the count stay as they were; a fragment stays when no
    other sentence qualifies. Returns ({sentence index: parse}, number swapped).
    """
    from newsgist.grounding.faithfulness import has_subject_and_finite_verb
    from newsgist.highlighting.select import select

    docs: dict = {}
    scores = list(article.scores or [])
    can_swap = len(scores) == len(article.sentences) and all(h.sentence >= 0 for h in article.highlights)
    excluded: set = set()
    swapped = 0
    for round_ in range(MAX_FRAGMENT_ROUNDS + 1):
        new = [h for h in article.highlights if h.sentence not in docs]
        for h, d in zip(new, nlp.pipe([article.source[h.start:h.end] for h in new])):
            docs[h.sentence] = d
        bad = {h.sentence for h in article.highlights if not has_subject_and_finite_verb(docs[h.sentence])}
        if not bad or not can_swap or round_ == MAX_FRAGMENT_ROUNDS:
            break
        excluded |= bad
        low = min(scores) - 1.0
        # the rest of a set the learned ranker chose as a whole stays preferred
        keep = [i for i in article.meta.get("auto_set") or () if i not in excluded]
        trial = select(article, [low if i in excluded else x for i, x in enumerate(scores)],
                       len(article.highlights), options.max_words, prefer=keep)
        before = {h.sentence for h in article.highlights}
        if {h.sentence for h in trial} == before:
            break
        swapped += len(before - {h.sentence for h in trial})
        for h in trial:
            h.score = float(scores[h.sentence])
        article.highlights = trial
    return docs, swapped


@STAGES.register("compress", order=60, description="shorten highlights by deletion (with --compress)")
def stage_compress(article, options, model: dict | None | str = "default"):
    """Pipeline stage after "select": compress each highlight, attach spans and checks.

    Sets on each :class:`~newsgist.types.Highlight`: ``text`` (compressed or the
    full sentence), ``spans`` ([(start, end)] kept pieces), ``compressed`` and
    ``faithfulness`` ({"support", "checks", "passed", "problems", "subject_verb"});
    ``start``/``end`` stay the whole source sentence. ``meta["compression"]`` counts
    the highlights that passed each check. Off when ``options.compress`` is false.
    First, selected fragments are swapped for full clauses (:func:`replace_fragments`).
    ``model``: "default" (:data:`MODEL`), a model dict, or None for the rules alone.
    """
    from newsgist.grounding.faithfulness import summarise
    from newsgist.options import english_applies

    # compression parses English (reading/language.py): other languages keep whole sentences
    if not getattr(options, "compress", True) or not article.highlights or not english_applies(article.meta):
        return article
    from newsgist.card.nlp import load_nlp

    model = MODEL if model == "default" else model
    docs, swapped = replace_fragments(article, options, load_nlp())
    results = compress_sentences(article.source, [(h.start, h.end) for h in article.highlights],
                                 model=model, target_words=getattr(options, "target_words", None),
                                 context=article_context(article.source) if model else None,
                                 docs=[docs[h.sentence] for h in article.highlights])
    for h, c in zip(article.highlights, results):
        h.text = c.text
        h.spans = [tuple(s) for s in c.spans]
        h.compressed = c.compressed
        h.faithfulness = c.report
        h.deleted = list(c.rules) if c.compressed else []
    meta = summarise([c.report for c in results], [c.compressed for c in results])
    meta["method"] = "learned" if model else "rules"
    meta["fragments_replaced"] = swapped
    article.meta["compression"] = meta
    return article

