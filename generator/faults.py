"""Named fault points, so tests can kill or break a run at an exact stage.

``SAFETY_MANUAL_FAULT`` holds comma-separated rules ``point[@n][:action]``: when the
``n``-th call (default the first) of :func:`checkpoint` with that ``point`` is reached,
``action`` happens: ``kill`` (SIGKILL, as the out-of-memory killer or a power cut would;
the default), ``term`` (SIGTERM), ``int`` (SIGINT, as Ctrl-C would), ``stop`` (SIGSTOP, so
a test can start a competing run and then continue this one with SIGCONT), ``raise`` (an
``OSError``, as a full disk or a read-only folder would) or ``hang`` (sleep forever).
With ``SAFETY_MANUAL_FAULT_DIR`` set, a file ``<point>.<pid>`` is created there just before
the fault, so a test can wait for the exact moment instead of sleeping. Unset, a
checkpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import time

ENV = "SAFETY_MANUAL_FAULT"
MARK_DIR = "SAFETY_MANUAL_FAULT_DIR"
_hits: dict[str, int] = {}


def _rules() -> dict[str, tuple[int, str]]:
    rules = {}
    for rule in os.environ.get(ENV, "").split(","):
        if not rule.strip():
            continue
        where, _, action = rule.strip().partition(":")
        point, _, count = where.partition("@")
        rules[point] = (int(count or 1), action or "kill")
    return rules


def checkpoint(point: str) -> None:
    """Do the fault named for ``point`` in ``SAFETY_MANUAL_FAULT``, if any (tests only)."""
    if ENV not in os.environ:
        return
    rule = _rules().get(point)
    if rule is None:
        return
    _hits[point] = _hits.get(point, 0) + 1
    count, action = rule
    if _hits[point] != count:
        return
    if os.environ.get(MARK_DIR):
        with open(os.path.join(os.environ[MARK_DIR], f"{point}.{os.getpid()}"), "w"):
            pass
    if action == "raise":
        raise OSError(f"injected fault at {point}")
    if action == "hang":
        while True:
            time.sleep(60)
    sig = {"kill": signal.SIGKILL, "term": signal.SIGTERM, "int": signal.SIGINT, "stop": signal.SIGSTOP}[action]
    os.kill(os.getpid(), sig)
    if action in ("term", "int"):
        time.sleep(1)  # let the handler run here, at the point, not later
