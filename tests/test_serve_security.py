"""tema.serve.security: names, content and folders a browser sends are checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from serve_helpers import fake_zip, minimal_docx, minimal_pdf, minimal_xlsx
from tema.serve.security import (
    Refused,
    check_content,
    check_folder,
    files_in_folder,
    safe_filename,
    sent_name,
)


@pytest.mark.parametrize(
    ("hostile", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\system.ini.md", "system.ini.md"),
        ("C:\\Users\\kari\\Innspill Bodø.PDF", "Innspill Bodø.pdf"),
        (".hidden.txt", "hidden.txt"),
        ("<script>alert(1)</script>.txt", "script_.txt"),
        ("<b onmouseover=x>.txt", "_b onmouseover_x_.txt"),
        ("notat\x00.txt", "notat.txt"),
        ("-rf.csv", "rf.csv"),
        # Names people give their files keep their punctuation (the meeting is the name).
        ("Referat, Ålesund – «høst» 2025.txt", "Referat, Ålesund – «høst» 2025.txt"),
        ("Kari’s & Ola's notater (endelig)!.docx", "Kari’s & Ola's notater (endelig)!.docx"),
        ('a<b>:c"d|e?f*g%h;i.txt', "a_b_c_d_e_f_g_h_i.txt"),
        ("a" * 300 + ".docx", "a" * 115 + ".docx"),
    ],
)
def test_hostile_names_become_safe_base_names(hostile: str, safe: str):
    name = safe_filename(hostile)
    assert name == safe
    assert "/" not in name and "\\" not in name and not name.startswith(".")


@pytest.mark.parametrize(
    ("sent", "name"),
    [
        ("Møte %22Nord%22.txt", 'Møte "Nord".txt'),  # how a browser sends `"`
        ("linje%0Askift%0D.txt", "linje\nskift\r.txt"),
        ("100% ferdig #2 😀.txt", "100% ferdig #2 😀.txt"),  # the rest as it came
        ("C:\\Users\\kari\\a%22b.docx", 'a"b.docx'),
    ],
)
def test_an_uploaded_name_is_the_name_the_user_gave_the_file(sent: str, name: str):
    assert sent_name(sent) == name


def as_a_browser_sends(name: str) -> str:
    """A file name in a form as the WHATWG HTML standard has browsers send it
    ("multipart/form-data encoding"): `"`, CR and LF escaped, `%` not."""
    return name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


@pytest.mark.parametrize(("real", "lookalike"), [("Svar 100%22.txt", 'Svar 100".txt'),
                                                 ("Notat%0A.txt", "Notat\n.txt")])  # fmt: skip
def test_a_name_really_holding_an_escape_is_read_as_the_character_it_escapes(
    real: str, lookalike: str
):
    """The limit (docs/serve.md): a name with a real "%22" (or %0A, %0D) arrives as the
    same bytes as one with `"` (or a line break); the app shows the character, the more
    likely name on a Mac or Linux (Windows allows neither in a file name)."""
    assert as_a_browser_sends(real) == as_a_browser_sends(lookalike)
    assert sent_name(as_a_browser_sends(real)) == lookalike


@pytest.mark.parametrize("hostile", ["..", "../", "/", "....", "\x00\x01"])
def test_names_with_nothing_left_are_refused(hostile: str):
    with pytest.raises(Refused) as caught:
        safe_filename(hostile)
    assert caught.value.key == "bad_name"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notat.txt", "Bolig i Bodø".encode()),
        ("notat.md", b"# Overskrift\n\nTekst"),
        ("svar.csv", "svar;kommune\nFlere boliger;Bodø\n".encode("cp1252")),
        ("utf16.txt", "Bolig".encode("utf-16")),
        ("utf16-no-bom.txt", "Bolig i Bodø\n".encode("utf-16-le")),
        ("mac.txt", "Bjørn på Ærø\n".encode("mac_roman")),
        ("rapport.pdf", minimal_pdf("Bolig i Bodø")),
        ("referat.docx", minimal_docx(["Bolig i Bodø"])),
        ("svar.xlsx", minimal_xlsx([["svar"], ["Flere boliger"]])),
    ],
)
def test_each_type_is_taken_when_its_content_matches(tmp_path: Path, name: str, data: bytes):
    check_content(name, _write(tmp_path, name, data))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("fake.pdf", b"MZ\x90\x00 a program"),
        ("fake.docx", fake_zip("xl/workbook.xml")),  # an Excel file named .docx
        ("fake.xlsx", b"%PDF-1.4 not a workbook"),
        ("fake.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00"),
        ("fake.csv", b"a,b\n\x00\x00\x00"),
        # DOS's "Ø" (0x9D): no character in Windows-1252, and no Mac OS Roman text.
        ("dos.txt", "Møte på Ørland\n".encode("cp850")),
    ],
)
def test_content_that_does_not_match_its_name_is_refused(tmp_path: Path, name: str, data: bytes):
    with pytest.raises(Refused) as caught:
        check_content(name, _write(tmp_path, name, data))
    assert caught.value.key == "bad_content"


def test_unknown_types_are_refused(tmp_path: Path):
    for name in ("script.py", "model.joblib", "data.pkl", "page.html", "noext"):
        with pytest.raises(Refused) as caught:
            check_content(name, _write(tmp_path, "x", b"x"))
        assert caught.value.key == "bad_type"
    # The types named as ingest names them, in the same order as its messages.
    assert caught.value.values["types"] == ".txt, .md, .pdf, .docx, .csv, .tsv, .xlsx"


def test_folders_outside_the_roots_are_refused(tmp_path: Path):
    root = tmp_path / "allowed"
    (root / "batch").mkdir(parents=True)
    outside = tmp_path / "private"
    outside.mkdir()
    assert check_folder(str(root / "batch"), (root,)) == (root / "batch").resolve()
    for typed in (str(outside), str(root / "batch" / ".." / ".." / "private"), "/etc"):
        with pytest.raises(Refused) as caught:
            check_folder(typed, (root,))
        assert caught.value.key == "folder_outside"
    (root / "link").symlink_to(outside)  # a symlink out of the root is followed, then refused
    with pytest.raises(Refused):
        check_folder(str(root / "link"), (root,))
    for typed in (str(root / "missing"), "a\x00b", str(_write(root, "f.txt", b"x"))):
        with pytest.raises(Refused) as caught:
            check_folder(typed, (root,))
        assert caught.value.key == "bad_folder"
    for typed in ("", "   "):  # nothing typed: asked for, not "not found"
        with pytest.raises(Refused) as caught:
            check_folder(typed, (root,))
        assert caught.value.key == "no_folder"


def test_a_folders_files_leave_out_hidden_files_lock_files_and_links_out_of_it(tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    secret = _write(tmp_path, "secret.txt", b"private")
    for name in ("a.txt", "b.pdf", ".hidden.txt", "c.exe", "~$notat.docx"):
        _write(folder, name, b"x")
    os.symlink(secret, folder / "link.txt")
    os.symlink(folder / "a.txt", folder / "inside.txt")
    assert [p.name for p in files_in_folder(folder)] == ["a.txt", "b.pdf", "inside.txt"]
