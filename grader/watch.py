"""``mlgrade watch``: re-grade a topic each time one of its files is saved.

Events (file saves, key presses, finished checks) arrive on one queue and are handled by
one loop, so at most one check runs at a time: saves during a run only mark the topic
dirty, and one more check runs afterwards if the files really changed (by content digest,
so an editor's burst of events or a save without changes runs nothing). Checks go to a
warm check server (``grader.warm``); if it fails, the check runs cold.

File events come from watchfiles. Where they do not arrive (some containers, network
drives; WSL is detected by watchfiles itself), a probe file written at start-up shows it
and the watcher switches to polling; ``--poll`` forces polling from the start.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from grader.curriculum import Course, Topic
from grader.workspace import Workspace, digest

PROBE_WAIT_S = 2.0
DEBOUNCE_MS = 150


@dataclass
class WatchOptions:
    poll: bool = False
    warm: bool = True
    keys: bool = True        # read q / n / r / h from stdin


class _Watcher:
    """A watchfiles watcher in a thread, feeding ("files", paths) events to the queue."""

    def __init__(self, paths: list[Path], events: queue.Queue, poll: bool):
        self.stop = threading.Event()
        self.poll = poll
        self._thread = threading.Thread(target=self._run, args=(paths, events), daemon=True)
        self._thread.start()

    def _run(self, paths, events) -> None:
        import watchfiles

        try:
            for changes in watchfiles.watch(*paths, debounce=DEBOUNCE_MS, step=30,
                                            stop_event=self.stop, force_polling=self.poll,
                                            poll_delay_ms=300, raise_interrupt=False,
                                            rust_timeout=500, yield_on_timeout=False):
                events.put(("files", {Path(p) for _change, p in changes}))
        except Exception as exc:  # noqa: BLE001 - reported, then the loop polls instead
            events.put(("watch-error", str(exc)))

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=2)


def _keys(events: queue.Queue, stop: threading.Event) -> None:
    """Single key presses on a terminal (cbreak mode), else lines on stdin."""
    fd = sys.stdin.fileno()
    tty = os.isatty(fd)
    old = None
    if tty:
        import termios
        import tty as tty_mod

        old = termios.tcgetattr(fd)
        tty_mod.setcbreak(fd)
    try:
        while not stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            data = os.read(fd, 1 if tty else 1024)
            if not data:
                return   # stdin closed: keep watching, Ctrl-C still quits
            for ch in data.decode(errors="ignore").strip()[:1] or "\n":
                events.put(("key", ch.lower()))
    finally:
        if old is not None:
            import termios

            termios.tcsetattr(fd, termios.TCSADRAIN, old)


class WatchSession:
    """The state of one ``mlgrade watch``: which topic, what was last graded."""

    def __init__(self, course: Course, ws: Workspace, topic: Topic, ui, options: WatchOptions):
        self.course, self.ws, self.topic, self.ui, self.options = course, ws, topic, ui, options
        self.events: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.checker = None
        self.watcher: _Watcher | None = None
        self.running = False
        self.dirty = False
        self.graded_digest: str | None = None
        self.passed_next: Topic | None = None
        self.probe = ws.state_dir / "watch" / "probe"

    # -- checking ------------------------------------------------------------------------
    def _grade(self, topic: Topic, folder: Path, select):
        if self.checker is not None:
            from grader.warm import WarmError

            try:
                return self.checker.check(topic.id, folder, select)
            except WarmError as exc:
                self.ui.note(f"warm checks stopped ({exc}); checking cold from now on")
                self.checker.close()
                self.checker = None
        from grader.api import check_topic

        return check_topic(self.course, topic, folder, select=select)

    def _check_worker(self, topic: Topic) -> None:
        from grader.journey import check_in_workspace, next_topic
        from grader.progress import ProgressStore

        try:
            store = ProgressStore(self.ws.progress_path)
            try:
                result = check_in_workspace(self.course, self.ws, store, topic, grade=self._grade)
                nxt = next_topic(self.course, topic, store) if result.passed else None
            finally:
                store.close()
            self.events.put(("done", (result, nxt)))
        except Exception as exc:  # noqa: BLE001 - shown, and the watch goes on
            self.events.put(("failed", exc))

    def start_check(self) -> None:
        self.running, self.dirty = True, False
        self.graded_digest = self._digest()
        self.passed_next = None
        self.ui.checking(self.topic)
        threading.Thread(target=self._check_worker, args=(self.topic,), daemon=True).start()

    def _digest(self) -> str:
        folder = self.ws.topic_dir(self.topic)
        return digest(self.topic, folder) if folder.exists() else ""

    # -- watching ------------------------------------------------------------------------
    def _watch(self, poll: bool) -> None:
        if self.watcher is not None:
            self.watcher.close()
        self.probe.parent.mkdir(parents=True, exist_ok=True)
        self.watcher = _Watcher([self.ws.topic_dir(self.topic), self.probe.parent],
                                self.events, poll)

    def _probe_events(self) -> None:
        """Write the probe file; no event within PROBE_WAIT_S means events do not arrive."""
        time.sleep(0.3)   # let the watcher start
        self.probe.write_text(str(time.time()))
        deadline = time.monotonic() + PROBE_WAIT_S
        held = []
        while time.monotonic() < deadline:
            try:
                kind, payload = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if kind == "files" and self.probe in payload:
                for item in held:
                    self.events.put(item)
                return
            held.append((kind, payload))
        for item in held:
            self.events.put(item)
        self.ui.note("file events do not arrive here: polling for changes every 0.3 s")
        self._watch(poll=True)

    def switch(self, topic: Topic) -> None:
        self.topic = topic
        self.graded_digest = None
        self._watch(self.options.poll or (self.watcher is not None and self.watcher.poll))
        self.ui.watching(topic, self.options)
        self.start_check()

    # -- the loop ------------------------------------------------------------------------
    def run(self) -> None:
        if self.options.warm:
            from grader.warm import WarmChecker

            self.checker = WarmChecker(self.course.root, list(self.topic.preload),
                                       log=self.ws.state_dir / "warm.log")
        self._watch(self.options.poll)
        if self.options.keys:
            threading.Thread(target=_keys, args=(self.events, self.stop), daemon=True).start()
        if not self.options.poll:
            self._probe_events()
        self.ui.watching(self.topic, self.options)
        self.start_check()
        try:
            while True:
                kind, payload = self.events.get()
                if kind == "files":
                    if self.probe in payload and len(payload) == 1:
                        continue
                    if self.running:
                        self.dirty = True
                    elif self._digest() != self.graded_digest:
                        self.start_check()
                elif kind in ("done", "failed"):
                    self.running = False
                    if kind == "done":
                        result, nxt = payload
                        self.ui.result(self.topic, result, nxt)
                        self.passed_next = nxt if result.passed else None
                    else:
                        self.ui.error(payload)
                    if self.dirty and self._digest() != self.graded_digest:
                        self.start_check()
                    else:
                        self.ui.waiting(self.topic, self.passed_next)
                elif kind == "key":
                    if payload == "q":
                        return
                    if payload == "n" and self.passed_next is not None and not self.running:
                        self.switch(self.passed_next)
                    elif payload in ("r", "\n") and not self.running:
                        self.start_check()
                    elif payload == "h":
                        self.ui.hint(self.topic)
                elif kind == "watch-error":
                    self.ui.note(f"the file watcher failed ({payload}); polling instead")
                    self._watch(poll=True)
        finally:
            self.close()

    def close(self) -> None:
        self.stop.set()
        if self.watcher is not None:
            self.watcher.close()
        if self.checker is not None:
            with contextlib.suppress(Exception):
                self.checker.close()
