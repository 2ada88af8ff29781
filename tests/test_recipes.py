"""The recipe table is the one source of figures: every `juncture plot` kind and every figure of the report."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from conftest import REPO

import model
from model.commands import report as plot_command
from model.report import build_report, recipes, sections
from model.report.recipes import OPTIONS, RECIPES, Inputs

VENEZUELA = REPO / "scenarios" / "venezuela.yaml"
TEXACO = REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"
REGRET = REPO / "scenarios" / "reference" / "regret_three_worlds.yaml"


def test_the_plot_kinds_are_the_recipes_in_order():
    assert list(plot_command.PLOT_KINDS) == list(RECIPES)
    for name, kind in plot_command.PLOT_KINDS.items():
        r = RECIPES[name]
        assert (kind.help, kind.options, kind.uses_world) == (r.help, r.options, r.uses_world)


def test_every_recipe_is_a_choice_of_juncture_plot(capsys):
    from model.cli import main

    with pytest.raises(SystemExit):
        main(["plot", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "one of: " + ", ".join(RECIPES) in text
    squeezed = "".join(text.split())   # argparse may break a line after a hyphen ('two-' 'way')
    for r in RECIPES.values():
        # a help that starts with its own name is not labelled twice ('tornado: tornado: ...')
        said = f"{r.name}: {r.help.removeprefix(r.name + ': ')}"
        assert "".join(said.split()) in squeezed, said


def test_the_options_of_juncture_plot_are_the_ones_recipes_read():
    read = {o for r in RECIPES.values() for o in r.options}
    assert read <= set(OPTIONS)
    assert set(plot_command.FIGURE_OPTIONS) | {"depth"} == read
    assert list(plot_command.FIGURE_OPTIONS) == [o for o in OPTIONS if o != "depth"]


def _names_used(module: object) -> set[str]:
    tree = ast.parse(inspect.getsource(module))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    return names


@pytest.mark.parametrize("module", [sections, plot_command], ids=["report sections", "juncture plot"])
def test_no_figure_is_drawn_outside_the_table(module):
    from model import plots

    drawing = set(plots.__all__) - {"save", "house_style"}
    assert not drawing & _names_used(module)
    if module is sections:  # one place turns a recipe into a report figure
        calls = [n for n in ast.walk(ast.parse(inspect.getsource(module)))
                 if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "render_figure"]
        assert len(calls) == 1


@pytest.mark.parametrize("path", [TEXACO, REGRET], ids=["texaco", "regret_three_worlds"])
def test_every_figure_of_the_report_comes_from_its_recipe(path, monkeypatch):
    drawn: list[str] = []
    plot = recipes.Recipe.plot

    def spy(self, result, inputs, ax=None):
        drawn.append(self.name)
        return plot(self, result, inputs, ax)

    monkeypatch.setattr(recipes.Recipe, "plot", spy)
    rep = build_report(model.load(path), samples=200)
    stems = [f.stem for f in rep.figures]
    assert stems and stems == drawn                     # each figure is one recipe drawn, named after it
    assert set(stems) <= set(RECIPES)
    for f in rep.figures:
        caption = RECIPES[f.stem].caption
        if isinstance(caption, str):
            assert f.caption == caption


def test_recipes_share_one_run_of_each_analysis(monkeypatch):
    from model.analysis import montecarlo

    calls = []
    simulate = montecarlo.simulate
    monkeypatch.setattr(montecarlo, "simulate", lambda *a, **k: calls.append(a) or simulate(*a, **k))
    inp = Inputs(model.load(VENEZUELA), samples=100, seed=3)
    mc = inp.result("p-best")
    assert inp.result("utility") is mc
    assert inp.replace(top=3).result("risk-profile").n == mc.n     # another option, the same cache
    assert len(calls) == 1
    assert inp.replace(samples=50).result("p-best").n == 50         # other draws, another run
    assert len(calls) == 2


def test_a_recipe_without_what_it_draws_says_so():
    inp = Inputs(model.load(TEXACO))
    with pytest.raises(recipes.NoFigure, match="has no worlds"):
        RECIPES["regret"].compute(inp)
    with pytest.raises(recipes.NoFigure, match="has no escalation ladder"):
        RECIPES["ladder"].compute(inp)


def test_result_plot_draws_the_registered_figure():
    from model import plots
    from model.analysis import montecarlo, sensitivity
    from model.results import FIGURES

    assert FIGURES[sensitivity.Tornado] is plots.tornado_chart
    assert FIGURES[montecarlo.MonteCarlo] is plots.utility_distribution
    inp = Inputs(model.load(VENEZUELA))
    ax = FIGURES[type(inp.result("tornado"))](inp.result("tornado"), ax=None)
    assert ax.get_title(loc="left").startswith("Tornado")


def test_the_recipes_module_loads_no_numerical_library():
    import subprocess
    import sys

    code = ("import sys; import model.report.recipes; "
            "print([m for m in ('numpy', 'scipy', 'matplotlib', 'pandas', 'model.plots', 'model.analysis.montecarlo') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(REPO))
    assert out.stdout.strip() == "[]"
