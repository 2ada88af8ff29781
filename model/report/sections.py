"""The sections of the report, in order; each reads the analyses through the `Inputs` all share.

Every figure comes from a recipe of `.recipes` (`figure(ctx, name)`); a section adds the text and
tables around it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..analysis.sensitivity import two_way_setup  # noqa: F401  (importable from here, where it was)
from ..io import Scenario, iter_numbers
from .page import Figure, Html, esc, render_figure, text_table
from .recipes import RECIPES, Inputs, NoFigure, compared, montecarlo, thresholds, tornado, weight_sets


def figure(ctx: Inputs, name: str) -> Figure:
    """The figure of recipe `name`, with the recipe's caption, for these inputs."""
    recipe = RECIPES[name]
    result = ctx.result(name)
    return render_figure(lambda ax: recipe.plot(result, ctx, ax), name, recipe.caption_of(result, ctx))


def summary(ctx: Inputs, page: Any) -> None:
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
        page.raw(text_table(["later decision", "best choice"], [[k, " = ".join(v)] for k, v in pol.items()]))


def options(ctx: Inputs, page: Any) -> None:
    sc = ctx.scenario
    page.section("options", "Options")
    if sc.tree is not None:
        page.p("Options: " + ", ".join(sc.option_ids) + " (an explicit decision tree).")
        return
    page.raw(text_table(["option", "name", "description", "rests on"],
                        [[o.id, o.name, o.description, ", ".join(o.evidence + o.assumptions)] for o in sc.options]))


def consequences(ctx: Inputs, page: Any) -> None:
    from ..analysis import matrices

    page.section("consequences", "Consequences (option x criterion)")
    page.figure(figure(ctx, "consequences"))
    page.table(ctx.result("consequences"))
    page.table(matrices.dominance(ctx.point))


def responses(ctx: Inputs, page: Any) -> bool:
    tab = ctx.result("responses")
    if not tab.columns:
        return False
    page.section("responses", "Actor responses (option x actor)")
    page.figure(figure(ctx, "responses"))
    page.table(tab)
    return True


def risks(ctx: Inputs, page: Any) -> bool:
    if not ctx.model.risks:
        return False
    page.section("risks", "Risks: likelihood and impact")
    page.figure(figure(ctx, "risks"))
    page.table(ctx.result("risks"))
    return True


LADDER_SAMPLES = 2_000
"""Most draws the ladder section uses (it keeps every node's reach probability per draw)."""


def ladder(ctx: Inputs, page: Any) -> bool:
    if ctx.scenario.escalation is None:
        return False
    ctx = ctx.replace(samples=min(ctx.samples, LADDER_SAMPLES))
    lad = ctx.result("ladder")
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
    page.figure(figure(ctx, "ladder"))
    page.table(lad.to_table())
    return True


TREE_LEAVES = 60
"""Most ends the report's tree shows before it is collapsed (unless the report was given a depth)."""


def tree(ctx: Inputs, page: Any) -> None:
    from ..plots.tree import auto_depth

    if ctx.depth is None:
        ctx = ctx.replace(depth=auto_depth(ctx.point, TREE_LEAVES))
    page.section("tree", "Decision tree")
    page.figure(figure(ctx, "tree"))


def evidence(ctx: Inputs, page: Any) -> None:
    sc = ctx.scenario
    page.section("evidence", "Evidence and assumptions")
    src, ev, asm = evidence_rows(sc)
    if src:
        page.raw("<h3>Sources</h3>")
        page.raw(text_table(["source", "outlet or speaker", "kind", "affiliated with", "reliability (A-F)", "notes"], src))
    if ev:
        page.raw("<h3>Evidence</h3>")
        page.p("Grade: source reliability (A completely reliable ... F cannot be judged) and information "
               "credibility (1 confirmed ... 6 cannot be judged), graded separately. Self-reported: the "
               "source's own actor is the subject.")
        page.raw(text_table(["id", "source", "grade", "self-reported", "quote", "claim", "figures",
                             "numbers citing it"], ev))
    if asm:
        page.raw("<h3>Assumptions</h3>")
        page.raw(text_table(["id", "", "statement", "rationale", "would be wrong if", "confidence",
                             "numbers resting on it"], asm))
    uncited = [r.name for r in iter_numbers(sc) if not r.cited]
    page.p(f"{len(uncited)} number(s) cite neither evidence nor an assumption"
           + (": " + ", ".join(uncited[:30]) + (" ..." if len(uncited) > 30 else "") if uncited else "."))
    if sc.evidence or sc.assumptions:
        page.figure(figure(ctx, "evidence"))


# ------------------------------------------------------------------- uncertainty, sensitivity, voi
VOI_SAMPLES = 5_000
"""Most draws the value-of-information section uses (EVPPI regresses every number on them; 5,000
keep its standard errors well below the values that matter and the section to a few seconds)."""

TORNADO_ROWS = 12
"""Numbers shown in the report's tornado (the table below it has the same rows)."""


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def uncertainty(ctx: Inputs, page: Any) -> bool:
    m = ctx.model
    page.section("uncertainty", "Uncertainty: how sure is the ranking?")
    if not len(m.params.uncertain):
        page.p("Every number in the file is exact: there is no uncertainty to simulate, and the ranking in the "
               "summary holds as it is.")
        return True
    mc = montecarlo(ctx)
    summ = ctx.get("montecarlo.summary", lambda: mc.summary("utility"))
    p, se = summ.p_best, summ.p_best_se
    top = int(max(range(len(p)), key=lambda i: p[i]))
    page.p(f"{mc.n:,} Monte Carlo draws (seed {ctx.seed}) of the file's {len(m.params.uncertain)} uncertain "
           f"numbers; in each draw every option is evaluated as in the summary. {m.options[top]} is best in "
           f"{p[top]:.1%} of the draws (95% Monte Carlo interval ± {1.96 * se[top]:.1%}).")
    page.figure(figure(ctx, "p-best"))
    page.table(summ.table())
    page.figure(figure(ctx, "utility"))
    page.figure(figure(ctx, "risk-profile"))
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


def sensitivity(ctx: Inputs, page: Any) -> bool:
    t = tornado(ctx)
    th = thresholds(ctx)
    page.section("sensitivity", "Sensitivity: which numbers matter")
    if len(t.names):
        page.p(f"Each of the {len(t.names)} uncertain numbers moved alone from its low to its high value, every "
               f"other number at its point value; the {min(TORNADO_ROWS, len(t.names))} with the largest swing "
               f"in the {t.target} are shown.")
        page.figure(figure(ctx.replace(top=TORNADO_ROWS), "tornado"))
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
    try:
        page.figure(figure(ctx, "two-way"))
    except NoFigure:  # fewer than two numbers to move: no map
        pass
    return True


def voi(ctx: Inputs, page: Any) -> bool:
    ctx = ctx.replace(samples=min(ctx.samples, VOI_SAMPLES))
    v = ctx.result("voi")
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
    page.figure(figure(ctx, "voi"))
    page.table(v.table(top=8))
    return True


# ----------------------------------------------------------------------------------------- robustness
def robustness(ctx: Inputs, page: Any) -> bool:
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


def _worlds(ctx: Inputs, page: Any) -> None:
    r = ctx.result("regret")
    rules = r.rules
    page.raw("<h3>Across worlds (alternative futures)</h3>")
    page.p(f"Each of the file's {len(rules.worlds)} worlds is the file with some numbers replaced; every option is "
           "evaluated in each at the point values. Regret is what the option gives up against the best option "
           "in that world.")
    page.figure(figure(ctx, "regret"))
    page.table(r.value_table())
    page.table(r.regret_table())
    names = {"minimax_regret": "least largest regret (minimax regret)", "maximin": "best worst case (maximin)",
             "maximax": "best best case (maximax)", "hurwicz": f"Hurwicz, optimism {rules.alpha:g}",
             "laplace": "best mean over the worlds (Laplace)", "satisficing": "meets the file's bounds most often"}
    choices = dict(rules.choice)
    if r.satisficing_choice is not None:
        choices["satisficing"] = r.satisficing_choice
    page.raw(text_table(["rule", "chooses"], [[names.get(k, k), ", ".join(v) + (" (tie)" if len(v) > 1 else "")]
                                               for k, v in choices.items()]))
    page.table(r.rules_table())
    sat = r.satisficing_table()
    if sat is not None:
        page.table(sat)


def _criteria(ctx: Inputs, page: Any) -> None:
    from ..analysis import mcda
    from ..analysis import weights as wts
    from ..results import table

    m = ctx.model
    page.raw("<h3>Across aggregation methods and weights</h3>")
    mavt, topsis = compared(ctx, "mavt"), compared(ctx, "topsis")
    sets = weight_sets(ctx)
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
    page.figure(figure(ctx, "ranks"))
    if len(sets) > 1:
        page.table(wts.weights_table(m, sets))
        if m.scenario.weight_profiles:
            page.figure(figure(ctx, "weights"))
        page.table(mcda.profiles_table({w.label: compared(ctx, "mavt", w) for w in sets}))
    s = ctx.result("acceptability")
    page.p(f"SMAA: {s.n:,} draws of the weights ({s.settings['weights_note']}) together with the file's uncertain "
           f"numbers; in each draw the options are ranked by {s.settings['aggregation']}. Rank acceptability is the "
           "share of draws in which an option takes each rank.")
    page.figure(figure(ctx, "acceptability"))
    page.table(s.acceptability_table())


SECTIONS: list[tuple[str, Callable[[Inputs, Any], Any]]] = [
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


def evidence_rows(sc: Scenario) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """Rows for the sources, evidence and assumptions tables (what cites what)."""
    used_e: dict[str, int] = {}
    used_a: dict[str, int] = {}
    for r in iter_numbers(sc):
        for e in r.evidence:
            used_e[e] = used_e.get(e, 0) + 1
        for a in r.assumptions:
            used_a[a] = used_a.get(a, 0) + 1
    src = [[sid, s.outlet or s.speaker, s.kind, s.actor, s.reliability, s.notes] for sid, s in sc.sources.items()]
    ev = []
    for e in sc.evidence:
        s = sc.sources.get(e.source)
        self_rep = e.self_reported if e.self_reported is not None else (s is not None and s.actor is not None
                                                                        and s.actor == e.actor)
        grade = f"{s.reliability or '?'}{e.credibility or '?'}" if s else f"?{e.credibility or '?'}"
        ev.append([e.id, e.source + (f" via {e.via}" if e.via else ""), grade, "yes" if self_rep else "",
                   f"“{e.quote}”" if e.quote else "", e.claim,
                   ", ".join(f"{k}: {v:g}" for k, v in e.figures.items()), used_e.get(e.id, 0)])
    asm = [[a.id, Html('<span class="lb">load-bearing</span>') if a.load_bearing else "", a.statement,
            a.rationale, a.would_be_wrong_if, a.confidence, used_a.get(a.id, 0)]
           for a in sorted(sc.assumptions, key=lambda a: not a.load_bearing)]
    return src, ev, asm
