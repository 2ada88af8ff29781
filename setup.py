"""Build step: the bundled scenarios travel in the wheel.

The repository keeps them in `scenarios/` (beside `model/`, where analysts and the tests look for
them); a wheel carries a copy as the package folder `model/_scenarios/`, which
`model.io.examples.examples_folder` finds after `pip install .`. An editable install reads
`scenarios/` in place, so the copy is made only for a real build. Everything else about the build
is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
PATTERNS = ("*.yaml", "scenario.schema.json", "reference/*.yaml")


class BuildWithScenarios(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        files = [f for pattern in PATTERNS for f in sorted(SCENARIOS.glob(pattern))]
        if not any(f.name == "venezuela.yaml" for f in files):
            raise SystemExit(f"no scenarios in {SCENARIOS}: the wheel would ship without its examples")
        for f in files:
            target = Path(self.build_lib) / "model" / "_scenarios" / f.relative_to(SCENARIOS)
            self.mkpath(str(target.parent))
            self.copy_file(str(f), str(target))


setup(cmdclass={"build_py": BuildWithScenarios})
