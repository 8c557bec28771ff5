"""Hidden checks for 11_cnn_basics, from-scratch part (conv2d_from_scratch.py).

The learner's NumPy convolution and max-pooling are compared with torch.nn.functional in
float64 (weights copied in) over many shapes, strides and paddings, and with the reference.
When a result differs, the check recomputes the usual mistakes (flipped kernel, one-sided
padding, (in, out) weight layout, averaged channels, missing bias, ceil output size...) and
names the one the learner's output matches.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from grader.testing import assert_close

RTOL, ATOL = 1e-10, 1e-12

# (N, C, H, W, F, kH, kW, stride, padding): square and non-square images and kernels,
# strides that do not divide the size (floor), padding larger than kernel // 2, kernel = image.
CONV_CONFIGS = [
    (1, 1, 5, 5, 1, 3, 3, 1, 0),
    (2, 3, 7, 6, 4, 3, 3, 1, 1),
    (2, 2, 8, 8, 3, 3, 3, 2, 1),
    (1, 3, 9, 7, 2, 2, 3, 2, 0),
    (2, 1, 6, 9, 2, 3, 2, 3, 2),
    (1, 4, 5, 5, 5, 5, 5, 1, 2),
    (3, 2, 6, 7, 2, 1, 1, 1, 0),
    (1, 2, 7, 7, 3, 3, 3, 3, 0),
    (2, 3, 11, 8, 2, 4, 2, 2, 1),
    (1, 1, 4, 4, 2, 4, 4, 1, 0),
    (2, 2, 6, 5, 3, 3, 3, 1, 3),
    (1, 3, 10, 10, 3, 3, 3, 2, 2),
]

# (N, C, H, W, kernel, stride or None)
POOL_CONFIGS = [
    (2, 3, 8, 8, 2, None),
    (1, 2, 7, 7, 2, None),
    (2, 1, 9, 7, 3, 2),
    (1, 3, 6, 6, 3, 1),
    (2, 2, 5, 8, 2, 3),
    (1, 1, 4, 4, 4, None),
    (1, 2, 10, 9, 3, None),
]

HINT_FORMULA = "output size = floor((size + 2*padding - kernel) / stride) + 1, computed per axis"


# ----------------------------------------------------------------------------- data

def _conv_data(cfg, seed, bias=True):
    n, c, h, w, f, kh, kw, _, _ = cfg
    rng = np.random.default_rng(1000 + seed)
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((f, c, kh, kw))
    b = rng.standard_normal(f) if bias else None
    return x, wt, b


def _torch_conv(x, w, b, stride, padding):
    t = lambda a: None if a is None else torch.from_numpy(
        np.ascontiguousarray(a, dtype=np.float64))       # flipped views have negative strides
    return F.conv2d(t(x), t(w), t(b), stride=stride, padding=padding).numpy()


def _out_len(size, k, s, p):
    return (size + 2 * p - k) // s + 1


# ------------------------------------------------------------------- diagnosing a wrong answer

def _size_mistakes(size, k, s, p):
    """Wrong output lengths a learner commonly computes, with what each one means."""
    return [
        ((size + 2 * p - k) // s, "the '+ 1' is missing from the output-size formula"),
        (math.ceil((size + 2 * p - k) / s) + 1,
         "the output size is rounded up (ceil); it must be floor: windows that would run past "
         "the edge are dropped"),
        (size + 2 * p - k + 1, "the stride is ignored in the output size (divide by stride)"),
        ((size - k) // s + 1, "the padding is missing from the output size / input (2*padding)"),
        ((size + p - k) // s + 1, "padding is applied on one side only (it must be on both: "
                                  "2*padding)"),
    ]


def _shape_hint(shape, x_shape, w_shape, s, p):
    n, c, h, w = x_shape
    f, _, kh, kw = w_shape
    exp = (n, f, _out_len(h, kh, s, p), _out_len(w, kw, s, p))
    if len(shape) != 4:
        return f"return a 4-D array (N, F, Ho, Wo) = {exp}"
    if tuple(shape) == (n, exp[2], exp[3], f):
        return "the channel axis must come second: (N, F, Ho, Wo), not channels-last"
    if shape[0] != n:
        return f"the first axis is the batch: N = x.shape[0] = {n}"
    if shape[1] != f:
        return (f"the output has one channel per filter: F = w.shape[0] = {f} (w is "
                f"(out, in, kH, kW)), not the number of input channels")
    for (hh, mh), (ww, mw) in zip(_size_mistakes(h, kh, s, p), _size_mistakes(w, kw, s, p)):
        if (shape[2], shape[3]) == (hh, ww) or (shape[2] == hh and hh != exp[2]) or \
                (shape[3] == ww and ww != exp[3]):
            return mh
    if (shape[2], shape[3]) == (exp[3], exp[2]):
        return "height and width are swapped (H is axis 2, W is axis 3; kH pairs with H)"
    return HINT_FORMULA


def _conv_value_hint(out, x, w, b, s, p):
    """Name the known mistake whose result equals the learner's output, if any."""
    out = np.asarray(out, dtype=np.float64)
    c = x.shape[1]
    cands = [
        (lambda: _torch_conv(x, w[:, :, ::-1, ::-1], b, s, p),
         "your result equals a TRUE convolution (kernel flipped). nn.Conv2d computes "
         "cross-correlation: multiply x[..., top+i, left+j] by w[..., i, j], no flip"),
        (lambda: _torch_conv(np.pad(x, ((0, 0), (0, 0), (0, 2 * p), (0, 2 * p))), w, b, s, 0),
         "padding is applied on one side only (bottom/right); add `padding` zeros on all four "
         "sides"),
        (lambda: _torch_conv(np.pad(x, ((0, 0), (0, 0), (2 * p, 0), (2 * p, 0))), w, b, s, 0),
         "padding is applied on one side only (top/left); add `padding` zeros on all four "
         "sides"),
        (lambda: _torch_conv(x, w.transpose(1, 0, 2, 3), b, s, p),
         "the weight is read as (in, out, kH, kW); its layout is (out, in, kH, kW): output "
         "channel f sums x[:, c] * w[f, c] over the input channels c"),
        (lambda: _torch_conv(x, w.transpose(0, 1, 3, 2), b, s, p),
         "the kernel is transposed: w[..., i, j] multiplies row top+i, column left+j"),
        (lambda: _torch_conv(x, w, None, s, p) / c + (0 if b is None else b[None, :, None, None]),
         "the input channels are averaged; they must be SUMMED"),
        (lambda: _torch_conv(x, w, None, s, p),
         "the bias is missing: add b[f] to every position of output channel f"),
        (lambda: _torch_conv(x, w, None, s, p) + (0 if b is None else b.sum()),
         "the whole bias vector is summed into every channel: add only b[f] to channel f"),
        (lambda: _torch_conv(x, w, None, s, p) + c * b[None, :, None, None],
         f"the bias is added once per input channel ({c} times): it is added inside the "
         "loop over c; add b[f] once per output position, after the sum"),
        (lambda: _torch_conv(x, w, None, s, p) + c * w.shape[2] * w.shape[3]
         * b[None, :, None, None],
         "the bias is added for every kernel element (inside the sum over c, di, dj): add "
         "b[f] once per output position, after the sum"),
        (lambda: _torch_conv(x, w, b, 1, p)[:, :, :out.shape[2], :out.shape[3]],
         "the stride is ignored when indexing the input: output (i, j) reads the window "
         "starting at row i*stride, column j*stride (the size is right, the windows are not)"),
        (lambda: _torch_conv(x[:, -1:], w[:, -1:], b, s, p),
         "only the LAST input channel counts: in the loop over channels the result is "
         "overwritten (=) instead of accumulated (+=); sum over all input channels c"),
        (lambda: _torch_conv(x[:, :1], w[:, :1], b, s, p),
         "only the FIRST input channel is used; sum over all input channels c"),
    ]
    for make, hint in cands:
        try:
            cand = make()
        except Exception:  # a candidate that does not apply to these shapes (or b is None)
            continue
        if cand.shape == out.shape and np.allclose(out, cand, rtol=1e-9, atol=1e-11) and \
                not np.allclose(cand, _torch_conv(x, w, b, s, p), rtol=1e-9, atol=1e-11):
            return hint
    return ("compare one output value by hand: out[n, f, i, j] = b[f] + sum over c, di, dj of "
            "xpad[n, c, i*stride + di, j*stride + dj] * w[f, c, di, dj]")


def _check_conv(out, x, w, b, s, p, what):
    expected = _torch_conv(x, w, b, s, p)
    name = (f"{what} for x{x.shape}, w{w.shape}, bias={'no' if b is None else 'yes'}, "
            f"stride={s}, padding={p}")
    if not isinstance(out, np.ndarray):
        raise AssertionError(f"{name}: expected a NumPy array, got {type(out).__name__}")
    if out.shape != expected.shape:
        raise AssertionError(f"{name}: shape {out.shape}, expected {expected.shape}\n"
                             f"  hint: {_shape_hint(out.shape, x.shape, w.shape, s, p)}")
    if np.allclose(out, expected, rtol=RTOL, atol=ATOL):
        return
    assert_close(out, expected, name=name, rtol=RTOL, atol=ATOL,
                 hint=_conv_value_hint(out, x, w, b, s, p))


# ------------------------------------------------------------------------------ checks

def test_output_size_formula(learner):
    """conv_output_size follows floor((size + 2·padding − kernel) / stride) + 1"""
    cases = [(5, 3, 1, 0), (7, 3, 2, 1), (8, 3, 3, 0), (9, 2, 2, 0), (6, 3, 3, 2),
             (5, 5, 1, 2), (10, 4, 3, 1), (28, 5, 2, 2), (4, 4, 1, 0), (11, 3, 2, 0)]
    for size, k, s, p in cases:
        got = learner.conv2d_from_scratch.conv_output_size(size, k, s, p)
        want = _out_len(size, k, s, p)
        call = f"conv_output_size(size={size}, kernel={k}, stride={s}, padding={p})"
        if not isinstance(got, (int, np.integer)) or isinstance(got, bool):
            raise AssertionError(f"{call} returned {got!r} ({type(got).__name__}); expected the "
                                 f"int {want}\n  hint: use floor division //, not /")
        if int(got) != want:
            hint = next((m for v, m in _size_mistakes(size, k, s, p) if v == got and v != want),
                        HINT_FORMULA)
            raise AssertionError(f"{call} = {got}, expected {want}\n  hint: {hint}")


def test_pad2d_zero_pads_all_sides(learner):
    """pad2d adds `padding` zeros on all four sides of H and W only"""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 4, 5))
    for p in (1, 2, 0):
        got = learner.conv2d_from_scratch.pad2d(x, p)
        want = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        hint = ("pad only the last two axes (H, W) with `padding` zeros before AND after: "
                "np.pad(x, ((0,0), (0,0), (p,p), (p,p)))")
        if np.shape(got) == want.shape and p > 0:
            for side, alt in (("bottom/right", np.pad(x, ((0, 0), (0, 0), (0, 2 * p), (0, 2 * p)))),
                              ("top/left", np.pad(x, ((0, 0), (0, 0), (2 * p, 0), (2 * p, 0))))):
                if np.array_equal(got, alt):
                    hint = f"all 2*padding zeros went to the {side}; put `padding` on each side"
        name = f"pad2d(x{x.shape}, padding={p})"
        if not isinstance(got, np.ndarray) or got.shape != want.shape:
            raise AssertionError(f"{name}: got {type(got).__name__} of shape {np.shape(got)}, "
                                 f"expected an array of shape {want.shape}\n  hint: {hint}")
        bad = got != want
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            raise AssertionError(f"{name}: {int(bad.sum())} of {want.size} values differ; first "
                                 f"at index {idx}: yours {float(got[idx]):.6g}, expected "
                                 f"{float(want[idx]):.6g}\n  hint: {hint}")


def test_conv2d_single_channel_is_cross_correlation(learner):
    """conv2d_forward on one channel equals nn.Conv2d (cross-correlation, no kernel flip)"""
    x = np.arange(30, dtype=np.float64).reshape(1, 1, 5, 6) / 7.0
    w = np.array([[[[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [4.0, 0.5, -2.0]]]])
    out = learner.conv2d_from_scratch.conv2d_forward(x, w, None, 1, 0)
    _check_conv(out, x, w, None, 1, 0, "conv2d_forward output")


@pytest.mark.points(2)
def test_conv2d_output_shapes(learner):
    """conv2d_forward returns (N, F, Ho, Wo) with Ho, Wo from the output-size formula"""
    for i, cfg in enumerate(CONV_CONFIGS):
        x, w, b = _conv_data(cfg, i)
        s, p = cfg[7], cfg[8]
        out = learner.conv2d_from_scratch.conv2d_forward(x, w, b, s, p)
        want = (cfg[0], cfg[4], _out_len(cfg[2], cfg[5], s, p), _out_len(cfg[3], cfg[6], s, p))
        got = tuple(np.shape(out))
        if got != want:
            raise AssertionError(
                f"shape of conv2d_forward(x{x.shape}, w{w.shape}, stride={s}, padding={p}): "
                f"{got}, expected {want}\n  hint: {_shape_hint(got, x.shape, w.shape, s, p)}")


@pytest.mark.points(2)
def test_conv2d_channels_and_bias(learner):
    """conv2d_forward sums over input channels with w as (out, in, kH, kW) and adds b per channel"""
    rng = np.random.default_rng(11)
    x = rng.standard_normal((2, 3, 6, 5))
    w = rng.standard_normal((3, 3, 3, 3))       # in == out: a transposed layout still runs
    b = np.array([0.5, -1.5, 2.0])
    out = learner.conv2d_from_scratch.conv2d_forward(x, w, b, 1, 1)
    _check_conv(out, x, w, b, 1, 1, "conv2d_forward output")
    w2 = rng.standard_normal((4, 3, 2, 2))
    out = learner.conv2d_from_scratch.conv2d_forward(x, w2, None, 1, 0)
    _check_conv(out, x, w2, None, 1, 0, "conv2d_forward output with b=None")


@pytest.mark.points(3)
def test_conv2d_matches_torch_many_configs(learner):
    """conv2d_forward equals F.conv2d (float64) over many shapes, strides and paddings"""
    for i, cfg in enumerate(CONV_CONFIGS):
        x, w, b = _conv_data(cfg, i, bias=(i % 3 != 2))
        s, p = cfg[7], cfg[8]
        out = learner.conv2d_from_scratch.conv2d_forward(x, w, b, s, p)
        _check_conv(out, x, w, b, s, p, "conv2d_forward output")


def test_conv2d_matches_reference(learner, reference):
    """conv2d_forward equals the reference solution on a strided, padded, multi-channel input"""
    cfg = (2, 3, 9, 8, 4, 3, 2, 2, 1)
    x, w, b = _conv_data(cfg, 99)
    out = learner.conv2d_from_scratch.conv2d_forward(x, w, b, 2, 1)
    ref = reference.conv2d_from_scratch.conv2d_forward(x, w, b, 2, 1)
    if np.shape(out) != ref.shape:
        raise AssertionError(f"conv2d_forward output: shape {np.shape(out)}, expected {ref.shape}"
                             f"\n  hint: {_shape_hint(np.shape(out), x.shape, w.shape, 2, 1)}")
    assert_close(out, ref, name="conv2d_forward output vs the reference", rtol=RTOL, atol=ATOL,
                 hint=_conv_value_hint(out, x, w, b, 2, 1))


def _pool_hint(out, x, k, s_arg):
    s = k if s_arg is None else s_arg
    n, c, h, w = x.shape
    exp = (n, c, _out_len(h, k, s, 0), _out_len(w, k, s, 0))
    tx = torch.from_numpy(x)
    shape = tuple(np.shape(out))
    if shape != exp:
        if s_arg is None and shape == (n, c, _out_len(h, k, 1, 0), _out_len(w, k, 1, 0)):
            return "stride=None must mean stride = kernel_size (non-overlapping windows), not 1"
        if shape == tuple(F.max_pool2d(tx, k, s, ceil_mode=True).shape):
            return ("the output size is rounded up (ceil); MaxPool2d floors it: a last, partial "
                    "window is dropped")
        if shape == (n, c, (h - k) // s, (w - k) // s):
            return "the '+ 1' is missing from the output-size formula"
        return HINT_FORMULA + " (with padding 0)"
    if np.allclose(out, F.avg_pool2d(tx, k, s).numpy()):
        return "this is average pooling: take the MAXIMUM of each window"
    ho, wo = exp[2], exp[3]
    if s > 1 and np.array_equal(out, F.max_pool2d(tx, k, 1).numpy()[:, :, :ho, :wo]):
        return ("the stride is ignored when indexing the input: window (i, j) starts at row "
                "i*stride, column j*stride (the size is right, the windows are not)")
    if k > 1:
        for kk, what in ((k - 1, "one row/column short (k - 1 wide)"),
                         (k + 1, "one row/column too wide (k + 1)")):
            try:
                cand = F.max_pool2d(tx, kk, s).numpy()[:, :, :ho, :wo]
            except RuntimeError:
                continue
            if cand.shape == out.shape and np.array_equal(out, cand):
                return (f"the pooling windows are {what}: window (i, j) covers "
                        f"x[..., i*stride : i*stride + k, j*stride : j*stride + k] (the end "
                        f"index of a slice is excluded)")
    if s_arg is None and k > 1:
        return "stride=None must mean stride = kernel_size"
    return "each output is the max over x[n, c, i*stride : i*stride+k, j*stride : j*stride+k]"


@pytest.mark.points(2)
def test_maxpool_matches_torch(learner):
    """max_pool2d equals F.max_pool2d (floor output size) over several windows and strides"""
    for i, (n, c, h, w, k, s) in enumerate(POOL_CONFIGS):
        x = np.random.default_rng(500 + i).standard_normal((n, c, h, w))   # no ties
        out = learner.conv2d_from_scratch.max_pool2d(x, k, s)
        want = F.max_pool2d(torch.from_numpy(x), k, s).numpy()
        name = f"max_pool2d(x{x.shape}, kernel_size={k}, stride={s})"
        if tuple(np.shape(out)) != want.shape:
            raise AssertionError(f"{name}: shape {tuple(np.shape(out))}, expected {want.shape}"
                                 f"\n  hint: {_pool_hint(out, x, k, s)}")
        assert_close(out, want, name=name, rtol=0, atol=0, hint=_pool_hint(out, x, k, s))


def test_maxpool_default_stride(learner):
    """max_pool2d with stride=None uses stride = kernel_size"""
    x = np.random.default_rng(42).standard_normal((1, 2, 6, 6))
    out = learner.conv2d_from_scratch.max_pool2d(x, 3)
    want = F.max_pool2d(torch.from_numpy(x), 3).numpy()
    name = "max_pool2d(x(1, 2, 6, 6), kernel_size=3) (stride left out)"
    if tuple(np.shape(out)) != want.shape:
        raise AssertionError(f"{name}: shape {tuple(np.shape(out))}, expected {want.shape}"
                             f"\n  hint: {_pool_hint(out, x, 3, None)}")
    assert_close(out, want, name=name, rtol=0, atol=0, hint=_pool_hint(out, x, 3, None))


def test_feature_map_grid(learner, reference):
    """feature_map_grid tiles min-max scaled maps row by row with 1.0 separators"""
    rng = np.random.default_rng(3)
    maps = rng.standard_normal((5, 3, 4)) * 4 + 2
    maps[3] = 0.7                                   # a constant map must become zeros
    got = learner.conv2d_from_scratch.feature_map_grid(maps, 3, 1)
    want = reference.conv2d_from_scratch.feature_map_grid(maps, 3, 1)
    hint = ("grid shape = (rows*H + (rows-1)*pad, cols*W + (cols-1)*pad) with cols = min(C, ncols), "
            "rows = ceil(C / ncols); map i at row i // ncols, column i % ncols; each map scaled "
            "(m - min) / (max - min) on its own (constant map -> 0); separators and empty "
            "cells 1.0")
    if np.shape(got) == want.shape and not np.isnan(np.asarray(got, float)).any():
        g = np.asarray(got, dtype=np.float64)
        if g[:3, :4].max() > 1.0 or g[:3, :4].min() < 0.0:
            hint = "each map must be min-max scaled to [0, 1] on its own; " + hint
        elif not np.allclose(g[4:7, 0:4], want[4:7, 0:4]):
            hint = "maps fill the grid row by row (map i at row i // ncols); " + hint
    assert_close(got, want, name=f"feature_map_grid(maps{maps.shape}, ncols=3, pad=1)",
                 rtol=1e-12, atol=1e-12, hint=hint)
