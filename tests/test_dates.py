"""Dates at their precision: notation, sorting, display in three languages, <time datetime>."""

from __future__ import annotations

import re

import pytest

from dossier import formats
from dossier.pipeline import build


@pytest.mark.parametrize("value, precision, iso", [
    ("2025-07-01", "day", "2025-07-01"), ("2025-07", "month", "2025-07"),
    ("2025-Q4", "quarter", "2025"), ("2025-autumn", "season", "2025"), ("2025", "year", "2025"),
])
def test_precision_and_machine_form(value, precision, iso):
    assert formats.parse_date(value).precision == precision
    assert formats.iso_date(value) == iso  # what <time datetime> accepts


@pytest.mark.parametrize("value", ["2025-02-30", "2025-13", "2025-Q5", "2025-fall", "0000",
                                   "25", "2025-7", 2025, None])
def test_what_is_not_a_date(value):
    assert formats.parse_date(value) is None


def test_sorting_puts_a_vaguer_date_after_the_dated_events_it_contains():
    dates = ["2025", "2025-autumn", "2025-12-25", "2025-11-30", "2025-07", "2025-07-31",
             "2025-07-01", "2025-Q4", "2025-12", "2026-01-01", "2024"]
    assert sorted(dates, key=formats.sort_key) == [
        "2024", "2025-07-01", "2025-07-31", "2025-07", "2025-11-30", "2025-autumn",
        "2025-12-25", "2025-12", "2025-Q4", "2025", "2026-01-01"]


def test_winter_is_the_one_that_begins_in_december():
    first, last = formats.parse_date("2025-winter").span()
    assert (first.isoformat(), last.isoformat()) == ("2025-12-01", "2026-02-28")


@pytest.mark.parametrize("value, bare, phrase", [
    ("2025", "2025", "en 2025"),
    ("2025-07", "juillet 2025", "en juillet 2025"),
    ("2025-07-01", "1er juillet 2025", "le 1er juillet 2025"),
    ("2025-07-02", "2 juillet 2025", "le 2 juillet 2025"),
    ("2025-autumn", "automne 2025", "à l'automne 2025"),
    ("2025-spring", "printemps 2025", "au printemps 2025"),
    ("2025-Q4", "4e trimestre 2025", "au 4e trimestre 2025"),
])
def test_french(value, bare, phrase):
    assert formats.date(value) == bare
    assert formats.date(value, "fr", phrase=True) == phrase


@pytest.mark.parametrize("language, value, bare, phrase", [
    ("en", "2025-autumn", "autumn 2025", "in autumn 2025"),
    ("en", "2025-07-01", "1 July 2025", "on 1 July 2025"),
    ("en", "2025", "2025", "in 2025"),
    ("ar", "2025-07", "يوليوز 2025", "في يوليوز 2025"),
    ("ar", "2025-autumn", "خريف 2025", "في خريف 2025"),
    ("ar", "2025-Q4", "الربع الرابع 2025", "في الربع الرابع 2025"),
])
def test_other_editions_reuse_the_formatter(language, value, bare, phrase):
    assert formats.date(value, language) == bare
    assert formats.date(value, language, phrase=True) == phrase


MILESTONES = """\
- id: vague
  date: '2025'
  title: Connu à l'année
  sources: [lebrief]
  covers: [date]
- id: automne
  date: '2025-autumn'
  title: Présenté à l'automne
  sources: [lebrief]
  covers: [date]
- id: juillet
  date: '2025-07'
  title: Connu au mois
  sources: [lebrief]
  covers: [date]
- id: premier
  date: '2025-07-01'
  title: Daté au jour
  sources: [lebrief]
  covers: [date]
- id: janvier
  date: '2025-01-15'
  title: Janvier
  sources: [lebrief]
  covers: [date]
"""


def test_the_timeline_sorts_and_reads_each_precision(make_site):
    root = make_site({"content/facts/milestones.yaml": MILESTONES,
                      "content/chronologie.md": "---\ntitle: Chronologie\nsummary: S.\n"
                                                "template: timeline.html\n---\n"})
    assert build(root).report.errors == []
    page = (root / "output/chronologie/index.html").read_text()
    order = re.findall(r'<li id="ms-([a-z]+)"', page)
    assert order == ["janvier", "premier", "juillet", "automne", "vague"]
    times = dict(re.findall(r'<li id="ms-([a-z]+)">\s*<div class="when"><time '
                            r'datetime="([^"]+)">', page))
    assert times == {"janvier": "2025-01-15", "premier": "2025-07-01", "juillet": "2025-07",
                     "automne": "2025", "vague": "2025"}
    assert "automne\u00a02025" in page or "automne 2025" in page
    assert "1er\u00a0juillet" in page or "1er juillet" in page
