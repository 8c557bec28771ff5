"""Every way learner code can misbehave gets a named verdict, never a false pass."""

from __future__ import annotations

import pytest

from grader import results as R
from tests.conftest import REFERENCE_ADDER, write


@pytest.fixture
def run(grade, learner_dir):
    """Write the learner's adder.py (and other files), grade cold or warm."""

    def run_(course, learner_dir, adder: str | None = None, **files: str) -> R.TopicResult:
        if adder is not None:
            write(learner_dir / "from_scratch/adder.py", adder)
        for rel, text in files.items():
            write(learner_dir / rel.replace("__", "/"), text)
        return grade("01_first", learner_dir)

    return run_


def verdicts(result: R.TopicResult) -> dict[str, str]:
    return {c.id: c.verdict for c in result.checks}


def test_reference_passes(run, course, learner_dir):
    result = run(course, learner_dir)
    assert result.verdict == R.PASSED, result
    assert result.score == result.max_score == 4


def test_syntax_error_is_not_gradable(run, course, learner_dir):
    result = run(course, learner_dir, "def add(a, b)\n    return a + b\n")
    assert result.verdict == R.NOT_GRADABLE
    assert result.problems == ["from_scratch/adder.py:1: expected ':'"]


def test_exception_shows_only_learner_traceback(run, course, learner_dir):
    result = run(course, learner_dir, "def helper(a):\n    return a['x']\n\n"
                                      "def add(a, b):\n    return helper(a) + b\n")
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.ERROR
    assert "adder.add(ndarray(2, 3), ndarray(2, 3)) raised IndexError" in check.message
    assert "adder.py:5 in add" in check.message and "adder.py:2 in helper" in check.message
    assert "grader" not in check.message and "site-packages" not in check.message


def test_stub_reports_not_implemented(run, course, learner_dir):
    result = run(course, learner_dir, 'def add(a, b):\n    raise NotImplementedError("add: see README.md")\n')
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.ERROR
    assert "not implemented yet (add: see README.md)" in check.message


def test_infinite_loop_times_out_and_next_check_still_runs(run, course, learner_dir):
    result = run(course, learner_dir, REFERENCE_ADDER.replace(
        "def add(a, b):\n", "def add(a, b):\n    while np.ndim(a) == 2:\n        pass\n"))
    assert verdicts(result)["test_add"] == R.TIMEOUT
    assert "did not finish within 3 s" in result.checks[0].message
    # the child was killed and restarted: the scalar check runs and passes
    assert verdicts(result)["test_add_scalars"] == R.PASSED
    assert result.verdict == R.TIMEOUT


def test_infinite_loop_at_import_times_out_once(run, course, learner_dir):
    result = run(course, learner_dir, "while True:\n    pass\n")
    assert verdicts(result) == {"test_add": R.TIMEOUT, "test_add_scalars": R.TIMEOUT,
                                "test_box": R.PASSED}
    assert "loading adder: did not finish within 10 s" in result.checks[0].message
    assert "top level of the file" in result.checks[0].message
    assert result.checks[1].duration_s < 2, "a module that timed out loading is not retried"


def test_exception_at_import_is_an_error(run, course, learner_dir):
    result = run(course, learner_dir, "import numpy as np\nX = np.zeros(3)[5]\n")
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.ERROR
    assert "loading adder raised IndexError" in check.message and "adder.py:2" in check.message


def test_huge_allocation_is_out_of_memory(run, course, learner_dir):
    result = run(course, learner_dir, "import numpy as np\n\ndef add(a, b):\n"
                                      "    big = np.ones(10 * 2**30, dtype=np.uint8)\n"
                                      "    return a + b + big[0]\n")
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.CRASHED
    assert "ran out of memory (limit 1024 MiB)" in check.message


@pytest.mark.parametrize("code, expected", [
    ("import sys\nsys.exit(0)\n", "sys.exit(0)"),
    ("import os\nos._exit(0)\n", "exited with code 0"),
    ("def add(a, b):\n    import sys\n    sys.exit(0)\n", "sys.exit(0)"),
    ("def add(a, b):\n    import os\n    os._exit(0)\n", "exited with code 0"),
], ids=["sys.exit-import", "os._exit-import", "sys.exit-call", "os._exit-call"])
def test_exits_are_crashes(run, course, learner_dir, code, expected):
    result = run(course, learner_dir, code)
    assert verdicts(result)["test_add"] == R.CRASHED
    assert expected in result.checks[0].message
    assert result.verdict == R.CRASHED


def test_segfault_is_a_crash(run, course, learner_dir):
    result = run(course, learner_dir, "import ctypes\n\ndef add(a, b):\n"
                                      "    return ctypes.string_at(0)\n")
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.CRASHED
    assert "segmentation fault" in check.message


def test_huge_output_is_cut_and_does_not_pass_a_wrong_answer(run, course, learner_dir):
    result = run(course, learner_dir, "def add(a, b):\n    print('x' * 1_000_000)\n"
                                      "    return a - b\n")
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.FAILED
    assert len(check.output) < 3000 and "more bytes of output cut" in check.output


def test_huge_output_from_a_correct_answer_still_passes(run, course, learner_dir):
    result = run(course, learner_dir, REFERENCE_ADDER.replace(
        "def add(a, b):\n", "def add(a, b):\n    print('y' * 1_000_000)\n"))
    assert result.verdict == R.PASSED


def test_learner_conftest_is_ignored(run, course, learner_dir):
    evil = ("import pytest\n\n@pytest.hookimpl(hookwrapper=True)\n"
            "def pytest_runtest_makereport(item, call):\n"
            "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n")
    write(learner_dir / "conftest.py", evil)
    write(learner_dir / "from_scratch/conftest.py", evil)
    result = run(course, learner_dir, "def add(a, b):\n    return a - b\n")
    assert verdicts(result)["test_add"] == R.FAILED


def test_learner_numpy_module_does_not_shadow_numpy(run, course, learner_dir):
    write(learner_dir / "from_scratch/numpy.py",
          "def asarray(*a, **k):\n    raise SystemExit('shadowed')\n")
    result = run(course, learner_dir)
    assert result.verdict == R.PASSED


def test_patching_comparisons_in_the_sandbox_cannot_forge_a_pass(run, course, learner_dir):
    cheat = """\
import numpy as np
import numpy.testing
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.array_equal = lambda *a, **k: True
try:
    import _pytest.runner
    _pytest.runner.pytest_runtest_makereport = lambda item, call: None
except ImportError:
    pass
import builtins
builtins.AssertionError = type('Nope', (Exception,), {})

def add(a, b):
    return np.asarray(a) * 0
"""
    result = run(course, learner_dir, cheat)
    assert verdicts(result)["test_add"] == R.FAILED
    assert "add(a, b) differs" in result.checks[0].message


@pytest.mark.parametrize("code, kind", [
    ("import sklearn\n\ndef add(a, b):\n    return a + b\n", "static"),
    ("from sklearn.linear_model import LinearRegression\n\ndef add(a, b):\n    return a + b\n", "static"),
    ("import importlib\n\ndef add(a, b):\n    importlib.import_module('sklearn')\n    return a + b\n", "static"),
    ("def add(a, b):\n    __import__('sklearn')\n    return a + b\n", "static"),
    ("import importlib\nNAME = 'skl' + 'earn'\n\ndef add(a, b):\n"
     "    importlib.import_module(NAME)\n    return a + b\n", "runtime"),
    ("def add(a, b):\n    getattr(__builtins__, '__import__', None) or __builtins__['__import__']\n"
     "    m = eval(\"__imp\" + \"ort__('tor' + 'ch')\")\n    return a + b\n", "runtime"),
], ids=["import", "from-import", "importlib-literal", "__import__-literal",
        "importlib-dynamic", "eval-dynamic"])
def test_forbidden_imports(run, course, learner_dir, code, kind):
    result = run(course, learner_dir, code)
    if kind == "static":
        assert result.verdict == R.FORBIDDEN_IMPORT
        assert "from_scratch/adder.py:" in result.problems[0]
        assert "not allowed in a from-scratch file" in result.problems[0]
    else:
        assert verdicts(result)["test_add"] == R.FORBIDDEN_IMPORT
        assert "may not be imported in a from-scratch file (adder.py:" in result.checks[0].message


def test_library_files_may_import_libraries(run, course, learner_dir):
    write(learner_dir / "library_impl/lib.py", "import sklearn\n" +
          (learner_dir / "library_impl/lib.py").read_text())
    assert run(course, learner_dir).verdict == R.PASSED


def test_missing_file_is_not_gradable(run, course, learner_dir):
    (learner_dir / "library_impl/lib.py").unlink()
    result = run(course, learner_dir)
    assert result.verdict == R.NOT_GRADABLE
    assert "library_impl/lib.py: file is missing" in result.problems[0]


def test_unpicklable_result_comes_back_as_handle_not_pickle(run, course, learner_dir):
    write(learner_dir / "library_impl/lib.py",
          "def make_box(v):\n    return lambda: v\n")
    result = run(course, learner_dir)
    check = next(c for c in result.checks if c.id == "test_box")
    assert check.verdict == R.FAILED


def test_whole_run_time_limit(tmp_path, tiny_course, learner_dir):
    """Many slow calls, each under the call limit, still stop at the topic's run limit."""
    import shutil

    from grader.api import check_topic
    from grader.curriculum import load_course

    root = tmp_path / "slow-course"
    shutil.copytree(tiny_course, root)
    yaml_path = root / "curriculum.yaml"
    text = yaml_path.read_text().replace("call_timeout_s: 3", "call_timeout_s: 6")
    yaml_path.write_text(text.replace("memory_mb: 1024", "memory_mb: 1024\n  check_timeout_s: 8"))
    course = load_course(root)
    write(learner_dir / "from_scratch/adder.py",
          "import time\n\ndef add(a, b):\n    time.sleep(4.5)\n    return a + b\n")
    result = check_topic(course, course.topic("01_first"), learner_dir)
    assert result.checks[0].verdict == R.PASSED
    assert [c.verdict for c in result.checks[1:]] == [R.TIMEOUT, R.TIMEOUT]
    assert result.duration_s < 12


def _landlock() -> int:
    import os
    import tempfile

    from grader.sandbox_child import restrict_writes

    pid = os.fork()
    if pid == 0:
        os._exit(restrict_writes(tempfile.gettempdir()))
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


needs_landlock = pytest.mark.skipif(_landlock() == 0, reason="kernel without Landlock")


@needs_landlock
def test_learner_code_cannot_touch_files_outside_its_work_folder(run, course, learner_dir):
    victim = learner_dir / "library_impl/lib.py"
    before = victim.read_text()
    result = run(course, learner_dir, REFERENCE_ADDER.replace(
        "def add(a, b):\n",
        "def add(a, b):\n    import os, shutil\n"
        f"    open({str(victim)!r}, 'w').write('gone')\n"))
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.ERROR and "PermissionError" in check.message
    assert victim.read_text() == before


@needs_landlock
def test_learner_code_has_no_network(run, course, learner_dir):
    result = run(course, learner_dir, REFERENCE_ADDER.replace(
        "def add(a, b):\n",
        "def add(a, b):\n    import socket\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"))
    check = next(c for c in result.checks if c.id == "test_add")
    assert check.verdict == R.ERROR and "PermissionError" in check.message
