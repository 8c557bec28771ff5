"""The pytest plugin behind every check run: fixtures, verdicts, outcome collection.

``check_topic`` registers a ``MlgradePlugin`` instance; instructors can use the same
plugin from plain pytest with ``pytest -p grader.plugin --mlgrade-topic ID
--mlgrade-learner-dir DIR solutions/ID/hidden_tests``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from grader import results as R
from grader.curriculum import Course, Topic
from grader.sandbox import LearnerProblem, LearnerProxy, LearnerTimeout, open_learner
from grader.static import LearnerSource

OUTPUT_CUT = 2000


class ReferenceModules:
    """The ``reference`` fixture: the topic's solution modules, imported normally."""

    def __init__(self, course: Course, topic: Topic):
        self._dir = course.solution_dir(topic)
        self._topic = topic
        self._modules: dict[str, Any] = {}

    def __getattr__(self, stem: str) -> Any:
        if stem.startswith("_"):
            raise AttributeError(stem)
        if stem not in self._modules:
            match = [f for f in self._topic.files if f.stem == stem]
            if not match:
                raise AttributeError(f"no reference module {stem!r} in {self._topic.id}")
            path = self._dir / match[0].relpath
            name = f"mlgrade_reference.{self._topic.id}.{stem}"
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            dirs = [str(self._dir / k) for k in ("from_scratch", "library_impl")]
            sys.path.extend(dirs)
            try:
                spec.loader.exec_module(module)
            finally:
                for d in dirs:
                    sys.path.remove(d)
            self._modules[stem] = module
        return self._modules[stem]


class MlgradePlugin:
    def __init__(self, course: Course, topic: Topic, sources: list[LearnerSource],
                 topic_dir: Path, select: list[str] | None = None):
        self.course = course
        self.topic = topic
        self.topic_dir = topic_dir
        self.select = set(select) if select else None
        self._tmp = tempfile.TemporaryDirectory(prefix="mlgrade-")
        self.workdir = os.path.join(self._tmp.name, "work")
        os.mkdir(self.workdir)
        self.log_path = os.path.join(self._tmp.name, "learner-output.log")
        open(self.log_path, "wb").close()
        self.outcomes: list[R.CheckOutcome] = []
        self._run_started = time.perf_counter()
        self._started: dict[str, tuple[float, int]] = {}
        self._proxy: LearnerProxy | None = None
        self._sources = sources

    def proxy(self) -> LearnerProxy:
        if self._proxy is None:
            self._proxy = open_learner(self.topic, self._sources, self.topic_dir, self.workdir,
                                       self.log_path)
        return self._proxy

    def close(self) -> None:
        if self._proxy is not None:
            self._proxy.close()
        self._tmp.cleanup()

    # -- fixtures ------------------------------------------------------------------------
    @pytest.fixture(scope="session")
    def learner(self) -> LearnerProxy:
        return self.proxy()

    @pytest.fixture(scope="session")
    def reference(self) -> ReferenceModules:
        return ReferenceModules(self.course, self.topic)

    # -- hooks ---------------------------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "points(n): weight of a check (default 1)")

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list) -> None:
        if self.select is None:
            return
        keep = [i for i in items if i.originalname in self.select or i.name in self.select]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self._started[item.nodeid] = (time.perf_counter(), os.path.getsize(self.log_path))
        if time.perf_counter() - self._run_started > self.topic.limits.check_timeout_s:
            raise LearnerTimeout(
                f"not run: the topic's checks together took longer than "
                f"{self.topic.limits.check_timeout_s:g} s (is something very slow?)")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.outcomes.append(self._outcome(item, call, report))

    def _outcome(self, item: pytest.Item, call: pytest.CallInfo, report) -> R.CheckOutcome:
        doc = (getattr(item, "function", None).__doc__ or "").strip()
        name = doc.splitlines()[0].strip() if doc else item.name
        marker = item.get_closest_marker("points")
        points = float(marker.args[0]) if marker and marker.args else 1.0
        start, offset = self._started.get(item.nodeid, (time.perf_counter(), 0))
        output = _read_slice(self.log_path, offset)
        base = dict(id=item.name, name=name, points=points,
                    duration_s=round(time.perf_counter() - start, 3), output=output)
        if report.skipped:
            reason = ""
            if call.excinfo is not None:
                reason = str(getattr(call.excinfo.value, "msg", call.excinfo.value))
            return R.CheckOutcome(verdict=R.SKIPPED, message=reason, **base)
        if report.passed:
            return R.CheckOutcome(verdict=R.PASSED, **base)
        exc = call.excinfo.value if call.excinfo is not None else None
        if isinstance(exc, LearnerProblem):
            return R.CheckOutcome(verdict=exc.verdict, message=exc.describe(), **base)
        if isinstance(exc, (AssertionError, pytest.fail.Exception)):
            msg = str(getattr(exc, "msg", None) or exc).strip() or "check failed"
            return R.CheckOutcome(verdict=R.FAILED, message=msg, **base)
        if report.when == "setup":
            msg = f"the check could not start ({type(exc).__name__}: {exc})"
        else:
            msg = (f"the check could not use your result ({type(exc).__name__}: "
                   f"{str(exc)[:300]}): compare your return values with the README")
        return R.CheckOutcome(verdict=R.FAILED, message=msg, **base)


def _read_slice(path: str, offset: int) -> str:
    try:
        size = os.path.getsize(path)
        if size <= offset:
            return ""
        with open(path, "rb") as fh:
            fh.seek(offset)
            head = fh.read(OUTPUT_CUT)
        text = head.decode("utf-8", errors="replace")
        if size - offset > OUTPUT_CUT:
            text += f"\n… ({size - offset - OUTPUT_CUT} more bytes of output cut)"
        return text
    except OSError:
        return ""


# ---- use from plain pytest: pytest -p grader.plugin ... ----------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mlgrade")
    group.addoption("--mlgrade-topic", help="topic id whose hidden checks run")
    group.addoption("--mlgrade-learner-dir", help="the learner's topic folder")
    group.addoption("--mlgrade-course", help="course directory (default: the built-in one)")


def pytest_configure(config: pytest.Config) -> None:
    topic_id = config.getoption("--mlgrade-topic", default=None)
    if not topic_id or config.pluginmanager.has_plugin("mlgrade-instance"):
        return
    from grader.curriculum import find_course, load_course
    from grader.static import collect_sources

    course = load_course(find_course(config.getoption("--mlgrade-course")))
    topic = course.topic(topic_id)
    learner_dir = Path(config.getoption("--mlgrade-learner-dir") or course.solution_dir(topic))
    sources, _ = collect_sources(topic, learner_dir)
    plugin = MlgradePlugin(course, topic, sources, learner_dir)
    config.pluginmanager.register(plugin, "mlgrade-instance")
    config.add_cleanup(plugin.close)
