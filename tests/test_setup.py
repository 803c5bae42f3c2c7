"""The README's set-up commands: they make and use the project's own virtual environment."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import PROJECT


def _dry_run(target: str, **env) -> str:
    """What ``make -n target`` would run, with the given environment changes."""
    environ = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    environ.update(env)
    return subprocess.run(["make", "-n", "-C", str(PROJECT), target], env=environ,
                          capture_output=True, text=True, check=True).stdout


def test_make_uses_the_project_venv_when_none_is_active():
    for target in ("site", "test"):
        commands = _dry_run(target)
        assert ".venv/bin/python -m pip install" in commands
        assert "python3 -m pip" not in commands


def test_make_uses_an_active_venv(tmp_path):
    commands = _dry_run("site", VIRTUAL_ENV=str(tmp_path / "env"))
    assert f"{tmp_path}/env/bin/python -m pip install -q -e ." in commands
    assert "make-venv.sh" not in commands


def test_make_venv_creates_a_working_environment(tmp_path):
    venv = tmp_path / "venv"
    run = subprocess.run(["sh", str(PROJECT / "tools" / "make-venv.sh"), str(venv)],
                         env={**os.environ, "PYTHON": sys.executable},
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    probe = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import sys; print(sys.prefix != sys.base_prefix)"],
                           capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "True"
