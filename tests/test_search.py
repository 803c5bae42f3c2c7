"""Tests for the search index (dossier/search.py) and its contract with assets/js/search.js."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from dossier.search import build_index, fold, index_stats, parse_index, tokens

SEARCH_JS = Path(__file__).resolve().parent.parent / "assets" / "js" / "search.js"


def js_fold_cases() -> list[tuple[str, str]]:
    """Read the FOLD CASES table of search.js: the cases its fold() is meant to satisfy."""
    source = SEARCH_JS.read_text(encoding="utf-8")
    block = source.split("FOLD CASES", 1)[1].split("END FOLD CASES", 1)[0]
    line = re.compile(r'^\s*\*\s*("(?:[^"\\]|\\.)*")\s*=>\s*("(?:[^"\\]|\\.)*")\s*$')
    cases = []
    for raw in block.splitlines():
        m = line.match(raw)
        if m:
            cases.append((json.loads(m.group(1)), json.loads(m.group(2))))
    return cases


def decode(postings: str) -> dict[int, int]:
    """Decode a term's postings the way search.js does: base-36 gaps, optional :count."""
    out, doc = {}, 0
    for part in postings.split(","):
        gap, _, count = part.partition(":")
        doc += int(gap, 36)
        out[doc] = int(count, 36) if count else 1
    return out


def page(url="chapitres/cloud/index.html", title="Cloud", section="Chapitres", text=""):
    """Make one document in the shape build_index expects."""
    return {"url": url, "title": title, "section": section, "text": text}


# ---- fold ----------------------------------------------------------------------------


def test_js_table_is_present_and_substantial():
    cases = js_fold_cases()
    assert len(cases) >= 15
    inputs = "".join(i for i, _ in cases)
    assert "œ" in inputs.lower() and "é" in inputs and "ة" in inputs and "\u0640" in inputs


@pytest.mark.parametrize(("given", "expected"), js_fold_cases())
def test_fold_matches_js_table(given, expected):
    assert fold(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Énergie", "energie"),
        ("ÉLÈVE À L'ÉCOLE", "eleve a l'ecole"),
        ("hôpital, maïs, garçon", "hopital, mais, garcon"),
        ("Œ œ Æ æ", "oe oe ae ae"),
        ("Manœuvre", "manoeuvre"),
        ("e\u0301", "e"),  # decomposed input folds like precomposed
        ("ﬂux", "flux"),
    ],
)
def test_fold_french(given, expected):
    assert fold(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("الذَّكَاءُ الاصْطِنَاعِيُّ", "الذكاء الاصطناعي"),  # harakat and shadda removed
        ("أ إ آ ا", "ا ا ا ا"),  # alef forms unified
        ("على", "علي"),  # alef maqsura → ya
        ("الطاقة", "الطاقه"),  # ta marbuta → ha
        ("المغـــرب", "المغرب"),  # tatweel removed
        ("٢٠٣٠", "2030"),
    ],
)
def test_fold_arabic(given, expected):
    assert fold(given) == expected


def test_fold_is_idempotent_and_charwise():
    text = "L'Énergie à Dakhla — ŒUVRE, الطَّاقَةُ المتجددة ٢٠٣٠, Straße, ΣΟΦΟΣ"
    assert fold(fold(text)) == fold(text)
    # The client cuts excerpts by folding one character at a time; that must agree.
    assert "".join(fold(c) for c in text) == fold(text)


def test_word_class_is_letters_and_digits():
    # search.js splits words with /[\p{L}\p{N}]+/u; Python's [^\W_] must be the same set.
    word = re.compile(r"[^\W_]")
    for cp in list(range(0x3000)) + list(range(0xFB00, 0x10000)):
        ch = chr(cp)
        assert bool(word.match(ch)) == (unicodedata.category(ch)[0] in "LN"), hex(cp)


# ---- tokens --------------------------------------------------------------------------


def test_tokens_drop_stop_words_and_single_letters():
    got = tokens("La stratégie de l'IA et des données pour le Maroc, à Rabat, y compris")
    assert got == ["strategie", "ia", "donnees", "maroc", "rabat", "compris"]


def test_tokens_keep_digits_and_arabic_words():
    assert tokens("Objectif 2030 : الذكاء الاصطناعي في المغرب") == [
        "objectif",
        "2030",
        "الذكاء",
        "الاصطناعي",
        "في",
        "المغرب",
    ]


def test_tokens_split_on_punctuation_and_apostrophes():
    assert tokens("l’énergie—solaire/éolienne (Dakhla)") == [
        "energie",
        "solaire",
        "eolienne",
        "dakhla",
    ]


# ---- build_index ---------------------------------------------------------------------


DOCS = [
    page("index.html", "Accueil", "", "Le Maroc et l'intelligence artificielle."),
    page(
        "chapitres/energie/index.html",
        "Énergie",
        "Chapitres",
        "L'énergie solaire; énergie éolienne.",
    ),
    page(
        "regions/dakhla/index.html",
        "Dakhla",
        "Régions",
        "Centre de données à Dakhla, énergie verte.",
    ),
    page("ar/index.html", "الذكاء الاصطناعي", "Arabe", "الطاقة المتجددة في المغرب"),
]


def test_build_index_is_deterministic():
    first = build_index(DOCS)
    assert build_index([dict(d) for d in DOCS]) == first
    # The order of keys inside each doc dict must not matter either.
    assert build_index([dict(reversed(list(d.items()))) for d in DOCS]) == first
    assert first.startswith("window.DOSSIER_SEARCH={") and first.endswith("};\n")


def test_build_index_keeps_docs_in_input_order():
    data = parse_index(build_index(DOCS))
    assert [d[0] for d in data["docs"]] == [d["url"] for d in DOCS]
    assert data["docs"][1] == [
        "chapitres/energie/index.html",
        "Énergie",
        "Chapitres",
        DOCS[1]["text"],
    ]
    assert list(data["terms"]) == sorted(data["terms"])


def test_energie_is_found_by_folded_token():
    terms = parse_index(build_index(DOCS))["terms"]
    # Title + 2 in the text for doc 1; once in doc 2.
    assert decode(terms["energie"]) == {1: 3, 2: 1}
    assert "énergie" not in terms
    assert decode(terms["الطاقه"]) == {3: 1}
    assert "de" not in terms and "la" not in terms


def test_postings_use_gaps_in_base_36():
    docs = [
        page(f"p{i}/index.html", f"Page {i}", "", "commun" + (" rare" if i in (0, 40) else ""))
        for i in range(41)
    ]
    terms = parse_index(build_index(docs))["terms"]
    assert terms["rare"] == "0,14"  # 40 - 0 = 40 = "14" in base 36
    assert decode(terms["commun"]) == {i: 1 for i in range(41)}


def test_build_index_escapes_script_breakers():
    evil = page(
        "x/\u2028index.html",  # whitespace in text is collapsed, not in urls
        "</script><script>alert(1)</script>",
        "<!-- s -->",
        "a </SCRIPT> b <!-- c \u2028 d \u2029 e",
    )
    js = build_index([evil])
    assert "<" not in js
    assert "\u2028" not in js and "\u2029" not in js
    assert "\\u003c/script>" in js
    # Still the same text once parsed.
    doc = parse_index(js)["docs"][0]
    assert doc[1] == evil["title"] and doc[2] == evil["section"]
    assert doc[0] == evil["url"]
    assert doc[3] == "a </SCRIPT> b <!-- c d e"


def test_build_index_collapses_whitespace_and_accepts_empty():
    data = parse_index(build_index([page(text="  un\n\n\tdeux   trois  ")]))
    assert data["docs"][0][3] == "un deux trois"
    assert parse_index(build_index([])) == {"docs": [], "terms": {}, "v": 1}


def test_index_stats_reports_sizes():
    js = build_index(DOCS)
    stats = index_stats(DOCS, js)
    assert stats["index_bytes"] == len(js.encode("utf-8"))
    assert stats["text_bytes"] == sum(len(d["text"].encode("utf-8")) for d in DOCS)
    assert stats["docs"] == 4 and stats["terms"] == len(parse_index(js)["terms"])
    assert stats["ratio"] == round(stats["index_bytes"] / stats["text_bytes"], 3)


def test_incremental_index_equals_a_fresh_one():
    """Changing, adding and removing pages through one Index gives a fresh build's bytes."""
    from dossier.search import Index

    docs = [page(f"p{i}/index.html", f"Page {i}", "S", f"énergie commun mot{i}")
            for i in range(5)]
    index = Index()
    assert index.update(docs) == build_index(docs)
    docs[2] = page("p2/index.html", "Page 2", "S", "eau </script> nouveau")
    assert index.update(docs) == build_index(docs)
    docs.append(page("p9/index.html", "Neuf", "S", "tout neuf"))
    assert index.update(docs) == build_index(docs)
    del docs[0]
    assert index.update(docs) == build_index(docs)
