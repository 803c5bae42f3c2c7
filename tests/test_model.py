"""Pure functions of the model: YAML positions, facts validation, Markdown, pages, citations."""

from __future__ import annotations

import pytest

from dossier import cite, facts, links, narrative, pages, schema, validate, yamlpos
from dossier.errors import Report


def test_yaml_keeps_positions_and_reports_duplicate_keys():
    data, duplicates = yamlpos.load("a: 1\nb:\n  - x\n  - {c: 2}\na: 3\n")
    assert data == {"a": 1, "b": ["x", {"c": 2}]}
    assert data.where("b") == (3, 3)
    assert data["b"].where(1) == (4, 5)
    assert duplicates == [("a", (5, 1))]


def test_yaml_keeps_dates_as_text_and_refuses_python_objects():
    data, _ = yamlpos.load("d: 2025-07-02\n")
    assert data["d"] == "2025-07-02"
    with pytest.raises(yamlpos.YamlError):
        yamlpos.load("x: !!python/object/apply:os.system [echo hi]\n")


def test_yaml_line_offset_for_front_matter():
    data, _ = yamlpos.load("title: x\n", line_offset=1)
    assert data.where("title") == (2, 8)


def test_front_matter_split_counts_body_lines():
    report = Report()
    meta, body, body_line, pos = narrative.split_front_matter(
        "---\ntitle: T\nsummary: S\n---\n\nHello\n", "p.md", report)
    assert meta == {"title": "T", "summary": "S"}
    assert body == "\nHello\n" and body_line == 5
    assert pos["summary"] == (3, 10)
    assert not report.problems


def test_markdown_escapes_raw_html_and_anchors_headings():
    report = Report()
    doc = narrative.parse("---\ntitle: T\nsummary: S\n---\n## Énergie & eau\n\n"
                          "<script>alert(1)</script>\n\n## Énergie & eau\n\n## X {#mon-id}\n",
                          "p.md", report)
    assert "<script>" not in doc.html and "&lt;script&gt;" in doc.html
    assert [h[1] for h in doc.headings] == ["energie-eau", "energie-eau-2", "mon-id"]
    assert doc.headings[2] == (2, "mon-id", "X")


def test_markdown_tables_and_footnotes():
    doc = narrative.parse("---\ntitle: T\nsummary: S\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                          "Note[^1].\n\n[^1]: Source.\n", "p.md", Report())
    assert "<table>" in doc.html and 'class="footnotes"' in doc.html


def test_roles_and_links_become_placeholders_with_positions():
    doc = narrative.parse("---\ntitle: T\nsummary: S\n---\nA {fact}`figures.x` and\n"
                          "[b](other.md#h) and [c](https://example.org)\n", "p.md", Report())
    assert [(r.kind, r.target, r.line, r.col) for r in doc.refs] == [
        ("fact", "figures.x", 5, 3), ("link", "other.md#h", 6, 5)]
    filled = narrative.fill(doc, lambda ref: f"<{ref.kind}>")
    assert "A <fact> and" in filled and 'href="<link>"' in filled
    assert 'href="https://example.org"' in filled


def test_slugify_folds_accents():
    assert narrative.slugify("Drâa-Tafilalet") == "draa-tafilalet"
    assert narrative.slugify("L'Oriental — Nador") == "l-oriental-nador"


@pytest.mark.parametrize("rel,slug,dest", [
    ("index.md", None, "index.html"),
    ("404.md", None, "404.html"),
    ("sources.md", None, "sources/index.html"),
    ("chapitres/01-cloud.md", None, "chapitres/cloud/index.html"),
    ("chapitres/index.md", None, "chapitres/index.html"),
    ("chapitres/01-cloud.md", "nuage", "chapitres/nuage/index.html"),
])
def test_destinations_are_folders_with_explicit_index(rel, slug, dest):
    assert pages.destination(rel, slug) == dest


def test_relative_links_between_pages():
    assert links.relative("chapitres/cloud/index.html", "index.html") == "../../index.html"
    assert links.relative("index.html", "regions/x/index.html") == "regions/x/index.html"
    assert links.relative("a/index.html", "a/index.html") == "index.html"


def test_french_number_and_date_formatting():
    assert cite.number(36828330) == "36\u202f828\u202f330"
    assert cite.number(3.5) == "3,5"
    assert cite.date("2025-07-01") == "1er juillet 2025"
    assert cite.date("2025-11") == "novembre 2025"
    assert cite.date("2024") == "2024"


def _facts(yaml_by_collection: dict, tmp_path) -> tuple[facts.Facts, Report]:
    folder = tmp_path / "content" / "facts"
    folder.mkdir(parents=True)
    for name, text in yaml_by_collection.items():
        (folder / f"{name}.yaml").write_text(text, "utf-8")
    report = Report()
    return facts.load(folder, tmp_path, report, populations={"10": 448685}), report


SRC = "- id: a\n  title: A\n  publisher: P\n- id: b\n  title: B\n  publisher: Q\n"


def test_claims_keep_every_source_side_by_side(tmp_path):
    found, report = _facts({"sources": SRC, "figures": (
        "- id: accords\n  label: Accords\n  sources: [a]\n  value:\n"
        "    - value: 16 accords\n      sources: [a]\n      status: non confirmé\n"
        "    - value: 9 conventions\n      sources: [b]\n      confidence: medium\n")}, tmp_path)
    assert not report.problems
    record = found["figures"]["accords"]
    assert [(c.value, c.sources) for c in record.get("value")] == [
        ("16 accords", ("a",)), ("9 conventions", ("b",))]
    html = str(cite.field_html(record, "value", found["sources"], "../"))
    assert "sources divergentes" in html
    assert html.index("16 accords") < html.index("9 conventions")
    assert 'href="../sources/index.html#src-a"' in html
    assert 'href="../sources/index.html#src-b"' in html
    assert "non confirmé" in html and "confiance moyenne" in html


def test_null_is_shown_as_not_known(tmp_path):
    found, report = _facts({"sources": SRC, "figures": (
        "- id: m\n  label: Montant\n  value: null\n  sources: [a]\n")}, tmp_path)
    assert "figures.yaml:3:10: error: field 'value' is required and cannot be empty or null" \
        in report.format()
    found, report = _facts({"sources": SRC, "institutes": (
        "- id: x\n  name: X\n  status: annoncé\n  theme: null\n  sources: [a]\n")},
        tmp_path / "2")
    html = str(cite.field_html(found["institutes"]["x"], "theme", found["sources"], ""))
    assert "non connu" in html and "#src-" not in html


def test_population_is_joined_by_code(tmp_path):
    found, report = _facts({"sources": SRC + "- id: hcp-rgph-2024\n  title: R\n  publisher: HCP\n",
                            "regions": "- code: '10'\n  name_fr: Guelmim-Oued Noun\n"
                                       "  name_ar: ك\n  chef_lieu: Guelmim\n  lat: 28.9\n"
                                       "  lon: -10.0\n  sources: [a]\n"
                                           "  covers: [name_ar, chef_lieu, lat, lon]\n"}, tmp_path)
    assert not report.problems
    claim = found["regions"]["10"].get("population")[0]
    assert claim.value == 448685 and claim.sources == ("hcp-rgph-2024",)


def test_resolve_names_the_problem():
    empty = facts.Facts()
    with pytest.raises(LookupError, match="unknown fact collection 'figure'"):
        empty.resolve("figure.x")
    with pytest.raises(LookupError, match="must be collection.id"):
        empty.resolve("figures")


def test_fact_text_cannot_inject_markup(tmp_path):
    found, _ = _facts({"sources": SRC, "figures": (
        "- id: x\n  label: L\n  value: '<img src=x onerror=alert(1)>'\n  sources: [a]\n")},
        tmp_path)
    html = str(cite.field_html(found["figures"]["x"], "value", found["sources"], ""))
    assert "<img" not in html and "&lt;img" in html


# -- YAML limits, values, file rules, references (issue 9) ---------------------------------

@pytest.mark.parametrize("text,line,col,message", [
    ("[" * 100_000 + "]" * 100_000, 1, 33, "nested more than 32 levels deep"),
    ("".join("  " * i + "-\n" for i in range(40)), 33, 65, "nested more than 32 levels deep"),
    ("a: &a [*a]\n", 1, 8, "the alias '*a' is inside its own anchor"),
    ("- &a0 [x, x]\n" + "".join(f"- &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 30)),
     12, 9, "aliases expand this file to more than 10000 extra values"),
    ("x: !!binary aGk=\n", 1, 4, "the YAML tag !!binary is not allowed"),
    ("x: !!timestamp 2025-01-01\n", 1, 4, "the YAML tag !!timestamp is not allowed"),
    ("x: " + "1" * 5000 + "\n", 1, 4, "the number has more than 50 digits"),
])
def test_yaml_refuses_what_would_crash_or_hang_at_its_place(text, line, col, message):
    with pytest.raises(yamlpos.YamlError) as refused:
        yamlpos.load(text)
    assert (refused.value.line, refused.value.col) == (line, col)
    assert message in refused.value.message
    assert refused.value.hint


def test_yaml_merge_keys_may_be_overridden_and_a_few_aliases_are_fine():
    data, duplicates = yamlpos.load("base: &b {x: 1, y: 2}\nr: {<<: *b, x: 3}\n"
                                    "s: [*b, *b]\n")
    assert data["r"] == {"x": 3, "y": 2} and data["s"] == [{"x": 1, "y": 2}] * 2
    assert duplicates == []
    _, duplicates = yamlpos.load("r: {<<: {x: 1}, y: 2, y: 3}\n")
    assert duplicates == [("y", (1, 23))]


@pytest.mark.parametrize("type_,value,problem", [
    ("date", "2025-02-30", "'2025-02-30' is not a date in the calendar"),
    ("date", "2024-02-29", None),
    ("date", "2026-13", "'2026-13' is not a date in the calendar"),
    ("date", "2025-7-1", "'2025-7-1' is not a date"),
    ("date", "٢٠٢٥", "'٢٠٢٥' is not a date"),
    ("code", "١٢", "'١٢' is not a region code: write it with the digits 0-9 ('12')"),
    ("code", "¹²", "'¹²' is not a region code: write it with the digits 0-9 ('12')"),
    ("code", "12", None),
    ("code", "13", "'13' is not a region code: codes run from 01 to 12"),
    ("number", float("nan"), "must be a finite number, not .nan"),
    ("number", float("-inf"), "must be a finite number, not -.inf"),
    ("number", 10**16, "10000000000000000 is too large (more than 1e+15)"),
    ("number", True, "must be a number, not true/false"),
    ("lat", float("nan"), "must be a finite number, not .nan"),
    ("year", 2030.0, "2030.0 is not a year"),
    ("scalar", "  ", "is empty"),
    ("sources", "lebrief", "must be a list of source ids, not text"),
    ("sources", [], "must name at least one source"),
    ("sources", ["a", ["b"]], "must be a list of source ids; one item is a list"),
    ("texts", {"a": 1}, "must be a list of text, not a mapping"),
])
def test_values_are_checked_for_what_they_mean(type_, value, problem):
    assert validate.check(schema.F(type_), value) == problem


def test_capacities_must_be_positive():
    capacity = schema.COLLECTIONS["datacentres"]["capacity_mw"]
    assert validate.check(schema.Field("number", positive=capacity.positive), 0) == (
        "must be more than 0, not 0")


def test_did_you_mean_finds_typos_cases_and_other_digits():
    assert validate.did_you_mean("lebrif", ["lebrief", "hcp"]) == "; did you mean 'lebrief'?"
    assert validate.did_you_mean("Figures", ["figures"]) == "; did you mean 'figures'?"
    assert validate.did_you_mean("١٠", ["10", "11"]) == "; did you mean '10'?"
    assert validate.did_you_mean("zzz", ["figures"]) == ""


REGION = ("- code: '10'\n  name_fr: G\n  name_ar: ك\n  chef_lieu: G\n  lat: 28.9\n  lon: -10.0\n"
          "  sources: [a]\n  covers: [name_ar, chef_lieu, lat, lon]\n")


def test_fact_files_follow_the_scan_rules(tmp_path):
    folder = tmp_path / "content" / "facts"
    folder.mkdir(parents=True)
    (folder / "sources.yaml").write_text(SRC, "utf-8")
    for name in (".#sources.yaml", "sources.yaml~", ".sources.yaml.swp", "#sources.yaml#"):
        (folder / name).write_text("- [broken\n", "utf-8")
    report = Report()
    found = facts.load(folder, tmp_path, report, populations={})
    assert not report.problems and set(found["sources"]) == {"a", "b"}
    (folder / "sources.yml").write_text(SRC, "utf-8")
    (folder / "Regions.yaml").write_text(REGION, "utf-8")
    report = Report()
    found = facts.load(folder, tmp_path, report, populations={})
    assert [p.format().splitlines()[0] for p in report.errors] == [
        "content/facts/Regions.yaml:1:1: error: the fact file 'Regions.yaml' must be named "
        "'regions.yaml'",
        "content/facts/sources.yml:1:1: error: 'sources.yml' and 'sources.yaml' hold the same "
        "collection"]
    assert {"sources", "regions"} <= found.broken


def test_references_into_broken_or_dropped_records_are_not_reported_again(tmp_path):
    found, report = _facts({"sources": SRC, "regions": REGION.replace("'10'", "'١٠'"),
                            "institutes": "- id: x\n  name: X\n  region: '10'\n  status: signé\n"
                                          "  sources: [a]\n",
                            "figures": "- id: f\n  value: 1\n  sources: [a]\n"}, tmp_path)
    assert [p.message for p in report.errors] == [
        "figures record is missing required field 'label'",
        "field 'code' '١٠' is not a region code: write it with the digits 0-9 ('10')"]
    assert found["institutes"]["x"].get("region") is None  # no template looks it up
    with pytest.raises(facts.BrokenCollection):
        found.resolve("figures.f")
    with pytest.raises(facts.BrokenCollection):
        found.resolve("regions.10")
    with pytest.raises(LookupError) as unknown:
        found.resolve("figures.g")
    assert not isinstance(unknown.value, facts.BrokenCollection)


def test_resolve_suggests_the_closest_id_and_field(tmp_path):
    found, _ = _facts({"sources": SRC, "figures": "- id: dakhla\n  label: L\n  value: 1\n"
                                                  "  sources: [a]\n"}, tmp_path)
    with pytest.raises(LookupError, match=r"unknown fact 'figures.dakla'; did you mean "
                                          r"'figures.dakhla'\?"):
        found.resolve("figures.dakla")
    with pytest.raises(LookupError, match=r"has no field 'valeu'; did you mean 'value'\?"):
        found.resolve("figures.dakhla.valeu")
    with pytest.raises(LookupError, match=r"collection 'figure' in 'figure.x'; did you mean"):
        found.resolve("figure.x")


def test_a_region_code_that_names_no_region_is_cleared_on_a_copy(tmp_path):
    institutes = "- id: x\n  name: X\n  region: '12'\n  status: signé\n  sources: [a]\n"
    found, report = _facts({"sources": SRC, "regions": REGION, "institutes": institutes},
                           tmp_path)
    assert "region '12' is not in regions.yaml" in [p.message for p in report.errors]
    assert found["institutes"]["x"].get("region") is None
    again, _ = _facts({"sources": SRC, "regions": REGION + REGION.replace("'10'", "'12'"),
                       "institutes": institutes}, tmp_path / "2")
    assert again["institutes"]["x"].get("region") == "12"  # the cached parse was not changed


# -- per-value sources ----------------------------------------------------------------------
SITE = ("- id: s\n  name: S\n  town: T\n  operator: O\n  status: planned\n  capacity_mw: 5\n"
        "  lat: 30.0\n  lon: -7.0\n  sources: [a]\n")


def test_a_record_s_sources_cover_its_identity_and_what_covers_names(tmp_path):
    found, report = _facts({"sources": SRC, "datacentres": SITE + (
        "  covers: [capacity_mw]\n  field_sources:\n    lat: [b]\n    lon: [b]\n")}, tmp_path)
    assert not report.problems
    site = found["datacentres"]["s"]
    assert site.value_sources("town") == site.value_sources("operator") == ("a",)
    assert site.value_sources("capacity_mw") == ("a",)
    assert site.get("capacity_mw")[0].sources == ("a",)
    assert site.value_sources("lat") == ("b",)  # its own sources, not the record's
    assert site.sources == ("a", "b")


def test_a_value_no_rule_covers_has_no_source_and_fails(tmp_path):
    _, report = _facts({"sources": SRC, "datacentres": SITE}, tmp_path)
    assert [(p.line, p.message.split(":")[0]) for p in report.errors] == [
        (6, "no source says the 'capacity_mw' of this datacentres record"),
        (7, "no source says the 'lat' of this datacentres record"),
        (8, "no source says the 'lon' of this datacentres record")]


def test_an_unknown_value_needs_no_source(tmp_path):
    unknown = SITE.replace("capacity_mw: 5", "capacity_mw: null").replace(
        "  lat: 30.0\n  lon: -7.0\n", "")
    _, report = _facts({"sources": SRC, "datacentres": unknown}, tmp_path)
    assert not report.problems


def test_a_note_cites_only_the_sources_of_its_value(tmp_path):
    found, _ = _facts({"sources": SRC, "datacentres": SITE + (
        "  covers: [capacity_mw]\n  field_sources:\n    lat: [b]\n    lon: [b]\n")}, tmp_path)
    notes = cite.Notes(found["sources"], "")
    site = found["datacentres"]["s"]
    notes.fact(site, "lat")
    assert [s["id"] for s in notes.entries[0].claims[0].sources] == ["b"]
    assert notes.contains(site, "lat", "b") and not notes.contains(site, "lat", "a")


def test_the_dossier_regions_cite_what_says_each_value():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    report = Report()
    found = facts.load(root / "content" / "facts", root, report)
    assert not report.errors
    for region in found["regions"].values():
        assert region.value_sources("chef_lieu") == (
            "decret-2-15-40", "bladi-regions", "medias24-regions")
        assert region.value_sources("lat") == region.value_sources("lon") == (
            "simplemaps-cities",)
        assert region.value_sources("name_ar") == ("hcp-rgph-2024",)
        assert region.value_sources("population") == ("hcp-rgph-2024",)
        assert "simplemaps-cities" not in region.value_sources("name_fr")
