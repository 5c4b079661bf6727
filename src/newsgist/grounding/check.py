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

from newsgist.grounding import added, modal, swapped, typed
from newsgist.grounding.added import added_tail, attribution
from newsgist.grounding.align import Source
from newsgist.grounding.claims import (FUNCTION, Line, NEGATIONS, is_content, names, numbers, quotes, stem,
                                       token_spans, tokens)
from newsgist.grounding.context import COPIED
from newsgist.grounding.evidence import EXTRA, SCALES, extra_evidence, number_matches
from newsgist.grounding.mentions import COPIED as MENTIONS_COPIED
from newsgist.grounding.modal import modal_flips
from newsgist.grounding.model import Checker, line_features, load, summary_features
from newsgist.grounding.tight import RARE_IDF, lcs_pairs

KINDS = ("number", "name", "quote", "negation", "relation", "other", "date", "modality", "speaker")
# Kinds that can make a line unsupported whatever its score (:func:`hard_pieces`): a
# number, name or quote the article lacks outright; a negation flipped in a line that
# follows its sentence closely; a modal or hedge changed where the line follows its best
# sentence word for word around it (grounding/modal.py); a speaker ("X said", "according
# to X") none of whose words the article has, one of them rare (an added attribution); one of
# the article's names put where a sentence the line copies has another (grounding/swapped.py,
# with swapped.HARD), or one of another type (grounding/typed.py, with typed.HARD); with
# added.HARD on (off: it costs faithful lines), a clause tacked on at the end whose content
# words the article never uses (``other``: grounding/added.py). All else (relation, date, a looser modality or speaker, a number
# the article gives elsewhere, new words) is weighed by the line model.
HARD_KINDS = frozenset({"number", "name", "quote", "negation", "modality", "speaker", "other"})
# A capitalised word is not taken for a name when its lower-cased stem is this common
# (inverse document frequency below it, i.e. in more than ~1 % of the training articles:
# "Former", "Researchers"), nor when the article has it as an acronym (U.S., "chief
# executive officer"), a known equivalent (EQUIVALENTS) or a word sharing its first
# NAME_PREFIX letters ("Argentine" ~ "Argentina").
COMMON_IDF = 4.6
NAME_PREFIX = 5
EQUIVALENTS = {"us": ("america", "american", "americans", "united"), "uk": ("britain", "british", "kingdom"),
               "un": ("nations",), "eu": ("europe", "european"), "britain": ("uk", "british"),
               "america": ("us", "american"), "nyc": ("york",), "la": ("angeles",)}
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


def _known_name_word(source: Source, t: str, idf: dict, plain=frozenset()) -> bool:
    """Does the article back this word of a capitalised name (see COMMON_IDF)? A word news
    text writes in lower case (``plain``: "Additionally" opening a line) is no name."""
    have = source.words_lower
    if t in have or idf.get(stem(t), 99.0) < COMMON_IDF or t in FUNCTION or t in plain:
        return True
    if any(e in have for e in EQUIVALENTS.get(t, ())) or t in source.acronyms:
        return True
    return len(t) >= NAME_PREFIX + 1 and any(w.startswith(t[:NAME_PREFIX]) for w in have if len(w) > NAME_PREFIX)


def _idf() -> dict:
    return getattr(load().line, "idf", {})


def line_evidence(source: Source, text: str, seen: set | None = None, idf: dict | None = None,
                  fast: bool = True, lex=None) -> dict:
    """Everything the checker knows about one line: overlaps, support, unsupported pieces.

    ``seen``: the trigrams of the summary's earlier lines (updated), for repetitions;
    ``idf``: stem -> inverse document frequency and ``lex``: which words are names (default: the
    shipped model's); ``fast``:
    a whole source sentence copied word for word skips the finer evidence (it scores 1.0
    without the model: :func:`score_line`; training asks for everything)."""
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
    sup_sents = [source.sentences[k] for k in support]
    verbatim = bool(aligned) and any(s.toks == line.toks for s in sup_sents)
    copied = fast and verbatim   # a whole sentence: its window is itself, nothing in it is missing
    window, window_order = (1.0, 1.0) if copied else source.window(line)
    unsupported: list[dict] = []

    hard: list[dict] = []    # pieces the article lacks outright: unsupported whatever the score
    art_numbers = set() if copied else source.numbers
    idf = _idf() if idf is None else idf
    for written, value in ([] if copied else numbers(text)):
        if written.lower() in SCALES:   # "million" alone: the figure is the number before it
            continue
        if not number_matches(value, art_numbers) and round(value, 3) not in art_numbers:
            hard.append({"text": written, "kind": "number"})
    if lex is None:
        lex = getattr(load().line, "lex", None)
    plain = lex.plain if lex is not None else frozenset()
    for name, _, _ in ([] if copied else names(text)):
        if any(not _known_name_word(source, t, idf, plain) for t in tokens(name) if t.isalpha() and len(t) > 1):
            hard.append({"text": name, "kind": "name"})
    for q in quotes(text):
        if " ".join(tokens(q)) not in source.folded:
            hard.append({"text": q, "kind": "quote"})

    # the old evidence of negation (features of the line model)
    neg_line = [t for t in line.toks if t in NEGATIONS]
    sup_toks = [t for s in sup_sents for t in s.toks]
    sup_neg = [t for t in sup_toks if t in NEGATIONS]
    neg_added = len(neg_line) > len(sup_neg) or any(t not in sup_neg for t in neg_line)
    spans = token_spans(text)
    neg_dropped = False
    if aligned and not neg_line and cover1 >= NEG_DROP_COVER:
        best = source.sentences[support[0]]
        for i, t in enumerate(best.toks):
            if t in NEGATIONS and t not in ("without", "nor", "neither"):
                after = next((s for u, s in zip(best.toks[i + 1:], best.stems[i + 1:]) if is_content(u)), None)
                if after in content:
                    neg_dropped = True
                    break

    # soft pieces: reported when the line is not supported (the score decides)
    soft: list[dict] = []
    flips, triples = (source.order_flips(line, support[0]) if aligned and not copied else (0.0, []))
    if triples:
        a, c = min(triples, key=lambda p: p[1] - p[0])
        soft.append({"text": text[spans[a][1]:spans[c][2]], "kind": "relation"})
    if copied:  # what the full evidence of a copied sentence says, without computing it
        extra, pieces = dict.fromkeys(EXTRA, 0.0), []
        extra.update(lcs_best=1.0, span_ratio=1.0, near_cover=1.0, idf_cover1=1.0, idf_cover=1.0,
                     n_content=float(len(set(content))), **COPIED, **MENTIONS_COPIED)
    else:
        extra, pieces = extra_evidence(source, line, support, idf, lex)
    taken = {u["text"] for u in hard}
    for p in pieces:
        end = p.get("end", p["tok"])
        if end >= len(spans) or (p["kind"] == "relation" and triples and not p.get("hard")):
            continue
        piece = {"text": text[spans[p["tok"]][1]:spans[end][2]], "kind": p["kind"]}
        if any(piece["text"] in t for t in taken) or (piece["kind"] == "relation" and any(
                h["kind"] == "relation" and h["text"] in piece["text"] for h in hard)):
            continue
        if p.get("hard"):   # a hard piece the soft ones already hold (an order flip) moves over
            if piece in soft:
                soft.remove(piece)
            hard.append(piece)
            taken.add(piece["text"])
        elif piece not in soft:
            soft.append(piece)
            taken.add(piece["text"])
    if aligned and not copied and modal.HARD:   # the line's certainty against its best sentence's, same clause: hard
        best = source.sentences[support[0]]
        for i in modal_flips(line.toks, best.toks, lcs_pairs(line.stems, best.stems))[:1]:
            if i < len(spans):
                hard.append({"text": text[spans[i][1]:spans[i][2]], "kind": "modality"})
    # one of the article's names where its sentence has another; one of another type (a person
    # for a team) in its slot: the first such name of each check that is on
    for on, names_in in ((swapped.HARD, swapped.swapped_names), (typed.HARD, typed.typed_swaps)):
        for a, b in (names_in(source, line, support, idf, lex)[:1] if aligned and not copied and on else ()):
            piece = {"text": text[spans[a][1]:spans[b][2]], "kind": "name"} if b < len(spans) else None
            if piece and piece not in hard:
                hard.append(piece)
    who = [] if copied else attribution(text, line.toks, spans)   # a speaker the article never names
    if who and all(line.stems[i] not in source.stems for i in who) and any(
            idf.get(line.stems[i], 99.0) >= RARE_IDF for i in who):
        piece = {"text": text[spans[who[0]][1]:spans[who[-1]][2]], "kind": "speaker"}
        if not any(h["kind"] == "name" and (h["text"] in piece["text"] or piece["text"] in h["text"]) for h in hard):
            hard.append(piece)
    tail = None if copied or not aligned or not added.HARD else added_tail(
        text, line.toks, line.stems, spans, source.stems, idf)
    if tail and not any(h["kind"] == "speaker" for h in hard):   # a clause the article never holds
        hard.append({"text": text[spans[tail[0]][1]:spans[tail[1]][2]], "kind": "other"})
    soft = [u for u in soft if not any(h["kind"] == u["kind"] and (u["text"] in h["text"] or h["text"] in u["text"])
                                       for h in hard)]
    unsupported = hard + soft

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
        "verbatim": verbatim,
        "novel": sum(1 for s in content if s not in source.stems),
        "neg_added": neg_added,
        "neg_dropped": neg_dropped,
        "flips": flips,
        "length": len(line.toks),
        "unsupported": unsupported,
        "hard": hard,
        "uncased": source.uncased,   # no capital letter in the article: threshold_of
        **extra,
    }


def score_line(ev: dict, model: Checker | None = None) -> float:
    """The line model's score of one line's evidence; a whole source sentence copied word
    for word is backed by definition (1.0, no model run: extractive highlights stay cheap)."""
    if ev.get("verbatim"):
        return 1.0
    model = model or load()
    return float(model.line.predict([line_features(ev)])[0])


def hard_pieces(ev: dict) -> list[dict]:
    """The pieces that make a line unsupported whatever its score: a number, a name or a
    quote the article lacks outright, a negation added or dropped where the line
    follows its best sentence word for word around it ("will [not] sign"), and a modal or
    hedge changed there ("[may] fail" for "[will] fail": :mod:`newsgist.grounding.modal`), and a
    speaker the article never names ("..., according to [NATO chief Jens Stoltenberg]"); one of
    the article's names put where a sentence the line copies has another ("[Lee] held the lead"
    for "[Horsey] held the lead": :mod:`newsgist.grounding.swapped`); with
    ``added.HARD`` on, a clause at the end made of words the article never uses (``other``)."""
    out = list(ev.get("hard", ()))
    if ev.get("neg_tight", 0.0):
        out += [u for u in ev["unsupported"] if u["kind"] == "negation"][:1]
    return out


def verdict(score: float, ev: dict, model: Checker) -> bool:
    """A line is supported when its score reaches the line threshold (or the line is one
    whole sentence of the source, word for word: backed by definition), something in the
    source backs it, and it has no :func:`hard_pieces`. A verbatim *part* of a sentence
    gets no such pass: cutting a sentence can change what it says."""
    return bool((score >= threshold_of(ev, model) or ev.get("verbatim")) and ev["support"] and not hard_pieces(ev))


def threshold_of(ev: dict, model: Checker) -> float:
    """The line threshold for ``ev``'s article: the model's ``lower_threshold`` when the
    article has no capital letter at all (``uncased``) and the model has one
    (issue 26, session 6: there the scores run higher), else its ``threshold``."""
    lower = getattr(model.line, "lower_threshold", None)
    return lower if lower is not None and ev.get("uncased") else model.line.threshold


def shown_pieces(ev: dict, supported: bool) -> list[dict]:
    """The unsupported pieces a reader is shown: all of them for an unsupported line (what
    is not backed: number, name, quote, date, negation, modality, relation, speaker,
    other); for a supported one only new words (``other``), which a paraphrase may have."""
    if not supported:
        return [dict(u) for u in ev["unsupported"]]
    return [dict(u) for u in ev["unsupported"] if u["kind"] == "other"]


def check_lines(source: Source, lines: list[str], model: Checker | None = None) -> dict:
    """The report of a summary: one entry per line, and the whole summary's verdict."""
    model = model or load()
    seen: set = set()
    evs = [line_evidence(source, t, seen, idf=getattr(model.line, "idf", {}),
                         lex=getattr(model.line, "lex", None)) for t in lines]
    X = [line_features(e) for e in evs]
    scores = [score_line(e, model) for e in evs]
    sentences = []
    for e, sc in zip(evs, scores):
        ok = verdict(sc, e, model)
        sentences.append({
            "text": e["text"],
            "score": round(float(sc), 4),
            "supported": ok,
            "support": [{"start": a, "end": b} for a, b in e["support"]],
            "unsupported": shown_pieces(e, ok),
        })
    total = float(model.summary.predict([summary_features(X, scores)])[0]) if X else 0.0
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
