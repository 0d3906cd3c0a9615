"""tema.serve.input_errors: a manifest the app cannot read is explained in the page's
language, naming the file and line; the command line keeps its English messages."""

from __future__ import annotations

import ast
import importlib
import string
from pathlib import Path

import pytest

from tema.errors import InputError
from tema.ingest.manifest import read_manifest
from tema.serve.batches import read_manifest_file
from tema.serve.input_errors import INPUT_ERRORS, READERS, input_error

ERROR_CLASSES = {"InputError", "UnreadableFile"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _raised() -> list[tuple[str, int, set[str], set[str]]]:
    """Every error the readers raise: (module, line, its codes, the values it gives)."""
    found = []
    for module in READERS:
        source = Path(importlib.import_module(module).__file__ or "")
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ERROR_CLASSES:
                continue
            given = {k.arg: k.value for k in node.keywords if k.arg is not None}
            code = given.get("code")
            codes = {
                c.value
                for c in ast.walk(code or ast.Constant(None))
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            }
            values = set(given) - {"code", "line"}
            for spread in (k.value for k in node.keywords if k.arg is None):
                for part in ast.walk(spread):
                    if isinstance(part, ast.Dict):
                        values |= {k.value for k in part.keys if isinstance(k, ast.Constant)}
            found.append((module, node.lineno, codes, values))
    return found


def test_the_catalogue_says_every_code_in_both_languages_with_the_same_values():
    norwegian, english = INPUT_ERRORS["nb"], INPUT_ERRORS["en"]
    assert set(norwegian) == set(english)
    for code, text in norwegian.items():
        assert _fields(text) == _fields(english[code]), code


def test_every_error_of_the_manifest_readers_has_a_code_worded_in_both_languages():
    """A new error in a module the app reads manifests through, without a code that both
    languages word (and the values their sentences name), fails here."""
    raised = _raised()
    assert {module for module, *_ in raised} == set(READERS)
    used: set[str] = set()
    for module, line, codes, values in raised:
        assert codes, f"{module}:{line} raises an error without a code"
        for code in codes:
            for language in ("nb", "en"):
                assert code in INPUT_ERRORS[language], f"{module}:{line}: {code} ({language})"
                missing = _fields(INPUT_ERRORS[language][code]) - values
                assert not missing, f"{module}:{line}: {code} names {missing}, not given"
        used |= codes
    assert set(INPUT_ERRORS["nb"]) == used  # and no wording of an error nothing raises


XLSX_GARBAGE = b"PK\x03\x04 not really a workbook"

# (manifest file, its bytes, the code, Norwegian and English text, line or None)
CASES = [
    ("manifest.csv", "fil;møte;region;dato\na.txt;M;R;\na.txt;N;R;\n", "listed_twice",
     "manifest.csv, linje 3: «a.txt» står to ganger",
     "manifest.csv, line 3: “a.txt” is listed twice"),
    ("manifest.csv", "file;meeting;region;date\n;M;R;\n", "empty_file_name",
     "manifest.csv, linje 2: filnavnet mangler", "manifest.csv, line 2: empty file name"),
    ("manifest.csv", "fil;møte;sted\na.txt;M;R\n", "missing_columns",
     "linje 1: mangler kolonnen(e) «region», «date»; kolonnene skal være «file», «meeting», "
     "«region», «date» eller på norsk «fil», «møte», «region», «dato» (overskriftsraden har "
     "«fil», «møte», «sted»)", "line 1: missing column(s) “region”, “date”"),
    ("manifest.csv", "Møter 2025\nfil;møte;region;dato\na.txt;M;R;\n", "missing_columns_below",
     "Linje 2 ser ut som overskriftsraden", "Line 2 looks like the header"),
    ("manifest.csv", "file;fil;meeting;region;date\na.txt;a.txt;M;R;\n", "same_column",
     "kolonnene «file» og «fil» er begge «file»-kolonnen",
     "the columns “file” and “fil” are both the “file” column"),
    ("manifest.csv", "file;File;meeting;region;date\n", "column_twice",
     "linje 1: kolonnen «File» står to ganger", "line 1: the column “File” appears twice"),
    ("manifest.csv", "file;meeting;region;date\na.txt;M;R;2025-01-01;Bodø, mars\n",
     "text_beyond", "linje 2: 5 felt, men overskriftsraden har 4; teksten etter siste kolonne "
     "(«Bodø, mars») ville gått tapt", "line 2: 5 fields but the header has 4"),
    ("manifest.csv", "file;meeting;region;date\na.txt;M;R;;\nb.txt;M;R;\n", "moved_text",
     "et skilletegn («;») uten anførselstegn", "an unquoted “;” in a cell"),
    ("manifest.csv", "file\tmeeting\tregion\tdate\na\tM\tR\t\t\nb\tM\tR\t\t\t\n",
     "moved_text_other", "linje 3: 6 felt, men overskriftsraden har 4 og linje 2 har 5; et "
     "skilletegn (tabulator) uten",
     "line 3: 6 fields but the header has 4 and line 2 has 5; an unquoted tab"),
    ("manifest.csv", "\n\nfile;meeting;region;date\na.txt;M;R;\n", "no_header",
     "første rad har ingen kolonnenavn", "no column names in the first row"),
    ("manifest.csv", 'file;meeting;region;date\n"a.txt;M;R;\n', "not_a_table",
     "manifest.csv, linje 2: filen er ikke en tabell tema kan lese (",
     "manifest.csv, line 2: the file is not a table tema can read ("),
    ("manifest.csv", "", "empty", "manifest.csv: filen er tom", "manifest.csv: the file is empty"),
    ("manifest.csv", b"\x00\x01\x02", "binary", "filen er en binærfil, ikke tekst",
     "the file is a binary file, not text"),
    ("manifest.xlsx", XLSX_GARBAGE, "bad_xlsx", "manifest.xlsx: filen er ikke en Excel-fil",
     "manifest.xlsx: the file is not a readable Excel (.xlsx) file"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "code", "nb", "en"), CASES)
def test_a_manifest_error_is_worded_in_the_page_language(
    tmp_path: Path, name: str, content: str | bytes, code: str, nb: str, en: str
):
    path = tmp_path / name
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        read_manifest(path, keep_bad_dates=True)
    assert raised.value.code == code
    english = str(raised.value)  # the command line's message: English, as it was
    assert english.startswith(str(path)) and "linje" not in english
    rows, said = read_manifest_file(path)
    assert rows == {}
    assert nb in said["nb"] and en in said["en"], said
    assert said["nb"].startswith(name) and said["en"].startswith(name)


def test_an_error_without_a_worded_code_keeps_its_english_message():
    error = InputError("data/manifest.csv", "something new", 4)
    assert input_error(error, "nb") == "manifest.csv, linje 4: something new"


def test_a_batch_saved_before_the_error_was_kept_in_both_languages_still_shows_it():
    """batch.json of an older app holds the manifest's error as one English string: the
    batch still opens, and its form shows that error whatever the page's language."""
    from tema.serve.batches import Batch

    old = {"id": "b1", "name": "Mars", "created": "2026-03-01", "origin": "upload"}
    said = "manifest.csv, line 3: 'a.txt' is listed twice"
    batch = Batch.from_dict({**old, "manifest_error": said})
    assert batch.manifest_error == {"nb": said, "en": said}
    assert Batch.from_dict({**old, "manifest_error": ""}).manifest_error == {}


def test_a_language_the_app_does_not_have_is_norwegian_whatever_the_error_names():
    # Before: the sentence fell back to Norwegian, but a delimiter or an empty header in it
    # was looked up in the language itself: a KeyError instead of the message.
    moved = InputError("manifest.csv", "…", 3, code="moved_text", fields=5, width=4,
                       delimiter="\t")  # fmt: skip
    assert input_error(moved, "de") == input_error(moved, "nb")
    assert "(tabulator)" in input_error(moved, "de")
    empty = InputError("m.csv", "…", 1, code="missing_columns", missing=["date"],
                       expected=["file"], norwegian=["fil"], header=[])  # fmt: skip
    assert "(overskriftsraden har ingen kolonner)" in input_error(empty, "de")
