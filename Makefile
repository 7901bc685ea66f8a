# Every target makes .venv on first use: a fresh machine needs only python3 (3.11+).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo run test check lint types imports duplicates format bench snapshots clean

$(STAMP): pyproject.toml
	@echo "Building $(VENV): Python packages for cpt-tui and its tests (about a minute the first time, needs the network; later runs start at once)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## the app on a throwaway copy of the demo roster
	$(BIN)/cpt-tui demo

run: $(STAMP)  ## the app on your roster (--db, $$CPT_TUI_DB or ~/.local/share/cpt-tui)
	$(BIN)/cpt-tui

test: $(STAMP)  ## every test, on every core: core, store, CLI, screens (Pilot), snapshots, doors
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check cpt_tui tests bench fixtures
	$(BIN)/ruff format --check cpt_tui tests bench fixtures

types: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)  ## the doors between the rooms: import-linter contracts in pyproject.toml
	$(BIN)/lint-imports

duplicates: $(STAMP)  ## no logic written twice in cpt_tui/ (pylint's duplicate-code check)
	$(BIN)/pylint --disable=all --enable=duplicate-code --ignore-imports=y \
		--ignore-signatures=y --score=n cpt_tui

format: $(STAMP)
	$(BIN)/ruff format cpt_tui tests bench fixtures
	$(BIN)/ruff check --fix cpt_tui tests bench fixtures

check: lint types imports duplicates test  ## format, lint, types, doors, duplicates, tests

snapshots: $(STAMP)  ## review, then accept, changed SVG snapshots
	$(BIN)/python -m pytest tests/test_snapshots.py --snapshot-update

$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(VENV)/.bench

bench: $(VENV)/.bench  ## cpt-tui at 10,000 and 50,000 students beside VisiData (tmux; ~12 min)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
