"""The `juncture` commands, one module each, every one with a `register(subparsers)` function.

`register_all` imports each module named in COMMAND_MODULES that exists, in order (the order of
`juncture --help`), and lets it add its sub-commands; a new command is a module here and its name
in COMMAND_MODULES. A command module stays thin: it parses arguments, calls the library, prints
tables or writes files, with what commands share (loading a file in a world, the usage error, the
JSON and file writers) taken from `._common`. Modules import nothing heavy at import time, so that
`juncture --help` starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

COMMAND_MODULES = ("core", "examples", "uncertainty", "compare", "strategic", "report", "watch", "critique", "brief",
                   "ach")


def register_all(sub: Any) -> None:
    """Add every command module's sub-commands to `sub` (an argparse subparsers object)."""
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
            continue
        mod.register(sub)
