"""Candidate F (issue 31, session 9f): training pages with broken bodies.

The shipped page model loses article text that goes on after a block of furniture inside the
body (an inline "Read more" box, a newsletter prompt, a gallery): its line probabilities fall
after the break. F trains every stage on each training page *and* a copy of it whose body is
broken by one or two runs of that page's own furniture lines, labels kept (the inserted lines are
furniture, every other line keeps its label). The definition and its constants are registered in
BENCHMARKS.md ("Issue 31, session 9f") before any result; nothing here runs in the product.

:func:`augment_text` is the pure part (text, line spans and labels in; the copy's text and the
inserted spans out); :func:`augment_page` recomputes the copy's lines, features and labels the way
``train_paste.prepare`` does for a page.
"""
from __future__ import annotations

import random

AUG_SEED = 9031          # the copies' seed: random.Random(f"{AUG_SEED}:{page_id}:{copy}")
COPIES = 1               # augmented copies a training page
BLOCKS = (1, 2)          # inserted blocks a copy: one of these, drawn uniformly
RUN_MIN, RUN_MAX = 2, 8  # lines an inserted block takes from one furniture run


def furniture_runs(y, min_len: int | None = None) -> list[tuple[int, int]]:
    """``(first, last)`` (inclusive line indices) of each maximal run of consecutive lines
    labelled 0 that is at least ``min_len`` (default ``RUN_MIN``) lines long."""
    min_len = RUN_MIN if min_len is None else min_len
    out, start = [], None
    for i, v in enumerate(list(y) + [1]):
        if not v and start is None:
            start = i
        elif v and start is not None:
            if i - start >= min_len:
                out.append((start, i - 1))
            start = None
    return out


def body_gaps(y) -> list[int]:
    """Line indices ``i`` with lines ``i`` and ``i + 1`` both labelled 1 (a block may go after ``i``)."""
    y = list(y)
    return [i for i in range(len(y) - 1) if y[i] and y[i + 1]]


def augment_text(page_id: str, pasted: str, lines, y, copy: int = 0):
    """The broken-body copy of a page: ``(text, inserted)``, ``inserted`` one ``(at, added,
    start, end)`` an inserted block (the copy's text grew by ``added`` characters at ``at``; the
    block's own span is ``start:end``), or None when the page has no furniture run or no gap
    between two body lines. ``lines``: the page's model lines (``(start, end, blank_before)`` spans
    into ``pasted``), ``y`` their labels."""
    runs, gaps = furniture_runs(y), body_gaps(y)
    if not runs or not gaps:
        return None
    rng = random.Random(f"{AUG_SEED}:{page_id}:{copy}")
    n = min(rng.choice(BLOCKS), len(gaps))
    chosen = sorted(rng.sample(gaps, n))
    pieces, inserted, pos, shift = [], [], 0, 0
    for i in chosen:
        first, last = runs[rng.randrange(len(runs))]
        length = rng.randint(RUN_MIN, min(RUN_MAX, last - first + 1))
        a = rng.randint(first, last - length + 1)
        block = pasted[lines[a][0]:lines[a + length - 1][1]]
        q = lines[i][1]                          # after body line i ...
        sep = pasted[q:lines[i + 1][0]]          # ... set off as the page sets off lines i and i + 1
        pieces += [pasted[pos:q], sep + block]
        at = q + shift
        inserted.append((at, len(sep) + len(block), at + len(sep), at + len(sep) + len(block)))
        shift += len(sep) + len(block)
        pos = q
    pieces.append(pasted[pos:])
    return "".join(pieces), inserted


def map_labels(new_lines, inserted, lines, y):
    """Labels of the copy's lines: 0 for a line that starts inside an inserted block, else the
    label of the original line it is (by offset); None when the copy's lines do not map one to
    one onto the original's."""
    by_span = {(s, e): int(v) for (s, e, _), v in zip(lines, y)}
    out, mapped = [], 0
    for s, e, _ in new_lines:
        if any(bs <= s < be for _, _, bs, be in inserted):
            out.append(0)
            continue
        back = sum(added for at, added, _, _ in inserted if at + added <= s)
        v = by_span.get((s - back, e - back))
        if v is None:
            return None
        out.append(v)
        mapped += 1
    return out if mapped == len(lines) else None


def augment_page(page, copy: int = 0):
    """A ``train_paste.Page`` (``id``, ``pasted``, ``lines``, ``y``) -> its broken-body copy as a
    Page (id ``<id>#aug<copy>``, features recomputed on the copy's text), or None (no copy: no
    run or gap, or lines that do not map)."""
    import numpy as np
    from newsgist.evaluation.train_paste import Page
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    made = augment_text(page.id, page.pasted, page.lines, page.y, copy)
    if made is None:
        return None
    text, inserted = made
    X, new_lines = features(text, worded_lines(text, page_lines(text))[0])
    y = map_labels(new_lines, inserted, page.lines, page.y)
    if y is None:
        return None
    return Page(f"{page.id}#aug{copy}", text, page.gold, new_lines, X, np.asarray(y, dtype=np.float64))


def augmented(pages, copies: int = COPIES, log=None):
    """``[(index of the original in pages, copy Page)]`` for each page's copies (in page order)."""
    out, dropped = [], 0
    for i, p in enumerate(pages):
        for c in range(copies):
            a = augment_page(p, c)
            if a is None:
                dropped += 1
            else:
                out.append((i, a))
    if log:
        log(f"augmentation: {len(out)} copies of {len(pages)} pages ({dropped} without a copy), "
            f"{sum(len(a.y) for _, a in out)} lines")
    return out
