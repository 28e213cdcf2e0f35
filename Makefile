# One task file, the same locally and in CI.
#   make demo   build the sample episode (xã Đức Hạnh) from the bundled samples, print its MP3
#   make test   install test dependencies and run the whole suite
#   make test-asr  install the offline recogniser (the [asr] extra) and run the tests that need it
#   make lint   ruff and mypy
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# axe-core (npm) checks each page of the site for accessibility in the browser tests (defined before use).
AXE    := $(VENV)/axe/node_modules/axe-core/axe.min.js

.PHONY: demo test test-asr lint bench browser icecast clean golden

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

demo: $(VENV)/.installed
	@$(BIN)/broadcast demo

test: $(VENV)/.installed-dev browser icecast $(AXE)
	$(BIN)/python -m pytest

test-asr: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[asr]'
	$(BIN)/python -m pytest -m asr

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check broadcast tests bench
	$(BIN)/mypy broadcast

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run_all.py

# Regenerate the golden scripts after an intended template change.
golden: $(VENV)/.installed-dev
	$(BIN)/python -m tests.golden

# The browser test drives Debian's Chromium (Playwright cannot download its own here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "The browser test needs Chromium at /usr/bin/chromium: install the 'chromium' package."; fi; \
	fi

# axe-core (npm) checks each page of the site for accessibility in the browser tests.
$(AXE):
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  flock /tmp/broadcast-apt.lock sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null'; \
	fi
	npm install --prefix $(VENV)/axe --no-save --no-audit --no-fund --silent axe-core@4.11.0

# The stream tests start Debian's Icecast server on a free port of 127.0.0.1.
icecast:
	@if ! command -v icecast2 >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    flock /tmp/broadcast-apt.lock sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq icecast2 >/dev/null'; \
	  else echo "The stream tests need Icecast: install the 'icecast2' package."; fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
