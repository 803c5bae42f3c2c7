# The two set-up commands of the README. Each creates (once) and uses the project's virtual
# environment .venv/, installs what it needs into it, then runs. A stock Debian/Ubuntu python3
# is "externally managed" (PEP 668) and refuses `pip install` outside a virtual environment.
# With a virtual environment already active (VIRTUAL_ENV set), that one is used instead.

ifdef VIRTUAL_ENV
PY ?= $(VIRTUAL_ENV)/bin/python
VENV_READY :=
else
PY ?= .venv/bin/python
VENV_READY := .venv/bin/python
endif

.PHONY: site serve test zip check

site: $(VENV_READY)  ## install, then build the dossier into output/
	$(PY) -m pip install -q -e .
	$(PY) build.py

serve: $(VENV_READY)  ## install, build, then preview with live reload on http://127.0.0.1:8000/
	$(PY) -m pip install -q -e .
	$(PY) build.py serve

zip: $(VENV_READY)  ## install, build, check and package dist/*.zip
	$(PY) -m pip install -q -e .
	$(PY) build.py zip

check: $(VENV_READY)  ## check the built site in output/ (links, anchors, no other host)
	$(PY) -m pip install -q -e .
	$(PY) build.py check

test: $(VENV_READY)  ## install everything the tests need (Chromium included), lint, run the tests
	$(PY) -m pip install -q -e '.[test]' -r tools/requirements-geo.txt
	sh tools/install-chromium.sh
	sh tools/install-web-checkers.sh
	$(PY) -m ruff check .
	$(PY) -m pytest -q

.venv/bin/python:
	sh tools/make-venv.sh .venv
