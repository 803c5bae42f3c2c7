"""The live preview in headless Chromium: saves show up, errors too, stylesheets swap."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import CHAPTER, FIGURES
from dossier.serve import Preview

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-gpu"]
WAIT_MS = 10_000


@pytest.fixture
def preview(make_site, tmp_path):
    """A tiny dossier served from a thread."""
    pv = Preview(make_site(), port=0, tempdir=tmp_path, out=lambda *a, **k: None)
    pv.serve_in_thread()
    yield pv
    pv.stop()
    pv.close()


@pytest.fixture
def page():
    """One headless Chromium page."""
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_a_saved_edit_appears_and_errors_show_then_clear(preview, page):
    expect = sync_api.expect
    page.goto(preview.url + "chapitres/cloud/")
    expect(page.locator("h1")).to_have_text("Le cloud")
    # wait until livereload.js has said hello and info, or the edit could come before it listens
    deadline = time.monotonic() + WAIT_MS / 1000
    while not preview.clients:
        assert time.monotonic() < deadline, "livereload.js never connected"
        time.sleep(0.02)

    chapter = preview.root / "content/chapitres/01-cloud.md"
    chapter.write_text(CHAPTER + "\nUne phrase ajoutée dans l’éditeur.\n", "utf-8")
    expect(page.get_by_text("Une phrase ajoutée dans l’éditeur.")).to_be_visible(
        timeout=WAIT_MS)

    figures = preview.root / "content/facts/figures.yaml"
    figures.write_text(FIGURES.replace("label: Capacité", "label: [Capacité"), "utf-8")
    overlay = page.locator("#dossier-preview-errors")
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text("content/facts/figures.yaml:")
    # one language throughout: the header is in the messages' language, marked as such
    expect(overlay).to_have_attribute("lang", "en")
    expect(overlay).to_contain_text("The build failed: this page is the last good version.")
    expect(page.get_by_text("Une phrase ajoutée dans l’éditeur.")).to_be_visible()

    figures.write_text(FIGURES, "utf-8")
    expect(overlay).to_have_count(0, timeout=WAIT_MS)

    # a stylesheet-only change is swapped in place: the page (and this marker) stays
    page.wait_for_load_state()
    page.evaluate("window.notReloaded = true")
    css = preview.root / "assets/css/site.css"
    css.write_text(css.read_text("utf-8") + "\nbody { border-top: 7px solid rgb(1, 2, 3) }\n")
    page.wait_for_function("getComputedStyle(document.body).borderTopWidth === '7px'",
                           timeout=WAIT_MS)
    assert page.evaluate("window.notReloaded") is True
