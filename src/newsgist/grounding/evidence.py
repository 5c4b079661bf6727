"""The checker's finer evidence (issue 26): what a paraphrase keeps and a wrong line changes.

:func:`extra_evidence` compares one line with the sentences that back it, case-free (both
sides lower-cased, so the lower-cased, tokenised training text of cnndm-train and a
card's cased highlight read the same), and returns the features of :data:`EXTRA` plus
the *soft* unsupported pieces it found (kinds ``number``, ``date``, ``negation``,
``modality``, ``relation``, ``speaker``):

* the line is aligned word for word to its best sentence (longest common subsequence of
  stems); between two aligned words, a gap where the line and the sentence both hold
  content words is a *substitution*: its line words may be found elsewhere in the
  article (an entity swapped for another of the same article), in the sentence at
  another place (two arguments swapped: who did what to whom), or nowhere;
* numbers are matched with rounding tolerance ("nearly 300" for 297: within
  :data:`ROUND_TOLERANCE`, when the line's number is the rounder one), against the best
  sentence, the support's neighbourhood (:data:`NEAR` sentences either side) and the
  whole article; month and weekday names likewise (exactly);
* negations and modal/hedge words of the line are compared with the aligned stretch of
  the best sentence ("will not sign" -> "will sign"; "may" -> "will");
* a line that attributes ("X said", "according to X") must find X near its support;
* new words weigh by how rare they are (inverse document frequency from the training
  articles, shipped with the model): "nato" is a fact, "group" a paraphrase.
"""
from __future__ import annotations

import math

from newsgist.grounding.claims import NEGATIONS, is_content
from newsgist.grounding.context import CONTEXT, COPIED, context_evidence
from newsgist.grounding.numeric import (ROUND_TOLERANCE, SCALES, _number_value, number_matches,  # noqa: F401
                                        number_tokens, values)
from newsgist.grounding.mentions import MENTIONS, mention_evidence
from newsgist.grounding.slots import SLOTS, name_runs, slot_evidence
from newsgist.grounding.tight import RARE_IDF, lcs_pairs, tight_evidence, tight_flips

# Sentences either side of a support sentence that count as its neighbourhood (where a
# resolved pronoun's name or a quote's speaker usually is).
NEAR = 2
MODALS = frozenset("may might could would should must can will shall possibly probably likely unlikely "
                   "reportedly allegedly apparently expected plan plans planned planning hope hopes "
                   "believed suspected suspect perhaps maybe".split())
SAY = frozenset("say says said tell tells told according claim claims claimed added adds insisted warned "
                "announced stated admitted denied explained confirmed revealed".split())
MONTHS = frozenset("january february march april may june july august september october november december "
                   "monday tuesday wednesday thursday friday saturday sunday".split()) - {"may", "march"}
# The IDF of a stem the model's table does not hold (rarer than any it holds).
UNSEEN_IDF = 9.0

EXTRA = ("lcs_best", "span_ratio", "sub_total", "sub_elsewhere", "sub_insent", "sub_num", "gap_novel",
         "num_line", "num_not_article", "num_not_near", "num_not_best", "date_not_near", "date_not_article",
         "neg_line", "neg_span", "neg_diff", "modal_added", "modal_dropped", "say_line", "speaker_missing",
         "speaker_far", "novel_idf_sum", "novel_idf_max", "elsewhere_idf_sum", "near_cover", "idf_cover1",
         "idf_cover", "n_content", "moved", "moved_idf", "neg_tight", "modal_tight", "swap_num", "swap_rare",
         "role_swap", "sub_rare") + CONTEXT + SLOTS + MENTIONS  # CONTEXT: names and numbers beside their words
# (context.py); SLOTS: what the article puts right beside them (slots.py); MENTIONS: where the article
# mentions them, against where it backs the rest of the line (mentions.py)
# Sentence words this far before the first / after the last aligned word still face the
# line's words there (a subject or an object substituted at the edge of the line).
EDGE = 4


def _speaker(toks: list[str]) -> list[int]:
    """Token indices of the line's speaker: the content words right before "said/says"
    (after a comma-less clause) or right after "said"/"according to"."""
    for i, t in enumerate(toks):
        if t not in SAY:
            continue
        if t == "according" and i + 1 < len(toks) and toks[i + 1] == "to":
            j, out = i + 2, []
            while j < len(toks) and len(out) < 3 and is_content(toks[j]):
                out.append(j)
                j += 1
            if out:
                return out
        before = []
        j = i - 1
        while j >= 0 and len(before) < 3 and is_content(toks[j]):
            before.insert(0, j)
            j -= 1
        if before:
            return before
        after = []
        j = i + 1
        while j < len(toks) and len(after) < 3 and is_content(toks[j]):
            after.append(j)
            j += 1
        if after:
            return after
    return []


def extra_evidence(source, line, support: list[int], idf: dict | None = None,
                   lex=None) -> tuple[dict, list[dict]]:
    """(features of :data:`EXTRA`, soft pieces ``{"tok": index, "kind"}``) of one line.

    ``source``: a :class:`~newsgist.grounding.align.Source`; ``line``: a
    :class:`~newsgist.grounding.claims.Line`; ``support``: its aligned sentence indices,
    best first; ``idf``: stem -> inverse document frequency; ``lex``: which words are
    names (:class:`~newsgist.grounding.context.Lexicon`)."""
    idf = idf or {}
    toks, stems = line.toks, line.stems
    content_idx = [i for i, t in enumerate(toks) if is_content(t)]
    cstems = {stems[i] for i in content_idx}
    f = dict.fromkeys(EXTRA, 0.0)
    f["n_content"] = float(len(cstems))
    f.update({k: v for k, v in COPIED.items()})
    nums = [(a, b + 1) for a, b, _ in number_tokens(toks)]   # read by the mentions and the slots
    runs = name_runs(source, toks, stems, idf, lex, nums)
    mention_evidence(source, line, runs, idf, lex, f)
    pieces: list[dict] = []
    sents = source.sentences
    if not support:
        f["novel_idf_sum"] = math.fsum(idf.get(s, UNSEEN_IDF) for s in cstems if s not in source.stems)
        f["novel_idf_max"] = max((idf.get(s, UNSEEN_IDF) for s in cstems if s not in source.stems), default=0.0)
        f["num_line"] = float(len(values(toks)))
        f["num_not_article"] = f["num_not_near"] = f["num_not_best"] = f["num_line"]
        return f, pieces
    best = sents[support[0]]
    near_idx = sorted({j for k in support for j in range(max(0, k - NEAR), min(len(sents), k + NEAR + 1))})
    near_stems = {s for j in near_idx for s in sents[j].stems}
    near_toks = [t for j in near_idx for t in sents[j].toks]
    sup_stems = {s for k in support for s in sents[k].stems}

    # word alignment to the best sentence
    pairs = lcs_pairs(stems, best.stems)
    f["lcs_best"] = len(pairs) / len(toks) if toks else 1.0
    if pairs:
        lo, hi = pairs[0][1], pairs[-1][1]
        f["span_ratio"] = (hi - lo + 1) / max(len(toks), 1)
        span = best.toks[lo:hi + 1]
    else:
        lo, hi, span = 0, -1, []
    best_pos: dict[str, list[int]] = {}
    for j, s in enumerate(best.stems):
        best_pos.setdefault(s, []).append(j)
    bounds = [(-1, max(lo - EDGE, 0) - 1)] + pairs + [(len(toks), min(hi + EDGE, len(best.toks) - 1) + 1)] \
        if pairs else []
    aligned_line = {i for i, _ in pairs}
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        lgap = [i for i in range(i0 + 1, i1) if is_content(toks[i])]
        sgap = [j for j in range(j0 + 1, j1) if is_content(best.toks[j])]
        if not lgap:
            continue
        novel = [i for i in lgap if stems[i] not in source.stems]
        f["gap_novel"] += len(novel)
        if not sgap:
            continue
        f["sub_total"] += 1
        for i in lgap:
            s = stems[i]
            if s in best_pos and any(j < j0 or j > j1 for j in best_pos[s]):
                f["sub_insent"] += 1
                pieces.append({"tok": i, "kind": "relation"})
            elif s in source.stems and s not in best.stems:
                f["sub_elsewhere"] += 1
                f["sub_rare"] += idf.get(s, UNSEEN_IDF) >= RARE_IDF
        if any(_number_value(toks[i]) is not None for i in lgap) and any(
                _number_value(best.toks[j]) is not None for j in sgap):
            f["sub_num"] += 1
    for i in content_idx:  # the line's words the best sentence has, but elsewhere than aligned
        if i not in aligned_line and stems[i] in best_pos:
            f["moved"] += 1
            f["moved_idf"] += idf.get(stems[i], UNSEEN_IDF)

    tight_evidence(source, line, support, idf, f, pieces)
    context_evidence(source, line, support, idf, lex, f, best, (lo, hi))
    for a, b in slot_evidence(source, line, idf, lex, f, support, nums, runs):  # two names the other way round: hard
        pieces.append({"tok": a, "end": b, "kind": "relation", "hard": True})

    # numbers and dates
    all_toks = [t for s in sents for t in s.toks]
    art_vals, near_vals, best_vals = values(all_toks), values(near_toks), values(best.toks)
    for i, _, v in number_tokens(toks):
        f["num_line"] += 1
        if not number_matches(v, best_vals):
            f["num_not_best"] += 1
        if not number_matches(v, near_vals):
            f["num_not_near"] += 1
            if number_matches(v, art_vals):
                pieces.append({"tok": i, "kind": "number"})
        if not number_matches(v, art_vals):
            f["num_not_article"] += 1
    for i, t in enumerate(toks):
        if t in MONTHS and t not in near_toks:
            f["date_not_near"] += 1
            f["date_not_article"] += t not in source.stems
            pieces.append({"tok": i, "kind": "date"})

    # negation and modality against the aligned stretch of the best sentence
    neg_l = [i for i, t in enumerate(toks) if t in NEGATIONS]
    neg_s = [t for t in span if t in NEGATIONS]
    f["neg_line"], f["neg_span"] = float(len(neg_l)), float(len(neg_s))
    f["neg_diff"] = float(len(neg_l) - len(neg_s))
    tight = tight_flips(toks, best.toks, pairs, NEGATIONS)
    f["neg_tight"] = float(len(tight))
    if tight:
        pieces.append({"tok": tight[0], "kind": "negation"})
    elif len(neg_l) > len(neg_s):
        pieces.append({"tok": next((i for i in neg_l if toks[i] not in neg_s), neg_l[-1]), "kind": "negation"})
    mod_l = {t for t in toks if t in MODALS}
    mod_s = {t for t in span if t in MODALS}
    added = [i for i, t in enumerate(toks) if t in MODALS and t not in mod_s]
    f["modal_added"] = float(len({toks[i] for i in added}))
    f["modal_dropped"] = float(len(mod_s - mod_l))
    mtight = tight_flips(toks, best.toks, pairs, MODALS, swap=True)
    f["modal_tight"] = float(len(mtight))
    if mtight:
        pieces.append({"tok": mtight[0], "kind": "modality"})
    elif added:
        pieces.append({"tok": added[0], "kind": "modality"})

    # who said it
    if any(t in SAY for t in toks):
        f["say_line"] = 1.0
        for i in _speaker(toks):
            if stems[i] not in near_stems:
                f["speaker_missing"] += 1
                if stems[i] in source.stems:
                    f["speaker_far"] += 1
                pieces.append({"tok": i, "kind": "speaker"})

    # how rare the words are that the article lacks, or holds only far from the support
    novel = [idf.get(s, UNSEEN_IDF) for s in cstems if s not in source.stems]
    f["novel_idf_sum"] = math.fsum(novel)
    f["novel_idf_max"] = max(novel, default=0.0)
    f["elsewhere_idf_sum"] = math.fsum(idf.get(s, UNSEEN_IDF) for s in cstems if s in source.stems and s not in near_stems)
    f["near_cover"] = sum(1 for s in cstems if s in near_stems) / len(cstems) if cstems else 1.0
    total = math.fsum(idf.get(s, UNSEEN_IDF) for s in cstems)
    if total:
        f["idf_cover1"] = math.fsum(idf.get(s, UNSEEN_IDF) for s in cstems if s in best.stems) / total
        f["idf_cover"] = math.fsum(idf.get(s, UNSEEN_IDF) for s in cstems if s in sup_stems) / total
    else:
        f["idf_cover1"] = f["idf_cover"] = 1.0
    return f, pieces


def idf_table(doc_freq: dict, n_docs: int, min_df: int) -> dict:
    """stem -> log(n_docs / df), two decimals, for stems in at least ``min_df`` documents."""
    return {s: round(math.log(n_docs / df), 2) for s, df in sorted(doc_freq.items()) if df >= min_df}
