"""The built dossier against the web's own checkers: the Nu HTML Checker (vnu) on every file,
axe-core in headless Chromium on every page type, wide and narrow.

Both come from npm (tools/package.json, pinned); ``make test`` installs them with
tools/install-web-checkers.sh. vnu needs Java.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROJECT
from dossier.pipeline import build

TOOLS = PROJECT / "tools" / "node_modules"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = TOOLS / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-gpu"]
INSTALL = "run sh tools/install-web-checkers.sh (make test does)"
# WCAG 2.0–2.2 A and AA, plus axe's best practices (landmarks, heading order, …).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
MAP_PAGE = "carte/index.html"
PAGE_TYPES = {
    "home": "index.html", "section": "chapitres/index.html",
    "chapter": "chapitres/cloud-souverain/index.html",
    "data table": "centres-de-donnees/index.html",
    "institutes": "instituts/index.html", "agreements": "accords/index.html",
    "timeline": "chronologie/index.html", "regions": "regions/index.html",
    "region": "regions/dakhla-oued-ed-dahab/index.html", "sources": "sources/index.html",
    "page": "methodologie/index.html", "404": "404.html", "map": MAP_PAGE,
}
# The map page's own widgets belong to the map work (templates/map.html, assets/css/map.css):
# an <aside> legend inside <main> and 15 px Leaflet markers. Strict: once that work is merged
# the test passes, pytest reports XPASS as a failure, and this mark must go.
MAP_XFAIL = pytest.mark.xfail(strict=True, reason="map page: axe still reports violations "
                              "in this run's rule set after the map merge (issue 11, open)")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real dossier, built once for this module."""
    out = tmp_path_factory.mktemp("a11y") / "site"
    build(PROJECT, out=out)
    return out


def test_vnu_finds_no_error_in_the_whole_output(site):
    if not VNU.is_file():
        pytest.skip(f"vnu.jar missing: {INSTALL}")
    java = shutil.which("java")
    if java is None:
        pytest.skip("vnu needs Java (Debian: apt-get install default-jre-headless)")
    run = subprocess.run([java, "-jar", str(VNU), "--skip-non-html", "--errors-only",
                          "--format", "json", str(site)], capture_output=True, text=True)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').split(site.name + '/', 1)[-1]}:{m.get('lastLine')}: "
              f"{m.get('message')}" for m in messages
              if m.get("type") in ("error", "non-document-error")]
    assert errors == []
    assert len(list(site.rglob("*.html"))) > 20  # the whole site was there to check



def axe_violations(browser, url: str, width: int, open_menu: bool = False,
                   state=None) -> list[str]:
    """Run axe-core on a page at a width, after ``state(page)`` when given (a popover open,
    the search showing results); return one line per violation and node."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        if open_menu:
            page.click(".menu-toggle")
        if state is not None:
            state(page)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    finally:
        context.close()
    return [f"{v['id']} ({v['impact']}): {' '.join(map(str, n['target']))}"
            for v in result["violations"] for n in v["nodes"]]


@pytest.mark.parametrize("rel", [pytest.param(rel, id=kind, marks=MAP_XFAIL if rel == MAP_PAGE
                                              else ()) for kind, rel in PAGE_TYPES.items()])
def test_axe_finds_no_violation_on_each_page_type(site, browser, rel):
    if not AXE.is_file():
        pytest.skip(f"axe-core missing: {INSTALL}")
    url = (site / rel).as_uri()
    found = {width: axe_violations(browser, url, width) for width in (1366, 390)}
    assert found == {1366: [], 390: []}


def test_axe_finds_no_violation_with_the_phone_menu_open(site, browser):
    if not AXE.is_file():
        pytest.skip(f"axe-core missing: {INSTALL}")
    url = (site / PAGE_TYPES["chapter"]).as_uri()
    assert axe_violations(browser, url, 390, open_menu=True) == []


def open_a_note(page):
    """Focus the first note marker of the text: its popover opens."""
    page.locator(".prose .note-ref a").first.focus()
    page.locator(".note-popover").wait_for(state="visible")


def search_with_results(page):
    """Type a query in the search box and wait for the listbox of results."""
    page.click("#search-input")
    page.keyboard.type("mistral")
    page.locator("#search-results [role=option]").first.wait_for(state="visible")
    page.keyboard.press("ArrowDown")  # one result selected, as a reader would


@pytest.mark.parametrize("state", [open_a_note, search_with_results], ids=["note", "search"])
@pytest.mark.parametrize("width", [1366, 390])
def test_axe_finds_no_violation_with_a_popover_or_the_search_open(site, browser, state, width):
    if not AXE.is_file():
        pytest.skip(f"axe-core missing: {INSTALL}")
    url = (site / PAGE_TYPES["chapter"]).as_uri()
    assert axe_violations(browser, url, width, state=state) == []
