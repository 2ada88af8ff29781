"""`juncture examples` and `juncture new` (issue 15): the bundled scenarios and the starters reach
an analyst wherever they work, with the schema beside them, and no file is ever replaced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model.cli import main
from model.io import load
from model.io.examples import SCHEMA_NAME, TEMPLATES, examples, examples_folder
from model.io.schema import schema_json

from paths import REPO


def bundled() -> list[str]:
    """The scenario files of the repository's scenarios/ folder, as names under it."""
    root = REPO / "scenarios"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))


def schema_target(scenario: Path) -> Path:
    """Where the file's `# yaml-language-server: $schema=...` header points, resolved beside it."""
    first = scenario.read_text(encoding="utf-8").splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, f"{scenario}: the first line names no schema: {first!r}"
    return (scenario.parent / m.group(1)).resolve()


# ------------------------------------------------------------------------------------- examples
def test_the_examples_are_the_repositorys_scenarios():
    assert examples_folder().resolve() == (REPO / "scenarios").resolve()  # an editable install reads them in place
    assert sorted(x.name for x in examples()) == bundled()
    assert examples()[0].name == "venezuela.yaml"


def test_examples_lists_each_with_its_question_on_one_line(capsys):
    assert main(["examples"]) == 0
    out = capsys.readouterr().out
    for name in bundled():
        assert sum(line.split()[0] == name for line in out.splitlines() if line.strip()) == 1, name
    assert "Should Pennzoil accept Texaco's $2bn settlement or" in out   # texaco_pennzoil.yaml's question
    assert max(len(line) for line in out.splitlines()) <= 100


def test_copy_writes_every_scenario_with_the_schema_their_headers_name(tmp_path, capsys):
    dest = tmp_path / "ex"
    assert main(["examples", "--copy", str(dest)]) == 0
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*.yaml"))
    assert copied == bundled()
    assert (dest / SCHEMA_NAME).read_text(encoding="utf-8") == schema_json()
    for name in copied:
        assert (dest / name).read_bytes() == (REPO / "scenarios" / name).read_bytes()
        assert schema_target(dest / name) == (dest / SCHEMA_NAME).resolve(), name
    assert f"copied {len(copied) + 1} files" in capsys.readouterr().out   # the scenarios and the schema
    load(dest / "reference" / "texaco_pennzoil.yaml")      # they load where they land


def test_copy_again_leaves_identical_files_and_refuses_changed_ones(tmp_path, capsys):
    dest = tmp_path / "ex"
    assert main(["examples", "--copy", str(dest)]) == 0
    assert main(["examples", "--copy", str(dest)]) == 0          # the same files: nothing to do
    assert "copied 0 files into" in capsys.readouterr().out
    mine = dest / "venezuela.yaml"
    mine.write_text(mine.read_text(encoding="utf-8") + "# my edit\n", encoding="utf-8")
    (dest / "reference" / "topsis_phones.yaml").unlink()
    assert main(["examples", "--copy", str(dest)]) == 2
    err = capsys.readouterr().err
    assert f"{mine} already exists with other content" in err and "never replaces a file" in err
    assert mine.read_text(encoding="utf-8").endswith("# my edit\n")
    assert not (dest / "reference" / "topsis_phones.yaml").exists()   # refused before writing anything


def test_copy_into_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "ex").write_text("x", encoding="utf-8")
    assert main(["examples", "--copy", str(tmp_path / "ex")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------ new
@pytest.mark.parametrize("template", list(TEMPLATES))
def test_every_starter_validates_where_it_is_written_with_its_schema(template, tmp_path, capsys):
    path = tmp_path / "work" / "My Crisis.yaml"          # a folder that does not exist yet
    assert main(["new", str(path), "--template", template]) == 0
    assert (tmp_path / "work" / SCHEMA_NAME).read_text(encoding="utf-8") == schema_json()
    assert schema_target(path) == (tmp_path / "work" / SCHEMA_NAME).resolve()
    assert main(["validate", "--no-critique", str(path)]) == 0
    assert load(path).meta.id == "my-crisis"              # the id follows the file name
    out = " ".join(capsys.readouterr().out.split())
    assert f"wrote {path} (template {template}" in out and f"juncture validate '{path}'" in out


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_every_block_of_a_starter_is_explained(template, tmp_path):
    path = tmp_path / "s.yaml"
    assert main(["new", str(path), "--template", template]) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = [i for i, line in enumerate(lines) if re.match(r"[a-z_]+:", line)]
    assert len(blocks) >= 4
    for i in blocks:  # each top-level key follows a comment, or a block a comment introduced with it
        above = lines[i - 1]
        assert above.startswith("#") or re.match(r"[a-z_]+:|  ", above), f"line {i + 1}: {lines[i]}"
    assert sum(line.startswith("#") for line in lines) >= 15


def test_new_never_replaces_a_file(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text("mine\n", encoding="utf-8")
    assert main(["new", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path} exists: `juncture new` never replaces a file; give another name" in err
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / SCHEMA_NAME).exists()


def test_new_keeps_a_schema_of_another_version_and_says_so(tmp_path, capsys):
    (tmp_path / SCHEMA_NAME).write_text("{}\n", encoding="utf-8")
    assert main(["new", str(tmp_path / "s.yaml")]) == 0
    assert (tmp_path / SCHEMA_NAME).read_text(encoding="utf-8") == "{}\n"
    assert "differs from this version's schema and was left as it is" in capsys.readouterr().out


def test_new_wants_a_yaml_name(tmp_path, capsys):
    assert main(["new", str(tmp_path / "s")]) == 2
    assert f"juncture new {tmp_path / 's.yaml'}" in capsys.readouterr().err
