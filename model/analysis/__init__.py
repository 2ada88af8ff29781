"""Analyses: each chooses parameter vectors, calls `model.evaluate.evaluate`, and reads the arrays."""

DEFAULT_SEED = 20251107
"""Seed used when none is given, so that two runs of the same file agree (kept here, free of
imports, so that the command line can show it without loading scipy)."""
