# Idhini — the two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test worker bench bench-load lint format install messages check-deploy clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "Idhini: http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs/)"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	mkdir -p var
	$(BIN)/celery -A celery_app worker --beat --schedule=var/celerybeat-schedule --loglevel=INFO --concurrency=2

bench: install
	$(BIN)/python -m bench

# The load test (bench/load_bench.py): needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL
# (Redis); LOAD_USERS, LOAD_SECONDS, LOAD_DOCUMENTS, IDHINI_WEB_WORKERS, IDHINI_WEB_THREADS.
bench-load: install
	$(BIN)/python -m bench load

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l sw -l en --ignore=.venv --ignore=var --no-obsolete
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

# Django's and Idhini's deploy checks on a production configuration like .env.example's: a
# throwaway self-signed seal made by our own code, an https site, SMTP mail (the production
# default), one web process. Each of these, when wrong, fails the check (tests/deploy/).
check-deploy: install
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	export DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-enough-secret-value-0123456789 \
	  DJANGO_ALLOWED_HOSTS=idhini.ega.go.tz IDHINI_SITE_URL=https://idhini.ega.go.tz \
	  IDHINI_VAR_DIR="$$tmp/var" SEAL_KEY_PATH="$$tmp/seal/dev-seal-key.pem" \
	  SEAL_CERT_PATH="$$tmp/seal/dev-seal-cert.pem"; \
	$(BIN)/python manage.py create_dev_seal "$$tmp/seal" >/dev/null; \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
