"""Write generator/fonts/coverage.txt: the code points the bundled fonts can print.

Run after adding or replacing a font: python scripts/font_coverage.py
(the test suite fails while the file and the fonts disagree).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "generator" / "fonts"


def covered() -> list[int]:
    """Every code point some bundled font maps to a glyph, sorted."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in sorted(FONTS.glob("*.ttf")):
        points |= set(TTFont(path, lazy=True).getBestCmap())
    return sorted(p for p in points if p >= 0x20)


def ranges_text(points: list[int]) -> str:
    """Code points as lines of hex ranges ``first-last``."""
    lines = ["# code points the fonts in this folder can print; written by scripts/font_coverage.py"]
    start = prev = points[0]
    for p in points[1:] + [-1]:
        if p == prev + 1:
            prev = p
            continue
        lines.append(f"{start:04X}-{prev:04X}" if start != prev else f"{start:04X}")
        start = prev = p
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = ranges_text(covered())
    (FONTS / "coverage.txt").write_text(text, encoding="ascii")
    print(f"wrote {FONTS / 'coverage.txt'} ({text.count(chr(10)) - 1} ranges)", file=sys.stderr)
