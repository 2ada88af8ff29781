"""Scenario files the tests share, by the role each plays (a uniquely named module: `from paths
import ...` works from every test folder, where `from conftest import ...` depends on which
conftest was imported last).

VENEZUELA is the living bundled scenario, which analysts edit and rebuild: tests on it are about
the scenario as a product (it validates, every number cites something, the report, plots and
notebooks run on it) and assert only what any reasonable edit keeps. VENEZUELA_FROZEN is a copy
frozen for tests (tests/data/venezuela_frozen.yaml, see its header): tests that pin content (tree
sizes, rankings, best options, named states and parameters, numbers worked by hand) read it.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENEZUELA = REPO / "scenarios" / "venezuela.yaml"
VENEZUELA_FROZEN = REPO / "tests" / "data" / "venezuela_frozen.yaml"
