"""The scenarios that travel with Juncture and the starters `juncture new` writes: where they
are, what each one asks, and copying them out with the schema beside them.

The bundled scenarios are the repository's `scenarios/` folder (venezuela.yaml, reference/*.yaml,
scenario.schema.json). A wheel carries a copy of it as `model/_scenarios/` (the build step in
setup.py puts it there); an editable install or a source checkout reads `scenarios/` in place.
The starters are package data of this module's folder (`starters/<template>.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SCHEMA_NAME = "scenario.schema.json"
"""The schema's file name: every bundled scenario and starter points its editor at it, beside the file."""

TEMPLATES: dict[str, str] = {
    "minimal": "a decision matrix: options scored on criteria, with evidence and assumptions",
    "events": "options, then another actor's response as a probability table, a risk and an alternative world",
    "tree": "an explicit decision tree with a later decision after a test, under risk aversion",
    "game": "another actor chooses its reply by its own payoffs (backward induction), and a signal",
}
"""The starters of `juncture new --template`, each with one line saying what it shows."""

_PLACEHOLDER_ID = "id: my-scenario"


@dataclass(frozen=True)
class Example:
    """A bundled scenario: `name` its path under the examples folder ('reference/oil_wildcatter.yaml'),
    `path` where it is on this machine, `title` and `question` as its file gives them."""

    name: str
    path: Path
    title: str
    question: str


def examples_folder() -> Path:
    """The folder of the bundled scenarios: the installed package's copy, else the checkout's
    `scenarios/` (an editable install). FileNotFoundError when neither is there (a broken install)."""
    here = Path(str(resources.files("model")))
    for folder in (here / "_scenarios", here.parent / "scenarios"):
        if (folder / "venezuela.yaml").is_file() and (folder / SCHEMA_NAME).is_file():
            return folder
    raise FileNotFoundError(f"the bundled scenarios are missing from {here / '_scenarios'}: reinstall "
                            "juncture (pip install juncture), or run it from a clone of its repository")


def example_files(folder: Path | None = None) -> list[Path]:
    """The bundled scenario files: venezuela.yaml first, then reference/*.yaml in name order."""
    folder = examples_folder() if folder is None else folder
    return sorted(folder.glob("*.yaml")) + sorted((folder / "reference").glob("*.yaml"))


def examples() -> list[Example]:
    """Every bundled scenario with its title and question (read from its `scenario:` block)."""
    from .yamlsource import parse_yaml

    folder = examples_folder()
    out = []
    for path in example_files(folder):
        name = path.relative_to(folder).as_posix()
        meta = parse_yaml(path.read_text(encoding="utf-8"), name).data.get("scenario") or {}
        out.append(Example(name, path, str(meta.get("title") or ""), str(meta.get("question") or "")))
    return out


def copy_plan(dest: Path) -> list[tuple[bytes, Path]]:
    """(content, target) of every file `juncture examples --copy DEST` writes: each bundled
    scenario at its place under DEST (reference/ kept, so their `$schema=../...` headers hold) and
    the schema beside them."""
    from .schema import schema_json

    folder = examples_folder()
    plan = [(p.read_bytes(), dest / p.relative_to(folder)) for p in example_files(folder)]
    plan.append((schema_json().encode("utf-8"), dest / SCHEMA_NAME))
    return plan


def clashes(plan: list[tuple[bytes, Path]]) -> list[Path]:
    """The targets of `plan` that exist with other content (an identical file is left as it is)."""
    return [t for data, t in plan if t.exists() and (not t.is_file() or t.read_bytes() != data)]


def write_plan(plan: list[tuple[bytes, Path]]) -> list[Path]:
    """Write each (content, target) whose target is absent, creating folders; returns those written.
    Call `clashes` first: a target that exists is never replaced."""
    written = []
    for data, target in plan:
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as fh:  # 'x': never over a file that appeared meanwhile
            fh.write(data)
        written.append(target)
    return written


def template_text(template: str, scenario_id: str | None = None) -> str:
    """The commented starter `template` (a key of TEMPLATES), its scenario id set to `scenario_id`
    when that is a valid id (else 'my-scenario')."""
    if template not in TEMPLATES:
        raise KeyError(template)
    text = (resources.files("model.io") / "starters" / f"{template}.yaml").read_text(encoding="utf-8")
    if scenario_id and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", scenario_id):
        text = text.replace(_PLACEHOLDER_ID, f"id: {scenario_id}", 1)
    return text


def scenario_id_for(path: Path) -> str:
    """A scenario id made from a file name: 'Crisis 2026.yaml' -> 'crisis-2026'."""
    return re.sub(r"[^a-z0-9_]+", "-", path.stem.lower()).strip("-_") or "my-scenario"


__all__ = ["SCHEMA_NAME", "TEMPLATES", "Example", "clashes", "copy_plan", "example_files", "examples",
           "examples_folder", "scenario_id_for", "template_text", "write_plan"]
