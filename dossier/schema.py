"""What each fact collection holds: its fields, their types and allowed values.

The schema is data so that the validator, the error messages and the documentation
(docs/content-model.md) agree. A field type is one of:

``text`` plain string; ``scalar`` text or a number; ``url`` http(s) address; ``date``
``YYYY[-MM[-DD]]`` (a day that exists); ``code`` region code ``01``–``12`` (ASCII digits);
``lat``/``lon`` inside Morocco's bounding box; ``number`` (``positive``: more than 0);
``year``; ``bool``; ``texts`` list of strings; ``sources`` non-empty list of source ids;
``claims:T`` a plain ``T`` or a list of claims of ``T``. Numbers are finite and at most
``MAX_NUMBER`` in size (YAML's ``.nan``, ``.inf`` and ``1.0e+400`` are refused).
"""

from __future__ import annotations

from dataclasses import dataclass

# Morocco, Western Sahara included, with a small margin: catches swapped or signless coordinates.
LAT_RANGE = (20.5, 36.1)
LON_RANGE = (-17.3, -0.9)

MAX_NUMBER = 1e15  # larger is a typo (or YAML read 1.0e+400 as infinity)

CONFIDENCE = ("high", "medium", "low")
POPULATION_SOURCE = "hcp-rgph-2024"


@dataclass(frozen=True)
class Field:
    """One field of a record: its type, whether it is required, and its allowed values."""

    type: str
    required: bool = False
    choices: tuple = ()
    positive: bool = False  # numbers only: must be more than 0


def F(type_: str, required: bool = False, choices: tuple = (), positive: bool = False):
    """Shorthand for a field."""
    return Field(type_, required, choices, positive)


COMMON = {"confidence": F("text", choices=CONFIDENCE), "note": F("text")}
# Per-value sources (see docs/content-model.md, "Who says a value"): the fields a record's
# own ``sources`` cover besides its identity, and a field's own sources.
PROVENANCE = {"covers": F("fields"), "field_sources": F("field_sources")}
RECORD_STATUS = ("annoncé", "signé", "lancé", "en service", "non confirmé")

COLLECTIONS: dict[str, dict[str, Field]] = {
    "sources": {
        "id": F("id", True), "title": F("text", True), "publisher": F("text", True),
        "url": F("url"), "date": F("date"), "lang": F("text", choices=("fr", "en", "ar", "de")),
        # The title's language when it differs from the source's (a French description).
        "title_lang": F("text", choices=("fr", "en", "ar", "de")),
        "author": F("text"),  # as it reads after "Par": "Amine Kandil", "la rédaction"
        "kind": F("text", choices=("presse", "officiel", "agrégateur", "blog", "données")),
    },
    "regions": {
        "code": F("code", True), "name_fr": F("text", True), "name_ar": F("text", True),
        "chef_lieu": F("text", True), "lat": F("lat", True), "lon": F("lon", True),
        "sources": F("sources", True),
    },
    "institutes": {
        "id": F("id", True), "name": F("text", True), "region": F("code"),
        "theme": F("claims:text"), "university": F("claims:text"),
        "status": F("text", True, ("annoncé", "signé", "lancé")), "date": F("claims:date"),
        "partners": F("texts"), "summary": F("text"), "sources": F("sources", True),
    },
    "datacentres": {
        "id": F("id", True), "name": F("text", True), "town": F("text"), "region": F("code"),
        "operator": F("text", True), "capacity_mw": F("claims:number", positive=True),
        "details": F("text"),
        "status": F("text", True, ("operating", "planned", "announced")),
        "lat": F("lat"), "lon": F("lon"), "sources": F("sources", True),
    },
    "agreements": {
        "id": F("id", True), "title": F("text", True), "date": F("claims:date"),
        "parties": F("texts"), "status": F("text", True, ("signé", "annoncé", "non confirmé")),
        "summary": F("text"), "value": F("claims:scalar"), "region": F("code"),
        "sources": F("sources", True),
    },
    "sectors": {"id": F("id", True), "name": F("text", True), "sources": F("sources", True)},
    "targets": {
        "id": F("id", True), "label": F("text", True), "value": F("claims:scalar", True),
        "horizon": F("year"),
        "programme": F("text", True, ("Maroc IA 2030", "Maroc Digital 2030")),
        "sources": F("sources", True),
    },
    "milestones": {
        "id": F("id", True), "date": F("claims:date", True), "title": F("text", True),
        "status": F("text", choices=RECORD_STATUS), "region": F("code"), "summary": F("text"),
        "sources": F("sources", True),
    },
    "figures": {
        "id": F("id", True), "label": F("text", True), "value": F("claims:scalar", True),
        "key": F("bool"), "sources": F("sources", True),
    },
}
for _name, _spec in COLLECTIONS.items():
    _spec.update(COMMON)
    if _name != "sources":  # a source is its own provenance
        _spec.update(PROVENANCE)

# What a record's own ``sources`` say without being told: its identity (what it is, where,
# by whom, its status and description) and, for a figure or a target, the one value the
# record exists to state. Every other value shown to readers needs sources of its own: claims
# (``- value: … sources: […]``), ``field_sources: {field: [ids]}``, or ``covers: [field]``
# when every source of the record says it.
COVERED = {
    "regions": ("code", "name_fr"),
    "institutes": ("id", "name", "region", "status", "partners", "summary"),
    "datacentres": ("id", "name", "town", "region", "operator", "status", "details"),
    "agreements": ("id", "title", "parties", "status", "summary", "region"),
    "sectors": ("id", "name"),
    "targets": ("id", "label", "programme", "value", "horizon"),
    "milestones": ("id", "title", "status", "region", "summary"),
    "figures": ("id", "label", "key", "value"),
}
META = ("sources", "covers", "field_sources", "confidence", "note")
# The fields whose value, when known, must have a source of its own or one the rules give.
SOURCED = {name: tuple(f for f in spec if f not in META and f not in COVERED[name])
           for name, spec in COLLECTIONS.items() if name != "sources"}

# The field a bare reference such as {fact}`regions.10` shows, and the field used as a title.
MAIN_FIELD = {
    "sources": "title", "regions": "name_fr", "institutes": "theme", "datacentres": "name",
    "agreements": "title", "sectors": "name", "targets": "value", "milestones": "title",
    "figures": "value",
}
TITLE_FIELD = {
    "sources": "title", "regions": "name_fr", "institutes": "name", "datacentres": "name",
    "agreements": "title", "sectors": "name", "targets": "label", "milestones": "title",
    "figures": "label",
}

# How statuses and confidence read on the site.
LABELS = {
    "operating": "en service", "planned": "prévu", "announced": "annoncé",
    "high": "élevée", "medium": "moyenne", "low": "faible",
}
