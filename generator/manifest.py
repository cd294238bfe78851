"""build.json: the record of a build, read and written through one typed model.

The file sits in a folder people edit by hand and sync between machines, so it is never
trusted: it is validated on read, anything invalid counts as "no previous build" (with a
one-line warning), and a listed path that is not a plain path inside the output folder is
ignored, never deleted or moved.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.outdir import regular_file, safe_relative

MANIFEST = "build.json"
MAX_MANIFEST_BYTES = 20_000_000
Warn = Callable[[str], None]


def warn_stderr(message: str) -> None:
    """Print a warning on standard error (the default for builds)."""
    print(f"warning: {message}", file=sys.stderr)


class _Model(BaseModel):
    # unknown keys (from a newer generator) are ignored; known ones must have their type
    model_config = ConfigDict(extra="ignore", strict=True)


class FileEntry(_Model):
    """One written file: its path, size, digest, pages and source digest (see reuse.py)."""

    path: str
    bytes: int = Field(ge=0)
    sha256: str
    pages: int | None = None
    source: str | None = None


class GeneratorInfo(_Model):
    """Which generator wrote the build."""

    name: str
    version: str


class ProfileInfo(_Model):
    """The profile built and a digest of its content."""

    path: str
    digest: str


class PackInfo(_Model):
    """The partner pack and audit protocol the manual follows."""

    id: str
    partner: str
    stream: str
    protocol: str
    version: str


class SectionDigest(_Model):
    """A section's title, level and the digests of its own text and its subtree."""

    title: str
    level: int
    own: str
    tree: str


class FormDigest(_Model):
    """A form's title and the digest of its content."""

    title: str
    digest: str


class Outline(_Model):
    """Digests of every section and form, compared by the next build (see revisions.py)."""

    sections: dict[str, SectionDigest]
    forms: dict[str, FormDigest]


class Manifest(_Model):
    """The whole of build.json."""

    generator: GeneratorInfo
    built_at: str
    profile: ProfileInfo
    company: str
    province: str
    pack: PackInfo
    revision: int = Field(ge=1)
    revision_date: str
    page_count: int = Field(ge=0)
    hazards: list[str]
    forms: list[str]
    reused: list[str]
    files: list[FileEntry]
    outline: Outline | None = None
    change_report: str | None = None
    archived: str | None = None
    review_notes: list[dict[str, Any]] = []  # unverified facts the preparer checks (review_notes.py)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, as written to build.json."""
        return self.model_dump(mode="json")

    def text(self) -> str:
        """The JSON text of build.json."""
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"


def read_manifest(out_dir: Path, warn: Warn = warn_stderr) -> Manifest | None:
    """The previous build's record in ``out_dir``; ``None`` (with a warning) if it is not valid.

    Entries whose path is not a plain relative path are dropped with a warning, so nothing
    outside the output folder is ever touched because build.json named it.
    """
    path = out_dir / MANIFEST
    if not path.exists() and not path.is_symlink():
        return None
    where = str(path)
    if not regular_file(path):
        warn(f"{where}: not a regular file; treated as no previous build")
        return None
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ValueError("file is too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top)"
        warn(f"{where}: {key}: {first['msg'].lower()}; not a valid build record, treated as no previous build")
        return None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).split(":")[0]
        warn(f"{where}: {reason}; not a valid build record, treated as no previous build")
        return None
    kept = []
    for entry in manifest.files:
        if safe_relative(entry.path) != entry.path:
            warn(f"{where}: files: {entry.path!r} is not a path inside the output folder; ignored")
        else:
            kept.append(entry)
    manifest.files = kept
    if manifest.change_report is not None and safe_relative(manifest.change_report) is None:
        manifest.change_report = None
    if manifest.archived is not None and safe_relative(manifest.archived) is None:
        manifest.archived = None
    return manifest
