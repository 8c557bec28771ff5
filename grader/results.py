"""Result objects: what a check run produced. Rendered as text or JSON from the same data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASSED = "passed"
FAILED = "failed"
ERROR = "error"
TIMEOUT = "timeout"
CRASHED = "crashed"
NOT_GRADABLE = "not gradable"
FORBIDDEN_IMPORT = "forbidden import"
SKIPPED = "skipped"

# Worst first: the topic's verdict is the worst of its checks'.
SEVERITY = [NOT_GRADABLE, FORBIDDEN_IMPORT, CRASHED, TIMEOUT, ERROR, FAILED, PASSED]
JSON_VERSION = 1


@dataclass(frozen=True)
class CheckOutcome:
    id: str                 # test function name, stable
    name: str               # learner-facing description (docstring's first line)
    verdict: str
    message: str = ""
    points: float = 1.0     # weight of the check
    duration_s: float = 0.0
    output: str = ""        # what the learner's code printed during this check (cut)

    @property
    def score(self) -> float:
        return self.points if self.verdict == PASSED else 0.0


@dataclass
class TopicResult:
    topic_id: str
    title: str
    verdict: str
    checks: list[CheckOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # static: syntax, forbidden imports
    duration_s: float = 0.0
    output_bytes: int = 0

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks if c.verdict != SKIPPED)

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def passed(self) -> bool:
        return self.verdict == PASSED

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(score=self.score, max_score=self.max_score, passed=self.passed)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> TopicResult:
        checks = [CheckOutcome(**c) for c in data.get("checks", [])]
        fields = {k: data[k] for k in ("topic_id", "title", "verdict", "problems", "duration_s",
                                       "output_bytes") if k in data}
        return cls(checks=checks, **fields)


def topic_verdict(checks: list[CheckOutcome], problems_verdict: str | None = None) -> str:
    if problems_verdict:
        return problems_verdict
    graded = [c.verdict for c in checks if c.verdict != SKIPPED]
    if not graded:
        return FAILED
    return min(graded, key=SEVERITY.index)
