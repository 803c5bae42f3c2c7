"""The search index (dossier/search.py) and the words of its client (assets/js/search.js).

Python extracts each page's prose and headings and writes them; the client folds, stems and
indexes them (with MiniSearch). Its folding and stemming are tested here in Node, from the
FOLD CASES and STEM CASES tables of search.js; ranking is tests/test_search_quality.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROJECT
from dossier.pipeline import build
from dossier.search import (
    FORMAT_VERSION,
    Index,
    build_index,
    extract,
    index_docs,
    index_stats,
    parse_index,
)

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "assets" / "js" / "search.js"
VENDOR = ROOT / "assets" / "vendor" / "minisearch"
RUN_JS = ROOT / "tests" / "search_run.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs node")


def js_cases(name: str) -> list[tuple[str, str]]:
    """Read a ``NAME CASES`` table of search.js: ``"input" => "expected"`` lines."""
    source = SEARCH_JS.read_text(encoding="utf-8")
    block = source.split(f"{name} CASES", 1)[1].split(f"END {name} CASES", 1)[0]
    line = re.compile(r'^\s*\*\s*("(?:[^"\\]|\\.)*")\s*=>\s*("(?:[^"\\]|\\.)*")\s*$')
    return [(json.loads(m.group(1)), json.loads(m.group(2)))
            for m in map(line.match, block.splitlines()) if m]


def run_js(site: Path, payload: dict) -> dict:
    """Run tests/search_run.js on a site folder (its classic scripts, in Node)."""
    done = subprocess.run([NODE, str(RUN_JS), str(site)], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def mini_site(tmp_path: Path, docs: list[dict]) -> Path:
    """A folder with the search scripts and an index of ``docs``: enough for search_run.js."""
    site = tmp_path / "site"
    (site / "assets" / "js").mkdir(parents=True)
    shutil.copytree(VENDOR, site / "assets" / "vendor" / "minisearch")
    shutil.copy(SEARCH_JS, site / "assets" / "js" / "search.js")
    (site / "search-index.js").write_text(build_index(docs), "utf-8")
    return site


def page(url="chapitres/cloud/index.html", title="Cloud", section="Chapitres", text="",
         headings=()):
    """Make one document in the shape build_index expects."""
    return {"url": url, "title": title, "section": section, "headings": headings,
            "text": text}


# ---- the client's words, in Node -------------------------------------------------------


def test_js_tables_are_present_and_substantial():
    folds, stems = js_cases("FOLD"), js_cases("STEM")
    assert len(folds) >= 15 and len(stems) >= 12
    inputs = "".join(i for i, _ in folds)
    assert "œ" in inputs.lower() and "é" in inputs and "ة" in inputs and "\u0640" in inputs


@needs_node
def test_js_fold_and_term_match_their_tables(tmp_path):
    folds, stems = js_cases("FOLD"), js_cases("STEM")
    calls = [["fold", given] for given, _ in folds] + [["term", given] for given, _ in stems]
    got = run_js(mini_site(tmp_path, []), {"calls": calls})["calls"]
    expected = [want for _, want in folds] + [want or None for _, want in stems]
    wrong = [(c, g, e) for c, g, e in zip(calls, got, expected, strict=True) if g != e]
    assert wrong == []


@needs_node
def test_singular_plural_accents_and_typos_meet(tmp_path):
    docs = [page("a.html", "Les instituts régionaux", text="Des réseaux de centres."),
            page("b.html", "Dakhla", text="Centre de données à Dakhla, énergie verte."),
            page("c.html", "المغرب", text="الطاقة المتجددة في الداخلة")]
    queries = ["institut regional", "reseau", "donnees", "Energie", "dakhal", "طاقة", "داخلة"]
    got = run_js(mini_site(tmp_path, docs), {"queries": queries})["results"]
    firsts = {q: [r["url"] for r in got[q]][:1] for q in queries}
    assert firsts == {"institut regional": ["a.html"], "reseau": ["a.html"],
                      "donnees": ["b.html"], "Energie": ["b.html"], "dakhal": ["b.html"],
                      "طاقة": ["c.html"], "داخلة": ["c.html"]}


@needs_node
def test_title_outranks_a_long_page_that_repeats_the_word(tmp_path):
    long = page("sources.html", "Sources", text=" ".join(["Jazari Mistral données"] * 60))
    docs = [long, page("jazari.html", "L'Institut Jazari", text="Un institut de recherche.")]
    got = run_js(mini_site(tmp_path, docs), {"queries": ["jazari"]})["results"]["jazari"]
    assert [r["url"] for r in got] == ["jazari.html", "sources.html"]


@needs_node
def test_excerpt_starts_at_a_word_and_links_the_matching_heading(tmp_path):
    text = ("Premier paragraphe sans rapport avec la question posée par le lecteur ici. "
            "Le dessalement de l'eau de mer est prévu à Dakhla, avec l'hydrogène vert.")
    docs = [page("d.html", "Dakhla", text=text,
                 headings=[["eau", "L'eau et le dessalement"], ["", "Autre"]])]
    hit = run_js(mini_site(tmp_path, docs), {"queries": ["dessalement"]})["results"]
    first = hit["dessalement"][0]
    assert first["heading"] == "L'eau et le dessalement"
    assert first["excerpt"].startswith("…Le dessalement de l'eau"), first["excerpt"]


# ---- extract: what of a page is prose --------------------------------------------------


PAGE = """<html><body><nav class="site-nav"><a href="x">Chapitres</a></nav>
<main id="main"><article><header class="page-header"><h1>Mistral</h1>
<p class="lede">Le protocole signé.</p><p class="meta">Mis à jour le <time>1 mai</time></p>
</header><nav class="toc"><h2 class="toc-title">Sur cette page</h2><ol><li>A</li></ol></nav>
<div class="prose"><h2 id="signature">Un protocole <em>signé</em></h2>
<p>Signé le <span class="claim">12 septembre 2025 <span class="cites">[<a class="cite">LeBrief</a>;
<a>iAfrica</a>]</span> <span class="confidence">confiance élevée</span></span>. Jazari
<a href="r">Root</a>, suite<br>et fin&nbsp;: «&#8239;oui&#8239;»</p>
<p class="cited-by">Cité par : <a>Accords</a>, <a>Carte</a></p>
<div data-search="skip">Navigation maison</div><p hidden>caché</p>
<script>var x = "code";</script><table><tr><td>Dakhla</td><td>500 MW</td></tr></table>
</div></article><nav class="section-pages"><h2>Dans « Chapitres »</h2></nav></main>
<footer>Pied de page</footer></body></html>"""


def test_extract_keeps_prose_and_headings_only():
    headings, text = extract(PAGE, "Mistral")
    assert headings == (("signature", "Un protocole signé"),)
    assert text == ("Le protocole signé. Signé le 12 septembre 2025. Jazari Root, suite et "
                    "fin\u00a0: «\u202foui\u202f» Dakhla 500 MW")


@pytest.mark.parametrize("gone", ["Chapitres", "Sur cette page", "LeBrief", "iAfrica",
                                  "confiance", "Cité par", "Accords", "Mis à jour",
                                  "Navigation", "caché", "code", "Pied", "Dans"])
def test_extract_leaves_out_navigation_marks_and_boilerplate(gone):
    headings, text = extract(PAGE, "Mistral")
    assert gone not in text and all(gone not in h for _, h in headings)


def test_extract_keeps_a_heading_that_adds_to_the_title():
    html = '<main><h1>Fès-Meknès <span lang="ar">فاس-مكناس</span></h1><p>x</p></main>'
    assert extract(html, "Fès-Meknès") == ((("", "Fès-Meknès فاس-مكناس"),), "x")


def test_extract_survives_unclosed_and_stray_tags():
    html = "<main><p>un <b>deux<p>trois</i> quatre</main>"
    assert extract(html) == ((), "un deux trois quatre")


# ---- the index file ----------------------------------------------------------------------


DOCS = [
    page("index.html", "Accueil", "", "Le Maroc et l'intelligence artificielle."),
    page("chapitres/energie/index.html", "Énergie", "Chapitres", "L'énergie solaire.",
         [("solaire", "Le solaire")]),
    page("ar/index.html", "الذكاء الاصطناعي", "Arabe", "الطاقة المتجددة في المغرب"),
]


def test_build_index_is_deterministic_and_ordered():
    first = build_index(DOCS)
    assert build_index([dict(d) for d in DOCS]) == first
    assert build_index([dict(reversed(list(d.items()))) for d in DOCS]) == first
    assert first.startswith("window.DOSSIER_SEARCH={") and first.endswith("};\n")
    data = parse_index(first)
    assert data["v"] == FORMAT_VERSION == 2
    assert data["docs"][1] == ["chapitres/energie/index.html", "Énergie", "Chapitres",
                               [["solaire", "Le solaire"]], "L'énergie solaire."]
    assert [d["url"] for d in index_docs(first)] == [d["url"] for d in DOCS]


def test_build_index_escapes_script_breakers():
    evil = page("x/index.html", "</script><script>alert(1)</script>", "<!-- s -->",
                "a </SCRIPT> b <!-- c \u2028 d \u2029 e")
    js = build_index([evil])
    assert "<" not in js and "\u2028" not in js and "\u2029" not in js
    assert "\\u003c/script>" in js
    doc = index_docs(js)[0]
    assert doc["title"] == evil["title"] and doc["section"] == evil["section"]
    assert doc["text"] == "a </SCRIPT> b <!-- c \u2028 d \u2029 e"


def test_build_index_collapses_whitespace_and_accepts_empty():
    data = parse_index(build_index([page(text="  un\n\n\tdeux   trois  ")]))
    assert data["docs"][0][4] == "un deux trois"
    assert parse_index(build_index([])) == {"v": 2, "docs": []}


def test_parse_index_rejects_other_files():
    with pytest.raises(ValueError, match="not a search index"):
        parse_index("var x = 1;")


def test_index_stats_reports_sizes():
    js = build_index(DOCS)
    stats = index_stats(DOCS, js)
    assert stats["index_bytes"] == len(js.encode("utf-8"))
    assert stats["text_bytes"] == sum(len(d["text"].encode("utf-8")) for d in DOCS)
    assert stats["docs"] == 3
    assert stats["ratio"] == round(stats["index_bytes"] / stats["text_bytes"], 3)


def test_incremental_index_equals_a_fresh_one():
    """Changing, adding and removing pages through one Index gives a fresh build's bytes."""
    docs = [page(f"p{i}/index.html", f"Page {i}", "S", f"énergie commun mot{i}")
            for i in range(5)]
    index = Index()
    assert index.update(docs) == build_index(docs)
    docs[2] = page("p2/index.html", "Page 2", "S", "eau </script> nouveau", [("h", "Titre")])
    assert index.update(docs) == build_index(docs)
    docs.append(page("p9/index.html", "Neuf", "S", "tout neuf"))
    assert index.update(docs) == build_index(docs)
    del docs[0]
    assert index.update(docs) == build_index(docs)
    docs.reverse()
    assert index.update(docs) == build_index(docs)


def test_the_vendored_library_passes_the_site_checker(tmp_path):
    """MiniSearch defines a method named fetch(); the checker must tell it from a call."""
    from dossier import check

    site = mini_site(tmp_path, DOCS)
    assert [p.format() for p in check.check_site(site)] == []
    (site / "assets" / "js" / "bad.js").write_text("fetch('search.json').then(go);\n")
    assert [p.format() for p in check.check_site(site)] == [
        "assets/js/bad.js: fetch() is blocked on file://"]


def test_titles_in_the_index_read_as_the_pages_show_them(tmp_path):
    """The results list shows titles with the pages' typography (curly apostrophes)."""
    out = tmp_path / "site"
    build(PROJECT, out=out)
    index = (out / "search-index.js").read_text("utf-8")
    assert "L\\u2019accord avec Mistral AI" in index or "L’accord avec Mistral AI" in index
    assert "L'accord avec Mistral AI" not in index
