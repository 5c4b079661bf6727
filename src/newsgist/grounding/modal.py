"""A line's certainty against its sentence's, in the same clause (issue 26, session 5c).

The line model sees modality as counts (``modal_added``, ``modal_tight``: evidence.py) and
weighs them low, because true summary lines change modal words often when they retell a
sentence loosely. :func:`modal_flips` finds the plain case only: the line follows its
sentence word for word on both sides (:data:`CONTEXT` aligned tokens before and after, no
gap), and between them the two differ only in modal, hedge and auxiliary words, with another
certainty: "united [will] fail to qualify" for "united [may] fail to qualify"; "three
models [could be] shot dead" for "three models [were] shot dead"; "is [likely] to" made "is
[certain] to". Such a piece is hard (:data:`HARD`): the line is unsupported whatever its score
(check.hard_pieces). An attribution adverb ("apparently", "reportedly") and "can" are read
but not compared (:data:`COMPARED`): GPT-4 drops and adds them in faithful lines.
"""
from __future__ import annotations

# The certainty a word gives its clause; words of one class stand for each other ("may" /
# "might" / "could": a possibility however worded).
CLASS = {**dict.fromkeys(("may", "might", "could", "possibly", "perhaps", "maybe", "likely", "probably",
                          "unlikely", "expected", "plans", "plan", "planned", "planning"), "possible"),
         **dict.fromkeys(("reportedly", "allegedly", "apparently", "believed", "suspected", "thought"),
                         "reported"),
         **dict.fromkeys(("will", "shall", "ll", "wo", "would"), "future"),
         "should": "should", "must": "must", "can": "can", "ca": "can"}
# Words that may stand in the slot beside a modal without making the difference something
# else than certainty: auxiliaries, the copula, and plain assertions of certainty.
FILLER = frozenset("is are was were be been being am s has have had do does did certain definitely "
                   "surely".split())
# Aligned tokens, word for word and without gaps, that the line must share with the sentence
# right before and right after the slot (the same clause, not a fused line's other half).
# CONTEXT, WINDOW, NEAR_ALIGNED and SLOT were written with the rule on sumllm-train 200-399
# (round 1, BENCHMARKS.md issue 26 session 5c) and kept by rounds 2-3's registered rule on
# 400-999; not searched over.
CONTEXT = 1
# Of the WINDOW line tokens right before the slot and WINDOW right after, at least
# NEAR_ALIGNED must be aligned to the sentence.
WINDOW = 4
NEAR_ALIGNED = 6
# The most tokens the slot may hold on each side.
SLOT = 3
# Hedges a line may ADD to a sentence that states a thing plainly ("Putin is [reportedly]
# ready"): an attribution a careful summary adds, not a changed claim (moot while "reported"
# is not in COMPARED).
ADDABLE = frozenset({"reported"})


# The classes a slot is compared on. "future" ("will" / "would" against a plain verb) is tense,
# not certainty ("tests will be carried out" / "are being carried out", a reported "would" for
# "will"), so it is never compared. "reported" (an attribution adverb GPT-4 drops or adds
# freely: "apparently talking") and "can" (ability: "grows" / "can grow") are not. Chosen by
# the registered rule of BENCHMARKS.md (issue 26, session 5c, round 3): with all five classes
# the rule rejected 6 of 1,802 GPT-4 and 8 of 1,799 gpt3 sentences of sumllm-train 400-999
# that the checker accepts; with these three, 3 and 5 (all rules together), and it catches
# as many corrupt.py modality flips on 200-399 (0.07 -> 0.37 lower-cased, 0.17 -> 0.42 cased).
COMPARED = frozenset({"possible", "should", "must"})
# Whether a flip is a hard piece of check.line_evidence (see BENCHMARKS.md, issue 26 session 5c).
HARD = True


def _classes(words) -> set:
    return {CLASS[w] for w in words if w in CLASS} & COMPARED


def modal_flips(toks: list[str], sent: list[str], pairs: list[tuple[int, int]]) -> list[int]:
    """Line token indices (the first word of each slot) where the line's certainty differs
    from the sentence's in a slot that both hold word for word around it.

    ``toks`` / ``sent``: lower-cased tokens of the line and the sentence; ``pairs``: their
    aligned index pairs (tight.lcs_pairs of their stems)."""
    out = []
    line_al = {i for i, _ in pairs}
    for p in range(CONTEXT - 1, len(pairs) - CONTEXT):
        (i1, j1), (i2, j2) = pairs[p], pairs[p + 1]
        if (i2 - i1 == 1 and j2 - j1 == 1) or i2 - i1 - 1 > SLOT or j2 - j1 - 1 > SLOT:
            continue
        before = pairs[p - CONTEXT + 1:p + 1]
        after = pairs[p + 1:p + 1 + CONTEXT]
        if any(b[0] - a[0] != 1 or b[1] - a[1] != 1 for a, b in zip(before, before[1:])) or any(
                b[0] - a[0] != 1 or b[1] - a[1] != 1 for a, b in zip(after, after[1:])):
            continue
        near = [i for i in range(i1 - WINDOW + 1, i1 + 1)] + [i for i in range(i2, i2 + WINDOW)]
        if sum(i in line_al for i in near) < NEAR_ALIGNED:
            continue
        lw, sw = toks[i1 + 1:i2], sent[j1 + 1:j2]
        if not all(w in CLASS or w in FILLER for w in lw + sw):
            continue
        lc, sc = _classes(lw), _classes(sw)
        if lc == sc or (not sc and lc <= ADDABLE):
            continue
        # an empty slot whose side said it before ("could win and [could] hold" written
        # "could win and hold"): the modal's scope carries over the coordination
        if (not lw and sc <= _classes(toks[:i1 + 1])) or (not sw and lc <= _classes(sent[:j1 + 1])):
            continue
        out.append(i1 + 1 if lw else i2)
    return out
