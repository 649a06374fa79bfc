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

.PHONY: run test install translations db demo serve bench clean

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

# The web server and the embedded e-mail worker (`flask emails work`: new-listing leads and
# the outbox), which delivers to the page /dev/mailbox; Ctrl-C stops both. MAIL_TRANSPORT=smtp
# sends through MAIL_SERVER instead. Links in e-mails follow HOST and PORT.
run: translations demo
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	export HOST=$(HOST) PORT=$(PORT) MAIL_TRANSPORT=$(MAIL_TRANSPORT) DEV_MAILBOX=$(DEV_MAILBOX); \
	PYTHONUNBUFFERED=1 $(BIN)/flask emails work & worker=$$!; \
	echo "Mailbox: http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)/dev/mailbox"; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: translations
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
