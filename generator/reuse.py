"""Reusing unchanged files from the previous build in the same output folder.

A consultant rebuilds every client after a pack or a law changes; most forms and handouts
come out exactly as before. Each file in build.json records a *source digest*: a hash of
the document tree it was written from plus a fingerprint of the writers (their code, the
Typst templates and fonts, the versions of the libraries that lay the file out). When the next build
would write a file from the same source, and the file on disk still has the bytes
build.json recorded, it is copied instead of laid out again. Anything else (a changed
document, a new generator or library version, a file edited or damaged on disk) is
rendered afresh; ``--fresh`` renders everything.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.document import Document
from generator.manifest import FileEntry, Manifest
from generator.outdir import inside, regular_file
from generator.paths import fonts_dir, typst_dir

# the libraries whose output ends up in the files
LIBRARIES = ("typst", "pikepdf", "python-docx")


@functools.cache
def writer_fingerprint() -> str:
    """A hash of everything besides the document that decides a written file's bytes."""
    digest = hashlib.sha256(f"safety-manual {__version__}".encode())
    writers = Path(__file__).resolve().parent / "writers"
    sources = sorted(writers.glob("*.py")) + sorted(typst_dir().glob("*.typ")) + sorted(fonts_dir().glob("*.ttf"))
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return digest.hexdigest()


def source_digests(document: Document, formats: tuple[str, ...]) -> dict[str, str]:
    """The digest of what each file in ``formats`` is written from, by format.

    The tree is made of plain dataclasses, tuples and strings, so its ``repr`` is a
    complete and stable serialisation of it; it is taken once for all formats.
    """
    tree = hashlib.sha256(repr(document).encode("utf-8")).hexdigest()
    return {fmt: hashlib.sha256(f"{writer_fingerprint()} {fmt} {tree}".encode()).hexdigest() for fmt in formats}


def source_digest(document: Document, fmt: str) -> str:
    """The digest of what a file in format ``fmt`` is written from."""
    return source_digests(document, (fmt,))[fmt]


@dataclass(frozen=True)
class Reusable:
    """A file of the previous build that can stand in for a new rendering."""

    path: Path
    pages: int | None


class PreviousOutputs:
    """The files of the previous build in ``out_dir``, looked up by path and source digest."""

    def __init__(self, out_dir: Path, manifest: Manifest | None):
        self.out_dir = out_dir
        # read_manifest has validated the record and dropped paths outside the folder
        self.entries: dict[str, FileEntry] = {e.path: e for e in manifest.files} if manifest else {}

    def find(self, relative: str, digest: str) -> Reusable | None:
        """The previous file at ``relative`` if it was written from ``digest`` and is intact."""
        entry = self.entries.get(relative)
        if not entry or entry.source != digest:
            return None
        path = inside(self.out_dir, relative)
        if path is None or not regular_file(path):
            return None
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry.sha256:
            return None  # edited or damaged since: render it again
        return Reusable(path, entry.pages)


def copy_into(reusable: Reusable, target: Path) -> None:
    """Copy a reused file into the staging folder."""
    shutil.copyfile(reusable.path, target)
