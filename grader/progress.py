"""The progress store: ``.mlgrade/progress.db`` (SQLite, WAL, schema in user_version).

Every attempt is a row; "passed" is derived (sticky: any passing attempt). Two mlgrade
processes at once are safe: SQLite serialises writers and waits up to ``BUSY_MS``.
A corrupt or newer file raises ``ProgressStoreError`` and is never replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from grader.errors import ProgressStoreError
from grader.results import PASSED, TopicResult

SCHEMA_VERSION = 1
BUSY_MS = 15000
SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    duration_s REAL NOT NULL,
    verdict TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    digest TEXT NOT NULL,
    checks TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_topic ON attempts(topic);
CREATE TABLE IF NOT EXISTS hints (
    topic TEXT NOT NULL,
    hint_index INTEGER NOT NULL,
    used_at TEXT NOT NULL,
    PRIMARY KEY (topic, hint_index)
);
"""


@dataclass(frozen=True)
class TopicProgress:
    topic_id: str
    attempts: int = 0
    passed: bool = False
    passed_digest: str | None = None
    last_verdict: str | None = None
    last_score: float | None = None
    last_max_score: float | None = None
    last_attempt_at: str | None = None
    time_spent_s: float = 0.0
    hints_used: int = 0


IDLE_GAP_S = 30 * 60


def _active_time(rows) -> float:
    """Seconds of work on a topic until it passed: checks plus the gaps between attempts,
    a gap longer than IDLE_GAP_S counting as a break (the learner was away)."""
    total, previous = 0.0, None
    for _verdict, _score, _max, finished, duration, _digest in rows:
        at = dt.datetime.fromisoformat(finished).timestamp()
        if previous is not None and at - previous <= IDLE_GAP_S:
            total += at - previous
        else:
            total += duration
        previous = at
    return round(total, 1)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class ProgressStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        fresh = not self.path.exists()
        try:
            self.db = sqlite3.connect(str(self.path), timeout=BUSY_MS / 1000,
                                      isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ProgressStoreError(
                    f"{self.path} was written by a newer mlgrade (schema {version}; this one "
                    f"reads {SCHEMA_VERSION}): upgrade mlgrade. The file was not changed.")
            if version == 0:
                tables = self.db.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
                if tables and not fresh:
                    raise ProgressStoreError(
                        f"{self.path} is not an mlgrade progress store; it was not changed")
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.executescript(
                    f"BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
            self.db.execute("SELECT count(*) FROM attempts").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ProgressStoreError(
                f"{self.path} is damaged ({exc}). mlgrade will not overwrite it: move it "
                f"aside (your topic files are untouched) and run any command to start a "
                f"new one, or restore a backup.") from None

    def close(self) -> None:
        self.db.close()

    def _write(self, sql: str, params: tuple) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(sql, params)
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise ProgressStoreError(f"could not record progress in {self.path}: {exc}") from None

    def record(self, result: TopicResult, digest: str) -> None:
        checks = [{"id": c.id, "verdict": c.verdict, "points": c.points} for c in result.checks]
        self._write(
            "INSERT INTO attempts (topic, finished_at, duration_s, verdict, score, max_score,"
            " digest, checks) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (result.topic_id, _now(), result.duration_s, result.verdict, result.score,
             result.max_score, digest, json.dumps(checks)))

    def use_hint(self, topic_id: str, index: int) -> None:
        self._write("INSERT OR IGNORE INTO hints (topic, hint_index, used_at) VALUES (?, ?, ?)",
                    (topic_id, index, _now()))

    def hints_used(self, topic_id: str) -> int:
        return self.db.execute("SELECT count(*) FROM hints WHERE topic=?", (topic_id,)).fetchone()[0]

    def topic(self, topic_id: str) -> TopicProgress:
        rows = self.db.execute(
            "SELECT verdict, score, max_score, finished_at, duration_s, digest FROM attempts "
            "WHERE topic=? ORDER BY id", (topic_id,)).fetchall()
        hints = self.hints_used(topic_id)
        if not rows:
            return TopicProgress(topic_id, hints_used=hints)
        passed = [r for r in rows if r[0] == PASSED]
        last = rows[-1]
        until = passed[0] if passed else last
        return TopicProgress(
            topic_id, attempts=len(rows), passed=bool(passed),
            passed_digest=passed[-1][5] if passed else None, last_verdict=last[0],
            last_score=last[1], last_max_score=last[2], last_attempt_at=last[3],
            time_spent_s=_active_time(rows[: rows.index(until) + 1]),
            hints_used=hints)

    def passed_topics(self) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT topic FROM attempts WHERE verdict=?", (PASSED,))}
