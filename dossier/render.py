"""Turn assembled pages into HTML with Jinja templates (autoescape on, strict undefined)."""

from __future__ import annotations

import collections
import html as html_lib
import os
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import cite, formats, freetext, links, narrative, pages, scan, typography
from .errors import Report
from .facts import BrokenCollection
from .validate import did_you_mean

# Words after which a source's name reads as part of the sentence ("pour LeBrief",
# "selon LeBrief", a subject at a sentence start); anywhere else it becomes "selon LeBrief".
NATURAL_LEAD = frozenset(
    ". pour par selon de du des d après chez que qu et ou avec à au aux comme sur "
    "le la les l entre dans".split())


class RefusedTemplate(jinja2.TemplateNotFound):
    """A template the loader will not read: a link out of templates/, or not UTF-8.

    Carries the located problem; the template walk reports the same one, so it shows once.
    """

    def __init__(self, name: str, problem: tuple):
        super().__init__(name)
        self.problem = problem  # (path, line, col, message, hint)


class TemplateLoader(jinja2.BaseLoader):
    """Load templates from one folder, refusing what ``scan.walk`` refuses in content/.

    A link that leads out of the folder (``templates/leak.html → /etc/passwd``) would publish
    a file from elsewhere on the machine: it is refused for pages, includes and extends alike.
    """

    def __init__(self, folder: Path, shown: str = "templates"):
        self.folder, self.shown = os.path.abspath(folder), shown
        self.real = os.path.realpath(folder)

    def get_source(self, environment, template):
        """Return ``(text, filename, uptodate)`` for a template name, or raise."""
        pieces = jinja2.loaders.split_template_path(template)
        filename = os.path.join(self.folder, *pieces)
        if not pieces or not os.path.isfile(filename):
            raise jinja2.TemplateNotFound(template)
        shown = self.show(filename)
        if not Path(os.path.realpath(filename)).is_relative_to(self.real):
            raise RefusedTemplate(template, (
                shown, 1, 1, "symbolic link to a file outside its folder",
                "copy the file into the project instead of linking to it"))
        report = Report()
        text = scan.read_text(filename, shown, report)
        if text is None:
            p = report.problems[0]
            raise RefusedTemplate(template, (p.path, p.line, p.col, p.message, p.hint))
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return text, filename, uptodate

    def list_templates(self) -> list[str]:
        """Every template's name (for "did you mean …?")."""
        return scan.walk(Path(self.folder)) if os.path.isdir(self.folder) else []

    def show(self, filename: str) -> str | None:
        """A template file's path as errors show it (``templates/base.html``), or None."""
        if not filename or not os.path.isabs(filename):
            return None
        rel = os.path.relpath(filename, self.folder)
        if rel.startswith(".."):
            return None
        return f"{self.shown}/{rel.replace(os.sep, '/')}"


# The first word right after a role: a unit typed again ("{fact}`x` MW") starts it.
UNIT_AFTER = re.compile(r"[ \u00a0\u202f]*([^\s,;:!?()«»\"']+)")


def environment(folder: Path, cache_dir: Path | None = None,
                shown: str = "templates") -> jinja2.Environment:
    """Create the Jinja environment for a templates folder (compiled templates cached)."""
    bytecode = None
    if cache_dir is not None:
        (cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "jinja"))
    env = jinja2.Environment(
        loader=TemplateLoader(folder, shown),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(number=_number, date=_date, iso_date=formats.iso_date, label=cite.label,
                       slug=narrative.slugify)
    return env


@jinja2.pass_context
def _number(context, value) -> str:
    """The ``number`` filter: a number in the site's language."""
    return cite.number(value, context["site"].language)


@jinja2.pass_context
def _date(context, value, phrase: bool = False) -> str:
    """The ``date`` filter: a date at its precision in the site's language (``phrase=True``:
    as it reads in a sentence, "en 2025", "le 1er juillet 2025")."""
    return formats.date(value, context["site"].language, phrase)


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
            target, _, form = ref.target.partition(":")
            try:
                record, field = self.site.facts.resolve(target)
            except LookupError:
                return self._resolve(page, ref)
            if form not in ("", "value"):
                return self._fail(page, ref, f"unknown form ':{form}' in {{fact}}`{ref.target}`",
                                  f"write {{fact}}`{target}` (value and unit) or "
                                  f"{{fact}}`{target}:value` (the value alone)")
            bare = form == "value"
            if bare and not cite.has_bare_value(record, field):
                return self._fail(page, ref, f"{{fact}}`{ref.target}` has no value without "
                                  "a unit: its value is not a number and a one-word unit",
                                  f"write {{fact}}`{target}` and no unit after it")
            if not bare:
                self._check_unit(page, ref, record, field)
            after = refs[i + 1] if i + 1 < len(refs) else None
            defer = (after is not None and after.kind == "source" and after.prev == i
                     and notes.contains(record, field, after.target)
                     and not notes.contested(record, field))
            carry = {} if defer else None
            html = notes.fact(record, field, carry, bare)
            state[i] = ("fact", record, field, carry.get("marker") if carry else None)
            return str(html)
        return self._resolve(page, ref)

    def free_text(self, record, name: str, notes) -> Markup:
        """A record's free text (``summary``, ``details``, ``note``) as HTML, its
        ``{fact}`…``` references shown like the Markdown's (errors are reported at load)."""
        def fact(target: str) -> Markup:
            ref, _, form = target.partition(":")
            try:
                found, field = self.site.facts.resolve(ref)
            except LookupError:
                return Markup('<span class="broken-ref">[?]</span>')
            return notes.fact(found, field, bare=form == "value")

        return freetext.render(record.get(name) or "", fact)

    def _check_unit(self, page, ref, record, field: str) -> None:
        """Warn when the text right after a fact types the unit the fact already printed."""
        following = UNIT_AFTER.match(ref.after)
        if not following:
            return
        word = following.group(1)
        unit = next((u for u in cite.unit_words(record, field)
                     if u.rstrip(".") == word.rstrip(".")), None)
        if unit is not None:
            word = word if unit.endswith(".") else word.rstrip(".")  # "MW." ends a sentence
            self.report.warn(page.source, ref.line, ref.col,
                             f"'{word}' after {{fact}}`{ref.target}` repeats the unit the fact "
                             "already prints", f"delete the '{word}' typed after it, or write "
                             f"{{fact}}`{ref.target}:value` for the value alone")

    def _resolve(self, page, ref) -> str:
        """Return the HTML of one reference, or record an error and show a marker."""
        sources = self.site.facts["sources"]
        if ref.kind == "fact":
            try:
                record, field = self.site.facts.resolve(ref.target.partition(":")[0])
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
                return self._fail(page, ref, f"unknown page '{ref.target}'"
                                  + links.suggest(key, list(self.by_key)),
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
        except RefusedTemplate as exc:
            self.report.error(*exc.problem)  # the template walk reports it too: shown once
            return None
        except jinja2.TemplateNotFound as exc:
            if not os.path.isdir(self.env.loader.folder):
                return None  # no templates folder at all: reported once, by the load
            where = self._template_pos(page)
            known = [n for n in self.env.list_templates() if pages.narrative_template(n)]
            self.report.error(page.source or "templates", *where,
                              f"template '{exc.name}' not found in templates/"
                              + links.suggest(exc.name, known),
                              "create it or fix 'template:' in the front matter")
            return None
        except jinja2.TemplateSyntaxError as exc:
            self._template_failed(page, exc)
            return None
        self.notes = notes = self.new_notes(page)
        content = LazyBody(lambda: self.body(page))
        context = dict(site=self.site.settings, facts=self.site.facts, pages=self.site.pages,
                       page=page, root=page.root, content=content,
                       url=lambda target: self.url(page, target),
                       asset=lambda path: page.root + path,
                       fact=notes.fact, cites=notes.cites, record_note=notes.record,
                       text=lambda rec, name: self.free_text(rec, name, notes),
                       notes=notes, plain=cite.plain, **extra)
        try:
            text = template.render(context)
        except Exception as exc:  # noqa: BLE001 - any template failure is the editor's to fix
            self._template_failed(page, exc)
            return None
        self._check_heading_ids(page, text, str(content))
        # French spacing and quotes, once, on the whole page: prose, fact text and templates.
        return typography.html(text, self.site.settings.language)

    def _template_failed(self, page, exc: Exception) -> None:
        """Report an error raised while compiling or running templates where it happened.

        Jinja rewrites tracebacks so that a template's frames carry its file name and line:
        the innermost such frame is the line that failed (base.html:12, not page.html:26).
        """
        if isinstance(exc, RefusedTemplate):
            self.report.error(*exc.problem)
            return
        loader = self.env.loader
        shown, line = None, 1
        if isinstance(exc, jinja2.TemplateSyntaxError):
            shown, line = loader.show(exc.filename), exc.lineno or 1
        else:
            tb = exc.__traceback__
            while tb is not None:
                where = loader.show(tb.tb_frame.f_code.co_filename)
                if where is not None:
                    shown, line = where, tb.tb_lineno
                tb = tb.tb_next
        shown = shown or f"{loader.shown}/{page.template}"
        hint = f"raised while rendering {page.dest}"
        if isinstance(exc, jinja2.TemplateSyntaxError):
            message = f"template syntax error: {exc.message}"
            hint = ""
        elif isinstance(exc, jinja2.TemplateNotFound):
            known = self.env.list_templates()
            message = (f"template '{exc.name}' not found in templates/"
                       + links.suggest(exc.name, known))
        elif isinstance(exc, RecursionError):
            message = "an include or a macro calls itself without end"
            hint = "stop the recursion with an {% if %}; " + hint
        elif isinstance(exc, jinja2.UndefinedError):
            message = f"undefined value: {exc.message}"
        else:
            message = f"{type(exc).__name__}: {exc}"
        self.report.error(shown, line, 1, message, hint)

    def _check_heading_ids(self, page, text: str, content: str) -> None:
        """Report a heading whose id the page already uses (the template's ``main``, …).

        The template's ids are read from the rendered page, not listed here: whatever the
        templates hold, two elements with one id break links and assistive technology.
        """
        if page.doc is None or not page.doc.headings:
            return
        on_page = collections.Counter(links.ID_RE.findall(text))
        in_body = collections.Counter(links.ID_RE.findall(content))
        positions = getattr(page.doc, "heading_pos", None) or {}
        for _, anchor, _ in page.doc.headings:
            if on_page[anchor] <= in_body[anchor]:
                continue
            line, col, explicit = positions.get(anchor, (page.doc.body_line, 1, False))
            around = sorted(set(on_page) - set(in_body))
            made = "" if explicit else " (made from its text)"
            self.report.error(page.source, line, col,
                              f"the heading id '{anchor}'{made} is already used on the page "
                              f"by {self._template_with_id(page, anchor)}",
                              "give the heading another id with {#…}; the template uses "
                              + ", ".join(around))

    def _template_with_id(self, page, anchor: str) -> str:
        """Name the template file that writes ``id="anchor"`` (for the message only)."""
        for name in sorted(self.env.list_templates()):
            try:
                source = self.env.loader.get_source(self.env, name)[0]
            except jinja2.TemplateNotFound:
                continue
            if f'id="{anchor}"' in source:
                return f"{self.env.loader.shown}/{name}"
        return f"the page's template ({page.template})"

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
            known = ids.get(dest, ())
            if anchor not in known:
                self.report.error(page.source, ref.line, ref.col,
                                  f"link to a missing anchor '#{anchor}' in {dest}"
                                  + links.suggest(anchor, sorted(known), "#"),
                                  "check the heading's id; anchors are lower-case slugs")

    @staticmethod
    def _template_pos(page) -> tuple[int, int]:
        positions = getattr(page.doc, "meta_pos", None) or {}
        return positions.get("template", (1, 1))


_TAG, _SPACE = re.compile(r"<[^>]+>"), re.compile(r"\s+")


def text_of(html: str) -> str:
    """Strip tags from HTML to get searchable plain text (runs once per rendered page)."""
    return _SPACE.sub(" ", html_lib.unescape(_TAG.sub(" ", html))).strip()
