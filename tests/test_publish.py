"""Publishing files (robots.txt, sitemap.xml, .nojekyll) and the self-sufficient 404 page."""

from __future__ import annotations

import re

from dossier import publish
from dossier.check import check_site
from dossier.pipeline import build

BASE = "https://someone.github.io/dossier/"
PYPROJECT = f'[tool.dossier]\ntitle = "Dossier test"\nbase_url = "{BASE}"\n'
NOT_FOUND = {"content/404.md": "---\ntitle: Page introuvable\nsummary: Rien ici.\n"
                               "template: 404.html\n---\n\nRetour à l'[accueil](index.md).\n"}
UPDATED = {"content/chapitres/01-cloud.md": "---\ntitle: Le cloud\nsummary: S.\norder: 1\n"
                                            "updated: 2026-03-01\n---\n\nTexte.\n"}


def built(make_site, files: dict):
    """Build a fixture site (without writing) and return its files."""
    return build(make_site(files), write=False).files


def test_without_base_url_no_sitemap_and_a_plain_robots(make_site):
    files = built(make_site, NOT_FOUND)
    assert files[".nojekyll"] == b""
    assert files["robots.txt"] == b"User-agent: *\nAllow: /\n"
    assert "sitemap.xml" not in files


def test_robots_points_at_the_sitemap(make_site):
    files = built(make_site, {**NOT_FOUND, "pyproject.toml": PYPROJECT})
    assert files["robots.txt"].decode().endswith(f"Sitemap: {BASE}sitemap.xml\n")


def test_sitemap_lists_pretty_urls_without_the_404_page(make_site):
    files = built(make_site, {**NOT_FOUND, **UPDATED, "pyproject.toml": PYPROJECT})
    xml = files["sitemap.xml"].decode()
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert locs == sorted(locs, key=lambda u: u.replace(BASE, "") + "index.html")
    assert BASE in locs
    assert f"{BASE}chapitres/cloud/" in locs
    assert f"{BASE}regions/guelmim-oued-noun/" in locs
    assert not any("404" in u or u.endswith("index.html") for u in locs)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.')


def test_sitemap_lastmod_only_from_updated_front_matter(make_site):
    xml = built(make_site, {**UPDATED, "pyproject.toml": PYPROJECT})["sitemap.xml"].decode()
    assert f"<url><loc>{BASE}chapitres/cloud/</loc><lastmod>2026-03-01</lastmod></url>" in xml
    assert xml.count("<lastmod>") == 1


def test_publishing_files_are_deterministic(make_site):
    root = make_site({**NOT_FOUND, **UPDATED, "pyproject.toml": PYPROJECT})
    first, second = build(root, write=False).files, build(root, write=False).files
    for name in (".nojekyll", "robots.txt", "sitemap.xml", "404.html"):
        assert first[name] == second[name]


def test_sitemap_escapes_xml():
    class Page:
        key, dest, updated = "x", "a&b/index.html", "not a date"

    xml = publish.sitemap(BASE, [Page()], {"a&b/index.html": b""}).decode()
    assert f"<loc>{BASE}a&amp;b/</loc>" in xml and "lastmod" not in xml


def test_base_path():
    assert publish.base_path("") == ""
    assert publish.base_path("https://u.github.io/repo/") == "/repo/"
    assert publish.base_path("https://u.github.io/repo") == "/repo/"
    assert publish.base_path("https://dossier.example/") == "/"
    assert publish.base_path("https://dossier.example") == "/"


def test_404_page_inlines_the_stylesheets_and_knows_the_public_path(make_site):
    html = built(make_site, {**NOT_FOUND, "pyproject.toml": PYPROJECT})["404.html"].decode()
    assert 'rel="stylesheet"' not in html  # a linked sheet would 404 at /repo/a/b/c/
    assert ".site-header {" in html and "@media print {" in html
    assert 'var BASE = "/dossier/";' in html
    assert 'rel="canonical"' not in html
    assert f'<a href="{BASE}">{BASE}</a>' in html  # the no-JavaScript way home


def test_404_page_without_base_url_probes(make_site):
    html = built(make_site, NOT_FOUND)["404.html"].decode()
    assert 'var BASE = "";' in html and "<noscript>" not in html


def test_fixture_site_passes_check_with_and_without_base_url(make_site, tmp_path):
    root = make_site(NOT_FOUND)
    build(root, out=tmp_path / "plain")
    assert check_site(tmp_path / "plain") == []
    (root / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    build(root, out=tmp_path / "public")
    assert check_site(tmp_path / "public") == []
    assert (tmp_path / "public" / "sitemap.xml").is_file()
