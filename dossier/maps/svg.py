"""The map's static drawings: the printed twin of the map page and the region locators."""

from __future__ import annotations

import functools

from .. import geometry

OVERVIEW_TITLE = ("Carte des 12 régions : état des instituts Jazari et centres de données "
                  "placés")


@functools.cache
def regions_geometry() -> dict:
    """The regions as drawn by geometry.py, ``{code: polygons}`` (read once per process)."""
    return geometry.load_regions()


@functools.lru_cache(maxsize=32)
def locator(code: str, point: tuple | None, title: str) -> str:
    """A region's locator SVG (memoised: the same for every build until its inputs change)."""
    return geometry.locator_svg(regions_geometry(), code, title=title,
                                points=[point] if point else None)


def static_map(spec: dict) -> str:
    """The printed twin of the map: regions shaded alike, sites as dots (memoised)."""
    classes = tuple(tuple(pair) for pair in spec["print"]["classes"])
    points = tuple(tuple(point) for point in spec["print"]["points"])
    return overview(classes, points)


@functools.lru_cache(maxsize=4)
def overview(classes: tuple, points: tuple, title: str = OVERVIEW_TITLE) -> str:
    """Draw the overview SVG for given region classes and site points."""
    return geometry.overview_svg(regions_geometry(), width=560, classes=dict(classes),
                                 points=points, title=title)
