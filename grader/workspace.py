"""A learner's workspace: topic folders copied from the course plus ``.mlgrade/``."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from grader.curriculum import Course, Topic
from grader.errors import WorkspaceError

MARKER = ".mlgrade"
ENV_VAR = "MLGRADE_WORKSPACE"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def state_dir(self) -> Path:
        return self.root / MARKER

    @property
    def progress_path(self) -> Path:
        return self.state_dir / "progress.db"

    def topic_dir(self, topic: Topic) -> Path:
        return self.root / topic.id


def find_workspace(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Workspace:
    """-w DIR / MLGRADE_WORKSPACE, else walk up from the current directory."""
    if explicit or os.environ.get(ENV_VAR):
        root = Path(explicit or os.environ[ENV_VAR]).expanduser()
        if not (root / MARKER).is_dir():
            raise WorkspaceError(f"{root} is not an mlgrade workspace (no {MARKER}/ folder); "
                                 f"create one with `mlgrade init {root}`")
        return Workspace(root.resolve())
    here = (start or Path.cwd()).resolve()
    for d in [here, *here.parents]:
        if (d / MARKER).is_dir():
            return Workspace(d)
    raise WorkspaceError("not inside an mlgrade workspace: `mlgrade init journey && cd journey` "
                         "creates one (or pass -w DIR)")


def _copy_topic(course: Course, topic: Topic, dest: Path) -> None:
    shutil.copytree(course.exercise_dir(topic), dest, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def init_workspace(course: Course, root: Path) -> Workspace:
    from grader.curriculum import missing_files
    from grader.errors import CourseError

    root = Path(root).expanduser()
    broken = [f"{t.id}: {m}" for t in course.topics for m in missing_files(course, t)]
    if broken:
        raise CourseError(f"the course in {course.root} is incomplete ({broken[0]}"
                          f"{f' and {len(broken) - 1} more' if len(broken) > 1 else ''}); "
                          f"`mlgrade validate` lists every problem")
    if (root / MARKER).exists():
        raise WorkspaceError(f"{root} is already an mlgrade workspace; nothing was changed")
    clashes = [t.id for t in course.topics if (root / t.id).exists()]
    if clashes:
        raise WorkspaceError(f"{root} already holds {', '.join(clashes[:3])}: refusing to "
                             f"overwrite learner files; choose an empty folder")
    root.mkdir(parents=True, exist_ok=True)
    for topic in course.topics:
        _copy_topic(course, topic, root / topic.id)
    (root / MARKER).mkdir()
    ws = Workspace(root.resolve())
    from grader.progress import ProgressStore

    ProgressStore(ws.progress_path).close()
    return ws


def learner_paths(topic: Topic, topic_dir: Path) -> list[Path]:
    """The files whose content is the learner's answer (a notebook beside a stub counts)."""
    paths = []
    for f in topic.files:
        py = topic_dir / f.relpath
        paths += [p for p in (py, py.with_suffix(".ipynb")) if p.exists()]
    paths += [topic_dir / d for d in topic.data_files if (topic_dir / d).exists()]
    return paths


def digest(topic: Topic, topic_dir: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(learner_paths(topic, topic_dir)):
        h.update(str(p.relative_to(topic_dir)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def reset_topic(ws: Workspace, course: Course, topic: Topic) -> Path | None:
    """Restore the stubs; the learner's files go to .mlgrade/backups/<topic>-<time>/ first."""
    tdir = ws.topic_dir(topic)
    backup = None
    files = learner_paths(topic, tdir) if tdir.exists() else []
    if files:
        backup = ws.state_dir / "backups" / f"{topic.id}-{time.strftime('%Y%m%d-%H%M%S')}"
        n = 1
        while backup.exists():
            n += 1
            backup = backup.with_name(f"{backup.name.split('~')[0]}~{n}")
        for p in files:
            dest = backup / p.relative_to(tdir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, dest)
        for p in files:
            if p.suffix == ".ipynb":
                p.unlink()   # a notebook beside the stub would take precedence again
    for f in topic.files:
        dest = tdir / f.relpath
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(course.exercise_dir(topic) / f.relpath, dest)
    for d in topic.data_files:
        shutil.copy2(course.exercise_dir(topic) / d, tdir / d)
    return backup
