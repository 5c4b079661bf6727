"""Checker benchmark (issue 26; issue 14's before it): ``newsgist check`` in both directions.

    python benchmarks/bench_check.py [--articles N] [--frank-limit N] [--previous C1,C2 | --no-previous]

In one run, with bigram precision and the previous checkers (``PREVIOUS_COMMITS``: issue 14's
and issue 26's first session's, each run from a temporary copy of its tree by
benchmarks/check_previous.py):

1. Faithful LLM lines: the share of the GPT-4 summary sentences of the first ``--articles``
   sumllm-train-1000 articles that each checker supports (the checker's line threshold was
   set on articles 200-999 by ``python -m newsgist.evaluation.train_check``; bigram precision
   gets the threshold that accepts 85 % of these same sentences).
   The sentences of the articles' other LLM summaries (gpt3, brio_gpt4) too (``--other-only``:
   just these).
2. Synthetic corruptions of those sentences (``grounding/synthetic.py``: a number or a name
   from the same article, a negation, two names swapped; seed 0): the share caught, per kind.
3. FRANK validation (../shared/data/faithfulness/frank-validation.jsonl), summary-level ROC AUC
   against ``consistent``, CNN/DM and XSum: the checker's summary model 5-fold
   cross-validated by article (fit inside the folds), the line scores' minimum unlearned, and
   leave-one-summariser-out (pooled); and the AUC within each fold of shuffles 0-4 (each fold's
   scores come from one fit, as a shipped model's do: pooling five fits' scores mixes their
   intercepts, which costs XSum's AUC most; issue 26, session 5b).
4. Speed: ms per checked line (median, one process), and highlights-only runs (the ground
   stage) against LEAD-3 (pysbd) on validation-1000 articles, same run.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO_ROOT, data_path, require_data  # noqa: E402

import numpy as np  # noqa: E402

from newsgist.api import split_summary  # noqa: E402
from newsgist.article import Article  # noqa: E402
from newsgist.evaluation import check_summary as CS  # noqa: E402
from newsgist.evaluation.check_rows import auc, summaries_of  # noqa: E402
from newsgist.evaluation.evaluate import lead3_pysbd, read_jsonl  # noqa: E402
from newsgist.grounding import model as M  # noqa: E402
from newsgist.grounding import synthetic  # noqa: E402
from newsgist.grounding.check import check_lines, line_evidence, score_line, source_of  # noqa: E402
from newsgist.grounding.claims import tokens  # noqa: E402
from newsgist.options import Options  # noqa: E402
from newsgist.pipeline import run, stages_named  # noqa: E402
from newsgist.reading.inputs import from_text  # noqa: E402
from newsgist.reading.load import article_from_source  # noqa: E402

SEED = 0
FOLDS = CS.FOLDS


def precision(summary: str, article: str, n: int) -> float:
    s, a = tokens(summary), tokens(article)
    grams = list(zip(*(s[i:] for i in range(n))))
    have = set(zip(*(a[i:] for i in range(n))))
    return sum(1 for g in grams if g in have) / len(grams) if grams else 1.0


def read_article(text: str) -> Article:
    return run(article_from_source(from_text(text)), Options(), stages_named("clean", "segment"))



def pct(vals, q):
    return float(np.percentile(vals, q)) if vals else 0.0


def highlights_speed(n: int) -> None:
    """Highlights-only runs with the ground stage, against LEAD-3 (pysbd), same articles."""
    import newsgist
    recs = list(read_jsonl(require_data("cnndm/validation-1000.jsonl"), limit=n))
    newsgist.read(recs[0]["article"], highlights_only=True)  # warm-up (model loads)
    total, ground, lead = [], [], []
    for r in recs:
        t0 = time.perf_counter()
        art = newsgist.read(r["article"], highlights_only=True)
        t1 = time.perf_counter()
        lead3_pysbd(r["article"])
        t2 = time.perf_counter()
        total.append((t1 - t0) * 1000)
        ground.append(art.meta["timings_ms"].get("ground", 0.0))
        lead.append((t2 - t1) * 1000)
    ratio = [a / b for a, b in zip(total, lead)]
    print(f"\nHighlights-only runs, {len(recs)} validation-1000 articles: ms per article median "
          f"{statistics.median(total):.2f} (ground stage {statistics.median(ground):.2f}, p90 {pct(ground, 90):.2f}); "
          f"LEAD-3 (pysbd) {statistics.median(lead):.2f}; run/LEAD-3 per article median {statistics.median(ratio):.2f}x, "
          f"total {sum(total) / sum(lead):.2f}x; ground stage / LEAD-3 {sum(ground) / sum(lead):.3f}x")



PREVIOUS_COMMIT = "6737e34"
# Issue 14's checker and issue 26's first session's (the tree merged at ece9d6e).
PREVIOUS_COMMITS = (PREVIOUS_COMMIT, "ece9d6e")


def featurise(rows, checker):
    """Per FRANK row: line features, line scores, the summary features."""
    cache: dict = {}
    out = []
    for r in rows:
        src = cache.get(r["article"]) or source_of(read_article(r["article"]))
        cache[r["article"]] = src
        evs = [line_evidence(src, ln) for ln in split_summary(r["summary"])]
        X = [M.line_features(e) for e in evs]
        sc = [score_line(e, checker) for e in evs]
        out.append({"X": X, "scores": sc, "S": M.summary_features(X, sc)})
    return out


def folds_of(rows, seed: int = SEED):
    """CS.FOLDS article folds (the summary model's own, check_summary.article_folds); the name
    check_previous.py reads from a commit's bench_check."""
    return CS.article_folds(rows, seed)


def summary_cv(feats, y, folds, names, l2):
    """Out-of-fold summary scores of ``featurise``'s rows, a model of inputs ``names`` and
    penalty ``l2`` fit inside each fold (check_summary.out_of_fold)."""
    S = np.array([f["S"] for f in feats])
    return CS.out_of_fold(S, y, folds, fit=lambda X, t: M.fit(X, t, l2=l2, features=names, inputs=M.SUMMARY_INPUTS))


def previous(job: dict, commit: str = PREVIOUS_COMMIT) -> dict | None:
    """The answers to ``job`` of the checker of ``commit`` (benchmarks/check_previous.py in its tree)."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        arch = subprocess.run(["git", "-C", str(REPO_ROOT), "archive", commit, "src", "benchmarks"],
                              capture_output=True)
        if arch.returncode:
            print(f"previous checker skipped: git archive {commit} failed")
            return None
        subprocess.run(["tar", "-x", "-C", tmp], input=arch.stdout, check=True)
        env = {**__import__("os").environ, "PYTHONPATH": f"{tmp}/src:{tmp}/benchmarks"}
        script = Path(tmp) / "benchmarks" / "check_previous.py"   # run from the old tree: its bench_check
        script.write_text((REPO_ROOT / "benchmarks" / "check_previous.py").read_text(encoding="utf-8"),
                          encoding="utf-8")
        r = subprocess.run([sys.executable, str(script)],
                           input=json.dumps(job), capture_output=True, text=True, env=env, cwd=f"{tmp}/benchmarks")
        if r.returncode:
            print("previous checker failed:", r.stderr[-2000:])
            return None
        return json.loads(r.stdout)


def gpt4_pairs(n: int):
    """(article, [(line, label, kind)]) of the first n sumllm-train articles: each GPT-4
    sentence and a synthetic corruption of it (seed 0)."""
    rng = random.Random(SEED)
    out = []
    for r in read_jsonl(require_data("cnndm-llm/sumllm-train-1000.jsonl"), limit=n):
        out.append((r["article"], synthetic.with_corruptions(r["highlights"], r["article"], rng)))
    return out


def other_summaries(n: int, checker, keys=("gpt3", "brio_gpt4")) -> None:
    """The share of the sentences of the other LLM summaries of the first n sumllm-train
    articles (ChatGPT-era models: the held-out set's "GPT-4/ChatGPT") that the checker supports."""
    recs = list(read_jsonl(require_data("cnndm-llm/sumllm-train-1000.jsonl"), limit=n))
    print(f"\nOther LLM summaries of sumllm-train articles 0-{n - 1}, sentences accepted:")
    for key in keys:
        acc = []
        for src, lines in summaries_of(recs, key, read_article):
            acc += [s["supported"] for s in check_lines(src, lines, checker)["sentences"]]
        print(f"  {key}: {np.mean(acc):.3f} of {len(acc)}")


def rates(verdicts, labels, kinds) -> dict:
    out = {"accepted": np.mean([v for v, y in zip(verdicts, labels) if y == 1])}
    for k in ("number", "name", "negation", "relation"):
        got = [not v for v, kk in zip(verdicts, kinds) if kk == k]
        out[k] = (float(np.mean(got)) if got else float("nan"), len(got))
    bad = [not v for v, y in zip(verdicts, labels) if y == 0]
    out["all"] = (float(np.mean(bad)), len(bad))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200, help="sumllm-train articles for rows 1-2 (the first N)")
    ap.add_argument("--frank-limit", type=int, default=None)
    ap.add_argument("--speed-articles", type=int, default=100, help="validation-1000 articles for highlights runs")
    ap.add_argument("--no-previous", action="store_true", help="skip the previous checkers")
    ap.add_argument("--previous", default=",".join(PREVIOUS_COMMITS), help="commits of the checkers to compare")
    ap.add_argument("--other-only", action="store_true", help="only the other LLM summaries' acceptance")
    args = ap.parse_args()
    checker = M.load()
    other_summaries(args.articles, checker)
    if args.other_only:
        return 0
    # 1-2: GPT-4 sentences and their corruptions
    pairs = gpt4_pairs(args.articles)
    new_v, new_s, bigram, labels, kinds, line_ms = [], [], [], [], [], []
    kept_pairs = []
    for art, lines in pairs:
        try:
            src = source_of(read_article(art))
        except Exception:  # an article the reader refuses
            continue
        kept_pairs.append((art, lines))
        t0 = time.perf_counter()
        res = check_lines(src, [ln for ln, _, _ in lines], checker)
        line_ms.append((time.perf_counter() - t0) * 1000 / len(lines))
        for s, (ln, lab, kind) in zip(res["sentences"], lines):
            new_v.append(s["supported"])
            new_s.append(s["score"])
            bigram.append(precision(ln, art, 2))
            labels.append(lab)
            kinds.append(kind)
    t_bi = float(np.quantile([b for b, y in zip(bigram, labels) if y == 1], 0.15))
    cols = {"bigram precision (threshold: 85 % accepted)": rates([b >= t_bi for b in bigram], labels, kinds),
            "checker (issue 26)": rates(new_v, labels, kinds)}
    frank = list(read_jsonl(require_data("faithfulness/frank-validation.jsonl"), limit=args.frank_limit))
    job = (
        {"pairs": [[a, [ln for ln, _, _ in lines]] for a, lines in kept_pairs], "frank": args.frank_limit is None,
         "data_dir": str(data_path("")),
         "highlights": [r["article"] for r in read_jsonl(require_data("cnndm/validation-1000.jsonl"),
                                                         limit=args.speed_articles)]})
    prevs = {} if args.no_previous else {c: previous(job, c) for c in args.previous.split(",") if c}
    for commit, prev in prevs.items():
        pv = [v for p in prev["pairs"] if p for _, v in p] if prev else []
        if len(pv) == len(labels):
            cols[f"previous checker ({commit})"] = rates(pv, labels, kinds)
    n_true = sum(labels)
    print(f"\nGPT-4 sentences of sumllm-train articles 0-{args.articles - 1} ({n_true} sentences) and synthetic "
          f"corruptions of them ({len(labels) - n_true})\n")
    names = list(cols)
    print("| | " + " | ".join(names) + " |\n|---|" + "---:|" * len(names))
    print("| GPT-4 sentences accepted | " + " | ".join(f"{cols[c]['accepted']:.3f}" for c in names) + " |")
    for k in ("number", "name", "negation", "relation", "all"):
        print(f"| corruptions caught: {k} (n={cols[names[0]][k][1]}) | "
              + " | ".join(f"{cols[c][k][0]:.3f}" for c in names) + " |")

    # 3: FRANK
    y = np.array([1.0 if r["consistent"] else 0.0 for r in frank])
    ds = np.array([r["dataset"] for r in frank])
    feats = featurise(frank, checker)
    folds = folds_of(frank)
    from newsgist.evaluation.train_check import SUMMARY_L2, SUMMARY_LINE_FEATURES
    names_s = M.summary_names(SUMMARY_LINE_FEATURES)
    table = {"bigram precision": np.array([precision(r["summary"], r["article"], 2) for r in frank]),
             "line score, minimum over lines (unlearned)": np.array([min(f["scores"]) for f in feats]),
             "line score, mean over lines (unlearned)": np.array([np.mean(f["scores"]) for f in feats]),
             "checker summary model (5-fold article CV)": summary_cv(feats, y, folds, names_s, SUMMARY_L2)}
    cv_seeds = [summary_cv(feats, y, folds_of(frank, s), names_s, SUMMARY_L2) for s in range(1, 5)]
    systems = sorted({r["system"] for r in frank})
    loso = np.zeros(len(frank))
    S = np.array([f["S"] for f in feats])
    for held in systems:
        tr = np.array([r["system"] != held for r in frank])
        m = M.fit(S[tr], y[tr], l2=SUMMARY_L2, features=names_s, inputs=M.SUMMARY_INPUTS)
        loso[~tr] = m.predict(S[~tr])
    table["checker summary model, leave one summariser out"] = loso
    for commit, prev in prevs.items():
        if prev and prev.get("frank"):
            table[f"previous checker ({commit}, 5-fold article CV)"] = np.array(prev["frank"])
    print(f"\nFRANK validation, summary-level ROC AUC ({(ds == 'cnndm').sum()} CNN/DM, {(ds == 'xsum').sum()} XSum)\n")
    print("| score | CNN/DM | XSum |\n|---|---:|---:|")
    for name, sc in table.items():
        print(f"| {name} | {auc(sc[ds == 'cnndm'], y[ds == 'cnndm']):.3f} | {auc(sc[ds == 'xsum'], y[ds == 'xsum']):.3f} |")
    spread = [(auc(s[ds == "cnndm"], y[ds == "cnndm"]), auc(s[ds == "xsum"], y[ds == "xsum"])) for s in cv_seeds]
    print("fold shuffles 1-4 (CNN/DM / XSum): " + ", ".join(f"{a:.3f}/{b:.3f}" for a, b in spread))
    runs = [(table["checker summary model (5-fold article CV)"], folds)] + [
        (sc, folds_of(frank, s)) for s, sc in zip(range(1, 5), cv_seeds)]
    inside = {d: np.nanmean([auc(sc[(fo == k) & (ds == d)], y[(fo == k) & (ds == d)]) for sc, fo in runs
                             for k in range(FOLDS)]) for d in ("cnndm", "xsum")}
    print(f"AUC within each fold, shuffles 0-4 x {FOLDS} folds (one fit's scores each): "
          f"CNN/DM {inside['cnndm']:.3f}, XSum {inside['xsum']:.3f}")

    # 4: speed
    print(f"\nSpeed: ms per checked line (check_lines, one process) median {statistics.median(line_ms):.2f}, "
          f"p90 {pct(line_ms, 90):.2f}" + "".join(f"; previous checker {c} {statistics.median(p['line_ms']):.2f}"
                                                  for c, p in prevs.items() if p and p.get("line_ms")))
    if args.speed_articles:
        highlights_speed(args.speed_articles)
        for commit, prev in prevs.items():
            if prev and prev.get("ground_ms"):
                print(f"previous checker {commit}: ground stage on the same articles (its own process): median "
                      f"{statistics.median(prev['ground_ms']):.2f} ms, p90 {pct(prev['ground_ms'], 90):.2f}")
    return 0



if __name__ == "__main__":
    sys.exit(main())
