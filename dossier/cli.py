"""The command line: parse arguments, run one command, print problems, return an exit code."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from .errors import BuildFailed
from .output import UnsafeOutput


def parser() -> argparse.ArgumentParser:
    """Describe the commands and their options."""
    p = argparse.ArgumentParser(prog="build.py", description="Build the strategy dossier.")
    p.add_argument("command", nargs="?", default="build",
                   choices=("build", "check", "zip", "serve"),
                   help="build (default): write output/; check: check a built site; "
                        "zip: build, check and package dist/*.zip; serve: live preview")
    p.add_argument("--root", default=".", help="the project folder (default: here)")
    p.add_argument("--out", default=None, help="output folder (default: output/)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--no-cache", action="store_true",
                   help="ignore and do not write the build cache (.cache/)")
    p.add_argument("--timings", action="store_true", help="print how long each step took")
    p.add_argument("--host", default="127.0.0.1", help="serve: interface to bind")
    p.add_argument("--port", type=int, default=8000, help="serve: port (0 picks a free one)")
    p.add_argument("--open", action="store_true", help="serve: open the browser")
    return p


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every clean-up on the way out runs."""


def _terminate(signum, frame) -> None:
    """SIGTERM handler: stop the way Ctrl-C does."""
    raise Terminated()


def main(argv: list[str]) -> int:
    """Run the command; return 0 on success, 1 on problems, 130/143 when interrupted."""
    args = parser().parse_args(argv)
    root = Path(args.root)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        return _run(root, args)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _run(root: Path, args) -> int:
    """Run one command; turn problems and interruptions into messages and exit codes."""
    try:
        if args.command == "build":
            return _build(root, args)
        if args.command == "check":
            from .check import run as check

            return check(root, args)
        if args.command == "zip":
            from .package import run as package

            return package(root, args)
        from .serve import run as serve

        return serve(root, args)
    except BuildFailed as failed:
        print(failed.report.format(), file=sys.stderr)
        n = len(failed.report.errors)
        print(f"build failed: {n} error{'s' * (n != 1)}"
              + (f", {len(failed.report.warnings)} warning(s)" if failed.report.warnings else "")
              + "; output/ was left unchanged", file=sys.stderr)
        return 1
    except UnsafeOutput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        # The new site's temporary folder is already removed; output/ is the last whole site
        # (the new one only if the interruption came during its final rename).
        print("interrupted: nothing half-written was left; output/ holds a whole site",
              file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130


def _build(root: Path, args) -> int:
    """Build the site and report warnings and the time taken."""
    from .pipeline import build

    cache = None if args.no_cache else root / ".cache"
    result = build(root, strict=args.strict, out=args.out, cache_dir=cache, warm_map=True)
    if result.report.warnings:
        print(result.report.format(), file=sys.stderr)
    total = sum(t for _, t in result.timings)
    if args.timings:
        for name, seconds in result.timings:
            print(f"  {name:<20} {seconds * 1000:8.1f} ms")
    pages = sum(dest.endswith(".html") for dest in result.files)
    print(f"built {pages} pages and {len(result.files) - pages + len(result.copies)} files into "
          f"{args.out or result.site.settings.output}/ in {total:.2f} s")
    return 0
