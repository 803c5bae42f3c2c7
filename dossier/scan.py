"""Find a dossier's source files and read them as UTF-8 text."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Report


def walk(folder: Path, report: Report | None = None, root: Path | None = None) -> list[str]:
    """List every file under ``folder`` as a relative posix path, sorted, skipping hidden
    files and editor leftovers.

    A symbolic link that leads outside ``folder`` is refused (reported when ``report`` is
    given): it would copy a file from elsewhere on the machine into the published site.
    """
    base = Path(folder).resolve()
    found: list[str] = []
    start = str(folder).rstrip("/") + "/"
    _walk(str(folder), base, found, report, root)
    # Plain strings: a Path per file costs more than the walk itself at 1,000 pages.
    return [path[len(start):].replace(os.sep, "/") for path in found]


def _walk(folder: str, base: Path, found: list, report, root) -> None:
    """Collect one folder's files, then its subfolders', in sorted order (os.scandir: fast)."""
    with os.scandir(folder) as entries:
        items = sorted(entries, key=lambda e: e.name)
    subfolders = []
    for entry in items:
        name = entry.name
        if entry.is_dir():  # follows a link to a folder: checked like a file below
            if not name.startswith((".", "_")) and _inside(entry, base, report, root):
                subfolders.append(entry.path)
        elif not name.startswith((".", "#")) and not name.endswith(("~", ".swp", ".tmp")):
            if _inside(entry, base, report, root):
                found.append(entry.path)
    for sub in subfolders:
        _walk(sub, base, found, report, root)


def _inside(entry, base: Path, report, root) -> bool:
    """Tell whether an entry stays inside ``base``; report a link that leads out of it."""
    if not entry.is_symlink() or Path(entry.path).resolve().is_relative_to(base):
        return True
    if report is not None:
        path = Path(entry.path)
        shown = path.relative_to(root).as_posix() if root else str(path)
        report.error(shown, 1, 1, "symbolic link to a file outside its folder",
                     "copy the file into the project instead of linking to it")
    return False


def read_text(path, shown: str, report: Report) -> str | None:
    """Read a file as UTF-8; record an error naming the first bad byte's line and column."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        report.error(shown, line, col, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                     "save the file as UTF-8 in your editor")
        return None
    # A byte-order mark would become part of the first key or title.
    return text.removeprefix("\ufeff").replace("\r\n", "\n")
