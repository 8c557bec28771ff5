"""Grading-process side of the trust boundary: the learner proxy.

The grading process never imports learner code. ``LearnerProxy`` starts sandbox children
(one for from-scratch modules, guarded against forbidden imports, and one for library
modules), forwards calls as plain data and turns every way a call can go wrong into a
named exception that decides the check's verdict.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import select
import signal
import struct
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import codec


# ---- what can go wrong in learner code (each maps to a verdict) ------------------------
class LearnerProblem(Exception):
    """Base: a check failed because of the learner's code, not because of a wrong value."""

    verdict = "error"

    def __init__(self, message: str, *, call: str = "", exc_type: str = "",
                 traceback: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.call = call
        self.exc_type = exc_type
        self.traceback = traceback or []

    def describe(self) -> str:
        where = f"{self.call}: " if self.call else ""
        text = f"{where}{self.message}"
        if self.traceback:
            text += "\n" + "\n".join(self.traceback)
        return text


class LearnerError(LearnerProblem):
    """The learner's code raised an exception."""

    verdict = "error"

    def describe(self) -> str:
        where = f"{self.call} raised " if self.call else ""
        if self.exc_type == "NotImplementedError":
            head = f"{self.call}: not implemented yet" if self.call else "not implemented yet"
            return head + (f" ({self.message})" if self.message else "")
        text = f"{where}{self.exc_type}: {self.message}"
        if self.traceback:
            text += "\n" + "\n".join(self.traceback)
        return text


class LearnerAttributeError(LearnerError, AttributeError):
    """A learner object lacks an attribute (so ``hasattr`` on a Handle works)."""


class LearnerTimeout(LearnerProblem):
    verdict = "timeout"


class LearnerCrash(LearnerProblem):
    verdict = "crashed"


class NotGradable(LearnerProblem):
    verdict = "not gradable"


class ForbiddenImport(LearnerProblem):
    verdict = "forbidden import"


_STATUS_TO_EXC = {
    "error": LearnerError,
    "not_implemented": LearnerError,
    "not_gradable": NotGradable,
    "forbidden_import": ForbiddenImport,
    "out_of_memory": LearnerCrash,
    "exit": LearnerCrash,
}

ENV_ALLOW = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT")
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def _format_shape(value: Any) -> str:
    if isinstance(value, Handle):
        return value.type_name
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{type(value).__name__}{tuple(shape)}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}[{len(value)}]"
    if isinstance(value, (int, float, bool)) or value is None:
        return repr(value)
    if isinstance(value, str):
        return repr(value[:20])
    return type(value).__name__


def describe_call(name: str, args: tuple, kwargs: dict) -> str:
    parts = [_format_shape(a) for a in args]
    parts += [f"{k}={_format_shape(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


@dataclass
class SandboxConfig:
    """What one sandbox child may load and under which limits."""

    modules: dict[str, dict]          # stem -> {"path": ..., "display": ..., "source": ...}
    workdir: str
    log_path: str
    guard: bool = False
    forbidden: list[str] = field(default_factory=list)
    preload: list[str] = field(default_factory=list)
    learner_dirs: list[str] = field(default_factory=list)
    memory_mb: int = 3072
    call_timeout_s: float = 20.0
    import_timeout_s: float = 60.0


def sandbox_env(workdir: str) -> dict[str, str]:
    """The whole environment a sandbox sees: an allow-list plus fixed settings."""
    env = {k: os.environ[k] for k in ENV_ALLOW if k in os.environ}
    env.update({v: "1" for v in THREAD_VARS})
    env.update({"HOME": workdir, "TMPDIR": workdir, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0",
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"})
    return env


def _bootstrap(entry: str) -> str:
    """``python -I -c`` source that loads *this* grader package (by path, without putting
    its folder on sys.path, where learner code could import course files) and runs entry."""
    pkg = str(Path(__file__).resolve().parent)
    return (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('grader', {pkg + '/__init__.py'!r}, "
        f"submodule_search_locations=[{pkg!r}])\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['grader'] = module\n"
        "spec.loader.exec_module(module)\n"
        f"from grader.sandbox_child import {entry}\n"
        f"{entry}()\n"
    )


class SpawnLauncher:
    """Cold start: a new ``python -I`` interpreter per sandbox, in its own session."""

    def __init__(self) -> None:
        self._procs: dict[int, subprocess.Popen] = {}

    def start(self, config: dict, env: dict[str, str]) -> tuple[int, int, int]:
        """Start a sandbox; returns (pid, fd to send requests, fd to read replies)."""
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        env = {**env, "MLGRADE_SANDBOX_CONFIG": json.dumps(config)}
        log = open(config["log_path"], "ab")  # noqa: SIM115 - handed to the child
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-c", _bootstrap("main"), str(req_r), str(rep_w)],
                pass_fds=(req_r, rep_w), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env=env, cwd=config["workdir"],
                start_new_session=True, close_fds=True)
        finally:
            log.close()
            os.close(req_r)
            os.close(rep_w)
        self._procs[proc.pid] = proc
        return proc.pid, req_w, rep_r

    def exit_code(self, pid: int, timeout: float = 0.0) -> int | None:
        proc = self._procs.get(pid)
        if proc is None:
            return None
        try:
            return proc.wait(timeout=timeout) if timeout else proc.poll()
        except subprocess.TimeoutExpired:
            return None

    def kill(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        self.exit_code(pid, 5.0)
        self._procs.pop(pid, None)


_launcher: Any = None


def current_launcher():
    """How sandboxes start in this process: cold spawns unless a warm pool installed one."""
    global _launcher
    if _launcher is None:
        _launcher = SpawnLauncher()
    return _launcher


def use_launcher(launcher) -> None:
    global _launcher
    _launcher = launcher


class Sandbox:
    """One child process running learner code; restarted after a crash or timeout."""

    def __init__(self, config: SandboxConfig, launcher=None):
        self.config = config
        self.launcher = launcher or current_launcher()
        self.pid: int | None = None
        self.generation = 0
        self._fd_out = self._fd_in = -1
        self._loaded: set[str] = set()
        self._load_failed: dict[str, LearnerProblem] = {}
        self.deadline: float | None = None     # time.monotonic() when the whole run must end

    def start(self) -> None:
        """Start the child now (it imports while the caller goes on), not at the first call."""
        if self.pid is None:
            self._spawn()

    def _spawn(self) -> None:
        c = self.config
        cfg = {"modules": c.modules, "workdir": c.workdir, "log_path": c.log_path,
               "guard": c.guard, "forbidden": c.forbidden, "preload": c.preload,
               "learner_dirs": c.learner_dirs, "memory_mb": c.memory_mb}
        self.pid, self._fd_out, self._fd_in = self.launcher.start(cfg, sandbox_env(c.workdir))
        self.generation += 1
        self._loaded: set[str] = set()

    def alive(self) -> bool:
        return self.pid is not None and self.launcher.exit_code(self.pid) is None

    def kill(self) -> None:
        if self.pid is None:
            return
        self.launcher.kill(self.pid)
        for fd in (self._fd_out, self._fd_in):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.pid = None

    close = kill

    def _read_reply(self, deadline: float) -> bytes:
        def read_exact(n: int) -> bytes:
            chunks = []
            while n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                ready, _, _ = select.select([self._fd_in], [], [], left)
                if not ready:
                    raise TimeoutError
                chunk = os.read(self._fd_in, min(n, 1 << 20))
                if not chunk:
                    raise EOFError
                chunks.append(chunk)
                n -= len(chunk)
            return b"".join(chunks)

        (n,) = struct.unpack("!Q", read_exact(8))
        if n > codec.MAX_MESSAGE_BYTES:
            raise EOFError
        return read_exact(n)

    def request(self, req: dict, args: tuple = (), kwargs: dict | None = None, *,
                call: str, timeout: float | None = None) -> Any:
        if not self.alive():
            self.kill()
            self._spawn()
        stem = req.get("module")
        if stem and stem not in self._loaded:
            if stem in self._load_failed:   # loading is deterministic: fail fast next time
                raise self._load_failed[stem]
            # Loading a module (and the sandbox's own imports) has its own, longer limit:
            # a slow `import torch` on a busy machine must not eat the first call's time.
            try:
                self._exchange({"op": "load", "module": stem}, (), None,
                               call=f"loading {stem}", timeout=self.config.import_timeout_s,
                               slow="an infinite loop or heavy work at the top level of "
                                    "the file?")
            except LearnerProblem as exc:
                self._load_failed[stem] = exc
                raise
            self._loaded.add(stem)
        return self._exchange(req, args, kwargs, call=call, timeout=timeout)

    def _exchange(self, req: dict, args: tuple, kwargs: dict | None, *, call: str,
                  timeout: float | None,
                  slow: str = "an infinite loop, or far too much work for this input?") -> Any:
        generation = self.generation
        payload = codec.encode({"req": req, "args": tuple(args), "kwargs": kwargs or {}},
                               on_other=lambda o: self._handle_ref(o))
        timeout = self.config.call_timeout_s if timeout is None else timeout
        if self.deadline is not None:   # the whole run's limit caps every call
            timeout = max(0.0, min(timeout, self.deadline - time.monotonic()))
        deadline = time.monotonic() + timeout
        try:
            codec.write_frame(self._fd_out, payload)
            reply = self._read_reply(deadline)
        except TimeoutError:
            self.kill()
            raise LearnerTimeout(f"did not finish within {timeout:g} s ({slow})",
                                 call=call) from None
        except (EOFError, BrokenPipeError, OSError):
            raise self._crash(call) from None
        value = codec.decode(reply, on_ref=lambda node: Handle(self, generation, node))
        status = value.get("status")
        if status == "ok":
            return value["value"]
        exc_cls = _STATUS_TO_EXC.get(status, LearnerError)
        message = value.get("message", "")
        if status == "out_of_memory":
            message = (f"ran out of memory (limit {self.config.memory_mb} MiB): "
                       f"{value.get('exc_type')}: {message}")
        raise exc_cls(message, call=call, exc_type=value.get("exc_type", ""),
                      traceback=value.get("traceback"))

    def _crash(self, call: str) -> LearnerCrash:
        code = self.launcher.exit_code(self.pid, 5.0) if self.pid is not None else None
        self.kill()
        if code is not None and code < 0:
            sig = signal.Signals(-code).name
            why = {"SIGSEGV": "a segmentation fault", "SIGKILL": "killed (out of memory?)",
                   "SIGABRT": "aborted", "SIGBUS": "a bus error"}.get(sig, sig)
            message = f"the sandbox process died: {why}"
        elif code is not None:
            message = (f"the sandbox process exited with code {code} "
                       f"(sys.exit or os._exit in your code?)")
        else:
            message = "the sandbox process stopped answering"
        return LearnerCrash(message, call=call)

    def _handle_ref(self, obj: Any) -> dict:
        if isinstance(obj, Handle):
            if obj._sandbox is not self or obj._generation != self.generation:
                raise LearnerCrash("an object from before a crash or timeout was used again")
            return {"t": "handle", "id": obj._id}
        raise codec.NotPlainData(f"a {type(obj).__name__} cannot be sent to the sandbox")


class Handle:
    """A learner object that stays in the sandbox (a model, an estimator, a figure)."""

    def __init__(self, sandbox: Sandbox, generation: int, node: dict):
        self._sandbox = sandbox
        self._generation = generation
        self._id = node["id"]
        self.type_name = node.get("type", "object")

    def _req(self, req: dict, args=(), kwargs=None, call: str = "") -> Any:
        if self._generation != self._sandbox.generation:
            raise LearnerCrash(f"{self.type_name} object was lost when the sandbox restarted",
                               call=call)
        return self._sandbox.request({**req, "handle": self._id}, args, kwargs, call=call)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            value = self._req({"op": "getattr", "attr": name}, call=f"{self.type_name}.{name}")
        except LearnerError as exc:
            if exc.exc_type != "AttributeError":
                raise
            raise LearnerAttributeError(exc.message, call=exc.call, exc_type=exc.exc_type,
                                        traceback=exc.traceback) from None
        if isinstance(value, Handle):
            return BoundHandle(value, self, name)
        return value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._req({"op": "call"}, args, kwargs,
                         call=describe_call(self.type_name, args, kwargs))

    def __repr__(self) -> str:
        return f"<learner {self.type_name}>"


class BoundHandle(Handle):
    """``handle.method`` — calling it forwards one request instead of two."""

    def __init__(self, handle: Handle, owner: Handle, attr: str):
        self.__dict__.update(handle.__dict__)
        self._owner = owner
        self._attr = attr

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._owner._req({"op": "call", "attr": self._attr}, args, kwargs,
                                call=describe_call(f"{self._owner.type_name}.{self._attr}",
                                                   args, kwargs))


class ModuleProxy:
    def __init__(self, proxy: LearnerProxy, stem: str):
        self._proxy = proxy
        self._stem = stem

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return FunctionProxy(self._proxy, self._stem, name)

    def __repr__(self) -> str:
        return f"<learner module {self._stem}>"


class FunctionProxy:
    def __init__(self, proxy: LearnerProxy, stem: str, name: str):
        self._proxy, self._stem, self._name = proxy, stem, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        sandbox = self._proxy._sandbox_for(self._stem)
        return sandbox.request(
            {"op": "call", "module": self._stem, "attr": self._name}, args, kwargs,
            call=describe_call(f"{self._stem}.{self._name}", args, kwargs),
            timeout=self._proxy._timeout)

    def value(self) -> Any:
        """Read a module-level constant instead of calling it."""
        sandbox = self._proxy._sandbox_for(self._stem)
        return sandbox.request({"op": "getattr", "module": self._stem, "attr": self._name},
                               call=f"{self._stem}.{self._name}")


class LearnerProxy:
    """The ``learner`` fixture: the learner's modules, reached through sandbox children."""

    def __init__(self, scratch: Sandbox | None, library: Sandbox | None,
                 kinds: dict[str, str], topic_dir: Path, workdir: str,
                 data_files: list[str]):
        self._scratch = scratch
        self._library = library
        self._kinds = kinds
        self._topic_dir = topic_dir
        self.workdir = workdir
        self._data_files = data_files
        self._timeout: float | None = None

    def __getattr__(self, stem: str) -> ModuleProxy:
        if stem.startswith("_") or stem not in self._kinds:
            raise AttributeError(f"this topic has no learner module {stem!r} "
                                 f"(known: {', '.join(sorted(self._kinds))})")
        return ModuleProxy(self, stem)

    def _sandbox_for(self, stem: str) -> Sandbox:
        if stem not in self._kinds:
            raise AttributeError(f"this topic has no learner module {stem!r}")
        box = self._scratch if self._kinds[stem] == "from_scratch" else self._library
        assert box is not None
        return box

    @contextlib.contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        old, self._timeout = self._timeout, seconds
        try:
            yield
        finally:
            self._timeout = old

    def has(self, path: str) -> bool:
        stem = path.partition(".")[0]
        if stem not in self._kinds:
            return False
        return bool(self._sandbox_for(stem).request({"op": "has", "path": path},
                                                     call=f"looking up {path}"))

    def probe(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a check's own function inside the sandbox that holds the handles."""
        box = None
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, Handle):
                box = value._sandbox
                break
        box = box or self._library or self._scratch
        assert box is not None
        src = textwrap.dedent(inspect.getsource(func))
        return box.request({"op": "probe", "src": src, "name": func.__name__}, args, kwargs,
                           call=describe_call(func.__name__, args, kwargs),
                           timeout=self._timeout)

    def read_text(self, relpath: str) -> str:
        if relpath not in self._data_files:
            raise ValueError(f"{relpath} is not a data file of this topic")
        path = self._topic_dir / relpath
        if not path.is_file():
            raise NotGradable(f"{relpath} is missing from your topic folder")
        data = path.read_bytes()[:1_000_000]
        return data.decode("utf-8", errors="replace")

    def start(self, deadline: float | None = None) -> None:
        """Start the sandboxes now, so their imports overlap the grading side's."""
        for box in (self._scratch, self._library):
            if box is not None:
                box.deadline = deadline
                box.start()

    def close(self) -> None:
        for box in (self._scratch, self._library):
            if box is not None:
                box.close()


def open_learner(topic, sources, topic_dir: Path, workdir: str, log_path: str) -> LearnerProxy:
    """The learner's modules of one topic behind a proxy: one sandbox per kind of file.

    From-scratch modules get a child with the import guard and only NumPy preloaded; library
    modules a child that preloads NumPy plus the topic's ``preload`` list.
    """

    def sandbox(kind: str) -> Sandbox | None:
        mods = {s.file.stem: {"path": str(s.path), "display": s.display, "source": s.source,
                              "cells": [list(c) for c in s.cell_map]}
                for s in sources if s.file.kind == kind}
        if not mods:
            return None
        scratch = kind == "from_scratch"
        return Sandbox(SandboxConfig(
            modules=mods, workdir=workdir, log_path=log_path, guard=scratch,
            forbidden=list(topic.forbidden_imports),
            preload=["numpy"] if scratch else ["numpy", *topic.preload],
            learner_dirs=[str(Path(topic_dir) / kind)], memory_mb=topic.limits.memory_mb,
            call_timeout_s=topic.limits.call_timeout_s,
            import_timeout_s=topic.limits.import_timeout_s))

    kinds = {s.file.stem: s.file.kind for s in sources}
    return LearnerProxy(sandbox("from_scratch"), sandbox("library_impl"), kinds,
                        Path(topic_dir), workdir, list(topic.data_files))
