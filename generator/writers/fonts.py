"""The PDF's fixed font set and which characters it can print.

Typst only uses the fonts in ``generator/fonts`` (system fonts are ignored, so a PDF looks
the same on every machine). A character none of them has cannot be printed, and PDF/A
forbids printing it as an empty box, so the writer replaces it with a visible code such as
``[U+1F600]`` and the build warns about the profile key it came from. Which characters the
fonts cover is read once from ``coverage.txt`` (ranges of code points, written by
``scripts/font_coverage.py`` and checked against the fonts by the test suite), because
reading the fonts' own tables takes over a second.
"""

from __future__ import annotations

import bisect
import functools

from generator.paths import fonts_dir

COVERAGE_FILE = "coverage.txt"
# the families of generator/fonts, in the order Typst tries them for each character; a
# house style may choose its body and heading fonts among them and no others
FAMILIES: tuple[str, ...] = (
    "Liberation Sans",
    "DejaVu Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Droid Sans Fallback",
    "NanumSquare",
)
# characters that lay out without a glyph of their own: line breaks, joiners, break points
_INVISIBLE = frozenset("\n\r\t\u200b\u200c\u200d\u2060\ufeff")


@functools.cache
def _ranges() -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for line in (fonts_dir() / COVERAGE_FILE).read_text(encoding="ascii").splitlines():
        if not line or line.startswith("#"):
            continue
        first, _, last = line.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
    return starts, ends


def printable(char: str) -> bool:
    """Whether the font set has a glyph for ``char``."""
    if char in _INVISIBLE:
        return True
    starts, ends = _ranges()
    code = ord(char)
    i = bisect.bisect_right(starts, code) - 1
    return i >= 0 and code <= ends[i]


def missing(text: str) -> list[str]:
    """The distinct characters of ``text`` that no font in the set can print, in order."""
    if text.isascii():
        return []  # every font in the set covers printable ASCII
    # each distinct character once, in order of first appearance
    return [c for c in dict.fromkeys(text) if not _known(c)]


@functools.lru_cache(maxsize=4096)
def _known(char: str) -> bool:
    return printable(char)


def code(char: str) -> str:
    """How a character with no glyph is printed instead: ``[U+1F600]``."""
    return f"[U+{ord(char):04X}]"


def make_printable(text: str) -> str:
    """``text`` with each character the fonts lack replaced by its visible code."""
    if text.isascii():
        return text
    gaps = missing(text)
    for char in gaps:
        text = text.replace(char, code(char))
    return text
