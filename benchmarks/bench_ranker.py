"""The learned ranker against LEAD-3 (computed in the same run), with ROUGE F1.

    python benchmarks/bench_ranker.py [--sets test,val,sumllm,bbc] [--limit N] [--markdown]
    python benchmarks/bench_ranker.py --ablation [--limit N]
    python benchmarks/bench_ranker.py --set-ablation [--limit N]

* test:   CNN test-public-500 (report only: never trained or tuned on), the shipped model.
* val:    CNN validation-1000, *out-of-fold*; sumllm: sumllm-train-1000 (about 920 Daily
          Mail, 80 CNN articles; references = GPT-4's summary as sentences), *out-of-fold*,
          also split by its ``outlet`` field. The fold models are trained here exactly as
          ``newsgist train`` trains on validation-1000 followed by sumllm-train-1000 (the
          shipped model: folds by index mod 5 over that concatenation), with the shipped
          model's tuned blend and count.
* bbc:    BBC News Summary, 2,127 articles (extractive highlights, about 7 a story): another
          outlet and style, never trained on (the shipped model).

Methods: lead3 = LEAD-3 on the raw article (pysbd; the baseline); lead = first 3
sentences after cleaning; position = the unsupervised scorer (automatic count); learned
= the ranker as shipped (the set reranker's choice, else its learned count); learned-greedy
= the first stage alone (greedy selection, learned count; shown when the model has a set
reranker, whose out-of-fold sets are made on the same folds); learned-3 = the first stage
with 3 highlights.

``--ablation``: out-of-fold R-1/R-2 (rouge_score's numbers, computed by the trainer's own
counter) of models trained on each source mix, without each feature group, on a share
of the training articles (the learning curve), and without each selection rule; the
pool is val + sumllm + BBC, and a set left out of training is scored by fold models that
never saw it. Prepared articles (clean, segment, oracle, features) are cached under
``/tmp/newsgist-ranker-cache`` keyed by the code that made them.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import pickle
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_path  # noqa: E402

import newsgist.highlighting.select as select_mod  # noqa: E402
from newsgist.evaluation.evaluate import evaluate, format_table, lead3_pysbd, paired_bootstrap, read_jsonl, to_markdown  # noqa: E402
from newsgist.evaluation.rouge import rouge_tokens  # noqa: E402
from newsgist.evaluation.train_common import _f1, _ngrams  # noqa: E402
from newsgist.evaluation.train_ranker import add_lexicon, article_of, oof_by_style, oof_raw, prepare, tune  # noqa: E402
from newsgist.evaluation.train_rerank import oof_sets, set_data  # noqa: E402
from newsgist.highlighting.ranker import MODEL_PATH, choose_count, load_model  # noqa: E402
from newsgist.highlighting.ranker_features import FEATURE_NAMES, sentence_features  # noqa: E402
from newsgist.highlighting.scorers import score_lead, score_position  # noqa: E402
from newsgist.highlighting.select import select  # noqa: E402

SETS = {"test": "cnndm/test-public-500.jsonl", "val": "cnndm/validation-1000.jsonl",
        "sumllm": "cnndm-llm/sumllm-train-1000.jsonl", "bbc": "bbc/bbc-news-summary.jsonl"}
TRAINED_ON = ("val", "sumllm")  # what the shipped model is trained on, in this order
CACHE = Path("/tmp/newsgist-ranker-cache")
SRC = Path(__file__).resolve().parents[1] / "src" / "newsgist"
FEATURE_GROUPS = {
    "position": ("index", "rel_index", "word_offset", "rel_word_offset", "n_sentences"),
    "length": ("n_words", "len_ratio", "mean_word_len"),
    "similarity": ("centrality", "sim_first", "sim_lead", "sim_prev", "mean_sim", "sumbasic", "novelty",
                   "unsupervised"),
    "cues": ("content_ratio", "cap_ratio", "digit_tokens", "quote_chars", "starts_quote", "quoted_share",
             "attribution", "first_person", "question"),
    "furniture+outlet (issue 16)": ("caption_paren", "label_colon", "no_final_stop", "max_sim_before",
                                    "max_sim_after", "art_caption_share", "art_dup_share", "art_mean_words",
                                    "cnn_dateline"),
    "lexicon (word salience)": ("lex_mean", "lex_max", "lex_pos_sum", "lex_min"),
}


def _texts(article, scores, count, prefer=None):
    return [h.text for h in select(article, scores, count, prefer=prefer)]


def methods_for(model, oof_by_text=None):
    """Method table text -> highlights. ``oof_by_text`` maps an article text to its
    out-of-fold (raw scores, chosen set or None); otherwise the shipped model scores it."""
    def lead(text):
        a = article_of(text)
        return _texts(a, score_lead(a), 3)

    def position(text):
        a = article_of(text)
        return _texts(a, score_position(a), None)

    def learned_scores(text):
        a = article_of(text)
        if oof_by_text is not None:
            raw, chosen = oof_by_text[text]
            scores = [float(s) for s in model.combine(raw, sentence_features(a))]
        else:
            scores, chosen = model.score_and_set(a)
        return a, scores, chosen

    def learned(text):
        a, s, chosen = learned_scores(text)
        if chosen:
            return _texts(a, s, len(chosen), chosen)
        return _texts(a, s, choose_count(a, s, model.count4_threshold))

    def greedy(text):
        a, s, _ = learned_scores(text)
        return _texts(a, s, choose_count(a, s, model.count4_threshold))

    def learned3(text):
        a, s, _ = learned_scores(text)
        return _texts(a, s, 3)

    methods = {"lead3": lead3_pysbd, "lead": lead, "position": position, "learned": learned}
    if model.rerank is not None:
        methods["learned-greedy"] = greedy   # the first stage alone (no set reranker)
    methods["learned-3"] = learned3
    return methods


def ranker_cost_ms(model, records, n=300) -> tuple[float, float]:
    """Median ms per article of the learned scorer and of the position scorer alone."""
    arts = [article_of(r["article"]) for r in records[:n]]
    out = []
    def learned(a):
        scores, chosen = model.score_and_set(a)
        return chosen or choose_count(a, scores, model.count4_threshold)

    for fn in (learned, score_position):
        times = []
        for a in arts:
            t0 = time.perf_counter()
            fn(a)
            times.append(1000 * (time.perf_counter() - t0))
        out.append(statistics.median(times))
    return out[0], out[1]


def prepared(name, records):
    """``prepare(records)`` (no record may be skipped), cached by the code that makes it."""
    key = hashlib.md5(b"".join((SRC / p).read_bytes() for p in (
        "highlighting/ranker_features.py", "reading/clean.py", "reading/segment.py",
        "evaluation/train_ranker.py"))).hexdigest()[:10]
    path = CACHE / f"{name}-{len(records)}-{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    examples, skipped = prepare(records)
    if skipped:
        raise SystemExit(f"{skipped} {name} articles were skipped by cleaning; cannot align OOF scores")
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(examples))
    return examples


def main_tables(args, model):
    recs = {n: list(read_jsonl(data_path(SETS[n]), limit=args.limit)) for n in SETS if data_path(SETS[n]).exists()}
    oof = None
    if any(n in args.sets for n in TRAINED_ON) and all(n in recs for n in TRAINED_ON):
        t0 = time.perf_counter()
        pool = [(n, r) for n in TRAINED_ON for r in recs[n]]
        examples = [e for n in TRAINED_ON for e in prepared(n, recs[n])]
        folds, seed, ens = model.info.get("folds", 5), model.info.get("seed", 0), _ensemble(model)
        add_lexicon(examples)
        raw = oof_by_style(examples, folds, seed, threads=1, ensemble=ens)
        picked = {}
        if model.rerank is not None:   # the set reranker out of fold too, on the same folds
            scores = [[float(x) for x in model.combine(r, e.X)] for e, r in zip(examples, raw)]
            picked = oof_sets(set_data(examples, raw, scores), folds, seed, threads=1, ensemble=ens)
        oof = {r["article"]: (s, picked.get(i)) for i, ((_, r), s) in enumerate(zip(pool, raw))}
        print(f"[val+sumllm] out-of-fold models trained in {time.perf_counter() - t0:.0f} s")
    for name in args.sets.split(","):
        if name not in recs:
            print(f"skipped {name}: {data_path(SETS[name])} not found")
            continue
        records = recs[name]
        result = evaluate(records, methods_for(model, oof if name in TRAINED_ON else None))
        kind = "out of fold" if name in TRAINED_ON else "never trained on"
        print(f"\n## {name}: {data_path(SETS[name]).name} ({len(records)} articles, {kind})\n")
        print(to_markdown(result) if args.markdown else format_table(result, baseline="lead3"))
        for metric in ("rouge1", "rouge2", "rougeLsum"):
            d, lo, hi = paired_bootstrap(result.per_article["learned"], result.per_article["lead3"], metric)
            print(f"learned - lead3 {metric}: {d:+.2f} (95% CI {lo:+.2f} .. {hi:+.2f})")
        outlets = sorted({r.get("outlet") for r in records if r.get("outlet")})
        for outlet in outlets if len(outlets) > 1 else ():
            idx = [i for i, r in enumerate(records) if r.get("outlet") == outlet]
            cells = []
            for m in ("lead3", "learned"):
                per = result.per_article[m]
                cells.append([statistics.fmean(per[i][k] for i in idx) for k in ("rouge1", "rouge2", "rougeLsum")])
            d = [b - a for a, b in zip(*cells)]
            print(f"  {outlet} ({len(idx)}): lead3 {cells[0][0]:.2f}/{cells[0][1]:.2f}/{cells[0][2]:.2f}  learned "
                  f"{cells[1][0]:.2f}/{cells[1][1]:.2f}/{cells[1][2]:.2f}  (Δ {d[0]:+.2f}/{d[1]:+.2f}/{d[2]:+.2f})")
    if "test" in recs:
        ms, pos_ms = ranker_cost_ms(model, recs["test"])
        print(f"\nspeed: learned scorer {ms:.2f} ms/article median (position scorer {pos_ms:.2f} ms), one process")


# ------------------------------------------------------------------------- ablation
def _r12(ex, toks):
    return 100 * _f1(_ngrams(toks, 1), ex.ref1), 100 * _f1(_ngrams(toks, 2), ex.ref2)


def _score_sets(model, pool, raw, count=3):
    """{set: (R-1, R-2, LEAD-3 R-1, LEAD-3 R-2)} of the selections from ``raw``."""
    out = {}
    for name in dict.fromkeys(n for n, _, _ in pool):
        rows = []
        for (n, ex, l3), r in zip(pool, raw):
            if n != name:
                continue
            s = [float(x) for x in model.combine(r, ex.X)]
            chosen = sorted(h.sentence for h in select(ex.article, s, count))
            rows.append(_r12(ex, [t for i in chosen for t in ex.tokens[i]]) + l3)
        out[name] = tuple(statistics.fmean(x[k] for x in rows) for k in range(4))
    return out


def _line(label, res):
    cells = "  ".join(f"{n} {r1:.2f} ({r1 - l1:+.2f}) / {r2:.2f} ({r2 - l2:+.2f})" for n, (r1, r2, l1, l2) in res.items())
    print(f"| {label} | {cells} |", flush=True)


def ablation(args, model):
    pool = []
    for name in ("val", "sumllm", "bbc"):
        recs = list(read_jsonl(data_path(SETS[name]), limit=args.limit))
        for r, ex in zip(recs, prepared(name, recs)):
            l3 = _r12(ex, rouge_tokens(" ".join(lead3_pysbd(r["article"]))))
            pool.append((name, ex, l3))
    examples = [ex for _, ex, _ in pool]
    srcs = [n for n, _, _ in pool]
    folds, seed, ens = model.info.get("folds", 5), model.info.get("seed", 0), _ensemble(model)

    def run(label, mask=None, weights=None, exs=examples, per_style=True, lexicon=True):
        t0 = time.perf_counter()
        if lexicon:   # counted from this row's training articles, as `newsgist train` would
            add_lexicon(exs, mask, per_style=per_style and weights is None)
        if per_style and weights is None:
            raw = oof_by_style(exs, folds, seed, threads=1, train_mask=mask, ensemble=ens)
        else:
            raw = oof_raw(exs, folds, seed, threads=1, weights=weights, train_mask=mask, ensemble=ens)
        _line(f"{label} ({time.perf_counter() - t0:.0f} s)", _score_sets(model, pool, raw))
        return raw

    print("R-1 (Δ LEAD-3) / R-2 (Δ LEAD-3), out of fold, 3 highlights, the shipped model's blend; "
          "a set not trained on is scored by fold models that never saw it\n")
    print("| trained on | scores |\n|---|---|")
    t0 = time.perf_counter()
    add_lexicon(examples, [s in TRAINED_ON for s in srcs])
    base = oof_by_style(examples, folds, seed, threads=1, train_mask=[s in TRAINED_ON for s in srcs], ensemble=ens)
    _line(f"val + sumllm, trees per dateline style (shipped) ({time.perf_counter() - t0:.0f} s)",
          _score_sets(model, pool, base))
    run("val + sumllm, one model for both styles", [s in TRAINED_ON for s in srcs], per_style=False)
    for label, mask in (("val only", [s == "val" for s in srcs]), ("sumllm only", [s == "sumllm" for s in srcs])):
        run(label, mask)
    for w in (0.1, 1.0):
        run(f"val + sumllm + bbc (weight {w}, one model)", None, [w if s == "bbc" else 1.0 for s in srcs])
    print("\n| without feature group (val + sumllm) | scores |\n|---|---|")
    add_lexicon(examples, [s in TRAINED_ON for s in srcs])
    for group, names in FEATURE_GROUPS.items():
        cols = [FEATURE_NAMES.index(n) for n in names]
        masked = []
        for ex in examples:
            X = ex.X.copy()
            X[:, cols] = 0.0
            masked.append(dataclasses.replace(ex, X=X))
        run(f"− {group}", [s in TRAINED_ON for s in srcs], exs=masked, lexicon=False)
    print("\n| learning curve: share of the training folds' val + sumllm articles | scores |\n|---|---|")
    for share in (0.25, 0.5):
        keep = [s in TRAINED_ON and (i * 7919 % 100) < share * 100 for i, s in enumerate(srcs)]
        run(f"{share:.0%} (~{int(share * 0.8 * sum(s in TRAINED_ON for s in srcs))} articles)", keep)
    print("| 100% (shipped mix) | as the first table's first row |")
    print("\n| selection rule off (val + sumllm fold models) | scores |\n|---|---|")
    for const in ("SKIP_CAPTIONS", "SKIP_MID_QUOTE"):
        old = getattr(select_mod, const)
        setattr(select_mod, const, False)
        try:
            _line(f"{const} = False", _score_sets(model, pool, base))
        finally:
            setattr(select_mod, const, old)


SET_FEATURE_GROUPS = {
    "scores and ranks": ("score_sum", "score_mean", "score_min", "score_max", "prob_sum", "prob_min",
                         "score_vs_top3", "rank_sum", "rank_max"),
    "length": ("words_sum", "words_mean", "words_max", "words_min", "words_vs_article"),
    "position": ("first_index", "has_first", "rel_index_mean", "rel_index_max"),
    "overlap and coverage": ("overlap_max", "overlap_mean", "distinct_share", "top_coverage", "distinct_stems"),
    "article and style": ("cnn_dateline", "art_mean_words", "n_sentences", "n_candidates"),
    "cues": ("quoted_sum", "digits_sum"),
    "lexicon (word salience)": ("lex_cover", "lex_cover_share", "lex_neg_mean"),
}


def _trained_pool(args) -> list:
    """(set name, prepared example, LEAD-3 R-1/R-2 pair) for the training sets (val, sumllm)."""
    pool = []
    for name in TRAINED_ON:
        recs = list(read_jsonl(data_path(SETS[name]), limit=args.limit))
        for r, ex in zip(recs, prepared(name, recs)):
            pool.append((name, ex, _r12(ex, rouge_tokens(" ".join(lead3_pysbd(r["article"]))))))
    add_lexicon([ex for _, ex, _ in pool])
    return pool


def _set_liner(pool):
    """A function printing one table row: the mean ROUGE of chosen sentences per training set."""
    def line(label, chosen):
        out = {}
        for name in TRAINED_ON:
            rows = [_r12(ex, [t for i in sorted(c) for t in ex.tokens[i]]) + l3
                    for (n, ex, l3), c in zip(pool, chosen) if n == name]
            out[name] = tuple(statistics.fmean(x[k] for x in rows) for k in range(4))
        _line(label, out)
    return line


def set_ablation(args, model):
    """The set reranker out of fold on val + sumllm: greedy selection, all set features,
    and without each set-feature group (zeroed in training and scoring)."""
    import numpy as np
    from newsgist.highlighting.rerank import SET_FEATURE_NAMES
    pool = _trained_pool(args)
    examples = [ex for _, ex, _ in pool]
    folds, seed, ens = model.info.get("folds", 5), model.info.get("seed", 0), _ensemble(model)
    raw = oof_by_style(examples, folds, seed, threads=1, ensemble=ens)
    scores = [[float(x) for x in model.combine(r, e.X)] for e, r in zip(examples, raw)]
    greedy = [[h.sentence for h in select(e.article, s, choose_count(e.article, s, model.count4_threshold))]
              for e, s in zip(examples, scores)]
    data = set_data(examples, raw, scores)
    line = _set_liner(pool)

    print("R-1 (Δ LEAD-3) / R-2 (Δ LEAD-3), out of fold, the shipped first stage's scores\n")
    print("| selection | scores |\n|---|---|")
    line("greedy, learned count (first stage alone)", greedy)
    picked = oof_sets(data, folds, seed, threads=1, ensemble=ens)
    line("set reranker, all set features (shipped)", [picked.get(i, g) for i, g in enumerate(greedy)])
    for group, names in SET_FEATURE_GROUPS.items():
        cols = [SET_FEATURE_NAMES.index(n) for n in names]
        masked = []
        for d in data:
            if d is not None:
                F = np.array(d[1])
                F[:, cols] = 0.0
                d = (d[0], F) + tuple(d[2:])
            masked.append(d)
        picked = oof_sets(masked, folds, seed, threads=1, ensemble=ens)
        line(f"− {group}", [picked.get(i, g) for i, g in enumerate(greedy)])


def _ensemble(model) -> int:
    """Boosters per stage the model was trained with (models before ENSEMBLE_SEEDS: one)."""
    return int(model.info.get("ensemble", 1))


def ensemble_ablation(args, model):
    """Out of fold on val + sumllm, trained and tuned as ``newsgist train`` does, with 1, 3
    and 5 boosters per stage (bagging seeds averaged): greedy selection and the sets."""
    from newsgist.highlighting.ranker import blend
    pool = _trained_pool(args)
    examples = [ex for _, ex, _ in pool]
    folds, seed = model.info.get("folds", 5), model.info.get("seed", 0)
    line = _set_liner(pool)

    print("R-1 (Δ LEAD-3) / R-2 (Δ LEAD-3), out of fold, each row trained and tuned as `newsgist train`\n")
    print("| boosters per stage | scores |\n|---|---|")
    for n in (1, 3, 5):
        t0 = time.perf_counter()
        raw = oof_by_style(examples, folds, seed, threads=1, ensemble=n)
        t = tune(examples, raw)
        scores = [[float(x) for x in blend(r, e.X, t["length_penalty"], t["length_penalty_dateline"],
                                           t["prior_weight"])] for e, r in zip(examples, raw)]
        greedy = [[h.sentence for h in select(e.article, s, choose_count(e.article, s, t["count4_threshold"]))]
                  for e, s in zip(examples, scores)]
        line(f"{n}, greedy", greedy)
        picked = oof_sets(set_data(examples, raw, scores), folds, seed, threads=1, ensemble=n)
        line(f"{n}, sets ({time.perf_counter() - t0:.0f} s)", [picked.get(i, g) for i, g in enumerate(greedy)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="test,val,sumllm,bbc")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--ablation", action="store_true", help="source / feature-group / learning-curve tables")
    ap.add_argument("--set-ablation", action="store_true",
                    help="the set reranker out of fold: greedy vs sets, and without each set-feature group")
    ap.add_argument("--ensemble-ablation", action="store_true",
                    help="out of fold with 1, 3 and 5 boosters per stage (bagging seeds averaged)")
    args = ap.parse_args()
    model = load_model()
    print(f"model: {MODEL_PATH.name}, {MODEL_PATH.stat().st_size / 1024:.0f} KiB, {len(model.trees.roots)} trees, "
          f"length_penalty={model.length_penalty} (dateline {model.length_penalty_dateline}), "
          f"prior_weight={model.prior_weight}, count4_threshold={model.count4_threshold}")
    if args.ensemble_ablation:
        ensemble_ablation(args, model)
    elif args.set_ablation:
        set_ablation(args, model)
    elif args.ablation:
        ablation(args, model)
    else:
        main_tables(args, model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
