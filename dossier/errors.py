"""Problems found in a dossier's sources, reported as ``path:line:col: message``."""

from __future__ import annotations

from dataclasses import dataclass, field

# The language every message and hint is written in (the terminal, the preview's overlay).
MESSAGES_LANGUAGE = "en"


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning tied to a place in a source file."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    warning: bool = False

    def format(self) -> str:
        """Render as ``path:line:col: error: message`` plus an indented hint."""
        kind = "warning" if self.warning else "error"
        text = f"{self.path}:{self.line}:{self.col}: {kind}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass
class Report:
    """Collects every problem of a run so that all of them are shown at once."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path, line, col, message, hint=""):
        """Record an error."""
        self.problems.append(Problem(str(path), line, col, message, hint))

    def warn(self, path, line, col, message, hint=""):
        """Record a warning."""
        self.problems.append(Problem(str(path), line, col, message, hint, warning=True))

    def extend(self, other: Report) -> None:
        """Add another report's problems to this one."""
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        """The errors, in file order, one per place and message."""
        return _unique(p for p in self.problems if not p.warning)

    @property
    def warnings(self) -> list[Problem]:
        """The warnings, in file order, one per place and message."""
        return _unique(p for p in self.problems if p.warning)

    def failed(self, strict: bool = False) -> bool:
        """Tell whether the build must stop (warnings count when strict)."""
        return bool(self.errors or (strict and self.warnings))

    def format(self) -> str:
        """Render every problem, errors first, one per entry, deduplicated."""
        seen, lines = set(), []
        for p in self.errors + self.warnings:
            if p not in seen:
                seen.add(p)
                lines.append(p.format())
        return "\n".join(lines)


def _unique(problems) -> list[Problem]:
    """Sort problems and keep the first of each place and message.

    A template used by thirty pages fails thirty times at the same line: one error, whose
    hint names the first page (the hints differ, so they are not part of the comparison).
    """
    seen, kept = set(), []
    for p in sorted(problems):
        if (p.path, p.line, p.col, p.message) not in seen:
            seen.add((p.path, p.line, p.col, p.message))
            kept.append(p)
    return kept


class BuildFailed(Exception):
    """Raised when a build stops on problems; carries the report."""

    def __init__(self, report: Report):
        super().__init__(report.format())
        self.report = report
