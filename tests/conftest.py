"""Fixtures: a tiny course and workspace built in tmp_path, and the real course."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent

TINY_CURRICULUM = """\
schema: 1
title: Tiny course
defaults:
  call_timeout_s: 3
  import_timeout_s: 10
  memory_mb: 1024
topics:
  - id: 01_first
    title: First
    requires: []
    files:
      from_scratch: [adder.py]
      library_impl: [lib.py]
    hints: ["Add the arrays.", "Use a + b."]
    learned: Adding arrays.
  - id: 02_second
    title: Second
    requires: [01_first]
    files:
      from_scratch: [twice.py]
"""

REFERENCE_ADDER = """\
import numpy as np


def add(a, b):
    return np.asarray(a, dtype=np.float64) + np.asarray(b, dtype=np.float64)
"""

REFERENCE_LIB = """\
class Box:
    def __init__(self, v):
        self.value = v

    def double(self):
        return self.value * 2


def make_box(v):
    return Box(v)
"""

HIDDEN_FIRST = '''\
import numpy as np
import pytest

from grader.testing import assert_close


@pytest.mark.points(2)
def test_add(learner, reference):
    """add() adds two arrays elementwise"""
    a = np.arange(6.0).reshape(2, 3)
    b = np.ones((2, 3))
    assert_close(learner.adder.add(a, b), reference.adder.add(a, b), name="add(a, b)",
                 hint="elementwise sum")


def test_add_scalars(learner):
    """add() works on scalars"""
    assert_close(learner.adder.add(2.0, 3.0), 5.0, name="add(2, 3)")


def _value_of(box):
    return box.value


def test_box(learner):
    """make_box keeps its value in the sandbox"""
    box = learner.lib.make_box(21)
    assert box.type_name == "Box"
    assert box.double() == 42, "Box.double should double"
    assert learner.probe(_value_of, box) == 21, "probe reads the value"
'''

COMPARE_FIRST = """\
# %% [markdown]
# # Adding arrays, yours and NumPy's

# %%
import matplotlib.pyplot as plt
import numpy as np

a, b = np.arange(5.0), np.linspace(0, 1, 5)
side_by_side("a + b", {"yours": learner.adder.add(a, b), "numpy": a + b})

# %%
fig, ax = plt.subplots()
ax.plot(learner.adder.add(a, b), "o-", label="yours")
ax.plot(a + b, "k--", label="numpy")
ax.legend()
save(fig, "sums")

# %%
def value_of(box):
    return box.value


side_by_side("a box's value, read next to your code", {"yours": [learner.probe(value_of, learner.lib.make_box(7))]})
"""

HIDDEN_SECOND = '''\
from grader.testing import assert_close


def test_twice(learner):
    """twice doubles"""
    assert_close(learner.twice.twice(4.0), 8.0, name="twice(4)")
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def stub(func: str, args: str = "a, b") -> str:
    return f'def {func}({args}):\n    raise NotImplementedError("{func}: see README.md")\n'


@pytest.fixture(scope="session")
def tiny_course(tmp_path_factory) -> Path:
    """The tiny course on disk (shared by the session: tests must not modify it)."""
    root = tmp_path_factory.mktemp("tiny") / "course"
    write(root / "curriculum.yaml", TINY_CURRICULUM)
    ex, sol = root / "exercises", root / "solutions"
    write(ex / "01_first/README.md", "# First\nImplement add(a, b).\n")
    write(ex / "01_first/from_scratch/adder.py", stub("add"))
    write(ex / "01_first/library_impl/lib.py", stub("make_box", "v"))
    write(sol / "01_first/from_scratch/adder.py", REFERENCE_ADDER)
    write(sol / "01_first/library_impl/lib.py", REFERENCE_LIB)
    write(sol / "01_first/hidden_tests/test_first.py", HIDDEN_FIRST)
    write(sol / "01_first/compare.py", COMPARE_FIRST)
    write(ex / "02_second/README.md", "# Second\n")
    write(ex / "02_second/from_scratch/twice.py", stub("twice", "x"))
    write(sol / "02_second/from_scratch/twice.py", "def twice(x):\n    return 2 * x\n")
    write(sol / "02_second/hidden_tests/test_second.py", HIDDEN_SECOND)
    return root


@pytest.fixture(scope="session")
def course(tiny_course: Path):
    from grader.curriculum import load_course

    return load_course(tiny_course)


@pytest.fixture(scope="session")
def warm_checker(tiny_course: Path):
    from grader.warm import WarmChecker

    with WarmChecker(tiny_course) as checker:
        yield checker


@pytest.fixture(params=["cold", "warm"])
def grade(request, course):
    """Grade a learner folder of the tiny course cold (new processes) or warm (forked)."""
    from grader.api import check_topic

    if request.param == "cold":
        return lambda topic_id, folder: check_topic(course, course.topic(topic_id), folder)
    checker = request.getfixturevalue("warm_checker")
    return lambda topic_id, folder: checker.check(topic_id, folder)


@pytest.fixture
def learner_dir(tmp_path: Path, tiny_course: Path) -> Path:
    """A copy of topic 01's reference as a learner folder, to be broken by each test."""
    import shutil

    dest = tmp_path / "learner" / "01_first"
    shutil.copytree(tiny_course / "solutions/01_first", dest,
                    ignore=shutil.ignore_patterns("hidden_tests"))
    return dest


@pytest.fixture
def cli_run(tiny_course: Path):
    """Run the CLI against the tiny course; returns click's Result."""
    from grader.cli import cli

    runner = CliRunner()

    def run(*args: str, workspace: Path | None = None):
        opts = ["--course", str(tiny_course)]
        if workspace is not None:
            opts += ["-w", str(workspace)]
        return runner.invoke(cli, [*opts, *args], catch_exceptions=False)

    return run
