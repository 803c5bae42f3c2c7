# The two set-up commands of the README. Each installs what it needs, then runs.
PY ?= python3

.PHONY: site serve test zip

site:  ## install, then build the dossier into output/
	$(PY) -m pip install -q -e .
	$(PY) build.py

serve: ## install, build, then preview with live reload on http://127.0.0.1:8000/
	$(PY) -m pip install -q -e .
	$(PY) build.py serve

zip:   ## install, build, check and package dist/*.zip
	$(PY) -m pip install -q -e .
	$(PY) build.py zip

test:  ## install everything the tests need (Chromium included), lint, run the tests
	$(PY) -m pip install -q -e '.[test]' -r tools/requirements-geo.txt
	sh tools/install-chromium.sh
	sh tools/install-web-checkers.sh
	$(PY) -m ruff check .
	$(PY) -m pytest -q
