"""The typed entry points: ``check_topic`` grades one topic folder, used by every command.

Imports neither click nor rich. A failing learner check is data in the result; only
problems a user must fix (unknown topic, broken course) raise ``MlgradeError``s.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from pathlib import Path

from grader import results as R
from grader.curriculum import Course, Topic
from grader.static import collect_sources, static_problems

# unraisableexception runs gc.collect() over and over at the end (0.7 s with torch
# loaded): learners wait for none of these plugins.
PLUGINS_OFF = ("cacheprovider", "unraisableexception", "threadexception", "junitxml",
               "doctest", "pastebin", "faulthandler")


def cap_threads() -> None:
    """One thread for BLAS/OpenMP in the grading process: reproducible, no oversubscription."""
    from grader.sandbox import THREAD_VARS

    for var in THREAD_VARS:
        os.environ.setdefault(var, "1")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


@contextlib.contextmanager
def _pytest_environment():
    saved = {k: os.environ.get(k) for k in ("PYTEST_ADDOPTS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
                                            "PYTEST_PLUGINS")}
    os.environ.pop("PYTEST_ADDOPTS", None)
    os.environ.pop("PYTEST_PLUGINS", None)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    # An enclosing pytest (the project's own tests) leaves its assertion-rewriting import
    # hook installed: without it, hidden checks run exactly as under the command.
    hooks = [h for h in sys.meta_path if type(h).__name__ == "AssertionRewritingHook"]
    for h in hooks:
        sys.meta_path.remove(h)
    try:
        yield
    finally:
        sys.meta_path[:0] = hooks
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _forget_modules_under(folder: Path) -> None:
    """Drop hidden-test and reference modules from sys.modules: pytest's importlib mode
    would otherwise reuse a module of the same name from an earlier run in this process
    (another course, or an edited check)."""
    roots = (str(folder), str(folder.resolve()))
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.startswith(roots):
            del sys.modules[name]


def check_topic(course: Course, topic: Topic, topic_dir: Path,
                select: list[str] | None = None) -> R.TopicResult:
    """Grade the learner files in ``topic_dir`` against the topic's hidden checks."""
    import pytest

    from grader.plugin import MlgradePlugin

    cap_threads()
    started = time.perf_counter()
    sources, missing = collect_sources(topic, Path(topic_dir))
    syntax, forbidden = static_problems(topic, sources)
    if missing or syntax:
        return R.TopicResult(topic.id, topic.title, R.NOT_GRADABLE, problems=missing + syntax,
                             duration_s=round(time.perf_counter() - started, 3))
    if forbidden:
        return R.TopicResult(topic.id, topic.title, R.FORBIDDEN_IMPORT, problems=forbidden,
                             duration_s=round(time.perf_counter() - started, 3))

    plugin = MlgradePlugin(course, topic, sources, Path(topic_dir), select=select)
    plugin.proxy().start(deadline=time.monotonic() + topic.limits.check_timeout_s)
    hidden = course.solution_dir(topic) / "hidden_tests"
    args = [str(hidden), "-q", *[a for name in PLUGINS_OFF for a in ("-p", f"no:{name}")],
            "--assert=plain", "--import-mode=importlib", f"--rootdir={course.solutions}",
            "-c", os.devnull, "-W", "ignore::DeprecationWarning"]
    sink = io.StringIO()
    _forget_modules_under(course.solution_dir(topic))
    try:
        with _pytest_environment(), contextlib.redirect_stdout(sink), \
                contextlib.redirect_stderr(sink):
            code = pytest.main(args, plugins=[plugin])
    finally:
        plugin.close()
        _forget_modules_under(course.solution_dir(topic))
    checks = list(plugin.outcomes)
    problems = []
    if code not in (0, 1) and not checks:
        problems.append(f"the hidden checks could not run (pytest exit {int(code)}); "
                        f"this is a course problem: tell your instructor")
    verdict = R.topic_verdict(checks) if not problems else R.ERROR
    return R.TopicResult(topic.id, topic.title, verdict, checks=checks, problems=problems,
                         duration_s=round(time.perf_counter() - started, 3))
