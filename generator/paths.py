"""Where the data folders are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_INSTALLED = _PACKAGE / "_data"
_CHECKOUT = _PACKAGE.parent


def data_dir(name: str) -> Path:
    """Return the folder ``name`` (questionnaires, manual_templates or forms).

    A wheel carries the folders under ``generator/_data``; a source checkout or an
    editable install reads them from the top of the repository.
    """
    for root in (_INSTALLED, _CHECKOUT):
        candidate = root / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} is missing from this installation")


def typst_dir() -> Path:
    """The folder of Typst templates shipped inside the package."""
    return _PACKAGE / "typst"


def fonts_dir() -> Path:
    """The project's fixed font set, shipped inside the package (see fonts/README.md)."""
    return _PACKAGE / "fonts"
