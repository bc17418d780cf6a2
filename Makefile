# geo-assets: `make run` sets everything up and serves on http://127.0.0.1:8000; `make test` tests it.
# Works on a fresh Debian 12 / Ubuntu machine as root or with sudo.

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# Installed packages ship compiled (.pyc): without it every command compiles pandas, SQLAlchemy
# and the rest from source again whenever .pyc cannot be written (PYTHONDONTWRITEBYTECODE=1, a
# read-only install), and a 0.4 s command takes seconds.
export UV_COMPILE_BYTECODE := 1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages each goal needs (the PostGIS package follows the installed PostgreSQL major).
RUN_PACKAGES := postgresql postgresql-contrib python3-venv
TEST_PACKAGES := chromium gdal-bin docker-compose fonts-dejavu-core osmium-tool
BENCH_PACKAGES := gdal-bin wrk chromium

.PHONY: help run test bench install install-test install-bench system-run system-test \
        system-bench lint clean-db

help: ## List the goals
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: install ## Install what is missing, start PostGIS, migrate, seed when empty, serve on :8000
	$(VENV)/bin/geo-assets db start
	$(VENV)/bin/geo-assets migrate
	$(VENV)/bin/geo-assets seed --if-empty
	$(VENV)/bin/geo-assets serve

test: install-test ## Run the whole test suite (starts its own throwaway PostGIS)
	$(VENV)/bin/pytest

bench: install-bench ## Run the benchmarks and write BENCHMARKS.md
	$(PY) -m bench.run_all

lint: install-test ## ruff and mypy
	$(VENV)/bin/ruff check geo_assets api maps cli tests bench
	$(VENV)/bin/ruff format --check geo_assets api maps cli tests bench
	$(VENV)/bin/mypy

install: system-run $(VENV)/.synced ## Python packages from uv.lock into .venv

install-test: system-test install

install-bench: system-bench install
	$(UV) sync --frozen --group bench

$(VENV)/bin/uv:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(VENV)/bin/uv
	$(UV) sync --frozen
	$(PY) -m compileall -q geo_assets api maps cli
	touch $@

# Installs only what is missing; `apt-get update` runs once, and only when something is.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-run:
	$(call apt_install,$(RUN_PACKAGES))
	@major=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	$(MAKE) --no-print-directory apt PACKAGES="postgresql-$$major-postgis-3"

system-test: system-run
	$(call apt_install,$(TEST_PACKAGES))

system-bench: system-run
	$(call apt_install,$(BENCH_PACKAGES))

apt:
	$(call apt_install,$(PACKAGES))

clean-db: ## Stop the embedded PostGIS and delete its data folder (data/postgres)
	-$(VENV)/bin/geo-assets db stop
	rm -rf data/postgres
