"""A catalogue of broken inputs: each gives one exact message at one exact place."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import PROJECT
from dossier.errors import BuildFailed
from dossier.pipeline import build


def problems(root, strict=False) -> list[str]:
    """Build and return the first line of every problem, errors first."""
    with pytest.raises(BuildFailed) as failed:
        build(root, strict=strict, write=False)
    return [p.format().splitlines()[0] for p in failed.value.report.errors
            + failed.value.report.warnings]


def page(body: str, front: str = "title: T\nsummary: S\n") -> str:
    """A narrative page with front matter."""
    return f"---\n{front}---\n\n{body}"


CASES = {
    "yaml-syntax": (
        {"content/facts/figures.yaml": "- id: a\n  label: [x\n  value: 1\n"},
        "content/facts/figures.yaml:3:8: error: YAML syntax error: "
        "did not find expected ',' or ']'",
    ),
    "missing-field": (
        {"content/facts/figures.yaml": "- id: dakhla\n  value: 500 MW\n  sources: [lebrief]\n"},
        "content/facts/figures.yaml:1:3: error: figures record is missing required field 'label'",
    ),
    "wrong-type": (
        {"content/facts/regions.yaml": "- code: '10'\n  name_fr: G\n  name_ar: ك\n"
         "  chef_lieu: Guelmim\n  lat: 'north'\n  lon: -10.067\n  sources: [lebrief]\n"
         "  covers: [name_ar, chef_lieu, lat, lon]\n"},
        "content/facts/regions.yaml:5:8: error: field 'lat' must be a number, not text",
    ),
    "duplicate-id": (
        {"content/facts/figures.yaml": "- id: dakhla\n  label: A\n  value: 1\n"
         "  sources: [lebrief]\n- id: dakhla\n  label: B\n  value: 2\n  sources: [lebrief]\n"},
        "content/facts/figures.yaml:5:7: error: duplicate id 'dakhla' in figures",
    ),
    "unknown-source-in-claim": (
        {"content/facts/figures.yaml": "- id: dakhla\n  label: A\n  value:\n    - value: 500 MW\n"
         "      sources: [lebrif]\n  sources: [lebrief]\n"},
        "content/facts/figures.yaml:5:16: error: a claim of 'value' cites unknown source 'lebrif'; "
        "did you mean 'lebrief'?",
    ),
    "region-code": (
        {"content/facts/regions.yaml": "- code: '13'\n  name_fr: G\n  name_ar: ك\n"
         "  chef_lieu: G\n  lat: 28.9\n  lon: -10.0\n  sources: [lebrief]\n"
         "  covers: [name_ar, chef_lieu, lat, lon]\n"},
        "content/facts/regions.yaml:1:9: error: field 'code' '13' is not a region code: "
        "codes run from 01 to 12",
    ),
    "coordinates": (
        {"content/facts/regions.yaml": "- code: '10'\n  name_fr: G\n  name_ar: ك\n"
         "  chef_lieu: G\n  lat: 28.9\n  lon: 10.0\n  sources: [lebrief]\n"
         "  covers: [name_ar, chef_lieu, lat, lon]\n"},
        "content/facts/regions.yaml:6:8: error: field 'lon' 10.0 is outside Morocco's bounding "
        "box (-17.3 to -0.9)",
    ),
    "duplicate-slug": (
        {"content/chapitres/02-autre.md": page("x", "title: T\nsummary: S\nslug: cloud\n")},
        "content/chapitres/02-autre.md:4:7: error: two pages write chapitres/cloud/index.html: "
        "this one and content/chapitres/01-cloud.md",
    ),
    "unknown-fact": (
        {"content/chapitres/02-x.md": page("Texte.\n\nLa capacité : {fact}`figures.dakla`.\n")},
        "content/chapitres/02-x.md:8:15: error: unknown fact 'figures.dakla'; "
        "did you mean 'figures.dakhla'?",
    ),
    "unknown-field": (
        {"content/chapitres/02-x.md": page("Voir {fact}`figures.dakhla.capacity`.\n")},
        "content/chapitres/02-x.md:6:6: error: fact 'figures.dakhla' has no field 'capacity'; "
        "fields: confidence, covers, field_sources, id, key, label, note, sources, value",
    ),
    "broken-link": (
        {"content/chapitres/02-x.md": page("Voir [le chapitre](03-absent.md).\n")},
        "content/chapitres/02-x.md:6:20: error: link to a missing page '03-absent.md'",
    ),
    "broken-anchor": (
        {"content/chapitres/02-x.md": page("Voir [Dakhla](01-cloud.md#dakla).\n")},
        "content/chapitres/02-x.md:6:15: error: link to a missing anchor '#dakla' in "
        "chapitres/cloud/index.html; did you mean '#dakhla'?",
    ),
    "missing-template": (
        {"content/chapitres/02-x.md": page("x", "title: T\nsummary: S\ntemplate: nope.html\n")},
        "content/chapitres/02-x.md:4:11: error: template 'nope.html' not found in templates/; "
        "did you mean 'page.html'?",
    ),
    "front-matter-not-mapping": (
        {"content/chapitres/02-x.md": "---\n- title\n- summary\n---\nx\n"},
        "content/chapitres/02-x.md:2:1: error: the front matter must be a mapping of field: value",
    ),
    "not-utf8": (
        {"content/chapitres/02-x.md": b"---\ntitle: T\nsummary: S\n---\n\nCaf"
         + b"\xe9 noir\n"},
        "content/chapitres/02-x.md:6:4: error: the file is not UTF-8 (byte 0xe9)",
    ),
    "unknown-collection": (
        {"content/facts/region.yaml": "[]\n"},
        "content/facts/region.yaml:1:1: error: unknown fact collection 'region'; "
        "did you mean 'regions'?",
    ),
    "unknown-yaml-field": (
        {"content/facts/figures.yaml": "- id: dakhla\n  label: A\n  valeur: 1\n  value: 2\n"
         "  sources: [lebrief]\n"},
        "content/facts/figures.yaml:3:3: error: unknown field 'valeur' in figures; "
        "did you mean 'value'?",
    ),
    "duplicate-key": (
        {"content/facts/figures.yaml": "- id: dakhla\n  label: A\n  label: B\n  value: 2\n"
         "  sources: [lebrief]\n"},
        "content/facts/figures.yaml:3:3: error: duplicate key 'label'",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_is_reported_exactly(make_site, name):
    files, expected = CASES[name]
    root = make_site(files)
    found = problems(root)
    assert expected in found, "\n".join(found)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_leaves_output_untouched(make_site, name):
    root = make_site()
    build(root)
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    files, _ = CASES[name]
    from conftest import write_site

    write_site(root, files, templates=False)
    with pytest.raises(BuildFailed):
        build(root)
    after = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in root.iterdir() if p.name.startswith(".output-")]


def test_every_error_is_reported_in_one_run(make_site):
    files = {}
    for n, name in enumerate(("wrong-type", "unknown-fact", "broken-link", "not-utf8",
                              "duplicate-id")):
        for path, text in CASES[name][0].items():
            files[path.replace("02-x", f"1{n}-x")] = text
    found = problems(make_site(files))
    assert len([f for f in found if ": error: " in f]) == 5, "\n".join(found)


def test_uncited_source_is_a_warning_and_strict_makes_it_fatal(make_site):
    extra = "- id: orphan\n  title: Orphan\n  publisher: Nobody\n"
    from conftest import SOURCES

    root = make_site({"content/facts/sources.yaml": SOURCES + extra})
    result = build(root, write=False)
    assert [p.format().splitlines()[0] for p in result.report.warnings] == [
        "content/facts/sources.yaml:11:3: warning: source 'orphan' is cited by no page"]
    assert problems(root, strict=True) == [
        "content/facts/sources.yaml:11:3: warning: source 'orphan' is cited by no page"]


def test_cli_prints_errors_without_traceback_and_exits_1(make_site):
    root = make_site(CASES["unknown-fact"][0])
    run = subprocess.run([sys.executable, str(PROJECT / "build.py"), "--root", str(root)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert CASES["unknown-fact"][1] in run.stderr
    assert "hint:" in run.stderr
    assert "output/ was left unchanged" in run.stderr


@pytest.mark.parametrize("out", [".", "content", "templates", "assets", ".."])
def test_refuses_an_output_folder_that_holds_sources(make_site, out):
    root = make_site()
    with pytest.raises(BuildFailed) as failed:
        build(root, out=root / out)
    assert "refusing to use" in failed.value.report.format()
    assert (root / "content" / "index.md").exists()


def test_a_link_out_of_the_project_is_refused(make_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing")
    root = make_site()
    (root / "assets" / "leak.txt").symlink_to(secret)
    assert problems(root) == [
        "assets/leak.txt:1:1: error: symbolic link to a file outside its folder"]
