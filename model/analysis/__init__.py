"""Analyses: each chooses parameter vectors, calls `model.evaluate.evaluate`, and reads the arrays."""
