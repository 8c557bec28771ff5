"""``mlgrade doctor``: is everything a check needs here and healthy?"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from importlib import metadata

from grader.errors import MlgradeError

PACKAGES = ("numpy", "scikit-learn", "torch", "torchvision", "pytest", "click", "rich",
            "pyyaml", "nbformat", "matplotlib", "fastapi", "httpx")


def _line(ok: bool, label: str, detail: str) -> bool:
    mark = "ok " if ok else "!! "
    print(f"{mark} {label:<14} {detail}")
    return ok


def run_doctor(ctx) -> bool:
    ok = _line(sys.version_info >= (3, 10), "python", f"{platform.python_version()} ({sys.executable})")
    for pkg in PACKAGES:
        try:
            ok &= _line(True, pkg, metadata.version(pkg))
        except metadata.PackageNotFoundError:
            ok &= _line(False, pkg, "not installed (pip install mlgrade pulls it in)")
    try:
        course = ctx.course
        ok &= _line(True, "course", f"{course.root} ({len(course.topics)} topics)")
    except MlgradeError as exc:
        ok &= _line(False, "course", str(exc))
    try:
        ws = ctx.workspace()
        _line(True, "workspace", str(ws.root))
        try:
            store = ctx.store(ws)
            n = store.db.execute("SELECT count(*) FROM attempts").fetchone()[0]
            store.close()
            ok &= _line(True, "progress", f"{ws.progress_path} ({n} attempts recorded)")
        except MlgradeError as exc:
            ok &= _line(False, "progress", str(exc))
    except MlgradeError:
        _line(True, "workspace", "none here (fine for instructors; learners: mlgrade init)")
    ok &= _sandbox_smoke()
    return bool(ok)


def _sandbox_smoke() -> bool:
    from grader.sandbox import Sandbox, SandboxConfig

    with tempfile.TemporaryDirectory() as tmp:
        box = Sandbox(SandboxConfig(modules={}, workdir=tmp, log_path=f"{tmp}/log",
                                    preload=["numpy"], guard=True, forbidden=["sklearn"]))
        start = time.perf_counter()
        try:
            pong = box.request({"op": "ping"}, call="ping")
            ok = isinstance(pong, dict) and pong.get("pong")
        except Exception as exc:  # noqa: BLE001 - doctor reports whatever went wrong
            return _line(False, "sandbox", f"could not start: {exc}")
        finally:
            box.close()
        _line(ok, "sandbox", f"child started and answered in "
                             f"{time.perf_counter() - start:.2f} s")
        abi = pong.get("landlock", 0) if ok else 0
        _line(True, "isolation", f"Landlock ABI {abi}: learner code writes only in its work "
                                 f"folder, no network" if abi else
                                 "no Landlock on this kernel: learner code can write where you "
                                 "can (limits, timeouts and the trust boundary still hold)")
        return bool(ok)
