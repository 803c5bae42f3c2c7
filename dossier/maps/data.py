"""From facts to plain data: the rows the text tables list and the features the map draws.

Popups and tooltips are finished, escaped HTML (from ``text``); everything here is JSON-able
so a worker process can render it and the memo can key on it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math

from markupsafe import Markup

from .. import geometry, links
from . import labels, svg, text

# How a region is shaded: the state of its Jazari institute, as our sources tell it. These
# colours (and the sites') reach the page's CSS through templates/map.html: one source.
JAZARI = {
    "sourced": ("Thème annoncé et sourcé", "#9b86c9"),
    "untitled": ("Institut annoncé, thème non connu", "#d5cae9"),
    "none": ("Aucun institut annoncé", "#f6f3ea"),
}
# How a data-centre site is coloured (keys are the schema's status codes).
SITE_STATUS = {"operating": "#1f7a4a", "planned": "#2a62c9", "announced": "#d9822b"}

# WCAG 2.5.8: every target at least 24 × 24 px; the area grows with the capacity.
SITE_MIN_PX, SITE_PX_PER_SQRT_MW = 24, 1.0
INSTITUTE_PX, CHEF_PX = 24, 9
MAP_COLLECTIONS = ("regions", "datacentres", "institutes", "sources", "agreements")


@functools.cache
def features() -> tuple[tuple[str, dict], ...]:
    """The regions GeoJSON's geometries, ``(code, geometry)`` in file order."""
    data = json.loads(geometry.DEFAULT_PATH.read_text(encoding="utf-8"))
    return tuple((f["properties"]["code"], f["geometry"]) for f in data["features"])


@functools.cache
def geometry_digest() -> str:
    """A hash of the boundaries file: part of every cache key."""
    return hashlib.blake2b(geometry.DEFAULT_PATH.read_bytes(), digest_size=12).hexdigest()


@functools.cache
def label_points() -> dict[str, tuple[float, float]]:
    """Where each region's name is written, ``{code: (lat, lon)}`` (once per process)."""
    return {code: labels.label_point(polys) for code, polys in svg.regions_geometry().items()}


def page_with_template(site, template: str):
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


def placed(record) -> bool:
    """Whether a site (or a region's chef-lieu) has coordinates, so is drawn on the map."""
    return record.get("lat") is not None and record.get("lon") is not None


def region_hrefs(site, page, regions) -> dict[str, str]:
    """Page-relative links to each region's page, by code."""
    return {code: links.relative(page.dest, p.dest) for code in regions
            if (p := site.pages.get("regions/" + code)) is not None}


def text_ctx(site, page) -> text.Ctx:
    """The lookups the text functions need, for links relative to ``page``."""
    regions = {r.id: r for r in site.facts.records("regions")}
    dc_page = page_with_template(site, "datacentres.html")
    dc_href = links.relative(page.dest, dc_page.dest) if dc_page is not None else None
    return text.Ctx(site.facts["sources"], page.root, regions,
                    region_hrefs(site, page, regions), dc_href)


def map_rows(site, page) -> dict:
    """What the text tables list, by region, site and institute (cheap: no HTML)."""
    facts = site.facts
    regions = {r.id: r for r in facts.records("regions")}
    sites = facts.records("datacentres")
    institutes = facts.records("institutes")
    agreements = facts.records("agreements")
    hrefs = region_hrefs(site, page, regions)
    region_rows = []
    for code, _ in features():
        if code not in regions:
            continue
        own = [i for i in institutes if i.get("region") == code]
        state = jazari_state(own)
        region_rows.append({"record": regions[code], "state": state,
                            "state_label": JAZARI[state][0], "institutes": own,
                            "sites": [s for s in sites if s.get("region") == code],
                            "agreements": [a for a in agreements if a.get("region") == code],
                            "href": hrefs.get(code)})
    site_rows = [{"record": s, "placed": placed(s), "region": regions.get(s.get("region")),
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
    parts = [page.dest, geometry_digest(), site.settings.language]
    parts += [site.facts.fingerprint((name,)) for name in MAP_COLLECTIONS]
    # Popups link to region pages, the data-centre page and the credits page.
    parts += sorted(f"{p.key}|{p.dest}|{p.template}" for p in site.pages.values())
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def map_spec(site, page) -> dict:
    """Gather everything the map shows as JSON-able data: features with finished popups."""
    facts = site.facts
    language = site.settings.language
    ctx = text_ctx(site, page)
    regions = ctx.regions
    sites = facts.records("datacentres")
    institutes = facts.records("institutes")
    region_features, chef_features, name_labels = [], [], []
    anchors = label_points()
    for code, _ in features():
        record = regions.get(code)
        own = [i for i in institutes if i.get("region") == code]
        state = jazari_state(own)
        region_features.append({"type": "Feature", "id": code, "properties": {
            "code": code, "state": state, "tip": text.region_tip(record, code, JAZARI[state][0]),
            "popup": text.region_popup(ctx, code, record, own,
                                       [s for s in sites if s.get("region") == code])}})
        lat, lon = anchors[code]
        name_labels.append({"code": code, "lat": lat, "lon": lon,
                            **text.label_texts(record, code, language)})
        if record is not None and placed(record):
            chef_features.append(_point(record.get("lon"), record.get("lat"), {
                "id": record.id, "tip": text.chef_tip(record)}))
    on_map = [s for s in sites if placed(s)]
    credits_page = site.pages.get("credits")
    return {
        "root": page.root,
        "language": language,
        "credits": links.relative(page.dest, credits_page.dest) if credits_page else None,
        "regions": region_features,
        "sites": [_site_feature(ctx, dc) for dc in on_map],
        "institutes": [_institute_feature(ctx, i, regions[i.get("region")]) for i in institutes
                       if i.get("region") in regions and placed(regions[i.get("region")])],
        "chefs": chef_features,
        "labels": name_labels,
        # For the print map only; never handed to Folium, so plain text is fine here.
        "print": {"classes": [[f["id"], "jazari-" + f["properties"]["state"]]
                              for f in region_features],
                  "points": [[s.get("lon"), s.get("lat"), str(s.get("name"))] for s in on_map]},
    }


def icon(cls: str, size: int, label: Markup, visible: str = "") -> dict:
    """Leaflet divIcon options, centred on the point; the hidden label names it for readers."""
    html = Markup('<span class="visually-hidden">{}</span>').format(label)
    if visible:
        html = Markup('<span aria-hidden="true">{}</span>').format(visible) + html
    return {"className": cls, "iconSize": [size, size], "iconAnchor": [size / 2, size / 2],
            "popupAnchor": [0, -size / 2], "tooltipAnchor": [0, -size / 2],
            "html": text.inert(html)}


def _point(lon, lat, properties) -> dict:
    """A GeoJSON point feature."""
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}


def _site_feature(ctx, dc) -> dict:
    """A site's marker: status colour, capacity size; clustering spreads shared points."""
    size = marker_px(capacity_mw(dc))
    status = dc.get("status")
    known = "" if capacity_mw(dc) is not None else " capacity-unknown"
    return _point(dc.get("lon"), dc.get("lat"), {
        "id": dc.id, "tip": text.site_tip(dc), "popup": text.site_popup(ctx, dc),
        "icon": icon(f"map-marker site-marker site-{status}{known}", size,
                     text.site_label(dc))})


def _institute_feature(ctx, inst, region) -> dict:
    """An institute, drawn at its region's chef-lieu (no source gives its address)."""
    label = Markup("Institut Jazari : {}").format(inst.get("name"))
    return _point(region.get("lon"), region.get("lat"), {
        "id": inst.id, "tip": text.institute_tip(inst, region),
        "popup": text.institute_popup(ctx, inst, region),
        "icon": icon("map-marker inst-marker", INSTITUTE_PX, label, "J")})
