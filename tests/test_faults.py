"""Nothing lost and nothing touched outside the output folder, under faults (issue 13).

Faults are injected at named points (``SAFETY_MANUAL_FAULT``, see generator/faults.py):
a process is killed, stopped or made to fail at an exact stage, never after a random
sleep. Builds here write Word files only, and killed runs are forked from the test process
so they start with the catalog already loaded.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, ROOT

from generator import faults
from generator.yamlio import load_yaml

CASES = Path(__file__).parent / "cases"
FAULT = faults.ENV
# a small profile keeps each build short; update swaps one hazard for another
SMALL = """\
company: {name: Fault Test Co, province: AB, workers: 6, industry: roofing}
partner: acsa
hazards: [ladders, manual_handling]
people: {owner: {name: Pat Owner}}
document: {revision: 1, date: 2026-10-15}
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (FAULT, faults.MARK_DIR)}
    return dict(env, PYTHONPATH=str(ROOT), **extra)


def _run_cli(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    """Run ``python -m generator`` to the end, capturing its output (faults off unless ``env`` sets one)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _cli(*args: str, **env: str) -> subprocess.Popen:
    """Start ``python -m generator`` in its own session (so every process it starts can be found)."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        env=_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _main(*args: str) -> int:
    """Run the command line in this process, keeping this process's SIGTERM handling."""
    from generator.cli import main

    previous = signal.getsignal(signal.SIGTERM)
    try:
        return main(list(args))
    finally:
        signal.signal(signal.SIGTERM, previous)


def _live_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies left to init do not count)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _group_ends(pgid: int, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while _live_in_group(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _live_in_group(pgid)


def _wait_marks(folder: Path, count: int, proc: subprocess.Popen, seconds: float = 60) -> list[Path]:
    """Wait until ``count`` processes have reached their fault point (each leaves a mark file)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        marks = list(folder.iterdir())
        if len(marks) >= count:
            return marks
        if proc.poll() is not None:
            raise AssertionError(f"exited before the fault point: {proc.returncode} {proc.stderr.read()}")
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("the fault point was never reached")


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _outputs(out: Path) -> dict[str, str]:
    """Digests of the current outputs (not build.json, whose build time changes, the archive or hidden files)."""
    return {k: v for k, v in _digests(out).items() if not k.startswith((".", "archive/")) and k != "build.json"}


def _whole(out: Path) -> int:
    """Check ``out`` holds exactly one revision, whole; return that revision."""
    manifest = json.loads((out / "build.json").read_text())
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = {
        path: digest
        for path, digest in _digests(out).items()
        if not path.startswith(("archive/", ".")) and path != "build.json"
    }
    assert on_disk == listed, "the output folder mixes files of two builds"
    assert not list(out.glob(".staging-*")) and not (out / ".commit.json").exists()
    return int(manifest["revision"])


@pytest.fixture(scope="module")
def rev1(tmp_path_factory, catalog):
    """Revision 1 of the example, built (Word only) under umask 027."""
    from generator.build import build

    root = tmp_path_factory.mktemp("rev1")
    profile = root / "profile.yaml"
    profile.write_text(SMALL)
    out = root / "out"
    old = os.umask(0o027)
    try:
        build(profile, out, catalog, ("docx",))
    finally:
        os.umask(old)
    return profile, out


def _copy(rev1, tmp_path: Path) -> tuple[Path, Path]:
    profile, out = rev1
    shutil.copy(profile, tmp_path / "profile.yaml")
    shutil.copytree(out, tmp_path / "out", symlinks=True)
    return tmp_path / "profile.yaml", tmp_path / "out"


def _update_args(profile: Path, out: Path) -> list[str]:
    return [
        "update",
        str(profile),
        "--remove-hazard",
        "manual_handling",
        "--add-hazard",
        "confined_space",
        "-o",
        str(out),
        "--format",
        "docx",
    ]


def _killed_update(profile: Path, out: Path, fault: str) -> int | None:
    """Run ``update`` in a forked process that kills itself at ``fault``; its exit code."""

    def child() -> None:
        os.environ[FAULT] = fault
        faults._hits.clear()
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the child ends right after
        _main(*_update_args(profile, out))

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(120)
    return process.exitcode


# 1. build.json is not trusted


def test_hand_edited_build_json_never_touches_files_outside(rev1, tmp_path, catalog, capsys):
    from generator.build import build

    profile, out = _copy(rev1, tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    manifest = json.loads((out / "build.json").read_text())
    fake = {"bytes": 7, "sha256": "0" * 64}
    manifest["files"] += [{"path": "../victim.txt", **fake}, {"path": str(victim), **fake}]
    (out / "build.json").write_text(json.dumps(manifest))
    before = _outputs(out)
    build(profile, out, catalog, ("docx",))
    warnings = capsys.readouterr().err.splitlines()
    assert f"warning: {out}/build.json: files: '../victim.txt' is not a path inside the output folder; ignored" in (
        warnings
    )
    assert victim.read_text() == "keep me"
    assert _whole(out) == 1 and _outputs(out) == before

    # a revision that is a path: the record is refused, nothing is moved out of the folder
    manifest = json.loads((out / "build.json").read_text())
    manifest["revision"] = "x/../../../../elsewhere"
    (out / "build.json").write_text(json.dumps(manifest))
    data = load_yaml(profile).data
    data["document"]["revision"] = 2
    profile.write_text(yaml.safe_dump(data))
    build(profile, out, catalog, ("docx",))
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {out}/build.json: revision: input should be a valid integer; "
        "not a valid build record, treated as no previous build"
    ]
    assert list(elsewhere.iterdir()) == [] and _whole(out) == 2


@pytest.mark.parametrize(
    "text",
    ["[1]", '{"outline": "x"}', "not json", "OUTLINE", "FILES"],
    ids=["list", "outline-text", "not-json", "outline-wrong", "files-text"],
)
def test_damaged_build_json_is_read_as_no_previous_build(rev1, tmp_path, text):
    from generator.manifest import read_manifest

    good = json.loads((rev1[1] / "build.json").read_text())
    if text == "OUTLINE":
        text = json.dumps(dict(good, outline="x"))
    elif text == "FILES":
        text = json.dumps(dict(good, files="abc"))
    (tmp_path / "build.json").write_text(text)
    warnings: list[str] = []
    assert read_manifest(tmp_path, warnings.append) is None
    assert len(warnings) == 1 and warnings[0].startswith(f"{tmp_path}/build.json: ")
    assert warnings[0].endswith("treated as no previous build")


# 2. links are not followed


def test_a_forms_link_is_never_written_through(rev1, tmp_path, catalog):
    from generator.build import build
    from generator.errors import UserError

    profile, out = _copy(rev1, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "empty").mkdir(parents=True)
    (elsewhere / "notes.txt").write_text("theirs")
    shutil.rmtree(out / "forms")
    (out / "forms").symlink_to(elsewhere)
    before = _digests(out)
    with pytest.raises(UserError) as info:
        build(profile, out, catalog, ("docx",))
    assert info.value.lines == [
        f"{out}/forms: is a link to another place; the generator writes only into real folders inside "
        "the output folder (remove the link or choose another output folder)"
    ]
    assert sorted(p.name for p in elsewhere.iterdir()) == ["empty", "notes.txt"]
    assert list((elsewhere / "empty").iterdir()) == []
    assert _digests(out) == before


# 4. concurrent and interrupted work loses nothing


# every stage is killed in test_commit.py on a small folder; here two, through a whole update
@pytest.mark.parametrize("point", ["archive-copy@5", "commit-rename@8"])
def test_update_killed_at_each_stage_is_finished_or_undone(rev1, tmp_path, point):
    from generator.commit import recover

    profile, out = _copy(rev1, tmp_path)
    rev1_files = {k: v for k, v in _digests(out).items() if not k.startswith(".")}
    assert _killed_update(profile, out, f"{point}:kill") == -signal.SIGKILL
    recover(out)  # what the next run of any build in this folder does first
    revision = _whole(out)
    assert load_yaml(profile).data["document"]["revision"] == revision, "the profile and the outputs disagree"
    if revision == 1:
        assert {k: v for k, v in _digests(out).items() if not k.startswith((".", "archive/"))} == rev1_files
        assert _main(*_update_args(profile, out)) == 0  # the next update is whole
        assert _whole(out) == 2
    # revision 1 is in the archive, whole, however far the killed run had got
    archived = _digests(out / "archive" / "rev-1")
    assert archived == {k: v for k, v in rev1_files.items() if not k.startswith(".")}
    assert [p.name for p in (out / "archive").iterdir()] == ["rev-1"]
    history = load_yaml(profile).data["document"]["history"]
    assert [h["revision"] for h in history] == [1, 2]


def test_a_second_update_or_build_stops_while_one_runs(rev1, tmp_path):
    profile, out = _copy(rev1, tmp_path)
    marks = tmp_path / "marks"
    marks.mkdir()
    first = _cli(*_update_args(profile, out), **{FAULT: "build-started:stop", faults.MARK_DIR: str(marks)})
    try:
        _wait_marks(marks, 1, first)
        second = _run_cli("update", str(profile), "--add-hazard", "fall_protection", "-o", str(out))
        assert second.returncode == 2
        assert second.stderr == f"error: {profile}: another update of this profile is running (pid {first.pid})\n"
        third = _run_cli("build", str(profile), "-o", str(out), "--format", "docx")
        assert third.returncode == 2
        assert third.stderr == f"error: {out}: another build of this folder is running (pid {first.pid})\n"
    finally:
        if first.poll() is None:
            os.kill(first.pid, signal.SIGCONT)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    data = load_yaml(profile).data
    assert data["document"]["revision"] == 2 and "confined_space" in data["hazards"]
    assert [h["revision"] for h in data["document"]["history"]] == [1, 2]
    assert _whole(out) == 2


# 5. update saves the profile only with its build, through links, keeping the mode


def test_failed_update_leaves_the_profile_and_a_linked_profile_stays_a_link(rev1, tmp_path, monkeypatch, capsys):
    _, out = _copy(rev1, tmp_path)
    real = tmp_path / "clients" / "prairie.yaml"
    real.parent.mkdir()
    real.write_text(SMALL)
    real.chmod(0o640)
    link = tmp_path / "client.yaml"
    link.symlink_to(real)
    before = real.read_bytes()
    files = _outputs(out)
    # a failure half-way through the moves (a read-only forms folder, a full disk)
    monkeypatch.setenv(FAULT, "commit-rename@8:raise")
    faults._hits.clear()
    assert _main(*_update_args(link, out)) == 2
    assert capsys.readouterr().err.strip() == "error: injected fault at commit-rename"
    assert real.read_bytes() == before and _whole(out) == 1 and _outputs(out) == files
    monkeypatch.delenv(FAULT)
    capsys.readouterr()
    assert _main(*_update_args(link, out)) == 0
    assert link.is_symlink() and link.resolve() == real
    assert load_yaml(real).data["document"]["revision"] == 2
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["prairie.yaml"]


# 6. hangs and runaway memory end within seconds, each with one located line


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as handle:
        handle.truncate(size)


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))


def _profile_with_logo(tmp_path: Path, make_logo) -> Path:
    data = load_yaml(EXAMPLE).data
    data["company"]["logo"] = "logo.png"
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data))
    make_logo(tmp_path / "logo.png")
    return profile


LOGOS = {
    "fifo": (_fifo, "not a regular file (a pipe, device or socket cannot be a logo)"),
    "dev-zero": (lambda p: p.symlink_to("/dev/zero"), "not a regular file (a pipe, device or socket cannot be a logo)"),
    "200-MB": (lambda p: _sparse(p, 200_000_000), "is 200.0 MB, larger than 2.0 MB allowed for a logo"),
    "20000-px": (
        lambda p: p.write_bytes(_png(20000, 20000)),
        "is 20000 x 20000 pixels; a logo may have at most 10000 pixels a side and 25 million in all (scale it down)",
    ),
}


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_profile_that_is_not_a_file_ends_at_once(tmp_path, kind):
    profile = _fifo(tmp_path / "profile.yaml") if kind == "fifo" else Path("/dev/zero")
    proc = _run_cli("build", str(profile), "-o", str(tmp_path / "out"), timeout=30)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: {profile}: not a regular file (a pipe, device or socket cannot be a profile or content file)\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", LOGOS)
def test_logo_that_is_not_a_small_image_ends_at_once(tmp_path, kind):
    make, message = LOGOS[kind]
    profile = _profile_with_logo(tmp_path, make)
    proc = _run_cli("build", str(profile), "-o", str(tmp_path / "out"), "--format", "docx", timeout=30)
    assert proc.returncode == 2
    assert proc.stderr == f"error: company.logo: 'logo.png': {message}\n"
    assert not (tmp_path / "out").exists()


def test_deeply_nested_yaml_and_thousands_of_sites_are_user_errors(tmp_path, capsys):
    deep = tmp_path / "deep.yaml"
    deep.write_text("partner: acsa\ncompany: " + "[" * 10000 + "]" * 10000 + "\n")
    assert _main("build", str(deep), "-o", str(tmp_path / "out")) == 2
    assert capsys.readouterr().err == f"error: {deep}:2: company: nested more than 40 levels deep\n"
    data = load_yaml(EXAMPLE).data
    data["sites"] = [{"name": f"Site {i}"} for i in range(10_000)]
    many = tmp_path / "many.yaml"
    many.write_text(yaml.safe_dump(data))
    assert _main("build", str(many), "-o", str(tmp_path / "out")) == 2
    assert capsys.readouterr().err.startswith(f"error: {many}:")
    assert not (tmp_path / "out").exists()


RUNAWAY = {
    "nested-loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "template stopped: took longer than 1 seconds",
    ),
    "huge-string": ("{{ 'x' * 3000000000 }}", "template stopped: a value would be longer than 2,000,000 characters"),
    "recursive-macro": (
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "template stopped: calls nested too deeply (a macro calling itself?)",
    ),
}


@pytest.mark.parametrize("kind", RUNAWAY)
def test_runaway_pack_template_is_stopped(tmp_path, kind):
    from test_custom_packs import PROFILE, _custom_pack

    template, message = RUNAWAY[kind]
    packs = _custom_pack(tmp_path, "## Policy\n\n" + template + "\n")
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE)
    start = time.monotonic()
    proc = _run_cli(
        "build",
        str(profile),
        "-o",
        str(tmp_path / "out"),
        "--packs",
        str(packs),
        "--format",
        "docx",
        SAFETY_MANUAL_TEMPLATE_SECONDS="1",
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"error: {packs}/acme-secor/sections/policy.md:3: {message}\n"
    assert time.monotonic() - start < 30
    assert not (tmp_path / "out" / "manual.docx").exists()


# 3 and 7. batch: safe folder names, a lost worker, a time limit, Ctrl-C and SIGTERM


def test_batch_survives_a_killed_worker_and_names_stay_inside(tmp_path):
    folder = tmp_path / "clients"
    folder.mkdir()
    shutil.copy(CASES / "ab-roofing" / "profile.yaml", folder / "...yaml")
    shutil.copy(CASES / "on-renovation" / "profile.yaml", folder / "crash.yaml")
    out = tmp_path / "out"
    proc = _cli(
        "batch", str(folder), "-o", str(out), "--jobs", "2", "--format", "docx",
        **{FAULT: "batch-build-crash:kill"},
    )  # fmt: skip
    stdout, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 1, stderr
    assert "Summit Ridge Roofing Inc." in stdout
    assert [line for line in stderr.splitlines() if line] == [
        "error: crash.yaml: the build process was killed (out of memory?); the previous outputs are kept",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients", "out"]
    assert sorted(p.name for p in out.iterdir()) == ["profile"]
    assert _whole(out / "profile") == 1
    assert _group_ends(proc.pid) == []


def test_batch_stops_a_profile_past_its_time_limit(tmp_path):
    folder = tmp_path / "clients"
    folder.mkdir()
    shutil.copy(CASES / "mb-framing" / "profile.yaml", folder / "slow.yaml")
    (folder / "broken.yaml").write_text("company: {name: Broken Co, province: AB, workers: -2}\n")
    proc = _cli(
        "batch", str(folder), "-o", str(tmp_path / "out"), "--jobs", "2", "--format", "docx", "--timeout", "2",
        **{FAULT: "batch-build-slow:hang"},
    )  # fmt: skip
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert stderr.splitlines()[-1] == (
        "error: slow.yaml: stopped after the time limit of 2 s; the previous outputs are kept"
    )
    assert [line for line in stderr.splitlines() if line][0].startswith("error: broken.yaml: ")
    assert _group_ends(proc.pid) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_a_batch_stops_every_worker_and_says_what_was_built(tmp_path, sig):
    folder = tmp_path / "clients"
    folder.mkdir()
    for name in ("alpha", "beta", "gamma"):
        shutil.copy(CASES / "ab-roofing" / "profile.yaml", folder / f"{name}.yaml")
    marks = tmp_path / "marks"
    marks.mkdir()
    proc = _cli(
        "batch", str(folder), "-o", str(tmp_path / "out"), "--jobs", "2", "--format", "docx",
        **{FAULT: "batch-build:hang", faults.MARK_DIR: str(marks)},
    )  # fmt: skip
    _wait_marks(marks, 2, proc)
    start = time.monotonic()
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - start < 10
    assert proc.returncode == 130
    assert stderr.splitlines()[-1] == (
        "interrupted: 0 of 3 profiles built; not built (previous outputs kept): alpha.yaml, beta.yaml, gamma.yaml"
    )
    assert _group_ends(proc.pid) == [], "a process of the batch is still running"


def test_killed_build_with_two_jobs_leaves_no_worker(tmp_path):
    proc = _cli(
        "build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--jobs", "2", "--format", "docx,pdf",
        **{FAULT: "build-started:kill"},
    )  # fmt: skip
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert _group_ends(proc.pid) == [], "a PDF worker outlived its build"


def test_bad_profile_with_two_jobs_stops_its_early_workers(tmp_path):
    """The workers start before the profile is read; a profile error must not leave them running."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: {name: Broken Co, province: AB, workers: -2}\n", encoding="utf-8")
    start = time.monotonic()
    proc = _cli("build", str(broken), "-o", str(tmp_path / "out"), "--jobs", "2")
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert f"{broken}:1: company.workers: must be at least 1 (got -2)" in stderr
    assert time.monotonic() - start < 20
    assert _group_ends(proc.pid) == [], "a worker started early outlived the failed build"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# 8. modes follow the umask


def test_outputs_follow_the_umask(rev1):
    _, out = rev1
    modes = {
        str(p.relative_to(out)): stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if not p.name.startswith(".")
    }
    assert modes and all(mode == (0o750 if (out / p).is_dir() else 0o640) for p, mode in modes.items()), modes


def test_a_budget_that_runs_out_before_the_template_starts_still_names_its_line(tmp_path, monkeypatch):
    """On a busy machine the time can be up before the template's first line runs (seen in CI):
    the stop waits until it is inside the template, so the error still names the line."""
    from generator import templating
    from generator.errors import ContentError

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "slow.md").write_text("# Title\n{% for i in range(10**9) %}{% endfor %}\n", encoding="utf-8")
    monkeypatch.setattr(templating, "MAX_TEMPLATE_SECONDS", 0.2)
    held = templating._render_capped

    def held_back(template, context):
        time.sleep(0.4)  # the process is held before rendering begins
        return held(template, context)

    monkeypatch.setattr(templating, "_render_capped", held_back)
    env = templating.make_environment([folder])
    with pytest.raises(ContentError) as caught:
        templating.render(env, "slow.md", {}, display_root=tmp_path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("templates/slow.md", 2)
    assert problem.message == "template stopped: took longer than 0.2 seconds"
