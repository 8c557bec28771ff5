"""Plain data across the sandbox boundary: JSON + npz, never pickle.

A message is a JSON tree in which arrays are replaced by references into an npz archive
loaded with ``allow_pickle=False``: nothing a learner process sends can carry code.
Objects that are not plain data are replaced by handles (see ``sandbox_child``).
"""

from __future__ import annotations

import io
import json
import math
import struct
from collections.abc import Callable
from typing import Any

MAX_MESSAGE_BYTES = 1 << 30


class NotPlainData(TypeError):
    """Raised when a value cannot cross the boundary as plain data."""


def _is_tensor(obj: Any) -> bool:
    mod = type(obj).__module__
    return mod.startswith("torch") and type(obj).__name__ in ("Tensor", "Parameter")


def encode(obj: Any, on_other: Callable[[Any], dict] | None = None) -> bytes:
    """Serialise ``obj``; non-plain values go to ``on_other`` (or raise NotPlainData)."""
    import numpy as np

    arrays: list[np.ndarray] = []

    def add(arr: np.ndarray) -> int:
        if arr.dtype.hasobject:
            raise NotPlainData("object arrays cannot cross the sandbox boundary")
        arrays.append(arr)
        return len(arrays) - 1

    def enc(o: Any, depth: int = 0) -> Any:
        if depth > 50:
            raise NotPlainData("nesting too deep")
        if o is None or isinstance(o, (bool, str)):
            return o
        if isinstance(o, int):
            return o if abs(o) < 2**53 else {"t": "bigint", "v": str(o)}
        if isinstance(o, float):
            if math.isfinite(o):
                return o
            return {"t": "float", "v": repr(o)}
        if isinstance(o, np.ndarray):
            return {"t": "nd", "i": add(o)}
        if isinstance(o, np.generic):
            return {"t": "np", "i": add(np.asarray(o))}
        if _is_tensor(o):
            t = o.detach().cpu()
            if t.is_complex() or str(t.dtype) == "torch.bfloat16":
                t = t.float() if not t.is_complex() else t
            return {"t": "tensor", "i": add(t.resolve_conj().numpy().copy()),
                    "grad": bool(o.requires_grad), "dtype": str(o.dtype)}
        if isinstance(o, (list, tuple)):
            items = [enc(x, depth + 1) for x in o]
            return items if isinstance(o, list) else {"t": "tuple", "v": items}
        if isinstance(o, dict) and all(isinstance(k, str) for k in o):
            return {"t": "dict", "k": list(o), "v": [enc(v, depth + 1) for v in o.values()]}
        if isinstance(o, (bytes, bytearray)):
            return {"t": "bytes", "i": add(np.frombuffer(bytes(o), dtype=np.uint8))}
        if on_other is not None:
            return on_other(o)
        raise NotPlainData(f"a {type(o).__name__} is not plain data")

    tree = enc(obj)
    buf = io.BytesIO()
    if arrays:
        np.savez(buf, *arrays)
    header = json.dumps(tree).encode()
    return struct.pack("!Q", len(header)) + header + buf.getvalue()


def decode(data: bytes, on_ref: Callable[[dict], Any] | None = None) -> Any:
    """Inverse of :func:`encode`; ``on_ref`` turns ``{"t": "handle"...}`` nodes into objects."""
    import numpy as np

    (hlen,) = struct.unpack("!Q", data[:8])
    tree = json.loads(data[8 : 8 + hlen])
    rest = data[8 + hlen :]
    arrays = []
    if rest:
        with np.load(io.BytesIO(rest), allow_pickle=False) as npz:
            arrays = [npz[f"arr_{i}"] for i in range(len(npz.files))]

    def dec(o: Any) -> Any:
        if isinstance(o, list):
            return [dec(x) for x in o]
        if not isinstance(o, dict):
            return o
        t = o.get("t")
        if t == "nd":
            return arrays[o["i"]]
        if t == "np":
            return arrays[o["i"]][()]
        if t == "tensor":
            import torch

            x = torch.from_numpy(arrays[o["i"]].copy())
            if o.get("dtype") and str(x.dtype) != o["dtype"]:
                x = x.to(getattr(torch, o["dtype"].split(".")[-1]))
            if o.get("grad") and x.is_floating_point():
                x.requires_grad_(True)
            return x
        if t == "tuple":
            return tuple(dec(x) for x in o["v"])
        if t == "dict":
            return {k: dec(v) for k, v in zip(o["k"], o["v"], strict=True)}
        if t == "float":
            return float(o["v"])
        if t == "bigint":
            return int(o["v"])
        if t == "bytes":
            return arrays[o["i"]].tobytes()
        if on_ref is not None:
            return on_ref(o)
        raise ValueError(f"unknown node {t!r}")

    return dec(tree)


def write_frame(fd: int, payload: bytes) -> None:
    import os

    data = struct.pack("!Q", len(payload)) + payload
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_exact(fd: int, n: int) -> bytes:
    import os

    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError("peer closed the channel")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> bytes:
    (n,) = struct.unpack("!Q", read_exact(fd, 8))
    if n > MAX_MESSAGE_BYTES:
        raise ValueError(f"message of {n} bytes is over the limit")
    return read_exact(fd, n)
