"""`juncture ach FILE [--json]`: the JSON shape of issue 13, text that fits 100 columns and shows
names, exit 2 on a file without hypotheses, the figure and the report section."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re

import pytest
from paths import REPO, VENEZUELA

from model.cli import main

EXAMPLE = REPO / "scenarios" / "reference" / "ach_example.yaml"


def run(monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("JUNCTURE_WIDTH", raising=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(argv))
    return rc, out.getvalue(), err.getvalue()


def test_json_has_the_shape_the_issue_gives(monkeypatch):
    rc, out, _ = run(monkeypatch, "ach", str(EXAMPLE), "--json")
    assert rc == 0
    d = json.loads(out)
    # issue 13: {"hypotheses": [...], "inconsistency": {h: v}, "diagnosticity": {evidence: v},
    #            "posterior": {h: p} | null, "ranking": [...]}; then what this command adds
    assert list(d) == ["scenario", "event", "hypotheses", "inconsistency", "diagnosticity", "posterior", "ranking",
                       "matrix", "prior", "prior_source", "used_as_prior", "notes"]
    hyps = ["committed_patron", "opportunist", "bluffing"]
    assert d["hypotheses"] == hyps
    assert set(d["inconsistency"]) == set(hyps) and set(d["posterior"]) == set(hyps)
    # the example's header, by hand: inconsistency (2, 0, 2 sqrt 2); posterior (8, 25, 5) / 38
    assert d["inconsistency"]["bluffing"] == pytest.approx(2 * math.sqrt(2))
    assert d["posterior"] == pytest.approx({"committed_patron": 8 / 38, "opportunist": 25 / 38, "bluffing": 5 / 38})
    assert list(d["diagnosticity"]) == ["sa_delivery", "missile_remark", "port_call", "no_personnel",
                                        "media_silence", "respond_statement"]      # most diagnostic first
    assert d["ranking"] == ["opportunist", "committed_patron", "bluffing"]
    assert d["matrix"]["missile_remark"] == {"kind": "rating", "values": {"committed_patron": "C", "opportunist": "N",
                                                                          "bluffing": "II"},
                                             "weight": pytest.approx(1 / math.sqrt(2)), "credibility": "low",
                                             "relevance": "medium"}
    assert d["matrix"]["port_call"]["weight"] is None and d["used_as_prior"] is True


def test_json_posterior_is_null_without_likelihoods(monkeypatch, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"      likelihood:\n(        .*\n){2}", "", text)
    text = text.replace("    prior: ach\n", "    probability: {committed_patron: 0.2, opportunist: 0.5, bluffing: otherwise}\n")
    text = text.replace("      base_rates: {committed_patron: 0.2, opportunist: 0.5, bluffing: 0.3}\n", "")
    f = tmp_path / "ratings_only.yaml"
    f.write_text(text, encoding="utf-8")
    rc, out, err = run(monkeypatch, "ach", str(f), "--json")
    assert rc == 0, err
    d = json.loads(out)
    assert d["posterior"] is None and d["prior"] is None
    assert d["ranking"] == ["opportunist", "committed_patron", "bluffing"]   # inconsistency 0 < 2 < 2.83


def test_text_fits_100_columns_and_shows_names(monkeypatch):
    rc, out, _ = run(monkeypatch, "ach", str(EXAMPLE))
    assert rc == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "Committed patron" in out and "Competing hypotheses: The patron's resolve" in out
    assert "committed_patron" not in out
    assert "sa delivery: The patron has delivered air defences to its client." in out


def test_a_file_without_hypotheses_is_a_usage_error(monkeypatch):
    rc, out, err = run(monkeypatch, "ach", str(VENEZUELA) if "hypotheses:" not in VENEZUELA.read_text()
                       else str(REPO / "scenarios" / "reference" / "strategic_reply.yaml"))
    assert rc == 2 and not out
    assert "no event of this file has 'hypotheses:'" in err


def test_an_unknown_event_is_a_usage_error(monkeypatch):
    rc, _, err = run(monkeypatch, "ach", str(EXAMPLE), "--event", "reply")
    assert rc == 2 and "'reply' has no hypotheses; these do: patron_type" in err


def test_several_hypotheses_blocks_need_event(monkeypatch, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("  - id: reply\n", (
        "  - {id: client_type, kind: type, actor: us, states: {firm: {}, soft: {}}, probability: {firm: 0.5, soft: 0.5},\n"
        "     hypotheses: {ratings: {respond_statement: {firm: C, soft: I}}}}\n  - id: reply\n"))
    f = tmp_path / "two.yaml"
    f.write_text(text, encoding="utf-8")
    rc, _, err = run(monkeypatch, "ach", str(f))
    assert rc == 2 and "several events have hypotheses (patron_type, client_type): name one with --event" in err
    rc, out, _ = run(monkeypatch, "ach", str(f), "--event", "client_type", "--json")
    assert rc == 0 and json.loads(out)["inconsistency"] == {"firm": 0.0, "soft": 1.0}   # one I, medium weight


def test_update_will_not_write_over_a_prior_set_by_ach(monkeypatch, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8") + (
        "indicators:\n  - {id: troops, about: patron_type, "
        "likelihood: {committed_patron: 0.5, opportunist: 0.1, bluffing: 0.01}}\n")
    f = tmp_path / "with_indicator.yaml"
    f.write_text(text, encoding="utf-8")
    rc, _, err = run(monkeypatch, "update", str(f), "--observe", "troops", "--dry-run")
    assert rc == 2
    assert "are the posterior of its hypotheses (prior: ach)" in err


def test_the_figure_and_the_report_section(monkeypatch, tmp_path):
    from model.io import load
    from model.report import build_report

    rc, out, err = run(monkeypatch, "plot", str(EXAMPLE), "ach", "-o", str(tmp_path / "ach.svg"))
    assert rc == 0, err
    svg = (tmp_path / "ach.svg").read_text(encoding="utf-8")
    assert "leading:opportunist" in svg          # the leading hypothesis is outlined
    rep = build_report(load(EXAMPLE), samples=200, sections=("players", "ach"))
    assert '<section id="players"' in rep.html
    assert rep.html.index('<section id="players"') < rep.html.index('<section id="ach"')
    assert "ach" in [f.stem for f in rep.figures]
    without = build_report(load(REPO / "scenarios" / "reference" / "strategic_reply.yaml"), samples=200,
                           sections=("players", "ach"))
    assert 'id="ach"' not in without.html
