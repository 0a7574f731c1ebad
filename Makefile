# Two commands matter: `make run` and `make test`. Both build what they need first.
#
# The virtualenv is rebuilt only when it is missing, and the packages are reinstalled only
# when pyproject.toml is newer than the stamp .venv/.installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar
PYTEST_ARGS ?=

.PHONY: run test lint format bench fuzz messages system-deps-run system-deps-test

# Debian packages: installed when running as root, otherwise the exact apt-get line is printed.
system-deps-run:
	bash scripts/system-deps.sh run

system-deps-test:
	bash scripts/system-deps.sh test

# The Russian message catalogues, compiled from locale/*/LC_MESSAGES/*.po (GNU gettext's msgfmt).
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore .venv --ignore node_modules -v0

run: system-deps-run $(STAMP) messages
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py load_library
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Every gate; the first failure stops the run with a non-zero status.
test: system-deps-test $(STAMP) $(VNU_JAR) messages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/python manage.py check
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest $(PYTEST_ARGS)

# Bad input to every URL and form, logged out and logged in (tests/fuzz.py), then the report:
# inputs sent, responses by status class, 5xx and partial writes. `make test` runs the same
# fuzzer with 300 inputs. FUZZ_SEED=n sends another sequence.
FUZZ_INPUTS ?= 10000
fuzz: $(STAMP)
	FUZZ_INPUTS=$(FUZZ_INPUTS) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -q -s tests/test_fuzz.py

# Every page under gunicorn with wrk, as a ratio to /healthz, with its queries (scripts/bench.py;
# wrk is installed from Debian as root, otherwise the exact apt-get line is printed).
bench: $(STAMP)
	bash scripts/bench.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# `packages = []`: the project itself is not packaged, so an editable install only pulls in the
# dependencies. Old pip/setuptools pairs cannot install editable without a package; the plain
# install gives the same result there.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]" || $(BIN)/python -m pip install --quiet ".[test]"
	touch $@

# The W3C Nu checker, run with the system Java; its postinstall script (a Java downloader) is
# not needed. touch: npm may give the jar an old mtime, which would reinstall on every run.
$(VNU_JAR): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@
