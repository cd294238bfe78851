"""Putting a build in place as one step, and finishing a step a crash interrupted.

A build is complete in its staging folder before anything in the output folder changes.
The previous revision, when the revision changes, is first copied whole into
``archive/.rev-N.partial-*`` and renamed to ``archive/rev-N`` (so an archive is complete or
absent, and a half-made one is made again). Then a small journal, ``.commit.json``, lists
the files to move in and the previous files to take out, and the moves happen: each old
file goes into the staging folder's ``.previous/`` before its replacement moves in, so every
step can be undone. Removing the journal is the moment the new revision is in place.

If a run dies in between, the next run (or the first step of any build of that folder)
finds the journal and finishes the moves; if they cannot be finished (a read-only folder,
say) it puts the previous files back. Either way the folder never keeps a mix of two
revisions. Every path is checked with :func:`generator.outdir.inside`, so no move or delete
follows a link out of the output folder.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.errors import UserError
from generator.faults import checkpoint
from generator.manifest import MANIFEST, Manifest, Warn, warn_stderr
from generator.outdir import inside, make_parents, regular_file, safe_relative
from generator.yamlio import write_atomic

JOURNAL = ".commit.json"
PREVIOUS = ".previous"
PROFILE_TEXT = ".profile-text"
STAGING_NAME = re.compile(r"^\.staging-[A-Za-z0-9_]+$")


class Journal(BaseModel):
    """What a commit moves: new files in, previous files out, and maybe a profile saved."""

    model_config = ConfigDict(extra="forbid", strict=True)

    staging: str
    files: list[str]
    remove: list[str]
    profile: str | None = None  # the real path of a profile to save once the files are in


def _lexists(path: Path) -> bool:
    return os.path.lexists(path)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _paths(out_dir: Path, staging: Path, relative: str) -> tuple[Path, Path, Path]:
    final = inside(out_dir, relative, leaf_link=True)
    if final is None:
        raise UserError(
            f"{out_dir / relative}: a folder on the way is a link to another place; the generator "
            "writes only into real folders inside the output folder (remove the link)"
        )
    return staging / relative, staging / PREVIOUS / relative, final


def _forward(out_dir: Path, journal: Journal) -> None:
    staging = out_dir / journal.staging
    for relative in journal.files:
        checkpoint("commit-rename")
        staged, backup, final = _paths(out_dir, staging, relative)
        if not _lexists(staged):
            continue  # moved in already
        make_parents(out_dir, relative)
        if _lexists(final) and not _lexists(backup):
            if final.is_dir() and not final.is_symlink():
                raise UserError(f"{final}: is a folder; the build needs to write a file there")
            _move(final, backup)
        os.replace(staged, final)
    for relative in journal.remove:
        checkpoint("commit-remove")
        staged, backup, final = _paths(out_dir, staging, relative)
        if (regular_file(final) or os.path.islink(final)) and not _lexists(backup):
            _move(final, backup)
    if journal.profile is not None:
        checkpoint("commit-profile")
        from generator.profile import write_profile_text

        text = staging / PROFILE_TEXT
        target = Path(journal.profile)
        # only ever a profile that exists: a hand-edited journal cannot aim this write elsewhere
        if text.is_file() and target.suffix in (".yaml", ".yml") and target.resolve().is_file():
            write_profile_text(target, text.read_text(encoding="utf-8"))
    checkpoint("commit-done")


def _backward(out_dir: Path, journal: Journal) -> None:
    staging = out_dir / journal.staging
    for relative in reversed(journal.remove):
        staged, backup, final = _paths(out_dir, staging, relative)
        if _lexists(backup) and not _lexists(final):
            _move(backup, final)
    for relative in reversed(journal.files):
        staged, backup, final = _paths(out_dir, staging, relative)
        if not _lexists(staged) and _lexists(final):
            _move(final, staged)
        if _lexists(backup):
            _move(backup, final)


def _finish(out_dir: Path, journal: Journal) -> None:
    """Drop the journal (the commit point), then the staging folder and emptied folders."""
    (out_dir / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(out_dir / journal.staging, ignore_errors=True)
    remove_empty_folders(out_dir, [*journal.remove, *journal.files])


def _write_journal(out_dir: Path, journal: Journal) -> None:
    write_atomic(out_dir / JOURNAL, journal.model_dump_json(indent=2) + "\n")


def commit(
    out_dir: Path, staging: Path, files: list[str], remove: list[str], profile: tuple[Path, str] | None = None
) -> None:
    """Move the staged ``files`` into ``out_dir`` and take out ``remove``, as one step.

    With ``profile`` (its real path and new text) the profile is saved after the files are
    in place and before the commit completes, so an update never records a revision that
    was not built. On failure everything is put back as it was and the error is raised.
    """
    preflight(out_dir, files, remove)
    if profile is not None:
        write_atomic(staging / PROFILE_TEXT, profile[1])
    keep = set(files)
    journal = Journal(
        staging=staging.name,
        files=list(files),
        remove=[r for r in remove if r not in keep],
        profile=str(profile[0].absolute()) if profile else None,  # recovery may run from elsewhere
    )
    _write_journal(out_dir, journal)
    checkpoint("commit-journal")
    try:
        _forward(out_dir, journal)
    except BaseException:
        # a read-only folder, a full disk, Ctrl-C: the previous revision goes back in place
        _backward(out_dir, journal)
        (out_dir / JOURNAL).unlink(missing_ok=True)
        raise
    _finish(out_dir, journal)


def preflight(out_dir: Path, files: list[str], remove: list[str]) -> None:
    """Check every path a commit will touch, and make the folders; a link on the way is a user error.

    Run before anything in the output folder changes (and before archiving), so a build
    stopped by a link stops with the previous outputs untouched.
    """
    bad = [f for f in [*files, *remove] if safe_relative(f) != f]
    if bad:
        raise ValueError(f"unsafe paths in a commit: {bad[:3]}")
    for relative in files:
        make_parents(out_dir, relative)
        final = out_dir / relative
        if final.is_dir() and not final.is_symlink():
            raise UserError(f"{final}: is a folder; the build needs to write a file there")
    for relative in remove:
        _paths(out_dir, out_dir, relative)


def recover(out_dir: Path, warn: Warn = warn_stderr) -> None:
    """Finish (or, failing that, undo) a commit a killed run left in ``out_dir``; clear its staging.

    Call it holding the folder's lock (see :mod:`generator.locks`).
    """
    _recover_commit(out_dir, warn)
    # staging folders of runs killed before their commit: nothing in them was put in place
    for stale in out_dir.glob(".staging-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def _recover_commit(out_dir: Path, warn: Warn) -> None:
    path = out_dir / JOURNAL
    if not _lexists(path):
        return
    try:
        journal = Journal.model_validate_json(path.read_bytes())
        if not STAGING_NAME.match(journal.staging) or not (out_dir / journal.staging).is_dir():
            raise ValueError("no staging folder")
        if (out_dir / journal.staging).is_symlink():
            raise ValueError("staging folder is a link")
        if any(safe_relative(f) != f for f in [*journal.files, *journal.remove]):
            raise ValueError("unsafe path")
    except (OSError, ValueError, ValidationError):
        warn(f"{path}: damaged record of an interrupted build; ignored")
        path.unlink(missing_ok=True)
        return
    try:
        _forward(out_dir, journal)
        warn(f"{out_dir}: finished putting in place the build that was interrupted")
    except (OSError, UserError) as exc:
        try:
            _backward(out_dir, journal)
        except OSError as undo:
            raise UserError(
                f"{out_dir}: an interrupted build can be neither finished nor undone ({undo.strerror or undo}); "
                "check the folder's permissions"
            ) from None
        path.unlink(missing_ok=True)
        warn(f"{out_dir}: an interrupted build could not be finished ({exc}); the previous outputs are back")
        shutil.rmtree(out_dir / journal.staging, ignore_errors=True)
        return
    _finish(out_dir, journal)


def remove_empty_folders(out_dir: Path, relatives: list[str]) -> None:
    """Remove folders left empty by removed files (only real folders inside ``out_dir``)."""
    folders = {str(Path(r).parent) for r in relatives if "/" in r}
    for folder in sorted(folders, key=lambda f: -f.count("/")):
        parts = folder.split("/")
        for depth in range(len(parts), 0, -1):
            path = inside(out_dir, "/".join(parts[:depth]))
            if path is None or not path.is_dir():
                break
            try:
                path.rmdir()  # only succeeds when empty
            except OSError:
                break


def stale_previous_files(previous: Manifest | None, keep: list[str]) -> list[str]:
    """Files of the previous build that this build does not write (change reports stay)."""
    if previous is None:
        return []
    kept = set(keep)
    return [
        e.path
        for e in previous.files
        if e.path not in kept and not e.path.startswith(("changes-rev-", "archive/")) and e.path != MANIFEST
    ]


def archive(out_dir: Path, previous: Manifest) -> str | None:
    """Copy the previous revision whole into ``archive/rev-N/``; the archive's name, or ``None``.

    The copy is made under a hidden name and renamed when complete, so an archive is
    either whole or absent; a partial copy from a killed run is removed and made again. An
    ``archive/rev-N`` that holds something else (made by hand, or by an older generator)
    is left alone and the copy goes to ``rev-N.2`` and so on.
    """
    archive_dir = make_parents(out_dir, "archive/rev").parent
    for partial in archive_dir.glob(".rev-*.partial-*"):
        if partial.is_dir() and not partial.is_symlink():
            shutil.rmtree(partial, ignore_errors=True)
    record = (out_dir / MANIFEST).read_bytes() if regular_file(out_dir / MANIFEST) else None
    name = f"rev-{previous.revision}"
    suffix = 1
    while _lexists(archive_dir / name):
        existing = archive_dir / name / MANIFEST
        if record is not None and regular_file(existing) and existing.read_bytes() == record:
            return f"archive/{name}"  # this revision is archived already, whole
        suffix += 1
        name = f"rev-{previous.revision}.{suffix}"
    partial = archive_dir / f".{name}.partial-{os.getpid()}"
    copied = 0
    for entry in previous.files:
        if entry.path.startswith(("changes-rev-", "archive/")):
            continue
        source = inside(out_dir, entry.path)
        if source is None or not regular_file(source):
            continue
        checkpoint("archive-copy")
        target = partial / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    if not copied:
        shutil.rmtree(partial, ignore_errors=True)
        return None
    if record is not None:
        (partial / MANIFEST).write_bytes(record)
    checkpoint("archive-rename")
    os.rename(partial, archive_dir / name)
    return f"archive/{name}"
