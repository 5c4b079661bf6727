"""py3langid's model from the unpacked copy in the cache folder (reading/langmodel.py, issue 28):
the same language and confidence as the package's own loader."""
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from newsgist.reading import langmodel

# Written for this test.
TEXTS = ["The council voted on Tuesday to close the old bridge to cars from next spring.",
         "Der Hund läuft schnell über die Straße und bellt den Briefträger an.",
         "Le conseil municipal a voté mardi la fermeture du vieux pont.",
         "Совет проголосовал во вторник за закрытие старого моста.",
         "John Smith, 45, of Boston.", "12 34", ""]


def test_cached_model_classifies_alike(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGIST_CACHE_DIR", str(tmp_path))
    ref = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    first = langmodel.load_identifier()            # unpacks into the cache
    folders = list(tmp_path.iterdir())
    assert len(folders) == 1 and (folders[0] / "ptc.npy").exists()
    second = langmodel.load_identifier()           # maps the cached arrays
    for text in TEXTS:
        want = ref.classify(text.encode())
        assert first.classify(text.encode()) == want
        assert second.classify(text.encode()) == want


def test_cache_off_and_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGIST_CACHE_DIR", "")
    assert langmodel.cache_root() is None
    assert langmodel.load_identifier().classify(TEXTS[0].encode())[0] == "en"
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NEWSGIST_CACHE_DIR", str(blocked / "sub"))
    assert langmodel.load_identifier().classify(TEXTS[1].encode())[0] == "de"
