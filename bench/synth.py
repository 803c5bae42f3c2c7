#!/usr/bin/env python3
"""Generate identical synthetic dossiers for our generator, MkDocs, Pelican and Hugo.

``python3 bench/synth.py --pages 1000 --out bench/work/sites/1000`` writes four sites:

- ``ours/``: a dossier project (``content/`` with facts and Markdown pages, a copy of the
  project's ``templates/`` and ``assets/``, a ``pyproject.toml`` with ``[tool.dossier]``);
- ``mkdocs/``: ``docs/`` plus ``mkdocs-{minimal,default,material}.yml`` sharing one ``nav``;
- ``pelican/``: ``content/`` with Pelican metadata plus ``pelicanconf.py``;
- ``hugo/``: ``content/`` with YAML front matter, a minimal layout of ours, ``hugo.toml``.

Every narrative page has the same words, table, list, links and code block in each format.
Leaf pages sit in folders of ``GROUP`` siblings, each folder with an index page; folders sit
in parts of ``GROUP`` folders, so every navigation lists at most ``GROUP`` siblings. Fact
roles (``{fact}`figures.f12` ``) exist only in our format: the other tools get the fact's
value as plain text. Output depends only on ``--pages`` and ``--seed``.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
GROUP = 20  # siblings per folder, and folders per part
FORMATS = ("ours", "mkdocs", "pelican", "hugo")

WORDS = (
    "stratégie numérique intelligence artificielle données souveraineté cloud calcul région "
    "université institut recherche formation talents emploi investissement partenariat accord "
    "programme feuille route ministère transition gouvernance plateforme service public santé "
    "agriculture énergie eau tourisme industrie économie bleue énergies renouvelables réseau "
    "infrastructure centre hébergement capacité mégawatt modèle langue arabe amazighe français "
    "ingénieur chercheur startup incubateur financement budget dirham objectif horizon projet "
    "annonce signature lancement mise service chantier étape calendrier bilan évaluation "
    "indicateur mesure enquête rapport source article presse officiel communiqué ministre "
    "conseil comité pilotage agence opérateur entreprise groupe filiale consortium fonds banque "
    "territoire ville littoral désert atlas plaine port aéroport route rail fibre câble sous-marin "
    "connectivité couverture mobile internet usage citoyen administration démarche dématérialisée "
    "identité numérique paiement cybersécurité protection vie privée loi cadre décret texte "
    "adoption parlement débat consultation acteurs société civile experts diaspora coopération "
    "afrique europe méditerranée atlantique sud nord est ouest nouveau premier grand petit "
    "national régional local durable ouvert libre sûr fiable rapide efficace ambitieux prudent "
    "annoncé prévu confirmé incertain public privé mixte technique juridique financier social"
).split()
CODE = [
    "def charge(path):",
    "    \"\"\"Lire un fichier de faits.\"\"\"",
    "    with open(path, encoding='utf-8') as handle:",
    "        lignes = [l.strip() for l in handle if l.strip()]",
    "    total = sum(len(l) for l in lignes)",
    "    return {'lignes': len(lignes), 'octets': total}",
    "",
    "print(charge('faits.yaml'))",
]
REGIONS = [  # code, name, Arabic name, chef-lieu, lat, lon: inside Morocco's bounding box
    ("01", "Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة", "Tanger", 35.77, -5.80),
    ("02", "L'Oriental", "الشرق", "Oujda", 34.68, -1.91),
    ("03", "Fès-Meknès", "فاس مكناس", "Fès", 34.03, -5.00),
    ("04", "Rabat-Salé-Kénitra", "الرباط سلا القنيطرة", "Rabat", 34.02, -6.84),
    ("05", "Béni Mellal-Khénifra", "بني ملال خنيفرة", "Béni Mellal", 32.34, -6.35),
    ("06", "Casablanca-Settat", "الدار البيضاء سطات", "Casablanca", 33.57, -7.59),
    ("07", "Marrakech-Safi", "مراكش آسفي", "Marrakech", 31.63, -8.01),
    ("08", "Drâa-Tafilalet", "درعة تافيلالت", "Errachidia", 31.93, -4.43),
    ("09", "Souss-Massa", "سوس ماسة", "Agadir", 30.43, -9.60),
    ("10", "Guelmim-Oued Noun", "كلميم واد نون", "Guelmim", 28.98, -10.07),
    ("11", "Laâyoune-Sakia El Hamra", "العيون الساقية الحمراء", "Laâyoune", 27.15, -13.20),
    ("12", "Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب", "Dakhla", 23.71, -15.94),
]


@dataclass
class Page:
    """One narrative page, before it is written in a given format."""

    index: int  # -1 for index pages
    folder: tuple  # ("partie-01", "groupe-003") or () for the site root
    name: str  # file stem: "p00042" or "index"
    title: str
    summary: str
    order: int
    siblings: tuple = ()  # file stems of the pages beside it (leaf pages only)

    @property
    def rel(self) -> str:
        """The page's path under the content folder, with ``.md``."""
        return "/".join((*self.folder, self.name + ".md"))


@dataclass
class Facts:
    """The sizes of the fact collections, and each figure's and source's display text."""

    figures: list  # (id, label, value)
    sources: list  # (id, publisher)


# -- words ------------------------------------------------------------------------------
def sentence(rng: random.Random, low: int = 8, high: int = 16) -> str:
    """A sentence of random words, capitalised and closed by a full stop."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def words(rng: random.Random, count: int) -> str:
    """A paragraph of about ``count`` words."""
    out, total = [], 0
    while total < count:
        out.append(sentence(rng))
        total += len(out[-1].split())
    return " ".join(out)


# -- facts ------------------------------------------------------------------------------
def fact_sizes(n: int) -> dict:
    """How many records of each collection a dossier of ``n`` pages has."""
    return {"sources": max(8, n // 10), "figures": max(10, n // 5), "datacentres": max(6, n // 20),
            "institutes": max(12, n // 50), "milestones": max(6, n // 20),
            "agreements": max(6, n // 20), "sectors": 10, "targets": max(5, n // 50)}


def make_facts(n: int, seed: int) -> tuple[Facts, dict]:
    """Return the facts' display text and the YAML of every collection."""
    rng = random.Random(f"{seed}:facts")
    size = fact_sizes(n)
    sources = [(f"s{i:04d}", f"Éditeur {i}") for i in range(size["sources"])]
    figures = [(f"f{i:04d}", f"Indicateur {i} : {rng.choice(WORDS)} {rng.choice(WORDS)}",
                f"{rng.randint(2, 900)} {rng.choice(['MW', 'millions de dirhams', 'ingénieurs'])}")
               for i in range(size["figures"])]
    yaml = {
        "sources": sources_yaml(sources, rng),
        "regions": regions_yaml(),
        "figures": figures_yaml(figures, sources, rng),
        "datacentres": datacentres_yaml(size["datacentres"], sources, rng),
        "institutes": institutes_yaml(size["institutes"], sources, rng),
        "milestones": milestones_yaml(size["milestones"], sources, rng),
        "agreements": agreements_yaml(size["agreements"], sources, rng),
        "sectors": "".join(f"- id: secteur-{i}\n  name: Secteur {i}\n  sources: [s0000]\n"
                           for i in range(size["sectors"])),
        "targets": targets_yaml(size["targets"], sources, rng),
    }
    return Facts(figures, sources), yaml


def q(text: str) -> str:
    """Quote a YAML scalar safely (double quotes, escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pick_sources(sources: list, rng: random.Random, k: int = 2) -> str:
    """A YAML flow list of ``k`` distinct source ids."""
    return "[" + ", ".join(sorted({rng.choice(sources)[0] for _ in range(k)})) + "]"


def sources_yaml(sources: list, rng: random.Random) -> str:
    """The sources collection, plus the census source that regions require."""
    out = ["- id: hcp-rgph-2024\n  title: Recensement général 2024\n  publisher: HCP\n"
           "  url: https://www.hcp.ma/\n  date: '2024'\n  lang: fr\n  kind: officiel\n"]
    for sid, publisher in sources:
        out.append(f"- id: {sid}\n  title: {q(sentence(rng, 5, 9))}\n  publisher: {q(publisher)}\n"
                   f"  url: https://example.org/{sid}\n  date: '2025-{rng.randint(1, 12):02d}'\n"
                   f"  lang: fr\n  kind: presse\n")
    return "".join(out)


def regions_yaml() -> str:
    """The twelve regions, codes 01 to 12."""
    return "".join(f"- code: '{c}'\n  name_fr: {q(name)}\n  name_ar: {q(ar)}\n"
                   f"  chef_lieu: {q(town)}\n  lat: {lat}\n  lon: {lon}\n  sources: [s0000]\n"
                   for c, name, ar, town, lat, lon in REGIONS)


def figures_yaml(figures: list, sources: list, rng: random.Random) -> str:
    """Figures: a label and a value each; every tenth has two disagreeing claims."""
    out = []
    for i, (fid, label, value) in enumerate(figures):
        head = f"- id: {fid}\n  label: {q(label)}\n"
        if i % 10 == 9:
            out.append(head + f"  value:\n    - value: {q(value)}\n"
                       f"      sources: [{sources[0][0]}]\n      confidence: low\n"
                       f"    - value: {q(value + ' environ')}\n"
                       f"      sources: {pick_sources(sources, rng)}\n"
                       f"  sources: {pick_sources(sources, rng)}\n")
        else:
            out.append(head + f"  value: {q(value)}\n  key: {str(i < 4).lower()}\n"
                       f"  sources: {pick_sources(sources, rng)}\n")
    return "".join(out)


def datacentres_yaml(count: int, sources: list, rng: random.Random) -> str:
    """Data centres with coordinates inside Morocco's bounding box."""
    return "".join(
        f"- id: dc-{i}\n  name: Centre {i}\n  town: Ville {i}\n  region: '{(i % 12) + 1:02d}'\n"
        f"  operator: Opérateur {i % 7}\n  capacity_mw: {rng.randint(1, 500)}\n"
        f"  status: {rng.choice(['operating', 'planned', 'announced'])}\n"
        f"  lat: {rng.uniform(21.0, 35.5):.3f}\n  lon: {rng.uniform(-16.8, -1.5):.3f}\n"
        f"  sources: {pick_sources(sources, rng)}\n" for i in range(count))


def institutes_yaml(count: int, sources: list, rng: random.Random) -> str:
    """Institutes, one region each."""
    return "".join(
        f"- id: inst-{i}\n  name: Institut {i}\n  region: '{(i % 12) + 1:02d}'\n"
        f"  theme: {q(sentence(rng, 3, 5))}\n  university: Université {i % 9}\n"
        f"  status: {rng.choice(['annoncé', 'signé', 'lancé'])}\n  date: '2025-{i % 12 + 1:02d}'\n"
        f"  partners: [Partenaire A, Partenaire B]\n  summary: {q(sentence(rng))}\n"
        f"  sources: {pick_sources(sources, rng)}\n" for i in range(count))


def milestones_yaml(count: int, sources: list, rng: random.Random) -> str:
    """Dated milestones, some tied to a region."""
    return "".join(
        f"- id: jalon-{i}\n  date: '202{5 + i % 3}-{i % 12 + 1:02d}-{i % 28 + 1:02d}'\n"
        f"  title: {q(sentence(rng, 4, 7))}\n  status: annoncé\n"
        f"  region: {repr(f'{i % 12 + 1:02d}') if i % 2 else 'null'}\n"
        f"  sources: {pick_sources(sources, rng)}\n" for i in range(count))


def agreements_yaml(count: int, sources: list, rng: random.Random) -> str:
    """Agreements between parties, some tied to a region."""
    return "".join(
        f"- id: accord-{i}\n  title: {q(sentence(rng, 4, 7))}\n  date: '2025-{i % 12 + 1:02d}'\n"
        f"  parties: [Partie A, Partie B]\n  status: signé\n"
        f"  region: {repr(f'{i % 12 + 1:02d}') if i % 3 == 0 else 'null'}\n"
        f"  sources: {pick_sources(sources, rng)}\n" for i in range(count))


def targets_yaml(count: int, sources: list, rng: random.Random) -> str:
    """Targets of the programmes."""
    return "".join(
        f"- id: cible-{i}\n  label: Cible {i}\n  value: {rng.randint(1, 100)} %\n  horizon: 2030\n"
        f"  programme: Maroc IA 2030\n  sources: {pick_sources(sources, rng)}\n"
        for i in range(count))


# -- pages ------------------------------------------------------------------------------
def plan(n: int, seed: int) -> list[Page]:
    """List every narrative page: leaves in folders of GROUP, folders in parts of GROUP."""
    rng = random.Random(f"{seed}:plan")
    pages, groups = [], (n + GROUP - 1) // GROUP
    for g in range(groups):
        part, folder = g // GROUP, (f"partie-{g // GROUP + 1:02d}", f"groupe-{g + 1:03d}")
        if g % GROUP == 0:
            pages.append(Page(-1, folder[:1], "index", f"Partie {part + 1}",
                              f"Les groupes {g + 1} à {g + GROUP} du dossier.", part + 1))
        pages.append(Page(-1, folder, "index", f"Groupe {g + 1}",
                          f"Les pages {g * GROUP + 1} à {(g + 1) * GROUP} du dossier.",
                          g % GROUP + 1))
        names = tuple(f"p{i:05d}" for i in range(g * GROUP, min(n, (g + 1) * GROUP)))
        for k, name in enumerate(names):
            i = g * GROUP + k
            title = f"Page {i + 1} : {rng.choice(WORDS)} {rng.choice(WORDS)}"
            pages.append(Page(i, folder, name, title, sentence(rng, 10, 14), k + 1, names))
    return pages


class Dialect:
    """How one format writes a fact role, a source role and a link to a sibling page."""

    name = "ours"

    def __init__(self, facts: Facts):
        self.figure = {fid: value for fid, _, value in facts.figures}
        self.publisher = dict(facts.sources)

    def fact(self, fid: str) -> str:
        """Cite a figure."""
        return f"{{fact}}`figures.{fid}`"

    def source(self, sid: str) -> str:
        """Cite a source."""
        return f"{{source}}`{sid}`"

    def link(self, text: str, target: str) -> str:
        """Link to another page by its relative ``.md`` path."""
        return f"[{text}]({target})"


class Plain(Dialect):
    """MkDocs: fact and source roles become their plain text; links stay ``.md`` links."""

    name = "mkdocs"

    def fact(self, fid: str) -> str:
        """The figure's value as text."""
        return self.figure[fid]

    def source(self, sid: str) -> str:
        """The source's publisher as text."""
        return self.publisher[sid]


class Pelican(Plain):
    """Pelican: links to content files are written ``{filename}path.md``."""

    name = "pelican"

    def link(self, text: str, target: str) -> str:
        """Link through Pelican's ``{filename}`` syntax."""
        return f"[{text}]({{filename}}{target})"


class Hugo(Plain):
    """Hugo: a folder's index page is ``_index.md``."""

    name = "hugo"

    def link(self, text: str, target: str) -> str:
        """Link to a page; index pages are section pages named ``_index.md``."""
        if target.endswith("index.md"):
            target = target[: -len("index.md")] + "_index.md"
        return f"[{text}]({target})"


def body(page: Page, facts: Facts, seed: int, d: Dialect) -> str:
    """The Markdown body of a page: ~600 words in sections, a table, a list, links, code."""
    if page.index < 0:
        return index_body(page, seed)
    rng = random.Random(f"{seed}:page:{page.index}")
    figs = [rng.choice(facts.figures)[0] for _ in range(3)]
    src = rng.choice(facts.sources)[0]
    k = page.siblings.index(page.name)
    after = page.siblings[(k + 1) % len(page.siblings)]
    before = page.siblings[k - 1]
    heads = [f"Section {s + 1} : {rng.choice(WORDS)} {rng.choice(WORDS)}" for s in range(5)]
    blocks = [
        f"{words(rng, 50)} La valeur retenue est {d.fact(figs[0])}.",
        f"## {heads[0]}",
        f"{words(rng, 90)} Voir aussi {d.link('la page suivante', after + '.md')} et "
        f"{d.link('la page précédente', before + '.md')}. {words(rng, 20)}",
        f"## {heads[1]}",
        f"{words(rng, 70)} Selon {d.source(src)}, le chiffre atteint {d.fact(figs[1])}.",
        "\n".join(f"- {sentence(rng, 4, 7)}" for _ in range(5)),
        f"## {heads[2]}",
        words(rng, 70),
        table(rng),
        f"## {heads[3]}",
        f"{words(rng, 60)} Le calcul suivant l'illustre.",
        "```python\n" + "\n".join(CODE) + "\n```",
        f"## {heads[4]}",
        f"{words(rng, 80)} Pour la vue d'ensemble, lire {d.link('la section', 'index.md')} ; "
        f"la cible est {d.fact(figs[2])}.",
    ]
    return "\n\n".join(blocks) + "\n"


def table(rng: random.Random) -> str:
    """A five-row Markdown table of four columns."""
    rows = ["| Région | Projet | Capacité | Statut |", "|---|---|---:|---|"]
    for _ in range(5):
        rows.append(f"| {rng.choice(REGIONS)[1]} | {rng.choice(WORDS)} {rng.choice(WORDS)} | "
                    f"{rng.randint(1, 500)} MW | {rng.choice(['annoncé', 'signé', 'lancé'])} |")
    return "\n".join(rows)


def index_body(page: Page, seed: int) -> str:
    """A short introduction for a part's or a folder's index page."""
    rng = random.Random(f"{seed}:index:{page.rel}")
    return words(rng, 50) + "\n"


# -- writing each format -----------------------------------------------------------------
def write(path: Path, text: str) -> None:
    """Write UTF-8 text, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def yaml_front(fields: dict) -> str:
    """A YAML front-matter block."""
    lines = [f"{k}: {q(v) if isinstance(v, str) else v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def home_text(n: int, seed: int) -> str:
    """The home page's introduction."""
    return words(random.Random(f"{seed}:home"), 80) + f"\n\nCe dossier compte {n} pages.\n"


def write_ours(dest: Path, n: int, seed: int, pages: list, facts: Facts, yaml: dict) -> None:
    """Our format: a dossier project with facts, narrative pages, templates and assets."""
    for name in ("templates", "assets"):
        shutil.copytree(PROJECT / name, dest / name, dirs_exist_ok=True)
    write(dest / "pyproject.toml", '[tool.dossier]\ntitle = "Dossier synthétique"\n'
          f'name = "bench-{n}"\ndescription = "Un dossier synthétique de {n} pages."\n')
    for collection, text in yaml.items():
        write(dest / "content" / "facts" / f"{collection}.yaml", text)
    content = dest / "content"
    write(content / "index.md", yaml_front({"title": "Accueil", "summary": "Le dossier en bref.",
                                            "template": "home.html"}) + home_text(n, seed))
    write(content / "sources.md", yaml_front({"title": "Sources", "summary": "Toutes les sources.",
                                              "order": 900, "template": "sources.html"}))
    write(content / "regions.md", yaml_front({"title": "Régions", "summary": "Les régions.",
                                              "order": 901, "template": "regions.html"}))
    d = Dialect(facts)
    for page in pages:
        front = {"title": page.title, "summary": page.summary, "order": page.order}
        write(content / page.rel, yaml_front(front) + body(page, facts, seed, d))


def write_mkdocs(dest: Path, n: int, seed: int, pages: list, facts: Facts) -> None:
    """MkDocs: docs/ with YAML front matter; one shared nav; three theme configurations."""
    d = Plain(facts)
    write(dest / "docs" / "index.md", yaml_front({"title": "Accueil"}) + home_text(n, seed))
    for page in pages:
        front = {"title": page.title, "summary": page.summary, "order": page.order}
        write(dest / "docs" / page.rel, yaml_front(front) + body(page, facts, seed, d))
    base = ("site_name: Dossier synthétique\ndocs_dir: docs\nuse_directory_urls: true\n"
            "nav:\n  - index.md\n" + mkdocs_nav(pages))
    write(dest / "mkdocs-base.yml", base)
    themes = {"minimal": "theme:\n  name: null\n  custom_dir: theme-minimal\n",
              "default": "theme:\n  name: mkdocs\n", "material": "theme:\n  name: material\n"}
    for name, theme in themes.items():
        write(dest / f"mkdocs-{name}.yml", f"INHERIT: mkdocs-base.yml\nsite_dir: site-{name}\n"
              + theme)
    write(dest / "theme-minimal" / "main.html", MKDOCS_MINIMAL)
    write(dest / "theme-minimal" / "404.html",
          "<!doctype html><title>404</title><p>Non trouvé.</p>\n")


def mkdocs_nav(pages: list) -> str:
    """The nav: parts, then folders, each led by its index page."""
    lines = []
    for page in pages:
        if page.name == "index":
            depth = len(page.folder)
            lines.append("  " * (depth - 1) + f"  - {q(page.title)}:")
            lines.append("  " * depth + f"  - {page.rel}")
        else:
            lines.append("  " * len(page.folder) + f"  - {page.rel}")
    return "\n".join(lines) + "\n"


MKDOCS_MINIMAL = """\
<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ page.title }} · {{ config.site_name }}</title>
<meta name="description" content="{{ page.meta.summary }}"></head>
<body>
<header><a href="{{ nav.homepage.url | url }}">{{ config.site_name }}</a></header>
<main><h1>{{ page.title }}</h1>{{ page.content }}</main>
{% if page.parent %}<nav><h2>{{ page.parent.title }}</h2><ol>
{% for sib in page.parent.children %}{% if sib.is_page %}
<li><a href="{{ sib.url | url }}">{{ sib.title }}</a></li>{% endif %}{% endfor %}
</ol></nav>{% endif %}
<nav>{% if page.previous_page %}
<a href="{{ page.previous_page.url | url }}">Précédent</a>{% endif %}
{% if page.next_page %}<a href="{{ page.next_page.url | url }}">Suivant</a>{% endif %}</nav>
</body>
</html>
"""


def write_pelican(dest: Path, n: int, seed: int, pages: list, facts: Facts) -> None:
    """Pelican: articles with Pelican metadata, a category per folder, default theme."""
    d = Pelican(facts)
    write(dest / "content" / "index.md", pelican_meta("Accueil", "Le dossier en bref.", "accueil",
                                                      "accueil", 0) + home_text(n, seed))
    for i, page in enumerate(pages, start=1):
        slug = "-".join(page.folder) if page.name == "index" else page.name
        category = page.folder[-1] if page.folder else "accueil"
        write(dest / "content" / page.rel, pelican_meta(page.title, page.summary, slug, category, i)
              + body(page, facts, seed, d))
    write(dest / "pelicanconf.py", PELICANCONF)


def pelican_meta(title: str, summary: str, slug: str, category: str, minute: int) -> str:
    """Pelican's Markdown metadata block."""
    hour, minute = divmod(minute, 60)
    return (f"Title: {title}\nSummary: {summary}\nSlug: {slug}\nCategory: {category}\n"
            f"Date: {2026 + hour // 24 // 365}-01-01 {hour % 24:02d}:{minute:02d}\n\n")


PELICANCONF = """\
# Generated by bench/synth.py: Pelican's defaults, feeds off as in a development setup.
AUTHOR = "Bench"
SITENAME = "Dossier synthétique"
SITEURL = ""
PATH = "content"
TIMEZONE = "Africa/Casablanca"
DEFAULT_LANG = "fr"
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
# One category per folder of 20: listing them all on every page's menu would make the
# navigation site-wide (quadratic); the category pages list the 20 siblings instead.
DISPLAY_CATEGORIES_ON_MENU = False
# Pelican's default Markdown settings less codehilite: no syntax highlighting, like the others.
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.meta": {}},
    "output_format": "html5",
}
"""


def write_hugo(dest: Path, n: int, seed: int, pages: list, facts: Facts) -> None:
    """Hugo: content/ with YAML front matter (_index.md for folders), our minimal layout."""
    d = Hugo(facts)
    write(dest / "content" / "_index.md", yaml_front({"title": "Accueil"}) + home_text(n, seed))
    for page in pages:
        rel = page.rel.replace("/index.md", "/_index.md")
        front = {"title": page.title, "summary": page.summary, "weight": page.order}
        write(dest / "content" / rel, yaml_front(front) + body(page, facts, seed, d))
    write(dest / "hugo.toml", HUGO_TOML)
    for name, text in HUGO_LAYOUTS.items():
        write(dest / "layouts" / name, text)


HUGO_TOML = """\
baseURL = "http://127.0.0.1/"
title = "Dossier synthétique"
locale = "fr"
# Same work as the other tools: no feeds, no syntax highlighting (ours has neither).
disableKinds = ["taxonomy", "term", "rss"]
[markup.highlight]
codeFences = false
[markup.goldmark.renderHooks.link]
useEmbedded = "fallback"
"""
HUGO_BASE = """\
<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ .Params.summary }}"></head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main><h1>{{ .Title }}</h1>{{ .Content }}</main>
{{ block "nav" . }}{{ end }}
</body>
</html>
"""
HUGO_SINGLE = """\
{{ define "nav" }}
<nav><h2>{{ .CurrentSection.Title }}</h2><ol>
{{ range .CurrentSection.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ol></nav>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">Précédent</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">Suivant</a>{{ end }}</nav>
{{ end }}
"""
HUGO_LIST = """\
{{ define "nav" }}
<nav><ol>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ol></nav>
{{ end }}
"""
HUGO_LAYOUTS = {"_default/baseof.html": HUGO_BASE, "_default/single.html": HUGO_SINGLE,
                "_default/list.html": HUGO_LIST, "index.html": HUGO_LIST}


# -- entry points ------------------------------------------------------------------------
def generate(dest: Path, n: int, seed: int = 1, formats=FORMATS) -> dict:
    """Write the ``n``-page dossier in each of ``formats`` under ``dest``; return a summary."""
    dest = Path(dest)
    pages = plan(n, seed)
    facts, yaml = make_facts(n, seed)
    for fmt in formats:
        target = dest / fmt
        if target.exists():
            shutil.rmtree(target)
        if fmt == "ours":
            write_ours(target, n, seed, pages, facts, yaml)
        else:
            {"mkdocs": write_mkdocs, "pelican": write_pelican, "hugo": write_hugo}[fmt](
                target, n, seed, pages, facts)
    return {"pages": n, "index_pages": sum(p.index < 0 for p in pages),
            "facts": fact_sizes(n), "formats": list(formats)}


def leaf_path(n: int, i: int) -> str:
    """The content path (``partie-01/groupe-001/p00000.md``) of leaf page ``i``."""
    g = i // GROUP
    return f"partie-{g // GROUP + 1:02d}/groupe-{g + 1:03d}/p{i:05d}.md"


def main(argv=None) -> int:
    """Parse the command line and write the sites."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pages", type=int, default=100, help="leaf pages (default 100)")
    p.add_argument("--out", type=Path, required=True, help="folder to write the sites into")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--formats", default=",".join(FORMATS), help="comma-separated subset")
    args = p.parse_args(argv)
    summary = generate(args.out, args.pages, args.seed, tuple(args.formats.split(",")))
    print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
