"""Turn assembled pages into HTML with Jinja templates (autoescape on, strict undefined)."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import cite, links, narrative
from .errors import Report
from .facts import BrokenCollection
from .validate import did_you_mean


def environment(folder: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """Create the Jinja environment for a templates folder (compiled templates cached)."""
    bytecode = None
    if cache_dir is not None:
        (cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "jinja"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(number=cite.number, date=cite.date, label=cite.label,
                       slug=narrative.slugify)
    return env


class PageRenderer:
    """Renders pages of one site: fills Markdown placeholders, then applies templates."""

    def __init__(self, env, site, report: Report):
        self.env, self.site, self.report = env, site, report
        self.by_key = site.pages
        self.files = site.output_files()
        self.pending_anchors = []  # (page, ref, dest, anchor), checked once all pages exist

    def body(self, page) -> Markup:
        """Resolve a page's facts, sources and links into its HTML body."""
        if page.doc is None:
            return Markup("")
        return Markup(narrative.fill(page.doc, lambda ref: self._resolve(page, ref)))

    def _resolve(self, page, ref) -> str:
        """Return the HTML of one reference, or record an error and show a marker."""
        sources = self.site.facts["sources"]
        if ref.kind == "fact":
            try:
                record, field = self.site.facts.resolve(ref.target)
            except BrokenCollection:
                return '<span class="broken-ref">[?]</span>'  # its cause is reported
            except LookupError as exc:
                return self._fail(page, ref, str(exc), "check the id in content/facts/")
            return str(cite.field_html(record, field, sources, page.root))
        if ref.kind == "source":
            if ref.target not in sources:
                if self.site.facts.unreadable("sources", ref.target):
                    return '<span class="broken-ref">[?]</span>'  # its cause is reported
                return self._fail(page, ref, f"unknown source '{ref.target}'"
                                  + did_you_mean(ref.target, sources),
                                  "define it in content/facts/sources.yaml")
            return str(cite.source_link(sources, ref.target, page.root))
        if ref.kind == "page":
            key = ref.target.strip().removesuffix(".md")
            target = self.by_key.get(key)
            if target is None and key.startswith("regions/") and self.site.facts.unreadable(
                    "regions", key.removeprefix("regions/")):
                return '<span class="broken-ref">[?]</span>'  # a region with errors
            if target is None:
                return self._fail(page, ref, f"unknown page '{ref.target}'",
                                  "use a page key such as regions/10 or chapitres/01-strategie")
            return str(Markup('<a href="{}">{}</a>').format(
                links.relative(page.dest, target.dest), target.title))
        if ref.kind == "link":
            url, dest, anchor, error = links.resolve(page, ref, self.by_key, self.files)
            if error:
                self._fail(page, ref, error, "link to a .md file of content/ or a file of "
                           "the built site, relative to this page")
                return "#"
            if anchor:
                self.pending_anchors.append((page, ref, dest, anchor))
            return str(escape(url))
        return self._fail(page, ref, f"unknown role '{{{ref.kind}}}'", "")

    def _fail(self, page, ref, message: str, hint: str) -> str:
        self.report.error(page.source, ref.line, ref.col, message, hint)
        return '<span class="broken-ref">[?]</span>'

    def render(self, page, **extra) -> str | None:
        """Render a page with its template; record a missing or failing template."""
        try:
            template = self.env.get_template(page.template)
        except jinja2.TemplateNotFound as exc:
            where = self._template_pos(page)
            self.report.error(page.source or "templates", *where,
                              f"template '{exc.name}' not found in templates/",
                              "create it or fix 'template:' in the front matter")
            return None
        except jinja2.TemplateSyntaxError as exc:
            self.report.error(f"templates/{exc.name or page.template}", exc.lineno or 1, 1,
                              f"template syntax error: {exc.message}", "")
            return None
        context = dict(site=self.site.settings, facts=self.site.facts, pages=self.site.pages,
                       page=page, root=page.root, content=self.body(page),
                       url=lambda target: self.url(page, target),
                       asset=lambda path: page.root + path,
                       fact=lambda rec, field: cite.field_html(
                           rec, field, self.site.facts["sources"], page.root),
                       cites=lambda ids: cite.sources_html(
                           self.site.facts["sources"], ids, page.root),
                       plain=cite.plain, **extra)
        try:
            return template.render(context)
        except jinja2.TemplateError as exc:
            line = _template_line(exc)
            self.report.error(f"templates/{page.template}", line, 1,
                              f"template error while rendering {page.dest}: {exc}", "")
            return None

    def url(self, page, target) -> str:
        """Return the page-relative URL of a page (object or key) or an output path."""
        if isinstance(target, str):
            found = self.by_key.get(target)
            dest = found.dest if found is not None else target
        else:
            dest = target.dest
        return links.relative(page.dest, dest)

    def check_anchors(self, ids: dict[str, set]) -> None:
        """Report Markdown links whose anchor does not exist on the target page."""
        for page, ref, dest, anchor in self.pending_anchors:
            if anchor not in ids.get(dest, ()):
                self.report.error(page.source, ref.line, ref.col,
                                  f"link to a missing anchor '#{anchor}' in {dest}",
                                  "check the heading's id; anchors are lower-case slugs")

    @staticmethod
    def _template_pos(page) -> tuple[int, int]:
        positions = getattr(page.doc, "meta_pos", None) or {}
        return positions.get("template", (1, 1))


def _template_line(exc: Exception) -> int:
    """Find the template line of a rendering error from its traceback."""
    tb, line = exc.__traceback__, 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_TAG, _SPACE = re.compile(r"<[^>]+>"), re.compile(r"\s+")


def text_of(html: str) -> str:
    """Strip tags from HTML to get searchable plain text (runs once per rendered page)."""
    return _SPACE.sub(" ", html_lib.unescape(_TAG.sub(" ", html))).strip()
