"""Free text in fact records (``summary``, ``details``, ``note``): fact references and figures.

A record's free text may cite facts with the same role as the Markdown, ``{fact}`id.field```,
so that a figure is recorded once, in a cited field, and the text shows it with its note. A
digit-bearing figure typed in free text is reported (a warning: ``--strict`` fails), located at
its YAML line and column. Digits that are not figures are allowed: years (``2025``, ``2024–2026``),
days of a month (``14 novembre``, ``1er juillet``), identifiers (decree numbers ``2-15-40``,
``n° 12``), digits inside a name (``G42``, ``5G``, ``B2B``, ``Industrie 4.0``) and the digits
inside a fact reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

FIELDS = ("summary", "details", "note")  # the free-text fields of a data record
ROLE = re.compile(r"\{fact\}`([^`]+)`")
NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
ORDINAL = re.compile(r"(?:er|re|e|ème|es|ers)(?![^\W\d_])")
DAY = re.compile(r"(?:er)?[ \u00a0]+(?:" + "|".join(MONTHS) + r")\b", re.I)


@dataclass(frozen=True)
class Finding:
    """A fact reference or a typed figure in a record's free text, where the file has it."""

    kind: str  # "fact" or "figure"
    field: str
    text: str  # the reference's target, or the figure as typed
    line: int
    col: int


def figures(text: str) -> list[tuple[int, str]]:
    """The typed figures of a text as ``(offset, figure)``, fact references left out."""
    blank = ROLE.sub(lambda m: " " * len(m.group(0)), text)
    found = []
    for match in NUMBER.finditer(blank):
        start, end, number = match.start(), match.end(), match.group(0)
        before = blank[start - 1] if start else " "
        after = blank[end:]
        if not is_figure(number, before, after, blank[:start]):
            continue
        unit = re.match(r"[ \u00a0\u202f]?(?:[%$€]|M\$|MW|m²|To|PFLOPS|MAD|\w+)?", after)
        found.append((start, (number + (unit.group(0) if unit else "")).strip()))
    return found


def is_figure(number: str, before: str, after: str, head: str) -> bool:
    """Tell a figure from a year, a day, an identifier or a name (see the module's rules)."""
    if before.isalpha() or before in "-/.·" or after[:1] in ("-", "/") and after[1:2].isdigit():
        return False  # inside a name (G42, B2B) or an identifier (2-15-40)
    if re.search(r"n[°o]\s*$", head, re.I):
        return False  # "décret n° 2-24-921", "n° 12"
    if after[:1].isalpha() and not ORDINAL.match(after):
        return False  # a name: 5G, 4x4, 3D
    if re.fullmatch(r"\d\.0", number):
        return False  # a version in a name: Industrie 4.0, Digital X.0
    if DAY.match(after) and number.isdigit() and 1 <= int(number) <= 31:
        return False  # a day of a month: 14 novembre, 1er juillet
    if re.fullmatch(r"(19|20)\d\d", number) and not ORDINAL.match(after):
        return False  # a year
    return True


def scan(field: str, value: str, raw: str, start: int) -> list[Finding]:
    """Find fact references and typed figures of one free-text value, located in ``raw``
    (the file's text) searching forward from offset ``start`` (where the value begins)."""
    found, cursor = [], start
    items = [(m.start(), "fact", m.group(1).strip(), m.group(0)) for m in ROLE.finditer(value)]
    items += [(offset, "figure", figure, figure.split()[0]) for offset, figure in figures(value)]
    for _, kind, text, needle in sorted(items):
        at = raw.find(needle, cursor)
        if at < 0:  # folded across lines: fall back to the value's start
            at = start
        else:
            cursor = at + len(needle)
        line = raw.count("\n", 0, at) + 1
        col = at - (raw.rfind("\n", 0, at) + 1) + 1
        found.append(Finding(kind, field, text, line, col))
    return found


def offset(raw: str, line: int, col: int) -> int:
    """The offset in ``raw`` of a 1-based line and column."""
    at = 0
    for _ in range(line - 1):
        at = raw.find("\n", at) + 1
    return at + col - 1


def render(text: str, fact) -> Markup:
    """Free text as HTML: plain text escaped, each ``{fact}`…``` through ``fact(target)``."""
    parts, last = [], 0
    for match in ROLE.finditer(text):
        parts.append(str(escape(text[last:match.start()])))
        parts.append(str(fact(match.group(1).strip())))
        last = match.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))
