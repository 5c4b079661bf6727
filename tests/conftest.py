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
