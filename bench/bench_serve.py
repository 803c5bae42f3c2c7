#!/usr/bin/env python3
"""Save-to-reload latency and idle CPU of ``build.py serve`` on a dossier.

``python3 bench/bench_serve.py [ROOT] [--edits 30] [--idle 10]`` copies the dossier at ROOT
(default: this project) to a temporary folder, starts ``build.py serve --port 0`` on the copy
in a subprocess, connects a livereload client over WebSocket, then appends a sentence to one
page ``--edits`` times and times each file write → ``reload`` message. Afterwards it measures
the server's CPU time over ``--idle`` seconds of doing nothing. The dossier itself is never
touched. ``measure(root, edits=30)`` returns the numbers as a dict (``median`` and ``p90`` in
seconds, as bench/run.py expects, plus milliseconds and idle CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from tornado.websocket import websocket_connect

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from dossier import config  # noqa: E402
from dossier.errors import Report  # noqa: E402

PROTOCOL = "http://livereload.com/protocols/official-7"
SETTLE = 0.2  # seconds between edits, so one edit's build never overlaps the next
START_LIMIT = 600  # seconds allowed for the first (cold) build of a large dossier
TICKS = os.sysconf("SC_CLK_TCK")
BUILT = re.compile(r"file\(s\) updated in (\d+) ms")


def copy_dossier(root: Path, dest: Path) -> Path:
    """Copy what a build reads (settings, content, templates, assets) into ``dest``."""
    settings = config.load(root, Report())
    dest.mkdir(parents=True)
    if (root / "pyproject.toml").is_file():
        shutil.copy2(root / "pyproject.toml", dest / "pyproject.toml")
    for name in ("content", "templates", "assets"):
        folder = settings.path(name)
        if folder.is_dir():
            shutil.copytree(folder, dest / folder.relative_to(settings.root))
    return dest


def pick_page(content: Path) -> Path:
    """A leaf page in the middle of the dossier: not a fact file, an index or the 404."""
    pages = sorted(p for p in content.rglob("*.md")
                   if "facts" not in p.relative_to(content).parts
                   and p.name not in ("index.md", "404.md"))
    if not pages:
        raise SystemExit(f"no page to edit under {content}")
    chapters = [p for p in pages if p.parent != content] or pages
    return chapters[len(chapters) // 2]


def start_server(root: Path) -> tuple[subprocess.Popen, str, list]:
    """Start ``build.py serve`` on ``root``; return the process, its URL and its output lines."""
    cmd = [sys.executable, str(PROJECT / "build.py"), "serve", "--port", "0", "--root", str(root)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the server exited: " + "".join(lines[-10:]))
        lines.append(line)
        if line.startswith("preview at "):
            # keep reading its output, or a full pipe would block the server
            threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
            return proc, line.split()[2], lines
    stop_server(proc)
    raise RuntimeError("the server did not start in time")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server as Ctrl-C would, then reap it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def connect(url: str):
    """Connect a livereload client the way livereload.js does: hello, then info."""
    ws = await websocket_connect(url.replace("http://", "ws://") + "livereload")
    await ws.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
    await ws.read_message()
    await ws.write_message(json.dumps({"command": "info", "url": url, "plugins": {}}))
    await asyncio.sleep(0.2)  # the server registers the client on info; it sends no answer
    return ws


async def next_reload(ws, limit: float = 60) -> dict:
    """Wait for the next ``reload`` message."""
    while True:
        raw = await asyncio.wait_for(ws.read_message(), limit)
        if raw is None:
            raise RuntimeError("the server closed the WebSocket")
        message = json.loads(raw)
        if message.get("command") == "reload":
            return message


async def edit_latencies(url: str, page: Path, edits: int) -> tuple[list[float], dict]:
    """Append a sentence to ``page`` ``edits`` times; time each write → reload message."""
    ws = await connect(url)
    original = page.read_text("utf-8")
    latencies, message = [], {}
    for n in range(edits):
        text = original + f"\nPhrase de mesure numéro {n}.\n"
        started = time.perf_counter()
        page.write_text(text, "utf-8")
        message = await next_reload(ws)
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(SETTLE)
    ws.close()
    return latencies, message


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def idle_cpu(pid: int, seconds: float) -> float:
    """Percent of one core a process used while left alone for ``seconds``."""
    before, started = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - before) / (time.monotonic() - started)


def build_times(lines: list[str]) -> list[float]:
    """The build + sync times the server printed (``… updated in 12 ms``), in seconds."""
    return [int(m.group(1)) / 1000 for m in map(BUILT.search, lines) if m]


def nearest_rank(values: list[float], q: float) -> float:
    """The ``q`` quantile by nearest rank (as bench/run.py computes its p90)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(root, edits: int = 30, idle_seconds: float = 10) -> dict:
    """Measure save-to-reload latency over ``edits`` edits and idle CPU, on a copy of ``root``."""
    root = Path(root).resolve()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        site = copy_dossier(root, Path(tmp) / "site")
        content = config.load(site, Report()).path("content")
        page = pick_page(content)
        pages = sum(1 for p in content.rglob("*.md") if "facts" not in p.parts)
        proc, url, lines = start_server(site)
        try:
            latencies, last = asyncio.run(edit_latencies(url, page, edits))
            served = urllib.request.urlopen(url + last["path"], timeout=10).read().decode()
            if f"numéro {edits - 1}." not in served:
                raise RuntimeError("the served page does not have the last edit")
            time.sleep(1)  # let the last build's output settle before measuring idle
            cpu = idle_cpu(proc.pid, idle_seconds)
            builds = build_times(lines)[-len(latencies):]
        finally:
            stop_server(proc)
    return {
        "command": shlex.join([sys.executable, "build.py", "serve", "--port", "0", "--root",
                               f"<copy of {root}>"]),
        "pages": pages,
        "edited": page.relative_to(site).as_posix(),
        "n": len(latencies),
        "median": statistics.median(latencies),
        "p90": nearest_rank(latencies, 0.9),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p90_ms": round(nearest_rank(latencies, 0.9) * 1000, 1),
        "min_ms": round(min(latencies) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "build_median_ms": round(statistics.median(builds) * 1000, 1) if builds else None,
        "idle_cpu_percent": round(cpu, 2),
        "idle_seconds": idle_seconds,
    }


def main(argv=None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("root", nargs="?", default=str(PROJECT), help="the dossier (default: here)")
    p.add_argument("--edits", type=int, default=30, help="edits to time (default 30)")
    p.add_argument("--idle", type=float, default=10, help="seconds of idle CPU (default 10)")
    args = p.parse_args(argv)
    print("$ " + shlex.join([sys.executable, *sys.argv]))
    got = measure(args.root, args.edits, args.idle)
    print(f"server: {got['command']}")
    print(f"dossier: {got['pages']} Markdown pages; edited {got['edited']}")
    print(f"save → reload over {got['n']} edits: median {got['median_ms']} ms, "
          f"p90 {got['p90_ms']} ms (min {got['min_ms']}, max {got['max_ms']}); "
          f"of which build + sync, median: {got['build_median_ms']} ms")
    print(f"idle CPU of the server over {got['idle_seconds']:g} s: "
          f"{got['idle_cpu_percent']} % of one core")
    print(json.dumps(got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
