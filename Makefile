# The README's commands. Each one brings the virtualenv up to date with the pinned requirements first.
.DEFAULT_GOAL := help
SHELL := /bin/bash
export SAM_CLI_TELEMETRY := 0

# The Lambda runtime's Python (3.12): pyenv's if present, else whatever python3.12/python3 is on PATH.
PYENV_312 := $(shell pyenv prefix 3.12 2>/dev/null)
PYTHON ?= $(if $(PYENV_312),$(PYENV_312)/bin/python3.12,$(shell command -v python3.12 || command -v python3))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STAGE ?= dev

.PHONY: help dev test bench lint build deploy clean

help:
	@echo "make dev     serve the whole API on http://127.0.0.1:$${PORT:-3000} (moto behind it)"
	@echo "make test    run every test"
	@echo "make bench   cold-start, warm-latency and DynamoDB-call figures per function"
	@echo "make lint    ruff + sam validate --lint"
	@echo "make build   sam build (layer and functions, arm64, no container)"
	@echo "make deploy  sam deploy --config-env \$$STAGE (dev or prod; needs AWS credentials)"

$(STAMP): requirements-dev.txt layers/latchkey/requirements.txt layers/two_factor/requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned requirements into $(VENV) ..."
	@$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2> >(grep -v "is ignored: it is neither" >&2)
	@touch $@

dev: $(STAMP)
	$(BIN)/python -m local

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/sam validate --lint

build: $(STAMP)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/sam build

deploy: build
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/sam deploy --config-env $(STAGE)

clean:
	rm -rf .aws-sam .pytest_cache .bench
