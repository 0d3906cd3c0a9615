"""Every pair of words the clean-up joins (kerning-gap repair), in the bundled reports,
the seed report and UD Norwegian Bokmål test (typed text: every join there is wrong).

    python benchmarks/kerning_joins.py [--shared ../shared]

For the seed report, each join is checked against the gold cleaned text (eval/seed_gold.tsv):
"right" when the gold unit holds the joined word, "wrong" when it holds the two words.
The table in docs/segmentation.md is this script's output.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

from tema.segment.clean import clean_blocks
from tema.segment.lexicon import load_lexicon

REPO = Path(__file__).resolve().parent.parent
SEED = Path("seed/integreringskonferansen-2017.txt")
SEED_GOLD = Path("eval/seed_gold.tsv")
UD_TEST = Path("ud-norwegian-bokmaal/no_bokmaal-ud-test.conllu")
_WORD_BEFORE = re.compile(r"\w+$")
_WORD_AFTER = re.compile(r"\w+")


def joins(raw: str, lexicon) -> list[tuple[int, str, str]]:
    """(raw offset, left word, right word) of every space the clean-up removed between
    two letters on one line."""
    found = []
    for block in clean_blocks(raw, lexicon):
        text = block.text
        for index in range(len(text) - 1):
            if not (text[index].isalpha() and text[index + 1].isalpha()):
                continue
            gap_start = block.raw_char_span(index)[1]
            gap_end = block.raw_char_span(index + 1)[0]
            if gap_end > gap_start and not raw[gap_start:gap_end].strip(" \t\u00a0"):
                left = _WORD_BEFORE.search(raw, 0, gap_start)
                right = _WORD_AFTER.match(raw, gap_end)
                if left and right:
                    found.append((gap_start, left.group(), right.group()))
    return found


def seed_verdict(position: int, left: str, right: str, gold: list[dict]) -> str:
    for unit in gold:
        if int(unit["start"]) <= position < int(unit["end"]):
            if f"{left} {right}" in unit["text"]:
                return "wrong"
            return "right" if left + right in unit["text"] else "?"
    return "?"


def ud_text(shared: Path) -> str:
    from tema.segment.senter import read_conllu_paragraphs, rebuild_text

    return rebuild_text(read_conllu_paragraphs(shared / UD_TEST))[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args(argv)
    lexicon = load_lexicon()
    documents = [(path.name, path.read_text(encoding="utf-8"), None)
                 for path in sorted((REPO / "data/raw").glob("*.txt"))]  # fmt: skip
    if (args.shared / SEED).exists():
        with (args.shared / SEED_GOLD).open(encoding="utf-8", newline="") as handle:
            gold = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        documents.append((SEED.name, (args.shared / SEED).read_text(encoding="utf-8"), gold))
    if (args.shared / UD_TEST).exists():
        documents.append(("UD Bokmål test (typed text)", ud_text(args.shared), None))
    for name, raw, gold in documents:
        found = joins(raw, lexicon)
        print(f"{name}: {len(found)} joins")
        counts = Counter((left, right) for _position, left, right in found)
        verdicts = {(left, right): seed_verdict(position, left, right, gold) if gold else ""
                    for position, left, right in found}  # fmt: skip
        for (left, right), count in sorted(counts.items()):
            verdict = verdicts[left, right]
            print(f"  {left} {right} -> {left + right}  {count}  {verdict}".rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
