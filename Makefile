# Two commands on a fresh clone: `make run` and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The local server runs with DEBUG on; production settings come from the environment.
DEV_ENV := DJANGO_DEBUG=true

.DEFAULT_GOAL := help
.PHONY: help install install-dev run serve migrate seed superuser test test-fast lint format messages check clean bench lighthouse search-eval image stack-test kubernetes

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

install-dev: $(VENV)/.installed-dev ## Install the requirements plus test and lint tools

migrate: install ## Apply database migrations (SQLite unless DATABASE_URL is set)
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

# `make run` also (re)creates two demo users, an editor and Gdańsk's city staff, with
# new random passwords printed once; `make serve` (DEBUG off) seeds without them.
SEED_ARGS ?= --demo-users

seed: migrate ## Load the seed content and the demo users (idempotent; keeps editors' changes)
	$(DEV_ENV) $(BIN)/python manage.py load_seed_content $(SEED_ARGS)
	@# A first version in each object's history, so an editor can go back to the seed text.
	@# The comment is a change message in the admin's own format: the history says
	@# "Added." in the reader's language ("Dodano." in Polish).
	$(DEV_ENV) $(BIN)/python manage.py createinitialrevisions --comment '[{"added": {}}]' --verbosity 0

run: seed ## Install, migrate, load the seed content and serve on http://127.0.0.1:8000
	@echo ""
	@echo "  Portal:  http://$(HOST):$(PORT)/"
	@echo "  Admin:   http://$(HOST):$(PORT)/admin/"
	@echo "           log in as demo-editor (editor) or demo-gdansk (Gdańsk city staff)"
	@echo "           with the passwords printed above; new ones on every make run."
	@echo "           A superuser for users and groups: make superuser"
	@echo ""
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# `make serve` runs the production stack here: gunicorn (gunicorn.conf.py), WhiteNoise
# with the collected, hashed and compressed static files, DEBUG off, over plain HTTP
# on 127.0.0.1. The secret key and host list below are LOCAL-ONLY values written
# here so that it starts; a real deployment sets its own in the environment
# (README, "Deploying"). Plain HTTP means no SSL redirect; cookies stay Secure
# with the __Host- prefix, which browsers accept from 127.0.0.1 and localhost.
SERVE_PORT := $(or $(PORT),8000)
SERVE_ENV := DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY=local-make-serve-only-not-secret-never-use-in-production-7f3c9a1e5b \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost \
	DJANGO_SECURE_SSL_REDIRECT=false

serve: SEED_ARGS :=
serve: seed ## Production stack locally (gunicorn, DEBUG off) on http://127.0.0.1:$$PORT (default 8000)
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "  Portal (DEBUG off, local-only secret): http://127.0.0.1:$(SERVE_PORT)/"
	@echo ""
	$(SERVE_ENV) GUNICORN_BIND=127.0.0.1:$(SERVE_PORT) exec $(BIN)/gunicorn -c gunicorn.conf.py

superuser: migrate ## Create an admin superuser interactively
	$(DEV_ENV) $(BIN)/python manage.py createsuperuser

# The W3C Nu HTML Checker (tests/test_html_validity.py) from npm, pinned in
# tools/vnu/package-lock.json and installed there only, its install script not run
# (it would fetch a Java of its own): it runs on Debian's Java (default-jre).
VNU := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU): tools/vnu/package.json tools/vnu/package-lock.json
	npm ci --prefix tools/vnu --no-audit --no-fund --ignore-scripts
	touch $@

# `make test BROWSER=skip` leaves the browser tests out on purpose, and says how many.
BROWSER ?=
TEST_ENV := $(if $(filter skip,$(BROWSER)),UMP_BROWSER=skip)

test: install-dev ## Run the whole suite but the image and replica tests (make stack-test), against DATABASE_URL when set; installs the Debian packages it drives when root
	$(TEST_ENV) scripts/install_test_tools.sh
	@$(MAKE) --no-print-directory $(VNU)
	$(TEST_ENV) $(BIN)/python -m pytest -m "not stack" $(PYTEST_ARGS)

# The checker is installed for the quick loop too, when npm is there to install it.
test-fast: install-dev $(if $(shell command -v npm),$(VNU)) ## Everything but the browser, container and load tests, in parallel: the edit-test loop
	$(BIN)/python -m pytest -m "not browser and not container and not load" -n auto $(PYTEST_ARGS)

# The production image. No container registry needs to answer: when the Dockerfile's
# base image is missing, scripts/docker_base_image.sh makes a stand-in of the same
# name from Debian's packages (cached). As root, a missing Docker engine is installed
# and started (scripts/docker_engine.sh).
IMAGE ?= ump-portal:latest

# The build stage gets a tag of its own, which keeps its layers (the pinned
# requirements installed) as the next build's cache; earlier builds of both stages,
# untagged by a new one, are removed, so that build after build fills no disk.
image: ## Build the production image with Docker (ump-portal:latest, or IMAGE=name:tag); no registry needed
	scripts/docker_engine.sh
	scripts/docker_base_image.sh
	DOCKER_BUILDKIT=0 docker build --label org.ump-portal.image --target build --tag $(IMAGE)-build .
	DOCKER_BUILDKIT=0 docker build --label org.ump-portal.image --tag $(IMAGE) .
	docker image prune --force --filter label=org.ump-portal.image

# The image and replica tests (tests/stack.py): the image against PostgreSQL, then
# three replicas behind HAProxy with Redis and an S3 server (moto). Their own
# PostgreSQL databases are named after STACK_DATABASE_URL's; the Redis database of
# STACK_REDIS_URL is emptied first (5 by default: keep it for the stack).
STACK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ump_stack
STACK_REDIS_URL ?= redis://127.0.0.1:6379/5
STACK_PORT ?= 18400

stack-test: install-dev image ## The image and three replicas behind HAProxy (Docker, PostgreSQL, Redis; installs Debian's haproxy when root)
	scripts/install_test_tools.sh haproxy
	STACK_DATABASE_URL=$(STACK_DATABASE_URL) STACK_REDIS_URL=$(STACK_REDIS_URL) \
		STACK_PORT=$(STACK_PORT) STACK_IMAGE=$(IMAGE) \
		$(BIN)/python -m pytest -m stack -s $(PYTEST_ARGS)

# The Kubernetes manifests of an overlay, rendered by kubectl's kustomize and
# validated offline against a current Kubernetes's schemas (both tools from
# requirements-dev.txt). tests/test_kubernetes.py checks the example in make test.
OVERLAY ?= deploy/kubernetes/overlays/example
KUBERNETES_VERSION ?= 1.37.0

kubernetes: install-dev ## Render deploy/kubernetes/ (OVERLAY=folder, default the example) with kustomize and validate it offline
	$(BIN)/kubectl kustomize $(OVERLAY) | $(BIN)/kubernetes-validate --strict --quiet -k $(KUBERNETES_VERSION) -
	@echo "$(OVERLAY): valid for Kubernetes $(KUBERNETES_VERSION). Render it with: $(BIN)/kubectl kustomize $(OVERLAY)"

lint: install-dev ## ruff check, ruff format --check, the import contracts and the pending-migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# --all: every catalogue in locale/ (a new language's is made once with --locale xx).
messages: install-dev ## Update every .po file from the code and compile them
	$(DEV_ENV) $(BIN)/python manage.py makemessages --all --no-obsolete \
		--add-location file --ignore ".venv/*" --ignore "staticfiles/*"
	$(BIN)/python scripts/fill_english_catalogue.py
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore ".venv/*"

bench: install ## Benchmark the production stack with wrk (BENCH_ARGS=--short for a quick run)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# The seed content in a scratch SQLite database of its own, so that the figures never
# depend on what was edited in the development database.
search-eval: install ## Search relevance on the seed content: recall at 1 and 3 of search/relevance.toml
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	export $(DEV_ENV) DATABASE_URL="sqlite:///$$scratch/eval.sqlite3" \
		PAGE_CACHE_STAMP_FILE="$$scratch/page-cache-stamp" && \
	$(BIN)/python manage.py migrate --no-input --verbosity 0 && \
	$(BIN)/python manage.py load_seed_content --verbosity 0 && \
	$(BIN)/python manage.py search_eval

# Lighthouse from npm, pinned in tools/lighthouse/package-lock.json and installed
# there only (no global install; its install scripts are not run, nothing else is
# downloaded). It drives Debian's Chromium: CHROME_PATH=/usr/bin/chromium.
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse

$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	npm ci --prefix tools/lighthouse --no-audit --no-fund --ignore-scripts
	touch $@

lighthouse: install $(LIGHTHOUSE) ## Lighthouse (mobile) on `make serve` at port 8150: home, a declaration, a city; reports in artifacts/lighthouse/
	$(BIN)/python scripts/lighthouse.py $(LIGHTHOUSE_ARGS)

clean: ## Remove the virtual environment, the SQLite database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles tools/lighthouse/node_modules tools/vnu/node_modules
