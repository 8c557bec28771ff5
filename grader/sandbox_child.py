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
import json
import os
import resource
import signal
import sys
import traceback
import types

from grader import codec

CONFIG_ENV = "MLGRADE_SANDBOX_CONFIG"


class ForbiddenImportError(ImportError):
    pass


class ImportGuard(importlib.abc.MetaPathFinder):
    """Refuses forbidden top-level packages for the whole process (from-scratch child).

    The from-scratch child never imports those packages itself, so no cached module can
    bypass the finder: ``import``, ``importlib.import_module`` and ``__import__`` all fail.
    """

    def __init__(self, forbidden: list[str], learner_files: set[str]):
        self.forbidden = set(forbidden)
        self.learner_files = learner_files

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in self.forbidden:
            where = ""
            for frame in reversed(traceback.extract_stack()):
                if frame.filename in self.learner_files:
                    where = f" ({os.path.basename(frame.filename)}:{frame.lineno})"
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
        self.learner_files = {spec["path"] for spec in config["modules"].values()}

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
        try:
            code = compile(source, path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise _Reply("not_gradable", exc_type="SyntaxError",
                         message=f"{spec.get('display', path)}:{exc.lineno}: {exc.msg}")
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
            return "pong"
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
            f'  {os.path.basename(f.filename)}:{f.lineno} in {f.name}\n    {f.line or ""}'.rstrip()
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


def main() -> None:
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    config = json.loads(os.environ.pop(CONFIG_ENV))
    apply_limits(config)
    os.chdir(config["workdir"])
    for name in config.get("preload", []):
        __import__(name)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    if config.get("guard"):
        sys.meta_path.insert(0, ImportGuard(config["forbidden"], set()))
    sys.path.extend(config.get("learner_dirs", []))
    child = Child(config)
    if config.get("guard"):
        sys.meta_path[0].learner_files = child.learner_files
    child.serve(fd_in, fd_out)


if __name__ == "__main__":
    main()
