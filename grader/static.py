"""Static stage: learner sources are found, parse, and import nothing forbidden.

Nothing here runs learner code: sources are read and parsed with ``ast`` only.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from grader.curriculum import LearnerFile, Topic

MAX_SOURCE_BYTES = 2_000_000


@dataclass(frozen=True)
class LearnerSource:
    file: LearnerFile
    path: Path             # the file the code came from (.py or .ipynb)
    source: str
    display: str           # how messages name it, e.g. from_scratch/x.py
    cell_map: tuple = ()   # for notebooks: (first line of cell in source, cell number)


def collect_sources(topic: Topic, topic_dir: Path) -> tuple[list[LearnerSource], list[str]]:
    """The learner's code for each declared file; a notebook next to the stub wins."""
    from grader import notebooks

    sources, problems = [], []
    for f in topic.files:
        py = topic_dir / f.relpath
        nb = py.with_suffix(".ipynb")
        try:
            if nb.is_file():
                code, cell_map = notebooks.extract_code(nb)
                sources.append(LearnerSource(f, nb, code, f"{f.kind}/{nb.name}", cell_map))
            elif py.is_file():
                if py.stat().st_size > MAX_SOURCE_BYTES:
                    problems.append(f"{f.relpath}: file is over {MAX_SOURCE_BYTES} bytes")
                    continue
                text = py.read_text(encoding="utf-8", errors="replace")
                sources.append(LearnerSource(f, py, text, f.relpath))
            else:
                problems.append(f"{f.relpath}: file is missing (`mlgrade reset {topic.id}` "
                                f"restores the stub)")
        except notebooks.NotebookError as exc:
            problems.append(f"{f.kind}/{nb.name}: {exc}")
    return sources, problems


def locate(src: LearnerSource, lineno: int | None) -> str:
    """file:line, or notebook cell and line within the cell."""
    from grader.sandbox_child import where

    return src.display if lineno is None else where(src.display, src.cell_map, lineno)


def syntax_problems(src: LearnerSource) -> list[str]:
    try:
        ast.parse(src.source, filename=str(src.path))
    except SyntaxError as exc:
        return [f"{locate(src, exc.lineno)}: {exc.msg}"]
    except ValueError as exc:  # null bytes
        return [f"{src.display}: {exc}"]
    return []


def forbidden_imports(src: LearnerSource, forbidden: tuple[str, ...]) -> list[str]:
    """Imports of forbidden packages: statements, __import__("x"), importlib.import_module("x")."""
    tree = ast.parse(src.source)
    banned = set(forbidden)
    found = []

    def flag(name: str, node: ast.AST) -> None:
        top = name.partition(".")[0]
        if top in banned:
            found.append(f"{locate(src, getattr(node, 'lineno', None))}: imports '{name}', "
                         f"which is not allowed in a from-scratch file (NumPy only)")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                flag(alias.name, node)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            flag(node.module, node)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else "")
            arg = node.args[0]
            if fname in ("__import__", "import_module") and isinstance(arg, ast.Constant) \
                    and isinstance(arg.value, str):
                flag(arg.value, node)
    return found


def static_problems(topic: Topic, sources: list[LearnerSource]) -> tuple[list[str], list[str]]:
    """(syntax problems, forbidden-import problems)."""
    syntax, forbidden = [], []
    for src in sources:
        errs = syntax_problems(src)
        syntax += errs
        if not errs and src.file.kind == "from_scratch":
            forbidden += forbidden_imports(src, topic.forbidden_imports)
    return syntax, forbidden
