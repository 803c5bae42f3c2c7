"""Page work that can run on both cores: parsing and rendering, with what each page read.

A forked worker takes half of a large job; it inherits the site through fork, so only the
results cross between processes.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from dataclasses import dataclass, field

from . import forked, narrative, render, search
from .contexts import extra_context
from .errors import Report

CITE_RE = re.compile(r'href="[^"]*sources/index\.html#src-([a-z0-9-]+)"')


@dataclass
class Rendered:
    """One rendered page and what it depends on: kept between builds."""

    key: str  # hash of the page's own inputs (text, templates, navigation)
    deps: list  # (fact dependency, fingerprint) pairs the page read
    html: bytes | None  # UTF-8: half the memory of the str for French text
    ids: frozenset  # the page's element ids, which links may target
    anchors: list  # (Markdown link, target file, anchor) to check against the whole site
    cited: list  # source ids the page links to
    search: tuple | None  # (headings, plain text) for the search index
    problems: list = field(default_factory=list)

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "problems"}

    def __setstate__(self, state):
        self.__dict__.update(state, problems=state.get("problems", []))


PARALLEL_MIN = 200  # below this many pages, forking a worker costs more than it saves
_STATE: tuple = ()  # what a forked worker needs, set just before forking


def in_parallel(func, items: list, state: tuple) -> list:
    """Run ``func`` over ``items`` on two cores: a forked worker takes the second half.

    The worker inherits ``state`` through fork (nothing to pickle but the results); the
    parent renders the first half meanwhile. Small jobs, or systems without fork, run here.
    """
    global _STATE
    _STATE = state
    try:
        if len(items) < PARALLEL_MIN or (os.cpu_count() or 1) < 2 or not forked.available() \
                or _other_threads():
            return func(items)
        half = (len(items) + 1) // 2
        pending = forked.Call(func, (items[half:],))
        try:
            first = func(items[:half])
            return first + pending.get()
        finally:
            pending.cancel()  # Ctrl-C or an error here: the worker stops too, silently
    finally:
        _STATE = ()


def map_worker(site, todo: list):
    """Start rendering the map in a forked process that imports Folium, if it helps.

    Importing Folium takes about 0.3 s: in a worker it overlaps rendering the other pages.
    Nothing starts when no map page is to be rendered or Folium is already imported.
    """
    maps_todo = [page for page in todo if page.template == "map.html"]
    if not maps_todo or "folium" in sys.modules or (os.cpu_count() or 1) < 2 \
            or not forked.available():
        return None
    from . import maps

    worker = forked.Worker(maps.warm_up)
    for page in maps_todo:
        maps.prefetch(site, page, worker)
    return worker


def _other_threads() -> bool:
    """Tell whether threads besides the main one run.

    Forking while another thread holds a lock (the preview's server and watchers) would copy
    the held lock into the child, which could then wait on it forever: such builds stay here.
    """
    return any(thread is not threading.main_thread() for thread in threading.enumerate())


def parse_chunk(items: list) -> list:
    """Parse Markdown pages given as (shown path, text, key); return (Doc, problems) pairs."""
    parsed = []
    for shown, text, _ in items:
        report = Report()
        parsed.append((narrative.parse(text, shown, report), report.problems))
    return parsed


def render_chunk(keys: list) -> list:
    """Render the pages named by ``keys`` (in a worker or here); return ``Rendered`` items."""
    env, site, extra = _STATE
    return [render_one(env, site, site.pages[key], extra) for key in keys]


def render_one(env, site, page, extra: dict) -> Rendered:
    """Render one page, recording the facts it read so the cache knows when it is stale."""
    report = Report()
    renderer = render.PageRenderer(env, site, report)
    site.facts.reads = reads = set()
    if page.record is not None:
        reads.add((page.record.collection, page.record.id))
    try:
        text = renderer.render(page, **extra, **extra_context(site, page))
    finally:
        site.facts.reads = None
    anchors = [a[1:] for a in renderer.pending_anchors]
    cited = sorted(set(CITE_RE.findall(text)) | renderer.cited_sources()) \
        if text is not None else []
    deps = [(dep, site.facts.fingerprint(dep)) for dep in sorted(reads)]
    search_info = None
    if text is not None and page.key != "404":
        search_info = search.extract(text, page.title)
    data = text.encode("utf-8") if text is not None else None
    ids = frozenset(render.links.ids_in(text)) if text is not None else frozenset()
    return Rendered("", deps, data, ids, anchors, cited, search_info, report.problems)
