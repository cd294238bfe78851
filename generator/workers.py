"""The layout worker processes of a build, started before the build needs them.

This module is light on purpose: the command line starts the workers before it imports the
rest of the generator, so the fork server's imports (python-docx, Typst, pikepdf) and the
workers' warm-up run while this process reads the content and assembles the manual.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection

from generator import lifeline


def _warm_up() -> None:
    """Load Typst and the fonts in a worker (run there; the import happens in the worker)."""
    from generator.writers import pdf_writer

    pdf_writer.warm_up()


class Workers:
    """The layout worker processes of one build, started in the background.

    Starting them waits for the fork server to import the writers; a thread does that
    waiting while this process goes on reading the content and assembling the manual.
    """

    def __init__(self, jobs: int, formats: tuple[str, ...]):
        self.jobs = jobs
        self.formats = formats
        self.pool: ProcessPoolExecutor | None = None
        self._lifeline: Connection | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = threading.Thread(target=self._start, daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            context = multiprocessing.get_context("forkserver")
            # the fork server imports the writers (python-docx, Typst, pikepdf) once and each
            # worker is forked from it, instead of every worker importing them again
            context.set_forkserver_preload(["generator.output_writer"])
            # the workers end when this process ends, even if it is killed (see lifeline.py)
            reader, self._lifeline = context.Pipe(duplex=False)
            self.pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=context, initializer=lifeline.watch, initargs=(reader, False)
            )
            for _ in range(self.jobs if "pdf" in self.formats else 0):
                # loads Typst and the fonts in each worker while the manual is assembled
                self.pool.submit(_warm_up)
        except BaseException as exc:  # handed to the main thread, raised where the pool is needed
            self._error = exc

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def ready(self) -> ProcessPoolExecutor:
        """The pool, once started; a failure to start is raised here."""
        self._join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        assert self.pool is not None
        return self.pool

    def close(self, failed: bool) -> None:
        """Stop the workers: at once after a failure, else once their work is done."""
        self._join()
        if self.pool is not None:
            if failed:
                # failed or interrupted: stop the workers now rather than wait for their PDFs
                for process in list(getattr(self.pool, "_processes", {}).values()):
                    process.terminate()
            self.pool.shutdown(wait=not failed, cancel_futures=True)
            self.pool = None
        if self._lifeline is not None:
            self._lifeline.close()
            self._lifeline = None


_early: Workers | None = None


def start_workers_early(jobs: int, formats: tuple[str, ...]) -> None:
    """Start the workers of the next build now, before its content is read (``build`` calls this)."""
    global _early
    if jobs > 1 and _early is None:
        _early = Workers(jobs, formats)


def discard_early_workers() -> None:
    """Stop workers started early that no build took (the build stopped before writing)."""
    global _early
    early, _early = _early, None
    if early is not None:
        early.close(failed=True)


def take_workers(jobs: int, formats: tuple[str, ...]) -> Workers | None:
    """The workers started early for this build if they fit it, else new ones (None with one job)."""
    global _early
    early, _early = _early, None
    if early is not None and early.jobs == jobs and early.formats == formats:
        return early
    if early is not None:
        early.close(failed=True)
    return Workers(jobs, formats) if jobs > 1 else None
