"""Issue 30, session 4, round 2: ECB+ recall -- joining the small split groups of one event --
measured by leave-topics-out CV on ECB+ dev and on both invented look-alike sets in one run.

    python benchmarks/bench_cluster_recall.py [--folds 7]
    python benchmarks/bench_cluster_recall.py --draws 8   # each family's pick vs the default, 8 draws of each set

What the split events look like (the default at 0.2, all 496 one chunk): 61 of ECB+'s errors
are recall (P 0.970, R 0.876); a split piece's average link with its event's main group is
0.13-0.19, and often within 0.01 of its link with the *other* event of its topic (topic 25:
0.191 against 0.186); many pieces are one-sentence articles (topic 23: "An Australian climber
who survived two nights stuck on Mount Cook...") or pages whose top names the event and whose
body is a long list (topic 11's candidate counts).

Pre-registered (written before the first run), as bench_cluster_slots.py: per family the setting
with the best B-cubed F1 on the other 18 topics is scored on the held-out 3 (ties: the first of
the grid, which is always the default itself); the setting most folds chose (ties: in-sample
F1, then the first) is scored on both invented sets, alone and after the ECB+ articles. A family
is shipped only if its CV is at least 0.005 above the default's with its held-out F1 at least
the default's in 5 of 7 folds, and over ``--draws 8`` neither invented set's mean (alone and
after ECB+) drops by more than 0.005, the shootings staying >= 0.93.

Families (on top of the shipped score S = plain * F, F the numbers and slot conflict factors
and the date window; the threshold held at 0.2):
- ``lede mix (alpha)``: ((1 - alpha) * plain + alpha * lede) * F, ``lede`` the words and names
  cosine of the two articles' tops (slots._lead: the first 300 characters without address
  lines), weighted by the IDF of the whole chunk: the headline and first sentence name the event;
- ``lede max (beta)``: max(plain, beta * lede) * F (a short article that is its own lede);
- ``group second pass (lower, small)``: after the average link at 0.2, groups keep merging by
  average link down to ``lower`` where one of the two holds at most ``small`` articles and their
  pooled slot values (age, weekday, street, protagonist) conflict on none and share one;
- ``lede mix + second pass``: the two, at the lede family's pick;
- added after the second pass failed the draws guard (shootings after ECB+ 0.934 -> 0.923), each
  chosen by the same CV rule: sharing at least 2 types; the other group holding at least ``big``
  articles (an event's main group). The CV chose no size bar; sharing 2 failed the guard the same way.
So the second pass shipped opt-in in round 2 (``newsgist cluster --second-pass``, linkage.SECOND).
Round 3 (its decision rule in BENCHMARKS.md, written before the run; ``--only FAMILY ...`` runs
a subset): ``round 3: shared beyond age`` (a shared age no longer counts as agreement) and
``... + place conflict`` (the dateline / "in <Town>" at the top, slots.py "place", as a conflict
type); the first met the rule (with bench_cluster_second_cnndm.py: no merge on lower-cased CNN/DM)
and is the default of new states. The product's path gives this script's partitions.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from bench_cluster import bcubed, load_ecb, topic_folds  # noqa: E402
from bench_cluster_slots import CHOSEN, multi, prep  # noqa: E402
from newsgist.corpus import slots as slots_mod  # noqa: E402
from newsgist.corpus.features import extract  # noqa: E402
from newsgist.corpus.index import StoryIndex  # noqa: E402
from newsgist.corpus.linkage import CONFLICT, SLOTS, average_link, conflicts, pair_scores  # noqa: E402

T4 = tuple(SLOTS["types"])


def prep_all(recs: list) -> dict:
    c = prep(recs)
    feats = [extract(r["text"], r.get("date")) for r in recs]
    idx = StoryIndex()
    for f in feats:
        idx.count(f)
    ledes = []
    for r, f in zip(recs, feats):
        top = extract(slots_mod._lead(r["text"]))   # a word the cut halves is not the article's: dropped
        v = idx.vector({g: {k: x for k, x in top[g].items() if k in f[g]} for g in ("words", "names")})
        v["numbers"] = (np.zeros(0, np.int64), np.zeros(0))
        ledes.append(v)
    c["lede"] = pair_scores(ledes, [None] * len(recs), {"words": 1.0, "names": 1.0}, 0)
    d = np.asarray([np.nan if x is None else float(x) for x in c["days"]])
    with np.errstate(invalid="ignore"):
        near = ~(np.abs(d[:, None] - d[None, :]) > c["params"]["date_window"])
    c["F"] = (conflicts(c["numbers_held"], c["numbers_cos"], CONFLICT) * slots_mod.factors(c["slots"], SLOTS)
              * near)
    np.fill_diagonal(c["F"], 0.0)
    c["S"] = multi(c, *CHOSEN)
    assert np.allclose(c["S"], c["plain"] * c["F"]), "F must rebuild the shipped score"
    return c


def lede_mix(c, alpha):
    return ((1 - alpha) * c["plain"] + alpha * c["lede"]) * c["F"]


def lede_max(c, beta):
    return np.maximum(c["plain"], beta * c["lede"]) * c["F"]


#: Round 3 (session 4): the types two groups must share one of (not ages alone), and those they
#: may not conflict on (plus the place: the dateline or "in <Town>" at the top).
AGREE3 = ("weekday", "street", "protagonist")
CONFLICT5 = T4 + ("place",)


def second_pass(score: np.ndarray, slots: list, th: float, lower: float, small: int, need: int = 1,
                big: int = 1, agree=T4, conflict=T4) -> list:
    """Average link down to ``th``; then group pairs keep merging, best first, down to ``lower``
    where one holds at most ``small`` articles and their pooled slots conflict on none of T4
    and share a value in at least ``need`` of them."""
    groups = [list(g) for g in average_link(score, th)]
    if lower >= th or len(groups) < 2:
        return groups
    pooled = [slots_mod.merge({}, [slots[p] for p in g]) for g in groups]
    m = len(groups)
    member = np.zeros((m, score.shape[0]))
    for k, g in enumerate(groups):
        member[k, g] = 1.0
    sums = member @ score @ member.T   # the sum of the pair scores between two groups
    sizes = member.sum(axis=1)
    alive = np.ones(m, bool)

    def allowed(a, b):
        if min(sizes[a], sizes[b]) > small or max(sizes[a], sizes[b]) < big:
            return False
        pa, pb = pooled[a], pooled[b]
        return slots_mod.conflicting(pa, pb, conflict) == 0 and sum(
            bool(set(pa.get(t, ())) & set(pb.get(t, ()))) for t in agree) >= need

    while True:
        avg = sums / np.outer(sizes, sizes)
        avg[~alive, :] = -1.0
        avg[:, ~alive] = -1.0
        np.fill_diagonal(avg, -1.0)
        avg = np.triu(avg, 1) + np.tril(np.full_like(avg, -1.0))
        order = np.argsort(-avg, axis=None, kind="stable")   # best first, ties: the lowest positions
        pair = None
        for flat in order:
            a, b = divmod(int(flat), m)
            if avg[a, b] < lower:
                break
            if allowed(a, b):
                pair = (a, b)
                break
        if pair is None:
            return sorted((sorted(groups[a]) for a in range(m) if alive[a]), key=lambda g: g[0])
        a, b = pair
        groups[a] += groups[b]
        pooled[a] = slots_mod.merge(pooled[a], [pooled[b]])
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        alive[b] = False


def labels(groups: list, n: int) -> list:
    pred = [0] * n
    for k, g in enumerate(groups):
        for p in g:
            pred[p] = k
    return pred


def run(c, family, p) -> list:
    n = c["S"].shape[0]
    if family == "default":
        return labels(average_link(c["S"], 0.2), n)
    if family == "lede mix (alpha)":
        return labels(average_link(lede_mix(c, *p), 0.2), n)
    if family == "lede max (beta)":
        return labels(average_link(lede_max(c, *p), 0.2), n)
    if family == "round 3: shared beyond age (lower, small)":
        return labels(second_pass(c["S"], c["slots"], 0.2, *p, agree=AGREE3), n)
    if family == "round 3: shared beyond age + place conflict (lower, small)":
        return labels(second_pass(c["S"], c["slots"], 0.2, *p, agree=AGREE3, conflict=CONFLICT5), n)
    if family.startswith("group second pass"):
        return labels(second_pass(c["S"], c["slots"], 0.2, *p), n)
    if family == "lede mix (alpha) + second pass (lower, small)":
        return labels(second_pass(lede_mix(c, p[0]), c["slots"], 0.2, *p[1:]), n)
    raise KeyError(family)


LOWERS = (0.2, 0.175, 0.15, 0.125, 0.1)
FAMILIES = {
    "default": [()],
    "lede mix (alpha)": [(a,) for a in (0.0, 0.1, 0.2, 0.3, 0.4)],
    "lede max (beta)": [(b,) for b in (0.0, 0.4, 0.5, 0.6, 0.7)],
    "group second pass (lower, small)": list(itertools.product(LOWERS, (1, 2, 3, 1000))),
    "group second pass, 2 shared (lower, small, need)": list(itertools.product(LOWERS, (1, 2, 3, 1000), (2,))),
    # added after the first two failed the draws guard: the other group must hold at least ``big``
    # (a piece joins an event's main group, as the ECB+ diagnostics showed)
    "group second pass into a main group (lower, small, need, big)": list(itertools.product(
        LOWERS, (1, 2, 3), (1, 2), (1, 4, 6))),
    # round 3 (registered in BENCHMARKS.md before the run): fix 1, then fixes 1 + 2
    "round 3: shared beyond age (lower, small)": list(itertools.product(LOWERS, (1, 2, 3, 1000))),
    "round 3: shared beyond age + place conflict (lower, small)": list(itertools.product(LOWERS, (1, 2, 3, 1000))),
}


def select(ecb, gold, sels, grid, family):
    everything = list(range(len(gold)))

    def f1(pred, sel):
        return bcubed([pred[i] for i in sel], [gold[i] for i in sel])[0]

    preds = {p: run(ecb, family, p) for p in grid}
    chosen, rows, total = [], [], 0.0
    for train, test in sels:
        best = max(preds, key=lambda q: f1(preds[q], train))   # ties: the first (the default)
        chosen.append(best)
        rows.append(f1(preds[best], test))
        total += rows[-1] * len(test)
    counts = Counter(chosen)
    order = {q: k for k, q in enumerate(preds)}
    pick = max(counts, key=lambda q: (counts[q], f1(preds[q], everything), -order[q]))
    return total / len(gold), pick, counts[pick], f1(preds[pick], everything), rows


def looks_sets(recs, seed_shift=0):
    from lookalike_local import reports as local_reports
    from lookalike_shootings import reports as shooting_reports
    out = {}
    for name, reps, key in (("shootings", shooting_reports(24, 30 + seed_shift), "incident"),
                            ("local", local_reports(44 + seed_shift), "event")):
        lab = [r[key] for r in reps]
        out[f"{name} alone"] = (prep_all(reps), list(range(len(reps))), lab)
        out[f"{name} after ECB+"] = (prep_all(recs + reps), list(range(len(recs), len(recs) + len(reps))),
                                     [None] * len(recs) + lab)
    return out


def score_looks(looks, family, p) -> list:
    out = []
    for c, sel, lab in looks.values():
        pred = run(c, family, p)
        out.append(bcubed([pred[i] for i in sel], [lab[i] for i in sel])[0])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folds", type=int, default=7)
    ap.add_argument("--draws", type=int, default=0)
    ap.add_argument("--only", nargs="*", default=None, help="families to run (default: all)")
    args = ap.parse_args()
    recs = load_ecb()
    gold = [r["subtopic"] for r in recs]
    folds, sels = topic_folds(recs, args.folds)
    ecb = prep_all(recs)
    fams = dict(FAMILIES)
    if args.only is None:
        lede_pick = select(ecb, gold, sels, fams["lede mix (alpha)"], "lede mix (alpha)")[1]
        fams["lede mix (alpha) + second pass (lower, small)"] = [(lede_pick[0], *q) for q in
                                                                 FAMILIES["group second pass (lower, small)"]]
    else:
        fams = {k: v for k, v in fams.items() if k in ("default", *args.only)}
    results = {name: select(ecb, gold, sels, grid, name) for name, grid in fams.items()}
    if args.draws:
        print("| family (pick) | set | " + " | ".join(f"draw {k}" for k in range(args.draws)) + " | mean | default mean |")
        print("|---|---|" + "---|" * (args.draws + 2))
        per = {}
        for k in range(args.draws):
            looks = looks_sets(recs, k)
            for name, r in results.items():
                per.setdefault(name, []).append(score_looks(looks, name, r[1]))
        names = list(looks_sets(recs, 0))
        base = np.asarray(per["default"])
        for name, r in results.items():
            got = np.asarray(per[name])
            for j, s in enumerate(names):
                print(f"| {name} {r[1]} | {s} | " + " | ".join(f"{x:.3f}" for x in got[:, j])
                      + f" | **{got[:, j].mean():.3f}** | {base[:, j].mean():.3f} |", flush=True)
        return
    looks = looks_sets(recs)
    print(f"ECB+ dev {len(recs)} articles, leave-{len(folds[0])}-topics-out ({args.folds} folds)\n")
    print("| family | **CV F1** | chosen (folds) | ECB+ in-sample | " + " | ".join(looks) + " |")
    print("|---|---|---|---|" + "---|" * len(looks))
    for name, (cv, pick, n, ins, _) in results.items():
        lk = score_looks(looks, name, pick)
        print(f"| {name} | **{cv:.3f}** | {pick} ({n}/{args.folds}) | {ins:.3f} | "
              + " | ".join(f"{x:.3f}" for x in lk) + " |", flush=True)
    print("\nPer fold (held-out F1):\n")
    print("| fold | topics | " + " | ".join(results) + " |")
    print("|---|---|" + "---|" * len(results))
    for k in range(args.folds):
        print(f"| {k + 1} | {','.join(map(str, folds[k]))} | "
              + " | ".join(f"{r[4][k]:.3f}" for r in results.values()) + " |")


if __name__ == "__main__":
    main()
