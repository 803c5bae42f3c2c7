"""Search quality on the real dossier: tests/search_queries.yaml, run in Node.

The real dossier is built once; its own scripts (vendored MiniSearch, search-index.js,
assets/js/search.js) answer every query of the committed set, as a page would. Each query's
expected page must come first (or within ``top``). tools/search_compare.py runs the same set
on other engines (docs/search.md).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT
from dossier.pipeline import build
from dossier.search import index_docs

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yaml").read_text("utf-8"))
RUN_JS = Path(__file__).parent / "search_run.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs node")
# A page title that only the sources page's "cité par" lists used to repeat.
LISTED_TITLES = ["Instituts Jazari", "Centres de données", "Chronologie", "Carte"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real dossier, built once for this module."""
    out = tmp_path_factory.mktemp("quality") / "site"
    build(PROJECT, out=out)
    return out


@pytest.fixture(scope="module")
def answers(site) -> dict:
    """Every query of the set (and the listed titles) answered by the site's own search."""
    texts = [q["query"] for q in QUERIES] + LISTED_TITLES
    done = subprocess.run([NODE, str(RUN_JS), str(site)], input=json.dumps({"queries": texts}),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["results"]


def test_the_set_is_large_and_varied():
    assert len(QUERIES) >= 25
    texts = " ".join(q["query"] for q in QUERIES)
    assert re.search(r"[\u0600-\u06FF]", texts)  # Arabic script
    assert any(q["why"].startswith("one typo") for q in QUERIES)


@pytest.mark.parametrize("q", QUERIES, ids=[q["query"] for q in QUERIES])
def test_query_finds_the_expected_page(q, answers, site):
    urls = [r["url"] for r in answers[q["query"]]]
    for url in q["expect"]:
        assert (site / url).is_file(), f"the query set names a page that does not exist: {url}"
    assert set(urls[: q.get("top", 1)]) & set(q["expect"]), (q["query"], urls[:5])


@pytest.mark.parametrize("title", LISTED_TITLES)
def test_the_sources_page_is_not_found_by_other_pages_titles(title, answers):
    assert "sources/index.html" not in [r["url"] for r in answers[title]][:3]


def test_excerpts_carry_no_leftovers(answers):
    excerpts = [r["excerpt"] for rs in answers.values() for r in rs]
    assert len(excerpts) > 100
    for text in excerpts:
        assert not re.search(r" [.,)]|\( |\[|Cité par", text), text
        assert not re.match(r"…?\S*[a-zà-ÿ]…$", text[:3])  # never starts mid-word
        assert text.startswith("…") or text[:1].isupper() or not text[:1].isalpha(), text


def test_the_index_has_no_navigation_lists(site):
    docs = {d["url"]: d for d in index_docs((site / "search-index.js").read_text("utf-8"))}
    sources = docs["sources/index.html"]["text"]
    assert "Cité par" not in sources and "Sur cette page" not in sources
    mistral = docs["chapitres/mistral/index.html"]
    # The typography pass puts no-break spaces in dates and before « »: compare as words.
    mistral["text"] = mistral["text"].replace("\u00a0", " ").replace("\u202f", " ")
    assert "Sur cette page" not in mistral["text"] and "Dans « Chapitres »" not in mistral["text"]
    assert ["signature", "Un protocole signé à Rabat"] in mistral["headings"]
    # The bracketed citation list and the confidence badge after a figure are gone.
    assert "signé à Rabat le 12 septembre 2025 par Amal El Fallah" in mistral["text"]
    assert "404.html" not in docs
