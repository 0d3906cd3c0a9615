"""Markdown (.md) notes: the text a reader of the rendered notes sees, line by line.

People who type notes in Markdown mark headings with `#`, points with `-`, `*` or `1.`,
emphasis with `**` and tables with `|`. Read as plain text, that markup would stay in the
units and sections ("**Hva fungerer bra?**" a heading of its own and "**" the section of
the points below it). markdown-it-py parses the notes as CommonMark (with tables, without
setext headings), and each block becomes a line of the kind Word's reader gives
(`tema.ingest.word`): a heading (also a table's header row), a list item (also a table
row, its cells joined by CELL_SEPARATOR) or a paragraph; an item of a numbered list keeps
its number (NUMBERED). The words are the user's; only the markup is left out (emphasis
marks, link targets, backslash escapes, inline HTML tags, comments). Code blocks and
HTML blocks are kept as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tema.ingest.word import CELL_SEPARATOR, HEADING, ITEM, PARAGRAPH

# A numbered list of one item, kept as a line with its number as typed: CommonMark reads
# "17. mai feiret vi …" and a section title "1. Innledning" as such lists, and the
# segmenter's own rules tell a date, a title and an item apart. A list of several items
# is a list: its items are items, the number dropped ("1. Flere boliger" → "• Flere
# boliger") unless the item goes on in lower case after it ("1. mai: Oppstart").
NUMBERED = "numbered"


def markdown_lines(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each block of Markdown `text`, in reading order."""
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    # Without setext headings: notes use "---" under a line as a separator, and CommonMark
    # would make that line a heading (not counted).
    parser = MarkdownIt("commonmark").enable("table").disable("lheading")
    tree = SyntaxTreeNode(parser.parse(text))
    return [(kind, line) for kind, line in _blocks(tree) if line.strip()]


def _blocks(node: Any) -> Iterator[tuple[str, str]]:
    for child in node.children:
        if child.type == "heading":
            yield HEADING, _inline_text(child.children[0].token)
        elif child.type == "paragraph":
            yield PARAGRAPH, _inline_text(child.children[0].token)
        elif child.type == "ordered_list" and len(child.children) == 1:
            yield from _item(child.children[0], numbered=True)
        elif child.type in ("bullet_list", "ordered_list"):
            for item in child.children:
                yield from _item(item, numbered=False)
        elif child.type == "table":
            yield from _table_rows(child)
        elif child.type == "html_block" and child.content.lstrip().startswith("<!--"):
            continue  # a comment: not shown to a reader
        elif child.type in ("fence", "code_block", "html_block"):
            yield PARAGRAPH, child.content.rstrip("\n")
        else:  # a block quote: the voice it quotes is input like any other
            yield from _blocks(child)


def _item(item: Any, numbered: bool) -> Iterator[tuple[str, str]]:
    """A list item: its first paragraph an item (a NUMBERED line if `numbered`), what
    follows in it as blocks of its own (a nested list's items are items)."""
    lines = list(_blocks(item))
    if lines and lines[0][0] == PARAGRAPH:
        text = lines[0][1]
        typed = f"{item.info}{item.markup} {text}"  # as typed, with its number
        if numbered:
            lines[0] = (NUMBERED, typed)
        else:
            lines[0] = (ITEM, typed if item.info and text[:1].islower() else text)
    yield from lines


def _table_rows(table: Any) -> Iterator[tuple[str, str]]:
    """The header row a heading, each other row an item, their cells joined."""
    for section in table.children:  # thead, tbody
        for row in section.children:
            cells = [_inline_text(cell.children[0].token).strip() for cell in row.children]
            line = CELL_SEPARATOR.join(cell for cell in cells if cell)
            yield (HEADING if section.type == "thead" else ITEM), line


def _inline_text(token: Any) -> str:
    """The text of an inline token as it reads: emphasis and link marks and inline HTML
    tags left out, a line break kept as one, an image as its description."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)
