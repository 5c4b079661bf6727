"""The card's NER decoder against spaCy's own ``ner`` (issue 28; card/fastner.py).

    python benchmarks/bench_fastner.py [--limit N]

Every article of CNN/DM validation-1000 and test-public-500 and of PolNeAR dev and train
(or the first N of each) is parsed up to the NER; a copy of the doc goes to spaCy's
``EntityRecognizer`` and another to :class:`newsgist.card.fastner.FastNER` (same loaded
weights). Prints, per set: documents, entities, documents whose entities or per-token
IOB/labels differ (target: 0), and CPU ms per document of each decoder, pinned to one core.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pin_one_core, pop_option, require_data  # noqa: E402

SETS = [("cnndm/validation-1000.jsonl", "article"), ("cnndm/test-public-500.jsonl", "article"),
        ("quotes/polnear-dev.jsonl", "text"), ("quotes/polnear-train.jsonl", "text")]


def _ents(doc):
    return [(t.ent_iob, t.ent_type) for t in doc], [(e.start, e.end, e.label) for e in doc.ents]


def main(argv: list[str]) -> int:
    limit = int(pop_option(argv, "--limit", "0")) or None
    pinned = pin_one_core()
    from newsgist.card.nlp import FAST_NER, load_nlp
    nlp = load_nlp()
    fast = nlp.get_pipe(FAST_NER)
    before = [p for name, p in nlp.pipeline if name != FAST_NER]
    print(f"## FastNER against spaCy's ner ({pinned})\n\n| set | docs | entities | docs differing | "
          "spaCy ner CPU ms/doc | FastNER CPU ms/doc |\n|---|---:|---:|---:|---:|---:|")
    for rel, key in SETS:
        path = require_data(rel)
        n = ents = differ = 0
        t_spacy = t_fast = 0.0
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if limit and n >= limit:
                    break
                doc = nlp.make_doc(json.loads(line)[key])
                for proc in before:
                    doc = proc(doc)
                other = doc.copy()
                t0 = time.process_time()
                fast.ner(doc)
                t1 = time.process_time()
                fast(other)
                t2 = time.process_time()
                t_spacy, t_fast = t_spacy + t1 - t0, t_fast + t2 - t1
                n += 1
                ents += len(doc.ents)
                differ += _ents(doc) != _ents(other)
        print(f"| {rel} | {n} | {ents} | {differ} | {t_spacy / n * 1000:.1f} | {t_fast / n * 1000:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
