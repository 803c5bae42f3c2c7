"""Find a dossier's source files and read them as UTF-8 text."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .errors import Report

# Files of an input folder that the build reads as text (the others are copied as bytes).
TEXT_SUFFIXES = (".css", ".js", ".mjs", ".json", ".geojson", ".svg", ".html", ".htm", ".txt",
                 ".xml", ".md", ".csv")


def walk(folder: Path, report: Report | None = None, root: Path | None = None) -> list[str]:
    """List every file under ``folder`` as a relative posix path, sorted, skipping hidden
    files and editor leftovers.

    A symbolic link that leads outside ``folder``, a dangling link, a link loop and two names
    that differ only by case are refused (reported when ``report`` is given): the first would
    copy a file from elsewhere on the machine into the published site, the next two cannot be
    read, and the last collide on case-insensitive disks (a zip opened on macOS or Windows).
    """
    base = Path(folder).resolve()
    found: list[str] = []
    start = str(folder).rstrip("/") + "/"
    _walk(str(folder), _Walk(base, report, root, {os.path.realpath(folder)}), found)
    # Plain strings: a Path per file costs more than the walk itself at 1,000 pages.
    return [path[len(start):].replace(os.sep, "/") for path in found]


class _Walk:
    """What one walk needs everywhere: its base, where to report, the folders seen."""

    def __init__(self, base: Path, report, root, seen: set):
        self.base, self.report, self.root, self.seen = base, report, root, seen

    def error(self, path: str, message: str, hint: str) -> None:
        """Report a problem of one entry, shown relative to the project root."""
        if self.report is None:
            return
        shown = Path(path)
        if self.root is not None:
            try:
                shown = shown.relative_to(self.root)
            except ValueError:
                shown = Path(os.path.relpath(path, self.root))
        self.report.error(shown.as_posix(), 1, 1, message, hint)


def _walk(folder: str, walk: _Walk, found: list) -> None:
    """Collect one folder's files, then its subfolders', in sorted order (os.scandir: fast)."""
    try:
        with os.scandir(folder) as entries:
            items = sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        walk.error(folder, f"cannot read this folder: {exc.strerror}", "check its permissions")
        return
    walk.seen.add(os.path.realpath(folder))
    subfolders, names = [], {}
    for entry in items:
        name = entry.name
        if name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
            continue
        if entry.is_symlink() and not _link_ok(entry, walk):
            continue
        is_dir = entry.is_dir()
        if is_dir and name.startswith("_"):
            continue
        other = names.setdefault(name.casefold(), name)
        if other != name:
            walk.error(entry.path, f"'{name}' and '{other}' differ only by case",
                       "rename one of them: on macOS and Windows they are the same file")
            continue
        if is_dir:
            subfolders.append(entry.path)
        else:
            found.append(entry.path)
    for sub in subfolders:
        _walk(sub, walk, found)


def _link_ok(entry, walk: _Walk) -> bool:
    """Tell whether a symbolic link may be followed; report one that may not."""
    broken = broken_link(entry.path)
    if broken:
        walk.error(entry.path, *broken)
        return False
    real = os.path.realpath(entry.path)
    if not Path(real).is_relative_to(walk.base):
        kind = "folder" if entry.is_dir() else "file"
        walk.error(entry.path, f"symbolic link to a {kind} outside its folder",
                   "copy the file into the project instead of linking to it")
        return False
    if entry.is_dir():
        here = os.path.realpath(os.path.dirname(entry.path))
        if here == real or Path(here).is_relative_to(real):
            walk.error(entry.path, "symbolic link loop: it leads back to a folder that "
                       "contains it", "remove the link")
            return False
        if real in walk.seen:
            walk.error(entry.path, "symbolic link to a folder already in the site: its "
                       "files would be read twice", "remove the link")
            return False
        walk.seen.add(real)
    return True


def broken_link(path: str) -> tuple[str, str] | None:
    """``(message, hint)`` for a symbolic link that leads nowhere or in a loop, else None."""
    try:
        os.stat(path)
        return None
    except OSError as exc:
        if not os.path.islink(path):
            return None
        target = os.readlink(path)
        if exc.errno == errno.ELOOP:
            return (f"symbolic link loop ('{target}')",
                    "remove the link or point it at a real file")
        return (f"symbolic link to nothing: '{target}' does not exist",
                "remove the link or copy the file into the project")


def read_text(path, shown: str, report: Report) -> str | None:
    """Read a file as UTF-8; record an error naming the first bad byte's line and column."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        # The same words as the folder walk's, so that one broken link is one error.
        report.error(shown, 1, 1, *(broken_link(str(path)) or (
            f"cannot read the file: {exc.strerror}",
            "check that it exists and that you may read it")))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = byte_position(data, exc.start)
        report.error(shown, line, col, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                     "save the file as UTF-8 in your editor")
        return None
    # A byte-order mark would become part of the first key or title; old Mac files end their
    # lines with a bare CR, which would hide the front matter's '---' lines.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a byte offset of UTF-8-ish data."""
    before = data[:offset]
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    line = before.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    col = len(before[line_start:].decode("utf-8", "replace")) + 1
    return line, col


def check_text_files(folder: Path, rels: list[str], shown: str, report: Report) -> None:
    """Report the text files among ``rels`` (stylesheets, scripts, …) that are not UTF-8."""
    for rel in rels:
        if rel.lower().endswith(TEXT_SUFFIXES):
            read_text(os.path.join(folder, rel), f"{shown}/{rel}", report)
