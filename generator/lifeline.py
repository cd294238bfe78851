"""Worker processes that end when the process that started them ends.

A worker blocks on reading its lifeline, a pipe whose other end only the parent holds.
When the parent exits for any reason, even SIGKILL, the kernel closes that end, the read
ends with EOF and the worker exits at once instead of running on for minutes.
"""

from __future__ import annotations

import os
import signal
import threading
from multiprocessing.connection import Connection
from typing import Any

from generator.collector import fewer_collections

EXIT_ORPHANED = 75


def _interrupt(_sig: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def watch(lifeline: Connection, builds: bool = True) -> None:
    """In a worker: exit when the parent's end of ``lifeline`` closes.

    A worker that ``builds`` (a batch worker) turns SIGTERM into ``KeyboardInterrupt`` like
    Ctrl-C, so a build being stopped discards its staging folder, or puts the previous
    files back if it was committing. A worker that only lays out PDFs writes nothing
    itself: it ignores Ctrl-C (its parent stops it) and SIGTERM ends it at once.
    """
    fewer_collections()  # the worker allocates as the build does
    if builds:
        signal.signal(signal.SIGTERM, _interrupt)
    else:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def wait_for_parent() -> None:
        try:
            while True:
                lifeline.recv_bytes()
        except (EOFError, OSError):
            pass
        os._exit(EXIT_ORPHANED)

    threading.Thread(target=wait_for_parent, name="lifeline", daemon=True).start()
