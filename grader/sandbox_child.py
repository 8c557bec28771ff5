"""The sandbox child: the only process that runs learner code.

Started by :mod:`grader.sandbox` as ``python -I -c ...`` with a new session (its own
process group), an environment allow-list and two pipe fds. It first applies its own
limits (memory, file size, threads), pre-imports the libraries the topic needs (so a
learner ``numpy.py`` cannot shadow them), installs the import guard for from-scratch
modules, then answers requests one at a time. Replies are plain data (see ``codec``);
anything else stays here and is referred to by a handle id.
"""

from __future__ import annotations

import importlib.abc
import io
import json
import linecache
import os
import resource
import signal
import sys
import traceback
import types

from grader import codec

CONFIG_ENV = "MLGRADE_SANDBOX_CONFIG"


def where(display: str, cells, lineno: int | None) -> str:
    """file.py:12, or for a notebook (cells: (first source line, cell number) pairs):
    file.ipynb, cell 3, line 2."""
    if not cells or lineno is None:
        return f"{display}:{lineno}"
    start, number = 1, 1
    for first_line, cell_number in cells:
        if first_line <= lineno:
            start, number = first_line, cell_number
    return f"{display}, cell {number}, line {lineno - start + 1}"


def where_in(files: dict[str, list], path: str, lineno: int | None) -> str:
    return where(os.path.basename(path), files.get(path), lineno)


class ForbiddenImportError(ImportError):
    pass


class ImportGuard(importlib.abc.MetaPathFinder):
    """Refuses forbidden top-level packages for the whole process (from-scratch child).

    The from-scratch child never imports those packages itself, so no cached module can
    bypass the finder: ``import``, ``importlib.import_module`` and ``__import__`` all fail.
    """

    def __init__(self, forbidden: list[str], learner_files: dict[str, list]):
        self.forbidden = set(forbidden)
        self.learner_files = learner_files

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in self.forbidden:
            where = ""
            for frame in reversed(traceback.extract_stack()):
                if frame.filename in self.learner_files:
                    where = f" ({where_in(self.learner_files, frame.filename, frame.lineno)})"
                    break
            raise ForbiddenImportError(
                f"'{fullname}' may not be imported in a from-scratch file{where}: "
                f"this topic is about writing it yourself with NumPy"
            )
        return None


class Child:
    def __init__(self, config: dict):
        self.config = config
        self.modules: dict[str, types.ModuleType] = {}
        self.handles: dict[int, object] = {}
        self.next_handle = 1
        # path -> notebook cell map ([first line of the cell in the source, cell number])
        self.learner_files = {spec["path"]: spec.get("cells") or []
                              for spec in config["modules"].values()}

    # -- module loading --------------------------------------------------------------
    def module(self, stem: str) -> types.ModuleType:
        if stem in self.modules:
            return self.modules[stem]
        spec = self.config["modules"].get(stem)
        if spec is None:
            raise _Reply("error", exc_type="AttributeError",
                         message=f"no learner module named {stem!r} in this topic")
        path = spec["path"]
        source = spec.get("source")
        if source is None:
            with open(path, encoding="utf-8") as fh:
                source = fh.read()
        # tracebacks show the exact graded source (a notebook's code, not its JSON)
        linecache.cache[path] = (len(source), None, source.splitlines(True), path)
        try:
            code = compile(source, path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise _Reply("not_gradable", exc_type="SyntaxError",
                         message=f"{where_in(self.learner_files, path, exc.lineno)}: {exc.msg}")
        mod = types.ModuleType(stem)
        mod.__file__ = path
        sys.modules[stem] = mod
        self.modules[stem] = mod
        try:
            exec(code, mod.__dict__)
        except BaseException:
            del self.modules[stem]
            sys.modules.pop(stem, None)
            raise
        return mod

    # -- handles ---------------------------------------------------------------------
    def to_handle(self, obj: object) -> dict:
        hid = self.next_handle
        self.next_handle += 1
        self.handles[hid] = obj
        return {"t": "handle", "id": hid, "type": type(obj).__name__}

    def from_ref(self, node: dict) -> object:
        if node.get("t") == "handle":
            try:
                return self.handles[node["id"]]
            except KeyError:
                raise _Reply("error", exc_type="LookupError", message="stale handle") from None
        raise ValueError(f"unknown node {node!r}")

    def target(self, req: dict) -> object:
        if "handle" in req:
            return self.from_ref({"t": "handle", "id": req["handle"]})
        return self.module(req["module"])

    # -- requests --------------------------------------------------------------------
    def handle_request(self, req: dict, args, kwargs) -> object:
        op = req["op"]
        if op == "ping":
            return {"pong": True, "landlock": getattr(self, "landlock", 0)}
        if op == "load":
            self.module(req["module"])
            return None
        if op == "has":
            stem, _, name = req["path"].partition(".")
            if stem not in self.config["modules"]:
                return False
            mod = self.module(stem)
            return not name or hasattr(mod, name)
        if op == "getattr":
            return getattr(self.target(req), req["attr"])
        if op == "call":
            obj = self.target(req)
            func = getattr(obj, req["attr"]) if req.get("attr") else obj
            return func(*args, **kwargs)
        if op == "probe":
            namespace: dict = {"__name__": "mlgrade_probe"}
            exec(compile(req["src"], "<check probe>", "exec"), namespace)
            return namespace[req["name"]](*args, **kwargs)
        raise ValueError(f"unknown op {op!r}")

    def serve(self, fd_in: int, fd_out: int) -> None:
        while True:
            try:
                frame = codec.read_frame(fd_in)
            except EOFError:
                return
            reply = self.answer(frame)
            codec.write_frame(fd_out, reply)

    def answer(self, frame: bytes) -> bytes:
        try:
            msg = codec.decode(frame, on_ref=self.from_ref)
            result = self.handle_request(msg["req"], msg.get("args", ()), msg.get("kwargs", {}))
            return codec.encode({"status": "ok", "value": result}, on_other=self.to_handle)
        except _Reply as r:
            return codec.encode({"status": r.status, **r.info})
        except BaseException as exc:  # noqa: BLE001 - every learner failure becomes data
            return codec.encode(self.describe(exc))

    def describe(self, exc: BaseException) -> dict:
        if isinstance(exc, ForbiddenImportError):
            status = "forbidden_import"
        elif isinstance(exc, MemoryError):
            status = "out_of_memory"
        elif isinstance(exc, SystemExit):
            status = "exit"
        elif isinstance(exc, NotImplementedError):
            status = "not_implemented"
        else:
            status = "error"
        frames = [
            f'  {where_in(self.learner_files, f.filename, f.lineno)} in {f.name}\n'
            f'    {f.line or ""}'.rstrip()
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename in self.learner_files
        ]
        try:
            message = str(exc)
        except Exception:  # noqa: BLE001
            message = "<unprintable message>"
        if isinstance(exc, SystemExit):
            message = f"your code called sys.exit({exc.code!r})"
        return {"status": status, "exc_type": type(exc).__name__,
                "message": message[:2000], "traceback": frames[-8:]}


class _Reply(Exception):
    def __init__(self, status: str, **info):
        super().__init__(status)
        self.status = status
        self.info = info


def apply_limits(config: dict) -> None:
    mem = config.get("memory_mb")
    if mem:
        limit = int(mem) << 20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    fsize = int(config.get("max_file_mb", 64)) << 20
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the cap fail with EFBIG


# Landlock (Linux ≥ 5.13): the sandbox may write only inside its work folder and may not
# open TCP connections. Reads stay unrestricted. Where the kernel lacks Landlock this is a
# no-op and `mlgrade doctor` says so.
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_PR_SET_NO_NEW_PRIVS = 38
_FS_WRITE_RIGHTS = {1: 0b1_1111_1111_0010,          # write/remove/make: bits 1, 4..12
                    2: 0b11_1111_1111_0010,         # + REFER
                    3: 0b111_1111_1111_0010}        # + TRUNCATE
_NET_TCP = 0b11                                     # BIND_TCP | CONNECT_TCP (ABI ≥ 4)


def restrict_writes(workdir: str) -> int:
    """Confine writes to ``workdir`` (and /dev/null) and forbid TCP; returns the ABI used
    (0 when Landlock is unavailable)."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        abi = libc.syscall(_SYS_CREATE_RULESET, None, 0, 1)   # LANDLOCK_CREATE_RULESET_VERSION
    except (OSError, AttributeError):
        return 0
    if abi < 1:
        return 0
    fs = _FS_WRITE_RIGHTS[min(abi, 3)]

    class RulesetAttr(ctypes.Structure):
        _fields_ = [("handled_access_fs", ctypes.c_uint64),
                    ("handled_access_net", ctypes.c_uint64)]

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    attr = RulesetAttr(fs, _NET_TCP if abi >= 4 else 0)
    size = ctypes.sizeof(RulesetAttr) if abi >= 4 else ctypes.sizeof(ctypes.c_uint64)
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        return 0
    try:
        for path, rights in ((workdir, fs), (os.devnull, fs & 0b10)):   # /dev/null: write only
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = PathBeneath(rights, fd)
                if libc.syscall(_SYS_ADD_RULE, ruleset, 1, ctypes.byref(rule), 0) != 0:
                    return 0
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return 0
        if libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0) != 0:
            return 0
    finally:
        os.close(ruleset)
    return abi


def run(config: dict, fd_in: int, fd_out: int) -> None:
    """Limits, imports, import guard, then serve requests until the channel closes."""
    apply_limits(config)
    os.chdir(config["workdir"])
    for name in config.get("preload", []):
        __import__(name)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    child = Child(config)
    if config.get("guard"):
        forbidden = set(config["forbidden"])
        for name in [m for m in sys.modules if m.partition(".")[0] in forbidden]:
            del sys.modules[name]   # belt and braces: a from-scratch child never loads them
        sys.meta_path.insert(0, ImportGuard(config["forbidden"], child.learner_files))
    sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]
    sys.path.extend(config.get("learner_dirs", []))
    child.landlock = restrict_writes(config["workdir"])   # last step before learner code
    child.serve(fd_in, fd_out)


def main() -> None:
    """Cold start: ``python -I -c ... FD_IN FD_OUT`` with the config in the environment."""
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    config = json.loads(os.environ.pop(CONFIG_ENV))
    run(config, fd_in, fd_out)


# ---- warm start: a zygote that forks a fresh sandbox per request -------------------------
def _spawn_from_zygote(config: dict, control) -> int:
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the sandbox: a new session, the grading side's environment, its own log
        code = 1
        try:
            control.close()
            os.close(req_w)
            os.close(rep_r)
            os.setsid()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.environ.clear()
            os.environ.update(config.pop("env", {}))
            null = os.open(os.devnull, os.O_RDONLY)
            log = os.open(config["log_path"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.dup2(null, 0)
            os.dup2(log, 1)
            os.dup2(log, 2)
            for fd, name in ((1, "stdout"), (2, "stderr")):   # as PYTHONUNBUFFERED=1 does
                raw = open(fd, "wb", buffering=0, closefd=False)  # noqa: SIM115
                setattr(sys, name, io.TextIOWrapper(raw, errors="backslashreplace",
                                                    write_through=True))
            run(config, req_r, rep_w)
            code = 0
        finally:
            os._exit(code)
    os.close(req_r)
    os.close(rep_w)
    import socket

    socket.send_fds(control, [json.dumps({"pid": pid}).encode() + b"\n"], [req_w, rep_r])
    os.close(req_w)
    os.close(rep_r)
    return pid


def _wait(pid: int, timeout: float) -> int | None:
    """The child's exit code as Popen.returncode reports it (−signal), or None."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.005)


def zygote_main() -> None:
    """Warm start: imports once, then forks one sandbox per request on the control socket.

    Started like a cold sandbox (``python -I``, the allow-listed environment) so a forked
    sandbox is the same process a cold start would give, minus the import time. It never
    runs learner code itself.
    """
    import socket

    control = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the owner closes the socket to stop us
    forbidden = set(json.loads(os.environ.pop("MLGRADE_ZYGOTE_FORBIDDEN", "[]")))
    children: set[int] = set()

    def reply(obj: dict) -> None:
        control.sendall(json.dumps(obj).encode() + b"\n")

    try:
        while True:
            try:
                req = json.loads(codec.read_frame(control.fileno()))
            except EOFError:
                break
            op = req["op"]
            if op == "import":
                done = []
                for name in req["modules"]:
                    if name.partition(".")[0] in forbidden:
                        continue
                    try:
                        __import__(name)
                        done.append(name)
                    except Exception:  # noqa: BLE001 - warming is best effort
                        pass
                if "torch" in sys.modules:
                    sys.modules["torch"].set_num_threads(1)
                reply({"imported": done})
            elif op == "spawn":
                children.add(_spawn_from_zygote(req["config"], control))
            elif op == "wait":
                code = _wait(req["pid"], req.get("timeout", 0))
                if code is not None:
                    children.discard(req["pid"])
                reply({"code": code})
            elif op == "killall":   # after each check: no sandbox outlives its check
                for pid in children:
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except OSError:
                        pass
                    _wait(pid, 2.0)
                reply({"killed": len(children)})
                children.clear()
    finally:
        for pid in children:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            _wait(pid, 1.0)


if __name__ == "__main__":
    main()
