"""The live preview, end to end: a real server, a livereload client over WebSocket, real saves."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketError, websocket_connect

from conftest import CHAPTER, FIGURES, PROJECT
from dossier.pipeline import build
from dossier.serve import Preview, host_warning, inject, is_loopback, reload_messages

PROTOCOL = "http://livereload.com/protocols/official-7"
NOT_FOUND = "---\ntitle: Page introuvable\nsummary: Rien ici.\n---\n\nRien à cette adresse.\n"
CLOUD = "chapitres/cloud/index.html"
TIMEOUT = 10


# -- helpers -----------------------------------------------------------------------------------
@pytest.fixture
def preview(make_site, tmp_path):
    """A tiny dossier served on 127.0.0.1 and a free port from a thread; stopped afterwards."""
    root = make_site({"content/404.md": NOT_FOUND})
    lines: list[str] = []
    pv = Preview(root, port=0, tempdir=_mkdir(tmp_path / "srv"),
                 out=lambda *a, **k: lines.append(" ".join(map(str, a))))
    pv.lines = lines
    pv.serve_in_thread()
    yield pv
    pv.stop()
    pv.close()


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def get(pv: Preview, path: str, headers: dict | None = None) -> tuple[int, str]:
    """GET a raw path (sent as written, not normalised) and return status and body."""
    conn = http.client.HTTPConnection("127.0.0.1", pv.port, timeout=TIMEOUT)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def state(pv: Preview) -> dict:
    """The preview's error state, as the overlay reads it."""
    status, body = get(pv, "/__dossier__/errors")
    assert status == 200
    return json.loads(body)


async def connect(pv: Preview, origin: str | None = None):
    """Connect a livereload client (hello, then info) and wait until the server registered it."""
    headers = {"Origin": origin} if origin else {}
    before = len(pv.clients)
    ws = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{pv.port}/livereload",
                                             headers=headers, connect_timeout=TIMEOUT))
    await ws.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
    hello = json.loads(await asyncio.wait_for(ws.read_message(), TIMEOUT))
    assert hello["command"] == "hello" and PROTOCOL in hello["protocols"]
    await ws.write_message(json.dumps({"command": "info", "url": pv.url, "plugins": {}}))
    deadline = time.monotonic() + TIMEOUT
    while len(pv.clients) <= before:
        assert time.monotonic() < deadline, "the server never registered the client"
        await asyncio.sleep(0.01)
    return ws


async def next_reload(ws) -> dict:
    """Wait for the next ``reload`` message."""
    while True:
        raw = await asyncio.wait_for(ws.read_message(), TIMEOUT)
        assert raw is not None, "the server closed the WebSocket"
        message = json.loads(raw)
        if message["command"] == "reload":
            return message


def save(path: Path, text: str) -> None:
    """Save like many editors do: write a temporary file, then rename it over the old one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


def run(coro):
    """Run one test's client side."""
    return asyncio.run(coro)


# -- reloads ---------------------------------------------------------------------------------
def test_an_edit_sends_a_reload_and_the_page_then_has_it(preview):
    async def scenario():
        ws = await connect(preview)
        (preview.root / "content/chapitres/01-cloud.md").write_text(
            CHAPTER + "\nUne phrase toute neuve.\n", "utf-8")
        message = await next_reload(ws)
        assert message["path"] == CLOUD
        status, body = get(preview, "/chapitres/cloud/")
        assert status == 200 and "Une phrase toute neuve." in body
        ws.close()

    run(scenario())


def test_an_atomic_save_is_caught_every_time(preview):
    async def scenario():
        ws = await connect(preview)
        for n in range(3):
            save(preview.root / "content/chapitres/01-cloud.md", CHAPTER + f"\nVersion {n}.\n")
            await next_reload(ws)
            assert f"Version {n}." in get(preview, "/chapitres/cloud/")[1]
        ws.close()

    run(scenario())


def test_a_stylesheet_change_swaps_css_without_a_full_reload(preview):
    async def scenario():
        ws = await connect(preview)
        css = preview.root / "assets/css/site.css"
        css.write_text(css.read_text("utf-8") + "\n.preview-test { color: red }\n", "utf-8")
        message = await next_reload(ws)
        assert message == {"command": "reload", "path": "assets/css/site.css",
                           "liveCSS": True, "liveImg": True}
        assert ".preview-test" in get(preview, "/assets/css/site.css")[1]
        ws.close()

    run(scenario())


def test_fifty_files_saved_at_once_give_at_most_two_builds(preview):
    async def scenario():
        ws = await connect(preview)
        before = preview.builds
        for n in range(50):
            (preview.root / f"content/chapitres/{n + 10:02d}-lot.md").write_text(
                f"---\ntitle: Lot {n}\nsummary: Page {n}.\nslug: lot-{n}\n---\n\nTexte {n}.\n",
                "utf-8")
        await next_reload(ws)
        deadline = time.monotonic() + TIMEOUT
        while get(preview, "/chapitres/lot-49/")[0] != 200:
            assert time.monotonic() < deadline, "the last page never appeared"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # let any late second build happen before counting
        assert 1 <= preview.builds - before <= 2
        ws.close()

    run(scenario())


def test_a_deleted_source_removes_its_page(preview):
    async def scenario():
        ws = await connect(preview)
        extra = preview.root / "content/chapitres/02-extra.md"
        extra.write_text("---\ntitle: En plus\nsummary: Une page.\n---\n\nTexte.\n", "utf-8")
        await next_reload(ws)
        assert get(preview, "/chapitres/extra/")[0] == 200
        extra.unlink()
        await next_reload(ws)
        status, body = get(preview, "/chapitres/extra/")
        assert status == 404 and "Rien à cette adresse." in body
        ws.close()

    run(scenario())


def test_a_settings_change_rebuilds_even_when_saved_atomically(preview):
    async def scenario():
        ws = await connect(preview)
        for title in ("Premier titre", "Second titre"):
            save(preview.root / "pyproject.toml", f'[tool.dossier]\ntitle = "{title}"\n')
            await next_reload(ws)
            assert title in get(preview, "/")[1]
        ws.close()

    run(scenario())


def test_pages_are_served_while_a_slow_build_runs(preview):
    async def scenario():
        ws = await connect(preview)
        real = preview.builder.build

        def slow(write=False):
            time.sleep(1.5)
            return real(write=write)

        preview.builder.build = slow
        (preview.root / "content/chapitres/01-cloud.md").write_text(CHAPTER + "\nLent.\n")
        await asyncio.sleep(0.3)  # the build has started
        started = time.monotonic()
        assert get(preview, "/")[0] == 200
        assert time.monotonic() - started < 0.5
        await next_reload(ws)
        ws.close()

    run(scenario())


# -- errors ----------------------------------------------------------------------------------
BROKEN_YAML = FIGURES.replace("label: Capacité visée à Dakhla", "label: [non fermé")


def test_a_broken_yaml_edit_shows_the_overlay_and_keeps_the_last_good_page(preview):
    async def scenario():
        ws = await connect(preview)
        good = get(preview, "/chapitres/cloud/")[1]
        (preview.root / "content/facts/figures.yaml").write_text(BROKEN_YAML, "utf-8")
        await next_reload(ws)
        errors = state(preview)["errors"]
        assert errors and errors[0]["path"] == "content/facts/figures.yaml"
        assert errors[0]["line"] >= 1 and errors[0]["message"]
        # the terminal printed the same text the overlay shows
        assert errors[0]["text"] in "\n".join(preview.lines)
        assert re.search(r"content/facts/figures\.yaml:\d+:\d+: error: ", errors[0]["text"])
        status, page = get(preview, "/chapitres/cloud/")
        assert status == 200 and page == good  # the last good page, scripts included
        assert '<script src="/__dossier__/overlay.js"' in page
        assert '<script src="/__dossier__/overlay.js"' in get(preview, "/missing/")[1]

        (preview.root / "content/facts/figures.yaml").write_text(FIGURES, "utf-8")
        await next_reload(ws)
        assert state(preview)["errors"] == []
        assert any("build fixed" in line for line in preview.lines)
        ws.close()

    run(scenario())


def test_errors_are_kept_per_file_until_each_is_fixed(preview):
    async def scenario():
        ws = await connect(preview)
        figures = preview.root / "content/facts/figures.yaml"
        chapter = preview.root / "content/chapitres/01-cloud.md"
        figures.write_text(BROKEN_YAML, "utf-8")
        chapter.write_text(CHAPTER.replace("title: Le cloud\n", ""), "utf-8")
        await next_reload(ws)
        deadline = time.monotonic() + TIMEOUT
        while len({e["path"] for e in state(preview)["errors"]}) < 2:
            assert time.monotonic() < deadline, state(preview)
            await asyncio.sleep(0.05)
        figures.write_text(FIGURES, "utf-8")
        await next_reload(ws)
        paths = {e["path"] for e in state(preview)["errors"]}
        assert paths == {"content/chapitres/01-cloud.md"}
        chapter.write_text(CHAPTER, "utf-8")
        await next_reload(ws)
        assert state(preview)["errors"] == []
        ws.close()

    run(scenario())


def test_a_dossier_broken_from_the_start_is_served_and_heals(make_site, tmp_path):
    root = make_site({"content/facts/figures.yaml": BROKEN_YAML})
    pv = Preview(root, port=0, tempdir=tmp_path, out=lambda *a, **k: None)
    pv.serve_in_thread()
    try:
        async def scenario():
            ws = await connect(pv)
            assert state(pv)["errors"][0]["path"] == "content/facts/figures.yaml"
            status, body = get(pv, "/")
            assert status == 404 and "/__dossier__/overlay.js" in body
            (root / "content/facts/figures.yaml").write_text(FIGURES, "utf-8")
            await next_reload(ws)
            assert state(pv)["errors"] == [] and get(pv, "/")[0] == 200
            ws.close()

        run(scenario())
    finally:
        pv.stop()
        pv.close()


# -- what is served ----------------------------------------------------------------------------
def test_404_is_the_sites_own_page_and_reloads_too(preview):
    status, body = get(preview, "/nulle/part/")
    assert status == 404
    assert "Rien à cette adresse." in body
    assert '<script src="/livereload.js?port=' in body


def test_head_requests_get_headers_only(preview):
    for path, status in (("/", 200), ("/nope/", 404), ("/assets/css/site.css", 200)):
        conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=TIMEOUT)
        conn.request("HEAD", path)
        response = conn.getresponse()
        assert response.status == status and response.read() == b""
        assert int(response.getheader("Content-Length")) > 0
        conn.close()


def test_every_response_says_no_cache(preview):
    for path in ("/", "/assets/css/site.css", "/nope", "/__dossier__/errors", "/livereload.js"):
        conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=TIMEOUT)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.getheader("Cache-Control") == "no-cache", path


def test_the_live_reload_script_is_never_in_the_built_files(preview, tmp_path):
    built = build(preview.root, out=tmp_path / "out")
    for data in [*built.files.values(), *(p.read_bytes() for p in preview.folder.rglob("*")
                                          if p.is_file())]:
        assert b"livereload" not in data and b"__dossier__" not in data
    assert "livereload.js" in get(preview, "/")[1]  # while the served page has it


def test_injection_is_case_insensitive_and_falls_back_to_body():
    snippet = b"<script></script>"
    assert inject(b"<HEAD><title>x</title></HEAD><body></body>", snippet) == \
        b"<HEAD><title>x</title><script></script></HEAD><body></body>"
    assert inject(b"<p>a</p></BODY >", snippet) == b"<p>a</p><script></script></BODY >"
    assert inject(b"<p>bare</p>", snippet) == b"<p>bare</p><script></script>"


def test_reload_messages():
    assert reload_messages([]) == []
    css = reload_messages(["assets/css/site.css"])
    assert css[0]["path"] == "assets/css/site.css" and css[0]["liveCSS"] is True
    page = reload_messages(["assets/css/site.css", "index.html", "search-index.js"])
    assert [m["path"] for m in page] == ["index.html"]
    assert [m["path"] for m in reload_messages([], full=True)] == ["index.html"]


# -- safety ------------------------------------------------------------------------------------
SECRET = "top secret, never served"


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
    "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt", "//etc/passwd", "/%2fetc%2fpasswd",
    "/index.html%00.txt", "/%00", "/leak.txt", "/leakdir/secret.txt", "/leakdir/",
])
def test_no_path_escapes_the_served_folder(preview, path):
    outside = preview.folder.parent / "secret.txt"
    outside.write_text(SECRET, "utf-8")
    (preview.folder / "leak.txt").symlink_to(outside)
    (preview.folder / "leakdir").symlink_to(preview.folder.parent, target_is_directory=True)
    status, body = get(preview, path)
    assert status in (400, 403, 404), (status, body[:200])
    assert SECRET not in body and "root:" not in body


def test_cross_origin_websockets_are_refused(preview):
    async def scenario():
        for origin in ("http://evil.example", "null", f"http://localhost.evil:{preview.port}"):
            with pytest.raises((HTTPClientError, WebSocketError)):
                await connect(preview, origin=origin)
        ws = await connect(preview, origin=f"http://127.0.0.1:{preview.port}")
        ws.close()

    run(scenario())


def test_a_foreign_host_header_is_refused(preview):
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: refuse that Host."""
    assert get(preview, "/", {"Host": f"evil.example:{preview.port}"})[0] == 403
    assert get(preview, "/", {"Host": f"localhost:{preview.port}"})[0] == 200


def test_loopback_by_default_and_a_warning_for_any_other_host():
    assert Preview.__init__.__kwdefaults__["host"] == "127.0.0.1"
    assert all(map(is_loopback, ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"]))
    assert not any(map(is_loopback, ["0.0.0.0", "192.168.1.2", "example.org", "::"]))
    assert host_warning("127.0.0.1") == ""
    assert host_warning("0.0.0.0").startswith("warning: serving on 0.0.0.0")


# -- the command -------------------------------------------------------------------------------
def test_ctrl_c_stops_the_server_and_removes_its_folder(make_site):
    root = make_site()
    proc = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--port", "0", "--root", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=PROJECT)
    try:
        folder = url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "the server exited early"
            if line.startswith("preview folder: "):
                folder = Path(line.split(": ", 1)[1].strip())
            elif line.startswith("preview at "):
                url = line.split()[2]
        assert folder is not None and folder.is_dir() and url.startswith("http://127.0.0.1:")
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=TIMEOUT) == 0
        assert "preview stopped" in proc.stdout.read()
        assert not folder.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_overlay_speaks_the_language_of_its_messages():
    """One language throughout: the header is in the messages' language and says so."""
    from dossier import errors, serve

    words = serve.overlay_strings()
    assert words["lang"] == errors.MESSAGES_LANGUAGE == "en"
    assert words["one"].startswith("The build failed")
    script = serve.OVERLAY_JS
    assert "OVERLAY_WORDS" not in script and '"lang": "en"' in script
    assert 'box.setAttribute("lang", WORDS.lang)' in script
    assert "échoué" not in script and "Corrigez" not in script  # no French header left
    # every message the overlay shows is the build's own English text, hint included
    problem = errors.Problem("content/x.md", 1, 2, "unknown role '{x}'", "use {fact}`…`")
    assert serve.problem_json(problem)["text"].startswith("content/x.md:1:2: error: unknown")
    # ready for a translated edition of the messages: same keys in every language
    assert all(set(v) == set(serve.OVERLAY_STRINGS["en"]) for v in serve.OVERLAY_STRINGS.values())
