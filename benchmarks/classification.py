"""Theme classification on real text that tema never trained on.

    .venv/bin/python benchmarks/classification.py [--candidates] [--units 10000] [--cold]

Trains tema's classifier on data/labeled/ with the settings in params.yaml (timing
training plus grouped cross-validation, with the embedding cache warm), then scores it on
two sets of real text from ../shared/eval/ (evaluation only: nothing is trained, tuned or
thresholded on them):

- the seed report (../shared/seed/integreringskonferansen-2017.txt) two ways:
  **pipeline** — the raw report put through `tema segment`, then classified as
  `tema classify` does (so units are read in their context); each gold unit (sentences
  and bullets of seed_gold.tsv) is matched to the predicted unit with the same span, and
  a gold unit with no such unit counts as wrong; and **table** — the gold units' texts
  classified as a table (no context);
- dev_real.tsv, as a table.

For each set it prints strict and lenient macro-F1 with 95 % bootstrap intervals (lenient:
the predicted theme equals the gold label or the gold second label), per-theme F1, the
share of `other` predicted against gold, the largest theme-share error (|predicted share −
gold share| of the worst theme) raw and corrected for the classifier's cross-validated
confusions as the report corrects it, expected calibration error, and accuracy among the
units not flagged uncertain with the share flagged. Then training time and end-to-end
units/s on a batch of `--units` distinct units (`tema segment` + `tema classify` as
subprocesses in a fresh folder, so no embedding cache helps).

`--candidates` does the same for the variants that were compared (docs/classifier.md),
`--cold` also times training with an empty embedding cache, `--max-batch 36` trains on the
rounds b01–b36 only (the labelled data before the rounds written for real register).
"""

from __future__ import annotations

import argparse
import copy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_REPORT = SHARED / "seed" / "integreringskonferansen-2017.txt"
SEED_GOLD = SHARED / "eval" / "seed_gold.tsv"
DEV_REAL = SHARED / "eval" / "dev_real.tsv"
SCORED_KINDS = ("sentence", "bullet")
TEMA = [sys.executable, "-m", "tema"]


def read_tsv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        sys.exit(f"error: {path} not found (the shared evaluation data beside the repository)")
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


def segment_report(report: Path, workdir: Path) -> pd.DataFrame:
    """The report's units as `tema segment` writes them."""
    units_csv = workdir / "seed_units.csv"
    subprocess.run(
        [*TEMA, "segment", str(report), "-o", str(units_csv)],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    return pd.read_csv(units_csv, keep_default_na=False, dtype={"section": str, "text": str})


def match_spans(gold: pd.DataFrame, units: pd.DataFrame) -> np.ndarray:
    """For each gold unit, the row of the predicted unit with the same span, or -1."""
    rows = {
        (int(s), int(e)): i
        for i, (s, e) in enumerate(zip(units["start"], units["end"], strict=False))
    }
    return np.array(
        [rows.get((int(s), int(e)), -1) for s, e in zip(gold["start"], gold["end"], strict=False)]
    )


def scores(
    truth: np.ndarray,
    second: np.ndarray,
    predicted: pd.DataFrame,
    themes: list[str],
    confusion: pd.DataFrame,
    seed: int,
) -> dict[str, float]:
    """Every figure the benchmark prints for one set (see the module docstring)."""
    from tema.report.shares import adjust_shares
    from tema.train.metrics import classification_scores, expected_calibration_error

    theme = predicted["theme"].to_numpy(dtype=object)
    flagged = predicted["uncertain"].to_numpy(dtype=bool)
    lenient_theme = np.where((theme == second) & (second != ""), truth, theme)
    strict = classification_scores(truth, theme, themes, seed=seed)
    lenient = classification_scores(truth, lenient_theme, themes, seed=seed)
    gold_share = np.array([np.mean(truth == t) for t in themes])
    raw_share = np.array([np.mean(theme == t) for t in themes])
    corrected = adjust_shares(raw_share[None, :], confusion.loc[themes, themes].to_numpy())[0]
    correct = theme == truth
    row = {
        "strict_f1": strict["macro_f1"]["value"],
        "strict_lo": strict["macro_f1"]["ci_low"],
        "strict_hi": strict["macro_f1"]["ci_high"],
        "lenient_f1": lenient["macro_f1"]["value"],
        "lenient_lo": lenient["macro_f1"]["ci_low"],
        "lenient_hi": lenient["macro_f1"]["ci_high"],
        "accuracy": float(correct.mean()),
        "other_pred": float(np.mean(theme == "other")),
        "other_gold": float(np.mean(truth == "other")),
        "share_err_raw": float(np.abs(raw_share - gold_share).max()),
        "share_err_corr": float(np.abs(corrected - gold_share).max()),
        "ece": expected_calibration_error(predicted["confidence"].to_numpy(float), correct),
        "acc_unflagged": float(correct[~flagged].mean()) if (~flagged).any() else float("nan"),
        "flagged": float(flagged.mean()),
    }
    for name, value in strict["per_theme_f1"].items():
        row[f"f1_{name}"] = value["value"]
    return row


def evaluate_model(model, oof: pd.DataFrame, sets: dict, themes: list[str], seed: int) -> dict:
    """Scores of one trained model on the seed (pipeline and table) and dev_real."""
    from tema.classify.stage import classify_units
    from tema.report.shares import confusion_from_cv

    confusion = confusion_from_cv(oof, themes)
    gold, units, matched, dev = sets["gold"], sets["units"], sets["matched"], sets["dev"]
    classified = classify_units(units, model).reset_index(drop=True)
    found = matched >= 0
    through = pd.DataFrame(
        {
            "theme": np.where(found, classified["theme"].to_numpy(object)[matched], "(missed)"),
            "confidence": np.where(found, classified["confidence"].to_numpy(float)[matched], 0.0),
            "uncertain": np.where(found, classified["uncertain"].to_numpy(bool)[matched], True),
        }
    )
    results = {}
    for name, truth, predicted in (
        ("seed pipeline", gold, through),
        ("seed table", gold, model.predict(gold["text"].tolist())),
        ("dev_real", dev, model.predict(dev["text"].tolist())),
    ):
        results[name] = scores(
            truth["label"].to_numpy(object), truth["second_label"].to_numpy(object),
            predicted, themes, confusion, seed,
        )  # fmt: skip
    return results


def end_to_end(model, real_texts: list[str], units_wanted: int, workdir: Path) -> float:
    """Units per second of `tema segment` + `tema classify` on a batch of distinct units,
    run as subprocesses in a fresh folder (so no embedding cache helps).

    The units are real text (the seed's and dev_real's, numbered to make each distinct):
    how many the cascade sends to the slow encoder depends on how sure the fast model is,
    and it is surer of text like its own training data.
    """
    from tema.classify.persist import save_model

    folder = Path(tempfile.mkdtemp(dir=workdir))
    model_path = folder / "theme_classifier.skops"
    embedder = None
    if getattr(model.classifier, "embedding_pipeline_", None) is not None:
        embedder = model.classifier.embedding_pipeline_.named_steps["embeddings"]
    cache_dir = getattr(embedder, "cache_dir", None)
    if embedder is not None:
        embedder.cache_dir = None  # every unit embedded, as in a new batch
    try:
        save_model(model, model_path)
    finally:
        if embedder is not None:
            embedder.cache_dir = cache_dir
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["segment"]["spacy_model"] = str(REPO / params["segment"]["spacy_model"])
    params["segment"]["lexicon_cache"] = str(REPO / params["segment"]["lexicon_cache"])
    params["train"]["model"] = str(model_path)
    params["segment"]["units"] = str(folder / "units.csv")
    params["classify"]["classified"] = str(folder / "classified.csv")
    (folder / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), "utf-8")
    # Distinct texts, as bullet lists in documents of 80 units.
    texts = [f"{real_texts[i % len(real_texts)]} (nr. {i})" for i in range(units_wanted)]
    for number, start in enumerate(range(0, len(texts), 80)):
        body = "\n".join(f"- {text}" for text in texts[start : start + 80])
        (folder / f"notat{number:04d}.txt").write_text(body + "\n", encoding="utf-8")
    files = sorted(str(p) for p in folder.glob("notat*.txt"))
    base = [*TEMA, "--params", str(folder / "params.yaml")]
    start = time.perf_counter()
    subprocess.run([*base, "segment", *files, "-o", str(folder / "units.csv")],
                   cwd=folder, check=True, capture_output=True)  # fmt: skip
    subprocess.run([*base, "classify"], cwd=folder, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    classified = pd.read_csv(folder / "classified.csv", usecols=["theme"])
    return len(classified) / seconds


def candidate_settings(settings: dict) -> dict[str, dict]:
    """The default and the variants compared; each is a change to params.yaml's train."""
    variants: dict[str, dict] = {
        "default": {},
        "fast path (TF-IDF only)": {"classifier": {"embeddings": "none"}},
    }
    variants.update(
        {
            "cascade, no context": {"context": None},
            "context, neighbours only": {"context": {"headings": False}},
            # 1.0, the most params allow: calibrated confidences stay below it.
            "e5 on every unit": {"classifier": {"cascade_below": 1.0}},
            "geometric pooling": {"classifier": {"pooling": "geometric"}},
            "second labels learned (weight 0.3)": {"classifier": {"second_label_weight": 0.3}},
            "e5 passage prefix, C=10 (before)": {
                "classifier": {"embedding_prefix": "passage", "embedding_c": 10.0}
            },
        }
    )
    result = {}
    for name, change in variants.items():
        variant = copy.deepcopy(settings)
        for key, value in change.items():
            if isinstance(value, dict):
                variant[key].update(value)
            elif value is None:
                variant.pop(key, None)
            else:
                variant[key] = value
        result[name] = variant
    return result


def format_rows(rows: dict[str, dict], themes: list[str]) -> str:
    lines = []
    header = (
        f"{'':34s}{'strict F1 (95% CI)':>21s}{'lenient F1 (95% CI)':>22s}{'acc':>6s}"
        f"{'other p/g':>11s}{'share err raw/corr':>19s}{'ECE':>6s}{'acc unflagged (flagged)':>25s}"
    )
    lines.append(header)
    for name, row in rows.items():
        lines.append(
            f"{name:34s}"
            f"{row['strict_f1']:>8.3f} ({row['strict_lo']:.3f}–{row['strict_hi']:.3f})"
            f"{row['lenient_f1']:>9.3f} ({row['lenient_lo']:.3f}–{row['lenient_hi']:.3f})"
            f"{row['accuracy']:>6.3f}{row['other_pred']:>6.2f}/{row['other_gold']:.2f}"
            f"{row['share_err_raw']:>11.3f}/{row['share_err_corr']:.3f}{row['ece']:>8.3f}"
            f"{row['acc_unflagged']:>13.3f} ({row['flagged']:.0%})"
        )
        lines.append(
            f"{'':34s}per theme F1: " + ", ".join(f"{t} {row[f'f1_{t}']:.2f}" for t in themes)
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", action="store_true")
    parser.add_argument("--units", type=int, default=10_000,
                        help="units in the end-to-end batch (0: skip)")  # fmt: skip
    parser.add_argument("--cold", action="store_true",
                        help="also time training with an empty embedding cache")  # fmt: skip
    parser.add_argument("--max-batch", type=int, default=None,
                        help="train on batches b01…bN only")  # fmt: skip
    args = parser.parse_args(argv)

    from tema.config import TrainSettings, load_config
    from tema.labels.store import load_labeled
    from tema.train.stage import train, warm_embedding_cache

    typed = TrainSettings.model_validate  # the variants are params.yaml's train, changed

    # The raw mapping: the candidates below are variants of params.yaml's train section.
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    themes = load_config(REPO / "params.yaml").theme_ids
    settings = params["train"]
    settings["classifier"]["embedding_cache"] = str(
        REPO / settings["classifier"]["embedding_cache"]
    )
    labeled = load_labeled(REPO / settings["labeled_dir"], themes)
    if args.max_batch is not None:
        numbers = labeled["batch"].str.extract(r"(\d+)", expand=False).astype(int)
        labeled = labeled[numbers <= args.max_batch].reset_index(drop=True)
    gold = read_tsv(SEED_GOLD)
    gold = gold[gold["kind"].isin(SCORED_KINDS)].reset_index(drop=True)
    dev = read_tsv(DEV_REAL)
    workdir = Path(tempfile.mkdtemp(prefix="tema-classification-"))
    units = segment_report(SEED_REPORT, workdir)
    sets = {"gold": gold, "units": units, "matched": match_spans(gold, units), "dev": dev}
    print(f"training data: {len(labeled)} labelled units in {labeled['batch'].nunique()} batches")
    print(f"seed: {len(gold)} gold units ({', '.join(SCORED_KINDS)}), "
          f"{int((sets['matched'] >= 0).sum())} matched by span to the {len(units)} units "
          f"`tema segment` cut; dev_real: {len(dev)} units")  # fmt: skip

    variants = candidate_settings(settings)
    if not args.candidates:
        variants = {name: variants[name] for name in ("default", "fast path (TF-IDF only)")}
    for name, variant in variants.items():
        if args.cold and name == "default":
            cold = copy.deepcopy(variant)
            cold["classifier"]["embedding_cache"] = str(workdir / "cold_cache")
            start = time.perf_counter()
            train(labeled, themes, typed(cold))
            print(f"\n{name}: training + CV with an empty embedding cache "
                  f"{time.perf_counter() - start:.0f} s")  # fmt: skip
        warm_embedding_cache(labeled["text"].tolist(), typed(variant))
        start = time.perf_counter()
        model, oof = train(labeled, themes, typed(variant))
        seconds = time.perf_counter() - start
        results = evaluate_model(model, oof, sets, themes, variant["seed"])
        cv = model.card["cross_validation"]
        speed = ""
        if args.units and name in ("default", "fast path (TF-IDF only)"):
            real = [*gold["text"], *dev["text"]]
            speed = (f"; end to end {end_to_end(model, real, args.units, workdir):,.0f} "
                     f"units/s on {args.units:,} units")  # fmt: skip
        print(f"\n== {name}: training + {variant['cv_folds']}-fold grouped CV {seconds:.0f} s "
              f"(warm embedding cache); CV macro-F1 {cv['macro_f1']['value']:.3f}; "
              f"pool temperature {model.card.get('pool_temperature')}; context "
              f"{model.card.get('context', {})}{speed}")  # fmt: skip
        print(format_rows(results, themes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
