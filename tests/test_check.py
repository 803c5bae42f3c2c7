"""``build.py check`` on hand-written sites: each kind of problem, with its exact message."""

from __future__ import annotations

from argparse import Namespace

import pytest

from dossier import check
from dossier.check import check_site

HEAD = '<title>T</title><meta name="description" content="D">'


def page(body: str = "", head: str = HEAD, lang: str = ' lang="fr"') -> str:
    """A complete page whose head and body can be replaced."""
    return f"<!doctype html><html{lang}><head>{head}</head><body>{body}</body></html>"


GOOD = {
    "index.html": page('<h1 id="top">Accueil</h1><a href="sub/index.html#part">x</a>'
                       '<a href="sub/index.html?v=1#part">query</a><a href="#top">haut</a>'
                       '<a href="https://example.org/article">source</a><a href="#">vide</a>'
                       '<a href="mailto:a@example.org">mail</a><img src="data:image/png;base64,AA">'
                       '<link rel="stylesheet" href="assets/site.css">'
                       '<link rel="canonical" href="https://example.org/site/">'
                       '<script src="assets/app.js"></script>'),
    "sub/index.html": page('<h2 id="part">P</h2><a name="old">o</a><a href="../index.html">h</a>'
                           '<a href="index.html#old">o</a><img srcset="../img/a.png 1x, '
                           '../img/a.png 2x" src="../img/a.png">'),
    "assets/site.css": "/* url(https://example.org/in-a-comment.woff) */\n"
                       "body { background: url('../img/a.png'); }\n"
                       ".x { background: url(data:image/png;base64,AA); }\n",
    "assets/app.js": "// no fetch() here, and no XMLHttpRequest either\n"
                     "/* new Worker('w.js') */\nvar a = {fetchAll: 1}; cache.fetch('x');\n"
                     "var src = 'https://example.org/article-about-tiles';\n"
                     "var link = '<a href=\"https://example.org/a.png\">x</a>';\n",
    "img/a.png": b"\x89PNG",
}


def site(tmp_path, files: dict):
    """Write GOOD plus ``files`` (None deletes a file of GOOD) and check it."""
    merged = {**GOOD, **files}
    for rel, text in merged.items():
        if text is None:
            continue
        path = tmp_path / "site" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return [p.format() for p in check_site(tmp_path / "site")]


def test_a_good_site_has_no_problems(tmp_path):
    assert site(tmp_path, {}) == []


CASES = {
    "broken-link": (
        {"index.html": page('<a href="nope/index.html">x</a>')},
        "index.html: broken link 'nope/index.html': no file nope/index.html"),
    "broken-image": (
        {"sub/index.html": page('<h2 id="part">P</h2><img src="../img/b.png">')},
        "sub/index.html: broken link '../img/b.png': no file img/b.png"),
    "missing-anchor": (
        {"index.html": page('<a href="sub/index.html#nowhere">x</a>')},
        "index.html: missing anchor '#nowhere' in sub/index.html"),
    "missing-anchor-same-page": (
        {"index.html": page('<a href="#nowhere">x</a>')},
        "index.html: missing anchor '#nowhere' in index.html"),
    "folder-link": (
        {"index.html": page('<a href="sub/">x</a>')},
        "index.html: link to a folder 'sub/': file:// shows a directory listing, "
        "link to 'sub/index.html'"),
    "folder-link-without-slash": (
        {"index.html": page('<a href="sub">x</a>')},
        "index.html: link to a folder 'sub': file:// shows a directory listing, "
        "link to 'sub/index.html'"),
    "folder-without-index": (
        {"index.html": page('<a href="img/">x</a>')},
        "index.html: broken link 'img/': no file img/index.html"),
    "outside": (
        {"index.html": page('<a href="../elsewhere.html">x</a>')},
        "index.html: link '../elsewhere.html' points outside the site"),
    "root-absolute": (
        {"index.html": page('<a href="/sub/index.html">x</a>')},
        "index.html: root-absolute URL '/sub/index.html' in <a href>: it breaks under "
        "/<repo>/ and on file://"),
    "protocol-relative": (
        {"index.html": page('<script src="//cdn.example.org/x.js"></script>')},
        "index.html: protocol-relative URL '//cdn.example.org/x.js' in <script src>: it "
        "becomes file://cdn.example.org/x.js in the zip"),
    "file-url": (
        {"index.html": page('<img src="file:///home/me/x.png">')},
        "index.html: file: URL 'file:///home/me/x.png' in <img src>: it points at the "
        "builder's disk"),
    "external-script": (
        {"index.html": page('<script src="https://cdn.example.org/leaflet.js"></script>')},
        "index.html: loads from another host: 'https://cdn.example.org/leaflet.js' in "
        "<script src>"),
    "external-stylesheet": (
        {"index.html": page(head=HEAD + '<link rel="stylesheet" href="https://cdn.example.org/a.css">')},
        "index.html: loads from another host: 'https://cdn.example.org/a.css' in <link href>"),
    "external-icon": (
        {"index.html": page(head=HEAD + '<link rel="icon" href="http://example.org/i.ico">')},
        "index.html: loads from another host: 'http://example.org/i.ico' in <link href>"),
    "external-image": (
        {"index.html": page('<img src="https://example.org/a.png">')},
        "index.html: loads from another host: 'https://example.org/a.png' in <img src>"),
    "external-srcset": (
        {"index.html": page('<img src="img/a.png" srcset="https://example.org/b.png 2x">')},
        "index.html: loads from another host: 'https://example.org/b.png' in <img srcset>"),
    "external-iframe": (
        {"index.html": page('<iframe src="https://maps.example.org/embed"></iframe>')},
        "index.html: loads from another host: 'https://maps.example.org/embed' in <iframe src>"),
    "css-file-url": (
        {"assets/site.css": "@font-face { src: url(https://fonts.example.org/f.woff2); }"},
        "assets/site.css: loads from another host: 'https://fonts.example.org/f.woff2' in CSS"),
    "css-file-import": (
        {"assets/site.css": '@import "https://fonts.example.org/css?family=X";'},
        "assets/site.css: loads from another host: 'https://fonts.example.org/css?family=X' "
        "in CSS"),
    "css-file-missing": (
        {"assets/site.css": "body { background: url(missing.png); }"},
        "assets/site.css: broken url() 'missing.png' in CSS: no file assets/missing.png"),
    "css-root-absolute": (
        {"assets/site.css": "body { background: url(/img/a.png); }"},
        "assets/site.css: root-absolute URL '/img/a.png' in CSS: it breaks under /<repo>/ "
        "and on file://"),
    "inline-style-tag": (
        {"index.html": page(head=HEAD + "<style>b { background: url(//x.example.org/a.png) }"
                                        "</style>")},
        "index.html: loads from another host: '//x.example.org/a.png' in CSS"),
    "style-attribute": (
        {"index.html": page('<div style="background-image: url(&quot;http://x.example.org/'
                            'a.png&quot;)"></div>')},
        "index.html: loads from another host: 'http://x.example.org/a.png' in CSS"),
    "base": (
        {"index.html": page(head=HEAD + '<base href="https://example.org/">')},
        "index.html: <base> element: links must resolve against the page itself"),
    "fetch": (
        {"assets/app.js": "fetch('data.json').then(r => r.json());"},
        "assets/app.js: fetch() is blocked on file://"),
    "window-fetch": (
        {"assets/app.js": "window.fetch(url);"},
        "assets/app.js: fetch() is blocked on file://"),
    "xhr-inline": (
        {"index.html": page("<script>var x = new XMLHttpRequest();</script>")},
        "index.html: XMLHttpRequest is blocked on file://"),
    "module-script": (
        {"index.html": page('<script type="module" src="assets/app.js"></script>')},
        'index.html: <script type="module"> is blocked on file://'),
    "module-syntax": (
        {"assets/app.js": "import { a } from './a.js';\nexport default a;\n"},
        "assets/app.js: ES module syntax is blocked on file://"),
    "dynamic-import": (
        {"assets/app.js": "const m = await import('./m.js');"},
        "assets/app.js: dynamic import() is blocked on file://"),
    "module-file": (
        {"assets/app.mjs": "var a = 1;"},
        "assets/app.mjs: an ES module file (.mjs): modules are blocked on file://"),
    "worker": (
        {"assets/app.js": "var w = new Worker('w.js');"},
        "assets/app.js: a Web Worker cannot start on file://"),
    "service-worker": (
        {"assets/app.js": "navigator.serviceWorker.register('sw.js');"},
        "assets/app.js: a service worker cannot run on file://"),
    "wasm": (
        {"assets/app.js": "WebAssembly.instantiate(bytes);"},
        "assets/app.js: WebAssembly cannot be loaded on file://"),
    "wasm-file": (
        {"assets/x.wasm": b"\0asm"},
        "assets/x.wasm: a WebAssembly file: it cannot be loaded on file://"),
    "tiles-in-script": (
        {"index.html": page("<script>L.tileLayer('https://tile.example.org/{z}/{x}/{y}.png')"
                            "</script>")},
        "index.html: script loads from another host: "
        "'https://tile.example.org/{z}/{x}/{y}.png'"),
    "script-loads-css": (
        {"assets/app.js": "link.href = 'https://cdn.example.org/x.css';"},
        "assets/app.js: script loads from another host: 'https://cdn.example.org/x.css'"),
    "missing-title": (
        {"index.html": page(head='<meta name="description" content="D">')},
        "index.html: missing <title>"),
    "empty-title": (
        {"index.html": page(head='<title> </title><meta name="description" content="D">')},
        "index.html: missing <title>"),
    "missing-lang": (
        {"index.html": page(lang="")},
        "index.html: missing lang on <html>"),
    "missing-description": (
        {"index.html": page(head="<title>T</title>")},
        'index.html: missing <meta name="description">'),
    "empty-description": (
        {"index.html": page(head='<title>T</title><meta name="description" content="">')},
        'index.html: missing <meta name="description">'),
}


@pytest.mark.parametrize("name", CASES)
def test_each_problem_is_caught_with_its_message(tmp_path, name):
    files, expected = CASES[name]
    assert site(tmp_path, files) == [expected]


def test_srcset_with_data_urls(tmp_path):
    body = '<img src="img/a.png" srcset="data:image/png;base64,AA,BB 1x, img/a.png 2x">'
    assert site(tmp_path, {"index.html": page(body)}) == []


def test_json_data_scripts_are_not_scanned_for_apis(tmp_path):
    data = '<script type="application/json">{"note": "fetch(x) new Worker(y)"}</script>'
    assert site(tmp_path, {"index.html": page(data)}) == []


def test_a_problem_repeated_in_one_file_is_listed_once(tmp_path):
    body = '<a href="/a">1</a><a href="/a">2</a><a href="nope.html">3</a>'
    assert site(tmp_path, {"index.html": page(body)}) == [
        "index.html: root-absolute URL '/a' in <a href>: it breaks under /<repo>/ and on "
        "file://",
        "index.html: broken link 'nope.html': no file nope.html",
    ]


def test_percent_encoded_paths_and_anchors_resolve(tmp_path):
    files = {"index.html": page('<a href="d%C3%A9j%C3%A0/index.html#%C3%A9t%C3%A9">x</a>'),
             "déjà/index.html": page('<h2 id="été">É</h2>')}
    assert site(tmp_path, files) == []


def test_run_exit_codes_and_output(tmp_path, capsys):
    site(tmp_path, {})
    assert check.run(tmp_path, Namespace(out=str(tmp_path / "site"))) == 0
    out = capsys.readouterr().out
    assert out.startswith("checked 2 pages, 1 stylesheets and 1 scripts in ")
    assert out.count("\n") == 1

    (tmp_path / "site" / "img" / "a.png").unlink()
    assert check.run(tmp_path, Namespace(out=str(tmp_path / "site"))) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "assets/site.css: broken url() '../img/a.png' in CSS: no file img/a.png"
    assert err[-1].startswith("check failed: 2 problems in ")


def test_run_without_a_built_site(tmp_path, capsys):
    assert check.run(tmp_path, Namespace(out=str(tmp_path / "none"))) == 1
    assert "nothing to check" in capsys.readouterr().err


def test_run_defaults_to_the_output_setting(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text('[tool.dossier]\noutput = "public"\n', "utf-8")
    site(tmp_path, {})
    (tmp_path / "site").rename(tmp_path / "public")
    assert check.run(tmp_path, Namespace(out=None)) == 0
    assert "public" in capsys.readouterr().out
