# psd — the two commands are `make run` and `make test`. Both create and use .venv.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Locked, hash-checked dependencies (requirements/*.txt, written by `make lock`). The stamp
# follows the lock, so a changed lock reinstalls on the next make.
LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-$(shell cksum $(LOCK) | cut -d' ' -f1)

# Development defaults; every one can be overridden from the environment.
export DEBUG ?= 1
export DJANGO_SETTINGS_MODULE ?= psd.settings

.PHONY: run test lint format install lock lock-upgrade migrate demo worker beat ci-tools clean bench soak load assets

$(STAMP): $(LOCK)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "psd needs $(PYTHON) on PATH"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make lock: resolve pyproject.toml's ranges into the two locks (every pin with its hashes):
## requirements/dev.txt (make install, CI) and requirements/base.txt (the Docker image), the
## second constrained by the first so both pin the same versions. It keeps the pins that
## still fit and adds what is new; `make lock-upgrade` moves every pin to the newest release
## its range allows. Both need the registry; commit the result.
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet $(LOCK_FLAGS)
lock: install
	$(UV_COMPILE) --extra dev -o requirements/dev.txt
	$(UV_COMPILE) -c requirements/dev.txt -o requirements/base.txt

lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py demo_data

## make run: SQLite, Celery eager, demo data, http://127.0.0.1:8000
run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite (DATABASE_URL/REDIS_URL select PostgreSQL/Redis), in parallel:
## PYTEST_WORKERS processes (pytest-xdist; one per core by default, 0 for one process), each
## with its own test database and Redis database (tests/conftest.py).
PYTEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -q -r psd accounts cases deadlines vetting reporting stats audit api portability datagen -x '*/migrations/*' -c pyproject.toml
	$(PY) -m pip check

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Real Celery processes against REDIS_URL (e.g. redis://127.0.0.1:6379/0)
worker: install
	@test -n "$$REDIS_URL" || { echo "set REDIS_URL to run a real worker"; exit 1; }
	$(VENV)/bin/celery -A psd worker --loglevel=INFO --concurrency=2

beat: install
	@test -n "$$REDIS_URL" || { echo "set REDIS_URL to run beat"; exit 1; }
	$(VENV)/bin/celery -A psd beat --loglevel=INFO

## make assets: rebuild static/vendor/ (GOV.UK Frontend and MOJ Frontend: stylesheet, scripts,
## images) with npm from assets/package-lock.json, then check every file against
## static/vendor/CHECKSUMS. After a deliberate upgrade (npm install <pkg>@<version> in assets/),
## `make assets ASSETS_UPDATE=1` rewrites CHECKSUMS; commit the lot. Needs node and npm;
## `make run` and `make test` do not (the built files are committed).
assets:
	@command -v npm >/dev/null 2>&1 || { echo "make assets needs node (>= 20.19) and npm"; exit 1; }
	cd assets && npm ci --ignore-scripts --no-audit --no-fund
	cd assets && node build.mjs $(if $(ASSETS_UPDATE),--update)

## Debian tools the full suite uses: chromium for end-to-end tests (Playwright cannot download
## browsers here) and docker-compose to validate docker/compose.yml. Needs root; CI runs it.
ci-tools:
	@missing=""; test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	if [ -n "$$missing" ]; then apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

## make bench: generate (or reuse) a dataset in its own PostgreSQL database and time the pages
## and sweeps beside tuned-admin baselines and hand-written SQL floors, in-process through the
## whole middleware stack and, with REDIS_URL=redis://127.0.0.1:6379/<db>, over HTTP against
## gunicorn (production settings) at concurrency 1 and 4 (bench/run.py, bench/overhttp.py).
## BENCH_ALLEGATIONS=1350000 BENCH_PEOPLE=250000 for the national scale; needs
## DATABASE_URL=postgres://... (the server to use).
BENCH_ALLEGATIONS ?= 20000
BENCH_PEOPLE ?= 0
BENCH_SEED ?= 1
BENCH_RUNS ?= 20
BENCH_HTTP_REQUESTS ?= 100
bench: install
	$(PY) bench/run.py --allegations=$(BENCH_ALLEGATIONS) --people=$(BENCH_PEOPLE) \
	  --seed=$(BENCH_SEED) --runs=$(BENCH_RUNS) --http-requests=$(BENCH_HTTP_REQUESTS)

## make load: LOAD_USERS simulated users (own sessions, pauses) for LOAD_SECONDS against gunicorn
## on 127.0.0.1: case list, case page, search, statistics and actions; zero errors expected,
## p95 per action printed (bench/load.py). Same dataset and variables as make bench.
LOAD_USERS ?= 50
LOAD_SECONDS ?= 60
load: install
	@test -n "$$REDIS_URL" || { echo "set REDIS_URL=redis://127.0.0.1:6379/<db> for the load test"; exit 1; }
	$(PY) bench/load.py --users=$(LOAD_USERS) --seconds=$(LOAD_SECONDS) \
	  --allegations=$(BENCH_ALLEGATIONS) --people=$(BENCH_PEOPLE) --seed=$(BENCH_SEED)

## make soak: gunicorn (docker/gunicorn.conf.py), a Celery worker and beat on REDIS_URL and a
## loopback SMTP server, all on 127.0.0.1, under mixed load for SOAK_MINUTES; the worker is
## SIGKILLed mid-send; prints throughput, errors, p95, RSS, connections, locks, temp files and
## e-mail counts (bench/soak.py). Needs DATABASE_URL=postgres://... and REDIS_URL=redis://127.0.0.1...
SOAK_MINUTES ?= 5
SOAK_DATABASE ?= psd_soak
SOAK_ALLEGATIONS ?= 20000
SOAK_CLIENTS ?= 8
soak: install
	@test -n "$$REDIS_URL" || { echo "set REDIS_URL=redis://127.0.0.1:6379/<db> for the soak"; exit 1; }
	$(PY) bench/soak.py --minutes=$(SOAK_MINUTES) --database=$(SOAK_DATABASE) \
	  --allegations=$(SOAK_ALLEGATIONS) --clients=$(SOAK_CLIENTS)

clean:
	rm -rf $(VENV) staticfiles var/psd.sqlite3
