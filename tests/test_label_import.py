"""`tema labels import`: every format, validation naming file and line, no lost labels."""

from __future__ import annotations

import csv
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from conftest import tiny_rows, write_labeled_csv
from tema.cli.main import app
from tema.config import load_config
from tema.errors import InputError
from tema.labels.conflicts import decided_path
from tema.labels.exchange import suggestion_id
from tema.labels.importing import import_labels
from tema.labels.store import load_labeled

REPO = Path(__file__).resolve().parent.parent
THEMES = load_config(REPO / "params.yaml").themes
IDS = [t.id for t in THEMES]
DAY = date(2026, 3, 14)

NEW = [
    ("Kommunen bør bygge flere utleieboliger for store familier", "housing", ""),
    ("Språkpraksis i barnehagen gir både jobb og norsk", "employers", "education"),
    ("Sjakklubben har åpnet dørene for nyankomne barn", "voluntary", ""),
]


def write_csv_file(path: Path, rows: list[dict], delimiter: str = ",") -> Path:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx_file(path: Path, rows: list[dict]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    columns = list(dict.fromkeys(key for row in rows for key in row))
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    workbook.save(path)
    return path


def label_studio_export(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    tasks = []
    for number, (text, label, second) in enumerate(rows, start=1):
        result = [
            {
                "from_name": "theme",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": [label]},
            }
        ]
        if second:
            result.append(
                {
                    "from_name": "second_theme",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": [second]},
                }
            )
        tasks.append(
            {
                "id": number,
                "data": {"text": text, "suggestion_id": f"s-{number}"},
                "annotations": [
                    # a cancelled annotation first: it must be ignored
                    {
                        "was_cancelled": True,
                        "result": [{"from_name": "theme", "value": {"choices": ["other"]}}],
                    },
                    {"completed_by": 1, "was_cancelled": False, "result": result},
                ],
            }
        )
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def label_studio_min(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    tasks = [
        {"id": n, "text": t, "theme": label, "second_theme": second or None}
        for n, (t, label, second) in enumerate(rows)
    ]
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def doccano(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = [
        json.dumps(
            {"id": n, "text": t, "label": [label] + ([second] if second else [])},
            ensure_ascii=False,
        )
        for n, (t, label, second) in enumerate(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table_rows(rows):
    return [
        {"id": f"x{n}", "text": t, "label": label, "second_label": second, "note": "ok"}
        for n, (t, label, second) in enumerate(rows)
    ]


WRITERS = {
    "csv": lambda p, rows: write_csv_file(p.with_suffix(".csv"), table_rows(rows)),
    "csv-semicolon": lambda p, rows: write_csv_file(p.with_suffix(".csv"), table_rows(rows), ";"),
    "xlsx": lambda p, rows: write_xlsx_file(p.with_suffix(".xlsx"), table_rows(rows)),
    "label-studio": lambda p, rows: label_studio_export(p.with_suffix(".json"), rows),
    "label-studio-min": lambda p, rows: label_studio_min(p.with_suffix(".json"), rows),
    "doccano": lambda p, rows: doccano(p.with_suffix(".jsonl"), rows),
}


@pytest.fixture
def labeled_dir(tiny_labeled_dir: Path) -> Path:
    return tiny_labeled_dir


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_import_appends_a_new_file_and_is_idempotent(tmp_path, labeled_dir, fmt):
    before = {p.name: p.read_bytes() for p in labeled_dir.glob("*.csv")}
    path = WRITERS[fmt](tmp_path / "in", NEW)
    conflicts = tmp_path / "review" / "conflicts.csv"
    result = import_labels(path, labeled_dir, THEMES, "kari.n", conflicts, today=DAY)
    assert result.written is not None and result.written.parent == labeled_dir
    assert result.written.name.startswith("import-2026-03-14-kari.n-")
    assert len(result.added) == 3
    for name, content in before.items():  # nothing existing touched
        assert (labeled_dir / name).read_bytes() == content
    labeled = load_labeled(labeled_dir, IDS)
    new = labeled[labeled["file"] == str(result.written)]
    assert list(zip(new["text"], new["label"], new["second_label"], strict=True)) == NEW
    assert set(new["annotator"]) == {"kari.n"} and new["batch"].nunique() == 1
    saved = pd.read_csv(result.written, dtype=str, keep_default_na=False)
    assert set(saved["labeled_on"]) == {"2026-03-14"}

    snapshot = {p.name: p.read_bytes() for p in labeled_dir.glob("*.csv")}
    again = import_labels(path, labeled_dir, THEMES, "kari.n", conflicts, today=date(2026, 4, 1))
    assert again.written is None and len(again.added) == 0 and again.already_labelled == 3
    assert {p.name: p.read_bytes() for p in labeled_dir.glob("*.csv")} == snapshot
    assert not conflicts.exists()


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        (  # the names a label may be written as are listed: an annotator writes those
            [{"text": "Noe om bolig", "label": "boliger"}],
            2,
            "unknown theme 'boliger' (did you mean 'Bolig'?); write a theme's id or its "
            "Norwegian or English name: "
            "education (Utdanning og kvalifisering / Education and qualification), ",
        ),
        (
            [{"text": "Noe om bolig", "label": "housing"}, {"text": "  ", "label": "housing"}],
            3,
            "empty text",
        ),
        (
            [{"text": "Noe om bolig", "label": "housing", "second_label": "housing"}],
            2,
            "second_label repeats label",
        ),
        ([{"text": "Noe om bolig", "label": "", "second_label": "housing"}], 2, "without a label"),
        ([{"tekst": "Noe om bolig", "label": "housing"}], 1, "missing column(s) text"),
        (
            [
                {"id": "r7", "text": "Noe om bolig", "label": "housing"},
                {"id": "r8", "text": "Noe om skole", "label": "education"},
                {"id": "r7", "text": "Noe om frivillige", "label": "voluntary"},
            ],
            4,
            "duplicate id 'r7' (also at line 2)",
        ),
        (  # a suggested unit whose text was cut (by Excel) or changed: not its unit
            [
                {"id": suggestion_id("Noe om bolig."), "text": "noe om bolig", "label": "housing"},
                {"id": suggestion_id("Noe om bolig i byen"), "text": "Noe om", "label": "housing"},
            ],
            3,
            "the text is not the text of the suggested unit s-",
        ),
    ],
)
def test_bad_rows_name_file_and_line_and_write_nothing(tmp_path, labeled_dir, rows, line, message):
    path = write_csv_file(tmp_path / "round.csv", rows)
    before = sorted(p.name for p in labeled_dir.iterdir())
    with pytest.raises(InputError) as error:
        import_labels(path, labeled_dir, THEMES, "kari.n", tmp_path / "c.csv", today=DAY)
    assert error.value.line == line
    assert message in str(error.value) and str(path) in str(error.value)
    assert sorted(p.name for p in labeled_dir.iterdir()) == before


def test_conflicts_are_written_once_and_nothing_is_overwritten(tmp_path, labeled_dir):
    existing = tiny_rows()[0]  # an education unit
    near = existing["text"] + "!"  # the same text but for punctuation
    path = write_csv_file(
        tmp_path / "round.csv",
        [
            {"text": near, "label": "housing"},  # conflict with the existing label
            {"text": tiny_rows()[10]["text"], "label": tiny_rows()[10]["label"]},  # same
            {"text": NEW[0][0], "label": "housing"},
            {"text": NEW[0][0] + " ", "label": "other"},  # contradicts a row of the same file
        ],
    )
    conflicts = tmp_path / "review" / "conflicts.csv"
    result = import_labels(path, labeled_dir, THEMES, "ola", conflicts, today=DAY)
    assert len(result.added) == 1 and result.already_labelled == 1
    table = pd.read_csv(conflicts, dtype=str, keep_default_na=False)
    assert list(table["new_label"]) == ["housing", "other"]
    assert list(table["existing_label"]) == ["education", "housing"]
    assert table.loc[0, "existing_id"] == existing["id"]
    assert "tiny.csv, line 2" in table.loc[0, "existing_where"]
    assert table.loc[0, "source_where"] == "line 2"
    labeled = load_labeled(labeled_dir, IDS)
    assert labeled.set_index("id").at[existing["id"], "label"] == "education"

    before = conflicts.read_bytes()
    import_labels(path, labeled_dir, THEMES, "ola", conflicts, today=DAY)
    assert conflicts.read_bytes() == before


def test_decisions_in_a_conflicts_file_saved_by_excel_are_kept(tmp_path, labeled_dir):
    # Excel in a Norwegian locale saves the reviewed file with ";" in Windows-1252.
    conflicts = tmp_path / "review" / "conflicts.csv"
    first = write_csv_file(tmp_path / "a.csv", [{"text": tiny_rows()[0]["text"], "label": "other"}])
    import_labels(first, labeled_dir, THEMES, "kari", conflicts, today=DAY)
    with conflicts.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0].append("kommentar")
    rows[1][rows[0].index("decision")] = "education"
    rows[1].append("sjekket – står")
    with conflicts.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)

    disagreeing = [{"text": tiny_rows()[1]["text"], "label": "other"}]
    second = write_csv_file(tmp_path / "b.csv", disagreeing)
    import_labels(second, labeled_dir, THEMES, "ola", conflicts, today=DAY)
    table = pd.read_csv(conflicts, dtype=str, keep_default_na=False)
    assert list(table["annotator"]) == ["kari", "ola"]
    assert list(table["decision"]) == ["education", ""]
    assert list(table["kommentar"]) == ["sjekket – står", ""]


def decide(conflicts: Path, decisions: list[str]) -> None:
    """Fill in `decision` as a reviewer does, in Excel (";", Windows-1252)."""
    with conflicts.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row, decision in zip(rows[1:], decisions, strict=True):
        row[rows[0].index("decision")] = decision
    with conflicts.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)


def test_importing_the_conflicts_file_applies_its_decisions(tmp_path, labeled_dir):
    # Before: the decisions were never read; the conflicts file was refused as labels
    # (no `label` column) and decided conflicts changed nothing.
    rows = tiny_rows()
    conflicts = tmp_path / "review" / "conflicts.csv"
    disagreeing = [
        {"text": rows[0]["text"], "label": "housing"},  # stored as education
        {"text": rows[1]["text"], "label": "other"},  # stored as education
        {"text": rows[2]["text"], "label": "other"},  # stored as education, left undecided
    ]
    first = write_csv_file(tmp_path / "kari.csv", disagreeing)
    import_labels(first, labeled_dir, THEMES, "kari", conflicts, today=DAY)
    tiny = labeled_dir / "tiny.csv"
    before = tiny.read_text(encoding="utf-8")
    decide(conflicts, ["Bolig ", "behold", ""])

    result = import_labels(conflicts, labeled_dir, THEMES, None, conflicts, today=DAY)
    decisions = result.decisions
    assert decisions is not None and result.written is None
    assert decisions.changed == [(rows[0]["id"], str(tiny), "education", "housing")]
    assert (decisions.kept, decisions.undecided) == (1, 1)
    labeled = load_labeled(labeled_dir, IDS).set_index("id")
    assert labeled.at[rows[0]["id"], "label"] == "housing"
    assert labeled.at[rows[1]["id"], "label"] == "education"
    # Only that cell of the stored file changed; every other label is as it was.
    assert tiny.read_text(encoding="utf-8") == before.replace(
        f"{rows[0]['text']},education,", f"{rows[0]['text']},housing,"
    )
    waiting = pd.read_csv(conflicts, dtype=str, keep_default_na=False)
    assert waiting["text"].tolist() == [rows[2]["text"]]
    log = pd.read_csv(decided_path(conflicts), dtype=str, keep_default_na=False)
    assert log["decision"].tolist() == ["Bolig ", "behold"]
    assert log["existing_label"].tolist() == ["education", "education"]
    assert log["applied"].tolist()[1] == "kept education"

    # The same file again: nothing new is listed, a decided conflict included.
    again = import_labels(first, labeled_dir, THEMES, "kari", conflicts, today=DAY)
    assert again.already_labelled == 1 and again.conflicts_known == 2
    assert pd.read_csv(conflicts, dtype=str)["text"].tolist() == [rows[2]["text"]]
    # Applying again with nothing decided changes nothing.
    stored = tiny.read_bytes()
    assert import_labels(conflicts, labeled_dir, THEMES, None, conflicts).decisions.kept == 0
    assert tiny.read_bytes() == stored


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        (["Bolig", "Frivilig sektor"], r"conflicts\.csv, line 3: decision 'Frivilig sektor' names "
         r"no theme \(did you mean 'Frivillig sektor'\?\)"),
        (["Bolig", "other"], None),
    ],
)  # fmt: skip
def test_a_bad_decision_stops_with_the_file_and_line_and_nothing_written(
    tmp_path, labeled_dir, decisions, message
):
    rows = tiny_rows()
    conflicts = tmp_path / "review" / "conflicts.csv"
    disagreeing = [
        {"text": rows[0]["text"], "label": "housing"},
        {"text": rows[0]["text"] + "!", "label": "other"},  # the same unit, decided otherwise
    ]
    # Two rows of one file on one stored unit: the second is compared with the first.
    path = write_csv_file(tmp_path / "kari.csv", disagreeing[:1])
    import_labels(path, labeled_dir, THEMES, "kari", conflicts, today=DAY)
    path = write_csv_file(tmp_path / "ola.csv", disagreeing[1:])
    import_labels(path, labeled_dir, THEMES, "ola", conflicts, today=DAY)
    decide(conflicts, decisions)
    files = {p: p.read_bytes() for p in [*labeled_dir.iterdir(), conflicts]}
    expected = message or (
        rf"line 3: decision 'other' for the unit {rows[0]['id']} that line 2 decides as "
        "'housing'"
    )
    with pytest.raises(InputError, match=expected):
        import_labels(conflicts, labeled_dir, THEMES, None, conflicts, today=DAY)
    assert {p: p.read_bytes() for p in [*labeled_dir.iterdir(), conflicts]} == files
    assert not decided_path(conflicts).exists()


def test_two_decisions_giving_one_unit_the_same_theme_change_it_once_and_keep_nothing(
    tmp_path, labeled_dir
):
    # Before: the second decision was counted as keeping the stored label ("2 decisions
    # applied (1 label changed, 1 label kept)"), though both moved the unit to housing.
    rows = tiny_rows()
    conflicts = tmp_path / "review" / "conflicts.csv"
    for annotator, text in (("kari", rows[0]["text"]), ("ola", rows[0]["text"] + "!")):
        path = write_csv_file(tmp_path / f"{annotator}.csv", [{"text": text, "label": "housing"}])
        import_labels(path, labeled_dir, THEMES, annotator, conflicts, today=DAY)
    decide(conflicts, ["Bolig", "housing"])
    decisions = import_labels(conflicts, labeled_dir, THEMES, None, conflicts).decisions
    assert decisions is not None
    assert (decisions.decided, len(decisions.changed), decisions.kept) == (2, 1, 0)
    assert load_labeled(labeled_dir, IDS).set_index("id").at[rows[0]["id"], "label"] == "housing"


def test_a_decision_on_a_unit_no_longer_labelled_says_to_fix_it_by_hand(tmp_path, labeled_dir):
    rows = tiny_rows()
    conflicts = tmp_path / "conflicts.csv"
    path = write_csv_file(tmp_path / "kari.csv", [{"text": rows[0]["text"], "label": "other"}])
    import_labels(path, labeled_dir, THEMES, "kari", conflicts, today=DAY)
    decide(conflicts, ["other"])
    write_labeled_csv(labeled_dir / "tiny.csv", rows[1:])  # the unit was deleted by hand
    before = conflicts.read_bytes()
    message = rf"conflicts\.csv, line 2: the labelled unit of this conflict \({rows[0]['id']},"
    with pytest.raises(InputError, match=message):
        import_labels(conflicts, labeled_dir, THEMES, None, conflicts, today=DAY)
    assert conflicts.read_bytes() == before


def test_a_conflicts_file_without_the_columns_tema_wrote_is_refused(tmp_path, labeled_dir):
    conflicts = tmp_path / "conflicts.csv"
    conflicts.write_text("tekst;beslutning\nnoe;education\n", encoding="utf-8")
    before = conflicts.read_bytes()
    names = sorted(p.name for p in labeled_dir.iterdir())
    path = write_csv_file(tmp_path / "a.csv", [{"text": tiny_rows()[0]["text"], "label": "other"}])
    with pytest.raises(InputError, match="text, new_label"):
        import_labels(path, labeled_dir, THEMES, "kari", conflicts, today=DAY)
    assert conflicts.read_bytes() == before
    assert sorted(p.name for p in labeled_dir.iterdir()) == names


def test_an_error_after_a_cell_over_several_lines_names_the_line_it_is_on(tmp_path, labeled_dir):
    path = tmp_path / "round.csv"
    path.write_text(
        'text,label\n"Første linje\nandre linje",housing\nNoe om bolig,boliger\n', encoding="utf-8"
    )
    with pytest.raises(InputError) as error:
        import_labels(path, labeled_dir, THEMES, "kari", tmp_path / "c.csv", today=DAY)
    assert error.value.line == 4 and "unknown theme 'boliger'" in str(error.value)


def test_near_copies_of_labelled_texts_are_skipped_or_conflicts(tmp_path, labeled_dir):
    text = "Fagbrev for voksne innvandrere gjennom lærlingordningen"  # in TINY_LABELED
    path = write_csv_file(
        tmp_path / "near.csv",
        [
            {"text": text.replace("voksne", "voksne,"), "label": "education"},
            {"text": text.replace("gjennom", "gjennom hele"), "label": "employers"},
        ],
    )
    result = import_labels(path, labeled_dir, THEMES, "ola", tmp_path / "c.csv", today=DAY)
    assert result.already_labelled == 1
    assert list(result.conflicts["match"]) == ["near copy"]
    assert result.written is None


SUMMARIES = {
    "nb": (
        "in.csv: 3 nye merkede innspill → {written} (runde {batch}); 0 innspill allerede "
        "merket (hoppet over); ingen konflikter",
        "in.csv: 0 nye merkede innspill; 2 innspill allerede merket (hoppet over); "
        "1 rad uten merke (hoppet over); 1 konflikt med merkinger som alt finnes → "
        "{conflicts} (avgjør dem der i `decision` og kjør `tema labels import {conflicts}`; "
        "ingenting ble overskrevet)",
        "in.csv: 0 nye merkede innspill; 2 innspill allerede merket (hoppet over); "
        "1 rad uten merke (hoppet over); 1 konflikt listet fra før i {conflicts} "
        "(ingen ny)",
    ),
    "en": (
        "in.csv: 3 new labelled units → {written} (batch {batch}); 0 units already "
        "labelled (skipped); no conflicts",
        "in.csv: 0 new labelled units; 2 units already labelled (skipped); 1 row without "
        "a label (skipped); 1 conflict with existing labels → {conflicts} (decide them "
        "there in `decision`, then run `tema labels import {conflicts}`; nothing was "
        "overwritten)",
        "in.csv: 0 new labelled units; 2 units already labelled (skipped); 1 row without "
        "a label (skipped); 1 conflict already listed in {conflicts} (none new)",
    ),
}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_cli_import_prints_a_summary(tmp_path, labeled_dir, monkeypatch, language):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text(
        (REPO / "params.yaml")
        .read_text(encoding="utf-8")
        .replace("labeled_dir: data/labeled", f"labeled_dir: {labeled_dir}"),
        encoding="utf-8",
    )
    path = WRITERS["csv"](tmp_path / "in", NEW)
    command = ["--language", language, "labels", "import", "in.csv", "--annotator", "kari.n"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    (written,) = labeled_dir.glob("import-*.csv")
    batch = pd.read_csv(written)["batch"][0]
    first, second, third = SUMMARIES[language]
    assert result.output.strip() == first.format(written=written, batch=batch)
    # The same file again, with a row left unlabelled and a label changed: nothing added.
    rows = [*NEW[:2], (NEW[2][0], "other", ""), ("Ennå ikke merket", "", "")]
    write_csv_file(path, table_rows(rows))
    result = CliRunner().invoke(app, command)
    conflicts = Path("data/label_review/conflicts.csv")
    assert result.output.strip() == second.format(conflicts=conflicts), result.output
    # Before: the same file a third time said "1 conflict … → conflicts.csv" again, as if
    # it had added one (it adds none: the conflict is listed once).
    result = CliRunner().invoke(app, command)
    assert result.output.strip() == third.format(conflicts=conflicts), result.output
    bad = write_csv_file(tmp_path / "bad.csv", [{"text": "x y", "label": "nope"}])
    result = CliRunner().invoke(app, ["labels", "import", str(bad), "--annotator", "kari.n"])
    assert result.exit_code == 1
    assert "bad.csv, line 2: unknown theme 'nope'" in result.output
    # Deciding the conflict there and running the command the line gave applies it.
    decide(conflicts, ["Annet"])
    command = ["--language", language, "labels", "import", str(conflicts)]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()
        == DECIDED[language]
        .format(
            conflicts=conflicts, log=decided_path(conflicts), written=written, id=f"{batch}-003"
        )
        .splitlines()
    )
    labeled = load_labeled(labeled_dir, IDS)
    assert labeled.set_index("text").at[NEW[2][0], "label"] == "other"
    result = CliRunner().invoke(app, ["labels", "import", "in.csv"])
    assert result.exit_code == 1 and "in.csv: say who labelled it (--annotator NAME)" in (
        result.output
    )


DECIDED = {
    "nb": "{conflicts}: 1 avgjørelse tatt i bruk (1 merking endret, 0 merkinger beholdt; de "
    "avgjorte er flyttet til {log}); 0 konflikter uten avgjørelse\n"
    "  {id} ({written}): voluntary → other",
    "en": "{conflicts}: 1 decision applied (1 label changed, 0 labels kept; the decided rows "
    "moved to {log}); 0 conflicts not decided\n"
    "  {id} ({written}): voluntary → other",
}


# Four annotators' rounds: different texts, none a near copy of another or of TINY_LABELED.
ROUNDS = {
    "kari": [
        ("Kommunen bør bygge flere utleieboliger for store familier", "housing"),
        ("Husbanken må gi startlån til flere", "housing"),
    ],
    "ola": [
        ("Språkpraksis i barnehagen gir både jobb og norsk", "employers"),
        ("Bedrifter i distriktet mangler fagarbeidere", "employers"),
    ],
    "per": [
        ("Sjakklubben har åpnet dørene for nyankomne barn", "voluntary"),
        ("Korpset låner ut instrumenter gratis", "voluntary"),
    ],
    "lise": [
        ("Mange opplever blikk og kommentarer på bussen", "discrimination"),
        ("Skolen bør lære elevene om fordommer", "discrimination"),
    ],
}


def round_file(folder: Path, name: str, rows: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv_file(folder / f"{name}.csv", [{"text": t, "label": lab} for t, lab in rows])


def import_at_once(calls: list[tuple]) -> list:
    """Run import_labels for each argument tuple in its own thread, all released together."""
    start = threading.Barrier(len(calls))

    def one(args: tuple):
        start.wait()
        return import_labels(*args, today=DAY)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))


def test_writers_at_the_same_time_lose_nothing(tmp_path, labeled_dir):
    conflicts = tmp_path / "conflicts.csv"
    # Each round also disagrees with one existing label: four conflicts, one per writer.
    disputed = {name: tiny_rows()[n * 9] for n, name in enumerate(ROUNDS)}
    calls = [
        (
            round_file(tmp_path, name, [*rows, (disputed[name]["text"], "other")]),
            labeled_dir,
            THEMES,
            name,
            conflicts,
        )
        for name, rows in ROUNDS.items()
    ]
    results = import_at_once(calls)
    assert [(len(r.added), len(r.conflicts)) for r in results] == [(2, 1)] * 4
    labeled = load_labeled(labeled_dir, IDS)  # the folder still loads: no duplicate, no clash
    for name, rows in ROUNDS.items():
        mine = labeled[labeled["annotator"] == name]
        assert sorted(zip(mine["text"], mine["label"], strict=True)) == sorted(rows)
    assert len(list(labeled_dir.glob("import-*.csv"))) == 4
    table = pd.read_csv(conflicts, dtype=str, keep_default_na=False)
    assert sorted(zip(table["annotator"], table["existing_id"], strict=True)) == sorted(
        (name, row["id"]) for name, row in disputed.items()
    )


def test_processes_at_the_same_time_lose_nothing(tmp_path, labeled_dir):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    conflicts = tmp_path / "conflicts.csv"
    names = ["kari", "ola"]
    files = [round_file(tmp_path, name, ROUNDS[name]) for name in names]
    # spawn: a fresh interpreter, as a second `tema` command or server process would be.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [
            pool.submit(import_labels, path, labeled_dir, THEMES, name, conflicts, DAY)
            for path, name in zip(files, names, strict=True)
        ]
        results = [future.result(timeout=300) for future in futures]
    assert [len(result.added) for result in results] == [2, 2]
    labeled = load_labeled(labeled_dir, IDS)
    assert set(labeled["annotator"]) == {"test", "kari", "ola"}
    assert len(labeled) == len(tiny_rows()) + 4


def test_the_same_labels_saved_twice_at_once_are_added_once(tmp_path, labeled_dir):
    conflicts = tmp_path / "conflicts.csv"
    first = round_file(tmp_path, "kari", ROUNDS["kari"])
    second = round_file(tmp_path / "copy", "kari", ROUNDS["kari"])
    results = import_at_once(
        [
            (first, labeled_dir, THEMES, "kari", conflicts),
            (second, labeled_dir, THEMES, "ola", conflicts),
        ]
    )
    assert sorted(len(result.added) for result in results) == [0, 2]
    assert sorted(result.already_labelled for result in results) == [0, 2]
    labeled = load_labeled(labeled_dir, IDS)
    assert len(labeled) == len(tiny_rows()) + 2 and not conflicts.exists()
    before = {p.name: p.read_bytes() for p in labeled_dir.iterdir()}
    again = import_labels(first, labeled_dir, THEMES, "kari", conflicts, today=DAY)
    assert again.written is None and again.already_labelled == 2
    assert {p.name: p.read_bytes() for p in labeled_dir.iterdir()} == before


def test_two_writers_disagreeing_at_once_keep_one_label_and_one_conflict(tmp_path, labeled_dir):
    conflicts = tmp_path / "review" / "conflicts.csv"
    text = "Kommunen bør bygge flere utleieboliger for store familier"
    kari = round_file(tmp_path, "kari", [(text, "housing")])
    ola = round_file(tmp_path, "ola", [(text, "other")])
    import_at_once(
        [
            (kari, labeled_dir, THEMES, "kari", conflicts),
            (ola, labeled_dir, THEMES, "ola", conflicts),
        ]
    )
    labeled = load_labeled(labeled_dir, IDS)
    [kept] = labeled[labeled["text"] == text].itertuples()
    [conflict] = pd.read_csv(conflicts, dtype=str, keep_default_na=False).itertuples()
    assert {kept.label, conflict.new_label} == {"housing", "other"}
    assert conflict.existing_label == kept.label and conflict.annotator != kept.annotator
    assert conflict.existing_id == kept.id


def test_a_writer_waits_for_the_lock_and_gives_up_with_a_message(tmp_path, labeled_dir):
    from tema.errors import TemaError
    from tema.labels.importing import lock_path, store_lock

    path = round_file(tmp_path, "kari", ROUNDS["kari"])
    with ThreadPoolExecutor(1) as pool, store_lock(labeled_dir):
        waiting = pool.submit(import_labels, path, labeled_dir, THEMES, "kari", tmp_path / "c.csv")
        with pytest.raises(TimeoutError):
            waiting.result(timeout=1.0)  # still waiting for the lock
        with (
            pytest.raises(TemaError, match="another import has held the labels"),
            store_lock(labeled_dir, timeout=0.1),
        ):
            pass
    assert len(waiting.result(timeout=60).added) == 2  # done once the lock was released
    assert lock_path(labeled_dir) == labeled_dir.parent / ".labeled.lock"


def test_labels_saved_without_a_file_go_the_same_way(tmp_path, labeled_dir):
    """The browser app's path: labels given as rows, not a file."""
    from tema.labels.exchange import IncomingLabel
    from tema.labels.importing import add_labels

    rows = [
        IncomingLabel(text=t, label=label, second_label="", source_id=f"u{n}", where=f"unit {n}")
        for n, (t, label) in enumerate(ROUNDS["per"])
    ]
    conflicts = tmp_path / "conflicts.csv"
    result = add_labels(rows, labeled_dir, THEMES, "per", conflicts, source=Path("tema serve"))
    assert result.written is not None and len(result.added) == 2
    assert list(result.added["source"]) == ["tema serve unit 0", "tema serve unit 1"]
    again = add_labels(rows, labeled_dir, THEMES, "per", conflicts, source=Path("tema serve"))
    assert again.written is None and again.already_labelled == 2


@pytest.mark.parametrize(
    ("annotator", "slug"),
    [
        ("Åse Ødegård", "ase-odegard"),
        ("Ærlige Bjørn", "aerlige-bjorn"),
        ("René Müller", "rene-muller"),
        ("Máret Áilu Čáhppe", "maret-ailu-cahppe"),
        ("kari.n", "kari.n"),
        ("Øy", "oy"),
    ],
)
def test_annotator_name_in_the_file_name_keeps_its_letters(annotator: str, slug: str):
    """Norwegian (and Sami, accented) letters are spelt in ASCII, not dropped: "Åse
    Ødegård" was "se-deg-rd", and "Øy" had "no letters" at all."""
    from tema.labels.importing import annotator_slug

    assert annotator_slug(annotator) == slug
