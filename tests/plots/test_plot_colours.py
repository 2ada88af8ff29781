"""Colours mean one thing across figures, and figures show the file's names (issue 12, items 5-6).

Read back from the matplotlib artists: an option has the colour of its place in the file in every
figure; a state has the colour of its place on the one calm-to-escalation scale in every figure;
a criterion where less is better has its larger value at the worse end of that scale.
"""

from __future__ import annotations

import re

import pytest
from matplotlib.colors import to_hex

from model.analysis.escalation import state_levels
from model.io import load
from model.plots import consequence_heatmap, style
from model.report.recipes import RECIPES, Inputs
from model.results import table

from paths import VENEZUELA_FROZEN

GREEN, VERMILLION = "#009e73", "#d55e00"
"""The ends of the calm/better to escalation/worse scale: Okabe-Ito bluish green and vermillion."""


@pytest.fixture(scope="module")
def inputs():
    return Inputs(load(VENEZUELA_FROZEN), samples=300)


def _draw(inputs, name, **options):
    inp = inputs.replace(**options) if options else inputs
    return RECIPES[name].figure(inp)


def _by_gid(ax, gid):
    found = [a for a in [*ax.patches, *ax.lines, *ax.collections] if a.get_gid() == gid]
    assert found, gid
    return found[0]


def test_an_option_has_the_colour_of_its_place_in_the_file_in_every_figure(inputs):
    opts = list(inputs.model.options)
    # status_quo is the file's 4th option: the 4th colour of the palette, Okabe-Ito sky blue
    assert opts.index("status_quo") == 3 and style.PALETTE[3] == style.OKABE_ITO["sky_blue"]
    want = style.OKABE_ITO["sky_blue"].lower()
    p_best = _by_gid(_draw(inputs, "p-best"), "p-best:status_quo")
    profile = _by_gid(_draw(inputs, "risk-profile"), "profile:status_quo")
    risks = _by_gid(_draw(inputs, "risks"), "point:full_blown_war | status_quo")
    ladder = _by_gid(_draw(inputs, "ladder"), "rung:status_quo:pressure")
    swatch = _by_gid(_draw(inputs, "acceptability"), "swatch:status_quo")
    assert to_hex(p_best.get_facecolor()) == want
    assert to_hex(profile.get_color()) == want
    assert to_hex(risks.get_markeredgecolor()) == want
    assert to_hex(ladder.get_facecolor()) == want
    assert to_hex(swatch.get_markerfacecolor()) == want
    # and another option keeps its own: strikes is first, Okabe-Ito blue, in both bar figures
    assert to_hex(_by_gid(_draw(inputs, "p-best"), "p-best:strikes").get_facecolor()) == \
        to_hex(_by_gid(_draw(inputs, "ladder"), "rung:strikes:limited_force").get_facecolor()) == \
        style.OKABE_ITO["blue"].lower()


def test_a_state_has_the_colour_of_its_place_from_calm_to_escalation_in_every_figure(inputs):
    # the file's ladder has 5 rungs; it places arms deliveries on the 2nd (Outside arms: 1/4 of the
    # way up) and direct support on the 5th (Great-power confrontation: the top, 4/4)
    levels = state_levels(inputs.scenario)
    assert levels["russia_response.arms_deliveries"] == pytest.approx(0.25)
    assert levels["russia_response.direct_support"] == pytest.approx(1.0)
    assert levels["russia_response.protest"] == 0.0          # on no rung: it adds nothing, calm
    responses = _draw(inputs, "responses")
    ladder = _draw(inputs, "ladder")
    for state, rung in (("direct_support", "great_power"), ("arms_deliveries", "arms_race")):
        segment = _by_gid(responses, f"russia: russia_response={state}|strikes")
        swatch = _by_gid(ladder, f"rung-colour:{rung}")
        assert to_hex(segment.get_facecolor()) == to_hex(swatch.get_markerfacecolor())
    assert to_hex(_by_gid(responses, "russia: russia_response=direct_support|strikes").get_facecolor()) == VERMILLION
    assert to_hex(_by_gid(responses, "russia: russia_response=protest|strikes").get_facecolor()) == GREEN


def test_states_no_ladder_places_take_the_severity_of_the_risks_that_name_them(inputs):
    levels = state_levels(inputs.scenario)
    # the militia's mobilisation is on no rung; 'Mass militia resistance' (severity 3) names
    # mobilised: 0.5 + (3 - 1) / 8 = 0.75; Congress restricting is severity 2: 0.5 + 1/8 = 0.625
    assert levels["militia_mobilisation.mobilised"] == pytest.approx(0.75)
    assert levels["militia_mobilisation.not_mobilised"] == 0.0
    assert levels["congress_response.restricts"] == pytest.approx(0.625)


def test_a_harm_criterion_has_its_worse_value_at_the_worse_end():
    # one criterion, less is better: 3 harms more than 1, so it is the worse end (vermillion) and
    # 1 the better end (green), whatever the numbers' order on the page
    tab = table("Expected consequences", "option", ["calm", "harsh"], ["harm"], [[1.0], [3.0]],
                directions={"harm": -1})
    ax = consequence_heatmap(tab)
    (img,) = ax.images
    fill = {o: to_hex(img.cmap(img.norm(v))) for o, v in (("calm", 1.0), ("harsh", 3.0))}
    assert fill == {"calm": GREEN, "harsh": VERMILLION}
    # the same harm with more is better would run the other way
    tab = table("Expected consequences", "option", ["calm", "harsh"], ["gain"], [[1.0], [3.0]],
                directions={"gain": 1})
    (img,) = consequence_heatmap(tab).images
    assert to_hex(img.cmap(img.norm(3.0))) == GREEN


def test_scored_harm_on_the_bundled_scenario_is_worse_where_it_is_larger(inputs):
    # Civilian harm (less is better): the large force's expected harm is above no attack's, so its
    # cell must be nearer the worse end; a score of 0 is vermillion, 1 green
    ax = _draw(inputs, "consequences")
    (img,) = ax.images
    tab = inputs.result("consequences")
    assert tab.cell("seize_infrastructure", "civilian_harm") > tab.cell("status_quo", "civilian_harm")
    worse = tab.cell("seize_infrastructure", "civilian_harm score")
    better = tab.cell("status_quo", "civilian_harm score")
    assert worse < better
    assert to_hex(img.cmap(img.norm(0.0))) == VERMILLION and to_hex(img.cmap(img.norm(1.0))) == GREEN


def _texts(ax):
    fig = ax.get_figure()
    out = []
    for a in fig.axes:
        out += [a.get_title(), a.get_title(loc="left"), a.get_xlabel(), a.get_ylabel()]
        out += [t.get_text() for t in [*a.get_xticklabels(), *a.get_yticklabels(), *a.texts]]
        for leg in [a.get_legend(), *[x for x in a.artists if hasattr(x, "get_texts")]]:
            if leg is not None:
                out += [t.get_text() for t in leg.get_texts()] + [leg.get_title().get_text()]
    return "\n".join(out)


@pytest.mark.parametrize("name", ["p-best", "utility", "risk-profile", "tornado", "regret", "acceptability",
                                  "ladder", "responses", "tree", "ranks"])
def test_figures_show_names_where_the_file_gives_them(inputs, name):
    sc = inputs.scenario
    # every id with an underscore that the file names (an option, criterion, event, actor...), and
    # every parameter path: none may show where a name exists
    named = {x.id for group in (sc.options, sc.criteria, sc.events, sc.risks) for x in group if x.name} | \
        {k for k, a in sc.actors.items() if a.name}
    ids = sorted(i for i in named if "_" in i)
    text = _texts(_draw(inputs, name))
    shown = [i for i in ids if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", text)]
    assert not shown, (name, shown)
    assert not re.search(r"\b(events|options|criteria|actors)\.\w+\.", text), name


def test_a_state_a_risk_names_is_the_escalated_one_even_listed_first():
    import model

    # 'mobilised' is listed first, so by order alone it would be the calm end; the risk that names
    # it (its severity derived from the model) marks it as the bad state: 1, the other 0
    sc = model.loads(
        "scenario: {id: two-states, title: Two states}\n"
        "criteria: [{id: harm, direction: min, range: [0, 10]}]\n"
        "options: [{id: act, impacts: {harm: 1}}, {id: wait, impacts: {harm: 0}}]\n"
        "events:\n"
        "  - id: militia\n"
        "    states: {mobilised: {impacts: {harm: 5}}, stays_home: {}}\n"
        "    probability: {mobilised: 0.3, stays_home: 0.7}\n"
        "risks:\n"
        "  - {id: resistance, when: {militia: mobilised}, severity_from: consequences}\n", "two_states.yaml")
    assert state_levels(sc) == {"militia.mobilised": 1.0, "militia.stays_home": 0.0}
