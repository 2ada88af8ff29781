"""Every figure draws for every scenario shipped, without a warning (overlapping-layout warnings,
NaN casts, missing glyphs would show here)."""

from __future__ import annotations

import warnings

import pytest
from conftest import REPO, drawn

from model.analysis import matrices
from model.compile import compile_scenario
from model.evaluate import point
from model.io import load
from model.plots import consequence_heatmap, decision_tree, evidence_view, response_bars, risk_matrix

SCENARIOS = sorted(REPO.glob("scenarios/**/*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_figure_of_every_scenario(path):
    sc = load(str(path))
    ev = point(compile_scenario(sc))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for ax in (consequence_heatmap(matrices.consequences(ev)), response_bars(matrices.responses(ev)),
                   risk_matrix(matrices.risks(ev)), decision_tree(ev), evidence_view(sc)):
            drawn(ax)
            assert ax.get_title(loc="left") or ax.get_title()
