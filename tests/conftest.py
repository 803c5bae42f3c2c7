"""Shared fixtures: tiny dossiers built from a dict of files."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

SOURCES = """\
- id: lebrief
  title: Quel futur pour l'IA au Maroc ?
  publisher: LeBrief
  url: null
  date: null
- id: hcp-rgph-2024
  title: Recensement 2024
  publisher: HCP
  url: https://www.hcp.ma/
  date: '2024'
"""
REGIONS = """\
- code: '10'
  name_fr: Guelmim-Oued Noun
  name_ar: كلميم-واد نون
  chef_lieu: Guelmim
  lat: 28.983
  lon: -10.067
  sources: [lebrief]
  covers: [name_ar, chef_lieu, lat, lon]
"""
FIGURES = """\
- id: dakhla
  label: Capacité visée à Dakhla
  value: 500 MW
  key: true
  sources: [lebrief]
"""
INDEX = """\
---
title: Accueil
summary: Le dossier en bref.
template: home.html
---

Bienvenue. Capacité : {fact}`figures.dakhla`.
"""
CHAPTER = """\
---
title: Le cloud
summary: Le cloud souverain.
order: 1
---

## Dakhla

Le centre de données vise {fact}`figures.dakhla`. Voir [l'accueil](../index.md).
"""
MINIMAL = {
    "content/facts/sources.yaml": SOURCES,
    "content/facts/regions.yaml": REGIONS,
    "content/facts/figures.yaml": FIGURES,
    "content/index.md": INDEX,
    "content/chapitres/01-cloud.md": CHAPTER,
    "content/sources.md": "---\ntitle: Sources\nsummary: Toutes les sources.\n"
                          "template: sources.html\n---\n",
    "content/regions.md": "---\ntitle: Régions\nsummary: Les régions.\n"
                          "template: regions.html\n---\n",
}
POPULATIONS = {"10": 448685}

# Debian's Chromium, started so that it makes no calls of its own (the machine has no network).
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-gpu"]


def write_site(root: Path, files: dict, templates: bool = True) -> Path:
    """Write a dossier from ``{path: text or bytes}``; copy the real templates and assets."""
    if templates:
        for name in ("templates", "assets"):
            if (PROJECT / name).is_dir() and f"{name}/" not in "".join(files):
                shutil.copytree(PROJECT / name, root / name, dirs_exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, "utf-8")
    return root


@pytest.fixture
def make_site(tmp_path):
    """Return a function that writes a tiny dossier (MINIMAL plus overrides) and its root."""

    def make(files: dict | None = None, base: dict | None = MINIMAL, drop=()) -> Path:
        merged = {k: v for k, v in (base or {}).items() if k not in drop}
        merged.update(files or {})
        return write_site(tmp_path / "site", merged)

    return make


def pytest_addoption(parser):
    """Add --update-goldens to rewrite the golden sample's expected output."""
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite tests/sites/golden/expected from the current build")


def tree_digest(root: Path, skip: tuple = ("output", ".cache")) -> dict[str, str]:
    """Hash every file and link under ``root`` except the build's own folders.

    Used to prove that a build touched nothing of the editor's: ``skip`` names top-level
    entries that belong to the build (its output and its cache).
    """
    import hashlib
    import os

    found = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in skip]
            filenames = [f for f in filenames if f not in skip]
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            if os.path.islink(path):
                found[rel] = "link:" + os.readlink(path)
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    found[rel] = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
            elif os.path.isdir(path):
                found[rel] = "dir"
    return found


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (Playwright's sync API: one at a time)."""
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
