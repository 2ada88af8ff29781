"""Juncture: compare policy options under uncertainty, with every number tied to its evidence.

load -> compile -> evaluate -> analyses -> results -> plots/report. Importing this package loads
neither matplotlib nor pandas; they come in when a figure or a table is asked for.
"""

from .io import Scenario, ScenarioError, load, loads

__version__ = "0.1.0"

__all__ = ["Scenario", "ScenarioError", "__version__", "load", "loads"]
