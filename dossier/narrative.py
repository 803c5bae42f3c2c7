"""Narrative pages: front matter plus Markdown, parsed once into a reusable ``Doc``.

The HTML of a ``Doc`` does not depend on facts or on other pages: every fact, source, page
reference and internal link is left as a numbered placeholder, resolved later by
``fill()``. So a parsed page can be cached by the hash of its text alone.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from . import typography, yamlpos
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
    text: str = ""  # for roles: the word just before ("selon", "par"…; "." at a sentence start)
    prev: int = -1  # for roles: the role right before this one (only spaces between), or -1
    after: str = ""  # for roles: the text right after, up to the next role (unit checks)


@dataclass
class Doc:
    """A parsed narrative page."""

    meta: dict
    html: str
    headings: list = field(default_factory=list)  # (level, id, text)
    refs: list = field(default_factory=list)
    body_line: int = 1
    meta_pos: dict = field(default_factory=dict)  # front-matter key → (line, col)
    heading_pos: dict = field(default_factory=dict)  # heading id → (line, col, explicit)


@functools.lru_cache(maxsize=8192)
def slugify(text: str) -> str:
    """Make a URL- and anchor-safe slug: accents folded, lower case, hyphens."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "section"


def _renderer() -> MarkdownIt:
    # The typographer makes quotes, apostrophes and dashes French; typography.html adds
    # the spaces it does not know (on the whole page, fact text included).
    md = MarkdownIt("commonmark", {"html": False, "typographer": True,
                                   "quotes": typography.QUOTES})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin).use(myst_role_plugin)
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
            report.error(shown, *meta.key_pos[key], f"unknown front-matter field '{key}'"
                         + _suggest(str(key), FRONT_MATTER),
                         "known fields: " + ", ".join(FRONT_MATTER))
            continue
        problem = _field_problem(key, value, kind)
        if problem:
            report.error(shown, *meta.where(key), f"front-matter field '{key}' {problem}",
                         FIELD_HINTS.get(key, ""))
        else:
            clean[key] = value.strip() if isinstance(value, str) else value
    for key in REQUIRED:
        if key not in meta:
            report.error(shown, 1, 1, f"the front matter has no '{key}'", f"add '{key}: …'")
    if "slug" in clean and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", clean["slug"]):
        report.error(shown, *meta.where("slug"), f"slug '{clean['slug']}' is not valid",
                     "use lower-case letters, digits and hyphens")
        del clean["slug"]
    return clean, body, body_line, {key: meta.where(key) for key in meta}


FIELD_HINTS = {
    "title": "write the title as text on one line: title: Le cloud souverain",
    "summary": "write one sentence of text: summary: …",
    "order": "write a whole number: order: 3",
    "updated": "write the date as YYYY-MM-DD, YYYY-MM or YYYY: updated: 2026-01-12",
    "slug": "write lower-case letters, digits and hyphens: slug: cloud-souverain",
    "template": "write a template's file name: template: page.html",
}
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _kind_of(value) -> str:
    """Name a YAML value's type the way an editor would."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def _field_problem(key: str, value, kind) -> str:
    """Say what is wrong with one front-matter value, or return ``""``."""
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            shown = (f"{value!r}" if isinstance(value, (float, str)) and value != ""
                     else _kind_of(value))
            return f"must be a whole number, not {shown}"
        return ""
    if value is None:
        return "must not be empty"
    if not isinstance(value, str):
        return f"must be text, not {_kind_of(value)}"
    if not value.strip():
        return "must not be empty"
    if key in ("title", "summary") and "\n" in value.strip():
        return "must be on one line"
    if key == "updated":
        return _date_problem(value.strip())
    return ""


def _date_problem(value: str) -> str:
    """Say why a front-matter date is not a real YYYY, YYYY-MM or YYYY-MM-DD date."""
    match = DATE.fullmatch(value)
    if not match or not value.isascii():
        return f"'{value}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        return f"'{value}' is not a date: there is no month {month}"
    if day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            return f"'{value}' is not a date: {calendar.month_name[month]} {year} has " \
                   f"{calendar.monthrange(year, month)[1]} days"
    return ""


def _suggest(word: str, known) -> str:
    """``"; did you mean 'x'?"`` with the closest known name, or ``""``."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def parse(text: str, shown: str, report: Report) -> Doc:
    """Parse a Markdown page with front matter into a ``Doc``."""
    meta, body, body_line, meta_pos = split_front_matter(text, shown, report)
    lines = body.split("\n")
    tokens = _MD.parse(body, {})
    refs, headings, ids = [], [], _Ids()
    heading_pos: dict = {}
    cursor: dict = {}  # body line → where the next search on it starts (two roles, one line)
    afters: dict = {}  # role index → the text that follows it
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            _anchor(token, inline, headings, ids)
            row = token.map[0] if token.map else 0
            explicit = HEADING_ID.search(lines[row]) if row < len(lines) else None
            col = lines[row].rindex("{#") + 1 if explicit else 1
            heading_pos.setdefault(headings[-1][1], (body_line + row, col, bool(explicit)))
        if token.type != "inline" or not token.children:
            continue
        line = body_line + (token.map[0] if token.map else 0)
        tail, last_role = "", -1  # text since the last role, so a citation knows its context
        for child in token.children:
            if child.type in ("text", "code_inline"):
                tail += child.content
                if last_role >= 0 and len(afters.get(last_role, "")) < 40:
                    afters[last_role] = afters.get(last_role, "") + child.content
            if child.type in ("softbreak", "hardbreak"):
                line += 1
                tail += " "
            elif child.type == "myst_role":
                name, target = child.meta.get("name", ""), child.content
                col = _column(lines, line - body_line, f"{{{name}}}`", cursor)
                if name not in ROLES:
                    report.error(shown, line, col, f"unknown role '{{{name}}}'",
                                 "use {fact}`collection.id`, {source}`id` or {page}`path`")
                child.meta["ref"] = len(refs)
                adjacent = last_role if last_role >= 0 and not tail.strip() else -1
                refs.append(Ref(name, target, line, col, _word_before(tail), adjacent))
                tail, last_role = "", len(refs) - 1
            elif child.type == "link_open":
                href = child.attrGet("href") or ""
                if _is_local(href):
                    col = _link_column(lines, line - body_line, href, cursor)
                    child.meta["ref"] = len(refs)
                    refs.append(Ref("link", href, line, col))
    refs = [dataclasses.replace(ref, after=afters[i]) if i in afters else ref
            for i, ref in enumerate(refs)]
    html = _MD.renderer.render(tokens, _MD.options, {})
    return Doc(meta, html, headings, refs, body_line, meta_pos, heading_pos)


class _Ids:
    """The heading ids of one page, and the next free number of each base (linear)."""

    def __init__(self):
        self.used: set = set()
        self.next: dict = {}

    def claim(self, base: str) -> str:
        """Return ``base`` or the first free ``base-N``, and mark it used.

        Numbers only grow (ids are never given back), so each base resumes where it left
        off: 20,000 identical headings cost 20,000 steps, not 200 million.
        """
        n = self.next.get(base, 1)
        anchor = base if n == 1 else f"{base}-{n}"
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self.used.add(anchor)
        self.next[base] = n + 1
        return anchor


def _anchor(token, inline, headings, ids: _Ids) -> None:
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
    anchor = ids.claim(base)
    token.attrSet("id", anchor)
    text = "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))
    headings.append((int(token.tag[1]), anchor, text.strip()))


def _word_before(text: str) -> str:
    """The last word of ``text``, lower-cased ("d'après" → "après"); "." at a sentence start."""
    text = text.rstrip()
    if not text or text[-1] in ".!?:;":
        return "."
    word = re.search(r"[\w-]*\W?$", text).group(0).lower()
    return re.split(r"['’]", word)[-1] or word


def _is_local(href: str) -> bool:
    """Tell whether a link points inside the dossier (not another site, not mail)."""
    return bool(href) and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", href)


def _column(lines: list[str], index: int, needle: str, cursor: dict) -> int:
    """Find the 1-based column of the next ``needle`` on a body line, or 1.

    ``cursor`` remembers where the last one was found, so that the second role of a line
    gets its own column rather than the first one's.
    """
    if 0 <= index < len(lines):
        found = lines[index].find(needle, cursor.get(index, 0))
        if found >= 0:
            cursor[index] = found + len(needle)
            return found + 1
    return 1


def _link_column(lines: list[str], index: int, href: str, cursor: dict) -> int:
    """The column of a link's target: as written, or as Markdown percent-encoded it."""
    start = cursor.get(index, 0)
    if 0 <= index < len(lines):
        for written in dict.fromkeys((href, unquote(href))):
            found = re.compile(r"\]\(\s*(<?)" + re.escape(written) + r"(?:>|(?=[\s)]))").search(
                lines[index], start)
            if found:
                cursor[index] = found.end()
                return found.start(1) + 1 + len(found.group(1))
    return 1


def fill(doc: Doc, resolve) -> str:
    """Replace each placeholder with ``resolve(ref)`` (which returns safe HTML)."""
    return PLACEHOLDER.sub(lambda m: resolve(doc.refs[int(m.group(1))]), doc.html)
