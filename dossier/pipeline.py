"""The build, top to bottom: load → validate → assemble → render → write.

``build()`` returns the rendered files and the report, and writes only when asked, so tests
and the preview server can use it without touching the disk.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import config, narrative, output, render, scan
from . import facts as facts_mod
from . import pages as pages_mod
from .errors import BuildFailed, Report

GENERATED_LAST = ("sources.html",)  # templates that list which pages cite what


@dataclass
class Site:
    """Everything loaded from a dossier's sources."""

    settings: config.Settings
    facts: facts_mod.Facts
    docs: dict
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


class Timer:
    """Records how long each named step takes."""

    def __init__(self):
        self.steps, self._last = [], time.perf_counter()

    def step(self, name: str) -> None:
        """Close the current step under ``name``."""
        now = time.perf_counter()
        self.steps.append((name, now - self._last))
        self._last = now


_DOC_CACHE: dict = {}  # text hash → (Doc, problems); Markdown parsing is pure


def parse_doc(text: str, shown: str, report: Report) -> narrative.Doc:
    """Parse a page, reusing the result for text already seen in this process."""
    key = hashlib.blake2b(f"{shown}\0{text}".encode(), digest_size=16).digest()
    hit = _DOC_CACHE.get(key)
    if hit is None:
        local = Report()
        hit = (narrative.parse(text, shown, local), local.problems)
        _DOC_CACHE[key] = hit
    report.problems.extend(hit[1])
    return hit[0]


def load(settings: config.Settings, report: Report) -> Site:
    """Read facts, narrative and assets."""
    root, content = settings.root, settings.path("content")
    if not content.is_dir():
        report.error(settings.content, 1, 1, "the content folder does not exist",
                     "create it or set [tool.dossier] content in pyproject.toml")
    facts = facts_mod.load(content / "facts", root, report)
    docs = {}
    for path in scan.walk(content) if content.is_dir() else []:
        rel = path.relative_to(content).as_posix()
        if rel.startswith("facts/") or not rel.endswith(".md"):
            continue
        text = scan.read_text(path, f"{settings.content}/{rel}", report)
        if text is not None:
            docs[rel] = parse_doc(text, f"{settings.content}/{rel}", report)
    assets = settings.path("assets")
    asset_files = {}
    for path in scan.walk(assets) if assets.is_dir() else []:
        asset_files["assets/" + path.relative_to(assets).as_posix()] = path
    return Site(settings, facts, docs, asset_files=asset_files)


def render_site(site: Site, report: Report) -> dict[str, bytes]:
    """Render every page; pages that list citations come last."""
    renderer = render.PageRenderer(render.environment(site.settings.path("templates")),
                                   site, report)
    html: dict[str, str] = {}
    ordered = sorted(site.pages.values(), key=lambda p: (p.template in GENERATED_LAST, p.dest))
    cited_by: dict[str, list] = {}
    for page in ordered:
        if page.template in GENERATED_LAST:
            text = renderer.render(page, cited_by=cited_by)
        else:
            text = renderer.render(page)
        if text is None:
            continue
        html[page.dest] = text
        for sid in sorted(set(CITE_RE.findall(text))):
            cited_by.setdefault(sid, []).append(page)
    renderer.check_anchors({dest: render.links.ids_in(text) for dest, text in html.items()})
    for record in site.facts.records("sources"):
        if record.id not in cited_by:
            report.warn(record.path, record.line, record.col,
                        f"source '{record.id}' is cited by no page",
                        "cite it with {source}`" + record.id + "` or remove it")
    return {dest: text.encode("utf-8") for dest, text in html.items()}


CITE_RE = render.re.compile(r'href="[^"]*sources/index\.html#src-([a-z0-9-]+)"')


def build(root: Path, *, strict: bool = False, write: bool = True,
          out: Path | None = None) -> Result:
    """Build the dossier at ``root``; raise ``BuildFailed`` (nothing written) on problems."""
    timer, report = Timer(), Report()
    settings = config.load(root, report)
    out = Path(out) if out is not None else settings.path("output")
    refusal = output.check_folder(out, settings.root, [settings.path(n) for n in
                                                       ("content", "templates", "assets")])
    if refusal:
        report.error(str(out), 1, 1, refusal, "choose a new folder such as output/")
        raise BuildFailed(report)
    site = load(settings, report)
    timer.step("load and validate")
    site.pages = pages_mod.assemble(site.docs, site.facts, report)
    timer.step("assemble")
    files = render_site(site, report)
    timer.step("render")
    if report.failed(strict):
        raise BuildFailed(report)
    result = Result(files, dict(site.asset_files), report, site, timer.steps)
    if write:
        output.write_site(out, result.files, result.copies)
        timer.step("write")
    return result
