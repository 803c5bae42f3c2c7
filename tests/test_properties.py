"""Property tests: any value of any YAML type in any field of any collection is either
accepted or a located error; nothing else ever comes out of the model or the build.

Values are Python values of every type (null, true/false, numbers including NaN, infinities
and huge integers, text, lists, mappings, nested) dumped as YAML, plus raw YAML fragments
(malformed dates and numbers, tags, aliases, deep brackets). Each is placed as a field's
value, as a claim's value or sources, as a whole record or as a whole file.

Two levels, both derandomised (CI is reproducible) and without a Hypothesis database:

- the model (``facts.load``): many examples, fast; besides "no exception, every problem
  located", it checks the guarantee the templates rely on: every record kept has valid
  required fields, every other field is valid or ``None``, every region code names a region;
- the whole build in-process (``write=False``) with every data page, the map and a page that
  cites every field: fewer examples; a problem may only be reported in ``content/`` (a
  template error would mean a malformed value reached a template).
"""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, write_site
from dossier import facts, schema, validate
from dossier.errors import BuildFailed, Report
from dossier.pipeline import Builder

BASE = {
    "sources": {"id": "lebrief", "title": "Quel futur pour l'IA ?", "publisher": "LeBrief",
                "url": "https://lebrief.ma/x", "date": "2025-07-02", "lang": "fr",
                "kind": "presse"},
    "regions": {"code": "10", "name_fr": "Guelmim-Oued Noun", "name_ar": "كلميم-واد نون",
                "chef_lieu": "Guelmim", "lat": 28.983, "lon": -10.067, "sources": ["lebrief"],
                "covers": ["name_ar", "chef_lieu", "lat", "lon"]},
    "institutes": {"id": "jazari-guelmim", "name": "Institut Jazari", "region": "10",
                   "theme": "Eau", "university": "Université Ibn Zohr", "status": "annoncé",
                   "date": "2025-03", "partners": ["MTNRA"], "summary": "Résumé.",
                   "sources": ["lebrief"], "covers": ["theme", "university", "date"]},
    "datacentres": {"id": "dakhla-dc", "name": "Dakhla DC", "town": "Dakhla", "region": "10",
                    "operator": "Iozera", "capacity_mw": 500, "details": "Détails.",
                    "status": "planned", "lat": 23.7, "lon": -15.9, "sources": ["lebrief"],
                    "covers": ["capacity_mw", "lat", "lon"]},
    "agreements": {"id": "mistral", "title": "Accord Mistral", "date": "2025-07",
                   "parties": ["MTNRA", "Mistral AI"], "status": "signé", "summary": "Résumé.",
                   "value": "non communiqué", "region": "10", "sources": ["lebrief"],
                   "covers": ["date", "value"]},
    "sectors": {"id": "sante", "name": "Santé", "sources": ["lebrief"]},
    "targets": {"id": "emplois", "label": "Emplois", "value": 50000, "horizon": 2030,
                "programme": "Maroc IA 2030", "sources": ["lebrief"]},
    "milestones": {"id": "assises", "date": "2025-07-01", "title": "Assises de l'IA",
                   "status": "annoncé", "region": "10", "summary": "Résumé.",
                   "sources": ["lebrief"], "covers": ["date"]},
    "figures": {"id": "dakhla", "label": "Capacité visée", "value": "500 MW", "key": True,
                "sources": ["lebrief"]},
}
POPULATION_SOURCE = {"id": "hcp-rgph-2024", "title": "Recensement 2024", "publisher": "HCP"}
FIELDS = [(c, f) for c in schema.COLLECTIONS for f in schema.COLLECTIONS[c]]

# -- values -------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-10**6, max_value=10**6), st.integers(), st.just(10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["", " ", "lebrief", "10", "01", "13", "١٢", "¹²", "2025", "2025-02-30",
                     "2026-13", "2025-07-02", "0000", "1e400", "https://x.ma/", "www.x.ma",
                     "annoncé", "high", "Maroc IA 2030", "not an id", "Dakhla"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["value", "sources", "confidence", "status", "note",
                                         "id", "x"]), inner, max_size=3)),
    max_leaves=8,
)
# YAML that no Python value dumps to: unquoted dates, special floats, tags, aliases, depth.
RAW_FRAGMENTS = [
    "", "[]", "{}", "~", ".nan", ".NaN", ".inf", "-.inf", "1.0e+400", "1e400", "2025-02-30",
    "2026-13", "'2026-13'", "!!binary aGk=", "!!set {a}", "!!timestamp 2025-01-01", "!foo x",
    "*nope", "&a [*a]", "0x1F", "0o17", "1_000", "12:30", "yes", "No", "'١٢'", "'¹²'",
    "9" * 60, "-0", "[" * 40 + "]" * 40, "{a: {b: {c: [1, [2, [3]]]}}}", "[lebrief, lebrief]",
    "[lebrief, [x]]", "{<<: {a: 1}}", "'   '", "\"\\t\"", "[1, '2', null, true, 1.5]",
]
RAW = st.sampled_from(RAW_FRAGMENTS)


def dump(value) -> str:
    """A Python value as one line of flow-style YAML."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9)
    return text.removesuffix("\n...\n").strip()


FRAGMENTS = st.one_of(VALUES.map(dump), RAW)
PLACES = st.sampled_from(["value", "value", "value", "missing", "claim-value", "claim-sources",
                          "record", "file"])


@st.composite
def mutations(draw):
    """For every collection, a (field, place, YAML fragment) to write into the dossier.

    All collections at once: nine times the coverage per build. A record dropped for its
    errors cannot hide another collection's: references to it are skipped, not its fields.
    """
    return {c: (draw(st.sampled_from(list(schema.COLLECTIONS[c]))), draw(PLACES),
                draw(FRAGMENTS)) for c in schema.COLLECTIONS}


# -- the dossier ----------------------------------------------------------------------------

def record_yaml(fields: dict, name: str | None = None, place: str = "", fragment: str = ""):
    """One record as block YAML, with ``name`` replaced as ``place`` says."""
    lines = []
    for key, value in fields.items():
        if key == name:
            continue
        lines.append(f"{key}: {dump(value)}")
    if place == "value":
        lines.append(f"{name}: {fragment}")
    elif place == "claim-value":
        lines.append(f"{name}:\n    - value: {fragment}\n      sources: [lebrief]")
    elif place == "claim-sources":
        lines.append(f"{name}:\n    - value: {dump(fields.get(name, 'x'))}\n"
                     f"      sources: {fragment}")
    return "- " + "\n  ".join(lines) + "\n"


def facts_files(mutations: dict | None = None) -> dict[str, str]:
    """The dossier's fact files, changed by ``{collection: (field, place, fragment)}``."""
    files = {}
    for collection, fields in BASE.items():
        extra = record_yaml(POPULATION_SOURCE) if collection == "sources" else ""
        text = record_yaml(fields) + extra
        if collection in (mutations or {}):
            name, place, fragment = mutations[collection]
            if place == "record":
                text = f"- {fragment}\n" + extra
            elif place == "file":
                text = fragment + "\n"
            else:
                text = record_yaml(fields, name, place, fragment) + extra
        files[f"content/facts/{collection}.yaml"] = text
    return files


PAGES = {f"content/{name}.md": f"---\ntitle: {name}\nsummary: S.\ntemplate: {name}.html\n---\n"
         for name in ("datacentres", "institutes", "agreements", "timeline", "map")}
CITES = "".join(f"{{fact}}`{c}.{BASE[c].get('id', BASE[c].get('code'))}.{f}` "
                for c, f in FIELDS if c != "sources")
CHAPTER = ("---\ntitle: Tout\nsummary: S.\n---\n\n" + CITES
           + "{source}`lebrief` {page}`regions/10`\n")


def located(problem, root) -> bool:
    """Whether a problem names a line and column of an existing file of the project."""
    path = root / problem.path
    if not path.is_file():
        return False
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    if not 1 <= problem.line <= len(lines):
        return False
    return 1 <= problem.col <= len(lines[problem.line - 1]) + 1


# -- the model ------------------------------------------------------------------------------

def _valid(fspec, value) -> bool:
    """Whether a kept value is one the templates may rely on."""
    if fspec.type.startswith("claims:"):
        plain = schema.Field(fspec.type[7:], choices=fspec.choices, positive=fspec.positive)
        return isinstance(value, list) and bool(value) and all(
            isinstance(c, facts.Claim) and (c.value is None or validate.check(plain, c.value)
                                            is None) for c in value)
    return validate.check(fspec, value) is None


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=mutations())
def test_the_model_reports_or_keeps_only_valid_values(tmp_path, mutation):
    root = tmp_path / "model"
    write_site(root, facts_files(mutation), templates=False)
    report = Report()
    loaded = facts.load(root / "content" / "facts", root, report, populations={"10": 448685})
    for problem in report.problems:
        assert located(problem, root), problem.format()
    for collection, spec in schema.COLLECTIONS.items():
        for record in loaded.records(collection):
            for name, fspec in spec.items():
                value = record.get(name)
                if value is None:
                    assert not fspec.required, (collection, name)
                else:
                    assert _valid(fspec, value), (collection, name, value)
            region = record.get("region")
            assert region is None or region in loaded["regions"]
    event("refused" if report.problems else "accepted")


def test_the_base_dossier_is_valid(tmp_path):
    """The property tests start from a dossier with no problem at all."""
    root = write_site(tmp_path / "site", {**MINIMAL, **facts_files(), **PAGES,
                                          "content/chapitres/02-tout.md": CHAPTER})
    result = Builder(root).build(write=False)
    assert {"map/index.html", "chapitres/tout/index.html"} <= set(result.files)
    chapter = result.files["chapitres/tout/index.html"].decode()
    assert "broken-ref" not in chapter and "Dakhla DC" in chapter


# -- the whole build --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    """A dossier with every data page and the map, and one builder reused (as the preview)."""
    root = write_site(tmp_path_factory.mktemp("props") / "site",
                      {**MINIMAL, **facts_files(), **PAGES,
                       "content/chapitres/02-tout.md": CHAPTER})
    return root, Builder(root)


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=mutations())
def test_the_build_reports_a_located_error_or_succeeds(dossier, mutation):
    root, builder = dossier
    write_site(root, facts_files(mutation), templates=False)
    try:
        builder.build(write=False)
        event("built")
    except BuildFailed as failed:
        event("refused")
        assert failed.report.errors
        for problem in failed.report.problems:
            assert problem.path.startswith("content/"), problem.format()
            assert located(problem, root), problem.format()


# Every field of every collection gets each of these (all collections at once, the i-th field
# of each): the wrong types and impossible values, exhaustively rather than by chance.
SWEEP = ["", "[]", "{}", "~", ".nan", ".inf", "-.inf", "1.0e+400", "1e400", "2025-02-30",
         "'2026-13'", "!!binary aGk=", "*nope", "&a [*a]", "yes", "0", "-1", "1.5", "'١٢'",
         "9" * 60, "100000000000000000000", "'   '", "[1, '2', null, true, 1.5]", "[[[x]]]",
         "{a: 1}", "x", "[{value: .nan, sources: [lebrief]}]", "[{value: x}]",
         "[{value: -5, sources: [lebrief]}]", "'12'", "[" * 40 + "]" * 40]
SWEEP_PLACES = [("value", fragment) for fragment in SWEEP] + [
    ("claim-value", fragment) for fragment in (".nan", ".inf", "-5", "0", "'2025-02-30'",
                                               "[x]", "{a: 1}", "true")]


def test_every_field_refuses_every_wrong_value_with_a_located_error(dossier):
    root, builder = dossier
    widest = max(len(spec) for spec in schema.COLLECTIONS.values())
    built = refused = 0
    for place, fragment in SWEEP_PLACES:
        for i in range(widest):
            mutations = {c: (list(spec)[i % len(spec)], place, fragment)
                         for c, spec in schema.COLLECTIONS.items()}
            write_site(root, facts_files(mutations), templates=False)
            try:
                builder.build(write=False)
                built += 1
            except BuildFailed as failed:
                refused += 1
                for problem in failed.report.problems:
                    assert problem.path.startswith("content/"), (fragment, problem.format())
                    assert located(problem, root), (fragment, problem.format())
    assert refused > built


def test_special_floats_are_refused_everywhere():
    """A NaN or an infinity is never a valid number, in any numeric field."""
    for fspec in (schema.F(t) for t in ("scalar", "number", "lat", "lon", "year")):
        for value in (math.nan, math.inf, -math.inf):
            assert validate.check(fspec, value) is not None
