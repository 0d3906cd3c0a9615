"""Throughput and peak memory of `tema segment`, `tema classify` and the whole path.

    .venv/bin/python benchmarks/throughput.py [--sizes 10000 100000 1000000] [--jobs 2]
                                              [--model models/theme_classifier.skops]

For each size, builds a corpus of about that many units from the project's own texts
(paragraphs of the meeting reports in data/raw/ and the labelled units of data/labeled/
as bullet lists, shuffled into documents of about 80 units, seeded), writes it as an
ingested documents file, then runs, as subprocesses, exactly what `dvc repro` runs:

  segment   `tema segment --documents D -o units.csv --jobs N`
  classify  `tema classify -o classified.csv --jobs N` (units.csv → classified.csv)
  count     theme counts per document from classified.csv (read in chunks)

End to end = segment + classify + count (raw text → classified units → counts), wall
time including process start-up (loading the word list, spaCy pipeline and model),
which is also measured alone on a one-document input and reported. Beside it, in the
same run on the same text, the time `spacy.blank("nb")` takes to tokenize it (one core,
in this process; `nlp.pipe` over the documents).

Peak memory: the largest sum of proportional set size (PSS: resident memory, pages shared
between the forked workers counted once in all) over the command's process tree, sampled
every 100 ms with psutil. CPU time: user + system seconds of the command and its workers
(getrusage of the finished children), printed after the table; it varies less than wall
time when the machine is shared.

Without --model, the project's model (models/theme_classifier.skops, the default cascade).
Given a --model file that does not exist, the fast path (params.yaml's train settings
with `embeddings: none`, trained as `tema train` trains it: cross-validated, with the
fitted context weights and flagging on its card) is trained on data/labeled/ into the
work folder: `--model /tmp/none.skops` measures the fast path.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import psutil
import yaml

REPO = Path(__file__).resolve().parent.parent
TEMA = [sys.executable, "-m", "tema"]
UNITS_PER_DOCUMENT = 80
MIB = 1 << 20


def corpus_pieces() -> list[str]:
    """Paragraphs of the raw meeting reports and bullet lists of labelled units."""
    pieces = []
    for path in sorted((REPO / "data" / "raw").glob("*.txt")):
        pieces += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    labeled = pd.concat(
        pd.read_csv(p, keep_default_na=False)
        for p in sorted((REPO / "data" / "labeled").glob("*.csv"))
    )["text"].tolist()
    for start in range(0, len(labeled), 5):
        pieces.append("\n".join(f"- {text}" for text in labeled[start : start + 5]))
    return pieces


def write_corpus(path: Path, target_units: int, units_per_piece: float, seed: int = 0) -> int:
    """Documents of shuffled pieces, about `target_units` units in all; returns chars."""
    from tema.ingest.stage import Document

    rng = random.Random(seed)
    pieces = corpus_pieces()
    per_document = max(1, round(UNITS_PER_DOCUMENT / units_per_piece))
    n_documents = max(1, round(target_units / (per_document * units_per_piece)))
    chars = 0
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(n_documents):
            text = "\n\n".join(rng.choice(pieces) for _ in range(per_document)) + "\n"
            chars += len(text)
            document = Document(f"doc{number:06d}", f"doc{number:06d}.txt", "m", "r", "", text)
            handle.write(json.dumps(asdict(document), ensure_ascii=False) + "\n")
    return chars


def units_per_piece() -> float:
    """Units per corpus piece, measured by segmenting every piece once."""
    from tema.segment.sentences import load_pipeline
    from tema.segment.stage import segment_documents

    pieces = corpus_pieces()
    nlp = load_pipeline(str(REPO / "models" / "nb_senter"))
    units = sum(1 for _ in segment_documents([("all", "\n\n".join(pieces))], nlp))
    return units / len(pieces)


def children_cpu_seconds() -> float:
    """User + system CPU of all finished child processes (and their waited-for workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str], cwd: Path) -> tuple[float, float, float, str]:
    """(wall seconds, peak PSS of the process tree in MiB, CPU seconds of the tree,
    stdout) of one command."""
    cpu_before = children_cpu_seconds()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                total = 0
                for member in tree:
                    # PSS: pages shared by forked workers are counted once in all.
                    with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                        total += member.memory_full_info().pss
                peak = max(peak, total)
            except psutil.NoSuchProcess:
                return
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return elapsed, peak / MIB, children_cpu_seconds() - cpu_before, out.strip()


def count_themes(classified: Path) -> tuple[float, int]:
    start = time.perf_counter()
    counts = None
    for chunk in pd.read_csv(
        classified, usecols=["doc", "theme"], dtype=str, keep_default_na=False, chunksize=200_000
    ):
        part = chunk.groupby(["doc", "theme"]).size()
        counts = part if counts is None else counts.add(part, fill_value=0)
    return time.perf_counter() - start, 0 if counts is None else int(counts.sum())


def blank_tokenizer_seconds(documents: Path) -> tuple[float, int]:
    """Seconds `spacy.blank("nb")` takes to tokenize the documents' text, and tokens."""
    import spacy

    nlp = spacy.blank("nb")

    def texts():
        with open(documents, encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)["text"]

    list(nlp.pipe(["Oppvarming av tokenizeren."]))
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts(), batch_size=64))
    return time.perf_counter() - start, tokens


def ensure_model(model: Path | None, workdir: Path) -> Path:
    if model is not None and model.is_file():
        return model.resolve()
    from tema.classify.persist import save_model
    from tema.config import TrainSettings, load_config
    from tema.labels.store import load_labeled
    from tema.train.stage import train

    # The fast path as `tema train` makes it with `embeddings: none`: cross-validated, so
    # that its card has the fitted context weights and flagging that classify applies.
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    settings = params["train"]
    settings["classifier"]["embeddings"] = "none"
    themes = load_config(REPO / "params.yaml").theme_ids
    labeled = load_labeled(REPO / settings["labeled_dir"], themes)
    fitted, _ = train(labeled, themes, TrainSettings.model_validate(settings))
    path = workdir / "theme_classifier.skops"
    save_model(fitted, path)
    print(f"(no model given: trained the fast path on data/labeled/ into {path})")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--model", type=Path, default=REPO / "models/theme_classifier.skops")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="tema-throughput-"))
    workdir.mkdir(parents=True, exist_ok=True)
    model = ensure_model(args.model, workdir)
    per_piece = units_per_piece()
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / (1 << 30):.1f} GiB; "
          f"--jobs {args.jobs}; work folder {workdir}")  # fmt: skip
    print("peak memory = largest sum of PSS over the command and its workers (psutil, 100 ms)\n")

    def paths_for(tag: str) -> dict[str, Path]:
        return {
            "documents": workdir / f"documents-{tag}.jsonl",
            "units": workdir / f"units-{tag}.csv",
            "classified": workdir / f"classified-{tag}.csv",
            "params": workdir / f"params-{tag}.yaml",
        }

    def write_params(paths: dict[str, Path]) -> None:
        params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
        params["segment"]["spacy_model"] = str(REPO / params["segment"]["spacy_model"])
        params["segment"]["units"] = str(paths["units"])
        params["segment"]["lexicon_cache"] = str(workdir / "lexicon_cache")
        params["train"]["model"] = str(model)
        params["classify"]["classified"] = str(paths["classified"])
        paths["params"].write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")

    def pipeline(paths: dict[str, Path]) -> dict[str, float]:
        base = [*TEMA, "--params", str(paths["params"])]
        seg_s, seg_mem, seg_cpu, _ = run_measured(
            [*base, "segment", "--documents", str(paths["documents"]), "-o", str(paths["units"]),
             "--jobs", str(args.jobs)], workdir)  # fmt: skip
        cls_s, cls_mem, cls_cpu, _ = run_measured(
            [*base, "classify", "-o", str(paths["classified"]), "--jobs", str(args.jobs)], workdir
        )
        count_s, units = count_themes(paths["classified"])
        return {"segment_s": seg_s, "segment_mib": seg_mem, "segment_cpu": seg_cpu,
                "classify_s": cls_s, "classify_mib": cls_mem, "classify_cpu": cls_cpu,
                "count_s": count_s, "units": units}  # fmt: skip

    # Start-up: the same commands on a one-document input. The first run on a machine
    # builds the word-list cache (segment.lexicon_cache); measured apart, then again.
    small = paths_for("startup")
    write_corpus(small["documents"], 1, per_piece)
    write_params(small)
    first = pipeline(small)
    print(f"first run on this machine (builds the word-list cache): segment "
          f"{first['segment_s']:.1f} s, classify {first['classify_s']:.1f} s")  # fmt: skip
    startup = pipeline(small)
    startup_seg, startup_cls = startup["segment_s"], startup["classify_s"]
    print(f"start-up (one document): segment {startup_seg:.1f} s, classify {startup_cls:.1f} s "
          f"(word list, spaCy pipeline, model hash check and load)\n")  # fmt: skip

    header = (
        f"{'units':>9} {'tokens':>10} | {'segment u/s':>11} {'MiB':>5} | {'classify u/s':>12} "
        f"{'MiB':>5} | {'end-to-end s':>12} {'u/s':>7} {'u/s excl.start':>14} | "
        f"{'blank tok s':>11} {'ratio':>6} {'ratio excl.':>11}"
    )
    print(header)
    print("-" * len(header))
    cpu_lines = []
    for size in args.sizes:
        paths = paths_for(str(size))
        write_corpus(paths["documents"], size, per_piece)
        write_params(paths)
        result = pipeline(paths)
        blank_s, tokens = blank_tokenizer_seconds(paths["documents"])
        units = result["units"]
        total = result["segment_s"] + result["classify_s"] + result["count_s"]
        steady = total - startup_seg - startup_cls
        # Start-up varies by a few seconds: below that, excluding it means nothing.
        excluded = f"{units / steady:,.0f}" if steady > 0.25 * total else "n/a"
        excluded_ratio = f"{steady / blank_s:.2f}" if steady > 0.25 * total else "n/a"
        print(
            f"{units:>9,} {tokens:>10,} | {units / result['segment_s']:>11,.0f} "
            f"{result['segment_mib']:>5.0f} | {units / result['classify_s']:>12,.0f} "
            f"{result['classify_mib']:>5.0f} | {total:>12.1f} {units / total:>7,.0f} "
            f"{excluded:>14} | {blank_s:>11.1f} {total / blank_s:>6.2f} {excluded_ratio:>11}",
            flush=True,
        )
        cpu_lines.append(
            f"{units:>9,} | segment {result['segment_cpu']:6.1f} s "
            f"({result['segment_cpu'] / units * 1e6:5.1f} µs/unit) | classify "
            f"{result['classify_cpu']:6.1f} s ({result['classify_cpu'] / units * 1e6:5.1f} "
            f"µs/unit)"
        )
        for key in ("documents", "units", "classified"):
            paths[key].unlink(missing_ok=True)
    # Less noisy than wall time on a shared machine: what the work costs, on all cores.
    print("\nCPU time (user + system, the command and its workers, start-up included):")
    print("\n".join(cpu_lines))


if __name__ == "__main__":
    main()
