"""Internal links: page-relative URLs, and checks that every target and anchor exists."""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import quote, unquote

from .validate import closest

ID_RE = re.compile(r'\sid="([^"]+)"')
# Characters left as they are in a URL path (RFC 3986 sub-delimiters); ":" is encoded, or a
# relative "a:b/index.html" would read as a URL of scheme "a".
URL_SAFE = "/@!$&'()*+,;="


@functools.lru_cache(maxsize=65536)
def relative(from_dest: str, to_dest: str) -> str:
    """Return the page-relative URL from one output file to another (both site-relative)."""
    # posixpath.relpath would call abspath (and getcwd) twice per link: too slow per page.
    here, there = from_dest.split("/")[:-1], to_dest.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    # A page file named "mon fichier.md" or "été.md": its URL is percent-encoded.
    return quote("../" * (len(here) - common) + "/".join(there[common:]), safe=URL_SAFE)


def suggest(word: str, known, prefix: str = "") -> str:
    """Return ``"; did you mean 'x'?"`` with the known name closest to ``word``, or ``""``."""
    match = closest(word, known)  # one rule everywhere: the facts' messages use it too
    return f"; did you mean '{prefix}{match}'?" if match else ""


def ids_in(html: str) -> set[str]:
    """Collect the element ids of a rendered page (the anchors a link may target)."""
    return set(ID_RE.findall(html))


def resolve(page, ref, by_key: dict, files: set) -> tuple[str | None, str, str, str]:
    """Resolve a Markdown link; return ``(url, target_dest, anchor, error)``.

    ``foo.md#x`` links resolve to that page's file; other relative paths must name a file of
    the built site (an asset). An empty path is the page itself.
    """
    # Markdown percent-encodes link targets ("<mon fichier.md>" → "mon%20fichier.md").
    raw, _, anchor = ref.target.partition("#")
    path, anchor = unquote(raw.split("?")[0]), unquote(anchor)
    hash_part = "#" + quote(anchor, safe="") if anchor else ""
    if not path:
        return (hash_part or "#"), page.dest, anchor, ""
    if path.endswith(".md"):
        base = posixpath.dirname(page.source.removeprefix("content/"))
        rel = posixpath.normpath(posixpath.join(base, path))
        target = by_key.get(rel[:-3])
        if target is None:
            known = [posixpath.relpath(p.source.removeprefix("content/"), base or ".")
                     for p in by_key.values() if p.doc is not None]
            return None, "", anchor, f"link to a missing page '{path}'" + suggest(path, known)
        return relative(page.dest, target.dest) + hash_part, target.dest, anchor, ""
    dest = posixpath.normpath(posixpath.join(posixpath.dirname(page.dest), path))
    if dest.startswith("../") or dest not in files:
        known = [relative(page.dest, f) for f in files if not f.endswith(".html")]
        return None, "", anchor, f"link to a missing file '{path}'" + suggest(
            quote(path, safe=URL_SAFE), known)
    return relative(page.dest, dest) + hash_part, dest, anchor, ""
