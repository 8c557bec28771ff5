"""How check outcomes become verdicts and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import write

FAILING_CHECKS = '''\
import pytest


def test_fail_message():
    """pytest.fail's message reaches the learner whole"""
    pytest.fail("twice(4) returned 6: " + "x" * 400)


def test_assert_message(learner):
    """an assert's message reaches the learner whole"""
    assert learner.twice.twice(4.0) == 9.0, "twice(4) should be 9 here: " + "y" * 400
'''


def test_pytest_fail_and_assert_messages_are_not_cut(tiny_course: Path, tmp_path: Path):
    from grader.api import check_topic
    from grader.curriculum import load_course

    course_dir = tmp_path / "course"
    shutil.copytree(tiny_course, course_dir)
    write(course_dir / "solutions/02_second/hidden_tests/test_second.py", FAILING_CHECKS)
    course = load_course(course_dir)
    topic = course.topic("02")
    result = check_topic(course, topic, course.solution_dir(topic))
    by_id = {c.id: c for c in result.checks}
    assert by_id["test_fail_message"].verdict == "failed"
    assert by_id["test_fail_message"].message == "twice(4) returned 6: " + "x" * 400
    assert by_id["test_assert_message"].message == "twice(4) should be 9 here: " + "y" * 400
