"""Problems found in a scenario file, each at its FILE:LINE:COL, and the error that carries them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file, at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class ScenarioError(ValueError):
    """A scenario file that cannot be used; `problems` lists every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.col, p.message))
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid scenario")


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The choice closest to `word`, when one is close enough to be a likely misspelling."""
    if not isinstance(word, str):
        return None
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' when a choice is close to `word`, else ''."""
    close = closest(word, choices)
    return f"; did you mean '{close}'?" if close else ""
