"""The one place where the browser app runs the pipeline's stages and writes the label store.

A batch runs through the stages' own entry points, `run(config, …)`, as `tema` and
dvc.yaml run them, with a config whose files are the batch's (`batch_config`): the same
code, so the same output bytes, in the batch's own folder. Labels reach the labelled
folder through `tema.labels.importing.add_labels`, as `tema labels import`, under the
label store's lock. The only additions here are what the app's pages need: a progress
callback in place of a progress bar, the check of a file before it goes into a batch, and
the new model's score on the units users labelled themselves.

Nothing here runs `dvc`: the files written are the ones the stages write, atomically, so
`dvc repro` afterwards sees a consistent workspace and reruns what changed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tema.errors import InputError, TemaError

if TYPE_CHECKING:
    import pandas as pd

    from tema.config import Config
    from tema.ingest.stage import IngestResult
    from tema.labels.importing import ImportResult
    from tema.labels.suggest import SuggestResult
    from tema.report.stage import ReportResult
    from tema.serve.annotations import Decision
    from tema.train.stage import TrainResult

# progress(step, done, total): how far a step is (total None when not known in advance).
Progress = Callable[[str, int, int | None], None]
T = TypeVar("T")
# Where the app's labels come from, as the labelled files and the conflicts file name it.
LABEL_SOURCE = Path("tema serve")


def _no_progress(step: str, done: int, total: int | None) -> None:
    """The default progress callback: says nothing."""


@dataclass(frozen=True)
class BatchFiles:
    """The files of one run of a batch, as the pipeline's stages name them."""

    raw_dir: Path
    documents: Path
    skipped: Path
    units: Path
    classified: Path
    report_dir: Path
    # `tema suggest`'s picks: the batch's review order.
    suggestions: Path

    @classmethod
    def in_folder(cls, base: Path) -> BatchFiles:
        """The files of a run kept together in one folder (`base`)."""
        return cls(
            raw_dir=base / "raw",
            documents=base / "documents.jsonl",
            skipped=base / "skipped.csv",
            units=base / "units.csv",
            classified=base / "classified.csv",
            report_dir=base / "report",
            suggestions=base / "suggestions.csv",
        )


def batch_config(config: Config, files: BatchFiles) -> Config:
    """`config` with the batch's files in place of the pipeline's: what each stage reads
    and writes. Everything else (themes, settings, the model) is the project's."""
    return config.model_copy(
        update={
            "ingest": config.ingest.model_copy(
                update={
                    "raw_dir": files.raw_dir,
                    "documents": files.documents,
                    "skipped": files.skipped,
                }
            ),
            "segment": config.segment.model_copy(update={"units": files.units}),
            "classify": config.classify.model_copy(update={"classified": files.classified}),
            "report": config.report.model_copy(update={"out_dir": files.report_dir}),
        }
    )


def model_exists(config: Config) -> bool:
    files = config.train.model_files
    return files.card.is_file() and files.model.is_file()


# --- a batch through the stages ---------------------------------------------------------------
def check_file(config: Config, path: Path, text_column: str = "", sheet: str = "") -> str | None:
    """Why `tema ingest` could not read the file (its own message), or None if it can.
    `text_column` and `sheet`: the manifest's columns of that name for the file. Ingest
    skips a file it cannot read but stops at a table it cannot use; checked first, such a
    file is left out of the batch with its reason, and the rest runs."""
    from tema.ingest.readers import read_source

    columns = [text_column] if text_column else list(config.ingest.text_columns)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read_source(path, columns, sheet or None)
    except InputError as error:
        # The file is named beside the reason; its path in the app's data folder is not
        # the user's business.
        return f"line {error.line}: {error.reason}" if error.line else error.reason
    except TemaError as error:
        return str(error)
    return None


def ingest(config: Config) -> IngestResult:
    """`tema ingest` of the batch of `config` (`batch_config`): its raw folder and the
    manifest there into its documents and skipped files."""
    from tema.ingest import stage

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # what was skipped is in the result, with its reason
        return stage.run(config)


def segment(config: Config, progress: Progress = _no_progress) -> int:
    """`tema segment` of the batch of `config`; returns the number of units."""
    from tema.ingest.stage import document_count
    from tema.segment import stage

    total = document_count(config.ingest.documents)
    watch = _counting("segment", total, progress)
    return stage.run(config, watch=watch).units


def classify(config: Config, progress: Progress = _no_progress) -> int:
    """`tema classify` of the batch of `config`; returns the number of units."""
    from tema.classify import stage

    total = max(0, _lines(config.segment.units) - 1)  # an estimate: a text may hold a line break
    watch = _counting("classify", total, progress, weight=len)
    return stage.run(config, watch=watch).count


def report(
    config: Config, language: str, source: str = "", names: Mapping[str, str] | None = None
) -> ReportResult:
    """`tema report` of the batch of `config` into its report folder: report.html,
    report.xlsx, theme_counts.csv, theme_over_time.csv and units.csv. `source`: where the
    batch came from, as the report names it (the report's `ingest.raw_dir`; default the
    batch's raw folder, which is only the app's copy of its files). `names`: each file's
    stored name → the name report.html and report.xlsx give it (the name the user sent)."""
    from tema.report import stage

    if source:
        config = config.model_copy(
            update={"ingest": config.ingest.model_copy(update={"raw_dir": Path(source)})}
        )
    return stage.run(config, language=language, names=names)


def suggest(config: Config, output: Path, n: int | None = None) -> SuggestResult:
    """`tema suggest -n N -o OUTPUT` on the batch's classified units: the review order
    (`output`, a CSV) and the same picks for Excel and Label Studio beside it, replacing
    the run's earlier ones: the browser keeps its labels elsewhere (docs/serve.md)."""
    from tema.labels import suggest as picking

    return picking.run(config, n=n, output=output, overwrite=True)


def _counting(
    step: str, total: int | None, progress: Progress, weight: Callable[[Any], int] | None = None
) -> Callable[[Iterable[T]], Iterator[T]]:
    """A watcher for a stage's `run`: reports the items as they pass, each counted as
    `weight(item)` (the rows of a table) or as one."""

    def watch(items: Iterable[T]) -> Iterator[T]:
        done = 0
        progress(step, 0, total)
        for item in items:
            yield item
            done += weight(item) if weight else 1
            progress(step, done if total is None else min(done, total), total)

    return watch


def _lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


# --- labels -----------------------------------------------------------------------------------
def save_labels(config: Config, annotator: str, decisions: Sequence[Decision]) -> ImportResult:
    """An annotator's label decisions into the labelled folder, as `tema labels import`
    adds a file (`tema.labels.importing.add_labels`): one new file with the annotator's
    name and the date, a unit already labelled otherwise to the conflicts file, the same
    label again skipped; under the label store's lock, so that other writers wait."""
    from tema.labels.exchange import IncomingLabel
    from tema.labels.importing import add_labels

    rows = [
        IncomingLabel(
            text=decision.text,
            label=decision.label,
            second_label=decision.second_label,
            source_id=decision.id,
            where=f"batch {decision.batch}, {decision.doc}, unit {decision.unit}",
        )
        for decision in decisions
    ]
    return add_labels(
        rows,
        config.train.labeled_dir,
        config.themes,
        annotator,
        config.labels.conflicts,
        source=LABEL_SOURCE,
    )


# --- train ------------------------------------------------------------------------------------
TRAIN_STEPS = 3  # what `tema.train.stage.run` reports done: training, comparison, saving


def train(config: Config, progress: Progress = _no_progress) -> TrainResult:
    """`tema train`: cross-validate, fit, and let the promotion gate decide and save."""
    from tema.train import stage

    done = 0

    def step_done() -> None:
        nonlocal done
        done += 1
        progress("train", done, TRAIN_STEPS)

    progress("train", 0, TRAIN_STEPS)
    return stage.run(config, done=step_done)


def own_score(config: Config, trained: TrainResult) -> dict[str, Any] | None:
    """The new model's cross-validated score on the units users labelled themselves
    (`tema labels import`, the app included): each predicted by a model that had not
    seen it. Macro-F1 and per-theme F1 with 95% bootstrap intervals; None without such
    units."""

    from tema.io.tables import read_frame
    from tema.train.metrics import classification_scores

    oof = read_frame(_candidate_oof(config, trained), dtype={"label": "str", "theme": "str"})
    if "origin" not in oof.columns:
        return None
    own: pd.DataFrame = oof[oof["origin"] == "imported"]
    if own.empty:
        return None
    scores = classification_scores(
        own["label"].to_numpy(dtype=object),
        own["theme"].to_numpy(dtype=object),
        config.theme_ids,
        seed=config.train.seed,
    )
    return {"n": len(own), **scores}


def _candidate_oof(config: Config, trained: TrainResult) -> Path:
    """Where `tema.train.stage.save` put the candidate's out-of-fold predictions: in place
    of the current ones when promoted, else beside the candidate model."""
    cv_predictions = config.train.cv_predictions
    if trained.verdict.promote:
        return cv_predictions
    return trained.saved_to.parent / cv_predictions.name
