"""The broken-input catalogue, narrative side: pages, templates and the input folders.

Each case is built through the command line (``catalogue.run``): exact ``path:line:col``
message, exit 1, no traceback, ``output/`` byte-identical, nothing outside it changed.
``only=True`` where one root cause must give exactly one error.
"""

from __future__ import annotations

import catalogue
import pytest
from catalogue import Case

from conftest import CHAPTER, PROJECT
from dossier import narrative, render
from dossier.check import check_site
from dossier.errors import Report
from dossier.pipeline import build

PAGE_T = (PROJECT / "templates" / "page.html").read_text("utf-8")
BASE = (PROJECT / "templates" / "base.html").read_text("utf-8")
MACRO = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n"


class Link(str):
    """A symbolic link to write at a case's path, pointing at this target."""


def page(body: str, front: str = "title: T\nsummary: S\n") -> str:
    """A narrative page with front matter."""
    return f"---\n{front}---\n\n{body}"


def front(extra: str) -> str:
    """A chapter whose front matter adds ``extra`` (one field, line 4) to title and summary."""
    return page("x", "title: T\nsummary: S\n" + extra)


def block(text: str) -> str:
    """templates/page.html with ``text`` in the block where data pages add their content."""
    return PAGE_T + "{% block generated %}" + text + "{% endblock %}\n"


def with_line(text: str, n: int, insert: str) -> str:
    """``text`` with ``insert`` as its line ``n``."""
    lines = text.split("\n")
    lines.insert(n - 1, insert)
    return "\n".join(lines)


def apply(root, files: dict) -> None:
    """Write the case's files, making symbolic links for ``Link`` values."""
    plain = {}
    for rel, value in files.items():
        if isinstance(value, Link):
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink() or path.is_file():
                path.unlink()
            path.symlink_to(str(value))
        else:
            plain[rel] = value
    ORIGINAL_APPLY(root, plain)


ORIGINAL_APPLY = catalogue.apply

CASES = {
    'tpl-link-out': Case(
        {"templates/leak.html": Link("/etc/passwd"),
         "content/chapitres/02-x.md": front("template: leak.html\n")},
        'templates/leak.html:1:1: error: symbolic link to a file outside its folder',
        only=True),
    'tpl-include-link-out': Case(
        {"templates/leak.html": Link("/etc/passwd"),
         "templates/page.html": block("{% include 'leak.html' %}")},
        'templates/leak.html:1:1: error: symbolic link to a file outside its folder',
        only=True),
    'tpl-folder-link-out': Case(
        {"templates/ext": Link("/usr/share")},
        'templates/ext:1:1: error: symbolic link to a folder outside its folder',
        only=True),
    'content-dangling': Case(
        {"content/chapitres/02-x.md": Link("absent.md")},
        "content/chapitres/02-x.md:1:1: error: symbolic link to nothing: 'absent.md' does "
        'not exist',
        only=True),
    'content-loop-folder': Case(
        {"content/chapitres/boucle": Link("..")},
        'content/chapitres/boucle:1:1: error: symbolic link loop: it leads back to a folder '
        'that contains it',
        only=True),
    'content-loop-file': Case(
        {"content/chapitres/02-a.md": Link("03-b.md"),
         "content/chapitres/03-b.md": Link("02-a.md")},
        "content/chapitres/02-a.md:1:1: error: symbolic link loop ('03-b.md')",),
    'assets-dangling': Case(
        {"assets/css/old.css": Link("gone.css")},
        "assets/css/old.css:1:1: error: symbolic link to nothing: 'gone.css' does not exist",
        only=True),
    'tpl-dangling': Case(
        {"templates/gone.html": Link("nowhere.html")},
        "templates/gone.html:1:1: error: symbolic link to nothing: 'nowhere.html' does not "
        'exist',
        only=True),
    'tpl-loop': Case(
        {"templates/self": Link(".")},
        'templates/self:1:1: error: symbolic link loop: it leads back to a folder that '
        'contains it',
        only=True),
    'tpl-not-utf8': Case(
        {"templates/page.html": PAGE_T.encode() + b"{# caf\xe9 #}\n"},
        'templates/page.html:2:7: error: the file is not UTF-8 (byte 0xe9)',
        only=True),
    'css-not-utf8': Case(
        {"assets/css/site.css": b"body {\n  color: red; /* caf\xe9 */\n}\n"},
        'assets/css/site.css:2:21: error: the file is not UTF-8 (byte 0xe9)',
        only=True),
    'unused-tpl-not-utf8': Case(
        {"templates/old.html": b"<p>\n\xff</p>\n"},
        'templates/old.html:2:1: error: the file is not UTF-8 (byte 0xff)',
        only=True),
    'tpl-zero-div-base': Case(
        {"templates/base.html": with_line(BASE, 5, "{{ 1 // 0 }}")},
        'templates/base.html:5:1: error: ZeroDivisionError: integer division or modulo by '
        'zero',
        only=True),
    'tpl-type-error': Case(
        {"templates/page.html": block("{{ 'a' + 1 }}")},
        'templates/page.html:2:1: error: TypeError: can only concatenate str (not "int") to '
        'str',
        only=True),
    'tpl-undefined-attr': Case(
        {"templates/base.html": with_line(BASE, 5, "{{ page.nope }}")},
        "templates/base.html:5:1: error: undefined value: 'dossier.pages.Page object' has "
        "no attribute 'nope'",
        only=True),
    'tpl-include-recursion': Case(
        {"templates/_loop.html": "<p>\n{% include '_loop.html' %}\n</p>\n",
         "templates/page.html": block("{% include '_loop.html' %}")},
        'templates/_loop.html:2:1: error: an include or a macro calls itself without end',
        only=True),
    'tpl-macro-recursion': Case(
        {"templates/page.html": block(MACRO + "{{ f(1) }}")},
        'templates/page.html:2:1: error: an include or a macro calls itself without end',
        only=True),
    'tpl-include-missing': Case(
        {"templates/page.html": block("{% include 'pagee.html' %}")},
        "templates/page.html:2:1: error: template 'pagee.html' not found in templates/; did "
        "you mean 'page.html'?",
        only=True),
    'tpl-syntax-in-base': Case(
        {"templates/base.html": with_line(BASE, 5, "{% if %}")},
        'templates/base.html:5:1: error: template syntax error: Expected an expression, got '
        "'end of statement block'",
        only=True),
    'page-vs-region': Case(
        {"content/regions/guelmim-oued-noun.md": page("x")},
        'content/regions/guelmim-oued-noun.md:1:1: error: two pages write '
        "regions/guelmim-oued-noun/index.html: this one and the region page of '10' "
        '(content/facts/regions.yaml:1)',
        only=True),
    'page-vs-region-slug': Case(
        {"content/regions/autre.md": front("slug: guelmim-oued-noun\n")},
        'content/regions/autre.md:4:7: error: two pages write '
        "regions/guelmim-oued-noun/index.html: this one and the region page of '10' "
        '(content/facts/regions.yaml:1)',
        only=True),
    'robots-txt-md': Case(
        {"content/robots.txt.md": page("x")},
        'content/robots.txt.md:1:1: error: the page would be written as a folder '
        "'robots.txt/' (the name of a file of the built site): robots.txt/index.html",
        only=True),
    'index-html-md': Case(
        {"content/index.html.md": page("x")},
        'content/index.html.md:1:1: error: the page would be written as a folder '
        "'index.html/' (the name of a file of the built site): index.html/index.html",
        only=True),
    'search-index-md': Case(
        {"content/search-index.js.md": page("x")},
        'content/search-index.js.md:1:1: error: the page would be written as a folder '
        "'search-index.js/' (the name of a file of the built site): "
        'search-index.js/index.html',
        only=True),
    'folder-like-file': Case(
        {"content/sitemap.xml/plan.md": page("x")},
        'content/sitemap.xml/plan.md:1:1: error: the page would be written as a folder '
        "'sitemap.xml/' (the name of a file of the built site): sitemap.xml/plan/index.html",
        only=True),
    'page-vs-asset': Case(
        {"content/assets/x.md": page("x"),
         "assets/x/index.html": "<p>x</p>\n"},
        'content/assets/x.md:1:1: error: this page writes assets/x/index.html, which is '
        'also copied from assets/x/index.html',
        only=True),
    'page-folder-vs-asset-file': Case(
        {"content/assets/guide.md": page("x"),
         "assets/guide": "texte\n"},
        'content/assets/guide.md:1:1: error: this page writes assets/guide/index.html, but '
        'assets/guide is a file (copied from assets/guide)',
        only=True),
    'case-content-files': Case(
        {"content/chapitres/01-Cloud.md": CHAPTER},
        "content/chapitres/01-cloud.md:1:1: error: '01-cloud.md' and '01-Cloud.md' differ "
        'only by case',
        only=True),
    'case-content-folders': Case(
        {"content/Chapitres/05-x.md": page("x")},
        "content/chapitres:1:1: error: 'chapitres' and 'Chapitres' differ only by case",
        only=True),
    'case-output': Case(
        {"content/chapitres/02-Cloud.md": page("x")},
        "content/chapitres/01-cloud.md:1:1: error: the output paths 'chapitres/cloud' (this "
        "page) and 'chapitres/Cloud' (content/chapitres/02-Cloud.md) differ only by case",
        only=True),
    'case-templates': Case(
        {"templates/Page.html": PAGE_T},
        "templates/page.html:1:1: error: 'page.html' and 'Page.html' differ only by case",
        only=True),
    'case-assets': Case(
        {"assets/css/Site.css": "body {}\n"},
        "assets/css/site.css:1:1: error: 'site.css' and 'Site.css' differ only by case",
        only=True),
    'template-region': Case(
        {"content/chapitres/02-x.md": front("template: region.html\n")},
        "content/chapitres/02-x.md:4:11: error: template 'region.html' is for the generated "
        'region pages',
        only=True),
    'template-partial': Case(
        {"content/chapitres/02-x.md": front("template: _macros.html\n")},
        "content/chapitres/02-x.md:4:11: error: template '_macros.html' is a part of other "
        "templates, not a page's template",
        only=True),
    'template-not-html': Case(
        {"content/chapitres/02-x.md": front("template: page\n")},
        "content/chapitres/02-x.md:4:11: error: template 'page' is not an .html template",
        only=True),
    'updated-month-13': Case(
        {"content/chapitres/02-x.md": front("updated: '2026-13'\n")},
        "content/chapitres/02-x.md:4:10: error: front-matter field 'updated' '2026-13' is "
        'not a date: there is no month 13',
        only=True),
    'updated-feb-30': Case(
        {"content/chapitres/02-x.md": front("updated: 2025-02-30\n")},
        "content/chapitres/02-x.md:4:10: error: front-matter field 'updated' '2025-02-30' "
        'is not a date: February 2025 has 28 days',
        only=True),
    'updated-word': Case(
        {"content/chapitres/02-x.md": front("updated: hier\n")},
        "content/chapitres/02-x.md:4:10: error: front-matter field 'updated' 'hier' is not "
        'a date (YYYY-MM-DD, YYYY-MM or YYYY)',
        only=True),
    'updated-list': Case(
        {"content/chapitres/02-x.md": front("updated: [2025]\n")},
        "content/chapitres/02-x.md:4:10: error: front-matter field 'updated' must be text, "
        'not a list',
        only=True),
    'updated-number': Case(
        {"content/chapitres/02-x.md": front("updated: 2025\n")},
        "content/chapitres/02-x.md:4:10: error: front-matter field 'updated' must be text, "
        'not a number',
        only=True),
    'title-list': Case(
        {"content/chapitres/02-x.md": page("x", "title: [a, b]\nsummary: S\n")},
        "content/chapitres/02-x.md:2:8: error: front-matter field 'title' must be text, not "
        'a list',
        only=True),
    'title-mapping': Case(
        {"content/chapitres/02-x.md": page("x", "title:\n  fr: Le cloud\nsummary: S\n")},
        "content/chapitres/02-x.md:3:3: error: front-matter field 'title' must be text, not "
        'a mapping',
        only=True),
    'title-empty': Case(
        {"content/chapitres/02-x.md": page("x", "title:\nsummary: S\n")},
        "content/chapitres/02-x.md:2:7: error: front-matter field 'title' must not be empty",
        only=True),
    'title-blank': Case(
        {"content/chapitres/02-x.md": page("x", "title: '  '\nsummary: S\n")},
        "content/chapitres/02-x.md:2:8: error: front-matter field 'title' must not be empty",
        only=True),
    'summary-number': Case(
        {"content/chapitres/02-x.md": page("x", "title: T\nsummary: 12\n")},
        "content/chapitres/02-x.md:3:10: error: front-matter field 'summary' must be text, "
        'not a number',
        only=True),
    'summary-bool': Case(
        {"content/chapitres/02-x.md": page("x", "title: T\nsummary: yes\n")},
        "content/chapitres/02-x.md:3:10: error: front-matter field 'summary' must be text, "
        'not true/false',
        only=True),
    'order-float': Case(
        {"content/chapitres/02-x.md": front("order: 1.5\n")},
        "content/chapitres/02-x.md:4:8: error: front-matter field 'order' must be a whole "
        'number, not 1.5',
        only=True),
    'order-text': Case(
        {"content/chapitres/02-x.md": front("order: un\n")},
        "content/chapitres/02-x.md:4:8: error: front-matter field 'order' must be a whole "
        "number, not 'un'",
        only=True),
    'order-list': Case(
        {"content/chapitres/02-x.md": front("order: [1]\n")},
        "content/chapitres/02-x.md:4:8: error: front-matter field 'order' must be a whole "
        'number, not a list',
        only=True),
    'order-bool': Case(
        {"content/chapitres/02-x.md": front("order: true\n")},
        "content/chapitres/02-x.md:4:8: error: front-matter field 'order' must be a whole "
        'number, not true/false',
        only=True),
    'slug-mapping': Case(
        {"content/chapitres/02-x.md": front("slug: {a: b}\n")},
        "content/chapitres/02-x.md:4:7: error: front-matter field 'slug' must be text, not "
        'a mapping',
        only=True),
    'template-number': Case(
        {"content/chapitres/02-x.md": front("template: 3\n")},
        "content/chapitres/02-x.md:4:11: error: front-matter field 'template' must be text, "
        'not a number',
        only=True),
    'unknown-field-suggest': Case(
        {"content/chapitres/02-x.md": page("x", "titel: T\ntitle: T\nsummary: S\n")},
        "content/chapitres/02-x.md:2:1: error: unknown front-matter field 'titel'; did you "
        "mean 'title'?",
        only=True),
    'two-roles-second-broken': Case(
        {"content/chapitres/02-x.md": page(
             "Voir {fact}`figures.dakhla` et {fact}`figures.dakla`.\n")},
        "content/chapitres/02-x.md:6:32: error: unknown fact 'figures.dakla'; did you mean "
        "'figures.dakhla'?",
        only=True),
    'two-links-second-broken': Case(
        {"content/chapitres/02-x.md": page("Voir [a](01-cloud.md) et [b](01-clou.md).\n")},
        "content/chapitres/02-x.md:6:30: error: link to a missing page '01-clou.md'; did "
        "you mean '01-cloud.md'?",
        only=True),
    'heading-id-main': Case(
        {"content/chapitres/02-x.md": page("## Début {#main}\n\nTexte.\n")},
        "content/chapitres/02-x.md:6:10: error: the heading id 'main' is already used on "
        'the page by templates/base.html',
        only=True),
    'heading-id-search': Case(
        {"content/chapitres/02-x.md": page("Intro.\n\n## Chercher {#search-input}\n")},
        "content/chapitres/02-x.md:8:13: error: the heading id 'search-input' is already "
        'used on the page by templates/base.html',
        only=True),
    'heading-auto-main': Case(
        {"content/chapitres/02-x.md": page("## Main\n")},
        "content/chapitres/02-x.md:6:1: error: the heading id 'main' (made from its text) "
        'is already used on the page by templates/base.html',
        only=True),
    'source-suggest': Case(
        {"content/chapitres/02-x.md": page("Selon {source}`lebrif`.\n")},
        "content/chapitres/02-x.md:6:7: error: unknown source 'lebrif'; did you mean "
        "'lebrief'?",
        only=True),
    'page-role-suggest': Case(
        {"content/chapitres/02-x.md": page("Voir {page}`chapitres/01-clou`.\n")},
        "content/chapitres/02-x.md:6:6: error: unknown page 'chapitres/01-clou'; did you "
        "mean 'chapitres/01-cloud'?",
        only=True),
    'link-file-suggest': Case(
        {"content/chapitres/02-x.md": page("Voir [css](../assets/css/site.cs).\n")},
        'content/chapitres/02-x.md:6:12: error: link to a missing file '
        "'../assets/css/site.cs'; did you mean '../../assets/css/site.css'?",
        only=True),
    'bare-cr-unknown-fact': Case(
        {"content/chapitres/02-x.md": (
             "---\rtitle: T\rsummary: S\r---\r\rUn.\r\rDeux {fact}`figures.dakla`.\r")},
        "content/chapitres/02-x.md:8:6: error: unknown fact 'figures.dakla'; did you mean "
        "'figures.dakhla'?",
        only=True),
    'empty-content': Case(
        {"content/index.md": None,
         "content/chapitres": None,
         "content/sources.md": None,
         "content/regions.md": None},
        'content:1:1: error: the content folder has no pages',
        only=True),
    'percent-link-missing': Case(
        {"content/chapitres/02-x.md": page("Voir [x](<mon fichier.md>).\n")},
        "content/chapitres/02-x.md:6:11: error: link to a missing page 'mon fichier.md'",
        only=True),
    'facts-dangling': Case(
        {"content/facts/targets.yaml": Link("old-targets.yaml")},
        "content/facts/targets.yaml:1:1: error: symbolic link to nothing: 'old-targets.yaml' "
        "does not exist",
        only=True),
    'facts-loop': Case(
        {"content/facts/targets.yaml": Link("targets.yaml")},
        "content/facts/targets.yaml:1:1: error: symbolic link loop ('targets.yaml')",
        only=True),
    'tpl-include-not-utf8': Case(
        {"templates/_part.html": b"<p>\n<b>caf\xe9</b>\n",
         "templates/page.html": block("{% include '_part.html' %}")},
        "templates/_part.html:2:7: error: the file is not UTF-8 (byte 0xe9)",
        only=True),
    'page-key-of-region': Case(
        {"content/regions/10.md": page("x")},
        "content/regions/10.md:1:1: error: the page key 'regions/10' is the name of the "
        "region page of '10' (content/facts/regions.yaml:1)",
        only=True),
    'heading-id-of-data-template': Case(
        {"content/sources.md": page("## Le Brief {#src-lebrief}\n",
                                    "title: Sources\nsummary: S\ntemplate: sources.html\n")},
        "content/sources.md:7:13: error: the heading id 'src-lebrief' is already used on the "
        "page by the page's template (sources.html)",
        only=True),
    'template-include-suggest': Case(
        {"templates/page.html": block("{% include '_macro.html' %}")},
        "templates/page.html:2:1: error: template '_macro.html' not found in templates/; did "
        "you mean '_macros.html'?",
        only=True),
    'tpl-extends-link-out': Case(
        {"templates/leak.html": Link("/etc/passwd"),
         "templates/page.html": "{% extends 'leak.html' %}\n"},
        "templates/leak.html:1:1: error: symbolic link to a file outside its folder",
        only=True),
    'title-two-lines': Case(
        {"content/chapitres/02-x.md": page("x", "title: |\n  Un\n  Deux\nsummary: S\n")},
        "content/chapitres/02-x.md:2:8: error: front-matter field 'title' must be on one line",
        only=True),
    'percent-anchor-missing': Case(
        {"content/chapitres/02-x.md": page("Voir [x](01-cloud.md#%C3%A9t%C3%A9).\n")},
        "content/chapitres/02-x.md:6:10: error: link to a missing anchor '#été' in "
        "chapitres/cloud/index.html",
        only=True),
    'no-templates-folder': Case(
        {"templates": None},
        "templates:1:1: error: the templates folder does not exist",
        only=True),
}


@pytest.fixture
def links(monkeypatch):
    """Let cases write symbolic links as well as files."""
    monkeypatch.setattr(catalogue, "apply", apply)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_page_input(name, tmp_path, capsys, links):
    catalogue.run(CASES[name], tmp_path, capsys)


# -- what the cases above cannot show: fixes that make a build work -----------------------

def test_heading_ids_are_numbered_in_one_pass():
    """20,000 identical headings: each id costs a step or two, not a scan of the others."""
    probes = []

    class CountingSet(set):
        def __contains__(self, item):
            probes.append(item)
            return super().__contains__(item)

    ids = narrative._Ids()
    ids.used = CountingSet()
    got = [ids.claim("meme-titre") for _ in range(20_000)]
    assert got == ["meme-titre"] + [f"meme-titre-{n}" for n in range(2, 20_001)]
    assert len(probes) <= 2 * 20_000


def test_heading_ids_skip_explicit_ones_as_before():
    text = page("## A\n\n## A\n\n## B {#a-3}\n\n## A\n\n## C {#a}\n\n## A\n")
    doc = narrative.parse(text, "x.md", Report())
    assert [h[1] for h in doc.headings] == ["a", "a-2", "a-3", "a-4", "a-5", "a-6"]


def test_pages_with_spaces_and_accents_can_be_linked(make_site):
    root = make_site({
        "content/chapitres/02-mon fichier.md": page("## Pré {#pré}\n\nx\n"),
        "content/chapitres/03-été.md": page(
            "Voir [a](<02-mon fichier.md>), [b](02-mon%20fichier.md#pr%C3%A9), "
            "[c](<02-mon fichier.md#pré>), {page}`chapitres/02-mon fichier`.\n",
            "title: Été\nsummary: S\n"),
        "content/chapitres/01-cloud.md": CHAPTER + "\nEt [l'été](03-été.md).\n",
    })
    build(root)
    out = root / "output" / "chapitres"
    summer = (out / "été" / "index.html").read_text("utf-8")
    assert 'href="../mon%20fichier/index.html"' in summer
    assert 'href="../mon%20fichier/index.html#pr%C3%A9"' in summer
    assert 'href="../%C3%A9t%C3%A9/index.html"' in (out / "cloud" / "index.html").read_text()
    assert check_site(root / "output") == []


def test_a_page_with_bare_cr_line_endings_is_read(make_site):
    root = make_site({"content/chapitres/02-mac.md":
                      "---\rtitle: Vieux Mac\rsummary: S\r---\r\r## Un titre\r\rTexte.\r"})
    build(root)
    html = (root / "output" / "chapitres" / "mac" / "index.html").read_text("utf-8")
    assert "Vieux Mac" in html
    assert 'id="un-titre"' in html


def test_the_loader_refuses_a_link_out_even_when_asked_directly(tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text("secret")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "leak.html").symlink_to(secret)
    (tmp_path / "templates" / "ok.html").write_text("{% include 'leak.html' %}")
    env = render.environment(tmp_path / "templates")
    with pytest.raises(render.RefusedTemplate) as refused:
        env.get_template("ok.html").render()
    assert refused.value.problem[:4] == (
        "templates/leak.html", 1, 1, "symbolic link to a file outside its folder")


def test_one_template_error_is_counted_once(tmp_path, capsys, links):
    lines = catalogue.run(CASES["tpl-zero-div-base"], tmp_path, capsys)
    assert len(lines) == 1
