"""The only module that writes the site: safe paths, atomic swap, nothing outside output/."""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import shutil
import signal
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): builds into one folder must then not overlap
    fcntl = None

MARKER = ".dossier-build"  # in every folder the build makes: proof that it may replace it
MARKER_HEAD = (b"This folder was made by the dossier build (python build.py) and is replaced "
               b"whole by the next build:\nkeep no files of your own here. Files it wrote:\n")
TEMP_KINDS = ("new", "old")  # .<name>-new-*: a site being written; .<name>-old-*: the last one


class UnsafeOutput(Exception):
    """The output folder or a file path would write where the build must not."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


def is_ours(folder: Path) -> bool:
    """Tell whether ``folder`` carries the marker of a folder the build made."""
    marker = Path(folder, MARKER)
    try:
        if marker.is_symlink() or not marker.is_file():
            return False
        with open(marker, "rb") as handle:
            return handle.read(len(MARKER_HEAD)) == MARKER_HEAD
    except OSError:
        return False


def marker_bytes(paths) -> bytes:
    """The marker's text: what it is, then every file the build wrote (sorted: deterministic)."""
    return MARKER_HEAD + "".join(f"{rel}\n" for rel in sorted(paths)).encode("utf-8")


def check_folder(out: Path, protected: dict[str, Path], root: Path) -> UnsafeOutput | None:
    """Return why ``out`` may not be the output folder (message and hint), or None.

    The build replaces only a missing or empty folder, or one it made itself (it has the
    marker). ``protected`` names the project's inputs (label → path): the output may be none
    of them, inside none of them, and contain none of them; ``root`` may only hold it.
    """
    shown = display(out, root)
    given = Path(os.path.abspath(out))
    hint = ("build into a folder of its own: the default output/, or a new folder outside "
            "the project (--out /tmp/site)")
    if given.is_symlink():
        return UnsafeOutput(f"refusing to use {shown} as the output folder: it is a symbolic "
                            f"link (to {os.readlink(given)}), and the build would replace what "
                            "it leads to", "remove the link, or give the real folder with --out")
    real = given.resolve()
    if real == root.resolve() or root.resolve().is_relative_to(real):
        return UnsafeOutput(f"refusing to use {shown} as the output folder: it is or contains "
                            "the project folder, which the build must never replace", hint)
    for label, folder in protected.items():
        folder = folder.resolve()
        if real == folder or real.is_relative_to(folder):
            where = "" if real == folder else "inside "
            return UnsafeOutput(f"refusing to use {shown} as the output folder: it is {where}"
                                f"{label}, which the build must never replace", hint)
        if folder.is_relative_to(real):
            return UnsafeOutput(f"refusing to use {shown} as the output folder: it contains "
                                f"{label}, which the build must never replace", hint)
    return check_existing(given, shown)


def check_existing(out: Path, shown: str) -> UnsafeOutput | None:
    """Refuse a link, a file, or a non-empty folder without the marker (None when fine)."""
    if os.path.islink(out):
        return UnsafeOutput(f"refusing to use {shown} as the output folder: it is a symbolic "
                            "link", "remove the link, or give the real folder with --out")
    if out.exists() and not out.is_dir():
        return UnsafeOutput(f"refusing to use {shown} as the output folder: it is a file",
                            "choose another folder with --out, or move the file away")
    try:
        holds = out.is_dir() and any(os.scandir(out))
    except OSError as exc:  # a folder the build may not even list is not one it made
        return UnsafeOutput(f"refusing to use {shown} as the output folder: cannot read it "
                            f"({exc.strerror or exc})", "choose another folder with --out")
    if holds and not is_ours(out):
        return UnsafeOutput(
            f"refusing to replace {shown}: it holds files the build did not write (it has no "
            f"{MARKER} marker), and building would delete them",
            f"choose another folder with --out; if {shown} is an older build's output, delete "
            "it once yourself")
    return None


def display(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the project when inside it."""
    absolute = Path(os.path.abspath(path))
    root = Path(os.path.abspath(root))
    if absolute.is_relative_to(root):
        return absolute.relative_to(root).as_posix() or "."
    return str(absolute)


def setting_place(root: Path, key: str) -> tuple[int, int] | None:
    """Line and column of ``key =`` in ``[tool.dossier]`` of pyproject.toml, if written there."""
    try:
        lines = Path(root, "pyproject.toml").read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    inside = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.split("#")[0].strip() == "[tool.dossier]"
        elif inside and stripped.split("=")[0].strip().strip("\"'") == key and "=" in line:
            return number, len(line) - len(line.lstrip()) + 1
    return None


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
        _write_file(target, files.get(rel), copies.get(rel))

    # File creation waits on the file system, not the CPU: a few threads overlap the waits.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, targets))


def _write_file(target: Path, data: bytes | None, source: Path | None) -> None:
    """Write one new file of the site: ``data``, or a copy of ``source``."""
    if data is not None:
        with open(target, "wb") as handle:
            handle.write(data)
    else:
        shutil.copyfile(source, target)
    os.chmod(target, 0o644)


def _manifest(out: Path, digests: dict[str, str]) -> dict[str, tuple]:
    """Record each written file's digest and stat stamp (see ``_stamp``)."""
    return {rel: (value, *_stamp(os.stat(out / rel))) for rel, value in digests.items()}


def _stamp(stat: os.stat_result) -> tuple:
    """What tells a file was not touched: size and mtime, which ``cp -p`` or ``touch -r`` can
    restore, and the change time and inode, which no one can set back."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _untouched(out: Path, manifest: dict[str, tuple]) -> dict[str, Path]:
    """Return the files of ``out`` still as the last build wrote them, by relative path."""
    same = {}
    for rel, (_, *stamp) in manifest.items():
        try:
            stat = os.lstat(out / rel)
        except OSError:
            continue
        if stat_is_file(stat) and _stamp(stat) == tuple(stamp):
            same[rel] = out / rel
    return same


def stat_is_file(stat: os.stat_result) -> bool:
    """Tell whether an lstat result is a regular file (not a link someone put there)."""
    return (stat.st_mode & 0o170000) == 0o100000


def _listing(out: Path) -> set[str]:
    """Every file under ``out``, as relative posix paths."""
    found = set()
    for dirpath, _, names in os.walk(out):
        rel = os.path.relpath(dirpath, out)
        for name in names:
            found.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return found


@contextlib.contextmanager
def locked(folder: Path):
    """Hold an exclusive lock on ``folder`` (the output's parent) while writing the site.

    Two builds into the same place then write one after the other and the last one wins
    whole. The lock is on the folder itself (``flock``), so no lock file is left behind; it
    is released when the process dies, even by SIGKILL.
    """
    try:
        if fcntl is None:
            raise OSError("no flock")
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # a folder that cannot be opened cannot be locked: write unlocked
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build writing into {folder} to finish…",
                  file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks
            pass
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def signals_held():
    """Hold back Ctrl-C and SIGTERM for a few system calls that must not be torn apart."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def discard(folder: Path) -> None:
    """Delete a folder the build made, its marker last: a deletion cut short stays ours."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name == MARKER)
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def stale_folders(out: Path) -> list[Path]:
    """Temporary folders that earlier, interrupted builds of ``out`` left beside it.

    Only folders with the build's own names and contents qualify: empty, or holding the
    marker (a site being written), or holding only ``site`` with the marker (the last site,
    set aside during the swap). Call with the lock held: then no build is using them.
    """
    found = []
    prefixes = tuple(f".{out.name}-{kind}-" for kind in TEMP_KINDS)
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(prefixes) or not entry.is_dir(follow_symlinks=False):
            continue
        folder = Path(entry.path)
        names = os.listdir(folder)
        if not names or is_ours(folder) or (names == ["site"] and is_ours(folder / "site")
                                             and not (folder / "site").is_symlink()):
            found.append(folder)
    return sorted(found)


def _remove_set_aside(folder: Path) -> None:
    """Delete a temporary folder: a site being written, or one holding the last site."""
    if (folder / "site").is_dir() and not (folder / "site").is_symlink():
        discard(folder / "site")
    discard(folder)


def write_site(out: Path, files: dict[str, bytes], copies: dict[str, Path],
               previous: dict | None = None) -> dict[str, tuple]:
    """Write the whole site into a temporary sibling folder, then swap it in.

    A failure at any point leaves the previous ``out`` exactly as it was. ``previous`` is
    the manifest the last build returned: files it shows unchanged are linked, not written,
    and when nothing at all changed, ``out`` is left as it is. Returns the new manifest.
    The folder gets the marker (``MARKER``) listing the files; a folder without it that
    holds anything is refused (``UnsafeOutput``), as is a symbolic link.
    """
    out = Path(os.path.abspath(out))
    out = out.parent.resolve() / out.name  # links above the output are fine; the output's not
    files = {**files, MARKER: marker_bytes(set(files) | set(copies))}
    digests = {rel: digest(data) for rel, data in files.items()}
    digests.update({rel: digest(src.read_bytes()) for rel, src in copies.items()})
    out.parent.mkdir(parents=True, exist_ok=True)
    with locked(out.parent):
        for folder in stale_folders(out):
            _remove_set_aside(folder)
        refusal = check_existing(out, str(out))
        if refusal:
            raise refusal
        untouched = _untouched(out, previous) if previous and out.is_dir() else {}
        reuse = {rel: path for rel, path in untouched.items()
                 if previous[rel][0] == digests.get(rel)}
        if len(reuse) == len(digests) == len(previous or ()) and _listing(out) == set(digests):
            return previous  # the same bytes are already in place
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
        old = None
        try:
            # The marker first: a build killed from here on leaves a folder known to be ours.
            _write_tree(temp, {MARKER: files[MARKER]}, {}, {})
            _write_tree(temp, {k: v for k, v in files.items() if k != MARKER}, copies,
                        {k: v for k, v in reuse.items() if k != MARKER})
            os.chmod(temp, 0o755)
            if out.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
                with signals_held():  # never a moment without output/ for Ctrl-C to catch
                    os.replace(out, old / "site")
                    os.replace(temp, out)
            else:
                os.replace(temp, out)
        except BaseException:
            with signals_held():
                if old is not None and not out.exists() and (old / "site").is_dir():
                    os.replace(old / "site", out)  # the swap failed halfway: put it back
            _remove_set_aside(temp)
            if old is not None:
                _remove_set_aside(old)
            raise
        if old is not None:
            _remove_set_aside(old)
        # Stamps last: linking and unlinking the reused files changed their change times.
        return _manifest(out, digests)


def sync_site(out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> list[str]:
    """Update ``out`` in place, writing only files whose bytes changed; return those paths.

    Used by the preview, where a full swap per keystroke would be wasteful. Files of ``out``
    that the site no longer has are removed (only inside ``out``). Like ``write_site``, it
    works only in a missing or empty folder, or one with the build's marker.
    """
    out = Path(os.path.abspath(out))
    refusal = check_existing(out, str(out))
    if refusal:
        raise refusal
    out = out.resolve()
    changed = []
    wanted = set(files) | set(copies)
    marker = marker_bytes(wanted)
    for rel in [MARKER, *sorted(wanted)]:  # the marker first, as in write_site
        target = safe_join(out, rel)
        data = marker if rel == MARKER else files[rel] if rel in files else \
            copies[rel].read_bytes()
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, data)
        if rel != MARKER:
            changed.append(rel)
    for path in sorted(out.rglob("*"), reverse=True):
        rel = path.relative_to(out).as_posix()
        if (path.is_file() or path.is_symlink()) and rel not in wanted and rel != MARKER:
            path.unlink()
            changed.append(rel)
        elif path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()
    return changed


def replace_file(target: Path, data: bytes) -> None:
    """Write one file so that a reader never sees it half written (a unique temporary name:
    two writers never share one)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
