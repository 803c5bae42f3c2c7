"""The only module that writes the site: safe paths, atomic swap, nothing outside output/."""

from __future__ import annotations

import hashlib
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


def digest(data: bytes) -> str:
    """Fingerprint a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _write_tree(base: Path, files: dict[str, bytes], copies: dict[str, Path],
                reuse: dict[str, Path]) -> None:
    """Write rendered files and copy static files under ``base``.

    Files in ``reuse`` are unchanged since the last build: they are hard-linked from the
    current output instead of written again (a link costs a hundredth of a write).
    """
    targets = {rel: safe_join(base, rel) for rel in sorted(set(files) | set(copies))}
    for folder in sorted({str(t.parent) for t in targets.values()}):
        os.makedirs(folder, exist_ok=True)

    def write(rel: str) -> None:
        target = targets[rel]
        if rel in reuse:
            try:
                os.link(reuse[rel], target)
                return
            except OSError:  # another file system, or links not allowed: write it
                pass
        if rel in files:
            with open(target, "wb") as handle:
                handle.write(files[rel])
        else:
            shutil.copyfile(copies[rel], target)
        os.chmod(target, 0o644)

    # File creation waits on the file system, not the CPU: a few threads overlap the waits.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, targets))


def _manifest(out: Path, digests: dict[str, str]) -> dict[str, tuple]:
    """Record each written file's digest, size and modification time."""
    manifest = {}
    for rel, value in digests.items():
        stat = os.stat(out / rel)
        manifest[rel] = (value, stat.st_size, stat.st_mtime_ns)
    return manifest


def _untouched(out: Path, manifest: dict[str, tuple]) -> dict[str, Path]:
    """Return the files of ``out`` still as the last build wrote them, by relative path."""
    same = {}
    for rel, (_, size, mtime) in manifest.items():
        try:
            stat = os.stat(out / rel)
        except OSError:
            continue
        if stat.st_size == size and stat.st_mtime_ns == mtime:
            same[rel] = out / rel
    return same


def _listing(out: Path) -> set[str]:
    """Every file under ``out``, as relative posix paths."""
    found = set()
    for dirpath, _, names in os.walk(out):
        rel = os.path.relpath(dirpath, out)
        for name in names:
            found.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return found


def write_site(out: Path, files: dict[str, bytes], copies: dict[str, Path],
               previous: dict | None = None) -> dict[str, tuple]:
    """Write the whole site into a temporary sibling folder, then swap it in.

    A failure at any point leaves the previous ``out`` exactly as it was. ``previous`` is
    the manifest the last build returned: files it shows unchanged are linked, not written,
    and when nothing at all changed, ``out`` is left as it is. Returns the new manifest.
    """
    out = out.resolve()
    digests = {rel: digest(data) for rel, data in files.items()}
    digests.update({rel: digest(src.read_bytes()) for rel, src in copies.items()})
    untouched = _untouched(out, previous) if previous and out.is_dir() else {}
    reuse = {rel: path for rel, path in untouched.items()
             if previous[rel][0] == digests.get(rel)}
    if len(reuse) == len(digests) == len(previous or ()) and _listing(out) == set(digests):
        return previous  # the same bytes are already in place
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        _write_tree(temp, files, copies, reuse)
        os.chmod(temp, 0o755)
        manifest = _manifest(temp, digests)
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
    return manifest


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
