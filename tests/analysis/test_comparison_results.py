"""MultiCriteria, Smaa and Weights follow the common result protocol (`model.results.Result`):
table(), to_frame(), to_dict(), to_json() and HTML, with their own to_dict shapes kept."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from model import load
from model.analysis.mcda import compare
from model.analysis.smaa import smaa
from model.analysis.weights import available, criterion_weights
from model.compile import compile_scenario
from model.results import Result, Table


@pytest.fixture(scope="module")
def m():
    return compile_scenario(load(REPO / "scenarios" / "reference" / "topsis_phones.yaml"))


def protocol(r: Result, title: str) -> dict:
    assert isinstance(r, Result)
    t = r.table()
    assert isinstance(t, Table) and t.title == title
    assert r.to_frame().shape == (len(t.rows), len(t.columns))
    assert title in r._repr_html_() and str(r) == t.to_text()
    d = json.loads(r.to_json())
    assert d == json.loads(json.dumps(r.to_dict(), default=float))
    return d


def test_a_comparison_is_a_result(m):
    r = compare(m, "topsis")
    d = protocol(r, "Ranking (topsis)")
    assert list(d) == ["method", "scores", "ranking", "ranks", "best", "ties", "weighting", "weights",
                       "choices", "pareto", "matrix"]
    assert "TOPSIS" in r._repr_html_()  # the notebook view keeps the detail table


def test_smaa_is_a_result(m):
    r = smaa(m, 200, seed=3)
    d = protocol(r, "Rank acceptability (SMAA)")
    assert d["samples"] == 200 and d["ranking"] == r.ranking


def test_weights_are_a_result(m):
    for w in available(m):
        d = protocol(w, f"Weights ({w.label})")
        assert d["weights"] == pytest.approx(w.as_dict()) and d["label"] == w.label
    w = criterion_weights(m, "equal")
    assert w.to_dict()["inputs"] is None and w.table().columns == ("weight",)
