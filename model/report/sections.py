"""The sections of the report, in order; each reads the analyses through the `Inputs` all share.

Every figure comes from a recipe of `.recipes` (`figure(ctx, name)`); a section adds the text and
tables around it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..analysis.sensitivity import two_way_setup  # noqa: F401  (importable from here, where it was)
from ..io import Scenario, iter_numbers
from .page import Figure, Html, esc, render_figure, text_table
from .recipes import RECIPES, Inputs, NoFigure, compared, montecarlo, thresholds, tornado, weight_sets


def figure(ctx: Inputs, name: str, stem: str | None = None) -> Figure:
    """The figure of recipe `name`, with the recipe's caption, for these inputs; its file is named
    `stem` (default: the recipe's name), for a recipe drawn more than once in the report."""
    recipe = RECIPES[name]
    result = ctx.result(name)
    return render_figure(lambda ax: recipe.plot(result, ctx, ax), stem or name, recipe.caption_of(result, ctx))


def namer(ctx: Inputs) -> Any:
    from ..analysis.judgments import Namer

    return ctx.get("namer", lambda: Namer(ctx.scenario))


def named_id(name: str, id_: str) -> Html:
    """A name with its id after it in small type (as the appendices show what the file calls it);
    the name alone when they are the same."""
    if not id_ or name == id_:
        return Html(esc(name))
    return Html(f'{esc(name)} <small class="id">{esc(id_)}</small>')


def ids_small(ids: Any) -> Html:
    """Ids of evidence and assumptions (their only handle: the evidence appendix lists them) in
    small type."""
    return Html(", ".join(f'<small class="id">{esc(i)}</small>' for i in ids))


def number_words(ctx: Inputs, path: str) -> str:
    """A parameter path as a short phrase with names (`Namer.short`), the path itself when it has
    none."""
    return ctx.names.get(path, path)


def judged(ctx: Inputs) -> Any:
    """The judgments (`model.analysis.judgments`), from the analyses the report runs anyway."""
    from ..analysis.judgments import judgments

    def make() -> Any:
        m = ctx.model
        mc = None
        if len(m.params.uncertain):
            from ..analysis.montecarlo import simulate

            n, seed = ctx.samples or 10_000, ctx.seed_or_default
            mc = simulate(m, n, seed=seed, keep_theta=True, progress=False)
            ctx.cache[("montecarlo", ctx.world, n, seed)] = mc   # the figures read the same draws
        acc = worlds = None
        if len(m.criteria) > 1:
            try:
                acc = ctx.result("acceptability")
            except NoFigure:
                acc = None
        if ctx.scenario.worlds:
            worlds = ctx.result("regret")
        return judgments(m, mc, seed=ctx.seed_or_default, ev=ctx.point,
                         thresholds=thresholds(ctx) if len(m.params.uncertain) else None,
                         tornado=tornado(ctx) if len(m.params.uncertain) else None,
                         watch=watch(ctx), credibility=credibility(ctx), acceptability=acc, worlds=worlds)
    return ctx.get("judgments", make)


def watch(ctx: Inputs) -> Any:
    def make() -> Any:
        if not ctx.scenario.indicators:
            return None
        from ..analysis.indicators import watch_list
        try:
            return watch_list(ctx.model)
        except ValueError:
            return None
    return ctx.get("watch", make)


def credibility(ctx: Inputs) -> Any:
    def make() -> Any:
        if not ctx.model.actors or not any(a.signals for a in ctx.scenario.actors.values()):
            return None
        from ..analysis.strategic import credibility as cred
        try:
            return cred(ctx.model)
        except ValueError:
            return None
    return ctx.get("credibility", make)


def bottom_line(ctx: Inputs, page: Any) -> None:
    j = judged(ctx)
    page.section("bottom-line", "Bottom line")
    from ..analysis.judgments import ASSUMPTIONS_HEAD

    items = []
    for h, t in j.bottom_line():
        if h == ASSUMPTIONS_HEAD and j.assumptions:
            shown, more = j.load_bearing()
            t_html = ('<ul class="lb-list">' + "".join(f"<li>{esc(a)}</li>" for a in shown)
                      + (f'<li>and {more} more (see <a href="#evidence">the evidence and assumptions appendix</a>)'
                         "</li>" if more else "") + "</ul>")
            items.append(f"<dt>{esc(h)}.</dt><dd>{t_html}</dd>")
        else:
            items.append(f"<dt>{esc(h)}.</dt><dd>{esc(t)}</dd>")
    page.raw(f"<dl>{''.join(items)}</dl>")


def key_judgments(ctx: Inputs, page: Any) -> None:
    j = judged(ctx)
    page.section("key-judgments", "Key judgments")
    if not j.key:
        page.p("The file gives too little for a judgment beyond the bottom line.")
        return
    page.raw('<ol class="kj">' + "".join(
        f'<li>{esc(k.text)} <span class="conf">confidence: {esc(k.confidence)}</span>'
        f'<span class="basis">Basis: {esc(k.basis)}.</span></li>' for k in j.key) + "</ol>")
    page.raw('<p class="note">Likelihood (how probable, in the words of the file\'s estimative-probability '
             "table with the number beside) and confidence (how well the judgment is supported) are stated "
             "separately. Confidence is high only when the judgment survives every weighting, method and world "
             "and its numbers cite evidence graded A or B; low when they rest on assumptions only; never above the "
             "confidence the file states for a load-bearing assumption behind it.</p>")


def what_would_change(ctx: Inputs, page: Any) -> None:
    j = judged(ctx)
    page.section("what-would-change", "What would change the judgment")
    lines = [c.text for c in j.switches] + [c.text for c in j.ranged]
    if not j.ranged and len(ctx.model.params.uncertain):
        lines.append("No number the file gives as a range or distribution crosses a switch point within its range "
                     "(numbers the file fixes exactly are not searched: the file settles them).")
    none = "The file names no indicators whose observation could change the choice."
    lines += [c.text for c in j.indicators] or [none]
    diff = [f"{k}: {j.options_text(v)}" for k, v in j.agreement.items() if set(v) != set(j.best)]
    if diff:
        lines.append("Other ways of comparing pick another option — " + "; ".join(diff) + ".")
    page.raw(_list(lines))


def summary(ctx: Inputs, page: Any) -> None:
    from ..analysis import matrices

    ev = ctx.point
    nm = namer(ctx)
    page.section("summary", "Ranking at the point values")
    best = ev.best_options()
    verdict = (f"At the point values of every number, {nm.options(best)} "
               f"{'tie for' if len(best) > 1 else 'has'} the highest expected "
               f"{'utility' if ctx.model.risk_tolerance else 'value'}.")
    page.p(verdict)
    page.table(matrices.ranking(ev), ctx.names)
    pol = ev.policy()
    if pol:
        page.raw(text_table(["later decision (after the branches shown)", "whose choice", "best choice"],
                            later_decisions(ctx, pol)))


def _path_in_names(ctx: Inputs, node: int) -> str:
    """The branches from the root to `node` in names: 'Strikes on military targets / Venezuelan
    military response: none'."""
    t = ctx.model.tree
    nm = namer(ctx)
    chain = []
    while node > 0:
        chain.append(node)
        node = int(t.parent[node])
    out = []
    for n in reversed(chain):
        parent = int(t.parent[n])
        if parent == 0:
            out.append(nm.option(t.label[n]))
        else:
            ev_id = t.name[parent]
            out.append(f"{nm('event', ev_id)}: {nm('state', f'{ev_id}.{t.label[n]}')}")
    return " / ".join(out)


def later_decisions(ctx: Inputs, pol: dict[str, list[str]]) -> list[list[Any]]:
    """Rows of the later-decisions table: the path in names, whose choice it is (an actor's own
    choice is labelled as the actor's, never the decision maker's), and the choice."""
    m = ctx.model
    nm = namer(ctx)
    t = m.tree
    owner = m.node_owner
    by_path = {"/".join(t.path(int(d))): int(d) for d in t.decisions if d != 0}
    rows = []
    for path, choice in pol.items():
        d = by_path.get(path)
        who = 0 if d is None or not len(owner) else int(owner[d])
        shown = _path_in_names(ctx, d) if d is not None else path
        if who > 0:
            actor = m.actors[who]
            label = f"{nm.short_actor(actor)} (its own choice)"
            ev_id = t.name[d] if d is not None else ""
            names = [nm("state", f"{ev_id}.{c}") for c in choice]
        else:
            label = f"{nm.short_actor(m.actors[0])} (the decision maker)" if m.actors else "the decision maker"
            ev_id = t.name[d] if d is not None and m.scenario.tree is None else ""
            if ev_id:  # a later decision of the events form (mode: decision): its name and its states' names
                shown = f"{shown} → {nm('event', ev_id)}"
                names = [nm("state", f"{ev_id}.{c}") for c in choice]
            else:
                names = [c.replace("_", " ") for c in choice]
        rows.append([shown, label, " = ".join(names)])
    return rows


def options(ctx: Inputs, page: Any) -> None:
    sc = ctx.scenario
    page.section("options", "Options")
    if sc.tree is not None:
        page.p("Options: " + ", ".join(ctx.names.get(o, o) for o in sc.option_ids) + " (an explicit decision tree).")
        return
    page.raw(text_table(["option", "description", "rests on"],
                        [[named_id(o.name or o.id, o.id), o.description, ids_small(o.evidence + o.assumptions)]
                         for o in sc.options]))


def consequences(ctx: Inputs, page: Any) -> None:
    from ..analysis import matrices

    page.section("consequences", "Consequences (option x criterion)")
    page.figure(figure(ctx, "consequences"))
    page.table(ctx.result("consequences"), ctx.names)
    dom = matrices.dominance(ctx.point)
    said = [f"{ctx.names.get(o, o)} is dominated by {' and '.join(ctx.names.get(b, b) for b in by)}"
            for o, (_, by) in zip(dom.rows, dom.values) if by]
    # a table of 'False' says less than a sentence: dominance in words
    page.p(("; ".join(said) + " (another option is at least as good on every criterion and better on one)."
            if said else "No option is dominated: no option is at least as good as another on every criterion "
            "and better on one.") + " On expected consequences, each criterion in its direction.")


def responses(ctx: Inputs, page: Any) -> bool:
    tab = ctx.result("responses")
    if not tab.columns:
        return False
    page.section("responses", "Actor responses (option x actor)")
    page.figure(figure(ctx, "responses"))
    page.table(tab, ctx.names)
    return True


def risks(ctx: Inputs, page: Any) -> bool:
    if not ctx.model.risks:
        return False
    page.section("risks", "Risks: likelihood and impact")
    page.figure(figure(ctx, "risks"))
    page.table(ctx.result("risks"), ctx.names)
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
    rung_name = dict(zip(lad.rungs, lad.rung_names))
    for th in lad.thresholds:
        parts = []
        for o in lad.options:
            rec = d["options"][o]
            lo, hi = rec.get("crossing_90", {}).get(th, (None, None))
            parts.append(f"{ctx.names.get(o, o)} {rec['crossing'][th]:.3f}"
                         + (f" (90%: {lo:.3f}-{hi:.3f})" if lo is not None and hi - lo >= 5e-4 else ""))
        at = d["thresholds"][th]
        lines.append(f"{ctx.names.get(f'threshold:{th}', th)} (at {rung_name.get(at, at)}): " + "; ".join(parts))
    if lines:
        page.p("Probability of crossing each threshold:")
        page.raw(_list(lines))
    page.figure(figure(ctx, "ladder"))
    page.table(lad.to_table(), ctx.names)
    return True


MAIN_TREE_DEPTH = 2
"""Depth of the tree in the main text (unless the report was given one)."""

TREE_LEAVES = 60
"""Most ends the report's tree shows before it is collapsed (unless the report was given a depth)."""


def tree(ctx: Inputs, page: Any) -> None:
    from ..plots.tree import auto_depth

    if ctx.depth is None:
        auto = auto_depth(ctx.point, TREE_LEAVES)
        ctx = ctx.replace(depth=MAIN_TREE_DEPTH if auto is None else min(MAIN_TREE_DEPTH, auto))
    page.section("tree", "Decision tree")
    page.p(f"The tree to depth {ctx.depth}: each option and what follows it first; deeper branches are folded into "
           "their expected values (`juncture plot FILE tree` draws it whole).")
    page.figure(figure(ctx, "tree"))


def evidence(ctx: Inputs, page: Any) -> None:
    sc = ctx.scenario
    page.section("evidence", "Evidence and assumptions")
    src, ev, asm = evidence_rows(sc, ctx.names)
    if src:
        page.raw("<h3>Sources</h3>")
        page.raw(text_table(["source", "kind", "affiliated with", "reliability (A-F)", "notes"], src))
    if ev:
        page.raw("<h3>Evidence</h3>")
        page.p("Grade: source reliability (A completely reliable ... F cannot be judged) and information "
               "credibility (1 confirmed ... 6 cannot be judged), graded separately. Self-reported: the "
               "source's own actor is the subject. Each item's id (in small type) is what the numbers cite.")
        page.raw(text_table(["claim", "source", "grade", "self-reported", "quote", "figures", "numbers citing it"],
                            ev))
    if asm:
        page.raw("<h3>Assumptions</h3>")
        page.raw(text_table(["statement", "", "rationale", "would be wrong if", "confidence",
                             "numbers resting on it"], asm))
    uncited = [r.name for r in iter_numbers(sc) if not r.cited]
    page.p(f"{len(uncited)} number(s) cite neither evidence nor an assumption"
           + (":" if uncited else "."))
    if uncited:
        page.raw("<ul>" + "".join(f"<li>{named_id(number_words(ctx, u), u)}</li>" for u in uncited[:30])
                 + (f"<li>and {len(uncited) - 30} more</li>" if len(uncited) > 30 else "") + "</ul>")
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
    page.section("uncertainty", "How sure is the ranking? P(best)")
    if not len(m.params.uncertain):
        page.p("Every number in the file is exact: there is no uncertainty to simulate, and the ranking in the "
               "summary holds as it is.")
        return True
    mc = montecarlo(ctx)
    summ = ctx.get("montecarlo.summary", lambda: mc.summary("utility"))
    p, se = summ.p_best, summ.p_best_se
    top = int(max(range(len(p)), key=lambda i: p[i]))
    page.p(f"{mc.n:,} Monte Carlo draws (seed {ctx.seed}) of the file's {len(m.params.uncertain)} uncertain "
           f"numbers; in each draw every option is evaluated as in the summary. {namer(ctx).option(m.options[top])} "
           "is best in "
           f"{p[top]:.1%} of the draws (95% Monte Carlo interval ± {1.96 * se[top]:.1%}).")
    page.figure(figure(ctx, "p-best"))
    page.table(summ.table(), ctx.names)
    return True


def distributions(ctx: Inputs, page: Any) -> bool:
    m = ctx.model
    if not len(m.params.uncertain):
        return False
    mc = montecarlo(ctx)
    page.section("distributions", "Distributions of the options' values")
    page.figure(figure(ctx, "utility"))
    page.figure(figure(ctx, "risk-profile"))
    dom = ctx.get("montecarlo.dominance", lambda: mc.dominance("utility"))
    nm = namer(ctx)
    pairs = [f"{nm.option(a)} dominates {nm.option(b)} ({'first' if dom.first_order[i, j] else 'second'} order)"
             for i, a in enumerate(m.options) for j, b in enumerate(m.options)
             if dom.first_order[i, j] or dom.second_order[i, j]]
    if pairs:
        page.p("Stochastic dominance across the draws (first order: better at every quantile; second order: "
               "preferred by every risk-averse decision maker):")
        page.raw(_list(pairs))
        page.table(dom.table(), ctx.names)
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
        page.table(_without(t.table(top=TORNADO_ROWS), "phrase"), _with_phrases(ctx, t))
    else:
        page.p("No uncertain number enters the evaluation: there is nothing to move in a tornado.")
    page.raw("<h3>Thresholds: where the preferred option changes</h3>")
    page.p(f"Every number that enters the evaluation ({len(th.searched)}) was searched, alone, for values that "
           f"change the preferred option ({ctx.names.get(th.best_base, th.best_base)} at the point values): "
           "probabilities over 0 to 1, other numbers over their range widened by its width on each side.")
    if len(th.names):
        lines = []
        for k in range(len(th.names)):
            say = _threshold_saying(ctx, th, k)
            if th.low[k] == th.high[k]:
                where = f"the file fixes it at {th.point[k]:.4g}"
            else:
                where = (f"{'inside' if th.in_range[k] else 'outside'} the range the file gives, "
                         f"{th.low[k]:.4g} to {th.high[k]:.4g} (point {th.point[k]:.4g})")
            lines.append(f"{say}: {where}.")
        page.raw(_list(lines))
        page.table(_without(th.table(), "phrase", "statement"), _with_phrases(ctx, th))
    else:
        page.p("No single number changes the preferred option anywhere in its search interval.")
    try:
        page.figure(figure(ctx, "two-way"))
    except NoFigure:  # fewer than two numbers to move: no map
        pass
    return True


def _without(tab: Any, *columns: str) -> Any:
    """The table without these columns (a phrase column the names make redundant)."""
    from ..results import table

    keep = [j for j, c in enumerate(tab.columns) if c not in columns]
    units = [tab.units[j] for j in keep] if tab.units else []
    return table(tab.title, tab.row_name, tab.rows, [tab.columns[j] for j in keep],
                 [[row[j] for j in keep] for row in tab.values], units, tab.notes, tab.digits, **tab.meta)


def _with_phrases(ctx: Inputs, result: Any) -> dict[str, str]:
    """`ctx.names`, with the analysis's own phrase for each number the names have no words for (a
    number of an explicit tree: 'P(draw = win | lottery)')."""
    return {**{n: ph for n, ph in zip(result.names, result.phrases) if ph and ph != n}, **ctx.names}


def _threshold_saying(ctx: Inputs, th: Any, k: int) -> str:
    """`Thresholds.statement` in the file's names: 'Special-operations raid on Maduro becomes best when
    P(Venezuelan military response = sustained war | No attack) > 0.4287'."""
    v = float(th.value[k])
    up = th.point[k] <= v
    who = th.above[k] if up else th.below[k]
    say = (f"{ctx.names.get(who, who)} becomes best when {ctx.names.get(th.names[k], th.phrases[k])} "
           f"{'>' if up else '<'} {v:.4g}")
    eff = float(th.effective[k])
    if eff == eff and abs(eff - v) > 5e-5:
        what = "weight, normalised" if th.units[k] == "weight" else "probability, its row adjusted"
        say += f" (the {what}: {eff:.4g})"
    return say


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
    if _nothing_worth_learning(v):
        # a figure and a table of zeros would say nothing: one sentence does
        page.p("Nothing is worth learning before choosing: no event's outcome and no number of the file, "
               "revealed first, would change the choice (the value of information is 0 for every one). The "
               "model critique appendix says why (no-value-of-information).")
        return True
    items = _voi_items(ctx, v)
    worth = [it for it in items if it[2] > 0]
    if not worth:
        # only everything at once has a value: a figure of one bar, and a table of zeros, would
        # repeat the sentence above
        page.p(("Nor is any chance event's outcome" if v.events.names else "Nothing learned alone is worth anything")
               + f" ({len(items)} events, numbers and groups valued, each at 0): the value above is that of "
               "learning every uncertain number at once.")
    else:
        page.figure(figure(ctx, "voi"))
        shown = worth[:VOI_ROWS]
        rows = [[named_id(label, key), kind, f"{val:.3g}", f"± {1.96 * se:.2g}" if se == se and se > 0 else "–"]
                for label, key, val, se, kind in shown]
        page.raw(text_table(["what is learned", "kind", f"value ({v.unit})", "95% Monte Carlo interval"], rows))
        rest = len(worth) - len(shown)
        zero = len(items) - len(worth)
        if rest or zero:
            page.p("Not listed: " + "; ".join(x for x in (
                f"{rest} more with smaller values" if rest else "",
                f"{zero} worth 0 (learning them alone would not change the choice)" if zero else "") if x) + ".")
    if v.events.left_out:
        by_why: dict[str, list[str]] = {}
        for k, why in v.events.left_out.items():
            by_why.setdefault(why, []).append(ctx.names.get(k, k))
        page.p("Events not valued: " + "; ".join(f"{', '.join(ks)} ({why})" for why, ks in by_why.items()) + ".")
    return True


VOI_ROWS = 12
"""Most events, numbers and groups the value-of-information table lists (largest first)."""


def _voi_items(ctx: Inputs, v: Any) -> list[tuple[str, str, float, float, str]]:
    """Everything the value of information values alone, largest first: (name, id or path, value,
    standard error (NaN when none), kind)."""
    import numpy as np

    items = [(ctx.names.get(e, e), e, float(np.mean(v.events.value[e])), float("nan"), "chance event (EVPI)")
             for e in v.events.names]
    pp = v.evppi
    for k, (name, val, se, kind) in enumerate(zip(pp.names, pp.value, pp.se, pp.kind)):
        words = ctx.names.get(name) or (pp.phrases[k] if pp.phrases and pp.phrases[k] else name)
        items.append((words, name, float(val), float(se),
                      "one number (EVPPI)" if kind == "parameter" else "a group of numbers (EVPPI)"))
    return sorted(items, key=lambda it: -it[2])


def _nothing_worth_learning(v: Any) -> bool:
    """True when every EVPI and EVPPI of a ValueOfInformation result is 0."""
    import numpy as np

    events = [np.asarray(x) for x in v.events.value.values()] + [np.asarray(v.events.all)]
    return (all(not np.any(x) for x in events) and not v.evpi_parameters
            and not np.any(np.asarray(v.evppi.value)))


# ------------------------------------------------------------------------- signals, indicators, players
def signals(ctx: Inputs, page: Any) -> None:
    sc = ctx.scenario
    nm = namer(ctx)
    page.section("signals", "Signals: credible or not")
    sigs = [(aid, sg) for aid, a in sc.actors.items() for sg in a.signals]
    if not sigs:
        page.p("The file records no signals from the actors.")
        return
    cred = credibility(ctx)
    if cred is None:
        page.p(f"The file records {len(sigs)} signal(s), but no actor with a stake of its own (payoffs or "
               "criteria weights) to judge their credibility by.")
        return
    page.p("A signal is credible when the actor's own payoffs make the announced response its best reply under "
           "the option it is aimed at; not credible when they do not; it depends when one of the actor's payoff "
           "numbers, moved within its range, flips that preference.")
    desc = {sg.id: sg.description for _, sg in sigs}
    rows = []
    for sid in dict.fromkeys(v.signal for v in cred.verdicts):
        vs = cred.signal(sid)
        v0 = vs[0]
        verdict = cred.verdict(sid)
        announced = (f"{nm('event', v0.event)}: {nm('state', f'{v0.event}.{v0.announced}')}" if v0.event else "–")
        per = []
        for v in vs:
            # the analysis's reason names the actor by its id and a field of the file: say them in words
            why = re.sub(r"'(\w+)'", lambda mt: nm.short_actor(mt.group(1)) if mt.group(1) in ctx.scenario.actors
                         else mt.group(0), v.reason or "").replace("criteria_weights", "criteria weights")
            if v.parameter is not None and v.threshold is not None:
                why = (f"flips if {nm.phrase(v.parameter)} passes {v.threshold:.3g} (now {v.parameter_point:.3g}"
                       + ("" if v.within_range else ", outside its range") + ")")
            p_tree = f"; P = {v.table_probability:.0%}" if v.table_probability is not None else ""
            per.append(f"{nm.option(v.option)}: {v.verdict}{p_tree}" + (f" — {why}" if why else ""))
        rows.append([Html(f"{esc(nm.short_actor(v0.actor))}"), Html(f"{esc(desc.get(sid, sid))} "
                                                                   f"<small class=\"id\">{esc(sid)}</small>"),
                     v0.kind.replace("_", " "), announced, verdict, Html("<br>".join(esc(x) for x in per))])
    page.raw(text_table(["actor", "signal", "kind", "announces", "verdict", "by option (P: its chance in the tree)"],
                        rows))


def indicators(ctx: Inputs, page: Any) -> None:
    sc = ctx.scenario
    page.section("indicators", "Indicators to watch")
    if not sc.indicators:
        page.p("The file names no indicators (signposts) to watch.")
        return
    w = watch(ctx)
    names = {i.id: (i.name or i.id.replace("_", " ")) for i in sc.indicators}
    about = {i.id: namer(ctx)("event", i.about) for i in sc.indicators}
    if w is None:
        page.p(f"The file names {len(sc.indicators)} indicator(s); none can be ranked by the value of observing it.")
        return
    rows = []
    for k, iid in enumerate(w.indicators):
        evo = w.evo[k]
        ps = w.p_seen[k]
        if evo is None:
            rows.append([names[iid], about[iid], "–", "–", w.reasons[k] or "not ranked"])
            continue
        flip = [o for o in (w.best_if_seen[k] or ()) if o not in w.best_now] or \
               [o for o in (w.best_if_not_seen[k] or ()) if o not in w.best_now]
        rows.append([names[iid], about[iid], f"{ps:.0%}" if ps is not None else "–", f"{evo:.3g}",
                     f"would make {namer(ctx).options(flip)} best" if flip else "no observation changes the choice"])
    j = judged(ctx)
    if j.indicators:
        page.p(j.indicators[0].text)
    page.raw(text_table(["indicator", "about", "P(seen)", f"expected value of observing ({w.unit})", "what it would do"],
                        rows))


def players(ctx: Inputs, page: Any) -> None:
    m = ctx.model
    nm = namer(ctx)
    page.section("players", "Players: each one's choice and payoff")
    if not m.actors:
        page.p("The file has no players besides the decision maker: every other actor's response is a chance "
               "event with the probabilities the file gives.")
        return
    ev = ctx.point
    pay = ev.equilibrium_payoffs()
    best = ev.best_options()
    pol = ev.policy()
    owner = m.node_owner
    t = m.tree
    by_path = {"/".join(t.path(int(d))): int(d) for d in t.decisions if d != 0}
    choices: dict[str, list[str]] = {a: [] for a in m.actors}
    for path, ch in pol.items():
        d = by_path.get(path)
        if d is None or not path.startswith(tuple(b + "/" for b in best)) and path not in best:
            continue
        a = m.actors[int(owner[d])] if len(owner) else m.actors[0]
        ev_id = t.name[d]
        choices[a].append(f"{_path_in_names(ctx, d)} → {' = '.join(nm('state', f'{ev_id}.{c}') for c in ch)}")
    page.p(f"Everyone playing as solved, the decision maker choosing {nm.options(best)}: each player's choice on "
           "that course and its expected payoff (the decision maker's: its certainty equivalent; the others': "
           "their own payoff scale).")
    rows = []
    for k, a in enumerate(m.actors):
        if k == 0:  # its option, then its later decisions on that course (mode: decision)
            first = nm.options(best) + " (the decision maker's choice)"
            choice = Html("<br>".join(esc(c) for c in [first, *dict.fromkeys(choices[a])])) if choices[a] else first
        else:
            choice = Html("<br>".join(esc(c) for c in dict.fromkeys(choices[a]))) if choices[a] else \
                "no choice of its own on this course (it has a stake only)"
        rows.append([nm.short_actor(a), choice, f"{pay.get(a, float('nan')):.3g}"])
    page.raw(text_table(["player", "its choice on the chosen course", "expected payoff"], rows))
    from ..analysis.strategic import equilibrium
    page.table(equilibrium(ev), ctx.names)


def competing_hypotheses(ctx: Inputs, page: Any) -> bool:
    """Analysis of competing hypotheses, one block per event with `hypotheses:`; left out without one."""
    from ..analysis.ach import ach, ach_events

    sc = ctx.scenario
    found = ach_events(sc)
    if not found:
        return False
    page.section("ach", "Competing hypotheses")
    page.p("Analysis of competing hypotheses (Heuer, Psychology of Intelligence Analysis, ch. 8): each evidence item "
           "is rated against every hypothesis (CC very consistent ... II very inconsistent) or given its likelihood "
           "under each. ACH keeps the hypothesis with the least evidence against it: an I counts 1 and an II 2 "
           "against a hypothesis, times the item's weight (credibility x relevance, high 1.41, medium 1, low 0.71, "
           "as PARC ACH). An item is diagnostic when its ratings differ across the hypotheses; one consistent with "
           "all of them says nothing about which is true, however strong it looks.")
    for ev in found:
        res = ach(sc, ev.id)
        if len(found) > 1:
            page.raw(f"<h3>{esc(res.event_name)}</h3>")
        names = [res.names[h] for h in res.ranking]
        text = (f"On the rated items, {names[0]} has the least weighted inconsistency "
                f"({res.inconsistency[res.ranking[0]]:.2f})" if res.posterior is None else
                f"With the likelihoods, the posterior puts {names[0]} first "
                f"({res.posterior[res.ranking[0]]:.0%}; prior: {res.prior_source})")
        text += f"; the ranking is {', '.join(names)}."
        if res.uses_as_prior:
            text += " The tree takes this posterior as the probabilities of the hypotheses (prior: ach)."
        page.p(text)
        page.figure(figure(ctx.replace(of=ev.id), "ach", "ach" if len(found) == 1 else f"ach-{ev.id}"))
        heads = {"inconsistency": "weighted inconsistency"}
        page.table(res.table(), lambda x, r=res: r.names.get(x, heads.get(x, x)))
        claims = {e: f"{e.replace('_', ' ')}: {res.claims[e]}" for e in res.items}
        page.table(res.matrix_table(), lambda x, r=res, c=claims: r.names.get(x, c.get(x, x)))
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
    page.table(r.value_table(), ctx.names)
    page.table(r.regret_table(), ctx.names)
    names = {"minimax_regret": "least largest regret (minimax regret)", "maximin": "best worst case (maximin)",
             "maximax": "best best case (maximax)", "hurwicz": f"Hurwicz, optimism {rules.alpha:g}",
             "laplace": "best mean over the worlds (Laplace)", "satisficing": "meets the file's bounds most often"}
    choices = dict(rules.choice)
    if r.satisficing_choice is not None:
        choices["satisficing"] = r.satisficing_choice
    page.raw(text_table(["rule", "chooses"], [[names.get(k, k), ", ".join(ctx.names.get(o, o) for o in v)
                                               + (" (tie)" if len(v) > 1 else "")] for k, v in choices.items()]))
    page.table(r.rules_table(), ctx.names)
    sat = r.satisficing_table()
    if sat is not None:
        page.table(sat, ctx.names)


def _criteria(ctx: Inputs, page: Any) -> None:
    from ..analysis import mcda
    from ..analysis import weights as wts
    from ..results import table

    m = ctx.model
    page.raw("<h3>Across aggregation methods and weights</h3>")
    mavt, topsis = compared(ctx, "mavt"), compared(ctx, "topsis")
    sets = weight_sets(ctx)
    ranked = {k: ", ".join(ctx.names.get(o, o) for o in res.ranking) for k, res in (("mavt", mavt), ("topsis", topsis))}
    page.p(f"The option x criterion matrix of expected consequences, aggregated by additive value (mavt: "
           f"{ranked['mavt']}) and by TOPSIS ({ranked['topsis']}), each with "
           f"{namer(ctx).weighting(mavt.weights.label)}.")
    rows = [[int(mavt.ranks[i]), float(mavt.scores[i]), int(topsis.ranks[i]), float(topsis.scores[i])]
            for i in range(len(m.options))]
    page.table(table("Ranks by additive value and by TOPSIS", "option", m.options,
                     ["mavt rank", "mavt value", "topsis rank", "topsis closeness"], rows,
                     ["", "value 0-1", "", "closeness 0-1"],
                     [f"mavt: value range {mavt.choices.get('value_range')}",
                      f"topsis: normalisation {topsis.choices.get('normalisation')}, cost {topsis.choices.get('cost')}",
                      f"weights: {mavt.weights.label} ({mavt.weights.note})"]), ctx.names)
    page.figure(figure(ctx, "ranks"))
    if len(sets) > 1:
        page.table(wts.weights_table(m, sets), ctx.weighting_names)
        if m.scenario.weight_profiles:
            page.figure(figure(ctx, "weights"))
        page.table(mcda.profiles_table({w.label: compared(ctx, "mavt", w) for w in sets}), ctx.weighting_names)
    s = ctx.result("acceptability")
    page.p(f"SMAA: {s.n:,} draws of the weights ({s.settings['weights_note']}) together with the file's uncertain "
           f"numbers; in each draw the options are ranked by {s.settings['aggregation']}. Rank acceptability is the "
           "share of draws in which an option takes each rank.")
    page.figure(figure(ctx, "acceptability"))
    page.table(s.acceptability_table(), ctx.names)


def critique(ctx: Inputs, page: Any) -> bool:
    """Every finding of the model critique: where the model's structure, not the world, decides."""
    from ..analysis.critique import critique as run_critique
    from ..results import table as make_table

    res = ctx.get("critique", lambda: run_critique(ctx.model, samples=min(ctx.samples or 4_000, 4_000),
                                                   seed=ctx.seed_or_default))
    n = res.counts()
    page.section("critique", "Model critique: where the model, not the world, decides")
    answered = f", and {n['answered']} findings the file answers in an assumption" if n["answered"] else ""
    page.p(f"{n['error']} errors, {n['warning']} warnings, {n['note']} notes unanswered{answered}, from "
           f"{res.samples:,} draws (juncture critique FILE prints the same). Each says where in the file "
           "and what to do; see the README, 'When the model decides'.")
    if res.findings:
        rows = [[f.severity, f.code, f.message, f.where or "", f.answered_by or ""] for f in res.findings]
        page.table(make_table("Findings", "#", [str(k + 1) for k in range(len(rows))],
                              ["severity", "code", "finding", "where", "answered by"], rows))
    return True


SECTIONS: list[tuple[str, Callable[[Inputs, Any], Any]]] = [
    ("bottom-line", bottom_line),
    ("key-judgments", key_judgments),
    ("what-would-change", what_would_change),
    ("summary", summary),
    ("consequences", consequences),
    ("responses", responses),
    ("risks", risks),
    ("tree", tree),
    ("uncertainty", uncertainty),
    ("signals", signals),
    ("indicators", indicators),
    ("players", players),
    ("ach", competing_hypotheses),
]
APPENDICES: list[tuple[str, Callable[[Inputs, Any], Any]]] = [
    ("options", options),
    ("ladder", ladder),
    ("distributions", distributions),
    ("sensitivity", sensitivity),
    ("voi", voi),
    ("robustness", robustness),
    ("critique", critique),
    ("evidence", evidence),
]
"""Section name -> function(ctx, page); a function returning False left its section out."""


def evidence_rows(sc: Scenario, names: dict[str, str] | None = None
                  ) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """Rows for the sources, evidence and assumptions tables (what cites what): each item by what it
    says (the outlet or speaker, the claim, the statement) with its id in small type; actors by the
    names in `names`."""
    names = names or {}
    used_e: dict[str, int] = {}
    used_a: dict[str, int] = {}
    for r in iter_numbers(sc):
        for e in r.evidence:
            used_e[e] = used_e.get(e, 0) + 1
        for a in r.assumptions:
            used_a[a] = used_a.get(a, 0) + 1
    src = [[named_id(s.outlet or s.speaker or sid, sid), (s.kind or "").replace("_", " "),
            names.get(s.actor, s.actor) if s.actor else "", s.reliability, s.notes]
           for sid, s in sc.sources.items()]
    ev = []
    for e in sc.evidence:
        s = sc.sources.get(e.source)
        self_rep = e.self_reported if e.self_reported is not None else (s is not None and s.actor is not None
                                                                        and s.actor == e.actor)
        grade = f"{s.reliability or '?'}{e.credibility or '?'}" if s else f"?{e.credibility or '?'}"
        def outlet(sid: str) -> str:
            x = sc.sources.get(sid)
            return (x.outlet or x.speaker or sid) if x is not None else sid

        ev.append([named_id(e.claim, e.id), outlet(e.source) + (f" via {outlet(e.via)}" if e.via else ""), grade,
                   "yes" if self_rep else "", f"“{e.quote}”" if e.quote else "",
                   ", ".join(f"{k.replace('_', ' ')}: {v:g}" for k, v in e.figures.items()), used_e.get(e.id, 0)])
    asm = [[named_id(a.statement, a.id), Html('<span class="lb">load-bearing</span>') if a.load_bearing else "",
            a.rationale, a.would_be_wrong_if, a.confidence, used_a.get(a.id, 0)]
           for a in sorted(sc.assumptions, key=lambda a: not a.load_bearing)]
    return src, ev, asm
