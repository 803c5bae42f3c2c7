"""Numbers, dates and lists from CLDR (Babel) for the French, English and Arabic editions."""

from __future__ import annotations

import pytest

from dossier import cite, formats

NNBSP = "\u202f"


@pytest.mark.parametrize("language, big, decimal", [
    ("fr", f"36{NNBSP}828{NNBSP}330", "3,5"),
    ("en", "36,828,330", "3.5"),
    # Morocco writes Western digits; ar_MA groups with "." and uses "," for decimals.
    ("ar", "36.828.330", "3,5"),
])
def test_numbers(language, big, decimal):
    assert formats.number(36828330, language) == big
    assert formats.number(3.5, language) == decimal
    assert formats.number(2000.0, language) == formats.number(2000, language)


@pytest.mark.parametrize("language, day, month, first", [
    ("fr", "12 janvier 2026", "juillet 2025", "1er juillet 2025"),
    ("en", "12 January 2026", "July 2025", "1 July 2025"),
    # Moroccan month names (يوليوز, not يوليو): the ar_MA locale, chosen for a Moroccan readership.
    ("ar", "12 يناير 2026", "يوليوز 2025", "1 يوليوز 2025"),
])
def test_dates(language, day, month, first):
    assert formats.date("2026-01-12", language) == day
    assert formats.date("2025-07", language) == month
    assert formats.date("2025-07-01", language) == first
    assert formats.date("2025", language) == "2025"


def test_moroccan_month_names():
    assert formats.date("2026-08-03", "ar") == "3 غشت 2026"
    assert formats.date("2026-05-03", "ar") == "3 ماي 2026"


@pytest.mark.parametrize("language, joined", [
    ("fr", "LeBrief, Le360 et APA News"),
    ("en", "LeBrief, Le360 and APA News"),
    ("ar", "LeBrief وLe360 وAPA News"),
])
def test_lists(language, joined):
    assert formats.join(["LeBrief", "Le360", "APA News"], language) == joined
    assert formats.join([], language) == ""


def test_the_default_is_french():
    assert formats.number(4030222) == f"4{NNBSP}030{NNBSP}222"
    assert formats.date("2025-11") == "novembre 2025"


def test_labels_agree_with_what_they_qualify():
    assert cite.unknown("capacity_mw") == "non connue"
    assert cite.unknown("date") == "non connue"
    assert cite.unknown("theme") == "non connu"
    assert cite.unknown("university") == "non connue"


def test_values_use_the_language():
    assert cite.value_text(500, "capacity_mw", "en") == "500\u00a0MW"
    assert cite.value_text(36828330, "population", "en") == "36,828,330\u00a0hab."
    assert cite.value_text("2026-01-12", "date", "en") == "12 January 2026"
    assert cite.value_text(["a", "b", "c"], "partners", "fr") == "a, b et c"


@pytest.mark.parametrize("language,code,name", [
    ("fr", "en", "anglais"), ("fr", "ar", "arabe"), ("fr", "fr", "français"),
    ("fr", "de", "allemand"), ("en", "fr", "French"), ("ar", "en", "الإنجليزية"),
])
def test_languages_are_named_in_the_readers_language(language, code, name):
    assert formats.language_name(code, language) == name


def test_an_unknown_language_code_is_shown_as_given():
    assert formats.language_name("xx-zz") == "xx-zz" and formats.language_name("") == ""


@pytest.mark.parametrize("source,page,expected", [
    ({"lang": "en"}, "fr", "en"),                       # an English article
    ({"lang": "en", "title_lang": "fr"}, "fr", None),   # described in French: the page's own
    ({"lang": "ar", "title_lang": "fr"}, "en", "fr"),   # the same title in the English edition
    ({"lang": "fr"}, None, None),                       # French is the default language
    ({}, "fr", None),
])
def test_one_rule_gives_a_source_titles_language(source, page, expected):
    assert cite.title_language(source, page) == expected
