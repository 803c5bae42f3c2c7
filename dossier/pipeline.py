"""The build, top to bottom: load → validate → assemble → render → write.

``Builder`` keeps what it learnt between builds (parsed pages, rendered pages and what each
one read), so a rebuild renders only the pages whose inputs changed. ``build()`` is a
one-shot build. Nothing is written when a build has errors.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, config, narrative, output, render, scan
from . import facts as facts_mod
from . import pages as pages_mod
from .errors import BuildFailed, Report

GENERATED_LAST = ("sources.html",)
DATA_DIR = Path(__file__).parent / "data"  # the region boundaries: an input of the maps
CITE_RE = render.re.compile(r'href="[^"]*sources/index\.html#src-([a-z0-9-]+)"')


@dataclass
class Site:
    """Everything loaded from a dossier's sources."""

    settings: config.Settings
    facts: facts_mod.Facts
    docs: dict
    doc_hashes: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    asset_files: dict = field(default_factory=dict)  # output path → source file


@dataclass
class Result:
    """What a build produced."""

    files: dict  # output path → bytes
    copies: dict  # output path → source file to copy
    report: Report
    site: Site | None = None
    timings: list = field(default_factory=list)
    rendered: list = field(default_factory=list)  # page keys rendered (not from the cache)


class Timer:
    """Records how long each named step takes."""

    def __init__(self):
        self.steps, self._last = [], time.perf_counter()

    def step(self, name: str) -> None:
        """Close the current step under ``name``."""
        now = time.perf_counter()
        self.steps.append((name, now - self._last))
        self._last = now


def _hash(*parts) -> str:
    return hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=16).hexdigest()


class Builder:
    """Builds one dossier, reusing earlier work when its inputs have not changed."""

    def __init__(self, root: Path, *, strict: bool = False, out: Path | None = None,
                 cache_dir: Path | None = None):
        self.root, self.strict, self.out = Path(root).resolve(), strict, out
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.docs: dict = {}  # text hash → (Doc, problems)
        self.pages: dict = {}  # page key → (input hash, reads, html, anchors, cited)
        self._env, self._env_key = None, ""
        self._load_cache()

    # -- load -------------------------------------------------------------------------
    def parse_doc(self, text: str, shown: str, report: Report) -> tuple[narrative.Doc, str]:
        """Parse a page, reusing the result for text already seen."""
        key = _hash(shown, text)
        hit = self.docs.get(key)
        if hit is None:
            local = Report()
            hit = (narrative.parse(text, shown, local), local.problems)
            self.docs[key] = hit
        report.problems.extend(hit[1])
        return hit[0], key

    def load(self, settings: config.Settings, report: Report) -> Site:
        """Read facts, narrative and assets."""
        root, content = settings.root, settings.path("content")
        if not content.is_dir():
            report.error(settings.content, 1, 1, "the content folder does not exist",
                         "create it or set [tool.dossier] content in pyproject.toml")
        facts = facts_mod.load(content / "facts", root, report)
        site = Site(settings, facts, {})
        for path in scan.walk(content) if content.is_dir() else []:
            rel = path.relative_to(content).as_posix()
            if rel.startswith("facts/") or not rel.endswith(".md"):
                continue
            shown = f"{settings.content}/{rel}"
            text = scan.read_text(path, shown, report)
            if text is not None:
                site.docs[rel], site.doc_hashes[rel] = self.parse_doc(text, shown, report)
        assets = settings.path("assets")
        for path in scan.walk(assets) if assets.is_dir() else []:
            site.asset_files["assets/" + path.relative_to(assets).as_posix()] = path
        return site

    # -- render -----------------------------------------------------------------------
    def render(self, site: Site, report: Report, rendered: list) -> dict[str, bytes]:
        """Render every page whose inputs changed; reuse the others' HTML."""
        templates = site.settings.path("templates")
        if self._env is None or self._env_key != _tree_hash(templates):
            # One environment per template version: Jinja then keeps compiled templates.
            self._env = render.environment(templates, self.cache_dir)
            self._env_key = _tree_hash(templates)
        renderer = render.PageRenderer(self._env, site, report)
        base = _hash(__version__, _tree_hash(templates), _tree_hash(DATA_DIR),
                     repr(site.settings), _routes_hash(site.pages))
        html: dict[str, str] = {}
        cited_by: dict[str, list] = {}
        ordered = sorted(site.pages.values(),
                         key=lambda p: (p.template in GENERATED_LAST, p.dest))
        for page in ordered:
            extra = {"cited_by": cited_by} if page.template in GENERATED_LAST else {}
            own = _hash(base, page.key, site.doc_hashes.get(_rel(page)),
                        _cited_hash(cited_by) if extra else "",
                        # The 404 page inlines the stylesheets (it must work at any depth).
                        _tree_hash(site.settings.path("assets")) if page.key == "404" else "")
            entry = self.pages.get(page.key)
            if entry and entry[0] == own and entry[1] is not None and all(
                    fp == site.facts.fingerprint(dep) for dep, fp in entry[1]):
                text, anchors, cited = entry[2], entry[3], entry[4]
                renderer.pending_anchors.extend((page, *a) for a in anchors)
            else:
                text, anchors, cited = self._render_page(renderer, site, page, report, extra,
                                                         own)
                rendered.append(page.key)
            if text is None:
                continue
            html[page.dest] = text
            for sid in cited:
                cited_by.setdefault(sid, []).append(page)
        renderer.check_anchors({dest: render.links.ids_in(text) for dest, text in html.items()})
        for record in site.facts.records("sources"):
            if record.id not in cited_by:
                report.warn(record.path, record.line, record.col,
                            f"source '{record.id}' is cited by no page",
                            "cite it with {source}`" + record.id + "` or remove it")
        return {dest: text.encode("utf-8") for dest, text in html.items()}

    def _render_page(self, renderer, site, page, report, extra, key):
        """Render one page, recording what it read so the cache knows when it is stale."""
        errors_before = len(report.problems)
        anchors_before = len(renderer.pending_anchors)
        site.facts.reads = reads = set()
        if page.record is not None:
            reads.add((page.record.collection, page.record.id))
        try:
            extra = {**extra, **extra_context(site, page)}
            text = renderer.render(page, **extra)
        finally:
            site.facts.reads = None
        anchors = [a[1:] for a in renderer.pending_anchors[anchors_before:]]
        cited = sorted(set(CITE_RE.findall(text))) if text is not None else []
        ok = text is not None and len(report.problems) == errors_before
        deps = [(dep, site.facts.fingerprint(dep)) for dep in sorted(reads)]
        own = self.pages.get(page.key)
        if ok:
            self.pages[page.key] = (key, deps, text, anchors, cited)
        elif own:
            del self.pages[page.key]
        return text, anchors, cited

    # -- the whole build ---------------------------------------------------------------
    def build(self, write: bool = True) -> Result:
        """Run load → validate → assemble → render → write; raise ``BuildFailed``."""
        timer, report = Timer(), Report()
        settings = config.load(self.root, report)
        out = Path(self.out) if self.out is not None else settings.path("output")
        refusal = output.check_folder(out, settings.root, [
            settings.path(n) for n in ("content", "templates", "assets")])
        if refusal:
            report.error(str(out), 1, 1, refusal, "choose a new folder such as output/")
            raise BuildFailed(report)
        _tree_hash.cache_clear()
        site = self.load(settings, report)
        timer.step("load and validate")
        site.pages = pages_mod.assemble(site.docs, site.facts, report)
        timer.step("assemble")
        rendered: list = []
        files = self.render(site, report, rendered)
        timer.step("render")
        if report.failed(self.strict):
            raise BuildFailed(report)
        files.update(site_files(site, files))
        timer.step("search index and site files")
        copies = {**site.asset_files, **static_files(site)}
        result = Result(files, copies, report, site, timer.steps, rendered)
        if write:
            output.write_site(out, result.files, result.copies)
            timer.step("write")
            self._save_cache()
        return result

    # -- persistent cache ----------------------------------------------------------------
    def _cache_file(self) -> Path | None:
        return self.cache_dir / f"build-{__version__}.pickle" if self.cache_dir else None

    def _load_cache(self) -> None:
        """Load an earlier run's cache; a missing or unreadable one just means a cold build."""
        path = self._cache_file()
        if path is None or not path.is_file():
            return
        try:
            self.docs, self.pages = pickle.loads(path.read_bytes())
        except Exception:  # a cache from another version or a torn write: start afresh
            self.docs, self.pages = {}, {}

    def _save_cache(self) -> None:
        """Store parsed and rendered pages for the next run (written atomically)."""
        path = self._cache_file()
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps((self.docs, self.pages), pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)


def extra_context(site: Site, page) -> dict:
    """Compute what a data template needs beyond the page: the map, a region's locator.

    Called inside the page's dependency tracking, so the facts these read are recorded.
    """
    if page.template == "map.html":
        from . import maps  # folium is heavy: import it only when the map page renders

        return maps.page_context(site, page)
    if page.template == "region.html":
        from . import maps

        return maps.region_context(site, page)
    if page.template == "404.html":
        from . import publish  # inline CSS and the public path: 404.html works at any depth

        return publish.not_found_context(site)
    return {}


def site_files(site: Site, files: dict) -> dict[str, bytes]:
    """Files made from the whole site: the search index, and publishing files."""
    from . import publish, search

    docs = []
    for page in sorted(site.pages.values(), key=lambda p: p.dest):
        if page.dest in files and page.key != "404":
            docs.append({"url": page.dest, "title": page.title,
                         "section": page.parent.title if page.parent else "",
                         "text": _search_text(files[page.dest])})
    made = {"search-index.js": search.build_index(docs).encode("utf-8")}
    made.update(publish.extra_files(site, files))
    return made


@functools.lru_cache(maxsize=16384)
def _search_text(data: bytes) -> str:
    """The plain text of a page's <main> (not the navigation around it), memoised by bytes."""
    text = data.decode("utf-8")
    start, end = text.find("<main"), text.find("</main>")
    return render.text_of(text[start:end] if start >= 0 and end > start else text)


def static_files(site: Site) -> dict:
    """Files copied into the site besides assets/: vendored libraries the pages use."""
    if any(p.template == "map.html" for p in site.pages.values()):
        from . import maps

        return maps.vendor_files()
    return {}


def _rel(page) -> str:
    return (page.source or "").removeprefix("content/")


def _routes_hash(pages: dict) -> str:
    """Hash every page's place and name: a change here can alter any page's navigation."""
    return _hash(*(f"{p.key}|{p.dest}|{p.title}|{p.summary}|{p.order}|{p.updated}"
                   for p in pages.values()))


def _cited_hash(cited_by: dict) -> str:
    return _hash(*(f"{sid}:{','.join(p.key for p in pages)}"
                   for sid, pages in sorted(cited_by.items())))


def _tree_hash(folder: Path) -> str:
    """Hash the names and bytes of every file in a folder (the templates)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in scan.walk(folder) if folder.is_dir() else []:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


_tree_hash = functools.lru_cache(maxsize=8)(_tree_hash)  # cleared at the start of each build


def build(root: Path, *, strict: bool = False, write: bool = True,
          out: Path | None = None, cache_dir: Path | None = None) -> Result:
    """Build the dossier at ``root`` once; raise ``BuildFailed`` (nothing written)."""
    return Builder(root, strict=strict, out=out, cache_dir=cache_dir).build(write=write)
