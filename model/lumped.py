"""The merged-tree plan under its first-release name; the rollback itself is `model.evaluate`.

Kept so that code written against the first release (`from model.lumped import lumped_plan`)
still runs; new code uses `model.evaluate.plan.merged_plan`.
"""

from .evaluate.plan import merged_plan as lumped_plan

__all__ = ["lumped_plan"]
