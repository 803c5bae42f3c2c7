"""HTML for facts with their provenance: values, claims side by side, source links.

Every function returns ``markupsafe.Markup`` built from escaped parts, so fact text can never
inject markup into a page.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import schema
from .facts import Claim, Record

UNITS = {"capacity_mw": "MW", "population": "hab."}
NBSP_THIN = "\u202f"  # French thousands separator


def number(value) -> str:
    """Format a number the French way: 4 030 222 ; 3,5."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:,.2f}".rstrip("0").partition(".")
        return whole.replace(",", NBSP_THIN) + ("," + frac if frac else "")
    return f"{int(value):,}".replace(",", NBSP_THIN)


def date(value: str) -> str:
    """Format ``YYYY[-MM[-DD]]`` in French: 2 juillet 2025, juillet 2025, 2025."""
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
    parts = str(value).split("-")
    if len(parts) == 1:
        return parts[0]
    month = months[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{'1er' if day == 1 else day} {month} {parts[0]}"


def label(value) -> str:
    """Translate a status or confidence code for readers."""
    return schema.LABELS.get(value, value) if isinstance(value, str) else str(value)


def source_link(sources: dict, sid: str, root: str) -> Markup:
    """Link one source id to its entry on the sources page."""
    src = sources.get(sid)
    if src is None:
        return Markup('<span class="cite cite-missing">[?]</span>')
    when = f", {date(src.get('date'))}" if src.get("date") else ""
    tip = f"{src.get('publisher')} : {src.get('title')}{when}"
    return Markup('<a class="cite" href="{}sources/index.html#src-{}" title="{}">{}</a>').format(
        root, sid, tip, short_name(src.get("publisher")))


def short_name(publisher: str) -> str:
    """Shorten a publisher for inline citations: 'HCP — Haut-Commissariat…' → 'HCP'."""
    return str(publisher).split(" — ")[0].split(", ")[0].strip()


def sources_html(sources: dict, ids, root: str) -> Markup:
    """Render a bracketed list of source links."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return Markup('<span class="cites cites-none">[source non connue]</span>')
    links = Markup("; ").join(source_link(sources, sid, root) for sid in ids)
    return Markup('<span class="cites">[{}]</span>').format(links)


def value_text(value, field: str = "") -> str:
    """Render a single fact value as text (numbers, dates and codes made readable)."""
    if field in ("horizon", "year") and isinstance(value, int):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = UNITS.get(field)
        return number(value) + (f"\u00a0{unit}" if unit else "")
    if field in ("date", "updated") and isinstance(value, str):
        return date(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return label(value) if field in ("status", "confidence") else str(value)


def claim_html(claim: Claim, sources: dict, root: str, field: str) -> Markup:
    """Render one claim: value, sources, and its status or confidence when known."""
    if claim.value is None:
        body = Markup('<span class="unknown">non connu</span>')
    else:
        body = escape(value_text(claim.value, field))
    extra = Markup("")
    if claim.status:
        extra += Markup(' <span class="badge status-{}">{}</span>').format(
            schema_slug(claim.status), claim.status)
    if claim.confidence:
        extra += Markup(' <span class="confidence confidence-{}" title="Confiance">{}</span>'
                        ).format(claim.confidence, "confiance " + label(claim.confidence))
    note = Markup(' <span class="claim-note">({})</span>').format(claim.note) if claim.note \
        else Markup("")
    return Markup('<span class="claim">{} {}{}{}</span>').format(
        body, sources_html(sources, claim.sources, root), extra, note)


def schema_slug(text: str) -> str:
    """Make a CSS-class-safe version of a status."""
    from .narrative import slugify

    return slugify(text)


def field_html(record: Record, field: str, sources: dict, root: str) -> Markup:
    """Render one field of a record with its provenance; claims side by side."""
    value = record.get(field)
    if record.collection == "sources":
        return source_link(sources, record.id, root)
    if value is None:
        # No source states it: citing the record's sources here would suggest one did.
        return Markup('<span class="unknown" title="Aucune source du dossier ne le dit">'
                      'non connu</span>')
    if isinstance(value, list) and value and isinstance(value[0], Claim):
        if len(value) == 1:
            return claim_html(value[0], sources, root, field)
        parts = Markup('<span class="claim-sep"> / </span>').join(
            claim_html(c, sources, root, field) for c in value)
        return Markup('<span class="claims contested" title="Les sources divergent">'
                      '<span class="contested-label">sources divergentes :</span> {}</span>'
                      ).format(parts)
    return Markup('<span class="claim">{} {}</span>').format(
        value_text(value, field), sources_html(sources, record.get("sources") or (), root))


def plain(record: Record, field: str) -> str:
    """Return a field as plain text (first claim), for titles, tooltips and search."""
    value = record.get(field)
    if isinstance(value, list) and value and isinstance(value[0], Claim):
        return " / ".join(value_text(c.value, field) if c.value is not None else "non connu"
                          for c in value)
    return "non connu" if value is None else value_text(value, field)
