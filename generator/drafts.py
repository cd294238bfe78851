"""Interview drafts: the answers typed so far, kept when an interview stops before the end.

A draft sits next to the profile it will become (``profile.yaml.draft``), as an answers
file the next ``interview`` offers to resume. Its suffix is not ``.yaml`` so that
``batch`` never takes it for a profile.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.yamlio import dump_yaml, load_yaml, write_atomic


def draft_path(profile: Path) -> Path:
    """Where the draft of ``profile`` is kept."""
    return profile.with_name(profile.name + ".draft")


def count_answers(answers: dict[str, Any]) -> int:
    """How many questions a nested answers mapping answers."""
    return sum(count_answers(v) if isinstance(v, dict) else 1 for v in answers.values())


def save_draft(profile: Path, answers: dict[str, Any]) -> Path:
    """Write ``answers`` as the draft of ``profile``; return the draft's path."""
    path = draft_path(profile)
    header = (
        f"# Answers so far for {profile.name}, kept by `safety-manual interview`.\n"
        "# Run the same interview command again to resume, or pass this file with --answers.\n"
    )
    write_atomic(path, header + dump_yaml(answers, width=4096))
    return path


def load_draft(profile: Path) -> dict[str, Any] | None:
    """The draft of ``profile``, or None when there is none or it cannot be read."""
    path = draft_path(profile)
    if not path.is_file():
        return None
    try:
        data = load_yaml(path).data
    except UserError:
        return None
    return data if isinstance(data, dict) and data else None


def remove_draft(profile: Path) -> None:
    """Delete the draft once its profile is saved."""
    draft_path(profile).unlink(missing_ok=True)
