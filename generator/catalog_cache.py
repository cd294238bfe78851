"""The bundled catalog kept between runs, so a build does not parse every content file again.

Reading and checking the content (about 200 YAML files) is a fifth of a second, on the path
before any page is laid out. The checked catalog is kept in the user's cache folder (see
:mod:`generator.cache`) under a key made of every content file's and every generator
module's name, size and modification time, and the Python and generator versions: any
edit, upgrade or new file makes a new key, so a stale catalog is never used. The file is
written only after the content loaded without problems.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from generator import __version__
from generator.cache import cache_dir
from generator.paths import data_dir

T = TypeVar("T")


def _fingerprint(folders: list[Path]) -> str:
    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    for folder in folders:
        for top, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # compiled copies of the modules
            for name in sorted(files):
                path = Path(top) / name
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def cached(name: str, load: Callable[[], T]) -> T:
    """``load()``'s result, from the cache when the content and code are unchanged."""
    folder = cache_dir("catalog")
    if folder is None:
        return load()
    sources = [data_dir("manual_templates"), data_dir("forms"), Path(__file__).resolve().parent]
    path = folder / f"{name}-{_fingerprint(sources)}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 (our own file, in the user's private cache folder)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = load()
    try:
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, prefix=".tmp-") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
        for old in folder.glob(f"{name}-*.pickle"):  # earlier versions of the content
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
