"""Benchmark the map: what it adds to a build, and what the map page weighs.

    python3 bench/bench_map.py [--root PATH] [--runs N]

Measures, on the dossier at --root (default: this project):
- ``import folium`` in a fresh interpreter (paid once per process, only by builds with a map);
- the map step (time spent in ``maps.page_context`` during a build) when the facts changed
  (an edited copy of the dossier: a full Folium render) and when they did not (the rendered
  map comes from the in-process memo), and the region locators (``maps.region_context``);
- the map page's weight: its HTML plus every stylesheet and script it loads, raw and gzipped
  (the search index is loaded only when a reader searches: shown apart).
Targets (issue 3): map step < 100 ms with changed facts; page < 150 KB gzipped.
"""

from __future__ import annotations

import argparse
import gzip
import posixpath
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from dossier import maps  # noqa: E402
from dossier.pipeline import build  # noqa: E402

STEP_TARGET_MS, WEIGHT_TARGET_KB = 100, 150


def ms(seconds: float) -> str:
    """Format a duration in milliseconds."""
    return f"{seconds * 1000:7.1f} ms"


def folium_import_time(runs: int) -> list[float]:
    """Time ``import folium`` in fresh interpreters."""
    code = "import time; t = time.perf_counter(); import folium; print(time.perf_counter() - t)"
    return [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(runs)]


def map_page(site):
    """The page rendered with templates/map.html."""
    return next(p for p in site.pages.values() if p.template == "map.html")


def copy_dossier(root: Path, into: Path) -> Path:
    """Copy a dossier's sources to a scratch folder, so that the bench can edit its facts."""
    for name in ("content", "templates", "assets"):
        shutil.copytree(root / name, into / name)
    if (root / "pyproject.toml").is_file():
        shutil.copy(root / "pyproject.toml", into / "pyproject.toml")
    return into


def edit_facts(root: Path, i: int) -> None:
    """Change a fact the map shows, as an editor would: move the first placed site a little."""
    path = root / "content" / "facts" / "datacentres.yaml"
    text = path.read_text("utf-8")
    new = re.sub(r"(?m)^(\s+lat: )(-?\d+(?:\.\d+)?)$",
                 lambda m: f"{m.group(1)}{float(m.group(2)) + (i % 2 + 1) * 1e-3:.4f}",
                 text, count=1)
    if new == text:
        raise SystemExit(f"{path}: no 'lat:' line to edit")
    path.write_text(new, "utf-8")


class StepTimer:
    """Wraps the pipeline's calls into dossier.maps and adds up their time per build."""

    def __init__(self):
        """Wrap page_context and region_context."""
        self.map = self.locators = 0.0
        self._page, self._region = maps.page_context, maps.region_context
        maps.page_context = self._timed(self._page, "map")
        maps.region_context = self._timed(self._region, "locators")

    def _timed(self, func, slot: str):
        """Return ``func`` adding its duration to ``slot``."""
        def wrapper(*args):
            """Call the wrapped function, timing it."""
            start = time.perf_counter()
            try:
                return func(*args)
            finally:
                setattr(self, slot, getattr(self, slot) + time.perf_counter() - start)
        return wrapper

    def run(self, root: Path) -> tuple[float, float, float]:
        """Build once (one-shot, nothing written); return (map step, locators, whole build)."""
        self.map = self.locators = 0.0
        start = time.perf_counter()
        build(root, write=False)
        return self.map, self.locators, time.perf_counter() - start


class Loads(HTMLParser):
    """Collect the stylesheets and scripts a page loads."""

    def __init__(self):
        """Start with nothing loaded."""
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Record a script's src or a stylesheet's href."""
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and attrs.get("href"):
            self.urls.append(attrs["href"])


def weight(result, dest: str) -> list[tuple[str, int, int]]:
    """Each file the map page loads: (path, bytes, gzipped bytes), the page first."""
    def sizes(path: str) -> tuple[str, int, int]:
        """A built or copied file's raw and gzipped sizes."""
        data = result.files[path] if path in result.files else result.copies[path].read_bytes()
        return path, len(data), len(gzip.compress(data, 9, mtime=0))

    parser = Loads()
    parser.feed(result.files[dest].decode("utf-8"))
    base = posixpath.dirname(dest)
    loaded = [posixpath.normpath(posixpath.join(base, url)) for url in parser.urls]
    return [sizes(dest)] + [sizes(path) for path in loaded]


def report(name: str, times: list[float]) -> None:
    """Print the median and range of some timings."""
    print(f"  {name:<44} median {ms(statistics.median(times))}   "
          f"min {ms(min(times))}   max {ms(max(times))}   (n={len(times)})")


def main(argv: list[str]) -> int:
    """Run the benchmark and print the numbers."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--root", default=str(PROJECT), help="the dossier to build")
    args.add_argument("--runs", type=int, default=20, help="repetitions per measure")
    opts = args.parse_args(argv)
    print("$ python3 " + " ".join(shlex.quote(a) for a in [sys.argv[0], *argv]))

    print("\nimport folium (fresh interpreter, once per build process):")
    report("import folium", folium_import_time(max(3, opts.runs // 4)))

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_dossier(Path(opts.root), Path(tmp))
        steps = StepTimer()
        first = steps.run(root)  # the first build also imports folium and loads the shapes
        changed, unchanged = [], []
        for i in range(opts.runs):
            edit_facts(root, i)
            changed.append(steps.run(root))
            unchanged.append(steps.run(root))

    print("\nfirst build in a process (includes import folium and loading the boundaries):")
    report("map step", [first[0]])
    report("region locators (every region page)", [first[1]])
    report("whole build", [first[2]])
    print("\nlater builds in the same process, map step = maps.page_context():")
    report(f"map step, facts changed (target < {STEP_TARGET_MS} ms)", [c[0] for c in changed])
    report("map step, facts unchanged (memo hit)", [u[0] for u in unchanged])
    report("region locators, either case (memo hit)", [u[1] for u in changed + unchanged])
    report("whole build, facts changed", [c[2] for c in changed])
    report("whole build, facts unchanged", [u[2] for u in unchanged])

    result = build(Path(opts.root), write=False)
    rows = weight(result, map_page(result.site).dest)
    print(f"\nweight of {rows[0][0]} and what it loads:")
    for path, raw, gz in rows:
        print(f"  {path:<62} {raw / 1024:7.1f} KB  {gz / 1024:6.1f} KB gzipped")
    total_raw, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"  {'total':<62} {total_raw / 1024:7.1f} KB  {total_gz / 1024:6.1f} KB gzipped"
          f"   (target < {WEIGHT_TARGET_KB} KB)")
    if "search-index.js" in result.files:
        data = result.files["search-index.js"]
        print(f"  {'(search-index.js, loaded on the first search only)':<62} "
              f"{len(data) / 1024:7.1f} KB  {len(gzip.compress(data, 9)) / 1024:6.1f} KB gzipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
