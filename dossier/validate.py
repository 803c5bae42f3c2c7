"""Check one fact record against the schema: every field's shape and value, with a hint.

``record(collection, item, shown, report)`` returns the record's normalised values and
whether it is complete. Every problem is reported at its value's line and column. So that
nothing after validation (pages, templates, the map, search) ever sees a malformed value:

- an optional field that fails is set to ``None``, as if no source said (templates already
  handle an unknown value);
- a record whose required field fails is incomplete: the caller drops it, and remembers its
  key so that references to it are not reported a second time.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata

from . import facts, formats, schema, yamlpos
from .errors import Report

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z", re.ASCII)
CODE_RE = re.compile(r"(?:0[1-9]|1[0-2])\Z", re.ASCII)
URL_RE = re.compile(r"https?://[^\s/$.?#][^\s]*\Z")
CLAIM_FIELDS = ("value", "sources", "confidence", "status", "note")


def record(collection: str, item: yamlpos.Mapping, shown: str,
           report: Report) -> tuple[dict, bool]:
    """Validate one record's fields; return its values (``None`` for any that failed) and
    whether every required field is valid."""
    spec = schema.COLLECTIONS[collection]
    values, complete = {}, True
    typos = set()  # fields whose name is misspelt: reported as unknown, not also as missing
    for key in item:
        if key not in spec:
            match = closest(key, spec)
            typos.add(match)
            report.error(shown, *item.key_pos[key], f"unknown field '{key}' in {collection}"
                         + did_you_mean(key, spec), "known fields: " + ", ".join(spec))
    before = len(report.problems)
    own = _provenance(collection, item, shown, report, values) if collection in schema.SOURCED \
        else {}
    # A wrong 'covers' or 'field_sources' is the one error: what it meant to cover is not
    # reported again as unsourced.
    provenance_ok = len(report.problems) == before
    for name, fspec in spec.items():
        if name in schema.PROVENANCE:
            continue
        values[name] = None  # every field is present so templates can test it; None = unknown
        if name not in item:
            complete = complete and not fspec.required
            if fspec.required and name not in typos:
                report.error(shown, *item.pos, f"{collection} record is missing required "
                             f"field '{name}'", f"add '{name}: …' ({describe(fspec)})")
            continue
        value = item[name]
        if value is None:
            if fspec.required:
                report.error(shown, *item.where(name), f"field '{name}' is required and "
                             "cannot be empty or null", f"write {describe(fspec)}")
        elif fspec.type.startswith("claims:"):
            values[name] = _claims(fspec, name, value, item, shown, report, own.get(name, ()))
        else:
            problem = check(fspec, value)
            if problem:
                report.error(shown, *item.where(name), f"field '{name}' {problem}", hint(fspec))
            else:
                values[name] = value
        complete = complete and not (fspec.required and values[name] is None)
    if provenance_ok:
        _check_sourced(collection, item, values, own, shown, report)
    if collection == "datacentres" and _given(item, "lat") != _given(item, "lon"):
        report.error(shown, *item.pos, "a site needs both 'lat' and 'lon', or neither",
                     "add the missing coordinate or remove both")
        values["lat"] = values["lon"] = None
    return values, complete


def _provenance(collection: str, item: yamlpos.Mapping, shown: str, report: Report,
                values: dict) -> dict:
    """Read ``covers`` and ``field_sources``; return each field's sources by the rules.

    A record's own ``sources`` cover its identity (``schema.COVERED``) and the fields
    ``covers`` names; ``field_sources`` gives a field sources of its own, which win.
    """
    spec = schema.COLLECTIONS[collection]
    shown_fields = [f for f in spec if f not in schema.META]
    record_sources = item.get("sources")
    record_sources = tuple(record_sources) if check(schema.F("sources"), record_sources) is None \
        else ()
    covered = list(schema.COVERED[collection])
    values["covers"] = values["field_sources"] = None
    covers = item.get("covers")
    if covers is not None:
        if not isinstance(covers, list) or not all(isinstance(c, str) for c in covers):
            report.error(shown, *item.where("covers"), "field 'covers' must be a list of field "
                         f"names, not {kind(covers)}", "write e.g. 'covers: [date]'")
        else:
            for index, name in enumerate(covers):
                if name not in shown_fields:
                    report.error(shown, *covers.where(index), f"'covers' names unknown field "
                                 f"'{name}'" + did_you_mean(name, shown_fields),
                                 "name fields of this record: " + ", ".join(
                                     schema.SOURCED[collection]))
                else:
                    covered.append(name)
            values["covers"] = tuple(c for c in covers if c in shown_fields)
    own = {name: record_sources for name in covered} if record_sources else {}
    given = item.get("field_sources")
    if given is not None:
        if not isinstance(given, yamlpos.Mapping):
            report.error(shown, *item.where("field_sources"), "field 'field_sources' must be a "
                         f"mapping of field: [source ids], not {kind(given)}",
                         "write e.g. 'field_sources: {lat: [simplemaps-cities]}'")
        else:
            kept = {}
            for name in given:
                problem = check(schema.F("sources", True), given[name])
                if name not in shown_fields:
                    report.error(shown, *given.key_pos[name], "'field_sources' names unknown "
                                 f"field '{name}'" + did_you_mean(name, shown_fields),
                                 "name fields of this record: " + ", ".join(
                                     schema.SOURCED[collection]))
                elif problem:
                    report.error(shown, *given.where(name), f"the sources of '{name}' {problem}",
                                 hint(schema.F("sources")))
                else:
                    kept[name] = own[name] = tuple(given[name])
            values["field_sources"] = kept
    return own


def _check_sourced(collection: str, item: yamlpos.Mapping, values: dict, own: dict,
                   shown: str, report: Report) -> None:
    """Report every known value shown to readers that no source says, by the rules.

    When the record's own ``sources`` are wrong, that is the one error: what they would
    cover is not reported again.
    """
    if values.get("sources") is None:
        return
    for name in schema.SOURCED.get(collection, ()):
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], facts.Claim):
            if all(claim.sources for claim in value):
                continue
        elif own.get(name):
            continue
        report.error(shown, *item.where(name), f"no source says the '{name}' of this "
                     f"{collection} record: a record's sources cover only "
                     + ", ".join(schema.COVERED[collection]) + " and the fields in 'covers'",
                     f"give it its own sources ('field_sources: {{{name}: [source-id]}}' or "
                     f"claims '- value: … sources: [id]'), list it in 'covers: [{name}]' if "
                     "every source of the record says it, or write null if no source does")


def _given(item: yamlpos.Mapping, name: str) -> bool:
    """Whether a field is written with a value (valid or not)."""
    return item.get(name) is not None


def _claims(fspec, name, value, item, shown, report, own: tuple = ()) -> list | None:
    """Normalise a claims field: a plain value (sourced by ``own``, its sources by the
    rules) or a list of claims."""
    plain = schema.Field(fspec.type.removeprefix("claims:"), choices=fspec.choices,
                         positive=fspec.positive)
    if not isinstance(value, list):
        problem = check(plain, value)
        if problem:
            report.error(shown, *item.where(name), f"field '{name}' {problem}", hint(plain))
            return None
        confidence = item.get("confidence")
        confidence = confidence if confidence in schema.CONFIDENCE else None
        return [facts.Claim(value, tuple(own), confidence, pos=item.where(name))]
    if not value:
        report.error(shown, *item.where(name), f"field '{name}' has an empty list of claims",
                     "write null when no source says, or add '- value: …' with its sources")
        return None
    if not any(isinstance(entry, yamlpos.Mapping) for entry in value):  # one cause, one error
        report.error(shown, *item.where(name), f"field '{name}' must be {describe(plain)}, or a "
                     f"list of claims, not a list of {_kinds(value)}",
                     "write one value, or claims: '- value: …' with 'sources: [id]' below it")
        return None
    claims, ok = [], True
    for index, entry in enumerate(value):
        claim = _claim(plain, name, entry, value.where(index), shown, report)
        ok = ok and claim is not None
        claims.append(claim)
    return claims if ok else None


def _claim(plain, name, entry, where, shown, report):
    """Validate one claim of a list; return it, or ``None`` when it has a problem."""
    if not isinstance(entry, yamlpos.Mapping):
        report.error(shown, *where, f"a claim of '{name}' must be a mapping, not {kind(entry)}",
                     "write '- value: …' then, indented below it, 'sources: [source-id]'")
        return None
    ok, typos = True, set()
    for key in entry:
        if key not in CLAIM_FIELDS:
            ok = False
            typos.add(closest(key, CLAIM_FIELDS))
            report.error(shown, *entry.key_pos[key], f"unknown field '{key}' in a claim"
                         + did_you_mean(key, CLAIM_FIELDS),
                         "a claim has " + ", ".join(CLAIM_FIELDS))
    if "value" not in entry:
        ok = False
        if "value" not in typos:
            report.error(shown, *entry.pos, f"a claim of '{name}' has no 'value'",
                         "add 'value: …' (null when no source says)")
    if entry.get("sources") is None:
        ok = False
        if "sources" not in typos:
            report.error(shown, *(entry.where("sources") if "sources" in entry else entry.pos),
                         f"a claim of '{name}' names no source", "add 'sources: [source-id]'")
    for key, fspec in (("value", plain), ("sources", schema.F("sources", True)),
                       ("confidence", schema.F("text", choices=schema.CONFIDENCE)),
                       ("status", schema.F("text", choices=schema.RECORD_STATUS)),
                       ("note", schema.F("text"))):
        if entry.get(key) is not None:
            problem = check(fspec, entry[key])
            if problem:
                ok = False
                report.error(shown, *entry.where(key), f"claim field '{key}' {problem}",
                             hint(fspec))
    if not ok:
        return None
    return facts.Claim(entry["value"], tuple(entry["sources"]), entry.get("confidence"),
                       entry.get("status"), entry.get("note"), entry.where("sources"))


def check(fspec: schema.Field, value) -> str | None:
    """Return what is wrong with a (non-null) value, or None."""
    t = fspec.type
    if t == "scalar":
        if isinstance(value, str):
            return None if value.strip() else "is empty"
        return _number(value, fspec) if _is_number(value) else (
            f"must be text or a number, not {kind(value)}")
    if t in ("text", "id", "url", "date", "code"):
        if not isinstance(value, str):
            return f"must be text, not {kind(value)}"
        if not value.strip() and (fspec.required or t != "text"):
            return "is empty"
    if t in ("lat", "lon", "number", "year"):
        if not _is_number(value):
            return f"must be a number, not {kind(value)}"
        problem = _number(value, fspec)
        if problem:
            return problem
    if t == "bool" and not isinstance(value, bool):
        return f"must be true or false, not {kind(value)}"
    if t in ("texts", "sources"):
        return _texts(t, value)
    return _text(t, value) or _range(t, value) or _choice(fspec, value)


def _is_number(value) -> bool:
    """Whether YAML gave a number (true/false are not numbers here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value, fspec: schema.Field) -> str | None:
    """What is wrong with a number: not finite, too large, or not positive when it must be."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, not {_show(value)}"
    if abs(value) > schema.MAX_NUMBER:
        return f"{_show(value)} is too large (more than {schema.MAX_NUMBER:.0e})"
    if fspec.positive and value <= 0:
        return f"must be more than 0, not {_show(value)}"
    return None


def _show(value) -> str:
    """A number as an editor wrote it (YAML spelling for the special floats)."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    text = str(value)
    return text if len(text) <= 24 else text[:20] + "…"


def _texts(t: str, value) -> str | None:
    """Check a list of text (``texts``) or of source ids (``sources``)."""
    noun = "source ids" if t == "sources" else "text"
    if not isinstance(value, list):
        return f"must be a list of {noun}, not {kind(value)}"
    for item in value:
        if not isinstance(item, str) or not item.strip():
            return f"must be a list of {noun}; one item is {kind(item)}"
    if t == "sources" and not value:
        return "must name at least one source"
    return None


def _text(t: str, value: str) -> str | None:
    """Check the text types with a syntax: id, url, date, region code."""
    if t == "id" and not ID_RE.match(value):
        return f"'{value}' is not a valid id"
    if t == "url" and not URL_RE.match(value):
        return f"'{value}' is not an http(s) address"
    if t == "date":
        return _date(value)
    if t == "code" and not CODE_RE.match(value):
        ascii_form = ascii_digits(value)
        if ascii_form != value and CODE_RE.match(ascii_form):
            return f"'{value}' is not a region code: write it with the digits 0-9 ('{ascii_form}')"
        return f"'{value}' is not a region code: codes run from 01 to 12"
    return None


def _date(value: str) -> str | None:
    """Check a date at its precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn``,
    ``YYYY-<season>``) and that the day exists."""
    if formats.parse_date(value) is not None:
        return None
    if DATE_RE.match(value) or formats.DATE_RE.match(value):
        return f"'{value}' is not a date in the calendar"
    return f"'{value}' is not a date"


def _range(t: str, value) -> str | None:
    """Check coordinates against Morocco's bounding box and years against a sane span."""
    if t in ("lat", "lon"):
        low, high = schema.LAT_RANGE if t == "lat" else schema.LON_RANGE
        if not low <= value <= high:
            return f"{value} is outside Morocco's bounding box ({low} to {high})"
    if t == "year" and not (isinstance(value, int) and 1900 <= value <= 2100):
        return f"{_show(value)} is not a year"
    return None


def _choice(fspec: schema.Field, value) -> str | None:
    """Check a value against the field's allowed values."""
    if fspec.choices and value not in fspec.choices:
        return (f"'{value}' is not one of: {', '.join(fspec.choices)}"
                + did_you_mean(value, fspec.choices))
    return None


def ascii_digits(text: str) -> str:
    """Write any Unicode digits (Arabic-Indic ``١٢``, superscript ``¹²``…) as 0-9."""
    return "".join(str(unicodedata.digit(c)) if unicodedata.digit(c, None) is not None else c
                   for c in text)


def closest(word, known) -> str | None:
    """The known word closest to ``word`` (a typo, another case, other digits), or None."""
    if not isinstance(word, str):
        return None
    known = [str(k) for k in known]
    folded = ascii_digits(word).casefold()
    same = [k for k in known if k.casefold() == folded]
    match = same or difflib.get_close_matches(word, known, n=1)
    return match[0] if match else None


def did_you_mean(word, known) -> str:
    """``"; did you mean 'x'?"`` for the closest known word, or ``""``."""
    match = closest(word, known)
    return f"; did you mean '{match}'?" if match else ""


def describe(fspec: schema.Field) -> str:
    """Say in a few words what a field holds."""
    kinds = {"text": "text", "scalar": "text or a number", "id": "an id", "url": "an address",
             "date": "a date", "code": "a region code", "lat": "a latitude",
             "lon": "a longitude", "number": "a number", "year": "a year",
             "bool": "true or false", "texts": "a list of text", "sources": "a list of source ids"}
    t = fspec.type.removeprefix("claims:")
    text = kinds.get(t, t)
    if fspec.type.startswith("claims:"):
        text += " or a list of claims"
    return text + (f": one of {', '.join(fspec.choices)}" if fspec.choices else "")


def hint(fspec: schema.Field) -> str:
    """Say what a valid value of this field looks like."""
    if fspec.choices:
        return "use one of: " + ", ".join(fspec.choices)
    return {
        "text": "write the text; put it in quotes if it starts with a digit, [, { or is "
                "yes/no/true/false/null",
        "scalar": "write text or a number, e.g. 500 or '500 MW'",
        "id": "use lower-case letters, digits and hyphens, e.g. 'dakhla-igoudar'",
        "url": "write the full address, starting with https://",
        "date": "write YYYY-MM-DD, YYYY-MM, YYYY-Q1…Q4, YYYY-spring/summer/autumn/winter or "
                "YYYY, as precisely as the source says, in quotes, e.g. '2025-07-02'",
        "code": "quote the code: '01' … '12' (HCP region codes)",
        "lat": "latitude in decimal degrees north, e.g. 23.714; check it is not swapped with lon",
        "lon": "longitude in decimal degrees, negative west of Greenwich, e.g. -15.937",
        "number": "write a positive number, e.g. 500" if fspec.positive
                  else "write a number, e.g. 500",
        "year": "write a year as a number, e.g. 2030",
        "bool": "write true or false",
        "sources": "write a list of source ids, e.g. [lebrief-futur-ia]",
        "texts": "write a list, e.g. [MTNRA, Région]",
    }.get(fspec.type, "")


def _kinds(values: list) -> str:
    """Name the kinds of a list's items: 'text', 'numbers', 'text and numbers'…"""
    plural = {"text": "text", "empty text": "empty text", "a number": "numbers",
              "true/false": "true/false", "null": "nulls", "a list": "lists"}
    names = list(dict.fromkeys(plural.get(kind(v), "values") for v in values))
    return " and ".join(names)


def kind(value) -> str:
    """Name a YAML value's type the way an editor thinks of it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "empty text" if not value.strip() else "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a value"
