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
