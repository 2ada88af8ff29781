"""`juncture explore` and `juncture sensitivity --kind sobol` on the command line: the JSON shapes
of issue 14, names in the text, and the error cases (exit 2 with a sentence, never a traceback)."""

from __future__ import annotations

import json

import pytest
from paths import REPO

from model.cli import main

PLANTED = str(REPO / "tests" / "data" / "planted_box.yaml")
ISHIGAMI = str(REPO / "scenarios" / "reference" / "ishigami.yaml")
TEXACO = str(REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml")
REGRET = str(REPO / "scenarios" / "reference" / "regret_three_worlds.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_explore_json_is_the_issues_shape(capsys):
    code, out, err = run(capsys, "explore", PLANTED, "--for", "act", "--samples", "4000", "--json")
    assert code == 0, err
    d = json.loads(out)
    # {"option": ..., "boxes": [{"limits": {param: [lo, hi]}, "coverage": c, "density": d, "mass": m}], "share_best": s}
    assert d["option"] == "act"
    assert 0.15 < d["share_best"] < 0.25                                   # 20% by construction
    [box] = d["boxes"]
    assert set(box["limits"]) == {"tree.wait.gamble.low.p", "tree.wait.invest.payoff"}
    for lo, hi in box["limits"].values():
        assert lo < hi
    assert all(isinstance(box[k], float) and 0 < box[k] <= 1 for k in ("coverage", "density", "mass"))


def test_explore_text_names_the_numbers_and_fits(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "explore", REGRET, "--for", "negotiate", "--samples", "400")
    assert code == 0
    assert "Negotiate is best in 25% of the draws" in out                 # the option's name, not its id
    assert "worlds: Escalation" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_explore_an_unknown_option_exits_2_naming_the_options(capsys):
    code, out, err = run(capsys, "explore", PLANTED, "--for", "acts")
    assert code == 2 and out == ""
    assert "no option 'acts'" in err and "did you mean 'act'" in err and "(options: act, wait, decline)" in err
    assert "Traceback" not in err


def test_explore_without_uncertain_numbers_says_so_in_one_sentence(capsys):
    """A file whose numbers are all fixed (and has no worlds) is not an error: the answer is that
    there is no region to find (exit 0), as tornado answers there is nothing to swing."""
    code, out, _ = run(capsys, "explore", TEXACO)
    assert code == 0
    text = " ".join(out.split())
    assert text.startswith(f"{TEXACO} has no uncertain number that enters the evaluation and no worlds: every draw "
                           "is the same")
    assert text.count(". ") == 1                                         # one sentence, and what to do
    code, out, _ = run(capsys, "explore", TEXACO, "--json")
    d = json.loads(out)
    assert code == 0 and d["boxes"] == [] and d["share_best"] == 1.0


def test_explore_writes_its_figure_beside_the_text(capsys, tmp_path):
    fig = tmp_path / "box.png"
    code, out, err = run(capsys, "explore", PLANTED, "--for", "act", "--samples", "2000", "--json", "-o", str(fig))
    assert code == 0 and fig.stat().st_size > 0
    json.loads(out)                                                       # stdout stays JSON
    assert f"wrote {fig}" in err
    code, _, err = run(capsys, "explore", PLANTED, "--samples", "2000", "-o", str(fig))
    assert code == 2 and "pass --force" in err


@pytest.mark.parametrize("argv, message", [
    (["--samples", "1"], "--samples must be between 2"),
    (["--min-density", "0"], "--min-density must lie in (0, 1]"),
    (["--boxes", "0"], "--boxes must be 1 or more"),
    (["--world", "mars"], "no world 'mars'"),
])
def test_explore_bad_arguments(capsys, argv, message):
    code, _, err = run(capsys, "explore", PLANTED, *argv)
    assert code == 2 and message in err


def test_sobol_json_and_text(capsys, monkeypatch):
    pytest.importorskip("SALib")
    code, out, err = run(capsys, "sensitivity", ISHIGAMI, "--kind", "sobol", "--samples", "1024", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["scenario"] == "ishigami" and d["kind"] == "sobol" and d["versus"] == ["ishigami", "nothing"]
    s1 = d["outputs"]["margin"]["indices"]["tree.ishigami.plus.hit.p"]["S1"]
    assert s1 == pytest.approx(0.442, abs=0.06)                          # x2's analytic first-order index
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "sensitivity", ISHIGAMI, "--kind", "sobol", "--samples", "256")
    assert code == 0 and "Sobol indices: expected utility of ishigami minus nothing" in out
    assert max(len(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize("argv, message", [
    (["--kind", "sobol", "--samples", "1000"], "must be a power of 2"),
    (["--kind", "sobol", "--of", "nope"], "no option 'nope'"),
    (["--kind", "tornado", "--samples", "1024"], "--samples applies to --kind sobol only"),
])
def test_sobol_bad_arguments(capsys, argv, message):
    pytest.importorskip("SALib")
    code, _, err = run(capsys, "sensitivity", ISHIGAMI, *argv)
    assert code == 2 and message in err


def test_sobol_without_uncertain_numbers(capsys):
    pytest.importorskip("SALib")
    code, out, _ = run(capsys, "sensitivity", TEXACO, "--kind", "sobol")
    assert code == 0 and "No uncertain number enters the evaluation" in out
