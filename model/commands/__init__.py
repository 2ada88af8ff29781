"""Sub-commands beyond the core ones, one module each with a `register(subparsers)` function.

The CLI imports each module named in COMMAND_MODULES that exists, so analyses can add their
command without editing cli.py. A command module stays thin: it parses arguments, calls the
library, prints tables or writes files.
"""

from __future__ import annotations

import importlib
from typing import Any

COMMAND_MODULES = ("uncertainty", "compare", "strategic", "report", "critique")


def register_all(sub: Any) -> None:
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
            continue
        mod.register(sub)
