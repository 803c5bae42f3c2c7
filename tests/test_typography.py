"""French typography: each rule on plain text, then never inside code, URLs or attributes."""

from __future__ import annotations

import pytest

from dossier import narrative, typography
from dossier.errors import Report
from dossier.typography import NBSP, NNBSP, french, html


@pytest.mark.parametrize("typed, expected", [
    ("Quoi ? Oui ! Enfin ; non", f"Quoi{NNBSP}? Oui{NNBSP}! Enfin{NNBSP}; non"),
    ("Quoi? Oui! Enfin; non", f"Quoi{NNBSP}? Oui{NNBSP}! Enfin{NNBSP}; non"),
    ("Note : la suite", f"Note{NBSP}: la suite"),
    ("« Data Center 2030 »", f"«{NNBSP}Data Center 2030{NNBSP}»"),
    ("«Giga»", f"«{NNBSP}Giga{NNBSP}»"),
    ('le programme "Data Center 2030" est', f"le programme «{NNBSP}Data Center 2030{NNBSP}» est"),
    ("2 000 m² et 36 828 330 habitants",
     f"2{NNBSP}000{NBSP}m² et 36{NNBSP}828{NNBSP}330{NBSP}habitants"),
    ("500 MW", f"500{NBSP}MW"),
    ("30 % des projets", f"30{NBSP}% des projets"),
    ("le 12 janvier 2026", f"le 12{NBSP}janvier{NBSP}2026"),
    ("le 1er juillet 2025", f"le 1er{NBSP}juillet{NBSP}2025"),
    ("en novembre 2025", f"en novembre{NBSP}2025"),
    ("l'État et aujourd'hui", "l\u2019État et aujourd\u2019hui"),
    ("lors d'« Assises »", f"lors d\u2019«{NNBSP}Assises{NNBSP}»"),
    ('l\'"IA"', f"l\u2019«{NNBSP}IA{NNBSP}»"),
])
def test_each_rule(typed, expected):
    assert french(typed) == expected


@pytest.mark.parametrize("text", [
    "de 2024 à 2025 2026",  # years side by side are not groups of thousands
    "Digital X.0 et Maroc IA 2030",
    "10:30 et 3:2",  # no space typed before ':' means none is added (times, ratios)
    "l’IA déjà «\u202fcourbe\u202f»",
])
def test_what_needs_nothing_is_left_alone(text):
    assert french(text) == text


def test_the_pass_is_idempotent():
    once = french('Il dit : "oui" ; 2 000 MW le 1er mai 2025 ! l\'IA ?')
    assert french(once) == once


def test_never_inside_urls():
    text = "Voir https://example.org/a?b=1;c=2 ou www.hcp.ma/x?y ; fin"
    assert french(text) == f"Voir https://example.org/a?b=1;c=2 ou www.hcp.ma/x?y{NNBSP}; fin"


def test_never_inside_code_pre_scripts_or_styles():
    page = ("<p>a : b</p><code>a : b 'x'</code><pre>l'x ? 2 000</pre>"
            "<script>var a = b ? c : d; s = 'it'+'s';</script>"
            "<style>a:hover { x : y !important }</style>")
    done = html(page)
    assert done.startswith(f"<p>a{NBSP}: b</p>")
    assert "<code>a : b 'x'</code><pre>l'x ? 2 000</pre>" in done
    assert "<script>var a = b ? c : d; s = 'it'+'s';</script>" in done
    assert "<style>a:hover { x : y !important }</style>" in done


def test_never_inside_attributes():
    page = '<a href="x?y=1 ; z" title="l\'IA : 2 000 MW" data-x="« a »">l\'IA : 2 000 MW</a>'
    done = html(page)
    assert 'href="x?y=1 ; z" title="l\'IA : 2 000 MW" data-x="« a »"' in done
    assert done.endswith(f">l\u2019IA{NBSP}: 2{NNBSP}000{NBSP}MW</a>")


def test_never_inside_another_language():
    page = ('<p lang="fr">Quoi ? <span lang="en">What ? It\'s <b>here</b> ; ok</span> '
            '<span lang="ar" dir="rtl">الداخلة : وادي</span> fin !</p>')
    done = html(page)
    assert "<span lang=\"en\">What ? It's <b>here</b> ; ok</span>" in done
    assert '<span lang="ar" dir="rtl">الداخلة : وادي</span>' in done
    assert done.endswith(f"fin{NNBSP}!</p>")
    assert done.startswith(f"<p lang=\"fr\">Quoi{NNBSP}?")


def test_other_editions_are_left_alone():
    assert html("<p>What ? 2 000 MW</p>", "en") == "<p>What ? 2 000 MW</p>"
    assert html("<p>ما ? 2 000</p>", "ar") == "<p>ما ? 2 000</p>"


def test_escaped_quotes_in_fact_text_become_french():
    # Jinja escapes fact text: ' and " arrive as entities; other entities stay escaped.
    page = "<p>l&#39;IA &#34;souveraine&#34; &amp; le &lt;cloud&gt; : oui</p>"
    assert html(page) == (f"<p>l\u2019IA «{NNBSP}souveraine{NNBSP}» &amp; le &lt;cloud&gt;"
                          f"{NBSP}: oui</p>")


def test_quotes_across_inline_tags():
    done = html('<p>le programme "<em>Data Center</em>" et "Giga"</p>')
    assert done == (f"<p>le programme «{NNBSP}<em>Data Center</em>{NNBSP}» et "
                    f"«{NNBSP}Giga{NNBSP}»</p>")


def test_markdown_gets_the_typographer_and_keeps_code():
    doc = narrative.parse("---\ntitle: T\nsummary: S\n---\n\nL'IA \"souveraine\" -- `l'x : \"y\"`"
                          " et [l'accord](https://ex.org/a'b)\n", "x.md", Report())
    assert "L\u2019IA «\u202fsouveraine\u202f» –" in doc.html
    assert "<code>l'x : &quot;y&quot;</code>" in doc.html
    assert 'href="https://ex.org/a\'b"' in doc.html
    # The page pass leaves code alone too.
    assert "<code>l'x : &quot;y&quot;</code>" in typography.html(doc.html)


def test_the_built_page_has_french_spaces(make_site):
    from dossier.pipeline import build

    root = make_site({"content/chapitres/01-cloud.md": (
        "---\ntitle: Le cloud\nsummary: Quoi ? Le cloud.\norder: 1\n---\n\n"
        "Le centre vise {fact}`figures.dakhla` ; voir « Dakhla » : `a : b`.\n")})
    page = build(root, write=False).files["chapitres/cloud/index.html"].decode()
    main = page[page.index("<main"):]
    assert f"500{NBSP}MW" in main and f"{NNBSP};" in main and f"«{NNBSP}Dakhla{NNBSP}»" in main
    assert "<code>a : b</code>" in main
    assert 'content="Quoi ? Le cloud."' in page  # attributes untouched


def test_a_note_call_sticks_to_its_word():
    page = ('<p>réseaux. <sup class="note-ref"><a href="#note-7">7</a></sup> et x\n'
            '<sup class="note-ref">')
    assert html(page) == ('<p>réseaux.<sup class="note-ref"><a href="#note-7">7</a></sup> et x'
                          '<sup class="note-ref">')
