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
    by_dest: dict[str, Page] = {}

    def add(page: Page, line: int = 1) -> None:
        other = by_dest.get(page.dest)
        if other is not None:
            report.error(page.source or "content/facts/regions.yaml", line, 1,
                         f"two pages write {page.dest}: this one and "
                         f"{other.source or other.key}", "give one of them another 'slug:'")
            return
        by_dest[page.dest] = page
        pages[page.key] = page

    for rel, doc in docs.items():
        meta = doc.meta
        add(Page(key=page_key(rel), dest=destination(rel, meta.get("slug")),
                 template=meta.get("template", "page.html"), title=meta.get("title", rel),
                 summary=meta.get("summary", ""), order=meta.get("order", 1000),
                 source=f"content/{rel}", doc=doc, updated=meta.get("updated", "")))
    for record in facts.records("regions"):
        add(Page(key=f"regions/{record.id}",
                 dest=f"regions/{slugify(record.get('name_fr', record.id))}/index.html",
                 template="region.html", title=record.get("name_fr", record.id),
                 summary=f"La région {record.get('name_fr')} dans la stratégie IA.",
                 order=int(record.id), source=record.path, record=record), record.line)
    _link_tree(pages)
    return pages


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
