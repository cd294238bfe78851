"""The output formats a build writes, and reading ``--format`` (light: the command line reads it
before importing the rest of the generator)."""

from __future__ import annotations

from generator.errors import UserError

FORMATS = ("docx", "pdf")


def parse_formats(text: str) -> tuple[str, ...]:
    """``"docx,pdf"`` -> ``("docx", "pdf")``; unknown formats are a user error."""
    chosen = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise UserError(f"--format: unknown format {', '.join(bad) or text!r}; use docx, pdf or docx,pdf")
    return chosen
