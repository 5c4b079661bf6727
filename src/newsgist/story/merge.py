"""Quotes and entities merged across the story's articles, and the timeline of dated articles.

* Quotes: two quotes of different articles are one when their words overlap by at least
  ``QUOTE_SAME_MIN`` (the shorter one's word set inside the longer: outlets trim quotes
  differently), or when they are the same words in the same order, however short ("We will
  rebuild" in two reports is one quote). Candidates come from an index on the quotes' rarer
  words and a table of their exact word sequences, not all pairs.
  One quote in three articles is one item with three sources, each with its speaker.
* Entities: one entity when the type agrees and a name or variant is shared (case folded),
  or one's canonical name ends with the other's ("Smith" in "John Smith", a PERSON).
* Timeline: articles with a date, oldest first, each with what it added -- its best-ranked
  sentences that no earlier article reported.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from newsgist.text import STOPWORDS, words
from newsgist.unionfind import UnionFind

# Share of the shorter quote's distinct words found in the other above which two quotes
# are one: trimmed or re-punctuated quotes overlap ~0.9-1.0, different quotes by one
# speaker on one topic rarely pass 0.5.
QUOTE_SAME_MIN = 0.7
# Quotes with fewer distinct content words than this are not merged by overlap (a "no" or a
# scare-quoted phrase shares its few words with many others) -- only when identical, below.
QUOTE_MIN_WORDS = 4
# Quotes of at least this many words (all words, stop words included) are merged when their
# word sequences are identical (case and punctuation aside), whatever QUOTE_MIN_WORDS says: the
# same short quote in two reports is one quote. A lone word ("unacceptable") is more often the
# writer's scare quote than a quotation, so it stays unmerged.
QUOTE_IDENTICAL_MIN_WORDS = 2
# A word held by more quotes than this is not used to find candidates.
QUOTE_POSTING_CAP = 30
# Sentences listed per article in the timeline.
TIMELINE_ADDED = 3


def _qwords(text: str) -> set[str]:
    return {w.lower() for w in words(text) if w.lower() not in STOPWORDS}


def quote_key(text: str) -> tuple[str, ...]:
    """A quote's words in order, case folded: two quotes with the same key are the same words."""
    return tuple(w.lower() for w in words(text))


def merge_quotes(reads) -> list[dict]:
    items = []   # (article, quote, words)
    for a, r in enumerate(reads):
        for q in r.article.quotes:
            if q.kind == "partial" and q.within is not None:
                continue
            items.append((a, q, _qwords(q.text)))
    sets = UnionFind(len(items))
    post = defaultdict(list)
    for i, (_, q, ws) in enumerate(items):
        for w in ws:
            post[w].append(i)
    same_words: dict[tuple, dict[int, int]] = {}   # exact word sequence -> article -> its first item
    for i, (a, q, ws) in enumerate(items):
        key = quote_key(q.text)
        if len(key) >= QUOTE_IDENTICAL_MIN_WORDS:
            seen = same_words.setdefault(key, {})
            other = next((j for b, j in seen.items() if b != a), None)   # across articles, as below
            if other is not None:
                sets.union(other, i)
            seen.setdefault(a, i)
    for i, (a, q, ws) in enumerate(items):
        if len(ws) < QUOTE_MIN_WORDS:
            continue
        hits = Counter(j for w in ws if len(post[w]) <= QUOTE_POSTING_CAP for j in post[w]
                       if j > i and items[j][0] != a)
        for j, _ in hits.most_common(20):
            wj = items[j][2]
            if len(wj) >= QUOTE_MIN_WORDS and len(ws & wj) / min(len(ws), len(wj)) >= QUOTE_SAME_MIN:
                sets.union(i, j)
    out = []
    for members in sets.groups().values():
        members.sort(key=lambda i: (items[i][0], items[i][1].start))
        rep = max(members, key=lambda i: (items[i][1].speaker is not None, len(items[i][2]), -i))
        q = items[rep][1]
        speakers = Counter(items[i][1].speaker for i in members if items[i][1].speaker)
        out.append({"text": q.text, "speaker": speakers.most_common(1)[0][0] if speakers else None,
                    "kind": q.kind, "article": items[rep][0], "start": q.start, "end": q.end,
                    "sources": [{"article": items[i][0], "start": items[i][1].start, "end": items[i][1].end,
                                 "speaker": items[i][1].speaker, "speaker_mention": items[i][1].speaker_mention,
                                 "speaker_start": items[i][1].speaker_start, "speaker_end": items[i][1].speaker_end}
                                for i in members]})
    out.sort(key=lambda d: (-len({s["article"] for s in d["sources"]}), d["article"], d["start"]))
    return out


def merge_entities(reads) -> list[dict]:
    merged: list[dict] = []
    by_key: dict[tuple, int] = {}
    by_last: dict[str, list[int]] = defaultdict(list)   # PERSON entities by last name
    for a, r in enumerate(reads):
        for e in r.article.entities:
            names = {n.lower() for n in [e.name, *e.variants] if n}
            hit = next((by_key[(e.type, n)] for n in names if (e.type, n) in by_key), None)
            if hit is None and e.type == "PERSON":
                last = e.name.split()[-1].lower() if e.name.split() else ""
                hit = next((k for k in by_last.get(last, ()) if
                            merged[k]["name"].lower().endswith(" " + e.name.lower()) or
                            e.name.lower().endswith(" " + merged[k]["name"].lower())), None)
            if hit is None:
                merged.append({"name": e.name, "type": e.type, "variants": [], "mentions": 0, "title": e.title,
                               "sources": []})
                hit = len(merged) - 1
            m = merged[hit]
            if len(e.name) > len(m["name"]):
                m["variants"].append(m["name"])
                m["name"] = e.name
            for v in [e.name, *e.variants]:
                if v != m["name"] and v not in m["variants"]:
                    m["variants"].append(v)
            m["mentions"] += e.mentions
            m["title"] = m["title"] or e.title
            m["sources"].append({"article": a, "spans": [{"start": s, "end": t} for s, t in e.spans]})
            for n in names | {m["name"].lower()}:
                by_key.setdefault((e.type, n), hit)
            if e.type == "PERSON" and m["name"].split() and hit not in by_last[m["name"].split()[-1].lower()]:
                by_last[m["name"].split()[-1].lower()].append(hit)
    merged.sort(key=lambda m: (-len({s["article"] for s in m["sources"]}), -m["mentions"], m["name"]))
    return merged


def timeline(reads, index, scores: list[float], ok: list[bool]) -> list[dict]:
    """Dated articles oldest first; each with its best sentences no earlier article reported."""
    dated = [(str(r.info["date"]), a) for a, r in enumerate(reads) if r.info.get("date")]
    if not dated:
        return []
    from newsgist.corpus.features import parse_date
    days = {d: parse_date(d) for d, _ in dated}   # "2024-3-5", "May 3, 2024": by the day, not the string
    dated.sort(key=lambda da: (days[da[0]] is None, days[da[0]] or 0, da))
    earlier: set[int] = set()
    out = []
    by_article = defaultdict(list)
    for k, u in enumerate(index.units):
        by_article[u.article].append(k)
    for date, a in dated:
        new = [k for k in by_article[a] if ok[k] and not (set(index.units[k].matches) & earlier)]
        new.sort(key=lambda k: (-scores[k], k))
        out.append({"date": date, "article": a,
                    "added": [{"text": index.units[k].text, "start": index.units[k].start,
                               "end": index.units[k].end} for k in new[:TIMELINE_ADDED]]})
        earlier.add(a)
    return out
