"""Turn assembled pages into HTML with Jinja templates (autoescape on, strict undefined)."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import cite, links, narrative, typography
from .errors import Report

# Words after which a source's name reads as part of the sentence ("pour LeBrief",
# "selon LeBrief", a subject at a sentence start); anywhere else it becomes "selon LeBrief".
NATURAL_LEAD = frozenset(
    ". pour par selon de du des d après chez que qu et ou avec à au aux comme sur "
    "le la les l entre dans".split())


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
    env.filters.update(number=_number, date=_date, label=cite.label, slug=narrative.slugify)
    return env


@jinja2.pass_context
def _number(context, value) -> str:
    """The ``number`` filter: a number in the site's language."""
    return cite.number(value, context["site"].language)


@jinja2.pass_context
def _date(context, value) -> str:
    """The ``date`` filter: a ``YYYY[-MM[-DD]]`` date in the site's language."""
    return cite.date(value, context["site"].language)


class LazyBody:
    """A page's Markdown body, resolved when the template first shows it.

    So its notes are numbered in reading order even when a template shows generated
    content (tables, records) before the prose.
    """

    def __init__(self, make):
        """Hold the function that resolves the body."""
        self._make, self._html = make, None

    def __html__(self) -> str:
        """Resolve once; Jinja calls this when the body is output."""
        if self._html is None:
            self._html = Markup(self._make())
        return self._html

    def __str__(self) -> str:
        return str(self.__html__())

    def __bool__(self) -> bool:
        return bool(self.__html__())


class PageRenderer:
    """Renders pages of one site: fills Markdown placeholders, then applies templates."""

    def __init__(self, env, site, report: Report):
        self.env, self.site, self.report = env, site, report
        self.by_key = site.pages
        self.files = site.output_files()
        self.pending_anchors = []  # (page, ref, dest, anchor), checked once all pages exist
        self.notes = None  # the notes of the page being rendered

    def body(self, page) -> Markup:
        """Resolve a page's facts, sources and links into its HTML body."""
        if page.doc is None:
            return Markup("")
        if self.notes is None:
            self.notes = self.new_notes(page)
        index = {id(ref): i for i, ref in enumerate(page.doc.refs)}
        state = {}  # what one citation passes to the next: a marker, a fact's record
        return Markup(narrative.fill(page.doc, lambda ref: self._cite(
            page, ref, index[id(ref)], state)))

    def cited_sources(self) -> set:
        """The ids of the sources the last rendered page's notes cite."""
        return self.notes.cited() if self.notes is not None else set()

    def new_notes(self, page) -> cite.Notes:
        """An empty set of notes for one page."""
        return cite.Notes(self.site.facts["sources"], page.root, self.site.settings.language)

    def _cite(self, page, ref, i: int, state: dict) -> str:
        """Resolve a role in its context: the citation before it, the one after it."""
        if ref.kind not in ("fact", "source"):
            return self._resolve(page, ref)
        refs, notes = page.doc.refs, self.notes
        if ref.kind == "source" and ref.target in self.site.facts["sources"]:
            before = state.get(ref.prev) if ref.prev >= 0 else None
            if before and before[0] == "fact":
                _, record, field, carried = before
                if carried is not None:  # "novembre 2025 selon Le360¹": one note, not two
                    return str(notes.source(ref.target, "selon ", carried))
                if notes.contains(record, field, ref.target):
                    return ""  # the fact's values already name it
            if before and before[0] == "source":
                if before[1] == ref.target:
                    return ""  # the same source twice in a row
                lead = "et "
            else:
                lead = "" if ref.text in NATURAL_LEAD else "selon "
            state[i] = ("source", ref.target)
            return str(notes.source(ref.target, lead))
        if ref.kind == "fact":
            try:
                record, field = self.site.facts.resolve(ref.target)
            except LookupError:
                return self._resolve(page, ref)
            after = refs[i + 1] if i + 1 < len(refs) else None
            defer = (after is not None and after.kind == "source" and after.prev == i
                     and notes.contains(record, field, after.target)
                     and not notes.contested(record, field))
            carry = {} if defer else None
            html = notes.fact(record, field, carry)
            state[i] = ("fact", record, field, carry.get("marker") if carry else None)
            return str(html)
        return self._resolve(page, ref)

    def _resolve(self, page, ref) -> str:
        """Return the HTML of one reference, or record an error and show a marker."""
        sources = self.site.facts["sources"]
        if ref.kind == "fact":
            try:
                record, field = self.site.facts.resolve(ref.target)
            except LookupError as exc:
                if ref.target.split(".")[0] in self.site.facts.broken:
                    return '<span class="broken-ref">[?]</span>'  # already reported
                return self._fail(page, ref, str(exc), "check the id in content/facts/")
            return str(cite.field_html(record, field, sources, page.root))
        if ref.kind == "source":
            if ref.target not in sources:
                return self._fail(page, ref, f"unknown source '{ref.target}'",
                                  "define it in content/facts/sources.yaml")
            return str(cite.source_link(sources, ref.target, page.root))
        if ref.kind == "page":
            target = self.by_key.get(ref.target.strip().removesuffix(".md"))
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
        self.notes = notes = self.new_notes(page)
        context = dict(site=self.site.settings, facts=self.site.facts, pages=self.site.pages,
                       page=page, root=page.root, content=LazyBody(lambda: self.body(page)),
                       url=lambda target: self.url(page, target),
                       asset=lambda path: page.root + path,
                       fact=notes.fact, cites=notes.cites, record_note=notes.record,
                       notes=notes, plain=cite.plain, **extra)
        try:
            html = template.render(context)
            return typography.html(html, self.site.settings.language)
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
