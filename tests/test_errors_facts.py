"""The broken-input catalogue, facts side: wrong YAML shapes and values in every collection,
pathological YAML, fact files the build must ignore or refuse, and one root cause giving one
error. Each case runs through the command line (tests/catalogue.py): exit 1, the exact
``path:line:col: error: …`` line, no traceback, output/ and the project tree unchanged.
"""

from __future__ import annotations

import pytest
from catalogue import Case, run

from conftest import FIGURES, SOURCES

F = "content/facts/"
SITES_PAGE = {"content/dc.md": "---\ntitle: Centres\nsummary: S.\n"
                                "template: datacentres.html\n---\n"}


def figure(**fields) -> str:
    """figures.yaml with one record: the tiny dossier's, with fields replaced (None drops)."""
    base = {"id": "dakhla", "label": "Capacité visée", "value": "500 MW", "key": "true",
            "sources": "[lebrief]"}
    return _record(base, fields)


def region(**fields) -> str:
    """regions.yaml with the tiny dossier's one region, with fields replaced."""
    base = {"code": "'10'", "name_fr": "Guelmim-Oued Noun", "name_ar": "كلميم-واد نون",
            "chef_lieu": "Guelmim", "lat": "28.983", "lon": "-10.067", "sources": "[lebrief]",
            "covers": "[name_ar, chef_lieu, lat, lon]"}
    return _record(base, fields)


def site(**fields) -> str:
    """datacentres.yaml with one site, with fields replaced."""
    base = {"id": "dakhla-dc", "name": "Dakhla DC", "region": "'10'", "operator": "Iozera",
            "capacity_mw": "500", "status": "planned", "lat": "23.7", "lon": "-15.9",
            "sources": "[lebrief]", "covers": "[capacity_mw, lat, lon]"}
    return _record(base, fields)


def milestone(**fields) -> str:
    """milestones.yaml with one milestone, with fields replaced."""
    base = {"id": "assises", "date": "'2025-07-01'", "title": "Assises de l'IA",
            "status": "annoncé", "sources": "[lebrief]", "covers": "[date]"}
    return _record(base, fields)


def institute(**fields) -> str:
    """institutes.yaml with one institute, with fields replaced."""
    base = {"id": "jazari-guelmim", "name": "Institut Jazari", "region": "'10'",
            "status": "annoncé", "sources": "[lebrief]"}
    return _record(base, fields)


def agreement(**fields) -> str:
    """agreements.yaml with one agreement, with fields replaced."""
    base = {"id": "mistral", "title": "Accord avec Mistral AI", "date": "'2025-07'",
            "status": "signé", "sources": "[lebrief]", "covers": "[date]"}
    return _record(base, fields)


def target(**fields) -> str:
    """targets.yaml with one target, with fields replaced."""
    base = {"id": "emplois", "label": "Emplois", "value": "50000", "horizon": "2030",
            "programme": "Maroc IA 2030", "sources": "[lebrief]"}
    return _record(base, fields)


def _record(base: dict, fields: dict) -> str:
    """One record as block YAML; a value with a newline is written as an indented block."""
    merged = {**base, **fields}
    lines = []
    for n, (key, value) in enumerate((k, v) for k, v in merged.items() if v is not None):
        lead = "- " if n == 0 else "  "
        lines.append(f"{lead}{key}:{'' if value.startswith(chr(10)) or not value else ' '}"
                     f"{value}")
    return "\n".join(lines) + "\n"


CLAIMS = "\n    - value: 500 MW\n      sources: [lebrief]\n"
PAGE = "---\ntitle: X\nsummary: S.\n---\n\n"

DEEP_FLOW = "- id: dakhla\n  label: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_BLOCK = "".join("  " * i + "- x:\n" for i in range(3000))
LIST_BOMB = ("- id: dakhla\n  label: L\n  value: 1\n  sources: [lebrief]\n  note: &n0 [a, a]\n"
             + "".join(f"  n{i}: &n{i} [*n{i - 1}, *n{i - 1}]\n" for i in range(1, 26)))
MERGE_BOMB = FIGURES + "- &r0 {id: r0, label: L, value: 1, sources: [lebrief]}\n" + "".join(
    f"- &r{i} {{<<: [*r{i - 1}, *r{i - 1}], id: r{i}}}\n" for i in range(1, 26))
INSTITUTES_PAGE = {"content/instituts.md": "---\ntitle: Instituts\nsummary: S.\n"
                                           "template: institutes.html\n---\n"}
TIMELINE_PAGE = {"content/chronologie.md": "---\ntitle: Chronologie\nsummary: S.\n"
                                           "template: timeline.html\n---\n"}
ALL_REGION_PAGES = {**SITES_PAGE, **INSTITUTES_PAGE, **TIMELINE_PAGE}
CITES_REGION = {F + "datacentres.yaml": site(), F + "institutes.yaml": institute(),
                F + "milestones.yaml": milestone(region="'10'"), **ALL_REGION_PAGES,
                "content/chapitres/02-x.md": "---\ntitle: X\nsummary: S.\n---\n\n"
                "Voir {page}`regions/10` et {fact}`regions.10`.\n"}

SEVERAL = {"region-missing"}  # cases with more than one error, each a root cause of its own
C = {
    # -- wrong shapes, in every kind of field ---------------------------------------------------
    "sources-empty-list": {F + "regions.yaml": region(sources="[]")},
    "sources-empty": {F + "regions.yaml": region(sources="")},
    "sources-text": {F + "regions.yaml": region(sources="lebrief")},
    "sources-mapping": {F + "figures.yaml": figure(sources="{lebrief: 1}")},
    "sources-nested-list": {F + "figures.yaml": figure(sources="[[lebrief]]")},
    "sources-number-item": {F + "figures.yaml": figure(sources="[lebrief, 12]")},
    "text-list": {F + "regions.yaml": region(name_fr="[Guelmim, Oued Noun]")},
    "text-mapping": {F + "figures.yaml": figure(label="{fr: Capacité}")},
    "text-number": {F + "regions.yaml": region(chef_lieu="2024")},
    "text-bool": {F + "figures.yaml": figure(label="yes")},
    "text-empty": {F + "figures.yaml": figure(label="''")},
    "scalar-mapping": {F + "figures.yaml": figure(value="{mw: 500}")},
    "scalar-bool": {F + "figures.yaml": figure(value="true")},
    "claims-of-text": {F + "figures.yaml": figure(value="\n    - 500 MW\n")},
    "claims-empty-list": {F + "figures.yaml": figure(value="[]")},
    "claim-without-value": {F + "figures.yaml": figure(value="\n    - sources: [lebrief]\n")},
    "claim-sources-text": {F + "figures.yaml": figure(value=CLAIMS.replace("[lebrief]",
                                                                           "lebrief"))},
    "claim-sources-empty": {F + "figures.yaml": figure(value=CLAIMS.replace(" [lebrief]", ""))},
    "claim-field-typo": {F + "figures.yaml": figure(value=CLAIMS.replace("sources:", "source:"))},
    "claim-confidence": {F + "figures.yaml": figure(value=CLAIMS + "      confidence: hight\n")},
    "texts-as-text": {F + "institutes.yaml": institute(partners="MTNRA")},
    "texts-mapping-item": {F + "institutes.yaml": institute(partners="[MTNRA, {a: 1}]")},
    "bool-as-number": {F + "figures.yaml": figure(key="1")},
    "record-not-mapping": {F + "figures.yaml": "- dakhla\n"},
    "file-a-mapping": {F + "figures.yaml": "dakhla:\n  label: L\n"},
    "file-a-text": {F + "figures.yaml": "dakhla\n"},
    "field-typo": {F + "figures.yaml": figure(label=None, lable="Capacité")},
    "agreement-value-list": {F + "agreements.yaml": agreement(value="[16, accords]")},
    "agreement-parties-text": {F + "agreements.yaml": agreement(parties="MTNRA et Mistral")},
    "agreement-date-claim": {F + "agreements.yaml": agreement(
        date="\n    - value: '2025-02-29'\n      sources: [lebrief]\n")},
    "sector-name-list": {F + "sectors.yaml": "- id: sante\n  name: [Santé]\n"
                                             "  sources: [lebrief]\n"},
    "milestone-status-typo": {F + "milestones.yaml": milestone(status="anonce")},
    "choice-typo": {F + "institutes.yaml": institute(status="lance")},
    # -- impossible values ---------------------------------------------------------------------
    "date-feb-30": {F + "milestones.yaml": milestone(date="'2025-02-30'")},
    "date-month-13": {F + "milestones.yaml": milestone(date="'2026-13'")},
    "date-year-zero": {F + "sources.yaml": SOURCES.replace("date: '2024'", "date: '0000'")},
    "author-list": {F + "sources.yaml": SOURCES.replace(
        "publisher: LeBrief\n", "publisher: LeBrief\n  author: [Amine Kandil, Sara B.]\n")},
    "date-number": {F + "milestones.yaml": milestone(date="2025")},
    "date-quarter-5": {F + "milestones.yaml": milestone(date="'2025-Q5'")},
    "date-season-typo": {F + "milestones.yaml": milestone(date="'2025-fall'")},
    "lat-nan": {F + "regions.yaml": region(lat=".nan")},
    "lon-minus-inf": {F + "regions.yaml": region(lon="-.inf")},
    "lat-bool": {F + "regions.yaml": region(lat="true")},
    "value-nan": {F + "figures.yaml": figure(value=".NaN")},
    "value-inf": {F + "figures.yaml": figure(value=".inf")},
    "capacity-overflow": {F + "datacentres.yaml": site(capacity_mw="1.0e+400"), **SITES_PAGE},
    "capacity-text-1e400": {F + "datacentres.yaml": site(capacity_mw="1e400"), **SITES_PAGE},
    "capacity-zero": {F + "datacentres.yaml": site(capacity_mw="0"), **SITES_PAGE},
    "capacity-negative": {F + "datacentres.yaml": site(capacity_mw="-5"), **SITES_PAGE},
    "capacity-claim-negative": {F + "datacentres.yaml": site(
        capacity_mw="\n    - value: -5\n      sources: [lebrief]\n"), **SITES_PAGE},
    "capacity-bool": {F + "datacentres.yaml": site(capacity_mw="yes"), **SITES_PAGE},
    "capacity-huge": {F + "datacentres.yaml": site(capacity_mw="1" + "0" * 20), **SITES_PAGE},
    "capacity-digits": {F + "datacentres.yaml": site(capacity_mw="9" * 60), **SITES_PAGE},
    "code-arabic-digits": {F + "regions.yaml": region(code="'١٠'")},
    "code-superscript": {F + "regions.yaml": region(code="'¹⁰'")},
    "code-unquoted": {F + "regions.yaml": region(code="10"), **CITES_REGION},
    "code-out-of-range": {F + "regions.yaml": region(code="'00'")},
    "year-float": {F + "targets.yaml": target(horizon="2030.5")},
    "year-text": {F + "targets.yaml": target(horizon="'2030'")},
    "url-not-http": {F + "sources.yaml": SOURCES.replace("https://www.hcp.ma/", "www.hcp.ma")},
    "site-one-coordinate": {F + "datacentres.yaml": site(lon=None), **SITES_PAGE},
    # -- pathological YAML ---------------------------------------------------------------------
    "deep-flow": {F + "figures.yaml": DEEP_FLOW},
    "deep-block": {F + "figures.yaml": DEEP_BLOCK},
    "alias-bomb": {F + "figures.yaml": LIST_BOMB},
    "merge-bomb": {F + "figures.yaml": MERGE_BOMB},
    "alias-recursive": {F + "figures.yaml": "- &r\n  id: dakhla\n  note: *r\n"},
    "tag-binary": {F + "figures.yaml": figure(value="!!binary NTAwIE1X")},
    "tag-python": {F + "figures.yaml": figure(value="!!python/object/apply:os.system [id]")},
    "alias-undefined": {F + "figures.yaml": figure(value="*capacity")},
    # -- fact files ----------------------------------------------------------------------------
    "editor-files-ignored": {F + ".#figures.yaml": "- id: [", F + "figures.yaml~": "- [",
                             F + "#figures.yaml#": "- [", F + ".figures.yaml.swp": b"\x00\xff",
                             F + "figures.yaml": figure(key="1")},
    "yml-beside-yaml": {F + "figures.yml": figure(id="autre")},
    "names-differ-by-case": {F + "Figures.yaml": figure(id="autre")},
    "extension-upper-case": {F + "sectors.YAML": "[]\n"},
    "collection-typo": {F + "figure.yaml": "[]\n"},
    # -- one root cause, one error -------------------------------------------------------------
    "facts-not-utf8": {F + "figures.yaml": FIGURES.encode("latin-1")},
    "facts-syntax": {F + "figures.yaml": FIGURES.replace("label: Capacité", "label: [Capacité")},
    "sources-broken": {F + "sources.yaml": SOURCES.replace("- id: lebrief", "- id: [lebrief")},
    "regions-broken": {F + "regions.yaml": "- code: '10\n", **CITES_REGION},
    "region-code-bad-cited": {F + "regions.yaml": region(code="'١٠'"), **CITES_REGION},
    "region-missing": {F + "datacentres.yaml": site(region="'12'"),
                       F + "institutes.yaml": institute(region="'12'"), **ALL_REGION_PAGES},
    "region-dropped-cited": {F + "regions.yaml": region(lat="'north'"), **CITES_REGION},
    "source-dropped-cited": {F + "sources.yaml": SOURCES.replace(
        "  title: Quel futur pour l'IA au Maroc ?\n", "")},
    "figure-dropped-cited": {F + "figures.yaml": figure(label=None)},
    "record-id-missing": {F + "figures.yaml": figure(id=None)},
    # -- did you mean --------------------------------------------------------------------------
    "unknown-source": {F + "regions.yaml": region(sources="[lebreif]")},
    # -- per-value sources ---------------------------------------------------------------------
    "value-without-source": {F + "datacentres.yaml": site(covers="[lat, lon]"), **SITES_PAGE},
    "chef-lieu-without-source": {F + "regions.yaml": region(covers="[name_ar, lat, lon]")},
    "covers-typo": {F + "datacentres.yaml": site(covers="[capacity, lat, lon]")},
    "covers-text": {F + "milestones.yaml": milestone(covers="date")},
    "field-sources-unknown-source": {F + "regions.yaml": region(
        covers="[name_ar, chef_lieu]", field_sources="\n    lat: [lebrief]\n    lon: [lebrif]")},
    "field-sources-typo": {F + "regions.yaml": region(
        covers="[name_ar, lat, lon]", field_sources="\n    chef-lieu: [lebrief]")},
    "field-sources-list": {F + "regions.yaml": region(field_sources="[lebrief]")},
    "unknown-region": {F + "datacentres.yaml": site(region="'01'"), **SITES_PAGE},
    "unknown-fact-field": {"content/chapitres/02-x.md": PAGE + "{fact}`figures.dakhla.valeu`\n"},
    "unknown-source-role": {"content/chapitres/02-x.md": PAGE + "{source}`lebrif`\n"},
    "unknown-collection-role": {"content/chapitres/02-x.md": PAGE + "{fact}`figure.dakhla`\n"},
}

EXPECTED = {
    "sources-empty-list": (
        "content/facts/regions.yaml:7:12: error: field 'sources' must name at least one source"),
    "sources-empty": (
        "content/facts/regions.yaml:7:11: error: field 'sources' is required and cannot be empty "
        'or null'),
    "sources-text": (
        "content/facts/regions.yaml:7:12: error: field 'sources' must be a list of source ids, "
        'not text'),
    "sources-mapping": (
        "content/facts/figures.yaml:5:12: error: field 'sources' must be a list of source ids, "
        'not a mapping'),
    "sources-nested-list": (
        "content/facts/figures.yaml:5:12: error: field 'sources' must be a list of source ids; "
        'one item is a list'),
    "sources-number-item": (
        "content/facts/figures.yaml:5:12: error: field 'sources' must be a list of source ids; "
        'one item is a number'),
    "text-list": "content/facts/regions.yaml:2:12: error: field 'name_fr' must be text, not a list",
    "text-mapping": (
        "content/facts/figures.yaml:2:10: error: field 'label' must be text, not a mapping"),
    "text-number": (
        "content/facts/regions.yaml:4:14: error: field 'chef_lieu' must be text, not a number"),
    "text-bool": (
        "content/facts/figures.yaml:2:10: error: field 'label' must be text, not true/false"),
    "text-empty": "content/facts/figures.yaml:2:10: error: field 'label' is empty",
    "author-list": (
        "content/facts/sources.yaml:4:11: error: field 'author' must be text, not a list"),
    "scalar-mapping": (
        "content/facts/figures.yaml:3:10: error: field 'value' must be text or a number, not a "
        'mapping'),
    "scalar-bool": (
        "content/facts/figures.yaml:3:10: error: field 'value' must be text or a number, not "
        'true/false'),
    "claims-of-text": (
        "content/facts/figures.yaml:4:5: error: field 'value' must be text or a number, or a list "
        'of claims, not a list of text'),
    "claims-empty-list": (
        "content/facts/figures.yaml:3:10: error: field 'value' has an empty list of claims"),
    "claim-without-value": (
        "content/facts/figures.yaml:4:7: error: a claim of 'value' has no 'value'"),
    "claim-sources-text": (
        "content/facts/figures.yaml:5:16: error: claim field 'sources' must be a list of source "
        'ids, not text'),
    "claim-sources-empty": (
        "content/facts/figures.yaml:5:15: error: a claim of 'value' names no source"),
    "claim-field-typo": (
        "content/facts/figures.yaml:5:7: error: unknown field 'source' in a claim; did you mean "
        "'sources'?"),
    "claim-confidence": (
        "content/facts/figures.yaml:6:19: error: claim field 'confidence' 'hight' is not one of: "
        "high, medium, low; did you mean 'high'?"),
    "texts-as-text": (
        "content/facts/institutes.yaml:6:13: error: field 'partners' must be a list of text, not "
        'text'),
    "texts-mapping-item": (
        "content/facts/institutes.yaml:6:13: error: field 'partners' must be a list of text; one "
        'item is a mapping'),
    "bool-as-number": (
        "content/facts/figures.yaml:4:8: error: field 'key' must be true or false, not a number"),
    "record-not-mapping": (
        'content/facts/figures.yaml:1:3: error: a record must be a mapping of field: value, not '
        'text'),
    "file-a-mapping": (
        'content/facts/figures.yaml:1:1: error: figures.yaml must be a list of records, not a '
        'mapping'),
    "file-a-text": (
        'content/facts/figures.yaml:1:1: error: figures.yaml must be a list of records, not text'),
    "field-typo": (
        "content/facts/figures.yaml:5:3: error: unknown field 'lable' in figures; did you mean "
        "'label'?"),
    "agreement-value-list": (
        "content/facts/agreements.yaml:7:10: error: field 'value' must be text or a number, or a "
        'list of claims, not a list of numbers and text'),
    "agreement-parties-text": (
        "content/facts/agreements.yaml:7:12: error: field 'parties' must be a list of text, not "
        'text'),
    "agreement-date-claim": (
        "content/facts/agreements.yaml:4:14: error: claim field 'value' '2025-02-29' is not a "
        'date in the calendar'),
    "sector-name-list": (
        "content/facts/sectors.yaml:2:9: error: field 'name' must be text, not a list"),
    "milestone-status-typo": (
        "content/facts/milestones.yaml:4:11: error: field 'status' 'anonce' is not one of: "
        "annoncé, signé, lancé, en service, non confirmé; did you mean 'annoncé'?"),
    "choice-typo": (
        "content/facts/institutes.yaml:4:11: error: field 'status' 'lance' is not one of: "
        "annoncé, signé, lancé; did you mean 'lancé'?"),
    "date-feb-30": (
        "content/facts/milestones.yaml:2:9: error: field 'date' '2025-02-30' is not a date in the "
        'calendar'),
    "date-month-13": (
        "content/facts/milestones.yaml:2:9: error: field 'date' '2026-13' is not a date in the "
        'calendar'),
    "date-year-zero": (
        "content/facts/sources.yaml:10:9: error: field 'date' '0000' is not a "
        "date in the calendar"),
    "date-number": (
        "content/facts/milestones.yaml:2:9: error: field 'date' must be text, not a number"),
    "date-quarter-5": (
        "content/facts/milestones.yaml:2:9: error: field 'date' '2025-Q5' is not a date"),
    "date-season-typo": (
        "content/facts/milestones.yaml:2:9: error: field 'date' '2025-fall' is not a date"),
    "lat-nan": (
        "content/facts/regions.yaml:5:8: error: field 'lat' must be a finite number, not .nan"),
    "lon-minus-inf": (
        "content/facts/regions.yaml:6:8: error: field 'lon' must be a finite number, not -.inf"),
    "lat-bool": (
        "content/facts/regions.yaml:5:8: error: field 'lat' must be a number, not true/false"),
    "value-nan": (
        "content/facts/figures.yaml:3:10: error: field 'value' must be a finite number, not .nan"),
    "value-inf": (
        "content/facts/figures.yaml:3:10: error: field 'value' must be a finite number, not .inf"),
    "capacity-overflow": (
        "content/facts/datacentres.yaml:5:16: error: field 'capacity_mw' must be a finite number, "
        'not .inf'),
    "capacity-text-1e400": (
        "content/facts/datacentres.yaml:5:16: error: field 'capacity_mw' must be a number, not "
        'text'),
    "capacity-zero": (
        "content/facts/datacentres.yaml:5:16: error: field 'capacity_mw' must be more than 0, not "
        '0'),
    "capacity-negative": (
        "content/facts/datacentres.yaml:5:16: error: field 'capacity_mw' must be more than 0, not "
        '-5'),
    "capacity-claim-negative": (
        "content/facts/datacentres.yaml:6:14: error: claim field 'value' must be more than 0, not "
        '-5'),
    "capacity-bool": (
        "content/facts/datacentres.yaml:5:16: error: field 'capacity_mw' must be a number, not "
        'true/false'),
    "capacity-huge": (
        "content/facts/datacentres.yaml:5:16: error: field 'capacity_mw' 100000000000000000000 is "
        'too large (more than 1e+15)'),
    "capacity-digits": (
        'content/facts/datacentres.yaml:5:16: error: the number has more than 50 digits'),
    "code-arabic-digits": (
        "content/facts/regions.yaml:1:9: error: field 'code' '١٠' is not a region code: write it "
        "with the digits 0-9 ('10')"),
    "code-superscript": (
        "content/facts/regions.yaml:1:9: error: field 'code' '¹⁰' is not a region code: write it "
        "with the digits 0-9 ('10')"),
    "code-unquoted": (
        "content/facts/regions.yaml:1:9: error: field 'code' must be text, not a number"),
    "code-out-of-range": (
        "content/facts/regions.yaml:1:9: error: field 'code' '00' is not a region code: codes run "
        'from 01 to 12'),
    "year-float": "content/facts/targets.yaml:4:12: error: field 'horizon' 2030.5 is not a year",
    "year-text": (
        "content/facts/targets.yaml:4:12: error: field 'horizon' must be a number, not text"),
    "url-not-http": (
        "content/facts/sources.yaml:9:8: error: field 'url' 'www.hcp.ma' is "
        "not an http(s) address"),
    "site-one-coordinate": (
        "content/facts/datacentres.yaml:1:3: error: a site needs both 'lat' and 'lon', or neither"),
    "deep-flow": (
        'content/facts/figures.yaml:2:40: error: the YAML is nested more than 32 levels deep'),
    "deep-block": (
        'content/facts/figures.yaml:16:33: error: the YAML is nested more than 32 levels deep'),
    "alias-bomb": (
        'content/facts/figures.yaml:16:14: error: aliases expand this file to more than 10000 '
        'extra values'),
    "merge-bomb": (
        'content/facts/figures.yaml:15:13: error: aliases expand this file to more than 10000 '
        'extra values'),
    "alias-recursive": (
        "content/facts/figures.yaml:3:9: error: the alias '*r' is inside its own anchor"),
    "tag-binary": 'content/facts/figures.yaml:3:10: error: the YAML tag !!binary is not allowed',
    "tag-python": (
        'content/facts/figures.yaml:3:10: error: the YAML tag !!python/object/apply:os.system is '
        'not allowed'),
    "alias-undefined": (
        'content/facts/figures.yaml:3:10: error: YAML syntax error: found undefined alias '
        "'capacity'"),
    "editor-files-ignored": (
        "content/facts/figures.yaml:4:8: error: field 'key' must be true or false, not a number"),
    "yml-beside-yaml": (
        "content/facts/figures.yml:1:1: error: 'figures.yml' and 'figures.yaml' hold the same "
        'collection'),
    "names-differ-by-case": (
        "content/facts/figures.yaml:1:1: error: 'figures.yaml' and 'Figures.yaml' differ only by "
        'case'),
    "extension-upper-case": (
        "content/facts/sectors.YAML:1:1: error: the fact file 'sectors.YAML' must be named "
        "'sectors.yaml'"),
    "collection-typo": (
        "content/facts/figure.yaml:1:1: error: unknown fact collection 'figure'; did you mean "
        "'figures'?"),
    "facts-not-utf8": 'content/facts/figures.yaml:2:17: error: the file is not UTF-8 (byte 0xe9)',
    "facts-syntax": (
        "content/facts/figures.yaml:3:8: error: YAML syntax error: did not find expected ',' or "
        "']'"),
    "sources-broken": (
        "content/facts/sources.yaml:2:8: error: YAML syntax error: did not find expected ',' or "
        "']'"),
    "regions-broken": (
        'content/facts/regions.yaml:2:1: error: YAML syntax error: found unexpected end of stream'),
    "region-code-bad-cited": (
        "content/facts/regions.yaml:1:9: error: field 'code' '١٠' is not a region code: write it "
        "with the digits 0-9 ('10')"),
    "region-missing": (
        "content/facts/datacentres.yaml:3:11: error: region '12' is not in regions.yaml"),
    "region-dropped-cited": (
        "content/facts/regions.yaml:5:8: error: field 'lat' must be a number, not text"),
    "source-dropped-cited": (
        "content/facts/sources.yaml:1:3: error: sources record is missing required field 'title'"),
    "figure-dropped-cited": (
        "content/facts/figures.yaml:1:3: error: figures record is missing required field 'label'"),
    "record-id-missing": (
        "content/facts/figures.yaml:1:3: error: figures record is missing required field 'id'"),
    "value-without-source": (
        "content/facts/datacentres.yaml:5:16: error: no source says the 'capacity_mw' of this "
        "datacentres record: a record's sources cover only id, name, town, region, operator, "
        "status, details and the fields in 'covers'"),
    "chef-lieu-without-source": (
        "content/facts/regions.yaml:4:14: error: no source says the 'chef_lieu' of this regions "
        "record: a record's sources cover only code, name_fr and the fields in 'covers'"),
    "covers-typo": (
        "content/facts/datacentres.yaml:10:12: error: 'covers' names unknown field 'capacity'; "
        "did you mean 'capacity_mw'?"),
    "covers-text": (
        "content/facts/milestones.yaml:6:11: error: field 'covers' must be a list of field "
        "names, not text"),
    "field-sources-unknown-source": (
        "content/facts/regions.yaml:11:10: error: the sources of 'lon' name unknown source "
        "'lebrif'; did you mean 'lebrief'?"),
    "field-sources-typo": (
        "content/facts/regions.yaml:10:5: error: 'field_sources' names unknown field 'chef-lieu'"
        "; did you mean 'chef_lieu'?"),
    "field-sources-list": (
        "content/facts/regions.yaml:9:18: error: field 'field_sources' must be a mapping of "
        "field: [source ids], not a list"),
    "unknown-source": (
        "content/facts/regions.yaml:7:12: error: unknown source 'lebreif'; did "
        "you mean 'lebrief'?"),
    "unknown-region": (
        "content/facts/datacentres.yaml:3:11: error: region '01' is not in regions.yaml"),
    "unknown-fact-field": (
        "content/chapitres/02-x.md:6:1: error: fact 'figures.dakhla' has no field 'valeu'; did "
        "you mean 'value'?"),
    "unknown-source-role": (
        "content/chapitres/02-x.md:6:1: error: unknown source 'lebrif'; did you mean 'lebrief'?"),
    "unknown-collection-role": (
        "content/chapitres/02-x.md:6:1: error: unknown fact collection 'figure' in "
        "'figure.dakhla'; did you mean 'figures'?"),
}


@pytest.mark.parametrize("name", sorted(C))
def test_broken_fact_is_one_located_error(name, tmp_path, capsys):
    """Each broken input gives its exact line; exit 1, nothing changed (see catalogue.run)."""
    run(Case(C[name], EXPECTED[name], only=name not in SEVERAL), tmp_path, capsys)


def test_the_catalogue_is_complete():
    """Every case has its expected line, and the facts side has at least 40 cases."""
    assert set(C) == set(EXPECTED)
    assert len(C) >= 40
