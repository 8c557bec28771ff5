"""curriculum.yaml: loading, validation and topic lookup.

The course is data to the engine. Validation names the offending topic and key so an
instructor can fix the file without reading engine code.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.errors import CourseError, UnknownTopic

SCHEMA_VERSION = 1
FILE_KINDS = ("from_scratch", "library_impl")
TOPIC_KEYS = {"id", "title", "requires", "files", "hints", "limits", "learned",
              "forbidden_imports", "elective", "preload"}
LIMIT_KEYS = {"call_timeout_s", "import_timeout_s", "check_timeout_s", "memory_mb"}
DEFAULTS = {"call_timeout_s": 20.0, "import_timeout_s": 60.0, "check_timeout_s": 300.0,
            "memory_mb": 3072,
            "forbidden_imports": ["sklearn", "torch", "torchvision", "scipy", "tensorflow",
                                  "keras", "jax", "pandas", "statsmodels", "xgboost",
                                  "lightgbm", "catboost"]}
ID_RE = re.compile(r"^[0-9]{2}_[a-z0-9_]+$|^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Limits:
    call_timeout_s: float      # one forwarded call into learner code
    import_timeout_s: float    # loading a learner module (its top level and imports)
    check_timeout_s: float     # the whole run of a topic's checks
    memory_mb: int


@dataclass(frozen=True)
class LearnerFile:
    kind: str          # from_scratch | library_impl
    name: str          # file name, e.g. linear_regression_numpy.py

    @property
    def stem(self) -> str:
        return self.name[:-3]

    @property
    def relpath(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    requires: tuple[str, ...]
    files: tuple[LearnerFile, ...]
    data_files: tuple[str, ...]
    hints: tuple[str, ...]
    limits: Limits
    forbidden_imports: tuple[str, ...]
    learned: str = ""
    elective: bool = False
    preload: tuple[str, ...] = ()

    @property
    def number(self) -> str | None:
        m = re.match(r"^([0-9]{2})_", self.id)
        return m.group(1) if m else None

    @property
    def name(self) -> str:
        return self.id[3:] if self.number else self.id


@dataclass
class Course:
    root: Path
    title: str
    topics: list[Topic] = field(default_factory=list)

    @property
    def exercises(self) -> Path:
        return self.root / "exercises"

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    def topic(self, query: str) -> Topic:
        """Resolve a full id, a number (``2``, ``02``) or a name (``mlp``)."""
        q = str(query).strip().rstrip("/").lower()
        q = os.path.basename(q)
        by_id = {t.id: t for t in self.topics}
        if q in by_id:
            return by_id[q]
        if q.isdigit():
            for t in self.topics:
                if t.number is not None and int(t.number) == int(q):
                    return t
        for t in self.topics:
            if t.name == q or t.name.replace("_", "-") == q or t.name.replace("_", "") == q:
                return t
        # Score every topic by its best-matching spelling (id, name, or one word of it).
        scored = []
        for t in self.topics:
            spellings = [t.id, t.name, *t.name.split("_")]
            best = max(difflib.SequenceMatcher(None, q, s).ratio() for s in spellings)
            if q and q in t.id:
                best = max(best, 0.9)
            scored.append((best, t.id))
        ids = [tid for score, tid in sorted(scored, reverse=True) if score >= 0.6][:3]
        raise UnknownTopic(str(query), ids)

    def index(self, topic_id: str) -> int:
        return [t.id for t in self.topics].index(topic_id)

    def exercise_dir(self, topic: Topic) -> Path:
        return self.exercises / topic.id

    def solution_dir(self, topic: Topic) -> Path:
        return self.solutions / topic.id


def _err(where: str, msg: str) -> CourseError:
    return CourseError(f"curriculum.yaml: {where}: {msg}")


def _as_list(value: Any, where: str, key: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _err(where, f"'{key}' must be a list")
    return value


def load_course(root: Path, *, check_files: bool = False) -> Course:
    import yaml

    path = Path(root) / "curriculum.yaml"
    if not path.is_file():
        raise CourseError(f"no curriculum.yaml in {root}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CourseError(f"curriculum.yaml does not parse: {exc}") from None
    if not isinstance(data, dict):
        raise CourseError("curriculum.yaml: the top level must be a mapping")
    schema = data.get("schema")
    if schema != SCHEMA_VERSION:
        raise CourseError(f"curriculum.yaml: schema {schema!r} is not supported "
                          f"(this mlgrade reads schema {SCHEMA_VERSION})")
    defaults = dict(DEFAULTS)
    for key, value in (data.get("defaults") or {}).items():
        if key not in DEFAULTS:
            raise _err("defaults", f"unknown key '{key}'")
        defaults[key] = value
    raw_topics = _as_list(data.get("topics"), "top level", "topics")
    if not raw_topics:
        raise CourseError("curriculum.yaml: no topics")
    course = Course(root=Path(root), title=str(data.get("title", "")))
    seen: set[str] = set()
    for i, raw in enumerate(raw_topics):
        if not isinstance(raw, dict) or not raw.get("id"):
            raise _err(f"topic #{i + 1}", "each topic needs an 'id'")
        tid = str(raw["id"])
        where = f"topic {tid}"
        if tid in seen:
            raise _err(where, "duplicate id")
        seen.add(tid)
        if not ID_RE.match(tid):
            raise _err(where, "id must look like '05_mlp' (two digits, underscore, name)")
        unknown = set(raw) - TOPIC_KEYS
        if unknown:
            raise _err(where, f"unknown key(s) {', '.join(sorted(unknown))}")
        files_raw = raw.get("files") or {}
        if not isinstance(files_raw, dict):
            raise _err(where, "'files' must be a mapping")
        files: list[LearnerFile] = []
        for kind, names in files_raw.items():
            if kind == "data":
                continue
            if kind not in FILE_KINDS:
                raise _err(where, f"files: unknown kind '{kind}' (use from_scratch, "
                                  f"library_impl, data)")
            for name in _as_list(names, where, f"files.{kind}"):
                if not isinstance(name, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*\.py$", name):
                    raise _err(where, f"files.{kind}: {name!r} is not a module file name")
                files.append(LearnerFile(kind, name))
        stems = [f.stem for f in files]
        if len(set(stems)) != len(stems):
            raise _err(where, "two learner files share a module name")
        data_files = tuple(str(x) for x in _as_list(files_raw.get("data"), where, "files.data"))
        if not files and not data_files:
            raise _err(where, "'files' declares no learner file")
        limits_raw = raw.get("limits") or {}
        bad = set(limits_raw) - LIMIT_KEYS
        if bad:
            raise _err(where, f"limits: unknown key(s) {', '.join(sorted(bad))}")
        limits = Limits(
            call_timeout_s=float(limits_raw.get("call_timeout_s", defaults["call_timeout_s"])),
            import_timeout_s=float(limits_raw.get("import_timeout_s",
                                                  defaults["import_timeout_s"])),
            check_timeout_s=float(limits_raw.get("check_timeout_s", defaults["check_timeout_s"])),
            memory_mb=int(limits_raw.get("memory_mb", defaults["memory_mb"])),
        )
        hints = tuple(str(h).strip() for h in _as_list(raw.get("hints"), where, "hints"))
        course.topics.append(Topic(
            id=tid, title=str(raw.get("title") or tid),
            requires=tuple(str(r) for r in _as_list(raw.get("requires"), where, "requires")),
            files=tuple(files), data_files=data_files, hints=hints, limits=limits,
            forbidden_imports=tuple(raw.get("forbidden_imports", defaults["forbidden_imports"])),
            learned=str(raw.get("learned") or "").strip(),
            elective=bool(raw.get("elective", False)),
            preload=tuple(_as_list(raw.get("preload"), where, "preload")),
        ))
    ids = {t.id for t in course.topics}
    for t in course.topics:
        for r in t.requires:
            if r not in ids:
                raise _err(f"topic {t.id}", f"requires unknown topic '{r}'")
    _check_cycles(course)
    if check_files:
        for t in course.topics:
            problems = missing_files(course, t)
            if problems:
                raise _err(f"topic {t.id}", problems[0])
    return course


def _check_cycles(course: Course) -> None:
    graph = {t.id: t.requires for t in course.topics}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        if state.get(node) == 2:
            return
        if state.get(node) == 1:
            cycle = stack[stack.index(node):] + [node]
            raise _err(f"topic {node}", f"prerequisite cycle {' -> '.join(cycle)}")
        state[node] = 1
        for r in graph[node]:
            visit(r, stack + [node])
        state[node] = 2

    for tid in graph:
        visit(tid, [])


def missing_files(course: Course, t: Topic) -> list[str]:
    """The course files a topic declares but does not have (README, stubs, reference, checks)."""
    ex, sol = course.exercise_dir(t), course.solution_dir(t)
    needed = [ex / "README.md", sol / "hidden_tests"]
    needed += [ex / f.relpath for f in t.files] + [sol / f.relpath for f in t.files]
    needed += [ex / d for d in t.data_files]
    return [f"missing file {p.relative_to(course.root)}" for p in needed if not p.exists()]


def find_course(explicit: str | os.PathLike | None = None) -> Path:
    """--course / MLGRADE_COURSE, else the checkout this package lives in, else the wheel's copy."""
    candidates = []
    if explicit:
        candidates.append(Path(explicit))
    elif os.environ.get("MLGRADE_COURSE"):
        candidates.append(Path(os.environ["MLGRADE_COURSE"]))
    else:
        here = Path(__file__).resolve().parent
        candidates += [here.parent, here / "course"]
    for c in candidates:
        if (c / "curriculum.yaml").is_file():
            return c.resolve()
    raise CourseError(f"no course found (looked in {', '.join(str(c) for c in candidates)}); "
                      f"pass --course DIR or set MLGRADE_COURSE")
