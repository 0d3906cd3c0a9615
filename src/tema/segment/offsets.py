"""The offset map of a cleaned block: each cleaned character points at the raw text.

``tema.segment.clean`` cleans a block by copying its raw text with edits (a line break
made a space, a hyphen dropped, a kerning gap closed, a ligature written as its letters);
``Builder`` records each piece as it is written. The result, a ``Block``, remembers for
every character of its cleaned text the raw span it came from (``Block.raw_char_span``),
so a span of cleaned text maps back to an exact ``start, end`` in the raw text, which is
what a unit records. The map is kept as pieces (a run of copied characters, or a
replacement and the raw span it replaces), not per character: it costs memory and time
per edit, not per character of text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True, eq=False)
class Block:
    """A run of lines that forms one layout element, with its cleaned text.

    ``start``/``end`` is the raw span of the whole block (no outer whitespace). The offset
    map: piece ``k`` of the cleaned text starts at ``piece_starts[k]``; ``pieces[k]`` is
    ``(raw_start, raw_end, copied)``: copied raw text (character for character) or a
    replacement whose every character stands for all of ``raw[raw_start:raw_end]``.
    """

    kind: str
    start: int
    end: int
    text: str
    piece_starts: list[int] = field(repr=False)
    pieces: list[tuple[int, int, bool]] = field(repr=False)
    frame_start: bool = False

    def raw_char_span(self, index: int) -> tuple[int, int]:
        """Raw ``start, end`` that cleaned character ``self.text[index]`` came from."""
        piece = bisect.bisect_right(self.piece_starts, index) - 1
        raw_start, raw_end, copied = self.pieces[piece]
        if not copied:
            return raw_start, raw_end
        position = raw_start + index - self.piece_starts[piece]
        return position, position + 1

    def raw_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Raw ``start, end`` of the cleaned text ``self.text[clean_start:clean_end]``."""
        if clean_end <= clean_start:
            if clean_start < len(self.text):
                position = self.raw_char_span(clean_start)[0]
            else:
                position = self.end
            return position, position
        return self.raw_char_span(clean_start)[0], self.raw_char_span(clean_end - 1)[1]


class Builder:
    """Accumulates cleaned text pieces with the raw span each one replaces."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.piece_starts: list[int] = []
        self.pieces: list[tuple[int, int, bool]] = []
        self.length = 0

    def copy(self, raw: str, start: int, end: int) -> None:
        """Copy ``raw[start:end]`` unchanged: each character maps to itself."""
        if end <= start:
            return
        self.parts.append(raw[start:end])
        if self.pieces and self.pieces[-1][2] and self.pieces[-1][1] == start:
            self.pieces[-1] = (self.pieces[-1][0], end, True)  # continues the last copy
        else:
            self.piece_starts.append(self.length)
            self.pieces.append((start, end, True))
        self.length += end - start

    def replace(self, replacement: str, start: int, end: int) -> None:
        """Put ``replacement`` for ``raw[start:end]``: each new character maps to all of it."""
        if replacement:
            self.parts.append(replacement)
            self.piece_starts.append(self.length)
            self.pieces.append((start, end, False))
            self.length += len(replacement)

    def text(self) -> str:
        return "".join(self.parts)


def apply_edits(
    builder: Builder, raw: str, start: int, end: int, edits: list[tuple[int, int, str]]
) -> None:
    """Copy ``raw[start:end]`` into ``builder`` with ``edits`` made."""
    position = start
    for edit_start, edit_end, replacement in edits:
        if edit_start < position:
            continue  # overlaps an edit already made (a kerning gap of two spaces)
        builder.copy(raw, position, edit_start)
        builder.replace(replacement, edit_start, edit_end)
        position = edit_end
    builder.copy(raw, position, end)
