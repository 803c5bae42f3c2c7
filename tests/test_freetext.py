"""Free text in fact records: fact references rendered, typed figures refused by --strict."""

from __future__ import annotations

import pytest
from catalogue import Case, run

from dossier import freetext
from dossier.pipeline import build

F = "content/facts/"
TIMELINE = {"content/chronologie.md": "---\ntitle: Chronologie\nsummary: S.\n"
                                      "template: timeline.html\n---\n"}


def milestone(summary: str, note: str | None = None) -> str:
    """milestones.yaml with one milestone whose summary (and note) is given."""
    text = ("- id: m\n  date: '2025-07-01'\n  title: Assises\n  sources: [lebrief]\n"
            "  covers: [date]\n" + f"  summary: {summary}\n")
    return text + (f"  note: {note}\n" if note else "")


@pytest.mark.parametrize("text, found", [
    ("Site de 4 MW, après un premier de 2 MW.", ["4 MW", "2 MW"]),
    ("2 000 m² ; 54 M$ et 5,4 M$ par an ; 100 %", ["2 000 m²", "54 M$", "5,4 M$", "100 %"]),
    ("environ 3 PFLOPS, 98e du TOP500", ["3 PFLOPS", "98e"]),
    ("12 départements et 5 autres acteurs", ["12 départements", "5 autres"]),
])
def test_figures_are_found(text, found):
    assert [figure for _, figure in freetext.figures(text)] == found


@pytest.mark.parametrize("text", [
    "Inauguré le 19 février 2021, lancé le 1er juillet 2025.",  # days of a month, years
    "Décret n° 2-24-921 ; décret 2-15-40 ; budget 2024–2026 ; horizon 2030.",  # ids, years
    "G42, la 5G, le B2B, l'Industrie 4.0 et la loi Digital X.0.",  # digits inside names
    "Capacité de {fact}`datacentres.dakhla-igoudar.capacity_mw` et {fact}`figures.x:value`.",
])
def test_what_is_not_a_figure(text):
    assert freetext.figures(text) == []


def test_findings_are_located_in_the_file():
    raw = "- id: m\n  summary: >-\n    Un site de\n    4 MW, et {fact}`figures.x`.\n"
    start = freetext.offset(raw, 2, 12)
    found = freetext.scan("summary", "Un site de 4 MW, et {fact}`figures.x`.", raw, start)
    assert [(f.kind, f.text, f.line, f.col) for f in found] == [
        ("figure", "4 MW", 4, 5), ("fact", "figures.x", 4, 14)]


CASES = {
    "figure-in-summary": (
        {F + "milestones.yaml": milestone("Projet de 386 MW à Tétouan."), **TIMELINE},
        "content/facts/milestones.yaml:6:22: warning: a figure typed in free text: '386 MW' (in "
        "the 'summary' of milestones 'm')"),
    "unknown-fact-in-summary": (
        {F + "milestones.yaml": milestone("Projet de {fact}`figures.dakla`."), **TIMELINE},
        "content/facts/milestones.yaml:6:22: error: unknown fact 'figures.dakla'; did you mean "
        "'figures.dakhla'? (in the 'summary' of milestones 'm')"),
    "figure-in-claim-note": (
        {F + "figures.yaml": "- id: dakhla\n  label: Capacité\n  value:\n    - value: 500 MW\n"
         "      sources: [lebrief]\n      note: Soit 40 MW en première phase.\n"
         "  key: true\n  sources: [lebrief]\n"},
        "content/facts/figures.yaml:6:18: warning: a figure typed in free text: '40 MW' (in "
        "the 'note' of figures 'dakhla')"),
    "fact-in-note": (
        {F + "milestones.yaml": milestone("Projet.", "Voir {fact}`figures.dakhla`."),
         **TIMELINE},
        "content/facts/milestones.yaml:7:14: error: a 'note' cannot cite a fact (in milestones "
        "'m'): it is shown inside a fact's own note"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_free_text_catalogue(name, tmp_path, capsys):
    files, expected = CASES[name]
    lines = run(Case(files, expected, only=": error: " in expected, args=("--strict",)),
                tmp_path, capsys)
    assert lines == [expected]


def test_a_fact_in_free_text_is_shown_with_its_note(make_site):
    root = make_site({F + "milestones.yaml": milestone(
        "Projet de {fact}`figures.dakhla` <b>à Dakhla</b>."), **TIMELINE})
    assert build(root, strict=True).report.problems == []
    page = (root / "output/chronologie/index.html").read_text()
    assert "{fact}" not in page and "&lt;b&gt;à Dakhla&lt;/b&gt;" in page  # text, never HTML
    assert 'href="#note-1"' in page and "500" in page


def test_the_real_dossier_has_no_figure_typed_in_free_text():
    from conftest import PROJECT

    report = build(PROJECT, write=False, strict=True).report
    assert [p.format() for p in report.problems] == []
