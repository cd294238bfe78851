"""Paths inside an output folder, checked so no write or delete follows a link out of it.

Output folders sit on shared drives and sync clients and are edited by hand: a ``forms``
folder may have been replaced by a link to somewhere else, and build.json may name any
path. Every file the generator writes, moves or deletes in an output folder goes through
:func:`inside`, which accepts only plain relative paths and refuses any link on the way.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from generator.errors import UserError


def current_umask() -> int:
    """The process's umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from ``open()``: 0666 less the user's umask."""
    return 0o666 & ~current_umask()


def safe_relative(relative: object) -> str | None:
    """``relative`` if it is a plain relative path (``forms/F-01.pdf``), else ``None``.

    Refused: absolute paths, ``..`` and ``.`` parts, empty parts, backslashes, NUL, and
    parts starting with a dot (the generator's own hidden files are never listed).
    """
    if not isinstance(relative, str) or not relative or "\\" in relative or "\0" in relative:
        return None
    parts = relative.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return None
    return str(PurePosixPath(*parts))


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def inside(out_dir: Path, relative: object, leaf_link: bool = False) -> Path | None:
    """``out_dir / relative`` if it is a safe path with no link on the way, else ``None``.

    The folders between ``out_dir`` and the file must not be links. The file itself may
    be a link only with ``leaf_link`` (replacing or removing a link never follows it).
    """
    clean = safe_relative(relative)
    if clean is None:
        return None
    path = out_dir
    parts = clean.split("/")
    for part in parts[:-1]:
        path = path / part
        if _is_link(path):
            return None
    path = path / parts[-1]
    if not leaf_link and _is_link(path):
        return None
    return path


def make_parents(out_dir: Path, relative: str) -> Path:
    """Create the folders of ``relative`` inside ``out_dir``; a link on the way is a user error."""
    path = inside(out_dir, relative, leaf_link=True)
    if path is None:
        first = out_dir
        for part in relative.split("/")[:-1]:
            first = first / part
            if _is_link(first):
                break
        raise UserError(
            f"{first}: is a link to another place; the generator writes only into real folders "
            "inside the output folder (remove the link or choose another output folder)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file and not a link."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
