"""`juncture compare` and `juncture diff`: the JSON shapes the issue promises, the reference
answers through the command line, and bad arguments refused with exit 2."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import REPO

from model.cli import main

from paths import VENEZUELA_FROZEN

PHONES = str(REPO / "scenarios" / "reference" / "topsis_phones.yaml")
REGRET = str(REPO / "scenarios" / "reference" / "regret_three_worlds.yaml")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys, *args: str) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_topsis_json(capsys):
    d = as_json(capsys, "compare", PHONES, "--method", "topsis")
    assert d["method"] == "topsis"
    assert d["ranking"] == ["o3", "o2", "o1"]
    for o, c in {"o1": 0.336296, "o2": 0.355101, "o3": 0.644899}.items():
        assert d["scores"][o] == pytest.approx(c, abs=1e-6)
    assert d["choices"]["normalisation"] == "vector" and d["choices"]["cost"] == "ideal"
    assert d["weights"] == {"price": 0.4, "storage": 0.3, "camera": 0.3}


def test_mavt_json_is_the_default_with_every_weighting_beside_it(capsys):
    d = as_json(capsys, "compare", PHONES)
    assert d["method"] == "mavt" and set(d["scores"]) == {"o1", "o2", "o3"}
    assert d["ranking"][0] == "o3"
    assert d["choices"]["value_range"] == "criteria" and "ranges" in d["choices"]
    assert set(d["weightings"]) == {"given", "equal"}
    assert sum(d["weightings"]["equal"]["weights"].values()) == pytest.approx(1.0)


def test_choices_on_the_command_line_are_echoed(capsys):
    d = as_json(capsys, "compare", PHONES, "--method", "topsis", "--normalisation", "minmax", "--cost",
                "reciprocal", "--weighting", "equal")
    assert d["choices"]["normalisation"] == "minmax" and d["choices"]["cost"] == "reciprocal"
    assert d["weighting"] == "equal"


def test_smaa_json(capsys):
    d = as_json(capsys, "compare", VENEZUELA_FROZEN, "--method", "smaa", "--samples", "300", "--seed", "4")
    s = d["smaa"]
    assert d["method"] == "smaa" and s["samples"] == 300 and s["seed"] == 4
    options = ["strikes", "special_operation", "seize_infrastructure", "status_quo"]
    assert set(s["rank_acceptability"]) == set(options)
    b = np.array([s["rank_acceptability"][o] for o in options])
    np.testing.assert_allclose(b.sum(axis=0), 1.0)
    np.testing.assert_allclose(b.sum(axis=1), 1.0)
    assert set(s["central_weights"]) == set(options) and set(s["confidence"]) == set(options)
    first = next(o for o in options if s["central_weights"][o] is not None)
    assert sum(s["central_weights"][first].values()) == pytest.approx(1.0)
    # the same seed gives the same answer
    again = as_json(capsys, "compare", VENEZUELA_FROZEN, "--method", "smaa", "--samples", "300",
                    "--seed", "4")
    assert again["smaa"] == s


def test_worlds_json_on_the_regret_reference(capsys):
    d = as_json(capsys, "compare", REGRET, "--worlds", "--alpha", "0.3")
    w = d["worlds"]
    assert w["value"]["blockade"] == {"backs_down": 60.0, "stalemate": -20.0, "escalation": 10.0}
    assert w["regret"]["negotiate"] == {"backs_down": 20.0, "stalemate": 20.0, "escalation": 0.0}
    assert (w["minimax_regret"], w["maximin"], w["hurwicz"], w["laplace"]) == ("negotiate",) * 4
    assert w["maximax"] == "blockade" and w["hurwicz_alpha"] == 0.3
    assert w["hurwicz_value"] == pytest.approx({"negotiate": 19, "sanction": 9, "blockade": 4})
    assert w["max_regret"] == {"negotiate": 20.0, "sanction": 30.0, "blockade": 50.0}


def test_text_output_of_every_part(capsys):
    code, out, err = run(capsys, "compare", VENEZUELA_FROZEN, "--method", "smaa", "--samples", "200",
                         "--worlds", "--with-base")
    assert code == 0, err
    for title in ("Criterion weights", "Ranking (mavt)", "Value scores", "Rank acceptability (SMAA)",
                  "Central weight vectors", "Value in each world", "Regret in each world",
                  "Decision rules across worlds"):
        assert title in out, title
    assert "(base)" in out


def test_bad_arguments_exit_2_with_a_message(capsys):
    code, _, err = run(capsys, "compare", PHONES, "--worlds")
    assert code == 2 and "has no worlds" in err
    code, _, err = run(capsys, "compare", PHONES, "--method", "smaa", "--samples", "0")
    assert code == 2 and "--samples must be a positive number" in err
    code, _, err = run(capsys, "compare", REGRET, "--worlds", "--alpha", "2")
    assert code == 2 and "--alpha" in err
    code, _, err = run(capsys, "compare", PHONES, "--weighting", "rank")
    assert code == 2 and "needs a rank on every criterion: give each criterion `rank: N`" in err
    code, _, err = run(capsys, "compare", PHONES, "--profile", "cautious")
    assert code == 2 and "no weight profile 'cautious'" in err
    code, _, err = run(capsys, "compare", PHONES, "--world", "nowhere")
    assert code == 2 and "no world 'nowhere'" in err


OLD = """\
scenario: {id: d, title: Diff}
criteria: [{id: cost, unit: USD bn, direction: min}]
options: [{id: strikes, impacts: {cost: 4}}, {id: wait, impacts: {cost: 5}}]
events:
  - id: response
    depends_on: [option]
    states: {protest: {}, arms: {impacts: {cost: 10}}}
    probability:
      strikes: {protest: 0.95, arms: otherwise}
      wait: {protest: 1, arms: 0}
"""


def test_diff_json_and_text(capsys, tmp_path):
    # strikes costs 4 + 0.05 * 10 = 4.5 before, 4 + 0.3 * 10 = 7 after; wait costs 5
    (tmp_path / "old.yaml").write_text(OLD)
    (tmp_path / "new.yaml").write_text(OLD.replace("protest: 0.95", "protest: 0.7"))
    d = as_json(capsys, "diff", tmp_path / "old.yaml", tmp_path / "new.yaml")
    changed = "events.response.probability.strikes"
    assert [(c["name"], c["old"], c["new"]) for c in d["changes"]] == [(f"{changed}.protest", "0.95", "0.7")]
    assert d["ranking"] == {"before": ["strikes", "wait"], "after": ["wait", "strikes"]}
    assert d["moved"]["strikes"] == {"before": 1, "after": 2, "moved_most_by": [changed]}
    assert d["scores"]["after"] == {"strikes": -7.0, "wait": -5.0}
    code, out, err = run(capsys, "diff", tmp_path / "old.yaml", tmp_path / "new.yaml")
    assert code == 0 and f"strikes: rank 1 -> 2; moved most by {changed}" in out


def test_diff_of_a_bad_file_exits_2(capsys, tmp_path):
    (tmp_path / "bad.yaml").write_text("scenario: {id: x}\n")
    code, _, err = run(capsys, "diff", PHONES, tmp_path / "bad.yaml")
    assert code == 2 and "bad.yaml:" in err


def test_the_parser_offers_the_library_choices():
    import model.commands.compare as cmd
    from model.analysis import mcda, robustness, sampling, smaa, weights

    assert cmd.WEIGHTINGS == weights.WEIGHTINGS
    assert (cmd.NORMALISATIONS, cmd.COST_HANDLING, cmd.VALUE_RANGES) == (
        mcda.NORMALISATIONS, mcda.COST_HANDLING, mcda.VALUE_RANGES)
    assert (cmd.WEIGHT_MODES, cmd.CONSEQUENCES) == (smaa.WEIGHT_MODES, smaa.CONSEQUENCES)
    assert cmd.SCALES == robustness.SCALES and cmd.DEFAULT_SEED == sampling.DEFAULT_SEED


def test_compare_runs_as_a_command(juncture):
    p = juncture("compare", PHONES, "--method", "topsis", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["ranking"] == ["o3", "o2", "o1"]
