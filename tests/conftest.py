"""Shared fixtures: a small valid scenario, loading text into problems, running `juncture`."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from model.io import ScenarioError, loads

REPO = Path(__file__).resolve().parents[1]

MINIMAL = textwrap.dedent("""\
    scenario: {id: minimal, title: Minimal scenario, decision_maker: united_states}
    actors:
      united_states: {name: United States}
      russia: {name: Russian Federation}
    criteria:
      - {id: cost, direction: min}
    options:
      - {id: strikes, impacts: {cost: 4}}
      - {id: wait, impacts: {cost: 1}}
    events:
      - id: russia_response
        actor: russia
        depends_on: [option]
        states: {protest: {}, arms: {}}
        probability:
          strikes: {protest: 0.7, arms: 0.3}
          wait: {protest: 1, arms: 0}
""")
"""A valid events-form scenario every test may start from (2 actors, 1 criterion, 2 options, 1 event)."""


@pytest.fixture
def minimal() -> str:
    return MINIMAL


@pytest.fixture
def problems():
    """problems(text) -> the `str` of each problem `loads` reports ('' file name is 'f.yaml');
    fails the test when the text loads."""

    def run(text: str | bytes, file: str = "f.yaml") -> list[str]:
        try:
            loads(text, file)
        except ScenarioError as e:
            return [str(p) for p in e.problems]
        pytest.fail("expected a ScenarioError, the scenario loaded")

    return run


@pytest.fixture
def at():
    """at(text, token, nth=1) -> 'LINE:COL' of the nth occurrence of `token` in `text`, 1-based,
    so that a test names what a problem points at rather than a column counted by hand."""

    def find(text: str, token: str, nth: int = 1) -> str:
        i = -1
        for _ in range(nth):
            i = text.index(token, i + 1)
        line = text.count("\n", 0, i) + 1
        return f"{line}:{i - (text.rfind(chr(10), 0, i) + 1) + 1}"

    return find


@pytest.fixture
def juncture():
    """juncture(*args) -> CompletedProcess of `python -m model ARGS` run from the repository root."""

    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "model", *map(str, args)], cwd=REPO,
                              capture_output=True, text=True, timeout=timeout)

    return run
