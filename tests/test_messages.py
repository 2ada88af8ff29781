"""Messages in the analyst's words (issue 15): nothing the command line prints on bad input, or on
the outputs that echo a file back (diff, evaluate), shows a function name, a Python repr or a
Python type. The corpus is the error tests' own: every bad file of tests/test_cli_validate.py,
the usage errors the command tests check (their file and test named beside each), and every
command's --help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model.cli import build_parser, main

from paths import REPO, VENEZUELA_FROZEN
from test_cli_validate import BAD, write

REF = REPO / "scenarios" / "reference"
PHONES, REGRET, TEXACO, OIL = (REF / f"{n}.yaml" for n in ("topsis_phones", "regret_three_worlds",
                                                             "texaco_pennzoil", "oil_wildcatter"))
V = VENEZUELA_FROZEN

FORBIDDEN = re.compile(r"\w\(\)|\(\)|Entry\(|<class|Traceback|internal error|\b[A-Z][a-z]+[A-Z]\w*\(|"
                       r"\b(?:ValueError|KeyError|TypeError|NoneType|dict|list|tuple)\b\W*[(\[{']")
"""A function name or an empty call 'x()', a dataclass repr 'HistoryEntry(', a type '<class ...>',
a traceback or an internal error, an exception's class name or a Python container named as such."""


def offenders(text: str) -> list[str]:
    return [line for line in text.splitlines() if FORBIDDEN.search(line)]


def run(capsys, *args: object) -> tuple[int, str]:
    """Exit code and everything printed (stdout and stderr) of `juncture ARGS`, in process."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:  # argparse: --help, or arguments it refuses itself
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


# ------------------------------------------------------------------------------------- bad files
SELF_DEPENDENT = """\
scenario: {id: s, title: T}
actors: {russia: {name: Russia}}
criteria: [{id: cost, direction: min}]
options: [{id: strikes, impacts: {cost: 4}}, {id: wait, impacts: {cost: 1}}]
events:
  - id: response
    actor: russia
    depends_on: [option, response]
    states: {protest: {}, arms: {}}
    probability:
      strikes: {protest: 0.5, arms: 0.5}
      wait: {protest: 0.9, arms: 0.1}
"""

MORE_BAD = [
    ("self_dependency", SELF_DEPENDENT),
    ("percent", SELF_DEPENDENT.replace(", response]", "]").replace("protest: 0.5,", "protest: 50%,")),
    ("distribution_with_two_keys", SELF_DEPENDENT.replace(", response]", "]")
     .replace("cost: 4}", "cost: {beta: [1, 2], pert: [1, 2, 3]}}")),
    ("flow_mapping_question", "scenario: {id: s, title: T, question: Act or wait?}\n"),
]


@pytest.mark.parametrize("name, content", [(b[0], b[1]) for b in BAD] + MORE_BAD,
                         ids=[b[0] for b in BAD] + [m[0] for m in MORE_BAD])
def test_no_internal_names_in_what_validate_says_of_a_bad_file(tmp_path, capsys, name, content):
    code, text = run(capsys, "validate", write(tmp_path, name, content))
    assert code == 2
    assert offenders(text) == []


def test_a_self_dependency_is_said_once_and_alone(tmp_path, capsys):
    code, text = run(capsys, "validate", write(tmp_path, "s", SELF_DEPENDENT))
    assert code == 2
    assert text.splitlines() == [f"{tmp_path / 's.yaml'}:8:26: events[0].depends_on[1]: event 'response' cannot "
                                 "depend on itself", "1 problem found; nothing was written."]


def test_a_percentage_gets_the_fraction_to_write(tmp_path, capsys):
    bad = SELF_DEPENDENT.replace(", response]", "]").replace("protest: 0.5,", "protest: 50%,")
    code, text = run(capsys, "validate", write(tmp_path, "p", bad))
    assert code == 2 and "'50%' is not a number: write 0.5" in text


# ------------------------------------------------------------------------------- usage errors
def usage_cases(tmp: Path) -> list[list[object]]:
    """Command lines that exit 2, as the command tests run them (each group names its test)."""
    png = tmp / "x.png"
    bad = tmp / "bad.yaml"
    bad.write_text("scenario: {id: x}\n", encoding="utf-8")
    (tmp / "a-file").write_text("x", encoding="utf-8")
    return [
        # tests/test_cli_compare.py::test_bad_arguments_exit_2_with_a_message, and swing (README)
        ["compare", PHONES, "--worlds"], ["compare", PHONES, "--method", "smaa", "--samples", "0"],
        ["compare", REGRET, "--worlds", "--alpha", "2"], ["compare", PHONES, "--weighting", "rank"],
        ["compare", PHONES, "--weighting", "swing"], ["compare", V, "--weighting", "swing"],
        ["compare", PHONES, "--profile", "cautious"], ["compare", PHONES, "--world", "nowhere"],
        # tests/test_cli_compare.py::test_diff_of_a_bad_file_exits_2
        ["diff", PHONES, bad],
        # tests/plots/test_plot_cli.py, test_plot_uncertainty.py, test_plot_robustness.py
        ["plot", V, "tre", "-o", png], ["plot", V, "consequences", "--depth", "2", "-o", png],
        ["plot", V, "tree", "--depth", "-1", "-o", png], ["plot", V, "evidence", "--world", "russia_committed", "-o", png],
        ["plot", V, "tree", "--world", "russia_comitted", "-o", png], ["plot", TEXACO, "tree", "-o", tmp / "x.jpg"],
        ["plot", TEXACO, "tree", "-o", tmp / "a-file" / "x.png"], ["plot", V, "tornado", "--samples", "100", "-o", png],
        ["plot", V, "p-best", "--samples", "0", "-o", png], ["plot", V, "two-way", "--x", "criteria.cost.weigth", "-o", png],
        ["plot", V, "utility", "--of", "cots", "-o", png], ["plot", TEXACO, "regret", "-o", png],
        ["plot", REGRET, "regret", "--world", "stalemate", "-o", png], ["plot", V, "ranks", "--top", "3", "-o", png],
        ["plot", REGRET, "ladder", "-o", png],
        # tests/analysis/test_voi.py, test_sensitivity.py, test_montecarlo.py, test_escalation.py
        ["voi", OIL, "--evsi", "drill"], ["voi", OIL, "--evsi", "nothing"],
        ["sensitivity", PHONES, "--params", "options.phone_a.impacts.prize"], ["simulate", V, "--samples", "0"],
        ["ladder", PHONES],
        # tests/analysis/test_indicators.py: an indicator the file does not have, a file without any
        ["update", V, "--observe", "warships", "-o", tmp / "u.yaml"], ["update", PHONES, "--observe", "x"],
        # tests/test_cli_validate.py, test_report.py, test_cli_examples.py, test_cli_watch.py
        ["validate", tmp / "nope.yaml"], ["evaluate", V, "--world", "nowhere"], ["tree", V, "--depth", "-1"],
        ["report", TEXACO, "-o", tmp / "a-file"], ["report", TEXACO, "--samples", "10"],
        ["examples", "--copy", tmp / "a-file"], ["new", tmp / "a-file"], ["watch", tmp / "nope.yaml"],
        ["critique", bad],
    ]


def test_no_internal_names_in_usage_errors(tmp_path, capsys):
    seen = []
    for args in usage_cases(tmp_path):
        code, text = run(capsys, *args)
        assert code == 2, (args, text)
        seen += [f"juncture {' '.join(map(str, args))}: {line}" for line in offenders(text)]
    assert seen == []


def test_every_needs_says_how_to_give_it(tmp_path, capsys):
    # 'swing' needs swing points: the message says where they go in the file
    code, text = run(capsys, "compare", PHONES, "--weighting", "swing")
    assert code == 2 and "swing:" in text and "give each criterion" in text
    code, text = run(capsys, "compare", PHONES, "--weighting", "rank")
    assert code == 2 and "rank:" in text and "give each criterion" in text


# ----------------------------------------------------------------- outputs that echo the file
def test_diff_shows_a_history_entry_as_a_reader_would_write_it(tmp_path, capsys):
    updated = tmp_path / "updated.yaml"
    code, text = run(capsys, "update", V, "--observe", "further_deliveries=yes", "--date", "2025-11-08",
                     "-o", updated)
    assert code == 0, text
    code, text = run(capsys, "diff", V, updated)
    assert code == 0, text
    assert offenders(text) == []
    assert "[{date: 2025-11-08, note: " in text     # the history entry as the file writes it
    assert "1 more changed input cannot move the comparison" in " ".join(text.split())


def test_help_texts_name_no_internals_and_repeat_nothing(capsys):
    commands = list(build_parser()._subparsers._group_actions[0].choices)
    assert {"examples", "new", "watch", "report", "plot"} <= set(commands)
    for command in commands:
        code, text = run(capsys, command, "--help")
        assert code == 0
        assert offenders(text) == [], command
        flat = " ".join(text.split())
        assert not re.search(r"\b([\w-]+): \1:", flat), f"{command}: a label said twice"
