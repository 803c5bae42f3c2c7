"""One confidence scale: the methodology's rule, and every rating of the dossier following it."""

from __future__ import annotations

import pytest

from conftest import PROJECT
from dossier import confidence, facts
from dossier.errors import Report

PRESS_A = {"publisher": "Le Matin", "kind": "presse"}
PRESS_B = {"publisher": "Challenge", "kind": "presse"}
AGGREGATOR = {"publisher": "Maghress", "kind": "agrégateur"}
WIRE = {"publisher": "TRT Afrika (dépêche Reuters)", "kind": "presse"}
OFFICIAL = {"publisher": "Bulletin officiel", "kind": "officiel"}


@pytest.mark.parametrize("sources, level", [
    ([PRESS_A, PRESS_B], "high"),
    ([WIRE], "high"), ([OFFICIAL], "high"),
    ([PRESS_A], "medium"), ([PRESS_A, PRESS_A], "medium"),  # one outlet twice is one outlet
    ([PRESS_A, AGGREGATOR], "medium"),
    ([AGGREGATOR], "low"), ([AGGREGATOR, {"publisher": "B", "kind": "blog"}], "low"),
])
def test_the_rule(sources, level):
    assert confidence.expected(sources) == level


def record(rating: str, note=None, claims=1) -> facts.Facts:
    """A dossier with one figure backed by one press article, rated ``rating``."""
    found = facts.Facts()
    found.collections["sources"]["a"] = facts.Record("sources", "a", PRESS_A, "s.yaml", 1)
    value = [facts.Claim(f"v{i}", ("a",), rating) for i in range(claims)]
    found.collections["figures"]["f"] = facts.Record(
        "figures", "f", {"value": value, "note": note}, "f.yaml", 1)
    return found


def test_higher_than_the_sources_is_refused():
    assert confidence.problems(record("high")) == [
        "figures.f.value = 'v0': rated high, its sources give medium"]


def test_lower_only_with_a_reason_the_reader_sees():
    assert confidence.problems(record("low")) == [
        "figures.f.value = 'v0': rated low, its sources give medium (no reason given)"]
    assert confidence.problems(record("low", note="Montant invraisemblable.")) == []
    assert confidence.problems(record("low", claims=2)) == []  # sources disagree
    assert confidence.problems(record("medium")) == []


def test_every_rating_of_the_dossier_follows_the_rule():
    report = Report()
    found = facts.load(PROJECT / "content" / "facts", PROJECT, report)
    assert not report.errors
    assert confidence.problems(found) == []


def test_a_rating_against_the_rule_is_a_located_warning(tmp_path, capsys):
    from catalogue import Case, run

    figures = ("- id: dakhla\n  label: Capacité visée à Dakhla\n  value: 500 MW\n  key: true\n"
               "  sources: [lebrief]\n  confidence: high\n")
    expected = ("content/facts/figures.yaml:6:15: warning: confidence does not follow the "
                "methodology's rule: figures.dakhla.value = '500 MW': rated high, its sources "
                "give medium")
    lines = run(Case({"content/facts/figures.yaml": figures}, expected, args=("--strict",)),
                tmp_path, capsys)
    assert lines == [expected]
