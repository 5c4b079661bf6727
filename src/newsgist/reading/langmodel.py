"""py3langid's model, loaded from an uncompressed copy kept in a cache folder (issue 28).

py3langid ships its model as one LZMA-compressed ``.npz`` (4.6 MB; 68 MB unpacked):
unpacking it takes ~0.4 s of CPU, a quarter of a one-article ``newsgist card`` run. The
first load writes the unpacked arrays as ``.npy`` files into
``$NEWSGIST_CACHE_DIR`` (default ``$XDG_CACHE_HOME/newsgist``, else ``~/.cache/newsgist``),
in a folder named after py3langid's version and the model file's size and content hash
(a reinstall with a new mtime finds the same folder; a folder of another model is removed
when a new one is written); later processes map them (``numpy.load(mmap_mode="r")``: only
the rows a text needs are read, and the state-machine tables are read through memoryviews
of the mapping instead of being copied, ~40 ms).
The arrays are the model file's own, so the detector gives the same language and
confidence. ``NEWSGIST_CACHE_DIR=""`` turns the cache off; a folder that cannot be
written, or a copy that cannot be read, falls back to py3langid's own loader.
"""
from __future__ import annotations

import os
from pathlib import Path

# The model's arrays (py3langid.modelio.load_model reads these names from the .npz).
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
_PREFIX = "py3langid-"
_FOLDER = r"py3langid-[0-9A-Za-z.+]+-\d+-[0-9a-f]+"
# stdlib array type codes by item size, as py3langid builds its state-machine tables
_TYPECODE = {2: "H", 4: "I", 8: "L"}


def cache_root() -> Path | None:
    """The cache folder, or None when ``NEWSGIST_CACHE_DIR`` is set empty."""
    env = os.environ.get("NEWSGIST_CACHE_DIR")
    if env is not None:
        return Path(env) if env.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsgist"


def _folder(model_path: Path) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    import hashlib

    import py3langid
    data = model_path.read_bytes()  # 4.6 MB: ~5 ms to hash, where importlib.metadata took ~90 ms
    digest = hashlib.blake2b(data, digest_size=8).hexdigest()
    return root / f"{_PREFIX}{getattr(py3langid, '__version__', '0')}-{len(data)}-{digest}"


def _table(arr):
    """A read-only view of ``arr``'s memory indexed as py3langid's stdlib ``array`` tables are
    (``view[i]`` is a Python int), without copying it."""
    return memoryview(arr).cast("B").cast(_TYPECODE[arr.dtype.itemsize])


def _prune(keep: Path) -> None:
    """Remove the cache folders of other py3langid models (older installs) beside ``keep``;
    a process still mapping one keeps its pages until it exits."""
    import re
    import shutil
    for other in keep.parent.glob(_PREFIX + "*"):
        # a finished folder (version-size-hash, or the mtime of earlier releases), never a
        # half-written one ("<name>.<random>") of a process that is writing it now
        if other != keep and other.is_dir() and re.fullmatch(_FOLDER, other.name):
            shutil.rmtree(other, ignore_errors=True)


def _write(folder: Path, model_path: Path) -> None:
    """Unpack the model's arrays into ``folder`` (written beside it, then renamed)."""
    import lzma
    import shutil
    import tempfile

    import numpy as np
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        with tempfile.TemporaryFile(suffix=".npz") as npz:
            with lzma.open(model_path) as src:
                shutil.copyfileobj(src, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as data:
                for name in _ARRAYS:
                    np.save(tmp / f"{name}.npy", data[name], allow_pickle=False)
        os.replace(tmp, folder)
        _prune(folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def load_identifier(norm_probs: bool = True):
    """py3langid's ``LanguageIdentifier`` for its shipped model, through the cache."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    model_path = Path(MODEL_DIR) / MODEL_FILE
    try:
        folder = _folder(model_path)
        if folder is not None and not folder.is_dir():
            _write(folder, model_path)
        if folder is not None:
            a = {n: np.load(folder / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in _ARRAYS}
            return LanguageIdentifier(np.asarray(a["ptc"]), np.asarray(a["pc"]), a["classes"].tolist(),
                                      _table(a["nextmove"]), a["out_feat"].tolist(),
                                      norm_probs=norm_probs, tk_row=_table(a["nextmove_row"]))
    except (OSError, ValueError, KeyError, TypeError):  # no cache: the package's own loader
        pass
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=norm_probs)
