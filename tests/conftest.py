"""Small inputs the tests write themselves (never ../shared)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

THEMES = ["education", "employers", "discrimination", "housing", "voluntary", "other"]

# A tiny labelled set: enough for a classifier to learn the obvious words of each theme.
TINY_LABELED = {
    "education": [
        "Norskopplæringen må starte tidligere",
        "Flere timer norsk i introduksjonsprogrammet",
        "Godkjenning av utdanning fra hjemlandet tar for lang tid",
        "Voksenopplæringen trenger flere lærere",
        "Leksehjelp på skolen for alle elever",
        "Fagbrev for voksne innvandrere gjennom lærlingordningen",
        "Kvalifiseringsprogrammet bør gi formell kompetanse",
        "Studenter mister stønad når de tar utdanning",
        "Karriereveiledning for nyankomne",
    ],
    "employers": [
        "Arbeidsgivere må gi innvandrere en sjanse",
        "Praksisplassen ble brukt som gratis arbeidskraft",
        "Bedriftene bør ansette flere med innvandrerbakgrunn",
        "Mentorordning på arbeidsplassen hjelper nyansatte",
        "Næringslivet og kommunen bør samarbeide om rekruttering",
        "Lønnstilskudd gjør det lettere å ansette",
        "Mangfold på arbeidsplassen gir bedre resultater",
        "Arbeidsgiveren fulgte opp den nye medarbeideren godt",
        "Flere bedrifter bør ta inn praksiskandidater",
    ],
    "discrimination": [
        "Rasisme i hverdagen må tas på alvor",
        "Fordommer mot muslimer er utbredt",
        "Media gir et negativt bilde av innvandrere",
        "Diskriminering på grunn av hijab",
        "Holdningene i majoritetsbefolkningen må endres",
        "Søkere med utenlandsk navn blir forskjellsbehandlet",
        "Rollemodeller kan bryte ned stereotypier",
        "Negativ sosial kontroll i enkelte miljøer",
        "Hets i kommentarfeltene skremmer folk",
    ],
    "housing": [
        "Bosetting av flyktninger i distriktskommunene",
        "Startlån gjør det mulig å eie egen bolig",
        "Husleien er for høy for familier med lav inntekt",
        "Fra leie til eie bør brukes mer",
        "Bostøtte må ikke falle bort",
        "Kommunale boliger har dårlig standard",
        "Områdesatsingen i Groruddalen bør fortsette",
        "Boligkonsulenten hjelper med å finne leilighet",
        "Segregering i boligområdene øker",
    ],
    "voluntary": [
        "Frivillige organisasjoner er viktige møteplasser",
        "Idrettslaget inkluderer barn fra mottaket",
        "Innvandrerorganisasjoner trenger driftsstøtte",
        "Språkkafé på biblioteket drives av frivillige",
        "Friluftsliv er en god integreringsarena",
        "Frivilligsentralen arrangerer turer for nye innbyggere",
        "Samarbeid mellom norske lag og innvandrerforeninger",
        "Aktiviteter i asylmottak med hjelp fra Røde Kors",
        "Ungdom bør rekrutteres til foreningene",
    ],
    "other": [
        "Møtet startet klokken ti med kaffe",
        "Velkommen til konferansen",
        "Programmet for dagen ble delt ut",
        "Statsråden holdt åpningstalen",
        "Lunsj serveres i foajeen",
        "Traumer og psykisk helse hos flyktninger",
        "Evalueringen av møtet viste stor tilfredshet",
        "Takk til alle som deltok",
        "Neste møte holdes i juni",
    ],
}


def write_labeled_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """A labelled round as the team writes them (with `doc,kind` if any row has them)."""
    columns = ["id", "text", "label", "second_label", "batch", "annotator"]
    if any("doc" in row for row in rows):
        columns += ["doc", "kind"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def tiny_rows() -> list[dict[str, str]]:
    rows = []
    for label, texts in TINY_LABELED.items():
        for number, text in enumerate(texts):
            rows.append(
                {
                    "id": f"{label}-{number}",
                    "text": text,
                    "label": label,
                    "batch": f"b{number % 3}",
                    "annotator": "test",
                }
            )
    return rows


@pytest.fixture
def tiny_labeled_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "labeled"
    directory.mkdir()
    write_labeled_csv(directory / "tiny.csv", tiny_rows())
    return directory


@pytest.fixture(scope="session")
def train_settings():
    """Small, fast training settings: TF-IDF only, no context, nothing flagged by batch
    (max_share 0)."""
    from tema.config import TrainSettings

    return TrainSettings(
        labeled_dir=Path("data/labeled"),
        model=Path("models/theme_classifier.skops"),
        cv_predictions=Path("metrics/cv_predictions.csv"),
        seed=1,
        cv_folds=3,
        jobs=1,
        target_precision=0.9,
        second_theme_threshold=0.3,
        classifier={
            "c": 4.0,
            "word_ngram_max": 2,
            "char_ngram_min": 2,
            "char_ngram_max": 5,
            "calibration": "sigmoid",
            "calibration_folds": 2,
            "embeddings": "none",
            "cascade_below": 0.8,
            "embedding_c": 10.0,
            "embedding_prefix": "query",
            "pooling": "mean",
            "second_label_weight": 0.0,
            "embedding_cache": None,
        },
        flagging={"until_accuracy": 0.9, "max_share": 0.0},
    )


@pytest.fixture(scope="session")
def trained_tiny(tmp_path_factory, train_settings):
    """(labelled frame, model, out-of-fold rows) of the tiny set, trained once per run."""
    from tema.labels.store import load_labeled
    from tema.train.stage import train

    directory = tmp_path_factory.mktemp("labeled")
    write_labeled_csv(directory / "tiny.csv", tiny_rows())
    labeled = load_labeled(directory, THEMES)
    return labeled, *train(labeled, THEMES, train_settings)


# Meeting input the tests write themselves: never the user's data/raw (which a user fills
# with their own batch, as the README invites).
MEETING_REPORTS = {
    "innspillmote-bodo-2018.txt": (
        "Innspillmøte Nord-Norge 2018\n"
        "Regionalt innspillmøte i Bodø\n\n"
        "Innledning\n"
        "Møtet ble åpnet kl. 10 av ordføreren. Om lag 60 deltakere fra kommuner, "
        "innvandrerråd og frivillige lag var til stede.\n\n"
        "Bolig\n"
        "Flere mente at husleien er for høy for familier med lav inntekt. Kommunale "
        "boliger har dårlig standard, og startlån bør brukes mer.\n\n"
        "Innspill fra gruppearbeidet:\n"
        "• Fra leie til eie bør gjelde flere\n"
        "• Bostøtte må ikke falle bort når man får jobb\n"
        "• Bosetting i distriktene krever arbeid i nærheten\n"
    ),
    "innspillmote-bergen-2018.txt": (
        "Innspillmøte Vestlandet 2018\n\n"
        "Utdanning og kvalifisering\n"
        "Norskopplæringen må starte tidligere, og voksenopplæringen trenger flere lærere. "
        "Godkjenning av utdanning fra hjemlandet tar for lang tid.\n\n"
        "Arbeidsgivere\n"
        "Arbeidsgivere må tørre å ansette innvandrere. Praksisplasser blir for ofte brukt "
        "som gratis arbeidskraft, sa en deltaker.\n\n"
        "• Mentorordning på arbeidsplassen\n"
        "• Lønnstilskudd gjør det lettere å ansette\n"
    ),
    "dialogmote-oslo-2019.txt": (
        "Dialogmøte Oslo 2019\n\n"
        "Holdninger og diskriminering\n"
        "Søkere med utenlandsk navn blir forskjellsbehandlet. Rasisme i hverdagen må tas "
        "på alvor, og media gir et negativt bilde av innvandrere.\n\n"
        "Frivillig sektor\n"
        "Idrettslaget inkluderer barn fra mottaket. Språkkafé på biblioteket drives av "
        "frivillige, men innvandrerorganisasjoner trenger driftsstøtte.\n\n"
        "Takk til alle som deltok. Neste møte holdes i juni.\n"
    ),
}
SURVEY = (
    "svar;kommune\n"
    "Flere kommunale boliger til flyktninger;Bodø\n"
    ";Alta\n"
    "Norskkurs på kveldstid for dem som jobber;Bergen\n"
    "Arbeidsgivere må gi folk en sjanse;Oslo\n"
)
MEETING_MANIFEST = (
    "file,meeting,region,date\n"
    "innspillmote-bodo-2018.txt,Innspillmøte Bodø,Nord-Norge,2018-03-14\n"
    "innspillmote-bergen-2018.txt,Innspillmøte Bergen,Vestlandet,2018-04-11\n"
    "dialogmote-oslo-2019.txt,Dialogmøte Oslo,Oslo,2019-02-06\n"
    "sporreskjema-2019.csv,Spørreskjema,Hele landet,2019-03-01\n"
)


def write_meeting_batch(directory: Path) -> Path:
    """A folder of meeting input like data/raw: three reports, a survey table (`;`,
    Windows-1252, a blank answer) and manifest.csv."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in MEETING_REPORTS.items():
        (directory / name).write_text(text, encoding="utf-8")
    (directory / "sporreskjema-2019.csv").write_bytes(SURVEY.encode("cp1252"))
    (directory / "manifest.csv").write_text(MEETING_MANIFEST, encoding="utf-8")
    return directory


def write_senter_lock(repo: Path, root: Path) -> None:
    """A dvc.lock in `root` with the entry of the repository's frozen stage `senter` only.

    A project copied from the repository without its dvc.lock runs every stage, but a
    frozen one only has its outputs checked against its entry; without one, DVC looks for
    the stage's training data, which lies outside the repository, to record it. With the
    entry, as in a clone, the shipped sentence model is checked and nothing is trained.
    """
    import yaml

    lock = yaml.safe_load((repo / "dvc.lock").read_text(encoding="utf-8"))
    entry = {"schema": lock["schema"], "stages": {"senter": lock["stages"]["senter"]}}
    (root / "dvc.lock").write_text(yaml.safe_dump(entry, sort_keys=False), encoding="utf-8")


def packages_loaded_by_tema(folder: Path, args: list[str], packages: set[str]) -> list[str]:
    """Which of `packages` a `tema` command (`args`, run in `folder` in a fresh Python) has
    imported by its end: a stage must not pay for libraries it does not use."""
    code = (
        "import json, sys\n"
        "from tema.cli.main import app\n"
        f"app({args!r}, standalone_mode=False)\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {packages!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
