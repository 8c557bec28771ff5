"""All terminal rendering (rich). Honours NO_COLOR and non-tty output; width ≤ 100."""

from __future__ import annotations

import json
import os
import sys
import time
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
               "available": ("○ open", "")}


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
        con.print(Text(f"  ✗ {result.verdict}: ", style="red bold") + Text(p), soft_wrap=True)
    for c in result.checks:
        icon, style = ICONS.get(c.verdict, ("?", "white"))
        label = "" if c.verdict in (R.PASSED, R.FAILED) else f" [{c.verdict}]"
        pts = f" ({c.points:g} pts)" if c.points != 1 else ""
        con.print(Text(f"  {icon} ", style=style) + Text(c.name + pts) + Text(label, style=style))
        if c.message and c.verdict != R.PASSED:
            for line in c.message.splitlines()[:14]:
                con.print(Text("      " + line, style="dim" if c.verdict == R.SKIPPED else ""),
                          soft_wrap=True)
        if show_output and c.output and c.verdict != R.PASSED:
            con.print(Text("      your code printed:", style="dim"))
            for line in c.output.splitlines()[:8]:
                con.print(Text("      │ " + line[:200], style="dim"))
    score = f"{result.score:g}/{result.max_score:g}" if result.max_score else "0"
    style = "green bold" if result.passed else "red bold"
    con.print(Text(f"\n{result.verdict.upper()}", style=style) +
              Text(f"  score {score}  ·  {result.duration_s:.1f} s"))


def _ago(iso: str | None, now: float | None = None) -> str:
    if not iso:
        return ""
    import datetime as dt

    seconds = (now or time.time()) - dt.datetime.fromisoformat(iso).timestamp()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"


def _duration(seconds: float) -> str:
    if not seconds:
        return ""
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


def _rows(journey):
    """The dashboard's rows as plain strings, shared by the terminal and HTML views."""
    for t in journey.topics:
        p = t.progress
        label, style = STATE_STYLE[t.state]
        if t.changed_since_pass:
            label += "*"
        score = ""
        if p.attempts and p.last_max_score:
            score = f"{p.last_score:g}/{p.last_max_score:g}"
        yield {"id": t.topic.id, "state": t.state, "label": label, "style": style,
               "bar": bar(p.last_score, p.last_max_score, 8) if p.attempts else "",
               "score": score, "tries": str(p.attempts or ""),
               "time": _duration(p.time_spent_s),
               "hints": f"{p.hints_used}/{len(t.topic.hints)}" if p.hints_used else "",
               "last": _ago(p.last_attempt_at)}


def dashboard(con: Console, journey, course_title: str) -> None:
    """Fits 80 columns: the longest topic id, a 10-wide status, an 8-wide bar, numbers."""
    table = Table(title=escape(course_title) or None, box=None, pad_edge=False,
                  padding=(0, 1), title_justify="left", title_style="bold")
    table.add_column("topic", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("score", no_wrap=True)
    table.add_column("", no_wrap=True, justify="right")
    table.add_column("tries", justify="right", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("hints", justify="right", no_wrap=True)
    table.add_column("last", no_wrap=True)
    for row in _rows(journey):
        table.add_row(row["id"], Text(row["label"], style=row["style"]), row["bar"],
                      row["score"], row["tries"], row["time"], row["hints"], row["last"])
    con.print(table)
    total = len(journey.topics)
    con.print(Text(f"\n{journey.passed}/{total} topics passed ") +
              Text(bar(journey.passed, total, 20), style="green"))
    if any(t.changed_since_pass for t in journey.topics):
        con.print(Text("* passed, but its files changed since: `mlgrade check` it again",
                       style="dim"))
    con.print(Text("next: ", style="bold") + Text(journey.next_command(), style="cyan"))


HTML_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 56rem;
       color: #1d2430; padding: 0 1rem; }}
h1 {{ font-size: 1.35rem; }} table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e3e6eb; }}
th {{ font-weight: 600; color: #5a6372; }} td.num {{ text-align: right; }}
.passed {{ color: #137a3a; }} .current {{ color: #0b63b6; font-weight: 600; }}
.failing {{ color: #b3261e; }} .locked {{ color: #8a93a2; }} .available {{ color: #1d2430; }}
.bar {{ display: inline-block; width: 6rem; height: .6rem; background: #e3e6eb;
        border-radius: .3rem; overflow: hidden; vertical-align: middle; }}
.bar span {{ display: block; height: 100%; background: #2e9d57; }}
.summary {{ margin: 1rem 0; }} code {{ background: #f1f3f6; padding: .1rem .3rem; }}
</style></head><body>
<h1>{title}</h1>
<p class="summary">{passed} of {total} topics passed · next: <code>{next}</code></p>
<table><thead><tr><th>topic</th><th>status</th><th>score</th><th></th><th>tries</th>
<th>time</th><th>hints</th><th>last check</th></tr></thead><tbody>
{rows}
</tbody></table>
<p class="summary">{footnote}</p>
</body></html>
"""


def dashboard_html(journey, course_title: str) -> str:
    """A standalone page (no scripts, no external files) with the dashboard's content."""
    from html import escape as h

    rows = []
    for row, t in zip(_rows(journey), journey.topics, strict=True):
        p = t.progress
        width = 0 if not p.last_max_score else round(100 * (p.last_score or 0) / p.last_max_score)
        bar_html = f'<span class="bar"><span style="width:{width}%"></span></span>' \
            if row["bar"] else ""
        rows.append(
            f'<tr><td>{h(row["id"])}<br><small>{h(t.topic.title)}</small></td>'
            f'<td class="{row["state"]}">{h(row["label"])}</td><td>{bar_html}</td>'
            f'<td class="num">{h(row["score"])}</td><td class="num">{h(row["tries"])}</td>'
            f'<td class="num">{h(row["time"])}</td><td class="num">{h(row["hints"])}</td>'
            f'<td>{h(row["last"])}</td></tr>')
    footnote = ("* passed, but its files changed since" if any(
        t.changed_since_pass for t in journey.topics) else "")
    return HTML_PAGE.format(title=h(course_title or "mlgrade"), passed=journey.passed,
                            total=len(journey.topics), next=h(journey.next_command()),
                            rows="\n".join(rows), footnote=footnote)


def _verdict_text(verdict: str) -> Text:
    icon, style = ICONS.get(verdict, ("?", ""))
    return Text(icon if verdict == R.PASSED else f"{icon} {verdict}", style=style)


def topic_soundness(con: Console, r) -> None:
    """One topic's checks: reference (both runs), stub, the cheats that pass each."""
    table = Table(title=f"{r.topic_id}", title_justify="left", box=None, padding=(0, 1))
    for col in ("check", "pts", "reference", "rerun", "stub", "cheats passing it"):
        table.add_column(col, no_wrap=col != "cheats passing it", overflow="fold")
    rerun = {c.id: c for c in r.rerun.checks} if r.rerun else {}
    stub = {c.id: c for c in r.stub.checks}
    for c in r.reference.checks:
        again = rerun.get(c.id)
        s = stub.get(c.id)
        cheats = r.cheat_passes(c.id)
        table.add_row(c.id, f"{c.points:g}", _verdict_text(c.verdict),
                      _verdict_text(again.verdict) if again else Text("-"),
                      _verdict_text(s.verdict) if s else Text("-"),
                      Text(", ".join(cheats), style="red") if cheats else Text("none"))
    con.print(table)
    for p in r.problems:
        con.print(Text("  problem: ", style="red bold") + Text(p), soft_wrap=True)
    con.print()


def soundness(con: Console, reports: list) -> None:
    table = Table(title="summary", title_justify="left", box=None, padding=(0, 1))
    for col in ("topic", "reference", "stub", "cheats", "time / limit", "verdict"):
        table.add_column(col, no_wrap=True)
    for r in reports:
        ref = r.reference
        skipped = sum(c.verdict == R.SKIPPED for c in ref.checks)
        graded = len(ref.checks) - skipped
        ref_text = f"{sum(c.verdict == R.PASSED for c in ref.checks)}/{graded} pass"
        if skipped:
            ref_text += f", {skipped} skipped"
        if r.rerun is not None:
            ref_text += " ×2"
        stub = f"{sum(c.verdict != R.PASSED for c in r.stub.checks)}/{len(r.stub.checks)} fail"
        cheats = f"{r.cheats_caught}/{len(r.cheats)} caught" if r.cheats else "-"
        table.add_row(r.topic_id, ref_text, stub, cheats,
                      f"{ref.duration_s:.1f}s / {r.time_limit_s:g}s",
                      Text("sound", style="green") if r.sound else Text("UNSOUND", style="red bold"))
    con.print(table)
    for r in reports:
        for p in r.problems:
            con.print(Text(f"  {r.topic_id}: ", style="red") + Text(p), soft_wrap=True)


def batch_summary(con: Console, report) -> None:
    """``mlgrade grade``: one row per learner, one column per topic (score/max)."""
    table = Table(box=None, padding=(0, 1))
    table.add_column("learner", no_wrap=True)
    for t in report.topics:
        table.add_column(t.number or t.id, justify="right", no_wrap=True)
    table.add_column("total", justify="right")
    for learner in report.learners():
        row = {g.topic.id: g.result for g in report.graded if g.learner == learner}
        cells = []
        for t in report.topics:
            r = row[t.id]
            style = "green" if r.passed else ("red" if r.verdict != "failed" else "")
            cells.append(Text(f"{r.score:g}/{r.max_score:g}", style=style))
        total = sum(r.score for r in row.values())
        table.add_row(learner, *cells, f"{total:g}/{sum(r.max_score for r in row.values()):g}")
    con.print(table)


def learned(con: Console, topic) -> None:
    """After a pass: the topic's short "what you just learned" note."""
    if topic.learned:
        con.print(Text("\nWhat you just learned: ", style="bold") +
                  Text(" ".join(topic.learned.split())))


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
        con.print(Text("stopped: ", style="red bold") + Text(result.problem), soft_wrap=True)


class WatchUI:
    """What ``mlgrade watch`` prints; on a terminal each result replaces the last."""

    def __init__(self, con: Console, ws):
        self.con = con
        self.ws = ws
        self.tty = con.is_terminal

    def watching(self, topic, options) -> None:
        how = "polling" if options.poll else "on save"
        self.con.print(Text(f"watching {topic.id} ({how}) · ", style="bold") +
                       Text("q quit · r re-run · h hint", style="dim"))

    def checking(self, topic) -> None:
        if self.tty:
            self.con.clear()
        self.con.print(Text(f"checking {topic.id}…", style="dim"))

    def result(self, topic, result, nxt) -> None:
        topic_result(self.con, result)
        if result.passed:
            learned(self.con, topic)

    def waiting(self, topic, passed_next) -> None:
        stamp = time.strftime("%H:%M:%S")
        if passed_next is not None:
            self.con.print(Text(f"\n[{stamp}] press n to move on to {passed_next.id}, "
                                f"q to quit (saving a file re-checks {topic.id})",
                                style="cyan"))
        else:
            self.con.print(Text(f"\n[{stamp}] waiting for you to save a file of "
                                f"{topic.id}… (q quit · r re-run · h hint)", style="dim"))

    def note(self, text: str) -> None:
        self.con.print(Text(text, style="yellow"))

    def error(self, exc: Exception) -> None:
        self.con.print(Text(f"could not check: {exc}", style="red"))

    def hint(self, topic) -> None:
        from grader.journey import next_hint
        from grader.progress import ProgressStore

        store = ProgressStore(self.ws.progress_path)
        try:
            h = next_hint(topic, store)
        finally:
            store.close()
        self.con.print(Text(h.render() if h else f"{topic.id} has no hints.", style="cyan"))
