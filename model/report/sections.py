"""The sections of the report, in order; each runs its analyses through a shared `Context`."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

from ..io import Scenario
from . import _Html, _esc, _text_table, evidence_rows, render_figure


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


SECTIONS: list[tuple[str, Callable[[Context, Any], Any]]] = [
    ("summary", summary),
    ("options", options),
    ("consequences", consequences),
    ("responses", responses),
    ("risks", risks),
    ("tree", tree),
    ("evidence", evidence),
]
"""Section name -> function(ctx, page); a function returning False left its section out."""
