"""Compare search engines on the real dossier: the committed query set, index sizes, load time.

    python3 tools/search_compare.py [--baseline COMMIT] [--scale PAGES]

Engines (all run in Node on the same machine):

- ``ours-before``: the former engine (our own, ``assets/js/search.js`` at ``--baseline``) on
  that commit's build: the state the issue describes.
- ``ours-engine``: the same former engine over today's extracted docs (titles, headings and
  prose, navigation lists left out), to separate the engine from the extraction.
- ``lunr`` / ``lunr-folded``: lunr 2.3.9 + lunr-languages (fr, ar) over today's docs, as
  documented and with accents folded first (``tools/search_lunr.js``).
- ``minisearch``: what the site ships (``assets/vendor/minisearch`` + ``assets/js/search.js``).

Sizes are what a reader downloads for search: the index file (plus, for lunr, the docs for
excerpts), raw and gzipped (level 9, mtime 0). lunr and lunr-languages are installed with npm
into ``.cache/search-compare`` (never shipped). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dossier import search  # noqa: E402

RUN_JS = ROOT / "tests" / "search_run.js"
LUNR_JS = ROOT / "tools" / "search_lunr.js"
LUNR_PACKAGES = ("lunr@2.3.9", "lunr-languages@1.22.0")
LUNR_SCRIPTS = ("lunr/lunr.min.js", "lunr-languages/min/lunr.stemmer.support.min.js",
                "lunr-languages/min/lunr.fr.min.js", "lunr-languages/min/lunr.ar.min.js",
                "lunr-languages/min/lunr.multi.min.js")


def gz(data: bytes) -> int:
    """Size of data gzipped at level 9, without a timestamp."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(data)
    return len(buf.getvalue())


def build(project: Path, out: Path) -> None:
    """Build a dossier's site into ``out`` with that project's own code."""
    subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=project, check=True,
                   capture_output=True)


def node(args: list, payload: dict) -> dict:
    """Run a Node script with a JSON payload on stdin; return its JSON output."""
    done = subprocess.run(["node", *map(str, args)], input=json.dumps(payload),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def score(queries: list, results: dict) -> tuple[int, list]:
    """Count the queries whose expected page comes first (or within ``top``)."""
    passed, failed = 0, []
    for q in queries:
        urls = [r["url"] for r in results.get(q["query"], [])][: q.get("top", 1)]
        if any(u in q["expect"] for u in urls):
            passed += 1
        else:
            failed.append(q["query"])
    return passed, failed


def lunr_modules(cache: Path) -> Path:
    """Install lunr and lunr-languages (pinned) for the comparison, once."""
    modules = cache / "node_modules"
    if not (modules / "lunr-languages").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(cache),
                        *LUNR_PACKAGES], check=True, capture_output=True)
    return modules


def old_module(project: Path):
    """Import the baseline's dossier/search.py under another name."""
    spec = importlib.util.spec_from_file_location("old_search", project / "dossier/search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    """Run every engine on the query set and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="9f76880", help="commit of the former engine")
    parser.add_argument("--scale", type=int, default=5000,
                        help="pages for the size/time projection (docs repeated)")
    args = parser.parse_args()
    queries = yaml.safe_load((ROOT / "tests/search_queries.yaml").read_text("utf-8"))
    texts = [q["query"] for q in queries]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # Today's site, built by this tree.
        site = tmp / "site"
        build(ROOT, site)
        js = (site / "search-index.js").read_bytes()
        docs = search.index_docs(js.decode())

        # The baseline tree, exported from git and built by its own code.
        base = tmp / "base"
        archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(base)
        build(base, tmp / "base-site")
        out = node([RUN_JS, tmp / "base-site"], {"queries": texts})
        old_js = (tmp / "base-site/search-index.js").read_bytes()
        old_lib = (base / "assets/js/search.js").read_bytes()
        rows.append(("ours-before", *score(queries, out["results"]), len(old_js), gz(old_js),
                     len(old_lib), gz(old_lib), out["ms"]["load"]))

        # The former engine over today's docs (headings folded into the text it indexes).
        engine_site = tmp / "engine-site"
        (engine_site / "assets/js").mkdir(parents=True)
        shutil.copy(base / "assets/js/search.js", engine_site / "assets/js/search.js")
        old = old_module(base)
        flat = [{"url": d["url"], "title": d["title"], "section": d["section"],
                 "text": " ".join([*(h[1] for h in d["headings"]), d["text"]])} for d in docs]
        engine_js = old.build_index(flat).encode()
        (engine_site / "search-index.js").write_bytes(engine_js)
        out = node([RUN_JS, engine_site], {"queries": texts})
        rows.append(("ours-engine", *score(queries, out["results"]), len(engine_js),
                     gz(engine_js), len(old_lib), gz(old_lib), out["ms"]["load"]))

        # lunr, as documented and with folding; it ships its index plus the docs.
        modules = lunr_modules(ROOT / ".cache" / "search-compare")
        lunr_lib = b"\n".join((modules / rel).read_bytes() for rel in LUNR_SCRIPTS)
        for mode in ("plain", "folded"):
            out = node([LUNR_JS, modules, mode], {"docs": docs, "queries": texts})
            shipped = out["serialized"].encode() + js
            rows.append((f"lunr{'-folded' if mode == 'folded' else ''}",
                         *score(queries, out["results"]), len(shipped), gz(shipped),
                         len(lunr_lib), gz(lunr_lib), out["ms"]["build"]))

        # What the site ships.
        out = node([RUN_JS, site], {"queries": texts})
        lib = b"\n".join((site / rel).read_bytes() for rel in
                         ("assets/vendor/minisearch/minisearch.js", "assets/js/search.js"))
        rows.append(("minisearch", *score(queries, out["results"]), len(js), gz(js),
                     len(lib), gz(lib), out["ms"]["load"]))

        # Projection: the same docs repeated up to --scale pages (urls made unique).
        copies = [{**d, "url": f"{n}/{d['url']}"} for n in range(args.scale // len(docs) + 1)
                  for d in docs][: args.scale]
        big = search.build_index(copies).encode()
        big_site = tmp / "big-site"
        shutil.copytree(site / "assets", big_site / "assets")
        (big_site / "search-index.js").write_bytes(big)
        out = node([RUN_JS, big_site], {"queries": ["jazari"]})
        projection = (len(copies), len(big), gz(big), out["ms"]["load"])

    print(f"Query set: tests/search_queries.yaml ({len(queries)} queries), "
          f"{len(docs)} pages; baseline {args.baseline}.\n")
    print("| engine | queries passed | index raw | index gzip | scripts raw | scripts gzip "
          "| ready in (Node) | failed queries |")
    print("|---|---|---|---|---|---|---|---|")
    for name, passed, failed, raw, packed, lib, lib_gz, ms in rows:
        print(f"| {name} | {passed}/{len(queries)} | {raw / 1024:.0f} kB | {packed / 1024:.1f} kB "
              f"| {lib / 1024:.0f} kB | {lib_gz / 1024:.1f} kB | {ms:.0f} ms "
              f"| {', '.join(failed) or '–'} |")
    pages, raw, packed, ms = projection
    print(f"\nminisearch at {pages} pages (docs repeated): {raw / 1048576:.1f} MB raw, "
          f"{packed / 1048576:.2f} MB gzip, load + index {ms:.0f} ms in Node.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
