"""Figures: one function per figure, each `fn(result, ax=None, **style) -> matplotlib Axes`.

Importing `model` never imports matplotlib; importing `model.plots` does. Every function draws in
the house style of `model.plots.style` without changing global matplotlib settings, and draws
what an analysis computed: it computes nothing an analysis should.
"""

from .evidence import evidence_view
from .matrices import consequence_heatmap, response_bars, risk_matrix
from .style import house_style, save
from .tree import decision_tree

__all__ = ["consequence_heatmap", "decision_tree", "evidence_view", "house_style", "response_bars", "risk_matrix", "save"]
