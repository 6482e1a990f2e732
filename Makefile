# Every task is one command. `make report` and `make test` do all set-up on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
OUTPUT ?= reports

.PHONY: report test lint bench bench-large sample clean help

help:
	@echo "make report  - create .venv, install, render every report on sample data into $(OUTPUT)/"
	@echo "make test    - create .venv, install dev dependencies, run ruff and the whole test suite"
	@echo "make bench   - load, fetch and engine (polars/DuckDB/Spark) benchmarks on 1,000,000 rows (slow; not part of make test)"
	@echo "make bench-large - also the 10,000,000-row larger-than-memory and engine benchmarks"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed-core: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,spark,duckdb]"
	@touch $@ $(VENV)/.installed-core

report: $(VENV)/.installed-core
	$(BIN)/callanalytics report all --output-dir $(OUTPUT)

sample: $(VENV)/.installed-core
	$(BIN)/callanalytics sample --output-dir $(OUTPUT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check callanalytics tests tools benchmarks
	$(BIN)/ruff format --check callanalytics tests tools benchmarks

test: lint
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py
	POLARS_MAX_THREADS=1 $(BIN)/python benchmarks/profile_load.py
	$(BIN)/python benchmarks/fetch_volume.py
	$(BIN)/python benchmarks/engines.py --rows 1000000
	@echo "10,000,000 rows on polars/DuckDB/Spark (about 15 minutes on 2 busy CPUs): make bench-large, or"
	@echo "  $(BIN)/python benchmarks/engines.py --rows 10000000 --parts engines"

# 10,000,000 rows (about 5 GB of CSV and 0.5 GB of Parquet cache on disk): run on its own.
bench-large: bench
	$(BIN)/python benchmarks/larger_than_memory.py
	$(BIN)/python benchmarks/engines.py --rows 10000000 --parts engines

clean:
	rm -rf $(VENV) $(OUTPUT) .pytest_cache .ruff_cache
