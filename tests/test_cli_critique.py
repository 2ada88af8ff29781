"""The loader's hard errors of issue 11 through the command line (exit 2, FILE:LINE:COL, a sentence
that says what to do, never a traceback), and `juncture critique` on the bundled files."""

from __future__ import annotations

import glob
import json
import textwrap

import pytest
from conftest import REPO

from model.cli import main

# cost's range is [0, 10]; act pays 6 and a retaliation 5 more: 11 on the path act -> retaliation
# (probability 0.3 at the point values), 1 above the range. wait's gain of 12 lies above gain's
# range by itself.
BASE = textwrap.dedent("""\
    scenario: {id: h, title: Hard errors}
    actors: {them: {name: Them, payoffs: {move.a: 1}}}
    criteria:
      - {id: cost, name: Cost, direction: min, range: [0, 10], weight: W1}
      - {id: gain, name: Gain, direction: max, range: [0, 10], weight: W2}
    options:
      - {id: act, impacts: {cost: 6, gain: 5}}
      - {id: wait, impacts: {cost: 0, gain: GAIN}}
    events:
      - id: response
        actor: them
        depends_on: [option]
        states: {none: {}, retaliation: {impacts: {cost: RETALIATION}}, never: {impacts: {cost: 50}}}
        probability:
          act:  {retaliation: 0.3, none: otherwise}
          wait: {retaliation: 0.1, none: otherwise, never: 0}
      - id: move
        actor: them
        mode: strategic
        states: {a: {}, b: {}}TABLE
""")


def scenario(w1="0.5", w2="0.5", gain="2", retaliation="3", table="") -> str:
    return (BASE.replace("W1", w1).replace("W2", w2).replace("GAIN", gain).replace("RETALIATION", retaliation)
            .replace("TABLE", table))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def loc(text: str, token: str, nth: int = 1) -> str:
    i = -1
    for _ in range(nth):
        i = text.index(token, i + 1)
    return f"{text.count(chr(10), 0, i) + 1}:{i - (text.rfind(chr(10), 0, i) + 1) + 1}"


def test_the_base_file_is_valid(capsys, tmp_path):
    f = tmp_path / "ok.yaml"
    f.write_text(scenario())
    code, _out, err = run(capsys, "validate", f)
    assert code == 0, err


def test_a_path_outside_the_range_points_at_the_range(capsys, tmp_path):
    text = scenario(retaliation="5")
    f = tmp_path / "s.yaml"
    f.write_text(text)
    code, _out, err = run(capsys, "validate", f)
    assert code == 2 and "Traceback" not in err
    (line,) = [x for x in err.splitlines() if "criteria[0].range" in x]
    assert line.startswith(f"{f}:{loc(text, '[0, 10]')}: criteria[0].range: criterion Cost (cost) comes to 11 under "
                           "option act with response = retaliation, move = a (6 from option act + 5 from response = "
                           "retaliation), above its range [0, 10]")
    assert "Widen the range to what can happen" in line
    # the path `never` (cost 50) has probability 0 at the point values under both options: not reported
    assert "never" not in err
    assert err.rstrip().endswith("problem found; nothing was written.")


def test_a_number_outside_the_range_by_itself_is_pointed_at(capsys, tmp_path):
    text = scenario(gain="12")
    f = tmp_path / "s.yaml"
    f.write_text(text)
    code, _out, err = run(capsys, "validate", f)
    assert code == 2
    (line,) = [x for x in err.splitlines() if "Gain" in x]
    assert line.startswith(f"{f}:{loc(text, '12')}: options[1].impacts.gain: criterion Gain (gain) comes to 12")
    assert "Correct this number, or widen the range" in line


def test_all_weights_zero(capsys, tmp_path):
    text = scenario(w1="0", w2="[0, 0]")
    f = tmp_path / "s.yaml"
    f.write_text(text)
    code, _out, err = run(capsys, "validate", f)
    assert code == 2 and "Traceback" not in err
    (line,) = [x for x in err.splitlines() if "weight" in x]
    row, col = loc(text, "weight: 0").split(":")                 # the value, after 'weight: '
    assert line.startswith(f"{f}:{row}:{int(col) + len('weight: ')}: "
                           "criteria[0].weight: every criterion's weight is 0 (cost, gain)")
    assert "give at least one criterion a positive weight" in line


def test_a_table_under_a_strategic_event(capsys, tmp_path):
    text = scenario(table="\n    probability: {a: 0.5, b: 0.5}")
    f = tmp_path / "s.yaml"
    f.write_text(text)
    code, _out, err = run(capsys, "validate", f)
    assert code == 2
    (line,) = err.splitlines()[:1]
    assert line == (f"{f}:{loc(text, 'probability: {a')}: events[1].probability: event 'move' is strategic (mode: "
                    "strategic): its actor chooses the state by its payoffs, so this probability table is never used; "
                    "remove it, or remove 'mode: strategic' to use the table")


@pytest.mark.parametrize("command", ["evaluate", "matrix", "tree", "simulate", "voi", "sensitivity", "critique",
                                     "compare", "signals", "update", "ladder"])
def test_every_command_that_loads_a_file_refuses_it(capsys, tmp_path, command):
    f = tmp_path / "s.yaml"
    f.write_text(scenario(retaliation="5"))
    code, out, err = run(capsys, command, f)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{f}:" in err and "criteria[0].range" in err


def test_a_hard_error_in_a_subprocess_prints_no_traceback(juncture, tmp_path):
    text = scenario(retaliation="5")
    f = tmp_path / "s.yaml"
    f.write_text(text)
    done = juncture("evaluate", f)
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{f}:{loc(text, '[0, 10]')}: criteria[0].range: criterion Cost (cost) comes to 11")


def test_critique_on_the_reference_scenarios_finds_no_error(capsys):
    files = sorted(glob.glob(str(REPO / "scenarios" / "reference" / "*.yaml")))
    code, out, err = run(capsys, "critique", *files, "--json", "--samples", "500")
    assert code == 0, err
    results = json.loads(out)
    assert len(results) == len(files)
    assert not [f for r in results for f in r["findings"] if f["severity"] == "error"]


def test_the_bundled_scenarios_load(capsys):
    files = sorted(glob.glob(str(REPO / "scenarios" / "*.yaml")) + glob.glob(str(REPO / "scenarios" / "reference" / "*.yaml"))
                   + [str(REPO / "tests" / "data" / "venezuela_frozen.yaml")])
    code, _out, err = run(capsys, "validate", *files)
    assert code == 0, err


def test_validate_counts_the_critiques_findings(capsys):
    """validate prints the critique's count beside its summary (issue 11); --no-critique skips it.
    Texaco fixes every number, so its one finding is the threshold on a number without a range."""
    f = str(REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml")
    assert main(["validate", f]) == 0
    out = capsys.readouterr().out
    assert "critique (500 draws): 0 errors, 1 warning, 0 notes" in out
    assert main(["validate", "--no-critique", f]) == 0
    assert "critique" not in capsys.readouterr().out
