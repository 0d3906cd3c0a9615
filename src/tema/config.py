"""params.yaml, read once into one typed, validated `Config` that decides every path.

Every tunable and every file the pipeline reads or writes is a field here, with its type;
an unknown key, a missing key or a value of the wrong type is an `InputError` naming the
params file, the key and its line. Values live in params.yaml only: no field has a
default, so the file is the one place to look. (A section that can be switched off, such
as `train.context`, is optional.)

File names that follow from another setting are derived here and nowhere else: the model
files beside `train.model` (`ModelFiles`). dvc.yaml spells the same rule in its outs; a
test checks that the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from ipaddress import ip_address
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from tema.errors import InputError

DEFAULT_PARAMS_PATH = Path("params.yaml")
# libyaml's loader when PyYAML has it: the same result, ≈ 10 ms sooner on every command.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Language = Literal["nb", "en"]


class _Section(BaseModel):
    """A params.yaml section: frozen, and no key that the code does not know."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Theme(_Section):
    """One theme: its identifier (as in labelled data) and display names."""

    id: str = Field(min_length=1)
    nb: str = Field(min_length=1)
    en: str = Field(min_length=1)
    # Names it went by before a rename ("Bolig" after "Bolig og bosetting"): label files
    # written with them still import. They are read, never shown.
    also: tuple[str, ...] = ()


def theme_names(themes: Iterable[Theme], language: str) -> dict[str, str]:
    """Theme id → its display name in `language` ("nb" or "en")."""
    return {theme.id: getattr(theme, language) for theme in themes}


class IngestSettings(_Section):
    raw_dir: Path
    documents: Path
    skipped: Path
    text_columns: list[str] = Field(min_length=1)


class SegmentSettings(_Section):
    spacy_model: str
    units: Path
    lexicon: Literal["wordfreq", "simplemma", "spacy-lookups-data", "wordfreq+simplemma"]
    # Empty: build the word list on every run.
    lexicon_cache: Path | None
    max_heading_words: int = Field(gt=0)
    max_unit_chars: int = Field(gt=0)
    batch_size: int = Field(gt=0)
    jobs: int = Field(ge=0)


class SenterSettings(_Section):
    """The sentence recogniser that the frozen dvc stage `senter` builds."""

    # UD Norwegian Bokmål (its dev and test .conllu files), outside the repository.
    ud_dir: Path
    config: Path
    model: Path
    seed: int


class ClassifierSettings(_Section):
    c: float = Field(gt=0)
    word_ngram_max: int = Field(ge=1)
    char_ngram_min: int = Field(ge=1)
    char_ngram_max: int = Field(ge=1)
    calibration: Literal["sigmoid", "isotonic"]
    calibration_folds: int = Field(ge=2)
    embeddings: Literal["none", "cascade"]
    cascade_below: float = Field(ge=0, le=1)
    embedding_c: float = Field(gt=0)
    embedding_prefix: Literal["query", "passage"]
    pooling: Literal["mean", "geometric"]
    second_label_weight: float = Field(ge=0)
    embedding_cache: Path | None


class ContextSettings(_Section):
    reach: int = Field(ge=0)
    headings: bool


class FlaggingSettings(_Section):
    until_accuracy: float = Field(gt=0, le=1)
    max_share: float = Field(ge=0, le=1)


class ModelFiles(_Section):
    """The files of one saved model; all named after the model file, by one rule."""

    model: Path
    predictor: Path
    card: Path
    card_md: Path

    @classmethod
    def beside(cls, model: Path) -> ModelFiles:
        """`models/x.skops` → models/x.predictor.npz, models/x.card.json, models/x.card.md."""
        stem = model.with_suffix("")
        return cls(
            model=model,
            predictor=stem.with_name(stem.name + ".predictor.npz"),
            card=stem.with_name(stem.name + ".card.json"),
            card_md=stem.with_name(stem.name + ".card.md"),
        )


class TrainSettings(_Section):
    labeled_dir: Path
    model: Path
    cv_predictions: Path
    seed: int
    cv_folds: int = Field(ge=2)
    jobs: int = Field(ge=0)
    target_precision: float = Field(gt=0, le=1)
    second_theme_threshold: float = Field(ge=0, le=1)
    classifier: ClassifierSettings
    # Absent: units are read without their neighbours and heading.
    context: ContextSettings | None = None
    flagging: FlaggingSettings

    @property
    def model_files(self) -> ModelFiles:
        return ModelFiles.beside(self.model)


class EvaluateSettings(_Section):
    metrics_dir: Path
    learning_curve_fractions: list[float] = Field(min_length=1)


class ClassifySettings(_Section):
    classified: Path
    jobs: int = Field(ge=0)


class ReportSettings(_Section):
    out_dir: Path
    compare_dir: Path
    language: Language
    examples_per_theme: int = Field(ge=0)
    review_limit: int = Field(ge=0)
    counted_kinds: list[str] = Field(min_length=1)


class LabelsSettings(_Section):
    suggestions: Path
    suggest_n: int = Field(gt=0)
    diversity_weight: float = Field(ge=0)
    meeting_weight: float = Field(ge=0)
    conflicts: Path
    audit: Path


class PromoteSettings(_Section):
    candidate_dir: Path
    promotion: Path
    max_theme_drop: float = Field(ge=0, le=1)
    # Empty: compare on the units both cross-validations predicted.
    holdout: Path | None
    force: bool
    resamples: int = Field(gt=0)
    new_label_max_shortfall: float = Field(ge=0, le=1)
    new_label_z: float = Field(ge=0)


# A label of a host name (RFC 1123): letters, digits and hyphens, not first or last; and
# the underscore, which Windows allows in a computer's name ("KONTOR_PC") and browsers send.
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")


def host_name(name: str) -> str:
    """`name` as the app compares a Host header with it (lower case, as a browser sends
    it), if it is a host name ("kontor-pc", "kontor-pc.example.no") or an IP address;
    else a `ValueError` that says what a host name is."""
    text = name.strip().lower().removeprefix("[").removesuffix("]")
    try:
        return str(ip_address(text))
    except ValueError:
        pass
    labels = text.split(".")
    if len(text) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in labels):
        return text
    raise ValueError(
        f"{name!r} is not a host name: only letters a-z, digits, '-', '_' and '.' between "
        "names (no scheme, port or path: kontor-pc, not http://kontor-pc:8765/)"
    )


class AppSettings(_Section):
    """`tema serve`, the browser app."""

    host: str = Field(min_length=1)
    port: int = Field(ge=0, le=65535)
    data_dir: Path
    max_upload_mb: int = Field(gt=0)
    # Names of this computer the app answers to besides 127.0.0.1, localhost and ::1.
    allowed_hosts: list[Annotated[str, AfterValidator(host_name)]]


class Config(_Section):
    """The whole of params.yaml, by stage."""

    themes: list[Theme] = Field(min_length=1)
    ingest: IngestSettings
    segment: SegmentSettings
    senter: SenterSettings
    train: TrainSettings
    evaluate: EvaluateSettings
    classify: ClassifySettings
    report: ReportSettings
    labels: LabelsSettings
    promote: PromoteSettings
    serve: AppSettings
    # Where it was read from, for messages; not a key of the file.
    source: Path = Field(default=DEFAULT_PARAMS_PATH, exclude=True)

    @model_validator(mode="after")
    def _theme_ids_are_unique(self) -> Config:
        ids = [theme.id for theme in self.themes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate theme ids in 'themes': {ids}")
        return self

    @property
    def theme_ids(self) -> list[str]:
        return [theme.id for theme in self.themes]


def _empty_is_none(data: Any) -> Any:
    """YAML's "" for an unset optional path (lexicon_cache: "", holdout: "") means None."""
    if isinstance(data, dict):
        return {
            key: (None if value == "" else _empty_is_none(value)) for key, value in data.items()
        }
    if isinstance(data, list):
        return [_empty_is_none(value) for value in data]
    return data


def _line_of(node: yaml.Node | None, location: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the key at `location` in the composed YAML, or the nearest parent's."""
    line = None
    for step in location:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == step), None)
            line = next((k.start_mark.line + 1 for k, _ in node.value if k.value == step), line)
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
            line = node.start_mark.line + 1 if node is not None else line
        else:
            break
    return line


def load_config(path: str | Path = DEFAULT_PARAMS_PATH) -> Config:
    """Read and validate the params file; anything wrong is an error naming key and line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            path, "parameter file not found (run tema from the project folder, or pass --params)"
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError(
            path, f"not valid YAML: {exc}", None if line is None else line + 1
        ) from exc
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping of stage names to settings")
    try:
        return Config.model_validate({**_empty_is_none(data), "source": path})
    except ValidationError as exc:
        error = exc.errors()[0]
        location = tuple(error["loc"])
        key = ".".join(str(step) for step in location) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        line = _line_of(yaml.compose(text, Loader=_YAML_LOADER), location)
        raise InputError(path, f"{key}: {error['msg']}{more}", line) from exc
