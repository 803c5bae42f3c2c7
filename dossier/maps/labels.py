"""Where a region's name goes on the map: the point of its largest polygon farthest inside.

This is the "pole of inaccessibility" (the polylabel algorithm, Agafonkin 2016), computed in
Web Mercator so that "farthest" is measured as the map draws it. Pure functions, standard
library only; the result is rounded so the page's bytes stay the same from run to run.
"""

from __future__ import annotations

import heapq
import math


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Project to Web Mercator in degrees-like units (x = lon, y grows northwards)."""
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def unmercator(x: float, y: float) -> tuple[float, float]:
    """Back from ``mercator`` to ``(lon, lat)``."""
    return x, math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def _signed_distance(x: float, y: float, rings: list) -> float:
    """Distance from a point to a polygon's outline: positive inside, negative outside."""
    inside, best = False, math.inf
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:]):
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
            dx, dy = bx - ax, by - ay
            t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy)
                                                       / (dx * dx + dy * dy)))
            best = min(best, math.hypot(x - (ax + t * dx), y - (ay + t * dy)))
    return best if inside else -best


def pole(rings: list, precision: float = 0.01) -> tuple[float, float]:
    """The point inside a polygon (rings of ``(x, y)``) farthest from its outline."""
    xs = [p[0] for p in rings[0]]
    ys = [p[1] for p in rings[0]]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    size = min(max_x - min_x, max_y - min_y)
    if size == 0:
        return min_x, min_y
    half = size / 2
    cells, best = [], (-math.inf, min_x, min_y)
    counter = 0  # keeps heap order total, hence the result deterministic

    def push(cx, cy, h):
        """Queue a cell by the best distance it could hold."""
        nonlocal counter
        d = _signed_distance(cx, cy, rings)
        heapq.heappush(cells, (-(d + h * math.sqrt(2)), counter, cx, cy, h, d))
        counter += 1

    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            push(x + half, y + half, half)
            y += size
        x += size
    centre = (sum(xs) / len(xs), sum(ys) / len(ys))
    best = (_signed_distance(*centre, rings), *centre)
    while cells:
        bound, _, cx, cy, h, d = heapq.heappop(cells)
        if d > best[0]:
            best = (d, cx, cy)
        if -bound - best[0] <= precision:
            continue
        h /= 2
        for sx in (-h, h):
            for sy in (-h, h):
                push(cx + sx, cy + sy, h)
    return best[1], best[2]


def label_point(polygons: list) -> tuple[float, float]:
    """Where to write a region's name: ``(lat, lon)`` of its largest polygon's pole."""
    def area(poly):
        """The polygon's outer ring area (shoelace), for picking the largest."""
        ring = poly[0]
        return abs(sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(ring, ring[1:])))

    largest = max(polygons, key=area)
    rings = [[mercator(lon, lat) for lon, lat in ring] for ring in largest]
    lon, lat = unmercator(*pole(rings))
    return round(lat, 3), round(lon, 3)
