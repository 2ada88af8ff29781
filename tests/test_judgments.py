"""Judgments and `juncture brief`: estimative words by the file's bands, names not paths, one page."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import model
from model.analysis.judgments import BRIEF_WORDS, judgments, likelihood_word
from model.compile import compile_scenario

ROOT = Path(__file__).resolve().parents[1]
VENEZUELA = ROOT / "scenarios" / "venezuela.yaml"
TEXACO = ROOT / "scenarios" / "reference" / "texaco_pennzoil.yaml"


@pytest.mark.parametrize("p, word", [(0.03, "almost no chance"), (0.10, "very unlikely"), (0.30, "unlikely"),
                                     (0.50, "roughly even chance"), (0.62, "likely"), (0.90, "very likely"),
                                     (0.97, "almost certain"), (0.001, "almost no chance"), (1.0, "almost certain")])
def test_likelihood_words_follow_the_icd203_bands_of_model_io(p, word):
    # bands from ICD 203 as model/io/numbers.py writes them (almost no chance 1-5%, ..., almost certain 95-99%)
    assert likelihood_word(p) == word


@pytest.fixture(scope="module")
def venezuela():
    return judgments(compile_scenario(model.load(VENEZUELA)), samples=500)


def test_key_judgments_state_likelihood_and_confidence_apart(venezuela):
    assert 3 <= len(venezuela.key) <= 6
    for j in venezuela.key:
        assert j.confidence in ("low", "moderate", "high")
        assert j.likelihood in j.text and j.basis
    text = " ".join([j.text for j in venezuela.key] + [t for _, t in venezuela.bottom_line()])
    for bit in ("events.", "options.", ".probability.", "criteria.", "weight_profiles."):
        assert bit not in text


def test_an_exact_file_has_no_uncertainty_to_weigh():
    j = judgments(compile_scenario(model.load(TEXACO)))
    assert "exact" in j.bottom_line()[0][1]


def test_juncture_brief_fits_a_page_and_says_p_best_switch_point_and_indicator(tmp_path):
    run = subprocess.run([sys.executable, "-m", "model", "brief", str(VENEZUELA)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert len(text.split()) <= BRIEF_WORDS
    sc = model.load(VENEZUELA)
    # P(best) in words with the number beside it
    assert re.search(r"(almost no chance|very unlikely|unlikely|roughly even chance|likely|very likely|almost certain)"
                     r" \(<?>?\d+% of [\d,]+ draws", text)
    assert "weight on" in text and "Switch points" in text                 # the weight switch point
    names = [i.name or i.id for i in sc.indicators]
    assert any(n in text for n in names)                                   # the top indicator
    out = tmp_path / "brief.md"
    run = subprocess.run([sys.executable, "-m", "model", "brief", str(VENEZUELA), "-o", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and out.read_text(encoding="utf-8") == text


def test_an_assumption_is_listed_by_its_first_clause():
    from model.analysis.judgments import short_statement

    # parentheses go, the first clause stays (cut at the semicolon)
    assert short_statement("Given the option, the events (A, B and C) are independent of one another; only the "
                           "order after removal depends on an earlier event.") == \
        "Given the option, the events are independent of one another."
    # longer than 12 + 3 words: cut at the last comma from the 6th word on
    assert short_statement("Maduro's removal within the horizon is likely with a large force, roughly even with "
                           "a raid aimed at him, unlikely after strikes.") == \
        "Maduro's removal within the horizon is likely with a large force."
    # no comma to cut at: 12 words and an ellipsis, never a cut inside a word
    assert short_statement(" ".join(f"w{k}" for k in range(20))) == " ".join(f"w{k}" for k in range(12)) + " …"


def test_the_brief_lists_load_bearing_assumptions_as_a_clean_list(venezuela):
    from model.analysis import sensitivity
    from model.analysis.judgments import BRIEF_ASSUMPTIONS
    from model.io import iter_numbers

    text = venezuela.markdown()
    block = text.split("**Load-bearing assumptions.**")[1].split("## Key judgments")[0]
    items = [line[2:] for line in block.splitlines() if line.startswith("- ")]
    shown, last = items[:-1], items[-1]
    assert 1 <= len(shown) <= BRIEF_ASSUMPTIONS
    assert last == f"and {len(venezuela.assumptions) - len(shown)} more (see the report)."
    sc = model.load(VENEZUELA)
    statements = {a.statement for a in sc.assumptions if a.load_bearing}
    for item in shown:
        assert item.endswith((".", "…")) and "..." not in item
        head = item.rstrip(".… ").split(",")[0]
        assert any(" ".join(st.split()).startswith(head) for st in statements), item
    # the first is the first load-bearing assumption cited by the numbers in the tornado's order
    # (largest swing first)
    cites = {r.name: r.assumptions for r in iter_numbers(sc)}
    lb = {a.id: a for a in sc.assumptions if a.load_bearing}
    order = [a for n in sensitivity.tornado(compile_scenario(sc)).names for a in cites.get(n, ()) if a in lb]
    first = lb[order[0]] if order else next(iter(lb.values()))
    assert " ".join(first.statement.split()).startswith(shown[0].rstrip(".… ").split(",")[0])
