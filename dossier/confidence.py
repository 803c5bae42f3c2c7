"""The dossier's one confidence scale, as content/methodologie.md states it.

``expected(sources)`` is the level the sources alone give a value:

- ``high`` (élevée): two or more independent outlets (distinct publishers that are neither
  aggregators nor blogs) say it, or an official text or a wire agency (MAP, Reuters) does;
- ``medium`` (moyenne): one credible outlet says it;
- ``low`` (faible): only aggregators or blogs say it.

A value may be rated lower than its sources give, never higher, and only for a reason the
reader sees: it is not confirmed (``status: non confirmé``), sources disagree (the field has
several claims), or a note says why (another source casts doubt, the figure is implausible).
"""

from __future__ import annotations

from .facts import Claim, Facts

WEAK_KINDS = ("agrégateur", "blog")
WIRES = ("Reuters", "MAP (Maghreb Arabe Presse)")
ORDER = {"low": 0, "medium": 1, "high": 2}


def is_wire(source: dict) -> bool:
    """An official text, or a wire agency's dispatch (MAP, Reuters, even when reprinted)."""
    return source.get("kind") == "officiel" or any(w in (source.get("publisher") or "")
                                                   for w in WIRES)


def expected(sources: list[dict]) -> str:
    """The confidence the sources alone give a value (see the module's rule)."""
    if any(is_wire(s) for s in sources):
        return "high"
    credible = {s.get("publisher") for s in sources if s.get("kind") not in WEAK_KINDS}
    return "high" if len(credible) >= 2 else "medium" if credible else "low"


def problems(facts: Facts) -> list[str]:
    """Every rating that does not follow the rule, as ``collection.id.field = …`` lines."""
    return [message for *_, message in located(facts)]


def check(facts: Facts, report) -> None:
    """Warn (``--strict`` fails) at every rating that does not follow the rule."""
    for path, line, col, message in located(facts):
        report.warn(path, line, col, f"confidence does not follow the methodology's rule: "
                    f"{message}", "rate it as its sources give (content/methodologie.md, "
                    "#confiance), or lower with a note that says why")


def located(facts: Facts) -> list[tuple]:
    """Every rating that does not follow the rule: ``(path, line, col, message)``."""
    found = []
    sources = facts.collections["sources"]
    for collection, records in facts.collections.items():
        for record in records.values():
            for name, value in record.data.items():
                if name == "population" or not (isinstance(value, list) and value
                                                and isinstance(value[0], Claim)):
                    continue
                for claim in value:
                    rating = claim.confidence or record.get("confidence")
                    if rating is None:
                        continue
                    given = expected([sources[s].data for s in claim.sources if s in sources])
                    reason = (claim.status == "non confirmé" or len(value) > 1 or claim.note
                              or record.get("note"))
                    if rating == given or (ORDER[rating] < ORDER[given] and reason):
                        continue
                    where = record.field_pos.get("confidence", claim.pos) \
                        if claim.confidence is None or claim.pos == record.field_pos.get(name) \
                        else claim.pos
                    found.append((record.path, *where,
                                 f"{collection}.{record.id}.{name} = {claim.value!r}: rated "
                                 f"{rating}, its sources give {given}"
                                 + ("" if rating != "low" or reason else " (no reason given)")))
    return found
