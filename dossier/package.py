"""The offline zip (``python build.py zip``): build, check, then package the site reproducibly.

The zip is ``dist/<name>-<stamp>.zip``: the built site under one top folder ``<name>/`` and a
short ``LISEZMOI.txt``. The stamp is the ``version`` setting; without one, the date of
``SOURCE_DATE_EPOCH`` (UTC); without that, the latest ``updated:`` date of the pages; and
only when no page has one, today's date (the file name then varies, the bytes do not).

Reproducible: entries sorted, every timestamp the same (``SOURCE_DATE_EPOCH`` when set, else
1980-01-01, the earliest a zip can store), permissions 0644 for files and 0755 for folders,
no extra fields, fixed compression level. The same sources give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from . import check, search
from .errors import BuildFailed, Report
from .output import MARKER, display, setting_place

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # a file name and the zip's top folder
NOTE_NAME = "LISEZMOI.txt"
FILE_MODE = 0o100644  # regular file, rw-r--r--
DIR_MODE = 0o040755  # directory, rwxr-xr-x
UNIX = 3  # "made by" system: Unix, so unzip applies the modes above


class CheckFailed(Exception):
    """The built site has problems that ``check`` reports; nothing is packaged."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def source_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an integer, or None when unset or not a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def stamp(settings, pages) -> str:
    """The zip name's version part: version, else SOURCE_DATE_EPOCH's date, else a date."""
    if settings.version:
        return re.sub(r"[^\w.+-]", "-", settings.version)
    epoch = source_epoch()
    if epoch is not None:
        return time.strftime("%Y-%m-%d", time.gmtime(epoch))
    dates = [str(p.updated) for p in pages if DATE_RE.match(str(p.updated or ""))]
    return max(dates) if dates else dt.date.today().isoformat()


def date_time() -> tuple:
    """The timestamp of every entry: SOURCE_DATE_EPOCH (UTC) when set, else 1980-01-01."""
    epoch = source_epoch()
    if epoch is None:
        return ZIP_EPOCH
    return max(ZIP_EPOCH, tuple(time.gmtime(epoch))[:6])


def note(settings, stamp_text: str) -> bytes:
    """The short French note at the top of the zip."""
    lines = [
        settings.title,
        f"Édition : {stamp_text}",
        "",
        f"Pour lire le dossier, ouvrez le fichier index.html du dossier « {settings.name} »",
        "dans votre navigateur (double-clic). Aucune connexion n’est nécessaire : les pages,",
        "la recherche et la carte fonctionnent hors ligne.",
    ]
    if settings.base_url:
        lines += ["", f"Version en ligne : {settings.base_url}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _entry(name: str, mode: int, when: tuple) -> zipfile.ZipInfo:
    """A zip entry with fixed time, permissions and origin."""
    info = zipfile.ZipInfo(name, date_time=when)
    info.create_system = UNIX
    info.external_attr = mode << 16
    if mode == DIR_MODE:
        info.external_attr |= 0x10  # the MS-DOS directory flag, for Windows tools
    else:
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def site_files(folder: Path) -> list[str]:
    """Every file of a built site, as sorted POSIX paths (not the build's marker)."""
    return sorted(rel for p in folder.rglob("*")
                  if p.is_file() and (rel := p.relative_to(folder).as_posix()) != MARKER)


def write_zip(folder: Path, dest: Path, top: str, note_bytes: bytes) -> Path:
    """Write ``folder`` into ``dest`` under ``top/``, reproducibly; return ``dest``."""
    when = date_time()
    files = {f"{top}/{rel}": folder / rel for rel in site_files(folder)}
    files[f"{top}/{NOTE_NAME}"] = note_bytes
    folders = {f"{top}/"}
    for name in files:
        parts = name.split("/")[:-1]
        folders.update("/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    dest.parent.mkdir(parents=True, exist_ok=True)
    # A temporary name of its own: two zips at once never write into one file.
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle, \
                zipfile.ZipFile(handle, "w", compresslevel=9) as archive:
            for name in sorted(folders | set(files)):
                if name in folders:
                    archive.writestr(_entry(name, DIR_MODE, when), b"")
                    continue
                data = files[name]
                data = data if isinstance(data, bytes) else data.read_bytes()
                archive.writestr(_entry(name, FILE_MODE, when), data, compresslevel=9)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)  # a reader never sees half a zip
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return dest


def check_dist(settings, dest: Path) -> Report:
    """Refuse a zip name or a dist/ that would write outside dist/ or replace a non-zip."""
    report = Report()
    place = setting_place(settings.root, "name")
    where = ("pyproject.toml", *place) if place else ("pyproject.toml", 1, 1)
    if not NAME_RE.match(settings.name):
        report.error(*where, f"[tool.dossier] name {settings.name!r} cannot name the zip: use "
                     "letters, digits, '.', '_' or '-' only, starting with a letter or digit",
                     'for example name = "dossier-ia-maroc"')
        return report
    dist = dest.parent
    shown = display(dist, settings.root)
    if dist.is_symlink() or (dist.exists() and not dist.is_dir()):
        report.error(shown, 1, 1, f"refusing to write the zip into {shown}: it is "
                     f"{'a symbolic link' if dist.is_symlink() else 'a file'}",
                     f"remove {shown}, or make it a plain folder")
    elif dest.is_symlink() or (dest.exists() and not dest.is_file()):
        report.error(display(dest, settings.root), 1, 1,
                     f"refusing to replace {display(dest, settings.root)}: it is not a zip file "
                     "the build wrote", "move it away")
    return report


def make(root: Path, *, out: Path | None = None, dist: Path | None = None,
         strict: bool = False):
    """Build, check and package; return ``(zip path, build result)``.

    Raises ``BuildFailed`` when the build has errors and ``CheckFailed`` when the built site
    has problems: a site that fails either is never packaged.
    """
    from . import config
    from .pipeline import build

    named = check_dist(config.load(root, Report()), Path(root, "dist", "x.zip"))
    if named.errors:  # a name that would write outside dist/: refused before any build
        raise BuildFailed(named)
    result = build(root, strict=strict, out=out)
    settings = result.site.settings
    folder = Path(out) if out is not None else settings.path("output")
    problems = check.check_site(folder)
    if problems:
        raise CheckFailed(problems)
    edition = stamp(settings, result.site.pages.values())
    dest = Path(dist) if dist is not None else settings.root / "dist"
    dest = dest / f"{settings.name}-{edition}.zip"
    refused = check_dist(settings, dest)
    if refused.errors:
        raise BuildFailed(refused)
    try:
        path = write_zip(folder, dest, settings.name, note(settings, edition))
    except OSError as exc:  # a full disk, a read-only dist/: no half zip is left
        shown = display(dest.parent, settings.root)
        refused.error(shown, 1, 1, f"cannot write the zip into {shown}: {exc.strerror or exc}",
                      f"free some space or make {shown} writable")
        raise BuildFailed(refused) from None
    return path, result


def index_report(folder: Path) -> str:
    """One line comparing the search index with the text of the pages it covers."""
    index = folder / "search-index.js"
    if not index.is_file():
        return "no search index"
    js = index.read_text("utf-8")
    s = search.index_stats(search.index_docs(js), js)
    return (f"search index: {s['index_bytes'] / 1024:.0f} kB for {s['text_bytes'] / 1024:.0f} "
            f"kB of page text (×{s['ratio']}), {s['docs']} pages")


def run(root: Path, args) -> int:
    """``build.py zip``: package the site, or print why it cannot be packaged."""
    out = getattr(args, "out", None)
    try:
        path, result = make(root, out=out, strict=getattr(args, "strict", False))
    except CheckFailed as failed:
        for problem in failed.problems:
            print(problem.format(), file=sys.stderr)
        print(f"zip refused: the built site has {len(failed.problems)} problem(s) "
              "(see python build.py check)", file=sys.stderr)
        return 1
    if result.report.warnings:
        print(result.report.format(), file=sys.stderr)
    folder = Path(out) if out else result.site.settings.path("output")
    with zipfile.ZipFile(path) as archive:
        count = sum(1 for i in archive.infolist() if not i.is_dir())
    shown = os.path.relpath(path)
    print(f"wrote {shown}: {count} files, {path.stat().st_size / 1024:.0f} kB")
    print(index_report(folder))
    return 0
