"""Story benchmark (issue 29): one story card from several articles.

    python benchmarks/bench_story.py [--limit N] [--speed N] [--big 50] [--words 250] [--tune] [--speed-only]
    python benchmarks/bench_story.py --probe [--probe-from 100 --probe-n 200]

1. Quality on ../shared/data/multi/multinews-validation-250.jsonl: ROUGE-1/2/L/Lsum F1
   (rouge-score, Porter stemming) of the story highlights at a word budget (``--words``,
   250) against the editors' summary, beside, in the same run and cut to the same budget:
   LEAD round-robin (the first sentence of each article in turn, pysbd split of the raw
   text), LexRank and TextRank over all articles' sentences (sumy 0.13, fed pysbd-split
   sentences and a regex word tokenizer: sumy's own tokenizer needs nltk data that cannot
   be downloaded here). Every system's text is cut at the budget's last word. The story is
   built on highlights-only reads of its articles (``story(..., highlights_only=True)`` does
   the same): its highlights use sentences, ranker scores and the fact index, not the parse.
   Rows: ``story`` (the learned sentence model, fit on stories 0-99 by train_story.py) and
   ``story, hand weights`` (rank.py's weights, session 1); with more than 100 stories the
   tables are printed for 0-99 (the model's training stories), for the rest (never used to
   fit or choose) and for all.
2. Speed: per story, ``newsgist.story`` end to end against the sum of its articles' cards
   (``newsgist.read``), interleaved in the same run (``--speed N`` stories), and one story of
   ``--big`` articles (Multi-News articles of consecutive stories: a worst case for matching).
3. ``--probe``: disagreement precision and recall. From CNN/DM validation articles (cards of
   ``../shared/data/cnndm/validation-1000.jsonl``): the article beside a copy with one figure
   changed (the card must list both values, each in its own article) and beside a copy with
   its last paragraph dropped (no disagreement may be listed); plus the hand-written story in
   examples/story/. ``--probe-from`` picks the held-out slice (articles 0-99 were used to set
   CONTEXT_MIN; 100 on are held out).
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO_ROOT, median, pop_option, require_data  # noqa: E402

import newsgist  # noqa: E402
from newsgist.errors import TooLargeError  # noqa: E402
from newsgist.story import StoryOptions  # noqa: E402

ROUGE = ("rouge1", "rouge2", "rougeL", "rougeLsum")
PEERS = ("lead-rr", "lexrank", "textrank")
# Stories 0-99 trained the learned sentence model (benchmarks/train_story.py): a run over more
# prints them apart from the rest, which were never used to fit or choose anything.
TUNING_STORIES = 100


def truncate(sents: list[str], budget: int) -> list[str]:
    out, n = [], 0
    for s in sents:
        ws = s.split()
        if n + len(ws) > budget:
            if budget - n > 0:
                out.append(" ".join(ws[:budget - n]))
            break
        out.append(" ".join(ws))
        n += len(ws)
    return out


def _segmenter():
    import pysbd
    return pysbd.Segmenter(language="en", clean=False)


def split(seg, text: str) -> list[str]:
    return [s.strip() for s in seg.segment(text) if s.strip()]


def lead_round_robin(seg, articles: list[str], budget: int) -> list[str]:
    sents = [split(seg, a) for a in articles]
    out, n, i = [], 0, 0
    while n < budget and any(i < len(s) for s in sents):
        for s in sents:
            if i < len(s):
                out.append(s[i])
                n += len(s[i].split())
        i += 1
    return truncate(out, budget)


class _Tok:
    """sumy's tokenizer interface without nltk data: sentences come pre-split."""
    language = "english"
    _W = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")

    def to_sentences(self, paragraph):
        return [paragraph]

    def to_words(self, sentence):
        return self._W.findall(sentence)


def sumy_rank(kind: str, seg, articles: list[str], budget: int) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words
    tok = _Tok()
    sents = [s for a in articles for s in split(seg, a)]
    doc = ObjectDocumentModel([Paragraph([Sentence(s, tok) for s in sents])])
    if kind == "lexrank":
        from sumy.summarizers.lex_rank import LexRankSummarizer as S
    else:
        from sumy.summarizers.text_rank import TextRankSummarizer as S
    summ = S(Stemmer("english"))
    summ.stop_words = get_stop_words("english")
    if kind == "lexrank":  # LexRankSummarizer.__call__'s steps, keeping the scores (it has no rate_sentences)
        words = [summ._to_words_set(s) for s in doc.sentences]
        matrix = summ._create_matrix(words, summ.threshold, summ._compute_tf(words), summ._compute_idf(words))
        scores = list(summ.power_method(matrix, summ.epsilon))
    else:
        ratings = summ.rate_sentences(doc)
        scores = [ratings[s] for s in doc.sentences]
    order = sorted(range(len(doc.sentences)), key=lambda i: (-scores[i], i))
    return truncate([str(doc.sentences[i]) for i in order], budget)


def reference(summary: str, seg) -> list[str]:
    return split(seg, re.sub(r"^\s*[–-]\s*", "", summary))


def quality(recs, budget: int, tune: bool):
    from rouge_score import rouge_scorer
    scorer = rouge_scorer.RougeScorer(list(ROUGE), use_stemmer=True)
    seg = _segmenter()
    systems = {"story": [], "story, hand weights": [], "lead-rr": [], "lexrank": [], "textrank": []}
    refs, cache = [], []
    t_cards = 0.0
    for n, rec in enumerate(recs):
        arts = [a for a in rec["articles"] if a.strip()]
        cards = {}
        t0 = time.perf_counter()
        for i, a in enumerate(arts):   # highlights-only reads: the story highlights do not use the parse
            try:
                cards[i] = newsgist.read(a, highlights_only=True)
            except newsgist.NewsgistError as exc:
                cards[i] = exc
        t_cards += time.perf_counter() - t0
        cache.append(cards)
        refs.append(reference(rec["summary"], seg))
        systems["story"].append(story_text(arts, cards, budget))
        systems["story, hand weights"].append(story_text(arts, cards, budget, hand=True))
        systems["lead-rr"].append(lead_round_robin(seg, arts, budget))
        systems["lexrank"].append(sumy_rank("lexrank", seg, arts, budget))
        systems["textrank"].append(sumy_rank("textrank", seg, arts, budget))
        if (n + 1) % 25 == 0:
            print(f"  {n + 1}/{len(recs)} stories", file=sys.stderr, flush=True)
    per = {name: rouge_rows(scorer, preds, refs) for name, preds in systems.items()}
    parts = [(f"all {len(recs)}", range(len(recs)))]
    if len(recs) > TUNING_STORIES:   # the learned model was fit on stories 0-99: report the rest apart
        parts = [(f"0-{TUNING_STORIES - 1} (the learned model's training stories)", range(TUNING_STORIES)),
                 (f"{TUNING_STORIES}-{len(recs) - 1} (never used to fit or choose)", range(TUNING_STORIES, len(recs))),
                 *parts]
    for label, idx in parts:
        print(f"\n## Multi-News validation, stories {label}, {budget} words\n")
        print("| system | " + " | ".join(ROUGE) + " |\n|---|" + "---|" * len(ROUGE))
        means = {name: [sum(rows[i][k] for i in idx) / len(idx) for k in range(len(ROUGE))]
                 for name, rows in per.items()}
        for name, m in means.items():
            print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in m) + " |")
        best = max(PEERS, key=lambda p: means[p][0])
        print(f"\nstory minus the best peer ({best}): R-1 {means['story'][0] - means[best][0]:+.2f}, "
              f"R-2 {means['story'][1] - means[best][1]:+.2f} (bar: +2.0 / +1.0)")
    if tune:
        grid(recs, cache, refs, scorer, budget)


def rouge_rows(scorer, preds, refs):
    """Per story: ROUGE F1 x 100 in the order of ROUGE."""
    out = []
    for p, r in zip(preds, refs):
        s = scorer.score("\n".join(r), "\n".join(p))
        out.append([100 * s[t].fmeasure for t in ROUGE])
    return out


def rouge_means(scorer, preds, refs):
    rows = rouge_rows(scorer, preds, refs)
    return [sum(r[k] for r in rows) / max(1, len(rows)) for k in range(len(ROUGE))]


def story_text(arts, cards, budget, weights=None, hand: bool = False) -> list[str]:
    """The story highlights cut at ``budget`` words; ``hand`` / ``weights``: by the hand weights
    of rank.py instead of the learned model (the session-1 scorer, for comparison)."""
    from newsgist.story import rank
    old, old_learned = rank.WEIGHTS, rank.USE_LEARNED
    if weights is not None:
        rank.WEIGHTS = weights
    if hand or weights is not None:
        rank.USE_LEARNED = False
    try:
        def read_one(it, options):
            c = cards[it.index]
            if isinstance(c, Exception):
                raise c
            return c
        st = newsgist.story(arts, StoryOptions(words=budget), read_one=read_one)
    except newsgist.NewsgistError:
        return []
    finally:
        rank.WEIGHTS, rank.USE_LEARNED = old, old_learned
    return truncate([h["text"] for h in st.highlights], budget)


def grid(recs, cache, refs, scorer, budget):
    """Hand weights of the story score (rank.RankWeights) on the first 100 stories (the tuning slice)."""
    from newsgist.story.rank import RankWeights
    n = min(100, len(recs))
    print(f"\n### weight grid (first {n} stories)\n")
    rows = []
    for sup in (0.0, 0.25, 0.5, 1.0):
        for cen in (0.0, 0.5, 1.0, 2.0):
            for lead in (0.0, 0.3, 0.6):
                w = RankWeights(ranker=1.0, support=sup, centroid=cen, lead=lead)
                preds = [story_text([a for a in recs[i]["articles"] if a.strip()], cache[i], budget, w)
                         for i in range(n)]
                r = rouge_means(scorer, preds, refs[:n])
                rows.append((r[0] + r[1], sup, cen, lead, r))
    for tot, sup, cen, lead, r in sorted(rows, reverse=True)[:10]:
        print(f"support={sup} centroid={cen} lead={lead}: R-1 {r[0]:.2f} R-2 {r[1]:.2f} R-L {r[2]:.2f}")


def speed(recs, n: int, big: int):
    print(f"\n## Speed: story vs the sum of its articles' cards ({n} stories, interleaved)\n")
    ratios, t_story_all, t_cards_all = [], 0.0, 0.0
    for rec in recs[:n]:
        arts = [a for a in rec["articles"] if a.strip()]
        t_c, t_s = _time_pair(arts)
        ratios.append(t_s / t_c)
        t_story_all += t_s
        t_cards_all += t_c
    print(f"median story / cards: {median(ratios):.3f}; total {t_story_all:.1f} s vs {t_cards_all:.1f} s "
          f"({t_story_all / t_cards_all:.3f})")
    arts = [a for rec in recs for a in rec["articles"] if a.strip()][:big]
    t_c, t_s = _time_pair(arts)
    print(f"one story of {len(arts)} articles: story {t_s:.1f} s, cards {t_c:.1f} s, ratio {t_s / t_c:.3f}")


def _time_pair(arts):
    def cards():   # what story() does for each article: the full card, highlights only when too long
        for a in arts:
            try:
                newsgist.read(a)
            except TooLargeError:
                newsgist.read(a, highlights_only=True)
            except newsgist.NewsgistError:
                pass
    t0 = time.perf_counter()
    cards()
    t1 = time.perf_counter()
    st = newsgist.story(arts, StoryOptions(count=5))
    t2 = time.perf_counter()
    m = st.meta["timings_ms"]
    print(f"  {len(arts)} articles: cards {t1 - t0:.2f} s, story {t2 - t1:.2f} s (read {m['read'] / 1000:.2f} s, "
          f"match {m['match'] / 1000:.3f} s, merge {m['merge'] / 1000:.3f} s)", file=sys.stderr)
    return t1 - t0, t2 - t1


def main(argv):
    args = list(argv)
    limit = int(pop_option(args, "--limit", "250"))
    n_speed = int(pop_option(args, "--speed", "0"))
    big = int(pop_option(args, "--big", "50"))
    budget = int(pop_option(args, "--words", "250"))
    if "--probe" in args:
        from probe_story import run_probe
        run_probe(int(pop_option(args, "--probe-from", "100")), int(pop_option(args, "--probe-n", "200")))
        return
    path = require_data("multi/multinews-validation-250.jsonl")
    recs = [json.loads(line) for line in open(path, encoding="utf-8")][:limit]
    newsgist.read(recs[0]["articles"][0])  # load models outside the timings
    if "--speed-only" not in args:
        quality(recs, budget, "--tune" in args)
    if n_speed:
        speed(recs, n_speed, big)


if __name__ == "__main__":
    main(sys.argv[1:])
