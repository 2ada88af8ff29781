"""Every problem of a file in one round, and no problem that only echoes another.

The loader reads the file's shape (keys, types, number forms) and then its meaning (references,
tables, cycles, worlds). Both passes run whatever the first found; what the first could not read is
not judged again by the second.
"""

from __future__ import annotations

import textwrap

BASE = textwrap.dedent("""\
    scenario: {id: s, title: T}
    actors: {russia: {name: Russia}}
    criteria: [{id: cost, direction: min}]
    options:
      - {id: strikes, impacts: {cost: 4}}
      - {id: wait, impacts: {cost: 1}}
    events:
      - id: response
        actor: russia
        depends_on: [option]
        states: {protest: {}, arms: {}}
        probability: {strikes: {protest: 0.5, arms: 0.5}, wait: {protest: 1, arms: 0}}
""")


def test_a_shape_problem_and_a_bad_reference_are_both_reported(problems):
    text = BASE.replace("title: T", "title: [T]").replace("actor: russia", "actor: rusia")
    assert problems(text) == [
        "f.yaml:1:26: scenario.title: expected text, got a list",
        "f.yaml:9:12: events[0].actor: unknown actor 'rusia'; did you mean 'russia'?",
    ]


def test_a_bad_number_and_a_table_that_does_not_sum_are_both_reported(problems, at):
    text = BASE.replace("impacts: {cost: 4}", "impacts: {cost: lots}").replace("arms: 0.5}", "arms: 0.6}")
    assert problems(text) == [
        f"f.yaml:{at(text, 'lots')}: options[0].impacts.cost: 'lots' is not a number, a range or a word of estimative probability",
        f"f.yaml:{at(text, '{protest: 0.5, arms: 0.6}')}: events[0].probability.strikes: probabilities for "
        "strikes sum to 1.1, not 1",
    ]


def test_a_misspelt_key_is_not_also_reported_missing(problems):
    assert problems(BASE.replace("title: T", "titel: T")) == [
        "f.yaml:1:19: scenario.titel: unknown key 'titel'; did you mean 'title'?"]


def test_misspelt_options_do_not_make_every_reference_to_them_unknown(problems):
    # without the options, the table's 'strikes' and 'wait' and "a scenario needs options" would echo it
    assert problems(BASE.replace("options:", "optionz:")) == [
        "f.yaml:4:1: optionz: unknown key 'optionz'; did you mean 'options'?"]


def test_options_that_cannot_be_read_are_not_reported_again(problems):
    text = BASE.replace("  - {id: strikes, impacts: {cost: 4}}\n  - {id: wait, impacts: {cost: 1}}\n", "  strikes: 1\n")
    assert problems(text) == ["f.yaml:5:3: options: expected a list, got a mapping"]


def test_an_item_that_is_not_a_mapping_is_reported_once(problems):
    text = BASE.replace("- {id: wait, impacts: {cost: 1}}", "- wait")
    assert problems(text) == [
        "f.yaml:6:5: options[1]: expected a mapping with keys id, name, description, impacts, evidence, "
        "assumptions, got text 'wait'"]


def test_states_that_cannot_be_read_leave_the_table_unjudged(problems):
    text = BASE.replace("states: {protest: {}, arms: {}}", "states: [protest, arms]")
    assert problems(text) == ["f.yaml:11:13: events[0].states: expected a mapping state id -> state, got a list"]


def test_an_unreadable_probability_is_not_also_a_wrong_sum(problems, at):
    text = BASE.replace("protest: 0.5,", "protest: likly,")
    assert problems(text) == [
        f"f.yaml:{at(text, 'likly')}: events[0].probability.strikes.protest: 'likly' is not a number, a range or a word of "
        "estimative probability; did you mean 'likely'?"]


def test_a_probability_outside_0_1_is_not_also_a_wrong_sum(problems, at):
    text = BASE.replace("protest: 0.5,", "protest: 1.5,")
    assert problems(text) == [
        f"f.yaml:{at(text, '1.5')}: events[0].probability.strikes.protest: probability 1.5 is outside [0, 1]"]


def test_a_table_under_an_unknown_event_is_not_judged(problems, at):
    text = BASE.replace("depends_on: [option]", "depends_on: [option, escalation]")
    assert problems(text) == [
        f"f.yaml:{at(text, 'escalation')}: events[0].depends_on[1]: unknown event 'escalation'"]


def test_a_missing_required_key_elsewhere_does_not_hide_a_bad_reference(problems):
    text = BASE + "sources: {tass: {outlet: TASS}}\nevidence: [{id: z, source: tas}]\n"
    assert problems(text) == [
        "f.yaml:14:12: evidence[0]: missing required key 'claim' (The claim it supports, in the analyst's words.)",
        "f.yaml:14:28: evidence[0].source: unknown source 'tas'; did you mean 'tass'?",
    ]


def test_a_missing_scenario_block_does_not_stop_the_other_checks(problems):
    text = BASE.replace("scenario: {id: s, title: T}\n", "").replace("actor: russia", "actor: rusia")
    assert problems(text) == [
        "f.yaml:1:1: (top level): missing required key 'scenario' (What the scenario is about.)",
        "f.yaml:8:12: events[0].actor: unknown actor 'rusia'; did you mean 'russia'?",
    ]


def test_a_world_override_is_judged_even_when_another_section_has_problems(problems):
    text = BASE.replace("direction: min", "direction: mni") + "worlds: {w: {overrides: {options.wait.impacts.csot: 2}}}\n"
    assert problems(text) == [
        "f.yaml:3:34: criteria[0].direction: 'mni' is not one of: max, min; did you mean 'min'?",
        "f.yaml:13:26: worlds.w.overrides.options.wait.impacts.csot: 'options.wait.impacts.csot' names no number "
        "in this file; did you mean 'options.wait.impacts.cost'?",
    ]


def test_a_world_override_into_a_section_with_problems_is_not_judged(problems):
    # options[1] could not be read, so 'options.wait...' may well exist once it is fixed
    text = BASE.replace("- {id: wait, impacts: {cost: 1}}", "- wait") + (
        "worlds: {w: {overrides: {options.wait.impacts.cost: 2}}}\n")
    assert len(problems(text)) == 1


def test_unknown_criterion_points_at_the_key(problems, at):
    text = BASE.replace("impacts: {cost: 1}", "impacts: {csot: 1}")
    assert problems(text) == [
        f"f.yaml:{at(text, 'csot')}: options[1].impacts.csot: unknown criterion 'csot'; did you mean 'cost'?"]


def test_no_criteria_at_all(problems, at):
    text = BASE.replace("criteria: [{id: cost, direction: min}]\n", "")
    assert problems(text) == [
        f"f.yaml:{at(text, 'cost')}: options[0].impacts.cost: unknown criterion 'cost': the file defines no criteria",
        f"f.yaml:{at(text, 'cost', 2)}: options[1].impacts.cost: unknown criterion 'cost': the file defines no criteria",
    ]


# --- yes/no: YAML 1.1 reads yes, no, on, off, true, false as booleans; keys stay text ---------------

def test_a_state_named_no_is_a_key_but_no_as_a_value_is_false(problems, at):
    text = BASE.replace("{protest: {}, arms: {}}", "{yes: {}, no: {}}").replace(
        "{strikes: {protest: 0.5, arms: 0.5}, wait: {protest: 1, arms: 0}}",
        "{strikes: {yes: 0.5, no: 0.5}, wait: {yes: 0, no: 1}}")
    text += "risks: [{id: r, when: {response: no}}, {id: q, when: {response: [yes, 'no']}}]\n"
    assert problems(text) == [
        f"f.yaml:{at(text, 'no}')}: risks[0].when.response: expected a state or a list of states, got 'no', which YAML "
        "reads as false (a yes/no value): write 'no' in quotes if you mean the word",
        f"f.yaml:{at(text, '[yes')}: risks[1].when.response: expected a state or a list of states, got 'yes', which YAML "
        "reads as true (a yes/no value): write 'yes' in quotes if you mean the word",
    ]
    fixed = text.replace("{response: no}", "{response: 'no'}").replace("[yes, 'no']", "['yes', 'no']")
    from model.io import loads

    assert loads(fixed).risks[1].when == {"response": ("yes", "no")}


def test_yes_no_in_text_and_in_a_number(problems, at):
    text = BASE.replace("title: T", "title: Off").replace("cost: 4", "cost: on")
    assert problems(text) == [
        f"f.yaml:{at(text, 'Off')}: scenario.title: expected text, got 'Off', which YAML reads as false (a yes/no value): "
        "write 'Off' in quotes if you mean the word",
        f"f.yaml:{at(text, 'on}')}: options[0].impacts.cost: 'on' is read by YAML as true (a yes/no value), not a number",
    ]


def test_yes_no_in_a_choice(problems):
    assert problems(BASE.replace("direction: min", "direction: no")) == [
        "f.yaml:3:34: criteria[0].direction: 'no' is read by YAML as false (a yes/no value), not one of: max, min"]


def test_text_fields_keep_numbers_as_written():
    from model.io import loads

    sc = loads(BASE.replace("title: T", "title: 1984, version: 1.10, horizon: 12"))
    assert (sc.meta.title, sc.meta.version, sc.meta.horizon) == ("1984", "1.10", "12")
