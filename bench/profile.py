#!/usr/bin/env python3
"""Profile our generator on a synthetic dossier: where cold and incremental builds spend time.

``python3 bench/profile.py [--pages 1000] [--top 25]`` generates the dossier, then samples
three ``build.py`` runs with py-spy (200 Hz, no in-process overhead; child processes
included): a cold build (no ``output/``, no ``.cache/``), a warm build (nothing changed), and a
build after one page changed. It writes ``bench/PROFILE.md``: the build's own step timings,
then self time by module and the functions with the most self and inclusive time. The raw
stacks go to ``bench/work/profile-<mode>.raw`` (flamegraph.pl or speedscope read them).

pyinstrument was tried first: its per-call overhead made the Markdown parsing (many small
calls) look 8x slower than it is (a 1,000-page cold build took 18.9 s under it, 3.9 s
without), so its percentages were misleading.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
WORK = BENCH / "work"
VENV = WORK / "venv-prof"
MODES = {"cold": "Cold build (no output/, no .cache/)", "warm": "Warm build (nothing changed)",
         "one": "One page changed (cache warm)"}


def ensure_py_spy() -> Path:
    """Install py-spy into bench/work/venv-prof once; return its executable."""
    exe = VENV / "bin" / "py-spy"
    if not exe.exists():
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "py-spy"], check=True)
    return exe


def frame_key(frame: str) -> str:
    """Shorten one py-spy frame, ``func (path:line)``, to project- or package-relative."""
    name, _, where = frame.rpartition(" (")
    path = where.rstrip(")")
    if path.startswith(str(PROJECT) + "/"):
        path = path[len(str(PROJECT)) + 1:]
    for marker in ("site-packages/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"


def module_of(key: str) -> str:
    """The module part of a frame key (its file, without the line)."""
    return key.rpartition(" (")[2].rstrip(")").rpartition(":")[0] or key


def split_stack(stack: str) -> tuple[bool, list[str]]:
    """Whether a stack is a pool worker's, and its frames (a worker's without the fork)."""
    parts = stack.split(";")
    worker = sum(p.startswith("process ") for p in parts) > 1
    frames = [frame_key(f) for f in parts if " (" in f and not f.startswith("process ")]
    if worker:  # a forked worker's stack starts with the parent's frames up to the fork
        cut = next((i for i, f in enumerate(frames) if f.startswith("BaseProcess._bootstrap")), 0)
        frames = frames[cut:]
    return worker, frames


def aggregate(raw: str) -> dict:
    """Self samples per function and per module, inclusive samples, and the process split."""
    got = {"self": {}, "inclusive": {}, "module": {}, "total": 0, "workers": 0}
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        worker, frames = split_stack(stack)
        if not frames:
            continue
        n = int(count)
        got["total"] += n
        got["workers"] += n if worker else 0
        for table_name, key in (("self", frames[-1]), ("module", module_of(frames[-1]))):
            got[table_name][key] = got[table_name].get(key, 0) + n
        for key in set(frames):
            got["inclusive"][key] = got["inclusive"].get(key, 0) + n
    return got


def touch_page(site: Path) -> None:
    """Change one leaf page's text, as an editor would."""
    page = next(iter(sorted((site / "content").glob("partie-*/groupe-*/p*.md"))))
    with page.open("a", encoding="utf-8") as handle:
        handle.write(f"\nUne phrase ajoutée à {time.time_ns()}.\n")


def prepare(site: Path, mode: str) -> None:
    """Put the site in the state a mode measures from."""
    if mode == "cold":
        for name in ("output", ".cache"):
            shutil.rmtree(site / name, ignore_errors=True)
    elif mode == "one":
        touch_page(site)


def sample(py_spy: Path, site: Path, mode: str) -> tuple[str, str, float]:
    """Run one profiled build; return its raw stacks, what it printed and its wall time."""
    raw = WORK / f"profile-{mode}.raw"
    prepare(site, mode)
    start = time.perf_counter()
    done = subprocess.run([str(py_spy), "record", "-r", "200", "--function", "--subprocesses",
                           "-f", "raw", "-o", str(raw), "--", sys.executable,
                           str(PROJECT / "build.py"), "--root", str(site), "--timings"],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    printed = "\n".join(ln for ln in done.stdout.splitlines() if not ln.startswith("py-spy>"))
    if done.returncode != 0:
        printed += "\n" + done.stderr[-2000:]
    return (raw.read_text("utf-8") if raw.exists() else ""), printed.strip("\n"), wall


def table(counts: dict, total: int, top: int, title: str) -> list[str]:
    """A Markdown table of the ``top`` entries by samples, with % of all samples."""
    lines = [f"| {title} | samples | % |", "|---|---:|---:|"]
    for key, n in sorted(counts.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"| `{key}` | {n} | {100 * n / max(total, 1):.1f} |")
    return lines


def section(mode: str, raw: str, printed: str, wall: float, top: int) -> list[str]:
    """The PROFILE.md section of one mode."""
    got = aggregate(raw)
    total = got["total"]
    parts = [f"## {MODES[mode]}", "",
             f"Wall time under py-spy: {wall:.2f} s; {total} samples at 200 Hz, "
             f"{got['workers']} of them in pool worker processes (interpreter start and imports "
             "included; a sample is 5 ms of one thread running).", "",
             "What `build.py --timings` printed:", "", "```", printed, "```", ""]
    parts += table(got["module"], total, 12, "module (self time)") + [""]
    parts += table(got["self"], total, top, "function (self time)") + [""]
    parts += table(got["inclusive"], total, top, "function (inclusive time)") + [""]
    return parts


def main(argv=None) -> int:
    """Generate the dossier, profile each mode, write PROFILE.md."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pages", type=int, default=1000)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    import synth

    py_spy, folder = ensure_py_spy(), WORK / "sites" / f"profile-{args.pages}"
    synth.generate(folder, args.pages, args.seed, ("ours",))
    site = folder / "ours"
    parts = ["# Profile of our generator", "",
             f"`python3 bench/profile.py --pages {args.pages}`: a synthetic dossier of "
             f"{args.pages} pages (bench/synth.py), sampled by py-spy at 200 Hz, one fresh "
             "process per build. Raw stacks: `bench/work/profile-<mode>.raw`.", ""]
    for mode in MODES:
        parts += section(mode, *sample(py_spy, site, mode), args.top)
    text = "\n".join(parts)
    (BENCH / "PROFILE.md").write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
