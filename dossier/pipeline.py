"""The build, top to bottom: load → validate → assemble → render → write.

``Builder`` keeps what it learnt between builds (parsed pages, rendered pages and what each
one read), so a rebuild renders only the pages whose inputs changed. ``build()`` is a
one-shot build. Nothing is written when a build has errors.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, config, contexts, output, render, scan, search, workers
from . import facts as facts_mod
from . import pages as pages_mod
from .errors import BuildFailed, Report
from .fingerprints import cited_hash, hash_parts, routes_hash, tree_hash

GENERATED_LAST = ("sources.html",)
SEARCH_INDEX = "search-index.js"
DATA_DIR = Path(__file__).parent / "data"  # the region boundaries: an input of the maps


@dataclass
class Site:
    """Everything loaded from a dossier's sources."""

    settings: config.Settings
    facts: facts_mod.Facts
    docs: dict
    doc_hashes: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    asset_files: dict = field(default_factory=dict)  # output path → source file
    search: dict = field(default_factory=dict)  # page key → (plain text, word counts)
    _files: frozenset | None = None

    def output_files(self) -> frozenset:
        """Every file the site will have (pages and assets), for checking local links."""
        if self._files is None:  # once per build: a page renderer must not rebuild it
            self._files = frozenset(p.dest for p in self.pages.values()) | set(self.asset_files)
        return self._files


@dataclass
class Result:
    """What a build produced."""

    files: dict  # output path → bytes
    copies: dict  # output path → source file to copy
    report: Report
    site: Site | None = None
    timings: list = field(default_factory=list)
    rendered: list = field(default_factory=list)  # page keys rendered (not from the cache)


class Timer:
    """Records how long each named step takes."""

    def __init__(self):
        self.steps, self._last = [], time.perf_counter()

    def step(self, name: str) -> None:
        """Close the current step under ``name``."""
        now = time.perf_counter()
        self.steps.append((name, now - self._last))
        self._last = now


class Builder:
    """Builds one dossier, reusing earlier work when its inputs have not changed."""

    def __init__(self, root: Path, *, strict: bool = False, out: Path | None = None,
                 cache_dir: Path | None = None, warm_map: bool = False):
        self.root, self.strict, self.out = Path(root).resolve(), strict, out
        self.warm_map = warm_map  # one-shot builds: import Folium on the other core meanwhile
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.docs: dict = {}  # text hash → (Doc, problems)
        self.pages: dict = {}  # page key → Rendered
        self._env, self._env_key = None, ""
        self._stamps: dict = {}  # (path, mtime, size, ctime, inode) → text hash, if parsed
        self._index: search.Index | None = None  # the search index's parts (lazy)
        self._index_key, self._index_bytes = "", None
        self._dirty = True  # whether the cache on disk is older than what is in memory
        self._manifest, self._out = None, None  # what the last write put where
        self._load_cache()

    # -- load -------------------------------------------------------------------------
    def load(self, settings: config.Settings, report: Report) -> Site:
        """Read facts, narrative and assets."""
        root, content = settings.root, settings.path("content")
        if not content.is_dir():
            report.error(settings.content, 1, 1, "the content folder does not exist",
                         "create it or set [tool.dossier] content in pyproject.toml")
        facts = facts_mod.load(content / "facts", root, report)
        site = Site(settings, facts, {})
        texts, seen, found_pages = {}, {}, 0
        # File times tick coarsely (a few ms): a file changed that recently may change again
        # within the same tick, so only older files are trusted by their stamp (as git does).
        settled = time.time_ns() - 50_000_000
        for rel in scan.walk(content, report, root) if content.is_dir() else []:
            if rel.startswith("facts/") or not rel.endswith(".md"):
                continue
            found_pages += 1
            shown = f"{settings.content}/{rel}"
            path = os.path.join(content, rel)
            # A file whose stamp is unchanged is not read again: at 1,000 pages, reading and
            # hashing them all would cost the preview ~40 ms a save. Size and mtime alone can
            # be restored (cp -p, rsync -a, tar); the change time and inode cannot.
            stat = os.stat(path)
            stamp = (shown, stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino)
            key = self._stamps.get(stamp)
            if key in self.docs:  # parsed before, from these very bytes
                texts[rel] = (shown, None, key)
            else:
                text = scan.read_text(path, shown, report)
                if text is None:
                    continue
                key = hash_parts(shown, text)
                texts[rel] = (shown, text, key)
            if max(stat.st_mtime_ns, stat.st_ctime_ns) < settled:
                seen[stamp] = key
        if seen != self._stamps:
            self._stamps, self._dirty = seen, True
        new = [(shown, text, key) for shown, text, key in texts.values() if key not in self.docs]
        parsed_docs = workers.in_parallel(workers.parse_chunk, new, ())
        for key, parsed in zip([n[2] for n in new], parsed_docs):
            self.docs[key] = parsed
            self._dirty = True
        for rel, (_, _, key) in texts.items():
            doc, problems = self.docs[key]
            report.problems.extend(problems)
            site.docs[rel], site.doc_hashes[rel] = doc, key
        if content.is_dir() and not found_pages:
            report.error(settings.content, 1, 1, "the content folder has no pages",
                         f"add {settings.content}/index.md (see docs/content-model.md)")
        assets = settings.path("assets")
        asset_rels = scan.walk(assets, report, root) if assets.is_dir() else []
        for rel in asset_rels:
            site.asset_files["assets/" + rel] = assets / rel
        # Templates and stylesheets are read as text (the 404 page inlines the CSS): an
        # undecodable byte is reported at its line, here, not as a crash while rendering.
        scan.check_text_files(assets, asset_rels, settings.assets, report)
        templates = settings.path("templates")
        if templates.is_dir():
            scan.check_text_files(templates, scan.walk(templates, report, root),
                                  settings.templates, report)
        else:
            report.error(settings.templates, 1, 1, "the templates folder does not exist",
                         "copy templates/ from the project, or set [tool.dossier] templates "
                         "in pyproject.toml")
        return site

    # -- render -----------------------------------------------------------------------
    def render(self, site: Site, report: Report, rendered: list) -> dict[str, bytes]:
        """Render every page whose inputs changed; reuse the others' HTML."""
        templates = site.settings.path("templates")
        if self._env is None or self._env_key != tree_hash(templates):
            # One environment per template version: Jinja then keeps compiled templates.
            try:
                self._env = render.environment(templates, self.cache_dir,
                                               site.settings.templates)
            except OSError:  # a cache folder that cannot be written: compile every time
                self._env = render.environment(templates, None, site.settings.templates)
            _forgiving(self._env.bytecode_cache)
            self._env_key = tree_hash(templates)
        renderer = render.PageRenderer(self._env, site, report)
        base = hash_parts(__version__, tree_hash(templates), tree_hash(DATA_DIR),
                     repr(site.settings), routes_hash(site.pages))
        ordered = sorted(site.pages.values(), key=lambda p: p.dest)
        first = [p for p in ordered if p.template not in GENERATED_LAST]
        outputs = self._render_pass(renderer, site, report, first, base, {}, rendered)
        cited_by: dict[str, list] = {}
        for page in first:
            for sid in outputs[page.key].cited if outputs.get(page.key) else ():
                cited_by.setdefault(sid, []).append(page)
        last = [p for p in ordered if p.template in GENERATED_LAST]
        outputs.update(self._render_pass(renderer, site, report, last, base,
                                         {"cited_by": cited_by}, rendered))
        done = [(page, outputs[page.key]) for page in ordered
                if outputs.get(page.key) and outputs[page.key].html is not None]
        renderer.check_anchors({page.dest: out.ids for page, out in done})
        # A page that failed to render cites nothing: no warning about its sources then.
        complete = len(done) == len(ordered)
        for record in site.facts.records("sources") if complete else ():
            if record.id not in cited_by:
                report.warn(record.path, record.line, record.col,
                            f"source '{record.id}' is cited by no page",
                            "cite it with {source}`" + record.id + "` or remove it")
        site.search = {key: out.search for key, out in outputs.items() if out.search}
        return {page.dest: out.html for page, out in done}

    def _render_pass(self, renderer, site, report, pages, base, extra, rendered) -> dict:
        """Render ``pages``: reuse cached output whose inputs match, render the rest."""
        outputs, todo = {}, []
        for page in pages:
            key = hash_parts(base, page.key, site.doc_hashes.get(_rel(page)),
                             cited_hash(extra["cited_by"]) if extra else "",
                             # The 404 page inlines the stylesheets: it works at any depth.
                             tree_hash(site.settings.path("assets")) if page.key == "404"
                             else "")
            entry = self.pages.get(page.key)
            if entry and entry.key == key and all(
                    fp == site.facts.fingerprint(dep) for dep, fp in entry.deps):
                outputs[page.key] = entry
            else:
                todo.append((page, key))
        # The map page goes last: its Folium work runs in a worker meanwhile (one-shot builds).
        todo.sort(key=lambda item: item[0].template == "map.html")
        worker = workers.map_worker(site, [page for page, _ in todo]) if self.warm_map else None
        try:
            fresh = workers.in_parallel(workers.render_chunk, [page.key for page, _ in todo],
                                        state=(renderer.env, site, extra))
        finally:
            if worker is not None:
                worker.terminate()
        for (page, key), out in zip(todo, fresh):
            rendered.append(page.key)
            report.problems.extend(out.problems)
            out.key = key
            outputs[page.key] = out
            if out.html is not None and not out.problems:
                self.pages[page.key] = out
            else:
                self.pages.pop(page.key, None)  # a broken page is rendered again next time
        by_key = site.pages
        for key, out in outputs.items():
            renderer.pending_anchors.extend((by_key[key], *a) for a in out.anchors)
        return outputs

    # -- the whole build ---------------------------------------------------------------
    def build(self, write: bool = True, search_index: bool = True) -> Result:
        """Run load → validate → assemble → render → write; raise ``BuildFailed``.

        ``search_index=False`` leaves out ``search-index.js`` (the preview makes it after
        reloading the browser, with ``search_file``: it is the one whole-site step).
        """
        timer, report = Timer(), Report()
        settings = config.load(self.root, report)
        out = Path(os.path.abspath(self.out)) if self.out is not None else \
            settings.root / settings.output
        place = self._out_place(settings)
        if write:
            protected = self._protected(settings)
            if self.cache_dir is not None:
                protected["the build cache"] = self.cache_dir
            refusal = output.check_folder(out, protected, settings.root)
            if refusal:
                report.error(*place, str(refusal), refusal.hint)
                raise BuildFailed(report)
        tree_hash.cache_clear()
        site = self.load(settings, report)
        timer.step("load and validate")
        site.pages = pages_mod.assemble(site.docs, site.facts, report)
        timer.step("assemble")
        rendered: list = []
        files = self.render(site, report, rendered)
        timer.step("render")
        made = {path: "a file the build makes" for path in
                [SEARCH_INDEX, *contexts.publish_files(site, files)]}
        made.update({path: "a library file of the map page"
                     for path in contexts.static_files(site)})
        made.update({path: f"copied from {site.settings.assets}/{path.partition('/')[2]}"
                     for path in site.asset_files})
        pages_mod.check_outputs(site.pages, made, report)
        if report.failed(self.strict):
            raise BuildFailed(report)
        # Forget pages and texts the site no longer has, so the cache does not grow forever.
        used = set(site.doc_hashes.values())
        self.docs = {key: doc for key, doc in self.docs.items() if key in used}
        self.pages = {key: out_ for key, out_ in self.pages.items() if key in site.pages}
        if search_index:
            files.update(self.search_file(site, files))
        files.update(contexts.publish_files(site, files))
        timer.step("search index and site files")
        copies = {**site.asset_files, **contexts.static_files(site)}
        result = Result(files, copies, report, site, timer.steps, rendered)
        if write:
            manifest = self._write(out, result, place)
            if manifest is not self._manifest or out != self._out or rendered:
                self._manifest, self._out, self._dirty = manifest, out, True
            timer.step("write")
            self._save_cache()
        return result

    def _write(self, out: Path, result: Result, place: tuple) -> dict:
        """Write the site into ``out``; a refusal or a failed write is a located error."""
        try:
            return output.write_site(out, result.files, result.copies,
                                     self._manifest if out == self._out else None)
        except output.UnsafeOutput as refusal:
            result.report.error(*place, str(refusal), refusal.hint)
        except OSError as exc:  # a full disk, a read-only folder: nothing half-written stays
            shown = output.display(out, self.root)
            result.report.error(*place, f"cannot write the site into {shown}: "
                                f"{exc.strerror or exc}",
                                f"free some space or make {shown}'s folder writable, or choose "
                                f"another folder with --out; {shown} was left as it was")
        raise BuildFailed(result.report)

    def _out_place(self, settings) -> tuple[str, int, int]:
        """Where the output folder was named: ``--out``, pyproject.toml's line, or the default."""
        if self.out is not None:
            return str(self.out), 1, 1
        found = output.setting_place(settings.root, "output")
        return ("pyproject.toml", *found) if found else (settings.output, 1, 1)

    @staticmethod
    def _protected(settings) -> dict[str, Path]:
        """The project's inputs, which the output may neither be, nor be in, nor contain."""
        folders = {f"the {name} folder ({getattr(settings, name)}/)": settings.path(name)
                   for name in ("content", "templates", "assets")}
        folders["the dossier package (dossier/)"] = Path(__file__).resolve().parent
        folders["the git repository (.git)"] = settings.root / ".git"
        folders["the build cache (.cache/)"] = settings.root / ".cache"
        folders["pyproject.toml"] = settings.root / "pyproject.toml"
        return folders

    def search_file(self, site: Site, files: dict) -> dict[str, bytes]:
        """Make ``search-index.js``, reusing the last one when no page's text changed."""
        docs = contexts.search_docs(site, files)
        key = hash_parts(*(f"{d['url']}\0{d['title']}\0{d['section']}\0{d['headings']}\0"
                           f"{d['text']}" for d in docs))
        if key != self._index_key or self._index_bytes is None:
            self._index_bytes = self._search_index().update_bytes(docs)
            self._index_key, self._dirty = key, True
        return {SEARCH_INDEX: self._index_bytes}

    def _search_index(self) -> search.Index:
        """The search index's parts, kept between builds (and in the build cache)."""
        if self._index is None:
            self._index = search.Index()
        return self._index

    # -- persistent cache ----------------------------------------------------------------
    def _cache_file(self, part: str) -> Path | None:
        name = f"{part}-{__version__}-{CACHE_FORMAT}.pickle"
        return self.cache_dir / name if self.cache_dir else None

    def _read_cache(self, part: str):
        """Unpickle one part of the cache, or None when it is missing or unreadable."""
        path = self._cache_file(part)
        if path is None or not path.is_file():
            return None
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except Exception:  # another version's cache or a torn write: a cold start
            return None

    def _load_cache(self) -> None:
        """Load an earlier run's cache; a missing or unreadable one just means a cold build."""
        state = self._read_cache("build")
        try:
            if not all(isinstance(entry, workers.Rendered) for entry in state["pages"].values()):
                raise TypeError("a cache of another shape")
            self.docs, self.pages, self._stamps = state["docs"], state["pages"], state["stamps"]
            self._manifest, self._out = state["written"]
            self._index_key, self._index_bytes, self._index = state["search"]
            facts_mod.parsed_files().update(state["facts"])
            self._dirty = False
        except Exception:
            return

    def _save_cache(self) -> None:
        """Store what the next run can reuse (atomically), unless nothing changed."""
        if self.cache_dir is None or not self._dirty:
            return
        state = {"docs": self.docs, "pages": self.pages, "stamps": self._stamps,
                 "facts": facts_mod.parsed_files(),
                 "written": (self._manifest, self._out),
                 "search": (self._index_key, self._index_bytes, self._index)}
        path = self._cache_file("build")
        tmp = None
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            # A name of its own: two builds at once each write theirs; the last rename wins.
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                       dir=self.cache_dir)
            with os.fdopen(fd, "wb") as handle:  # streamed: no second copy in memory
                pickle.dump(state, handle, pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            tmp = None
            self._dirty = False
        except (OSError, pickle.PicklingError):  # a full disk or read-only cache: built anyway
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


CACHE_FORMAT = 10  # bump when what the cache holds changes shape


def _forgiving(cache) -> None:
    """Make a bytecode cache skip a write that fails (a full disk): the build goes on."""
    if cache is None:
        return
    dump = cache.dump_bytecode

    def dump_or_skip(bucket) -> None:
        with contextlib.suppress(OSError):
            dump(bucket)

    cache.dump_bytecode = dump_or_skip  # set_bucket calls it through the instance


def _rel(page) -> str:
    return (page.source or "").removeprefix("content/")


def build(root: Path, *, strict: bool = False, write: bool = True, out: Path | None = None,
          cache_dir: Path | None = None, warm_map: bool = False) -> Result:
    """Build the dossier at ``root`` once; raise ``BuildFailed`` (nothing written)."""
    return Builder(root, strict=strict, out=out, cache_dir=cache_dir,
                   warm_map=warm_map).build(write=write)
