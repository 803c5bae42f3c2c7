"""Find a dossier's source files and read them as UTF-8 text."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Report


def walk(folder: Path) -> list[Path]:
    """List every file under ``folder``, sorted, skipping hidden files and editor leftovers."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
                continue
            found.append(Path(dirpath) / name)
    return found


def read_text(path: Path, shown: str, report: Report) -> str | None:
    """Read a file as UTF-8; record an error naming the first bad byte's line and column."""
    data = path.read_bytes()
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
