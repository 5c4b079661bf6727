"""Figure claimants (issue 18): is every number claimed by the right source, or by nobody?

Usage, from the repository root::

    python benchmarks/bench_claims.py polnear [train|dev] [N] [--errors K]
    python benchmarks/bench_claims.py speed [N]
    python benchmarks/bench_claims.py seed

``polnear`` reads PolNeAR articles through the whole card (``newsgist.read``) and scores every
key figure (``card.figures``, dates left out) against the gold attributions:

* **inside** -- a figure that falls inside an attribution's content (its fragments), whose
  source is named (PolNeAR ``has_source`` and not ``speaker_is_pronoun``): right when
  ``claimed_by`` names that source. With nested attributions the innermost one containing the
  figure is the gold. "Names" as in ``bench_quotes.speaker_ok``: the spans of the predicted
  mention (or ``via``) and the gold source overlap, or the gold source's last word is among the
  words of the predicted speaker, mention or ``via``. Figures inside an attribution whose source
  is a pronoun or missing are counted apart and not scored.
* **outside** -- a figure outside every attribution's content: right when ``claimed_by`` is null.

Both are printed for newsgist and, in the same run, for the plain baseline "the speaker of the
smallest quote or reported speech that contains the figure" (what the card had before issue 18).
Time: ``attach_claims`` alone (the step issue 18 adds to the ``analyse`` stage), median and p90
ms/article, against clean + segment + analyse (the stages a card's figures need; the highlight
stages are not run) on the same articles. ``speed`` times ``attach_claims`` on N CNN articles against the
``analyse`` stage of the same run. ``seed`` prints the seed page's figures
with their claimants, qualifiers and groups. Tuned on train; report dev. Data is read from
../shared/data and never copied into the repository.
"""
from __future__ import annotations

import re
import statistics
import sys
import time

from common import first_records, pop_option, require_data

import newsgist
from newsgist.card.claims import attach_claims
from newsgist.options import Options
from newsgist.pipeline import run, stages_named
from newsgist.reading.inputs import from_text
from newsgist.reading.load import article_from_source

# The stages a card's figures and quotes need: the highlight stages are left out (they do not
# touch figures, and their time is not what issue 18 adds).
STAGES = ("clean", "segment", "analyse")


def read_card(text: str):
    """The article through clean, segment and analyse (quotes, figures, claims)."""
    return run(article_from_source(from_text(text)), Options(), stages_named(*STAGES))

_WORD = re.compile(r"\w+")


def _words(s: str) -> list[str]:
    return [w for w in _WORD.findall(re.sub(r"[’']s\b", "", (s or "").lower().replace(".", "")))]


def names_source(claim: dict | None, gold: dict) -> bool:
    """The claim names the gold attribution's source (see the module docstring)."""
    if not claim:
        return False
    spans = [(claim.get("start"), claim.get("end")), (claim.get("via_start"), claim.get("via_end"))]
    for a, b in gold.get("speaker_fragments") or [gold.get("speaker_span") or (0, 0)]:
        if any(s is not None and e is not None and s < b and a < e for s, e in spans):
            return True
    want = _words(gold.get("speaker") or "")
    got = set(_words(" ".join(str(claim.get(k) or "") for k in ("speaker", "mention", "via"))))
    return bool(want) and want[-1] in got


def gold_of(rec: dict, start: int, end: int):
    """The innermost gold attribution whose content contains [start, end), or None."""
    inside = [g for g in rec["quotes"] if any(a <= start and end <= b for a, b in g["quote_fragments"])]
    if not inside:
        return None
    return min(inside, key=lambda g: sum(b - a for a, b in g["quote_fragments"]))


def baseline_claim(article, f) -> dict | None:
    """Before issue 18: the speaker of the smallest quote that contains the figure."""
    inside = [q for q in article.quotes if q.start <= f.start and f.end <= q.end and q.speaker]
    if not inside:
        return None
    q = min(inside, key=lambda q: q.end - q.start)
    return {"speaker": q.speaker, "mention": q.speaker_mention,
            "start": q.speaker_start if q.speaker_start >= 0 else None,
            "end": q.speaker_end if q.speaker_start >= 0 else None}


def polnear(split: str, n: int, errors: int) -> None:
    path = require_data(f"quotes/polnear-{split}.jsonl")
    recs = first_records(path, n)
    counts = {k: 0 for k in ("in", "in_ok", "in_base", "out", "out_ok", "out_base", "in_pronoun", "in_nosource")}
    card_ms, claim_ms, shown = [], [], []
    for rec in recs:
        text = rec["text"]
        t0 = time.perf_counter()
        article = read_card(text)
        card_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        attach_claims(article)
        claim_ms.append((time.perf_counter() - t0) * 1000)
        for f in article.figures:
            g = gold_of(rec, f.start, f.end)
            base = baseline_claim(article, f)
            if g is None:
                counts["out"] += 1
                counts["out_ok"] += f.claimed_by is None
                counts["out_base"] += base is None
                if f.claimed_by is not None:
                    shown.append(("OUT", rec, f, None))
                continue
            if not g.get("has_source") or not g.get("speaker_span"):
                counts["in_nosource"] += 1
                continue
            if g.get("speaker_is_pronoun"):
                counts["in_pronoun"] += 1
                continue
            counts["in"] += 1
            ok = names_source(f.claimed_by, g)
            counts["in_ok"] += ok
            counts["in_base"] += names_source(base, g)
            if not ok:
                shown.append(("IN", rec, f, g))
    acc = lambda k, n_: counts[k] / max(counts[n_], 1)
    print(f"polnear-{split}: {len(recs)} articles; figures inside a named attribution {counts['in']}, "
          f"outside all {counts['out']} (inside one with a pronoun source {counts['in_pronoun']}, "
          f"with no source {counts['in_nosource']}: not scored)")
    print(f"{'':34}{'inside: named source':>22}{'outside: nobody':>17}")
    print(f"{'baseline (containing quote)':34}{acc('in_base', 'in'):22.3f}{acc('out_base', 'out'):17.3f}")
    print(f"{'newsgist claimed_by':34}{acc('in_ok', 'in'):22.3f}{acc('out_ok', 'out'):17.3f}")
    print(f"attach_claims median {statistics.median(claim_ms):.2f} ms/article, "
          f"p90 {sorted(claim_ms)[int(0.9 * len(claim_ms))]:.2f} ms; clean+segment+analyse median {statistics.median(card_ms):.0f} ms")
    for kind, rec, f, g in shown[:errors]:
        text = rec["text"]
        s = text.rfind("\n", 0, f.start) + 1
        e = text.find("\n", f.end)
        ctx = text[max(s, f.start - 160):min(e if e >= 0 else len(text), f.end + 100)].replace("\n", " ")
        c = f.claimed_by or {}
        got = f"{c.get('speaker')!r} via {c.get('via')!r}" if c else "nobody"
        want = f"gold {g['speaker']!r} ({g['cue']})" if g else "gold nobody"
        print(f"  {kind:3} {f.text!r}: {want}, got {got} | {ctx}")


def speed(n: int) -> None:
    """ms/article that attach_claims adds on CNN articles (validation-1000), against the analyse stage
    (spaCy parse, entities, quotes, figures) timed in the same run on the same articles."""
    import json
    path = require_data("cnndm/validation-1000.jsonl")
    claim_ms, analyse_ms, figs = [], [], 0
    with open(path, encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= n:
                break
            article = read_card(json.loads(line)["article"])
            t0 = time.perf_counter()
            attach_claims(article)
            claim_ms.append((time.perf_counter() - t0) * 1000)
            analyse_ms.append(article.meta["timings_ms"]["analyse"])
            figs += len(article.figures)
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]
    print(f"{len(claim_ms)} CNN articles (validation-1000), {figs / len(claim_ms):.1f} figures/article")
    print(f"attach_claims median {statistics.median(claim_ms):.2f} ms, p90 {q(claim_ms, 0.9):.2f} ms, "
          f"max {max(claim_ms):.2f} ms; analyse stage median {statistics.median(analyse_ms):.0f} ms "
          f"(attach_claims is {100 * statistics.median(claim_ms) / statistics.median(analyse_ms):.1f}% of it)")


def seed() -> None:
    path = require_data("../seeds/cnn-afghanistan-al-qaeda.txt")
    card = newsgist.read(path.read_text(encoding="utf-8")).to_dict()
    for i, f in enumerate(card["figures"]):
        c = f["claimed_by"] or {}
        quals = "; ".join(f"{q['kind']}: {q['text']}" for q in f["qualifiers"])
        print(f"{i} {f['text']!r} claimed by {c.get('speaker')!r} via {c.get('via')!r} group {f['group']} [{quals}]")
    for g in card["groups"]:
        print(f"group {g['id']} {g['label']!r}: figures {g['figures']}")


if __name__ == "__main__":
    args = sys.argv[1:]
    errors = int(pop_option(args, "--errors", 0))
    cmd = args[0] if args else "seed"
    if cmd == "polnear":
        polnear(args[1] if len(args) > 1 else "dev", int(args[2]) if len(args) > 2 else 10**6, errors)
    elif cmd == "speed":
        speed(int(args[1]) if len(args) > 1 else 100)
    elif cmd == "seed":
        seed()
    else:
        sys.exit(__doc__)
