"""HTML for facts with their provenance: values, claims side by side, source links.

Every function returns ``markupsafe.Markup`` built from escaped parts, so fact text can never
inject markup into a page.
"""

from __future__ import annotations

import functools

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


def _e(value) -> str:
    """Escape text for HTML (markupsafe's C escape; f-strings are much faster than format)."""
    return str(escape(value))


def source_link(sources: dict, sid: str, root: str) -> Markup:
    """Link one source id to its entry on the sources page."""
    src = sources.get(sid)
    if src is None:
        return Markup('<span class="cite cite-missing">[?]</span>')
    data = src.data
    when = f", {date(data['date'])}" if data.get("date") else ""
    tip = f"{data.get('publisher')} : {data.get('title')}{when}"
    return Markup(f'<a class="cite" href="{_e(root)}sources/index.html#src-{_e(sid)}" '
                  f'title="{_e(tip)}">{_e(short_name(data.get("publisher")))}</a>')


def short_name(publisher: str) -> str:
    """Shorten a publisher for inline citations: 'HCP — Haut-Commissariat…' → 'HCP'."""
    return str(publisher).split(" — ")[0].split(", ")[0].strip()


def sources_html(sources: dict, ids, root: str) -> Markup:
    """Render a bracketed list of source links."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return Markup('<span class="cites cites-none">[source non connue]</span>')
    links = "; ".join(source_link(sources, sid, root) for sid in ids)
    return Markup(f'<span class="cites">[{links}]</span>')


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
        body = '<span class="unknown">non connu</span>'
    else:
        body = _e(value_text(claim.value, field))
    extra = ""
    if claim.status:
        extra += (f' <span class="badge status-{schema_slug(claim.status)}">'
                  f'{_e(claim.status)}</span>')
    if claim.confidence:
        extra += (f' <span class="confidence confidence-{_e(claim.confidence)}" '
                  f'title="Confiance">confiance {_e(label(claim.confidence))}</span>')
    if claim.note:
        extra += f' <span class="claim-note">({_e(claim.note)})</span>'
    cites = sources_html(sources, claim.sources, root)
    return Markup(f'<span class="claim">{body} {cites}{extra}</span>')


@functools.lru_cache(maxsize=64)
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
        parts = '<span class="claim-sep"> / </span>'.join(
            claim_html(c, sources, root, field) for c in value)
        return Markup('<span class="claims contested" title="Les sources divergent">'
                      f'<span class="contested-label">sources divergentes :</span> {parts}'
                      '</span>')
    cites = sources_html(sources, record.get("sources") or (), root)
    return Markup(f'<span class="claim">{_e(value_text(value, field))} {cites}</span>')


def plain(record: Record, field: str) -> str:
    """Return a field as plain text (first claim), for titles, tooltips and search."""
    value = record.get(field)
    if isinstance(value, list) and value and isinstance(value[0], Claim):
        return " / ".join(value_text(c.value, field) if c.value is not None else "non connu"
                          for c in value)
    return "non connu" if value is None else value_text(value, field)
