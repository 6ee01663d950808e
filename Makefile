# The README's commands. Each one brings the virtualenv up to date with the pinned requirements first.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
export SAM_CLI_TELEMETRY := 0

# The Lambda runtime's Python (3.12): pyenv's if present, else whatever python3.12/python3 is on PATH.
PYENV_312 := $(shell pyenv prefix 3.12 2>/dev/null)
PYTHON ?= $(if $(PYENV_312),$(PYENV_312)/bin/python3.12,$(shell command -v python3.12 || command -v python3))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STAGE ?= dev
PARAMS ?=
IS_312 := import sys; sys.exit(sys.version_info[:2] != (3, 12))
# Seconds: the install says it is still going at least this often.
TICK ?= 10

.PHONY: help dev test test-any-hour docs bench load lint build deploy rotate-keys reset clean endpoint

help:
	@echo "make dev     serve the whole API on http://127.0.0.1:$${PORT:-3000} from the built functions"
	@echo "             (PARAMS=\"AccessTokenTtlSeconds=60 ...\" overrides template parameters;"
	@echo "             USER_MIGRATION=local/sample_user_migration/app.py runs a legacy service's migration function)"
	@echo "make test    run every test (the dashboard's in headless Chromium: found, or installed first)"
	@echo "make docs    serve the docs site on a free local port (DOCS_PORT=8001 make docs to choose it)"
	@echo "make test-any-hour  the tests that read the clock, at 23:59:30 UTC on a year's and a month's last day"
	@echo "make bench   cold-start, warm-latency and DynamoDB-call figures per function, from the built functions"
	@echo "make load    a bounded mixed load on the local API: latencies, throughput, and every write accounted for"
	@echo "             (LOAD_CLIENTS=4 LOAD_SECONDS=20)"
	@echo "make endpoint NAME=list_widgets ROUTE=\"GET /v1/widgets\" SCOPE=widgets:read"
	@echo "             your own endpoint behind the authorizer: its declaration, handler and test (docs: Protect your own endpoint)"
	@echo "make lint    ruff + sam validate --lint"
	@echo "make build   sam build (layers and functions, arm64, no container): what make deploy ships"
	@echo "make deploy  sam deploy --config-env \$$STAGE (dev or prod; needs AWS credentials), then upload dashboard/"
	@echo "make rotate-keys  bring in new signing keys on the deployed \$$STAGE now (the old ones keep verifying)"
	@echo "make reset   forget the local state (.local/: users, keys, tables, the local signing keys)"

# A missing or wrong interpreter is one line, before any work, naming a way to get 3.12 that works
# where Debian 12 has no python3.12 package, and on macOS.
GET_312 := get it with uv (any Linux, Debian 12 too: uv python install 3.12, then PYTHON=$$(uv python find 3.12)), pyenv (pyenv install 3.12, found by itself) or Homebrew (macOS: brew install python@3.12)
ifeq ($(shell $(BIN)/python -c '$(IS_312)' 2>/dev/null && echo ok),)  # no .venv yet, or not 3.12: PYTHON makes it
ifneq ($(filter-out help reset clean,$(or $(MAKECMDGOALS),help)),)
PYTHON_PROBLEM := $(shell \
  if [ -z "$(PYTHON)" ]; then echo "there is no python3.12 or python3 on PATH"; \
  elif ! command -v "$(PYTHON)" >/dev/null 2>&1; then echo "PYTHON=$(PYTHON) does not exist"; \
  elif ! v=$$("$(PYTHON)" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null); then \
    echo "$(PYTHON) is not a Python interpreter"; \
  elif [ "$${v%.*}" != "3.12" ]; then echo "$(PYTHON) is Python $$v"; fi)
ifneq ($(PYTHON_PROBLEM),)
$(error Latchkey needs Python 3.12 (the Lambda runtime's) and $(PYTHON_PROBLEM): $(GET_312); then make $(or $(MAKECMDGOALS),dev) PYTHON=/path/to/python3.12)
endif
endif
endif

$(STAMP): requirements-dev.txt $(wildcard layers/*/requirements.txt)
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c '$(IS_312)' 2>/dev/null; then \
	  echo "$(VENV) is not Python 3.12: making it again"; rm -rf $(VENV); fi
	@if [ ! -x $(BIN)/python ]; then \
	  echo "First run: creating $(VENV) with $(PYTHON) and installing the pinned toolchain (a few minutes, once) ..."; \
	  "$(PYTHON)" -m venv $(VENV); fi
	@echo "Installing the pinned toolchain into $(VENV) (what is new or changed in requirements-dev.txt) ..."
	@( n=0; while sleep $(TICK); do n=$$((n + $(TICK))); echo "  ... still installing ($$n s)"; done ) & ticker=$$!; \
	  trap "kill $$ticker 2>/dev/null" EXIT; \
	  $(BIN)/pip install --disable-pip-version-check --progress-bar off -r requirements-dev.txt \
	    2> >(grep -v "is ignored: it is neither" >&2) \
	  | { grep -E --line-buffered "^(Collecting|Installing collected|Successfully installed)" \
	      | sed -u -E 's/^Installing collected packages: .*/Installing the collected packages (the longest step) .../; s/^/  /' || true; }
	@touch $@

dev: $(STAMP)
	$(BIN)/python -m local $(if $(PARAMS),--params "$(PARAMS)") $(if $(FEDERATION_MOCK),--federation-mock) \
	  $(if $(USER_MIGRATION),--user-migration "$(USER_MIGRATION)")

test: $(STAMP)
	$(BIN)/python -m tests.browser.chromium
	$(BIN)/python -m local.build
	$(BIN)/python -m pytest

# A free port unless DOCS_PORT names one; the site rebuilds as docs/ changes.
docs: $(STAMP)
	@port=$${DOCS_PORT:-$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}; \
	  echo "The docs site: http://127.0.0.1:$$port/ (Ctrl-C stops it)"; \
	  NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict -a 127.0.0.1:$$port

test-any-hour: $(STAMP)
	$(BIN)/python -m tests.any_hour

bench: $(STAMP)
	$(BIN)/python -m bench

load: $(STAMP)
	$(BIN)/python -m bench.load

endpoint: $(STAMP)
	$(BIN)/python -m tools.endpoint --name "$(NAME)" --route "$(ROUTE)" $(if $(SCOPE),--scope "$(SCOPE)") \
	  $(if $(SUMMARY),--summary "$(SUMMARY)")

lint: $(STAMP)
	$(BIN)/ruff check .
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/sam validate --lint

build: $(STAMP)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/sam build

deploy: build
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/sam deploy --config-env $(STAGE)
	$(BIN)/python -m deploy.dashboard --stack-name latchkey-$(STAGE)

rotate-keys: $(STAMP)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/sam remote invoke RotateSigningKeysFunction --stack-name latchkey-$(STAGE) \
	  --event '{"force": true}'

reset:
	rm -rf .local
	@echo "Local state wiped: the next make dev starts empty (no users, tables or mail), with new signing keys."

clean:
	rm -rf .aws-sam .pytest_cache .bench site
