"""Nothing lost: the build replaces only a folder it made, survives signals, full disks,
concurrent runs, and never serves stale output. Each test proves that nothing outside the
build's own folders changed (``tree_digest`` of the whole project before and after)."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import jinja2
import pytest

from conftest import PROJECT, tree_digest
from dossier import cli, output, package, pipeline, serve
from dossier.pipeline import Builder, build

BUILD_PY = str(PROJECT / "build.py")
REFUSED = "refusing to use {} as the output folder: "


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (links recorded as links)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix():
            b"link:" + os.readlink(p).encode() if p.is_symlink() else p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


def leftovers(folder: Path) -> list[str]:
    """Temporary names a build could leave behind in ``folder``."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith((".output-new-", ".output-old-")) or p.suffix == ".tmp")


def errors(err: str) -> list[str]:
    """The ``path:line:col: error: …`` lines of a run's stderr."""
    return [line for line in err.splitlines() if ": error: " in line]


@pytest.fixture
def built(make_site):
    """A tiny dossier with a .git folder, built once through the command line."""
    root = make_site({".git/HEAD": "ref: refs/heads/main\n", "notes/mine.txt": "à garder\n"})
    assert cli.main(["--root", str(root)]) == 0
    return root


def refused(root: Path, args: list[str], capsys) -> str:
    """Run a build that must be refused; assert that nothing anywhere changed; return stderr."""
    capsys.readouterr()
    before = tree_digest(root, skip=())
    code = cli.main(["--root", str(root), *args])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err, err
    assert tree_digest(root, skip=()) == before, "the refused build changed a file"
    return err


# -- 1. the output folder --------------------------------------------------------------------
@pytest.mark.parametrize(("out", "why"), [
    ("content/chapitres", "it is inside the content folder (content/)"),
    ("content", "it is the content folder (content/)"),
    ("templates", "it is the templates folder (templates/)"),
    ("assets/site", "it is inside the assets folder (assets/)"),
    (".git", "it is the git repository (.git)"),
    (".git/objects", "it is inside the git repository (.git)"),
    (".", "it is or contains the project folder"),
    ("..", "it is or contains the project folder"),
    (".cache", "it is the build cache (.cache/)"),
    ("pyproject.toml", "it is pyproject.toml"),
])
def test_an_output_among_the_inputs_is_refused(built, capsys, out, why):
    (built / "pyproject.toml").write_text('[tool.dossier]\ntitle = "T"\n', "utf-8")
    err = refused(built, ["--out", str(built / out)], capsys)
    shown = str((built / out).resolve()) if out == ".." else out
    assert errors(err) == [f"{built / out}:1:1: error: " + REFUSED.format(shown) + why
                           + ", which the build must never replace"]
    assert "hint: build into a folder of its own" in err


def test_the_package_itself_is_refused(built, capsys):
    package_before = tree_digest(PROJECT / "dossier")
    err = refused(built, ["--out", str(PROJECT / "dossier" / "data")], capsys)
    assert "it is inside the dossier package (dossier/)" in errors(err)[0]
    assert tree_digest(PROJECT / "dossier") == package_before


def test_a_folder_of_the_editors_is_refused(built, capsys):
    err = refused(built, ["--out", str(built / "notes")], capsys)
    assert errors(err) == [
        f"{built / 'notes'}:1:1: error: refusing to replace notes: it holds files the build "
        "did not write (it has no .dossier-build marker), and building would delete them"]
    assert (built / "notes/mine.txt").read_text("utf-8") == "à garder\n"


def test_an_unmarked_output_folder_is_refused(built, capsys):
    (built / "output" / output.MARKER).unlink()  # e.g. a folder that an older build made
    err = refused(built, [], capsys)
    assert errors(err)[0].startswith("output:1:1: error: refusing to replace output: ")
    assert "delete it once yourself" in err


def test_a_file_is_refused(built, capsys):
    (built / "site.html").write_text("<p>mine</p>", "utf-8")
    err = refused(built, ["--out", str(built / "site.html")], capsys)
    assert errors(err) == [f"{built / 'site.html'}:1:1: error: "
                           + REFUSED.format("site.html") + "it is a file"]


def test_a_symlinked_output_is_refused(built, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", "utf-8")
    os.rename(built / "output", tmp_path / "real-output")
    (built / "output").symlink_to(elsewhere)
    before = tree_digest(elsewhere)
    err = refused(built, [], capsys)
    assert errors(err) == ["output:1:1: error: " + REFUSED.format("output")
                           + f"it is a symbolic link (to {elsewhere}), and the build would "
                           "replace what it leads to"]
    assert tree_digest(elsewhere) == before


def test_a_symlink_to_an_earlier_build_is_refused_too(built, tmp_path, capsys):
    os.rename(built / "output", tmp_path / "real-output")
    (built / "output").symlink_to(tmp_path / "real-output")
    before = snapshot(tmp_path / "real-output")
    refused(built, [], capsys)
    assert snapshot(tmp_path / "real-output") == before


def test_the_pyproject_setting_is_located(built, capsys):
    (built / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.dossier]\ntitle = "T"\n  output = "content/chapitres"\n',
        "utf-8")
    err = refused(built, [], capsys)
    assert errors(err) == ["pyproject.toml:6:3: error: " + REFUSED.format("content/chapitres")
                           + "it is inside the content folder (content/), which the build must "
                           "never replace"]


def test_a_missing_or_empty_folder_is_used_and_marked(built, tmp_path):
    (tmp_path / "empty").mkdir()
    before = tree_digest(built)
    for name in ("empty", "new/deep"):
        assert cli.main(["--root", str(built), "--out", str(tmp_path / name)]) == 0
        assert snapshot(tmp_path / name) == snapshot(built / "output")
    assert tree_digest(built) == before


def test_the_marker_lists_the_files_and_stays_out_of_the_zip(built, tmp_path):
    marker = (built / "output" / output.MARKER).read_bytes()
    listed = marker.removeprefix(output.MARKER_HEAD).decode().splitlines()
    assert listed == sorted(set(snapshot(built / "output")) - {output.MARKER})
    path, _ = package.make(built, out=tmp_path / "zipped", dist=tmp_path / "dist")
    import zipfile

    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if output.MARKER in n]
    assert output.MARKER.encode() not in (built / "output/search-index.js").read_bytes()


def test_a_zip_name_that_leaves_dist_is_refused_before_building(built, capsys):
    (built / "pyproject.toml").write_text('[tool.dossier]\nname = "../../evil"\n', "utf-8")
    err = refused(built, ["zip"], capsys)
    assert errors(err)[0].startswith(
        "pyproject.toml:2:1: error: [tool.dossier] name '../../evil' cannot name the zip")


def test_a_symlinked_dist_is_refused(built, tmp_path, capsys):
    (tmp_path / "away").mkdir()
    (built / "dist").symlink_to(tmp_path / "away")
    err = refused(built, ["zip"], capsys)
    assert errors(err) == ["dist:1:1: error: refusing to write the zip into dist: it is a "
                           "symbolic link"]
    assert not list((tmp_path / "away").iterdir())


def test_stale_temporary_folders_of_ours_are_removed_and_others_kept(built):
    new = built / ".output-new-k1ll3d00"
    new.mkdir()
    (new / output.MARKER).write_bytes(output.MARKER_HEAD)
    (new / "index.html").write_text("half", "utf-8")
    old = built / ".output-old-k1ll3d01" / "site"
    old.mkdir(parents=True)
    (old / output.MARKER).write_bytes(output.MARKER_HEAD + b"index.html\n")
    (built / ".output-new-empty000").mkdir()
    mine = built / ".output-new-mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", "utf-8")  # not ours: no marker
    assert cli.main(["--root", str(built)]) == 0
    assert leftovers(built) == [".output-new-mine"]
    assert (mine / "notes.txt").read_text("utf-8") == "mine"


# -- 2. interrupted builds ---------------------------------------------------------------------
# The interruption comes from inside the build, at a chosen step: no timing involved.
INTERRUPT = """
import os, signal, sys
sys.path.insert(0, {project!r})
from dossier import cli, output, workers
how, where = {how!r}, {where!r}
sig = getattr(signal, how)
if where == "render":  # Ctrl-C reaches the whole process group, the worker included
    workers.PARALLEL_MIN = 2
    parent, render_one, seen = os.getpid(), workers.render_one, []
    def render_then_stop(*args):
        seen.append(1)
        if os.getpid() == parent and len(seen) == 2:
            os.killpg(0, sig)
        return render_one(*args)
    workers.render_one = render_then_stop
elif where == "write":  # a few files into the new site
    write, count = output._write_file, []
    def write_then_stop(*args):
        write(*args)
        count.append(1)
        if len(count) == 5:
            os.kill(os.getpid(), sig)
    output._write_file = write_then_stop
elif where == "swap":  # between setting the old site aside and moving the new one in
    replace = os.replace
    def replace_then_stop(src, dst):
        replace(src, dst)
        if str(dst).endswith("site"):
            os.kill(os.getpid(), sig)
    os.replace = replace_then_stop
sys.exit(cli.main(["--root", {root!r}]))
"""


def interrupted(root: Path, how: str, where: str) -> subprocess.CompletedProcess:
    """Run a build in a new session that signals itself at ``where``."""
    script = INTERRUPT.format(project=str(PROJECT), how=how, where=where, root=str(root))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)],
                          capture_output=True, text=True, start_new_session=True, timeout=120)


@pytest.fixture
def edited(built):
    """The built dossier with a page edited, so the next build has a new site to write."""
    page = built / "content/chapitres/01-cloud.md"
    page.write_text(page.read_text("utf-8").replace("Le centre", "Le grand centre"), "utf-8")
    pages = {f"content/chapitres/{n:02d}-p.md": f"---\ntitle: P{n}\nsummary: S\norder: {n}\n"
             f"slug: p{n}\n---\n\nTexte {n}.\n" for n in range(2, 8)}
    from conftest import write_site

    write_site(built, pages, templates=False)
    return built


@pytest.mark.parametrize(("how", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
@pytest.mark.parametrize("where", ["render", "write", "swap"])
def test_an_interrupted_build_leaves_output_and_no_traceback(edited, how, code, where):
    before_out, before_tree = snapshot(edited / "output"), tree_digest(edited)
    run = interrupted(edited, how, where)
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert "interrupted: nothing half-written was left" in run.stderr
    if where == "swap":  # signals wait for the two renames: the new site is then whole
        assert "Le grand centre" in (edited / "output/chapitres/cloud/index.html").read_text()
    else:
        assert snapshot(edited / "output") == before_out
    assert leftovers(edited) == []
    assert tree_digest(edited) == before_tree
    again = subprocess.run([sys.executable, BUILD_PY, "--root", str(edited)],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "Le grand centre" in (edited / "output/chapitres/cloud/index.html").read_text("utf-8")


@pytest.mark.parametrize("where", ["write", "swap"])
def test_a_killed_build_is_cleaned_up_by_the_next(edited, where):
    before_tree = tree_digest(edited)
    run = interrupted(edited, "SIGKILL", where)
    assert run.returncode == -signal.SIGKILL
    assert leftovers(edited)  # SIGKILL cannot be caught: the next build must clean up
    again = subprocess.run([sys.executable, BUILD_PY, "--root", str(edited)],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert leftovers(edited) == []
    assert "Le grand centre" in (edited / "output/chapitres/cloud/index.html").read_text("utf-8")
    assert tree_digest(edited) == before_tree


# -- 3. concurrent builds ----------------------------------------------------------------------
def test_concurrent_builds_all_succeed_and_leave_one_whole_site(edited, tmp_path):
    before_tree = tree_digest(edited)
    runs = [subprocess.Popen([sys.executable, BUILD_PY, "--root", str(edited)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(8)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    assert [code for code, _ in results] == [0] * 8, [err for _, err in results]
    assert not [err for _, err in results if "Traceback" in err]
    assert leftovers(edited) == [] and leftovers(edited / ".cache") == []
    assert tree_digest(edited) == before_tree
    build(edited, out=tmp_path / "alone")
    assert snapshot(edited / "output") == snapshot(tmp_path / "alone")
    warm = Builder(edited, cache_dir=edited / ".cache")
    assert warm.pages, "the cache did not load"
    assert warm.build(write=False).rendered == []


# -- 4. a full disk, a read-only folder --------------------------------------------------------
def fail_after(real, n: int, code: int):
    """A stand-in for ``real`` (a low-level write) that fails as the system would after ``n``
    calls."""
    calls = []

    def fail(*args, **kwargs):
        calls.append(1)
        if len(calls) > n:
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return fail


@pytest.mark.parametrize(("name", "code", "after"), [
    ("_write_file", errno.ENOSPC, 4),  # the disk fills up while the site is written
    ("_write_file", errno.EROFS, 0),  # a read-only mount
    ("mkdtemp", errno.EACCES, 0),  # the output's folder is not writable
    ("replace", errno.EROFS, 0),  # the swap itself fails
])
def test_a_failed_write_is_one_clear_error_and_output_stays(edited, monkeypatch, capsys,
                                                            name, code, after):
    # Tests run as root, which ignores permission bits (chmod cannot make a folder read-only
    # for root): the system call is made to fail as it would for anyone else.
    holder = {"_write_file": output, "mkdtemp": output.tempfile, "replace": output.os}[name]
    monkeypatch.setattr(holder, name, fail_after(getattr(holder, name), after, code))
    before_out, before_tree = snapshot(edited / "output"), tree_digest(edited)
    capsys.readouterr()
    assert cli.main(["--root", str(edited)]) == 1
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert errors(err) == [f"output:1:1: error: cannot write the site into output: "
                           f"{os.strerror(code)}"]
    assert "output was left as it was" in err
    assert snapshot(edited / "output") == before_out
    assert leftovers(edited) == []
    assert tree_digest(edited) == before_tree


def test_a_failed_cache_write_does_not_fail_the_build(edited, monkeypatch):
    cache = edited / ".cache"
    shutil.rmtree(cache / "jinja")  # so that compiled templates must be written again
    before = snapshot(cache)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pipeline.pickle, "dump", full)
    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", full)
    assert cli.main(["--root", str(edited)]) == 0
    monkeypatch.undo()
    assert "Le grand centre" in (edited / "output/chapitres/cloud/index.html").read_text("utf-8")
    assert snapshot(cache) == before  # the last good cache, untouched
    assert leftovers(cache) == []
    assert Builder(edited, cache_dir=cache).pages


# -- 5. stamps that a copy can preserve ------------------------------------------------------
def edit_keeping_stamp(path: Path, old: str, new: str) -> None:
    """Change a file's bytes, keeping its size and modification time (as ``cp -p`` does)."""
    assert len(old.encode()) == len(new.encode())
    stat = path.stat()
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def aged(root: Path) -> None:
    """Give every source an old modification time, so the build trusts their stamps."""
    for path in (root / "content").rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))


def test_an_edit_that_keeps_size_and_mtime_is_rebuilt_one_shot(built):
    aged(built)
    assert cli.main(["--root", str(built)]) == 0  # the cache now holds the page's stamp
    edit_keeping_stamp(built / "content/chapitres/01-cloud.md", "Le centre", "Un centre")
    before_tree = tree_digest(built)
    assert cli.main(["--root", str(built)]) == 0  # a new process: stamps from .cache/
    assert "Un centre" in (built / "output/chapitres/cloud/index.html").read_text("utf-8")
    assert tree_digest(built) == before_tree


@pytest.mark.parametrize(("source", "old", "new", "page", "shown"), [
    ("content/chapitres/01-cloud.md", "Le centre", "Un centre", "chapitres/cloud/index.html",
     "Un centre"),
    ("content/facts/figures.yaml", "500 MW", "600 MW", "chapitres/cloud/index.html",
     "600\u00a0MW"),
    ("templates/base.html", "<body", "<BODY", "index.html", "<BODY"),
    ("assets/css/site.css", "0", "1", "assets/css/site.css", None),
])
def test_an_edit_that_keeps_size_and_mtime_is_rebuilt_by_a_live_builder(
        built, source, old, new, page, shown):
    aged(built)
    for folder in ("templates", "assets"):
        for path in (built / folder).rglob("*"):
            os.utime(path, (1_700_000_000, 1_700_000_000))
    builder = Builder(built, cache_dir=built / ".cache")  # the preview's case
    builder.build()
    edit_keeping_stamp(built / source, old, new)
    result = builder.build()
    if source.endswith(".md"):
        assert result.rendered == ["chapitres/01-cloud"]
    written = (built / "output" / page).read_bytes()
    if shown is None:
        assert written == (built / source).read_bytes()
    else:
        assert shown in written.decode("utf-8")


def test_an_output_file_edited_keeping_size_and_mtime_is_restored(built):
    page = built / "output/index.html"
    good = page.read_bytes()
    text = good.decode("utf-8")
    stat = page.stat()
    os.unlink(page)  # as an editor or a copy would: a new file with the old stamp
    page.write_text(text.replace("Accueil", "AcCUEIL"), "utf-8")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert cli.main(["--root", str(built)]) == 0
    assert page.read_bytes() == good


def test_a_copied_asset_with_its_stamp_kept_is_seen_by_the_preview(built):
    css = built / "assets/css/site.css"
    before = serve.stamp(css)
    edit_keeping_stamp(css, "0", "1")  # one byte for one byte, same mtime
    assert serve.stamp(css) != before


# -- forked workers --------------------------------------------------------------------------
def test_a_forked_call_returns_raises_and_reports_a_dead_worker():
    from dossier import forked

    assert forked.Call(sorted, ([3, 1, 2],)).get() == [1, 2, 3]
    with pytest.raises(ZeroDivisionError):
        forked.Call(divmod, (1, 0)).get()
    dying = forked.Call(os.kill, (0, 0), initializer=lambda: os.kill(os.getpid(),
                                                                     signal.SIGKILL))
    with pytest.raises(forked.WorkerDied):  # never a hang, never a traceback from the child
        dying.get()
