"""Whole builds of tiny sites: structure, determinism, the cache, and one golden sample."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT, write_site
from dossier.pipeline import Builder, build

GOLDEN = Path(__file__).parent / "sites" / "golden"


def tree(folder: Path) -> dict[str, bytes]:
    """Read every file under a folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_golden_sample(tmp_path, request):
    """The golden site builds to exactly the committed files (--update-goldens rewrites them)."""
    site = tmp_path / "golden"
    shutil.copytree(GOLDEN, site, ignore=shutil.ignore_patterns("expected"))
    build(site, out=site / "output")
    expected = GOLDEN / "expected"
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(site / "output", expected)
    diff = filecmp.dircmp(site / "output", expected)
    assert tree(site / "output") == tree(expected), diff.report()


def test_every_page_is_reachable_from_home(make_site):
    result = build(make_site(), write=False)
    import re

    pages = {d for d in result.files if d.endswith(".html") and d != "404.html"}
    seen, todo = set(), ["index.html"]
    while todo:
        dest = todo.pop()
        if dest in seen:
            continue
        seen.add(dest)
        base = os.path.dirname(dest)
        for href in re.findall(r'href="([^"#]+\.html)', result.files[dest].decode()):
            target = os.path.normpath(os.path.join(base, href))
            if target in pages:
                todo.append(target)
    assert seen == pages


def test_two_builds_are_byte_identical(make_site, tmp_path):
    root = make_site()
    build(root, out=tmp_path / "a")
    build(root, out=tmp_path / "b", cache_dir=tmp_path / "cache")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_the_real_dossier_builds_identically_twice(tmp_path):
    build(PROJECT, out=tmp_path / "a")
    build(PROJECT, out=tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_every_figure_on_the_real_dossier_links_to_a_source(tmp_path):
    """Every value carries a note marker, and every note lists at least one source."""
    result = build(PROJECT, write=False)
    for dest, data in result.files.items():
        html = data.decode("utf-8", "replace")
        # Disagreeing claims share the marker that follows the last of them.
        groups = re.split(r'<span class="claims contested">', html)
        for group in groups[1:]:
            assert 'class="note-ref"' in group.split("sources divergentes")[0], (dest, group[:200])
        for claim in groups[0].split('<span class="claim">')[1:]:
            head = claim.split('<span class="claim">')[0]
            assert 'class="note-ref"' in head or "cites-none" in head, (dest, head[:200])
        notes = {chunk.split('"')[0]: chunk for chunk in html.split('<li id="note-')[1:]}
        for number in set(re.findall(r'<sup class="note-ref"><a href="#note-(\d+)"', html)):
            assert "#src-" in notes.get(number, ""), (dest, number)


def test_only_the_output_folder_is_replaced(make_site):
    root = make_site()
    (root / "notes.txt").write_text("keep me")
    build(root)
    build(root)
    assert (root / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in root.iterdir()) == [
        "assets", "content", "notes.txt", "output", "templates"]


class TestCache:
    """A warm build reuses exactly the pages whose inputs did not change."""

    def builder(self, root, tmp_path):
        return Builder(root, cache_dir=tmp_path / "cache")

    def test_nothing_changed_renders_nothing(self, make_site, tmp_path):
        root = make_site()
        first = self.builder(root, tmp_path).build()
        again = self.builder(root, tmp_path).build()  # a new process: the cache is on disk
        assert again.rendered == []
        assert again.files == first.files

    def test_a_changed_page_renders_only_that_page(self, make_site, tmp_path):
        root = make_site()
        builder = self.builder(root, tmp_path)
        builder.build()
        path = root / "content/chapitres/01-cloud.md"
        path.write_text(path.read_text().replace("Le centre", "Le grand centre"))
        assert builder.build().rendered == ["chapitres/01-cloud"]

    def test_a_changed_fact_renders_the_pages_that_read_it(self, make_site, tmp_path):
        root = make_site()
        builder = self.builder(root, tmp_path)
        builder.build()
        path = root / "content/facts/figures.yaml"
        path.write_text(path.read_text().replace("500 MW", "600 MW"))
        result = builder.build()
        assert sorted(result.rendered) == ["chapitres/01-cloud", "index"]
        assert "600\u00a0MW" in result.files["chapitres/cloud/index.html"].decode()

    def test_a_changed_region_renders_its_page_and_the_region_list(self, make_site, tmp_path):
        root = make_site()
        builder = self.builder(root, tmp_path)
        builder.build()
        path = root / "content/facts/regions.yaml"
        path.write_text(path.read_text().replace("chef_lieu: Guelmim", "chef_lieu: Guelmime"))
        assert sorted(builder.build().rendered) == ["regions", "regions/10"]

    def test_a_changed_template_renders_everything(self, make_site, tmp_path):
        root = make_site()
        builder = self.builder(root, tmp_path)
        first = builder.build()
        path = root / "templates/base.html"
        path.write_text(path.read_text().replace("Aller au contenu", "Aller au texte"))
        result = builder.build()
        assert sorted(result.rendered) == sorted(first.site.pages)

    def test_a_new_title_renders_the_pages_that_show_it(self, make_site, tmp_path):
        root = make_site()
        builder = self.builder(root, tmp_path)
        builder.build()
        path = root / "content/chapitres/01-cloud.md"
        path.write_text(path.read_text().replace("title: Le cloud", "title: Le nuage"))
        result = builder.build()
        assert "Le nuage" in result.files["index.html"].decode()
        assert "Le nuage" in result.files["sources/index.html"].decode()

    def test_deleting_the_cache_rebuilds_the_same_bytes(self, make_site, tmp_path):
        root = make_site()
        first = self.builder(root, tmp_path).build()
        shutil.rmtree(tmp_path / "cache")
        again = self.builder(root, tmp_path).build()
        assert again.files == first.files and len(again.rendered) == len(first.site.pages)

    def test_a_deleted_page_disappears(self, make_site, tmp_path):
        root = make_site()
        builder = self.builder(root, tmp_path)
        builder.build()
        (root / "content/chapitres/01-cloud.md").unlink()
        result = builder.build()
        assert "chapitres/cloud/index.html" not in result.files
        assert not (root / "output/chapitres/cloud").exists()


def test_broken_edit_is_not_cached(make_site, tmp_path):
    from dossier.errors import BuildFailed

    root = make_site()
    builder = Builder(root, cache_dir=tmp_path / "cache")
    builder.build()
    path = root / "content/chapitres/01-cloud.md"
    good = path.read_text()
    path.write_text(good.replace("figures.dakhla", "figures.nope"))
    for _ in range(2):  # the error is reported again, not hidden by a cached page
        with pytest.raises(BuildFailed, match="unknown fact 'figures.nope'"):
            builder.build()
    path.write_text(good)
    assert "500\u00a0MW" in builder.build().files["chapitres/cloud/index.html"].decode()


def test_write_site_helper_is_used_by_tests(tmp_path):
    root = write_site(tmp_path / "s", {"content/index.md": "---\ntitle: A\nsummary: B\n---\n"})
    assert build(root, write=False).files["index.html"].startswith(b"<!doctype html>")


def test_two_cores_build_the_same_bytes_as_one(make_site, tmp_path, monkeypatch):
    """Above PARALLEL_MIN pages a forked worker renders half; the output must not change."""
    import dossier.workers as workers

    pages = {f"content/chapitres/{n:02d}-p.md": f"---\ntitle: P{n}\nsummary: S\norder: {n}\n"
             f"slug: p{n}\n---\n\n## H\n\n{{fact}}`figures.dakhla` [x](01-cloud.md#dakhla)\n"
             for n in range(2, 12)}
    root = make_site(pages)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 10**9)
    one = build(root, write=False)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 2)
    two = build(root, write=False)
    assert two.files == one.files
    broken = dict(pages, **{"content/chapitres/11-p.md": pages["content/chapitres/11-p.md"]
                            .replace("#dakhla", "#nope")})
    write_site(root, broken, templates=False)
    from dossier.errors import BuildFailed

    with pytest.raises(BuildFailed, match="missing anchor '#nope'"):
        build(root, write=False)


class TestWarmWrite:
    """A warm build links unchanged files, rewrites touched ones, and removes strays."""

    def test_a_file_edited_in_output_is_restored(self, make_site, tmp_path):
        root = make_site()
        builder = Builder(root, cache_dir=tmp_path / "cache")
        builder.build()
        first = tree(root / "output")
        (root / "output/index.html").write_text("edited by hand")
        (root / "output/stray.txt").write_text("not ours")
        Builder(root, cache_dir=tmp_path / "cache").build()
        assert tree(root / "output") == first

    def test_nothing_changed_leaves_output_in_place(self, make_site, tmp_path):
        root = make_site()
        Builder(root, cache_dir=tmp_path / "cache").build()
        inode = (root / "output").stat().st_ino
        Builder(root, cache_dir=tmp_path / "cache").build()
        assert (root / "output").stat().st_ino == inode

    def test_a_changed_page_is_written_and_the_rest_linked(self, make_site, tmp_path):
        root = make_site()
        Builder(root, cache_dir=tmp_path / "cache").build()
        before = (root / "output/sources/index.html").stat().st_ino
        path = root / "content/chapitres/01-cloud.md"
        path.write_text(path.read_text().replace("Le centre", "Le grand centre"))
        Builder(root, cache_dir=tmp_path / "cache").build()
        assert (root / "output/sources/index.html").stat().st_ino == before
        assert "Le grand centre" in (root / "output/chapitres/cloud/index.html").read_text()
