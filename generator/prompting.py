"""The interactive prompt: questionary asks each question in a terminal.

Kept apart from the questionnaire logic so answers files, tests and the terminal share one
validation path. ``unsafe_ask`` lets Ctrl-C raise ``KeyboardInterrupt`` instead of
returning None, so the CLI can stop without writing a partial profile.
"""

from __future__ import annotations

from typing import Any

import questionary

from generator.questionnaire import Choice, Question


def ask(question: Question, choices: list[Choice], default: Any) -> Any:
    """Ask one question in the terminal and return the raw answer."""
    if question.help:
        questionary.print(f"  {question.help}", style="fg:ansibrightblack italic")
    message = question.prompt
    if question.type == "select":
        options = [questionary.Choice(c.title, value=c.value) for c in choices]
        chosen = default if default in [c.value for c in choices] else None
        return questionary.select(message, choices=options, default=chosen).unsafe_ask()
    if question.type == "checkbox":
        preset = set(default or [])
        options = [questionary.Choice(c.title, value=c.value, checked=c.value in preset or c.checked) for c in choices]
        return questionary.checkbox(message, choices=options).unsafe_ask()
    if question.type == "confirm":
        return questionary.confirm(message, default=bool(default)).unsafe_ask()
    text_default = ", ".join(default) if isinstance(default, list) else ("" if default is None else str(default))
    answer = questionary.text(message, default=text_default).unsafe_ask()
    return answer


def choose(message: str, notes: list[str], options: list[tuple[str, str]]) -> str:
    """Ask one practice-audit question: notes (element, how verified, sample) above a select."""
    for note in notes:
        questionary.print(f"  {note}", style="fg:ansibrightblack italic")
    choices = [questionary.Choice(title, value=value) for title, value in options]
    answer: str = questionary.select(message, choices=choices).unsafe_ask()
    return answer
