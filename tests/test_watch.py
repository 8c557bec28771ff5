"""`mlgrade watch` end to end: a real process, real file saves, bounded time."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REFERENCE_ADDER, REFERENCE_LIB, write

REPO = Path(__file__).resolve().parents[1]


class Output:
    def __init__(self, stream):
        self.lines: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in iter(stream.readline, ""):
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, needle: str, count: int = 1, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while self.text.count(needle) < count:
            assert time.monotonic() < deadline, f"no {needle!r} after {timeout} s:\n{self.text}"
            time.sleep(0.1)


@pytest.mark.parametrize("mode", ["events", "poll"])
def test_watch_rechecks_on_save_and_quits(tmp_path, tiny_course, mode):
    ws = tmp_path / "journey"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    base = [sys.executable, "-m", "grader", "--course", str(tiny_course)]
    subprocess.run([*base, "init", str(ws)], check=True, env=env, capture_output=True)
    args = [*base, "-w", str(ws), "watch", "01_first"] + (["--poll"] if mode == "poll" else [])
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    out = Output(proc.stdout)
    try:
        out.wait_for("waiting for you to save")             # the first check ran at once
        assert "not implemented yet" in out.text
        write(ws / "01_first/from_scratch/adder.py", REFERENCE_ADDER)
        write(ws / "01_first/library_impl/lib.py", REFERENCE_LIB)
        out.wait_for("PASSED")
        out.wait_for("press n to move on to 02_second")
        runs = out.text.count("checking 01_first")
        assert runs in (2, 3), out.text      # one run per distinct content, never a queue
        for _ in range(3):                   # saves that change nothing run nothing
            write(ws / "01_first/from_scratch/adder.py", REFERENCE_ADDER)
            time.sleep(0.2)
        time.sleep(1.5)
        assert out.text.count("checking 01_first") == runs
        proc.stdin.write("q\n")
        proc.stdin.flush()
        assert proc.wait(timeout=20) == 0
        out.wait_for("Stopped watching.", timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
    status = subprocess.run([*base, "-w", str(ws), "status", "--json"], env=env,
                            capture_output=True, text=True, check=True)
    assert '"state": "passed"' in status.stdout
    assert "Traceback" not in out.text
