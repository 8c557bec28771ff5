"""Hidden checks for 11_cnn_basics, library part (conv_torch.py).

The learner builds nn.Conv2d / nn.MaxPool2d from given parameters; the modules stay in the
sandbox (Handles) and are inspected there with small probe functions. Their outputs are
compared with torch.nn.functional used directly, in float64.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from grader.testing import assert_close, assert_same

RTOL, ATOL = 1e-10, 1e-12

# (N, C, H, W, F, kH, kW, stride, padding, bias?)
CONFIGS = [
    (2, 3, 7, 6, 4, 3, 3, 1, 1, True),
    (1, 2, 9, 7, 3, 2, 3, 2, 0, True),
    (2, 1, 8, 8, 2, 3, 3, 2, 2, False),
    (1, 4, 5, 6, 2, 5, 5, 1, 2, True),
]


def _data(cfg, seed):
    n, c, h, w, f, kh, kw, _, _, has_b = cfg
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c, h, w, generator=g, dtype=torch.float64)
    wt = torch.randn(f, c, kh, kw, generator=g, dtype=torch.float64)
    b = torch.randn(f, generator=g, dtype=torch.float64) if has_b else None
    return x, wt, b


def _conv_summary(m):
    """Runs in the sandbox: what the learner's module is and holds, as plain data."""
    import torch

    pad = m.padding if isinstance(getattr(m, "padding", None), str) else \
        list(getattr(m, "padding", ()))
    return {
        "type": type(m).__name__,
        "is_conv2d": isinstance(m, torch.nn.Conv2d),
        "in_channels": getattr(m, "in_channels", None),
        "out_channels": getattr(m, "out_channels", None),
        "kernel_size": list(getattr(m, "kernel_size", ())),
        "stride": list(getattr(m, "stride", ())),
        "padding": pad,
        "weight_dtype": str(m.weight.dtype) if hasattr(m, "weight") else None,
        "weight": m.weight.detach().clone() if hasattr(m, "weight") else None,
        "bias": None if getattr(m, "bias", None) is None else m.bias.detach().clone(),
    }


def _pool_summary(m):
    """Runs in the sandbox: the pooling module's settings, as plain data."""
    import torch

    as_list = lambda v: list(v) if isinstance(v, (tuple, list)) else [v, v]
    return {
        "type": type(m).__name__,
        "is_maxpool": isinstance(m, torch.nn.MaxPool2d),
        "kernel_size": as_list(getattr(m, "kernel_size", None)),
        "stride": as_list(getattr(m, "stride", None)),
        "padding": as_list(getattr(m, "padding", None)),
        "ceil_mode": bool(getattr(m, "ceil_mode", False)),
        "dilation": as_list(getattr(m, "dilation", None)),
    }


def _require_float64_conv(info, call):
    if not info["is_conv2d"]:
        raise AssertionError(f"{call} returned a {info['type']}, expected an nn.Conv2d")
    if info["weight_dtype"] != "torch.float64":
        raise AssertionError(
            f"{call}: the module's weight is {info['weight_dtype']}, expected torch.float64\n"
            "  hint: build the layer in the weight's dtype: nn.Conv2d(..., dtype=weight.dtype) "
            "(or .double()), else float64 inputs will not run and copied weights get rounded")


def test_make_conv2d_module_holds_given_parameters(learner):
    """make_conv2d returns an nn.Conv2d with the given weight, bias, stride and padding"""
    x, w, b = _data(CONFIGS[1], 1)
    call = "make_conv2d(weight(3, 2, 2, 3), bias(3,), stride=2, padding=0)"
    info = learner.probe(_conv_summary, learner.conv_torch.make_conv2d(w, b, 2, 0))
    _require_float64_conv(info, call)
    assert_same([info["in_channels"], info["out_channels"]], [2, 3],
                name=f"{call}: (in_channels, out_channels)",
                hint="the weight layout is (out, in, kH, kW): in = weight.shape[1]")
    assert_same(info["kernel_size"], [2, 3], name=f"{call}: kernel_size",
                hint="kernel_size = (kH, kW) = weight.shape[2:] (the kernel need not be square)")
    assert_same(info["stride"], [2, 2], name=f"{call}: stride", hint="pass stride= to nn.Conv2d")
    assert_same(info["padding"], [0, 0], name=f"{call}: padding",
                hint="pass padding= to nn.Conv2d")
    assert_close(info["weight"], w, name=f"{call}: module weight", rtol=0, atol=0,
                 hint="copy the given weight in (with torch.no_grad(): conv.weight.copy_(weight))")
    if info["bias"] is None:
        raise AssertionError(f"{call}: the module has no bias, but a bias was given\n"
                             "  hint: nn.Conv2d(..., bias=True) when bias is not None, then copy it")
    assert_close(info["bias"], b, name=f"{call}: module bias", rtol=0, atol=0,
                 hint="copy the given bias in (conv.bias.copy_(bias))")
    info = learner.probe(_conv_summary, learner.conv_torch.make_conv2d(w, None, 1, 1))
    if info["bias"] is not None:
        raise AssertionError("make_conv2d(weight, bias=None, ...): the module has a bias "
                             "(random init!), expected none\n  hint: nn.Conv2d(..., bias=False) "
                             "when bias is None")
    assert_same(info["padding"], [1, 1], name="make_conv2d(weight, None, stride=1, padding=1): "
                "padding", hint="pass padding= to nn.Conv2d")


@pytest.mark.points(2)
def test_make_conv2d_forward_matches_functional(learner):
    """make_conv2d's module output equals F.conv2d with the same parameters"""
    for i, cfg in enumerate(CONFIGS):
        x, w, b = _data(cfg, 10 + i)
        s, p = cfg[7], cfg[8]
        call = f"make_conv2d(weight{tuple(w.shape)}, bias={'yes' if b is not None else 'None'}, " \
               f"stride={s}, padding={p})"
        conv = learner.conv_torch.make_conv2d(w, b, s, p)
        info = learner.probe(_conv_summary, conv)
        _require_float64_conv(info, call)
        if b is None and info["bias"] is not None:
            raise AssertionError(f"{call}: the module has a bias (random init!) although "
                                 "bias=None\n  hint: nn.Conv2d(..., bias=False) when bias is None")
        out = conv(x)
        want = F.conv2d(x, w, b, stride=s, padding=p)
        assert_close(out, want, name=f"output of {call} on x{tuple(x.shape)}", rtol=RTOL,
                     atol=ATOL, hint="pass stride and padding to nn.Conv2d and copy weight and "
                                     "bias unchanged (no transpose, no flip)")


def test_make_maxpool2d(learner):
    """make_maxpool2d returns nn.MaxPool2d(kernel, stride) equal to F.max_pool2d"""
    for k, s in ((2, None), (3, 2), (3, 1)):
        call = f"make_maxpool2d({k}, stride={s})"
        pool = learner.conv_torch.make_maxpool2d(k, s)
        info = learner.probe(_pool_summary, pool)
        if not info["is_maxpool"]:
            raise AssertionError(f"{call} returned a {info['type']}, expected an nn.MaxPool2d")
        exp_s = k if s is None else s
        assert_same(info["kernel_size"], [k, k], name=f"{call}: kernel_size")
        assert_same(info["stride"], [exp_s, exp_s], name=f"{call}: stride",
                    hint="stride=None means stride = kernel_size (nn.MaxPool2d's own default)")
        if info["ceil_mode"]:
            raise AssertionError(f"{call}: ceil_mode=True; the course uses the floor output size"
                                 "\n  hint: leave ceil_mode at its default False")
        x = torch.randn(2, 3, 9, 8, generator=torch.Generator().manual_seed(k * 10 + exp_s),
                        dtype=torch.float64)
        assert_close(pool(x), F.max_pool2d(x, k, s), name=f"output of {call} on x(2, 3, 9, 8)",
                     rtol=0, atol=0)


@pytest.mark.points(2)
def test_conv_pool_forward_matches_torch(learner):
    """conv_pool_forward equals F.max_pool2d(F.conv2d(...)) for several settings"""
    settings = [(CONFIGS[0], 2, None), (CONFIGS[1], 2, 1), (CONFIGS[2], 3, None),
                (CONFIGS[3], 2, None)]
    for i, (cfg, pk, ps) in enumerate(settings):
        x, w, b = _data(cfg, 20 + i)
        s, p = cfg[7], cfg[8]
        out = learner.conv_torch.conv_pool_forward(x, w, b, s, p, pk, ps)
        want = F.max_pool2d(F.conv2d(x, w, b, stride=s, padding=p), pk, ps)
        name = (f"conv_pool_forward(x{tuple(x.shape)}, weight{tuple(w.shape)}, stride={s}, "
                f"padding={p}, pool_kernel={pk}, pool_stride={ps})")
        if not isinstance(out, torch.Tensor):
            raise AssertionError(f"{name}: expected a torch.Tensor, got {type(out).__name__}")
        assert_close(out, want, name=name, rtol=RTOL, atol=ATOL,
                     hint=_conv_pool_hint(out, x, w, b, s, p, pk, ps))


def _conv_pool_hint(out, x, w, b, s, p, pk, ps):
    conv = F.conv2d(x, w, b, stride=s, padding=p)
    cands = [
        (F.max_pool2d(F.relu(conv), pk, ps),
         "a ReLU was applied between the convolution and the pooling: this function is conv "
         "then max-pool only, no activation"),
        (F.max_pool2d(conv, pk, 1), "pool_stride=None must mean stride = pool_kernel, not 1"),
        (F.max_pool2d(conv, pk, ps, ceil_mode=True),
         "the pooling uses ceil_mode=True: keep MaxPool2d's floor output size"),
        (conv, "the max-pooling is missing: apply make_maxpool2d(pool_kernel, pool_stride) "
               "to the convolution's output"),
        (F.avg_pool2d(conv, pk, ps), "this is average pooling: use nn.MaxPool2d"),
    ]
    for cand, hint in cands:
        if tuple(out.shape) == tuple(cand.shape) and torch.allclose(
                out.to(cand.dtype), cand, rtol=1e-9, atol=1e-11):
            return hint
    return ("conv first (stride, padding), then max-pool (pool_kernel, pool_stride; "
            "None = pool_kernel); no activation in between")
