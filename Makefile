# Two entry points: `make run` (whole pipeline on the bundled data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the package definition changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# dvc runs each stage's `tema ...` command, so the venv's bin must be on PATH.
# scripts/repro.py is `dvc repro` without DVC's git/push hints (errors stay visible); the
# report stage runs quietly, so the theme table is printed once, here at the end.
run: $(STAMP)
	@PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python scripts/repro.py
	@echo
	@$(BIN)/tema report --show

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

clean:
	rm -rf data/interim data/processed reports metrics models/theme_classifier.*
