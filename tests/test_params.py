from __future__ import annotations

from pathlib import Path

import pytest

from tema.errors import InputError
from tema.params import load_params, themes_from


def test_project_params_define_the_six_themes_in_order():
    themes = themes_from(load_params(Path("params.yaml")))
    assert [t.id for t in themes] == [
        "education",
        "employers",
        "discrimination",
        "housing",
        "voluntary",
        "other",
    ]
    assert themes[0].nb == "Utdanning og kvalifisering"
    assert themes[-1].nb == "Annet"


def test_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="parameter file not found"):
        load_params(tmp_path / "nope.yaml")


def test_malformed_yaml_names_the_line(tmp_path: Path):
    path = tmp_path / "params.yaml"
    path.write_text("train:\n  seed: 1\n bad: [\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_params(path)
    assert error.value.line is not None


@pytest.mark.parametrize(
    "themes",
    [
        [],
        [{"id": "a", "nb": "A"}],
        [{"id": "a", "nb": "A", "en": "A"}, {"id": "a", "nb": "B", "en": "B"}],
    ],
)
def test_bad_theme_lists_are_refused(themes):
    with pytest.raises(InputError):
        themes_from({"themes": themes})
