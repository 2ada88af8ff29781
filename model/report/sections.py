"""The sections of the report, in order; each runs its analyses through a shared `Context`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..io import Scenario
from . import _esc, _text_table, evidence_rows, render_figure


@dataclass
class Context:
    """What the sections share: the scenario, its compiled model and the analyses run so far."""

    scenario: Scenario
    samples: int
    seed: int
    tree_depth: int | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    @functools.cached_property
    def model(self) -> Any:
        from ..compile import compile_scenario

        return compile_scenario(self.scenario)

    @functools.cached_property
    def point(self) -> Any:
        from ..evaluate import point

        return point(self.model)


def summary(ctx: Context, page: Any) -> None:
    from ..analysis import matrices

    ev = ctx.point
    page.section("summary", "Summary")
    best = ev.best_options()
    verdict = (f"At the point values of every number, {' and '.join(best)} "
               f"{'tie for' if len(best) > 1 else 'has'} the highest expected "
               f"{'utility' if ctx.model.risk_tolerance else 'value'}.")
    page.p(verdict)
    page.table(matrices.ranking(ev))
    pol = ev.policy()
    if pol:
        page.raw(_text_table(["later decision", "best choice"], [[k, " = ".join(v)] for k, v in pol.items()]))


def options(ctx: Context, page: Any) -> None:
    sc = ctx.scenario
    page.section("options", "Options")
    if sc.tree is not None:
        page.p("Options: " + ", ".join(sc.option_ids) + " (an explicit decision tree).")
        return
    page.raw(_text_table(["option", "name", "description", "rests on"],
                         [[o.id, o.name, o.description, ", ".join(o.evidence + o.assumptions)] for o in sc.options]))


def consequences(ctx: Context, page: Any) -> None:
    from ..analysis import matrices
    from ..plots import consequence_heatmap

    page.section("consequences", "Consequences (option x criterion)")
    tab = matrices.consequences(ctx.point)
    page.figure(render_figure(lambda ax: consequence_heatmap(tab, ax=ax), "consequences",
                              "Expected consequence of each option on each criterion, coloured by value score "
                              "(0 worst, 1 best on the criterion's range)."))
    page.table(tab)
    page.table(matrices.dominance(ctx.point))


def responses(ctx: Context, page: Any) -> bool:
    from ..analysis import matrices
    from ..plots import response_bars

    tab = matrices.responses(ctx.point)
    if not tab.columns:
        return False
    page.section("responses", "Actor responses (option x actor)")
    page.figure(render_figure(lambda ax: response_bars(tab, ax=ax), "responses",
                              "Probability of each response of each actor, per option."))
    page.table(tab)
    return True


def risks(ctx: Context, page: Any) -> bool:
    from ..analysis import matrices
    from ..plots import risk_matrix

    if not ctx.model.risks:
        return False
    tab = matrices.risks(ctx.point)
    page.section("risks", "Risks: likelihood and impact")
    page.figure(render_figure(lambda ax: risk_matrix(tab, ax=ax), "risks",
                              "Each risk under each option, placed by its probability and severity; the numbers "
                              "behind every point are in the table."))
    page.table(tab)
    return True


LADDER_SAMPLES = 2_000
"""Most draws the ladder section uses (it keeps every node's reach probability per draw)."""


def ladder(ctx: Context, page: Any) -> bool:
    from ..analysis.escalation import ladder_draws
    from ..plots import escalation_ladder

    if ctx.scenario.escalation is None:
        return False
    n = min(ctx.samples, LADDER_SAMPLES)
    lad = ctx.get("ladder", lambda: ladder_draws(ctx.model, n, seed=ctx.seed))
    d = lad.to_dict()
    page.section("ladder", "Escalation ladder")
    page.p(f"The file places options and event states on {len(lad.rungs)} rungs, lowest first: "
           f"{', '.join(lad.rung_names)}. A path stands on the highest rung of its option and of the states on "
           f"it; each option's chance of ending on each rung is the mean of {lad.n_samples:,} draws of the file's "
           f"numbers (seed {ctx.seed}).")
    lines = []
    for th in lad.thresholds:
        parts = []
        for o in lad.options:
            rec = d["options"][o]
            lo, hi = rec.get("crossing_90", {}).get(th, (None, None))
            parts.append(f"{o} {rec['crossing'][th]:.3f}" + (f" (90%: {lo:.3f}-{hi:.3f})" if lo is not None and
                                                              hi - lo >= 5e-4 else ""))
        lines.append(f"{th} (at {d['thresholds'][th]}): " + "; ".join(parts))
    if lines:
        page.p("Probability of crossing each threshold:")
        page.raw(_list(lines))
    page.figure(render_figure(lambda ax: escalation_ladder(lad, ax=ax), "ladder",
                              "Each option's chance of ending on each rung of the escalation ladder, its own rung "
                              "outlined; dashed lines are the thresholds, with each option's chance of crossing."))
    page.table(lad.to_table())
    return True


def tree(ctx: Context, page: Any) -> None:
    from ..plots import decision_tree
    from ..plots.tree import auto_depth

    ev = ctx.point
    depth = ctx.tree_depth if ctx.tree_depth is not None else auto_depth(ev, 60)
    page.section("tree", "Decision tree")
    note = f" Collapsed below depth {depth}." if depth is not None else ""
    page.figure(render_figure(lambda ax: decision_tree(ev, ax=ax, depth=depth), "tree",
                              "The rolled-back tree: squares decide, circles are chance, triangles end; the "
                              f"best path is emphasised.{note}"))


def evidence(ctx: Context, page: Any) -> None:
    from ..plots import evidence_view

    sc = ctx.scenario
    page.section("evidence", "Evidence and assumptions")
    src, ev, asm = evidence_rows(sc)
    if src:
        page.raw("<h3>Sources</h3>")
        page.raw(_text_table(["source", "outlet or speaker", "kind", "affiliated with", "reliability (A-F)", "notes"], src))
    if ev:
        page.raw("<h3>Evidence</h3>")
        page.p("Grade: source reliability (A completely reliable ... F cannot be judged) and information "
               "credibility (1 confirmed ... 6 cannot be judged), graded separately. Self-reported: the "
               "source's own actor is the subject.")
        page.raw(_text_table(["id", "source", "grade", "self-reported", "quote", "claim", "figures",
                              "numbers citing it"], ev))
    if asm:
        page.raw("<h3>Assumptions</h3>")
        page.raw(_text_table(["id", "", "statement", "rationale", "would be wrong if", "confidence",
                              "numbers resting on it"], asm))
    from ..io import iter_numbers

    uncited = [r.name for r in iter_numbers(sc) if not r.cited]
    page.p(f"{len(uncited)} number(s) cite neither evidence nor an assumption"
           + (": " + ", ".join(uncited[:30]) + (" ..." if len(uncited) > 30 else "") if uncited else "."))
    if sc.evidence or sc.assumptions:
        page.figure(render_figure(lambda ax: evidence_view(sc, ax=ax), "evidence",
                                  "Which numbers rest on which evidence and assumptions."))


# ------------------------------------------------------------------- uncertainty, sensitivity, voi
VOI_SAMPLES = 5_000
"""Most draws the value-of-information section uses (EVPPI regresses every number on them; 5,000
keep its standard errors well below the values that matter and the section to a few seconds)."""

TORNADO_ROWS = 12
"""Numbers shown in the report's tornado (the table below it has the same rows)."""


def _montecarlo(ctx: Context) -> Any:
    from ..analysis.montecarlo import simulate

    return ctx.get("montecarlo", lambda: simulate(ctx.model, ctx.samples, seed=ctx.seed, progress=False))


def _tornado(ctx: Context) -> Any:
    from ..analysis.sensitivity import tornado

    return ctx.get("tornado", lambda: tornado(ctx.model))


def _thresholds(ctx: Context) -> Any:
    from ..analysis.sensitivity import thresholds

    return ctx.get("thresholds", lambda: thresholds(ctx.model))


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in items) + "</ul>"


def uncertainty(ctx: Context, page: Any) -> bool:
    from ..plots import p_best_bars, risk_profiles, utility_distribution

    m = ctx.model
    page.section("uncertainty", "Uncertainty: how sure is the ranking?")
    if not len(m.params.uncertain):
        page.p("Every number in the file is exact: there is no uncertainty to simulate, and the ranking in the "
               "summary holds as it is.")
        return True
    mc = _montecarlo(ctx)
    summ = ctx.get("montecarlo.summary", lambda: mc.summary("utility"))
    p, se = summ.p_best, summ.p_best_se
    top = int(max(range(len(p)), key=lambda i: p[i]))
    page.p(f"{mc.n:,} Monte Carlo draws (seed {ctx.seed}) of the file's {len(m.params.uncertain)} uncertain "
           f"numbers; in each draw every option is evaluated as in the summary. {m.options[top]} is best in "
           f"{p[top]:.1%} of the draws (95% Monte Carlo interval ± {1.96 * se[top]:.1%}).")
    page.figure(render_figure(lambda ax: p_best_bars(mc, ax=ax), "p-best",
                              f"Probability that each option is best across {mc.n:,} draws, with 95% Monte Carlo "
                              "error bars."))
    page.table(summ.table())
    page.figure(render_figure(lambda ax: utility_distribution(mc, ax=ax), "utility",
                              "Distribution of each option's expected utility across the draws: the shape is the "
                              "density of the draws; bars give the 5th-95th and 25th-75th percentiles."))
    page.figure(render_figure(lambda ax: risk_profiles(mc.risk_profile(), ax=ax), "risk-profile",
                              "Risk profiles: the share of draws at or below each expected utility. A curve always "
                              "to the right of another dominates it."))
    dom = ctx.get("montecarlo.dominance", lambda: mc.dominance("utility"))
    pairs = [f"{a} dominates {b} ({'first' if dom.first_order[i, j] else 'second'} order)"
             for i, a in enumerate(m.options) for j, b in enumerate(m.options)
             if dom.first_order[i, j] or dom.second_order[i, j]]
    if pairs:
        page.p("Stochastic dominance across the draws (first order: better at every quantile; second order: "
               "preferred by every risk-averse decision maker):")
        page.raw(_list(pairs))
        page.table(dom.table())
    else:
        page.p("No option's distribution dominates another's: which is better depends on the draw.")
    return True


def sensitivity(ctx: Context, page: Any) -> bool:
    from ..plots import strategy_regions, tornado_chart

    m = ctx.model
    t = _tornado(ctx)
    th = _thresholds(ctx)
    page.section("sensitivity", "Sensitivity: which numbers matter")
    if len(t.names):
        page.p(f"Each of the {len(t.names)} uncertain numbers moved alone from its low to its high value, every "
               f"other number at its point value; the {min(TORNADO_ROWS, len(t.names))} with the largest swing "
               f"in the {t.target} are shown.")
        page.figure(render_figure(lambda ax: tornado_chart(t, ax=ax, top=TORNADO_ROWS), "tornado",
                                  f"Tornado: the {t.target} with each number at its low and its high value."))
        page.table(t.table(top=TORNADO_ROWS))
    else:
        page.p("No uncertain number enters the evaluation: there is nothing to move in a tornado.")
    page.raw("<h3>Thresholds: where the preferred option changes</h3>")
    page.p(f"Every number that enters the evaluation ({len(th.searched)}) was searched, alone, for values that "
           f"change the preferred option ({th.best_base} at the point values): probabilities over 0 to 1, other "
           "numbers over their range widened by its width on each side.")
    if len(th.names):
        lines = []
        for k, say in enumerate(th.sayings):
            if th.low[k] == th.high[k]:
                where = f"the file fixes it at {th.point[k]:.4g}"
            else:
                where = (f"{'inside' if th.in_range[k] else 'outside'} the range the file gives, "
                         f"{th.low[k]:.4g} to {th.high[k]:.4g} (point {th.point[k]:.4g})")
            lines.append(f"{say}: {where}.")
        page.raw(_list(lines))
        page.table(th.table())
    else:
        page.p("No single number changes the preferred option anywhere in its search interval.")
    setup = ctx.get("two_way", lambda: two_way_setup(m, tornado=t, thresholds=th))
    if setup is not None:
        tw, marks, units, ranges = setup
        page.figure(render_figure(lambda ax: strategy_regions(tw, ax=ax, thresholds=marks, x_unit=units[0],
                                                              y_unit=units[1], ranges=ranges),
                                  "two-way",
                                  f"The preferred option over a {len(tw.x_values)} x {len(tw.y_values)} grid of "
                                  f"{tw.x_phrase} and {tw.y_phrase}, the other numbers at their point values."))
    return True


def two_way_setup(model: Any, x: str | None = None, y: str | None = None, points: int = 21,
                  tornado: Any = None, thresholds: Any = None) -> tuple[Any, Any, tuple[str, str], Any] | None:
    """The two-way map a reader most needs, with what marks it: (TwoWay, Thresholds of its two
    numbers, their units, the file's ranges of them), or None when fewer than two numbers can move.

    Unless named, x is the number whose threshold lies nearest its point value (the map then shows
    that switch, over the threshold's search interval) and y the number of largest tornado swing
    besides it; without thresholds, the two largest swings; in a file whose numbers are all fixed,
    the numbers of the nearest thresholds."""
    from ..analysis import sensitivity as sens

    p = model.params
    if x is None or y is None:
        t = tornado if tornado is not None else sens.tornado(model)
        th_all = thresholds if thresholds is not None else sens.thresholds(model)
        order = list(t.names) + [n for n in dict.fromkeys(th_all.names) if n not in t.names]
        if x is None:
            x = th_all.names[0] if len(th_all.names) and th_all.names[0] != y else (
                next((n for n in order if n != y), None))
        if y is None:
            y = next((n for n in order if n != x), None)
        if x is None or y is None:
            return None
    ix, iy = (int(i) for i in sens.resolve(model, [x, y], fn="two_way"))
    th = sens.thresholds(model, params=[ix, iy])

    def span(i: int) -> tuple[float, float] | None:
        """The file's range, or the threshold search's interval when that shows a switch the range
        does not reach (or the number is fixed)."""
        beyond = [v for nm, v in zip(th.names, th.value) if nm == p.names[i] and not p.low[i] <= v <= p.high[i]]
        return th.searched[p.names[i]] if p.low[i] == p.high[i] or beyond else None

    tw = sens.two_way(model, ix, iy, points=points, x_range=span(ix), y_range=span(iy))
    units = (sens.parameter_unit(model, ix), sens.parameter_unit(model, iy))
    ranges = ((float(p.low[ix]), float(p.high[ix])), (float(p.low[iy]), float(p.high[iy])))
    return tw, th, units, ranges


def voi(ctx: Context, page: Any) -> bool:
    from ..analysis.voi import value_of_information
    from ..plots import voi_bars

    n = min(ctx.samples, VOI_SAMPLES)
    v = ctx.get("voi", lambda: value_of_information(ctx.model, n, seed=ctx.seed, progress=False))
    page.section("voi", "Value of information: what is worth learning first")
    text = ("What learning something before choosing is worth, in the units the options are compared in "
            f"({v.unit}; {v.risk_attitude}): for a chance event the outcome revealed (EVPI, at the point values), "
            "for the file's numbers their true values (EVPI of all of them, EVPPI of each one and of natural groups)")
    text += (f", estimated from {v.n:,} draws (seed {ctx.seed})." if v.n else ".")
    page.p(text)
    if v.n:
        worth = int((v.evppi.value > 0).sum())
        page.p(f"Learning every uncertain number before choosing would be worth {v.evpi_parameters:.3g} "
               f"(± {1.96 * v.evpi_parameters_se:.2g}). Each value is the most a decision maker should pay for "
               "that information; 0 means it could not change the choice. "
               + (f"{worth} of the {len(v.evppi.names)} numbers and groups are worth something learned alone."
                  if worth else "No single number or group of numbers is worth anything learned alone: none of "
                  "them, resolved by itself, would change the choice."))
    page.figure(render_figure(lambda ax: voi_bars(v, ax=ax), "voi",
                              "Value of information, ranked: all at once on top, then each event and number."))
    page.table(v.table(top=8))
    return True


# ----------------------------------------------------------------------------------------- robustness
def robustness(ctx: Context, page: Any) -> bool:
    sc, m = ctx.scenario, ctx.model
    several = len(m.criteria) > 1
    if not sc.worlds and not several:
        return False
    page.section("robustness", "Robustness: across worlds, methods and weights")
    if sc.worlds:
        _worlds(ctx, page)
    if several:
        _criteria(ctx, page)
    return True


def _worlds(ctx: Context, page: Any) -> None:
    from ..analysis.robustness import across_worlds
    from ..plots import regret_heatmap

    r = ctx.get("worlds", lambda: across_worlds(ctx.scenario))
    rules = r.rules
    page.raw("<h3>Across worlds (alternative futures)</h3>")
    page.p(f"Each of the file's {len(rules.worlds)} worlds is the file with some numbers replaced; every option is "
           "evaluated in each at the point values. Regret is what the option gives up against the best option "
           "in that world.")
    page.figure(render_figure(lambda ax: regret_heatmap(r, ax=ax), "regret",
                              "Regret of each option in each world, and its largest regret; the minimax-regret "
                              "choice is outlined."))
    page.table(r.value_table())
    page.table(r.regret_table())
    names = {"minimax_regret": "least largest regret (minimax regret)", "maximin": "best worst case (maximin)",
             "maximax": "best best case (maximax)", "hurwicz": f"Hurwicz, optimism {rules.alpha:g}",
             "laplace": "best mean over the worlds (Laplace)", "satisficing": "meets the file's bounds most often"}
    choices = dict(rules.choice)
    if r.satisficing_choice is not None:
        choices["satisficing"] = r.satisficing_choice
    page.raw(_text_table(["rule", "chooses"], [[names.get(k, k), ", ".join(v) + (" (tie)" if len(v) > 1 else "")]
                                                for k, v in choices.items()]))
    page.table(r.rules_table())
    sat = r.satisficing_table()
    if sat is not None:
        page.table(sat)


def _criteria(ctx: Context, page: Any) -> None:
    from ..analysis import mcda
    from ..analysis import weights as wts
    from ..analysis.smaa import smaa
    from ..plots import acceptability_bars, rank_comparison, weights_chart
    from ..results import table

    m = ctx.model
    page.raw("<h3>Across aggregation methods and weights</h3>")
    mavt = ctx.get("mcda.mavt", lambda: mcda.compare(m, "mavt"))
    topsis = ctx.get("mcda.topsis", lambda: mcda.compare(m, "topsis"))
    sets = ctx.get("weights.available", lambda: wts.available(m))
    page.p(f"The option x criterion matrix of expected consequences, aggregated by additive value (mavt: "
           f"{', '.join(mavt.ranking)}) and by TOPSIS ({', '.join(topsis.ranking)}), each with the "
           f"{mavt.weights.label} weights.")
    rows = [[int(mavt.ranks[i]), float(mavt.scores[i]), int(topsis.ranks[i]), float(topsis.scores[i])]
            for i in range(len(m.options))]
    page.table(table("Ranks by additive value and by TOPSIS", "option", m.options,
                     ["mavt rank", "mavt value", "topsis rank", "topsis closeness"], rows,
                     ["", "value 0-1", "", "closeness 0-1"],
                     [f"mavt: value range {mavt.choices.get('value_range')}",
                      f"topsis: normalisation {topsis.choices.get('normalisation')}, cost {topsis.choices.get('cost')}",
                      f"weights: {mavt.weights.label} ({mavt.weights.note})"]))
    results = {f"mavt, {mavt.weights.label}": mavt, f"topsis, {topsis.weights.label}": topsis}
    others = {w.label: ctx.get(f"mcda.mavt.{w.label}", lambda w=w: mcda.compare(m, "mavt", weights=w))
              for w in sets if w.label != mavt.weights.label}
    results.update({f"mavt, {k}": v for k, v in others.items()})
    page.figure(render_figure(lambda ax: rank_comparison(results, ax=ax), "ranks",
                              "Each option's rank under each aggregation method and weighting, with its score."))
    if len(sets) > 1:
        page.table(wts.weights_table(m, sets))
        if m.scenario.weight_profiles:
            page.figure(render_figure(lambda ax: weights_chart(sets, ax=ax), "weights",
                                      "The weightings side by side, each normalised to sum to 1."))
        page.table(mcda.profiles_table({w.label: ctx.get(f"mcda.mavt.{w.label}",
                                                         lambda w=w: mcda.compare(m, "mavt", weights=w))
                                        for w in sets}))
    s = ctx.get("smaa", lambda: smaa(m, ctx.samples, seed=ctx.seed))
    page.p(f"SMAA: {s.n:,} draws of the weights ({s.settings['weights_note']}) together with the file's uncertain "
           f"numbers; in each draw the options are ranked by {s.settings['aggregation']}. Rank acceptability is the "
           "share of draws in which an option takes each rank.")
    page.figure(render_figure(lambda ax: acceptability_bars(s, ax=ax), "acceptability",
                              "Rank acceptability: the share of draws in which each option takes each rank."))
    page.table(s.acceptability_table())


SECTIONS: list[tuple[str, Callable[[Context, Any], Any]]] = [
    ("summary", summary),
    ("options", options),
    ("consequences", consequences),
    ("responses", responses),
    ("risks", risks),
    ("ladder", ladder),
    ("tree", tree),
    ("uncertainty", uncertainty),
    ("sensitivity", sensitivity),
    ("voi", voi),
    ("robustness", robustness),
    ("evidence", evidence),
]
"""Section name -> function(ctx, page); a function returning False left its section out."""
