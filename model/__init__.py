"""Juncture: compare policy options under uncertainty, with every number tied to its evidence.

load -> compile -> evaluate -> analyses -> results -> plots/report. Importing this package loads
neither matplotlib nor pandas; they come in when a figure or a table is asked for.

The public API, for notebooks and scripts (`import model as jn`):

    sc = jn.load("scenarios/venezuela.yaml")   # a Study: the checked Scenario, with methods
    sc.evaluate()                               # point evaluation
    mc = sc.simulate(10_000, seed=1)            # Monte Carlo; mc.summary(), mc.dominance()
    sc.compare(method="topsis"); sc.voi(); sc.sensitivity("tornado"); sc.robustness()

Every result has table(), to_frame(), to_dict(), to_json(), plot(ax=None) and shows as a table
in a notebook (`Result`). The functions behind the methods are in `model.analysis`.
"""

from .analysis import DEFAULT_SEED
from .api import Signals, Study, load, loads
from .io import Scenario, ScenarioError
from .results import Result, Table

from .version import __version__

__all__ = ["DEFAULT_SEED", "Result", "Scenario", "ScenarioError", "Signals", "Study", "Table", "__version__",
           "load", "loads"]
