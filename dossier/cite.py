"""HTML for facts with their provenance: values, claims side by side, source notes.

Two renderings share the value formatting: ``Notes`` (pages) shows a fact as its value and
one note marker, the provenance in a numbered note; ``field_html``/``sources_html`` (map
popups) keep the sources inline. Every function returns ``markupsafe.Markup`` built from
escaped parts, so fact text can never inject markup into a page.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from dataclasses import field as dc_field

from markupsafe import Markup, escape

from . import formats, schema
from .facts import Claim, Record

UNITS = {"capacity_mw": "MW", "population": "hab."}
# Words that name a numeric field's unit in prose: typed after a fact that printed the unit,
# they repeat it ("50 MW MW").
UNIT_WORDS = {"capacity_mw": ("MW", "mégawatts", "mégawatt"),
              "population": ("hab.", "habitants", "habitant")}
# A text value that is a figure and its unit: "500 MW", "2 000 m²", "70 %", "11 milliards de
# dirhams". The number may hold spaces (thousands), "." or "," (decimals), and a sign.
NUMBER_UNIT = re.compile(r"\s*([+\-−]?\d(?:[\d\s\u00a0\u202f.,]*\d)?)\s*(\D.*)?\Z", re.S)
# Small words of a unit phrase that do not name the unit ("milliards de dirhams").
UNIT_STOP = {"de", "d'", "du", "des", "et", "par", "un", "une", "environ", "soit", "au", "à",
             "en", "le", "la", "les", "l'"}
# The French noun a field names and its gender: note subjects, and "capacité non connue".
FIELDS = {
    "capacity_mw": ("capacité", "f"), "date": ("date", "f"), "theme": ("thème", "m"),
    "university": ("université", "f"), "population": ("population", "f"),
    "value": ("valeur", "f"), "town": ("lieu", "m"), "chef_lieu": ("chef-lieu", "m"),
    "status": ("statut", "m"), "operator": ("opérateur", "m"), "title": ("titre", "m"),
}
UNKNOWN = {"m": "non connu", "f": "non connue"}
UNCERTAIN = ("low",)  # confidences marked in the text; "high" and "medium" read plainly
UNCONFIRMED = ("non confirmé",)


def title_language(source: dict, language: str | None = None) -> str | None:
    """The language to mark on a source's title, or None when it is the page's own.

    One rule for every place a title is shown (notes, popovers, the sources page): the
    title's own language (``title_lang``, e.g. a French description of an English
    article), else the source's (``lang``).
    """
    lang = source.get("title_lang") or source.get("lang")
    return lang if lang and lang != (language or formats.DEFAULT_LANGUAGE) else None


def number(value, language: str | None = None) -> str:
    """Format a number for readers (Babel): 4 030 222 ; 3,5."""
    return formats.number(value, language)


def date(value: str, language: str | None = None) -> str:
    """Format ``YYYY[-MM[-DD]]`` for readers (Babel): 2 juillet 2025, juillet 2025, 2025."""
    return formats.date(value, language)


def unknown(field_name: str = "") -> str:
    """Say "not known" agreeing with the field's noun: "non connue" for a capacity."""
    return UNKNOWN[FIELDS.get(field_name, ("", "m"))[1]]


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


def split_unit(text: str) -> tuple[str, str] | None:
    """Split a text value into its number and its unit ("500 MW" → "500", "MW"), or None
    when it does not start with a number."""
    match = NUMBER_UNIT.match(text) if isinstance(text, str) else None
    return (match.group(1).strip(), (match.group(2) or "").strip()) if match else None


def unit_words(record: Record, field: str) -> set[str]:
    """The words naming the unit a fact prints with its value, from the fact itself: the
    field's unit (``MW``, ``hab.``) or the words after a text value's number (``m²``,
    ``%``, ``dirhams``)."""
    words = set(UNIT_WORDS.get(field, ()))
    value = record.get(field)
    values = [c.value for c in value] if isinstance(value, list) and value and isinstance(
        value[0], Claim) else [value]
    for item in values:
        parts = split_unit(item) if isinstance(item, str) else None
        if parts and parts[1]:
            words |= {w.strip("(),;:") for w in parts[1].split()} - UNIT_STOP - {""}
    return {w for w in words if not any(ch in "0123456789" for ch in w)}  # m² is a unit


def has_bare_value(record: Record, field: str) -> bool:
    """Whether every value of a fact is a number, or a number and a one-word unit ("500 MW",
    "2 000 m²"): "11 milliards de dirhams" has no bare value that would not mislead."""
    value = record.get(field)
    values = [c.value for c in value] if isinstance(value, list) and value and isinstance(
        value[0], Claim) else [value]

    def bare(v) -> bool:
        if v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)):
            return True
        parts = split_unit(v)
        return parts is not None and len(parts[1].split()) <= 1

    return all(bare(v) for v in values)


def value_text(value, field: str = "", language: str | None = None, bare: bool = False) -> str:
    """Render a single fact value as text (numbers, dates and codes made readable).

    With ``bare``, a figure without its unit: ``500`` for 500 MW, ``2 000`` for "2 000 m²".
    """
    if field in ("horizon", "year") and isinstance(value, int):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = None if bare else UNITS.get(field)
        return number(value, language) + (f"\u00a0{unit}" if unit else "")
    if bare and isinstance(value, str) and split_unit(value):
        return split_unit(value)[0]
    if field in ("date", "updated") and isinstance(value, str):
        return date(value, language)
    if isinstance(value, list):
        return formats.join(value, language)
    return label(value) if field in ("status", "confidence") else str(value)


def claim_html(claim: Claim, sources: dict, root: str, field: str) -> Markup:
    """Render one claim: value, sources, and its status or confidence when known."""
    if claim.value is None:
        body = f'<span class="unknown">{unknown(field)}</span>'
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
                      f'{unknown(field)}</span>')
    if isinstance(value, list) and value and isinstance(value[0], Claim):
        if len(value) == 1:
            return claim_html(value[0], sources, root, field)
        parts = '<span class="claim-sep"> / </span>'.join(
            claim_html(c, sources, root, field) for c in value)
        return Markup('<span class="claims contested" title="Les sources divergent">'
                      f'<span class="contested-label">sources divergentes :</span> {parts}'
                      '</span>')
    cites = sources_html(sources, record.value_sources(field), root)
    return Markup(f'<span class="claim">{_e(value_text(value, field))} {cites}</span>')


def plain(record: Record, field: str) -> str:
    """Return a field as plain text (first claim), for titles, tooltips and search."""
    value = record.get(field)
    if isinstance(value, list) and value and isinstance(value[0], Claim):
        return " / ".join(value_text(c.value, field) if c.value is not None else unknown(field)
                          for c in value)
    return unknown(field) if value is None else value_text(value, field)


# -- notes: one marker in the text, the provenance one gesture away ---------------------------
@dataclass
class NoteClaim:
    """One value of a note with what backs it: sources (as dicts for templates) and flags."""

    value: str | None  # formatted value, None when the note is about sources only
    sources: list
    confidence: str | None = None
    status: str | None = None
    note: str | None = None


@dataclass
class Note:
    """One numbered note of a page: what it is about, its claims, and how often it is cited."""

    number: int
    subject: str
    claims: list = dc_field(default_factory=list)
    remark: str | None = None  # the editor's note on the record
    uses: int = 0


def flag_html(claim: Claim) -> str:
    """The small mark an unconfirmed or low-confidence value carries in the text, or ""."""
    if claim.status in UNCONFIRMED:
        return ' <span class="flag flag-unconfirmed">non confirmé</span>'
    if claim.confidence in UNCERTAIN:
        return ' <span class="flag flag-low">incertain</span>'
    return ""


class Notes:
    """The notes of one page: one per fact, source or list of sources, numbered as read."""

    def __init__(self, sources: dict, root: str, language: str | None = None):
        """Hold the page's sources, its root and its language; start with no notes."""
        self.sources, self.root, self.language = sources, root, language
        self.entries: list[Note] = []
        self._by_key: dict = {}
        self._bare = False  # the fact being written drops its unit ({fact}`x:value`)

    # -- markers --------------------------------------------------------------------------
    def marker(self, key, make) -> Markup:
        """Return the marker of the note ``key``, creating it with ``make(number)`` once."""
        note = self._by_key.get(key)
        if note is None:
            note = make(len(self.entries) + 1)
            self._by_key[key] = note
            self.entries.append(note)
        note.uses += 1
        n, k = note.number, note.uses
        return Markup(f'<sup class="note-ref"><a href="#note-{n}" id="ref-{n}-{k}" '
                      f'aria-label="Note {n}">{n}</a></sup>')

    def cited(self) -> set:
        """The ids of every source the notes cite (for the sources page's "cité par")."""
        return {src["id"] for note in self.entries for claim in note.claims
                for src in claim.sources}

    def source_info(self, sid: str) -> dict:
        """A source as the notes section shows it: names, title, date, links."""
        data = self.sources[sid].data if sid in self.sources else {}
        when = data.get("date")
        return {"id": sid, "short": short_name(data.get("publisher", sid)),
                "publisher": data.get("publisher", sid), "title": data.get("title", ""),
                "author": data.get("author") or "",
                "date": date(when, self.language) if when else "", "url": data.get("url"),
                "lang": title_language(data, self.language),
                "language": formats.language_name(data.get("lang") or "", self.language),
                "href": f"{self.root}sources/index.html#src-{sid}"}

    def _claim(self, claim: Claim, field_name: str, with_value: bool = True) -> NoteClaim:
        value = None
        if with_value:
            value = (unknown(field_name) if claim.value is None
                     else value_text(claim.value, field_name, self.language))
        return NoteClaim(value, [self.source_info(s) for s in dict.fromkeys(claim.sources)],
                         claim.confidence, claim.status, claim.note)

    def names(self, ids) -> str:
        """The short names of sources, joined as the language does: "LeBrief et Le360"."""
        names = list(dict.fromkeys(short_name(self.source_info(s)["publisher"]) for s in ids))
        if len(names) > 2:  # beyond two, the note has them all
            names = names[:1] + [f"{len(names) - 1} autres sources"]
        return formats.join(names, self.language)

    # -- what templates and the Markdown call ---------------------------------------------
    def fact(self, record: Record, field_name: str, carry: dict | None = None,
             bare: bool = False) -> Markup:
        """A fact in the text: its value, a mark when in doubt, and one note marker.

        With ``carry`` (a dict), the marker is put there instead, for the source named next.
        With ``bare``, the value without its unit (the note still gives the full value).
        """
        self._bare = bare
        if record.collection == "sources":
            return self.source(record.id)
        value = record.get(field_name)
        if value is None:
            # No source states it: citing the record's sources here would suggest one did.
            return Markup('<span class="unknown" title="Aucune source du dossier ne le dit">'
                          f'{unknown(field_name)}</span>')
        key = ("fact", record.collection, record.id, field_name)
        remark = record.get("note") if field_name == schema.MAIN_FIELD[record.collection] \
            else None
        subject = self.subject(record, field_name)
        if isinstance(value, list) and value and isinstance(value[0], Claim):
            claims = value
        else:
            claims = [Claim(value, record.value_sources(field_name), record.get("confidence"))]

        def make(n):
            items = [self._claim(c, field_name) for c in claims]
            if len(items) == 1 and items[0].value == subject:
                items[0].value = None  # a name cited as itself: say it once
            return Note(n, subject, items, remark)

        marker = self.marker(key, make)
        if carry is not None and len(claims) == 1:
            carry["marker"], marker = marker, ""
        if len(claims) == 1:
            return Markup(f'<span class="claim">{self._value(claims[0], field_name)}'
                          f'{flag_html(claims[0])}{marker}</span>')
        # Sources disagree: the reader must see every value, not only the first.
        if len({c.sources for c in claims}) == 1:  # the same sources give both values
            parts = " ou ".join(f'<span class="claim">{self._value(c, field_name)}'
                                f'{flag_html(c)}</span>' for c in claims)
            return Markup(f'<span class="claims contested">{parts}{marker} '
                          '<span class="flag flag-contested">sources divergentes</span></span>')
        parts = ", ".join(
            f'<span class="claim">{self._value(c, field_name)} selon '
            f'{_e(self.names(c.sources))}{flag_html(c)}</span>' for c in claims)
        return Markup(f'<span class="claims contested">{parts}{marker} '
                      '<span class="flag flag-contested">sources divergentes</span></span>')

    def _value(self, claim: Claim, field_name: str) -> str:
        if claim.value is None:
            return f'<span class="unknown">{unknown(field_name)}</span>'
        return _e(value_text(claim.value, field_name, self.language, self._bare))

    def subject(self, record: Record, field_name: str) -> str:
        """What a note is about: "Green Data Center Igoudar Dakhla — capacité"."""
        title = record.title
        if record.collection in ("figures", "targets") and field_name == "value":
            return title
        if field_name == schema.MAIN_FIELD[record.collection]:
            return title
        noun = FIELDS.get(field_name, (field_name.replace("_", " "), "m"))[0]
        return f"{title} — {noun}"

    def cites(self, ids, subject: str = "") -> Markup:
        """A marker for a list of sources (a record's summary, a table row)."""
        ids = tuple(dict.fromkeys(ids or ()))
        if not ids:
            return Markup('<span class="cites-none">source non connue</span>')
        if len(ids) == 1:
            return self.marker(("source", ids[0]), lambda n: self._source_note(n, ids[0]))
        claim = NoteClaim(None, [self.source_info(s) for s in ids])
        return self.marker(("sources", ids), lambda n: Note(n, subject, [claim]))

    def record(self, record: Record) -> Markup:
        """A marker for a whole record: its sources, confidence and the editor's note."""
        claim = NoteClaim(None, [self.source_info(s) for s in record.sources],
                          record.get("confidence"))
        count = len(claim.sources)
        # In a table cell a lone superscript reads as a stray digit: say what it leads to.
        mark = Markup(f'<span class="record-sources">{count}\u00a0source{"s" if count > 1 else ""}'
                      '</span>')
        if record.get("confidence") in UNCERTAIN:
            mark += Markup(' <span class="flag flag-low">incertain</span>')
        return mark + self.marker(("record", record.collection, record.id),
                                  lambda n: Note(n, record.title, [claim], record.get("note")))

    def _source_note(self, n: int, sid: str) -> Note:
        return Note(n, "", [NoteClaim(None, [self.source_info(sid)])])

    def source(self, sid: str, lead: str = "", carried: Markup | None = None) -> Markup:
        """A source named in a sentence: "selon LeBrief¹" (``lead`` is "selon " or "")."""
        name = short_name(self.source_info(sid)["publisher"])
        marker = carried if carried is not None else self.marker(
            ("source", sid), lambda n: self._source_note(n, sid))
        return Markup(f'<span class="cite-name">{_e(lead)}{_e(name)}</span>{marker}')

    @staticmethod
    def contested(record: Record, field_name: str) -> bool:
        """Tell whether sources disagree on a fact (several claims)."""
        value = record.get(field_name)
        return isinstance(value, list) and len(value) > 1 and isinstance(value[0], Claim)

    def contains(self, record: Record, field_name: str, sid: str) -> bool:
        """Tell whether a fact's sources include ``sid`` (then "selon X" adds no note)."""
        value = record.get(field_name)
        if isinstance(value, list) and value and isinstance(value[0], Claim):
            return any(sid in c.sources for c in value)
        return sid in record.value_sources(field_name)
