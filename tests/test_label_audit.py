"""`tema labels audit`: likely mislabelled units (tema.labels.audit)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import tiny_rows
from tema.errors import InputError, TemaError
from tema.labels.audit import audit

REPO = Path(__file__).resolve().parent.parent
THEMES = ["a", "b", "c"]


def oof_frame(n: int = 90, flipped: tuple[int, ...] = (3, 17, 40)) -> pd.DataFrame:
    """Out-of-fold probabilities of a good model; the units in `flipped` carry a wrong label."""
    rng = np.random.default_rng(0)
    truth = np.array(THEMES * (n // 3))
    probabilities = rng.dirichlet([1, 1, 1], size=n) * 0.2
    for i, label in enumerate(truth):
        probabilities[i, THEMES.index(label)] += 0.8
    labels = truth.copy()
    for i in flipped:
        labels[i] = THEMES[(THEMES.index(truth[i]) + 1) % 3]
    frame = pd.DataFrame(probabilities, columns=[f"p_{t}" for t in THEMES])
    frame.insert(0, "label", labels)
    frame.insert(0, "text", [f"tekst {i}" for i in range(n)])
    frame.insert(0, "id", [f"u{i}" for i in range(n)])
    frame["batch"] = "b1"
    return frame


def test_audit_finds_the_flipped_labels_and_where_they_live():
    oof = oof_frame()
    labeled = pd.DataFrame(
        {
            "id": oof["id"],
            "annotator": "kari",
            "file": "data/labeled/x.csv",
            "line": range(2, len(oof) + 2),
        }
    )
    flagged = audit(oof, labeled)
    assert set(flagged["id"]) == {"u3", "u17", "u40"}
    assert flagged["rank"].tolist() == [1, 2, 3]
    assert (flagged["p_label"] < flagged["p_suggested"]).all()
    row = flagged.set_index("id").loc["u3"]
    assert row["where"] == "data/labeled/x.csv, line 5" and row["annotator"] == "kari"
    assert row["suggested_label"] == "a"


def test_predictions_of_a_single_theme_are_a_clear_error():
    """One theme's units alone (a slice of the predictions given with --cv-predictions):
    nothing to tell them from, said in one line rather than cleanlab's traceback."""
    oof = oof_frame(flipped=())
    with pytest.raises(TemaError, match="labelled with one theme only"):
        audit(oof[oof["label"] == "a"])


def tiny_oof(themes: list[str]) -> pd.DataFrame:
    """Out-of-fold predictions of the tiny labelled folder; unit 14 (employers) is
    labelled housing."""
    rows = tiny_rows()
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(len(themes)), size=len(rows)) * 0.2
    for i, row in enumerate(rows):
        probabilities[i, themes.index(row["label"])] += 0.8
    oof = pd.DataFrame(probabilities, columns=[f"p_{t}" for t in themes])
    oof.insert(0, "label", [row["label"] for row in rows])
    oof.insert(0, "text", [row["text"] for row in rows])
    oof.insert(0, "id", [row["id"] for row in rows])
    oof.loc[14, "label"] = "housing"  # an employers unit labelled housing
    return oof


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nb",
            "1 av 54 merkede innspill ser feilmerket ut → data/label_review/audit.csv "
            "(fyll inn `decision`; rett merkingene i {labeled} for hånd)",
        ),
        (
            "en",
            "1 of 54 labelled units look mislabelled → data/label_review/audit.csv "
            "(fill in `decision`; fix labels in {labeled} by hand)",
        ),
    ],
)
def test_cli_audit_says_what_it_found_in_the_session_s_language(
    tmp_path: Path, tiny_labeled_dir: Path, monkeypatch: pytest.MonkeyPatch, language, said
):
    # Before: the closing line was in English whatever the language, unlike the other
    # labels commands (suggest, import, agreement).
    from typer.testing import CliRunner

    from tema.cli.main import app
    from tema.config import load_config

    monkeypatch.chdir(tmp_path)
    params = (REPO / "params.yaml").read_text(encoding="utf-8")
    params = params.replace("labeled_dir: data/labeled", f"labeled_dir: {tiny_labeled_dir}")
    (tmp_path / "params.yaml").write_text(params, encoding="utf-8")
    tiny_oof(load_config(tmp_path / "params.yaml").theme_ids).to_csv("oof.csv", index=False)
    command = ["--language", language, "labels", "audit", "--cv-predictions", "oof.csv"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == said.format(labeled=tiny_labeled_dir)


def test_run_audits_the_labelled_folder_and_writes_the_review_file(
    tmp_path: Path, tiny_labeled_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    from tema.config import load_config
    from tema.labels import audit as stage

    monkeypatch.chdir(tmp_path)
    config = load_config(REPO / "params.yaml")
    config = config.model_copy(
        update={"train": config.train.model_copy(update={"labeled_dir": tiny_labeled_dir})}
    )
    rows = tiny_rows()
    oof = tiny_oof(config.theme_ids)
    oof.to_csv(tmp_path / "oof.csv", index=False)
    result = stage.run(config, cv_predictions=tmp_path / "oof.csv")
    assert result.n_audited == len(rows) and result.output == config.labels.audit
    assert result.flagged["id"].tolist() == [rows[14]["id"]]
    written = pd.read_csv(config.labels.audit, keep_default_na=False)
    assert written["id"].tolist() == result.flagged["id"].tolist()
    assert written.at[0, "where"].endswith("tiny.csv, line 16")
    oof.iloc[1:].to_csv(tmp_path / "stale.csv", index=False)
    with pytest.warns(UserWarning, match=r"stale.csv: 1 unit\(s\) differ from .*labeled"):
        stage.run(config, cv_predictions=tmp_path / "stale.csv", output=tmp_path / "a.csv")
    # A predictions file audit cannot use is named in the error.
    oof[oof["label"] == "housing"].to_csv(tmp_path / "one.csv", index=False)
    with pytest.warns(UserWarning), pytest.raises(InputError, match=r"one\.csv: .*one theme"):
        stage.run(config, cv_predictions=tmp_path / "one.csv", output=tmp_path / "b.csv")
    assert not (tmp_path / "b.csv").exists()


def test_a_new_audit_keeps_the_reviewers_decisions(tmp_path: Path):
    from tema.labels.audit import with_earlier_review

    first = audit(oof_frame(flipped=(3, 17, 40)))
    path = tmp_path / "audit.csv"
    # The reviewer decides two units in Excel (";", Windows-1252) and adds a column.
    reviewed = first.astype(str).assign(merknad="")
    reviewed.loc[reviewed["id"] == "u3", ["decision", "merknad"]] = ["riktig", "sjekket på møtet"]
    reviewed.loc[reviewed["id"] == "u40", "decision"] = "feil – rettet til c"
    reviewed.to_csv(path, sep=";", index=False, encoding="cp1252")
    # After the fix, u40 is no longer flagged.
    second = audit(oof_frame(flipped=(3, 17)))
    kept = with_earlier_review(second, path).set_index("id")
    assert kept.loc["u3", ["decision", "merknad"]].tolist() == ["riktig", "sjekket på møtet"]
    assert kept.loc["u17", "decision"] == ""
    assert kept.loc["u40", "decision"] == "feil – rettet til c"  # kept, unranked, at the end
    assert kept.index[-1] == "u40" and kept.loc["u40", "rank"] == ""
    assert str(kept.loc["u3", "rank"]) == str(second.set_index("id").loc["u3", "rank"])


def test_an_audit_file_without_tema_s_columns_is_refused_before_writing(tmp_path: Path):
    from tema.errors import InputError
    from tema.labels.audit import with_earlier_review

    path = tmp_path / "audit.csv"
    path.write_text("id,decision\nu3,riktig\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"column\(s\) label that tema wrote are gone") as error:
        with_earlier_review(audit(oof_frame()), path)
    assert error.value.line == 1 and path.read_text(encoding="utf-8") == "id,decision\nu3,riktig\n"


def test_excel_s_empty_columns_are_dropped_and_a_nameless_note_is_kept(tmp_path: Path):
    from tema.labels.audit import with_earlier_review

    first = audit(oof_frame(flipped=(3, 17, 40)))
    path = tmp_path / "audit.csv"
    saved = first.astype(str)
    saved.loc[saved["id"] == "u3", "decision"] = "riktig"
    # Excel's used range past the last column: nameless columns, one of them with a note,
    # and a text Excel changed (a formula-like text becomes its result).
    saved.loc[saved["id"] == "u17", "text"] = "3"
    rows = [";".join([*saved.columns, "", "", ""])]
    for number, values in enumerate(saved.itertuples(index=False)):
        rows.append(
            ";".join([*map(str, values), "", "se møtereferatet" if number == 0 else "", ""])
        )
    path.write_text("\n".join(rows) + "\n", encoding="cp1252")
    kept = with_earlier_review(audit(oof_frame(flipped=(3, 17, 40))), path).set_index("id")
    assert kept.loc["u3", "decision"] == "riktig"
    note_column = f"column {len(saved.columns) + 2}"
    assert [c for c in kept.columns if c.startswith("column ")] == [note_column]
    assert kept.loc[first.at[0, "id"], note_column] == "se møtereferatet"
