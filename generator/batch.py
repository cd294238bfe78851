"""Batch builds: every profile in a folder, in parallel processes, never stopping at a bad one.

Each profile is built in a fresh worker process (so caches a long-lived process would
grow are dropped after every profile). A worker that dies (the out-of-memory killer, a
crash) or runs past the per-profile time limit is reported in the summary and the other
profiles carry on. Ctrl-C or SIGTERM stops every worker at once; the summary then says
which profiles were built and which were not (their folders keep the previous build:
a build is put in place as one step, see :mod:`generator.commit`).
"""

from __future__ import annotations

import multiprocessing
import re
import signal
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from generator import lifeline
from generator.errors import UserError
from generator.faults import checkpoint

DEFAULT_TIMEOUT = 600.0  # seconds per profile; a large manual with PDFs takes about a minute
STOP_GRACE = 3.0  # seconds a stopped worker gets to clean up before it is killed


@dataclass
class BatchRow:
    """One profile's outcome."""

    profile: str
    client: str = ""
    stream: str = ""
    partner: str = ""
    pages: int = 0
    seconds: float = 0.0
    status: str = "ok"  # ok, failed, interrupted or not started
    error: str = ""
    reused: int = 0  # files unchanged since the previous build, copied instead of laid out


def build_one(
    profile: Path, out_dir: Path, formats: tuple[str, ...], fresh: bool = False, style_dir: Path | None = None
) -> BatchRow:
    """Build one profile into ``out_dir``; user errors become a failed row, not an exception."""
    from generator.build import build
    from generator.catalog import default_catalog

    row = BatchRow(profile=profile.name)
    start = time.perf_counter()
    try:
        checkpoint("batch-build")
        checkpoint(f"batch-build-{profile.stem}")
        result = build(profile, out_dir, default_catalog(), formats, fresh=fresh, style_dir=style_dir)
        facts = result.facts
        assert facts is not None
        row.client = facts.profile.company.name
        row.stream = facts.pack.stream
        row.partner = facts.pack.partner.short
        row.pages = result.pages
        row.reused = len(result.manifest.get("reused") or [])
    except UserError as exc:
        row.status = "failed"
        row.error = exc.lines[0] if exc.lines else str(exc)
        if len(exc.lines) > 1:
            row.error += f" (+{len(exc.lines) - 1} more)"
    except Exception as exc:  # noqa: BLE001 - one broken profile must not stop the batch
        row.status = "failed"
        row.error = f"internal error: {type(exc).__name__}: {exc}"
    row.seconds = round(time.perf_counter() - start, 2)
    return row


def _worker(
    conn: Connection, profile: Path, out_dir: Path, formats: tuple[str, ...], fresh: bool, style_dir: Path | None
) -> None:
    """A worker process: build one profile and send its row; end if the batch process ends."""
    lifeline.watch(conn)
    try:
        row = build_one(profile, out_dir, formats, fresh, style_dir)
    except KeyboardInterrupt:
        return  # stopped: the parent reports the profile as interrupted
    conn.send(row)


def find_profiles(folder: Path) -> list[Path]:
    """The profiles in ``folder`` (``*.yaml`` and ``*.yml``), sorted by name."""
    if not folder.is_dir():
        raise UserError(f"{folder}: not a folder")
    found = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not found:
        raise UserError(f"{folder}: no profiles (*.yaml) found")
    return found


def output_name(profile: Path) -> str:
    """A safe output folder name from a profile's file name: no ``.``, ``..``, separators or hidden names.

    ``acme.yaml`` -> ``acme``; ``...yaml`` -> ``profile``; ``my client!.yaml`` -> ``my-client``.
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", profile.stem).strip("-.")
    return name or "profile"


@dataclass
class _Running:
    profile: Path
    process: BaseProcess
    conn: Connection
    started: float
    stopping: float | None = None
    reason: str = ""


def _signal_name(code: int | None) -> str:
    if code is None or code >= 0:
        return f"exit code {code}"
    try:
        return f"signal {-code} ({signal.Signals(-code).name})"
    except ValueError:
        return f"signal {-code}"


def _lost_row(job: _Running) -> BatchRow:
    """The row for a worker that ended without reporting."""
    row = BatchRow(profile=job.profile.name, status="failed", seconds=round(time.monotonic() - job.started, 2))
    if job.reason:
        row.error = job.reason
    elif job.process.exitcode == -signal.SIGKILL:
        row.error = "the build process was killed (out of memory?); the previous outputs are kept"
    else:
        row.error = f"the build process stopped ({_signal_name(job.process.exitcode)}); the previous outputs are kept"
    return row


def _stop(job: _Running, reason: str) -> None:
    if job.stopping is None:
        job.stopping = time.monotonic()
        job.reason = reason
        job.process.terminate()


def _sigterm_interrupts() -> Callable[[], None]:
    """Make SIGTERM stop the batch as Ctrl-C does; returns the undo."""

    def interrupt(_sig: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        return lambda: None

    def undo() -> None:
        signal.signal(signal.SIGTERM, previous)

    return undo


def run_batch(
    folder: Path,
    out_dir: Path,
    jobs: int,
    formats: tuple[str, ...],
    on_done: Callable[[BatchRow], None] | None = None,
    fresh: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    style_dir: Path | None = None,
) -> list[BatchRow]:
    """Build every profile in ``folder`` into ``out_dir/<profile name>/`` with ``jobs`` processes.

    ``style_dir`` is a house style applied to every profile (over their own ``style:``).

    A profile that takes longer than ``timeout`` seconds is stopped and reported as failed.
    On Ctrl-C or SIGTERM every worker is stopped and ``KeyboardInterrupt`` is raised as
    :class:`BatchInterrupted`, carrying the rows of what was and was not built.
    """
    profiles = find_profiles(folder)
    names = [output_name(p) for p in profiles]
    if len(set(names)) != len(names):
        raise UserError(f"{folder}: two profiles share a name; rename one of them")
    context = multiprocessing.get_context("forkserver")
    # imported once in the fork server, so each fresh worker starts warm
    context.set_forkserver_preload(["generator.batch", "generator.build", "generator.batch_warm"])
    waiting = list(zip(profiles, names, strict=True))
    running: list[_Running] = []
    rows: dict[str, BatchRow] = {}

    def record(row: BatchRow) -> None:
        rows[row.profile] = row
        if on_done is not None:
            on_done(row)

    undo_sigterm = _sigterm_interrupts()
    try:
        while waiting or running:
            while waiting and len(running) < max(1, jobs):
                profile, name = waiting.pop(0)
                parent_end, child_end = context.Pipe()
                process = context.Process(
                    target=_worker, args=(child_end, profile, out_dir / name, formats, fresh, style_dir), daemon=True
                )
                process.start()
                child_end.close()
                running.append(_Running(profile, process, parent_end, time.monotonic()))
            wait([j.process.sentinel for j in running] + [j.conn for j in running], timeout=0.5)
            now = time.monotonic()
            for job in list(running):
                if job.conn.poll():
                    try:
                        record(job.conn.recv())
                    except (EOFError, OSError):
                        pass
                    else:
                        job.process.join()
                        job.conn.close()
                        running.remove(job)
                        continue
                if not job.process.is_alive():
                    job.process.join()
                    job.conn.close()
                    running.remove(job)
                    if job.profile.name not in rows:
                        record(_lost_row(job))
                elif job.stopping is None and now - job.started > timeout:
                    _stop(job, f"stopped after the time limit of {timeout:g} s; the previous outputs are kept")
                elif job.stopping is not None and now - job.stopping > STOP_GRACE:
                    job.process.kill()
    except KeyboardInterrupt:
        _stop_all(running, rows)
        for profile, _name in waiting:
            rows[profile.name] = BatchRow(profile=profile.name, status="not started")
        raise BatchInterrupted(_in_order(profiles, rows)) from None
    finally:
        undo_sigterm()
    return _in_order(profiles, rows)


def _stop_all(running: list[_Running], rows: dict[str, BatchRow]) -> None:
    """Stop every worker (SIGTERM, then SIGKILL after a grace period) and record what each did."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
    try:
        for job in running:
            job.process.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for job in running:
            job.process.join(max(0.0, deadline - time.monotonic()))
            if job.process.is_alive():
                job.process.kill()
                job.process.join()
            row = None
            try:
                if job.conn.poll():
                    row = job.conn.recv()  # it finished just before the stop
            except (EOFError, OSError):
                row = None
            job.conn.close()
            rows[job.profile.name] = row or BatchRow(
                profile=job.profile.name,
                status="interrupted",
                error="stopped before its build was put in place; the previous outputs are kept",
                seconds=round(time.monotonic() - job.started, 2),
            )
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _in_order(profiles: list[Path], rows: dict[str, BatchRow]) -> list[BatchRow]:
    return [rows[p.name] for p in profiles if p.name in rows]


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the batch; ``rows`` says what was built and what was not."""

    def __init__(self, rows: list[BatchRow]):
        super().__init__()
        self.rows = rows


def as_dicts(rows: list[BatchRow]) -> list[dict[str, object]]:
    """Rows as plain dicts (for JSON)."""
    return [asdict(r) for r in rows]
