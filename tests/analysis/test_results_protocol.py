"""Every result class of the analyses keeps the one result protocol (`model.results.Result`).

One instance of each class is built on the bundled Venezuela scenario (which has worlds,
signals, indicators and an escalation ladder) and on the oil wildcatter (EVSI); a class added
to these modules without an instance here fails `test_every_result_class_is_covered`.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math

import numpy as np
import pytest
from conftest import REPO

from model import load, loads
from model.analysis import (
    DEFAULT_SEED,
    diff,
    escalation,
    indicators,
    montecarlo,
    robustness,
    sensitivity,
    strategic,
    voi,
)
from model.compile import Model, compile_scenario
from model.evaluate import point
from model.results import Result, Table

MODULES = (montecarlo, sensitivity, voi, robustness, indicators, strategic, escalation, diff)
VENEZUELA = REPO / "scenarios" / "venezuela.yaml"
WILDCATTER = REPO / "scenarios" / "reference" / "oil_wildcatter.yaml"

SMALL = """\
scenario: {id: small, title: Small, decision_maker: us}
actors: {us: {name: Us}, them: {name: Them}}
criteria: [{id: cost, direction: min}]
options: [{id: strikes, impacts: {cost: 4}}, {id: wait, impacts: {cost: 1}}]
events:
  - id: response
    actor: them
    depends_on: [option]
    states: {protest: {}, arms: {impacts: {cost: 2}}}
    probability:
      strikes: {protest: 0.7, arms: 0.3}
      wait: {protest: 1, arms: 0}
"""
"""Two versions of it (strikes' cost 4, then 0.2) make the Diff: the ranking flips."""


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    sc = load(VENEZUELA)
    m = compile_scenario(sc)
    mc = montecarlo.simulate(m, 1_000, seed=3, keep_theta=True, progress=False)
    info = voi.value_of_information(m, 600, seed=3, progress=False)
    rob = robustness.across_worlds(m, include_base=True)
    wl = indicators.watch_list(m)
    old_small, new_small = loads(SMALL, "old.yaml"), loads(SMALL.replace("cost: 4", "cost: 0.2"), "new.yaml")
    wild = compile_scenario(load(WILDCATTER))
    out: dict[str, Result] = {
        "MonteCarlo": mc,
        "Summary": mc.summary(),
        "RiskProfile": mc.risk_profile(points=11),
        "Dominance": mc.dominance(),
        "Tornado": sensitivity.tornado(m),
        "Spider": sensitivity.spider(m, points=3),
        "TwoWay": sensitivity.two_way(m, "criteria.objective_achieved.weight",
                                      "events.maduro_outcome.probability.negotiated_exit.*.removed",
                                      points=4),
        "Thresholds": sensitivity.thresholds(m, points=9),
        "EventEVPI": voi.evpi_events(m),
        "EVPPI": info.evppi,
        "SampleInformation": voi.evsi(wild, "test"),
        "ValueOfInformation": info,
        "Rules": rob.rules,
        "Robustness": rob,
        "Update": indicators.posterior(m, {wl.indicators[0]: True}),
        "WatchList": wl,
        "Credibility": strategic.credibility(m),
        "Ladder": escalation.ladder_draws(m, 200, seed=3),
        "Diff": diff.diff(old_small, new_small),
    }
    return out


def result_classes() -> set[str]:
    return {name for mod in MODULES for name, obj in vars(mod).items()
            if inspect.isclass(obj) and issubclass(obj, Result) and obj is not Result and obj.__module__ == mod.__name__}


def test_every_result_class_is_covered(results):
    missing = result_classes() - set(results)
    assert not missing, f"no instance of {sorted(missing)} in the fixture: add one"
    for name, r in results.items():
        assert type(r).__name__ == name and isinstance(r, Result)


def _no_nan(obj) -> None:
    if isinstance(obj, float):
        assert math.isfinite(obj)
    elif isinstance(obj, dict):
        for v in obj.values():
            _no_nan(v)
    elif isinstance(obj, list):
        for v in obj:
            _no_nan(v)


@pytest.mark.parametrize("name", sorted(result_classes()))
def test_the_protocol(results, name):
    r = results[name]
    t = r.table()
    assert isinstance(t, Table) and t.rows
    frame = r.to_frame()
    assert list(frame.index) == list(t.rows) and list(frame.columns) == list(t.columns)
    html = r._repr_html_()
    assert html.startswith("<div>") and t.title.split(":")[0] in html
    # a title longer than the terminal width wraps over lines
    assert str(r).startswith(t.title) or " ".join(t.title.split()) in " ".join(str(r).split())
    d = r.to_dict()
    back = json.loads(r.to_json(), parse_constant=lambda c: pytest.fail(f"{name}.to_json() wrote {c}"))
    _no_nan(back)
    assert back == json.loads(json.dumps(d, default=lambda v: v.item() if hasattr(v, "item") else str(v)))


def test_frozen_results_stay_frozen(results):
    for r in results.values():
        if dataclasses.is_dataclass(r):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(r, dataclasses.fields(r)[0].name, None)


@pytest.mark.parametrize("name", ["Update", "WatchList", "Credibility", "Ladder"])
def test_to_table_is_kept_as_an_alias_of_table(results, name):
    r = results[name]
    assert r.to_table().to_dict() == r.table().to_dict()


def test_simulate_json_is_the_monte_carlo_to_dict(juncture):
    # `juncture simulate --json` builds its output itself; MonteCarlo.to_dict() must give the same
    run = juncture("simulate", WILDCATTER, "--samples", 300, "--json")
    assert run.returncode == 0
    mc = montecarlo.simulate(compile_scenario(load(WILDCATTER)), 300, progress=False)
    assert json.loads(run.stdout) == json.loads(mc.to_json())


# ---------------------------------------------------------------------------- seeds
def test_seed_none_is_the_default_seed():
    m = compile_scenario(load(VENEZUELA))
    a = montecarlo.simulate(m, 300, seed=None, progress=False)
    b = montecarlo.simulate(m, 300, seed=DEFAULT_SEED, progress=False)
    assert a.seed == DEFAULT_SEED and np.array_equal(a.utility, b.utility)
    assert not np.array_equal(a.utility, montecarlo.simulate(m, 300, seed=1, progress=False).utility)
    va = voi.value_of_information(m, 300, seed=None, progress=False)
    vb = voi.value_of_information(m, 300, seed=DEFAULT_SEED, progress=False)
    assert va.seed == DEFAULT_SEED and va.to_dict() == vb.to_dict()
    la, lb = escalation.ladder_draws(m, 50, seed=None), escalation.ladder_draws(m, 50)
    assert np.array_equal(la.crossing, lb.crossing)


def test_stochastic_entry_points_default_to_the_documented_seed():
    for fn in (montecarlo.simulate, voi.value_of_information, escalation.ladder_draws):
        assert inspect.signature(fn).parameters["seed"].default == DEFAULT_SEED, fn.__name__


# ---------------------------------------------------------------------------- parameters in use
def test_parameter_index_arrays_are_the_models_index_fields():
    # every integer array field of Model named *_param holds parameter indices; the list in
    # sensitivity must name each of them (a new one in compile must be added there)
    m = compile_scenario(load(VENEZUELA))
    fields = {f.name for f in dataclasses.fields(Model) if f.name.endswith("_param")
              and isinstance(getattr(m, f.name), np.ndarray) and getattr(m, f.name).dtype.kind in "iu"}
    assert set(sensitivity.PARAMETER_INDEX_ARRAYS) == fields


def test_used_parameters_are_every_index_the_arrays_hold():
    m = compile_scenario(load(VENEZUELA))
    expected = set()
    for name in ("weight_param", "entry_param", "pay_param", "apay_param", "acw_param"):
        a = getattr(m, name)
        expected.update(int(i) for i in a if i >= 0)
    assert sensitivity.used_parameters(m).tolist() == sorted(expected)
    assert len(m.apay_param) and len(m.acw_param)  # the bundled file has players: both arrays count
    point(m)  # and the model still evaluates
