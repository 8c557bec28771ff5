"""``mlgrade compare`` and ``mlgrade notebook``: the learner's code next to the library.

A topic may ship ``solutions/<id>/compare.py``, a percent-format script (cells start with
``# %%``; ``# %% [markdown]`` cells are prose). It runs with three names already defined:

- ``learner`` — the learner's modules, ``learner.<stem>.<function>(...)``, as in hidden
  checks (in ``mlgrade compare`` behind the sandbox proxy; in the notebook imported directly);
- ``side_by_side(title, columns, index=None)`` — a table of numbers: ``columns`` maps a
  column name ("yours", "sklearn") to a sequence of numbers, ``index`` names the rows;
- ``save(fig, name)`` — keep a matplotlib figure as ``<name>.png``.

The same script therefore drives the PNGs of ``mlgrade compare`` and the cells of the
``comparison.ipynb`` that ``mlgrade notebook`` writes for the learner to play with.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import os
import sys
import tempfile
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.curriculum import Course, Topic
from grader.errors import MlgradeError

SCRIPT = "compare.py"
NOTEBOOK = "comparison.ipynb"


@dataclass
class SideBySide:
    title: str
    columns: dict[str, list]
    index: list[str]

    def to_dict(self) -> dict:
        return {"title": self.title, "columns": self.columns, "index": self.index}


@dataclass
class CompareResult:
    topic_id: str
    outdir: Path
    figures: list[Path] = field(default_factory=list)
    tables: list[SideBySide] = field(default_factory=list)
    problem: str = ""          # why the comparison stopped early (the learner's code failed)

    @property
    def ok(self) -> bool:
        return not self.problem

    def to_dict(self) -> dict:
        return {"version": 1, "topic_id": self.topic_id, "outdir": str(self.outdir),
                "figures": [str(p) for p in self.figures], "ok": self.ok,
                "problem": self.problem, "tables": [t.to_dict() for t in self.tables]}


def _script(course: Course, topic: Topic) -> Path:
    path = course.solution_dir(topic) / SCRIPT
    if not path.is_file():
        raise MlgradeError(f"{topic.id} has no comparison ({path.relative_to(course.root)} "
                           f"does not exist)")
    return path


def _read_cells(path: Path):
    import jupytext

    return jupytext.read(path, fmt="py:percent")


def make_table(title: str, columns: dict, index=None) -> SideBySide:
    import numpy as np

    cols = {str(k): [float(x) for x in np.asarray(v, dtype=float).ravel()]
            for k, v in columns.items()}
    n = max((len(v) for v in cols.values()), default=0)
    rows = [str(i) for i in index] if index is not None else [str(i) for i in range(n)]
    return SideBySide(str(title), cols, rows)


def _saver(outdir: Path, figures: list[Path]):
    def save(fig, name: str) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        path = outdir / f"{name}.png"
        fig.savefig(path, dpi=110, bbox_inches="tight")
        figures.append(path)
        import matplotlib.pyplot as plt

        plt.close(fig)
        return path

    return save


def run_compare(course: Course, topic: Topic, topic_dir: Path, outdir: Path) -> CompareResult:
    """Run the topic's comparison script against the learner's files (behind the sandbox)."""
    import matplotlib

    matplotlib.use("Agg")
    from grader.sandbox import LearnerProblem, open_learner
    from grader.static import collect_sources, static_problems

    script = _script(course, topic)
    result = CompareResult(topic.id, Path(outdir))
    sources, missing = collect_sources(topic, Path(topic_dir))
    syntax, forbidden = static_problems(topic, sources)
    if missing or syntax or forbidden:
        result.problem = "; ".join(missing + syntax + forbidden)
        return result
    with tempfile.TemporaryDirectory(prefix="mlgrade-compare-") as tmp:
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        proxy = open_learner(topic, sources, Path(topic_dir), work, os.path.join(tmp, "log"))
        namespace = {"__name__": "mlgrade_compare", "learner": proxy,
                     "save": _saver(result.outdir, result.figures),
                     "side_by_side": lambda *a, **k: result.tables.append(make_table(*a, **k))}
        try:
            for number, cell in enumerate(_read_cells(script).cells, start=1):
                if cell.cell_type != "code":
                    continue
                name = f"{script.name} (cell {number})"
                # Registered like a file, so that inspect.getsource finds functions defined
                # in the cell (learner.probe sends a function as its source).
                linecache.cache[name] = (len(cell.source), None,
                                         cell.source.splitlines(True), name)
                code = compile(cell.source, name, "exec")
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(code, namespace)
        except LearnerProblem as exc:
            result.problem = exc.describe()
        except Exception as exc:  # noqa: BLE001 - a learner result the script could not use
            result.problem = (f"the comparison could not use your results "
                              f"({type(exc).__name__}: {str(exc)[:300]}); run "
                              f"`mlgrade check {topic.id}` for precise feedback")
        finally:
            proxy.close()
    return result


# ---- the notebook -------------------------------------------------------------------
SETUP_CELL = """\
# Written by `mlgrade notebook {topic}`: your own files, imported directly (no sandbox).
# Re-run this cell after you edit them. PNGs go to ./comparison/.
from grader.compare import notebook_setup
globals().update(notebook_setup({topic!r}, course={course!r}))"""


def write_notebook(course: Course, topic: Topic, topic_dir: Path) -> Path:
    """Write ``<topic_dir>/comparison.ipynb`` from the topic's comparison script."""
    import nbformat

    nb = _read_cells(_script(course, topic))
    setup = nbformat.v4.new_code_cell(SETUP_CELL.format(topic=topic.id, course=str(course.root)))
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    nb.cells.insert(first_code, setup)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata.pop("jupytext", None)
    path = Path(topic_dir) / NOTEBOOK
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
    return path


class DirectLearner:
    """``learner`` inside the learner's own notebook: their modules imported directly."""

    def __init__(self, topic: Topic, topic_dir: Path):
        from grader.static import collect_sources

        self._topic = topic
        self._dir = Path(topic_dir)
        sources, missing = collect_sources(topic, self._dir)
        if missing:
            raise MlgradeError("; ".join(missing))
        self._sources = {s.file.stem: s for s in sources}
        self._modules: dict[str, types.ModuleType] = {}
        self.workdir = tempfile.mkdtemp(prefix="mlgrade-notebook-")

    def __getattr__(self, stem: str) -> types.ModuleType:
        if stem.startswith("_") or stem not in self._sources:
            raise AttributeError(f"this topic has no learner module {stem!r}")
        if stem not in self._modules:
            src = self._sources[stem]
            folder = str(self._dir / src.file.kind)
            if folder not in sys.path:
                sys.path.insert(0, folder)
            module = types.ModuleType(stem)
            module.__file__ = str(src.path)
            sys.modules[stem] = module
            exec(compile(src.source, str(src.path), "exec"), module.__dict__)
            self._modules[stem] = module
        return self._modules[stem]

    def probe(self, func, *args, **kwargs):
        return func(*args, **kwargs)


def notebook_setup(topic_id: str, course: str | None = None) -> dict[str, Any]:
    """The names a comparison script expects, for a notebook in the topic folder."""
    from grader.curriculum import find_course, load_course

    c = load_course(find_course(course if course and Path(course).is_dir() else None))
    topic = c.topic(topic_id)
    here = Path.cwd()
    topic_dir = here if here.name == topic.id else here / topic.id
    outdir = topic_dir / "comparison"
    figures: list[Path] = []

    def side_by_side(title, columns, index=None):
        table = make_table(title, columns, index)
        with contextlib.suppress(ImportError):
            from IPython.display import HTML, display

            head = "".join(f"<th>{k}</th>" for k in table.columns)
            rows = "".join(
                f"<tr><th>{name}</th>" + "".join(f"<td>{col[i]:.6g}</td>" if i < len(col)
                                                 else "<td></td>"
                                                 for col in table.columns.values()) + "</tr>"
                for i, name in enumerate(table.index))
            display(HTML(f"<b>{table.title}</b><table><tr><th></th>{head}</tr>{rows}</table>"))
            return table
        print(table)
        return table

    save = _saver(outdir, figures)

    def save_and_show(fig, name):
        with contextlib.suppress(ImportError):
            from IPython.display import display

            display(fig)
        return save(fig, name)

    return {"learner": DirectLearner(topic, topic_dir), "side_by_side": side_by_side,
            "save": save_and_show}

