"""Candidate CT (issue 31, session 8d): comment threads in the shapes the shipped features miss.

Session 8c's error analysis (BENCHMARKS.md "Issue 31, session 8c", Part 2) found comment threads
we keep costing about 12 of the 104.6 lost page-units on site-grouped folds: a head of the shape
"{ 53 comments… read them below or add one }" is no comment head for the shipped
``pagelines._COMMENTS_HEAD`` (it wants the count alone on its line), a numbered commenter line
"2. MJ - August 8, 2012" is no comment lead for ``pagelines.comment_shape``, and where the leads
do match ("Peter Flom 07.08.12 at 13:24") the model still keeps the thread on outlets it never saw.

CT changes the shipped feature matrix (``pagelines.FEATURE_NAMES``' columns, in place) and adds
three columns after it (:data:`THREAD_NAMES`):

(a) shapes, general (no site's literal strings):
  - :data:`HEAD_EXTRA`: a comment head is also a count of comments in brackets ("{ 53 comments…
    read them below or add one }", "[12 Responses]", "(3 comments)"), a count then an ellipsis or
    a dash and a prompt ("12 comments… add one", "4 Responses - leave a reply"), and the word
    then its count after a colon or in brackets ("Comments: 12", "Responses [4]"); the shipped
    columns ``comments_head``, ``comments_head_dist``, ``comments_heads_before`` are recomputed
    with ``_COMMENTS_HEAD`` or :data:`HEAD_EXTRA`.
  - :data:`NUMBER_PREFIX`: a comment lead may open with its number ("2. MJ - August 8, 2012",
    "#14. Dana says:", "7) kayak_88 | 12/03/2011"): the line is a lead when, the number taken
    off, it is one for ``pagelines.comment_shape`` and holds no duration "h:mm:ss"; ``cs_name_stamp`` and ``cs_name_stamp_near``
    are recomputed with it.
(b) the thread: a line is a *lead* when it is a comment lead (as in (a)) or a shipped
    ``comment_mark``; per line, ``ct_leads_next`` = log1p(leads among the next
    :data:`THREAD_WINDOW` lines), ``ct_leads_prev`` = log1p(leads among the previous
    :data:`THREAD_WINDOW` lines), ``ct_lead_share_after`` = the share of the page's leads after
    the line (0 on a page without one).

The GRU reads the same 31 columns by name as the shipped one (``pageseq.SEQ_FEATURES``; so
``comments_head`` and ``cs_name_stamp`` with CT's values), not the thread columns. Registered
in BENCHMARKS.md ("Issue 31, session 8d") before any result. Linear in the lines.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from newsgist.reading import pagelines  # noqa: E402

# the shapes are the product's (``newsgist.reading.pagethread``, whose guarded rule_span is CR3, off);
# CT reads them too
from newsgist.reading.pagelines import _COMMENTS_HEAD  # noqa: E402
from newsgist.reading.pagethread import (_DURATION, HEAD_EXTRA, NUMBER_PREFIX, RULE_MIN_LEADS,  # noqa: E402,F401
                                         THREAD_WINDOW, is_head, is_lead)

THREAD_NAMES = ["ct_leads_next", "ct_leads_prev", "ct_lead_share_after"]


# Session 8d's candidate CR as it was registered and measured (withdrawn at merge: it cut ordinary
# articles; the product's guarded form is pagethread.rule_span): replayed by ``rule`` below.
def rule_start(texts, marks) -> int | None:
    """The first line (of ``texts``, whitespace-normalised; ``marks``: their comment-mark flags)
    that matches :data:`HEAD_EXTRA` and not the model's own head pattern, with at least
    :data:`RULE_MIN_LEADS` leads among the next :data:`THREAD_WINDOW` lines; None where none does."""
    lead = None
    for i, t in enumerate(texts):
        if HEAD_EXTRA.match(t) and not _COMMENTS_HEAD.match(t):
            if lead is None:        # the leads, once a page has a candidate head (most have none)
                lead = [is_lead(x) or bool(m) for x, m in zip(texts, marks)]
            if sum(lead[i + 1:i + 1 + THREAD_WINDOW]) >= RULE_MIN_LEADS:
                return i
    return None


def thread_columns(lead):
    """:data:`THREAD_NAMES` of a page whose lines' lead flags are ``lead`` (0/1 array)."""
    import numpy as np
    lead = np.asarray(lead, dtype=np.float64)
    n = len(lead)
    if n == 0:
        return np.zeros((0, len(THREAD_NAMES)))
    c = np.concatenate([[0.0], np.cumsum(lead)])
    idx = np.arange(n)
    k = THREAD_WINDOW
    nxt = c[np.minimum(idx + k + 1, n)] - c[idx + 1]
    prev = c[idx] - c[np.maximum(idx - k, 0)]
    total = c[-1]
    after = (total - c[idx + 1]) / total if total else np.zeros(n)
    return np.column_stack([np.log1p(nxt), np.log1p(prev), after])


def ct_matrix(pasted: str, lines, X):
    """CT's matrix of a page: ``X`` (the shipped ``pagelines.FEATURE_NAMES`` columns of ``lines``
    of ``pasted``) with the head and lead columns recomputed, then :data:`THREAD_NAMES`."""
    import numpy as np
    names = list(pagelines.FEATURE_NAMES)
    assert X.shape[1] == len(names), (X.shape, len(names))
    X = np.array(X, dtype=np.float64, copy=True)
    texts = [" ".join(pasted[s:e].split()) for s, e, _ in lines]
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(names) + len(THREAD_NAMES)))
    head = np.array([is_head(t) for t in texts], dtype=np.float64)
    X[:, names.index("comments_head")] = head
    X[:, names.index("comments_head_dist")] = pagelines._since(head, math.log(n + 2))
    X[:, names.index("comments_heads_before")] = np.cumsum(head) - head
    lead = np.array([is_lead(t) for t in texts], dtype=np.float64)
    X[:, names.index("cs_name_stamp")] = lead
    k = pagelines.COMMENT_NEIGHBOURS
    c = np.concatenate([[0.0], np.cumsum(lead)])
    idx = np.arange(n)
    lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k, n - 1)
    count = (hi - lo).astype(np.float64)
    sums = c[hi + 1] - c[lo] - lead
    X[:, names.index("cs_name_stamp_near")] = np.where(count > 0, sums / np.maximum(count, 1.0), 0.0)
    marks = X[:, names.index("comment_mark")]
    return np.hstack([X, thread_columns(np.maximum(lead, marks))])


# --- CR (session 8d's second candidate, registered after CT's result): CT's head shape as a rule
# after the shipped model, nothing retrained.


def apply_rule(probs: dict, sets: dict) -> tuple[dict, list]:
    """``probs`` (``{"oof"|"eval": {id: line probabilities}}``) with CR applied: lines from the
    thread's head on get 0, on the pages of ``sets`` (cv_paste's prepared pages: their lines are the
    model's). Returns the new table and the ids it fired on."""
    import numpy as np
    names = list(pagelines.FEATURE_NAMES)
    mi = names.index("comment_mark")
    by_id = {p.id: p for pages in sets.values() for p in pages}
    out, fired = {}, []
    for part, table in probs.items():
        out[part] = {}
        for k, pr in table.items():
            pr = np.array(pr, dtype=np.float64, copy=True)
            p = by_id[k]
            assert len(pr) == len(p.lines), (k, len(pr), len(p.lines))
            texts = [" ".join(p.pasted[s:e].split()) for s, e, _ in p.lines]
            h = rule_start(texts, p.X[:, mi])
            if h is not None:
                pr[h:] = 0.0
                fired.append(k)
            out[part][k] = pr
    return out, fired


def main(argv=None) -> int:
    import argparse
    import pickle
    ap = argparse.ArgumentParser(description="candidate CR: CT's comment head as a rule after the model")
    ap.add_argument("what", choices=("rule",))
    ap.add_argument("probs", type=Path, help="a --dump-probs / pageseq_ensemble file")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import cv_paste
    sets = cv_paste.load_sets(comment=True)       # the shipped features' pages (read only)
    with args.probs.open("rb") as fh:
        probs = pickle.load(fh)
    out, fired = apply_rule(probs, sets)
    with args.out.open("wb") as fh:
        pickle.dump(out, fh)
    print(f"CR fired on {len(fired)} pages: {' '.join(fired)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
