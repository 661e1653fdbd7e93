# Newsroom developer tasks. `make help` lists them.
#
# Everything runs from a virtualenv in .venv, built with the first Python >= 3.12
# found; `make PYTHON=/path/to/python3.13 <target>` picks one explicitly.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Touched after a successful install; pyproject.toml changing makes it stale.
STAMP := $(VENV)/.installed-test

# Tests that need a real Redis read TEST_REDIS_URL (database 15 keeps them away
# from a developer's data). REDIS_URL itself is left as the environment has it.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k workflow -x"`.
PYTEST_ARGS ?=

# Browser tests drive Debian's Chromium through Playwright. Playwright must never
# download a browser of its own (this machine's network would refuse it anyway).
CHROMIUM := /usr/bin/chromium
# The edge-cache tests (tests/articles/site/test_edge_cache.py) run Debian's varnishd
# with deploy/varnish/default.vcl, which needs vmod xkey from varnish-modules.
VARNISHD := /usr/sbin/varnishd
VMOD_XKEY := /usr/lib/$(shell uname -m)-linux-gnu/varnish/vmods/libvmod_xkey.so
# The production-stack test (tests/newsroom/test_edge_stack.py) puts Debian's nginx,
# serving uploads with deploy/nginx/media.conf, behind that Varnish.
NGINX := /usr/sbin/nginx
EDGE_PACKAGES := varnish varnish-modules nginx
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# axe-core, which the accessibility tests inject into pages (tests/browser/axe.py),
# pinned in package.json/package-lock.json and installed by npm from the lock file.
AXE := node_modules/axe-core/axe.min.js

PG_HOST := 127.0.0.1
PG_PORT := 5432
REDIS_HOST := 127.0.0.1
REDIS_PORT := 6379

# Prints the first interpreter >= 3.12 among: $(PYTHON), python3.13, python3.12,
# pyenv's 3.13/3.12 builds (newest first), python3. pyenv puts shims for every
# version on PATH even when that version isn't selected, so each candidate is
# run, not just found. Without pyenv on PATH, its default root is still tried.
pyenv_root = $$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}")
find_python = for c in $(PYTHON) python3.13 python3.12 \
	    $$(ls -d "$(pyenv_root)"/versions/3.1[23]*/bin/python3.1[23] 2>/dev/null | sort -rV) \
	    python3; do \
	  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    command -v "$$c"; exit 0; \
	  fi; \
	done; exit 1

.PHONY: help install browser varnish run test lint messages bench bench-images bench-soak migrations-check deploy-check services backup restore clean

help:
	@echo "make run               migrate, seed demo content and serve on http://127.0.0.1:8000"
	@echo "                       (make run PORT=8010 for another port; SITE_URL follows it)"
	@echo "make test              run the test suite (honours DATABASE_URL, TEST_REDIS_URL, PYTEST_ARGS)"
	@echo "make browser           install what the browser tests need if it is missing: Debian's"
	@echo "                       chromium and (npm) axe-core"
	@echo "make varnish           install Debian's varnish, varnish-modules (vmod xkey) and nginx if"
	@echo "                       missing, for the edge-cache and production-stack tests"
	@echo "make lint              ruff check ."
	@echo "make messages          refresh locale/*/django.po from the code and compile the .mo files"
	@echo "                       (needs GNU gettext; the compiled files are committed)"
	@echo "make bench             site and API speed at N articles on PostgreSQL with wrk, against a"
	@echo "                       minimal view (BENCH_ARGS=\"--articles 10000 --quick\"; see --help)"
	@echo "make bench-images      image renditions: time against bare Pillow, peak memory (~1 min)"
	@echo "make bench-soak        60 s at 64 connections, mixed pages/API/uploads under gunicorn on"
	@echo "                       PostgreSQL: fails on any 5xx or >10% worker memory growth (~2 min)"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make deploy-check      manage.py check --deploy with production settings"
	@echo "make services          start the local PostgreSQL and Redis if they are not answering"
	@echo "make backup            database + media into var/backups/newsroom-<time>.tar"
	@echo "make restore BACKUP=f  restore f into the (empty) configured database, check every table"
	@echo "make clean             remove the virtualenv and caches (keeps var/: your database and media)"

install: $(STAMP)

$(STAMP): pyproject.toml
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	  py="$$($(find_python))" || { \
	    echo "error: Newsroom needs Python 3.12 or newer and none was found" >&2; \
	    echo "  (tried: python3.13 python3.12, pyenv's 3.13/3.12 builds, python3)." >&2; \
	    echo "  Install Python 3.12+ (e.g. 'pyenv install 3.13'), or point at one with" >&2; \
	    echo "  'make PYTHON=/path/to/python3.13 ...'." >&2; \
	    exit 1; }; \
	  echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	  rm -rf $(VENV); \
	  "$$py" -m venv $(VENV); \
	fi
	$(PY) -m pip install --disable-pip-version-check --quiet -e '.[test]'
	@touch $@

# Only when missing, so a repeated `make test` costs one file check. apt-get
# needs root: as another user it goes through sudo, or stops saying what to run.
browser: $(AXE)
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=; \
	elif command -v sudo >/dev/null 2>&1; then sudo=sudo; \
	else \
	  echo "error: the browser tests need $(CHROMIUM) (Debian's chromium package), and" >&2; \
	  echo "  installing it needs root. Run as root:" >&2; \
	  echo "  apt-get update && apt-get install -y --no-install-recommends chromium" >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian's chromium for the browser tests"; \
	{ $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || { \
	  echo "error: could not install Debian's chromium package (needed at $(CHROMIUM))." >&2; \
	  echo "  As root, run: apt-get update && apt-get install -y --no-install-recommends chromium" >&2; \
	  exit 1; }; \
	[ -x $(CHROMIUM) ] || { echo "error: chromium installed but $(CHROMIUM) is missing" >&2; exit 1; }; \
	echo "Installed $$($(CHROMIUM) --version)"

# Like `browser`: only when missing, through sudo when not root.
varnish:
	@if [ -x $(VARNISHD) ] && [ -f $(VMOD_XKEY) ] && [ -x $(NGINX) ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=; \
	elif command -v sudo >/dev/null 2>&1; then sudo=sudo; \
	else \
	  echo "error: the edge-cache tests need $(VARNISHD) and vmod xkey (Debian's varnish and" >&2; \
	  echo "  varnish-modules packages), and installing them needs root. Run as root:" >&2; \
	  echo "  apt-get update && apt-get install -y --no-install-recommends $(EDGE_PACKAGES)" >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian's $(EDGE_PACKAGES) for the edge-cache tests"; \
	{ $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $(EDGE_PACKAGES) >/dev/null; } || { \
	  echo "error: could not install Debian's $(EDGE_PACKAGES) packages." >&2; \
	  echo "  As root, run: apt-get update && apt-get install -y --no-install-recommends $(EDGE_PACKAGES)" >&2; \
	  exit 1; }; \
	[ -f $(VMOD_XKEY) ] || { echo "error: varnish-modules installed but $(VMOD_XKEY) is missing" >&2; exit 1; }; \
	echo "Installed $$($(VARNISHD) -V 2>&1 | head -1)"

# `npm ci` installs exactly the lock file's versions; it runs again only when
# package.json or the lock file is newer than the installed copy.
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "error: the accessibility tests need axe-core from npm, and npm is missing." >&2; \
	  echo "  Install Node.js and npm (e.g. apt-get install nodejs npm), then run 'make browser'." >&2; \
	  exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# var/ holds the development SQLite database and media; it is not in git.
var:
	mkdir -p var

# `make run PORT=8010`: the dev server on another port; SITE_URL (the absolute links in
# feeds, sitemaps, webhooks and the API) follows it unless you set it yourself.
PORT ?= 8000
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP) | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# pytest exits 5 when it collects no tests, so an empty run fails too.
test: $(STAMP) browser varnish | var
	TEST_REDIS_URL='$(TEST_REDIS_URL)' $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r articles sources newsroom bench --severity-level medium

# The reader site's catalogues (locale/): new strings in, then compiled. Committed, so
# `make run` and `make test` never need gettext; tests fail if a .mo is stale.
messages: $(STAMP)
	$(PY) manage.py makemessages -l de -l fr -l es -l ja --no-location --ignore=.venv \
	  --ignore=tests --ignore=bench --ignore=var --ignore=node_modules --ignore=deploy
	$(PY) manage.py compilemessages --ignore=.venv

# Not part of `make test`: the numbers belong to the machine. `make bench` loads (or reuses)
# the newsroom_bench PostgreSQL database, runs gunicorn and wrk on 127.0.0.1 and saves its
# table under bench/results/; it fails only when the harness does, never on a missed goal.
BENCH_ARGS ?=
bench: $(STAMP) services
	$(PY) -m bench.site $(BENCH_ARGS)

# Exits 1 if a target is missed.
bench-images: $(STAMP)
	$(PY) bench/images.py

# Exits 1 on a 5xx (or no answer) or a worker's RSS growing >10%; SOAK_ARGS="--seconds 120".
SOAK_ARGS ?=
bench-soak: $(STAMP) services
	$(PY) -m bench.soak $(SOAK_ARGS)

backup: $(STAMP) | var
	$(PY) manage.py backup

restore: $(STAMP) | var
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=var/backups/newsroom-<time>.tar"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" $(RESTORE_ARGS)

migrations-check: $(STAMP) | var
	$(PY) manage.py makemigrations --check --dry-run

# A throwaway key: the check needs one that looks real, nothing keeps it.
deploy-check: $(STAMP)
	DJANGO_ENV=production ALLOWED_HOSTS=newsroom.example \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(48))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING

services:
	@if pg_isready -q -h $(PG_HOST) -p $(PG_PORT); then \
	  echo "PostgreSQL is answering on $(PG_HOST):$(PG_PORT)"; \
	else \
	  echo "Starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start || true; \
	fi
	@if [ "$$(redis-cli -h $(REDIS_HOST) -p $(REDIS_PORT) ping 2>/dev/null)" = PONG ]; then \
	  echo "Redis is answering on $(REDIS_HOST):$(REDIS_PORT)"; \
	else \
	  echo "Starting Redis"; \
	  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port $(REDIS_PORT) --save "" \
	    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true; \
	fi
	@# A failed start command is not fatal by itself (say, a cluster still starting
	@# up); what decides is whether both answer within 30 seconds.
	@for i in $$(seq 30); do \
	  pg=down; redis=down; \
	  pg_isready -q -h $(PG_HOST) -p $(PG_PORT) && pg=up; \
	  [ "$$(redis-cli -h $(REDIS_HOST) -p $(REDIS_PORT) ping 2>/dev/null)" = PONG ] && redis=up; \
	  if [ $$pg = up ] && [ $$redis = up ]; then echo "PostgreSQL and Redis are up"; exit 0; fi; \
	  sleep 1; \
	done; \
	echo "error: after 30 s PostgreSQL ($(PG_HOST):$(PG_PORT)) is $$pg, Redis ($(REDIS_HOST):$(REDIS_PORT)) is $$redis" >&2; \
	exit 1

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .schemathesis build *.egg-info
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
