"""mlgrade's speed, measured: the numbers in README.md ("Benchmarks") come from here.

    python bench/bench.py                 # everything (about 10 minutes on 2 cores)
    python bench/bench.py --only check    # one part: check, warm, topics, grade
    python bench/bench.py --repeat 5      # more repetitions per measurement

What is measured (wall clock, median of --repeat runs, the reference solutions as the
learner's files so every check runs to the end):
- check:  `mlgrade check 02` in a workspace, against bare `pytest -p grader.plugin` on the
          same hidden tests (what the command adds: start-up, progress store, rendering);
- warm:   a re-check through the warm check server (`mlgrade watch`) against a cold one,
          for a NumPy/sklearn topic and a torch topic, and the warm overhead (wall time
          minus the checks' own time);
- topics: `mlgrade check` of every topic (a fresh process each: what a learner waits);
- grade:  `mlgrade grade` of a class of 8 submissions on topics 01 and 02, --jobs 1 and 2.
Results go to stdout as a Markdown table and to bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def wall(cmd: list[str], cwd: Path | None = None, env: dict | None = None,
         ok: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    took = time.perf_counter() - started
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout[-3000:]}")
    return took


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def reference_workspace(course, dest: Path, topics) -> Path:
    """A workspace whose files for ``topics`` are the reference (so checks pass)."""
    from grader.workspace import init_workspace

    ws = init_workspace(course, dest)
    for t in topics:
        for rel in [f.relpath for f in t.files] + list(t.data_files):
            shutil.copy(course.solution_dir(t) / rel, ws.topic_dir(t) / rel)
    return dest


def bench_check(course, repeat: int, tmp: Path) -> dict:
    mlgrade = [sys.executable, "-m", "grader", "--course", str(course.root)]
    t1, t2 = course.topics[0], course.topics[1]
    ws = reference_workspace(course, tmp / "ws", [t1, t2])
    wall([*mlgrade, "-w", str(ws), "check", t1.id])
    cli = [wall([*mlgrade, "-w", str(ws), "check", t2.id]) for _ in range(repeat)]
    bare = [wall([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  "-p", "grader.plugin", "--mlgrade-topic", t2.id,
                  "--mlgrade-course", str(course.root),
                  "--mlgrade-learner-dir", str(ws / t2.id),
                  str(course.solution_dir(t2) / "hidden_tests")], cwd=tmp)
            for _ in range(repeat)]
    return {"topic": t2.id, "mlgrade_check_s": median(cli), "bare_pytest_s": median(bare)}


def bench_warm(course, repeat: int) -> dict:
    """Cold and warm checks of a NumPy/sklearn topic and a torch topic. The warm overhead
    is the wall time minus the checks' own time (the sum of their durations)."""
    from grader.api import check_topic
    from grader.warm import WarmChecker

    picks = [course.topics[1]] + [t for t in course.topics if "torch" in t.preload][:1]
    out = {}
    for t in picks:
        folder = course.solution_dir(t)
        cold = []
        for _ in range(repeat):
            started = time.perf_counter()
            check_topic(course, t, folder)
            cold.append(time.perf_counter() - started)
        warm, overhead = [], []
        with WarmChecker(course.root, list(t.preload)) as checker:
            checker.check(t.id, folder)            # the first check pays the imports
            for _ in range(repeat):
                started = time.perf_counter()
                result = checker.check(t.id, folder)
                took = time.perf_counter() - started
                warm.append(took)
                overhead.append(took - sum(c.duration_s for c in result.checks))
        out[t.id] = {"cold_s": median(cold), "warm_s": median(warm),
                     "warm_overhead_s": median(overhead)}
    return out


def bench_topics(course, tmp: Path) -> dict:
    """Each topic's reference, graded in a fresh process (imports included)."""
    code = ("import sys, time; from pathlib import Path; "
            "from grader.curriculum import load_course; from grader.api import check_topic; "
            "c = load_course(Path(sys.argv[1])); t = c.topic(sys.argv[2]); "
            "r = check_topic(c, t, c.solution_dir(t)); "
            "print(r.verdict, len(r.checks)); sys.exit(0 if r.passed else 1)")
    return {t.id: round(wall([sys.executable, "-c", code, str(course.root), t.id], cwd=tmp), 1)
            for t in course.topics}


def bench_grade(course, tmp: Path) -> dict:
    topics = course.topics[:2]
    subs = []
    for i in range(8):
        sub = reference_workspace(course, tmp / f"class/learner{i}", topics)
        if i % 2:   # half the class has a bug in topic 01
            stub = course.exercise_dir(topics[0])
            for f in topics[0].files:
                shutil.copy(stub / f.relpath, sub / topics[0].id / f.relpath)
        subs.append(str(sub))
    out = {}
    for jobs in (1, 2):
        took = wall([sys.executable, "-m", "grader", "--course", str(course.root), "grade",
                     *subs, *[a for t in topics for a in ("--topic", t.id)],
                     "--jobs", str(jobs), "--out", str(tmp / f"grades{jobs}.csv")], cwd=tmp)
        out[f"jobs_{jobs}"] = {"seconds": round(took, 1),
                               "submissions_per_minute": round(60 * len(subs) / took, 1)}
    out["submissions"], out["topics"] = len(subs), [t.id for t in topics]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["check", "warm", "topics", "grade"], action="append")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--course", default=str(REPO))
    args = ap.parse_args()
    from grader.curriculum import load_course

    course = load_course(Path(args.course))
    parts = args.only or ["check", "warm", "topics", "grade"]
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "platform": platform.platform()}}
    with tempfile.TemporaryDirectory(prefix="mlgrade-bench-") as tmp:
        tmp = Path(tmp)
        if "check" in parts:
            results["check"] = bench_check(course, args.repeat, tmp)
        if "warm" in parts:
            results["warm"] = bench_warm(course, args.repeat)
        if "topics" in parts:
            results["topics"] = bench_topics(course, tmp)
        if "grade" in parts:
            results["grade"] = bench_grade(course, tmp)
    (REPO / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
