"""Internal links: page-relative URLs, and checks that every target and anchor exists."""

from __future__ import annotations

import functools
import posixpath
import re

ID_RE = re.compile(r'\sid="([^"]+)"')


@functools.lru_cache(maxsize=65536)
def relative(from_dest: str, to_dest: str) -> str:
    """Return the page-relative URL from one output file to another (both site-relative)."""
    # posixpath.relpath would call abspath (and getcwd) twice per link: too slow per page.
    here, there = from_dest.split("/")[:-1], to_dest.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


def ids_in(html: str) -> set[str]:
    """Collect the element ids of a rendered page (the anchors a link may target)."""
    return set(ID_RE.findall(html))


def resolve(page, ref, by_key: dict, files: set) -> tuple[str | None, str, str, str]:
    """Resolve a Markdown link; return ``(url, target_dest, anchor, error)``.

    ``foo.md#x`` links resolve to that page's file; other relative paths must name a file of
    the built site (an asset). An empty path is the page itself.
    """
    path, _, anchor = ref.target.partition("#")
    path = path.split("?")[0]
    if not path:
        return ("#" + anchor if anchor else "#"), page.dest, anchor, ""
    if path.endswith(".md"):
        base = posixpath.dirname(page.source.removeprefix("content/"))
        rel = posixpath.normpath(posixpath.join(base, path))
        target = by_key.get(rel[:-3])
        if target is None:
            return None, "", anchor, f"link to a missing page '{path}'"
        url = relative(page.dest, target.dest)
        return url + ("#" + anchor if anchor else ""), target.dest, anchor, ""
    dest = posixpath.normpath(posixpath.join(posixpath.dirname(page.dest), path))
    if dest.startswith("../") or dest not in files:
        return None, "", anchor, f"link to a missing file '{path}'"
    return ref.target, dest, anchor, ""
