"""The checker against the OTHER corruption generator, kind by kind (issue 26, session 5c).

    python benchmarks/bench_corrupt_kinds.py [--first 0] [--last 200] [--previous fdc7499 | --no-previous]
        [--summaries | --synthetic]

``bench_check.py`` corrupts with ``grounding/synthetic.py`` (number, name, negation, role swap).
This one applies ``grounding/corrupt.py`` (the training generator: number, date, name,
negation, modality, role, speaker, added clause, foreign line) to each GPT-4 sentence of
sumllm-train articles [first, last), one corruption a sentence (seed: the article and
sentence index), in two arms:

* ``lower``: article and lines lower-cased and tokenised as ``train_check.tokenised`` writes
  them (how cnndm-train text looks), the article read by ``train_check.ptb_source`` (sentences
  end at " . ", as the trees' training reads such text);
* ``cased``: the same corruption on the cased sentence (tokens the line kept keep their case,
  new ones take the article's -- or the other line's -- most frequent spelling), as a card sees it.

Both checkers read each cased article with ``newsgist.read(..., highlights_only=True)`` and check its
lines with ``check_lines``: the working tree's checker in this process, the checkers of
``--previous`` commits from a temporary copy of their trees (``bench_check.previous``), in the
same run. Prints true sentences accepted and corruptions caught per kind, per arm and checker.
``--model FILE`` (repeatable): also the checker of that model file, run by this tree's code.
``--summaries``: instead, the share of the sentences of each LLM summary (GPT-4's, gpt3's,
brio_gpt4's) of the articles that each checker accepts (cased, read as above).
``--synthetic`` (issue 26, session 6b): instead, ``grounding/synthetic.py``'s corruptions (number,
name, negation, role swap) of the GPT-4 sentences of articles [first, last), drawn as
``bench_check.py`` draws them (one seeded stream from article 0, so articles 0-199 get the
same corruptions as there), each checker reading the cased article as above.
"""
from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import require_data  # noqa: E402

import numpy as np  # noqa: E402

import newsgist  # noqa: E402
from newsgist.evaluation.evaluate import read_jsonl  # noqa: E402
from newsgist.evaluation.train_check import TOKENISED as _TOK, case_lexicon, ptb_source, tokenised  # noqa: E402
from newsgist.grounding.check import check_lines, source_of  # noqa: E402
from newsgist.grounding.claims import fold  # noqa: E402
from newsgist.grounding.corrupt import KINDS, corrupt  # noqa: E402



def case_map(text: str) -> dict:
    """lower-cased token -> its most frequent spelling in ``text``."""
    seen: dict = {}
    for t in _TOK.findall(fold(text)):
        seen.setdefault(t.lower(), Counter())[t] += 1
    return {k: c.most_common(1)[0][0] for k, c in seen.items()}


def detok(toks: list[str]) -> str:
    s = " ".join(toks)
    s = re.sub(r" ([.,!?;:%)\]])", r"\1", s)
    s = re.sub(r"([(\[$]) ", r"\1", s)
    return re.sub(r" ' s\b", "'s", s)


def recase(orig: list[str], new_low: list[str], cases: dict) -> list[str]:
    """The corrupted lower-cased tokens with the original line's case where it kept its tokens."""
    low = [t.lower() for t in orig]
    out: list[str] = []
    for op, a, b, c, d in difflib.SequenceMatcher(a=low, b=new_low, autojunk=False).get_opcodes():
        out += orig[a:b] if op == "equal" else [cases.get(t, t) for t in new_low[c:d]]
    if out and orig and orig[0][:1].isupper():
        out[0] = out[0][:1].upper() + out[0][1:]
    return out


def build(first: int, last: int):
    """Per arm, [(article, [line, ...])] and the rows' (label, kind)."""
    names = case_lexicon()
    recs = list(read_jsonl(require_data("cnndm-llm/sumllm-train-1000.jsonl")))[first:last]
    pool = [(k, h) for k, r in enumerate(recs) for h in r["highlights"]]
    arms = {"lower": [], "cased": []}
    meta = []
    for k, r in enumerate(recs):
        art_low = tokenised(r["article"])
        lo_lines, ca_lines, lab = [], [], []
        for j, h in enumerate(r["highlights"]):
            rng = random.Random(f"{first + k}:{j}")
            ok, other = pool[rng.randrange(len(pool))]
            other = "" if ok == k else other
            low = tokenised(h)
            bad = corrupt(low, art_low, names, rng, tokenised(other))
            lo_lines.append(low)
            ca_lines.append(h)
            lab.append((1, "true"))
            if bad:
                cases = {**case_map(other), **case_map(r["article"])}
                lo_lines.append(bad[0])
                ca_lines.append(detok(recase(_TOK.findall(fold(h)), bad[0].split(), cases)))
                lab.append((0, bad[1]))
        arms["lower"].append((art_low, lo_lines))
        arms["cased"].append((r["article"], ca_lines))
        meta.append(lab)
    return arms, meta


def read_source(art: str, ptb: bool):
    return ptb_source(art) if ptb else source_of(newsgist.read(art, highlights_only=True))


def verdicts(pairs, ptb: bool, model=None) -> list:
    out = []
    for art, lines in pairs:
        try:
            src = read_source(art, ptb)
        except Exception:  # an article the reader refuses
            out.append(None)
            continue
        out.append([[s["score"], s["supported"]] for s in check_lines(src, lines, model)["sentences"]])
    return out


def table(cols: dict, meta, kinds=("true",) + KINDS) -> None:
    names = list(cols)
    print("| | " + " | ".join(names) + " |\n|---|" + "---:|" * len(names))
    rows = {}
    for name, per_art in cols.items():
        got: dict = {}
        for lab, res in zip(meta, per_art):
            if res is None:
                continue
            for (y, kind), (_, ok) in zip(lab, res):
                got.setdefault(kind, []).append(ok if y else not ok)
                if not y:
                    got.setdefault("all", []).append(not ok)
        rows[name] = got
    first = rows[names[0]]
    for kind in tuple(kinds) + ("all",):
        if kind not in first:
            continue
        label = "true sentences accepted" if kind == "true" else f"caught: {kind}"
        print(f"| {label} (n={len(first[kind])}) | " + " | ".join(
            f"{np.mean(rows[c][kind]):.3f}" for c in names) + " |")


def summaries(first: int, last: int, prev_commits: list[str]) -> None:
    from bench_check import previous
    from newsgist.api import split_summary
    recs = list(read_jsonl(require_data("cnndm-llm/sumllm-train-1000.jsonl")))[first:last]
    print(f"LLM summary sentences of sumllm-train articles {first}-{last - 1} accepted (cased)\n")
    cols = ["checker (working tree)"] + [f"checker {c}" for c in prev_commits]
    print("| | " + " | ".join(cols) + " |\n|---|" + "---:|" * len(cols))
    for key in ("gpt4", "gpt3", "brio_gpt4"):
        texts = [((r.get("summaries") or {}).get(key) or "").strip() for r in recs]
        pairs = [(r["article"], list(r["highlights"]) if key == "gpt4" else (split_summary(t) if t else []))
                 for r, t in zip(recs, texts)]
        pairs = [(a, ls) for a, ls in pairs if ls]
        got = [verdicts(pairs, False)] + [(previous({"pairs": pairs}, c) or {}).get("pairs", []) for c in prev_commits]
        shares = []
        for res in got:
            oks = [ok for per in res if per for _, ok in per]
            shares.append(f"{np.mean(oks):.4f} ({sum(oks)} of {len(oks)})" if oks else "-")
        print(f"| {key} | " + " | ".join(shares) + " |")


def synthetic_kinds(first: int, last: int, prev_commits: list[str]) -> None:
    from bench_check import gpt4_pairs, previous
    rows = gpt4_pairs(last)[first:]
    pairs = [(a, [ln for ln, _, _ in lines]) for a, lines in rows]
    meta = [[(y, k) for _, y, k in lines] for _, lines in rows]
    cols = {"checker (working tree)": verdicts(pairs, False)}
    for c in prev_commits:
        got = previous({"pairs": pairs}, c)
        if got:
            cols[f"checker {c}"] = got["pairs"]
    print(f"synthetic.py corruptions of the GPT-4 sentences of sumllm-train articles {first}-{last - 1} (cased)\n")
    table(cols, meta, ("true", "number", "name", "negation", "relation"))


def model_of(path: Path):
    import json
    from newsgist.grounding import model as M
    return M.Checker.from_dict(json.loads(path.read_text(encoding="utf-8")))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--last", type=int, default=200)
    ap.add_argument("--previous", default="fdc7499", help="commits of the checkers to compare")
    ap.add_argument("--no-previous", action="store_true")
    ap.add_argument("--summaries", action="store_true", help="the LLM summaries' sentences accepted instead")
    ap.add_argument("--synthetic", action="store_true", help="synthetic.py's corruptions (bench_check's) instead")
    ap.add_argument("--model", action="append", default=[], type=Path,
                    help="also a checker model file run by this tree's code (a column each; repeatable)")
    args = ap.parse_args()
    if args.synthetic:
        synthetic_kinds(args.first, args.last, [] if args.no_previous else [c for c in args.previous.split(",") if c])
        return 0
    if args.summaries:
        summaries(args.first, args.last, [] if args.no_previous else [c for c in args.previous.split(",") if c])
        return 0
    arms, meta = build(args.first, args.last)
    prev = {}
    if not args.no_previous:
        from bench_check import previous
        for c in args.previous.split(","):
            got = {arm: previous({"pairs": arms[arm], "ptb": arm == "lower"}, c) for arm in arms}
            if all(got.values()):
                prev[c] = {arm: g["pairs"] for arm, g in got.items()}
    print(f"corrupt.py corruptions of the GPT-4 sentences of sumllm-train articles {args.first}-{args.last - 1}")
    for arm in ("lower", "cased"):
        print(f"\n{arm}:\n")
        cols = {"checker (working tree)": verdicts(arms[arm], arm == "lower")}
        for mp in args.model:
            cols[f"model {mp.name}"] = verdicts(arms[arm], arm == "lower", model_of(mp))
        cols.update({f"checker {c}": p[arm] for c, p in prev.items()})
        table(cols, meta)
        base = cols["checker (working tree)"]
        for name, res in list(cols.items())[1:]:
            diff = sum(a != b for x, y in zip(base, res) if x and y for a, b in zip(x, y))
            print(f"\n{name}: {diff} lines whose score or verdict differ from the working tree's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
