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


def test_new_model_folder_replaces_stale_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGIST_CACHE_DIR", str(tmp_path))
    stale = tmp_path / "py3langid-0.3.0-4586720-1796554247"      # an earlier install (mtime key)
    writing = tmp_path / "py3langid-0.3.0-4586720-1796554247.k3j_x9a"  # another process mid-write
    other = tmp_path / "unrelated"
    for folder in (stale, writing, other):
        folder.mkdir()
    ident = langmodel.load_identifier()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert stale.name not in names and writing.name in names and "unrelated" in names
    fresh = [n for n in names if n.startswith("py3langid-") and n != writing.name]
    assert len(fresh) == 1 and fresh[0].startswith("py3langid-0.4")
    assert ident.classify(TEXTS[2].encode())[0] == "fr"
    # the tables are views of the mapped files, not copies
    assert isinstance(ident.tk_nextmove, memoryview)
