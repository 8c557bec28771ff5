"""The learner's journey: which topics are locked, current or passed, and checking one.

Joins the course, a workspace and its progress store; the commands call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader import results as R
from grader.api import check_topic
from grader.curriculum import Course, Topic
from grader.errors import TopicLocked
from grader.progress import ProgressStore, TopicProgress
from grader.workspace import Workspace, digest

PASSED, CURRENT, FAILING, LOCKED, AVAILABLE = "passed", "current", "failing", "locked", "available"


@dataclass(frozen=True)
class TopicStatus:
    topic: Topic
    state: str
    progress: TopicProgress
    changed_since_pass: bool = False
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        p = self.progress
        return {"id": self.topic.id, "title": self.topic.title, "state": self.state,
                "attempts": p.attempts, "last_verdict": p.last_verdict,
                "last_score": p.last_score, "max_score": p.last_max_score,
                "last_attempt_at": p.last_attempt_at, "time_spent_s": p.time_spent_s,
                "hints_used": p.hints_used, "hints_total": len(self.topic.hints),
                "changed_since_pass": self.changed_since_pass,
                "requires": list(self.missing)}


@dataclass(frozen=True)
class Journey:
    topics: list[TopicStatus]

    @property
    def passed(self) -> int:
        return sum(1 for t in self.topics if t.state == PASSED)

    @property
    def current(self) -> TopicStatus | None:
        for state in (FAILING, CURRENT, AVAILABLE):
            for t in self.topics:
                if t.state == state:
                    return t
        return None

    def next_command(self) -> str:
        cur = self.current
        if cur is None:
            return "all topics passed: well done"
        return f"mlgrade check {cur.topic.id}"

    def to_dict(self) -> dict:
        cur = self.current
        return {"version": R.JSON_VERSION, "passed": self.passed, "total": len(self.topics),
                "current": cur.topic.id if cur else None, "next_command": self.next_command(),
                "topics": [t.to_dict() for t in self.topics]}


def missing_prerequisites(topic: Topic, passed: set[str]) -> list[str]:
    return [r for r in topic.requires if r not in passed]


def journey(course: Course, ws: Workspace, store: ProgressStore) -> Journey:
    passed = store.passed_topics()
    out, current_given = [], False
    for topic in course.topics:
        prog = store.topic(topic.id)
        missing = missing_prerequisites(topic, passed)
        changed = False
        if prog.passed:
            state = PASSED
            tdir = ws.topic_dir(topic)
            changed = tdir.exists() and digest(topic, tdir) != prog.passed_digest
        elif missing:
            state = LOCKED
        elif prog.attempts:
            state = FAILING
        elif not current_given and not topic.elective:
            state, current_given = CURRENT, True
        else:
            state = AVAILABLE
        out.append(TopicStatus(topic, state, prog, changed, tuple(missing)))
    return Journey(out)


def ensure_unlocked(topic: Topic, store: ProgressStore) -> None:
    missing = missing_prerequisites(topic, store.passed_topics())
    if missing:
        raise TopicLocked(topic.id, missing)


def check_in_workspace(course: Course, ws: Workspace, store: ProgressStore, topic: Topic,
                       select: list[str] | None = None, grade=None) -> R.TopicResult:
    """Lock → grade → record. Raises TopicLocked; learner failures are in the result.

    ``grade(topic, folder, select)`` grades (default: a cold ``check_topic``; watch mode
    passes its warm checker). Runs of a selection of checks are not recorded.
    """
    ensure_unlocked(topic, store)
    tdir = ws.topic_dir(topic)
    files_digest = digest(topic, tdir) if tdir.exists() else ""   # what is graded, not later
    if grade is None:
        result = check_topic(course, topic, tdir, select=select)
    else:
        result = grade(topic, tdir, select)
    if select is None:
        store.record(result, files_digest)
    return result


def next_topic(course: Course, topic: Topic, store: ProgressStore) -> Topic | None:
    passed = store.passed_topics()
    for t in course.topics[course.index(topic.id) + 1:]:
        if t.id not in passed and not missing_prerequisites(t, passed):
            return t
    return None


@dataclass(frozen=True)
class Hint:
    topic_id: str
    number: int        # 1-based
    total: int
    text: str

    @property
    def last(self) -> bool:
        return self.number == self.total

    def render(self) -> str:
        text = f"Hint {self.number}/{self.total} for {self.topic_id}:\n\n{self.text}"
        return text + ("\n\n(That was the last hint.)" if self.last else "")


def next_hint(topic: Topic, store: ProgressStore) -> Hint | None:
    """The next unused hint (the last one again once all are used), recorded as used."""
    if not topic.hints:
        return None
    index = min(store.hints_used(topic.id), len(topic.hints) - 1)
    store.use_hint(topic.id, index)
    return Hint(topic.id, index + 1, len(topic.hints), topic.hints[index])
