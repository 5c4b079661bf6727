"""Speed and quality checks of :mod:`newsgist.quotes` on the shared data sets.

Usage, from the repository root::

    python benchmarks/bench_quotes.py speed [N]          # median ms/article on N CNN articles
    python benchmarks/bench_quotes.py show [N]           # print the quotes of N CNN articles
    python benchmarks/bench_quotes.py polnear [train|dev] [N]   # quote overlap F1, speaker accuracy

The spaCy parse is done beforehand and not timed. Data is read from ../shared/data
and never copied into the repository.
"""
from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time

from newsgist.nlp import load_nlp
from newsgist.quotes import extract_quotes
from newsgist.segment import split_span
from newsgist.types import Paragraph, Sentence

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")
CNNDM = os.path.join(DATA, "cnndm", "validation-1000.jsonl")
POLNEAR = os.path.join(DATA, "quotes", "polnear-{}.jsonl")
# A predicted quote matches a gold one when their token sets overlap at least this much (F1).
MATCH_OVERLAP = 0.5


def read_jsonl(path: str, n: int) -> list[dict]:
    if not os.path.exists(path):
        sys.exit(f"missing {path}: the shared data is not checked out next to the repository")
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if len(out) >= n:
                break
    return out


def layout(text: str) -> tuple[list[Paragraph], list[Sentence]]:
    """Paragraphs split on blank lines (one paragraph for a single-line text), regex sentences."""
    paras = [Paragraph(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
    sents = [Sentence(s, e, i) for i, p in enumerate(paras) for s, e in split_span(text, p.start, p.end)]
    return paras, sents


def run(texts: list[str]):
    nlp = load_nlp()
    docs = list(nlp.pipe(texts, batch_size=16))
    times, results = [], []
    for text, doc in zip(texts, docs):
        paras, sents = layout(text)
        t = time.perf_counter()
        quotes = extract_quotes(text, doc, paras, sents)
        times.append((time.perf_counter() - t) * 1000)
        results.append(quotes)
    return times, results


def speed(n: int) -> None:
    texts = [r["article"] for r in read_jsonl(CNNDM, n)]
    times, results = run(texts)
    print(f"{len(texts)} articles, {sum(map(len, results))} quotes ({sum(q.speaker is not None for r in results for q in r)}"
          f" with a speaker); extract_quotes median {statistics.median(times):.2f} ms, "
          f"p90 {sorted(times)[int(0.9 * len(times))]:.2f} ms, max {max(times):.2f} ms per article")


def show(n: int) -> None:
    texts = [r["article"] for r in read_jsonl(CNNDM, n)]
    _, results = run(texts)
    for i, quotes in enumerate(results):
        print(f"--- article {i}")
        for q in quotes:
            print(f"  [{q.kind[0]}] {q.text[:70]!r:74} <- {q.speaker} ({q.speaker_mention!r}, {q.cue}) {q.speaker_title or ''}")


def _toks(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


def _f1(a: set, b: set) -> float:
    inter = len(a & b)
    return 0.0 if not inter else 2 * inter / (len(a) + len(b))


def polnear(split: str, n: int) -> None:
    """Gold direct+mixed quotes vs predicted quotes (all kinds): a pair matches at token F1
    >= MATCH_OVERLAP; precision/recall over matched pairs, content overlap F1 averaged over
    matched pairs, speaker accuracy: the gold speaker's last word among the predicted
    speaker's or mention's words (pronoun gold speakers: the mention must match)."""
    recs = read_jsonl(POLNEAR.format(split), n)
    _, results = run([r["text"] for r in recs])
    gold_n = pred_n = matched = spk_ok = 0
    overlaps = []
    for rec, quotes in zip(recs, results):
        gold = [g for g in rec["quotes"] if g["type"] in ("direct", "mixed")]
        gold_n += len(gold)
        pred_n += len(quotes)
        used = set()
        for g in gold:
            gt = _toks(g["quote"])
            best, best_f = None, 0.0
            for k, q in enumerate(quotes):
                if k not in used and q.end > g["quote_span"][0] and q.start < g["quote_span"][1]:
                    f = _f1(gt, _toks(q.text))
                    if f > best_f:
                        best, best_f = k, f
            if best is None or best_f < MATCH_OVERLAP:
                continue
            used.add(best)
            matched += 1
            overlaps.append(best_f)
            q = quotes[best]
            want = (g.get("speaker") or "").lower().split()
            got = set(f"{q.speaker or ''} {q.speaker_mention or ''}".lower().replace("’s", "").split())
            spk_ok += bool(want) and want[-1].strip(".,") in got
    p, r = matched / max(pred_n, 1), matched / max(gold_n, 1)
    print(f"polnear-{split}: {len(recs)} articles, gold direct+mixed {gold_n}, predicted {pred_n}, matched {matched}")
    print(f"  quote P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}; mean token F1 of matched "
          f"{statistics.mean(overlaps) if overlaps else 0:.3f}; speaker accuracy on matched {spk_ok / max(matched, 1):.3f}")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "speed"
    if cmd == "speed":
        speed(int(sys.argv[2]) if len(sys.argv) > 2 else 50)
    elif cmd == "show":
        show(int(sys.argv[2]) if len(sys.argv) > 2 else 10)
    elif cmd == "polnear":
        polnear(sys.argv[2] if len(sys.argv) > 2 else "train", int(sys.argv[3]) if len(sys.argv) > 3 else 10**6)
    else:
        sys.exit(__doc__)
