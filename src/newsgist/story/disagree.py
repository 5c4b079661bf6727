"""Where the articles disagree: figures that count the same thing with different values, and
quotes that articles give to different speakers.

Figures: each article's card already groups the figures that count the same thing inside it
(:mod:`newsgist.card.groups`: kind, unit, owner, place and predicate read from the parse).
The same traits are read here for every figure of every article and compared *across*
articles with the card's own rule (``_compatible``); as different articles word a count
differently, two figures must also stand in sentences about the same thing: sentences the
fact index matched, or whose idf-weighted cosine reaches ``CONTEXT_MIN``. Linked figures
form groups (union-find); a group whose values differ between articles is a disagreement.
Figures are bucketed by (kind, unit) first, so only figures that could count the same thing
are ever compared.

Speakers: a quote that several articles carry (merged in :mod:`newsgist.story.merge`) but
give to different speakers is an attribution disagreement.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

from newsgist.story.index import NUMBER_WORDS, FactIndex, Unit
from newsgist.unionfind import UnionFind

# Cosine of the two figures' sentences (numbers left out) at or above which two compatible
# figures of different articles count the same thing. Set on the probe's tuning half
# (benchmarks/bench_story.py --probe): the same sentence with a changed number is ~1.0, a
# paraphrase of the fact 0.35-0.7, another event counted in the same unit mostly < 0.25.
CONTEXT_MIN = 0.3
# The containment of the shorter sentence's words in the longer counts this much of a cosine:
# 0.5 lets a short sentence whose words all recur in the other through (0.5 >= CONTEXT_MIN)
# while two sentences sharing half their words stay under it.
CONTAIN_SCALE = 0.5
# Cosine (numbers left out) from which two sentences are one sentence told twice: then two
# figures of the same kind that count the same noun are one count even when the parse gives
# them no predicate or unit (a bare "20,000", "$1.2 million" without a verb).
SAME_SENTENCE_MIN = 0.8
# Context enough when both figures hang from the same specific verb ("destroyed 40 homes" /
# "destroyed 55 homes"): the verb and the counted noun already say what is counted.
SPECIFIC_CONTEXT_MIN = 0.15
# An increment ("two more patients", "another 300 jobs") adds to a count: not a rival value.
INCREMENT = re.compile(r"\b(?:more|another|additional|further|extra)\b(?!\s+than)", re.I)
# Figures compared inside one (kind, unit) bucket at most (a story of 200 articles that all
# count "people"): the first ones in story order; the cap goes to meta.limits_hit.
MAX_BUCKET = 400
FIGURE_KINDS = {"number", "range", "money", "percent"}
# A quote given to different speakers is a disagreement only when it has at least this many
# words: identical short quotes are merged across articles (merge.QUOTE_IDENTICAL_MIN_WORDS),
# and two people may well both say "No comment" or "Thank you"; "We will rebuild" is one
# speaker's line.
SPEAKER_DISPUTE_MIN_WORDS = 3


def _traits(read) -> list:
    """The card's figure traits (card/groups.py) for each figure of an article, None without a parse."""
    art = read.article
    if art.doc is None or not art.figures:
        return [None] * len(art.figures)
    from newsgist.card.claim_sources import span_root
    from newsgist.card.claims import BodyMap
    from newsgist.card.groups import _entity_names, _Traits
    m = BodyMap(art)
    names = _entity_names(art)
    out = []
    for f in art.figures:
        if f.kind not in FIGURE_KINDS:
            out.append(None)
            continue
        try:
            fs, fe = m.body(f.start), m.body(f.end)
            span = m.tokens(fs, fe)
            root = span_root(span) if len(span) else m.doc[m.token_index(fs)]
            out.append(_Traits(art, m, f, (fs, fe), root, names))
        except (IndexError, ValueError):
            out.append(None)
    return out


def _unit_at(index: FactIndex, starts: dict, a: int, offset: int) -> Unit | None:
    first, sent_starts = starts[a]
    i = bisect_right(sent_starts, offset) - 1
    return index.units[first + i] if i >= 0 else None


def _context(index: FactIndex, u: Unit, v: Unit) -> float:
    """How surely two sentences are about the same thing: 1 for sentences the index matched,
    else the idf-weighted cosine of their words (numbers left out), or, when one sentence is
    much shorter ("Twelve passengers were injured, police said."), the share of its words' weight
    that the other holds, scaled by CONTAIN_SCALE."""
    if u.matches.get(v.article, (None,))[0] is not None and index.units[u.matches[v.article][0]] is v:
        return 1.0
    return max(index.cosine(u, v, words_only=True), CONTAIN_SCALE * _containment(index, u, v))


def _containment(index: FactIndex, u: Unit, v: Unit) -> float:
    a = {t for t in u.stems if not t[:1].isdigit() and t not in NUMBER_WORDS}
    b = {t for t in v.stems if not t[:1].isdigit() and t not in NUMBER_WORDS}
    if len(a) > len(b):
        a, b = b, a
    total = sum(index.idf[t] for t in a)
    return sum(index.idf[t] for t in a & b) / total if total else 0.0


def _place(f, u: Unit) -> float:
    """Where a figure stands in its sentence (0 = its start, 1 = its end)."""
    return (f.start - u.start) / max(1, u.end - u.start)


_SCOPE_LEAD = re.compile(r"^(?:in|across|at|within|throughout|inside|from|of|on|for|among)\s+(?:the\s+)?", re.I)


def _scopes_differ(f, g) -> bool:
    """Both figures say where they hold, and never the same place ("in Dalton" / "across the county")."""
    a = {_SCOPE_LEAD.sub("", q["text"].strip().lower()) for q in f.qualifiers if q.get("kind") == "scope"}
    b = {_SCOPE_LEAD.sub("", q["text"].strip().lower()) for q in g.qualifiers if q.get("kind") == "scope"}
    return bool(a) and bool(b) and not (a & b)


def _key(value):
    return tuple(value) if isinstance(value, list) else (float(value) if isinstance(value, (int, float)) else value)


def _same_value(a, b) -> bool:
    return a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) < 1e-9)


def figure_disagreements(index: FactIndex, reads, limits: list) -> list[dict]:
    from newsgist.card.groups import _compatible, _label
    starts, k = {}, 0
    for a, r in enumerate(reads):
        starts[a] = (k, [s.start for s in r.article.sentences])
        k += len(r.article.sentences)
    figs = []   # (article, figure, traits, unit)
    for a, r in enumerate(reads):
        for f, t in zip(r.article.figures, _traits(r)):
            if t is None or INCREMENT.search(f.text):
                continue
            figs.append((a, f, t, _unit_at(index, starts, a, f.start)))
    buckets = defaultdict(list)
    for i, (a, f, t, u) in enumerate(figs):
        buckets[(t.kind, t.unit)].append(i)
    links = defaultdict(dict)   # figure -> other article -> [(context, -distance, figure)]
    near = defaultdict(set)     # (figure, other article) -> values of same-unit figures in related sentences
    for key, members in buckets.items():
        if len(members) > MAX_BUCKET:
            limits.append({"stage": "story", "limit": "MAX_BUCKET",
                           "detail": f"{len(members)} figures of one kind and unit; the first {MAX_BUCKET} compared"})
            members = members[:MAX_BUCKET]
        for x in range(len(members)):
            i = members[x]
            for j in members[x + 1:]:
                if figs[i][0] == figs[j][0]:
                    continue
                ui, uj = figs[i][3], figs[j][3]
                if ui is None or uj is None:
                    continue
                c = _context(index, ui, uj)
                ti, tj = figs[i][2], figs[j][2]
                if c >= CONTEXT_MIN:
                    near[(i, figs[j][0])].add(_key(figs[j][1].value))
                    near[(j, figs[i][0])].add(_key(figs[i][1].value))
                if _scopes_differ(figs[i][1], figs[j][1]):
                    continue
                specific = ti.pred not in (None, "amount") and ti.pred == tj.pred
                if c < (SPECIFIC_CONTEXT_MIN if specific else CONTEXT_MIN):
                    continue
                # the card's rule; or, in two tellings of one sentence, the same kind of figure
                # counting the same noun (a bare count or one without a verb has no predicate)
                if not ((ti.unit is not None and ti.pred is not None and _compatible(ti, tj))
                        or (c >= SAME_SENTENCE_MIN and ti.unit == tj.unit and ti.kind != "ordinal"
                            and (figs[i][1].counts or "") == (figs[j][1].counts or ""))):
                    continue
                d = abs(_place(figs[i][1], ui) - _place(figs[j][1], uj))
                links[i].setdefault(figs[j][0], []).append((c, -d, j))
                links[j].setdefault(figs[i][0], []).append((c, -d, i))
    # a conflict: a figure's closest counterpart in another article (the best-matching sentence)
    # has another value, and none of its counterparts there has the figure's own value (a
    # running total and its parts are no dispute)
    sets = UnionFind(len(figs))
    in_conflict = set()
    for i, per_article in links.items():
        for b, cands in per_article.items():
            best = max(cands, key=lambda t: (t[0], t[1], -t[2]))[2]
            if _same_value(figs[i][1].value, figs[best][1].value):
                continue
            if any(_same_value(figs[i][1].value, figs[j][1].value) for _, _, j in cands):
                continue
            if _key(figs[i][1].value) in near[(i, b)]:   # the other article has this value too, told otherwise
                continue
            sets.union(i, best)
            in_conflict |= {i, best}
    # articles that side with one of the values: the closest counterpart of a disputed figure in
    # an article not yet in the dispute joins it ("12 (article 0) · 17 (article 1) · 12 (article 2)")
    for i in sorted(in_conflict):
        for b, cands in links[i].items():
            best = max(cands, key=lambda t: (t[0], t[1], -t[2]))[2]
            if best not in in_conflict:
                sets.union(i, best)
                in_conflict.add(best)
    groups = defaultdict(list)
    for i in sorted(in_conflict):
        groups[sets.find(i)].append(i)
    out = []
    for members in groups.values():
        label = _label([figs[i][2] for i in members])
        values = [{"text": figs[i][1].text, "value": figs[i][1].value, "article": figs[i][0],
                   "start": figs[i][1].start, "end": figs[i][1].end,
                   "claimed_by": (figs[i][1].claimed_by or {}).get("speaker")}
                  for i in sorted(members, key=lambda i: (figs[i][0], figs[i][1].start))]
        out.append({"kind": "figure", "label": label, "values": values})
    out.sort(key=lambda d: (-len({v["article"] for v in d["values"]}), d["values"][0]["article"],
                            d["values"][0]["start"]))
    return out


_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}


def _speaker_key(name: str | None) -> str | None:
    """A speaker two articles can disagree on: a proper name (every word capitalised, not a
    pronoun), keyed by its last word ("Ines Kovacs" and "Kovacs" are one). A description
    ("hospital officials", "a spokesman") is not compared: it may well name the same person."""
    if not name or name.strip().lower() in _PRONOUNS:
        return None
    ws = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not ws or not all(w[:1].isupper() for w in ws):
        return None
    return ws[-1].lower().strip(".,")


def speaker_disagreements(quotes: list[dict], reads=None) -> list[dict]:
    """Merged quotes that two articles give to different speakers: the speakers one article
    names for it share none with those another names (pronouns, descriptions aside). With
    ``reads``, a speaker must also be a person or organisation the article's card names
    ("Police" opening a sentence is capitalised, not a name)."""
    names = None
    if reads is not None:
        names = [{v.lower() for e in r.article.entities if e.type in ("PERSON", "ORG")
                  for v in [e.name, *e.variants]} for r in reads]

    def key_of(s):
        key = _speaker_key(s.get("speaker"))
        if key and names is not None and s["speaker"].lower() not in names[s["article"]]:
            return None
        return key
    out = []
    for q in quotes:
        if len(q["text"].split()) < SPEAKER_DISPUTE_MIN_WORDS:
            continue
        per_article: dict[int, set] = {}
        for s in q["sources"]:
            key = key_of(s)
            if key:
                per_article.setdefault(s["article"], set()).add(key)
        arts = sorted(per_article)
        if not any(not (per_article[a] & per_article[b]) for i, a in enumerate(arts) for b in arts[i + 1:]):
            continue
        values = [{"text": s.get("speaker_mention") or s["speaker"], "value": s["speaker"], "article": s["article"],
                   "start": s.get("speaker_start", -1), "end": s.get("speaker_end", -1), "claimed_by": None,
                   "quote": {"start": s["start"], "end": s["end"]}}
                  for s in q["sources"] if key_of(s)]
        values.sort(key=lambda v: (v["article"], v["start"]))
        out.append({"kind": "speaker", "label": f"who said “{_short(q['text'])}”", "values": values})
    return out


def _short(text: str, n: int = 12) -> str:
    ws = text.split()
    return " ".join(ws[:n]) + ("…" if len(ws) > n else "")
