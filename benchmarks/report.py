"""Benchmark of `tema report` on a large synthetic batch: time and peak memory.

    .venv/bin/python benchmarks/report.py                     # 2,000 documents, 200k units
    .venv/bin/python benchmarks/report.py --documents 200     # a tenth, to compare memory

The batch (documents.jsonl and classified.csv, as ingest and classify write them) is
generated in a child process, so the peak memory printed is that of the report alone:
streaming classified units in chunks into units.csv and the counts, then report.html and
report.xlsx (with every uncertain unit). Bounded memory shows as a peak that barely
grows when the batch grows tenfold.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

THEMES = ["education", "employers", "discrimination", "housing", "voluntary", "other"]
REGIONS = ["Nord-Norge", "Midt-Norge", "Vestlandet", "Sørlandet", "Østlandet", "Oslo"]
WORDS = ["bolig", "norskkurs", "arbeidsgiver", "frivillig", "diskriminering", "startlån"]


def generate(folder: Path, documents: int, units_per_document: int, seed: int = 1) -> None:
    """documents.jsonl (a third PDFs with pages, a sixth surveys) and classified.csv."""
    rng = np.random.default_rng(seed)
    unit_len = 80
    with open(folder / "documents.jsonl", "w", encoding="utf-8") as handle:
        for number in range(documents):
            text_len = units_per_document * unit_len
            record = {
                "doc": f"doc{number:05d}.txt",
                "file": f"raw/doc{number:05d}.txt",
                "meeting": f"Innspillmøte {number % 120:03d}",
                "region": REGIONS[number % len(REGIONS)],
                "date": f"{2017 + number % 3}-{1 + number % 12:02d}-15",
                "text": "x" * text_len,
                "extra": {},
                "pages": list(range(0, text_len, 2_000)) if number % 3 == 0 else [],
                "answers": [
                    {"start": i * unit_len, "end": i * unit_len + 70, "row": i + 2,
                     "metadata": {"alder": str(20 + i % 50)}}
                    for i in range(units_per_document)
                ] if number % 6 == 1 else [],
            }  # fmt: skip
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    total = documents * units_per_document
    chunk = 50_000
    for first in range(0, total, chunk):
        index = np.arange(first, min(total, first + chunk))
        doc = index // units_per_document
        unit = index % units_per_document
        confidence = rng.beta(5, 1.5, len(index)).round(4)
        theme = rng.choice(THEMES, len(index), p=[0.2, 0.2, 0.15, 0.15, 0.1, 0.2])
        texts = [" ".join(rng.choice(WORDS, 8)) + "." for _ in index]
        frame = pd.DataFrame(
            {
                "doc": [f"doc{d:05d}.txt" for d in doc],
                "unit": unit,
                "start": unit * unit_len,
                "end": unit * unit_len + 70,
                "kind": np.where(unit % 10 == 0, "heading", "sentence"),
                "section": "",
                "text": texts,
                "repeat_of": "",
                "theme": theme,
                "confidence": confidence,
                "second_theme": "",
                "uncertain": confidence < 0.5,
            }
        )
        frame.to_csv(folder / "classified.csv", mode="a", header=first == 0, index=False)
    oof = pd.DataFrame({"label": rng.choice(THEMES, 2_000), "theme": rng.choice(THEMES, 2_000)})
    oof["theme"] = np.where(rng.random(2_000) < 0.85, oof["label"], oof["theme"])
    oof.to_csv(folder / "cv_predictions.csv", index=False)


def run(folder: Path, language: str) -> None:
    from tema.config import load_config
    from tema.ingest.stage import read_documents
    from tema.report.html import render_html
    from tema.report.shares import confusion_from_cv
    from tema.report.stage import build_report
    from tema.report.units import uncertain_units
    from tema.report.xlsx import write_xlsx

    themes = load_config(Path(__file__).resolve().parent.parent / "params.yaml").themes
    ids = [t.id for t in themes]
    out = folder / "reports"
    started = time.perf_counter()
    confusion = confusion_from_cv(pd.read_csv(folder / "cv_predictions.csv"), ids)
    summary = build_report(
        folder / "classified.csv",
        read_documents(folder / "documents.jsonl"),
        out,
        ids,
        ["sentence", "bullet", "answer"],
        confusion,
        quiet=False,
    )
    counted = time.perf_counter()
    card = {"cross_validation": {"macro_f1": {"value": 0.87, "ci_low": 0.85, "ci_high": 0.89}}}
    (out / "report.html").write_text(render_html(summary, themes, card, language), encoding="utf-8")
    write_xlsx(
        out / "report.xlsx", summary, themes, card, language, uncertain_units(out / "units.csv")
    )
    finished = time.perf_counter()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = {p.name: f"{p.stat().st_size / 1e6:.1f} MB" for p in sorted(out.iterdir())}
    print(f"units counted: {summary.n_units:,} ({summary.n_uncertain:,} uncertain) "
          f"from {summary.n_documents:,} documents")  # fmt: skip
    print(f"stream + counts: {counted - started:.1f} s; html + xlsx: {finished - counted:.1f} s; "
          f"total {finished - started:.1f} s")  # fmt: skip
    print(f"peak memory (ru_maxrss) of the report process: {peak_mib:.0f} MiB")
    print(f"outputs: {sizes}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--units-per-document", type=int, default=100)
    parser.add_argument("--language", default="nb")
    parser.add_argument("--keep", type=Path, help="Folder to keep the batch and reports in.")
    parser.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.documents, args.units_per_document)
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--generate-only", str(folder),
             "--documents", str(args.documents),
             "--units-per-document", str(args.units_per_document)],
            check=True,
        )  # fmt: skip
        print(f"generated {args.documents:,} documents × {args.units_per_document} units "
              f"in {time.perf_counter() - started:.1f} s (child process)")  # fmt: skip
        run(folder, args.language)


if __name__ == "__main__":
    main()
