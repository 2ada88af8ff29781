"""House style and `save`: files written whole, in the formats asked for, never over a file unless forced."""

from __future__ import annotations

import subprocess
import sys

import matplotlib as mpl
import pytest

from model.analysis import matrices
from model.plots import consequence_heatmap, save, style
from model.plots.style import targets

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF"}


@pytest.fixture
def ax(texaco):
    return consequence_heatmap(matrices.consequences(texaco))


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_by_suffix_writes_that_format(ax, tmp_path, fmt):
    out = save(ax, tmp_path / f"fig.{fmt}")
    assert out == [tmp_path / f"fig.{fmt}"]
    data = out[0].read_bytes()
    assert data.startswith(MAGIC[fmt]) and len(data) > 1000
    assert [p.name for p in tmp_path.iterdir()] == [f"fig.{fmt}"]   # no temporary file left behind


def test_save_without_suffix_writes_all_three(ax, tmp_path):
    out = save(ax.get_figure(), tmp_path / "fig")
    assert [p.name for p in out] == ["fig.png", "fig.svg", "fig.pdf"]
    for p in out:
        assert p.read_bytes().startswith(MAGIC[p.suffix[1:]])


def test_save_formats_argument_replaces_the_suffix(ax, tmp_path):
    out = save(ax, tmp_path / "fig.png", formats=["svg", "pdf"])
    assert sorted(p.name for p in out) == ["fig.pdf", "fig.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.pdf", "fig.svg"]


def test_save_refuses_to_overwrite_unless_forced(ax, tmp_path):
    p = tmp_path / "fig.png"
    p.write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match="force"):
        save(ax, p)
    assert p.read_bytes() == b"keep me"
    save(ax, p, force=True)
    assert p.read_bytes().startswith(MAGIC["png"])


def test_save_checks_every_target_before_writing_any(ax, tmp_path):
    (tmp_path / "fig.svg").write_text("old")
    with pytest.raises(FileExistsError, match="fig.svg"):
        save(ax, tmp_path / "fig")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.svg"]


def test_save_rejects_other_image_formats(ax, tmp_path):
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        save(ax, tmp_path / "fig.jpg")
    with pytest.raises(ValueError, match="unknown format"):
        save(ax, tmp_path / "fig", formats=["gif"])


def test_a_dotted_name_without_a_known_suffix_gets_all_three(tmp_path):
    assert [p.name for p in targets(tmp_path / "venezuela.v2")] == [
        "venezuela.v2.png", "venezuela.v2.svg", "venezuela.v2.pdf"]


def test_same_figure_same_svg_and_pdf_bytes(ax, tmp_path):
    a = save(ax, tmp_path / "a", formats=["svg", "pdf"])
    b = save(ax, tmp_path / "b", formats=["svg", "pdf"])
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_figures_leave_global_rcparams_alone(texaco):
    before = dict(mpl.rcParams)
    consequence_heatmap(matrices.consequences(texaco))
    after = dict(mpl.rcParams)
    assert {k: v for k, v in after.items() if before[k] != v} == {}


def test_house_style_sizes_text_for_slides(texaco):
    ax = consequence_heatmap(matrices.consequences(texaco))
    sizes = [t.get_fontsize() for t in ax.texts] + [t.get_fontsize() for t in ax.get_xticklabels()]
    assert min(sizes) >= 10
    assert ax.title.get_fontsize() >= 14


def test_palette_is_okabe_ito():
    assert set(style.OKABE_ITO.values()) <= set(style.PALETTE)
    # the two ends of the calm-to-escalation scale are the last option colours: eight options
    # come before an option looks calm or escalated
    ends = {style.OKABE_ITO["bluish_green"], style.OKABE_ITO["vermillion"]}
    assert set(style.PALETTE[:8]).isdisjoint(ends) and set(style.PALETTE[8:]) == ends
    # the best path of a tree is emphasised in no option's colour: in an option's colour it would
    # name the wrong option to a reader of the other figures
    assert style.EMPHASIS not in style.PALETTE


def test_text_colour_reads_on_dark_and_light_fills():
    assert style.text_colour((0, 0, 0.3, 1)) == "white"
    assert style.text_colour((1, 1, 0.6, 1)) == "black"


def test_importing_model_does_not_import_matplotlib():
    code = ("import sys, model, model.cli; model.cli.build_parser(); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'pandas')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
