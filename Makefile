# CommonGround: two commands.
#   make run   set up, migrate, load the demo district when the database is empty, serve on 127.0.0.1:8000
#   make test  set up and run the whole suite (DATABASE_URL picks the database; SQLite by default)
#   make screenshots  each demo role's home and main task at phone and desktop size, into docs/screenshots/
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := commonground/web/static/vendor
TEST_VENDOR := tests/vendor
PYTEST_ARGS ?=
# The suite runs in one process per CPU (pytest-xdist); tests/conftest.py keeps the demo and ops packages each
# in one process.
TEST_WORKERS ?= auto

.PHONY: run test setup static migrate demo messages lint bench screenshots clean

run: setup migrate
	$(BIN)/commonground demo --if-empty
	$(BIN)/commonground collectstatic --noinput -v 0
	@echo ""
	@echo "CommonGround 共治 is at http://127.0.0.1:8000/  (Ctrl-C stops it)"
	$(BIN)/commonground demo --accounts
	$(BIN)/commonground serve

test: setup
	$(BIN)/ruff check .
	$(BIN)/commonground makemigrations --check --dry-run -v 0
	$(BIN)/pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

setup: $(VENV)/.installed $(VENDOR)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Front-end libraries come pinned from the npm registry and are copied into the static folder.
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/leaflet $(VENDOR)/markercluster $(VENDOR)/pico $(VENDOR)/echarts $(VENDOR)/echarts-gl $(VENDOR)/htmx
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css $(VENDOR)/leaflet/
	cp -r node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map node_modules/leaflet.markercluster/dist/MarkerCluster.css $(VENDOR)/markercluster/
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/echarts-gl/dist/echarts-gl.min.js node_modules/echarts-gl/dist/echarts-gl.min.js.LICENSE.txt $(VENDOR)/echarts-gl/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	# axe-core only for the browser tests and screenshots: injected by tests/browser.py, never served to users
	mkdir -p $(TEST_VENDOR)/axe-core
	cp node_modules/axe-core/axe.min.js $(TEST_VENDOR)/axe-core/
	touch $@

migrate: setup
	$(BIN)/commonground migrate --noinput -v 0

demo: migrate
	$(BIN)/commonground demo

# Rebuild the compiled translations (needs GNU gettext); the .mo files are committed.
messages: setup
	cd commonground && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --add-location=file --settings=commonground.config.settings
	cd commonground && ../$(BIN)/django-admin compilemessages --settings=commonground.config.settings

lint: setup
	$(BIN)/ruff check .

bench: migrate
	$(BIN)/commonground bench

# Builds the demo into a throwaway database, serves it, and runs axe on every page it photographs.
screenshots: setup
	$(BIN)/python -m tests.screenshots

clean:
	rm -rf $(VENV) node_modules $(VENDOR) $(TEST_VENDOR) var/static
