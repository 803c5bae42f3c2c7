"""The real dossier in real headless Chromium, from the same files in both places.

1. The offline zip, unzipped and opened from ``file://`` with every non-``file:`` request
   blocked and recorded: every page loads cleanly, links work by clicking, search works.
2. The same files served over HTTP under ``/<repo>/`` like GitHub Pages (``404.html`` for any
   missing path): a crawler reaches every page, and a deep missing path shows a styled 404
   page whose links work.

Screenshots go to /tmp/dossier-browser-*.png.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
import zipfile
from collections import deque
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import PROJECT
from dossier import package

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-gpu"]
REPO = "dossier-ia-maroc"
# Typed without accents: the index folds "souveraineté" to this.
PHRASE, ACCENTED = "souverainete", "souveraineté"
HEADER_COLOUR = "rgb(11, 110, 79)"  # .site-header { background: var(--accent) } in site.css
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
SHOTS = Path("/tmp")


# ---- fixtures: the zip, the browser, a Pages-like server ------------------------------


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory) -> Path:
    """Build, check and zip the real dossier, unzip it; return the site's folder."""
    tmp = tmp_path_factory.mktemp("zip")
    path, result = package.make(PROJECT, out=tmp / "output", dist=tmp / "dist")
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp / "unzipped")
    return tmp / "unzipped" / result.site.settings.name


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def offline(browser):
    """A browser context where every request that is not local is aborted and recorded."""
    context = browser.new_context()
    context.blocked = []

    def route(r):
        if r.request.url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            context.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    yield context
    context.close()


@pytest.fixture
def online(browser):
    """A browser context that may only talk to 127.0.0.1 (anything else is recorded)."""
    context = browser.new_context()
    context.blocked = []

    def route(r):
        host = urlsplit(r.request.url).hostname
        if host == "127.0.0.1" or r.request.url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            context.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    yield context
    context.close()


class PagesHandler(SimpleHTTPRequestHandler):
    """Serve a folder at ``prefix`` like GitHub Pages: 404.html, status 404, for any miss."""

    prefix = "/"

    def translate_path(self, path):
        """Map ``prefix…`` into the folder; anything else maps to a file that cannot exist."""
        path = urlsplit(path).path
        if path + "/" == self.prefix:
            path += "/"  # /repo → the folder, which the base class redirects to /repo/
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        """Answer a miss with the site's own 404 page, as GitHub Pages does."""
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):
        """Stay quiet: pytest shows failures, not access logs."""


@pytest.fixture(scope="module")
def serve():
    """Return a function that serves a folder at a path prefix; stop every server at the end."""
    servers = []

    def start(folder: Path, prefix: str) -> str:
        handler = type("Handler", (PagesHandler,), {"prefix": prefix})
        server = ThreadingHTTPServer(("127.0.0.1", 0),
                                     functools.partial(handler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# ---- helpers --------------------------------------------------------------------------


def html_pages(folder: Path) -> list[str]:
    """Every HTML file of a site, as sorted POSIX paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def watch(page) -> list[str]:
    """Collect the page's console errors, uncaught exceptions and failed loads."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error"
            else None)
    page.on("pageerror", lambda e: errors.append(f"exception: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url} {r.failure}"))
    return errors


def header_colour(page) -> str:
    """The computed background of the site header: proof that site.css applies."""
    return page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor")


def search(page, text: str):
    """Type a query like a reader and wait for the result list."""
    page.click("#search-input")
    page.keyboard.type(text, delay=20)
    page.wait_for_selector("#search-results .search-result", state="visible")
    return page.locator("#search-results .search-result")


# ---- 1. offline, from the unzipped zip --------------------------------------------------


def test_the_zip_has_the_note_and_the_site(unzipped):
    assert (unzipped / "LISEZMOI.txt").is_file() and (unzipped / "index.html").is_file()


def test_every_page_loads_offline_without_errors(unzipped, offline):
    page = offline.new_page()
    errors = watch(page)
    problems = []
    for rel in html_pages(unzipped):
        errors.clear()
        page.goto((unzipped / rel).as_uri(), wait_until="load")
        page.wait_for_timeout(50)  # let deferred scripts run and report
        problems += [f"{rel}: {e}" for e in errors]
        if header_colour(page) != HEADER_COLOUR:
            problems.append(f"{rel}: the stylesheet did not apply")
        if rel == "index.html":
            page.screenshot(path=str(SHOTS / "dossier-browser-home-offline.png"), full_page=False)
    assert problems == []
    assert offline.blocked == []


def test_navigation_works_by_clicking_offline(unzipped, offline):
    page = offline.new_page()
    errors = watch(page)
    page.goto((unzipped / "index.html").as_uri())
    with page.expect_navigation():
        page.click(".site-nav a:text-is('Chapitres')")
    assert page.url.endswith("/chapitres/index.html")
    with page.expect_navigation():
        page.click("main .cards a >> nth=1")
    assert re.search(r"/chapitres/[^/]+/index\.html$", page.url)
    chapter = page.text_content("h1")
    with page.expect_navigation():
        page.click(".breadcrumbs a:text-is('Chapitres')")
    assert page.url.endswith("/chapitres/index.html")
    with page.expect_navigation():
        page.click(".breadcrumbs li:first-child a")
    assert page.url == (unzipped / "index.html").as_uri()
    with page.expect_navigation():
        page.click(f"a:text-is({chapter!r})")  # the home page lists the chapters too
    assert page.text_content("h1") == chapter
    assert errors == [] and offline.blocked == []


def test_search_finds_a_phrase_typed_without_accents_offline(unzipped, offline):
    page = offline.new_page()
    errors = watch(page)
    start = unzipped / "regions" / "guelmim-oued-noun" / "index.html"  # two folders deep
    page.goto(start.as_uri())
    results = search(page, PHRASE)
    marks = page.locator("#search-results mark").all_text_contents()
    assert any(m.lower() == ACCENTED for m in marks), marks
    page.screenshot(path=str(SHOTS / "dossier-browser-search-offline.png"))
    target = results.first.get_attribute("data-href")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(unzipped.as_uri()) and page.url.endswith("/index.html")
    assert Path(urlsplit(page.url).path).is_file(), target
    assert header_colour(page) == HEADER_COLOUR
    assert errors == [] and offline.blocked == []


def test_the_map_draws_offline(unzipped, offline):
    html = (unzipped / "carte" / "index.html").read_text("utf-8")
    assert "vendor/leaflet/leaflet.js" in html
    page = offline.new_page()
    errors = watch(page)
    page.goto((unzipped / "carte" / "index.html").as_uri())
    page.wait_for_selector(".leaflet-container", timeout=10_000)
    page.screenshot(path=str(SHOTS / "dossier-browser-map-offline.png"))
    assert page.locator("path.region-shape").count() == 12
    assert errors == [] and offline.blocked == []


# ---- 2. over HTTP under /<repo>/, like GitHub Pages -------------------------------------


def test_a_crawler_reaches_every_page_under_the_repo_path(unzipped, online, serve):
    base = serve(unzipped, f"/{REPO}/")
    page = online.new_page()
    bad: list[str] = []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    seen, queue = set(), deque([base])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = href.split("#")[0]
            if href.startswith(base) and href not in seen:
                queue.append(href)
    reached = {u.removeprefix(base) or "index.html" for u in seen}
    expected = set(html_pages(unzipped)) - {"404.html"}
    assert expected - reached == set()
    assert bad == [] and online.blocked == []


def check_404(page, url: str, root: str, shot: str | None = None, status: int = 404) -> None:
    """A missing path shows the styled 404 page; its links and search lead into the site."""
    response = page.goto(url)
    assert response.status == status
    page.wait_for_function("document.documentElement.dataset['404Root'] !== undefined")
    assert page.get_attribute("html", "data-404-root") == urlsplit(root).path
    assert page.text_content("h1") == "Page introuvable"
    assert header_colour(page) == HEADER_COLOUR
    assert page.eval_on_selector("body", "e => getComputedStyle(e).margin") == "0px"
    if shot:
        page.screenshot(path=str(SHOTS / shot), full_page=True)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert all(h.startswith(root) for h in hrefs if h.startswith("http://127.0.0.1"))
    results = search(page, PHRASE)
    # Options are not links (a combobox's listbox owns the navigation): their target is data.
    target = results.first.evaluate("o => new URL(o.dataset.href, document.baseURI).href")
    assert target.startswith(root)
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.click(".site-nav a:text-is('Chapitres')")
    assert page.url == root + "chapitres/index.html"
    assert header_colour(page) == HEADER_COLOUR


def test_a_deep_missing_path_shows_the_404_page_with_its_styles(unzipped, online, serve):
    root = serve(unzipped, f"/{REPO}/")
    page = online.new_page()
    check_404(page, root + "a/b/c/", root, "dossier-browser-404-deep.png")
    check_404(page, root + "chapitres/nope", root)
    check_404(page, root + "404.html", root, status=200)  # at its own address
    assert online.blocked == []


def test_the_404_page_works_at_the_server_root(unzipped, online, serve):
    root = serve(unzipped, "/")
    check_404(online.new_page(), root + "x/y/", root)


def test_the_404_page_uses_base_url_without_probing(tmp_path, online, serve):
    """Built with base_url (as the Pages workflow does), the 404 page needs no guessing."""
    for name in ("content", "templates", "assets"):
        shutil.copytree(PROJECT / name, tmp_path / "src" / name)
    text = (PROJECT / "pyproject.toml").read_text("utf-8")
    text = re.sub(r'(?m)^base_url\s*=.*$',
                  f'base_url = "https://someone.github.io/{REPO}/"', text)
    (tmp_path / "src" / "pyproject.toml").write_text(text, "utf-8")
    package.make(tmp_path / "src", out=tmp_path / "out", dist=tmp_path / "dist")
    root = serve(tmp_path / "out", f"/{REPO}/")
    page = online.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    check_404(page, root + "a/b/c/", root)
    assert missing == [root + "a/b/c/"]  # the page itself, and no probe
    assert online.blocked == []
