"""The `mlgrade` command, driven through Click's CliRunner on the tiny course."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import REFERENCE_ADDER, REFERENCE_LIB, write


@pytest.fixture
def ws(tmp_path: Path, cli_run) -> Path:
    result = cli_run("init", str(tmp_path / "journey"))
    assert result.exit_code == 0, result.output
    return tmp_path / "journey"


def solve_first(ws: Path) -> None:
    write(ws / "01_first/from_scratch/adder.py", REFERENCE_ADDER)
    write(ws / "01_first/library_impl/lib.py", REFERENCE_LIB)


def test_every_command_has_help_and_is_in_the_readme():
    from click.testing import CliRunner

    from grader.cli import cli

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and command.help, name
        assert f"mlgrade {name}" in readme, f"README has no entry for `mlgrade {name}`"


def test_init_copies_stubs_and_refuses_to_overwrite(ws, cli_run):
    assert (ws / "01_first/from_scratch/adder.py").read_text().startswith("def add")
    assert (ws / ".mlgrade/progress.db").is_file()
    assert not (ws / "01_first/hidden_tests").exists()
    again = cli_run("init", str(ws))
    assert again.exit_code == 2
    assert "already an mlgrade workspace" in again.stderr


def test_init_refuses_a_folder_holding_topic_folders(tmp_path, cli_run):
    write(tmp_path / "old/01_first/notes.md", "mine")
    result = cli_run("init", str(tmp_path / "old"))
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert (tmp_path / "old/01_first/notes.md").read_text() == "mine"


def test_check_failing_stub_then_passing(ws, cli_run):
    result = cli_run("check", "01_first", workspace=ws)
    assert result.exit_code == 1
    assert "not implemented yet (add: see README.md)" in result.stdout
    assert "Traceback" not in result.output
    solve_first(ws)
    result = cli_run("check", "1", workspace=ws)
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.stdout and "What you just learned: Adding arrays." in result.stdout
    assert "next: mlgrade check 02_second" in result.stdout


def test_check_json(ws, cli_run):
    solve_first(ws)
    data = json.loads(cli_run("check", "first", "--json", workspace=ws).stdout)
    assert data["version"] == 1 and data["verdict"] == "passed"
    assert data["score"] == data["max_score"] == 4 and data["next_topic"] == "02_second"
    assert {c["id"] for c in data["checks"]} == {"test_add", "test_add_scalars", "test_box"}


def test_locked_topic_exits_3_and_names_the_prerequisite(ws, cli_run):
    result = cli_run("check", "02_second", workspace=ws)
    assert result.exit_code == 3
    assert "finish 01_first first" in result.stderr


@pytest.mark.parametrize("query, suggestion", [("frist", "01_first"), ("secnd", "02_second"),
                                               ("7", None)])
def test_unknown_topic_exits_2_with_suggestions(ws, cli_run, query, suggestion):
    result = cli_run("check", query, workspace=ws)
    assert result.exit_code == 2
    assert f"unknown topic '{query}'" in result.stderr
    if suggestion:
        assert f"Did you mean: {suggestion}" in result.stderr
    assert "Traceback" not in result.output


def test_no_workspace_is_a_usage_error(tmp_path, cli_run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli_run("status")
    assert result.exit_code == 2 and "not inside an mlgrade workspace" in result.stderr


def test_status_dashboard_fits_80_columns_and_json(ws, cli_run):
    cli_run("check", "01_first", workspace=ws)
    solve_first(ws)
    cli_run("check", "01_first", workspace=ws)
    (ws / "01_first/from_scratch/adder.py").write_text(REFERENCE_ADDER + "\n# changed\n")
    result = cli_run("status", workspace=ws)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("01_first" in line and "passed*" in line and "4/4" in line for line in lines)
    assert any("02_second" in line and "current" in line for line in lines)
    assert "next: mlgrade check 02_second" in result.stdout
    data = json.loads(cli_run("status", "--json", workspace=ws).stdout)
    first = data["topics"][0]
    assert first["state"] == "passed" and first["attempts"] == 2 and first["changed_since_pass"]
    assert data["next_command"] == "mlgrade check 02_second"


def test_status_html_is_a_standalone_page(ws, cli_run, tmp_path):
    page = tmp_path / "dash.html"
    result = cli_run("status", "--html", str(page), workspace=ws)
    assert result.exit_code == 0
    html = page.read_text()
    assert html.startswith("<!doctype html>") and "01_first" in html and "<script" not in html


def test_bare_mlgrade_in_a_workspace_shows_the_dashboard(ws, cli_run, monkeypatch):
    monkeypatch.chdir(ws / "01_first")
    result = cli_run()
    assert result.exit_code == 0 and "next: mlgrade check 01_first" in result.stdout


def test_hints_come_in_order_and_are_recorded(ws, cli_run):
    first = cli_run("hint", "01_first", workspace=ws).stdout
    second = cli_run("hint", "01_first", workspace=ws).stdout
    third = cli_run("hint", "01_first", workspace=ws).stdout
    assert "Hint 1/2" in first and "Add the arrays." in first
    assert "Hint 2/2" in second and "last hint" in second and "Hint 2/2" in third
    data = json.loads(cli_run("status", "--json", workspace=ws).stdout)
    assert data["topics"][0]["hints_used"] == 2


def test_reset_backs_up_the_learner_files(ws, cli_run):
    solve_first(ws)
    result = cli_run("reset", "01_first", workspace=ws)
    assert result.exit_code == 0
    backups = list((ws / ".mlgrade/backups").glob("01_first-*"))
    assert len(backups) == 1
    assert (backups[0] / "from_scratch/adder.py").read_text() == REFERENCE_ADDER
    assert "NotImplementedError" in (ws / "01_first/from_scratch/adder.py").read_text()


def test_solution_only_after_passing(ws, cli_run):
    refused = cli_run("solution", "01_first", workspace=ws)
    assert refused.exit_code != 0 and "opens once you pass it" in refused.output
    solve_first(ws)
    cli_run("check", "01_first", workspace=ws)
    shown = cli_run("solution", "01_first", workspace=ws)
    assert shown.exit_code == 0 and "def add(a, b)" in shown.stdout


def test_corrupt_progress_store_is_reported_and_kept(ws, cli_run):
    db = ws / ".mlgrade/progress.db"
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    result = cli_run("status", workspace=ws)
    assert result.exit_code == 2
    assert "is damaged" in result.stderr and "will not overwrite it" in result.stderr
    assert "Traceback" not in result.output
    assert db.read_bytes() == before
    assert cli_run("check", "01_first", workspace=ws).exit_code == 2
    assert db.read_bytes() == before


def test_newer_progress_store_is_refused(ws, cli_run):
    con = sqlite3.connect(ws / ".mlgrade/progress.db")
    con.execute("PRAGMA user_version=99")
    con.close()
    result = cli_run("status", workspace=ws)
    assert result.exit_code == 2 and "written by a newer mlgrade" in result.stderr


def test_validate_tiny_course_is_sound(cli_run):
    result = cli_run("validate", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["sound"], result.stdout


def test_validate_reports_a_check_that_passes_on_the_stub(tmp_path, tiny_course):
    from click.testing import CliRunner

    from grader.cli import cli

    course = tmp_path / "course"
    shutil.copytree(tiny_course, course)
    hidden = course / "solutions/02_second/hidden_tests/test_second.py"
    hidden.write_text(hidden.read_text() + '\n\ndef test_always():\n    """always true"""\n')
    result = CliRunner().invoke(cli, ["--course", str(course), "validate", "02_second"])
    assert result.exit_code == 1
    assert "test_always passes on the shipped stub" in result.stdout


@pytest.mark.parametrize("edit, message", [
    (("requires: [01_first]", "requires: [01_frist]"), "topic 02_second: requires unknown topic '01_frist'"),
    (("requires: []", "requires: [02_second]"), "prerequisite cycle"),
    (("id: 02_second", "id: 01_first"), "topic 01_first: duplicate id"),
    (("hints: [", "hintz: ["), "topic 01_first: unknown key(s) hintz"),
    (("schema: 1", "schema: 7"), "schema 7 is not supported"),
])
def test_broken_curriculum_names_topic_and_key(tmp_path, tiny_course, edit, message):
    from click.testing import CliRunner

    from grader.cli import cli

    course = tmp_path / "course"
    shutil.copytree(tiny_course, course)
    yaml_path = course / "curriculum.yaml"
    yaml_path.write_text(yaml_path.read_text().replace(*edit, 1))
    result = CliRunner().invoke(cli, ["--course", str(course), "validate"])
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_missing_course_file_is_named(tmp_path, tiny_course):
    from click.testing import CliRunner

    from grader.cli import cli

    course = tmp_path / "course"
    shutil.copytree(tiny_course, course)
    (course / "exercises/02_second/from_scratch/twice.py").unlink()
    result = CliRunner().invoke(cli, ["--course", str(course), "validate", "02_second"])
    assert result.exit_code == 1
    assert "missing file exercises/02_second/from_scratch/twice.py" in result.stdout


def test_doctor(cli_run, ws):
    result = cli_run("doctor", workspace=ws)
    assert result.exit_code == 0, result.output
    assert "sandbox" in result.stdout and "progress" in result.stdout


def test_compare_writes_pngs_and_a_table(ws, cli_run):
    solve_first(ws)
    result = cli_run("compare", "01_first", workspace=ws)
    assert result.exit_code == 0, result.output
    png = ws / "01_first/comparison/sums.png"
    assert png.is_file() and png.stat().st_size > 1000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "yours" in result.stdout and "numpy" in result.stdout
    assert "a box's value" in result.stdout     # learner.probe of a function defined in a cell


def test_compare_on_a_stub_says_why_it_stopped(ws, cli_run):
    result = cli_run("compare", "01_first", workspace=ws)
    assert result.exit_code == 1 and "not implemented yet" in result.stdout


def test_generated_notebook_executes_on_the_reference(ws, cli_run, tiny_course):
    import nbformat
    from nbclient import NotebookClient

    solve_first(ws)
    result = cli_run("notebook", "01_first", workspace=ws)
    assert result.exit_code == 0, result.output
    path = ws / "01_first/comparison.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert (ws / "01_first/comparison/sums.png").is_file()
