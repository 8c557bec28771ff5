"""Warm re-checks: imports paid once, a fresh process forked for every check.

``WarmChecker`` (used by ``mlgrade watch``) starts one *check server*: a single-threaded
process that has pytest, NumPy and the topic's libraries imported and forks a new grading
process per check. The server owns two *zygotes*, interpreters started exactly like cold
sandboxes (``python -I``, the sandbox environment allow-list) that import NumPy (the
from-scratch zygote: nothing else, so the import guard holds) or NumPy plus the topic's
libraries (the library zygote), and fork one sandbox per request. Trust and isolation are
those of a cold check: the grading process is a fork of a server that never ran learner
code; each sandbox is a fork of a zygote that never ran learner code, in its own session,
with its own limits, environment and log, killed whole on timeout.

The DESIGN rule for forking: import in the parent, run no tensor op there, cap threads.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import codec
from grader.results import TopicResult
from grader.sandbox import THREAD_VARS

# Packages whose modules a check imported are imported again in the warm processes, so the
# next check finds them loaded. Only installed libraries: never learner or reference code.
WARMABLE = {"numpy", "scipy", "sklearn", "torch", "torchvision", "matplotlib", "joblib",
            "fastapi", "starlette", "pydantic", "httpx", "PIL", "nbformat", "yaml"}


def _warmable(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in WARMABLE and len(parts) <= 3 and not any(p.startswith("_") for p in parts)


def _import_all(names) -> list[str]:
    done = []
    for name in names:
        try:
            __import__(name)
            done.append(name)
        except Exception:  # noqa: BLE001 - warming is best effort; the check imports for real
            pass
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
        try:   # what the first optimizer would import (seconds): imported once, here
            import torch._dynamo  # noqa: F401
        except Exception:  # noqa: BLE001 - best effort, as above
            pass
    return done


def _recv_line(sock: socket.socket, with_fds: bool = False) -> tuple[dict, list[int]]:
    buf, fds = b"", []
    while not buf.endswith(b"\n"):
        if with_fds and not fds:
            data, got, _flags, _addr = socket.recv_fds(sock, 4096, 2)
            fds += got
        else:
            data = sock.recv(4096)
        if not data:
            raise EOFError("the zygote stopped")
        buf += data
    return json.loads(buf), fds


class Zygote:
    """One warm interpreter that forks sandboxes (see ``sandbox_child.zygote_main``)."""

    def __init__(self, preload: list[str], forbidden: set[str], workdir: str):
        from grader.sandbox import _bootstrap, sandbox_env

        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = {**sandbox_env(workdir), "MLGRADE_ZYGOTE_FORBIDDEN": json.dumps(sorted(forbidden))}
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", _bootstrap("zygote_main"), str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=env, cwd=workdir, close_fds=True)
        theirs.close()
        self.sock = ours
        self.warm(preload)

    def _send(self, req: dict) -> None:
        codec.write_frame(self.sock.fileno(), json.dumps(req).encode())

    def warm(self, modules: list[str]) -> list[str]:
        self._send({"op": "import", "modules": list(modules)})
        return _recv_line(self.sock)[0]["imported"]

    def spawn(self, config: dict, env: dict) -> tuple[int, int, int]:
        self._send({"op": "spawn", "config": {**config, "env": env}})
        reply, fds = _recv_line(self.sock, with_fds=True)
        return reply["pid"], fds[0], fds[1]

    def wait(self, pid: int, timeout: float) -> int | None:
        self._send({"op": "wait", "pid": pid, "timeout": timeout})
        return _recv_line(self.sock)[0]["code"]

    def killall(self) -> None:
        """Kill every sandbox this zygote forked (none may outlive the check that made it)."""
        self._send({"op": "killall"})
        _recv_line(self.sock)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        if self.proc.poll() is None:
            self.proc.kill()


class ZygoteLauncher:
    """The sandbox launcher of a forked grading process: asks a zygote for a fork."""

    def __init__(self, scratch: Zygote, library: Zygote):
        self._scratch, self._library = scratch, library
        self._owner: dict[int, Zygote] = {}

    def start(self, config: dict, env: dict[str, str]) -> tuple[int, int, int]:
        zygote = self._scratch if config.get("guard") else self._library
        pid, fd_out, fd_in = zygote.spawn(config, env)
        self._owner[pid] = zygote
        return pid, fd_out, fd_in

    def exit_code(self, pid: int, timeout: float = 0.0) -> int | None:
        zygote = self._owner.get(pid)
        return zygote.wait(pid, timeout) if zygote else None

    def kill(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        self.exit_code(pid, 5.0)
        self._owner.pop(pid, None)


# ---- the check server (its own process) ------------------------------------------------
class _Server:
    def __init__(self, course_root: str):
        for var in THREAD_VARS:
            os.environ[var] = "1"
        from grader.curriculum import load_course

        self.course_root = course_root
        self.course = load_course(Path(course_root))
        self._course_mtime = self._mtime()
        self.home = tempfile.mkdtemp(prefix="mlgrade-warm-")
        self._warmed: list[str] = ["numpy"]
        self._start_zygotes()
        import numpy  # noqa: F401
        import pytest  # noqa: F401

        import grader.api  # noqa: F401
        import grader.plugin  # noqa: F401
        import grader.testing  # noqa: F401

    def _start_zygotes(self) -> None:
        forbidden = {m for t in self.course.topics for m in t.forbidden_imports}
        self.scratch = Zygote(self._warmed, forbidden, self.home)
        self.library = Zygote(self._warmed, set(), self.home)

    def _restart_zygotes(self) -> None:
        """After a grading process died mid-conversation, the zygote sockets may hold its
        unread replies: start clean ones rather than risk answering the wrong request."""
        for z in (self.scratch, self.library):
            z.close()   # a zygote kills the sandboxes it forked when its socket closes
        self._start_zygotes()

    def _mtime(self) -> float:
        return (Path(self.course_root) / "curriculum.yaml").stat().st_mtime

    def warm(self, modules: list[str]) -> None:
        modules = [m for m in modules if (_warmable(m) or m in WARMABLE)
                   and m not in self._warmed]
        if not modules:
            return
        _import_all(modules)
        self.library.warm(modules)
        self.scratch.warm(modules)
        self._warmed += modules

    def check(self, req: dict, cancel_fd: int) -> dict:
        from grader.api import check_topic
        from grader.curriculum import load_course
        from grader.sandbox import use_launcher

        if self._mtime() != self._course_mtime:
            self.course = load_course(Path(self.course_root))
            self._course_mtime = self._mtime()
        topic = self.course.topic(req["topic"])
        self.warm(["numpy", *topic.preload])
        before = set(sys.modules)
        r, w = os.pipe()
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the grading process of this one check
            code = 0
            try:
                os.close(r)
                use_launcher(ZygoteLauncher(self.scratch, self.library))
                result = check_topic(self.course, topic, Path(req["dir"]), select=req.get("select"))
                learned = sorted(m for m in set(sys.modules) - before if _warmable(m))
                payload = {"result": result.to_dict(), "learned": learned}
            except BaseException as exc:  # noqa: BLE001 - reported to the client, never lost
                payload = {"error": f"{type(exc).__name__}: {exc}"}
                code = 1
            finally:
                with contextlib.suppress(BaseException):
                    codec.write_frame(w, json.dumps(payload).encode())
                os._exit(code)
        os.close(w)
        try:
            while True:
                ready, _, _ = select.select([r, cancel_fd], [], [])
                if r in ready:
                    payload = json.loads(codec.read_frame(r))
                    break
                if cancel_fd in ready:   # the client went away: stop the check
                    os.kill(pid, signal.SIGKILL)
                    payload = {"error": "cancelled"}
                    break
        except (EOFError, ValueError):
            payload = {"error": "the grading process died"}
        finally:
            os.close(r)
            os.waitpid(pid, 0)
        if "error" in payload:
            self._restart_zygotes()
        else:
            self.scratch.killall()
            self.library.killall()
        payload["wall_s"] = round(time.perf_counter() - started, 4)
        self.warm(payload.get("learned", []))
        return payload

    def close(self) -> None:
        self.scratch.close()
        self.library.close()
        with contextlib.suppress(OSError):
            import shutil

            shutil.rmtree(self.home)


def serve() -> None:
    """Entry point of the check server: requests on fd argv[1], replies on fd argv[2]."""
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    server = None
    try:
        while True:
            try:
                req = json.loads(codec.read_frame(fd_in))
            except EOFError:
                return
            if server is None:
                server = _Server(req["course"])
            if req["op"] == "check":
                reply = server.check(req, fd_in)
            elif req["op"] == "warm":
                server.warm(req["modules"])
                reply = {"ok": True}
            else:
                reply = {"error": f"unknown op {req['op']!r}"}
            codec.write_frame(fd_out, json.dumps(reply).encode())
    finally:
        if server is not None:
            server.close()


class WarmError(Exception):
    """The warm check server failed (the caller may fall back to a cold check)."""


class WarmChecker:
    """The client side: one long-lived check server, a fresh fork per ``check``."""

    def __init__(self, course_root: Path, preload: list[str] = (), log: Path | None = None):
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        log_file = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from grader.warm import serve; serve()",
             str(req_r), str(rep_w)],
            pass_fds=(req_r, rep_w), stdin=subprocess.DEVNULL, stdout=log_file,
            stderr=log_file, start_new_session=True, close_fds=True,
            env={**os.environ, **{v: "1" for v in THREAD_VARS},
                 "PYTHONPATH": os.pathsep.join(
                     [str(Path(__file__).resolve().parent.parent),
                      *filter(None, [os.environ.get("PYTHONPATH")])])})
        os.close(req_r)
        os.close(rep_w)
        if log:
            log_file.close()
        self._out, self._in = req_w, rep_r
        self.course_root = str(course_root)
        self._send({"op": "warm", "course": self.course_root,
                    "modules": ["numpy", "sklearn", *preload]})
        self._pending = 1   # the warm-up reply is read before the first check's

    def _send(self, req: dict) -> None:
        try:
            codec.write_frame(self._out, json.dumps(req).encode())
        except OSError as exc:
            raise WarmError(f"the check server is gone ({exc})") from None

    def _recv(self) -> dict:
        try:
            return json.loads(codec.read_frame(self._in))
        except (EOFError, ValueError) as exc:
            raise WarmError(f"the check server stopped ({exc})") from None

    def check(self, topic_id: str, topic_dir: Path, select: list[str] | None = None
              ) -> TopicResult:
        self._send({"op": "check", "course": self.course_root, "topic": topic_id,
                    "dir": str(topic_dir), "select": select})
        while self._pending:
            self._recv()
            self._pending -= 1
        reply = self._recv()
        if "error" in reply:
            raise WarmError(reply["error"])
        self.last_wall_s = reply["wall_s"]
        return TopicResult.from_dict(reply["result"])

    def close(self) -> None:
        for fd in (self._out, self._in):
            with contextlib.suppress(OSError):
                os.close(fd)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self) -> WarmChecker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
