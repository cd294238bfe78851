"""The one exception tree of the generator.

``GeneratorError`` is the root. ``UserError`` carries messages meant for people: the CLI
prints them one per line and exits non-zero without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located by file, line and key."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class GeneratorError(Exception):
    """Root of every error the generator raises on purpose."""


class UserError(GeneratorError):
    """An error caused by input a person can fix; carries one or more readable lines."""

    def __init__(self, message: str | list[str] | None = None, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        self.lines = [message] if isinstance(message, str) else list(message or [])
        self.lines += [str(p) for p in self.problems]
        super().__init__("\n".join(self.lines))


class ContentError(UserError):
    """A problem in bundled or user-supplied content (packs, templates, reference data)."""
