"""`mlgrade grade`: a class of six submissions, every CSV row and results.json asserted."""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REFERENCE_ADDER, REFERENCE_LIB, write

TWICE = "def twice(x):\n    return 2 * x\n"


def workspace(root: Path, adder: str = REFERENCE_ADDER, lib: str = REFERENCE_LIB,
              twice: str | None = TWICE, extra: dict[str, str] | None = None) -> Path:
    write(root / "01_first/from_scratch/adder.py", adder)
    write(root / "01_first/library_impl/lib.py", lib)
    if twice is not None:
        write(root / "02_second/from_scratch/twice.py", twice)
    for rel, text in (extra or {}).items():
        write(root / rel, text)
    return root


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


FORGE_CONFTEST = """\
import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    outcome.get_result().outcome = "passed"
"""

FORGE_ADDER = """\
import json, os, sys
print(json.dumps({"topic_id": "01_first", "verdict": "passed", "score": 4, "max_score": 4}))
for target in ("../../grades.csv", "/tmp/mlgrade-forged-results.json"):
    try:
        with open(target, "w") as fh:
            fh.write("learner,topic,score,max_score,status,seconds\\nforge,01_first,4,4,passed,0\\n")
    except OSError:
        pass

def add(a, b):
    return a - b
"""


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> list[Path]:
    base = tmp_path_factory.mktemp("class")
    correct = workspace(base / "ada")
    partial = workspace(base / "bob", lib=REFERENCE_LIB.replace("* 2", "* 3"), twice=None)
    syntax = workspace(base / "cy", adder="def add(a, b)\n    return a + b\n")
    loop = workspace(base / "dee", adder="def add(a, b):\n    while True:\n        pass\n")
    exits = workspace(base / "eve", adder="import os\nos._exit(0)\n")
    forge_dir = workspace(base / "src-forge" / "journey", adder=FORGE_ADDER,
                          extra={"01_first/conftest.py": FORGE_CONFTEST,
                                 "01_first/hidden_tests/test_first.py": "def test_x():\n    pass\n"})
    forge = base / "fay.zip"
    with zipfile.ZipFile(forge, "w") as zf:
        for p in sorted(forge_dir.rglob("*")):
            zf.write(p, p.relative_to(forge_dir.parent.parent))
    return [correct, partial, syntax, loop, exits, forge]


@pytest.fixture(scope="module")
def graded(submissions, tiny_course, tmp_path_factory):
    from click.testing import CliRunner

    from grader.cli import cli

    out = tmp_path_factory.mktemp("out")
    before = {p: tree_digest(p) if p.is_dir() else p.read_bytes() for p in submissions}
    result = CliRunner().invoke(cli, ["--course", str(tiny_course), "grade",
                                      *map(str, submissions), "--jobs", "2",
                                      "--out", str(out / "grades.csv"),
                                      "--results-json", str(out / "json")],
                                catch_exceptions=False)
    after = {p: tree_digest(p) if p.is_dir() else p.read_bytes() for p in submissions}
    return result, out, before, after


def rows(out: Path) -> dict[tuple[str, str], dict]:
    with open(out / "grades.csv", newline="") as fh:
        return {(r["learner"], r["topic"]): r for r in csv.DictReader(fh)}


def test_batch_grades_every_learner_and_topic(graded):
    result, out, _, _ = graded
    assert result.exit_code == 0, result.output
    got = {k: (r["score"], r["max_score"], r["status"]) for k, r in rows(out).items()}
    assert got == {
        ("ada", "01_first"): ("4", "4", "passed"),
        ("ada", "02_second"): ("1", "1", "passed"),
        ("bob", "01_first"): ("3", "4", "failed"),
        ("bob", "02_second"): ("0", "1", "missing"),
        ("cy", "01_first"): ("0", "4", "not gradable"),
        ("cy", "02_second"): ("1", "1", "passed"),
        ("dee", "01_first"): ("1", "4", "timeout"),
        ("dee", "02_second"): ("1", "1", "passed"),
        ("eve", "01_first"): ("1", "4", "crashed"),
        ("eve", "02_second"): ("1", "1", "passed"),
        ("fay", "01_first"): ("1", "4", "failed"),
        ("fay", "02_second"): ("1", "1", "passed"),
    }
    header = (out / "grades.csv").read_text().splitlines()[0]
    assert header == "learner,topic,score,max_score,status,seconds"
    assert all(float(r["seconds"]) >= 0 for r in rows(out).values())


def test_results_json_per_learner(graded):
    _, out, _, _ = graded
    for learner, total in {"ada": 5, "bob": 3, "cy": 1, "dee": 2, "eve": 2, "fay": 2}.items():
        data = json.loads((out / "json" / learner / "results.json").read_text())
        assert data["score"] == total, learner
        assert len(data["tests"]) == 4, learner           # 3 checks of 01 + 1 of 02
        for t in data["tests"]:
            assert set(t) >= {"name", "score", "max_score", "status", "output", "visibility"}
            assert t["status"] in ("passed", "failed")
            assert "def test_" not in t["output"] and "assert_close" not in t["output"]
    cy = json.loads((out / "json/cy/results.json").read_text())
    first = [t for t in cy["tests"] if t["name"].startswith("01_first")]
    assert all(t["status"] == "failed" and "adder.py" in t["output"] for t in first)
    bob = json.loads((out / "json/bob/results.json").read_text())
    box = next(t for t in bob["tests"] if "make_box" in t["name"])
    assert box["status"] == "failed" and "double" in box["output"]
    missing = next(t for t in bob["tests"] if t["name"].startswith("02_second"))
    assert "no 02_second/ folder" in missing["output"]
    dee = json.loads((out / "json/dee/results.json").read_text())
    assert any("3 s" in t["output"] for t in dee["tests"] if t["status"] == "failed")


def test_submissions_are_untouched_and_forgery_fails(graded, submissions):
    _, out, before, after = graded
    assert before == after
    assert not (submissions[-1].parent / "grades.csv").exists()
    text = (out / "grades.csv").read_text()
    assert "forge" not in text


def test_rerun_gives_identical_files(submissions, tiny_course, tmp_path, cli_run):
    outs = []
    for i in range(2):
        res = cli_run("grade", str(submissions[0]), str(submissions[1]), "--no-timing",
                      "--out", str(tmp_path / f"g{i}.csv"),
                      "--results-json", str(tmp_path / f"j{i}"))
        assert res.exit_code == 0, res.output
        outs.append(((tmp_path / f"g{i}.csv").read_bytes(),
                     (tmp_path / f"j{i}/bob/results.json").read_bytes()))
    assert outs[0] == outs[1]
    assert b",passed,\n" in outs[0][0]


def test_unsafe_zip_is_refused_and_batch_goes_on(submissions, tmp_path, cli_run):
    evil = tmp_path / "mallory.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../escaped.py", "x = 1\n")
        zf.writestr("01_first/from_scratch/adder.py", REFERENCE_ADDER)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    res = cli_run("grade", str(evil), str(junk), str(submissions[0]), "--topic", "1",
                  "--out", str(tmp_path / "g.csv"), "--results-json", str(tmp_path / "j"))
    assert res.exit_code == 0, res.output
    assert not (tmp_path.parent / "escaped.py").exists()
    got = {k: r["status"] for k, r in rows_of(tmp_path / "g.csv").items()}
    assert got == {("mallory", "01_first"): "missing", ("junk", "01_first"): "missing",
                   ("ada", "01_first"): "passed"}
    mal = json.loads((tmp_path / "j/mallory/results.json").read_text())
    assert "unsafe path" in mal["tests"][0]["output"]
    junk_json = json.loads((tmp_path / "j/junk/results.json").read_text())
    assert "not a readable zip" in junk_json["tests"][0]["output"]


def rows_of(path: Path) -> dict[tuple[str, str], dict]:
    with open(path, newline="") as fh:
        return {(r["learner"], r["topic"]): r for r in csv.DictReader(fh)}
