"""Fixtures for the figure tests: evaluations of the Venezuela scenario (the frozen copy) and of a
textbook tree. VENEZUELA is the living bundled scenario, for tests that it draws end to end;
tests that pin what a figure shows read VENEZUELA_FROZEN (tests/paths.py).

matplotlib runs headless (Agg); figures made without pyplot need no closing, and any made through
pyplot by a test are closed after it.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest

from model.compile import compile_scenario
from model.evaluate import point
from model.io import load

from paths import VENEZUELA, VENEZUELA_FROZEN  # noqa: F401  (VENEZUELA: read by the plot tests through conftest)

REPO = Path(__file__).resolve().parents[2]
TEXACO = REPO / "scenarios/reference/texaco_pennzoil.yaml"
OIL = REPO / "scenarios/reference/oil_wildcatter.yaml"
LOTTERY = REPO / "scenarios/reference/exponential_lottery.yaml"


def evaluation(path: Path):
    return point(compile_scenario(load(str(path))))


@pytest.fixture(scope="session")
def venezuela():
    """The frozen copy of the Venezuela scenario, evaluated at its point values."""
    return evaluation(VENEZUELA_FROZEN)


@pytest.fixture(scope="session")
def texaco():
    return evaluation(TEXACO)


@pytest.fixture(autouse=True)
def _close_pyplot_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def drawn(ax):
    """Lay the figure out (no pixels) so that text extents can be measured; return the renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.get_figure()
    if not hasattr(fig.canvas, "get_renderer"):   # a bare Figure: give it a canvas to measure with
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()
