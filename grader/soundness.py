"""``mlgrade validate``: is a topic's set of hidden checks sound?

A topic is sound when its reference passes every check, twice with the same verdicts and
messages (no flaky check), inside its time limit; when its shipped stubs fail every check;
when trivial cheats (return zeros / ones / the input / a constant, or call the library from
a from-scratch file) pass none; and when nothing is left of the ``mlgrade new`` template.

Cheats are made from the stubs with ``ast``: every function that raises
``NotImplementedError`` gets a body that returns the cheat instead. Nothing here imports
learner or reference code: the cheats are graded like any submission.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader import results as R
from grader.api import check_topic
from grader.curriculum import Course, Topic, missing_files

TEMPLATE_MARKER = "mlgrade:template"
CHEATS = ("zeros", "ones", "input", "constant")
# A topic whose reference needs more than this share of its time limit would time out on
# a slower machine.
TIME_SHARE_LIMIT = 0.5

_CHEAT_HELPER = '''
def _mlgrade_cheat(kind, args):
    arrays = [a for a in args if hasattr(a, "shape") and hasattr(a, "dtype")]
    first = arrays[0] if arrays else (args[0] if args else None)
    try:
        if kind == "input":
            return first
        scalar = {"zeros": 0.0, "ones": 1.0, "constant": 0.5}[kind]
        return first * 0 + scalar if arrays else scalar
    except Exception:
        return 0.0
'''


@dataclass
class TopicSoundness:
    """``validate``'s findings for one topic."""

    topic_id: str
    reference: R.TopicResult
    stub: R.TopicResult
    rerun: R.TopicResult | None = None
    cheats: dict[str, R.TopicResult] = field(default_factory=dict)
    time_limit_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.problems

    def cheat_passes(self, check_id: str) -> list[str]:
        """The trivial cheats (zeros, ones, ...) that pass this check."""
        return [name for name, r in self.cheats.items() if name in CHEATS
                and any(c.id == check_id and c.verdict == R.PASSED for c in r.checks)]

    def cheat_caught(self, name: str) -> bool:
        result = self.cheats[name]
        if name in CHEATS:
            return not any(c.verdict == R.PASSED for c in result.checks)
        return result.verdict != R.PASSED

    @property
    def cheats_caught(self) -> int:
        return sum(self.cheat_caught(name) for name in self.cheats)

    def to_dict(self) -> dict:
        return {"topic_id": self.topic_id, "sound": self.sound, "problems": self.problems,
                "time_s": self.reference.duration_s, "time_limit_s": self.time_limit_s,
                "reference": self.reference.to_dict(), "stub": self.stub.to_dict(),
                "rerun": self.rerun.to_dict() if self.rerun else None,
                "cheats": {name: {"verdict": r.verdict,
                                  "passed": [c.id for c in r.checks if c.verdict == R.PASSED]}
                           for name, r in self.cheats.items()}}


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def template_leftovers(course: Course, topic: Topic) -> list[str]:
    """Files of the topic that still carry the ``mlgrade new`` template marker."""
    found = []
    if any(TEMPLATE_MARKER in text for text in (*topic.hints, topic.learned)):
        found.append(f"curriculum.yaml (topic {topic.id}: hints or learned)")
    for base in (course.exercise_dir(topic), course.solution_dir(topic)):
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".md", ".yaml") \
                    and TEMPLATE_MARKER in path.read_text(encoding="utf-8", errors="replace"):
                found.append(str(path.relative_to(course.root)))
    return found


def cheat_source(stub_source: str, kind: str) -> str:
    """The stub with every ``raise NotImplementedError`` function answering a cheat."""
    tree = ast.parse(stub_source)

    def raises_not_implemented(fn: ast.FunctionDef) -> bool:
        for node in ast.walk(fn):
            if isinstance(node, ast.Raise) and node.exc is not None:
                target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(target, ast.Name) and target.id == "NotImplementedError":
                    return True
        return False

    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                or not raises_not_implemented(node):
            continue
        if node.name == "__init__":
            body = "try:\n    super().__init__()\nexcept Exception:\n    pass"
        else:
            a = node.args
            names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs
                     if x.arg not in ("self", "cls")]
            body = f"return _mlgrade_cheat({kind!r}, [{', '.join(names)}])"
        node.body = ast.parse(body).body
    return ast.unparse(tree) + "\n" + _CHEAT_HELPER


def _library_cheat_source(reference_source: str, library: str) -> str:
    """The reference, plus a library import the static check cannot see."""
    split = " + ".join(repr(part) for part in (library[:2], library[2:]))
    return reference_source + f"\n_mlgrade_library = __import__({split})\n"


def _grade_cheat(course: Course, topic: Topic, make_source, base: Path, tmp: Path,
                 kinds: tuple[str, ...] = ("from_scratch", "library_impl")) -> R.TopicResult:
    folder = tmp / "topic"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(course.exercise_dir(topic), folder)
    for f in topic.files:
        source = (base / f.relpath).read_text(encoding="utf-8")
        if f.kind in kinds:
            source = make_source(source)
        (folder / f.relpath).write_text(source, encoding="utf-8")
    return check_topic(course, topic, folder)


def validate_topic(course: Course, topic: Topic, *, deep: bool = True,
                   select: list[str] | None = None) -> TopicSoundness:
    """Grade the reference (twice if ``deep``), the stubs and (if ``deep``) the cheats."""
    missing = missing_files(course, topic)
    if missing:
        empty = R.TopicResult(topic.id, topic.title, R.NOT_GRADABLE, problems=missing)
        return TopicSoundness(topic.id, empty, empty, time_limit_s=topic.limits.check_timeout_s,
                              problems=[f"curriculum.yaml: topic {topic.id}: {m}"
                                        for m in missing])
    ref = check_topic(course, topic, course.solution_dir(topic), select=select)
    stub = check_topic(course, topic, course.exercise_dir(topic), select=select)
    report = TopicSoundness(topic.id, ref, stub, time_limit_s=topic.limits.check_timeout_s)
    problems = report.problems
    leftovers = template_leftovers(course, topic)
    if leftovers:
        problems.append(f"still the `mlgrade new` template ({TEMPLATE_MARKER}) in "
                        f"{', '.join(leftovers)}: write the topic's real content and delete "
                        f"the marker")
    problems += [f"reference: {p}" for p in ref.problems]
    if not ref.checks and not ref.problems:
        problems.append("no hidden checks ran")
    for c in ref.checks:
        if c.verdict not in (R.PASSED, R.SKIPPED):
            problems.append(f"reference fails {c.id}: {c.verdict}: {_first_line(c.message)}")
    for c in stub.checks:
        if c.verdict == R.PASSED:
            problems.append(f"{c.id} passes on the shipped stub (a check that cannot fail)")
    if stub.verdict == R.PASSED:
        problems.append("the shipped stub passes the topic")
    if not deep:
        return report

    limit = topic.limits.check_timeout_s
    if ref.duration_s > TIME_SHARE_LIMIT * limit:
        problems.append(f"the reference needs {ref.duration_s:.1f} s of the {limit:g} s "
                        f"check_timeout_s: a slower machine would time out")
    report.rerun = check_topic(course, topic, course.solution_dir(topic), select=select)
    second = {c.id: c for c in report.rerun.checks}
    for c in ref.checks:
        again = second.get(c.id)
        if again is None:
            problems.append(f"flaky: {c.id} ran once but not in the second run")
        elif (again.verdict, again.message) != (c.verdict, c.message):
            problems.append(f"flaky: {c.id} gave {c.verdict!r} then {again.verdict!r} "
                            f"({_first_line(c.message) or 'no message'} / "
                            f"{_first_line(again.message) or 'no message'})")

    with tempfile.TemporaryDirectory(prefix="mlgrade-cheats-") as tmp:
        for kind in CHEATS:
            report.cheats[kind] = _grade_cheat(
                course, topic, lambda s, k=kind: cheat_source(s, k),
                course.exercise_dir(topic), Path(tmp))
        if any(f.kind == "from_scratch" for f in topic.files):
            library = "torch" if "torch" in topic.preload else "sklearn"
            report.cheats[f"{library} in from_scratch"] = _grade_cheat(
                course, topic, lambda s: _library_cheat_source(s, library),
                course.solution_dir(topic), Path(tmp), kinds=("from_scratch",))
    for name, result in report.cheats.items():
        if report.cheat_caught(name):
            continue
        if name in CHEATS:
            passed = [c.id for c in result.checks if c.verdict == R.PASSED]
            problems.append(f"cheat '{name}' passes {', '.join(passed)} (a check a trivial "
                            f"answer satisfies)")
        else:
            problems.append(f"cheat '{name}' passes the topic: the import guard did not hold")
    return report
