"""Helpers for hidden checks: comparisons with messages a learner can act on.

Every failure message says which quantity differed and how (type, shape, dtype family,
NaN/Inf, then values with max abs / rel error and the first index that differs).
See docs/writing-checks.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grader.sandbox import (  # noqa: F401 - re-exported for hidden checks
    ForbiddenImport,
    Handle,
    LearnerCrash,
    LearnerError,
    LearnerProblem,
    LearnerTimeout,
    NotGradable,
)
from grader.testing import datasets  # noqa: F401


def _to_numpy(value: Any):
    import numpy as np

    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return value
    return np.asarray(value)


def _kind(value: Any) -> str:
    import numpy as np

    if value is None:
        return "None"
    if isinstance(value, Handle):
        return f"a {value.type_name} object"
    if type(value).__module__.startswith("torch"):
        return "tensor"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, float, np.number)):
        return "number"
    if isinstance(value, (np.ndarray, list, tuple)):
        return "array"
    return type(value).__name__


def _fmt(x: Any) -> str:
    try:
        return f"{float(x):.6g}"
    except (TypeError, ValueError):
        return repr(x)


def _with_hint(msg: str, hint: str | None) -> str:
    return f"{msg}\n  hint: {hint}" if hint else msg


def assert_close(actual: Any, expected: Any, *, name: str, rtol: float = 1e-7,
                 atol: float = 0.0, hint: str | None = None) -> None:
    """Assert ``|actual − expected| <= atol + rtol·|expected|`` elementwise, with a message."""
    import numpy as np

    ka, ke = _kind(actual), _kind(expected)
    numeric = {"number", "array", "tensor", "bool"}
    if ka not in numeric:
        raise AssertionError(_with_hint(
            f"{name}: expected numbers ({ke}), got {ka}", hint))
    try:
        a = _to_numpy(actual).astype(np.float64) if not np.iscomplexobj(_to_numpy(actual)) \
            else _to_numpy(actual)
    except (TypeError, ValueError):
        raise AssertionError(_with_hint(
            f"{name}: could not read your value as numbers ({ka})", hint)) from None
    e = _to_numpy(expected).astype(np.float64)
    if a.shape != e.shape:
        extra = ""
        if a.size == e.size:
            extra = " (same number of elements: a reshape / transpose / keepdims issue?)"
        raise AssertionError(_with_hint(
            f"{name}: shape {a.shape}, expected {e.shape}{extra}", hint))
    for label, bad in (("NaN", np.isnan), ("Inf", np.isinf)):
        bad_a = bad(a) & ~bad(e)
        if bad_a.any():
            idx = tuple(int(i) for i in np.argwhere(bad_a)[0])
            raise AssertionError(_with_hint(
                f"{name}: {int(bad_a.sum())} {label} value(s), first at index {idx}"
                f" (expected {_fmt(e[idx])}): overflow or a division by zero?", hint))
    both_nan = np.isnan(a) & np.isnan(e)
    same_inf = np.isinf(a) & np.isinf(e) & (np.sign(a) == np.sign(e))
    diff = np.where(both_nan | same_inf, 0.0, np.abs(a - e))
    tol = atol + rtol * np.abs(np.where(np.isfinite(e), e, 0.0))
    over = diff > tol
    if over.any():
        flat = int(np.argmax(np.where(over, diff - tol, -np.inf)))
        idx = np.unravel_index(flat, a.shape) if a.shape else ()
        idx_t = tuple(int(i) for i in idx)
        max_abs = float(np.max(diff))
        nonzero = over & (np.abs(e) > 0)
        rel = (f"max rel error {float(np.max(diff[nonzero] / np.abs(e[nonzero]))):.3g}"
               if nonzero.any() else "expected 0 there, so no relative error")
        where = f" at index {idx_t}" if idx_t else ""
        n_bad = int(over.sum())
        msg = (f"{name} differs: {n_bad} of {a.size} value(s) outside rtol={rtol:g}, "
               f"atol={atol:g}; max abs error {max_abs:.3g}, {rel}; "
               f"{('worst' + where + ': ') if n_bad > 1 else (where.strip() + ': ' if where else '')}yours "
               f"{_fmt(a[idx_t] if idx_t else a)}, "
               f"expected {_fmt(e[idx_t] if idx_t else e)}")
        if a.shape and a.ndim >= 1 and a.size > 1:
            msg += f" (shape {a.shape})"
        raise AssertionError(_with_hint(msg, hint))


def assert_same(actual: Any, expected: Any, *, name: str, hint: str | None = None) -> None:
    """Exact equality for labels, counts, shapes, strings and nested plain data."""
    import numpy as np

    if isinstance(expected, (str, bool, type(None), dict)) or (
            isinstance(expected, (list, tuple)) and expected and
            not isinstance(expected[0], (int, float, np.number, list, tuple))):
        if actual != expected:
            raise AssertionError(_with_hint(
                f"{name}: got {actual!r:.200}, expected {expected!r:.200}", hint))
        return
    if _kind(actual) not in {"number", "array", "tensor", "bool"}:
        raise AssertionError(_with_hint(f"{name}: expected {_kind(expected)}, got "
                                        f"{_kind(actual)}", hint))
    a, e = _to_numpy(actual), _to_numpy(expected)
    if a.shape != e.shape:
        raise AssertionError(_with_hint(f"{name}: shape {a.shape}, expected {e.shape}", hint))
    neq = a != e
    if np.any(neq):
        pos = [tuple(int(i) for i in p) for p in np.argwhere(neq)[:5]] if a.shape else [()]
        sample = ", ".join(f"{p}: yours {a[p]!r}, expected {e[p]!r}" for p in pos[:3])
        raise AssertionError(_with_hint(
            f"{name}: {int(np.sum(neq))} of {a.size} differ; first at {sample}", hint))


def rel_error(x: Any, y: Any) -> float:
    """CS231n relative error: max |x − y| / max(1e-8, |x| + |y|)."""
    import numpy as np

    x, y = _to_numpy(x).astype(np.float64), _to_numpy(y).astype(np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def numeric_gradient(f: Callable[[Any], float], x: Any, h: float = 1e-5):
    """Centred finite differences of scalar ``f`` w.r.t. float64 array ``x`` (restored)."""
    import numpy as np

    x = np.asarray(x)
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = float(f(x))
        x[i] = old - h
        fm = float(f(x))
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
        it.iternext()
    return grad
