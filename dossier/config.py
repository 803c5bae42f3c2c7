"""Site settings, read from ``[tool.dossier]`` in the project's ``pyproject.toml``."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import Report


@dataclass(frozen=True)
class Settings:
    """What a dossier build needs to know besides its sources."""

    root: Path
    title: str = "Dossier"
    """The site's name, shown in every page header and title."""
    description: str = ""
    """One sentence for the home page's meta description and Open Graph."""
    language: str = "fr"
    """The ``lang`` of every page."""
    base_url: str = ""
    """Public address (``https://user.github.io/repo/``); only canonical links, the sitemap,
    Open Graph and the 404 page use it. The site works without it."""
    name: str = "dossier"
    """File-name stem of the offline zip."""
    version: str = ""
    """Printed in the zip's name; the build date is used when empty."""
    content: str = "content"
    templates: str = "templates"
    assets: str = "assets"
    output: str = "output"
    extra: dict = field(default_factory=dict)
    """Anything else under ``[tool.dossier.extra]``, passed to templates as ``site.extra``."""

    def path(self, name: str) -> Path:
        """Resolve one of the folder settings against the project root."""
        return (self.root / getattr(self, name)).resolve()


def load(root: Path, report: Report) -> Settings:
    """Read the settings, recording every problem; unknown keys are errors."""
    root = Path(root).resolve()
    pyproject = root / "pyproject.toml"
    if not pyproject.exists():
        return Settings(root=root)
    try:
        table = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("dossier", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        report.error("pyproject.toml", 1, 1, f"cannot read the settings: {exc}",
                     "fix the TOML syntax")
        return Settings(root=root)
    known = {f.name: f for f in fields(Settings) if f.name != "root"}
    values = {}
    for key, value in table.items():
        if key not in known:
            report.error("pyproject.toml", 1, 1, f"unknown setting [tool.dossier] {key}",
                         f"known settings: {', '.join(sorted(known))}")
        elif key == "extra" and not isinstance(value, dict):
            report.error("pyproject.toml", 1, 1, "[tool.dossier] extra must be a table", "")
        elif key != "extra" and not isinstance(value, str):
            report.error("pyproject.toml", 1, 1, f"[tool.dossier] {key} must be a string", "")
        else:
            values[key] = value
    # CI sets the public address without editing the project (GitHub Pages knows it).
    if os.environ.get("DOSSIER_BASE_URL") is not None:
        values["base_url"] = os.environ["DOSSIER_BASE_URL"].strip()
    if values.get("base_url") and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    return Settings(root=root, **values)
