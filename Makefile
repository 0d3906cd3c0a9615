# Entry points: `make run` (whole pipeline on the bundled data), `make test`, and
# `make serve` (the browser app on http://127.0.0.1:8765; PORT=… for another port).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean serve

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

# The browser app (tema serve): only this computer can reach it (127.0.0.1).
serve: $(STAMP)
	$(BIN)/tema serve $(if $(PORT),--port $(PORT))

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
