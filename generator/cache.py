"""The user's cache folder: work a build can skip next time, never anything a build depends on.

Compiling the manual's Jinja templates is most of the time a single build spends before it
lays anything out, and the result depends only on each template's text. It is kept in
``$SAFETY_MANUAL_CACHE`` if set, else ``$XDG_CACHE_HOME/safety-manual``, else
``~/.cache/safety-manual`` (the usual place for a command-line tool's caches). Each entry is
keyed by a checksum of its source, so an edited template is compiled again; a cache that
cannot be created or written is simply not used, and ``SAFETY_MANUAL_CACHE=off`` turns it off.
Removing the folder at any time is safe.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

OFF = {"off", "0", "no", "false", ""}


def cache_root() -> Path | None:
    """The cache folder for this user, or None when caching is off or impossible."""
    chosen = os.environ.get("SAFETY_MANUAL_CACHE")
    if chosen is not None:
        if chosen.strip().lower() in OFF:
            return None
        root = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = Path(base) / "safety-manual"
    return root


def cache_dir(name: str) -> Path | None:
    """A private sub-folder of the cache (created, mode 700), or None if it cannot be used."""
    root = cache_root()
    if root is None:
        return None
    # compiled code depends on the interpreter: one folder per Python version
    folder = root / f"{name}-py{sys.version_info.major}{sys.version_info.minor}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(folder, os.W_OK | os.X_OK):
            return None
    except OSError:
        return None
    return folder
