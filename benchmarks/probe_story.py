"""The disagreement probe of issue 29 (run by ``bench_story.py --probe``).

For each CNN/DM validation article with a figure written in digits (counts, money,
percentages), three stories of two articles:

* *changed*: the article and a copy with one figure's number changed (the first digit run
  of the figure, raised by about a third): a hit when one disagreement lists the original
  value in article 0 at the figure's span and the new value in article 1 at its span;
  every other disagreement listed is a false alarm;
* *unchanged*: the article and a copy without its last paragraph (so it is not a duplicate):
  every disagreement listed is a false alarm.

Plus the hand-written story of examples/story/ (three reports: 12 vs 17 injured, one quote
given to two speakers): each expected disagreement found is a hit, anything else a false
alarm. Precision = hits / all listed; recall = hits / all expected.
"""
from __future__ import annotations

import json
import re
import sys

from common import REPO_ROOT, require_data

import newsgist
from newsgist.story import StoryOptions

FIGURE_KINDS = {"number", "money", "percent", "range"}
_DIGITS = re.compile(r"\d[\d,]*")


def changed_copy(text: str, fig) -> tuple[str, int, int, int, int] | None:
    """The text with the figure's first digit run raised; (new text, new figure start, end, old, new value)."""
    m = _DIGITS.search(fig.text)
    if not m:
        return None
    old = int(m.group().replace(",", ""))
    if old == 0 or 1900 <= old <= 2100:
        return None
    new = old + max(1, round(old * 0.3))
    a, b = fig.start + m.start(), fig.start + m.end()
    new_s = f"{new:,}" if "," in m.group() else str(new)
    out = text[:a] + new_s + text[b:]
    return out, fig.start, fig.end + len(new_s) - (b - a), old, new


def _hit(d: dict, spans: dict) -> bool:
    """Does disagreement ``d`` list a value at one of the expected spans of every article?
    ``spans``: article -> (start, end) or a list of them (any occurrence will do)."""
    found = {a: False for a in spans}
    for v in d["values"]:
        want = spans.get(v["article"], [])
        for s, e in ([want] if isinstance(want, tuple) else want):
            if v["start"] < e and s < v["end"]:
                found[v["article"]] = True
    return all(found.values())


def fixture_probe() -> tuple[int, int, int]:
    """(hits, listed, expected) on the hand-written story."""
    paths = sorted((REPO_ROOT / "examples" / "story").glob("harbourline-*.txt"))
    st = newsgist.story([{"path": str(p), "source": p.name} for p in paths]).to_dict()
    expected = [("figure", {0: "12 passengers", 1: "17 passengers", 2: "Twelve passengers"}),
                ("speaker", {0: "Ines Kovacs", 1: "Tomas Reyes", 2: "Ines Kovacs"})]
    hits = 0
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for kind, want in expected:
        spans = {a: [(m.start(), m.end()) for m in re.finditer(re.escape(w), texts[a])] for a, w in want.items()}
        if any(d["kind"] == kind and _hit(d, spans) for d in st["disagreements"]):
            hits += 1
    for d in st["disagreements"]:
        print(f"  fixture: {d['kind']} {d['label']}: " + " | ".join(f"{v['text']} [{v['article']}]"
                                                                   for v in d["values"]), file=sys.stderr)
    return hits, len(st["disagreements"]), len(expected)


def _reuse(card):
    """Read article 0 from the card already made (one parse saved), the others as usual."""
    def read_one(it, options):
        return card if it.index == 0 else newsgist.read(it.text, options)
    return read_one


def jsonl_probe(name: str = "probe.jsonl") -> tuple[int, int, int]:
    """(hits, listed, expected) on the hand-written stories of tests/fixtures/story/probe.jsonl
    (paraphrased figures, money, percentages, a quote given to two speakers, and stories where
    nothing is disputed: different scopes, a running total, one speaker named two ways)."""
    hits = listed = expected = 0
    for line in (REPO_ROOT / "tests" / "fixtures" / "story" / name).read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        st = newsgist.story(rec["articles"]).to_dict()
        listed += len(st["disagreements"])
        expected += len(rec["expect"])
        for exp in rec["expect"]:
            spans = {int(a): [(m.start(), m.end()) for m in re.finditer(re.escape(w), rec["articles"][int(a)])]
                     for a, w in exp["spans"].items()}
            if any(d["kind"] == exp["kind"] and _hit(d, spans) for d in st["disagreements"]):
                hits += 1
            else:
                print(f"  missed {rec['id']}: {exp}", file=sys.stderr)
        for d in st["disagreements"]:
            print(f"  listed {rec['id']}: {d['kind']} {d['label']}: "
                  + " | ".join(f"{v['text']} [{v['article']}]" for v in d["values"]), file=sys.stderr)
    return hits, listed, expected


def run_probe(start: int, n: int) -> None:
    path = require_data("cnndm/validation-1000.jsonl")
    recs = [json.loads(line) for line in open(path, encoding="utf-8")][start:start + n]
    hits = listed = expected = 0
    used = 0
    for rec in recs:
        text = rec["article"]
        try:
            card = newsgist.read(text)
        except newsgist.NewsgistError:
            continue
        figs = [f for f in card.figures if f.kind in FIGURE_KINDS and _DIGITS.search(f.text)]
        ch = next((c for c in (changed_copy(card.source, f) for f in figs) if c), None)
        if ch is None:
            continue
        fig = next(f for f in figs if changed_copy(card.source, f))
        used += 1
        new_text, ns, ne, old, new = ch
        st = newsgist.story([card.source, new_text], StoryOptions(count=3), read_one=_reuse(card)).to_dict()
        expected += 1
        listed += len(st["disagreements"])
        if any(d["kind"] == "figure" and _hit(d, {0: (fig.start, fig.end), 1: (ns, ne)}) for d in st["disagreements"]):
            hits += 1
        paras = card.source.rstrip().split("\n")
        cut = card.source.rfind(". ", 0, int(len(card.source) * 0.9))
        shorter = "\n".join(paras[:-1]) if len(paras) > 2 else card.source[: cut + 1 if cut > 0 else None]
        st2 = newsgist.story([card.source, shorter], StoryOptions(count=3), read_one=_reuse(card)).to_dict()
        listed += len(st2["disagreements"])
        for d in st2["disagreements"]:
            print(f"  false alarm (unchanged) {rec.get('id')}: {d['label']}: "
                  + " | ".join(f"{v['text']} [{v['article']}]" for v in d["values"]), file=sys.stderr)
    fh, fl, fe = fixture_probe()
    jh, jl, je = jsonl_probe()
    hh, hl, he = jsonl_probe("probe-heldout.jsonl")
    print(f"\n## Disagreement probe (CNN/DM validation articles {start}-{start + len(recs) - 1}: "
          f"{used} with a digit figure; + the hand-written story)\n")
    print("| part | hits | listed | expected | precision | recall |\n|---|---|---|---|---|---|")
    for name, h, l_, e in (("changed/unchanged copies", hits, listed, expected),
                           ("hand-written: examples/story", fh, fl, fe),
                           ("hand-written: tests/fixtures/story/probe.jsonl (tuning)", jh, jl, je),
                           ("hand-written: probe-heldout.jsonl (held out)", hh, hl, he),
                           ("all", hits + fh + jh + hh, listed + fl + jl + hl, expected + fe + je + he)):
        print(f"| {name} | {h} | {l_} | {e} | {h / l_ if l_ else 1.0:.3f} | {h / e if e else 0.0:.3f} |")
