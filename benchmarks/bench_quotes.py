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


def _chars(spans) -> set[int]:
    return {i for a, b in spans for i in range(a, b)}


def polnear(split: str, n: int) -> None:
    """Content overlap and speaker accuracy against PolNeAR's direct and mixed quotes.

    Content: character-level precision/recall/F1 of the predicted quote spans against the
    gold direct+mixed quote fragments (gold mixed quotes include their unquoted, indirect
    part, which bounds recall; gold quotes interrupted by "he said" are one quote there).
    Speaker: over predicted quotes lying mostly (>= 50 %) inside one gold direct/mixed
    quote, the share whose speaker fits the gold source: the gold source's last word is
    among the words of the predicted speaker or mention, or the predicted mention overlaps
    the gold source span."""
    recs = read_jsonl(POLNEAR.format(split), n)
    _, results = run([r["text"] for r in recs])
    tp = n_pred = n_gold = judged = spk_ok = 0
    for rec, quotes in zip(recs, results):
        gold = [g for g in rec["quotes"] if g["type"] in ("direct", "mixed")]
        gold_chars = _chars(f for g in gold for f in g["quote_fragments"])
        text = rec["text"]
        pred_chars = {i for q in quotes for i in range(q.start, q.end) if not text[i].isspace()}
        gold_chars = {i for i in gold_chars if not text[i].isspace()}
        tp += len(pred_chars & gold_chars)
        n_pred += len(pred_chars)
        n_gold += len(gold_chars)
        for q in quotes:
            qc = set(range(q.start, q.end))
            g = max(gold, key=lambda g: len(qc & _chars(g["quote_fragments"])), default=None)
            if g is None or len(qc & _chars(g["quote_fragments"])) < 0.5 * len(qc) or not g.get("speaker"):
                continue
            judged += 1
            want = re.sub(r"[’']s$", "", g["speaker"].lower().strip()).split()
            got = set(re.sub(r"[’']s\b", "", f"{q.speaker or ''} {q.speaker_mention or ''}".lower()).split())
            overlap = any(q.speaker_start < b and a < q.speaker_end for a, b in g["speaker_fragments"])
            spk_ok += bool(want and want[-1].strip(".,") in got) or overlap
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    print(f"polnear-{split}: {len(recs)} articles, {sum(map(len, results))} predicted quotes")
    print(f"  content overlap (chars, direct+mixed): P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")
    print(f"  speaker accuracy: {spk_ok}/{judged} = {spk_ok / max(judged, 1):.3f}")


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
