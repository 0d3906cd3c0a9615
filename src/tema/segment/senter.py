"""Stage `senter`: train tema's Norwegian sentence recogniser and save it as a spaCy pipeline.

    tema senter        # dvc.yaml's frozen stage `senter`; then `dvc commit -f senter`

Reads the UD Norwegian Bokmål treebank (CC BY-SA 4.0) from `senter.ud_dir`, outside the
repository: the dev split is the training data (the train split is not available to
tema), 10 % of it held out for spaCy's model selection; the test split is only used for
the final scores written into the pipeline's meta.json. The spaCy training config is
`senter.config` (configs/senter.cfg), the seed `senter.seed`. The pipeline is saved to
`senter.model` with a README that attributes the data; the folder is replaced in one
rename, so a failed run leaves the previous model as it was.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tema.errors import InputError

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from tema.config import Config

UD_DEV = "no_bokmaal-ud-dev.conllu"
UD_TEST = "no_bokmaal-ud-test.conllu"
UD_SOURCE = {
    "name": "UD Norwegian Bokmål (UD_Norwegian-Bokmaal), dev split",
    "url": "https://github.com/UniversalDependencies/UD_Norwegian-Bokmaal",
    "license": "CC BY-SA 4.0",
    "author": "Norwegian Language Bank at the National Library of Norway; "
    "Lilja Øvrelid, Petter Hohle, Per Erik Solberg, Ingerid Løyning Dale, Andre Kåsen",
}
HELD_OUT_SHARE = 0.1


@dataclass(frozen=True)
class Sentence:
    text: str  # the "# text" line
    words: tuple[str, ...]
    spaces: tuple[bool, ...]


def read_conllu_paragraphs(path: Path) -> list[list[Sentence]]:
    """Paragraphs (lists of sentences) of a CoNLL-U file, split at ``# newpar``/``# newdoc``."""
    paragraphs: list[list[Sentence]] = []
    current: list[Sentence] = []
    text = ""
    words: list[str] = []
    spaces: list[bool] = []
    new_paragraph = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") or line.startswith("# newdoc"):
            new_paragraph = True
        elif line.startswith("# text = "):
            text = line[len("# text = ") :]
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if words:
                if new_paragraph and current:
                    paragraphs.append(current)
                    current = []
                new_paragraph = False
                current.append(Sentence(text, tuple(words), tuple(spaces)))
            text, words, spaces = "", [], []
        else:
            fields = line.split("\t")
            if "-" in fields[0] or "." in fields[0]:
                continue  # multi-word token ranges and empty nodes carry no surface word
            words.append(fields[1])
            spaces.append("SpaceAfter=No" not in fields[9])
    if words:
        current.append(Sentence(text, tuple(words), tuple(spaces)))
    if current:
        paragraphs.append(current)
    return paragraphs


def rebuild_text(paragraphs: list[list[Sentence]]) -> tuple[str, list[int]]:
    """Raw text from the ``# text`` lines (sentences joined by a space, paragraphs by a
    blank line) and the character offsets where gold sentences end."""
    parts: list[str] = []
    ends: list[int] = []
    position = 0
    for p_index, paragraph in enumerate(paragraphs):
        if p_index:
            parts.append("\n\n")
            position += 2
        for s_index, sentence in enumerate(paragraph):
            if s_index:
                parts.append(" ")
                position += 1
            parts.append(sentence.text)
            position += len(sentence.text)
            ends.append(position)
    return "".join(parts), ends


def boundary_scores(gold_ends: list[int], predicted_ends: list[int]) -> dict[str, float]:
    """Precision, recall and F1 of sentence-end offsets."""
    gold, predicted = set(gold_ends), set(predicted_ends)
    hits = len(gold & predicted)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def paragraph_docs(vocab: Vocab, paragraphs: list[list[Sentence]]) -> Iterator[Doc]:
    """One gold Doc per paragraph, with sentence starts."""
    from spacy.tokens import Doc

    for paragraph in paragraphs:
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool | int | None] = []
        for sentence in paragraph:
            if spaces:
                spaces[-1] = True
            words.extend(sentence.words)
            spaces.extend(sentence.spaces)
            starts.extend([True] + [False] * (len(sentence.words) - 1))
        yield Doc(vocab, words=words, spaces=spaces, sent_starts=starts)


def write_corpora(ud_dir: Path, work_dir: Path, seed: int) -> tuple[Path, Path]:
    """Convert UD dev into spaCy's binary format: training part and held-out part."""
    import spacy
    from spacy.tokens import DocBin

    paragraphs = read_conllu_paragraphs(ud_dir / UD_DEV)
    random.Random(seed).shuffle(paragraphs)
    held_out = max(1, int(len(paragraphs) * HELD_OUT_SHARE))
    vocab = spacy.blank("nb").vocab
    train_path, dev_path = work_dir / "train.spacy", work_dir / "dev.spacy"
    DocBin(docs=paragraph_docs(vocab, paragraphs[held_out:])).to_disk(train_path)
    DocBin(docs=paragraph_docs(vocab, paragraphs[:held_out])).to_disk(dev_path)
    return train_path, dev_path


def score_on_ud_test(model_dir: Path, ud_dir: Path) -> dict[str, float]:
    """Boundary scores on UD test: tema's segmentation with this pipeline (clean-up and
    Norwegian rules included), and the senter alone on the same text."""
    import spacy

    from tema.segment.sentences import load_pipeline
    from tema.segment.stage import segment_text

    text, gold_ends = rebuild_text(read_conllu_paragraphs(ud_dir / UD_TEST))
    tema_scores = boundary_scores(
        gold_ends, [unit.end for unit in segment_text(text, load_pipeline(str(model_dir)))]
    )
    senter = spacy.load(model_dir)
    doc = senter(text)
    senter_ends = [s.start_char + len(s.text.rstrip()) for s in doc.sents if s.text.strip()]
    senter_scores = boundary_scores(gold_ends, senter_ends)
    return {
        **{f"tema_{key}": value for key, value in tema_scores.items()},
        **{f"senter_only_{key}": value for key, value in senter_scores.items()},
    }


LICENSE_NOTE = """# nb_senter — tema's Norwegian sentence recogniser

A spaCy pipeline with one `senter` component, trained by `tema senter`
(`src/tema/segment/senter.py`, the dvc stage `senter`) with `configs/senter.cfg`.

## Training data and licence

Trained on the dev split of **UD Norwegian Bokmål** (Universal Dependencies,
UD_Norwegian-Bokmaal), based on the Norwegian Dependency Treebank (NDT) of the Norwegian
Language Bank at the National Library of Norway; converted to UD by Ingerid Løyning Dale,
Per Erik Solberg and Andre Kåsen, building on conversions by Lilja Øvrelid; splits by
Petter Hohle. The data is licensed under the Creative Commons
Attribution-ShareAlike 4.0 International licence (CC BY-SA 4.0,
https://creativecommons.org/licenses/by-sa/4.0/). The trained weights are derived from
that data and are shared under the same licence, CC BY-SA 4.0.

## Scores (UD Norwegian Bokmål test, via tema.segment)

See `meta.json` → `performance`.
"""


@dataclass(frozen=True)
class SenterResult:
    """What `run` wrote: the pipeline folder, and its boundary scores on UD test."""

    model: Path
    scores: dict[str, float]


def run(config: Config, ud_dir: Path | None = None, output: Path | None = None) -> SenterResult:
    """The `senter` stage: train on UD dev (`ud_dir`, default `senter.ud_dir`), score on
    UD test, and replace the pipeline in `output` (default `senter.model`)."""
    from spacy.cli.train import train as spacy_train

    settings = config.senter
    ud_dir = ud_dir or settings.ud_dir
    output = output or settings.model
    _check_inputs(ud_dir, output, settings.config)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{output.name}.", dir=output.parent) as tmp:
        work_dir = Path(tmp)
        train_path, dev_path = write_corpora(ud_dir, work_dir, settings.seed)
        spacy_train(
            settings.config,
            output_path=work_dir / "training",
            overrides={
                "paths.train": str(train_path),
                "paths.dev": str(dev_path),
                "system.seed": settings.seed,
            },
        )
        built = work_dir / "training" / "model-best"
        _forget_training_paths(built)
        scores = score_on_ud_test(built, ud_dir)
        _describe(built, scores)
        _replace_folder(output, built, work_dir / "previous")
    return SenterResult(output, scores)


def _check_inputs(ud_dir: Path, output: Path, spacy_config: Path) -> None:
    for path in (ud_dir / UD_DEV, ud_dir / UD_TEST, spacy_config):
        if not path.is_file():
            raise InputError(path, "not found (senter.ud_dir and senter.config in params.yaml)")
    if output.exists() and not (output / "meta.json").is_file():
        # Never replace a folder that is not an earlier build (e.g. models/ itself).
        raise InputError(output, "exists and is not a spaCy pipeline; not replaced")


def _forget_training_paths(model_dir: Path) -> None:
    """The saved config without the temporary paths of the training data, which name a
    folder that is gone (and would make every build differ); loading never reads them."""
    from thinc.api import Config

    path = model_dir / "config.cfg"
    config = Config().from_disk(path, interpolate=False)
    config["paths"].update(train=None, dev=None)
    config.to_disk(path, interpolate=False)


def _describe(model_dir: Path, scores: dict[str, float]) -> None:
    """Name, licence, data source and UD test scores into meta.json; the README."""
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        name="nb_senter",
        version="0.1.0",
        description=(
            "tema's Norwegian Bokmål sentence recogniser (spaCy senter), trained on the "
            "UD Norwegian Bokmål dev split. Use through tema.segment, which applies "
            "tema's Norwegian sentence rules on top."
        ),
        license="CC BY-SA 4.0",
        sources=[UD_SOURCE],
        author="tema",
    )
    meta.setdefault("performance", {})
    meta["performance"].update(
        {f"ud_test_boundary_{key}": round(value, 4) for key, value in scores.items()}
    )
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (model_dir / "README.md").write_text(LICENSE_NOTE, encoding="utf-8")


def _replace_folder(target: Path, new: Path, aside: Path) -> None:
    """Put folder `new` where `target` is, by renames on one file system: the old folder
    goes `aside` (then away), so `target` is never half-written."""
    if target.exists():
        os.replace(target, aside)
    os.replace(new, target)
    shutil.rmtree(aside, ignore_errors=True)
