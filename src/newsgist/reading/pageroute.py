"""A page router in front of two page-model pairs (issue 31, session 12, candidates RC / RL; off
unless a router is configured).

A pasted page (:func:`newsgist.reading.pagemodel.looks_like_page`) is given to one of two model
pairs (``page-lines.json`` trees + ``page-seq.json`` GRU): the *modern* pair (trained with the
written pages in today's shapes) when the page looks like today's web, else the *default* pair
(``NEWSGIST_PAGE_MODEL`` / ``NEWSGIST_PAGE_SEQ``'s, or the shipped one). One pair reads the whole
page; nothing is mixed.

The router is a logistic regression over three page columns, fixed by session 12's registration
(BENCHMARKS.md, "Merge of wave three, session 12") and fitted by ``benchmarks/fit_router.py``:

- ``modern_share``: the share of the page's non-blank lines that match :data:`MODERN_LINE`;
- ``modern_log1p``: log1p of their count;
- ``latin_share``: the share of the page's letters that are Latin (:func:`latin_share`).

Its JSON file (``kind`` ``newsgist-page-route``) holds the columns' standardisation (``mean``,
``sd``), ``coef``, ``intercept`` and ``threshold``: a page is routed when
``intercept + sum(coef * (x - mean) / sd) >= threshold``; and ``modern_lines`` / ``modern_seq``,
the modern pair's file names, relative to the router file's folder.

A router is configured by ``NEWSGIST_PAGE_ROUTE`` (a path) or by a shipped
``models/page-route.json`` (one ships since session 12's gate, in front of
``page-lines-modern.json`` / ``page-seq-modern.json``; without a router nothing here runs and the
page model reads every page); ``NEWSGIST_PAGE_ROUTE=off`` switches the shipped router off. A router
file or modern pair that is named but cannot be read, or a modern GRU that was not trained beside
its trees, raises :class:`ModelError` (like a damaged ``page-seq.json``): a routed product must not
quietly become another one. The router reads a page before either pair is loaded (session 12c).
"""
from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path

from newsgist.errors import ModelError

ROUTE_PATH = Path(__file__).resolve().parents[1] / "models" / "page-route.json"
# pagemodel.MODEL_PATH, the default pair's trees (a test holds the two equal): pagemodel imports this
# module, so this one names the file itself rather than import it back (tests/test_layout.py)
DEFAULT_MODEL_PATH = ROUTE_PATH.with_name("page-lines.json")
ROUTE_ENV = "NEWSGIST_PAGE_ROUTE"
# NEWSGIST_PAGE_ROUTE=off (any case): no router, even a shipped one (review 12a, #3: a plain
# candidate is gated without the shipped router). Only "off": "0" or "none" could be a file's name.
ROUTE_OFF = "off"
KIND = "newsgist-page-route"
COLUMNS = ("modern_share", "modern_log1p", "latin_share")
# Only a line's first characters are searched: furniture lines are short, and one 50 kB line
# stays cheap (session 11's value, candidate R).
LINE_HEAD = 200
# Latin: basic Latin, Latin-1, Latin Extended A and B (U+0000-U+024F), the registration's column;
# IPA (U+0250) on and Latin Extended Additional (U+1Exx, Vietnamese) count as not Latin (review 12a, #8).
_LATIN_RUN = re.compile("[\\x00-\\u024f]+")

# Today's furniture (session 11's candidate R lexicon, ``benchmarks/route_modern.py``): consent
# banners, skip links, ad slots, newsletter and sign-in prompts, today's social networks, a
# copyright year from 2015 on, share rows, "min read". Session 12 (registered before any routed
# number): every alternative matches whole words only (session 11's matched "log in" inside
# "blog in", "sign in" inside "design in", "consent" inside "consenting"); the
# nouns whose plural is what pages print take an optional "s" (cookies, newsletters, podcasts);
# the anchored alternatives stay anchored. Session 11's version: commit c442f54.
MODERN_LINE = re.compile(
    r"\b(?:cookies?|consent|gdpr|privacy (?:settings|preferences|choices)|accept all|reject all"
    r"|manage (?:preferences|options|cookies)"
    r"|newsletters?|sign up|sign in|log in|subscribe"
    r"|instagram|whatsapp|tiktok|youtube|linkedin|pinterest|telegram"
    r"|enable javascript|javascript is (?:disabled|required)"
    r"|podcasts?|listen to this article|min(?:ute)? read)\b"
    r"|^skip to (?:main )?(?:content|navigation|main)\b"
    r"|^(?:advertisement|ad|sponsored)$|^(?:story|article) continues below\b"
    r"|(?:©|\bcopyright\b).{0,40}?\b20(?:1[5-9]|2\d)\b"
    r"|^share (?:on|this|via)\b|^copy link$",
    re.IGNORECASE)


def latin_share(text: str) -> float:
    """The share of ``text``'s letters that are Latin (basic, Latin-1 and Latin Extended A/B, below
    U+0250); 1.0 for a text without letters. Counted in C (``map``), not a Python loop."""
    letters = sum(map(str.isalpha, text))
    if not letters:
        return 1.0
    other = sum(map(str.isalpha, _LATIN_RUN.sub("", text)))
    return 1.0 - other / letters


def line_counts(text: str) -> tuple[int, int]:
    """(non-blank lines, of them matching :data:`MODERN_LINE` in their first ``LINE_HEAD`` characters)."""
    n = hits = 0
    for line in text.split("\n"):
        line = line.strip()[:LINE_HEAD]
        if line:
            n += 1
            if MODERN_LINE.search(line):
                hits += 1
    return n, hits


def modern_lines(text: str) -> int:
    """How many non-blank lines of ``text`` match the modern furniture lexicon (once a line)."""
    return line_counts(text)[1]


def lexicon_sha1() -> str:
    """The sha1 of :data:`MODERN_LINE`'s pattern: a router file records the one it was fitted with
    (``info.lexicon_sha1``, ``benchmarks/fit_router.py``)."""
    import hashlib
    return hashlib.sha1(MODERN_LINE.pattern.encode("utf-8")).hexdigest()


def columns(text: str) -> tuple[float, float, float]:
    """The router's columns of ``text`` in :data:`COLUMNS` order."""
    n, hits = line_counts(text)
    return hits / max(n, 1), math.log1p(hits), latin_share(text)


class Router:
    """A router JSON dict (see the module's docstring); ``folder``: where its pair's files are."""

    def __init__(self, d: dict, folder: Path | str = "."):
        if not isinstance(d, dict) or d.get("kind") != KIND:
            raise ValueError(f"not a page router (kind is not {KIND!r})")
        if list(d.get("columns", ())) != list(COLUMNS):
            raise ValueError(f"its columns are not this version's {list(COLUMNS)}")
        self.mean, self.sd, self.coef = ([float(v) for v in d[k]] for k in ("mean", "sd", "coef"))
        self.intercept, self.threshold = float(d["intercept"]), float(d["threshold"])
        nums = self.mean + self.sd + self.coef + [self.intercept, self.threshold]
        if not all(len(v) == len(COLUMNS) for v in (self.mean, self.sd, self.coef)):
            raise ValueError(f"mean, sd and coef need {len(COLUMNS)} numbers each")
        if not all(math.isfinite(v) for v in nums) or min(self.sd) <= 0:
            raise ValueError("its numbers must be finite and its sd positive")
        names = [d["modern_lines"], d["modern_seq"]]
        if not all(isinstance(v, str) and v for v in names):
            raise ValueError("modern_lines and modern_seq must name files")
        self.modern_files = tuple(str(Path(folder) / v) for v in names)
        self.info = dict(d.get("info", {}))

    def score(self, text: str) -> float:
        """The router's log-odds that ``text`` is a page of today's web."""
        return self.intercept + sum(c * (x - m) / s for c, x, m, s in zip(self.coef, columns(text), self.mean, self.sd))

    def routes(self, text: str) -> bool:
        return self.score(text) >= self.threshold


@lru_cache(maxsize=4)
def _load_router(path: str) -> Router:     # ``path`` resolved by its callers (#10)
    try:
        with open(path, encoding="utf-8") as fh:
            return Router(json.load(fh), Path(path).parent)
    except OSError as exc:
        raise ModelError(f"page router {path} cannot be read: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError) as exc:
        what = f"no {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ModelError(f"page router {path} cannot be read: {what}"[:300]) from None


def router_path() -> str | None:
    """The configured router file: ``NEWSGIST_PAGE_ROUTE``'s, else the shipped one if there; None: no
    router, also when ``NEWSGIST_PAGE_ROUTE`` is :data:`ROUTE_OFF` (a shipped router switched off).
    An empty ``NEWSGIST_PAGE_ROUTE`` means "not set"."""
    named = os.environ.get(ROUTE_ENV)
    if named:
        return None if named.strip().lower() == ROUTE_OFF else str(Path(named).resolve())    # #3; #10
    return str(ROUTE_PATH) if ROUTE_PATH.is_file() else None


def load_router() -> Router | None:
    """The configured router (None when there is none); :class:`ModelError` when it cannot be read."""
    path = router_path()
    return _load_router(path) if path else None


def route(text: str, router: Router | None = None) -> bool:
    """Does ``router`` (default: the configured one; False when there is none) send ``text`` to its modern pair?"""
    router = router or load_router()
    return router is not None and router.routes(text)


@lru_cache(maxsize=4)
def load_pair(trees_path: str, seq_path: str, model_cls):
    """The modern pair: a :class:`~newsgist.reading.pagemodel.PageModel` that reads with its own GRU
    (``own_seq``), built by ``model_cls`` (``pagemodel.PageModel``, passed in: pagemodel imports this
    module, so this one must not import it); :class:`ModelError` when either file cannot be read or they do not pair. Cached by
    the paths: a configured router's :attr:`Router.modern_files` are absolute (:func:`router_path`
    resolves the router's own path first, review 12a #10), so a ``chdir`` cannot mix two pairs up."""
    from newsgist.reading import pageseq
    try:
        with open(trees_path, encoding="utf-8") as fh:
            d = json.load(fh)
        if not isinstance(d, dict):     # valid JSON but not an object ("[]"): review 12a, #1
            raise ValueError("not a JSON object")
        model = model_cls(d)
    except OSError as exc:
        raise ModelError(f"the router's modern page-lines model {trees_path} cannot be read: "
                         f"{exc.strerror or exc}"[:300]) from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:     # as pageseq._load
        what = f"no {exc}" if isinstance(exc, KeyError) else str(exc)      # a damaged file (#11)
        raise ModelError(f"the router's modern page-lines model {trees_path} cannot be read: {what}"[:300]) from None
    if not os.path.isfile(seq_path):
        raise ModelError(f"the router's modern page-seq model {seq_path}: no such file")
    seq = pageseq._load(seq_path)
    problem = pageseq.pair_mismatch(seq, model.fingerprint, seq_path, trees_path)
    if problem:
        raise ModelError(problem)
    model.own_seq = seq
    return model


def _default_available(load_default) -> bool:
    """Is there a default page model, checked without parsing its trees where that is cheap?

    ``pagemodel.load_model`` itself (not patched): the file it would read (``NEWSGIST_PAGE_MODEL``'s,
    else the shipped ``models/page-lines.json``) exists, so an installation without the model stays
    rules only without ever reading the router. Any other loader (a stand-in a test or benchmark put
    in its place, e.g. ``bench_paste.clean_text(model=False)``'s ``lambda: None``) is called: it is
    cheap. Session 12c's choice (review 12a, #2): a default file that exists but is damaged
    (``load_model`` gives None: rules only) no longer stops a *routed* page from being read by the
    modern pair, since telling that would need the parse this function avoids; unrouted pages stay
    rules only there, as before."""
    if getattr(load_default, "__module__", None) == "newsgist.reading.pagemodel" \
            and getattr(load_default, "__name__", None) == "load_model":
        return os.path.isfile(os.environ.get("NEWSGIST_PAGE_MODEL") or str(DEFAULT_MODEL_PATH))
    return load_default() is not None


def choose(text: str, load_default, model_cls):
    """``(model, pair)`` for a pasted page ``text``. ``load_default``: a callable giving the page model
    in force (None: rules only, which no router changes), or that model itself. No router configured:
    ``(load_default(), None)``; else the modern pair and "modern" for a page the router routes (the
    default pair is then never loaded: review 12a, #2, a one-shot CLI call parses one pair, not two),
    the default model and "default" for another (the modern pair never loaded); ``(None, None)`` when
    there is no default model (:func:`_default_available`)."""
    if not callable(load_default):
        load_default = (lambda m: lambda: m)(load_default)
    if not _default_available(load_default):
        return None, None
    router = load_router()
    if router is not None and router.routes(text):
        return load_pair(*router.modern_files, model_cls), "modern"
    default = load_default()
    if default is None:
        return None, None
    return default, None if router is None else "default"
