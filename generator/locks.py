"""One build per output folder and one update per profile at a time.

Two runs on the same folder would interleave their commits, and two updates of the same
profile would both raise it to the same revision and lose one change. Each run takes an
exclusive ``flock`` and records its process id in the lock file; a second run stops at
once with "another build of this folder is running (pid N)". The kernel releases the lock
when its holder exits or is killed, so a crashed run never leaves a folder locked.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import UserError
from generator.outdir import file_mode

FOLDER_LOCK = ".lock"


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"pid {text}" if text.isdigit() else "pid unknown"


@contextmanager
def _locked(lock_file: Path, busy: str) -> Iterator[None]:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(lock_file, flags, file_mode())
    except OSError as exc:
        raise UserError(f"{lock_file}: cannot take the lock ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"{busy} ({_holder(fd)})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock; a second build of the folder stops with a user error."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir / FOLDER_LOCK, f"{out_dir}: another build of this folder is running"):
        yield


def _lock_dir() -> Path:
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    folder = Path(base) / f"safety-manual-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@contextmanager
def profile_lock(profile: Path) -> Iterator[None]:
    """Hold a lock on the profile (by its real path), so two updates of it cannot interleave.

    The lock file lives in the user's runtime folder, not beside the profile, so nothing is
    added to the client's folder.
    """
    key = hashlib.sha256(str(profile.resolve()).encode()).hexdigest()[:24]
    with _locked(_lock_dir() / f"{key}.lock", f"{profile}: another update of this profile is running"):
        yield
