"""Search index for the static site, readable from ``file://`` as a classic script.

The build extracts each page's prose and headings (:func:`extract`) and writes them, with the
page's url, title and section, to ``search-index.js``. The browser indexes them with
MiniSearch (``assets/vendor/minisearch``), folding and stemming words with the rules of
``assets/js/search.js``: the build does no tokenising, so the two can never disagree.
``docs/search.md`` says why (a query set and index sizes compared with lunr and our
former engine).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

# Global the client reads; a classic script is the only loader that works from file://
# (fetch/XHR are blocked there), so the index is JavaScript that assigns this name.
GLOBAL_NAME = "DOSSIER_SEARCH"
# Bumped whenever the layout of the index changes, so a stale client can tell.
# 2: docs are [url, title, section, [[heading id, heading], ...], text]; no terms.
FORMAT_VERSION = 2
FIELDS = ("url", "title", "section", "headings", "text")

# Elements whose text is not prose: navigation, controls, what is never shown, and table
# column labels (repeated between rows of excerpts, "Secteur Cité par Réforme…").
_SKIP_TAGS = frozenset({
    "nav", "script", "style", "template", "noscript", "button", "select", "textarea",
    "svg", "math", "iframe", "object", "canvas", "form", "dialog", "thead",
})  # fmt: skip
# Classes of lists and marks that repeat other pages' names or say how sure a figure is:
# indexed as prose they made the sources page rank first for every page title, and they
# left "[LeBrief; iAfrica] confiance élevée" in excerpts. Templates can opt any element
# out with data-search="skip".
_SKIP_CLASSES = frozenset({
    "toc", "breadcrumbs", "cited-by", "cites", "confidence", "badge", "pager",
    "section-pages", "site-nav", "skip-link", "visually-hidden", "footnote-ref",
    "footnote-backref", "footnotes", "note-ref", "note-popover", "notes",
})  # fmt: skip
# DPUB-ARIA roles for note calls and note lists: their text is a number or a repeat.
_SKIP_ROLES = frozenset({"doc-noteref", "doc-backlink", "doc-endnotes", "navigation"})
# Inside the page header, the date line is boilerplate ("Mis à jour le …").
_SKIP_IN_HEADER = frozenset({"meta"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that run inside a line: no space is added at their edges, so that
# "<a>Root</a>, suite" stays "Root, suite" (a block boundary does get a space).
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})  # fmt: skip
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip


class _Extractor(HTMLParser):
    """Collect a page's prose and its headings from the HTML of its ``<main>``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) of each open element
        self.skipping = 0  # open elements that are skipped (with their subtree)
        self.header = 0  # open <header> elements
        self.text: list[str] = []
        self.heading: list[str] | None = None  # the open heading's text, while in one
        self.heading_id = ""
        self.headings: list[tuple[str, str]] = []

    def _skips(self, tag: str, attrs: dict) -> bool:
        """Whether an element and everything inside it stay out of the index."""
        classes = set((attrs.get("class") or "").split())
        return (tag in _SKIP_TAGS or bool(classes & _SKIP_CLASSES)
                or attrs.get("role") in _SKIP_ROLES or attrs.get("data-search") == "skip"
                or "hidden" in attrs or attrs.get("aria-hidden") == "true"
                or (self.header > 0 and bool(classes & _SKIP_IN_HEADER)))

    def handle_starttag(self, tag, attrs):
        """Open an element: note whether it is skipped, a heading or a block."""
        attrs = dict(attrs)
        if tag in _VOID:
            if tag == "br" and not self.skipping:
                self._out(" ")
            return
        skipped = self.skipping > 0 or self._skips(tag, attrs)
        self.stack.append((tag, skipped))
        if skipped:
            self.skipping += 1
            return
        if tag == "header":
            self.header += 1
        if tag in _HEADINGS and self.heading is None:
            self.heading, self.heading_id = [], attrs.get("id") or ""
        elif tag not in _INLINE:
            self._out(" ")

    def handle_endtag(self, tag):
        """Close the innermost open element of that name (HTML lets some end tags go)."""
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                break
        else:
            return
        for name, skipped in reversed(self.stack[depth:]):
            self._close(name, skipped)
        del self.stack[depth:]

    def _close(self, tag: str, skipped: bool) -> None:
        """Finish one element: a heading is stored, a block ends with a space."""
        if skipped:
            self.skipping -= 1
            return
        if tag == "header":
            self.header -= 1
        if tag in _HEADINGS and self.heading is not None:
            self.headings.append((self.heading_id, _prose("".join(self.heading))))
            self.heading = None
        elif tag not in _INLINE:
            self._out(" ")

    def handle_data(self, data):
        """Keep text that is not inside a skipped element."""
        if not self.skipping:
            self._out(data)

    def _out(self, data: str) -> None:
        """Send text to the open heading, or to the prose."""
        (self.heading if self.heading is not None else self.text).append(data)


def extract(html: str, title: str = "") -> tuple[tuple[tuple[str, str], ...], str]:
    """Return a page's headings ((id, text) pairs) and prose, from its rendered HTML.

    Only ``<main>`` counts when there is one. The heading that repeats ``title`` is left
    out (the title is indexed on its own); a heading that adds to it is kept (the region
    pages' ``<h1>`` carries the Arabic name).
    """
    start, end = html.find("<main"), html.rfind("</main>")
    if start >= 0 and end > start:
        html = html[start:end]
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    wanted = _plain(title)
    headings = tuple((hid, text) for hid, text in parser.headings if text and text != wanted)
    return headings, _prose("".join(parser.text))


# Only ASCII whitespace is collapsed: the no-break spaces of French typography (before
# "; : ! ?", inside « », in "2 000") must survive into excerpts, or lines break there.
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_BESIDE_NBSP = re.compile(r" ?([\u00a0\u202f]) ?")
# Where a removed element (a citation list, a badge) leaves a space before a full stop or
# comma, or inside brackets: "2026 ." reads as a leftover.
_BEFORE_PUNCT = re.compile(r" +(?=[.,)\]…])")
_AFTER_OPEN = re.compile(r"(?<=[(\[]) +")


def _plain(text) -> str:
    """Collapse runs of whitespace, which excerpts do not need and which cost bytes."""
    return _BESIDE_NBSP.sub(r"\1", _SPACE.sub(" ", str(text or ""))).strip(" \u00a0\u202f")


def _prose(text: str) -> str:
    """Plain text with the gaps that removed elements leave before punctuation closed."""
    return _AFTER_OPEN.sub("", _BEFORE_PUNCT.sub("", _plain(text)))


def _json(value) -> str:
    """Compact JSON, safe inside a script element."""
    data = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    # "<" only occurs inside JSON strings, where \u003c means the same: no "</script>" or
    # "<!--" can end or confuse an inline <script>. U+2028/2029 were not valid in JS string
    # literals before ES2019, so they are escaped for old engines too.
    return data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _doc_key(doc: dict) -> tuple:
    """What a doc's JSON depends on, to tell whether it must be encoded again."""
    headings = tuple(tuple(h) for h in doc.get("headings") or ())
    return (str(doc["url"]), doc.get("title"), doc.get("section"), headings, doc.get("text"))


class Index:
    """The search index, kept between builds: a changed page re-encodes only its own entry.

    The state is each page's JSON, as UTF-8 bytes (as text, French and Arabic would take two
    bytes a character), so it is small and quick to store in the build cache.
    """

    def __init__(self):
        self._keys: dict = {}  # url → the _doc_key its JSON was made from
        self._json: dict = {}  # url → its JSON array, UTF-8

    def update(self, docs: list[dict]) -> str:
        """Return ``search-index.js`` for ``docs``, as text (see :meth:`update_bytes`)."""
        return self.update_bytes(docs).decode("utf-8")

    def update_bytes(self, docs: list[dict]) -> bytes:
        """Return ``search-index.js`` (UTF-8) for ``docs``, in their order.

        Each doc is a dict with ``url``, ``title``, ``section``, ``headings`` ((id, text)
        pairs, optional) and ``text``.
        """
        keys, parts = {}, []
        for doc in docs:
            key = _doc_key(doc)
            url = key[0]
            if self._keys.get(url) != key:
                headings = [[str(hid), _plain(text)] for hid, text in key[3]]
                entry = [url, _plain(key[1]), _plain(key[2]), headings, _plain(key[4])]
                self._json[url] = _json(entry).encode()
            keys[url] = key
            parts.append(self._json[url])
        self._json = {url: self._json[url] for url in keys}  # pages that went are forgotten
        self._keys = keys
        return b"".join([f'window.{GLOBAL_NAME}={{"v":{FORMAT_VERSION},"docs":['.encode(),
                         b",".join(parts), b"]};\n"])


def build_index(docs: list[dict]) -> str:
    """Return the source of ``search-index.js`` for pages given as dicts (see Index)."""
    return Index().update(docs)


def parse_index(js: str) -> dict:
    """Read back the payload of a ``search-index.js`` made by :func:`build_index`."""
    prefix = f"window.{GLOBAL_NAME}="
    if not js.startswith(prefix):
        raise ValueError("not a search index made by build_index")
    return json.loads(js[len(prefix) :].rstrip().rstrip(";"))


def index_docs(js: str) -> list[dict]:
    """The docs of a ``search-index.js``, as dicts named after :data:`FIELDS`."""
    return [dict(zip(FIELDS, entry, strict=True)) for entry in parse_index(js)["docs"]]


def index_stats(docs: list[dict], js: str) -> dict:
    """Measure the index against the text it covers, for the build's report."""
    index_bytes = len(js.encode("utf-8"))
    text_bytes = sum(len(str(d.get("text") or "").encode("utf-8")) for d in docs)
    return {
        "docs": len(docs),
        "index_bytes": index_bytes,
        "text_bytes": text_bytes,
        # Close to 1: the index is the pages' text, plus titles and headings.
        "ratio": round(index_bytes / text_bytes, 3) if text_bytes else 0.0,
    }
