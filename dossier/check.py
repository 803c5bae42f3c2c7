"""Check a built site (``python build.py check``): it must work at ``/``, under ``/<repo>/``
and from ``file://`` alike.

Every internal link and anchor must resolve to a file (a folder is not enough: ``file://``
shows a directory listing); nothing may load from another host (``src``, stylesheets, CSS
``url()``, scripts); no root-absolute URL, no ``<base>``; no fetch/XHR/module/worker/WASM in
shipped JavaScript; every page has a title, a language and a description. Links a reader
clicks to a source article (``<a href="https://…">``) are fine.
"""

from __future__ import annotations

import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# <link rel> values that make the browser load the target.
RESOURCE_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload",
                 "modulepreload", "prefetch", "manifest"}
# Script types whose content is JavaScript (anything else, e.g. JSON data, is not run).
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Elements whose href the browser loads without a click (SVG images and symbols).
LOADING_HREF = {"image", "use", "feimage"}
HARMLESS_SCHEMES = {"data", "mailto", "tel", "javascript", "blob", "about"}

CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
CSS_IMPORT_RE = re.compile(r"""@import\s+(['"])(.*?)\1""", re.I)
# Comments are dropped before the JavaScript scans so that prose ("no fetch()") never counts.
JS_BLOCK_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
JS_LINE_COMMENT_RE = re.compile(r"(^|[\s;{}()])//[^\n]*")
BLOCKED_JS = (
    # Not a method of that name being defined ("fetch(key, initial) {", as in MiniSearch).
    (re.compile(r"(?:(?<![\w$.])|(?<=window\.)|(?<=self\.)|(?<=globalThis\.))fetch\s*\("
                r"(?![^()\n]*\)\s*\{)"),
     "fetch() is blocked on file://"),
    (re.compile(r"\bXMLHttpRequest\b"), "XMLHttpRequest is blocked on file://"),
    (re.compile(r"\bnew\s+(?:Shared)?Worker\s*\("), "a Web Worker cannot start on file://"),
    (re.compile(r"\bserviceWorker\b"), "a service worker cannot run on file://"),
    (re.compile(r"\bWebAssembly\b"), "WebAssembly cannot be loaded on file://"),
    (re.compile(r"(?<![\w$.])import\s*\(\s*['\"`]"), "dynamic import() is blocked on file://"),
    (re.compile(r"^\s*(?:import\s*[\w{*'\"]|export\s+(?:default|const|let|var|function|class"
                r"|async|\{|\*))", re.M), "ES module syntax is blocked on file://"),
)
# A URL to another host inside a script that looks like something to load: a tile template
# or a file type a page fetches. URLs of articles (data for links) are left alone.
JS_RESOURCE_URL_RE = re.compile(
    r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}(?::\d+)?/[^\s'"`<>\\]*?"""
    r"""(?:\{[sxyz]\}[^\s'"`<>\\]*|\.(?:m?js|css|png|jpe?g|gif|webp|svg|woff2?|ttf|otf"""
    r"""|json|geojson|pbf|wasm)(?=[?#'"`\s\\]|$))""", re.I)

# ... except inside an HTML snippet's href (a popup's link to a source), plain or escaped.
HREF_BEFORE_RE = re.compile(r"""(?<![\w$.])href\s*=\s*(?:\\?["']|\\u0022|&quot;)?$""", re.I)


@dataclass(frozen=True)
class Problem:
    """One problem of one output file."""

    path: str
    message: str

    def format(self) -> str:
        """Render as ``path: message``."""
        return f"{self.path}: {self.message}"


@dataclass
class Ref:
    """A URL found in a page: where it was, and whether the browser loads it by itself."""

    tag: str
    attr: str
    url: str
    resource: bool


@dataclass
class PageScan:
    """What one HTML file says about itself and what it points at."""

    ids: set = field(default_factory=set)
    refs: list = field(default_factory=list)
    scripts: list = field(default_factory=list)  # inline JavaScript
    styles: list = field(default_factory=list)  # inline CSS (<style> and style="")
    problems: list = field(default_factory=list)  # messages found while parsing
    title: str = ""
    lang: str = ""
    description: str = ""


class PageParser(HTMLParser):
    """Collect ids, URLs, inline scripts and styles, and the page's metadata."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._text: list | None = None  # the buffer of <title>, <script> or <style>
        self._in = ""
        self._js = True  # whether the inline script being read is JavaScript

    def handle_starttag(self, tag, attrs):
        """Record what an opening tag carries."""
        a = {k: (v or "") for k, v in attrs}
        scan = self.scan
        if "id" in a:
            scan.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            scan.ids.add(a["name"])
        if a.get("style"):
            scan.styles.append(a["style"])
        if tag == "html":
            scan.lang = a.get("lang", "").strip()
        elif tag == "base":
            scan.problems.append("<base> element: links must resolve against the page itself")
        elif tag == "meta" and a.get("name", "").lower() == "description":
            scan.description = a.get("content", "").strip()
        elif tag in ("title", "style") or (tag == "script" and "src" not in a):
            self._in, self._text = tag, []
        if tag == "script":
            self._script_tag(a)
        self._urls(tag, a)

    def _script_tag(self, a: dict) -> None:
        """Flag module scripts; remember whether an inline script is JavaScript."""
        kind = a.get("type", "").strip().lower()
        if kind == "module":
            self.scan.problems.append('<script type="module"> is blocked on file://')
        self._js = kind in JS_TYPES

    def _urls(self, tag: str, a: dict) -> None:
        """Record every URL attribute, noting which ones the browser loads by itself."""
        rels = set(a.get("rel", "").lower().split())
        for attr in ("href", "src", "poster", "data", "action"):
            if attr not in a or (attr == "data" and tag != "object"):
                continue
            if attr in ("href", "action"):  # followed by a click, except these
                loads = bool(rels & RESOURCE_RELS) if tag == "link" else tag in LOADING_HREF
            else:
                loads = True
            self.scan.refs.append(Ref(tag, attr, a[attr].strip(), loads))
        # Candidates are split at a comma followed by space: a data: URL has commas too.
        for candidate in re.split(r",\s+", a.get("srcset", "").strip()):
            if candidate:
                url = candidate.split()[0].rstrip(",")
                self.scan.refs.append(Ref(tag, "srcset", url, True))

    def handle_data(self, data):
        """Keep the text of <title>, inline scripts and styles."""
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        """Store the text collected since the matching opening tag."""
        if self._text is None or tag != self._in:
            return
        text = "".join(self._text)
        if tag == "title":  # the first one: an inline <svg> may have its own <title>
            self.scan.title = self.scan.title or " ".join(text.split())
        elif tag == "style":
            self.scan.styles.append(text)
        elif self._js:
            self.scan.scripts.append(text)
        self._text, self._in = None, ""


def scan_html(text: str) -> PageScan:
    """Parse one page."""
    parser = PageParser()
    parser.feed(text)
    parser.close()
    return parser.scan


class SiteChecker:
    """Checks every file of one built site and collects the problems."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.problems: list[Problem] = []
        self.pages: dict[str, PageScan] = {}
        self.counts = {"pages": 0, "stylesheets": 0, "scripts": 0, "links": 0}

    # -- the walk -----------------------------------------------------------------------
    def run(self) -> list[Problem]:
        """Scan every file, then resolve every page's links; return the problems."""
        files = sorted(self._files())
        for rel in files:
            if rel.endswith((".html", ".htm")):
                self.pages[rel] = scan_html(self._read(rel))
        for rel in files:
            self._check_file(rel)
        return self._deduplicated()

    def _files(self):
        """Every file of the site, as a POSIX path relative to the folder."""
        for dirpath, _dirs, names in os.walk(self.folder):
            for name in names:
                yield Path(dirpath, name).relative_to(self.folder).as_posix()

    def _read(self, rel: str) -> str:
        """Read a text file of the site (a stray byte is not this checker's concern)."""
        return (self.folder / rel).read_text("utf-8", errors="replace")

    def _check_file(self, rel: str) -> None:
        """Run the checks that apply to this kind of file."""
        if rel in self.pages:
            self.counts["pages"] += 1
            self._check_page(rel, self.pages[rel])
        elif rel.endswith(".css"):
            self.counts["stylesheets"] += 1
            self._check_css(rel, self._read(rel), rel)
        elif rel.endswith((".js", ".mjs")):
            self.counts["scripts"] += 1
            if rel.endswith(".mjs"):
                self.add(rel, "an ES module file (.mjs): modules are blocked on file://")
            self._check_js(rel, self._read(rel))
        elif rel.endswith(".wasm"):
            self.add(rel, "a WebAssembly file: it cannot be loaded on file://")

    def add(self, rel: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(rel, message))

    def _deduplicated(self) -> list[Problem]:
        """Each problem once per file, files in order, problems in the order found."""
        seen, out = set(), []
        for problem in sorted(self.problems, key=lambda p: p.path):
            if problem not in seen:
                seen.add(problem)
                out.append(problem)
        return out

    # -- pages --------------------------------------------------------------------------
    def _check_page(self, rel: str, scan: PageScan) -> None:
        """Metadata, then every URL, inline style and inline script of one page."""
        for message in scan.problems:
            self.add(rel, message)
        if not scan.title:
            self.add(rel, "missing <title>")
        if not scan.lang:
            self.add(rel, "missing lang on <html>")
        if not scan.description:
            self.add(rel, 'missing <meta name="description">')
        for ref in scan.refs:
            self.counts["links"] += 1
            self._check_ref(rel, ref)
        for css in scan.styles:
            self._check_css(rel, css, rel)
        for js in scan.scripts:
            self._check_js(rel, js)

    def _check_ref(self, rel: str, ref: Ref) -> None:
        """Check one URL of a page according to its form."""
        url, where = ref.url, f"<{ref.tag} {ref.attr}>"
        scheme = SCHEME_RE.match(url)
        if not url:
            return
        if url.startswith("//"):
            self.add(rel, f"protocol-relative URL '{url}' in {where}: it becomes file:{url} "
                          "in the zip")
        elif scheme:
            name = scheme.group(1).lower()
            if name == "file":
                self.add(rel, f"file: URL '{url}' in {where}: it points at the builder's disk")
            elif ref.resource and name not in HARMLESS_SCHEMES:
                self.add(rel, f"loads from another host: '{url}' in {where}")
        elif url.startswith("/"):
            self.add(rel, f"root-absolute URL '{url}' in {where}: it breaks under /<repo>/ "
                          "and on file://")
        else:
            self._check_local(rel, url)

    def _check_local(self, rel: str, url: str) -> None:
        """A page-relative URL must name an existing file, and its anchor an existing id."""
        path, _, anchor = url.partition("#")
        path = unquote(path.split("?")[0])
        if not path:
            target = rel
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
            if target == ".." or target.startswith("../"):
                self.add(rel, f"link '{url}' points outside the site")
                return
            full = self.folder / target
            if path.endswith("/") or full.is_dir():
                fix = posixpath.join(path, "index.html")
                if (full / "index.html").is_file():
                    self.add(rel, f"link to a folder '{url}': file:// shows a directory "
                                  f"listing, link to '{fix}'")
                else:
                    self.add(rel, f"broken link '{url}': no file {target}/index.html")
                return
            if not full.is_file():
                self.add(rel, f"broken link '{url}': no file {target}")
                return
        if anchor and target in self.pages:
            ids = self.pages[target].ids
            if anchor not in ids and unquote(anchor) not in ids:
                self.add(rel, f"missing anchor '#{anchor}' in {target}")

    # -- stylesheets and scripts ---------------------------------------------------------
    def _check_css(self, rel: str, css: str, base: str) -> None:
        """Every url() and @import of a stylesheet must be local and exist."""
        css = CSS_COMMENT_RE.sub(" ", css)
        urls = [m.group(2) for m in CSS_URL_RE.finditer(css)]
        urls += [m.group(2) for m in CSS_IMPORT_RE.finditer(css)]
        for url in (u.strip() for u in urls):
            if not url or url.startswith("#") or url.lower().startswith("data:"):
                continue
            if url.startswith("//") or SCHEME_RE.match(url):
                self.add(rel, f"loads from another host: '{url}' in CSS")
            elif url.startswith("/"):
                self.add(rel, f"root-absolute URL '{url}' in CSS: it breaks under /<repo>/ "
                              "and on file://")
            else:
                path = unquote(url.split("#")[0].split("?")[0])
                target = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
                if target.startswith("../") or not (self.folder / target).is_file():
                    self.add(rel, f"broken url() '{url}' in CSS: no file {target}")

    def _check_js(self, rel: str, js: str) -> None:
        """Heuristic scan of shipped JavaScript for what file:// blocks or the network needs."""
        code = JS_LINE_COMMENT_RE.sub(r"\1", JS_BLOCK_COMMENT_RE.sub(" ", js))
        for pattern, message in BLOCKED_JS:
            if pattern.search(code):
                self.add(rel, message)
        for match in JS_RESOURCE_URL_RE.finditer(code):
            if not HREF_BEFORE_RE.search(code, max(0, match.start() - 16), match.start()):
                self.add(rel, f"script loads from another host: '{match.group(0)}'")

    def summary(self) -> str:
        """One line saying what was checked."""
        c = self.counts
        return (f"checked {c['pages']} pages, {c['stylesheets']} stylesheets and "
                f"{c['scripts']} scripts in {_shown(self.folder)}: {c['links']} URLs, all "
                "resolve; nothing loads from another host")


def _shown(folder: Path) -> str:
    """A folder as the user would type it: relative to here when it is below here."""
    try:
        return Path(folder).resolve().relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return str(folder)


def check_site(folder: Path) -> list[Problem]:
    """Check a built site folder; return its problems (empty when it is fine)."""
    return SiteChecker(folder).run()


def output_folder(root: Path, args) -> Path:
    """The folder to check: ``--out``, else the ``output`` setting of the project."""
    out = getattr(args, "out", None)
    if out:
        return Path(out)
    from . import config
    from .errors import Report

    return config.load(root, Report()).path("output")


def run(root: Path, args) -> int:
    """Check the built site; print the problems and return 1, or a summary and return 0."""
    folder = output_folder(root, args)
    if not (folder / "index.html").is_file():
        print(f"nothing to check: {folder}/index.html does not exist "
              "(run python build.py first)", file=sys.stderr)
        return 1
    checker = SiteChecker(folder)
    problems = checker.run()
    if problems:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        n = len(problems)
        print(f"check failed: {n} problem{'s' * (n != 1)} in {_shown(folder)}",
              file=sys.stderr)
        return 1
    print(checker.summary())
    return 0
