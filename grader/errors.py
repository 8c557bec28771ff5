"""The library's own exceptions; the CLI maps each to a message and an exit code once."""

from __future__ import annotations


class MlgradeError(Exception):
    """Base class for errors a user can act on."""


class CourseError(MlgradeError):
    """The course (curriculum.yaml, exercises/, solutions/) is missing or invalid."""


class UnknownTopic(MlgradeError):
    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown topic {query!r}.{hint} (`mlgrade status` lists them)")


class TopicLocked(MlgradeError):
    def __init__(self, topic: str, missing: list[str]):
        self.topic = topic
        self.missing = missing
        super().__init__(
            f"{topic} is locked: finish {', '.join(missing)} first "
            f"(`mlgrade check {missing[0]}`)"
        )


class WorkspaceError(MlgradeError):
    """No workspace, or one that cannot be used."""


class ProgressStoreError(MlgradeError):
    """The progress store is corrupt, from a newer mlgrade, or cannot be written."""
