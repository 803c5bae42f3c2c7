"""The live preview: ``python build.py serve`` builds, serves, and rebuilds on every save.

One ``Builder`` lives as long as the server, so a rebuild renders only what a change affects.
``watchfiles`` reports changes in bursts; one worker thread builds each burst off the Tornado
loop, syncs the pages into a temporary folder of its own (never ``output/``), and only then
tells browsers to reload, over livereload's WebSocket protocol. A failed build keeps the last
good pages and shows its errors in an overlay until a build succeeds again.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import queue
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import webbrowser
from pathlib import Path
from urllib.parse import urlsplit

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets
from tornado.web import Application, HTTPError, RequestHandler, StaticFileHandler
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from . import config, output
from .errors import MESSAGES_LANGUAGE, BuildFailed, Problem, Report
from .output import safe_join, sync_site
from .pipeline import Builder

SEARCH_INDEX = "search-index.js"

STEP_MS = 10  # quiet time that ends a burst of changes: saves reach the build in 10–20 ms
DEBOUNCE_MS = 1_600  # longest burst grouped into one build when saves never stop
CONFIG_STEP_MS = 100  # the settings file changes rarely: a slower watcher costs less when idle
FOLDERS = ("content", "templates", "assets")
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
LIVE_SUFFIXES = (".css", ".png", ".jpg", ".jpeg", ".gif")  # livereload.js swaps these in place
HEAD_OR_BODY = (re.compile(rb"</head\s*>", re.I), re.compile(rb"</body\s*>", re.I))
ERRORS_URL = "/__dossier__/errors"
OVERLAY_URL = "/__dossier__/overlay.js"

FALLBACK_404 = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Page introuvable</title></head>
<body><h1>Page introuvable</h1><p>Cette page n'existe pas (encore) dans l’aperçu.
<a href="/">Accueil</a></p></body></html>
""".encode()

# The overlay is the build's voice, not the dossier's: it speaks the language of the build's
# messages (dossier/errors.py, English, as in the terminal and docs/), whatever the page's
# language, and says so with its own ``lang`` so that a screen reader on a French page reads
# it as English. Its own words are here by language: the day the messages are translated,
# MESSAGES_LANGUAGE changes and the header follows.
OVERLAY_STRINGS = {
    "en": {"one": "The build failed: this page is the last good version. Fix this error "
                  "and save.",
           "many": "The build failed: this page is the last good version. Fix these {n} "
                   "errors and save.",
           "label": "Build errors"},
    "fr": {"one": "La construction a échoué : cette page est la dernière version valide. "
                  "Corrigez cette erreur et enregistrez.",
           "many": "La construction a échoué : cette page est la dernière version valide. "
                   "Corrigez ces {n} erreurs et enregistrez.",
           "label": "Erreurs de construction"},
}


def overlay_strings(language: str = MESSAGES_LANGUAGE) -> dict:
    """The overlay's own words in ``language`` (the messages' language by default)."""
    return {"lang": language, **OVERLAY_STRINGS[language]}


# Served at OVERLAY_URL and injected into every HTML page: it asks the server for the current
# build errors when the page loads and shows them over the page. While they are shown it asks
# again every second and reloads once they are gone, so it clears itself even if the
# WebSocket is down (normally the server's own reload comes first).
OVERLAY_JS = """\
(function () {
  "use strict";
  var URL = "ERRORS_URL", POLL_MS = 1000, box = null, WORDS = OVERLAY_WORDS;

  function show(errors) {
    if (!box) {
      box = document.createElement("div");
      box.id = "dossier-preview-errors";
      box.setAttribute("role", "alert");
      box.setAttribute("lang", WORDS.lang);  // the messages' language, not the page's
      box.setAttribute("aria-label", WORDS.label);
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;" +
        "overflow:auto;z-index:2147483647;margin:0;padding:1em 1.25em;background:#1b1b1f;" +
        "color:#f4f4f5;border-top:4px solid #e5484d;font:14px/1.5 ui-monospace,monospace;" +
        "white-space:pre-wrap;text-align:left;box-shadow:0 -4px 16px rgba(0,0,0,.35)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = errors.length > 1 ?
      WORDS.many.replace("{n}", String(errors.length)) : WORDS.one;
    box.appendChild(title);
    errors.forEach(function (error) {
      var line = document.createElement("div");
      line.style.marginTop = "0.75em";
      line.textContent = error.text;  // text, never HTML: messages quote the sources
      box.appendChild(line);
    });
  }

  function check() {
    fetch(URL, {cache: "no-store"}).then(function (r) { return r.json(); }).then(
      function (state) {
        if (state.errors.length) {
          show(state.errors);
          setTimeout(check, POLL_MS);
        } else if (box) {
          location.reload();
        }
      },
      function () { if (box) { setTimeout(check, POLL_MS); } });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", check);
  } else {
    check();
  }
})();
""".replace("ERRORS_URL", ERRORS_URL).replace(
    "OVERLAY_WORDS", json.dumps(overlay_strings(), ensure_ascii=True))


# -- what to tell browsers --------------------------------------------------------------------
def inject(html: bytes, snippet: bytes) -> bytes:
    """Insert ``snippet`` before ``</head>``, else before the last ``</body>``, else at the end."""
    head, body = HEAD_OR_BODY
    match = head.search(html)
    if match is None:
        match = next(reversed(list(body.finditer(html))), None)
    if match is None:
        return html + snippet
    return html[:match.start()] + snippet + html[match.start():]


def reload_messages(changed: list[str], full: bool = False) -> list[dict]:
    """Livereload messages for a set of changed files: swap stylesheets, or reload the page."""
    if not changed and not full:
        return []
    if not full and all(p.lower().endswith(LIVE_SUFFIXES) for p in changed):
        # livereload.js matches these paths against its <link> and <img> and swaps them
        return [{"command": "reload", "path": p, "liveCSS": True, "liveImg": True}
                for p in changed]
    # any other path makes livereload.js reload the whole page
    page = next((p for p in changed if not p.lower().endswith(LIVE_SUFFIXES)), "index.html")
    return [{"command": "reload", "path": page, "liveCSS": True, "liveImg": True}]


def problem_json(problem: Problem) -> dict:
    """One build problem as the overlay reads it (``text`` is what the terminal printed)."""
    return {"path": problem.path, "line": problem.line, "col": problem.col,
            "message": problem.message, "hint": problem.hint, "text": problem.format()}


def is_loopback(host: str) -> bool:
    """Tell whether a host name or address only reaches this machine."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_warning(host: str) -> str:
    """The warning printed when the preview is reachable from other machines, or ``""``."""
    if is_loopback(host):
        return ""
    return (f"warning: serving on {host}: other machines on the network can read the preview "
            "and its error messages; use --host 127.0.0.1 to keep it private")


def url_for(host: str, port: int) -> str:
    """The preview's address (IPv6 addresses need brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


# -- the Tornado handlers ---------------------------------------------------------------------
class Guarded(RequestHandler):
    """Base of every handler: no caching, and only Host names of this machine when local."""

    def initialize(self, preview: Preview) -> None:
        """Keep the preview this handler serves (its state is not global)."""
        self.preview = preview

    def set_default_headers(self) -> None:
        """Let the browser keep nothing: every reload must show the newest files."""
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")

    def prepare(self) -> None:
        """Refuse a foreign Host header on a loopback server (DNS rebinding)."""
        if self.preview.local:
            name = urlsplit("//" + self.request.headers.get("Host", "")).hostname or ""
            if not is_loopback(name):
                raise HTTPError(403, "unexpected Host header")

    def compute_etag(self) -> None:
        """No ETags: files change under the same name, and a stale 304 would hide an edit."""
        return None

    def log_exception(self, typ, value, tb) -> None:
        """Keep expected refusals (403, 404) out of the terminal; log real failures."""
        if not isinstance(value, HTTPError):
            super().log_exception(typ, value, tb)


class ReloadSocket(Guarded, LiveReloadHandler):
    """livereload's protocol handler, with clients kept per preview and same-origin only."""

    def check_origin(self, origin: str) -> bool:
        """Accept a browser only from the preview's own origin (livereload accepts any)."""
        return WebSocketHandler.check_origin(self, origin)

    def on_message(self, message) -> None:
        """Answer ``hello`` as livereload does; register the client on ``info``."""
        try:
            data = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        if data.get("command") == "info" and "url" in data:
            # livereload.js announces its page: from now on it gets reloads
            self.preview.clients.add(self)
        else:
            super().on_message(message)

    def on_close(self) -> None:
        """Forget a closed client."""
        self.preview.clients.discard(self)


class ReloadScript(Guarded, LiveReloadJSHandler):
    """livereload.js, bundled with livereload: the preview needs no network."""


class ErrorState(Guarded):
    """The current build errors and counters, as JSON, for the overlay and for tests."""

    def get(self) -> None:
        """Send the state."""
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(self.preview.status()))


class OverlayScript(Guarded):
    """The error overlay script."""

    def get(self) -> None:
        """Send the script."""
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.finish(OVERLAY_JS)


class SiteFiles(Guarded, StaticFileHandler):
    """The built site from the preview folder; HTML gets the scripts, 404 is the site's own."""

    def initialize(self, preview: Preview) -> None:  # type: ignore[override]
        """Serve the preview folder, ``index.html`` for folders."""
        Guarded.initialize(self, preview)
        StaticFileHandler.initialize(self, str(preview.folder), default_filename="index.html")

    async def get(self, path: str, include_body: bool = True) -> None:
        """Send a file; HTML is read whole so the scripts go in wherever the tags are."""
        if "\x00" in path or "\\" in path:
            raise HTTPError(400, "bad path")
        self.path = self.parse_url_path(path)
        # Tornado's own checks: ../ and encoded slashes (403), symlinks out of the root (403)
        absolute = self.validate_absolute_path(
            self.root, self.get_absolute_path(self.root, self.path))
        if absolute is None:  # a folder without its slash: redirected
            return
        if not absolute.endswith(".html"):
            await super().get(path, include_body)
            return
        self.send_html(Path(absolute).read_bytes(), include_body)

    def send_html(self, data: bytes, include_body: bool = True) -> None:
        """Send a page with the live-reload and overlay scripts added."""
        body = inject(data, self.preview.snippet)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Length", len(body))
        self.finish(body if include_body else None)

    def should_return_304(self) -> bool:
        """Always send the file: it may have changed within the same second."""
        return False

    def get_cache_time(self, path, modified, mime_type) -> int:
        """Never let a browser cache a preview file (even with ``?v=``)."""
        return 0

    def write_error(self, status_code: int, **kwargs) -> None:
        """Answer a missing file with the site's 404 page, which reloads like any other."""
        if status_code != 404:
            super().write_error(status_code, **kwargs)
            return
        self.send_html(self.preview.page_404(), self.request.method != "HEAD")


def quiet_log(handler: RequestHandler) -> None:
    """Log only server errors: editors need the build messages, not every request."""
    if handler.get_status() >= 500:
        print(f"error {handler.get_status()}: {handler.request.method} {handler.request.uri}",
              file=sys.stderr, flush=True)


# -- the preview ------------------------------------------------------------------------------
class Preview:
    """One preview: a Builder, a temporary folder, watcher threads, a build thread, a server."""

    def __init__(self, root: Path, *, host: str = "127.0.0.1", port: int = 8000,
                 strict: bool = False, tempdir: Path | None = None, step_ms: int = STEP_MS,
                 out=print):
        self.root = Path(root).resolve()
        self.host, self.port, self.step_ms, self.out = host, port, step_ms, out
        self.local = is_loopback(host)
        self.builder = Builder(self.root, strict=strict)
        self.folder = Path(tempfile.mkdtemp(prefix="dossier-preview-", dir=tempdir))
        self.clients: set = set()  # WebSocket clients that sent ``info`` (loop thread only)
        self.builds = 0  # builds started, failed ones included
        self.reloads = 0  # reload broadcasts sent
        self.errors: list[Problem] = []  # the last build's errors; [] when it succeeded
        self.warnings: list[Problem] = []
        self.snippet = b""
        self.url = ""
        self.loop: IOLoop | None = None
        self.ready = threading.Event()
        self._stop = threading.Event()
        self._sync_lock = threading.Lock()  # close() never removes the folder mid-sync
        self._synced: dict = {}  # output path → bytes, or a copied file's stamp, as now served
        self._changes: queue.Queue = queue.Queue()
        self._watchers: list[tuple[threading.Thread, threading.Event]] = []
        self._watched: tuple[Path, ...] = ()
        self._output = self.root / "output"
        self._top_names = {"pyproject.toml"}
        self._threads: list[threading.Thread] = []
        self._done: asyncio.Event | None = None

    # -- watching ------------------------------------------------------------------------
    def folders(self) -> tuple[Path, ...]:
        """The source folders named by the settings that exist now (never output/)."""
        settings = config.load(self.root, Report())
        self._output = settings.path("output")
        named = [settings.path(n) for n in FOLDERS]
        self._top_names = {p.name for p in named if p.parent == self.root} | {"pyproject.toml"}
        return tuple(p for p in named if p.is_dir() and p != self._output
                     and not p.is_relative_to(self.folder))

    def wanted(self, change, path: str) -> bool:
        """Tell whether a changed file is a source the build reads (not an editor's leftover)."""
        p = Path(path)
        if p.is_relative_to(self.folder) or p.is_relative_to(self._output):
            return False
        if p.parent == self.root:  # the settings, or a source folder that came or went
            return p.name in self._top_names
        base = next((f for f in self._watched if p.is_relative_to(f)), None)
        if base is None:
            return False
        parts = p.relative_to(base).parts
        # the names scan.walk skips: hidden and private folders, editor swap and backup files
        if any(d.startswith((".", "_")) for d in parts[:-1]):
            return False
        return not (p.name.startswith((".", "#")) or p.name.endswith(("~", ".swp", ".tmp")))

    def _watch(self, paths, recursive: bool, step: int, stop: threading.Event) -> None:
        """Queue each burst of changes under ``paths`` until ``stop`` is set."""
        for changes in watchfiles.watch(*paths, watch_filter=self.wanted, step=step,
                                        debounce=DEBOUNCE_MS, stop_event=stop,
                                        recursive=recursive, raise_interrupt=False):
            self._changes.put(changes)

    def _start_watcher(self, paths, recursive: bool, step: int) -> None:
        """Start one watcher thread; it stops with the preview or when replaced."""
        stop = threading.Event()
        thread = threading.Thread(target=self._watch, args=(paths, recursive, step, stop),
                                  name="dossier-watch", daemon=True)
        thread.start()
        self._watchers.append((thread, stop))

    def watch_folders(self) -> None:
        """(Re)start the recursive watcher on the source folders the settings name.

        Called at start and after any change in the project folder itself: the settings may
        name other folders, and a folder deleted or replaced needs a new watch.
        """
        old = self._watchers[1:]
        self._watched = self.folders()
        self._watchers = self._watchers[:1]
        if self._watched:
            self._start_watcher(self._watched, True, self.step_ms)
        for _, stop in old:  # after starting the new one, so that no gap opens between them
            stop.set()

    # -- building ------------------------------------------------------------------------
    def rebuild(self, changes=()) -> None:
        """Build once; on success sync the preview folder, then tell browsers."""
        started = time.perf_counter()
        self.builds += 1
        was_failing = bool(self.errors)
        try:
            # The search index spans every page: it is made after the reload (below).
            result = self.builder.build(write=False, search_index=False)
        except BuildFailed as failed:
            self.failed(failed.report.errors or failed.report.warnings)
            return
        except Exception as exc:  # a bug in the build must not stop the preview
            traceback.print_exc()
            self.failed([Problem("(build)", 1, 1, f"{type(exc).__name__}: {exc}",
                                 "the build crashed: see the traceback in the terminal")])
            return
        index = self._synced.get(SEARCH_INDEX)
        files = {**result.files, SEARCH_INDEX: index} if isinstance(index, bytes) else \
            result.files
        with self._sync_lock:
            if self._stop.is_set():
                return
            changed = self.sync(files, result.copies)
        self.errors = []  # only now: the overlay reloads when it sees no errors
        self.report_warnings(result.report.warnings)
        ms = (time.perf_counter() - started) * 1000
        if was_failing:
            self.out("build fixed: the preview shows the new pages", flush=True)
        self.out(f"{describe(changes, self.root)}: {len(result.rendered)} page(s) rendered, "
                 f"{len(changed)} file(s) updated in {ms:.0f} ms", flush=True)
        self.announce(reload_messages(changed, full=was_failing))
        self.update_search_index(result)

    def update_search_index(self, result) -> None:
        """Rebuild the search index after the reload; pages load it on their next search."""
        data = self.builder.search_file(result.site, result.files)[SEARCH_INDEX]
        with self._sync_lock:
            if self._stop.is_set() or self._synced.get(SEARCH_INDEX) == data:
                return
            replace_file(safe_join(self.folder, SEARCH_INDEX), data)
            self._synced = {**self._synced, SEARCH_INDEX: data}

    def sync(self, files: dict, copies: dict) -> list[str]:
        """Bring the preview folder up to date; return the paths that changed.

        ``sync_site`` reads every served file back to compare it (90 ms at 1,000 pages); the
        preview remembers what it wrote instead, and only needs ``sync_site`` when files come
        or go.
        """
        wanted = {**files, **{rel: stamp(src) for rel, src in copies.items()}}
        if wanted.keys() != self._synced.keys():
            changed = sync_site(self.folder, files, copies)
        else:
            changed = [rel for rel, now in wanted.items() if self._synced[rel] != now]
            for rel in changed:
                data = files[rel] if rel in files else copies[rel].read_bytes()
                replace_file(safe_join(self.folder, rel), data)
        self._synced = wanted
        return changed

    def failed(self, problems: list[Problem]) -> None:
        """Keep the last good pages, print the errors, and reload if they changed."""
        before, self.errors = self.errors, problems
        n = len(problems)
        if problems == before:  # say the save was seen; the overlay already shows these
            self.out(f"build still failing: the same {n} error{'s' * (n != 1)}",
                     file=sys.stderr, flush=True)
            return
        self.out("\n".join(p.format() for p in problems), file=sys.stderr, flush=True)
        self.out(f"build failed: {n} error{'s' * (n != 1)}; the preview keeps the last good "
                 "pages and shows the errors on each of them", file=sys.stderr, flush=True)
        # a reload makes every open page ask for the errors and show the overlay
        self.announce(reload_messages([], full=True))

    def report_warnings(self, warnings: list[Problem]) -> None:
        """Print warnings when they differ from the last ones printed."""
        if warnings != self.warnings:
            self.warnings = warnings
            if warnings:
                self.out("\n".join(p.format() for p in warnings), file=sys.stderr, flush=True)

    def announce(self, messages: list[dict]) -> None:
        """Hand reload messages to the loop thread (Tornado is not thread-safe)."""
        if messages and self.loop is not None:
            try:
                self.loop.add_callback(self.broadcast, messages)
            except RuntimeError:  # the loop is closing: no browser is listening any more
                pass

    def broadcast(self, messages: list[dict]) -> None:
        """Send messages to every registered browser (runs on the loop)."""
        self.reloads += 1
        for client in list(self.clients):
            for message in messages:
                try:
                    client.write_message(json.dumps(message))
                except WebSocketClosedError:
                    self.clients.discard(client)

    def _work(self) -> None:
        """The build thread: one build per burst of changes, one build at a time."""
        while True:
            changes = self._changes.get()
            while changes is not None and not self._changes.empty():
                more = self._changes.get()  # saves that came during the last build
                changes = None if more is None else changes | more
            if changes is None or self._stop.is_set():
                return
            try:
                if any(Path(p).parent == self.root for _, p in changes):
                    self.watch_folders()  # the settings may name other folders, or one appeared
                self.rebuild(changes)
            except Exception:  # e.g. a full disk: say so, and keep watching for the next save
                traceback.print_exc()

    # -- serving ---------------------------------------------------------------------------
    def status(self) -> dict:
        """The state the overlay shows and tests read."""
        return {"errors": [problem_json(p) for p in self.errors], "builds": self.builds,
                "reloads": self.reloads}

    def page_404(self) -> bytes:
        """The site's own 404 page, or a plain one before the site has it."""
        try:
            return (self.folder / "404.html").read_bytes()
        except OSError:
            return FALLBACK_404

    def app(self) -> Application:
        """The Tornado application: livereload's protocol, the overlay, the site."""
        ctx = {"preview": self}
        return Application([
            (r"/livereload", ReloadSocket, ctx),
            (r"/livereload\.js", ReloadScript, ctx),
            (re.escape(ERRORS_URL), ErrorState, ctx),
            (re.escape(OVERLAY_URL), OverlayScript, ctx),
            (r"/(.*)", SiteFiles, ctx),
        ], log_function=quiet_log, websocket_max_message_size=64 * 1024)

    def start(self) -> None:
        """Start watching, build once (the server then starts with pages), start the builder."""
        self.out(f"preview folder: {self.folder}", flush=True)
        self._start_watcher((self.root,), False, CONFIG_STEP_MS)
        self.watch_folders()
        self.rebuild()
        self.out("watching " + ", ".join(
            [f"{p.relative_to(self.root)}/" if p.is_relative_to(self.root) else str(p)
             for p in self._watched] + ["pyproject.toml"]), flush=True)
        worker = threading.Thread(target=self._work, name="dossier-build", daemon=True)
        worker.start()
        self._threads.append(worker)

    async def main(self, open_browser: bool = False, signals: bool = False) -> None:
        """Serve until ``stop()`` (or Ctrl-C/SIGTERM when ``signals``)."""
        self.loop = IOLoop.current()
        self._done = asyncio.Event()
        if signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(sig, self._done.set)
        sockets = bind_sockets(self.port, self.host)
        server = HTTPServer(self.app(), xheaders=False)
        server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        self.snippet = (f'<script src="/livereload.js?port={self.port}" defer></script>'
                        f'<script src="{OVERLAY_URL}" defer></script>').encode()
        self.url = url_for(self.host, self.port)
        if warning := host_warning(self.host):
            self.out(warning, file=sys.stderr, flush=True)
        self.out(f"preview at {self.url} (Ctrl-C to stop)", flush=True)
        self.ready.set()
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(self.url,), daemon=True).start()
        try:
            await self._done.wait()
        finally:
            server.stop()
            for client in list(self.clients):
                client.close()
            self.loop = None

    def stop(self) -> None:
        """Ask the server to stop (from any thread)."""
        loop, done = self.loop, self._done
        if loop is not None and done is not None:
            loop.add_callback(done.set)

    def close(self) -> None:
        """Stop the threads and remove the preview folder."""
        self._stop.set()
        for _, stop in self._watchers:
            stop.set()
        self._changes.put(None)
        with self._sync_lock:
            shutil.rmtree(self.folder, ignore_errors=True)
        for thread in [t for t, _ in self._watchers] + self._threads:
            thread.join(timeout=2)

    def serve_in_thread(self) -> threading.Thread:
        """Start, then serve from a thread of its own (for tests); ``stop()`` then ``close()``."""
        self.start()
        thread = threading.Thread(target=asyncio.run, args=(self.main(),),
                                  name="dossier-serve", daemon=True)
        thread.start()
        if not self.ready.wait(10):
            raise RuntimeError("the preview server did not start")
        self._threads.append(thread)
        return thread


def stamp(path: Path) -> tuple:
    """What tells a copied file changed without reading it: its name, size and mtime, and
    its change time and inode (``cp -p`` restores the first two, nothing restores these)."""
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def replace_file(target: Path, data: bytes) -> None:
    """Write a file so that a request never sees it half written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    output.replace_file(target, data)


def describe(changes, root: Path) -> str:
    """Name what changed, shortly: one path, or how many."""
    paths = sorted({p for _, p in changes})
    if not paths:
        return "built"
    first = Path(paths[0])
    shown = first.relative_to(root).as_posix() if first.is_relative_to(root) else str(first)
    return shown if len(paths) == 1 else f"{shown} and {len(paths) - 1} more"


def run(root: Path, args) -> int:
    """``build.py serve``: preview the dossier at ``root`` until Ctrl-C."""
    if getattr(args, "out", None):
        print("note: serve never writes the site; --out is ignored", file=sys.stderr)
    preview = Preview(root, host=args.host, port=args.port, strict=args.strict)
    try:
        preview.start()
        asyncio.run(preview.main(open_browser=args.open, signals=True))
    except KeyboardInterrupt:  # Ctrl-C before the server was up (during the first build)
        pass
    except OSError as exc:  # the port is taken, or the host is not ours
        print(f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    finally:
        preview.close()
    print("preview stopped", flush=True)
    return 0
