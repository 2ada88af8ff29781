"""The terminal output fits 100 columns, options stay rows, names replace ids, and --quiet is quiet.

Every command that prints tables runs in-process with COLUMNS=100 on the bundled scenario and on
every reference scenario (issue 12: tornado was about 300 columns, signals 298, evaluate 160,
and simulate turned its options into columns on wide files).
"""

from __future__ import annotations

import contextlib
import io
import sys

import pytest
from paths import REPO, VENEZUELA

from model.cli import main
from model.io import load
from model.results import Table, note_lines, table

FILES = [VENEZUELA, *sorted((REPO / "scenarios" / "reference").glob("*.yaml"))]

COMMANDS = {
    "evaluate": ["evaluate"],
    "simulate": ["simulate", "--samples", "300"],
    "tornado": ["sensitivity", "--kind", "tornado"],
    "spider": ["sensitivity", "--kind", "spider", "--points", "5"],
    "two-way": ["sensitivity", "--kind", "two-way", "--points", "9"],
    "thresholds": ["sensitivity", "--kind", "thresholds", "--points", "17"],
    "voi": ["voi", "--samples", "300"],
    "compare-mavt": ["compare", "--method", "mavt"],
    "compare-topsis": ["compare", "--method", "topsis"],
    "compare-smaa": ["compare", "--method", "smaa", "--samples", "300"],
    "compare-worlds": ["compare", "--worlds"],
    "signals": ["signals"],
    "update": ["update"],
    "ladder": ["ladder"],
    "ach": ["ach"],
    **{f"matrix-{k}": ["matrix", "--kind", k] for k in ("consequences", "responses", "risks", "outcomes",
                                                          "dominance")},
}

# the table whose rows must be the options, where the command prints one
MAIN_TABLE = {"evaluate": "Ranking", "simulate": "Monte Carlo: utility", "compare-mavt": "Ranking (",
              "compare-topsis": "Ranking (", "compare-smaa": "Rank acceptability",
              "compare-worlds": "Value in each world", "matrix-consequences": "Expected consequences",
              "matrix-responses": "Actor responses", "matrix-dominance": "Dominance"}


def run(monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("JUNCTURE_WIDTH", raising=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(argv))
    return rc, out.getvalue(), err.getvalue()


def _section(text: str, title: str) -> list[str]:
    """The lines of the table whose title starts with `title`, up to the next blank line after its body."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    body = lines[start:]
    end = next((i for i, line in enumerate(body) if i > 3 and not line.strip()), len(body))
    return body[:end]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_fits_100_columns_with_options_as_rows(monkeypatch, name, path):
    rc, out, _ = run(monkeypatch, COMMANDS[name][0], str(path), *COMMANDS[name][1:])
    if rc == 2:  # the file lacks what the command reads (no indicators, no ladder): a usage error
        return
    assert rc == 0
    wide = [line for line in out.splitlines() if len(line) > 100]
    assert not wide, f"{len(wide)} lines over 100 columns, the first: {wide[0]!r}"
    if name in MAIN_TABLE and MAIN_TABLE[name].split("(")[0].strip() in out:
        sc = load(path)
        section = _section(out, MAIN_TABLE[name])
        for o in sc.option_ids:
            shown = next((x.name for x in sc.options if x.id == o and x.name), o)
            assert any(line.startswith(shown[:40]) for line in section), (name, shown, section)


def test_names_replace_ids_in_text_and_json_keeps_ids(monkeypatch):
    _, text, _ = run(monkeypatch, "evaluate", str(VENEZUELA))
    assert "Strikes on military targets" in text
    _, js, _ = run(monkeypatch, "evaluate", str(VENEZUELA), "--json")
    assert '"strikes"' in js and "Strikes on military targets" not in js


def test_no_parameter_path_outside_a_parameter_column(monkeypatch):
    _, out, _ = run(monkeypatch, "sensitivity", str(VENEZUELA), "--kind", "thresholds", "--points", "17")
    listed = out.split("The numbers above by name")[0]
    assert "events.venezuelan_military_response.probability" not in listed
    assert "P(" in listed


def test_a_wide_table_splits_and_repeats_its_row_labels():
    rows = ["a fairly long option name", "short"]
    cols = [f"criterion number {j} with a long header" for j in range(12)]
    t = table("Wide", "option", rows, cols, [[1234.5678 * (j + 1) for j in range(12)] for _ in rows],
              units=["USD bn"] * 11 + ["an index from 0 (none) to 10 (the most anyone has seen)"],
              notes=["a note that is much longer than the width " * 4])
    text = t.to_text(max_width=60)
    lines = text.splitlines()
    assert max(len(x) for x in lines) <= 60
    pieces = [i for i, x in enumerate(lines) if x.startswith("option")]
    assert len(pieces) > 1                                     # split into several tables
    assert sum(x.startswith("a fairly long option name") for x in lines) == len(pieces)
    assert sum(x.startswith("short") for x in lines) == len(pieces)
    assert any(x.startswith("note: units:") for x in lines)   # the long unit went to the legend
    assert any(x.startswith("      ") for x in lines)         # notes wrap with an indent
    assert t.to_dict()["short"][cols[0]] == pytest.approx(1234.5678)


def test_long_text_cells_and_row_labels_wrap_in_their_column():
    t = table("Text", "option", ["an option whose name is long enough to be wrapped " * 2, "b"], ["why"],
              [["a reason that goes on and on, " * 6], ["short"]])
    lines = t.to_text(max_width=70).splitlines()
    assert max(len(x) for x in lines) <= 70
    assert lines[-1].startswith("b")


def test_labels_are_for_text_only():
    t = table("T", "option", ["strikes"], ["cost score"], [[1.0]]).with_labels({"strikes": "Strikes",
                                                                                  "cost": "Budgetary cost"})
    text = t.to_text(max_width=80)
    assert "Strikes" in text and t.label("cost score") == "Budgetary cost score"
    assert "Budgetary" in text
    assert t.to_dict() == {"strikes": {"cost score": 1.0}}
    assert isinstance(t, Table)


def test_notes_wrap_with_an_indent():
    lines = note_lines(["word " * 40], 50)
    assert lines[0].startswith("note: ") and all(x.startswith("      ") for x in lines[1:])
    assert max(len(x) for x in lines) <= 50


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("argv", [["simulate", "--samples", "20000"], ["voi", "--samples", "20000"]])
def test_quiet_prints_no_progress(monkeypatch, argv):
    from model.analysis import montecarlo

    monkeypatch.setattr(montecarlo.Progress, "__init__", _instant(montecarlo.Progress.__init__))
    err = _Tty()
    monkeypatch.setattr(sys, "stderr", err)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([argv[0], str(VENEZUELA), *argv[1:], "--quiet"]) == 0
    assert "simulate [" not in err.getvalue()
    err2 = _Tty()
    monkeypatch.setattr(sys, "stderr", err2)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([argv[0], str(VENEZUELA), *argv[1:]]) == 0
    assert "simulate [" in err2.getvalue()                    # on a terminal, without --quiet: shown


def _instant(init):
    def wrapped(self, total, label, enabled=None, delay=0.5):
        init(self, total, label, enabled, 0.0)                # no delay, so a short run shows it
    return wrapped


def test_report_quiet_flag_is_accepted(monkeypatch, tmp_path):
    from model.commands import _common

    shown = []
    monkeypatch.setattr(_common.Working, "__enter__", lambda self: shown.append(self.on) or self)
    monkeypatch.setattr(sys, "stderr", _Tty())
    with contextlib.redirect_stdout(io.StringIO()):
        rc = main(["report", str(REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"),
                   "-o", str(tmp_path), "--samples", "200", "--quiet"])
    assert rc == 0 and shown == [False]


def test_report_shows_how_many_sections_are_done_on_a_terminal(monkeypatch, tmp_path):
    """issue 12: the report's progress line counts its sections (and is cleared at the end)."""
    from model.commands import _common

    lines: list[str] = []
    real_step = _common.Working.step
    monkeypatch.setattr(_common.Working, "step",
                        lambda self, k, n, what: (real_step(self, k, n, what), lines.append(self.done)))
    monkeypatch.setattr(sys, "stderr", _Tty())
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["report", str(REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"),
                     "-o", str(tmp_path), "--samples", "200"]) == 0
    n = int(lines[-1].split("/")[1].split()[0])
    assert len(lines) == n and lines[-1].startswith("[" + "#" * 20 + f"] {n}/{n} sections")
