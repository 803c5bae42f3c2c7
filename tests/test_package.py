"""``build.py zip``: a reproducible offline zip, refused for a site that fails its checks."""

from __future__ import annotations

import os
import shutil
import zipfile
from argparse import Namespace

import pytest

from dossier import package
from dossier.errors import BuildFailed

NAME = "dossier-test"
PYPROJECT = f'[tool.dossier]\ntitle = "Dossier test"\nname = "{NAME}"\n'
UPDATED = {"content/chapitres/01-cloud.md": "---\ntitle: Le cloud\nsummary: S.\norder: 1\n"
                                            "updated: 2026-03-01\n---\n\nTexte.\n"}


@pytest.fixture(autouse=True)
def no_source_date_epoch(monkeypatch):
    """Tests choose SOURCE_DATE_EPOCH themselves; the caller's environment must not leak in."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def make_zip(root, tmp_path, tag: str):
    """Build, check and package a site into folders of its own; return the zip's path."""
    path, _ = package.make(root, out=tmp_path / f"out-{tag}", dist=tmp_path / f"dist-{tag}")
    return path


def test_two_builds_give_byte_identical_zips(make_site, tmp_path):
    root = make_site({"pyproject.toml": PYPROJECT, **UPDATED})
    first = make_zip(root, tmp_path, "a")
    # A second copy of the sources, elsewhere, with other modification times and modes.
    other = tmp_path / "copy"
    shutil.copytree(root, other)
    for path in other.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    (other / "content" / "index.md").chmod(0o600)
    second = make_zip(other, tmp_path, "b")
    assert first.name == second.name == f"{NAME}-2026-03-01.zip"
    assert first.read_bytes() == second.read_bytes()


def test_entries_are_sorted_with_fixed_times_and_modes(make_site, tmp_path):
    path = make_zip(make_site({"pyproject.toml": PYPROJECT}), tmp_path, "a")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        note = archive.read(f"{NAME}/LISEZMOI.txt").decode("utf-8")
    assert names == sorted(names)
    assert names[0] == f"{NAME}/" and all(n.startswith(f"{NAME}/") for n in names)
    assert {f"{NAME}/index.html", f"{NAME}/search-index.js", f"{NAME}/assets/css/site.css",
            f"{NAME}/chapitres/", f"{NAME}/robots.txt"} <= set(names)
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.create_system == 3
        assert info.extra == b""
        mode = info.external_attr >> 16
        assert mode == (0o040755 if info.is_dir() else 0o100644), info.filename
    assert "ouvrez le fichier index.html" in note and "Dossier test" in note


def test_the_zip_holds_exactly_the_checked_site(make_site, tmp_path):
    path = make_zip(make_site({"pyproject.toml": PYPROJECT}), tmp_path, "a")
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "unzipped")
    unzipped = tmp_path / "unzipped" / NAME
    (unzipped / "LISEZMOI.txt").unlink()
    assert package.site_files(unzipped) == package.site_files(tmp_path / "out-a")
    for rel in package.site_files(unzipped):
        assert (unzipped / rel).read_bytes() == (tmp_path / "out-a" / rel).read_bytes()


def test_source_date_epoch_sets_name_and_times(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00:00 UTC
    path = make_zip(make_site({"pyproject.toml": PYPROJECT, **UPDATED}), tmp_path, "a")
    assert path.name == f"{NAME}-2026-01-01.zip"
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_old_source_date_epoch_is_clamped_to_1980(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert package.date_time() == (1980, 1, 1, 0, 0, 0)


def test_version_wins(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = make_site({"pyproject.toml": PYPROJECT + 'version = "1.2 beta"\n', **UPDATED})
    assert make_zip(root, tmp_path, "a").name == f"{NAME}-1.2-beta.zip"


def test_build_errors_stop_the_zip(make_site, tmp_path):
    root = make_site({"pyproject.toml": PYPROJECT,
                      "content/index.md": "---\ntitle: A\n---\n\n{fact}`figures.nope`\n"})
    with pytest.raises(BuildFailed):
        make_zip(root, tmp_path, "a")
    assert not (tmp_path / "dist-a").exists()


def test_check_problems_stop_the_zip(make_site, tmp_path, capsys):
    root = make_site({"pyproject.toml": PYPROJECT})
    (root / "assets" / "css" / "fonts.css").write_text(
        "@font-face { src: url(https://fonts.example.org/f.woff2); }", "utf-8")
    assert package.run(root, Namespace(out=str(tmp_path / "out"), strict=False)) == 1
    err = capsys.readouterr().err
    assert ("assets/css/fonts.css: loads from another host: "
            "'https://fonts.example.org/f.woff2' in CSS") in err
    assert "zip refused" in err
    assert not (root / "dist").exists()


def test_run_reports_the_zip_and_the_index_size(make_site, tmp_path, capsys, monkeypatch):
    root = make_site({"pyproject.toml": PYPROJECT, **UPDATED})
    monkeypatch.chdir(root)
    assert package.run(root, Namespace(out=str(tmp_path / "out"), strict=False)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"wrote dist/{NAME}-2026-03-01.zip: ")
    assert out[1].startswith("search index: ") and "kB of page text" in out[1]
    assert (root / "dist" / f"{NAME}-2026-03-01.zip").is_file()
