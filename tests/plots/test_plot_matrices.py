"""Heat map, response bars and risk matrix: what each shows, checked without looking at pixels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from model.analysis import matrices
from model.plots import consequence_heatmap, response_bars, risk_matrix
from model.plots._common import fmt, fmt_p


def _texts(ax, gid):
    return [t for t in ax.texts if t.get_gid() == gid]


# -------------------------------------------------------------------------------------- heat map
def test_heatmap_one_cell_per_option_and_criterion(venezuela):
    tab = matrices.consequences(venezuela)
    ax = consequence_heatmap(tab)
    m = venezuela.model
    (img,) = [i for i in ax.images if i.get_gid() == "cells"]
    assert img.get_array().shape == (len(m.criteria), len(m.options)) == (7, 4)
    labels = _texts(ax, "cell-label")
    assert len(labels) == 7 * 4
    # each cell shows the table's number, not one computed here
    shown = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in labels}
    assert shown[(m.criteria.index("us_casualties"), m.options.index("seize_infrastructure"))] == \
        fmt(tab.cell("seize_infrastructure", "us_casualties"))
    # colour is the value score, 0-1
    arr = np.asarray(img.get_array())
    j = m.options.index("status_quo")
    assert arr[m.criteria.index("cost"), j] == pytest.approx(tab.cell("status_quo", "cost score"))
    assert img.get_clim() == (0.0, 1.0)


def test_heatmap_labels_are_the_analysts_ids_with_units(venezuela):
    ax = consequence_heatmap(matrices.consequences(venezuela))
    assert [t.get_text() for t in ax.get_xticklabels()] == list(venezuela.model.options)
    ylabels = [t.get_text() for t in ax.get_yticklabels()]
    assert [y.split("\n")[0] for y in ylabels] == list(venezuela.model.criteria)
    assert "us_casualties\n(deaths)" in ylabels and "cost\n(USD bn)" in ylabels
    cbar = ax.get_figure().axes[-1]
    assert "value score" in cbar.get_ylabel()


def test_heatmap_single_raw_criterion_is_coloured_by_its_value(texaco):
    ax = consequence_heatmap(matrices.consequences(texaco))
    (img,) = ax.images
    assert img.get_array().shape == (1, 2)
    assert np.asarray(img.get_array())[0].tolist() == pytest.approx([2.0, 4.6348])
    assert ax.get_figure().axes[-1].get_ylabel() == "payoff (USD bn)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["accept_2bn", "counteroffer_5bn"]


def test_heatmap_shows_intervals_when_the_table_has_them(texaco):
    tab = matrices.consequences(texaco)
    v = np.array(tab.values, dtype=float)
    tab = dataclasses.replace(tab, meta={"low": v - 1, "high": v + 1})
    ax = consequence_heatmap(tab)
    assert [t.get_text() for t in _texts(ax, "cell-label")] == ["2.00\n[1.00, 3.00]", "4.63\n[3.63, 5.63]"]


def test_heatmap_refuses_intervals_of_the_wrong_shape(texaco):
    tab = dataclasses.replace(matrices.consequences(texaco), meta={"low": [1], "high": [2]})
    with pytest.raises(ValueError, match="shaped like its values"):
        consequence_heatmap(tab)


def test_heatmap_wants_a_table():
    with pytest.raises(TypeError, match="Table"):
        consequence_heatmap({"a": 1})


# --------------------------------------------------------------------------------- response bars
def test_response_bars_one_segment_per_nonzero_probability(venezuela):
    tab = matrices.responses(venezuela)
    ax = response_bars(tab)
    v = np.array(tab.values, dtype=float)
    assert len(ax.patches) == int((v > 0).sum())
    # every bar sums to one within its event
    widths: dict[tuple[str, str], float] = {}
    for p in ax.patches:
        event_state, option = p.get_gid().split("|")
        widths[(event_state.rpartition("=")[0], option)] = widths.get((event_state.rpartition("=")[0], option), 0) \
            + p.get_width()
    assert all(w == pytest.approx(1.0) for w in widths.values())


def test_response_bars_options_per_event_and_a_legend_of_states_each(venezuela):
    ax = response_bars(matrices.responses(venezuela))
    opts = list(venezuela.model.options)
    # the actors' response events of the file, in file order (an actor's hidden type is not a response)
    events = [e for e in venezuela.model.scenario.events
              if e.kind != "type" and (e.actor is not None or e.kind == "response")]
    assert [t.get_text() for t in ax.get_yticklabels()] == opts * len(events)
    headers = [t.get_text() for t in ax.texts if t.get_gid() == "event-header"]
    assert headers == [f"{e.actor or e.id}: {e.id}" for e in events]
    assert "russia: russia_response" in headers and "russia: russia_type" not in headers
    legends = {a.get_title().get_text(): [t.get_text() for t in a.get_texts()]
               for a in ax.artists if a.get_gid() and a.get_gid().startswith("legend:")}
    assert legends["russia_response"] == ["protest", "arms_deliveries", "direct_support"]
    assert "(0-1)" in ax.get_xlabel()


def test_response_bar_labels_are_the_tables_probabilities(venezuela):
    tab = matrices.responses(venezuela)
    ax = response_bars(tab)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "segment-label"]
    table_p = {fmt_p(v) for row in tab.values for v in row}
    assert labels and set(labels) <= table_p
    # 0.325 committed x 0.275 + 0.675 opportunistic x 0.03 = 0.1096
    assert fmt_p(tab.cell("strikes", "russia: russia_response=direct_support")) == "0.11"
    assert "0.11" in labels


def test_response_bars_without_responses_say_so(texaco):
    ax = response_bars(matrices.responses(texaco))
    assert ax.get_gid() == "empty"
    assert "no actor response" in ax.texts[0].get_text()


# ----------------------------------------------------------------------------------- risk matrix
def _points(ax):
    return {ln.get_gid()[len("point:"):]: ln for ln in ax.lines if (ln.get_gid() or "").startswith("point:")}


def test_risk_matrix_places_every_risk_and_option_by_probability(venezuela):
    tab = matrices.risks(venezuela)
    ax = risk_matrix(tab)
    pts = _points(ax)
    assert set(pts) == set(tab.rows)                     # 5 risks x 4 options
    for row, ln in pts.items():
        assert ln.get_xdata()[0] == pytest.approx(tab.cell(row, "probability"))
        # each point sits in its severity band
        assert abs(ln.get_ydata()[0] - tab.cell(row, "severity")) < 0.5
    labels = sorted(t.get_text() for t in ax.texts if t.get_gid() == "point-label")
    assert labels == sorted(fmt_p(tab.cell(r, "probability")) for r in tab.rows)


def test_risk_matrix_numbers_are_written_and_bands_are_background(venezuela):
    ax = risk_matrix(matrices.risks(venezuela))
    bands = [p for p in ax.patches if p.get_gid() == "band"]
    assert len(bands) == 5 * 5
    assert all(b.get_zorder() < 1 for b in bands)
    assert "probability" in ax.get_xlabel() and "(0-1)" in ax.get_xlabel()
    assert ax.get_ylabel().startswith("severity (1-5")
    names = [t.get_text() for t in ax.texts if t.get_gid() == "risk-name"]
    assert names == list(venezuela.model.risks)
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == list(venezuela.model.options)


def test_risk_matrix_points_do_not_hide_each_other(venezuela):
    ax = risk_matrix(matrices.risks(venezuela))
    xy = np.array([(ln.get_xdata()[0], ln.get_ydata()[0]) for ln in _points(ax).values()])
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(d, np.inf)
    assert d.min() > 0.04


def test_risk_matrix_by_a_criterion_and_with_intervals(venezuela):
    tab = matrices.risks(venezuela)
    v = np.array([[np.nan if x is None else x for x in row] for row in tab.values], dtype=float)
    tab = dataclasses.replace(tab, meta={"low": v * 0.8, "high": v * 1.2})
    ax = risk_matrix(tab, impact="us_casualties")
    assert ax.get_ylabel() == "us_casualties given the risk occurs (deaths)"
    pts = _points(ax)
    assert len(pts) == int(np.isfinite(v[:, tab.columns.index("us_casualties")]).sum())
    assert len(ax.containers) == len(pts)              # one error bar per point
    with pytest.raises(ValueError, match="no column 'deaths'"):
        risk_matrix(tab, impact="deaths")


def test_risk_matrix_without_risks_says_so(texaco):
    ax = risk_matrix(matrices.risks(texaco))
    assert ax.get_gid() == "empty"
    assert "names no risks" in ax.texts[0].get_text()
