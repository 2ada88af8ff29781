"""`juncture plot FILE KIND -o PATH`: files written, never over an existing one without --force."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, TEXACO, VENEZUELA

from model.cli import main
from model.commands import report

from paths import VENEZUELA_FROZEN

PNG = b"\x89PNG\r\n\x1a\n"


def juncture(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)


def test_plot_end_to_end_writes_a_png_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "tree.png"
    r = juncture("plot", VENEZUELA, "tree", "--depth", "2", "-o", out)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(out)
    data = out.read_bytes()
    assert data.startswith(PNG) and len(data) > 10_000

    r = juncture("plot", VENEZUELA, "tree", "-o", out)
    assert r.returncode == 2
    assert "--force" in r.stderr and str(out) in r.stderr
    assert out.read_bytes() == data                                    # untouched

    r = juncture("plot", VENEZUELA, "consequences", "-o", out, "--force")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() != data


def test_plot_of_a_bad_scenario_reports_file_line_col(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: {id: x, title: X}\ncriteria: [{id: cost, direction: min}]\n"
                   "options:\n  - {id: a, impacts: {cost: bilions}}\n", encoding="utf-8")
    r = juncture("plot", bad, "tree", "-o", tmp_path / "t.png")
    assert r.returncode == 2
    assert f"{bad}:4:29: options[0].impacts.cost: 'bilions' is not a number" in r.stderr
    assert not (tmp_path / "t.png").exists()


@pytest.mark.parametrize("kind", ["consequences", "responses", "risks", "tree", "evidence"])
def test_every_kind_writes_its_file(tmp_path, kind, capsys):
    out = tmp_path / f"{kind}.svg"
    assert main(["plot", str(VENEZUELA), kind, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_without_suffix_all_three_formats(tmp_path, capsys):
    assert main(["plot", str(TEXACO), "tree", "-o", str(tmp_path / "texaco")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["texaco.pdf", "texaco.png", "texaco.svg"]
    assert capsys.readouterr().out.split() == [str(tmp_path / f"texaco.{f}") for f in ("png", "svg", "pdf")]


@pytest.mark.parametrize("args, message", [
    (["tre"], "no plot kind 'tre'; did you mean 'tree'?"),
    (["consequences", "--depth", "2"], "--depth applies to the tree only"),
    (["tree", "--depth", "-1"], "--depth must be 0 or more"),
    (["evidence", "--world", "russia_committed"], "--world does not change the evidence figure"),
    (["tree", "--world", "russia_comitted"], "no world 'russia_comitted'"),
])
def test_usage_errors_exit_2(tmp_path, capsys, args, message):
    kind, *rest = args
    assert main(["plot", str(VENEZUELA_FROZEN), kind, "-o", str(tmp_path / "x.png"), *rest]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_bad_output_paths_exit_2(tmp_path, capsys):
    assert main(["plot", str(TEXACO), "tree", "-o", str(tmp_path / "x.jpg")]) == 2
    assert ".png, .svg or .pdf" in capsys.readouterr().err
    (tmp_path / "f").write_text("a file")
    assert main(["plot", str(TEXACO), "tree", "-o", str(tmp_path / "f" / "x.png")]) == 2
    assert f"{tmp_path / 'f'} is a file, not a folder" in capsys.readouterr().err


def test_a_missing_folder_is_created_as_the_report_does(tmp_path, capsys):
    out = tmp_path / "new" / "deeper" / "tree.png"
    assert main(["plot", str(TEXACO), "tree", "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # a figure that cannot be drawn leaves no folder behind
    assert main(["plot", str(TEXACO), "voi", "--top", "0", "-o", str(tmp_path / "none" / "v.png")]) == 2
    assert not (tmp_path / "none").exists()


def test_the_world_changes_the_figure(tmp_path, capsys):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    path = str(VENEZUELA_FROZEN)
    assert main(["plot", path, "responses", "-o", str(a)]) == 0
    assert main(["plot", path, "responses", "--world", "russia_committed", "-o", str(b)]) == 0
    assert a.read_bytes() != b.read_bytes()


def test_other_analyses_can_register_a_kind(tmp_path, monkeypatch, capsys):
    seen = {}

    def draw(args):
        from model.plots import style

        seen["file"] = args.file
        ax = style.new_axes(None, (4, 3))
        ax.plot([0, 1], [0, 1])
        return ax

    monkeypatch.setattr(report, "PLOT_KINDS", dict(report.PLOT_KINDS))
    report.register_plot("diagonal", draw, "a test figure")
    with pytest.raises(ValueError, match="already registered"):
        report.register_plot("diagonal", draw, "twice")
    out = tmp_path / "d.png"
    assert main(["plot", str(TEXACO), "diagonal", "-o", str(out)]) == 0
    assert seen["file"] == str(TEXACO) and out.read_bytes().startswith(PNG)


@pytest.mark.parametrize("kind", ["consequences", "tree"])
def test_the_point_figures_still_take_options_they_do_not_read(tmp_path, capsys, kind):
    """The first release accepted --samples/--seed on these kinds and ignored them; scripts written
    then must keep working (issue 10: every flag kept exactly)."""
    out = tmp_path / f"{kind}.svg"
    assert main(["plot", str(VENEZUELA_FROZEN), kind, "-o", str(out), "--samples", "5", "--seed", "3"]) == 0
    assert out.exists()
