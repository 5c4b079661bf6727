"""Word-for-word alignment of a line to its support sentences (issue 26): the tight checks.

:func:`lcs_pairs` aligns two stem lists; :func:`tight_flips` finds a negation or modal
added, dropped or swapped between two aligned neighbours; :func:`tight_evidence` finds a
number or a rare word put where a support sentence has another one, and two rare words
swapped around an aligned word (who did what to whom).
"""
from __future__ import annotations

from newsgist.grounding.claims import _TOKEN, fold, is_content
from newsgist.grounding.numeric import number_matches, number_tokens

# Words at least this rare (IDF; in under ~1 % of the training articles) count as names or
# facts in the substitution and role checks below, and so do words the article writes only
# capitalised (news names are often common: "liverpool" is in 3 % of CNN's articles).
RARE_IDF = 4.6
# A gap of at most this many tokens on each side, between two aligned words, is a tight
# substitution: the line follows the sentence and changed just that.
TIGHT = 3
# Sentences the tight checks read: the support, then others sharing MIN_SHARED content words.
MIN_SHARED = 3
MAX_CANDIDATES = 5
# A role swap is a hard piece only when its sentence holds this share of the line's content
# words (the line retells that one sentence; below, a paraphrase in another voice --
# "Vea has joined the Falcons" / "the Falcons have signed Vea" -- looks the same to words).
ROLE_HARD_COVER = 0.8


def _said_elsewhere(source, stems, idx) -> bool:
    """Does the article hold the line's words around each of ``idx`` word for word (the
    word with its neighbours on both sides, or one side at the line's edge)? Then a fused
    line follows another sentence there, and its difference from this candidate sentence
    is no substitution ("Manchester [United] will fail" against "Manchester [City] ...")."""
    if not idx or len(stems) < 2:
        return False
    for i in idx:
        if 0 < i < len(stems) - 1:
            if (stems[i - 1], stems[i], stems[i + 1]) not in source.trigrams:
                return False
        elif (tuple(stems[:2]) if i == 0 else tuple(stems[-2:])) not in source.bigrams:
            return False
    return True


def lcs_pairs(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Aligned index pairs of the longest common subsequence of ``a`` and ``b``."""
    n, m = len(a), len(b)
    if not n or not m:
        return []
    dp = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        ai, row, nxt = a[i], dp[i], dp[i + 1]
        for j in range(m - 1, -1, -1):
            row[j] = nxt[j + 1] + 1 if ai == b[j] else max(nxt[j], row[j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif dp[i + 1][j] >= dp[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def tight_flips(toks, sent, pairs, words, swap: bool = False) -> list[int]:
    """Line token indices where a word of ``words`` was added, dropped (or, ``swap``,
    replaced by another of them) between two words the line and the sentence align
    next to each other ("will [not] sign"): the plainest sign of a flipped claim."""
    out = []
    for (i1, j1), (i2, j2) in zip(pairs, pairs[1:]):
        if i2 - i1 > 3 or j2 - j1 > 3:
            continue
        lw = [t for t in toks[i1 + 1:i2] if t in words]
        sw = [t for t in sent[j1 + 1:j2] if t in words]
        if sorted(lw) != sorted(sw) and (swap or not (lw and sw)):
            out.append(next((i for i in range(i1 + 1, i2) if toks[i] in words),
                            next((i for i in range(i2, len(toks)) if is_content(toks[i])), i2)))
    return out


def _capital(cased: list[str], i: int, names=frozenset(), stem_of=None) -> bool:
    """Is token ``i`` written capitalised (the first token only when the article writes
    its stem capitalised everywhere: a name, not a sentence start)?"""
    if not 0 <= i < len(cased) or not cased[i][:1].isupper():
        return False
    return i > 0 or (stem_of is not None and stem_of[i] in names)


def candidates(source, line, support) -> list[int]:
    """The support sentences, then the other sentences sharing at least MIN_SHARED of the
    line's content words, most first, up to MAX_CANDIDATES in all (a fused line may follow
    a sentence for one clause, too little for it to join the support)."""
    content = set(line.content)
    counts: dict[int, int] = {}
    for st in content:
        for k in source.postings.get(st, ()):
            counts[k] = counts.get(k, 0) + 1
    more = sorted((k for k, n in counts.items() if n >= MIN_SHARED and k not in support), key=lambda k: (-counts[k], k))
    return list(support) + more[:max(0, MAX_CANDIDATES - len(support))]


def tight_evidence(source, line, support, idf, f, pieces) -> None:
    """Substitutions and swaps against every :func:`candidates` sentence (a fused line
    follows each sentence for a stretch): a number or a rare word put where the sentence has another
    one between two aligned words; two rare words on the two sides of an aligned word in
    the other order (X beat Y / Y beat X). A number, and a name when both sides are
    written capitalised, are ``hard`` pieces; the counts are features."""
    toks, stems = line.toks, line.stems
    lcased = _TOKEN.findall(fold(line.text))
    if len(lcased) != len(toks):
        lcased = toks
    names = source.capitalised   # stems the article only writes capitalised (empty for lower-cased text)
    rare = {i for i, t in enumerate(toks)
            if is_content(t) and (idf.get(stems[i], 99.0) >= RARE_IDF or stems[i] in names)}
    for k in candidates(source, line, support):
        sent = source.sentences[k]
        scased = _TOKEN.findall(fold(source.text[sent.start:sent.end]))
        if len(scased) != len(sent.toks):
            scased = sent.toks
        pairs = lcs_pairs(stems, sent.stems)
        # the line's first and last few words face the sentence's words before / after the
        # aligned stretch ("[Press] have sacked" for "[Sunderland] have sacked"): counted, never hard
        ends = [(-1, max(pairs[0][1] - TIGHT - 1, -1))] + pairs + [(len(toks), min(pairs[-1][1] + TIGHT + 1,
                                                                                 len(sent.toks)))] if pairs else []
        for (i1, j1), (i2, j2) in zip(ends, ends[1:]):
            if not (0 < i2 - i1 - 1 <= TIGHT and 0 < j2 - j1 - 1 <= TIGHT):
                continue
            edge = i1 < 0 or i2 >= len(toks)
            lg, sg = range(i1 + 1, i2), range(j1 + 1, j2)
            lnum = [(i1 + 1 + a, v) for a, _, v in number_tokens(toks[i1 + 1:i2])]
            snum = [v for _, _, v in number_tokens(sent.toks[j1 + 1:j2])]
            if lnum and snum:
                if _said_elsewhere(source, stems, [i for i, _ in lnum]):
                    continue
                for i, v in lnum:
                    if not number_matches(v, snum):
                        f["swap_edge" if edge else "swap_num"] += 1
                        pieces.append({"tok": i, "kind": "number", "hard": not edge})
                continue
            new = [i for i in lg if i in rare and stems[i] not in sent.stems]
            old = [j for j in sg if is_content(sent.toks[j]) and sent.stems[j] not in stems
                   and (idf.get(sent.stems[j], 99.0) >= RARE_IDF or sent.stems[j] in names)]
            if new and old and _said_elsewhere(source, stems, new):
                continue
            if new and old:
                f["swap_edge" if edge else "swap_rare"] += 1
                cased = any(_capital(lcased, i, names, stems) for i in new) and any(
                    _capital(scased, j, names, sent.stems) for j in old)
                pieces.append({"tok": new[0], "kind": "name", "hard": cased and not edge})
            elif old and any(stems[i] not in sent.stems for i in lg):
                f["swap_weak"] += 1   # a rare word replaced by words that are no name ("I'm" for a name)
        # roles: a content word both hold once, with rare words on its two sides that the
        # sentence has on the other sides (X beat Y / Y beat X); not across a passive "by"
        where: dict[str, list[int]] = {}
        for j, st in enumerate(sent.stems):
            where.setdefault(st, []).append(j)
        count = {}
        for st in stems:
            count[st] = count.get(st, 0) + 1
        if k not in support:
            continue
        cover = len(set(line.content) & sent.content) / max(len(set(line.content)), 1)
        once = [(i, where[stems[i]][0]) for i, t in enumerate(toks)
                if is_content(t) and count[stems[i]] == 1 and len(where.get(stems[i], ())) == 1]
        for i, j in once:
            before = [a for a, b in once if a < i and b > j and a in rare]
            after = [a for a, b in once if a > i and b < j and a in rare]
            if before and after and "by" not in toks[i + 1:min(after)]:
                f["role_swap"] += 1
                cased = any(_capital(lcased, a, names, stems) for a in before) and any(
                    _capital(lcased, b, names, stems) for b in after)
                pieces.append({"tok": max(before), "kind": "relation", "hard": cased and cover >= ROLE_HARD_COVER,
                               "end": min(after)})
                break
