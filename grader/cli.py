"""The ``mlgrade`` command: a thin veneer over the library.

Each command parses its arguments, calls the library, renders. Library errors become
messages and exit codes in one place (``main``).
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import click

from grader.errors import MlgradeError, TopicLocked


class ExitStatus(enum.IntEnum):
    OK = 0
    CHECK_FAILED = 1     # a check failed, timed out, crashed; or the course is unsound
    USAGE = 2            # unknown topic, bad option, no workspace, broken course/progress
    LOCKED = 3           # prerequisites not passed yet


class Context:
    def __init__(self, workspace: str | None, course: str | None):
        self._workspace_opt = workspace
        self._course_opt = course
        self._course = None

    @property
    def course(self):
        if self._course is None:
            from grader.curriculum import find_course, load_course

            self._course = load_course(find_course(self._course_opt))
        return self._course

    def workspace(self):
        from grader.workspace import find_workspace

        return find_workspace(self._workspace_opt)

    def store(self, ws):
        from grader.progress import ProgressStore

        return ProgressStore(ws.progress_path)


pass_ctx = click.make_pass_decorator(Context)


class MlgradeGroup(click.Group):
    """Maps the library's errors to a message and an exit code, in one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TopicLocked as exc:
            click.echo(f"Locked: {exc}", err=True)
            ctx.exit(ExitStatus.LOCKED)
        except MlgradeError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(ExitStatus.USAGE)


@click.group(cls=MlgradeGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace", envvar="MLGRADE_WORKSPACE", metavar="DIR",
              help="The learner workspace (default: found by walking up from here).")
@click.option("--course", envvar="MLGRADE_COURSE", metavar="DIR",
              help="Course directory with curriculum.yaml (default: the built-in course).")
@click.version_option(package_name="mlgrade")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None, course: str | None) -> None:
    """mlgrade: learn machine learning by writing it by hand, then with the library.

    Inside a workspace, bare `mlgrade` shows your progress dashboard.
    """
    ctx.obj = Context(workspace, course)
    if ctx.invoked_subcommand is None:
        from grader.workspace import find_workspace

        try:
            find_workspace(workspace)
        except MlgradeError:
            click.echo(ctx.get_help())
            return
        ctx.invoke(status)


@cli.command()
@click.argument("directory", default="journey", type=click.Path(file_okay=False))
@pass_ctx
def init(obj: Context, directory: str) -> None:
    """Create a learner workspace in DIRECTORY (default: ./journey)."""
    from grader.workspace import init_workspace

    ws = init_workspace(obj.course, Path(directory))
    first = obj.course.topics[0].id
    click.echo(f"Created workspace {ws.root} with {len(obj.course.topics)} topics.")
    click.echo(f"Next: cd {directory} && mlgrade status   (then read {first}/README.md "
               f"and run `mlgrade check {first}`)")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write the dashboard as a standalone web page.")
@pass_ctx
def status(obj: Context, as_json: bool, html_path: str | None) -> None:
    """Show the progress dashboard.

    Every topic's status, score, attempts, time spent and hints used.
    """
    from grader import render
    from grader.journey import journey

    ws = obj.workspace()
    store = obj.store(ws)
    try:
        j = journey(obj.course, ws, store)
    finally:
        store.close()
    if html_path:
        Path(html_path).write_text(render.dashboard_html(j, obj.course.title), encoding="utf-8")
    if as_json:
        render.print_json(j.to_dict())
    else:
        render.dashboard(render.console(), j, obj.course.title)
        if html_path:
            click.echo(f"wrote {html_path}")


@cli.command()
@click.argument("topic")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--only", multiple=True, metavar="CHECK",
              help="Run only this check (function name); not recorded as an attempt.")
@pass_ctx
def check(obj: Context, topic: str, as_json: bool, only: tuple[str, ...]) -> None:
    """Grade TOPIC with its hidden checks.

    TOPIC is an id, a number or a name: 05_mlp, 5, mlp.
    """
    from grader import render
    from grader.journey import check_in_workspace, next_topic

    course = obj.course
    t = course.topic(topic)
    ws = obj.workspace()
    store = obj.store(ws)
    try:
        con = render.console()
        if not as_json:
            con.print(f"checking {t.id}…", style="dim")
        result = check_in_workspace(course, ws, store, t, select=list(only) or None)
        nxt = next_topic(course, t, store) if result.passed else None
    finally:
        store.close()
    if as_json:
        render.print_json({"version": 1, **result.to_dict(),
                           "next_topic": nxt.id if nxt else None})
    else:
        render.topic_result(con, result)
        if result.passed:
            render.learned(con, t)
            con.print(f"next: mlgrade check {nxt.id}" if nxt else "\nAll topics passed!",
                      style="cyan")
        elif t.hints:
            con.print(f"stuck? mlgrade hint {t.id}", style="dim")
    sys.exit(ExitStatus.OK if result.passed else ExitStatus.CHECK_FAILED)


@cli.command()
@click.argument("topic")
@pass_ctx
def hint(obj: Context, topic: str) -> None:
    """Show the next hint for TOPIC (hints used are recorded)."""
    from grader.journey import next_hint

    t = obj.course.topic(topic)
    store = obj.store(obj.workspace())
    try:
        h = next_hint(t, store)
    finally:
        store.close()
    click.echo(h.render() if h else f"{t.id} has no hints: re-read {t.id}/README.md.")


@cli.command()
@click.argument("topic", required=False)
@click.option("--poll", is_flag=True,
              help="Poll for changes instead of file events (network drives, containers).")
@click.option("--cold", is_flag=True, help="Start every check from scratch (no warm processes).")
@pass_ctx
def watch(obj: Context, topic: str | None, poll: bool, cold: bool) -> None:
    """Re-check TOPIC each time you save one of its files.

    TOPIC defaults to your current topic.
    Keys: q quit · r re-run · h hint · n next topic (after a pass). Ctrl-C also quits.
    """
    from grader import render
    from grader.journey import ensure_unlocked, journey
    from grader.watch import WatchOptions, WatchSession

    ws = obj.workspace()
    store = obj.store(ws)
    try:
        if topic:
            t = obj.course.topic(topic)
        else:
            current = journey(obj.course, ws, store).current
            if current is None:
                click.echo("Every topic has passed: nothing to watch.")
                return
            t = current.topic
        ensure_unlocked(t, store)
    finally:
        store.close()
    session = WatchSession(obj.course, ws, t, render.WatchUI(render.console(), ws),
                           WatchOptions(poll=poll, warm=not cold))
    try:
        session.run()
    except KeyboardInterrupt:
        session.close()
    click.echo("Stopped watching.")


@cli.command()
@click.argument("topic")
@pass_ctx
def reset(obj: Context, topic: str) -> None:
    """Restore TOPIC's stubs (your files are backed up first).

    The backup goes to .mlgrade/backups/ in the workspace.
    """
    from grader.workspace import reset_topic

    t = obj.course.topic(topic)
    ws = obj.workspace()
    backup = reset_topic(ws, obj.course, t)
    if backup:
        click.echo(f"Your files were saved to {backup}")
    click.echo(f"{t.id} is back to its stubs.")


@cli.command()
@click.argument("topic")
@pass_ctx
def solution(obj: Context, topic: str) -> None:
    """Show TOPIC's reference solution (only after you passed it)."""
    t = obj.course.topic(topic)
    ws = obj.workspace()
    store = obj.store(ws)
    try:
        passed = t.id in store.passed_topics()
    finally:
        store.close()
    if not passed:
        raise click.ClickException(f"the reference for {t.id} opens once you pass it "
                                   f"(`mlgrade check {t.id}`)")
    for f in t.files:
        path = obj.course.solution_dir(t) / f.relpath
        click.echo(f"# ===== {f.relpath} =====")
        click.echo(path.read_text(encoding="utf-8"))


@cli.command()
@click.argument("topics", nargs=-1)
@click.option("--quick", is_flag=True,
              help="Only reference and stubs: no second run, no cheats.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def validate(obj: Context, topics: tuple[str, ...], quick: bool, as_json: bool) -> None:
    """For instructors: prove topics' checks sound.

    Default: every topic.
    The reference must pass every check, twice alike (no flaky check), within half its
    time limit; the shipped stubs must fail every check; trivial cheats (return zeros,
    ones, the input, a constant; import the library in a from-scratch file) must pass none.
    """
    from grader import render
    from grader.soundness import validate_topic

    course = obj.course
    selected = [course.topic(q) for q in topics] if topics else course.topics
    con = render.console()
    reports = []
    for t in selected:
        if not as_json:
            con.print(f"validating {t.id}…", style="dim")
        reports.append(validate_topic(course, t, deep=not quick))
        if not as_json:
            render.topic_soundness(con, reports[-1])
    if as_json:
        render.print_json({"version": 1, "sound": all(r.sound for r in reports),
                           "topics": [r.to_dict() for r in reports]})
    else:
        render.soundness(con, reports)
    sys.exit(ExitStatus.OK if all(r.sound for r in reports) else ExitStatus.CHECK_FAILED)


@cli.command()
@click.argument("topic")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for the PNGs (default: TOPIC/comparison/ in the workspace).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def compare(obj: Context, topic: str, out: str | None, as_json: bool) -> None:
    """Your code next to the library's: numbers and plots.

    Prints the numbers side by side and writes the figures as PNGs.
    """
    from grader import render
    from grader.compare import run_compare

    t = obj.course.topic(topic)
    tdir = obj.workspace().topic_dir(t)
    result = run_compare(obj.course, t, tdir, Path(out) if out else tdir / "comparison")
    if as_json:
        render.print_json(result.to_dict())
    else:
        render.comparison(render.console(), result)
    sys.exit(ExitStatus.OK if result.ok else ExitStatus.CHECK_FAILED)


@cli.command()
@click.argument("topic")
@pass_ctx
def notebook(obj: Context, topic: str) -> None:
    """Write TOPIC/comparison.ipynb to explore.

    Your code and the library's, side by side, in a notebook that imports your files.
    """
    from grader.compare import write_notebook

    t = obj.course.topic(topic)
    path = write_notebook(obj.course, t, obj.workspace().topic_dir(t))
    click.echo(f"Wrote {path}\nOpen it with `jupyter lab {path}` (or VS Code); "
               f"it imports your files directly.")


@cli.command()
@click.argument("topic_id")
@click.option("--title", required=True, help="The topic's title, as learners see it.")
@click.option("--after", metavar="TOPIC", help="Insert after this topic (default: the last).")
@click.option("--scratch-only", is_flag=True, help="No library_impl file.")
@pass_ctx
def new(obj: Context, topic_id: str, title: str, after: str | None, scratch_only: bool) -> None:
    """For instructors: scaffold a new topic.

    Writes TOPIC_ID's README, stubs, reference, an example check and its curriculum.yaml
    entry. `mlgrade validate TOPIC_ID` stays unsound until you replace the template.
    """
    from grader.scaffold import new_topic

    course = obj.course
    if course.root.name == "course" and course.root.parent.name == "grader":
        raise click.UsageError("this is the installed course: scaffold into your own course "
                               "with --course DIR (or MLGRADE_COURSE)")
    made = new_topic(course, topic_id, title, after, scratch_only)
    click.echo(f"Created {made.topic_id} in {course.root}:")
    for path in made.files:
        click.echo(f"  {path.relative_to(course.root)}")
    click.echo(f"  curriculum.yaml (entry after {after or 'the last topic'})")
    if made.rewired:
        click.echo(f"{made.rewired} now requires {made.topic_id}.")
    click.echo(f"Next: write the checks, then `mlgrade --course {course.root} validate "
               f"{made.topic_id}` until it says sound.")


@cli.command()
@click.argument("submissions", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--topic", "topics", multiple=True, metavar="TOPIC",
              help="Grade this topic (repeatable; default: every topic).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("grades.csv"), show_default=True, help="The CSV of grades.")
@click.option("--results-json", "json_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write DIR/<learner>/results.json (Gradescope's format).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Submissions graded at once (default: the number of cores).")
@click.option("--no-timing", is_flag=True,
              help="Leave the seconds column empty, so re-runs give identical files.")
@pass_ctx
def grade(obj: Context, submissions: tuple[Path, ...], topics: tuple[str, ...], out: Path,
          json_dir: Path | None, jobs: int | None, no_timing: bool) -> None:
    """For instructors: grade a class's workspaces.

    SUBMISSIONS are workspace folders or .zip files; they are never modified. One CSV row
    per learner and topic; optionally a Gradescope results.json per learner.
    """
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from grader import render
    from grader.batch import grade_batch, write_outputs

    course = obj.course
    selected = [course.topic(q) for q in topics] if topics else course.topics
    jobs = jobs or os.cpu_count() or 1
    con = render.console(stderr=True)
    with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), console=con, transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        report = grade_batch(course, list(submissions), selected, jobs, progress)
    write_outputs(report, out, json_dir, timing=not no_timing)
    render.batch_summary(render.console(), report)
    click.echo(f"wrote {out}" + (f" and {json_dir}/<learner>/results.json" if json_dir else ""))


@cli.command()
@pass_ctx
def doctor(obj: Context) -> None:
    """Check the installation.

    Library versions, the course, the workspace, the progress store, the sandbox.
    """
    from grader.doctor import run_doctor

    ok = run_doctor(obj)
    sys.exit(ExitStatus.OK if ok else ExitStatus.CHECK_FAILED)


def main() -> None:
    cli(prog_name="mlgrade")


if __name__ == "__main__":
    main()
