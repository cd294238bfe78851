"""The commit step, killed at every named stage on a small output folder (issue 13).

A folder holds revision 1 (a few files and build.json); revision 2 is staged with one file
changed, one new and one dropped, and put in place the way a build and an update do it:
archive the previous revision, then commit with the profile. A forked process is killed
at each stage; the next run's recovery must leave exactly one revision, whole, the
profile agreeing with it, and revision 1 whole in the archive once revision 2 is in.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from generator import faults
from generator.commit import JOURNAL, archive, commit, preflight, recover, stale_previous_files
from generator.errors import UserError
from generator.manifest import MANIFEST, Manifest, read_manifest

REV1 = {"manual.docx": b"manual one", "forms/F-01.docx": b"form one", "forms/old/TT-x.docx": b"talk x"}
REV2 = {"manual.docx": b"manual two", "forms/F-01.docx": b"form one", "forms/F-02.docx": b"form two new"}
POINTS = [
    "archive-copy@2",
    "archive-rename",
    "commit-journal",
    "commit-rename@1",
    "commit-rename@3",
    "commit-remove",
    "commit-profile",
    "commit-done",
]


def _manifest(revision: int, files: dict[str, bytes]) -> str:
    record = {
        "generator": {"name": "safety-manual", "version": "test"},
        "built_at": "2026-12-01T00:00:00+00:00",
        "profile": {"path": "profile.yaml", "digest": "d"},
        "company": "Test Co",
        "province": "AB",
        "pack": {"id": "p", "partner": "x", "stream": "SECOR", "protocol": "t", "version": "1"},
        "revision": revision,
        "revision_date": "2026-12-01",
        "page_count": 0,
        "hazards": [],
        "forms": [],
        "reused": [],
        "files": [
            {"path": p, "bytes": len(d), "sha256": hashlib.sha256(d).hexdigest()} for p, d in sorted(files.items())
        ],
    }
    return Manifest.model_validate(record).text()


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    for path, data in REV1.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    (out / MANIFEST).write_text(_manifest(1, REV1))
    profile = tmp_path / "profile.yaml"
    profile.write_text("revision: 1\n")
    return out, profile


def _update(out: Path, profile: Path) -> None:
    """What build_profile does with save_profile: stage, archive the previous revision, commit."""
    recover(out)
    previous = read_manifest(out)
    assert previous is not None
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    for path, data in REV2.items():
        (staging / path).parent.mkdir(parents=True, exist_ok=True)
        (staging / path).write_bytes(data)
    (staging / MANIFEST).write_text(_manifest(2, REV2))
    files = [*REV2, MANIFEST]
    stale = stale_previous_files(previous, files)
    try:
        preflight(out, files, stale)
        archive(out, previous)
        commit(out, staging, files, stale, (profile, "revision: 2\n"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # as Staging does when it is left


def _whole(out: Path) -> int:
    record = json.loads((out / MANIFEST).read_text())
    expected = REV1 if record["revision"] == 1 else REV2
    on_disk = {
        str(p.relative_to(out)): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and not str(p.relative_to(out)).startswith((".", "archive/")) and p.name != MANIFEST
    }
    assert on_disk == expected
    assert not (out / JOURNAL).exists() and not list(out.glob(".staging-*"))
    return int(record["revision"])


@pytest.mark.parametrize("point", POINTS)
def test_killed_at_each_stage_the_next_run_finishes_or_undoes(tmp_path, point):
    out, profile = _folder(tmp_path)

    def child() -> None:
        os.environ[faults.ENV] = f"{point}:kill"
        faults._hits.clear()
        _update(out, profile)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(30)
    assert process.exitcode == -9
    recover(out)  # the first step of the next run in this folder
    revision = _whole(out)
    assert profile.read_text() == f"revision: {revision}\n"
    if revision == 1:
        _update(out, profile)
        assert _whole(out) == 2
    archived = {str(p.relative_to(out / "archive" / "rev-1")) for p in (out / "archive" / "rev-1").rglob("*")}
    assert archived >= {*REV1, MANIFEST}
    assert all((out / "archive" / "rev-1" / p).read_bytes() == d for p, d in REV1.items())
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["rev-1"]
    assert not (out / "forms" / "old").exists()  # the folder emptied by the dropped file is gone


def test_an_old_partial_archive_is_not_taken_for_a_whole_one(tmp_path):
    # an older generator, killed while archiving, left part of revision 1 in archive/rev-1
    out, profile = _folder(tmp_path)
    (out / "archive" / "rev-1").mkdir(parents=True)
    (out / "archive" / "rev-1" / "manual.docx").write_bytes(b"manual one")
    _update(out, profile)
    assert _whole(out) == 2
    assert (out / "archive" / "rev-1.2" / "forms" / "F-01.docx").read_bytes() == b"form one"
    assert json.loads((out / "build.json").read_text())["revision"] == 2


def test_a_failure_while_moving_puts_everything_back(tmp_path, monkeypatch):
    out, profile = _folder(tmp_path)
    monkeypatch.setenv(faults.ENV, "commit-remove:raise")
    faults._hits.clear()
    with pytest.raises(OSError, match="injected fault at commit-remove"):
        _update(out, profile)
    assert _whole(out) == 1 and profile.read_text() == "revision: 1\n"


def test_a_link_on_the_way_stops_before_anything_moves(tmp_path):
    out, profile = _folder(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (out / "forms").rename(elsewhere)
    (out / "forms").symlink_to(elsewhere)
    before = sorted(p.name for p in elsewhere.rglob("*"))
    with pytest.raises(UserError, match="is a link to another place"):
        _update(out, profile)
    assert sorted(p.name for p in elsewhere.rglob("*")) == before
    assert not (out / "archive").exists() and profile.read_text() == "revision: 1\n"


def test_a_damaged_journal_is_ignored_with_a_warning(tmp_path):
    out, _ = _folder(tmp_path)
    (out / JOURNAL).write_text('{"staging": "../../elsewhere", "files": ["../x"], "remove": []}')
    warnings: list[str] = []
    recover(out, warnings.append)
    assert warnings == [f"{out}/{JOURNAL}: damaged record of an interrupted build; ignored"]
    assert _whole(out) == 1
