"""`juncture validate`: exit 2 with FILE:LINE:COL: message for every bad input, never a traceback;
exit 0 with a summary for the committed scenarios."""

from __future__ import annotations

import glob
import re
import time
from pathlib import Path

import pytest

from model.cli import main
from model.io import ScenarioError, load
from model.io.yamlsource import MAX_BYTES

from conftest import REPO

# A small valid file the bad inputs are built on; its line numbers are the ones the cases expect.
BASE = """\
scenario: {id: s, title: T}
actors: {russia: {name: Russia}}
criteria: [{id: cost, direction: min}]
options:
  - {id: strikes, impacts: {cost: 4}}
  - {id: wait, impacts: {cost: 1}}
"""


def event(probability: str, extra: str = "") -> str:
    """An event on lines 7-11 of BASE + it: its probability row is on line 11, from column 18."""
    return BASE + f"""\
events:
  - id: response
    actor: russia{extra}
    states: {{protest: {{}}, arms: {{}}, combat: {{}}}}
    probability: {probability}
"""


BILLION_LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]) + "\n"
# a9 expands to 9**10 (3.5 billion) strings; a5 is the first list past 500,000 nodes (9**6 = 531,441)

# (id, file content, [(line, column, message), ...]): every problem the file has, in file order. The
# column is a number, or the text it points at on that line (its first occurrence there).
BAD: list[tuple[str, str | bytes, list[tuple[int, int | str, str]]]] = [
    ("yaml_syntax", "scenario: {id: s, title: [}\n",
     [(1, 27, "YAML syntax error: expected the node content, but found '}' (while parsing a flow node): "
              "a value is missing here, or a '[' or '{' before it is not closed")]),
    ("yaml_tab", "scenario:\n\tid: s\n",
     [(2, 1, "YAML syntax error: found character '\\t' that cannot start any token (while scanning for the "
             "next token): YAML indents with spaces, not tabs")]),
    ("yaml_indentation", "scenario:\n  id: s\n title: T\n",
     [(3, 2, "YAML syntax error: expected <block end>, but found '<block mapping start>' (while parsing a "
             "block mapping at line 1, column 1): check this line's indentation against the lines above")]),
    ("duplicate_key", BASE + "criteria: [{id: value}]\n",
     [(7, 1, "duplicate key 'criteria' (first at line 3): remove one; YAML readers would silently keep the last")]),
    ("duplicate_nested_key", BASE.replace("{id: wait, impacts", "{id: wait, id: hold, impacts"),
     [(6, "id: hold", "duplicate key 'id' (first at line 6): remove one; YAML readers would silently keep the last")]),
    ("unknown_key", BASE.replace("title: T", "titel: T"),
     [(1, "titel", "scenario.titel: unknown key 'titel'; did you mean 'title'?")]),
    ("unknown_top_level_key", BASE.replace("criteria:", "criterias:"),
     [(3, 1, "criterias: unknown key 'criterias'; did you mean 'criteria'?")]),
    ("wrong_type_list", BASE.replace("impacts: {cost: 1}", "impacts: {cost: 1}, evidence: zakharova"),
     [(6, "zakharova", "options[1].evidence: expected a list, got text 'zakharova'")]),
    ("wrong_type_mapping", BASE.replace("actors: {russia: {name: Russia}}", "actors: [russia]"),
     [(2, "[russia]", "actors: expected a mapping actor id -> actor, got a list")]),
    ("wrong_type_number", BASE.replace("cost: 4", "cost: lots"),
     [(5, "lots", "options[0].impacts.cost: 'lots' is not a number, a range or a word of estimative probability")]),
    ("missing_required_field", BASE.replace("{id: s, title: T}", "{id: s}"),
     [(1, "{id: s}", "scenario: missing required key 'title' (Title shown on reports.)")]),
    ("missing_required_in_list", BASE + "sources: {tass: {outlet: TASS}}\nevidence:\n  - {id: zakharova, source: tass}\n",
     [(9, "{id: zakharova", "evidence[0]: missing required key 'claim' (The claim it supports, in the analyst's words.)")]),
    ("duplicate_id", BASE + "  - {id: strikes}\n",
     [(7, "strikes", "options[2].id: duplicate id 'strikes' (also options[0])")]),
    ("unknown_actor", event("{protest: 0.5, arms: 0.5, combat: 0}").replace("actor: russia", "actor: rusia"),
     [(9, "rusia", "events[0].actor: unknown actor 'rusia'; did you mean 'russia'?")]),
    ("unknown_state", event("{protest: 0.5, arms: 0.5, comabt: 0}"),
     [(11, "comabt", "events[0].probability.comabt: unknown state 'comabt' of 'response'; did you mean 'combat'?")]),
    ("unknown_event_in_depends_on", event("{protest: 0.5, arms: 0.5, combat: 0}", "\n    depends_on: [escalation]"),
     [(10, "escalation", "events[0].depends_on[0]: unknown event 'escalation'")]),
    ("probability_above_1", event("{protest: 1.5, arms: otherwise}"),
     [(11, "1.5", "events[0].probability.protest: probability 1.5 is outside [0, 1]")]),
    ("probability_below_0", event("{protest: 0.5, arms: 0.6, combat: -0.1}"),
     [(11, "-0.1", "events[0].probability.combat: probability -0.1 is outside [0, 1]")]),
    ("probability_range_above_1", event("{protest: [0.9, 1.2], arms: otherwise}"),
     [(11, "[0.9", "events[0].probability.protest: probability [0.9, 1.2] is outside [0, 1]")]),
    ("normal_as_probability", event("{protest: {normal: [0.5, 0.1]}, arms: otherwise}"),
     [(11, "{normal", "events[0].probability.protest: a normal distribution can leave [0, 1]: use beta, pert, "
               "a range or a word for a probability")]),
    ("follow_through_above_1", BASE.replace(
        "{russia: {name: Russia}}",
        "{russia: {signals: [{id: s, description: d, kind: cheap_talk, follow_through: 1.2}]}}"),
     [(2, "1.2", "actors.russia.signals[0].follow_through: probability 1.2 is outside [0, 1]")]),
    # the tolerance is 1e-9: 0.5 + 0.500000002 = 1 + 2e-9 is off by twice that
    ("table_sum_off_by_2e-9", event("{protest: 0.5, arms: 0.500000002, combat: 0}"),
     [(11, "{protest", "events[0].probability: probabilities sum to 1.000000002, not 1")]),
    ("table_sum_below_1", event("{protest: 0.5, arms: 0.3}"),
     [(11, "{protest", "events[0].probability: probabilities sum to 0.8, not 1; use 'otherwise' for one state to "
               "take the rest")]),
    ("two_otherwise", event("{protest: 0.5, arms: otherwise, combat: otherwise}"),
     [(11, "otherwise}", "events[0].probability.combat: two 'otherwise' entries (arms, combat): only one state can "
               "take the rest")]),
    ("otherwise_nothing_left", event("{protest: 0.7, arms: 0.4, combat: otherwise}"),
     [(11, "{protest", "events[0].probability: probabilities sum to 1.1 before 'otherwise': nothing is left for "
               "'combat'")]),
    ("cycle", BASE + """\
events:
  - id: escalation
    depends_on: [response]
    states: {high: {}, low: {}}
    probability: {protest: {high: 0.1, low: 0.9}, arms: {high: 0.5, low: 0.5}}
  - id: response
    depends_on: [escalation]
    states: {protest: {}, arms: {}}
    probability: {high: {protest: 0.2, arms: 0.8}, low: {protest: 0.9, arms: 0.1}}
""", [(9, "[response]", "events[0].depends_on: events depend on each other in a cycle: escalation -> response -> escalation")]),
    ("empty_file", "", [(1, 1, "the file is empty: a scenario starts with a 'scenario:' mapping")]),
    ("only_comments", "# a scenario, one day\n\n", [(1, 1, "the file is empty: a scenario starts with a 'scenario:' mapping")]),
    ("top_level_list", "- scenario\n- options\n",
     [(1, 1, "the top level must be a mapping of keys (scenario:, options:, ...), not a list")]),
    ("top_level_text", "just some words\n",
     [(1, 1, "the top level must be a mapping of keys (scenario:, options:, ...), not text 'just some words'")]),
    ("not_utf8", b"scenario: {id: s, title: T}\n# caf\xe9 au lait\n",
     [(2, 6, "byte 0xe9 is not UTF-8: save the file as UTF-8")]),
    ("not_utf8_after_bom", b"\xef\xbb\xbfscenario: {id: s, title: \xc3\x28}\n",
     [(1, 26, "byte 0xc3 is not UTF-8: save the file as UTF-8")]),
    ("python_object_tag", "scenario: !!python/object/apply:os.system [\"touch /tmp/juncture-pwned\"]\n",
     [(1, "!!python", "the tag '!!python/object/apply:os.system' is not allowed (it was not run): a scenario file "
              "holds plain data; remove the tag")]),
    ("python_name_tag", BASE.replace("title: T", "title: !!python/name:os.system ''"),
     [(1, "!!python", "the tag '!!python/name:os.system' is not allowed (it was not run): a scenario file holds "
              "plain data; remove the tag")]),
    ("billion_laughs", BILLION_LAUGHS,
     [(6, "&a5", "aliases here expand to more than 500,000 YAML nodes (an alias bomb?): refused")]),
    ("alias_loop", "scenario: &s [1, *s]\n",
     [(1, "&s", "an alias refers to a mapping or list that contains it (a loop): refused")]),
    ("world_override_unknown_number", BASE + "worlds:\n  w: {overrides: {options.strikes.impacts.csot: 3}}\n",
     [(8, "options.strikes", "worlds.w.overrides.options.strikes.impacts.csot: 'options.strikes.impacts.csot' names no "
              "number in this file; did you mean 'options.strikes.impacts.cost'?")]),
    ("yes_no_state_in_when", event("{protest: 0.5, arms: 0.5, combat: 0}") + "risks: [{id: r, when: {response: no}}]\n",
     [(12, "no}", "risks[0].when.response: expected a state or a list of states, got 'no', which YAML reads as "
               "false (a yes/no value): write 'no' in quotes if you mean the word")]),
    ("three_independent_errors",
     event("{protest: 0.5, arms: 0.6, combat: 0}").replace("direction: min", "direction: mni")
                                              .replace("actor: russia", "actor: rusia"),
     [(3, "mni", "criteria[0].direction: 'mni' is not one of: max, min; did you mean 'min'?"),
      (9, "rusia", "events[0].actor: unknown actor 'rusia'; did you mean 'russia'?"),
      (11, "{protest", "events[0].probability: probabilities sum to 1.1, not 1")]),
]


def expected_lines(path: Path, content: str | bytes, expected: list[tuple[int, int | str, str]]) -> list[str]:
    """FILE:LINE:COL: message for each expected problem, the column found from its text if given so."""
    lines = content.splitlines() if isinstance(content, str) else []
    out = []
    for line, col, message in expected:
        if isinstance(col, str):
            assert col in lines[line - 1], f"{col!r} is not on line {line}"
            col = lines[line - 1].index(col) + 1
        out.append(f"{path}:{line}:{col}: {message}")
    return out


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name, content, expected", BAD, ids=[b[0] for b in BAD])
def test_bad_input_exits_2_with_file_line_col_and_message(tmp_path, capsys, name, content, expected):
    path = write(tmp_path, name, content)
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[:-1] == expected_lines(path, content, expected)
    n = len(expected)
    assert lines[-1] == f"{n} problem{'s' if n > 1 else ''} found; nothing was written."


def test_a_billion_laughs_is_refused_quickly(tmp_path):
    path = write(tmp_path, "bomb", BILLION_LAUGHS)
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match="alias bomb"):
        load(path)
    assert time.perf_counter() - start < 2


def test_python_tags_are_never_run(tmp_path, capsys):
    target = tmp_path / "pwned"
    path = write(tmp_path, "tag", f'scenario: !!python/object/apply:os.system ["touch {target}"]\n'
                                  f'options: !!python/object/apply:subprocess.call [["touch", "{target}"]]\n')
    assert main(["validate", str(path)]) == 2
    assert not target.exists()
    assert "!!python/object/apply:os.system' is not allowed" in capsys.readouterr().err


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:  # a sparse file: the size is what counts, not the content
        fh.truncate(MAX_BYTES + 1)
    start = time.perf_counter()
    with pytest.raises(ScenarioError):
        load(path)
    assert time.perf_counter() - start < 2
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}:1:1: file is {MAX_BYTES + 1:,} bytes; scenario files are limited to {MAX_BYTES:,} bytes")


def test_a_missing_file_and_a_folder_are_bad_input(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml"), str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert f"{tmp_path / 'nope.yaml'}:1:1: no such file: check the path" in err
    assert f"{tmp_path}:1:1: is a folder, not a scenario file" in err


def test_the_table_sum_tolerance_is_1e9(tmp_path, capsys):
    # 0.5 + 0.5000000005 = 1 + 5e-10, inside the tolerance: accepted
    path = write(tmp_path, "ok", event("{protest: 0.5, arms: 0.5000000005, combat: 0}"))
    assert main(["validate", str(path)]) == 0


def test_one_bad_file_among_good_ones_exits_2_and_still_summarises_the_good(tmp_path, capsys):
    good = write(tmp_path, "good", BASE)
    bad = write(tmp_path, "bad", "")
    assert main(["validate", str(good), str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"{good}: ok — T\n")
    assert err.startswith(f"{bad}:1:1: the file is empty")


def test_cli_in_a_subprocess_never_prints_a_traceback(tmp_path, juncture):
    paths = [write(tmp_path, name, content) for name, content, _ in BAD]
    start = time.perf_counter()
    run = juncture("validate", *paths)
    assert time.perf_counter() - start < 20
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    for path, (_, content, expected) in zip(paths, BAD):
        for line in expected_lines(path, content, expected):
            assert line in run.stderr.splitlines()


def test_committed_scenarios_validate_with_a_summary(capsys, monkeypatch):
    # juncture validate scenarios/*.yaml scenarios/reference/*.yaml, from the repository root
    monkeypatch.chdir(REPO)
    files = sorted(glob.glob("scenarios/*.yaml")) + sorted(glob.glob("scenarios/reference/*.yaml"))
    assert files, "no committed scenarios found"
    code = main(["validate", *files])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    for f in files:
        block = out.split(f"{f}: ok — ", 1)[1]
        summary = "\n".join(block.splitlines()[:4])
        assert re.search(r"form: (explicit tree|events|decision matrix); options: \d+; criteria: \d+; "
                         r"events: \d+; risks: \d+; worlds: \d+", summary)
        assert re.search(r"actors: \d+; signals: \d+; sources: \d+; evidence: \d+; "
                         r"assumptions: \d+ \(\d+ load-bearing\)", summary)
        assert re.search(r"numbers: \d+ \(\d+ uncertain\); citing neither evidence nor assumption: \d+", summary)


def test_summary_counts_of_a_known_file(tmp_path, capsys):
    text = event("{protest: likely, arms: 0.1, combat: otherwise}") + (
        "sources: {tass: {outlet: TASS, actor: russia}}\n"
        "evidence: [{id: zakharova, source: tass, claim: Russia will respond.}]\n"
        "assumptions:\n"
        "  - {id: a_costs, statement: Costs are guesses., load_bearing: true}\n"
        "  - {id: a_other, statement: Another.}\n")
    text = text.replace("impacts: {cost: 4}", "impacts: {cost: 4}, assumptions: [a_costs]")
    path = write(tmp_path, "known", text)
    # the critique's count line that validate adds (issue 11) is checked in test_cli_critique.py
    assert main(["validate", "--no-critique", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: ok — T",
        "  form: events; options: 2; criteria: 1; events: 1; risks: 0; worlds: 0",
        "  actors: 1; signals: 0; sources: 1; evidence: 1; assumptions: 2 (1 load-bearing)",
        # 2 impacts + 3 probabilities; the strikes cost cites a_costs; 'likely' is uncertain
        "  numbers: 5 (1 uncertain); citing neither evidence nor assumption: 4",
        "    options.wait.impacts.cost",
        "    events.response.probability.protest",
        "    events.response.probability.arms",
        "    events.response.probability.combat",
    ]


def test_import_model_does_not_import_matplotlib(juncture):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", "import model, sys; assert 'matplotlib' not in sys.modules, "
                          "sorted(m for m in sys.modules if m.startswith('matplotlib'))"],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_a_console_that_cannot_show_the_summary_gets_escapes_not_an_internal_error(tmp_path):
    import os
    import subprocess
    import sys

    path = write(tmp_path, "accents", BASE.replace("title: T", "title: Café crème"))
    run = subprocess.run([sys.executable, "-m", "model", "validate", str(path)], cwd=REPO, capture_output=True,
                         text=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{path}: ok \\u2014 Caf\\xe9 cr\\xe8me\n")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_that_never_ends_is_refused_quickly(capsys):
    start = time.perf_counter()
    with pytest.raises(ScenarioError):
        load("/dev/zero")
    assert time.perf_counter() - start < 2
    assert main(["validate", "/dev/zero"]) == 2
    assert capsys.readouterr().err.startswith(
        f"/dev/zero:1:1: more than {MAX_BYTES:,} bytes; scenario files are limited to that\n")


def test_a_name_the_system_cannot_open_is_bad_input_not_an_internal_error(tmp_path, capsys):
    name = str(tmp_path / ("x" * 300 + ".yaml"))  # longer than a file name may be
    assert main(["validate", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{name}:1:1: ")
    assert "internal error" not in err
