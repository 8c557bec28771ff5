"""``mlgrade new``: scaffold a topic (exercise, reference, an example check, its entry).

The curriculum entry is inserted as text, so the file's comments, order and layout stay as
the instructor wrote them. Every scaffolded file carries the ``mlgrade:template`` marker:
``mlgrade validate`` reports the topic unsound until the marker is gone.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from grader.curriculum import ID_RE, Course, load_course
from grader.errors import CourseError, MlgradeError

TEMPLATES = Path(__file__).resolve().parent / "templates" / "topic"
_ENTRY_RE = re.compile(r"^(?P<indent>[ \t]*)- id:\s*(?P<id>[^\s#]+)")


@dataclass
class Scaffolded:
    topic_id: str
    files: list[Path] = field(default_factory=list)
    rewired: str | None = None      # the topic that now requires the new one


def _render(name: str, **values: str) -> str:
    return Template((TEMPLATES / name).read_text(encoding="utf-8")).substitute(values)


def _entry(indent: str, topic_id: str, title: str, after: str | None, scratch: str,
           library: str | None) -> list[str]:
    i2, i3 = indent + "  ", indent + "    "
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = [f"{indent}- id: {topic_id}", f"{i2}title: {quoted}",
             f"{i2}requires: [{after or ''}]", f"{i2}files:", f"{i3}from_scratch: [{scratch}]"]
    if library:
        lines += [f"{i3}library_impl: [{library}]", f"{i2}preload: [sklearn]"]
    lines += [f"{i2}hints:",
              f'{i3}- "mlgrade:template: 4 to 6 hints, from a gentle nudge to nearly the answer."',
              f"{i2}learned: |",
              f"{i3}mlgrade:template: what the learner knows after passing, in 2 or 3 sentences."]
    return lines


def _insert_entry(text: str, course: Course, topic_id: str, title: str, after: str | None,
                  scratch: str, library: str | None) -> tuple[str, str | None]:
    """The curriculum text with the new entry after ``after`` (default: the last topic);
    the topic that required ``after`` alone now requires the new one."""
    lines = text.splitlines()
    starts = [(n, m) for n, line in enumerate(lines) if (m := _ENTRY_RE.match(line))]
    if not starts:
        raise CourseError("curriculum.yaml: no topic entries (`- id: ...`) to insert after")
    anchor = after or course.topics[-1].id
    index = next((k for k, (_, m) in enumerate(starts) if m["id"] == anchor), None)
    if index is None:
        raise CourseError(f"curriculum.yaml: topic {anchor} not found")
    indent = starts[index][1]["indent"]
    end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
    if index + 1 == len(starts):    # the last entry ends where the topics list ends
        for n in range(starts[index][0] + 1, len(lines)):
            stripped = lines[n].strip()
            if stripped and not stripped.startswith("#") \
                    and len(lines[n]) - len(lines[n].lstrip()) <= len(indent) \
                    and not lines[n].lstrip().startswith("-"):
                end = n
                break
    while end > starts[index][0] + 1 and (not lines[end - 1].strip()
                                          or lines[end - 1].lstrip().startswith("#")):
        end -= 1   # blank lines and comments just above the next entry belong to it
    rewired = None
    if index + 1 < len(starts):
        nxt_start = starts[index + 1][0]
        nxt_end = starts[index + 2][0] if index + 2 < len(starts) else len(lines)
        for n in range(nxt_start, nxt_end):
            m = re.match(rf"^(\s*requires:\s*)\[\s*{re.escape(anchor)}\s*\](.*)$", lines[n])
            if m:
                lines[n] = f"{m.group(1)}[{topic_id}]{m.group(2)}"
                rewired = starts[index + 1][1]["id"]
                break
    block = ["", *_entry(indent, topic_id, title, anchor, scratch, library)]
    lines[end:end] = block
    return "\n".join(lines) + "\n", rewired


def new_topic(course: Course, topic_id: str, title: str, after: str | None = None,
              scratch_only: bool = False) -> Scaffolded:
    if not ID_RE.match(topic_id):
        raise MlgradeError(f"topic id {topic_id!r}: use lower case, digits and _, "
                           f"like 18_pca (two digits, _, a name)")
    if any(t.id == topic_id for t in course.topics):
        raise MlgradeError(f"topic {topic_id} already exists in {course.root / 'curriculum.yaml'}")
    if after is not None:
        after = course.topic(after).id
    ex, sol = course.exercises / topic_id, course.solutions / topic_id
    for d in (ex, sol):
        if d.exists():
            raise MlgradeError(f"{d} already exists: remove it or choose another id")
    name = re.sub(r"^[0-9]{2}_", "", topic_id)
    scratch, library = f"{name}_numpy.py", None if scratch_only else f"{name}_library.py"
    values = {"title": title, "topic_id": topic_id, "scratch_file": scratch,
              "scratch_stem": scratch[:-3], "library_stem": (library or "")[:-3],
              "library_row": "" if scratch_only else
              f"| `library_impl/{library}` | `standardize_library(X)` with scikit-learn | "
              f"numpy, scikit-learn |\n"}
    values["library_test"] = "" if scratch_only else _render("test_library.py.tmpl", **values)
    files = {ex / "README.md": "README.md.tmpl", ex / "notes.md": "notes.md.tmpl",
             ex / "from_scratch" / scratch: "scratch_stub.py.tmpl",
             sol / "from_scratch" / scratch: "scratch_reference.py.tmpl",
             sol / "hidden_tests" / f"test_{name}.py": "test_topic.py.tmpl",
             sol / "compare.py": "compare.py.tmpl"}
    if library:
        files[ex / "library_impl" / library] = "library_stub.py.tmpl"
        files[sol / "library_impl" / library] = "library_reference.py.tmpl"

    curriculum = course.root / "curriculum.yaml"
    original = curriculum.read_text(encoding="utf-8")
    text, rewired = _insert_entry(original, course, topic_id, title, after, scratch, library)
    try:
        for path, template in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_render(template, **values), encoding="utf-8")
        curriculum.write_text(text, encoding="utf-8")
        load_course(course.root, check_files=True)
    except BaseException:
        curriculum.write_text(original, encoding="utf-8")
        for d in (ex, sol):
            shutil.rmtree(d, ignore_errors=True)
        raise
    return Scaffolded(topic_id, sorted(files), rewired)
