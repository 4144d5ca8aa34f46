# Two commands: `make run` sets up (once) and runs the whole service; `make test` sets up (once) and tests.
.PHONY: setup run test lint bench
VENV := .venv/bin

.venv/.installed: pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $@

setup: .venv/.installed

run: setup
	$(VENV)/ingest run

test: setup lint
	$(VENV)/python -m pytest -q -n auto --dist loadgroup

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy

bench: setup
	$(VENV)/python -m bench
