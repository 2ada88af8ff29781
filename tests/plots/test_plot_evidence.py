"""The evidence view: which numbers rest on which evidence and assumptions, and which on nothing."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TEXACO, VENEZUELA
from matplotlib.colors import to_hex

from model.io import iter_numbers, load, loads
from model.plots import evidence_view
from model.plots.evidence import RELIABILITY_COLOURS, number_groups
from model.plots.style import WARNING

from paths import VENEZUELA_FROZEN


@pytest.fixture(scope="module")
def venezuela_sc():
    """The frozen copy of the Venezuela scenario (its evidence ids and grades are pinned below)."""
    return load(str(VENEZUELA_FROZEN))


def _scatter(ax, gid):
    found = [c for c in ax.collections if c.get_gid() == gid]
    return found[0] if found else None


def test_every_number_in_one_row(venezuela_sc):
    groups = number_groups(venezuela_sc)
    assert sum(len(v) for v in groups.values()) == len(list(iter_numbers(venezuela_sc)))
    assert list(groups)[:4] == ["actors.venezuela", "actors.russia", "actors.militia", "criteria (weights)"]
    assert "options.strikes" in groups and "events.russia_response" in groups
    detail = number_groups(venezuela_sc, detail=True)
    assert "criteria.cost" in detail and "risks.full_blown_war" in detail


def test_venezuela_rows_columns_and_marks(venezuela_sc):
    ax = evidence_view(venezuela_sc)
    groups = number_groups(venezuela_sc)
    ylabels = [t.get_text() for t in ax.get_yticklabels()]
    assert ylabels == [f"{g}  ({len(v)})" for g, v in groups.items()]
    xlabels = [t.get_text() for t in ax.get_xticklabels()]
    n_e, n_a = len(venezuela_sc.evidence), len(venezuela_sc.assumptions)
    assert len(xlabels) == n_e + n_a + 1 and xlabels[-1] == "cites nothing"
    # Admiralty grade beside each evidence id: TASS is rated C, Zakharova's statement 3
    assert xlabels[0] == "zakharova_respond  C3"
    # one mark per (row, column) that any number of the row cites
    expected = set()
    cols = [e.id for e in venezuela_sc.evidence] + [a.id for a in venezuela_sc.assumptions]
    for i, refs in enumerate(groups.values()):
        for r in refs:
            expected |= {(cols.index(x), i) for x in r.evidence + r.assumptions}
    marks = set()
    for c in ax.collections:
        if (c.get_gid() or "").startswith(("evidence:", "assumption")):
            marks |= {(int(x), int(y)) for x, y in c.get_offsets()}
    assert marks == expected
    assert _scatter(ax, "uncited") is None                    # every Venezuela number cites something
    assert f"{len(list(iter_numbers(venezuela_sc)))} numbers; 0 cite neither" in ax.get_xlabel()


def test_evidence_coloured_by_reliability_and_load_bearing_emphasised(venezuela_sc):
    ax = evidence_view(venezuela_sc)
    for grade in "BCD":
        sc = _scatter(ax, f"evidence:{grade}")
        assert sc is not None
        assert {to_hex(c) for c in sc.get_facecolors()} == {RELIABILITY_COLOURS[grade]}
    lb = {a.id for a in venezuela_sc.assumptions if a.load_bearing}
    bold = {t.get_text().removesuffix("  ★") for t in ax.get_xticklabels() if t.get_fontweight() == "bold"}
    assert lb <= bold
    filled = _scatter(ax, "assumption:load-bearing").get_facecolors()
    hollow = _scatter(ax, "assumption").get_facecolors()
    assert (filled[:, :3] < 0.2).all() and (hollow[:, :3] == 1).all()
    digits = {t.get_text() for t in ax.texts if t.get_gid() == "credibility"}
    assert digits <= {"1", "2", "3", "4", "5", "6"} and digits


def test_every_number_of_the_bundled_scenario_cites_evidence_or_an_assumption():
    # the living file, as analysts keep it (README: every number cites one or the other)
    sc = load(str(VENEZUELA))
    ax = evidence_view(sc)
    assert _scatter(ax, "uncited") is None
    assert f"{len(list(iter_numbers(sc)))} numbers; 0 cite neither" in ax.get_xlabel()


def test_texaco_numbers_cite_nothing_and_are_flagged():
    sc = load(str(TEXACO))
    ax = evidence_view(sc)
    unc = _scatter(ax, "uncited")
    assert len(unc.get_offsets()) == 2                         # two rows: the two root branches
    counts = [t.get_text() for t in ax.texts if t.get_gid() == "uncited-count"]
    assert counts == ["1/1", "17/17"]
    assert all(to_hex(t.get_color()) == WARNING.lower() for t in ax.get_yticklabels())
    assert ax.get_xlabel().startswith("18 numbers; 18 cite neither")


def test_a_partly_cited_item_gets_small_marks_and_its_uncited_count():
    text = """\
scenario: {id: cite, title: Citations}
sources: {wire: {outlet: Wire, reliability: A}}
evidence: [{id: report, source: wire, claim: it costs 4, credibility: 1}]
assumptions: [{id: guess, statement: the rest, load_bearing: true}]
criteria: [{id: cost, direction: min}]
options:
  - {id: act, impacts: {cost: {value: 4, evidence: [report]}}}
  - {id: wait, impacts: {cost: 1}}
"""
    sc = loads(text, "cite.yaml")
    ax = evidence_view(sc)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["options.act  (1)", "options.wait  (1)"]
    ev = _scatter(ax, "evidence:A")
    assert [tuple(o) for o in ev.get_offsets()] == [(0, 0)]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "credibility"] == ["1"]
    assert np.allclose(_scatter(ax, "uncited").get_offsets(), [(2, 1)])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["report  A1", "guess  ★", "cites nothing"]


def test_wants_a_scenario(venezuela):
    with pytest.raises(TypeError, match="Scenario"):
        evidence_view(venezuela)
