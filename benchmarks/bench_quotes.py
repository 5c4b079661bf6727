"""Speed and quality checks of :mod:`newsgist.card.quotes.extract` on the shared data sets.

Usage, from the repository root::

    python benchmarks/bench_quotes.py speed [N]          # median ms/article on N CNN articles
    python benchmarks/bench_quotes.py show [N]           # print the quotes of N CNN articles
    python benchmarks/bench_quotes.py polnear [train|dev] [N] [--docs FILE.spacy] [--errors K]

``polnear`` scores quote content and speakers against PolNeAR (see :func:`polnear`); the
indirect-quote model is trained on the train split (:mod:`newsgist.card.quotes.model`), so report
dev. ``NEWSGIST_QUOTE_MODEL=/none`` scores the rule alone.
``--docs`` reads the spaCy parses from a DocBin (saved with ``--save-docs``) instead of
parsing again. Data is read from ../shared/data and never copied into the repository.
"""
from __future__ import annotations

import os
import re
import statistics
import sys
import time

from newsgist.card.nlp import load_nlp
from newsgist.card.quotes.speakers import Speakers
from newsgist.card.quotes.extract import extract_quotes
from newsgist.reading.segment import split_span
from newsgist.types import Paragraph, Sentence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import first_records, pop_option  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")
CNNDM = os.path.join(DATA, "cnndm", "validation-1000.jsonl")
POLNEAR = os.path.join(DATA, "quotes", "polnear-{}.jsonl")

OVERLAP_MIN = 0.5        # a predicted and a gold content match when they share this share of the larger
_WORD = re.compile(r"\w+(?:[’']\w+)*")   # the tokens of content spans (marks and punctuation left out)
_DOUBLE_MARK = re.compile(r"[“”\"]|''|``")   # what makes PolNeAR call a content "mixed"
_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "its", "their",
             "who", "which", "that"}


def read_jsonl(path: str, n: int) -> list[dict]:
    if not os.path.exists(path):
        print(f"skipped: {path} not found (the shared data is not checked out next to the repository)")
        sys.exit(0)
    return first_records(path, n)


def layout(text: str) -> tuple[list[Paragraph], list[Sentence]]:
    """Paragraphs split on blank lines (one paragraph for a single-line text), regex sentences."""
    paras = [Paragraph(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
    sents = [Sentence(s, e, i) for i, p in enumerate(paras) for s, e in split_span(text, p.start, p.end)]
    return paras, sents


def parse(texts: list[str], docs_file: str | None = None, save: str | None = None):
    """spaCy docs of ``texts`` (from a DocBin when given) and the parse time of each in ms."""
    nlp = load_nlp()
    if docs_file:
        from spacy.tokens import DocBin
        docs = list(DocBin().from_disk(docs_file).get_docs(nlp.vocab))[:len(texts)]
        return docs, []
    docs, times = [], []
    for text in texts:
        t = time.perf_counter()
        docs.append(nlp(text))
        times.append((time.perf_counter() - t) * 1000)
    if save:
        from spacy.tokens import DocBin
        DocBin(docs=docs).to_disk(save)
    return docs, times


def run(texts: list[str], docs):
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
    docs, parse_ms = parse(texts)
    times, results = run(texts, docs)
    total = [a + b for a, b in zip(times, parse_ms)]
    print(f"{len(texts)} CNN articles, {sum(map(len, results))} quotes "
          f"({sum(q.kind == 'indirect' for r in results for q in r)} indirect)")
    print(f"  extract_quotes median {statistics.median(times):.2f} ms, p90 {sorted(times)[int(0.9 * len(times))]:.2f} ms,"
          f" max {max(times):.2f} ms per article; with the spaCy parse median {statistics.median(total):.1f} ms")


def show(n: int) -> None:
    texts = [r["article"] for r in read_jsonl(CNNDM, n)]
    _, results = run(texts, parse(texts)[0])
    for i, quotes in enumerate(results):
        print(f"--- article {i}")
        for q in quotes:
            print(f"  [{q.kind[0]}] {q.text[:70]!r:74} <- {q.speaker} ({q.speaker_mention!r}, {q.cue}) {q.speaker_title or ''}")


# --- PolNeAR scoring -------------------------------------------------------------------------
class Item:
    """One attribution to score: content tokens, speaker span and name, category."""

    def __init__(self, toks, cat, spk_span=None, spk_text="", spk_name="", quotes=()):
        self.toks, self.cat, self.spk_span = frozenset(toks), cat, spk_span
        self.spk_text, self.spk_name, self.quotes = spk_text, spk_name, list(quotes)


def _tokens(starts: list[int], spans) -> set[int]:
    import bisect
    out = set()
    for a, b in spans:
        out.update(range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)))
    return out


def gold_items(rec: dict, starts: list[int]) -> list[Item]:
    out = []
    for g in rec["quotes"]:
        toks = _tokens(starts, g["quote_fragments"])
        if toks:
            span = tuple(g["speaker_span"]) if g.get("speaker_span") else None
            out.append(Item(toks, "indirect" if g["type"] == "indirect" else "quoted", span, g.get("speaker") or ""))
    return out


def pred_items(text: str, quotes, starts: list[int], paras: list[Paragraph]) -> list[Item]:
    """Our quotes as PolNeAR attributions.

    * The pieces of a direct quote interrupted by its attribution ('“A,” said X. “B.”') are one
      attribution there: quotes of one paragraph with the same speaker mention are joined.
    * PolNeAR's label comes from the quotation marks: an indirect quote holding double marks
      (“ ” " '' ``) is "mixed", scored with direct+mixed, and a partial quote inside it is not
      scored apart; an indirect quote without them is "indirect"."""
    para_of = lambda pos: next((i for i, p in enumerate(paras) if p.start <= pos < p.end), -1)
    indirect = [q for q in quotes if q.kind == "indirect"]
    items: list[Item] = []
    for q in quotes:
        if q.kind != "indirect" and any(i.start <= q.start and q.end <= i.end for i in indirect):
            continue  # inside a mixed quote
        marked = q.kind != "indirect" or bool(_DOUBLE_MARK.search(text, q.start, q.end))
        cat = "quoted" if marked else "indirect"
        span = (q.speaker_start, q.speaker_end) if q.speaker_start >= 0 else None
        last = next((it for it in reversed(items) if it.quotes[-1].kind != "indirect"), None)
        if last is not None and q.kind != "indirect" and span is not None \
                and last.spk_span == span and para_of(last.quotes[-1].start) == para_of(q.start):
            last.toks = last.toks | _tokens(starts, [(q.start, q.end)])
            last.quotes.append(q)
            continue
        items.append(Item(_tokens(starts, [(q.start, q.end)]), cat, span, q.speaker_mention or "",
                          q.speaker or "", [q]))
    return items


def match(gold: list[Item], pred: list[Item], exact: bool) -> list[tuple[Item, Item]]:
    """One-to-one matching, best overlaps first: exact token sets, or overlap >= OVERLAP_MIN of the larger."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            common = len(g.toks & p.toks)
            if not common:
                continue
            score = common / max(len(g.toks), len(p.toks))
            if (g.toks == p.toks) if exact else score >= OVERLAP_MIN:
                pairs.append((score, gi, pi))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi), used_p.add(pi)
            out.append((gold[gi], pred[pi]))
    return out


def _norm_name(s: str) -> list[str]:
    return re.sub(r"[’']s\b", "", s.lower()).replace(".", "").split()


def speaker_ok(g: Item, p: Item, resolve) -> bool:
    """The predicted speaker fits the gold source: the mention spans overlap, the gold mention's
    last word is in the predicted name or mention, or the gold mention is a pronoun that our
    resolution maps to the predicted speaker."""
    if g.spk_span is None:
        return False
    a, b = g.spk_span
    q = p.quotes[0]
    if q.speaker_start < b and a < q.speaker_end:
        return True
    want = _norm_name(g.spk_text)
    got = set(_norm_name(f"{p.spk_name} {p.spk_text}"))
    if want and want[-1] not in _PRONOUNS and want[-1] in got:
        return True
    if len(want) == 1 and want[0] in _PRONOUNS and p.spk_name:
        name = resolve(a, b)
        return bool(name) and name == p.spk_name
    return False


class _Scores:
    def __init__(self):
        self.c = {}

    def add(self, key, n):
        self.c[key] = self.c.get(key, 0) + n

    def prf(self, cat, kind):
        tp, np_, ng = self.c.get((cat, kind, "tp"), 0), self.c.get((cat, "pred"), 0), self.c.get((cat, "gold"), 0)
        p, r = tp / max(np_, 1), tp / max(ng, 1)
        return p, r, 2 * p * r / max(p + r, 1e-9)


def polnear(split: str, n: int, docs_file: str | None = None, save: str | None = None, errors: int = 0) -> None:
    """Content P/R/F1 (exact and >= 50 % token overlap, one-to-one) and speaker accuracy on PolNeAR.

    * Gold: every attribution's content fragments, "direct"+"mixed" (quotation marks in the
      content) apart from "indirect"; predictions as :func:`pred_items` groups them.
    * Tokens are words (punctuation and marks do not count), so "exact" forgives only the
      marks and punctuation at the edges. "overlap": the shared tokens are at least
      OVERLAP_MIN of the larger of the two token sets. Pairs are made best overlap first,
      each gold and each prediction used once.
    * Speaker: over the overlap pairs whose gold has a source, see :func:`speaker_ok`.
    * Time: :func:`extract_quotes` alone, and with the spaCy parse when it is done here."""
    recs = read_jsonl(POLNEAR.format(split), n)
    texts = [r["text"] for r in recs]
    docs, parse_ms = parse(texts, docs_file, save)
    times, results = run(texts, docs)
    sc, shown = _Scores(), 0
    for rec, doc, quotes in zip(recs, docs, results):
        text = rec["text"]
        starts = [m.start() for m in _WORD.finditer(text)]
        gold = gold_items(rec, starts)
        paras, _ = layout(text)
        pred = pred_items(text, quotes, starts, paras)
        resolver = _resolver(text, doc, quotes)
        for cat in ("quoted", "indirect"):
            g = [x for x in gold if x.cat == cat]
            p = [x for x in pred if x.cat == cat]
            sc.add((cat, "pred"), len(p)), sc.add((cat, "gold"), len(g))
            sc.add((cat, "exact", "tp"), len(match(g, p, True)))
            pairs = match(g, p, False)
            sc.add((cat, "overlap", "tp"), len(pairs))
            judged = [(a, b) for a, b in pairs if a.spk_span is not None]
            ok = [speaker_ok(a, b, resolver) for a, b in judged]
            sc.add((cat, "spk_n"), len(judged)), sc.add((cat, "spk_ok"), sum(ok))
            if shown < errors:
                shown += _show_errors(text, g, p, pairs, judged, ok, errors - shown, starts)
    print(f"polnear-{split}: {len(recs)} articles, {sum(map(len, results))} quotes predicted")
    print(f"{'':22}{'exact P':>9}{'R':>7}{'F1':>7}{'overlap P':>11}{'R':>7}{'F1':>7}{'speaker':>9}{'n_gold':>8}{'n_pred':>8}")
    for cat, label in (("quoted", "direct+mixed"), ("indirect", "indirect"), ("all", "all")):
        if cat == "all":
            for key in list(sc.c):
                if key[0] in ("quoted", "indirect"):
                    sc.add(("all",) + key[1:], sc.c[key])
        e, o = sc.prf(cat, "exact"), sc.prf(cat, "overlap")
        spk = sc.c.get((cat, "spk_ok"), 0) / max(sc.c.get((cat, "spk_n"), 0), 1)
        print(f"{label:22}{e[0]:9.3f}{e[1]:7.3f}{e[2]:7.3f}{o[0]:11.3f}{o[1]:7.3f}{o[2]:7.3f}{spk:9.3f}"
              f"{sc.c.get((cat, 'gold'), 0):8d}{sc.c.get((cat, 'pred'), 0):8d}")
    line = f"extract_quotes median {statistics.median(times):.1f} ms/article"
    if parse_ms:
        line += f"; with the spaCy parse {statistics.median([a + b for a, b in zip(times, parse_ms)]):.1f} ms"
    print(line)


def _resolver(text, doc, quotes):
    """Our resolution of a gold pronoun mention: the canonical name it maps to, or None."""
    blocked = [(max(0, q.start - 1), q.end + 1) for q in quotes if q.kind != "indirect"]
    cache = {}

    def resolve(a, b):
        if "sp" not in cache:
            cache["sp"] = Speakers(text, doc, None, blocked)
        sp = cache["sp"]
        tok = doc[sp.token_at(a)]
        return sp.speaker_of(tok, a).name
    return resolve


def _show_errors(text, gold, pred, pairs, judged, ok, k, starts) -> int:
    span = lambda it: (starts[min(it.toks)], starts[max(it.toks)] + 40) if it.toks else (0, 0)
    snip = lambda it: text[span(it)[0]:span(it)[1]].replace("\n", " ")[:160]
    matched_g = {id(a) for a, _ in pairs}
    matched_p = {id(b) for _, b in pairs}
    shown = 0
    for g in gold:
        if id(g) not in matched_g and shown < k:
            print(f"  MISS [{g.cat}] {snip(g)!r} <- {g.spk_text!r}")
            shown += 1
    for p in pred:
        if id(p) not in matched_p and shown < k:
            print(f"  FP   [{p.cat}] {snip(p)!r} <- {p.spk_text!r} ({p.quotes[0].cue})")
            shown += 1
    for (g, p), good in zip(judged, ok):
        if not good and shown < k:
            print(f"  SPK  [{g.cat}] {snip(g)!r} gold {g.spk_text!r} got {p.spk_text!r} = {p.spk_name!r}")
            shown += 1
    return shown


if __name__ == "__main__":
    args = sys.argv[1:]
    docs_file, save, errors = pop_option(args, "--docs"), pop_option(args, "--save-docs"), int(pop_option(args, "--errors", 0))
    cmd = args[0] if args else "speed"
    if cmd == "speed":
        speed(int(args[1]) if len(args) > 1 else 50)
    elif cmd == "show":
        show(int(args[1]) if len(args) > 1 else 10)
    elif cmd == "polnear":
        polnear(args[1] if len(args) > 1 else "dev", int(args[2]) if len(args) > 2 else 10**6, docs_file, save, errors)
    else:
        sys.exit(__doc__)
