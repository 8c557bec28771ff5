"""All terminal rendering (rich). Honours NO_COLOR and non-tty output; width ≤ 100."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from grader import results as R

ICONS = {R.PASSED: ("✓", "green"), R.FAILED: ("✗", "red"), R.ERROR: ("✗", "red"),
         R.TIMEOUT: ("⏱", "yellow"), R.CRASHED: ("✗", "magenta"), R.SKIPPED: ("–", "dim"),
         R.NOT_GRADABLE: ("✗", "red"), R.FORBIDDEN_IMPORT: ("✗", "red")}
STATE_STYLE = {"passed": ("✓ passed", "green"), "current": ("▶ current", "cyan bold"),
               "failing": ("✗ failing", "red"), "locked": ("· locked", "dim"),
               "available": ("○ open", "white")}


def console(stderr: bool = False) -> Console:
    width = None
    try:
        cols = os.get_terminal_size().columns
        width = min(cols, 100)
    except OSError:
        width = 80
    return Console(stderr=stderr, width=width, no_color=bool(os.environ.get("NO_COLOR")),
                   highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def bar(score: float | None, max_score: float | None, width: int = 10) -> str:
    if not max_score:
        return " " * width
    filled = round(width * (score or 0) / max_score)
    return "█" * filled + "░" * (width - filled)


def topic_result(con: Console, result: R.TopicResult, *, show_output: bool = True) -> None:
    con.print(Text(f"{result.topic_id} — {result.title}", style="bold"))
    for p in result.problems:
        con.print(Text(f"  ✗ {result.verdict}: ", style="red bold") + Text(p))
    for c in result.checks:
        icon, style = ICONS.get(c.verdict, ("?", "white"))
        label = "" if c.verdict in (R.PASSED, R.FAILED) else f" [{c.verdict}]"
        pts = f" ({c.points:g} pts)" if c.points != 1 else ""
        con.print(Text(f"  {icon} ", style=style) + Text(c.name + pts) + Text(label, style=style))
        if c.message and c.verdict != R.PASSED:
            for line in c.message.splitlines()[:14]:
                con.print(Text("      " + line, style="dim" if c.verdict == R.SKIPPED else ""))
        if show_output and c.output and c.verdict != R.PASSED:
            con.print(Text("      your code printed:", style="dim"))
            for line in c.output.splitlines()[:8]:
                con.print(Text("      │ " + line[:200], style="dim"))
    score = f"{result.score:g}/{result.max_score:g}" if result.max_score else "0"
    style = "green bold" if result.passed else "red bold"
    con.print(Text(f"\n{result.verdict.upper()}", style=style) +
              Text(f"  score {score}  ·  {result.duration_s:.1f} s"))


def dashboard(con: Console, journey, course_title: str) -> None:
    table = Table(title=escape(course_title) or None, show_lines=False, expand=False,
                  box=None, pad_edge=False, padding=(0, 1))
    table.add_column("topic", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("score", no_wrap=True)
    table.add_column("tries", justify="right")
    table.add_column("hints", justify="right")
    table.add_column("last", no_wrap=True)
    for t in journey.topics:
        label, style = STATE_STYLE[t.state]
        if t.changed_since_pass:
            label += " *"
        p = t.progress
        score = bar(p.last_score, p.last_max_score) if p.attempts else ""
        last = (p.last_attempt_at or "")[:16].replace("T", " ")
        table.add_row(t.topic.id, Text(label, style=style), score,
                      str(p.attempts or ""), f"{p.hints_used}/{len(t.topic.hints)}" if t.topic.hints else "",
                      last)
    con.print(table)
    total = len(journey.topics)
    con.print(Text(f"\n{journey.passed}/{total} topics passed  ") +
              Text(bar(journey.passed, total, 20), style="green"))
    if any(t.changed_since_pass for t in journey.topics):
        con.print(Text("* files changed since the topic passed", style="dim"))
    con.print(Text("next: ", style="bold") + Text(journey.next_command(), style="cyan"))


def soundness(con: Console, reports: list) -> None:
    table = Table(box=None, padding=(0, 1))
    table.add_column("topic", no_wrap=True)
    table.add_column("reference", no_wrap=True)
    table.add_column("stub", no_wrap=True)
    table.add_column("time", justify="right")
    table.add_column("verdict")
    for r in reports:
        ref = f"{sum(c.verdict == R.PASSED for c in r.reference.checks)}/{len(r.reference.checks)} pass"
        stub = f"{sum(c.verdict != R.PASSED for c in r.stub.checks)}/{len(r.stub.checks)} fail"
        table.add_row(r.topic_id, ref, stub, f"{r.reference.duration_s:.1f}s",
                      Text("sound", style="green") if r.sound else Text("UNSOUND", style="red bold"))
    con.print(table)
    for r in reports:
        for p in r.problems:
            con.print(Text(f"  {r.topic_id}: ", style="red") + Text(p))


def comparison(con: Console, result) -> None:
    for table in result.tables:
        t = Table(title=escape(table.title), box=None, padding=(0, 2))
        t.add_column("")
        for name in table.columns:
            t.add_column(escape(name), justify="right")
        for i, row in enumerate(table.index):
            t.add_row(escape(row), *[f"{col[i]:.6g}" if i < len(col) else ""
                                     for col in table.columns.values()])
        con.print(t)
    if result.figures:
        con.print(Text("figures:", style="bold"))
        for path in result.figures:
            con.print(Text(f"  {path}"))
    if result.problem:
        con.print(Text("stopped: ", style="red bold") + Text(result.problem))
