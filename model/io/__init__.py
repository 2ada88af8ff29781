"""Reading scenario files: YAML text -> checked, typed `Scenario` (or every problem at once)."""

from .errors import Problem, ScenarioError
from .load import load, loads
from .numbers import ICD203_SCALE, Number, parse_number
from .paths import NumberRef, iter_numbers, number_paths
from .scenario import (Actor, Assumption, Criterion, Event, Evidence, Meta, Option, Risk, Row,
                       Scenario, Signal, Source, State, TreeNode, Utility, ValueFunction, World)

__all__ = [
    "Actor", "Assumption", "Criterion", "Event", "Evidence", "ICD203_SCALE", "Meta", "Number", "NumberRef",
    "Option", "Problem", "Risk", "Row", "Scenario", "ScenarioError", "Signal", "Source", "State",
    "TreeNode", "Utility", "ValueFunction", "World", "iter_numbers", "load", "loads",
    "number_paths", "parse_number",
]
