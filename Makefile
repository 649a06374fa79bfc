# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
MAIL_TRANSPORT ?= mailbox
DEV_MAILBOX ?= 1
PYTEST_ARGS ?= -n 2
export FLASK_APP := catalog_app

.PHONY: run test install translations db demo serve bench clean lint-imports lint

# Each step says what it does; long ones log to a file and show its tail only on failure.
$(BIN)/python:
	@echo "[1/4] Creating the virtual environment in $(VENV)…"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip > $(VENV)/pip.log 2>&1 || { tail -n 40 $(VENV)/pip.log; exit 1; }

# A plain (PEP 660) editable install: setuptools' finder maps catalog_app and matching to this
# checkout, so they import from any directory and templates/ and static/ are read from here.
# The former `editable_mode=compat` did the same through a path entry and printed a
# deprecation banner on every install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "[1/4] Installing Python packages (first run takes a few minutes; log: $(VENV)/pip.log)…"
	@$(BIN)/python -m pip install --progress-bar off -e '.[test,prod]' >> $(VENV)/pip.log 2>&1 || { tail -n 40 $(VENV)/pip.log; echo "pip install failed; full log: $(VENV)/pip.log"; exit 1; }
	@touch $@

install: $(VENV)/.installed
	@echo "[1/4] Python packages are installed."

translations: install
	@echo "[2/4] Compiling translations…"
	@$(BIN)/pybabel -q compile -f -d catalog_app/translations

db: install
	@echo "[3/4] Updating the database schema and the taxonomy…"
	@$(BIN)/flask db upgrade > $(VENV)/db.log 2>&1 || { cat $(VENV)/db.log; exit 1; }
	@$(BIN)/flask taxonomy load

demo: db
	@echo "[4/4] Loading demo data (skipped when the database has some)…"
	@$(BIN)/flask demo load --if-empty

# The web server and the embedded e-mail worker (`flask emails work`: new-listing leads and
# the outbox), which delivers to the page /dev/mailbox; Ctrl-C stops both. MAIL_TRANSPORT=smtp
# sends through MAIL_SERVER instead. Links in e-mails follow HOST and PORT.
run: translations demo
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	export HOST=$(HOST) PORT=$(PORT) MAIL_TRANSPORT=$(MAIL_TRANSPORT) DEV_MAILBOX=$(DEV_MAILBOX); \
	PYTHONUNBUFFERED=1 $(BIN)/flask emails work & worker=$$!; \
	echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C stops both). Mailbox: http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)/dev/mailbox"; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: translations
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Import contracts ([tool.importlinter] in pyproject.toml); tests/matching runs them too.
lint-imports: install
	$(BIN)/lint-imports

# ruff ([tool.ruff] in pyproject.toml) and the import contracts; tests/app/test_layers.py and
# tests/matching/test_import_contracts.py run both inside `make test`.
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance .pytest_cache
