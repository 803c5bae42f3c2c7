"""Citations as notes: one marker per fact, the sources in a popover and at the end of the page.

One tiny dossier is built once for the module; its HTML is checked first (numbering, shared
notes, what stays in the prose), then the same files in headless Chromium: hover, focus,
Enter, Escape (focus returns), and without JavaScript a marker links to its note and back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MINIMAL, write_site
from dossier.pipeline import build

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-gpu"]

SOURCES = MINIMAL["content/facts/sources.yaml"] + """\
- id: le360
  title: Data centers et IA à Dakhla
  publisher: Le360
  url: https://le360.ma/dakhla
  date: '2025-11-16'
- id: dcd
  title: US AI startup plans massive 386MW data center in Morocco
  publisher: DatacenterDynamics
  url: https://www.datacenterdynamics.com/x
  date: '2024-05-08'
  lang: en
"""
FIGURES = """\
- id: dakhla
  label: Capacité visée à Dakhla
  value: 500 MW
  key: true
  sources: [lebrief, le360]
  note: Affirmation recoupée par la presse.
- id: cout
  label: Coût estimé
  value: 54 millions de dollars
  sources: [le360]
  confidence: low
- id: accords
  label: Accords des Assises
  value:
    - value: 16 accords
      sources: [lebrief]
      status: non confirmé
    - value: 9 conventions
      sources: [dcd]
      confidence: high
  sources: [lebrief, dcd]
"""
DATACENTRES = """\
- id: dakhla
  name: Green Data Center Dakhla
  town: Dakhla
  operator: État
  capacity_mw:
    - value: 500
      sources: [lebrief, le360]
  status: planned
  sources: [lebrief, le360]
- id: iozera
  name: Iozera
  town: Tétouan
  operator: Iozera
  capacity_mw:
    - value: 386
      sources: [dcd]
      confidence: low
  status: announced
  sources: [dcd]
  confidence: low
- id: nouaceur
  name: Nouaceur
  operator: N+ONE
  capacity_mw: null
  status: announced
  sources: [dcd]
"""
CHAPTER = """\
---
title: Le cloud
summary: Le cloud souverain.
order: 1
---

## Dakhla

Pour {source}`lebrief`, le centre vise {fact}`figures.dakhla`. La loi impose l'hébergement
sur le territoire {source}`hcp-rgph-2024`. Une convention a suivi {fact}`figures.dakhla`
{source}`le360`. Coût : {fact}`figures.cout`. Aux Assises : {fact}`figures.accords`.
Deux fois la même source {source}`dcd` {source}`dcd`.

[Suite](#suite)

## Suite

{fact}`figures.dakhla` encore, et le site {fact}`datacentres.dakhla.capacity_mw`.
"""
FILES = {
    "content/facts/sources.yaml": SOURCES,
    "content/facts/figures.yaml": FIGURES,
    "content/facts/datacentres.yaml": DATACENTRES,
    "content/chapitres/01-cloud.md": CHAPTER,
    "content/centres.md": "---\ntitle: Centres\nsummary: Les centres.\n"
                          "template: datacentres.html\n---\n\nLes centres.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Build the tiny dossier once; return its output folder."""
    root = write_site(tmp_path_factory.mktemp("notes") / "site", {**MINIMAL, **FILES})
    build(root)
    return root / "output"


def page(site: Path, rel: str) -> str:
    """The HTML of one built page."""
    return (site / rel).read_text("utf-8")


def prose(html: str) -> str:
    """The page's prose, without the notes section."""
    return html[html.index('<div class="prose">'):html.index('<section class="notes"')]


def markers(html: str) -> list[tuple[str, str]]:
    """Every note marker of a page as (note number, marker id), in reading order."""
    return re.findall(r'<sup class="note-ref"><a href="#note-(\d+)" id="(ref-\d+-\d+)"', html)


def note(html: str, number: str) -> str:
    """The HTML of one note of the notes section."""
    return html.split(f'<li id="note-{number}" class="note">')[1].split('<li id="note-')[0]


# ---- the HTML -----------------------------------------------------------------------------


def test_a_figure_reads_as_value_and_one_marker(site):
    html = page(site, "chapitres/cloud/index.html")
    text = prose(html)
    assert re.search(r'500\u00a0MW<sup class="note-ref"><a href="#note-\d+"', text)
    assert 'class="cite"' not in text and "confiance" not in text and "[" not in text
    number = re.search(r'500\u00a0MW<sup class="note-ref"><a href="#note-(\d+)"', text).group(1)
    body = note(html, number)
    assert "Capacité visée à Dakhla" in body
    assert 'href="../../sources/index.html#src-lebrief"' in body
    assert "https://le360.ma/dakhla" in body
    assert "16\u00a0novembre\u00a02025" in body
    assert "Affirmation recoupée par la presse." in body


def test_a_repeated_fact_shares_one_note(site):
    html = page(site, "chapitres/cloud/index.html")
    found = markers(html)
    dakhla = [ref for number, ref in found if number == found[1][0]]
    assert len(dakhla) == 3  # cited three times on the page (one carried to "selon Le360")
    numbers = [number for number, _ in found]
    firsts = list(dict.fromkeys(numbers))  # numbered in reading order, from 1, no gaps
    assert firsts == [str(n) for n in range(1, len(firsts) + 1)]
    body = note(html, found[1][0])
    for ref in dakhla:
        assert f'href="#{ref}"' in body  # the note links back to every use
    assert len(re.findall(r'<li id="note-', html)) == len(set(numbers))


def test_every_marker_and_back_link_has_its_target(site):
    for rel in ("chapitres/cloud/index.html", "centres/index.html", "index.html"):
        html = page(site, rel)
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for target in re.findall(r'href="#((?:note|ref)-[\d-]+)"', html):
            assert target in ids, (rel, target)


def test_sources_in_the_sentence_read_naturally(site):
    text = prose(page(site, "chapitres/cloud/index.html"))
    assert re.search(r"Pour <span class=\"cite-name\">LeBrief</span><sup", text)  # no "selon"
    assert 'territoire <span class="cite-name">selon HCP</span><sup' in text
    # A fact then one of its own sources: one marker, after the source's name.
    assert re.search(r'suivi <span class="claim">500\u00a0MW</span>\s+'
                     r'<span class="cite-name">selon Le360</span>'
                     r'<sup class="note-ref"><a href="#note-(\d+)"', text)
    # The same source twice in a row is named once.
    assert text.count(">selon DatacenterDynamics<") == 1
    assert "DatacenterDynamics</span><sup" in text


def test_disagreeing_sources_keep_both_values_in_the_prose(site):
    text = prose(page(site, "chapitres/cloud/index.html"))
    contested = text.split('<span class="claims contested">')[1].split("sources divergentes")[0]
    assert "16 accords selon LeBrief" in contested
    assert "9 conventions selon DatacenterDynamics" in contested
    assert contested.count('class="note-ref"') == 1
    assert 'flag-unconfirmed">non confirmé' in contested


def test_doubt_is_marked_and_high_confidence_is_not(site):
    text = prose(page(site, "chapitres/cloud/index.html"))
    assert re.search(r'54\u00a0millions de dollars '
                     r'<span class="flag flag-low">incertain</span><sup', text)
    assert not re.search(r'500\u00a0MW <span class="flag', text)


def test_data_tables_have_one_note_per_fact(site):
    html = page(site, "centres/index.html")
    found = markers(html)
    numbers = [n for n, _ in found]
    assert len(numbers) == len(set(numbers))  # each fact once on this page
    assert "non connue" in html  # "capacité non connue", agreeing with its noun
    assert 'class="cite"' not in html[html.index("<main"):]
    row = html.split('id="dc-iozera"')[1].split("</tr>")[0]
    assert "386\u00a0MW" in row and "incertain" in row and "1\u00a0source" in row


def test_print_shows_the_notes(site):
    css = (site / "assets/css/print.css").read_text()
    assert ".notes" in css and ".note-popover" in css


# ---- in the browser -----------------------------------------------------------------------



@pytest.fixture
def chapter(browser, site):
    """The chapter, open in a fresh page with JavaScript."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto((site / "chapitres/cloud/index.html").as_uri())
    yield tab
    assert not errors
    context.close()


def first_marker(tab):
    return tab.locator(".prose .note-ref a").nth(1)  # the 500 MW figure


def test_hover_opens_the_popover_and_leaving_closes_it(chapter):
    ref = first_marker(chapter)
    ref.hover()
    pop = chapter.locator(".note-popover")
    pop.wait_for(state="visible")
    assert "Capacité visée à Dakhla" in pop.inner_text()
    assert "Le360" in pop.inner_text()
    assert ref.get_attribute("aria-expanded") == "true"
    chapter.mouse.move(5, 880)
    pop.wait_for(state="detached")
    assert ref.get_attribute("aria-expanded") == "false"


def test_keyboard_focus_opens_escape_closes_and_returns_focus(chapter):
    ref = first_marker(chapter)
    first_marker(chapter).focus()
    pop = chapter.locator(".note-popover")
    pop.wait_for(state="visible")
    chapter.keyboard.press("Escape")
    pop.wait_for(state="detached")
    focused = chapter.evaluate("document.activeElement.getAttribute('href')")
    assert focused == ref.get_attribute("href")
    assert chapter.evaluate("document.activeElement.closest('.note-ref') !== null")
    assert chapter.locator(".note-popover").count() == 0  # stays closed after the focus returns
    chapter.keyboard.press("Enter")  # Enter opens it again, without leaving the text
    pop.wait_for(state="visible")
    assert chapter.evaluate("location.hash") == ""


def test_tab_walks_into_the_popover_links(chapter):
    chapter.locator(".prose a").first.focus()
    for _ in range(10):  # Tab until the 500 MW marker (no fixed count: the page may change)
        chapter.keyboard.press("Tab")
        if chapter.evaluate("document.activeElement.getAttribute('href')") == \
                first_marker(chapter).get_attribute("href"):
            break
    chapter.locator(".note-popover").wait_for(state="visible")
    chapter.keyboard.press("Tab")
    assert chapter.evaluate("document.activeElement.closest('.note-popover') !== null")
    chapter.keyboard.press("Escape")
    chapter.locator(".note-popover").wait_for(state="detached")
    assert chapter.evaluate("document.activeElement.closest('.note-ref') !== null")


def test_a_tap_opens_the_popover_in_place(chapter):
    first_marker(chapter).click()
    chapter.locator(".note-popover").wait_for(state="visible")
    assert chapter.evaluate("location.hash") == ""
    box = chapter.locator(".note-popover").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366
    chapter.mouse.click(5, 5)
    chapter.locator(".note-popover").wait_for(state="detached")


def test_repeated_markers_open_the_same_note(chapter):
    href = first_marker(chapter).get_attribute("href")
    refs = chapter.locator(f'.prose .note-ref a[href="{href}"]')
    assert refs.count() == 3
    texts = []
    for i in (0, 2):
        refs.nth(i).focus()
        chapter.locator(".note-popover").wait_for(state="visible")
        texts.append(chapter.locator(".note-popover").inner_text())
        chapter.keyboard.press("Escape")
    assert texts[0] == texts[1]


def test_without_javascript_a_marker_links_to_its_note_and_back(browser, site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto((site / "chapitres/cloud/index.html").as_uri())
    ref = tab.locator(".prose .note-ref a").nth(1)
    href, ref_id = ref.get_attribute("href"), ref.get_attribute("id")
    ref.click()
    assert tab.evaluate("location.hash") == href
    assert tab.locator(f"{href}").is_visible()
    assert tab.locator(".note-popover").count() == 0
    tab.locator(f'{href} .note-back a[href="#{ref_id}"]').click()
    assert tab.evaluate("location.hash") == f"#{ref_id}"
    context.close()
