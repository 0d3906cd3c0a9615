"""The encoding of a text file people give tema (a .txt or .md document, a CSV table), and
its text as written.

`decode` decides, in this order: UTF-16 with its byte-order mark (Notepad's "Unicode");
UTF-16 without one (`utf16_without_bom`: some export tools write it); bytes with any other
NUL in them are no text at all (an image or a program renamed); UTF-8 with or without a
byte-order mark; Mac OS Roman, when its Norwegian letters show it (`is_mac_roman`); else
Windows-1252, which decodes any byte (Excel in a Norwegian locale saves "CSV" in it).
`decode_text` adds what a reader of people's files needs: a UTF-8 file with a few
Windows-1252 bytes pasted in is read as UTF-8 with those bytes as Windows-1252,
double-encoded UTF-8 ("Ã¸") is repaired, and a warning names the file (and the lines)
whenever the encoding was a guess.

charset-normalizer (installed with requests) is not used: it reads Norwegian Windows-1252
and Mac OS Roman text as Central European (cp1250: "Bjżrn"), and the two guesses made here
are narrow ones it does no better.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from tema.errors import UnreadableFile
from tema.messages import numbered

# Line ends as `open()` and `csv` take them (so a warning's line is the line a table's row
# is numbered by): Windows' "\r\n", "\n", and an old Mac's "\r" alone.
_LINE_END = re.compile(r"\r\n?|\n")
# Pairs that only appear when UTF-8 was decoded as Latin-1/cp1252 somewhere upstream
# ("Ã¸" for "ø"); such text is repaired rather than passed on garbled.
_MOJIBAKE_MARKERS = ("Ã¸", "Ã¥", "Ã¦", "Ã˜", "Ã…", "Ã†", "Ã©")
# A byte that is not UTF-8, as `bytes.decode(errors="surrogateescape")` keeps it.
_STRAY_BYTE = re.compile("[\udc80-\udcff]")
# What Windows-1252 decodes its five undefined bytes (0x81 0x8D 0x8F 0x90 0x9D) to.
_NOT_CP1252 = re.compile("\ufffd")

# UTF-16 without a byte-order mark: of mostly Latin text (Norwegian letters included, all
# below U+0100) most characters have a NUL for their high byte. The share is low enough
# for text full of quotes, dashes and "€" (each a high byte that is not NUL) and far above
# what a binary file (a PDF, a zip, an image) has at every other byte.
_UTF16_NUL_SHARE = 0.7
# Control characters (Unicode's Cc) but those text has (tab, line ends, form feed): one in
# a would-be UTF-16 text makes it a binary (runs of NUL bytes, small numbers of two bytes).
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ASCII = bytes(range(0x80))

# Mac OS Roman's æ ø å (0xBE 0xBF 0x8C) after a lowercase letter ("Bjørn", "på"), or its
# Æ Ø Å (0xAE 0xAF 0x81) before one ("Ærlig", "Østfold", "Ålesund"). Read as Windows-1252
# that is "Bj¿rn", "pŒ", "®rlig", "¯stfold" and an undefined byte: no Windows-1252 text
# has them so ("¿" opens a Spanish question, "®" follows a name, "Œ" is a capital).
_MAC_NORWEGIAN_LETTER = re.compile(rb"[a-z][\xbe\xbf\x8c]|[\xae\xaf\x81][a-z]")
# Every character other than ASCII that a Norwegian text read as Mac OS Roman may hold.
# Windows-1252's æ, ø, å (0xE6 0xF8 0xE5, Æ Ø Å 0xC6 0xD8 0xC5) are "Ê ¯ Â ∆ ÿ ≈" in Mac
# OS Roman, and its «, », é are "´ ª È": none of them is here, so a Windows-1252 file with
# one Norwegian letter (or a guillemet, or an é) is never taken for Mac OS Roman.
_MAC_NORWEGIAN = frozenset("æøåÆØÅéÉèêëáàäöüÄÖÜóòôçñ«»“”‘’„–—…•€°§\xa0")


def decode(raw: bytes, path: str | Path) -> tuple[str, str]:
    """Text and the Python codec it was read with: "utf-16" (with its byte-order mark),
    "utf-16-le" or "utf-16-be" (without), "utf-8-sig", "mac_roman" or "cp1252" (see the
    module's docstring). Bytes with NUL in them that are not UTF-16 are refused
    (`UnreadableFile`): an image or a program renamed, not text in any encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            # A file cut off mid-character (an odd number of bytes) or with half a character
            # pair: one damaged file must not stop the batch.
            raise UnreadableFile(
                path,
                f"is UTF-16 text that is damaged or cut off at byte {exc.start}",
                code="damaged_utf16",
                byte=exc.start,
            ) from exc
    if b"\x00" in raw:
        utf16 = utf16_without_bom(raw)
        if utf16 is None:
            raise UnreadableFile(path, "is a binary file, not text", code="binary")
        return raw.decode(utf16), utf16
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    if is_mac_roman(raw):
        return raw.decode("mac_roman"), "mac_roman"
    return raw.decode("cp1252", errors="replace"), "cp1252"


def utf16_without_bom(raw: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when `raw` is UTF-16 text without a byte-order mark:
    an even number of bytes, a NUL for the high byte of most characters, and no control
    character a text does not have. Else None."""
    if len(raw) % 2:
        return None
    half = len(raw) // 2
    for codec, high in (("utf-16-le", raw[1::2]), ("utf-16-be", raw[::2])):
        if high.count(0) < _UTF16_NUL_SHARE * half:
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:  # half a surrogate pair: not text
            return None
        return None if _NOT_TEXT.search(text) else codec
    return None


def is_mac_roman(raw: bytes) -> bool:
    """Whether bytes that are not UTF-8 are Norwegian text from an old Mac (Mac OS Roman):
    an æ, ø or å of Mac OS Roman stands in a word as Norwegian has it
    (`_MAC_NORWEGIAN_LETTER`), and every character beyond ASCII is one Norwegian text has
    (`_MAC_NORWEGIAN`) when read as Mac OS Roman."""
    if not _MAC_NORWEGIAN_LETTER.search(raw):
        return False
    beyond_ascii = bytes(set(raw.translate(None, delete=_ASCII)))
    return set(beyond_ascii.decode("mac_roman")) <= _MAC_NORWEGIAN


def decode_text(raw: bytes, path: str | Path, warn: bool = True) -> str:
    """`decode`, with double-encoded UTF-8 repaired, and a warning naming the file when
    its encoding is a guess (UTF-16 without a byte-order mark, Mac OS Roman, a few
    Windows-1252 bytes in UTF-8, a byte Windows-1252 has no character for).

    `warn`: say so also when a file is simply read as Windows-1252. Tables do not: Excel in
    a Norwegian locale saves "CSV" in cp1252, so there it is the normal case.
    """
    text, encoding = decode(raw, path)
    mixed = _utf8_with_stray_bytes(raw, path) if encoding in ("cp1252", "mac_roman") else None
    if mixed is not None:
        text = mixed
    elif encoding == "cp1252":
        _warn_windows_1252(text, path, warn)
    elif encoding in _GUESSED:
        warnings.warn(
            f"{path}: not UTF-8; read as {_GUESSED[encoding]}. Check the text, or save the "
            "file as UTF-8",
            stacklevel=2,
        )
    if any(marker in text for marker in _MOJIBAKE_MARKERS):
        import ftfy  # wordfreq's dependency; repairs UTF-8 that was decoded as Latin-1

        # Line by line: a file pasted together from a UTF-8 and a Windows-1252 part is
        # decoded as cp1252 whole, and ftfy leaves text with genuine cp1252 letters alone.
        text = "".join(ftfy.fix_encoding(line) for line in text.splitlines(keepends=True))
    return text


# The encodings `decode` can only guess, as a warning names them.
_GUESSED = {
    "utf-16-le": "UTF-16 (little-endian, as Windows writes it) without a byte-order mark",
    "utf-16-be": "UTF-16 (big-endian) without a byte-order mark",
    "mac_roman": "Mac OS Roman (an old Mac's encoding), by its æ, ø and å",
}


# How a text that is no plain text for all that starts: a PDF whose objects are all written
# as text, and formats Word opens that are text inside (RTF, a web page, XML).
_MARKUP_STARTS = ("%pdf", "{\\rtf", "<")


def is_plain_text(raw: bytes) -> bool:
    """Whether `raw` is plainly text, as a .txt holds it: `decode` reads it without a
    control character text does not have, it is not a PDF, RTF or markup written as text,
    and, read as Windows-1252 or Mac OS Roman (which take any byte), every character beyond
    ASCII is one Norwegian text has (binary data has all sorts). For telling a note saved
    under a Word or PDF name from a damaged file."""
    try:
        text, encoding = decode(raw, "")
    except UnreadableFile:
        return False
    if _NOT_TEXT.search(text) or "\ufffd" in text:
        return False
    if text.lstrip().lower().startswith(_MARKUP_STARTS):
        return False
    if encoding in ("cp1252", "mac_roman"):
        return set(text) - set(_ASCII.decode()) <= _MAC_NORWEGIAN
    return True


def renamed_text_reason(path: str | Path, kind: str) -> str | None:
    """Why a file named .docx or .pdf (a `kind` file: "Word", "PDF") cannot be read, when it
    is plain text under that name (a note saved from a text editor with the name of the
    document it stands for) or empty; else None, and the reader's own reason stands."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None
    if not raw.strip():
        return "is empty"
    if not is_plain_text(raw):
        return None
    return f"is plain text, not a {kind} file: rename it to {Path(path).with_suffix('.txt').name}"


def lines_with(pattern: re.Pattern[str], text: str) -> list[int]:
    """The numbers of the lines of `text` where `pattern` is found, the lines ending as
    `open()` and `csv` end them ("\\r\\n", "\\n", or an old Mac's "\\r" alone)."""
    return [n for n, line in enumerate(_LINE_END.split(text), start=1) if pattern.search(line)]


def _utf8_with_stray_bytes(raw: bytes, path: str | Path) -> str | None:
    """A UTF-8 file with a few bytes of Windows-1252 in it (a line pasted in from an old
    file, a "€" typed in another editor), read as written: UTF-8 where it is UTF-8, each
    stray byte as Windows-1252, with a warning naming their lines. Read whole as cp1252,
    every "ø" of the UTF-8 part would come out as "Ã¸". None when the file has more stray
    bytes than UTF-8 characters: then it is Windows-1252 throughout."""
    # surrogateescape keeps each byte that is not UTF-8 as one character U+DC80..U+DCFF.
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    stray = len(_STRAY_BYTE.findall(text))
    if sum(1 for char in text if char > "\x7f") - stray <= stray:
        return None
    warnings.warn(
        f"{path}: not UTF-8 throughout: {stray} byte(s) on "
        f"{numbered('line', lines_with(_STRAY_BYTE, text))} read as Windows-1252 (Latin-1); "
        "check them, or save the file as UTF-8",
        stacklevel=3,
    )
    return _STRAY_BYTE.sub(
        lambda found: bytes([ord(found[0]) - 0xDC00]).decode("cp1252", errors="replace"), text
    )


def _warn_windows_1252(text: str, path: str | Path, warn: bool) -> None:
    """Say that a file is read as Windows-1252 (when `warn`), and always when it has bytes
    Windows-1252 has no character for: they come out as "�" (in `text`, the file read as
    Windows-1252), a sign that the file is in another encoding (DOS's, where 0x9D is "Ø";
    an old Mac's, where 0x8D is "ç", when `is_mac_roman` could not tell)."""
    lines = lines_with(_NOT_CP1252, text)
    if lines:
        warnings.warn(
            f"{path}: not UTF-8, and {numbered('line', lines)} "
            f"{'has' if len(lines) == 1 else 'have'} byte(s) that Windows-1252 has no "
            'character for, shown as "\ufffd": the file may be in another encoding (an old '
            "Mac's or DOS's). Open it in a text editor and save it as UTF-8",
            stacklevel=3,
        )
    elif warn:
        warnings.warn(
            f"{path}: not UTF-8; read as Windows-1252 (Latin-1). If its æ, ø and å look "
            "wrong, the file is in another encoding: open it in a text editor and save it "
            "as UTF-8",
            stacklevel=3,
        )
