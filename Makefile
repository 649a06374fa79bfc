# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
PYTEST_ARGS ?= -n 2
export FLASK_APP := catalog_app

.PHONY: run test install translations db demo serve bench clean lint-imports

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,prod]' --config-settings editable_mode=compat
	touch $@

install: $(VENV)/.installed

translations: install
	$(BIN)/pybabel compile -f -d catalog_app/translations >/dev/null

db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask taxonomy load

demo: db
	$(BIN)/flask demo load --if-empty

run: translations demo
	HOST=$(HOST) PORT=$(PORT) $(BIN)/flask run --host $(HOST) --port $(PORT)

test: translations
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Import contracts ([tool.importlinter] in pyproject.toml); tests/matching runs them too.
lint-imports: install
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance .pytest_cache
