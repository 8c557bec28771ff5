"""The course is tested too: alternative correct solutions pass, plausible bugs fail.

Each folder ``tests/course/variants/<topic>/<name>/`` holds learner files (same layout as a
topic folder) laid over a copy of the reference solution, and ``expect.yaml``. A learner
file is either whole (``from_scratch/x.py``: an alternative written differently) or a
unified diff against the reference's file (``from_scratch/x.py.diff``, as ``diff -u`` or
``git diff`` write it: a bug is its few changed lines, and it follows the reference as
the reference evolves).

    description: what the variant does (a correct alternative, or the bug it has)
    verdict: passed | failed | error | ...     # the topic's verdict
    failing: [test_a, test_b]                  # exactly the checks that must not pass
    message_contains: ["a phrase", ...]        # each appears in some failing check's message
    only: [test_a, test_b, test_c]             # optional: run only these checks (speed)

A variant that expects ``passed`` always runs every check. Variants are graded through a
warm check server (as `mlgrade watch` and `mlgrade grade` do): imports are paid once per
test worker; `tests/course/test_soundness.py` grades every reference and stub cold.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from grader import results as R
from grader.curriculum import load_course

REPO = Path(__file__).resolve().parents[2]
VARIANTS = Path(__file__).resolve().parent / "variants"


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


def apply_unified_diff(original: str, diff: str, name: str) -> str:
    """``original`` with the hunks of ``diff`` applied; every context and removed line must
    match the original (a diff made against an older reference fails loudly)."""
    src = original.splitlines(keepends=True)
    out: list[str] = []
    pos = 0
    lines = diff.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        m = _HUNK.match(lines[i])
        i += 1
        if not m:
            continue
        start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
        out += src[pos:start]
        pos = start
        while i < len(lines) and not lines[i].startswith("@@"):
            tag, text = lines[i][:1], lines[i][1:]
            if tag in (" ", "-"):
                have = src[pos] if pos < len(src) else ""
                if have.rstrip("\n") != text.rstrip("\n"):
                    raise AssertionError(f"{name} does not apply at line {pos + 1}: expected "
                                         f"{text.rstrip()!r}, the reference has {have.rstrip()!r}")
                if tag == " ":
                    out.append(have)
                pos += 1
            elif tag == "+":
                out.append(text if text.endswith("\n") else text + "\n")
            elif tag == "\\" and out and lines[i - 1].startswith("+"):
                out[-1] = out[-1].rstrip("\n")   # "\ No newline at end of file"
            i += 1
    return "".join(out + src[pos:])


def _lay_over(variant: Path, learner: Path, reference: Path) -> None:
    for path in sorted(variant.rglob("*")):
        rel = path.relative_to(variant)
        if path.is_dir() or rel.name == "expect.yaml" or "__pycache__" in rel.parts:
            continue
        if path.suffix == ".diff":
            target = rel.with_suffix("")
            text = apply_unified_diff((reference / target).read_text(encoding="utf-8"),
                                      path.read_text(encoding="utf-8"), str(rel))
            (learner / target).write_text(text, encoding="utf-8")
        else:
            (learner / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, learner / rel)


def _variants():
    for expect in sorted(VARIANTS.glob("*/*/expect.yaml")):
        yield pytest.param(expect.parent, id=f"{expect.parent.parent.name}/{expect.parent.name}")


@pytest.fixture(scope="module")
def course():
    return load_course(REPO)


@pytest.fixture(scope="module")
def checker():
    from grader.warm import WarmChecker

    with WarmChecker(REPO) as warm:
        yield warm


@pytest.mark.parametrize("variant", list(_variants()))
def test_variant(variant: Path, course, checker, tmp_path: Path):
    spec = yaml.safe_load((variant / "expect.yaml").read_text(encoding="utf-8"))
    topic = course.topic(variant.parent.name)
    learner = tmp_path / topic.id
    shutil.copytree(course.solution_dir(topic), learner,
                    ignore=shutil.ignore_patterns("hidden_tests", "__pycache__"))
    _lay_over(variant, learner, course.solution_dir(topic))
    expected = spec["verdict"]
    only = None if expected == R.PASSED else spec.get("only")
    result = checker.check(topic.id, learner, select=only)
    not_passed = {c.id: c for c in result.checks if c.verdict not in (R.PASSED, R.SKIPPED)}
    report = "\n".join(f"  {c.id}: {c.verdict}: {c.message[:300]}" for c in result.checks
                       if c.verdict != R.PASSED) + "".join(f"\n  {p}" for p in result.problems)
    assert result.verdict == expected, f"{spec['description']}: got {result.verdict}\n{report}"
    if expected == R.PASSED:
        return
    if only:
        ran = {c.id for c in result.checks}
        assert ran == set(only), f"`only` names checks that do not exist: {set(only) - ran}"
    assert set(not_passed) == set(spec.get("failing", [])), (
        f"{spec['description']}: failing checks differ\n{report}")
    messages = "\n".join(c.message for c in not_passed.values()) + "\n".join(result.problems)
    for phrase in spec.get("message_contains", []):
        assert phrase.lower() in messages.lower(), (
            f"{spec['description']}: no failing message mentions {phrase!r}\n{report}")
