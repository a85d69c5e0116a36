# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin

export EMR_DATA_DIR ?= $(CURDIR)/data
export DAGSTER_HOME ?= $(EMR_DATA_DIR)/dagster_home
export PATH := $(BIN):$(PATH)
export UI_PORT ?= 3000
export DOCS_PORT ?= 8080

.PHONY: install manifest browser dagster-home run test ui docs clean

# Create the virtual environment if it is missing and install the pinned set.
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Parse the dbt project into dbt/target/manifest.json, which the Dagster definitions load.
manifest: install
	$(BIN)/dagster-dbt project prepare-and-package --file dagster_project/dbt_project.py

# Debian's Chromium, for the tests that open the HTML pages in a real browser.
browser:
	@command -v chromium >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

dagster-home:
	mkdir -p "$(DAGSTER_HOME)"
	cp dagster_project/instance/dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"

run: manifest dagster-home
	$(BIN)/emr-run

test: manifest browser
	$(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	exit $$status

ui: manifest dagster-home
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p $(UI_PORT)

docs: manifest
	cd dbt && $(BIN)/dbt docs generate --profiles-dir . --target-path "$(EMR_DATA_DIR)/dbt_docs" --log-path "$(EMR_DATA_DIR)/dbt_docs" --quiet
	cd dbt && $(BIN)/dbt docs serve --profiles-dir . --target-path "$(EMR_DATA_DIR)/dbt_docs" --log-path "$(EMR_DATA_DIR)/dbt_docs" --host 127.0.0.1 --port $(DOCS_PORT) --no-browser

clean:
	rm -rf "$(EMR_DATA_DIR)" dbt/target dbt/logs
