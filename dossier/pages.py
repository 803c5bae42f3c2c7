"""Assemble the site's pages: one per narrative file plus one per region from the facts.

A page has a key (how Markdown names it: ``chapitres/01-strategie``, ``regions/10``), a
destination file, a template, and its place in the navigation (parent, siblings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import Report
from .narrative import Doc, slugify

SIBLING_LIST_LIMIT = 30  # beyond this a section lists its pages on its own index page only
REGION_TEMPLATE = "region.html"  # the generated region pages' template: it needs a record
# A file or folder name of content/ that ends like a file of the built site ("robots.txt",
# "index.html"): its page would be a folder of that name, shadowing or clashing with a file.
FILE_LIKE = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")


def narrative_template(name: str) -> bool:
    """Tell whether a narrative page may use a template (not a generated page's, no partial)."""
    base = name.rpartition("/")[2]
    return name.endswith(".html") and name != REGION_TEMPLATE and not base.startswith("_")


@dataclass
class Page:
    """One output page and everything the templates need to place it."""

    key: str
    dest: str
    template: str
    title: str
    summary: str = ""
    order: int = 1000
    source: str | None = None
    doc: Doc | None = None
    record: object = None
    updated: str = ""
    parent: Page | None = None
    children: list = field(default_factory=list)
    prev: Page | None = None
    next: Page | None = None

    @property
    def depth(self) -> int:
        """How many folders deep the page's file is."""
        return self.dest.count("/")

    @property
    def root(self) -> str:
        """The relative path from this page to the site root (``""`` at the root)."""
        return "../" * self.depth

    def ancestors(self) -> list[Page]:
        """The pages above this one, home first."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def siblings(self) -> list[Page]:
        """The pages beside this one, when few enough to list on every page."""
        if self.parent is None or self.parent.key == "index":
            return []
        pages = self.parent.children
        return pages if len(pages) <= SIBLING_LIST_LIMIT else []


def page_key(rel: str) -> str:
    """Return the key of a content file (``chapitres/01-x.md`` → ``chapitres/01-x``)."""
    return rel[:-3] if rel.endswith(".md") else rel


def destination(rel: str, slug: str | None) -> str:
    """Return where a content file is written: pretty folders with an explicit index.html."""
    key = page_key(rel)
    if key in ("index", "404"):
        return f"{key}.html"
    folder, _, name = key.rpartition("/")
    if name == "index":
        return f"{folder}/index.html"
    name = slug or re.sub(r"^\d+[-_]", "", name)
    return f"{folder + '/' if folder else ''}{name}/index.html"


def assemble(docs: dict, facts, report: Report) -> dict[str, Page]:
    """Build every page from the parsed docs and the facts; detect collisions."""
    pages: dict[str, Page] = {}
    regions = [Page(key=f"regions/{record.id}",
                    dest=f"regions/{slugify(record.get('name_fr', record.id))}/index.html",
                    template=REGION_TEMPLATE, title=record.get("name_fr", record.id),
                    summary=f"La région {record.get('name_fr')} dans la stratégie IA.",
                    order=int(record.id), source=record.path, record=record)
               for record in facts.records("regions")]
    # Region pages are checked first so that a clash is reported at the narrative page.
    by_dest: dict[str, Page] = {page.dest: page for page in reversed(regions)}

    for rel, doc in docs.items():
        meta = doc.meta
        page = Page(key=page_key(rel), dest=destination(rel, meta.get("slug")),
                    template=meta.get("template", "page.html"), title=meta.get("title", rel),
                    summary=meta.get("summary", ""), order=meta.get("order", 1000),
                    source=f"content/{rel}", doc=doc, updated=meta.get("updated", ""))
        if _narrative_ok(page, rel, report):
            other = by_dest.setdefault(page.dest, page)
            if other is page:
                pages[page.key] = page
            else:
                report.error(page.source, *_slug_pos(page), f"two pages write {page.dest}: "
                             f"this one and {describe(other)}",
                             "give one of them another 'slug:' or rename the file")
    for page in regions:
        other = by_dest[page.dest]
        if other is page and page.key in pages:  # content/regions/10.md: the same key
            taken = pages.pop(page.key)
            report.error(taken.source, 1, 1, f"the page key '{page.key}' is the name of "
                         f"{describe(page)}", "rename the file: {page}`" + page.key
                         + "` must name one page")
            pages[page.key] = page
        elif other is page:
            pages[page.key] = page
        elif other.record is not None:
            report.error(page.source, page.record.line, page.record.col,
                         f"two pages write {page.dest}: this one and {describe(other)}",
                         "give the regions different names")
    _link_tree(pages)
    return pages


def describe(page: Page) -> str:
    """Name a page for an error message: its file, or the record it is made from."""
    if page.record is not None:
        return (f"the region page of '{page.record.id}' ({page.record.path}:"
                f"{page.record.line})")
    return page.source or page.key


def _slug_pos(page: Page) -> tuple[int, int]:
    """Where a page's output name comes from: its 'slug:' if it has one, else the file."""
    positions = getattr(page.doc, "meta_pos", None) or {}
    return positions.get("slug", (1, 1))


def _narrative_ok(page: Page, rel: str, report: Report) -> bool:
    """Check a narrative page's file name and template; report what is wrong."""
    parts = page.dest.split("/")[:-1]
    for name in parts:
        if FILE_LIKE.search(name):
            report.error(page.source, *_slug_pos(page),
                         f"the page would be written as a folder '{name}/' (the name of a "
                         f"file of the built site): {page.dest}",
                         "rename the file or folder without the inner extension (e.g. "
                         f"'{FILE_LIKE.sub('', name)}') or set a 'slug:'")
            return False
    if not narrative_template(page.template):
        positions = getattr(page.doc, "meta_pos", None) or {}
        reason = ("is for the generated region pages" if page.template == REGION_TEMPLATE
                  else "is a part of other templates, not a page's template"
                  if page.template.endswith(".html") else "is not an .html template")
        report.error(page.source, *positions.get("template", (1, 1)),
                     f"template '{page.template}' {reason}",
                     "use page.html, or a data page's template (see docs/content-model.md)")
        return False
    return True


def check_outputs(pages: dict, files: dict, report: Report) -> None:
    """Report output paths that clash: one path twice, a file where a folder is needed, or
    two paths that differ only by case (a zip opened on macOS or Windows merges them).

    ``files`` maps every other output path (assets, generated files) to what makes it.
    """
    origin: dict[str, object] = dict(files)
    for page in pages.values():
        other = origin.setdefault(page.dest, page)
        if other is not page:
            _clash(report, page, other, f"{_label(page)} writes {page.dest}, which is also "
                   f"{_label(other)}")
    folders: dict[str, str] = {}  # folder → a path inside it
    for path in sorted(origin):
        parts = path.split("/")
        for n in range(1, len(parts)):
            folders.setdefault("/".join(parts[:n]), path)
    for path, made_by in origin.items():
        inside = folders.get(path)
        if inside is not None:
            _clash(report, origin[inside], made_by,
                   f"{_label(origin[inside])} writes {inside}, but {path} is a file "
                   f"({_label(made_by)})")
    spelled: dict[str, str] = {}
    for path in sorted(set(origin) | set(folders)):
        other = spelled.setdefault(path.casefold(), path)
        parent = path.rpartition("/")[0]
        if other != path and spelled.get(parent.casefold(), parent) == parent:
            mine = origin.get(path) or origin[folders[path]]
            theirs = origin.get(other) or origin[folders[other]]
            _clash(report, mine, theirs, f"the output paths '{path}' ({_label(mine)}) and "
                   f"'{other}' ({_label(theirs, mine)}) differ only by case")


def _label(made_by, reported=None) -> str:
    """Name what makes an output file ("this page" when the error is at that page)."""
    if isinstance(made_by, Page):
        mine = made_by.doc is not None and (reported is None or reported.doc is None)
        return "this page" if mine else describe(made_by)
    return str(made_by)


def _clash(report: Report, first, second, message: str) -> None:
    """Report a clash at the narrative page involved (else at the first one's source)."""
    page = next((p for p in (first, second) if isinstance(p, Page) and p.doc is not None),
                None)
    if page is not None:
        report.error(page.source, *_slug_pos(page), message,
                     "rename the page's file or give it another 'slug:'")
    elif isinstance(first, Page):
        report.error(first.source, first.record.line if first.record else 1, 1, message,
                     "rename one of them")
    else:
        report.error(str(first), 1, 1, message, "rename one of them")


def _link_tree(pages: dict[str, Page]) -> None:
    """Set each page's parent, children and previous/next, sorted by order then title."""
    home = pages.get("index")
    for page in pages.values():
        if page is home or page.key == "404":
            continue
        folder = page.key.rpartition("/")[0]
        if page.key.endswith("/index"):
            folder = folder.rpartition("/")[0]
        parent = None
        while folder and parent is None:
            parent = pages.get(folder) or pages.get(f"{folder}/index")
            folder = folder.rpartition("/")[0]
        page.parent = parent or home
        if page.parent is not None:
            page.parent.children.append(page)
    for page in pages.values():
        page.children.sort(key=lambda p: (p.order, p.title, p.key))
        for before, after in zip(page.children, page.children[1:]):
            before.next, after.prev = after, before
