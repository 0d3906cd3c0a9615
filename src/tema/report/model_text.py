"""What the reports say about themselves, the model and skipped files, in the report's language.

`about_lines` say when the report was made, from which batch and with which model (under
the title of report.html and in the method sheet of report.xlsx); `adjusted_text` says
where the confusions that correct the shares come from.

The model card's `description` and its cross-validation `scheme` are English free text for
developers; a Norwegian report must not show them. The model is described from the card's
structured fields instead (`settings.classifier.embeddings` and `cascade_below`,
`context`, `n_training_units`, `settings.cv_folds` …), in either language.

The reasons in ingest's skipped.csv are English sentences from `tema.ingest.readers` and its
format modules (`tema.ingest.pdf`, `tema.ingest.word`). They are translated when shown, by a
stable reason code: a `code` column when skipped.csv has one, else the code recognised from
the known English text (`skip_code`). A reason that is not recognised is shown as it is,
after a general "could not be read".
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import pandas as pd

from tema import __version__
from tema.ingest.readers import types_read
from tema.messages import counted
from tema.numbers import Style, date_text
from tema.report.shares import MIN_IMPORTED_UNITS
from tema.report.summary import Summary

MODEL_WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "tfidf": "Modellen kjenner igjen ord, ordpar og orddeler (TF-IDF på ord og "
        "bokstavgrupper) og sorterer med logistisk regresjon; sikkerheten er kalibrert, slik "
        "at 0,9 betyr omtrent ni av ti riktige.",
        "cascade": "Innspill den er usikker på (sikkerhet under {below}), vurderes i tillegg "
        "av en flerspråklig språkmodell (setningsvektorer fra multilingual-e5-small), og de "
        "to svarene slås sammen.",
        "context": "Et innspill i et dokument leses sammen med inntil {reach} nabosetninger "
        "på hver side og overskriften det står under.",
        "context_one": "Et innspill i et dokument leses sammen med nabosetningen på hver "
        "side og overskriften det står under.",
        "question": "Et svar i en spørreundersøkelse leses sammen med spørsmålet det svarer "
        "på, der tabellen har en spørsmålskolonne.",
        "training": "Trent på {n} håndmerkede innspill.",
        "cv": "Tallene under er kryssvalidert i {folds} deler, gruppert etter merkerunde: "
        "modellen testes hver gang på runder den ikke er trent på. Intervallene er 95 % "
        "bootstrap-intervaller.",
        "cv_plain": "Tallene under er kryssvalidert, gruppert etter merkerunde. Intervallene er "
        "95 % bootstrap-intervaller.",
    },
    "en": {
        "tfidf": "The model recognises words, word pairs and parts of words (TF-IDF on words "
        "and character groups) and sorts with logistic regression; its confidence is "
        "calibrated, so 0.9 means about nine in ten right.",
        "cascade": "Units it is unsure of (confidence below {below}) are also judged by a "
        "multilingual language model (sentence embeddings from multilingual-e5-small), and "
        "the two answers are combined.",
        "context": "A unit of a document is read together with up to {reach} neighbouring "
        "sentences on each side and the heading it stands under.",
        "context_one": "A unit of a document is read together with the neighbouring sentence "
        "on each side and the heading it stands under.",
        "question": "A survey answer is read together with the question it answers, where "
        "the table has a question column.",
        "training": "Trained on {n} hand-labelled units.",
        "cv": "The scores below are cross-validated in {folds} folds grouped by labelling "
        "round: each time the model is tested on rounds it was not trained on. Intervals are "
        "95% bootstrap intervals.",
        "cv_plain": "The scores below are cross-validated, grouped by labelling round. "
        "Intervals are 95% bootstrap intervals.",
    },
}


def describe_model(card: dict[str, Any], style: Style) -> list[str]:
    """Sentences describing the model of `card`, from its structured fields only."""
    words = MODEL_WORDS[style.language]
    if not card:
        return []
    settings = card.get("settings") or {}
    classifier = settings.get("classifier") or {}
    lines = [words["tfidf"]]
    if classifier.get("embeddings", "none") == "cascade":
        below = classifier.get("cascade_below")
        lines.append(words["cascade"].format(below=style.num(below, 2) if below else "?"))
    context = card.get("context") or settings.get("context") or {}
    reach = int(context.get("reach", 0) or 0)
    if reach == 1:
        lines.append(words["context_one"])
    elif reach > 1:
        lines.append(words["context"].format(reach=style.num(reach)))
    if float(context.get("question_weight", 0) or 0) > 0:
        lines.append(words["question"])
    if card.get("n_training_units"):
        lines.append(words["training"].format(n=style.num(card["n_training_units"])))
    if settings.get("cv_folds"):
        lines.append(words["cv"].format(folds=style.num(settings["cv_folds"])))
    elif card.get("cross_validation"):
        lines.append(words["cv_plain"])
    return lines


# (code, pattern of an ingest reader's English reason; named groups are details for the text)
SKIP_PATTERNS: tuple[tuple[str, str], ...] = (
    ("empty", r"is empty"),
    ("binary", r"is a binary file, not text"),
    # A file without an ending (ingest: "unknown file type '(none)'"): it has no type.
    ("no_type", r"unknown file type '\(none\)';"),
    ("unknown_type", r"unknown file type '?(?P<suffix>[^';]*)'?;"),
    ("password", r"is encrypted \(password protected\)"),
    ("encrypted", r"is encrypted and cannot be opened"),
    ("no_text_layer", r"has no text layer \((?P<pages>\d+) page"),
    ("plain_text", r"is plain text, not a (?P<kind>\w+) file: rename it to (?P<name>.+)$"),
    ("bad_pdf", r"is not a readable PDF"),
    ("bad_docx", r"is not a readable Word"),
    ("bad_xlsx", r"is not a readable Excel"),
    ("bad_name", r"the file name cannot be used"),
    ("old_office", r"is an old Office file.*save it as (?P<suffix>\.\w+)"),
    ("header_not_first", r"no text column: .*\. Line (?P<line>\d+) looks like the header"),
    (
        "no_text_column",
        r"no text column: looked for (?P<looked>.*?); the columns are (?P<columns>.*?)\. Name ",
    ),
    ("wrong_text_column", r"column (?P<column>.+?) has no answers, but other columns have text"),
    ("no_answers", r"column (?P<column>.+?) has no answers"),
)
# Details that name columns ("'svar', 'tekst'"), quoted as the report's language quotes.
NAME_LISTS = ("looked", "columns", "column")
QUOTES = {"nb": "«{}»", "en": "“{}”"}
# The word before the last of a list ({types}: the types ingest reads, `types_read`).
LAST_AND = {"nb": "og", "en": "and"}

SKIP_WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "empty": "filen er tom",
        "binary": "filen er ikke tekst (en binærfil)",
        "no_type": "filen har ingen filtype (en endelse som .txt eller .pdf); tema leser {types}",
        "unknown_type": "ukjent filtype «{suffix}»; tema leser {types}",
        "password": "PDF-filen er passordbeskyttet; lagre en kopi uten passord",
        "encrypted": "PDF-filen er kryptert og kan ikke åpnes",
        "no_text_layer": "PDF-filen har ingen tekst ({pages} side(r), trolig skannet); kjør "
        "tekstgjenkjenning (OCR, for eksempel ocrmypdf) og les inn resultatet",
        "plain_text": "filen er ren tekst, ikke en {kind}-fil: gi den navnet {name}",
        "bad_pdf": "filen er ikke en lesbar PDF",
        "bad_docx": "filen er ikke en lesbar Word-fil (.docx)",
        "bad_xlsx": "filen er ikke en lesbar Excel-fil (.xlsx)",
        "bad_name": "filnavnet kan ikke brukes: gi filen et navn med bokstaver eller tall",
        "old_office": "filen er en gammel Office-fil eller passordbeskyttet: åpne den, fjern "
        "et eventuelt passord og lagre den som {suffix}",
        # The CLI's advice (--text-column, params.yaml) is for the terminal; this one works
        # in the app too.
        "header_not_first": "overskriftene (kolonnenavnene) står på rad {line}, men må stå på "
        "første rad: slett radene over dem",
        "no_text_column": "tabellen har ingen kolonne med svar eller tekst (tema ser etter "
        "overskriftene {looked}; filen har {columns}); gi kolonnen med teksten en av de "
        "overskriftene, eller skriv overskriften dens i manifestets kolonne text_column",
        "wrong_text_column": "kolonnen {column} har ingen svar, men andre kolonner har tekst: "
        "skriv overskriften på kolonnen med svarene i manifestets kolonne text_column",
        "no_answers": "kolonnen {column} har ingen svar",
        "other": "filen kunne ikke leses ({reason})",
    },
    "en": {
        "empty": "the file is empty",
        "binary": "the file is not text (a binary file)",
        "no_type": "the file has no type (an ending such as .txt or .pdf); tema reads {types}",
        "unknown_type": "unknown file type '{suffix}'; tema reads {types}",
        "password": "the PDF is password protected; save an unprotected copy",
        "encrypted": "the PDF is encrypted and cannot be opened",
        "no_text_layer": "the PDF has no text ({pages} page(s), probably scanned); run OCR on "
        "it (e.g. ocrmypdf) and ingest the result",
        "plain_text": "the file is plain text, not a {kind} file: rename it to {name}",
        "bad_pdf": "the file is not a readable PDF",
        "bad_docx": "the file is not a readable Word (.docx) file",
        "bad_xlsx": "the file is not a readable Excel (.xlsx) file",
        "bad_name": "the file name cannot be used: give the file a name with letters or digits",
        "old_office": "the file is an old Office file or password-protected: open it, remove "
        "any password and save it as {suffix}",
        "header_not_first": "the column names are on row {line} but must be on the first row: "
        "delete the rows above them",
        "no_text_column": "the table has no column of answers or text (tema looks for the "
        "headings {looked}; the file has {columns}); give the column with the text one of "
        "those headings, or write its heading in the manifest's text_column column",
        "wrong_text_column": "column {column} has no answers, but other columns have text: "
        "write the heading of the column with the answers in the manifest's text_column column",
        "no_answers": "column {column} has no answers",
        "other": "the file could not be read ({reason})",
    },
}


def skip_code(reason: str) -> tuple[str, dict[str, str]]:
    """The stable code of an English skip reason, and the details it names."""
    for code, pattern in SKIP_PATTERNS:
        found = re.search(pattern, reason)
        if found:
            return code, {key: value or "" for key, value in found.groupdict().items()}
    return "other", {}


def skip_reason(item: dict[str, Any], language: str = "nb") -> str:
    """Why a file was skipped, in `language`; `item` is a row of skipped.csv."""
    reason = str(item.get("reason", "") or "")
    code, details = skip_code(reason)
    given = str(item.get("code", "") or "")
    if given in SKIP_WORDS[language]:
        code = given
    words = SKIP_WORDS[language]
    for key in NAME_LISTS:
        if key in details:
            details[key] = _quoted_names(details[key], language)
    try:
        types = types_read(LAST_AND.get(language, "and"))
        return words[code].format(reason=reason, types=types, **details)
    except KeyError:  # a code given without the details its sentence needs
        return words["other"].format(reason=reason)


def _quoted_names(listing: str, language: str) -> str:
    """Column names as ingest lists them, in Python's quotes ('svar', 'tekst'), in the
    language's quotes («svar», «tekst»); a listing without quoted names stays as it is."""
    names = re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", listing)
    if not names:
        return listing
    quote = QUOTES.get(language, QUOTES["en"])
    return ", ".join(quote.format(single or double) for single, double in names)


class LeftOut(Protocol):
    """Input not in the counts: the files skipped (rows of skipped.csv), and the files read
    but with PDF pages (file → pages) or workbook sheets (file → sheet names) not read.
    `Summary` has them, and so does the browser app's report page."""

    skipped: list[dict[str, str]]
    unread_pages: dict[str, list[int]]
    unread_sheets: dict[str, list[str]]


# The lists of input not in the counts, by the key of their heading in TEXTS, in order.
LEFT_OUT_LISTS = ("skipped", "unread_pages", "unread_sheets")


def left_out_lines(left: LeftOut, words: dict[str, str], language: str) -> dict[str, list[str]]:
    """Each list of `LEFT_OUT_LISTS` (possibly empty) as the reports show it, a line per
    file: "file: why it was skipped", "file: side 2, 5 (…)", "file: arket «A» (…)"."""
    return {
        "skipped": [f"{item['file']}: {skip_reason(item, language)}" for item in left.skipped],
        "unread_pages": unread_page_lines(left, words),
        "unread_sheets": unread_sheet_lines(left, words, language),
    }


def unread_page_lines(summary: LeftOut, words: dict[str, str]) -> list[str]:
    """A line per file that was read but some of whose PDF pages were not."""
    return [
        words["unread_pages_line"].format(file=file, pages=", ".join(map(str, pages)))
        for file, pages in summary.unread_pages.items()
    ]


def unread_sheet_lines(summary: LeftOut, words: dict[str, str], language: str) -> list[str]:
    """A line per workbook that was read but some of whose sheets that hold text were not:
    the sheets by their names as written, in the language's quotes, "«A», «B» og «C»"."""
    quote = QUOTES.get(language, QUOTES["en"])
    lines = []
    for file, sheets in summary.unread_sheets.items():
        quoted = [quote.format(sheet) for sheet in sheets]
        if len(quoted) == 1:
            lines.append(words["unread_sheet_line"].format(file=file, sheets=quoted[0]))
        else:
            listed = f"{', '.join(quoted[:-1])} {words['and']} {quoted[-1]}"
            lines.append(words["unread_sheets_line"].format(file=file, sheets=listed))
    return lines


def about_lines(
    summary: Summary, card: dict[str, Any], words: dict[str, str], style: Style, language: str
) -> list[str]:
    """When the report was made, from which batch and with which model: the list under
    report.html's title, and lines of report.xlsx's method sheet."""
    batch = summary.batch
    lines = []
    if batch is not None:
        lines.append(
            words["about_made"].format(
                date=date_text(batch.made, language, time=True), version=__version__
            )
        )
        documents = summary.n_documents_read
        lines.append(
            words["about_batch_skipped" if batch.n_skipped else "about_batch"].format(
                folder=batch.input_dir,
                files=counted(batch.n_files, "file", language, style.space),
                skipped=style.num(batch.n_skipped),
            )
        )
        if documents is None:
            documents = summary.n_documents
    else:
        documents = summary.n_documents
    lines.append(
        words["about_units"].format(
            units=counted(summary.n_units, "input", language, style.space),
            docs=counted(documents, "document", language, style.space),
        )
    )
    if card.get("created") or card.get("n_training_units"):
        # Cards no longer carry a time stamp (a retrained model is the same bytes);
        # the model is identified by its hash instead.
        model = words["about_model" if card.get("created") else "about_model_undated"].format(
            date=date_text(card.get("created"), language),
            n=style.num(card.get("n_training_units")) or "?",
        )
        if card.get("training_data_sha256"):
            model += words["about_labels"].format(labels=str(card["training_data_sha256"])[:12])
        if card.get("model_sha256"):
            model += words["about_model_id"].format(model=str(card["model_sha256"])[:12])
        lines.append(model + ".")
    return lines


def adjusted_text(confusion: pd.DataFrame | None, words: dict[str, str], style: Style) -> str:
    """What the adjusted share is, and where its confusions come from."""
    if confusion is None:
        return words["adjusted_missing"]
    imported = confusion.attrs.get("basis") == "imported"
    return words["adjusted_text_imported" if imported else "adjusted_text"].format(
        units=style.num(confusion.attrs.get("units", 0)),
        minimum=MIN_IMPORTED_UNITS,
    )


def uncertainty_lines(card: dict[str, Any], words: dict[str, str], style: Style) -> list[str]:
    """How units are flagged uncertain, as the model card's decision rule does it: the
    fixed threshold and, where the card has one, the batch rule (`train.flagging`), which
    flags more units than the threshold alone."""
    lines = []
    if card.get("uncertainty_threshold") is not None:
        lines.append(words["threshold"].format(t=style.num(card["uncertainty_threshold"], 2)))
    flagging = card.get("flagging") or {}
    if flagging.get("until_accuracy") is not None:
        lines.append(
            words["flagging"].format(
                accuracy=style.pct(flagging["until_accuracy"]),
                share=style.pct(flagging.get("max_share", 0.3)),
            )
        )
    return lines
