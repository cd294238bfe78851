"""Batch builds: every profile in a folder, in parallel processes, never stopping at a bad one."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.errors import UserError


@dataclass
class BatchRow:
    """One profile's outcome."""

    profile: str
    client: str = ""
    stream: str = ""
    partner: str = ""
    pages: int = 0
    seconds: float = 0.0
    status: str = "ok"
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


def find_profiles(folder: Path) -> list[Path]:
    """The profiles in ``folder`` (``*.yaml`` and ``*.yml``), sorted by name."""
    if not folder.is_dir():
        raise UserError(f"{folder}: not a folder")
    found = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not found:
        raise UserError(f"{folder}: no profiles (*.yaml) found")
    return found


def run_batch(
    folder: Path,
    out_dir: Path,
    jobs: int,
    formats: tuple[str, ...],
    on_done: Callable[[BatchRow], None] | None = None,
    fresh: bool = False,
    style_dir: Path | None = None,
) -> list[BatchRow]:
    """Build every profile in ``folder`` into ``out_dir/<profile name>/`` with ``jobs`` processes.

    ``style_dir`` is a house style applied to every profile (over their own ``style:``).
    """
    profiles = find_profiles(folder)
    names = [p.stem for p in profiles]
    if len(set(names)) != len(names):
        raise UserError(f"{folder}: two profiles share a name; rename one of them")
    rows: list[BatchRow] = []
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        futures = {pool.submit(build_one, p, out_dir / p.stem, formats, fresh, style_dir): p for p in profiles}
        for future in as_completed(futures):
            row = future.result()
            rows.append(row)
            if on_done is not None:
                on_done(row)
    order = {p.name: i for i, p in enumerate(profiles)}
    return sorted(rows, key=lambda r: order[r.profile])


def as_dicts(rows: list[BatchRow]) -> list[dict[str, object]]:
    """Rows as plain dicts (for JSON)."""
    return [asdict(r) for r in rows]
