"""A learner may solve a file in a notebook next to the stub; the notebook takes precedence."""

from __future__ import annotations

import nbformat
import pytest

from grader import results as R


def notebook(path, *cells, scratch=()):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# My adder"))
    for i, src in enumerate(cells, start=2):
        cell = nbformat.v4.new_code_cell(src)
        if i in scratch:
            cell.metadata["tags"] = ["scratch"]
        nb.cells.append(cell)
    nbformat.write(nb, str(path))
    return path


ADD = "def add(a, b):\n    return np.asarray(a, dtype=float) + np.asarray(b, dtype=float)"


def test_notebook_solution_passes_and_takes_precedence(grade, learner_dir):
    (learner_dir / "from_scratch/adder.py").write_text("def add(a, b):\n    return 0\n")
    notebook(learner_dir / "from_scratch/adder.ipynb",
             "%matplotlib inline\nimport numpy as np\n!echo shell lines are skipped", ADD,
             "add(1, 2)\nraise RuntimeError('scratch cells are not graded')", scratch={4})
    result = grade("01_first", learner_dir)
    assert result.verdict == R.PASSED, result


def test_syntax_error_in_the_third_cell_names_the_cell(grade, learner_dir):
    notebook(learner_dir / "from_scratch/adder.ipynb", "import numpy as np", "x = 1",
             "def add(a, b)\n    return a + b")
    result = grade("01_first", learner_dir)
    assert result.verdict == R.NOT_GRADABLE
    assert result.problems == ["from_scratch/adder.ipynb, cell 4, line 1: expected ':'"]


def test_runtime_error_points_at_cell_and_line(grade, learner_dir):
    notebook(learner_dir / "from_scratch/adder.ipynb", "import numpy as np",
             "def add(a, b):\n    x = 1\n    return a['missing'] + b")
    result = grade("01_first", learner_dir)
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.ERROR
    assert "adder.ipynb, cell 3, line 3 in add" in check.message
    assert "return a['missing'] + b" in check.message


def test_unreadable_notebook_is_not_gradable(grade, learner_dir):
    (learner_dir / "from_scratch/adder.ipynb").write_text("{ not json")
    result = grade("01_first", learner_dir)
    assert result.verdict == R.NOT_GRADABLE
    assert "adder.ipynb: not a readable notebook" in result.problems[0]


@pytest.mark.parametrize("forbidden", ["import sklearn", "from torch import nn"])
def test_forbidden_import_in_a_notebook_cell(grade, learner_dir, forbidden):
    notebook(learner_dir / "from_scratch/adder.ipynb", "import numpy as np", forbidden, ADD)
    result = grade("01_first", learner_dir)
    assert result.verdict == R.FORBIDDEN_IMPORT
    assert "from_scratch/adder.ipynb, cell 3, line 1" in result.problems[0]
