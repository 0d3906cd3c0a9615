"""tema.io.encodings: a text file read as its writer wrote it, and a warning naming the file
(and its lines) wherever the encoding is a guess."""

from __future__ import annotations

import random
import re
import struct
from pathlib import Path

import pytest

from serve_helpers import minimal_docx, minimal_pdf
from tema.errors import UnreadableFile
from tema.io.encodings import decode, decode_text, is_plain_text
from tema.io.tables import read_table

NOTE = "Hei på deg\nMøtet i Tromsø handlet om blåbær, ærlighet og «Øyvind»s brygge.\n"
# Norwegian text as people write it: every letter Windows-1252 and Mac OS Roman differ in.
SENTENCES = [
    "Bjørn på Ærø\n",
    "Vi så på økonomien i Ålesund og Østfold.\n",
    "Blåbær og røde epler – et «godt» år; € 250 på Café Ærlig…\n",
    "Møtet i Tromsø handlet om skolen, og om været.\n",
]


def test_utf8_misread_as_latin1_is_repaired():
    garbled = "Første møte i Tromsø".encode().decode("latin-1")
    assert "Ã¸" in garbled
    assert decode_text(garbled.encode("utf-8"), "x.txt") == "Første møte i Tromsø"


@pytest.mark.parametrize("cut", [1, 3])
def test_a_damaged_utf16_file_is_unreadable_not_a_crash(cut: int):
    """Notepad's "Unicode" (UTF-16 with its byte-order mark) cut off mid-character."""
    raw = "Møte på Ørland\r\n".encode("utf-16")[:-cut]
    with pytest.raises(UnreadableFile, match=r"x\.txt: is UTF-16 text that is damaged"):
        decode_text(raw, "x.txt")


# --- Warnings name the lines, whatever ends them --------------------------------------------
LINE_ENDS = {"unix": "\n", "windows": "\r\n", "old-mac": "\r"}


@pytest.mark.parametrize("end", sorted(LINE_ENDS))
def test_one_windows_1252_byte_in_a_utf8_file_is_named_by_its_line(end: str):
    """Read whole as Windows-1252, the file's UTF-8 letters came out as "Ã¥" (ftfy leaves a
    line with a genuine cp1252 "€" alone); the warning names the line to check, also in a
    file with an old Mac's line ends ("\\r" alone), where counting "\\n" said line 1."""
    lines = ["Møtet startet.", "Blåbær koster ", " nå.", "Siste linje."]
    newline = LINE_ENDS[end]
    raw = (
        f"{lines[0]}{newline}{lines[0]}{newline}{lines[1]}".encode()
        + "5 €".encode("cp1252")
        + f"{lines[2]}{newline}{lines[3]}{newline}".encode()
    )
    with pytest.warns(
        UserWarning, match=r"^x\.txt: not UTF-8 throughout: 1 byte\(s\) on line 3 read as "
    ):
        text = decode_text(raw, "x.txt")
    assert text == newline.join([lines[0], lines[0], "Blåbær koster 5 € nå.", lines[3], ""])


@pytest.mark.parametrize("end", sorted(LINE_ENDS))
@pytest.mark.parametrize("warn", [True, False])
def test_bytes_windows_1252_has_no_character_for_are_named_by_line(end: str, warn: bool):
    """ "Ørland" from a DOS program (cp850: Ø is 0x9D) is not Norwegian in Windows-1252:
    a table, read as Windows-1252 without a word, says so too, and how to mend it."""
    newline = LINE_ENDS[end]
    raw = f"Første linje{newline}Andre{newline}".encode("cp1252") + "Møte på Ørland".encode("cp850")
    with pytest.warns(UserWarning) as said:
        text = decode_text(raw, "x.csv", warn=warn)
    (message,) = [str(warning.message) for warning in said]
    assert message.startswith("x.csv: not UTF-8, and line 3 has byte(s) that Windows-1252")
    assert message.endswith("Open it in a text editor and save it as UTF-8")
    # cp850's ø and å are Windows-1252's "›" and "†"; its Ø none: kept as a mark, not dropped.
    assert text == f"Første linje{newline}Andre{newline}M›te p† \ufffdrland"


def test_more_lines_than_a_warning_names_are_counted():
    raw = "".join(f"Linje {n}: Ørland\n" for n in range(1, 14)).encode("cp850")
    with pytest.warns(UserWarning, match=r"lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 3 more have"):
        decode_text(raw, "x.txt")


def test_a_windows_1252_text_file_is_read_with_a_warning():
    with pytest.warns(UserWarning, match=r"x\.txt: not UTF-8; read as Windows-1252") as said:
        assert decode_text("Tromsø".encode("cp1252"), "x.txt") == "Tromsø"
    assert "save it as UTF-8" in str(said[0].message)


# --- UTF-16 without a byte-order mark ------------------------------------------------------
@pytest.mark.parametrize(
    ("codec", "named"),
    [("utf-16-le", "UTF-16 (little-endian"), ("utf-16-be", "UTF-16 (big-endian")],
)
def test_utf16_without_a_byte_order_mark_is_read_as_written(codec: str, named: str):
    text = NOTE + "Pris: 250 € – “billig” 🙂\n"
    with pytest.warns(UserWarning, match=rf"^notat\.txt: not UTF-8; read as {re.escape(named)}"):
        assert decode_text(text.encode(codec), "notat.txt") == text


def test_a_utf16_table_without_a_byte_order_mark_is_read(tmp_path: Path):
    path = tmp_path / "svar.csv"
    path.write_bytes("svar;kommune\nHei på deg;Bodø\n".encode("utf-16-le"))
    with pytest.warns(UserWarning, match=r"svar\.csv: not UTF-8; read as UTF-16"):
        table = read_table(path)
    assert (table.header, table.rows) == (["svar", "kommune"], [(2, ["Hei på deg", "Bodø"])])


BINARIES = {
    "zip": lambda: minimal_docx(["Bolig i Bodø", "Flere boliger"]),
    "zeros": lambda: bytes(512),
    "png": lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    # NUL at every other byte, as UTF-16 has, but for control characters: numbers, not text
    "16-bit-numbers": lambda: struct.pack("<64H", *range(1, 32), *range(1, 32), 9, 10),
    "utf16-cut-off": lambda: NOTE.encode("utf-16-le")[:-1],
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_a_binary_file_is_not_taken_for_utf16(kind: str):
    with pytest.raises(UnreadableFile, match=r"x\.txt: is a binary file, not text"):
        decode(BINARIES[kind](), "x.txt")


def test_random_bytes_are_never_taken_for_utf16_or_mac_roman():
    for seed in range(200):
        raw = random.Random(seed).randbytes(random.Random(seed).choice([64, 512, 4096]))
        try:
            _text, encoding = decode(raw, "x.txt")
        except UnreadableFile:
            continue
        assert encoding == "cp1252", seed  # no NUL in it: read as it always was


def test_a_pdf_without_nul_is_read_as_before_not_as_utf16_or_mac_roman():
    """A PDF (its text uncompressed, no NUL) renamed .txt reads as Windows-1252, as before."""
    assert decode(minimal_pdf("Bolig i Bodø"), "x.txt")[1] == "cp1252"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "mac_roman"])
def test_a_note_in_any_encoding_tema_reads_is_plain_text(codec: str):
    assert is_plain_text(NOTE.encode(codec))
    assert all(is_plain_text(sentence.encode(codec)) for sentence in SENTENCES)


NOT_PLAIN = {
    **BINARIES,
    "pdf": lambda: minimal_pdf("Bolig i Bodø"),  # no NUL, and text where it is not compressed
    "pdf-cut-off": lambda: minimal_pdf("Bolig i Bodø")[:300],
    "rtf": lambda: b"{\\rtf1\\ansi Bolig i Bod\\'f8}",
    "web-page": lambda: b"<html><body><p>Bolig</p></body></html>",
    "control-characters": lambda: b"Bolig\x1b[31m i Bod\x07",
}


@pytest.mark.parametrize("kind", sorted(NOT_PLAIN))
def test_a_binary_or_a_marked_up_file_is_not_plain_text(kind: str):
    assert not is_plain_text(NOT_PLAIN[kind]())


def test_random_bytes_are_never_plain_text():
    for seed in range(200):
        raw = random.Random(seed).randbytes(random.Random(seed).choice([64, 512, 4096]))
        assert not is_plain_text(raw), seed


# --- Mac OS Roman ----------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", SENTENCES)
def test_norwegian_from_an_old_mac_is_read_as_written(sentence: str):
    """Read as Windows-1252, "Bjørn på Ærø" was "Bj¿rn pŒ ®r¿"."""
    with pytest.warns(UserWarning, match=r"^x\.txt: not UTF-8; read as Mac OS Roman"):
        assert decode_text(sentence.encode("mac_roman"), "x.txt") == sentence


WINDOWS_1252_SENTENCES = [
    *SENTENCES,
    # Characters that are Norwegian letters in Mac OS Roman where Windows-1252 text has
    # them: "®" after a name, "¾" alone, "¿" opening a question, "Œ" a capital.
    "Word® og Excel® fra 2019, ¾ av svarene.\n",
    "¿Qué? sa han. Œuvre og Ærlig.\n",
]


@pytest.mark.parametrize(
    ("codec", "sentence"),
    [
        (codec, sentence)
        for codec in ("cp1252", "latin-1")
        for sentence in WINDOWS_1252_SENTENCES
        if codec == "cp1252" or max(sentence) < "\u0100"
    ],
)
def test_windows_1252_and_latin1_norwegian_is_not_taken_for_mac_roman(codec: str, sentence):
    with pytest.warns(UserWarning, match=r"read as Windows-1252"):
        assert decode_text(sentence.encode(codec), "x.txt") == sentence


def test_mac_roman_not_recognised_still_says_how_to_mend_it():
    """One "å" alone ("å lese") is too little to tell: read as Windows-1252 ("Œ"), with a
    warning that says what to do if it looks wrong."""
    with pytest.warns(UserWarning, match=r"If its æ, ø and å look wrong.*save it as UTF-8"):
        assert decode_text("Lett å lese\n".encode("mac_roman"), "x.txt") == "Lett Œ lese\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (NOTE.encode("utf-8"), "utf-8-sig"),
        (NOTE.encode("utf-8-sig"), "utf-8-sig"),
        (NOTE.encode("utf-16"), "utf-16"),
        (NOTE.encode("cp1252"), "cp1252"),
    ],
)
def test_the_encodings_tema_always_read_are_read_as_before(raw: bytes, encoding: str):
    assert decode(raw, "x.txt") == (NOTE, encoding)
