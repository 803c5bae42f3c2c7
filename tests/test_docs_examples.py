"""Every role example in README.md and docs/*.md resolves against the real dossier.

An editor copies these examples into the content; one that names a missing fact, source or
page breaks their build, so the examples are checked like content.
"""

from __future__ import annotations

import re

import pytest

from conftest import PROJECT
from dossier import facts as facts_mod
from dossier import pages, scan, schema
from dossier.errors import Report

ROLE = re.compile(r"\{(fact|source|page)\}`([^`\s]+)`")  # a bare `{fact}` mention is no example
DOCS = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]


def examples() -> list[tuple[str, int, str, str]]:
    """Return (file, line, role, target) for every role example in the editors' docs."""
    found = []
    for path in DOCS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in ROLE.finditer(line):
                found.append((path.relative_to(PROJECT).as_posix(), number, *match.groups()))
    return found


@pytest.fixture(scope="module")
def dossier():
    """The real dossier's facts and page keys, loaded once."""
    report = Report()
    facts = facts_mod.load(PROJECT / "content" / "facts", PROJECT, report)
    errors = [p for p in report.problems if not p.warning]
    assert not errors, errors
    keys = {pages.page_key(rel) for rel in scan.walk(PROJECT / "content")
            if rel.endswith(".md") and not rel.startswith("facts/")}
    keys |= {f"regions/{r.id}" for r in facts.records("regions")}
    return facts, keys


def test_docs_have_examples():
    """The docs do show examples of each role (so the check below checks something)."""
    roles = {role for _, _, role, _ in examples()}
    assert roles == {"fact", "source", "page"}


@pytest.mark.parametrize("where,line,role,target", examples(),
                         ids=[f"{f}:{n}:{t}" for f, n, _, t in examples()])
def test_example_resolves(dossier, where, line, role, target):
    """Each example names a fact, source or page that exists in content/."""
    facts, keys = dossier
    if role == "fact":
        target, _, form = target.partition(":")
        assert form in ("", "value"), f"{where}:{line}: unknown form ':{form}'"
        record, field = facts.resolve(target)  # raises LookupError with the reason
        assert field in schema.COLLECTIONS[record.collection] or field in record.data
    elif role == "source":
        assert target in facts["sources"], f"{where}:{line}: unknown source '{target}'"
    else:
        assert target.removesuffix(".md") in keys, f"{where}:{line}: unknown page '{target}'"
