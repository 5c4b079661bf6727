import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "cnn-afghanistan-al-qaeda.txt"
SEED_EXPECTED = SHARED / "seeds" / "cnn-afghanistan-al-qaeda.expected.json"
EXAMPLE = ROOT / "examples" / "harbour-bridge.txt"


@pytest.fixture(scope="session")
def seed():
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED} (../shared is absent)")
    text = SEED.read_text(encoding="utf-8")
    return text, json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example():
    return EXAMPLE.read_text(encoding="utf-8")


def shared_data(rel: str) -> Path:
    p = SHARED / "data" / rel
    if not p.exists():
        pytest.skip(f"{p} not found (../shared/data is absent)")
    return p


def acceptance_norm(s):
    """The normalisation ../shared/tools/acceptance.py applies before comparing text."""
    s = unicodedata.normalize("NFKC", s or "").lower()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"').replace("-", " ")
    return re.sub(r"\s+", " ", re.sub(r"[\"'.,:;!?()\[\]]", " ", s)).strip()


@pytest.fixture()
def fresh_ranker(monkeypatch):
    """No NEWSGIST_MODEL, and an empty model cache before and after the test."""
    from newsgist.highlighting import ranker
    from newsgist.highlighting.ranker import MODEL_ENV
    monkeypatch.delenv(MODEL_ENV, raising=False)
    ranker.clear_cache()
    yield
    ranker.clear_cache()


def sentence_source(text: str):
    """A checker ``Source`` of ``text`` split at ". " (the grounding tests' small articles)."""
    from newsgist.grounding.align import Source
    spans, a = [], 0
    for part in text.split(". "):
        b = a + len(part) + (1 if not part.endswith(".") else 0)
        spans.append((a, min(b, len(text))))
        a = b + 1
    return Source(text, spans)


def router_dict(threshold: float = -1.0, **kw) -> dict:
    """A page router's JSON (``newsgist.reading.pageroute``) for the tests (session 12d: one builder):
    by default its score is the page's lexicon share (mean 0, sd 1, coef [1, 0, 0], intercept 0), so
    the default threshold -1 routes every page; its modern pair ``page-lines-modern.json`` /
    ``page-seq-modern.json``. ``kw`` replaces any key."""
    from newsgist.reading import pageroute
    return dict({"kind": pageroute.KIND, "columns": list(pageroute.COLUMNS), "mean": [0.0] * 3, "sd": [1.0] * 3,
                 "coef": [1.0, 0.0, 0.0], "intercept": 0.0, "threshold": threshold,
                 "modern_lines": "page-lines-modern.json", "modern_seq": "page-seq-modern.json"}, **kw)


def write_routed_pair(folder: Path, threshold: float = -1.0, **kw) -> Path:
    """``folder/page-route.json`` (:func:`router_dict`) beside a modern pair that is the shipped trees
    keeping every line (threshold and relative 0) and a copy of the shipped GRU (the same fingerprint,
    so it pairs): an output that shows which pair read a page. Returns the router file's path."""
    import shutil

    from newsgist.reading import pagemodel, pageseq
    folder.mkdir(parents=True, exist_ok=True)
    trees = json.loads(pagemodel.MODEL_PATH.read_text(encoding="utf-8"))
    trees.update(threshold=0.0, relative=0.0)
    (folder / "page-lines-modern.json").write_text(json.dumps(trees), encoding="utf-8")
    shutil.copy(pageseq.SEQ_PATH, folder / "page-seq-modern.json")
    path = folder / "page-route.json"
    path.write_text(json.dumps(router_dict(threshold, **kw)), encoding="utf-8")
    return path


@pytest.fixture()
def dragnet_pair(monkeypatch):
    """Read pasted pages with the Dragnet-trained pair alone (``NEWSGIST_PAGE_ROUTE=off``): for tests
    that give the page model's probabilities by hand (a stand-in ``pagemodel.load_model``, which the
    shipped router would bypass by sending the page to its modern pair) or that pin that pair's own
    output, as the comment-thread and decode rules were built and measured on it (issue 31, session 12)."""
    monkeypatch.setenv("NEWSGIST_PAGE_ROUTE", "off")
