"""The layout readers know, measured in headless Chromium on the real dossier.

Desktop: the table of contents beside the text (sticky, current section marked), the site
navigation on one line or balanced lines, a 65–75 character text column, wider tables, a
breadcrumb from "Accueil". Phone: a menu button, a short header, tables that scroll with
their first column in view, 24 px targets. Everywhere: a focus ring of 3:1 against what is
behind it. The head a publisher expects is checked in the HTML itself.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from conftest import PROJECT
from dossier.pipeline import build

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-gpu"]
CHAPTER = "chapitres/cloud-souverain/index.html"
DATA = "centres-de-donnees/index.html"
PHONE = {"width": 390, "height": 844}
DATETIME_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real dossier, built once for this module."""
    out = tmp_path_factory.mktemp("layout") / "site"
    build(PROJECT, out=out)
    return out



@pytest.fixture
def open_page(browser, site):
    """Open a page of the site at a viewport size; close everything afterwards."""
    contexts = []

    def open_(rel: str, width: int = 1366, height: int = 800, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto((site / rel).as_uri())
        page.wait_for_load_state("load")
        return page

    yield open_
    for context in contexts:
        context.close()


# ---- desktop --------------------------------------------------------------------------


def test_the_toc_sits_beside_the_text_sticks_and_marks_the_current_section(open_page):
    page = open_page(CHAPTER)
    toc, prose = page.locator(".toc").bounding_box(), page.locator(".prose").bounding_box()
    assert toc["x"] + toc["width"] <= prose["x"]  # a column of its own, left of the text
    assert toc["y"] < prose["y"] + 200  # beside the start of the text, not above it
    links = page.locator(".toc a")
    third = links.nth(2).get_attribute("href")
    page.evaluate("id => document.getElementById(id).scrollIntoView()", third[1:])
    page.wait_for_function("h => document.querySelector('.toc a[aria-current]')"
                           "?.getAttribute('href') === h", arg=third)
    assert page.locator(".toc a[aria-current]").count() == 1
    box = page.locator(".toc").bounding_box()
    assert 0 <= box["y"] < 100  # still in view far down the page: sticky


@pytest.mark.parametrize("width", [1024, 1180, 1280, 1366, 1440, 1920])
def test_the_site_navigation_never_leaves_an_item_alone_on_a_line(open_page, width):
    page = open_page("index.html", width=width)
    tops = page.eval_on_selector_all(".site-nav li", "els => els.map(e => e.offsetTop)")
    rows = [tops.count(t) for t in sorted(set(tops))]
    assert min(rows) >= 2, rows
    if width >= 1280:
        assert len(rows) == 1, rows


LINES_JS = """
p => {
  // Characters of each line box of a paragraph: a new line starts where the next character
  // is left of the previous one (text runs left to right; smaller inline text sits higher
  // or lower, so tops alone would split a line).
  const counts = [];
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let last = Infinity;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect || rect.width === 0) continue;
      if (rect.left < last - 1) counts.push(0);
      counts[counts.length - 1] += 1;
      last = rect.left;
    }
  }
  return counts;
}
"""


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_text_column_holds_65_to_75_characters_a_line(open_page, width):
    page = open_page(CHAPTER, width=width)
    full_lines = []
    for p in page.locator(".prose > p").all()[:8]:
        full_lines += p.evaluate(LINES_JS)[:-1]  # a paragraph's last line is short
    assert len(full_lines) > 20
    mean = sum(full_lines) / len(full_lines)
    assert 65 <= mean <= 75, (mean, full_lines)


def test_tables_may_be_wider_than_the_text(open_page):
    page = open_page(DATA)
    text = page.locator(".prose > p").first.bounding_box()["width"]
    table = page.locator("table.data").first.bounding_box()["width"]
    assert table > text * 1.3


def test_the_breadcrumb_starts_with_accueil(open_page):
    page = open_page(CHAPTER)
    crumbs = page.locator(".breadcrumbs li").all_text_contents()
    assert [c.strip() for c in crumbs[:2]] == ["Accueil", "Chapitres"]


def test_the_home_page_anchors_on_its_key_figures_and_does_not_stretch_cards(open_page):
    page = open_page("index.html")
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    value = page.locator(".figure-value").first
    assert value.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 1.4 * body
    assert page.locator(".key-figures").bounding_box()["y"] < 800  # in the first screen
    for grid in (".figures", ".chapter-index .cards"):
        boxes = [b for b in (c.bounding_box() for c in page.locator(f"{grid} > li").all())]
        rows: dict = {}
        for box in boxes:
            rows.setdefault(round(box["y"]), []).append(box["height"])
        uneven = [h for h in rows.values() if len(h) > 1 and max(h) - min(h) > 4]
        assert uneven, f"{grid}: every card of a row as tall as the tallest"


# ---- phone ----------------------------------------------------------------------------


def test_on_a_phone_a_menu_button_opens_the_navigation(open_page):
    page = open_page(CHAPTER, **PHONE)
    button, nav = page.locator(".menu-toggle"), page.locator(".site-nav")
    assert button.is_visible() and not nav.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways strip
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and nav.is_visible()
    boxes = [a.bounding_box() for a in nav.locator("a").all()]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes)
    nav.locator("a").nth(2).focus()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-toggle"


PAGE_TYPES = {
    "home": "index.html", "section": "chapitres/index.html", "chapter": CHAPTER, "data": DATA,
    "institutes": "instituts/index.html", "agreements": "accords/index.html",
    "timeline": "chronologie/index.html", "regions": "regions/index.html",
    "region": "regions/dakhla-oued-ed-dahab/index.html", "sources": "sources/index.html",
    "page": "methodologie/index.html", "map": "carte/index.html", "404": "404.html",
}
NOT_MAP = {kind: rel for kind, rel in PAGE_TYPES.items() if kind != "map"}


@pytest.mark.parametrize("rel", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_on_a_phone_every_page_type_has_a_working_menu(open_page, rel):
    page = open_page(rel, **PHONE)
    button, nav = page.locator(".menu-toggle"), page.locator(".site-nav")
    button.wait_for(state="visible")  # the 404 page loads nav.js once it has found the root
    assert not nav.is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and nav.is_visible()
    page.keyboard.press("Escape")
    assert not nav.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_phone_the_header_leaves_the_first_screen_to_the_content(open_page):
    page = open_page(CHAPTER, **PHONE)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 0.15 * PHONE["height"]
    assert page.locator("h1").bounding_box()["y"] < 0.3 * PHONE["height"]


def test_without_javascript_the_navigation_is_open_and_wraps(open_page):
    page = open_page(CHAPTER, java_script_enabled=False, **PHONE)
    assert not page.locator(".menu-toggle").is_visible()
    links = page.locator(".site-nav a").all()
    assert links and all(a.is_visible() for a in links)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("rel", [DATA, "regions/index.html"])
def test_on_a_phone_record_tables_read_as_one_card_per_row(open_page, rel):
    page = open_page(rel, **PHONE)
    wrap = page.locator(".table-wrap.can-stack").first
    wrap.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing hidden sideways
    heads = wrap.locator("thead th").all_text_contents()
    row = wrap.locator("tbody tr").first
    cells = row.locator("td").all()
    # Each cell is named by its column, on screen (::before) and as a table to screen readers.
    assert [c.get_attribute("data-label") for c in cells] == [h.strip() for h in heads[1:]]
    assert [c.get_attribute("role") for c in cells] == ["cell"] * len(cells)
    assert row.get_attribute("role") == "row"
    assert row.locator("th").get_attribute("role") == "rowheader"
    label = cells[0].evaluate("e => getComputedStyle(e, '::before').content")
    assert label == f'"{heads[1].strip()}"'
    for box in (c.bounding_box() for c in cells):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    first, second = (r.bounding_box() for r in wrap.locator("tbody tr").all()[:2])
    assert second["y"] >= first["y"] + first["height"]  # cards, one under the other


def test_without_javascript_a_wide_table_scrolls_with_its_first_column_in_view(open_page):
    page = open_page(DATA, java_script_enabled=False, **PHONE)
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    assert "gradient" in wrap.evaluate("e => getComputedStyle(e).backgroundImage")  # the shadow cue
    first, third = wrap.locator("tbody tr:first-child > *").nth(0), wrap.locator(
        "tbody tr:first-child > *").nth(2)
    x0, x2 = first.bounding_box()["x"], third.bounding_box()["x"]
    wrap.evaluate("e => { e.scrollLeft = 250; }")
    page.wait_for_timeout(50)
    assert abs(first.bounding_box()["x"] - x0) < 1  # the site's name stays in view
    assert third.bounding_box()["x"] < x2 - 200  # the rest scrolls under it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


TARGETS = (".site-header a, .site-header button, .site-header input, .breadcrumbs a, .toc a, "
           ".site-footer a, "
           ".cards a, .pager a, .section-pages a")


@pytest.mark.parametrize("rel", ["index.html", CHAPTER, "chapitres/index.html"])
def test_on_a_phone_tap_targets_are_at_least_24_px(open_page, rel):
    page = open_page(rel, **PHONE)
    page.click(".menu-toggle")
    small = page.eval_on_selector_all(TARGETS, """els => els
        .filter(e => e.getClientRects().length)
        .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
        .filter(([, r]) => r.height < 24 || r.width < 24)
        .map(([t, r]) => `${t}: ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    assert small == []


# ---- focus ring -------------------------------------------------------------------------

FOCUS_JS = """
() => {
  // The focused element's outline, and the colour behind it: the element's own background
  // for an outline drawn inside (negative offset), otherwise the first opaque ancestor's.
  const e = document.activeElement, s = getComputedStyle(e);
  const parse = c => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return m.length > 3 ? m : [...m, 1];
  };
  let node = parseFloat(s.outlineOffset) < 0 ? e : e.parentElement;
  while (node && parse(getComputedStyle(node).backgroundColor)[3] === 0) node = node.parentElement;
  const bg = node ? getComputedStyle(node).backgroundColor : 'rgb(255, 255, 255)';
  return {what: e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 25),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          ring: parse(s.outlineColor), bg: parse(bg)};
}
"""


def contrast(a, b) -> float:
    """WCAG contrast ratio of two sRGB colours."""
    def lum(c):
        chan = [v / 255 for v in c[:3]]
        chan = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in chan]
        return 0.2126 * chan[0] + 0.7152 * chan[1] + 0.0722 * chan[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("rel,width", [("index.html", 1366), (CHAPTER, 1366), (CHAPTER, 390),
                                       (DATA, 390)])
def test_the_focus_ring_has_3_to_1_contrast_on_every_background(open_page, rel, width):
    page = open_page(rel, width=width, height=800)
    if width < 768:
        page.click(".menu-toggle")
        page.evaluate("document.activeElement.blur()")
    weak, seen = [], 0
    for _ in range(60):  # the header, the navigation, the breadcrumb, the TOC and the text
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_JS)
        if ring["what"].startswith("BODY"):
            break
        seen += 1
        ratio = contrast(ring["ring"], ring["bg"])
        if ring["style"] == "none" or ring["width"] < 2 or ratio < 3:
            weak.append(f"{ring['what']}: {ring['style']} {ring['width']}px, {ratio:.2f}:1")
    assert seen > 15
    assert weak == []


FOCUS_ALL_JS = """
() => {
  // Focus every visible focusable element in turn (after a key press, so :focus-visible
  // applies as for a keyboard user) and measure its ring as FOCUS_JS does.
  const parse = c => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return m.length > 3 ? m : [...m, 1];
  };
  const sel = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const out = [];
  for (const e of document.querySelectorAll(sel)) {
    if (!e.getClientRects().length || getComputedStyle(e).visibility === 'hidden') continue;
    e.focus({preventScroll: true});
    if (document.activeElement !== e) continue;
    const s = getComputedStyle(e);
    let node = parseFloat(s.outlineOffset) < 0 ? e : e.parentElement;
    while (node && parse(getComputedStyle(node).backgroundColor)[3] === 0) {
      node = node.parentElement;
    }
    const bg = node ? getComputedStyle(node).backgroundColor : 'rgb(255, 255, 255)';
    out.push({what: e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 25),
              style: s.outlineStyle, width: parseFloat(s.outlineWidth),
              ring: parse(s.outlineColor), bg: parse(bg)});
  }
  return out;
}
"""


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("rel", NOT_MAP.values(), ids=NOT_MAP.keys())
def test_every_focusable_element_has_a_3_to_1_ring_on_every_page(open_page, rel, width):
    page = open_page(rel, width=width, height=800)
    if width < 768:
        page.click(".menu-toggle")
    if page.locator(".prose .note-ref a").count():  # a popover's links too
        page.locator(".prose .note-ref a").first.focus()
        page.locator(".note-popover").wait_for(state="visible")
    page.keyboard.press("Shift")  # keyboard modality: programmatic focus shows the ring
    rings = page.evaluate(FOCUS_ALL_JS)
    weak = [f"{r['what']}: {r['style']} {r['width']}px, {contrast(r['ring'], r['bg']):.2f}:1"
            for r in rings if r["style"] == "none" or r["width"] < 2
            or contrast(r["ring"], r["bg"]) < 3]
    assert len(rings) > 10
    assert weak == []


TARGETS_JS = """
() => {
  // Every visible target under 24 x 24 CSS px that WCAG 2.5.8 does not excuse: not inline
  // in a sentence (a block whose text is mostly links is a list, not a sentence), and without
  // the spacing exception (a 24 px circle on its centre meets another target or circle).
  const sel = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const els = [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length &&
    getComputedStyle(e).visibility !== 'hidden');
  const boxes = els.map(e => e.getBoundingClientRect());
  const len = t => (t || '').replace(/\\s+/g, '').length;
  const inSentence = e => {
    if (getComputedStyle(e).display !== 'inline') return false;
    let block = e.parentElement;
    while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const links = [...block.querySelectorAll('a')].reduce((n, a) => n + len(a.textContent), 0);
    return links <= 0.5 * len(block.textContent);
  };
  const out = [];
  els.forEach((e, i) => {
    const r = boxes[i];
    if ((r.width >= 24 && r.height >= 24) || inSentence(e)) return;
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const crowded = boxes.some((o, j) => {
      if (j === i || els[j].contains(e) || e.contains(els[j])) return false;
      if (o.width < 24 || o.height < 24) {
        return Math.hypot(o.left + o.width / 2 - cx, o.top + o.height / 2 - cy) < 24;
      }
      const dx = Math.max(o.left - cx, 0, cx - o.right);
      const dy = Math.max(o.top - cy, 0, cy - o.bottom);
      return Math.hypot(dx, dy) < 12;
    });
    if (crowded) out.push(`${e.tagName}.${e.className} "${(e.textContent || '').trim()
      .slice(0, 25)}": ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
  return out;
}
"""


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("rel", NOT_MAP.values(), ids=NOT_MAP.keys())
def test_every_tap_target_is_24_px_or_excused_on_every_page(open_page, rel, width):
    page = open_page(rel, width=width, height=844)
    if width < 768:
        page.click(".menu-toggle")
    assert page.evaluate(TARGETS_JS) == []


# ---- print ------------------------------------------------------------------------------


def test_a_printed_chapter_is_one_column_without_navigation(open_page):
    page = open_page(CHAPTER)
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden() and page.locator(".toc").is_hidden()
    assert page.eval_on_selector("article.doc", "e => getComputedStyle(e).display") == "block"
    assert page.pdf()[:4] == b"%PDF"


CHROME = (".site-nav", ".search", ".menu-toggle", ".toc", ".breadcrumbs", ".pager",
          ".section-pages", ".skip-link", ".note-popover", ".note-back", ".search-results")


@pytest.mark.parametrize("rel", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_every_page_prints_its_full_notes_and_no_navigation(open_page, rel):
    page = open_page(rel, width=794, height=1123)  # an A4 sheet at 96 dpi
    markers = page.locator(".note-ref a")
    if markers.count():
        markers.first.focus()  # a popover open when the reader prints
        page.locator(".note-popover").wait_for(state="visible")
    page.emulate_media(media="print")
    shown = page.evaluate("""sels => sels.filter(s => [...document.querySelectorAll(s)]
        .some(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'))""",
                          list(CHROME))
    assert shown == []
    numbers = set(page.eval_on_selector_all(".note-ref a", "els => els.map(e => e.hash)"))
    printed = set(page.eval_on_selector_all(
        ".notes .note", "els => els.filter(e => e.getClientRects().length).map(e => '#' + e.id)"))
    assert numbers <= printed  # every marker's note is on paper
    assert page.pdf()[:4] == b"%PDF"


# ---- the head a publisher expects (static HTML) -------------------------------------------


def meta(html: str, prop: str) -> str | None:
    """The content of a <meta property|name=…>."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_head_has_icons_theme_colour_and_a_social_card(site):
    home = (site / "index.html").read_text("utf-8")
    chapter = (site / CHAPTER).read_text("utf-8")
    assert meta(home, "og:type") == "website" and meta(chapter, "og:type") == "article"
    assert meta(home, "theme-color") == "#0b6e4f"
    card = meta(chapter, "og:image")
    assert card == "../../assets/img/social-card.png"  # no base_url: relative to the page
    assert png_size(site / "assets/img/social-card.png") == (1200, 630)
    assert png_size(site / "assets/img/favicon-32.png") == (32, 32)
    assert png_size(site / "assets/img/apple-touch-icon.png") == (180, 180)
    assert (site / "assets/img/favicon.svg").read_text("utf-8").startswith("<svg")
    assert 'rel="icon" href="../../assets/img/favicon.svg" type="image/svg+xml"' in chapter
    assert 'rel="icon" href="../../assets/img/favicon-32.png" sizes="32x32"' in chapter
    updated = re.search(r'<time datetime="([^"]+)">', chapter).group(1)
    assert meta(chapter, "article:modified_time") == updated


def test_every_time_element_has_a_valid_datetime(site):
    bad = []
    for path in site.rglob("*.html"):
        for tag in re.findall(r"<time\b[^>]*>", path.read_text("utf-8")):
            value = re.search(r'datetime="([^"]*)"', tag)
            if not value or not DATETIME_RE.match(value.group(1)):
                bad.append(f"{path.relative_to(site)}: {tag}")
    assert bad == []


TITLE_RE = re.compile(r'<cite dir="auto"(?: lang="(\w+)")?>([^<]+)</cite>')


def test_source_titles_in_english_say_so(site):
    html = (site / "sources/index.html").read_text("utf-8")
    english = [t for lang, t in TITLE_RE.findall(html) if lang == "en"]
    assert "Oracle plans to open two cloud regions in Morocco" in english
    assert "Morocco to build data centre powered by renewable energy" in english
    # A French description of an English article (title_lang: fr) is not marked English.
    assert not any(t.startswith("Korea Herald sur") for t in english)
    assert 'lang="fr"' not in html.split("<main", 1)[1]  # the page's own language is implied


def test_every_source_title_has_the_same_language_wherever_it_is_shown(site):
    # The sources page, the notes at the end of each page (and so the popovers, cloned from
    # them) mark one title with one language, and isolate its direction (dir="auto").
    seen: dict = {}
    for path in site.rglob("*.html"):
        html = path.read_text("utf-8")
        assert "<cite>" not in html and "<cite lang" not in html, path
        for lang, title in TITLE_RE.findall(html):
            seen.setdefault(title, set()).add(lang)
    assert len(seen) > 50
    assert {t: langs for t, langs in seen.items() if len(langs) > 1} == {}


def test_the_sources_page_names_languages_and_authors(site):
    html = (site / "sources/index.html").read_text("utf-8")
    metas = re.findall(r'<p class="meta">(.*?)</p>', html)
    assert len(metas) > 50
    assert sum("· en anglais" in m for m in metas) > 10 and any("· en arabe" in m for m in metas)
    assert not any(re.search(r"· (fr|en|ar|de)(?: ·|$)", m) for m in metas)  # no bare codes
    lebrief = html.split('id="src-lebrief-futur-ia"', 1)[1].split("</li>", 1)[0]
    assert 'Par <bdi class="source-author">la rédaction</bdi>, <bdi>LeBrief</bdi>' in lebrief


INTERNAL = re.compile(r"fiche de faits|fact[ -]sheet|\bla fiche\b|\bsection \d+", re.I)


def test_no_internal_wording_reaches_readers(site):
    # What editors call their working files stays out of the pages and the search index.
    found = []
    for path in [*site.rglob("*.html"), site / "search-index.js"]:
        text = re.sub(r"<script\b.*?</script>", "", path.read_text("utf-8"), flags=re.S)
        found += [f"{path.relative_to(site)}: {m}" for m in INTERNAL.findall(text)]
    assert found == []
