"""The dossier's maps, split by what each part draws.

- ``data``: facts → the rows of the text tables and the features of the map (plain data);
- ``text``: every word shown (popups, tooltips, labels, control messages), shared with the
  region and data-centre pages;
- ``interactive``: the Leaflet map drawn with Folium (plus ``assets/js/map.js`` in the page);
- ``svg``: the printed twin of the map and the region locators;
- ``labels``: where each region's name sits inside its shape.

This module holds what the pipeline calls. The map page is built in stages: ``map_rows``
lists what the text tables show (always, it is cheap); ``inputs_key`` hashes everything the
map depends on, and when that hash is in the in-process memo nothing else runs; otherwise
``map_spec`` builds the plain data and ``_render`` the markup, importing Folium only then.
"""

from __future__ import annotations

import threading

from markupsafe import Markup

from .. import cite, links
from . import svg
from .data import (
    JAZARI,
    SITE_MIN_PX,
    SITE_STATUS,
    capacity_mw,
    inputs_key,
    jazari_state,
    map_rows,
    map_spec,
    marker_px,
    page_with_template,
    text_ctx,
)
from .interactive import render as _render
from .interactive import vendor_files, warm_up
from .text import inert

__all__ = ["JAZARI", "SITE_MIN_PX", "SITE_STATUS", "capacity_mw", "inert", "jazari_state",
           "map_rows", "map_spec", "marker_px", "page_context", "prefetch", "region_context",
           "regions_context", "datacentres_context", "rendered_parts", "vendor_files",
           "warm_up"]

_render_lock = threading.Lock()
_rendered: dict[str, dict] = {}  # inputs hash → rendered parts (a few, most recent last)
MEMO_SIZE = 4
_pending: dict = {}  # inputs key → AsyncResult of a render started by prefetch()


def page_context(site, page) -> dict:
    """Context for templates/map.html: the map's markup and script, print map, text tables."""
    rows = map_rows(site, page)  # also records which facts the page read
    parts = rendered_parts(site, page)
    return {
        "map_html": Markup(parts["html"]),
        "map_head": Markup(parts["head"]),
        "map_scripts": Markup(parts["scripts"]),
        "map_config": Markup(parts["config"]),
        "map_static": Markup(parts["static"]),
        "map_regions": rows["regions"],
        "map_sites": rows["sites"],
        "map_institutes": rows["institutes"],
        "map_jazari": [(key, label, color) for key, (label, color) in JAZARI.items()],
        "map_status": [(key, cite.label(key), color) for key, color in SITE_STATUS.items()],
        "map_text": text_ctx(site, page),
    }


def region_context(site, page) -> dict:
    """Context for templates/region.html: a static SVG locator, the shared site lines."""
    record = page.record
    lat, lon = record.get("lat"), record.get("lon")
    # A coordinate that failed validation is missing: the build reports it, draw no point.
    point = (lon, lat, str(record.get("chef_lieu") or "")) \
        if lat is not None and lon is not None else None
    title = f"{record.get('name_fr') or record.id} sur la carte des 12 régions du Maroc"
    context = {"locator": Markup(svg.locator(record.id, point, title)),
               "map_text": text_ctx(site, page)}
    map_page = page_with_template(site, "map.html")
    if map_page is not None:
        context["map_url"] = links.relative(page.dest, map_page.dest)
    return context


def regions_context(site, page) -> dict:
    """Context for templates/regions.html: the overview map (static SVG) and table rows."""
    rows = map_rows(site, page)
    classes = tuple((row["record"].id, "jazari-" + row["state"]) for row in rows["regions"])
    points = tuple((s["record"].get("lon"), s["record"].get("lat"), str(s["record"].get("name")))
                   for s in rows["sites"] if s["placed"])
    context = {"regions_map": Markup(svg.overview(classes, points)),
               "map_regions": rows["regions"],
               "map_jazari": [(key, label, color) for key, (label, color) in JAZARI.items()]}
    map_page = page_with_template(site, "map.html")
    if map_page is not None:
        context["map_url"] = links.relative(page.dest, map_page.dest)
    return context


def datacentres_context(site, page) -> dict:
    """Context for templates/datacentres.html: the site lines shared with the map."""
    return {"map_text": text_ctx(site, page)}


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
            hit = {**parts, "static": svg.static_map(spec)}
            while len(_rendered) >= MEMO_SIZE:
                _rendered.pop(next(iter(_rendered)))  # the least recently used
        _rendered[key] = hit  # most recently used last
    return hit
