"""Grounding benchmark: ``newsgist check`` against human factuality labels (issue 14).

    python benchmarks/bench_check.py [--limit N] [--synthetic N] [--articles N] [--examples N] [--seeds N] [--fit]

On ../shared/data/faithfulness/frank-validation.jsonl (FRANK's validation split: 375
CNN/DM and 296 XSum model summaries with human labels), in one run:

1. Summary-level ROC AUC against ``consistent`` (1 = no sentence with a factual error),
   separately for CNN/DM and XSum: the baselines unigram and bigram precision of the
   summary against the article (lower-cased tokens), the checker's evidence without
   learning (content words in the support; in the best window), and the learned checker,
   5-fold cross-validated (folds by article; fit inside the training folds only; a line
   takes its summary's label; a summary's score is the learned aggregate). Rows with
   synthetic corrupted pairs (``grounding/synthetic.py``) added to the training folds
   say how much each source helps: CNN highlights of cnndm/validation-1000 and GPT-4
   summary sentences of cnndm-llm/sumllm-train-1000 (never test-public-500). Then the
   spread over ``--seeds`` fold shuffles, the shipped features (``model.SHIPPED``) against
   the previous model's 25, and leave-one-summariser-out (fit on FRANK's other systems: how
   it fares on an unseen one; the shipped features were chosen by it).
2. Speed, one process: ms per pair (reading the article + checking) and per summary
   sentence (checking), median and p90, with LEAD-3 (pysbd) timed on the same articles.
3. Thresholds: the line and summary thresholds that maximise balanced accuracy on the
   out-of-fold scores (reported; ``--fit`` writes them with the model).
4. Highlights-only runs (``newsgist.read(..., highlights_only=True)``, the ground stage
   included) on ``--articles`` validation-1000 articles against LEAD-3 (pysbd).
5. The share of GPT-4 summary sentences (sumllm-train) the checker supports.
6. ``--examples`` compressed highlights (issue 8's output) with the checker's verdicts,
   printed for reading beside their source sentences.

``--fit`` fits the shipped model (src/newsgist/models/grounding-check.json) on all of
frank-validation plus the synthetic pairs of the best row.
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
from newsgist.evaluation.evaluate import lead3_pysbd, read_jsonl  # noqa: E402
from newsgist.grounding import model as M  # noqa: E402
from newsgist.grounding import synthetic  # noqa: E402
from newsgist.grounding.check import check_lines, line_evidence, source_of  # noqa: E402
from newsgist.grounding.claims import tokens  # noqa: E402
from newsgist.options import Options  # noqa: E402
from newsgist.pipeline import run, stages_named  # noqa: E402
from newsgist.reading.inputs import from_text  # noqa: E402
from newsgist.reading.load import article_from_source  # noqa: E402

FOLDS = 5
SEED = 0


def auc(scores, labels) -> float:
    """ROC AUC by the rank-sum (ties share their rank)."""
    s, y = np.asarray(scores, float), np.asarray(labels, bool)
    order = s.argsort(kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    npos, nneg = y.sum(), (~y).sum()
    if not npos or not nneg:
        return float("nan")
    return float((ranks[y].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def precision(summary: str, article: str, n: int) -> float:
    s, a = tokens(summary), tokens(article)
    grams = list(zip(*(s[i:] for i in range(n))))
    have = set(zip(*(a[i:] for i in range(n))))
    return sum(1 for g in grams if g in have) / len(grams) if grams else 1.0


def read_article(text: str) -> Article:
    return run(article_from_source(from_text(text)), Options(), stages_named("clean", "segment"))


def featurise(rows):
    """Per row: line features, timings; the sources are built once per article text."""
    cache: dict[str, Article] = {}
    out = []
    for r in rows:
        t0 = time.perf_counter()
        art = cache.get(r["article"]) or read_article(r["article"])
        cache[r["article"]] = art
        src = source_of(art)
        t1 = time.perf_counter()
        lines = split_summary(r["summary"])
        seen: set = set()
        evs = [line_evidence(src, ln, seen) for ln in lines]
        t2 = time.perf_counter()
        out.append({"X": [M.line_features(e) for e in evs], "evs": evs, "read_ms": (t1 - t0) * 1000,
                    "check_ms": (t2 - t1) * 1000, "lines": len(lines)})
    return out


def synthetic_rows(name: str, n: int):
    """(X, y) of n synthetic articles' true and corrupted lines from one source."""
    if n <= 0:
        return np.zeros((0, len(M.FEATURES))), np.zeros(0), {}
    rng = random.Random(SEED)
    if name == "cnndm":
        path, lines_of = data_path("cnndm/validation-1000.jsonl"), lambda r: r["highlights"]
    else:
        path, lines_of = data_path("cnndm-llm/sumllm-train-1000.jsonl"), lambda r: r["highlights"]
    if not path.exists():
        return np.zeros((0, len(M.FEATURES))), np.zeros(0), {}
    X, y, kinds = [], [], {}
    for art_text, line, label, kind in synthetic.pairs(read_jsonl(path, limit=n), lines_of, rng):
        try:
            src = source_of(read_article(art_text))
        except Exception:  # an article the reader refuses (no text): skip it
            continue
        X.append(M.line_features(line_evidence(src, line)))
        y.append(label)
        kinds[kind] = kinds.get(kind, 0) + 1
    return np.array(X), np.array(y, float), kinds


def folds_of(rows, seed: int = SEED):
    """Fold of each row: articles shuffled with a fixed seed, dealt round-robin."""
    arts = sorted({r["article"][:200] for r in rows})
    random.Random(seed).shuffle(arts)
    fold = {a: i % FOLDS for i, a in enumerate(arts)}
    return [fold[r["article"][:200]] for r in rows]


def fit_checker(rows, feats, idx, extra_X, extra_y, features=M.SHIPPED, l2=M.SUMMARY_L2) -> M.Checker:
    """Both fits on the rows ``idx`` (+ synthetic lines, which are also one-line summaries),
    on the line features ``features`` (summary model: their mean and minimum, penalty l2)."""
    y = [1.0 if r["consistent"] else 0.0 for r in rows]
    X = [x for i in idx for x in feats[i]["X"]] + list(extra_X)
    Y = [y[i] for i in idx for _ in feats[i]["X"]] + list(extra_y)
    S = [M.summary_features(feats[i]["X"]) for i in idx] + [M.summary_features([x]) for x in extra_X]
    SY = [y[i] for i in idx] + list(extra_y)
    return M.Checker(M.fit(X, Y, features=features),
                     M.fit(S, SY, l2=l2, features=M.summary_names(features), inputs=M.SUMMARY_INPUTS))


# The previous shipped model (all 25 features, summary L2 10), kept for comparison.
PREVIOUS = (M.FEATURES, 10.0)
# The lean set the selection started from (L2 100).
LEAN = ("window", "window_order", "uni", "cover")


def cross_validate(rows, feats, extra_X, extra_y, seed: int = SEED, features=M.SHIPPED, l2=M.SUMMARY_L2):
    folds = folds_of(rows, seed)
    summary_scores = np.zeros(len(rows))
    line_scores: list[list[float]] = [[] for _ in rows]
    for f in range(FOLDS):
        m = fit_checker(rows, feats, [i for i in range(len(rows)) if folds[i] != f], extra_X, extra_y,
                        features, l2)
        for i in range(len(rows)):
            if folds[i] == f:
                line_scores[i] = m.line.predict(feats[i]["X"]).tolist()
                summary_scores[i] = float(m.summary.predict([M.summary_features(feats[i]["X"])])[0])
    return summary_scores, line_scores


def seed_spread(rows, feats, sets, y, base, n: int) -> None:
    """The cross-validated gain over bigram precision for n fold shuffles, the shipped
    features against the previous model's 25 (the same folds for both)."""
    print(f"\nFold shuffles (seeds 0-{n - 1}): Δ AUC vs bigram precision, CNN/DM / XSum\n")
    print("| seed | shipped (6 features) | previous (25 features) |\n|---|---|---|")
    gains: dict[str, list[tuple[float, float]]] = {"shipped": [], "previous": []}
    for seed in range(n):
        d = {}
        for key, (fs, l2) in (("shipped", (M.SHIPPED, M.SUMMARY_L2)), ("previous", PREVIOUS)):
            sc, _ = cross_validate(rows, feats, [], [], seed=seed, features=fs, l2=l2)
            d[key] = tuple(auc([sc[i] for i in sets[k]], [y[i] for i in sets[k]]) - base[k] for k in ("cnndm", "xsum"))
            gains[key].append(d[key])
        print(f"| {seed} | {d['shipped'][0]:+.3f} / {d['shipped'][1]:+.3f} | "
              f"{d['previous'][0]:+.3f} / {d['previous'][1]:+.3f} |")
    for key, g in gains.items():
        c, x = [a for a, _ in g], [b for _, b in g]
        print(f"{key}: CNN/DM Δ mean {np.mean(c):+.3f} (min {min(c):+.3f}, max {max(c):+.3f}); XSum Δ mean "
              f"{np.mean(x):+.3f} (min {min(x):+.3f}, max {max(x):+.3f}); seeds with Δ ≥ +0.05 on both: "
              f"{sum(1 for a, b in g if a >= 0.05 and b >= 0.05)}/{n}")


def unseen_systems(rows, feats, y) -> None:
    """Leave one summariser out (fit on FRANK's other systems, score the held-out one):
    how the checker fares on a model it never saw, as on a held-out set. AUC within each
    system (no calibration across fits involved) and pooled per data set (the criterion
    the shipped features were chosen by)."""
    bigram = [precision(r["summary"], r["article"], 2) for r in rows]
    systems = sorted({r["system"] for r in rows})
    variants = {f"checker (shipped: {', '.join(M.SHIPPED)}; L2 {M.SUMMARY_L2:g})": (M.SHIPPED, M.SUMMARY_L2),
                "previous checker (25 features, L2 10)": PREVIOUS,
                f"lean start: {', '.join(LEAN)} (L2 100)": (LEAN, 100.0)}
    scores = {name: np.zeros(len(rows)) for name in variants}
    for name, (fs, l2) in variants.items():
        for held in systems:
            tr = [i for i, r in enumerate(rows) if r["system"] != held]
            m = fit_checker(rows, feats, tr, [], [], fs, l2)
            for i, r in enumerate(rows):
                if r["system"] == held:
                    scores[name][i] = float(m.summary.predict([M.summary_features(feats[i]["X"])])[0])
    print("\nLeave one summariser out: AUC within each held-out system, mean per data set; pooled AUC\n")
    print("| score | CNN/DM within (5 systems) | XSum within (4) | CNN/DM pooled | XSum pooled |\n|---|---|---|---|---|")
    window = np.array([np.mean([e["window"] for e in f["evs"]]) for f in feats])
    for name, sc in [("bigram precision", np.array(bigram)), ("window cover, mean (no learning)", window)] \
            + list(scores.items()):
        row = []
        for ds in ("cnndm", "xsum"):
            within = [auc([sc[i] for i, r in enumerate(rows) if r["system"] == s_],
                          [y[i] for i, r in enumerate(rows) if r["system"] == s_])
                      for s_ in systems if any(r["system"] == s_ and r["dataset"] == ds for r in rows)]
            row.append(f"{np.nanmean(within):.3f}")
        for ds in ("cnndm", "xsum"):
            idx = [i for i, r in enumerate(rows) if r["dataset"] == ds]
            row.append(f"{auc([sc[i] for i in idx], [y[i] for i in idx]):.3f}")
        print(f"| {name} | " + " | ".join(row) + " |")


def best_threshold(scores, labels) -> tuple[float, float]:
    """The threshold of the best balanced accuracy and that accuracy."""
    s, y = np.asarray(scores), np.asarray(labels, bool)
    best = (0.5, 0.0)
    for t in np.unique(np.round(s, 3)):
        pred = s >= t
        tpr = (pred & y).sum() / max(y.sum(), 1)
        tnr = (~pred & ~y).sum() / max((~y).sum(), 1)
        if (tpr + tnr) / 2 > best[1]:
            best = (float(t), float((tpr + tnr) / 2))
    return best


def pct(vals, q):
    return float(np.percentile(vals, q)) if vals else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N pairs of frank-validation")
    ap.add_argument("--synthetic", type=int, default=300, help="articles per synthetic source (0: none)")
    ap.add_argument("--fit", action="store_true", help="write the shipped model")
    ap.add_argument("--articles", type=int, default=200,
                    help="validation / sumllm articles for the speed and GPT-4 rows (0: skip)")
    ap.add_argument("--examples", type=int, default=50, help="compressed highlights to print with verdicts")
    ap.add_argument("--seeds", type=int, default=8, help="fold shuffles for the spread of the CV gain (0: skip)")
    args = ap.parse_args()
    rows = list(read_jsonl(require_data("faithfulness/frank-validation.jsonl"), limit=args.limit))
    t0 = time.perf_counter()
    feats = featurise(rows)
    print(f"{len(rows)} pairs featurised in {time.perf_counter() - t0:.1f}s")
    sets = {"cnndm": [i for i, r in enumerate(rows) if r["dataset"] == "cnndm"],
            "xsum": [i for i, r in enumerate(rows) if r["dataset"] == "xsum"]}
    y = [bool(r["consistent"]) for r in rows]
    table = {"unigram precision": [precision(r["summary"], r["article"], 1) for r in rows],
             "bigram precision": [precision(r["summary"], r["article"], 2) for r in rows],
             "support cover (min over lines, unlearned)": [min(e["cover"] for e in f["evs"]) for f in feats],
             "window cover (mean over lines, unlearned)": [float(np.mean([e["window"] for e in f["evs"]]))
                                                           for f in feats]}
    synth = {name: synthetic_rows(name, args.synthetic) for name in ("cnndm", "sumllm")}
    for name, (X, _, kinds) in synth.items():
        print(f"synthetic {name}: {len(X)} lines {kinds}")
    s, _ = cross_validate(rows, feats, [], [], features=PREVIOUS[0], l2=PREVIOUS[1])
    table["previous checker, 25 features (5-fold CV)"] = s.tolist()
    variants = {"checker, FRANK only": ([], []),
                "checker, FRANK + synthetic CNN": (synth["cnndm"][0], synth["cnndm"][1]),
                "checker, FRANK + synthetic GPT-4": (synth["sumllm"][0], synth["sumllm"][1]),
                "checker, FRANK + both synthetic": (np.vstack([synth["cnndm"][0], synth["sumllm"][0]]),
                                                    np.concatenate([synth["cnndm"][1], synth["sumllm"][1]]))}
    oof = {}
    for name, (eX, ey) in variants.items():
        s, ls = cross_validate(rows, feats, eX, ey)
        table[name + " (5-fold CV)"] = s.tolist()
        oof[name] = (s, ls)
    synth_X = np.vstack([synth["cnndm"][0], synth["sumllm"][0]])
    if len(synth_X):
        m = fit_checker(rows, feats, [], synth_X, np.concatenate([synth["cnndm"][1], synth["sumllm"][1]]))
        table["checker, synthetic only (no FRANK)"] = [float(m.summary.predict([M.summary_features(f["X"])])[0])
                                                       for f in feats]
    base = {d: auc([table["bigram precision"][i] for i in idx], [y[i] for i in idx]) for d, idx in sets.items()}
    print(f"\nSummary-level ROC AUC vs `consistent` ({len(sets['cnndm'])} CNN/DM, {len(sets['xsum'])} XSum pairs)\n")
    print(f"| score | CNN/DM | XSum | Δ vs bigram CNN/DM | Δ vs bigram XSum |\n|---|---|---|---|---|")
    for name, sc in table.items():
        a = {d: auc([sc[i] for i in idx], [y[i] for i in idx]) for d, idx in sets.items()}
        print(f"| {name} | {a['cnndm']:.3f} | {a['xsum']:.3f} | {a['cnndm'] - base['cnndm']:+.3f} | "
              f"{a['xsum'] - base['xsum']:+.3f} |")

    if args.seeds:
        seed_spread(rows, feats, sets, y, base, args.seeds)
        unseen_systems(rows, feats, y)

    best_name = max(variants, key=lambda n: min(
        auc([table[n + ' (5-fold CV)'][i] for i in idx], [y[i] for i in idx]) - base[d] for d, idx in sets.items()))
    s, ls = oof[best_name]
    t_sum, bacc = best_threshold(s, y)
    line_s = [p for i in range(len(rows)) for p in ls[i]]
    line_y = [y[i] for i in range(len(rows)) for _ in ls[i]]
    t_line, lbacc = best_threshold(line_s, line_y)
    print(f"\nbest variant: {best_name}; out-of-fold thresholds: summary {t_sum:.3f} "
          f"(balanced accuracy {bacc:.3f}), line {t_line:.3f} (balanced accuracy vs summary label {lbacc:.3f})")

    # speed: reading + checking each pair (articles read fresh), LEAD-3 (pysbd) on the same articles
    pair_ms, line_ms, lead_ms = [], [], []
    for r in rows[:200]:
        t0 = time.perf_counter()
        src = source_of(read_article(r["article"]))
        lines = split_summary(r["summary"])
        t1 = time.perf_counter()
        check_lines(src, lines, model=oof_model(feats, rows))
        t2 = time.perf_counter()
        lead3_pysbd(r["article"])
        t3 = time.perf_counter()
        pair_ms.append((t2 - t0) * 1000)
        line_ms.append((t2 - t1) * 1000 / len(lines))
        lead_ms.append((t3 - t2) * 1000)
    print(f"\nSpeed on {len(pair_ms)} pairs (one process): ms per pair median {statistics.median(pair_ms):.2f} "
          f"p90 {pct(pair_ms, 90):.2f}; ms per summary sentence (checking) median {statistics.median(line_ms):.2f} "
          f"p90 {pct(line_ms, 90):.2f}; LEAD-3 (pysbd) ms per article median {statistics.median(lead_ms):.2f} "
          f"p90 {pct(lead_ms, 90):.2f}")

    if args.fit:
        eX, ey = variants[best_name]
        m = fit_checker(rows, feats, list(range(len(rows))), eX, ey)
        m.line.threshold, m.summary.threshold = round(t_line, 3), round(t_sum, 3)
        m.line.notes = m.summary.notes = (
            f"fit by benchmarks/bench_check.py --fit on all {len(rows)} pairs of frank-validation (a line takes its "
            f"summary's label) + {len(eX)} synthetic lines ({best_name}); threshold: the best balanced accuracy "
            f"of the 5-fold out-of-fold scores")
        path = REPO_ROOT / "src" / "newsgist" / "models" / "grounding-check.json"
        path.write_text(json.dumps(m.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}")
        M._LOADED = None  # the sections below use the new file
    if args.articles:
        highlights_speed(args.articles)
        gpt4_share(args.articles)
    if args.examples:
        compressed_verdicts(args.examples)

    return 0


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


def gpt4_share(n: int) -> None:
    """Share of GPT-4 summary sentences (sumllm-train, training split) the checker supports."""
    import newsgist
    path = data_path("cnndm-llm/sumllm-train-1000.jsonl")
    if not path.exists():
        print("skipped GPT-4 row: ../shared/data/cnndm-llm/sumllm-train-1000.jsonl not found")
        return
    sents = sup = summ = summ_ok = 0
    kinds: dict[str, int] = {}
    for r in read_jsonl(path, limit=n):
        try:
            res = newsgist.check(r["article"], list(r["highlights"]))
        except Exception:  # an article the reader refuses
            continue
        summ += 1
        summ_ok += res["supported"]
        for s in res["sentences"]:
            sents += 1
            sup += s["supported"]
            for u in s["unsupported"]:
                kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
    print(f"\nGPT-4 summaries (sumllm-train, {summ} articles): {sup}/{sents} sentences supported "
          f"({100 * sup / max(sents, 1):.1f} %), {summ_ok}/{summ} summaries ({100 * summ_ok / max(summ, 1):.1f} %); "
          f"unsupported pieces by kind {dict(sorted(kinds.items()))}")


def compressed_verdicts(n: int) -> None:
    """Compressed highlights of validation articles (newsgist highlights --compress) with the
    checker's verdicts, for reading: the source sentence, the highlight, score, pieces."""
    import newsgist
    recs = read_jsonl(require_data("cnndm/validation-1000.jsonl"), limit=400)
    shown = flagged = extractive = ext_flagged = 0
    print(f"\n{n} compressed highlights of validation-1000 (every compressed one in article order), with verdicts")
    for k, r in enumerate(recs):
        if k % 3:  # every third article, so the sample spreads over the file
            continue
        art = newsgist.read(r["article"], highlights_only=True, compress=True)
        for h in art.highlights:
            if not h.compressed:  # whole sentences: how often the checker doubts one
                extractive, ext_flagged = extractive + 1, ext_flagged + (not h.grounding["supported"])
            if not h.compressed or shown >= n:
                continue
            shown += 1
            g = h.grounding
            flagged += not g["supported"]
            pieces = "; ".join(f"{u['kind']}: {u['text']}" for u in g["unsupported"]) or "-"
            print(f"[{shown}] {'OK ' if g['supported'] else 'BAD'} {g['score']:.2f} | {h.text}\n"
                  f"     source: {' '.join(art.source[h.start:h.end].split())}\n     unsupported: {pieces}")
        if shown >= n:
            break
    print(f"checker flags {flagged}/{shown} compressed highlights as unsupported; "
          f"{ext_flagged}/{extractive} uncompressed (whole-sentence) highlights of the same articles")


_SPEED_MODEL = None


def oof_model(feats, rows):
    """A model for the speed run (its weights do not change the time)."""
    global _SPEED_MODEL
    if _SPEED_MODEL is None:
        _SPEED_MODEL = fit_checker(rows, feats, list(range(len(rows))), [], [])
    return _SPEED_MODEL


if __name__ == "__main__":
    sys.exit(main())
