"""Which blocks are the items of a list, decided over the blocks ``group_lines`` made.

Short points that typed notes set below a sentence at the end of a block ("… i
kommunen." / "Mer praksis" / "Bedre tolketjeneste" / blank) are items, one a point
(``trailing_point_count``, which ``tema.segment.blocks`` calls where a block ends, and
where body text follows such points straight below: "… i kommunen." / "Mer praksis" /
"Bedre tolketjeneste" / "Neste punkt er bolig." or a list); so are such points below a
colon with body text or a list straight below them (``introduced_point_count``).
Two layouts are read apart only once the blocks around them are known: notes that list
their points one per line without markers or full stops (three such lines in a row, with
or without blank lines between them, are items, one per line: report headings come one
or two together, never three; captions, "Foto: …", are points only where a colon
announces them: "Vi foreslår:" / "Les mer om …"), and a numbered
line that stands alone ("2. Utdanning og kvalifisering": no numbered item right before
or after it), which is a section title, not a one-item list. ``tema.segment.blocks``
calls both on the blocks it grouped; the rules are listed in docs/segmentation.md.
"""

from __future__ import annotations

import re

from tema.segment import nb_layout, nb_sentences, nb_words, titles
from tema.segment.lines import Group, Line


def numbered_titles_as_text(raw: str, groups: list[Group]) -> list[Group]:
    """A numbered line that stands alone ("2. Utdanning og kvalifisering": no numbered item
    right before or after it, no punctuation at the end of its lines) is a section title,
    not a one-item list: it becomes a text group, which ``headings.classify_text_block``
    calls a heading."""
    titled = list(groups)
    for index, (kind, lines) in enumerate(groups):
        if kind != "bullet" or not nb_layout.SECTION_NUMBER_LINE.match(
            raw[lines[0].start : lines[0].end]
        ):
            continue
        neighbours = groups[index - 1 : index] + groups[index + 1 : index + 2]
        if any(_is_numbered_item(raw, neighbour) for neighbour in neighbours):
            continue
        # A title wrapped over two lines ("4. Arbeidsgivernes erfaringer … i /
        # distriktene") is a title too; any punctuation, or more lines and words, makes
        # it an item or a sentence.
        words = sum(len(raw[ln.start : ln.end].split()) for ln in lines)
        if (
            len(lines) > 2
            or words > 2 * titles.LIST_TITLE_WORDS
            or any(
                nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(raw, ln.start, ln.end) for ln in lines
            )
        ):
            continue
        titled[index] = ("text", lines)
    return titled


def _is_numbered_item(raw: str, group: Group) -> bool:
    """A list item beside a numbered line that makes it an item of the same list: one not
    opened by a bullet or a dash, which notes put under a numbered topic ("1. Bolig" /
    "- Det er for få utleieboliger") as its points, not as its siblings."""
    kind, lines = group
    first = raw[lines[0].start : lines[0].end]
    return kind == "bullet" and not (
        nb_layout.BULLET_LINE.match(first)
        or nb_layout.LONE_BULLET_LINE.match(first)
        or nb_layout.DASH_BULLET_LINE.match(first)
        or nb_layout.LOWER_DASH_ITEM_LINE.match(first)
    )


# Notes often list their points one per line, without markers or full stops. This many
# such lines in a row are list items, not a heading: report headings come one or two
# together (a title and a subtitle), never three.
MIN_UNMARKED_ITEMS = 3
_ENDS_WITH_PAGE_NUMBER = re.compile(r"\s\d{1,4}$")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


def _is_unmarked_item(raw: str, line: Line, introduced: bool = False) -> bool:
    """A capitalised text line without final punctuation that could be a list item (not a
    numbered title, a contents line with its page number, a hyphenated line end, or a
    caption, a credit or a link text: "Foto: …", "Kilde: …", "Se hele …" are captions
    however many stand together, and not counted, unless a line ending in a colon
    introduces them as points, ``introduced``: "Vi foreslår:" / "Flere kurs" / "Les mer
    om ordningen på nettsiden")."""
    content = raw[line.start : line.end].strip()
    return (
        line.kind == "text"
        and bool(nb_words.STARTS_UPPER.match(content))
        and (introduced or not content.lower().startswith(nb_layout.CAPTION_PREFIXES))
        and not nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(content)
        and not content.endswith(("-", "\u00ad", "–"))
        and not nb_layout.SECTION_NUMBER_LINE.match(content)
        and not _ENDS_WITH_PAGE_NUMBER.search(content)
    )


def trailing_point_count(raw: str, lines: list[Line]) -> int:
    """How many of the last lines of a block of typed text, which a blank line or the end
    of the text ends (or body text or a list straight below), are points below its last
    sentence, one item each (0: none): two or
    more lines after the last line that ends a sentence, each a short unmarked point
    (``_is_unmarked_item``, at most ``titles.POINT_WORDS`` words, not running on into the
    next line: "… i", "… og", a comma), below a sentence that
    ``titles.points_below_sentence`` takes for one over points ("Vi har snakket med
    kommunen om dette." / "Mer praksis" / "Bedre tolketjeneste"). Without this, two such
    points were one unit with the sentence ("Mer praksis Bedre tolketjeneste"); one point
    alone stays with its sentence, as it may be that sentence's last part."""
    end = titles.last_sentence_end(raw, lines)
    points = lines[end + 1 :] if end is not None else []
    if len(points) < 2 or not titles.points_below_sentence(raw, lines):
        return 0
    texts = [raw[line.start : line.end] for line in points]
    short = all(len(text.split()) <= titles.POINT_WORDS for text in texts)
    unmarked = all(_is_unmarked_item(raw, line) for line in points)
    return len(points) if short and unmarked and not any(map(nb_layout.runs_on, texts)) else 0


def introduced_point_count(raw: str, lines: list[Line], least: int = 2) -> int:
    """How many of the last lines of a block of typed text are points that its last line
    ending in a colon announces, one item each (0: none): ``least`` lines or more below
    it, each a short unmarked point (``_is_unmarked_item``, at most ``titles.POINT_WORDS``
    words, not running on). ``tema.segment.blocks`` calls it where body text or a list
    follows such points straight below ("Vi foreslår følgende:" / "Mer praksis" / "Bedre
    tolketjeneste" / "Kommunen bør …"), with ``least`` 1 where body text does: one point
    that the colon announces is a point, not a title over the body ("Vi foreslår
    følgende:" / "Arbeid" / "Flere trenger …"); where a blank line ends them,
    ``_introduced_points`` reads them."""
    colon = next(
        (index for index in range(len(lines) - 1, -1, -1) if _ends_in_colon(raw, lines[index])),
        None,
    )
    points = lines[colon + 1 :] if colon is not None else []
    texts = [raw[line.start : line.end] for line in points]
    if (
        len(points) < least
        or any(len(text.split()) > titles.POINT_WORDS for text in texts)
        or any(map(nb_layout.runs_on, texts))
    ):
        return 0
    return len(points) if all(_is_unmarked_item(raw, line, True) for line in points) else 0


def _ends_in_colon(raw: str, line: Line) -> bool:
    return raw[line.start : line.end].rstrip().endswith(":")


def unmarked_list_items(raw: str, groups: list[Group]) -> list[Group]:
    """Lines of notes that list points without markers become bullet items: a run of text
    blocks whose lines all look like items (``_is_unmarked_item``), ``MIN_UNMARKED_ITEMS``
    lines or more in all, gives one item per line (points with or without blank lines
    between them; otherwise they would be taken for one long heading, and headings are not
    counted as input). Two blocks of several lines each with a blank line between them are
    two runs (a title and a subtitle over two points); a block of prose among them parts
    the run (``_run_groups``). A line above such points that ends
    in a colon is their introduction ("Hva fungerer ikke:"); a line in capitals, or a
    one-line block set apart by a blank line from points of several lines, is a title
    (``_list_title_lines``)."""
    pieces = [piece for group in groups for piece in _introduced_points(raw, group)]
    items: list[Group] = []
    run: list[Group] = []
    for piece in [*pieces, ("end", [])]:
        if run and _is_caption(raw, piece):
            run.append(("caption", piece[1]))  # a photo's caption among points: the run goes on
            continue
        item_like = piece[0] == "text" and all(_is_unmarked_item(raw, line) for line in piece[1])
        points = [lines for kind, lines in run if kind != "caption"]
        if item_like and (not points or _same_run(raw, points[-1], piece[1])):
            run.append(piece)
            continue
        items.extend(_run_groups(raw, run, followed=piece[0] != "end"))
        run = [piece] if item_like else []
        if not item_like and piece[0] != "end":
            items.append(piece)
    return items


def _run_groups(raw: str, run: list[Group], followed: bool) -> list[Group]:
    """The groups of a run of blocks that look like unmarked points: one item per line
    (``_list_title_lines``) where they hold ``MIN_UNMARKED_ITEMS`` lines or more, but for
    a block of prose among them (``_is_prose``: sentences whose last full stop notes left
    out), which is a paragraph and parts the run; the lines on either side of it are
    points where enough stand together, else text (a short line over the prose is its
    title: "Bolig" / "" / "Ventetiden er lang. Mange bor trangt"). A caption among the
    points (``_is_caption``) is neither a point nor prose: it stays a text block of its
    own, in its place."""
    captions = [("text", lines) for kind, lines in run if kind == "caption"]
    run = [piece for piece in run if piece[0] != "caption"]
    if sum(len(lines) for _kind, lines in run) < MIN_UNMARKED_ITEMS:
        return sorted([*run, *captions], key=lambda group: group[1][0].start)
    groups: list[Group] = []
    part: list[Group] = []
    for piece in [*run, ("end", [])]:
        if piece[0] != "end" and not _is_prose(raw, piece[1]):
            part.append(piece)
            continue
        if sum(len(lines) for _kind, lines in part) >= MIN_UNMARKED_ITEMS:
            groups.extend(_list_title_lines(raw, part, followed or piece[0] != "end"))
        else:
            groups.extend(part)
        part = []
        if piece[0] != "end":
            groups.append(("paragraph", piece[1]))
    return sorted([*groups, *captions], key=lambda group: group[1][0].start)


def _is_caption(raw: str, piece: Group) -> bool:
    """Whether ``piece`` is a text block that opens like a photo's caption, a credit or a
    link text ("Foto: …", "Kilde: …", "Se hele …"), as ``headings`` reads captions."""
    kind, lines = piece
    first = raw[lines[0].start : lines[0].end].strip() if lines else ""
    return kind == "text" and first.lower().startswith(nb_layout.CAPTION_PREFIXES)


def _is_prose(raw: str, lines: list[Line]) -> bool:
    """Whether a block is prose, not points: most of its lines hold a sentence end before
    more text (``nb_sentences.holds_sentence_end``); one point of a list may hold two."""
    prose = sum(nb_sentences.holds_sentence_end(raw[line.start : line.end]) for line in lines)
    return 2 * prose > len(lines)


def _same_run(raw: str, before: list[Line], after: list[Line]) -> bool:
    """Whether two blocks of unmarked points are one run: not when both have several lines
    and a blank line stands between them."""
    apart = _blank_between(raw, before[-1], after[0])
    return not (apart and len(before) >= 2 and len(after) >= 2)


def _blank_between(raw: str, upper: Line, lower: Line) -> bool:
    """Whether a blank line stands between two lines of ``raw``."""
    return bool(_BLANK_LINE.search(raw, upper.end, lower.start))


def _introduced_points(raw: str, group: Group) -> list[Group]:
    """A text block of a capitalised line ending in a colon ("Hva fungerer ikke:") over two
    or more unmarked points: the introduction, then each point an item. The colon makes
    the lines points, also one that opens like a caption or a link text ("Les mer om
    ordningen på nettsiden"), but for a credit or a source as the last line ("Figur 2 …",
    "Foto Ola Nordmann"), which stands under the list as under a figure: a caption."""
    kind, lines = group
    if kind != "text" or len(lines) < MIN_UNMARKED_ITEMS:
        return [group]
    opening = raw[lines[0].start : lines[0].end].strip()
    points, under = lines[1:], []
    last = raw[points[-1].start : points[-1].end].strip()
    if last.lower().startswith(nb_layout.CREDIT_PREFIXES):
        points, under = points[:-1], points[-1:]
    if (
        opening.endswith(":")
        and nb_words.STARTS_UPPER.match(opening)
        and len(points) >= MIN_UNMARKED_ITEMS - 1
        and all(_is_unmarked_item(raw, line, introduced=True) for line in points)
    ):
        caption = [("text", under)] if under else []
        return [("text", lines[:1]), *(("bullet", [line]) for line in points), *caption]
    return [group]


def _list_title_lines(raw: str, run: list[Group], followed: bool) -> list[Group]:
    """The lines of a run of unmarked points, one item each, but for a block's first line
    that is a title: all in capitals ("GRUPPE 1 – ARBEID"), or a one-line block set apart
    by a blank line from points of several lines, above them ("Forslag fra gruppe 3" /
    "" / "Flere boliger" / "Mer praksis") or below them, last of the run, when text
    follows the run (the title of that text: "Bakgrunn" / "" / "Prosjektet startet …")."""
    items: list[Group] = []
    for index, (_kind, lines) in enumerate(run):
        following = run[index + 1][1] if index + 1 < len(run) else []
        preceding = run[index - 1][1] if index else []
        first = raw[lines[0].start : lines[0].end]
        letters = [character for character in first if character.isalpha()]
        above_points = len(following) >= 2 and _blank_between(raw, lines[0], following[0])
        below_points = (
            followed
            and not following
            and len(preceding) >= 2
            and _blank_between(raw, preceding[-1], lines[0])
        )
        set_apart = len(lines) == 1 and (above_points or below_points)
        capitals = len(letters) >= 3 and all(character.isupper() for character in letters)
        for position, line in enumerate(lines):
            title = position == 0 and (capitals or set_apart)
            items.append(("text" if title else "bullet", [line]))
    return items
