"""The only module that writes the site: safe paths, atomic swap, nothing outside output/."""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


class UnsafeOutput(Exception):
    """The output folder or a file path would write where the build must not."""


def check_folder(out: Path, root: Path, protected: list[Path]) -> str:
    """Return why ``out`` may not be used as the output folder, or ``""``."""
    out = out.resolve()
    for folder in [root.resolve(), *(p.resolve() for p in protected)]:
        if out == folder or folder.is_relative_to(out):
            return (f"refusing to use {out} as the output folder: it is or contains "
                    f"{folder}, which the build must never replace")
    if out.exists() and not out.is_dir():
        return f"refusing to use {out} as the output folder: it is a file"
    return ""


def safe_join(base: Path, rel: str) -> Path:
    """Join a site-relative path under ``base``; refuse anything that escapes it."""
    norm = posixpath.normpath(rel)
    if posixpath.isabs(rel) or norm == ".." or norm.startswith("../") or "\x00" in rel:
        raise UnsafeOutput(f"refusing to write outside the output folder: {rel!r}")
    return base / norm


def _write_tree(base: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write rendered files and copy static files under ``base``."""
    targets = {rel: safe_join(base, rel) for rel in sorted(set(files) | set(copies))}
    for folder in sorted({str(t.parent) for t in targets.values()}):
        os.makedirs(folder, exist_ok=True)

    def write(rel: str) -> None:
        target = targets[rel]
        if rel in files:
            with open(target, "wb") as handle:
                handle.write(files[rel])
        else:
            shutil.copyfile(copies[rel], target)
        os.chmod(target, 0o644)

    # File creation waits on the file system, not the CPU: a few threads overlap the waits.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, targets))


def write_site(out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write the whole site into a temporary sibling folder, then swap it in.

    A failure at any point leaves the previous ``out`` exactly as it was.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        _write_tree(temp, files, copies)
        os.chmod(temp, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            os.replace(out, old / "site")
            os.replace(temp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def sync_site(out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> list[str]:
    """Update ``out`` in place, writing only files whose bytes changed; return those paths.

    Used by the preview, where a full swap per keystroke would be wasteful. Files of ``out``
    that the site no longer has are removed (only inside ``out``).
    """
    out = out.resolve()
    changed = []
    wanted = set(files) | set(copies)
    for rel in sorted(wanted):
        target = safe_join(out, rel)
        data = files[rel] if rel in files else copies[rel].read_bytes()
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        changed.append(rel)
    for path in sorted(out.rglob("*"), reverse=True):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
            changed.append(rel)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed
