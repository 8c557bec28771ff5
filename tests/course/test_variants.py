"""The course is tested too: alternative correct solutions pass, plausible bugs fail.

Each folder ``tests/course/variants/<topic>/<name>/`` holds learner files (same layout as a
topic folder) laid over a copy of the reference solution, and ``expect.yaml``:

    description: what the variant does (a correct alternative, or the bug it has)
    verdict: passed | failed | error | ...     # the topic's verdict
    failing: [test_a, test_b]                  # exactly the checks that must not pass
    message_contains: ["a phrase", ...]        # each appears in some failing check's message
    only: [test_a, test_b, test_c]             # optional: run only these checks (speed)

A variant that expects ``passed`` always runs every check.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from grader import results as R
from grader.api import check_topic
from grader.curriculum import load_course

REPO = Path(__file__).resolve().parents[2]
VARIANTS = Path(__file__).resolve().parent / "variants"


def _variants():
    for expect in sorted(VARIANTS.glob("*/*/expect.yaml")):
        yield pytest.param(expect.parent, id=f"{expect.parent.parent.name}/{expect.parent.name}")


@pytest.fixture(scope="module")
def course():
    return load_course(REPO)


@pytest.mark.parametrize("variant", list(_variants()))
def test_variant(variant: Path, course, tmp_path: Path):
    spec = yaml.safe_load((variant / "expect.yaml").read_text(encoding="utf-8"))
    topic = course.topic(variant.parent.name)
    learner = tmp_path / topic.id
    shutil.copytree(course.solution_dir(topic), learner,
                    ignore=shutil.ignore_patterns("hidden_tests", "__pycache__"))
    shutil.copytree(variant, learner, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("expect.yaml", "__pycache__"))
    expected = spec["verdict"]
    only = None if expected == R.PASSED else spec.get("only")
    result = check_topic(course, topic, learner, select=only)
    not_passed = {c.id: c for c in result.checks if c.verdict not in (R.PASSED, R.SKIPPED)}
    report = "\n".join(f"  {c.id}: {c.verdict}: {c.message[:300]}" for c in result.checks
                       if c.verdict != R.PASSED) + "".join(f"\n  {p}" for p in result.problems)
    assert result.verdict == expected, f"{spec['description']}: got {result.verdict}\n{report}"
    if expected == R.PASSED:
        return
    if only:
        ran = {c.id for c in result.checks}
        assert ran == set(only), f"`only` names checks that do not exist: {set(only) - ran}"
    assert set(not_passed) == set(spec.get("failing", [])), (
        f"{spec['description']}: failing checks differ\n{report}")
    messages = "\n".join(c.message for c in not_passed.values()) + "\n".join(result.problems)
    for phrase in spec.get("message_contains", []):
        assert phrase.lower() in messages.lower(), (
            f"{spec['description']}: no failing message mentions {phrase!r}\n{report}")
