"""Learner solutions written in a notebook: code cells become one module's source."""

from __future__ import annotations

from pathlib import Path

SCRATCH_TAGS = {"scratch", "skip", "mlgrade-skip"}


class NotebookError(Exception):
    pass


def _clean(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith(("%", "!")):
        return ""      # magics and shell lines are not Python: blank keeps line numbers
    return line


def extract_code(path: Path) -> tuple[str, tuple]:
    """(source, cell_map): code cells joined; cell_map maps source lines to cell numbers."""
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook is the same problem
        raise NotebookError(f"not a readable notebook ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    cell_map = []
    for number, cell in enumerate(nb.cells, start=1):   # cells counted as the notebook shows them
        if cell.cell_type != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & SCRATCH_TAGS:
            continue
        src = cell.source
        if src.lstrip().startswith("%%"):
            continue   # a cell magic (%%time, %%bash ...) is not module code
        cell_map.append((len(lines) + 1, number))
        lines += [_clean(line) for line in src.splitlines()]
        lines.append("")
    return "\n".join(lines) + "\n", tuple(cell_map)
