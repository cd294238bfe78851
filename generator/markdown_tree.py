"""Markdown (CommonMark + pipe tables) to document-tree blocks, via markdown-it-py.

Raw HTML is switched off, so ``<b>`` in text stays text. Headings open sections; a
blockquote becomes a callout; a fenced block tagged ``signature`` becomes a signature block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.document import (
    Block,
    BulletList,
    Callout,
    ListItem,
    Paragraph,
    Run,
    Runs,
    Section,
    SignatureBlock,
    Table,
)
from generator.errors import ContentError, Problem

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


@dataclass
class Parsed:
    """Blocks before the first heading, then the sections the headings open."""

    blocks: list[Block]
    sections: list[Section]


def parse_markdown(text: str, base_level: int, source: str) -> Parsed:
    """Parse ``text``; headings of level ``base_level`` and deeper open sections."""
    parser = _Parser(*_tokens(text), source)
    blocks = parser.blocks_until_heading()
    sections: list[Section] = []
    stack: list[Section] = []
    while parser.more():
        token = parser.next()
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        if level < base_level:
            raise ContentError(
                problems=[
                    Problem(
                        source,
                        parser.line(parser.pos - 1),
                        "",
                        f"heading level {level} is above this template's level {base_level}; "
                        f"start with {'#' * base_level}",
                    )
                ]
            )
        title = _plain(parser.next())
        parser.next()  # heading_close
        section = Section(title=title, level=level)
        section.blocks = parser.blocks_until_heading()
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack:
            stack[-1].children.append(section)
        else:
            sections.append(section)
        stack.append(section)
    return Parsed(blocks, sections)


_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")


@lru_cache(maxsize=1024)
def _chunk_tokens(chunk: str) -> tuple[Token, ...]:
    """markdown-it's tokens for one chunk, cached: tokens are only read."""
    return tuple(_MD.parse(chunk))


def _tokens(text: str) -> tuple[list[Token], list[int]]:
    """Tokens of ``text`` and, for each, the line offset of the chunk it came from.

    Parsing is most of the time a manual takes to assemble, and a manual's text repeats from
    build to build (and across the packs ``check`` assembles) heading by heading, not whole.
    So the text is parsed in chunks that start at each top-level ATX heading outside a code
    fence; a heading at column 0 closes every open block in CommonMark, so the tokens are the
    same as for the whole text, and each chunk's tokens are cached.
    """
    chunks: list[tuple[int, list[str]]] = [(0, [])]
    fence = ""
    for number, line in enumerate(text.splitlines(keepends=True)):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            mark = stripped[:3]
            fence = "" if fence == mark else (fence or mark)
        elif not fence and _ATX.match(line) and chunks[-1][1]:
            chunks.append((number, []))
        chunks[-1][1].append(line)
    tokens: list[Token] = []
    offsets: list[int] = []
    for offset, lines in chunks:
        found = _chunk_tokens("".join(lines))
        tokens += found
        offsets += [offset] * len(found)
    return tokens, offsets


def _plain(inline: Token) -> str:
    return "".join(r.text for r in _runs(inline))


def _runs(inline: Token) -> Runs:
    runs: list[Run] = []
    bold = italic = 0
    for child in inline.children or []:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("text", "code_inline", "html_inline"):
            runs.append(Run(child.content, bold > 0, italic > 0))
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold > 0, italic > 0))
        # link_open / link_close / image: keep only their text (children handled above)
    return tuple(_merge(runs))


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and (out[-1].bold, out[-1].italic) == (run.bold, run.italic):
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic)
        else:
            out.append(run)
    return out


class _Parser:
    def __init__(self, tokens: list[Token], offsets: list[int], source: str):
        self.tokens = tokens
        self.offsets = offsets
        self.pos = 0
        self.source = source

    def line(self, index: int) -> int | None:
        """The line of the token at ``index`` in the whole text."""
        token = self.tokens[index]
        return token.map[0] + 1 + self.offsets[index] if token.map else None

    def more(self) -> bool:
        return self.pos < len(self.tokens)

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def blocks_until_heading(self) -> list[Block]:
        blocks: list[Block] = []
        while self.more() and self.peek().type != "heading_open":
            block = self.block()
            if block is not None:
                blocks.append(block)
        return blocks

    def blocks_until(self, close: str) -> list[Block]:
        blocks: list[Block] = []
        while self.peek().type != close:
            block = self.block()
            if block is not None:
                blocks.append(block)
        self.next()
        return blocks

    def block(self) -> Block | None:
        token = self.next()
        kind = token.type
        if kind == "paragraph_open":
            runs = _runs(self.next())
            self.next()
            return Paragraph(runs)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_(kind.replace("_open", "_close"), kind.startswith("ordered"))
        if kind == "table_open":
            return self.table()
        if kind == "blockquote_open":
            inner = self.blocks_until("blockquote_close")
            title = ""
            if (
                inner
                and isinstance(inner[0], Paragraph)
                and inner[0].runs
                and inner[0].runs[0].bold
                and len(inner[0].runs) == 1
            ):
                title = inner[0].text.rstrip(":")
                inner = inner[1:]
            return Callout(tuple(inner), title)
        if kind == "fence":
            if token.info.strip() == "signature":
                labels = tuple(line.strip() for line in token.content.splitlines() if line.strip())
                return SignatureBlock(labels)
            return Paragraph((Run(token.content.rstrip()),))
        if kind == "code_block":
            return Paragraph((Run(token.content.rstrip()),))
        if kind == "hr":
            return None
        if kind == "heading_open":
            raise ContentError(
                problems=[
                    Problem(self.source, self.line(self.pos - 1), "", "a heading cannot stand inside a list or quote")
                ]
            )
        return None

    def list_(self, close: str, ordered: bool) -> BulletList:
        items: list[ListItem] = []
        while self.peek().type != close:
            self.next()  # list_item_open
            runs: list[Run] = []
            children: list[BulletList] = []
            while self.peek().type != "list_item_close":
                block = self.block()
                if isinstance(block, Paragraph):
                    if runs:
                        runs.append(Run(" "))
                    runs.extend(block.runs)
                elif isinstance(block, BulletList):
                    children.append(block)
            self.next()
            items.append(ListItem(tuple(_merge(runs)), tuple(children)))
        self.next()
        return BulletList(tuple(items), ordered)

    def table(self) -> Table:
        header: list[Runs] = []
        rows: list[tuple[Runs, ...]] = []
        current: list[Runs] = []
        while True:
            token = self.next()
            if token.type == "table_close":
                break
            if token.type == "tr_open":
                current = []
            elif token.type in ("th_open", "td_open"):
                current.append(_runs(self.next()))
            elif token.type == "tr_close":
                if not header:
                    header = current
                else:
                    rows.append(tuple(current))
        return Table(tuple(header), tuple(rows), _content_widths(header, rows))


def _content_widths(header: list[Runs], rows: list[tuple[Runs, ...]]) -> tuple[float, ...]:
    """Relative column widths from what each column holds, so a column of form numbers or
    ratings does not take as much of the page as a column of sentences.

    Each column first gets room for its longest word (and for a short entry, up to 14
    characters, on one line); the rest of a line, about 100 characters, is shared in
    proportion to how much longer the column's cells are on average.
    """
    line = 100.0
    floors: list[float] = []
    means: list[float] = []
    for i in range(len(header)):
        texts = ["".join(run.text for run in cells[i]) for cells in (header, *rows) if i < len(cells)]
        lengths = [len(t) for t in texts] or [1]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        floors.append(max(longest_word, min(max(lengths), 14)) + 2.0)
        means.append(sum(lengths) / len(lengths))
    spare = line - sum(floors)
    if spare <= 0:
        return tuple(floors)
    weights = [max(mean - floor, 0.0) + 1.0 for mean, floor in zip(means, floors, strict=True)]
    total = sum(weights)
    return tuple(floor + spare * weight / total for floor, weight in zip(floors, weights, strict=True))
