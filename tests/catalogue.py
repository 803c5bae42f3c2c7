"""The harness of the broken-input catalogue: one case, one exact message, nothing lost.

A case is the tiny dossier of ``conftest.MINIMAL`` built once successfully, then changed by
``files`` (path → text or bytes; ``None`` deletes the path), then built again through the
command line. The second build must exit 1, print the expected ``path:line:col: …`` line, print
no traceback, leave ``output/`` byte-identical and change no file outside ``output/``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from conftest import MINIMAL, tree_digest, write_site
from dossier import cli


@dataclass(frozen=True)
class Case:
    """One broken input and the error line it must produce."""

    files: dict
    expected: str
    only: bool = False  # the expected error must be the build's only error
    args: tuple = ()  # extra command-line arguments for the failing build
    extra: dict = field(default_factory=dict)  # files written before the first, good build


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def apply(root: Path, files: dict) -> None:
    """Write (or, for ``None``, delete) the case's files."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.is_dir():
                shutil.rmtree(path)
        else:
            write_site(root, {rel: text}, templates=False)


def run(case: Case, tmp_path: Path, capsys) -> list[str]:
    """Run one case; assert the guarantees; return the error lines printed."""
    root = write_site(tmp_path / "site", {**MINIMAL, **case.extra})
    assert cli.main(["--root", str(root)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    apply(root, case.files)
    before_tree, before_out = tree_digest(root), snapshot(root / "output")
    code = cli.main(["--root", str(root), *case.args])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]
    assert code == 1, err
    assert "Traceback" not in err, err
    assert case.expected in lines, err
    if case.only:
        assert [line for line in lines if ": error: " in line] == [case.expected], err
    assert snapshot(root / "output") == before_out, "output/ changed"
    assert tree_digest(root) == before_tree, "a file outside output/ changed"
    assert not [p for p in root.iterdir() if p.name.startswith(".output-")]
    return lines
