# Everything needs only Python 3.11 and pip. `make demo` and `make test` install first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint test-sqlite test-postgres proof messages lock

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: install
	$(BIN)/haven demo

test: install lint
	$(BIN)/python scripts/run_tests.py

lint: install
	$(BIN)/ruff check src scripts
	cd src && ../$(BIN)/lint-imports --config ../pyproject.toml

test-sqlite: install
	$(BIN)/python scripts/run_tests.py --only sqlite

test-postgres: install
	$(BIN)/python scripts/run_tests.py --only postgres

# The API against its OpenAPI schema, long form: 100 generated requests per operation and role
# (`make test` runs the short form, a few per operation).
proof: install
	HAVEN_CONTRACT_EXAMPLES=100 $(BIN)/python -m pytest -m contract -n auto -p no:randomly -p no:cacheprovider \
		src/haven/core/tests/test_api_contract.py

# Regenerate translations after changing strings (needs GNU gettext); the .mo files are committed
# so that a fresh machine with only Python needs no gettext.
messages: install
	for app in src/haven/*/locale; do \
		(cd $$(dirname $$app) && ../../../$(BIN)/django-admin makemessages --settings=haven.test_settings \
			-l fr -l nl -l de --no-obsolete) || exit 1; \
	done
	cd src/haven && ../../$(BIN)/django-admin compilemessages --settings=haven.test_settings

# Re-pin the dependencies after changing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
