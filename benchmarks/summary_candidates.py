"""Issue 26, session 5b: candidates for the checker's summary model on FRANK validation.

    python benchmarks/summary_candidates.py [--synthetic] [--lm SHARDS]

Reads ``../shared/data/faithfulness/frank-validation.jsonl`` (671 pairs), reads every summary's
lines with the shipped line trees once, and scores each candidate summary model against the
shipped one (the pointwise logistic regression of :mod:`newsgist.evaluation.check_summary`):

* the rule's protocol (registered in BENCHMARKS.md before any result): the 5-fold article-CV
  ROC AUC of the pooled out-of-fold scores, mean over fold shuffles 0-4, CNN/DM and XSum, and
  the pooled leave-one-summariser-out AUC; "mean4" is the mean of the four;
* ``--within``: the same folds, but the AUC *within* each fold (10 shuffles x 5 folds) and
  within each left-out summariser: no comparison between two fits' scores, whose intercepts and
  scales move with the training folds' mix (pooling them costs a fit with an intercept up to
  0.04 of XSum AUC; BENCHMARKS.md, "Issue 26, session 5b").

``--synthetic`` adds the candidates trained with synthetic summaries (sumllm-train articles
200-399, one line corrupted by grounding/synthetic.py; ~1 min); ``--lm N`` those with a
bigram language model of N cnndm-train shards (~25 s a shard).
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import require_data  # noqa: E402

import numpy as np  # noqa: E402

from newsgist.api import split_summary  # noqa: E402
from newsgist.evaluation import check_summary as CS  # noqa: E402
from newsgist.evaluation.check_rows import auc, summaries_of  # noqa: E402
from newsgist.evaluation.evaluate import read_jsonl  # noqa: E402
from newsgist.evaluation.train_check import read_article  # noqa: E402
from newsgist.grounding import model as M  # noqa: E402
from newsgist.grounding import synthetic  # noqa: E402
from newsgist.grounding.check import KINDS, line_evidence, score_line, source_of, verdict  # noqa: E402
from newsgist.grounding.claims import Line, tokens  # noqa: E402

FI = {n: i for i, n in enumerate(M.FEATURES)}
BASE = M.summary_names(CS.SUMMARY_LINE_FEATURES)
PAIR_L2 = 1000.0


def read_frank(checker):
    rows = list(read_jsonl(require_data("faithfulness/frank-validation.jsonl")))
    out, cache = [], {}
    for r in rows:
        src = cache.get(r["article"]) or source_of(read_article(r["article"]))
        cache[r["article"]] = src
        lines = split_summary(r["summary"])
        evs = [line_evidence(src, ln, idf=checker.line.idf, lex=checker.line.lex) for ln in lines]
        sc = [score_line(e, checker) for e in evs]
        out.append({"src": src, "lines": lines, "evs": evs, "X": np.array([M.line_features(e) for e in evs]),
                    "scores": np.array(sc), "ok": [verdict(s, e, checker) for s, e in zip(sc, evs)]})
    return rows, out


def extra(f, thr: float) -> dict:
    """Summary-level quantities beyond the mean and minimum (candidates)."""
    X, sc, evs, src = f["X"], f["scores"], f["evs"], f["src"]
    d = {f"max_{n}": X[:, FI[n]].max() for n in ("novel_idf_sum", "novel_idf_max", "num_not_article", "novel",
                                                  "gap_novel", "sub_total")}
    d["novel_share"] = sum(e["novel"] for e in evs) / max(sum(max(e.get("n_content", 0), 1) for e in evs), 1)
    d["n_lines"], d["log_words"] = len(X), math.log(sum(e["length"] for e in evs) + 1)
    d["share_under"], d["any_not_ok"] = float(np.mean(sc < thr)), float(not all(f["ok"]))
    d["n_hard"] = float(sum(len(e["hard"]) for e in evs))
    for k in ("other", "name", "number", "relation"):
        d[f"sum_{k}"] = float(sum(1 for e in evs for u in e["unsupported"] if u["kind"] == k))
    d["sum_logp"] = float(np.log(np.clip(sc, 1e-6, 1)).sum())
    d["art_words"] = math.log(len(src.text.split()) + 1)
    # coreference: a line opening with a pronoun whose referent (the names of the article
    # sentence before its best support) no earlier line names; fragments cut from mid-sentence
    seen, unres, mid = set(), 0.0, 0.0
    for i, ln in enumerate(f["lines"]):
        L = Line.of(ln)
        al = src.align(L)
        if L.toks and L.toks[0] in ("he", "she", "they", "it", "his", "her", "their", "this", "these"):
            k = al[0][0] if al else 0
            ref = {s for j in range(max(0, k - 3), k) for s in src.sentences[j].stems if s in src.capitalised}
            unres = max(unres, float(i == 0 or bool(ref) and not ref & seen))
        seen |= {s for s in L.stems if s in src.capitalised}
        key = L.toks[:3]
        pos = [i for s in src.sentences for i in range(len(s.toks) - 2) if s.toks[i:i + 3] == key]
        mid = max(mid, float(len(L.toks) >= 4 and bool(pos) and min(pos) > 0))
        sup = [k for k, _ in al]
        d["spread_max"] = max(d.get("spread_max", 0.0), math.log1p(max(sup) - min(sup)) if sup else 0.0)
    d["unres_any"], d["mid_any"] = unres, mid
    return d


class Harness:
    def __init__(self, rows, feats):
        self.rows, self.feats = rows, feats
        self.y = np.array([1.0 if r["consistent"] else 0.0 for r in rows])
        self.ds = np.array([r["dataset"] for r in rows])
        self.sysm = np.array([r["system"] for r in rows])
        self.art = np.array([r["article"][:200] for r in rows])
        self.fac = np.array([float(r["factuality"]) for r in rows])
        self.S = np.array([M.summary_features(f["X"], f["scores"]) for f in feats])
        self.B = self.S[:, [M.SUMMARY_INPUTS.index(n) for n in BASE]]
        self.folds = {s: CS.article_folds(rows, s) for s in range(10)}

    def both(self, s, m=None):
        m = np.ones(len(s), bool) if m is None else m
        return [auc(s[m & (self.ds == d)], self.y[m & (self.ds == d)]) for d in ("cnndm", "xsum")]

    def pooled(self, fit):
        """fit(train mask) -> predict(test mask); the rule's four numbers."""
        cv = []
        for s in range(5):
            oof = np.zeros(len(self.y))
            for f in range(CS.FOLDS):
                te = self.folds[s] == f
                oof[te] = fit(~te)(te)
            cv.append(self.both(oof))
        loso = np.zeros(len(self.y))
        for h in sorted(set(self.sysm)):
            te = self.sysm == h
            loso[te] = fit(~te)(te)
        return np.array([*np.mean(cv, 0), *self.both(loso)])

    def within(self, fit):
        cv = {"cnndm": [], "xsum": []}
        for s in range(10):
            for f in range(CS.FOLDS):
                te = self.folds[s] == f
                p = np.zeros(len(self.y))
                p[te] = fit(~te)(te)
                for d, a in zip(("cnndm", "xsum"), self.both(p, te)):
                    cv[d].append(a)
        lo = {"cnndm": [], "xsum": []}
        for h in sorted(set(self.sysm)):
            te = self.sysm == h
            p = np.zeros(len(self.y))
            p[te] = fit(~te)(te)
            a = auc(p[te], self.y[te])
            if not math.isnan(a):
                lo[self.ds[te][0]].append(a)
        return np.array([np.nanmean(cv["cnndm"]), np.nanmean(cv["xsum"]), np.mean(lo["cnndm"]), np.mean(lo["xsum"])])


def logistic(F, target=None, l2=CS.SUMMARY_L2, extra_rows=None, w_extra=0.0, h=None):
    names = tuple(f"c{i}" for i in range(F.shape[1]))

    def fit(tr):
        X, t, w = F[tr], (h.y if target is None else target)[tr], np.ones(tr.sum())
        if extra_rows is not None:
            X, t = np.vstack([X, extra_rows[0]]), np.concatenate([t, extra_rows[1]])
            w = np.concatenate([w, np.full(len(extra_rows[1]), w_extra)])
        m = M.fit(X, t, sample_weight=w, l2=l2, features=names, inputs=names)
        return lambda te: m.predict(F[te])
    return fit


def pairwise(F, h, grades=False, norm=False, l2=PAIR_L2, platt=False):
    """Direction from within-article pairs (better minus worse summary): the raw linear score,
    or (``platt``) that score mapped by a logistic fit on the training folds' labels."""
    names = tuple(f"c{i}" for i in range(F.shape[1]))

    def fit(tr):
        X = F[tr]
        mu, sd = X.mean(0), X.std(0)
        sd[sd < 1e-9] = 1.0
        Z = (X - mu) / sd
        key = (h.fac if grades else h.y)[tr]
        by: dict = {}
        for j, a in enumerate(h.art[tr]):
            by.setdefault(a, []).append(j)
        hi, lo, w = [], [], []
        for js in by.values():
            pr = [(p, q) for p in js for q in js if key[p] > key[q]]
            if not pr:
                continue
            hi += [p for p, _ in pr]
            lo += [q for _, q in pr]
            w += [1.0 / len(pr) if norm else 1.0] * len(pr)
        w = np.array(w) * len(w) / sum(w)
        D = np.vstack([Z[hi] - Z[lo], Z[lo] - Z[hi]])
        m = M.fit(D, np.r_[np.ones(len(hi)), np.zeros(len(hi))], np.r_[w, w], l2=l2, features=names, inputs=names)
        d = m.weights / m.std / sd
        if not platt:
            return lambda te: (F[te] - mu) @ d
        cal = M.fit(((X - mu) @ d)[:, None], h.y[tr], l2=1e-6, features=("s",), inputs=("s",))
        return lambda te: cal.predict(((F[te] - mu) @ d)[:, None])
    return fit


def gbm(F, h, leaves=4, rounds=100):
    import lightgbm as lgb

    def fit(tr):
        m = lgb.train({"objective": "binary", "learning_rate": 0.05, "num_leaves": leaves, "min_data_in_leaf": 20,
                       "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 10.0,
                       "verbose": -1, "deterministic": True, "num_threads": 1, "seed": 0},
                      lgb.Dataset(F[tr], h.y[tr]), rounds)
        return lambda te: m.predict(F[te])
    return fit


def line_level(h, agg):
    """A logistic regression on FRANK's lines (each takes its summary's factuality), aggregated."""
    cols = [FI[n] for n in CS.SUMMARY_LINE_FEATURES if n != "score"]
    LX = [np.hstack([f["X"][:, cols], M.logit(f["scores"])[:, None]]) for f in h.feats]
    names = tuple(f"c{i}" for i in range(LX[0].shape[1]))

    def fit(tr):
        ids = np.where(tr)[0]
        m = M.fit(np.vstack([LX[i] for i in ids]), np.concatenate([np.full(len(LX[i]), h.fac[i]) for i in ids]),
                  l2=CS.SUMMARY_L2, features=names, inputs=names)
        return lambda te: np.array([agg(m.predict(LX[i])) for i in np.where(te)[0]])
    return fit


def synthetic_rows(checker):
    """Summary inputs of sumllm-train 200-399 LLM summaries (true) and copies with one line corrupted."""
    recs = list(read_jsonl(require_data("cnndm-llm/sumllm-train-1000.jsonl")))[200:400]
    rng, X, y = random.Random(7), [], []
    for key in ("gpt3", "brio_gpt4"):
        for src, lines in summaries_of(recs, key, read_article):
            j = rng.randrange(len(lines))
            bad = synthetic.corrupt(lines[j], src.text, rng)
            for ls, lab in [(lines, 1.0)] + ([(lines[:j] + [bad[0]] + lines[j + 1:], 0.0)] if bad else []):
                for lower in (False, True):
                    evs = [line_evidence(src, ln.lower() if lower else ln, idf=checker.line.idf, lex=checker.line.lex)
                           for ln in ls]
                    X.append(M.summary_features([M.line_features(e) for e in evs], [score_line(e, checker) for e in evs]))
                    y.append(lab)
    S = np.array(X)
    return S[:, [M.SUMMARY_INPUTS.index(n) for n in BASE]], np.array(y)


def lm_features(h, shards: int):
    """The worst token of each line under an absolute-discounting bigram model of cnndm-train."""
    uni, bi = Counter(), Counter()
    for p in sorted(require_data("cnndm-train").glob("train-0*.jsonl.gz"))[:shards]:
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                for text in [r["article"]] + r["highlights"]:
                    t = ["<s>"] + tokens(text)
                    uni.update(t)
                    bi.update(zip(t, t[1:]))
    cont, follow = Counter(b for _, b in bi), Counter(a for a, _ in bi)
    nb, v = len(bi), len(uni)

    def logp(a, b):
        pc = (cont[b] + 0.5) / (nb + 0.5 * v)
        ca = uni[a]
        return math.log(pc) if not ca else math.log(max(bi[(a, b)] - 0.75, 0) / ca + 0.75 * follow[a] / ca * pc)
    out = []
    for f in h.feats:
        mins = [min((logp(a, b) for a, b in zip(t, t[1:])), default=0.0)
                for t in (["<s>"] + tokens(ln) for ln in f["lines"])]
        out.append([min(mins), float(np.mean(mins))])
    return np.array(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--lm", type=int, default=0, help="cnndm-train shards for the bigram model (0: skip)")
    ap.add_argument("--within", action="store_true", help="also the within-fold protocol")
    args = ap.parse_args()
    checker = M.load()
    rows, feats = read_frank(checker)
    h = Harness(rows, feats)
    E = [extra(f, checker.line.threshold) for f in feats]

    def col(*ks):
        return np.array([[e[k] for k in ks] for e in E], float)
    maxima = col("max_novel_idf_sum", "max_novel_idf_max", "max_num_not_article", "max_novel", "max_gap_novel",
                 "max_sub_total")
    single = np.array([[float(len(f["X"]) == 1)] for f in feats])
    B = h.B
    cands = {
        "shipped: pointwise logistic regression (L2 100)": logistic(B, h=h),
        "L2 300": logistic(B, l2=300.0, h=h),
        "+ maxima over lines (novel words, numbers, substitutions)": logistic(np.hstack([B, maxima]), h=h),
        "+ share of novel content words": logistic(np.hstack([B, col("novel_share")]), h=h),
        "+ line count, log words": logistic(np.hstack([B, col("n_lines", "log_words")]), h=h),
        "+ share under the line threshold, any unsupported, hard pieces": logistic(
            np.hstack([B, col("share_under", "any_not_ok", "n_hard")]), h=h),
        "+ unsupported pieces by kind": logistic(np.hstack([B, col("sum_other", "sum_name", "sum_number",
                                                                    "sum_relation")]), h=h),
        "+ sum of log line scores": logistic(np.hstack([B, col("sum_logp")]), h=h),
        "+ log article words": logistic(np.hstack([B, col("art_words")]), h=h),
        "+ unresolved opening pronoun, mid-sentence start, support spread": logistic(
            np.hstack([B, col("unres_any", "mid_any", "spread_max")]), h=h),
        "soft target (factuality)": logistic(B, target=h.fac, h=h),
        "one-line summaries weighted apart": logistic(np.hstack([B * single, B * (1 - single), single]), h=h),
        "boosted trees, 4 leaves, 100 rounds": gbm(B, h),
        "line-level fit on FRANK lines, product over lines": line_level(h, lambda p: np.log(p).sum()),
        "line-level fit on FRANK lines, minimum": line_level(h, np.min),
        "pairs within an article (labels), raw score": pairwise(B, h),
        "pairs within an article, each article weighing the same": pairwise(B, h, norm=True),
        "pairs within an article by factuality grade, each article the same": pairwise(B, h, grades=True, norm=True),
        "  the same, mapped into [0, 1] by a logistic fit on the labels (as it would ship)": pairwise(
            B, h, grades=True, norm=True, platt=True),
        "  the same + maxima, novel share": pairwise(np.hstack([B, maxima, col("novel_share")]), h, grades=True,
                                                     norm=True),
    }
    if args.synthetic:
        syn = synthetic_rows(checker)
        for w in (0.03, 0.1):
            cands[f"+ synthetic summaries at weight {w}"] = logistic(B, extra_rows=syn, w_extra=w, h=h)
    if args.lm:
        L = lm_features(h, args.lm)
        cands["+ bigram LM: worst token (min, mean over lines)"] = logistic(np.hstack([B, L]), h=h)
        cands["round 2: pairs by factuality grade + bigram LM"] = pairwise(np.hstack([B, L]), h, grades=True,
                                                                           norm=True)
    base = None
    print("| candidate | CV CNN/DM | CV XSum | LOSO CNN/DM | LOSO XSum | mean4 | gain |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, fit in cands.items():
        r = h.pooled(fit)
        base = r if base is None else base
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in r) + f" | {r.mean():.4f} | {r.mean() - base.mean():+.4f} |",
              flush=True)
    if args.within:
        print("\nWithin each fold (10 shuffles x 5 folds) and within each left-out summariser:\n")
        print("| candidate | CV CNN/DM | CV XSum | LOSO CNN/DM | LOSO XSum | mean4 |\n|---|---:|---:|---:|---:|---:|")
        for name in (list(cands)[0], "pairs within an article by factuality grade, each article the same",
                     "+ maxima over lines (novel words, numbers, substitutions)",
                     "+ bigram LM: worst token (min, mean over lines)",
                     "round 2: pairs by factuality grade + bigram LM"):
            if name not in cands:
                continue
            r = h.within(cands[name])
            print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in r) + f" | {r.mean():.4f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
