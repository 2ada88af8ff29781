"""The JSON Schema editors use: committed, current, valid, and agreeing with the committed scenarios."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_loader import EXTENDED, RICH, TEXACO, mutated

from model.io import ScenarioError, load, loads
from model.io.schema import schema_json

from paths import VENEZUELA_FROZEN

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILE = REPO / "scenarios" / "scenario.schema.json"
SCENARIOS = sorted((REPO / "scenarios").glob("*.yaml")) + sorted((REPO / "scenarios" / "reference").glob("*.yaml"))
WITH_FROZEN = [*SCENARIOS, VENEZUELA_FROZEN]
"""The committed scenarios and the tests' frozen copy of the Venezuela one, which must stay valid too."""


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def test_committed_schema_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), (
        "scenarios/scenario.schema.json is stale: run `juncture schema -o scenarios/scenario.schema.json`")


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_json()))


def test_there_are_committed_scenarios():
    assert any(p.parent.name == "reference" for p in SCENARIOS)


@pytest.mark.parametrize("path", WITH_FROZEN, ids=lambda p: str(p.relative_to(REPO)))
def test_committed_scenario_validates_against_the_schema(validator, path):
    data = load(path).document.data  # as the loader read it (dates kept as text, as editors do)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", WITH_FROZEN, ids=lambda p: str(p.relative_to(REPO)))
def test_committed_scenario_first_line_names_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (path.parent / first[len(prefix):]).resolve() == SCHEMA_FILE


def test_the_schema_refuses_what_the_loader_refuses_as_shape(validator):
    # the editor's view and the loader's agree on an unknown key and a missing required key
    assert list(validator.iter_errors({"scenario": {"id": "s", "titel": "T"}}))
    assert not list(validator.iter_errors(loads(
        "scenario: {id: s, title: T}\noptions: [{id: a}]\n").document.data))


def test_schema_command_writes_the_committed_text(tmp_path, capsys):
    from model.cli import main

    out = tmp_path / "schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == schema_json()
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_json()


def test_empty_optional_values_are_allowed_by_both(validator):
    # `protest:` with nothing, `description:` with nothing: the loader reads them as left out
    text = ("scenario: {id: s, title: T, description: }\ncriteria: [{id: c, weight: ~, direction: }]\n"
            "options: [{id: a, impacts: {c: 1}}]\nactors: {x: }\n")
    assert list(validator.iter_errors(loads(text).document.data)) == []
    assert list(validator.iter_errors({"scenario": {"id": "s", "title": None}}))  # required: not empty


@settings(max_examples=int(os.environ.get("JUNCTURE_FUZZ_EXAMPLES", "200")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(RICH), mutated(EXTENDED), mutated(TEXACO)))
def test_what_the_loader_accepts_the_schema_accepts(validator, text):
    # an editor must not flag a file that `juncture validate` accepts
    try:
        sc = loads(text)
    except ScenarioError:
        return
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(sc.document.data)]
    assert errors == []
