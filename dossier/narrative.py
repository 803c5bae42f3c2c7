"""Narrative pages: front matter plus Markdown, parsed once into a reusable ``Doc``.

The HTML of a ``Doc`` does not depend on facts or on other pages: every fact, source, page
reference and internal link is left as a numbered placeholder, resolved later by
``fill()``. So a parsed page can be cached by the hash of its text alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from . import yamlpos
from .errors import Report

ROLES = ("fact", "source", "page")
FRONT_MATTER = {
    "title": str, "summary": str, "order": int, "updated": str, "slug": str, "template": str,
}
REQUIRED = ("title", "summary")
PLACEHOLDER = re.compile("\x02(\\d+)\x03")
HEADING_ID = re.compile(r"\s*\{#([A-Za-z][\w-]*)\}\s*$")


@dataclass(frozen=True)
class Ref:
    """Something in the Markdown that the build resolves: a role or a local link."""

    kind: str  # "fact", "source", "page" or "link"
    target: str
    line: int
    col: int
    text: str = ""


@dataclass
class Doc:
    """A parsed narrative page."""

    meta: dict
    html: str
    headings: list = field(default_factory=list)  # (level, id, text)
    refs: list = field(default_factory=list)
    body_line: int = 1
    meta_pos: dict = field(default_factory=dict)  # front-matter key → (line, col)


def slugify(text: str) -> str:
    """Make a URL- and anchor-safe slug: accents folded, lower case, hyphens."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "section"


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"]).use(footnote_plugin).use(myst_role_plugin)
    md.add_render_rule("myst_role", _render_placeholder)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


def _render_table_open(self, tokens, idx, options, env):
    # A wide table scrolls inside its own focusable box instead of widening the page.
    return ('<div class="table-wrap" role="region" aria-label="Tableau" tabindex="0">'
            + self.renderToken(tokens, idx, options, env))


def _render_table_close(self, tokens, idx, options, env):
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _render_placeholder(self, tokens, idx, options, env):
    return f"\x02{tokens[idx].meta['ref']}\x03"


def _render_link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    if "ref" in token.meta:
        token.attrSet("href", f"\x02{token.meta['ref']}\x03")
    return self.renderToken(tokens, idx, options, env)


_MD = _renderer()


def split_front_matter(text: str, shown: str, report: Report) -> tuple[dict, str, int, dict]:
    """Return ``(meta, body, body_line, positions)``; record front-matter problems."""
    if not text.startswith("---\n"):
        report.error(shown, 1, 1, "the page has no front matter",
                     "start the file with '---', then 'title: …' and 'summary: …', then '---'")
        return {}, text, 1, {}
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.M)
    if not end:
        report.error(shown, 1, 1, "the front matter is not closed",
                     "add a line '---' after the last front-matter field")
        return {}, text, 1, {}
    yaml_text = text[4:4 + end.start()]
    body = text[4 + end.end():].removeprefix("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    try:
        meta, duplicates = yamlpos.load(yaml_text, line_offset=1)
    except yamlpos.YamlError as exc:
        report.error(shown, exc.line, exc.col, exc.message, "fix the front matter's YAML")
        return {}, body, body_line, {}
    for key, (line, col) in duplicates:
        report.error(shown, line, col, f"duplicate key '{key}'", "remove or rename one of them")
    if meta is None:
        meta = yamlpos.Mapping()
        meta.pos, meta.key_pos, meta.value_pos = (2, 1), {}, {}
    if not isinstance(meta, yamlpos.Mapping):
        line, col = getattr(meta, "pos", (2, 1))
        report.error(shown, line, col, "the front matter must be a mapping of field: value",
                     "write fields as 'title: …' on their own lines")
        return {}, body, body_line, {}
    clean = {}
    for key, value in meta.items():
        kind = FRONT_MATTER.get(key)
        if kind is None:
            report.error(shown, *meta.key_pos[key], f"unknown front-matter field '{key}'",
                         "known fields: " + ", ".join(FRONT_MATTER))
        elif not isinstance(value, kind) or isinstance(value, bool):
            report.error(shown, *meta.where(key), f"front-matter field '{key}' must be "
                         + ("a whole number" if kind is int else "text"),
                         "quote dates: updated: '2026-01-12'" if key == "updated" else "")
        else:
            clean[key] = value
    for key in REQUIRED:
        if key not in meta:
            report.error(shown, 1, 1, f"the front matter has no '{key}'", f"add '{key}: …'")
    if "slug" in clean and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", clean["slug"]):
        report.error(shown, *meta.where("slug"), f"slug '{clean['slug']}' is not valid",
                     "use lower-case letters, digits and hyphens")
        del clean["slug"]
    return clean, body, body_line, {key: meta.where(key) for key in meta}


def parse(text: str, shown: str, report: Report) -> Doc:
    """Parse a Markdown page with front matter into a ``Doc``."""
    meta, body, body_line, meta_pos = split_front_matter(text, shown, report)
    lines = body.split("\n")
    tokens = _MD.parse(body, {})
    refs, headings, used_ids = [], [], set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            _anchor(token, inline, headings, used_ids)
        if token.type != "inline" or not token.children:
            continue
        line = body_line + (token.map[0] if token.map else 0)
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "myst_role":
                name, target = child.meta.get("name", ""), child.content
                col = _column(lines, line - body_line, f"{{{name}}}`")
                if name not in ROLES:
                    report.error(shown, line, col, f"unknown role '{{{name}}}'",
                                 "use {fact}`collection.id`, {source}`id` or {page}`path`")
                child.meta["ref"] = len(refs)
                refs.append(Ref(name, target, line, col))
            elif child.type == "link_open":
                href = child.attrGet("href") or ""
                if _is_local(href):
                    col = _column(lines, line - body_line, f"]({href}")
                    child.meta["ref"] = len(refs)
                    refs.append(Ref("link", href, line, col + 2))
    html = _MD.renderer.render(tokens, _MD.options, {})
    return Doc(meta, html, headings, refs, body_line, meta_pos)


def _anchor(token, inline, headings, used_ids) -> None:
    """Give a heading a unique id: an explicit ``{#id}`` or a slug of its text."""
    explicit = HEADING_ID.search(inline.content)
    if explicit:
        inline.content = inline.content[: explicit.start()]
        last = inline.children[-1] if inline.children else None
        if last is not None and last.type == "text":
            last.content = HEADING_ID.sub("", last.content)
        base = explicit.group(1)
    else:
        base = slugify(inline.content)
    anchor, n = base, 1
    while anchor in used_ids:
        n += 1
        anchor = f"{base}-{n}"
    used_ids.add(anchor)
    token.attrSet("id", anchor)
    text = "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))
    headings.append((int(token.tag[1]), anchor, text.strip()))


def _is_local(href: str) -> bool:
    """Tell whether a link points inside the dossier (not another site, not mail)."""
    return bool(href) and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", href)


def _column(lines: list[str], index: int, needle: str) -> int:
    """Find the 1-based column of ``needle`` on a body line, or 1."""
    if 0 <= index < len(lines):
        found = lines[index].find(needle)
        if found >= 0:
            return found + 1
    return 1


def fill(doc: Doc, resolve) -> str:
    """Replace each placeholder with ``resolve(ref)`` (which returns safe HTML)."""
    return PLACEHOLDER.sub(lambda m: resolve(doc.refs[int(m.group(1))]), doc.html)
