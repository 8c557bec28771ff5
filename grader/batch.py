"""``mlgrade grade``: grade a class's workspaces (folders or zip files) in one batch.

Submissions are never modified: each is copied (or safely extracted) to a temporary folder
and graded there, every topic in its own sandbox, ``jobs`` at a time through warm check
servers (``grader.warm``), so a broken or hostile submission costs only its own checks.
The topic's reference is graded first in the same way: it fixes the list of checks and the
maximum score (a check skipped here, e.g. an optional library missing, counts for no one),
and a reference that fails here stops the batch before anyone gets a wrong grade.
Outputs are written once everything is graded, in a stable order.
"""

from __future__ import annotations

import csv
import io
import json
import queue
import shutil
import stat
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from grader import results as R
from grader.curriculum import Course, Topic
from grader.errors import MlgradeError

MISSING = "missing"
MAX_ZIP_MEMBERS = 20_000
MAX_ZIP_BYTES = 512 * 2**20
SKIP_NAMES = {"__pycache__", ".ipynb_checkpoints", "__MACOSX", ".git", ".mlgrade", "comparison"}
CSV_FIELDS = ("learner", "topic", "score", "max_score", "status", "seconds")


class SubmissionError(Exception):
    """A submission that cannot be unpacked: graded as missing, with this message."""


@dataclass
class Submission:
    learner: str
    source: Path
    root: Path | None = None     # the folder holding its topic folders, once prepared
    problem: str = ""


@dataclass
class Graded:
    learner: str
    topic: Topic
    result: R.TopicResult
    seconds: float = 0.0


@dataclass
class BatchReport:
    course: Course
    topics: list[Topic]
    references: dict[str, R.TopicResult]
    graded: list[Graded] = field(default_factory=list)

    def learners(self) -> list[str]:
        return sorted({g.learner for g in self.graded})


# ---- submissions -----------------------------------------------------------------------
def _learner_names(paths: list[Path]) -> list[str]:
    names, seen = [], {}
    for p in paths:
        p = p.resolve()
        base = p.stem if p.suffix.lower() == ".zip" else p.name
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return names


def _safe_extract(archive: Path, dest: Path) -> None:
    """Regular files only, inside ``dest``, within size and count limits."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SubmissionError(f"{archive.name} is not a readable zip file ({exc})") from None
    with zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise SubmissionError(f"{archive.name} holds {len(members)} files "
                                  f"(limit {MAX_ZIP_MEMBERS})")
        budget = MAX_ZIP_BYTES
        for m in members:
            parts = Path(m.filename.replace("\\", "/")).parts
            mode = m.external_attr >> 16
            if m.is_dir() or stat.S_ISLNK(mode) or any(p in SKIP_NAMES for p in parts):
                continue
            if m.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise SubmissionError(f"{archive.name}: unsafe path {m.filename!r} in the zip")
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(m) as src, open(target, "wb") as out:
                    while chunk := src.read(1 << 16):
                        budget -= len(chunk)
                        if budget < 0:
                            raise SubmissionError(f"{archive.name} unpacks to more than "
                                                  f"{MAX_ZIP_BYTES >> 20} MiB")
                        out.write(chunk)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                raise SubmissionError(f"{archive.name}: cannot read {m.filename!r} ({exc})") from None


def _topic_root(folder: Path, topic_ids: set[str], depth: int = 3) -> Path | None:
    """The shallowest folder that holds topic folders (zips often wrap everything in one)."""
    level = [folder]
    for _ in range(depth + 1):
        for d in level:
            if any((d / t).is_dir() and not (d / t).is_symlink() for t in topic_ids):
                return d
        level = sorted(c for d in level for c in d.iterdir()
                       if c.is_dir() and not c.is_symlink() and c.name not in SKIP_NAMES)
    return None


def _ignore_links(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in SKIP_NAMES or Path(folder, n).is_symlink()}


def prepare(sub: Submission, topics: list[Topic], scratch: Path) -> None:
    """Copy or extract the submission under ``scratch``; set ``root`` or ``problem``."""
    dest = scratch / sub.learner
    dest.mkdir(parents=True)
    try:
        if sub.source.is_file() and sub.source.suffix.lower() == ".zip":
            unpacked = dest / "unpacked"
            _safe_extract(sub.source, unpacked)
            found = _topic_root(unpacked, {t.id for t in topics})
        elif sub.source.is_dir():
            found = _topic_root(sub.source, {t.id for t in topics})
            if found is not None:
                for t in topics:
                    if (found / t.id).is_dir():
                        shutil.copytree(found / t.id, dest / "copy" / t.id, symlinks=False,
                                        ignore=_ignore_links)
                found = dest / "copy"
        else:
            raise SubmissionError(f"{sub.source} is neither a folder nor a .zip file")
    except (SubmissionError, OSError, shutil.Error) as exc:
        sub.problem = str(exc)
        return
    if found is None:
        sub.problem = ("no topic folder found in the submission (expected folders named "
                       f"like {topics[0].id}/)")
    sub.root = found


# ---- grading ---------------------------------------------------------------------------
class _CheckerPool:
    """One warm check server per worker thread, replaced if it dies."""

    def __init__(self, course: Course, jobs: int, preload: list[str]):
        self.course, self.preload = course, preload
        self._free: queue.Queue = queue.Queue()
        for _ in range(jobs):
            self._free.put(None)
        self._all: list = []

    def check(self, topic: Topic, folder: Path) -> R.TopicResult:
        """Grade through this thread's server; a server that died is replaced once."""
        from grader.warm import WarmChecker, WarmError

        checker = self._free.get()
        try:
            for _attempt in range(2):
                if checker is None:
                    checker = WarmChecker(self.course.root, self.preload)
                    self._all.append(checker)
                try:
                    return checker.check(topic.id, folder)
                except WarmError as exc:
                    checker.close()
                    checker, error = None, exc
            return R.TopicResult(topic.id, topic.title, R.ERROR, problems=[
                f"this submission could not be graded: the grading process stopped ({error})"])
        finally:
            self._free.put(checker)

    def close(self) -> None:
        for c in self._all:
            c.close()


def _missing_result(topic: Topic, reference: R.TopicResult, why: str) -> R.TopicResult:
    checks = [R.CheckOutcome(c.id, c.name, R.FAILED, message=why, points=c.points)
              for c in reference.checks if c.verdict != R.SKIPPED]
    return R.TopicResult(topic.id, topic.title, MISSING, checks=checks, problems=[why])


def _with_all_checks(result: R.TopicResult, reference: R.TopicResult) -> R.TopicResult:
    """Every check of the reference appears once: one that never ran (syntax error, time
    limit of the topic) is listed as failed with the topic's problem as its message."""
    ran = {c.id for c in result.checks}
    why = "; ".join(result.problems) or f"not run ({result.verdict})"
    extra = [R.CheckOutcome(c.id, c.name, result.verdict, message=why, points=c.points)
             for c in reference.checks if c.verdict != R.SKIPPED and c.id not in ran]
    skipped_here = {c.id for c in reference.checks if c.verdict == R.SKIPPED}
    kept = [c for c in result.checks if c.id not in skipped_here]
    return R.TopicResult(result.topic_id, result.title, result.verdict, checks=kept + extra,
                         problems=result.problems, duration_s=result.duration_s,
                         output_bytes=result.output_bytes)


def _not_passed(result: R.TopicResult) -> str:
    ids = [c.id for c in result.checks if c.verdict not in (R.PASSED, R.SKIPPED)]
    return ", ".join(ids) or "; ".join(result.problems)


def grade_batch(course: Course, paths: list[Path], topics: list[Topic], jobs: int,
                progress=None) -> BatchReport:
    """Grade every submission on every topic; ``progress(done, total, label)`` is called
    after each graded (learner, topic)."""
    preload = sorted({m for t in topics for m in t.preload})
    subs = [Submission(name, Path(p)) for name, p in zip(_learner_names(paths), paths, strict=True)]
    with tempfile.TemporaryDirectory(prefix="mlgrade-grade-") as tmp:
        for s in subs:
            prepare(s, topics, Path(tmp))
        pool = _CheckerPool(course, jobs, preload)
        tasks = [(None, t, course.solution_dir(t)) for t in topics]
        tasks += [(s.learner, t, s.root / t.id) for s in subs for t in topics
                  if s.root is not None and (s.root / t.id).is_dir()]
        total = len(subs) * len(topics) + len(topics)
        done = total - len(tasks)
        results: dict[tuple, R.TopicResult] = {}
        try:
            with ThreadPoolExecutor(max_workers=jobs) as ex:
                futures = {ex.submit(pool.check, t, folder): (who, t.id)
                           for who, t, folder in tasks}
                if progress:
                    progress(done, total, "")
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    done += 1
                    if progress:
                        who, tid = futures[fut]
                        progress(done, total, f"{who or 'reference'} · {tid}")
        finally:
            pool.close()

    references = {t.id: results[(None, t.id)] for t in topics}
    broken = [f"{tid}: {r.verdict} ({_not_passed(r)})" for tid, r in references.items()
              if r.verdict != R.PASSED]
    if broken:
        raise MlgradeError(f"the reference solution does not pass here, so grades would be "
                           f"wrong: {'; '.join(broken)}. Run `mlgrade validate` and fix the "
                           f"course or the environment first")
    report = BatchReport(course, topics, references)
    for s in subs:
        for t in topics:
            ref = references[t.id]
            got = results.get((s.learner, t.id))
            if got is None:
                why = s.problem or f"the submission has no {t.id}/ folder"
                report.graded.append(Graded(s.learner, t, _missing_result(t, ref, why)))
            else:
                report.graded.append(Graded(s.learner, t, _with_all_checks(got, ref),
                                            got.duration_s))
    return report


# ---- outputs ---------------------------------------------------------------------------
def grades_csv(report: BatchReport, timing: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for g in report.graded:
        writer.writerow([g.learner, g.topic.id, f"{g.result.score:g}",
                         f"{g.result.max_score:g}", g.result.verdict,
                         f"{g.seconds:.2f}" if timing else ""])
    return out.getvalue()


def gradescope_results(report: BatchReport, learner: str) -> dict:
    """Gradescope's autograder results.json for one learner: names, scores, messages;
    never the hidden checks' source."""
    tests, total = [], 0.0
    for g in (g for g in report.graded if g.learner == learner):
        number = g.topic.number or g.topic.id
        for i, c in enumerate(g.result.checks, 1):
            text = c.message
            if c.output:
                text += ("\n\n" if text else "") + "Your code printed:\n" + c.output
            tests.append({"name": f"{g.topic.id}: {c.name}", "number": f"{number}.{i}",
                          "score": c.score, "max_score": c.points,
                          "status": "passed" if c.verdict == R.PASSED else "failed",
                          "output": text, "tags": [g.topic.id], "visibility": "visible"})
        total += g.result.score
    lines = [f"{g.topic.id}: {g.result.verdict}, {g.result.score:g}/{g.result.max_score:g}"
             for g in report.graded if g.learner == learner]
    return {"score": total, "output": "\n".join(lines), "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}


def write_outputs(report: BatchReport, csv_path: Path | None, json_dir: Path | None,
                  timing: bool = True) -> None:
    if csv_path is not None:
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        csv_path.write_text(grades_csv(report, timing), encoding="utf-8")
    if json_dir is not None:
        for learner in report.learners():
            d = json_dir / learner
            d.mkdir(parents=True, exist_ok=True)
            (d / "results.json").write_text(
                json.dumps(gradescope_results(report, learner), indent=2) + "\n",
                encoding="utf-8")
