"""Writing a build's documents: the staging folder and the writer that fills it.

Everything is written into a staging folder inside the output folder first; only when the
whole build has succeeded are the files moved into place, one rename each. A build that
fails or is killed part-way leaves the previous outputs whole.

With ``jobs`` > 1 every file is laid out by worker processes that are started, and warmed
up, before the manual is even assembled; this process computes the change report meanwhile.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import ExitStack
from pathlib import Path

from generator.commit import commit, recover
from generator.document import Document
from generator.locks import folder_lock
from generator.manifest import Warn, warn_stderr
from generator.outdir import safe_relative
from generator.reuse import PreviousOutputs, copy_into, source_digests
from generator.workers import take_workers
from generator.writers import docx_writer, pdf_writer
from generator.yamlio import write_atomic

Progress = Callable[[str], None]


class Staging:
    """A private folder inside the output folder; committed as one step (see :mod:`generator.commit`).

    Creating it takes the output folder's lock (released by :meth:`commit` or
    :meth:`discard`), finishes or undoes a commit a killed run left behind, and clears
    staging folders such runs left.
    """

    def __init__(self, out_dir: Path, warn: Warn = warn_stderr):
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        self._lock: ExitStack | None = ExitStack()
        self._lock.enter_context(folder_lock(out_dir))
        try:
            recover(out_dir, warn)
            self.path = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
        except BaseException:
            self._release()
            raise
        self.files: list[str] = []
        self.pages: dict[str, int] = {}
        self.sources: dict[str, str] = {}  # file -> source digest (see reuse.py)
        self.reused: list[str] = []

    def target(self, relative: str) -> Path:
        """The staging path for output file ``relative`` (recorded for the commit)."""
        if safe_relative(relative) != relative:
            raise ValueError(f"not a plain relative path: {relative!r}")
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(relative)
        return path

    def commit(self, remove: list[str] | None = None, profile: tuple[Path, str] | None = None) -> None:
        """Move every staged file into place and take out ``remove``, as one step; then clean up.

        ``profile`` (a path and its new text) is saved as part of the same step.
        """
        try:
            commit(self.out_dir, self.path, self.files, remove or [], profile)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the staging folder and whatever is still in it; release the folder's lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        # anything that fails or interrupts the build discards the staging folder; a
        # successful block has committed already, so only leftovers are removed
        self.discard()


class DocumentWriter:
    """Writes (relative stem, document) items in every format into a staging folder.

    Use as a context manager: :meth:`submit` hands the files to the workers (with ``jobs``
    > 1) and returns at once; :meth:`finish` writes what is left and collects the rest.
    """

    def __init__(self, formats: tuple[str, ...], progress: Progress, jobs: int = 1):
        self.formats = formats
        self.progress = progress
        self.workers = take_workers(jobs, formats)
        self.staging: Staging | None = None
        self.todo: list[tuple[str, str, Document]] = []
        self.pending: dict[str, Future[tuple[bytes, int | None]]] = {}

    def submit(self, staging: Staging, items: list[tuple[str, Document]], previous: PreviousOutputs | None) -> None:
        """Start writing ``items``; a file the previous build wrote from the same source is copied."""
        self.staging = staging
        for stem, document in items:
            for fmt, digest in source_digests(document, self.formats).items():
                relative = f"{stem}.{fmt}"
                staging.sources[relative] = digest
                found = previous.find(relative, digest) if previous else None
                if found is None or (fmt == "pdf" and found.pages is None):
                    self.todo.append((relative, fmt, document))
                    continue
                copy_into(found, staging.target(relative))
                staging.reused.append(relative)
                if found.pages is not None:
                    staging.pages[relative] = found.pages
        if self.workers is not None:
            pool = self.workers.ready()
            # every file goes to the workers, in item order so the manual (the longest) starts
            # first; this process meanwhile computes the change-report outline
            for relative, fmt, document in self.todo:
                render = pdf_writer.render_pdf if fmt == "pdf" else _docx_bytes
                self.pending[relative] = pool.submit(render, document)

    def finish(self) -> None:
        """Write the files no worker took; wait for the workers' files."""
        staging = self.staging
        assert staging is not None, "submit() first"
        for relative, fmt, document in self.todo:
            if relative in self.pending:
                continue
            self.progress(f"writing {relative}")
            if fmt == "docx":
                docx_writer.write(document, staging.target(relative))
            else:
                staging.pages[relative] = pdf_writer.write(document, staging.target(relative))
        for relative, future in self.pending.items():
            self.progress(f"writing {relative}")
            data, pages = future.result()
            write_atomic(staging.target(relative), data)
            if pages is not None:
                staging.pages[relative] = pages

    def __enter__(self) -> DocumentWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self.workers is not None:
            self.workers.close(failed=kind is not None)


def _docx_bytes(document: Document) -> tuple[bytes, None]:
    """A Word file laid out in a worker: its bytes (Word files have no page count of ours)."""
    return docx_writer.render_docx(document), None


def write_documents(
    staging: Staging,
    items: list[tuple[str, Document]],
    formats: tuple[str, ...],
    progress: Progress,
    jobs: int = 1,
    previous: PreviousOutputs | None = None,
) -> None:
    """Write each (relative stem, document) in every format into the staging folder."""
    with DocumentWriter(formats, progress, jobs) as writer:
        writer.submit(staging, items, previous)
        writer.finish()
