"""A house style's Word shell, rendered with docxtpl, as the frame of the manual's Word file.

The shell was checked when the style was loaded (:func:`generator.house_style.check_shell`):
its XML parses and every tag is one the build fills. Here it is rendered in the same
sandboxed, autoescaping Jinja environment, with every value passed as data, and the
paragraph holding ``{{ body }}`` is located so the writer can put the manual's text there.
The body keeps the shell's style definitions (Heading 1-3, Normal, tables); styles the body
needs that the shell lacks are copied from python-docx's default template.
"""

from __future__ import annotations

import copy
import io
import uuid
from typing import Any

from docx import Document as new_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm

from generator.document import Document, Style

# every paragraph and table style the body writer uses
BODY_STYLES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Number",
    "List Number 2",
    "List Number 3",
    "Table Grid",
)


def shell_environment() -> Any:
    """The Jinja environment shells are checked and rendered in: sandboxed, autoescaping.

    Autoescaping makes every value XML text: a company called ``<w:t>`` prints those five
    characters. Values are never parsed as templates, so ``{{ 7*7 }}`` in a profile prints
    as typed.
    """
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def _nested(pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """``(("company.name", "Acme"),)`` -> ``{"company": {"name": "Acme"}}``."""
    out: dict[str, Any] = {}
    for path, value in pairs:
        *groups, leaf = path.split(".")
        target = out
        for group in groups:
            target = target.setdefault(group, {})
        target[leaf] = value
    return out


def render_shell(document: Document, style: Style) -> tuple[Any, Any]:
    """The rendered shell as a python-docx document, and the paragraph element marking the body."""
    from docxtpl import DocxTemplate, InlineImage

    from generator.house_style import SHELL_TAGS

    assert style.shell is not None
    template = DocxTemplate(io.BytesIO(style.shell))
    # every tag has a value (empty if the profile leaves it out), so no tag prints an error
    values: dict[str, Any] = dict.fromkeys(SHELL_TAGS, "") | dict(document.shell_values) | dict(style.shell_values)
    sentinel = f"safety-manual-body-{uuid.uuid4().hex}"  # no profile text can equal it
    values["body"] = sentinel
    images = {"logo": style.logo, "company.logo": document.cover.logo if document.cover else None}
    for tag, data in images.items():
        # a picture is XML docxtpl puts in place of the tag; no data leaves the tag empty
        values[tag] = InlineImage(template, io.BytesIO(data), width=Cm(4)) if data else ""
    context = _nested(tuple(values.items()))
    template.render(context, jinja_env=shell_environment(), autoescape=True)
    docx = template.docx
    marker = next(p for p in docx.paragraphs if p.text.strip() == sentinel)
    _ensure_styles(docx)
    return docx, marker._p


def _ensure_styles(docx: Any) -> None:
    """Copy the body's styles the shell lacks from python-docx's default template.

    A shell designed in Word holds only the styles it uses; the body still needs list and
    table styles. Numbering is dropped from a copied list style when the shell has no
    numbering definitions for it to point to.
    """
    names = {s.name for s in docx.styles}
    missing = [n for n in BODY_STYLES if n not in names]
    if not missing:
        return
    default = new_docx()
    has_numbering = any(rel.reltype == RT.NUMBERING for rel in docx.part.rels.values())
    for name in missing:
        element = copy.deepcopy(default.styles[name].element)
        if not has_numbering:
            for numbering in element.findall(f".//{qn('w:numPr')}"):
                numbering.getparent().remove(numbering)
        docx.styles.element.append(element)


def move_before(marker: Any, elements: list[Any]) -> None:
    """Put ``elements`` (the written body) where the marker paragraph is, and drop the marker."""
    for element in elements:
        marker.addprevious(element)
    marker.getparent().remove(marker)
