"""Figures: one function per figure, each `fn(result, ax=None, **style) -> matplotlib Axes`.

Importing `model` never imports matplotlib; importing `model.plots` does. Every function draws in
the house style of `model.plots.style` without changing global matplotlib settings, and draws
what an analysis computed: it computes nothing an analysis should.

A function that draws one result type is registered as that type's figure with
`model.results.draws(ResultType)`, so `result.plot(ax=None)` draws it; importing this package
registers them all. Which analysis feeds which function, for `juncture plot` and the report, is
the recipe table in `model.report.recipes`.
"""

from .ach import ach_matrix
from .escalation import escalation_ladder
from .evidence import evidence_view
from .matrices import consequence_heatmap, response_bars, risk_matrix
from .robustness import acceptability_bars, rank_comparison, regret_heatmap, weights_chart
from .style import house_style, save
from .tree import decision_tree
from .uncertainty import (
                          p_best_bars,
                          risk_profiles,
                          spider_chart,
                          strategy_regions,
                          tornado_chart,
                          utility_distribution,
                          voi_bars,
)

__all__ = ["acceptability_bars", "ach_matrix", "consequence_heatmap", "decision_tree", "escalation_ladder", "evidence_view",
           "house_style", "p_best_bars", "rank_comparison", "regret_heatmap", "response_bars", "risk_matrix",
           "risk_profiles", "save", "spider_chart", "strategy_regions", "tornado_chart", "utility_distribution",
           "voi_bars", "weights_chart"]
