#!/usr/bin/env python3
"""Ours without a server: one live ``Builder`` rebuilding after each edit (a floor for serve).

``python3 bench/rebuild_latency.py SITE PAGES EDITS`` builds once, then for each edit appends
a marker to a leaf page, rebuilds with the same ``Builder`` (as a preview server would) and
times file write → the page's output file containing the marker. Prints JSON on its last line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import synth  # noqa: E402

from dossier.pipeline import Builder  # noqa: E402


def one_edit(builder: Builder, site: Path, rel: str, token: str) -> float:
    """Append ``token`` to a page, rebuild, check the output has it; return the seconds."""
    path = site / "content" / rel
    text = path.read_text("utf-8")
    start = time.perf_counter()
    path.write_text(text + f"\nParagraphe {token}.\n", "utf-8")
    builder.build()
    out = site / "output" / rel[:-3] / "index.html"
    if token not in out.read_text("utf-8"):
        raise SystemExit(f"the edit {token} is not in {out}")
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    """Build once, then time each edit's rebuild."""
    site, n, edits = Path(argv[0]).resolve(), int(argv[1]), int(argv[2])
    builder = Builder(site, cache_dir=site / ".cache")
    builder.build()
    lat = [one_edit(builder, site, synth.leaf_path(n, (k * 37 + 11) % n), f"marqueur{k}z")
           for k in range(edits)]
    lat.sort()
    print(json.dumps({"median": statistics.median(lat), "p90": lat[round(0.9 * (len(lat) - 1))],
                      "n": len(lat), "note": "one live Builder, build() as build.py "
                      "runs it (search index, output/ and cache written) after each edit"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
