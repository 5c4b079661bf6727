"""Candidate Y (issue 31, session 10d): synthetic pasted pages — other outlets' articles in
other pages' furniture.

The page model has seen 1,100 Dragnet pages of 2012 from ~425 sites. Y adds training pages whose
article text comes from other outlets in the shared data (BBC News 2004-05,
``bbc/bbc-news-summary.jsonl``; US political news, PolNeAR's training split,
``quotes/polnear-train.jsonl``) and whose furniture is real: runs of lines labelled 0 taken from
Dragnet *training* pages of the synthetic page's own fold (so a model that predicts a fold never
trains on a synthetic page holding that fold's furniture). A synthetic page is

    header (the last lines before donor A's first article line) -> headline -> body paragraphs,
    with 0-2 furniture blocks (2-8 lines of a label-0 run of donor B) between paragraphs ->
    footer (the first lines after donor A's last article line)

with labels by construction: headline and paragraphs 1, every furniture line 0. Features are
``pagelines.features`` on the synthetic text. The construction and its constants are registered
in BENCHMARKS.md ("Issue 31, session 10d") before any result; nothing here runs in the product.
"""
from __future__ import annotations

import bisect
import json
import random
from collections import Counter
from pathlib import Path

SYNTH_SEED = 10031       # random.Random(f"{SYNTH_SEED}:...") for every draw below
SYNTH_PAGES = 600        # synthetic pages: half BBC, half PolNeAR
SYNTH_WEIGHT = 0.3       # a synthetic page's line weight (a real page's lines weigh 1)
HEADER_MAX = 80          # the header: at most the last 80 lines before donor A's first article line
FOOTER_MAX = 120         # the footer: at most the first 120 lines after donor A's last article line
BLOCKS = (0, 1, 2)       # furniture blocks inside the body: one of these, drawn uniformly
RUN_MIN, RUN_MAX = 2, 8  # lines of a block, from one label-0 run of donor B
BODY_MAX = 30            # the article's first 30 paragraphs at most
SEGMENT_SEP = "\n\n"     # between header and headline, and between the body and the footer

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = {"bbc": DATA / "bbc" / "bbc-news-summary.jsonl",
           "polnear": DATA / "quotes" / "polnear-train.jsonl"}


def _clean(text: str) -> str:
    return " ".join(text.split())


def article_of(source: str, row: dict):
    """``(id, headline, paragraphs)`` of one record: the title, and the text's paragraphs (blank-line
    separated, whitespace inside a paragraph made single spaces) after its first line, which is the
    title (BBC as is, PolNeAR with a full stop added); None when fewer than two paragraphs remain."""
    text = row["article"] if source == "bbc" else row["text"]
    paras = [_clean(p) for p in text.split("\n\n")]
    paras = [p for p in paras if p]
    title = _clean(row["title"])
    if paras and paras[0].rstrip(".") == title.rstrip("."):
        paras = paras[1:]
    paras = paras[:BODY_MAX]
    if not title or len(paras) < 2:
        return None
    return f"{source}:{row['id']}", title, paras


def load_articles(sources=None) -> dict:
    """``{source: [(id, headline, paragraphs)]}``, sorted by id; a missing file raises FileNotFoundError."""
    out = {}
    for name, path in (sources or SOURCES).items():
        rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
        arts = [a for a in (article_of(name, r) for r in rows) if a is not None]
        out[name] = sorted(arts, key=lambda a: a[0])
    return out


def pick_articles(articles: dict, n: int = SYNTH_PAGES) -> list:
    """``n`` articles, an equal share from each source (sources in name order), each source's share
    drawn without replacement by ``random.Random(f"{SYNTH_SEED}:pick:{source}")``; then the list
    shuffled by ``random.Random(f"{SYNTH_SEED}:order")``."""
    names = sorted(articles)
    out = []
    for k, name in enumerate(names):
        share = n // len(names) + (1 if k < n % len(names) else 0)
        pool = articles[name]
        out += random.Random(f"{SYNTH_SEED}:pick:{name}").sample(pool, min(share, len(pool)))
    random.Random(f"{SYNTH_SEED}:order").shuffle(out)
    return out


def label0_runs(y, min_len: int = RUN_MIN) -> list[tuple[int, int]]:
    """``(first, last)`` (inclusive) of each maximal run of consecutive lines labelled 0, at least
    ``min_len`` lines long (session 9f's ``paste_augment.furniture_runs``)."""
    from paste_augment import furniture_runs
    return furniture_runs(y, min_len)


def donor_frame(y) -> tuple[tuple[int, int] | None, tuple[int, int] | None] | None:
    """Donor A's header and footer line ranges (inclusive; None when empty): the last ``HEADER_MAX``
    lines before its first line labelled 1, the first ``FOOTER_MAX`` after its last; None when the
    page has no line labelled 1."""
    ones = [i for i, v in enumerate(y) if v]
    if not ones:
        return None
    first, last = ones[0], ones[-1]
    head = (max(0, first - HEADER_MAX), first - 1) if first > 0 else None
    foot = (last + 1, min(len(y) - 1, last + FOOTER_MAX)) if last < len(y) - 1 else None
    return head, foot


def body_separator(pasted: str, lines, y) -> str:
    """Donor A's most common text between two consecutive lines both labelled 1 (ties: the first
    seen); ``SEGMENT_SEP`` when it has none."""
    seps = Counter(pasted[lines[i][1]:lines[i + 1][0]] for i in range(len(y) - 1) if y[i] and y[i + 1])
    return seps.most_common(1)[0][0] if seps else SEGMENT_SEP


def _span(page, a: int, b: int) -> str:
    return page.pasted[page.lines[a][0]:page.lines[b][1]]


def compose(key: str, article, donor_a, donor_b):
    """The synthetic page's text and its segments ``[(start, end, label, what)]`` (``what``: header,
    headline, body, block, footer). ``donor_a`` gives header, footer and the body separator,
    ``donor_b`` the blocks (``train_paste.Page``-like: ``pasted``, ``lines``, ``y``); draws by
    ``random.Random(f"{SYNTH_SEED}:{key}")``."""
    rng = random.Random(f"{SYNTH_SEED}:{key}")
    _, headline, paras = article
    y_a = [int(v) for v in donor_a.y]
    head, foot = donor_frame(y_a)
    sep = body_separator(donor_a.pasted, donor_a.lines, y_a)
    runs = label0_runs([int(v) for v in donor_b.y])
    n_blocks = min(rng.choice(BLOCKS), len(paras) - 1) if runs else 0
    after = set(rng.sample(range(len(paras) - 1), n_blocks))   # a block after paragraph i
    pieces: list[tuple[str, int, str]] = []
    if head:
        pieces += [(_span(donor_a, *head), 0, "header"), (SEGMENT_SEP, -1, "")]
    pieces += [(headline, 1, "headline"), (sep, -1, "")]
    for i, p in enumerate(paras):
        pieces.append((p, 1, "body"))
        if i in after:
            first, last = runs[rng.randrange(len(runs))]
            length = rng.randint(RUN_MIN, min(RUN_MAX, last - first + 1))
            a = rng.randint(first, last - length + 1)
            pieces += [(sep, -1, ""), (_span(donor_b, a, a + length - 1), 0, "block")]
        if i < len(paras) - 1:
            pieces.append((sep, -1, ""))
    if foot:
        pieces += [(SEGMENT_SEP, -1, ""), (_span(donor_a, *foot), 0, "footer")]
    text, segments, pos = [], [], 0
    for t, label, what in pieces:
        if label >= 0:
            segments.append((pos, pos + len(t), label, what))
        text.append(t)
        pos += len(t)
    return "".join(text), segments


def labels_of(lines, segments) -> list[int] | None:
    """Each line's label: that of the segment it lies in; None when a line is not inside one segment."""
    starts = [s for s, _, _, _ in segments]
    out = []
    for s, e, _ in lines:
        k = bisect.bisect_right(starts, s) - 1
        if k < 0 or not (segments[k][0] <= s and e <= segments[k][1]):
            return None
        out.append(segments[k][2])
    return out


def synth_page(key: str, article, donor_a, donor_b):
    """A ``train_paste.Page`` (id ``synth:<article id>``, features by ``pagelines``) or None (a line
    crossing segments, or no line)."""
    import numpy as np
    from newsgist.evaluation.train_paste import Page
    from newsgist.reading.pagelines import features, page_lines, worded_lines
    text, segments = compose(key, article, donor_a, donor_b)
    X, lines = features(text, worded_lines(text, page_lines(text))[0])
    y = labels_of(lines, segments)
    if not lines or y is None:
        return None
    gold = "\n\n".join([article[1]] + list(article[2]))
    return Page(f"synth:{article[0]}", text, gold, lines, X, np.asarray(y, dtype=np.float64))


def synthetic(train, fold_of: list[int], folds: int, n: int = SYNTH_PAGES, articles=None, log=None):
    """``[(fold, Page, (donor A id, donor B id))]``: ``n`` synthetic pages, page ``k`` in fold
    ``k % folds``, its donors drawn from the pages of ``train`` in that fold only (``fold_of``: each
    training page's fold; A among those with a line labelled 1, B another page with a label-0 run of
    ``RUN_MIN`` lines). A synthetic page trains the models of the other folds, as a real page of its
    fold does, and is never predicted or scored."""
    arts = pick_articles(load_articles() if articles is None else articles, n)
    by_fold_a = {f: [i for i, p in enumerate(train) if fold_of[i] == f and donor_frame([int(v) for v in p.y])]
                 for f in range(folds)}
    by_fold_b = {f: [i for i, p in enumerate(train) if fold_of[i] == f and label0_runs([int(v) for v in p.y])]
                 for f in range(folds)}
    out, dropped = [], 0
    for k, art in enumerate(arts):
        f = k % folds
        rng = random.Random(f"{SYNTH_SEED}:donors:{art[0]}")
        a = rng.choice(by_fold_a[f])
        b = rng.choice([i for i in by_fold_b[f] if i != a] or by_fold_b[f])
        page = synth_page(art[0], art, train[a], train[b])
        if page is None:
            dropped += 1
            continue
        out.append((f, page, (train[a].id, train[b].id)))
    if log:
        log(f"synthetic pages: {len(out)} ({dropped} dropped), {sum(len(p.y) for _, p, _ in out)} lines, "
            f"{sum(int(p.y.sum()) for _, p, _ in out)} labelled 1")
    return out
