"""The errors of a file the app reads (a manifest and the table reader under it), in the
page's language.

tema's readers raise `InputError`s in English for the command line, each with a `code` and
the `values` it names (`tema.errors.InputError`); here each code is worded in Norwegian
bokmål and English, as data, with the file and line in front ("manifest.csv, linje 3:
…"). The modules whose errors the app shows are `READERS`; a test walks every error they
raise, so a new one without both languages fails it.
"""

from __future__ import annotations

from pathlib import Path

from tema.errors import InputError
from tema.report.model_text import QUOTES

# The modules the app reads a manifest through (`tema.ingest.manifest.read_manifest`).
READERS = (
    "tema.ingest.manifest",
    "tema.io.tables",
    "tema.io.delimiters",
    "tema.io.excel",
    "tema.io.encodings",
)

WHERE = {
    "nb": {"line": "{file}, linje {line}: {text}", "file": "{file}: {text}"},
    "en": {"line": "{file}, line {line}: {text}", "file": "{file}: {text}"},
}

# An empty list (a header without column names).
NONE = {"nb": "ingen kolonner", "en": "no columns"}
# A field separator as the message names it (others are shown in quotes).
DELIMITER_NAMES = {"nb": {"\t": "tabulator"}, "en": {"\t": "tab"}}

INPUT_ERRORS: dict[str, dict[str, str]] = {
    "nb": {
        "two_manifests": "mappen har både {first} og {second}; behold ett manifest",
        "manifest_not_found": "fant ikke manifestet",
        "manifest_type": "et manifest er en .csv- eller .xlsx-tabell",
        "missing_columns": "mangler kolonnen(e) {missing}; kolonnene skal være {expected} "
        "eller på norsk {norwegian} (overskriftsraden har {header})",
        "missing_columns_below": "mangler kolonnen(e) {missing}; kolonnene skal være "
        "{expected} eller på norsk {norwegian} (overskriftsraden har {header}). Linje {below} "
        "ser ut som overskriftsraden: kolonnenavnene må stå på første rad; slett radene over",
        "same_column": "kolonnene {first} og {second} er begge {column}-kolonnen (én på "
        "engelsk og én på norsk, eller to skrivemåter); behold én",
        "empty_file_name": "filnavnet mangler",
        "listed_twice": "{file} står to ganger",
        "bad_date": "{date} er ikke en dato som finnes, skrevet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ",
        "columns_gone": "kolonnen(e) {missing} som tema skrev, er borte",
        "is_folder": "er en mappe, ikke en fil",
        "not_found": "fant ikke filen",
        "cannot_read": "filen kan ikke leses ({detail})",
        "empty": "filen er tom",
        "not_a_table": "filen er ikke en tabell tema kan lese ({detail})",
        "encoding_changes": "filen kan ikke leses: tegnkodingen er en annen enn i starten av "
        "filen ({detail})",
        "no_header": "første rad har ingen kolonnenavn: kolonnenavnene må stå på første rad; "
        "slett de tomme radene over",
        "column_twice": "kolonnen {column} står to ganger i overskriftsraden",
        "text_beyond": "{fields} felt, men overskriftsraden har {width}; teksten etter siste "
        "kolonne ({text}) ville gått tapt. Sett celler som inneholder skilletegnet, i "
        "anførselstegn",
        "moved_text": "{fields} felt, men overskriftsraden har {width}; et skilletegn "
        "({delimiter}) uten anførselstegn i en celle flytter teksten etter det til neste "
        "kolonne. Sett celler som inneholder skilletegnet, i anførselstegn",
        "moved_text_other": "{fields} felt, men overskriftsraden har {width} og linje {other} "
        "har {narrowest}; et skilletegn ({delimiter}) uten anførselstegn i en celle flytter "
        "teksten etter det til neste kolonne. Sett celler som inneholder skilletegnet, i "
        "anførselstegn",
        "bad_xlsx": "filen er ikke en Excel-fil (.xlsx) tema kan lese ({detail})",
        "old_office": "filen er en gammel Office-fil eller passordbeskyttet: åpne den, fjern "
        "eventuelt passord og lagre den som .xlsx",
        "no_sheet": "finner ikke arket {sheet}; arkene er {sheets}",
        "damaged_utf16": "filen er UTF-16-tekst som er skadet eller kuttet ved byte {byte}",
        "binary": "filen er en binærfil, ikke tekst",
    },
    "en": {
        "two_manifests": "the folder has both {first} and {second}; keep one manifest",
        "manifest_not_found": "manifest not found",
        "manifest_type": "a manifest is a .csv or .xlsx table",
        "missing_columns": "missing column(s) {missing}; expected {expected} or in Norwegian "
        "{norwegian} (the header has {header})",
        "missing_columns_below": "missing column(s) {missing}; expected {expected} or in "
        "Norwegian {norwegian} (the header has {header}). Line {below} looks like the header: "
        "the header row (the column names) must be the first row; delete the rows above it",
        "same_column": "the columns {first} and {second} are both the {column} column (one in "
        "English, one in Norwegian, or two spellings); keep one",
        "empty_file_name": "empty file name",
        "listed_twice": "{file} is listed twice",
        "bad_date": "{date} is not a date that exists, written YYYY-MM-DD or DD.MM.YYYY",
        "columns_gone": "the column(s) {missing} that tema wrote are gone",
        "is_folder": "is a folder, not a file",
        "not_found": "not found",
        "cannot_read": "the file cannot be read ({detail})",
        "empty": "the file is empty",
        "not_a_table": "the file is not a table tema can read ({detail})",
        "encoding_changes": "the file cannot be read: not the encoding of its start ({detail})",
        "no_header": "no column names in the first row: the header row (the column names) must "
        "be the first row; delete the empty rows above it",
        "column_twice": "the column {column} appears twice in the header",
        "text_beyond": "{fields} fields but the header has {width}; text beyond the last column "
        "({text}) would be lost. Put cells holding the delimiter in quotes",
        "moved_text": "{fields} fields but the header has {width}; an unquoted {delimiter} in a "
        "cell moves the text after it into the next column. Put cells holding the delimiter "
        "in quotes",
        "moved_text_other": "{fields} fields but the header has {width} and line {other} has "
        "{narrowest}; an unquoted {delimiter} in a cell moves the text after it into the next "
        "column. Put cells holding the delimiter in quotes",
        "bad_xlsx": "the file is not a readable Excel (.xlsx) file ({detail})",
        "old_office": "the file is an old Office file or password-protected: open it, remove "
        "any password and save it as .xlsx",
        "no_sheet": "no sheet {sheet}; the sheets are {sheets}",
        "damaged_utf16": "the file is UTF-16 text that is damaged or cut off at byte {byte}",
        "binary": "the file is a binary file, not text",
    },
}

# Values that are the user's own text (names, cells, dates): shown in the language's quotes.
QUOTED = frozenset(
    {"missing", "expected", "norwegian", "header", "first", "second", "file", "date"}
    | {"column", "text", "sheet", "sheets"}
)


def input_error(error: InputError, language: str, file: str = "") -> str:
    """`error` in `language` ("nb" or "en"), naming `file` (default: the name of the
    error's file) and the line; an error without a worded code: its English message. A
    language the app does not have is Norwegian."""
    language = language if language in INPUT_ERRORS else "nb"
    template = INPUT_ERRORS[language].get(error.code)
    if template is None:
        text = error.reason
    else:
        values = {key: _shown(key, value, language) for key, value in error.values.items()}
        text = template.format(**values)
    where = WHERE[language]["file" if error.line is None else "line"]
    return where.format(file=file or Path(error.path).name, line=error.line, text=text)


def _shown(key: str, value: object, language: str) -> str:
    quote = QUOTES[language]
    if key == "delimiter":
        text = str(value)
        return DELIMITER_NAMES[language].get(text) or quote.format(text)
    if isinstance(value, list | tuple):
        return ", ".join(quote.format(item) for item in value) or NONE[language]
    return quote.format(value) if key in QUOTED else str(value)
