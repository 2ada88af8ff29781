"""`python -m model` is the `juncture` command."""

from .cli import main

raise SystemExit(main())
