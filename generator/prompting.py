"""The interactive prompt: questionary asks each question in a terminal.

Kept apart from the questionnaire logic so answers files, tests and the terminal share one
validation path. ``unsafe_ask`` lets Ctrl-C raise ``KeyboardInterrupt`` instead of
returning None, so the CLI can keep the answers so far in a draft.
"""

from __future__ import annotations

from typing import Any

import questionary
from prompt_toolkit.formatted_text import FormattedText

from generator.questionnaire import Choice, Question

CLEAR = "-"  # typed to leave an optional answer with a suggested value blank


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
        # a saved or suggested answer decides what is ticked; the choices' own ticks only
        # apply when there is no answer yet, so an unticked hazard stays unticked
        preset = set(default) if default is not None else {c.value for c in choices if c.checked}
        options = [questionary.Choice(c.title, value=c.value, checked=c.value in preset) for c in choices]
        return questionary.checkbox(message, choices=options).unsafe_ask()
    if question.type == "confirm":
        return questionary.confirm(message, default=bool(default)).unsafe_ask()
    text_default = ", ".join(default) if isinstance(default, list) else ("" if default is None else str(default))
    if not text_default:
        return questionary.text(message).unsafe_ask()
    # The suggested answer is shown greyed out, not typed into the line: typing replaces
    # it (a pre-filled line would append to it) and Enter on an empty line keeps it.
    keep = "Enter keeps it" + ("" if question.required else f", {CLEAR} leaves it blank")
    answer = questionary.text(
        message,
        placeholder=FormattedText([("fg:ansibrightblack", text_default)]),
        instruction=f"({keep})",
    ).unsafe_ask()
    if not answer.strip():
        return default
    if answer.strip() == CLEAR and not question.required:
        return ""
    return answer


def choose(message: str, notes: list[str], options: list[tuple[str, str]]) -> str:
    """Ask one practice-audit question: notes (element, how verified, sample) above a select."""
    for note in notes:
        questionary.print(f"  {note}", style="fg:ansibrightblack italic")
    choices = [questionary.Choice(title, value=value) for title, value in options]
    answer: str = questionary.select(message, choices=choices).unsafe_ask()
    return answer


def confirm(message: str, default: bool = True) -> bool:
    """A yes-or-no question outside the questionnaire (resuming a draft)."""
    return bool(questionary.confirm(message, default=default).unsafe_ask())
