"""Small games the tests share, read from the scenario files that state them."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def strategic_reply(rationality: float | None = None) -> str:
    """scenarios/reference/strategic_reply.yaml (a one-move game, worked by hand in its header),
    with `rationality:` added to the reply when given (a logit response)."""
    text = (REPO / "scenarios" / "reference" / "strategic_reply.yaml").read_text()
    if rationality is None:
        return text
    return text.replace("    mode: strategic\n", f"    mode: strategic\n    rationality: {rationality}\n")
