"""Fixtures for the analysis tests: `juncture` runs the command in this process (faster than the
subprocess the top-level fixture starts, and the analyses' own errors show in the traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
"""The repository root (as in tests/conftest.py; tests here import it from `conftest`)."""


class Done:
    """What `juncture ARGS` returned: exit code, standard output, standard error."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.returncode, self.stdout, self.stderr = code, out, err


@pytest.fixture
def juncture(capsys):
    from model.cli import main

    def run(*args) -> Done:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return Done(code, out, err)

    return run
