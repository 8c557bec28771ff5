"""Instructor tooling: `mlgrade new` → `mlgrade validate` round trip, and what the deeper
validate catches (checks that trivial cheats pass, flaky checks)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli
from tests.conftest import write


def run(course: Path, *args: str):
    return CliRunner().invoke(cli, ["--course", str(course), *args], catch_exceptions=False)


@pytest.fixture
def own_course(tiny_course: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(tiny_course, dest)
    text = (dest / "curriculum.yaml").read_text()
    (dest / "curriculum.yaml").write_text(text.replace(
        "topics:\n", "topics:\n  # the core path: keep this comment\n"))
    return dest


def test_new_scaffolds_a_topic_validate_calls_unsound_until_written(own_course: Path):
    res = run(own_course, "new", "03_scaling", "--title", "Feature scaling", "--after", "1")
    assert res.exit_code == 0, res.output
    assert "02_second now requires 03_scaling" in res.output

    from grader.curriculum import load_course

    course = load_course(own_course, check_files=True)
    assert [t.id for t in course.topics] == ["01_first", "03_scaling", "02_second"]
    assert course.topic("03_scaling").requires == ("01_first",)
    assert course.topic("02_second").requires == ("03_scaling",)
    assert course.topic("03_scaling").title == "Feature scaling"
    assert "# the core path: keep this comment" in (own_course / "curriculum.yaml").read_text()

    res = run(own_course, "validate", "03_scaling", "--json")
    assert res.exit_code == 1
    report = json.loads(res.output)["topics"][0]
    assert report["reference"]["verdict"] == "passed"      # the example check works...
    assert report["stub"]["verdict"] != "passed"
    assert any("mlgrade new` template" in p for p in report["problems"])   # ...but is a template

    # The instructor writes the topic: here, the example content with the markers removed.
    for path in [own_course / "curriculum.yaml", *own_course.rglob("*03_scaling*/**/*.*")]:
        if path.is_file():
            path.write_text(path.read_text().replace("mlgrade:template", ""))
    res = run(own_course, "validate", "03_scaling", "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)["topics"][0]
    assert report["sound"] and report["rerun"]["verdict"] == "passed"
    assert set(report["cheats"]) == {"zeros", "ones", "input", "constant",
                                     "sklearn in from_scratch"}
    assert report["cheats"]["sklearn in from_scratch"]["verdict"] == "forbidden import"
    assert all(not report["cheats"][k]["passed"] for k in ("zeros", "ones", "input", "constant"))


def test_new_refuses_existing_ids_and_leaves_the_course_alone(own_course: Path):
    before = (own_course / "curriculum.yaml").read_text()
    assert run(own_course, "new", "01_first", "--title", "again").exit_code == 2
    assert run(own_course, "new", "09_x", "--title", "x", "--after", "nope").exit_code == 2
    assert run(own_course, "new", "Bad-Id", "--title", "x").exit_code == 2
    assert (own_course / "curriculum.yaml").read_text() == before
    assert not (own_course / "exercises/09_x").exists()


WEAK_CHECKS = '''\
from pathlib import Path

from grader.testing import assert_close


def test_twice(learner):
    """twice doubles"""
    assert_close(learner.twice.twice(4.0), 8.0, name="twice(4)")


def test_twice_zero(learner):
    """twice(0) is 0 (a check a cheat returning zeros passes)"""
    assert learner.twice.twice(0.0) == 0.0, "twice(0) should be 0"


def test_first_run_only():
    """passes the first time only (a flaky check)"""
    counter = Path(__file__).with_name("runs.txt")
    n = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(n + 1))
    assert n == 0, f"run {n}"
'''


def test_validate_reports_cheats_and_flaky_checks(own_course: Path):
    write(own_course / "solutions/02_second/hidden_tests/test_second.py", WEAK_CHECKS)
    res = run(own_course, "validate", "2", "--json")
    assert res.exit_code == 1
    problems = json.loads(res.output)["topics"][0]["problems"]
    assert any(p.startswith("flaky: test_first_run_only") for p in problems), problems
    assert any("cheat 'zeros' passes test_twice_zero" in p for p in problems), problems
    assert not any("test_twice " in p or "passes test_twice," in p for p in problems)

    res = run(own_course, "validate", "2")     # the text report: a table per topic
    assert "test_twice_zero" in res.output and "zeros" in res.output
    assert "UNSOUND" in res.output
