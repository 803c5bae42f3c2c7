"""The interactive map: Folium draws the Leaflet map and its layers; assets/js/map.js adds
names, clusters, controls in the page's language, popups that fit and keyboard handling.

Folium runs Jinja over its own output and its Tooltip/Popup put text into JavaScript template
literals. So nothing from the facts reaches Folium except as HTML inside GeoJSON properties,
made inert by ``text.inert`` (the browser decodes the character references back to text).
Popups and tooltips are bound by our own ``onEachFeature`` code, never ``folium.Popup``
(which calls jQuery's ``$()``) nor ``folium.Tooltip`` (a backtick template literal).
What map.js needs besides (region names, messages, the variables Folium declared) goes in a
JSON ``<script type="application/json">`` that never passes through Folium.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from pathlib import Path

from markupsafe import escape

from .. import geometry
from . import data, svg, text

# Vendored libraries, copied from the xstatic wheels into these output folders.
LEAFLET_DIR = "vendor/leaflet/"
GESTURE_DIR = "vendor/leaflet-gesture-handling/"
CLUSTER_DIR = "vendor/leaflet-markercluster/"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                 "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png")
GESTURE_FILES = ("leaflet-gesture-handling.min.js", "leaflet-gesture-handling.min.css")
CLUSTER_FILES = ("leaflet.markercluster.js", "MarkerCluster.css")
# The xstatic wheel ships no licence file: ours is the upstream MIT text.
CLUSTER_LICENSE = Path(__file__).resolve().parent.parent / "data" / "markercluster-LICENSE.txt"

MIN_ZOOM, MAX_ZOOM = 4, 8  # the boundaries are simplified for zoom 8 at most
BOUNDS_MARGIN = 3.0  # degrees of panning allowed around Morocco (released while a popup shows)

# Bound to every GeoJSON layer: icon options, tooltip and popup come from the properties,
# which hold finished, escaped HTML. No '{{', '{%' or backtick here: Folium runs Jinja on it.
# Popup sizes are set when each opens, from the map's size (map.js).
BIND_JS = """function (feature, layer) {
    var p = feature.properties;
    if (p.icon) { L.Util.extend(layer.options.icon.options, p.icon); }
    if (p.tip) {
        layer.bindTooltip(p.tip, p.icon ? { direction: "top", className: "map-tip" }
                                        : { sticky: true, className: "map-tip" });
    }
    if (p.popup) { layer.bindPopup(p.popup, { className: "map-popup-wrap" }); }
}"""


def vendor_files() -> dict[str, Path]:
    """Library files the map page loads, output path → source file (from the xstatic wheels)."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_gesturehandling as gesture
    import xstatic.pkg.leaflet_markercluster as cluster

    files = {LEAFLET_DIR + name: Path(leaflet.BASE_DIR) / name for name in LEAFLET_FILES}
    files.update({GESTURE_DIR + name: Path(gesture.BASE_DIR) / name for name in GESTURE_FILES})
    files.update({CLUSTER_DIR + name: Path(cluster.BASE_DIR) / name for name in CLUSTER_FILES})
    files[CLUSTER_DIR + "LICENSE.txt"] = CLUSTER_LICENSE
    return files


def warm_up() -> None:
    """Import Folium (in a worker process started early, so the import overlaps other work)."""
    import folium  # noqa: F401


@contextlib.contextmanager
def _counter_ids(prefix: str):
    """Give Folium/Branca elements ids from a counter instead of random bytes, then restore."""
    from branca.element import Element

    original = Element.__dict__["_generate_id"]
    counter = itertools.count(1)
    Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter)}")
    try:
        yield
    finally:
        Element._generate_id = original


def render(spec: dict) -> dict:
    """Build the Folium map and cut the parts our page needs out of its Figure."""
    import folium
    from branca.element import CssLink, JavascriptLink

    with _counter_ids("dossier"):
        m, names = _build(folium, spec)
        figure = m.get_root()
        figure.render()
        # Only the library links from Folium's header: its global html/body/#map rules and
        # its user-scalable=no viewport would fight the page's own.
        head = [c.render() for c in figure.header._children.values() if isinstance(c, CssLink)]
        scripts = [c.render() for c in figure.header._children.values()
                   if isinstance(c, JavascriptLink)]
        html = figure.html.render()
        script = figure.script.render()
    if "</script" in script.lower() or "<!--" in script:
        raise ValueError("map script would end its <script> element early")
    scripts.append("<script>\n" + script.strip() + "\n</script>")
    config = _config(spec, names)
    return {"head": "\n".join(head), "html": html.strip(), "scripts": "\n".join(scripts),
            "config": config}


def _config(spec: dict, names: dict) -> str:
    """What map.js needs, as JSON safe inside a <script> element."""
    credits = escape(text.CREDITS)
    if spec["credits"]:
        credits += escape(" · ") + text.Markup('<a href="{}">crédits</a>').format(spec["credits"])
    config = {"names": names, "messages": text.messages(spec["language"]),
              "credits": str(credits), "labels": spec["labels"],
              "bounds": _bounds(), "margin": BOUNDS_MARGIN}
    return json_for_script(config)


def json_for_script(value) -> str:
    """JSON that cannot end a <script> element (stable key order: deterministic bytes)."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _bounds() -> list:
    """Morocco's bounding box as Leaflet ``[[south, west], [north, east]]``."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds(svg.regions_geometry())
    return [[min_lat, min_lon], [max_lat, max_lon]]


def _build(folium, spec: dict):
    """Create the Folium map: no tiles, local libraries, the regions and point layers.

    Returns the map and the names of the variables Folium declared, for map.js.
    """
    from folium.utilities import JsCode

    (min_lat, min_lon), (max_lat, max_lon) = _bounds()
    m = folium.Map(
        location=[round((min_lat + max_lat) / 2, 4), round((min_lon + max_lon) / 2, 4)],
        zoom_start=5, tiles=None, zoom_control=False, attributionControl=False,
        # With tiles=None Folium ignores min_zoom/max_zoom: pass Leaflet's own options.
        minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM, zoomSnap=0.25, zoomDelta=0.5,
        maxBounds=[[min_lat - BOUNDS_MARGIN, min_lon - BOUNDS_MARGIN],
                   [max_lat + BOUNDS_MARGIN, max_lon + BOUNDS_MARGIN]],
        maxBoundsViscosity=1.0,
        gestureHandling=True,
        gestureHandlingOptions={"text": text.messages(spec["language"])["gesture"],
                                "duration": 1500},
    )
    root = spec["root"]
    # On the instance: the class attributes are shared by every map in the process.
    m.default_js = [("leaflet", root + LEAFLET_DIR + "leaflet.js"),
                    ("gesture_handling", root + GESTURE_DIR + GESTURE_FILES[0]),
                    ("markercluster", root + CLUSTER_DIR + CLUSTER_FILES[0])]
    m.default_css = [("leaflet_css", root + LEAFLET_DIR + "leaflet.css"),
                     ("gesture_handling_css", root + GESTURE_DIR + GESTURE_FILES[1]),
                     ("markercluster_css", root + CLUSTER_DIR + CLUSTER_FILES[1])]
    bind = JsCode(BIND_JS)
    regions = folium.GeoJson(
        {"type": "FeatureCollection", "features": _with_geometry(spec["regions"])},
        style_function=_region_style, highlight_function=_region_highlight,
        on_each_feature=bind, control=False,
    ).add_to(m)
    names = {"map": m.get_name(), "regions": regions.get_name()}
    layers = (("sites", {"riseOnHover": True}),
              ("institutes", {"riseOnHover": True}),
              ("chefs", {"interactive": False, "keyboard": False}))
    for key, options in layers:
        if not spec[key]:
            continue
        size = data.CHEF_PX if key == "chefs" else data.SITE_MIN_PX
        marker = folium.Marker(icon=folium.DivIcon(
            class_name="map-marker chef-marker" if key == "chefs" else "map-marker",
            icon_size=(size, size)), **options)
        layer = folium.GeoJson({"type": "FeatureCollection", "features": spec[key]},
                               marker=marker, on_each_feature=bind, control=False).add_to(m)
        names[key] = layer.get_name()
    m.fit_bounds([[min_lat, min_lon], [max_lat, max_lon]], padding=(6, 6))
    return m, names


def _with_geometry(features: list[dict]) -> list[dict]:
    """Region features with their shapes from the boundaries file, joined by code."""
    shapes = dict(data.features())
    return [{**f, "geometry": shapes[f["id"]]} for f in features]


def _region_style(feature) -> dict:
    """A region's fill: the state of its Jazari institute."""
    props = feature["properties"]
    return {"className": f"region-shape region-{props['code']} jazari-{props['state']}",
            "fillColor": data.JAZARI[props["state"]][1], "fillOpacity": 1,
            "color": "#ffffff", "weight": 1.2, "opacity": 1}


def _region_highlight(feature) -> dict:
    """A region's outline under the pointer."""
    return {"color": "#1d232a", "weight": 2.5}
