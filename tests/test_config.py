from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tema.config import Config, ModelFiles, load_config
from tema.errors import InputError

REPO = Path(__file__).resolve().parent.parent


def _write(tmp_path: Path, change) -> Path:
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    change(params)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_project_params_define_the_six_themes_in_order():
    config = load_config(REPO / "params.yaml")
    assert config.theme_ids == [
        "education",
        "employers",
        "discrimination",
        "housing",
        "voluntary",
        "other",
    ]
    assert config.themes[0].nb == "Utdanning og kvalifisering"
    assert config.themes[-1].nb == "Annet"


def test_empty_optional_paths_are_none():
    config = load_config(REPO / "params.yaml")
    assert config.promote.holdout is None


def test_model_files_are_named_after_the_model():
    files = ModelFiles.beside(Path("models/x.joblib"))
    assert files.predictor == Path("models/x.predictor.npz")
    assert files.card == Path("models/x.card.json")
    assert files.card_md == Path("models/x.card.md")


def test_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="parameter file not found"):
        load_config(tmp_path / "nope.yaml")


def test_malformed_yaml_names_the_line(tmp_path: Path):
    path = tmp_path / "params.yaml"
    path.write_text("train:\n  seed: 1\n bad: [\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_config(path)
    assert error.value.line is not None


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda p: p["train"]["classifier"].update(c="many"), "train.classifier.c"),
        (lambda p: p["segment"].update(jobs=-1), "segment.jobs"),
        (lambda p: p["report"].update(language="de"), "report.language"),
        (lambda p: p["classify"].update(clasified="x.csv"), "classify.clasified"),
        (lambda p: p["labels"].pop("audit"), "labels.audit"),
        (lambda p: p.update(themes=[]), "themes"),
        (lambda p: p["serve"].update(allowed_hosts=["http://kontor-pc"]), "serve.allowed_hosts.0"),
    ],
)
def test_a_wrong_key_is_refused_with_its_name_and_line(tmp_path: Path, change, key):
    path = _write(tmp_path, change)
    with pytest.raises(InputError) as error:
        load_config(path)
    assert key in str(error.value)
    assert str(path) in str(error.value)
    assert error.value.line is not None


def test_duplicate_theme_ids_are_refused(tmp_path: Path):
    def twice(params):
        params["themes"].append(dict(params["themes"][0]))

    with pytest.raises(InputError, match="duplicate theme ids"):
        load_config(_write(tmp_path, twice))


def test_context_can_be_switched_off(tmp_path: Path):
    config = load_config(_write(tmp_path, lambda p: p["train"].pop("context")))
    assert config.train.context is None


def test_config_is_frozen():
    config = load_config(REPO / "params.yaml")
    with pytest.raises(ValueError):
        config.train.seed = 1  # type: ignore[misc]
    assert isinstance(config, Config)
