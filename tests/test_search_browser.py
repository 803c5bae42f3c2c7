"""The search box in headless Chromium, from file://: the ARIA combobox pattern, for real.

An input with role=combobox owns a listbox popup: arrows move aria-activedescendant while
the focus stays in the input, Enter opens the active option, Tab never lands in the list,
Escape always closes it; without JavaScript the markup is a plain, valid, closed combobox.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROJECT
from dossier.pipeline import build

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-gpu"]
START = "chapitres/mistral/index.html"  # two folders deep: relative paths are exercised
OPTION = "#search-results [role=option]"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real dossier, built once for this module."""
    out = tmp_path_factory.mktemp("search-browser") / "site"
    build(PROJECT, out=out)
    return out



@pytest.fixture
def page(browser, site):
    """A page of the dossier from file://, with every request off file:// refused."""
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    blocked, errors = [], []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                  else (blocked.append(r.request.url), r.abort()))
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto((site / START).as_uri())
    yield tab
    assert blocked == [] and errors == []
    context.close()


def state(tab) -> dict:
    """The combobox's state as assistive technology sees it."""
    return tab.evaluate("""() => {
        const input = document.getElementById('search-input');
        const box = document.getElementById(input.getAttribute('aria-controls'));
        const active = input.getAttribute('aria-activedescendant');
        return {
            expanded: input.getAttribute('aria-expanded'),
            hidden: box.hidden,
            active,
            selected: [...box.querySelectorAll('[aria-selected=true]')].map(e => e.id),
            focus: document.activeElement.id,
            options: box.querySelectorAll('[role=option]').length,
            focusable: box.querySelectorAll('a, button, input, [tabindex]').length,
            activeExists: !active || !!document.getElementById(active),
        };
    }""")


def type_query(tab, text: str) -> None:
    """Type like a reader and wait for the options."""
    tab.click("#search-input")
    tab.keyboard.type(text, delay=15)
    tab.wait_for_selector(OPTION, state="visible")


def test_without_javascript_the_markup_is_a_closed_combobox(browser, site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto((site / START).as_uri())
    attrs = tab.eval_on_selector("#search-input", """i => ({
        role: i.getAttribute('role'), expanded: i.getAttribute('aria-expanded'),
        controls: i.getAttribute('aria-controls'), label: i.labels.length,
        autocomplete: i.getAttribute('aria-autocomplete')})""")
    assert attrs == {"role": "combobox", "expanded": "false", "controls": "search-results",
                     "label": 1, "autocomplete": "list"}
    box = tab.eval_on_selector("#search-results", """b => ({role: b.getAttribute('role'),
        hidden: b.hidden, label: b.getAttribute('aria-label'), children: b.children.length})""")
    assert box == {"role": "listbox", "hidden": True, "label": "Résultats de la recherche",
                   "children": 0}
    context.close()


def test_arrows_move_the_active_option_while_focus_stays_in_the_input(page):
    type_query(page, "jazari")
    s = state(page)
    assert s["expanded"] == "true" and not s["hidden"] and s["options"] >= 3
    assert s["active"] is None and s["focusable"] == 0
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    s = state(page)
    assert s["active"] == "search-result-1" and s["selected"] == ["search-result-1"]
    assert s["focus"] == "search-input" and s["activeExists"]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # wraps around to the last option
    s = state(page)
    assert s["active"] == f"search-result-{s['options'] - 1}" and s["focus"] == "search-input"


def test_tab_never_lands_in_the_list(page):
    type_query(page, "dakhla")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    s = state(page)
    inside = page.evaluate("() => !!document.activeElement.closest('#search-results, .search')")
    assert not inside and s["expanded"] == "false" and s["hidden"] and s["active"] is None
    page.keyboard.press("Shift+Tab")  # back in the input: still closed until one types
    assert state(page)["focus"] == "search-input" and state(page)["hidden"]


@pytest.mark.parametrize("query", ["mistral", "zzqqxw"])
def test_escape_always_closes_then_clears(page, query):
    page.click("#search-input")
    page.keyboard.type(query, delay=15)
    shown = OPTION if query == "mistral" else ".search-message"
    page.wait_for_selector(shown, state="visible")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    s = state(page)
    assert s["expanded"] == "false" and s["hidden"] and s["active"] is None
    assert page.is_hidden(".search-message")
    assert page.input_value("#search-input") == query  # a first Escape keeps the query
    page.keyboard.press("Escape")
    assert page.input_value("#search-input") == ""


def test_escape_closes_even_before_the_results_arrive(page):
    page.click("#search-input")
    page.keyboard.type("centre", delay=0)
    page.keyboard.press("Escape")  # inside the debounce: no list may open afterwards
    page.wait_for_timeout(300)
    assert state(page)["hidden"] and state(page)["expanded"] == "false"


def test_enter_opens_the_active_option_at_its_heading(page, site):
    type_query(page, "niveaux de confiance")
    assert page.inner_text(f"{OPTION} >> nth=0").startswith("Méthodologie")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == (site / "methodologie/index.html").as_uri() + "#confiance"
    assert page.evaluate("() => !!document.getElementById('confiance')")


def test_a_click_opens_an_option(page, site):
    type_query(page, "mistarl")
    first = page.locator(OPTION).first
    assert "Mistral" in first.inner_text()
    assert page.locator(f"{OPTION} >> nth=0 >> mark").first.inner_text() == "Mistral"
    with page.expect_navigation():
        first.click()
    assert page.url.startswith((site / "chapitres/mistral/index.html").as_uri())


def test_results_are_announced_and_arabic_runs_in_its_own_direction(page):
    type_query(page, "الداخلة")
    status = page.inner_text(".search [role=status]")
    assert status.split()[0].isdigit() and "résultat" in status
    first = page.locator(OPTION).first
    assert "Dakhla" in first.inner_text()
    assert first.locator("mark").first.inner_text() == "الداخلة"
