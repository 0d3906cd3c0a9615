"""The one place where the browser app calls the pipeline's stages and the label store.

Each function here does what the matching `tema` command does (src/tema/cli.py), with the
same stage functions and so the same output bytes, but for files the app names (a batch's
own folder) and with a progress callback instead of a progress bar. When the stages
expose `run(config, …)` (issue #16), the bodies below become calls to those, and nothing
else in `tema.serve` changes.

Nothing here runs `dvc`: the files written are the ones the stages write, atomically, so
`dvc repro` afterwards sees a consistent workspace and reruns what changed.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from tema.config import Config, load_config
from tema.errors import TemaError

# progress(step, done, total): how far a step is (total None when not known in advance).
Progress = Callable[[str, int, int | None], None]


def _no_progress(step: str, done: int, total: int | None) -> None:
    """The default progress callback: says nothing."""


@dataclass(frozen=True)
class Project:
    """The params file and what is read from it: the typed config and the raw mapping the
    stages not yet moved to `run(config, …)` still take."""

    config: Config
    params: dict[str, Any]

    @classmethod
    def load(cls, params_path: Path) -> Project:
        from tema.params import load_params

        return cls(load_config(params_path), load_params(params_path))

    def section(self, name: str) -> dict[str, Any]:
        from tema.params import section

        return section(self.params, name, self.config.source)

    @property
    def themes(self) -> list[Any]:
        return list(self.config.themes)

    @property
    def theme_ids(self) -> list[str]:
        return self.config.theme_ids


# --- ingest ---------------------------------------------------------------------------------
@dataclass
class Ingested:
    documents: int
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


def check_file(project: Project, path: Path, text_column: str = "", sheet: str = "") -> str | None:
    """Why `tema ingest` could not read the file (its own message), or None if it can.
    `text_column` and `sheet`: the manifest's columns of that name for the file."""
    from tema.ingest.readers import read_source

    columns = [text_column] if text_column else list(project.config.ingest.text_columns)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read_source(path, columns, sheet or None)
    except TemaError as error:
        return str(error)
    return None


def ingest(project: Project, raw_dir: Path, documents: Path, skipped: Path) -> Ingested:
    """`tema ingest RAW_DIR -o DOCUMENTS --skipped SKIPPED`."""
    from tema.ingest import stage
    from tema.io.files import write_csv

    left_out: list[Any] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # what was skipped is in `left_out`, with its reason
        found = stage.ingest(
            raw_dir, None, text_columns=list(project.config.ingest.text_columns), skipped=left_out
        )
        count = stage.write_documents(found, documents)
    write_csv(pd.DataFrame(left_out, columns=["file", "reason"]), skipped)
    return Ingested(count, [(Path(item.file).name, item.reason) for item in left_out])


# --- segment and classify -------------------------------------------------------------------
def _counting(
    items: Iterable[Any], step: str, total: int | None, progress: Progress
) -> Iterator[Any]:
    done = 0
    progress(step, 0, total)
    for item in items:
        yield item
        done += len(item) if isinstance(item, pd.DataFrame) else 1
        progress(step, done if total is None else min(done, total), total)


def _lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def segment(project: Project, documents: Path, units: Path, progress: Progress) -> int:
    """`tema segment --documents DOCUMENTS -o UNITS`; returns the number of units."""
    from tema import parallel
    from tema.ingest import stage as reading
    from tema.segment import stage
    from tema.segment.clean import load_lexicon

    settings = project.section("segment")
    nlp = stage.load_pipeline(settings["spacy_model"])
    keys = ("lexicon", "max_heading_words", "max_unit_chars", "batch_size")
    options = {key: settings[key] for key in keys if key in settings}
    if isinstance(options.get("lexicon"), str) and settings.get("lexicon_cache"):
        options["lexicon"] = load_lexicon(options["lexicon"], cache_dir=settings["lexicon_cache"])
    total = _lines(documents)
    source = _counting(reading.read_documents(documents), "segment", total, progress)
    rows = parallel.segment_stream(source, nlp, settings.get("jobs", 1), **options)
    return parallel.write_csv_chunks(rows, units, stage.FRAME_COLUMNS)


def model_exists(project: Project) -> bool:
    return project.config.train.model_files.card.is_file() and project.config.train.model.is_file()


def classify(project: Project, units: Path, classified: Path, progress: Progress) -> int:
    """`tema classify -o CLASSIFIED` of the batch's units; returns the number of units."""
    from tema import parallel
    from tema.classify import stage
    from tema.classify.predictor import load_predictor

    predictor = load_predictor(project.config.train.model)
    total = max(0, _lines(units) - 1)  # an estimate: a text may hold a line break
    chunks = _counting(parallel.read_units_chunks(units), "classify", total, progress)
    jobs = project.section("classify").get("jobs", 1)
    rows = parallel.classify_stream(chunks, predictor, jobs, rendered=True)
    return parallel.write_csv_chunks(rows, classified, stage.OUTPUT_COLUMNS)


# --- report ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class BatchFiles:
    """The files of one batch, as the pipeline's stages name them."""

    raw_dir: Path
    documents: Path
    skipped: Path
    units: Path
    classified: Path
    report_dir: Path


def report(project: Project, files: BatchFiles, language: str, source: str = "") -> dict[str, int]:
    """`tema report` of the batch into its report folder: report.html, report.xlsx,
    theme_counts.csv, theme_over_time.csv and units.csv. `source`: where the batch came
    from, as the report names it (default: its raw folder)."""
    from tema.classify.card import read_card
    from tema.ingest import stage as reading
    from tema.io.files import atomic_write
    from tema.report import stage
    from tema.report.html import render_html
    from tema.report.xlsx import write_xlsx

    settings = project.section("report")
    confusion = _confusion(project)
    summary = stage.build_report(
        files.classified,
        reading.read_documents(files.documents),
        files.report_dir,
        project.theme_ids,
        settings["counted_kinds"],
        confusion,
        settings["examples_per_theme"],
        settings.get("review_limit", 200),
    )
    if files.skipped.is_file():
        summary.skipped = pd.read_csv(files.skipped, keep_default_na=False).to_dict("records")
    summary.batch = stage.Batch(
        made=datetime.now().astimezone(),
        input_dir=source or str(files.raw_dir),
        n_files=(summary.n_documents_read or 0) + len(summary.skipped),
        n_skipped=len(summary.skipped),
    )
    card = read_card(project.config.train.model)
    with atomic_write(files.report_dir / "report.html") as handle:
        handle.write(render_html(summary, project.themes, card, language))
    uncertain = stage.uncertain_units(files.report_dir / "units.csv")
    write_xlsx(files.report_dir / "report.xlsx", summary, project.themes, card, language, uncertain)
    return {"units": summary.n_units, "uncertain": summary.n_uncertain}


def _confusion(project: Project) -> pd.DataFrame | None:
    from tema.report.stage import confusion_for_correction

    path = project.config.train.cv_predictions
    if not path.is_file():
        return None
    oof = pd.read_csv(
        path,
        usecols=lambda column: column in ("label", "theme", "origin"),
        dtype=str,
        keep_default_na=False,
    )
    return confusion_for_correction(oof, project.theme_ids)


# --- suggest --------------------------------------------------------------------------------
def suggest(project: Project, files: BatchFiles, n: int) -> pd.DataFrame:
    """`tema suggest -n N` on the batch's classified units (tema.labels.suggest)."""
    from tema.classify.model import load_model
    from tema.ingest import stage as reading
    from tema.labels import suggest as picking

    settings = project.section("labels")
    classified = pd.read_csv(files.classified, keep_default_na=False, na_values={"repeat_of": [""]})
    fitted = load_model(project.config.train.model)
    options = picking.SuggestSettings(
        n=n,
        diversity_weight=float(settings.get("diversity_weight", 0.5)),
        meeting_weight=float(settings.get("meeting_weight", 0.3)),
    )
    meetings = {d.doc: d.meeting for d in reading.read_documents(files.documents)}
    return picking.suggest(
        classified,
        fitted,
        labelled_texts(project),
        project.section("report")["counted_kinds"],
        options,
        meetings,
    )


def labelled_texts(project: Project) -> list[str]:
    from tema.labels.store import load_labeled

    labeled_dir = project.config.train.labeled_dir
    if not any(labeled_dir.glob("*.csv")):
        return []
    return [str(text) for text in load_labeled(labeled_dir, project.theme_ids)["text"]]


# --- labels ---------------------------------------------------------------------------------
_IMPORT_LOCK = threading.Lock()


def import_labels(project: Project, path: Path, annotator: str, lock_file: Path) -> Any:
    """`tema labels import PATH --annotator ANNOTATOR`: one new file in the labelled folder,
    conflicts to labels.conflicts, nothing overwritten. Serialised by a file lock (and a
    thread lock) so that two imports of the app never run at once."""
    import fcntl

    from tema.labels.exchange import import_labels as run_import

    settings = project.section("labels")
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with _IMPORT_LOCK, open(lock_file, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        return run_import(
            path,
            project.config.train.labeled_dir,
            project.themes,
            annotator,
            Path(settings.get("conflicts", "data/label_review/conflicts.csv")),
        )


def agreement(
    first: pd.DataFrame, second: pd.DataFrame, theme_ids: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`tema labels agreement`: Cohen's kappa overall and per theme, with intervals."""
    from tema.labels.quality import agreement as kappa_table

    return kappa_table(first, second, theme_ids)


# --- train ----------------------------------------------------------------------------------
@dataclass
class Trained:
    """What `tema train` decided, and what it prints, in both languages."""

    status: str  # promoted | rejected | forced | first model
    promoted: bool
    record: dict[str, Any]
    comparison: Any  # tema.train.promote.Comparison or None
    reasons: dict[str, list[str]]  # language → the gate's reasons
    text: dict[str, str]  # language → what `tema train` prints about the gate
    comparison_text: dict[str, str]  # language → `tema compare-models` table
    n_labelled: int
    macro_f1: dict[str, float]
    oof: pd.DataFrame


def train(project: Project, progress: Progress = _no_progress) -> Trained:
    """`tema train`: cross-validate, fit, and let the promotion gate decide."""
    from tema.labels.store import load_labeled
    from tema.train import promote, stage

    settings = project.section("train")
    gate = project.params.get("promote") or {}
    theme_ids = project.theme_ids
    labeled = load_labeled(Path(settings["labeled_dir"]), theme_ids)
    model = Path(settings["model"])
    cv_predictions = Path(settings["cv_predictions"])
    progress("train", 0, 3)
    fitted, oof = stage.train(labeled, theme_ids, settings)
    progress("train", 1, 3)
    verdict = promote.evaluate_candidate(
        fitted, oof, labeled, theme_ids, model, cv_predictions, gate, seed=settings["seed"]
    )
    progress("train", 2, 3)
    record = promote.apply_verdict(verdict, fitted, oof, model, cv_predictions, gate)
    progress("train", 3, 3)
    languages = ("nb", "en")
    comparison = verdict.comparison
    return Trained(
        status=verdict.status,
        promoted=verdict.promote,
        record=record,
        comparison=comparison,
        reasons={lang: [promote.say(r, lang) for r in verdict.reasons] for lang in languages},
        text={lang: promote.format_verdict(verdict, record, lang) for lang in languages},
        comparison_text={
            lang: promote.format_comparison(comparison, lang) if comparison else ""
            for lang in languages
        },
        n_labelled=len(labeled),
        macro_f1=dict(fitted.card["cross_validation"]["macro_f1"]),
        oof=oof,
    )


def score_on_units(
    truth: Iterable[str], predicted: Iterable[str], theme_ids: list[str], seed: int
) -> dict[str, Any]:
    """Macro-F1 and per-theme F1 with 95% bootstrap intervals (tema.train.metrics)."""
    import numpy as np

    from tema.train.metrics import classification_scores

    return dict(
        classification_scores(
            np.asarray(list(truth), dtype=object),
            np.asarray(list(predicted), dtype=object),
            theme_ids,
            seed=seed,
        )
    )
