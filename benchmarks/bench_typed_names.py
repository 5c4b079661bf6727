"""Name swaps of the same entity type: a third reading of the checker's "name" kind (issue 26, session 6).

    python benchmarks/bench_typed_names.py [--first 0] [--last 200] [--previous 4eb6caa | --no-previous]

``bench_check.py``'s name corruption (``grounding/synthetic.py``) puts any capitalised run of the
article in the place of one of the line's: session 6b read the 44 it misses on articles 200-399
and found 22 of them are no name-for-name swap at all ("[The] have sacked", "[Indeed] from").
The issue asks for "an entity swapped for another of the same type from the same article".
This benchmark draws exactly that: spaCy's NER (``card.nlp.load_nlp``, the card's own) reads
each GPT-4 sentence of sumllm-train articles [first, last) and its article; one entity of the
sentence (PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, WORK_OF_ART) is replaced by another entity
of the same label in the article that shares no word with it and is not in the sentence (seed:
the article and sentence index). The checkers read the cased article with
``newsgist.read(..., highlights_only=True)`` as ``bench_corrupt_kinds.py`` does: the working
tree's in this process, ``--previous`` commits' from a temporary copy of their trees. Prints
true sentences accepted and swaps caught, by label. It is a measurement only: no choice of the
checker reads it.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_corrupt_kinds import table, verdicts  # noqa: E402
from common import require_data  # noqa: E402

from newsgist.card.nlp import load_nlp  # noqa: E402
from newsgist.evaluation.evaluate import read_jsonl  # noqa: E402

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART")


def _words(text: str) -> set:
    """The entity's words, lower-cased, a possessive "'s" dropped (what an alias would share)."""
    return {w.lower() for w in text.replace("'s", " ").split() if len(w) > 1}


def typed_swap(line: str, line_ents, art_ents, rng: random.Random) -> tuple[str, str] | None:
    """``(corrupted line, label)``: one entity of the line put in place of another of the same
    label from the article that shares no word with it and is not in the line; None if none."""
    choices = []
    for text, label, start, end in line_ents:
        own = _words(text)
        pool = sorted({t for t, lab in art_ents if lab == label and t not in line and own and
                       _words(t) and not (_words(t) & own)})
        if pool:
            choices.append((text, label, start, end, pool))
    if not choices:
        return None
    text, label, start, end, pool = choices[rng.randrange(len(choices))]
    return line[:start] + pool[rng.randrange(len(pool))] + line[end:], label


def build(first: int, last: int):
    """[(article, [line, ...])] and each row's (label, kind) (kind: "true" or the entity label)."""
    nlp = load_nlp()
    recs = list(read_jsonl(require_data("cnndm-llm/sumllm-train-1000.jsonl")))[first:last]
    pairs, meta = [], []
    for k, r in enumerate(recs):
        art = nlp(r["article"][:20000])
        art_ents = {(e.text, e.label_) for e in art.ents if e.label_ in LABELS}
        lines, lab = [], []
        for j, h in enumerate(r["highlights"]):
            rng = random.Random(f"typed:{first + k}:{j}")
            ents = [(e.text, e.label_, e.start_char, e.end_char) for e in nlp(h).ents if e.label_ in LABELS]
            lines.append(h)
            lab.append((1, "true"))
            bad = typed_swap(h, ents, art_ents, rng)
            if bad:
                lines.append(bad[0])
                lab.append((0, bad[1]))
        pairs.append((r["article"], lines))
        meta.append(lab)
    return pairs, meta


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--last", type=int, default=200)
    ap.add_argument("--previous", default="4eb6caa", help="commits of the checkers to compare (comma-separated)")
    ap.add_argument("--no-previous", action="store_true")
    args = ap.parse_args()
    pairs, meta = build(args.first, args.last)
    cols = {"checker (working tree)": verdicts(pairs, False)}
    if not args.no_previous:
        from bench_check import previous
        for c in [c for c in args.previous.split(",") if c]:
            got = previous({"pairs": pairs}, c)
            if got:
                cols[f"checker {c}"] = got["pairs"]
    print(f"Same-type entity swaps in the GPT-4 sentences of sumllm-train articles {args.first}-{args.last - 1} (cased)\n")
    table(cols, meta, ("true",) + LABELS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
