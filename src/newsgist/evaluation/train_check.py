"""Train the checker (issue 26): ``python -m newsgist.evaluation.train_check``.

One command writes ``src/newsgist/models/grounding-check.json``, the same file on every
run (fixed seeds, LightGBM ``deterministic``, one thread):

1. a case lexicon from the cased shared articles (validation-1000, sumllm-train-1000,
   BBC): tokens that news text writes capitalised in mid-sentence (names), so the
   lower-cased training text can have its names swapped;
2. the line trees (:mod:`newsgist.grounding.trees`): positives are the editor-written
   highlight lines of ``--articles`` cnndm-train articles (every k-th of the 39,160; the
   text is lower-cased and PTB-tokenised, and every feature is case-free), negatives one
   corruption of each (:mod:`newsgist.grounding.corrupt`: a number, a date, a name from the
   same article, a negation, a modal, two names swapped, the speaker, a clause or a line
   of another story); the GPT-4 summary sentences of sumllm-train-1000 articles
   ``TRAIN_FROM``-999 (lower-cased and tokenised the same way) and corruptions of them join
   them; so do the LLM sentences of those articles read cased, as a card reads them (GPT-4's
   and those of ``CASED_SUMMARIES``), and the editors' highlights of cnndm/validation-1000
   (cased), each with CASED_DRAWS synthetic corruptions (:mod:`newsgist.evaluation.check_rows`,
   :mod:`newsgist.grounding.synthetic`, other draws than the benchmark's); an IDF table of
   the cnndm-train articles and a lexicon of which words are names
   (:func:`lexicon`, :class:`newsgist.grounding.context.Lexicon`) ship with the trees;
3. the line threshold, on the GPT-4 sentences of sumllm-train-1000 articles
   ``TUNE_FROM``..``TRAIN_FROM``-1 and synthetic corruptions of them
   (:mod:`newsgist.grounding.synthetic`): the most corruptions caught with at least
   ``MIN_ACCEPT`` of the GPT-4 sentences *and* of each other summary in
   ``check_rows.ACCEPT_SUMMARIES`` (gpt3) accepted (``--threshold-only`` redoes only this
   step on the trees already in ``--out``); then, by the same rule on the same articles
   lower-cased and tokenised, the threshold of an article with no capital letter at
   all (``lower_threshold``, ``check.threshold_of``; ``--lower-threshold-only``).
   Articles before ``TUNE_FROM`` are the benchmark's (benchmarks/bench_check.py) and are
   never read here;
4. the summary model (a logistic regression over the mean and minimum of the line score's
   logit and the window evidence) on all of FRANK's validation split, its threshold the
   best balanced accuracy of its 5-fold out-of-fold scores
   (:mod:`newsgist.evaluation.check_summary`; ``--summary-only`` redoes only this step on the
   trees already in ``--out``).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsgist.evaluation.check_summary import SUMMARY_L2, SUMMARY_LINE_FEATURES, frank_summary_model, refit_summary  # noqa: F401
from newsgist.evaluation.check_rows import REPORT_SUMMARIES, auc, cased_rows, summary_rows, tune_threshold, validation_rows
from newsgist.evaluation.evaluate import read_jsonl
from newsgist.grounding import model as M
from newsgist.grounding import synthetic
from newsgist.grounding.align import Source
from newsgist.api import split_summary
from newsgist.grounding.check import line_evidence, score_line, source_of, verdict
from newsgist.grounding.claims import FUNCTION, fold, is_content, stem
from newsgist.grounding.corrupt import corrupt
from newsgist.grounding.evidence import MONTHS, idf_table
from newsgist.grounding.context import Lexicon
from newsgist.grounding.tight import RARE_IDF
from newsgist.grounding.trees import LineTrees
from newsgist.options import Options
from newsgist.pipeline import run, stages_named
from newsgist.trees import TreeEnsemble
from newsgist.reading.inputs import from_text
from newsgist.reading.load import article_from_source

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
SEED = 0
# The features the trees may use: all but those that need case (names, quotes: always 0
# in the lower-cased training text) or a summary around the line (repeats).
EXCLUDED = ("names", "quotes", "names_elsewhere", "repeats", "unk")
TRAIN_FEATURES = tuple(f for f in M.FEATURES if f not in EXCLUDED)
# LightGBM: 400 rounds at rate 0.05, 31 leaves, 100 rows a leaf (the held-out tenth of the
# training articles stops improving after about 300-400 rounds).
LGB = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 100,
       "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "verbose": -1,
       "deterministic": True, "force_col_wise": True, "num_threads": 1, "seed": SEED}
ROUNDS = 400
# Session 4, round 2: the shipped trees are those of these LightGBM seeds, raw scores averaged.
# sumllm-train 200-399, the threshold rule below: single seeds 0-11 caught 0.833 mean
# (0.814-0.846; seed 0, shipped before, 0.827); bags of three (0-2, 3-5, 6-8, 9-11) 0.844,
# 0.846, 0.831, 0.842 (mean 0.841); per line +0.2 ms.
BAG_SEEDS = (0, 1, 2)
MIN_DF = 3
# sumllm-train articles before TUNE_FROM are the benchmark's (never used here); the line
# threshold is set on articles TUNE_FROM..TRAIN_FROM-1; the GPT-4 sentences of articles
# TRAIN_FROM..999 (lower-cased and tokenised like cnndm-train) and corruptions of them join
# the training lines, weighted SUMLLM_WEIGHT (they are the paraphrase style the checker must
# accept: fused, with resolved names, that CNN's short highlights rarely show).
TUNE_FROM = 200
TRAIN_FROM = 400
SUMLLM_WEIGHT = 3.0
# The line threshold catches the most corruptions with MIN_ACCEPT of the true sentences
# accepted (session 3: 0.86, trading acceptance for catches; the target is 0.85, and the
# gpt3 / brio_gpt4 sentences of the same articles are accepted about as often at 0.19).
# Session 4, round 2: it binds the gpt3 sentences of the same articles too
# (check_rows.ACCEPT_SUMMARIES), so that no one LLM's faithful sentences fall under it.
MIN_ACCEPT = 0.86
# The same articles' LLM sentences read cased, as a card sees them, with the benchmark's kind
# of synthetic corruption (grounding/synthetic.py, other draws), weighted CASED_WEIGHT; the
# other summaries of each article join the GPT-4 one (gpt3, brio_gpt4: ChatGPT-era output).
# Chosen on sumllm-train articles TUNE_FROM..TRAIN_FROM-1 (3,000-article runs; corruptions caught at
# >= 87 % accepted): without these rows 0.649, GPT-4 sentences only (weight 6) 0.697, + the
# other summaries 0.710, weight 20 0.734, three draws 0.729 (AUC 0.886 -> 0.891); the rows
# themselves: newsgist.evaluation.check_rows.
CASED_WEIGHT = 20.0
# Session 4: the editors' highlights of cnndm/validation-1000 (cased) with the same kind of
# synthetic corruptions, weighted VALIDATION_WEIGHT. Chosen on articles TUNE_FROM..TRAIN_FROM-1,
# mean of 4 LightGBM seeds, corruptions caught at 86 % accepted (quantile threshold): without
# them 0.814, weight 10 0.825 (AUC 0.922 -> 0.926), weight 20 0.824.
VALIDATION_WEIGHT = 10.0
_PTB = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}", "``": '"', "''": '"'}


def ptb_text(s: str) -> str:
    """PTB-tokenised text with its bracket and quote tokens written back."""
    return " ".join(_PTB.get(t, t) for t in s.split())


def ptb_source(text: str) -> Source:
    """A Source of space-tokenised text, sentences ending at " . ", " ! ", " ? "."""
    spans, a = [], 0
    for m in re.finditer(r" [.!?](?: [\"'])?(?= |$)", text):
        spans.append((a, m.end()))
        a = m.end() + 1
    if a < len(text):
        spans.append((a, len(text)))
    return Source(text, [(x, y) for x, y in spans if y > x])


def case_lexicon() -> set:
    """Lower-cased tokens the cased shared articles write capitalised mid-sentence (>= 90 %)."""
    cap, low = Counter(), Counter()
    files = [("cnndm/validation-1000.jsonl", "article"), ("cnndm-llm/sumllm-train-1000.jsonl", "article"),
             ("bbc/bbc-news-summary.jsonl", "article")]
    for name, key in files:
        path = DATA / name
        if not path.exists():
            continue
        for r in read_jsonl(path):
            for sent in re.split(r"(?<=[.!?])\s+", r.get(key, "")):
                for w in re.findall(r"[^\W_]+", sent)[1:]:
                    (cap if w[0].isupper() else low)[w.lower()] += 1
    return {w for w, c in cap.items() if c >= 2 and c >= 9 * low[w] and w not in FUNCTION and w not in MONTHS
            and not w.isdigit()}


def training_articles(n: int) -> list[dict]:
    """Every k-th article of the cnndm-train shards (k so that about ``n`` are taken)."""
    shards = sorted((DATA / "cnndm-train").glob("train-0*.jsonl.gz"))
    if not shards:
        sys.exit("newsgist: error: ../shared/data/cnndm-train not found")
    step = max(1, 39_160 // n)
    out, i = [], 0
    for p in shards:
        with gzip.open(p, "rt", encoding="utf-8") as f:
            for line in f:
                if i % step == 0 and len(out) < n:
                    r = json.loads(line)
                    out.append({"article": ptb_text(r["article"]), "highlights": [ptb_text(h) for h in r["highlights"]]})
                i += 1
    return out


def lexicon(idf: dict) -> Lexicon:
    """Which words are names, for the features (grounding/context.py; shipped with the
    trees): the words the cased shared articles write capitalised mid-sentence (>= 90 %)
    that are too common to count as rare, and the rare words they write in lower case more
    often than not. Never from sumllm-train articles before TUNE_FROM (the benchmark's)."""
    cap, low = Counter(), Counter()
    for name, first in (("cnndm/validation-1000.jsonl", 0), ("cnndm-llm/sumllm-train-1000.jsonl", TUNE_FROM),
                        ("bbc/bbc-news-summary.jsonl", 0)):
        path = DATA / name
        if not path.exists():
            continue
        for r in list(read_jsonl(path))[first:]:
            for sent in re.split(r"(?<=[.!?])\s+", r.get("article", "")):
                for w in re.findall(r"[^\W_]+", sent)[1:]:
                    (cap if w[0].isupper() else low)[w.lower()] += 1
    rare = {w for w in set(cap) | set(low) if idf.get(stem(w), 99.0) >= RARE_IDF}
    names = {w for w, c in cap.items() if c >= 2 and c >= 9 * low[w] and w not in FUNCTION and w not in MONTHS
             and not w.isdigit() and w not in rare}
    plain = {w for w in rare if low[w] > cap[w]}
    return Lexicon(names, plain)


def build_rows(arts: list[dict], names: set, idf: dict, rng: random.Random, lex=None):
    """Feature rows, labels, kinds and article index of every true line and its corruption
    (``lex``: which words the features take for names, :func:`lexicon`)."""
    X, y, kinds, art_of = [], [], [], []
    for k, a in enumerate(arts):
        if len(a["article"].split()) < 50:
            continue
        src = ptb_source(a["article"])
        for line in a["highlights"]:
            if len(line.split()) < 4:
                continue
            other_art = arts[rng.randrange(len(arts))]
            other = rng.choice(other_art["highlights"]) if other_art["highlights"] and other_art is not a else ""
            bad = corrupt(line, a["article"], names, rng, other)
            for text, label, kind in [(line, 1, "true")] + ([(bad[0], 0, bad[1])] if bad else []):
                X.append(M.line_features(line_evidence(src, text, idf=idf, fast=False, lex=lex)))
                y.append(label)
                kinds.append(kind)
                art_of.append(k)
    return np.array(X), np.array(y, float), kinds, np.array(art_of)


# A token as cnndm-train writes them: a word (with its clitic: "it's") or one punctuation mark.
TOKENISED = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[^\w\s]")


def tokenised(text: str) -> str:
    """Cased prose as cnndm-train writes it: lower-cased, words and punctuation apart."""
    return " ".join(TOKENISED.findall(fold(text).lower()))


def sumllm_articles(first: int, last: int) -> list[dict]:
    recs = list(read_jsonl(DATA / "cnndm-llm/sumllm-train-1000.jsonl"))[first:last]
    return [{"article": tokenised(r["article"]), "highlights": [tokenised(h) for h in r["highlights"]]} for r in recs]


def fit_trees(X, y, rounds: int = ROUNDS, weight=None, seeds=(SEED,)):
    """Trees fit with each LightGBM seed of ``seeds``, their raw scores averaged (one ensemble)."""
    import lightgbm as lgb
    cols = [M.FEATURES.index(f) for f in TRAIN_FEATURES]
    t = TreeEnsemble.bagged(lambda s: lgb.train(dict(LGB, seed=s), lgb.Dataset(
        X[:, cols], y, weight=weight, feature_name=list(TRAIN_FEATURES)), num_boost_round=rounds), seeds)
    return LineTrees(TRAIN_FEATURES, t.feature, t.threshold, t.left, t.right, t.value, t.roots, t.depth, inputs=M.FEATURES)


def read_article(text: str):
    return run(article_from_source(from_text(text)), Options(), stages_named("clean", "segment"))


def gpt4_rows(first: int, last: int, checker) -> list[tuple[float, bool, int, str]]:
    """(score, verdict at threshold 0 minus the score, label, kind) of sumllm-train GPT-4
    sentences of articles [first, last) and a synthetic corruption of each."""
    rng = random.Random(SEED)
    out = []
    recs = list(read_jsonl(DATA / "cnndm-llm/sumllm-train-1000.jsonl"))[first:last]
    for r in recs:
        try:
            src = source_of(read_article(r["article"]))
        except Exception:  # an article the reader refuses
            continue
        for text, label, kind in synthetic.with_corruptions(r["highlights"], r["article"], rng):
            ev = line_evidence(src, text, idf=checker.line.idf, lex=checker.line.lex)
            sc = score_line(ev, checker)
            hard_ok = verdict(1.0, ev, checker)  # what the hard pieces allow
            out.append((sc, hard_ok, label, kind))
    return out


def line_threshold(checker) -> float:
    """The line threshold by the rule of check_rows.tune_threshold on articles TUNE_FROM..TRAIN_FROM-1."""
    rows = gpt4_rows(TUNE_FROM, TRAIN_FROM, checker)
    recs = list(read_jsonl(DATA / "cnndm-llm/sumllm-train-1000.jsonl"))[TUNE_FROM:TRAIN_FROM]
    others = {k: summary_rows(recs, k, checker, read_article) for k in REPORT_SUMMARIES}
    t, acc, caught = tune_threshold(rows, others, MIN_ACCEPT)
    print(f"line threshold {t:.2f} on sumllm-train articles {TUNE_FROM}-{TRAIN_FROM - 1}: sentences accepted "
          + ", ".join(f"{k} {v:.3f}" for k, v in acc.items()) + f"; corruptions caught {caught:.3f}", flush=True)
    return t


def lower_rows(first: int, last: int, checker):
    """:func:`gpt4_rows`' rows and the REPORT_SUMMARIES' (score, hard ok) with article and lines
    lower-cased and tokenised (:func:`tokenised`; corruptions drawn on the cased line, seed
    SEED), the article read as :func:`ptb_source` reads cnndm-train text (no capital in it)."""
    rng, idf, lex = random.Random(SEED), checker.line.idf, checker.line.lex
    rows, others = [], {k: [] for k in REPORT_SUMMARIES}
    for r in list(read_jsonl(DATA / "cnndm-llm/sumllm-train-1000.jsonl"))[first:last]:
        src = ptb_source(tokenised(r["article"]))
        for text, label, kind in synthetic.with_corruptions(r["highlights"], r["article"], rng):
            ev = line_evidence(src, tokenised(text), idf=idf, lex=lex)
            rows.append((score_line(ev, checker), verdict(1.0, ev, checker), label, kind))
        for k, got in others.items():
            seen, text = set(), ((r.get("summaries") or {}).get(k) or "").strip()
            for line in split_summary(text) if text else []:
                ev = line_evidence(src, tokenised(line), seen, idf=idf, lex=lex)
                got.append((score_line(ev, checker), verdict(1.0, ev, checker)))
    return rows, others


def lower_threshold(checker) -> float:
    """Session 6: the line threshold of a lower-cased article (``check.threshold_of``), by the
    rule of :func:`line_threshold` on the same articles' :func:`lower_rows`."""
    t, acc, caught = tune_threshold(*lower_rows(TUNE_FROM, TRAIN_FROM, checker), MIN_ACCEPT)
    print(f"lower-cased articles' line threshold {t:.2f} on sumllm-train articles {TUNE_FROM}-{TRAIN_FROM - 1} "
          "lower-cased: sentences accepted " + ", ".join(f"{k} {v:.3f}" for k, v in acc.items())
          + f"; corruptions caught {caught:.3f}", flush=True)
    return t


LOWER_NOTE = "lower_threshold: the same rule on those articles and lines lower-cased and tokenised"


def threshold_note() -> str:
    return (f"threshold: most corruptions caught with >= {MIN_ACCEPT} of each of the GPT-4 and gpt3 "
            f"sentences accepted on sumllm-train articles {TUNE_FROM}-{TRAIN_FROM - 1} "
            f"(synthetic corruptions of the GPT-4 sentences)")


def rethreshold(path: Path, lower: bool = False) -> int:
    """Only step 3 again (``lower``: only its lower-cased articles' threshold), on the trees
    already in ``path`` (the file full training writes)."""
    checker = M.Checker.from_dict(json.loads(path.read_text(encoding="utf-8")))
    if lower:
        checker.line.lower_threshold = lower_threshold(checker)
    else:
        checker.line.threshold = line_threshold(checker)
    checker.line.notes = (checker.line.notes.split("; threshold:")[0] + "; " + threshold_note()
                          + ("; " + LOWER_NOTE if getattr(checker.line, "lower_threshold", None) is not None else ""))
    path.write_text(json.dumps(checker.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
    M._LOADED = None
    print(f"wrote {path}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Train the checker's line trees and summary model (issue 26).")
    ap.add_argument("--articles", type=int, default=8000, help="cnndm-train articles (every k-th)")
    ap.add_argument("--out", type=Path, default=M.MODEL_PATH)
    ap.add_argument("--threshold-only", action="store_true",
                    help="only re-choose the line threshold of the trees already in --out (step 3)")
    ap.add_argument("--lower-threshold-only", action="store_true",
                    help="only re-choose the lower-cased articles' threshold of the model in --out")
    ap.add_argument("--summary-only", action="store_true",
                    help="only refit the summary model on the line trees already in --out (step 4)")
    args = ap.parse_args(argv)
    if args.threshold_only:
        return rethreshold(args.out)
    if args.lower_threshold_only:
        return rethreshold(args.out, lower=True)
    if args.summary_only:
        return refit_summary(args.out, DATA, read_article)
    t0 = time.perf_counter()
    rng = random.Random(SEED)
    names = case_lexicon()
    arts = training_articles(args.articles)
    df = Counter()
    for a in arts:
        df.update({stem(t) for t in a["article"].split() if is_content(t)})
    idf = idf_table(df, len(arts), MIN_DF)
    print(f"{len(names)} name tokens; {len(arts)} training articles; {len(idf)} IDF stems "
          f"({time.perf_counter() - t0:.0f}s)", flush=True)
    lex = lexicon(idf)
    X, y, kinds, art_of = build_rows(arts, names, idf, rng, lex)
    print(f"{len(y)} lines ({int(y.sum())} true), kinds {dict(sorted(Counter(kinds).items()))} "
          f"({time.perf_counter() - t0:.0f}s)", flush=True)
    extra = sumllm_articles(TRAIN_FROM, 1000)
    X2, y2, kinds2, _ = build_rows(extra, names, idf, rng, lex)
    print(f"+ {len(y2)} sumllm-train lines of articles {TRAIN_FROM}-999 ({int(y2.sum())} true), weight {SUMLLM_WEIGHT:g} "
          f"({time.perf_counter() - t0:.0f}s)", flush=True)
    X3, y3 = cased_rows(DATA / "cnndm-llm/sumllm-train-1000.jsonl", TRAIN_FROM, 1000, idf, lex,
                        random.Random(SEED + 1), read_article)
    print(f"+ {len(y3)} cased LLM sentences and synthetic corruptions of articles {TRAIN_FROM}-999 "
          f"({int(y3.sum())} true), weight {CASED_WEIGHT:g} ({time.perf_counter() - t0:.0f}s)", flush=True)
    X4, y4 = validation_rows(DATA / "cnndm/validation-1000.jsonl", idf, lex, random.Random(SEED + 2), read_article)
    print(f"+ {len(y4)} cased validation-1000 highlights and synthetic corruptions ({int(y4.sum())} true), "
          f"weight {VALIDATION_WEIGHT:g} ({time.perf_counter() - t0:.0f}s)", flush=True)
    held = art_of % 10 == 9
    trees = fit_trees(X[~held], y[~held])
    p = trees.predict(X[held])
    kh = [k for k, h in zip(kinds, held) if h]
    print(f"held-out tenth of the training articles: AUC {auc(p, y[held]):.3f}; per kind, share scored "
          f"below the true lines' median: " + ", ".join(
              f"{k} {np.mean([s < np.median(p[y[held] == 1]) for s, kk in zip(p, kh) if kk == k]):.2f}"
              for k in sorted(set(kh)) if k != "true"), flush=True)
    trees = fit_trees(np.vstack([X, X2, X3, X4]), np.concatenate([y, y2, y3, y4]), seeds=BAG_SEEDS,
                      weight=np.concatenate([np.ones(len(y)), np.full(len(y2), SUMLLM_WEIGHT),
                                             np.full(len(y3), CASED_WEIGHT), np.full(len(y4), VALIDATION_WEIGHT)]))
    trees.idf = idf
    trees.lex = lex
    checker = M.Checker(trees, None)
    trees.threshold = line_threshold(checker)
    trees.lower_threshold = lower_threshold(checker)
    summary = frank_summary_model(checker, DATA, read_article)
    trees.notes = (f"trained by python -m newsgist.evaluation.train_check --articles {args.articles} "
                   f"(LightGBM seeds {', '.join(map(str, BAG_SEEDS))}, raw scores averaged): "
                   f"{int(y.sum())} cnndm-train highlight lines and {len(y) - int(y.sum())} corruptions, "
                   f"{len(y2)} sumllm-train lines (articles {TRAIN_FROM}-999, weight {SUMLLM_WEIGHT:g}), "
                   f"{len(y3)} cased LLM sentences and synthetic corruptions (weight {CASED_WEIGHT:g}), "
                   f"{len(y4)} cased validation-1000 highlights and corruptions (weight {VALIDATION_WEIGHT:g}); "
                   + threshold_note() + "; " + LOWER_NOTE)
    args.out.write_text(json.dumps(M.Checker(trees, summary).to_dict(), separators=(",", ":")) + "\n",
                        encoding="utf-8")
    M._LOADED = None
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
