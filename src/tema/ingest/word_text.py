"""The text of a Word (.docx) paragraph as a reader of the document sees it.

python-docx's own `Paragraph.text` reads only the runs directly under a paragraph, so text
that real documents keep elsewhere would be lost without a word: insertions of tracked
changes that were never accepted (`w:ins`, `w:moveTo`), content controls of templates
(`w:sdt`), smart tags, fields' results, and symbols (`w:sym`). `paragraph_text` walks the
XML itself and keeps every run a reader sees; it leaves out hidden text (`w:vanish`),
deleted and moved-away text (`w:del`, `w:moveFrom`), the fallback copy of a drawing
(`mc:Fallback`), text boxes (`text_boxes`: read as paragraphs of their own) and a content
control still showing its placeholder (`wrapped` opens the others). What each paragraph
is, and tables, are `tema.ingest.word`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# WordprocessingML's namespace, as lxml writes it before a tag (f"{W}p": a paragraph).
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TEXT_BOX = f"{W}txbxContent"
_CONTROL_CONTENT = f"{W}sdtContent"
# Runs under these are not what the document says now (tracked deletions and moves).
_REMOVED = frozenset({f"{W}del", f"{W}moveFrom"})
# Under these, text says again what is read elsewhere: a drawing's fallback copy, and a
# text box (read as paragraphs of its own).
_ELSEWHERE = frozenset({f"{_MC}Fallback", _TEXT_BOX})
# Elements that only wrap paragraphs, tables or rows: content controls and custom XML.
_WRAPPERS = frozenset({f"{W}sdt", f"{W}customXml"})
# The values of w:val that switch a Word on/off property on (w:val absent is on too).
ON = frozenset({"1", "true", "on"})

# The Symbol font's codes 0x20–0xFE as Unicode (Adobe's Symbol encoding, the Greek letters
# and angle brackets as letters and brackets); "\0" where a code draws no character of its
# own (a piece of a tall bracket, or nothing).
SYMBOL_FONT = (
    " !∀#∃%&∋()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_"
    "\0αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼" + "\0" * 33
    + "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…\0\0↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓"
    "◊〈®©™∑" + "\0" * 11 + "〉∫⌠\0⌡" + "\0" * 9
)  # fmt: skip


def wrapped(element: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """The children of `element` with one of `tags`, in order, also those inside content
    controls and custom XML (a template wraps paragraphs so, a repeating section of a form
    its rows); not a control that still shows its placeholder."""
    for child in element.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS and not _placeholder(child):
            content = child.find(_CONTROL_CONTENT)
            yield from wrapped(content if content is not None else child, tags)


def _placeholder(control: Any) -> bool:
    """A content control that shows its placeholder text, not text someone wrote."""
    properties = control.find(f"{W}sdtPr")
    return properties is not None and properties.find(f"{W}showingPlcHdr") is not None


def paragraph_text(paragraph: Any) -> str:
    """The text of a `w:p` element as a reader sees it: every run that is not hidden,
    deleted, moved away, a drawing's fallback copy, inside a text box or a control's
    placeholder."""
    parts = []
    for run in paragraph.iter(f"{W}r"):
        if not _hidden(run) and not _inside(run, paragraph, is_run=True):
            parts.append(_run_text(run))
    return "".join(parts)


def _hidden(run: Any) -> bool:
    """A run formatted as hidden text (w:vanish; Word's "Skjult", Ctrl+Shift+H), which Word
    does not show or print: notes to oneself, a template's instructions. Only the run's own
    formatting is read, as Word's font dialog sets it; a character style that hides text
    is not followed."""
    properties = run.find(f"{W}rPr")
    return properties is not None and switched_on(properties.find(f"{W}vanish"))


def _inside(element: Any, paragraph: Any, is_run: bool) -> bool:
    """Whether `element` of `paragraph` stands in something that hides it: for a run
    (`is_run`), deleted or moved text, a fallback copy, a text box, a placeholder; for a
    text box, a fallback copy or another text box (read with that box). Hidden text
    (w:vanish) is a run's own property, not where it stands: `_hidden`."""
    element = element.getparent()
    while element is not None and element is not paragraph:
        tag = element.tag
        if tag in _ELSEWHERE:
            return True
        if is_run and (
            tag in _REMOVED or (tag == _CONTROL_CONTENT and _placeholder(element.getparent()))
        ):
            return True
        element = element.getparent()
    return False


def _run_text(run: Any) -> str:
    parts = []
    for child in run.iterchildren():
        tag = child.tag
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            parts.append("\t")
        elif tag == f"{W}br":
            # A page or column break inside a paragraph still separates words.
            parts.append(" " if child.get(f"{W}type") in ("page", "column") else "\n")
        elif tag == f"{W}cr":
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{W}sym":
            parts.append(_symbol_text(child))
    return "".join(parts)


def _symbol_text(symbol: Any) -> str:
    """The character of a `w:sym` (Insert > Symbol): a Symbol-font code (stored as F020–F0FE,
    or 0020–00FE) as its Unicode character ("≥" for F0B3); any other code as stored, which
    for Wingdings and other picture fonts is a private-use character, as PDF extraction
    gives their bullets too (segmentation knows those); "" for a damaged code."""
    code = hex_value(symbol.get(f"{W}char"))
    if code is None or code < 0x20 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return ""
    symbol_code = code & 0xFF
    if (
        (symbol.get(f"{W}font") or "").strip().lower() == "symbol"
        and code >> 8 in (0x00, 0xF0)
        and 0x20 <= symbol_code < 0x20 + len(SYMBOL_FONT)
        and SYMBOL_FONT[symbol_code - 0x20] != "\0"
    ):
        return SYMBOL_FONT[symbol_code - 0x20]
    return chr(code)


def text_boxes(paragraph: Any) -> list[Any]:
    """The text boxes anchored in a paragraph, each once (not its drawing's fallback copy,
    not a box inside another box: that one is read with its box)."""
    return [box for box in paragraph.iter(_TEXT_BOX) if not _inside(box, paragraph, is_run=False)]


def switched_on(toggle: Any) -> bool:
    """Whether a Word on/off property (w:b, w:vanish, w:tblHeader …) is present and on: it
    is on without a w:val, and off with w:val "0", "false" or "off"."""
    return toggle is not None and toggle.get(f"{W}val", "1") in ON


def hex_value(text: str | None) -> int | None:
    """The number a hexadecimal attribute value writes; None for none or a damaged one."""
    try:
        return int(text or "", 16)
    except ValueError:
        return None
