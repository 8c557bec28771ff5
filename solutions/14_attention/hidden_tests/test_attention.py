"""Hidden checks for 14_attention.

From scratch (NumPy, float64) vs PyTorch: softmax vs torch.softmax, scaled dot-product
attention vs F.scaled_dot_product_attention, multi-head attention vs nn.MultiheadAttention
with the same weights copied in (in_proj_weight = [W_q; W_k; W_v]). Library part: the
learner's use of F.scaled_dot_product_attention and nn.MultiheadAttention vs the same
functions called correctly, and their Transformer block vs nn.TransformerEncoderLayer with
copied weights (pre-norm and post-norm, dropout > 0 in eval mode, masks).

Conventions pinned here (all stated in exercises/14_attention/README.md):
- float64; batches are batch-first (N, L, E); weights stored (out, in): x @ W.T + b;
- a boolean mask is True where a query MAY attend (F.scaled_dot_product_attention's
  convention); nn.MultiheadAttention reads True as blocked, so the learner passes ~mask;
- scores are scaled by 1/√d_k with d_k the size of ONE head's query vectors;
- head k owns features k·d : (k+1)·d of the projected vectors;
- weights returned by multi-head attention are averaged over the heads by default;
- no check sends a mask with a fully blocked row (libraries disagree there).

When a value differs, the message names the most likely bug by recomputing the usual
mistakes (no scaling, softmax over the wrong axis, inverted mask, heads interleaved, ...)
and checking which one the learner's numbers match.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from grader.testing import assert_close, assert_same

# float64 on both sides, the same arithmetic in another order: errors ~1e-15.
EXACT = dict(rtol=1e-10, atol=1e-12)
# through LayerNorm, two projections and a feed-forward net: still float64.
BLOCK = dict(rtol=1e-9, atol=1e-11)

PARAM_KEYS = ("W_q", "W_k", "W_v", "W_o", "b_q", "b_k", "b_v", "b_o")


# --------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------
def _qkv(rng, batch, Lq, Lk, d_k, d_v):
    return (rng.standard_normal((*batch, Lq, d_k)), rng.standard_normal((*batch, Lk, d_k)),
            rng.standard_normal((*batch, Lk, d_v)))


def _random_mask(rng, shape, p=0.5):
    """Boolean mask (..., Lq, Lk): every row keeps at least one key AND blocks at least one,
    so that the mask and its inverse both leave something to attend to."""
    m = rng.random(shape) < p
    Lk = shape[-1]
    flat = m.reshape(-1, Lk)
    for row in flat:
        if not row.any():
            row[rng.integers(Lk)] = True
        if row.all():
            row[rng.integers(Lk)] = False
    return flat.reshape(shape)


def _causal(L):
    return np.tril(np.ones((L, L), dtype=bool))


def _params(rng, E, scale=0.4):
    p = {k: scale * rng.standard_normal((E, E)) for k in ("W_q", "W_k", "W_v", "W_o")}
    p.update({k: scale * rng.standard_normal(E) for k in ("b_q", "b_k", "b_v", "b_o")})
    return p


def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def _close(actual, expected, *, name, hint=None, **tol):
    """assert_close whose hint may be a function, called only when the values differ (the
    diagnosis recomputes several wrong variants: no need to pay for it on success)."""
    try:
        assert_close(actual, expected, name=name, hint=None if callable(hint) else hint, **tol)
    except AssertionError:
        if not callable(hint):
            raise
        try:
            text = hint()
        except Exception:  # noqa: BLE001 - a diagnosis that cannot run gives no hint
            text = None
        assert_close(actual, expected, name=name, hint=text, **tol)


def _tuple_of(result, n, name):
    assert isinstance(result, (tuple, list)) and len(result) == n, (
        f"{name} must return a tuple of {n} values, got {type(result).__name__}"
        + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""))
    return result


def _as_np(value):
    if hasattr(value, "detach"):
        value = value.detach().numpy()
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _matches(actual, candidate, rtol=1e-7, atol=1e-9):
    a, c = _as_np(actual), _as_np(candidate)
    if a is None or c is None or a.shape != c.shape:
        return False
    return bool(np.allclose(a, c, rtol=rtol, atol=atol, equal_nan=False))


# --------------------------------------------------------------------------------------
# torch, used correctly (float64)
# --------------------------------------------------------------------------------------
def _torch_sdpa(Q, K, V, mask=None):
    with torch.no_grad():
        return F.scaled_dot_product_attention(
            _t(Q), _t(K), _t(V), attn_mask=None if mask is None else _t(mask)).numpy()


def _torch_weights(Q, K, mask=None):
    """softmax(Q Kᵀ/√d_k) with blocked scores at −inf, computed by torch."""
    with torch.no_grad():
        s = _t(Q) @ _t(K).transpose(-1, -2) / np.sqrt(Q.shape[-1])
        if mask is not None:
            s = s.masked_fill(~_t(mask), float("-inf"))
        return torch.softmax(s, dim=-1).numpy()


def _torch_mha_module(p, num_heads):
    E = p["W_q"].shape[0]
    mha = nn.MultiheadAttention(E, num_heads, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(_t(np.concatenate([p["W_q"], p["W_k"], p["W_v"]])))
        mha.in_proj_bias.copy_(_t(np.concatenate([p["b_q"], p["b_k"], p["b_v"]])))
        mha.out_proj.weight.copy_(_t(p["W_o"]))
        mha.out_proj.bias.copy_(_t(p["b_o"]))
    return mha.eval()


def _torch_mha(q, k, v, p, num_heads, mask=None, average=True):
    """nn.MultiheadAttention with the same weights; course mask -> attn_mask = ~mask."""
    mha = _torch_mha_module(p, num_heads)
    with torch.no_grad():
        out, w = mha(_t(q), _t(k), _t(v), attn_mask=None if mask is None else ~_t(mask),
                     need_weights=True, average_attn_weights=average)
    return out.numpy(), w.numpy()


# --------------------------------------------------------------------------------------
# diagnosis: recompute the usual mistakes, name the one the learner's numbers match
# --------------------------------------------------------------------------------------
def _np_softmax(z, axis=-1):
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def _np_sdpa(Q, K, V, mask=None, bug=None):
    d_k = Q.shape[-1]
    scale = {"no_scale": 1.0, "scale_dk": 1.0 / d_k,
             "scale_dv": 1.0 / np.sqrt(V.shape[-1])}.get(bug, 1.0 / np.sqrt(d_k))
    s = Q @ np.swapaxes(K, -1, -2) * scale
    if mask is not None and bug not in ("mask_ignored", "mask_after"):
        s = np.where(~mask if bug == "inverted" else mask, s, -1e300)
    w = _np_softmax(s, axis=-2 if bug == "axis_q" else -1)
    if bug == "mask_after":
        w = np.where(mask, w, 0.0)
    return w @ V, w


_SDPA_BUGS = [
    ("no_scale", "the scores are not scaled: divide Q Kᵀ by √d_k (d_k = Q.shape[-1])"),
    ("scale_dk", "the scores are divided by d_k: divide by its square root, √d_k"),
    ("scale_dv", "the scores are divided by √d_v (the size of V's rows): use √d_k, the size "
                 "of the query/key vectors"),
    ("axis_q", "the softmax runs over the queries (axis −2): each ROW (one query) must sum to "
               "1 over the keys, softmax(..., axis=-1)"),
    ("inverted", "the mask is inverted: in this course True means MAY attend (the convention "
                 "of F.scaled_dot_product_attention); you blocked the True entries, which is "
                 "nn.MultiheadAttention's convention"),
    ("mask_ignored", "the mask is ignored: set the scores where mask is False to −inf (or a "
                     "very negative number) BEFORE the softmax"),
    ("mask_after", "the weights are zeroed after the softmax, so rows no longer sum to 1: mask "
                   "the scores (−inf where mask is False) before the softmax"),
]


_INVERTED_NAN = ("NaN: with the mask read the wrong way round, a row blocks every key (a "
                 "fully masked row is 0/0). In this course True means MAY attend (as "
                 "F.scaled_dot_product_attention); you blocked the True entries")


def _inverted_nan(mask, scores_shape):
    """Does inverting the mask leave some query row with nothing to attend to?"""
    return mask is not None and bool(np.any(np.all(np.broadcast_to(mask, scores_shape),
                                                   axis=-1)))


def _sdpa_hint(actual, which, Q, K, V, mask=None):
    """which = 0 (out) or 1 (weights)."""
    a = _as_np(actual)
    if a is not None and not np.all(np.isfinite(a)):
        if _inverted_nan(mask, Q.shape[:-1] + K.shape[-2:-1]):
            return _INVERTED_NAN
        return ("NaN/Inf in the result: a softmax written exp(z) / Σ exp(z) overflows for "
                "scores above ~709; subtract the row maximum first, softmax(z − max z)")
    for bug, hint in _SDPA_BUGS:
        if mask is None and bug in ("inverted", "mask_ignored", "mask_after"):
            continue
        if _matches(actual, _np_sdpa(Q, K, V, mask, bug)[which]):
            return hint
    if which == 0 and _matches(actual, _np_sdpa(Q, K, V, mask)[1]):
        return "this is the weight matrix: return (out, weights) in that order"
    return ("out = softmax(Q Kᵀ / √d_k) V; weights = softmax(Q Kᵀ / √d_k) with masked "
            "scores (mask False) at −inf before the softmax, over the LAST axis (the keys); "
            "batch axes in front: use K.swapaxes(-1, -2) (not K.T) for Kᵀ")


def _np_mha(q, k, v, p, h, mask=None, average=True, bug=None):
    E = q.shape[-1]
    d = E // h

    def proj(x, W, b):
        return x @ (W if bug == "W_not_T" else W.T) + b

    def split(x):
        N, L, _ = x.shape
        if bug == "interleaved":
            return x.reshape(N, L, d, h).transpose(0, 3, 1, 2)
        return x.reshape(N, L, h, d).transpose(0, 2, 1, 3)

    def merge(x):
        N, _, L, _ = x.shape
        if bug == "interleaved":
            return x.transpose(0, 2, 3, 1).reshape(N, L, E)
        return x.transpose(0, 2, 1, 3).reshape(N, L, E)

    Q, K, V = split(proj(q, p["W_q"], p["b_q"])), split(proj(k, p["W_k"], p["b_k"])), \
        split(proj(v, p["W_v"], p["b_v"]))
    if bug == "scale_E":
        Q = Q * np.sqrt(d / E)
    heads, w = _np_sdpa(Q, K, V, mask, bug if bug in _SDPA_BUG_NAMES else None)
    merged = merge(heads)
    out = merged if bug == "no_out_proj" else proj(merged, p["W_o"], p["b_o"])
    if average:
        w = w.sum(axis=1) if bug == "weights_sum" else w.mean(axis=1)
    return out, w


_SDPA_BUG_NAMES = {bug for bug, _ in _SDPA_BUGS}
_MHA_BUGS = [
    ("scale_E", "the scores are scaled by 1/√E (the model size): each head scales by "
                "1/√d with d = E / num_heads, the size of ONE head's vectors"),
    ("interleaved", "the heads are interleaved: head k must own the CONTIGUOUS features "
                    "k·d : (k+1)·d, i.e. reshape (N, L, E) to (N, L, h, d), then transpose "
                    "to (N, h, L, d) — not reshape to (N, L, d, h)"),
    ("W_not_T", "the projections use x @ W: weights are stored (out, in) like nn.Linear, so "
                "q = x @ W_q.T + b_q (the same for k, v and the output)"),
    ("no_out_proj", "the output projection is missing: out = merge_heads(heads) @ W_o.T + b_o"),
    ("weights_sum", "the attention weights are summed over the heads: average them (mean over "
                    "the head axis), as nn.MultiheadAttention does by default"),
] + [(bug, "inside each head: " + hint) for bug, hint in _SDPA_BUGS]


def _mha_hint(actual, which, q, k, v, p, h, mask=None, average=True):
    a = _as_np(actual)
    if a is not None and not np.all(np.isfinite(a)):
        if _inverted_nan(mask, (q.shape[0], h, q.shape[1], k.shape[1])):
            return _INVERTED_NAN
        return "NaN/Inf in the result: is your softmax stable (subtract the row maximum)?"
    if which == 1 and a is not None and average and a.ndim == 4:
        return ("these are per-head weights (N, h, Lq, Lk): with average_weights=True return "
                "their mean over the heads, shape (N, Lq, Lk)")
    if which == 1 and a is not None and not average and a.ndim == 3:
        return ("average_weights=False asks for the per-head weights, shape (N, h, Lq, Lk), "
                "not their average")
    for bug, hint in _MHA_BUGS:
        if mask is None and bug in ("inverted", "mask_ignored", "mask_after"):
            continue
        if _matches(actual, _np_mha(q, k, v, p, h, mask, average, bug)[which]):
            return hint
    return ("q = query @ W_q.T + b_q (same for k, v); split into h heads of d = E/h contiguous "
            "features, (N, h, L, d); per head softmax(q kᵀ/√d) v; merge back to (N, L, E); "
            "out = merged @ W_o.T + b_o; weights averaged over heads")


# ======================================================================================
# from scratch: softmax, masks, scaled dot-product attention
# ======================================================================================
@pytest.mark.points(1)
def test_softmax_stable(learner):
    """softmax equals torch.softmax on any axis, stays finite at scores of ±1000, gives 0 at −inf"""
    rng = np.random.default_rng(0)
    z = 3.0 * rng.standard_normal((3, 4, 5))
    for axis in (-1, 0, 1):
        with torch.no_grad():
            ref = torch.softmax(_t(z), dim=axis).numpy()
        got = learner.attention_numpy.softmax(z, axis=axis)
        hint = None
        if _matches(got, torch.softmax(_t(z), dim=-1).numpy()) and axis != -1:
            hint = "the axis argument is ignored: normalise along `axis`"
        _close(got, ref, name=f"softmax(z of shape (3, 4, 5), axis={axis}) vs torch.softmax",
               **EXACT, hint=hint or "softmax(z)_i = exp(z_i − max z) / Σ_j exp(z_j − max z) "
                                     "along `axis` (keepdims=True for the max and the sum)")
    big = np.array([[1000.0, 999.0, -1000.0, 998.5],
                    [-1000.0, -1001.0, -1002.0, -999.0],
                    [800.0, -800.0, 0.0, 750.0]])
    with torch.no_grad():
        ref = torch.softmax(_t(big), dim=-1).numpy()
    got = learner.attention_numpy.softmax(big)
    _close(got, ref, name="softmax of scores around ±1000 (default axis=-1)",
           rtol=1e-10, atol=1e-15,
           hint="exp(1000) overflows to inf (and exp(−1000) underflows to 0): subtract the "
                "maximum of each slice before np.exp — the result is mathematically the same")
    with_inf = np.array([[0.5, -np.inf, 1.5, -np.inf], [-np.inf, 2.0, -np.inf, -np.inf]])
    got = learner.attention_numpy.softmax(with_inf)
    with torch.no_grad():
        ref = torch.softmax(_t(with_inf), dim=-1).numpy()
    _close(got, ref, name="softmax of a row holding −inf entries (masked scores)",
           rtol=1e-12, atol=1e-15,
           hint="an entry at −inf must get probability exactly 0; subtracting the row "
                "maximum keeps the other entries finite")


@pytest.mark.points(1)
def test_causal_mask(learner):
    """causal_mask(L) is a boolean (L, L) mask, True where key j ≤ query i (may attend)"""
    for L in (1, 4, 7):
        got = learner.attention_numpy.causal_mask(L)
        arr = np.asarray(got)
        assert arr.dtype == np.bool_, (
            f"causal_mask({L}) has dtype {arr.dtype}: return a boolean array (dtype=bool), "
            "e.g. np.tril(np.ones((L, L), dtype=bool))")
        exp = _causal(L)
        hint = "query i may attend to keys j = 0..i (itself and the past): np.tril"
        if arr.shape == exp.shape and L > 1:
            if np.array_equal(arr, ~exp):
                hint = ("your mask is inverted: in this course True means MAY attend (the "
                        "convention of F.scaled_dot_product_attention), so the causal mask is "
                        "the lower triangle WITH the diagonal")
            elif np.array_equal(arr, np.tril(exp, -1)):
                hint = "the diagonal is missing: a token may attend to itself (j ≤ i, not j < i)"
            elif np.array_equal(arr, exp.T):
                hint = "this is the upper triangle: query i (row) may see keys j ≤ i (columns)"
        assert_same(arr, exp, name=f"causal_mask({L})", hint=hint)


@pytest.mark.points(2)
def test_sdpa_matches_torch(learner):
    """Scaled dot-product attention equals F.scaled_dot_product_attention (no mask, 3 shapes)"""
    rng = np.random.default_rng(1)
    for batch, Lq, Lk, d_k, d_v in [((), 4, 6, 8, 3), ((2,), 5, 5, 4, 4),
                                    ((2, 3), 3, 7, 6, 5)]:
        Q, K, V = _qkv(rng, batch, Lq, Lk, d_k, d_v)
        res = _tuple_of(learner.attention_numpy.scaled_dot_product_attention(Q, K, V),
                        2, "scaled_dot_product_attention")
        shape = f"Q {Q.shape}, K {K.shape}, V {V.shape}"
        _close(res[0], _torch_sdpa(Q, K, V),
               name=f"attention output for {shape} vs F.scaled_dot_product_attention",
               **EXACT, hint=lambda: _sdpa_hint(res[0], 0, Q, K, V))


@pytest.mark.points(2)
def test_sdpa_weights_rows_sum_to_one(learner):
    """The attention weights are softmax(QKᵀ/√d_k): non-negative, every row sums to 1"""
    rng = np.random.default_rng(2)
    Q, K, V = _qkv(rng, (2,), 5, 7, 6, 3)
    _, w = _tuple_of(learner.attention_numpy.scaled_dot_product_attention(Q, K, V),
                     2, "scaled_dot_product_attention")
    w = _as_np(w)
    assert w is not None, "the weights must be an array of numbers"
    assert_same(w.shape, (2, 5, 7), name="shape of the weights for Q (2, 5, 6), K (2, 7, 6)",
                hint="one weight per (query, key) pair: (..., Lq, Lk)")
    assert np.all(np.isfinite(w)), "the attention weights contain NaN or Inf"
    assert w.min() >= 0, f"an attention weight is negative ({w.min():.3g}): softmax output is ≥ 0"
    dev = np.abs(w.sum(axis=-1) - 1.0)
    if dev.max() > 1e-12:
        cols = np.abs(w.sum(axis=-2) - 1.0).max() < 1e-12
        raise AssertionError(
            f"rows of the attention matrix must sum to 1 (one query's weights over all keys); "
            f"max |row sum − 1| = {dev.max():.3g}, first at (batch, query) "
            f"{tuple(int(i) for i in np.argwhere(dev > 1e-12)[0])}"
            + (". Your COLUMNS sum to 1: the softmax runs over the queries (axis −2) instead "
               "of the keys (axis −1)" if cols else ""))
    _close(w, _torch_weights(Q, K), name="attention weights vs torch.softmax(QKᵀ/√d_k)",
           **EXACT, hint=lambda: _sdpa_hint(w, 1, Q, K, V))


@pytest.mark.points(2)
def test_sdpa_mask_honoured(learner):
    """A boolean mask (True = may attend) gives F.scaled_dot_product_attention's result and 0 weights where blocked"""
    rng = np.random.default_rng(3)
    cases = [((2,), (5, 6)), ((2,), (2, 5, 6)), ((2, 3), (1, 3, 5, 6))]
    for batch, mshape in cases:
        Q, K, V = _qkv(rng, batch, 5, 6, 4, 3)
        mask = _random_mask(rng, mshape)
        res = _tuple_of(learner.attention_numpy.scaled_dot_product_attention(Q, K, V, mask=mask),
                        2, "scaled_dot_product_attention")
        label = f"Q {Q.shape}, mask {mask.shape}"
        _close(res[0], _torch_sdpa(Q, K, V, mask),
               name=f"masked attention output ({label}) vs F.scaled_dot_product_attention"
                    "(attn_mask=mask)",
               **EXACT, hint=lambda: _sdpa_hint(res[0], 0, Q, K, V, mask))
        w = _as_np(res[1])
        full = np.broadcast_to(mask, w.shape) if w is not None and w.ndim >= 2 else None
        if full is not None and w.shape == (*batch, 5, 6):
            leak = float(np.max(np.where(full, 0.0, np.abs(w))))
            assert leak <= 1e-12, (
                f"attention weight {leak:.3g} where the mask is False ({label}): blocked keys "
                "must get weight exactly 0. " + _sdpa_hint(w, 1, Q, K, V, mask))
        _close(w, _torch_weights(Q, K, mask), name=f"masked attention weights ({label})",
               **EXACT, hint=lambda: _sdpa_hint(w, 1, Q, K, V, mask))


@pytest.mark.points(1)
def test_sdpa_causal(learner, reference):
    """With a causal mask, attention equals F.scaled_dot_product_attention(is_causal=True)"""
    rng = np.random.default_rng(4)
    L = 6
    Q, K, V = _qkv(rng, (3,), L, L, 4, 2)
    mask = reference.attention_numpy.causal_mask(L)
    out, w = _tuple_of(learner.attention_numpy.scaled_dot_product_attention(Q, K, V, mask=mask),
                       2, "scaled_dot_product_attention")
    with torch.no_grad():
        ref = F.scaled_dot_product_attention(_t(Q), _t(K), _t(V), is_causal=True).numpy()
    _close(out, ref, name="causal attention output vs F.scaled_dot_product_attention("
           "is_causal=True)", **EXACT, hint=lambda: _sdpa_hint(out, 0, Q, K, V, mask))
    _close(np.asarray(out)[:, 0], V[:, 0], name="output of the first query (it may only "
           "see key 0, so it must equal V[..., 0, :])", **EXACT,
           hint="query 0 sees only key 0: its weight on key 0 is 1")
    w = _as_np(w)
    upper = np.triu(np.ones((L, L), dtype=bool), 1)
    assert w is not None and w.shape == (3, L, L), f"weights shape {getattr(w, 'shape', None)}, expected (3, {L}, {L})"
    assert np.max(np.abs(w[:, upper])) <= 1e-12, (
        f"causal weights above the diagonal (the future) must be 0, max is "
        f"{np.max(np.abs(w[:, upper])):.3g}. " + _sdpa_hint(w, 1, Q, K, V, mask))


@pytest.mark.points(1)
def test_sdpa_large_scores(learner):
    """Attention stays finite and exact when the scores reach ±1000 or more"""
    rng = np.random.default_rng(5)
    Q, K, V = _qkv(rng, (2,), 4, 5, 4, 3)
    Q, K = 25.0 * Q, 25.0 * K            # scores QKᵀ/√d_k of order ±1000
    mask = _random_mask(rng, (4, 5), p=0.7)
    for m in (None, mask):
        res = _tuple_of(learner.attention_numpy.scaled_dot_product_attention(Q, K, V, mask=m),
                        2, "scaled_dot_product_attention")
        label = "no mask" if m is None else "with a mask"
        for k, ref, what in ((0, _torch_sdpa(Q, K, V, m), "output"),
                             (1, _torch_weights(Q, K, m), "weights")):
            _close(res[k], ref, name=f"attention {what} with scores up to "
                   f"{np.abs(Q @ np.swapaxes(K, -1, -2)).max() / 2:.0f} ({label})",
                   rtol=1e-9, atol=1e-12, hint=lambda: _sdpa_hint(res[k], k, Q, K, V, m))


# ======================================================================================
# from scratch: multi-head attention
# ======================================================================================
@pytest.mark.points(1)
def test_split_and_merge_heads(learner, reference):
    """split_heads / merge_heads give the reference's (N, h, L, d) layout and undo each other"""
    rng = np.random.default_rng(6)
    X = rng.standard_normal((2, 5, 12))
    for h in (1, 3, 4):
        got = learner.attention_numpy.split_heads(X, h)
        exp = reference.attention_numpy.split_heads(X, h)
        hint = "head k owns the contiguous features k·d:(k+1)·d: X.reshape(N, L, h, d).transpose(0, 2, 1, 3)"
        g = _as_np(got)
        if g is not None and g.shape == exp.shape and h > 1 and np.array_equal(
                g, X.reshape(2, 5, 12 // h, h).transpose(0, 3, 1, 2)):
            hint = ("your heads are interleaved (head k gets features k, k+h, k+2h, ...): "
                    "reshape to (N, L, h, d), not (N, L, d, h)")
        _close(got, exp, name=f"split_heads(X of shape (2, 5, 12), num_heads={h})",
               rtol=0, atol=0, hint=hint)
        Y = rng.standard_normal((2, h, 5, 12 // h))
        _close(learner.attention_numpy.merge_heads(Y), reference.attention_numpy.merge_heads(Y),
               name=f"merge_heads(Y of shape {Y.shape})", rtol=0, atol=0,
               hint="merge_heads is the inverse of split_heads: transpose to (N, L, h, d), "
                    "then reshape to (N, L, h·d)")
        back = learner.attention_numpy.merge_heads(learner.attention_numpy.split_heads(X, h))
        _close(back, X, name=f"merge_heads(split_heads(X, {h})) (must give X back)",
               rtol=0, atol=0)


@pytest.mark.points(3)
def test_mha_matches_torch(learner):
    """Multi-head attention equals nn.MultiheadAttention with copied weights (self- and cross-attention)"""
    rng = np.random.default_rng(7)
    for N, Lq, Lk, E, h, cross in [(2, 5, 5, 8, 2, False), (2, 3, 6, 12, 3, True),
                                   (1, 4, 4, 6, 1, False)]:
        p = _params(rng, E)
        q = rng.standard_normal((N, Lq, E))
        k = rng.standard_normal((N, Lk, E)) if cross else q
        v = rng.standard_normal((N, Lk, E)) if cross else q
        out_ref, w_ref = _torch_mha(q, k, v, p, h)
        res = _tuple_of(learner.attention_numpy.multi_head_attention(q, k, v, p, h),
                        2, "multi_head_attention")
        label = (f"{'cross' if cross else 'self'}-attention, N={N}, Lq={Lq}, Lk={Lk}, E={E}, "
                 f"num_heads={h}")
        _close(res[0], out_ref, name=f"multi-head output ({label}) vs nn.MultiheadAttention",
               **EXACT, hint=lambda: _mha_hint(res[0], 0, q, k, v, p, h))
        _close(res[1], w_ref, name=f"head-averaged attention weights ({label}) vs "
               "nn.MultiheadAttention", **EXACT, hint=lambda: _mha_hint(res[1], 1, q, k, v, p, h))


@pytest.mark.points(2)
def test_mha_mask_and_per_head_weights(learner):
    """Masked multi-head attention and its per-head weights equal nn.MultiheadAttention(attn_mask=~mask)"""
    rng = np.random.default_rng(8)
    N, L, E, h = 2, 6, 8, 4
    p = _params(rng, E)
    x = rng.standard_normal((N, L, E))
    for mask, label in ((_causal(L), "causal mask"), (_random_mask(rng, (L, L)), "random mask")):
        for average in (True, False):
            out_ref, w_ref = _torch_mha(x, x, x, p, h, mask, average)
            res = _tuple_of(learner.attention_numpy.multi_head_attention(
                x, x, x, p, h, mask=mask, average_weights=average), 2, "multi_head_attention")
            what = f"{label}, average_weights={average}"
            _close(res[0], out_ref, name=f"multi-head output ({what})", **EXACT,
                   hint=lambda: _mha_hint(res[0], 0, x, x, x, p, h, mask, average))
            _close(res[1], w_ref, name=f"attention weights ({what}) vs nn.MultiheadAttention"
                   f"(average_attn_weights={average})", **EXACT,
                   hint=lambda: _mha_hint(res[1], 1, x, x, x, p, h, mask, average))


# ======================================================================================
# library: F.scaled_dot_product_attention and nn.MultiheadAttention used correctly
# ======================================================================================
@pytest.mark.points(1)
def test_sdpa_torch_mask_convention(learner):
    """sdpa_torch passes the course mask to F.scaled_dot_product_attention unchanged (True = may attend)"""
    rng = np.random.default_rng(9)
    Q, K, V = _qkv(rng, (2, 2), 5, 6, 4, 3)
    for mask, label in ((None, "no mask"), (_random_mask(rng, (5, 6)), "random mask (5, 6)"),
                        (np.tril(np.ones((5, 6), dtype=bool)), "causal mask (5, 6)")):
        got = learner.transformer_block_torch.sdpa_torch(
            _t(Q), _t(K), _t(V), None if mask is None else _t(mask))

        def hint(got=got, mask=mask):
            if mask is not None and _matches(got, _torch_sdpa(Q, K, V, ~mask)):
                return ("you inverted the mask: F.scaled_dot_product_attention's boolean "
                        "attn_mask ALREADY means True = may attend (only nn.MultiheadAttention's "
                        "is the other way round)")
            return "call F.scaled_dot_product_attention(Q, K, V, attn_mask=mask): same convention"

        _close(got, _torch_sdpa(Q, K, V, mask), name=f"sdpa_torch output ({label})", **EXACT,
               hint=hint)


def _mha_info(mha):
    import torch.nn as nn

    info = {"type": type(mha).__name__}
    if isinstance(mha, nn.MultiheadAttention):
        info.update(
            embed_dim=int(mha.embed_dim), num_heads=int(mha.num_heads),
            batch_first=bool(mha.batch_first), dropout=float(mha.dropout),
            dtype=str(mha.out_proj.weight.dtype),
            packed=mha.in_proj_weight is not None,
            in_proj_weight=None if mha.in_proj_weight is None
            else mha.in_proj_weight.detach().double().numpy(),
            in_proj_bias=None if mha.in_proj_bias is None
            else mha.in_proj_bias.detach().double().numpy(),
            out_w=mha.out_proj.weight.detach().double().numpy(),
            out_b=None if mha.out_proj.bias is None else mha.out_proj.bias.detach().double().numpy())
    return info


def _packing_hint(got, p):
    g = _as_np(got)
    if g is None or g.shape != (3 * p["W_q"].shape[0], p["W_q"].shape[1]):
        return "in_proj_weight is (3E, E): torch.cat([W_q, W_k, W_v]) along dim 0"
    names = {"q": p["W_q"], "k": p["W_k"], "v": p["W_v"]}
    for order in itertools.permutations("qkv"):
        if "".join(order) != "qkv" and np.allclose(g, np.concatenate([names[o] for o in order])):
            return (f"the blocks are packed in the order ({', '.join(order)}): "
                    "in_proj_weight = [W_q; W_k; W_v] (q first, then k, then v)")
    if np.allclose(g, np.concatenate([names[o].T for o in "qkv"])):
        return ("the blocks are transposed: W_q, W_k, W_v are already stored (out, in), copy them "
                "as they are: torch.cat([W_q, W_k, W_v])")
    return "in_proj_weight = torch.cat([W_q, W_k, W_v]) (dim 0), in_proj_bias likewise"


@pytest.mark.points(2)
def test_make_mha_packs_weights(learner):
    """make_mha returns nn.MultiheadAttention(batch_first=True) with in_proj_weight = [W_q; W_k; W_v]"""
    rng = np.random.default_rng(10)
    E, h = 6, 2
    p = _params(rng, E)
    mha = learner.transformer_block_torch.make_mha({k: _t(v) for k, v in p.items()}, h)
    info = learner.probe(_mha_info, mha)
    assert_same(info["type"], "MultiheadAttention", name="type returned by make_mha",
                hint="return the nn.MultiheadAttention module itself")
    assert_same([info["embed_dim"], info["num_heads"]], [E, h],
                name="[embed_dim, num_heads] of the module",
                hint="nn.MultiheadAttention(E, num_heads, ...) with E = W_q.shape[0]")
    assert_same(info["batch_first"], True, name="batch_first of the module",
                hint="inputs are (N, L, E): nn.MultiheadAttention defaults to batch_first=False "
                     "(L, N, E), so pass batch_first=True")
    assert_same(info["dtype"], "torch.float64", name="dtype of the module's weights",
                hint="build it in the weights' dtype: nn.MultiheadAttention(..., "
                     "dtype=params['W_q'].dtype), else the float64 weights are rounded to float32")
    assert_same(info["dropout"], 0.0, name="dropout of the module", hint="dropout 0 (the default)")
    assert info["packed"], ("in_proj_weight is None: with equal query/key/value sizes (the "
                            "default kdim = vdim = embed_dim) torch packs the three projections")
    _close(info["in_proj_weight"], np.concatenate([p["W_q"], p["W_k"], p["W_v"]]),
           name="in_proj_weight (3E, E)", rtol=0, atol=0,
           hint=lambda: _packing_hint(info["in_proj_weight"], p))
    _close(info["in_proj_bias"], np.concatenate([p["b_q"], p["b_k"], p["b_v"]]),
           name="in_proj_bias (3E,)", rtol=0, atol=0,
           hint="in_proj_bias = torch.cat([b_q, b_k, b_v])")
    _close(info["out_w"], p["W_o"], name="out_proj.weight", rtol=0, atol=0,
           hint="out_proj.weight is W_o, as it is (out, in)")
    _close(info["out_b"], p["b_o"], name="out_proj.bias", rtol=0, atol=0)


def _build_mha(p, num_heads):
    """A correct nn.MultiheadAttention in the sandbox, so mha_forward is checked on its own."""
    import numpy as np
    import torch
    from torch import nn

    E = p["W_q"].shape[0]
    mha = nn.MultiheadAttention(E, num_heads, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.from_numpy(np.concatenate([p["W_q"], p["W_k"], p["W_v"]])))
        mha.in_proj_bias.copy_(torch.from_numpy(np.concatenate([p["b_q"], p["b_k"], p["b_v"]])))
        mha.out_proj.weight.copy_(torch.from_numpy(p["W_o"]))
        mha.out_proj.bias.copy_(torch.from_numpy(p["b_o"]))
    return mha.eval()


@pytest.mark.points(2)
def test_mha_forward_converts_mask(learner):
    """mha_forward converts the course mask for nn.MultiheadAttention (True = blocked there) and returns head-averaged weights"""
    rng = np.random.default_rng(11)
    N, Lq, Lk, E, h = 2, 5, 6, 8, 2
    p = _params(rng, E)
    mha = learner.probe(_build_mha, p, h)
    q, k, v = (rng.standard_normal((N, Lq, E)), rng.standard_normal((N, Lk, E)),
               rng.standard_normal((N, Lk, E)))
    for mask, label in ((None, "no mask"), (np.tril(np.ones((Lq, Lk), dtype=bool)), "causal mask"),
                        (_random_mask(rng, (Lq, Lk)), "random mask")):
        res = _tuple_of(learner.transformer_block_torch.mha_forward(
            mha, _t(q), _t(k), _t(v), None if mask is None else _t(mask)), 2, "mha_forward")
        out_ref, w_ref = _torch_mha(q, k, v, p, h, mask)
        _close(res[0], out_ref, name=f"mha_forward output ({label})", **EXACT,
               hint=lambda: _mask_hint(res[0], q, k, v, p, h, mask))
        _close(res[1], w_ref, name=f"mha_forward weights ({label})", **EXACT,
               hint=lambda: _weights_hint(res[1], (N, h, Lq, Lk)))


def _mask_hint(out, q, k, v, p, h, mask):
    out = _as_np(out)
    if mask is not None:
        if out is not None and not np.all(np.isfinite(out)):
            return ("NaN in the output: a query row is fully blocked. nn.MultiheadAttention's "
                    "boolean attn_mask means True = BLOCKED, the opposite of the course mask: "
                    "pass attn_mask=~mask")
        if _matches(out, _torch_mha(q, k, v, p, h, ~mask)[0]):
            return ("the mask reached nn.MultiheadAttention unconverted: there True means "
                    "BLOCKED, the opposite of the course mask; pass attn_mask=~mask")
    return "attn_mask = ~mask (None stays None); out, w = mha(query, key, value, attn_mask=...)"


def _weights_hint(w, per_head_shape):
    if w is None:
        return "the weights are None: call mha(..., need_weights=True) (the default)"
    a = _as_np(w)
    if a is not None and a.shape == per_head_shape:
        return ("these are per-head weights: nn.MultiheadAttention averages them over the "
                "heads by default (average_attn_weights=True), shape (N, Lq, Lk)")
    return "return the weights nn.MultiheadAttention gives by default (need_weights=True)"


# ======================================================================================
# library: the Transformer block
# ======================================================================================
def _block_info(block):
    import torch.nn as nn

    def kind(name):
        return type(getattr(block, name, None)).__name__

    info = {"is_module": isinstance(block, nn.Module),
            "types": {n: kind(n) for n in ("self_attn", "linear1", "linear2", "norm1", "norm2")},
            "keys": sorted(block.state_dict().keys()) if isinstance(block, nn.Module) else []}
    a = getattr(block, "self_attn", None)
    if isinstance(a, nn.MultiheadAttention):
        info["attn"] = [int(a.embed_dim), int(a.num_heads), bool(a.batch_first)]
    for n in ("linear1", "linear2"):
        m = getattr(block, n, None)
        if isinstance(m, nn.Linear):
            info[n] = [int(m.in_features), int(m.out_features)]
    for n in ("norm1", "norm2"):
        m = getattr(block, n, None)
        if isinstance(m, nn.LayerNorm):
            info[n] = [list(m.normalized_shape), float(m.eps)]
    return info


def _ref_layer(d_model, h, d_ff, dropout, norm_first, seed):
    """nn.TransformerEncoderLayer with non-trivial weights (LayerNorm ones/zeros perturbed)."""
    torch.manual_seed(seed)
    layer = nn.TransformerEncoderLayer(d_model, h, d_ff, dropout=dropout, batch_first=True,
                                       norm_first=norm_first, dtype=torch.float64)
    with torch.no_grad():
        for prm in layer.parameters():
            prm.add_(0.2 * torch.randn_like(prm))
    return layer.eval()


def _prepare_block(block, sd):
    import torch

    try:
        block.double()
        block.load_state_dict({k: torch.as_tensor(v) for k, v in sd.items()})
        block.eval()
    except Exception as exc:  # reported by the check
        return f"{type(exc).__name__}: {exc}"[:600]
    return None


def _learner_block(learner, d_model, h, d_ff, dropout, norm_first, seed):
    layer = _ref_layer(d_model, h, d_ff, dropout, norm_first, seed)
    sd = {k: v.detach().numpy().copy() for k, v in layer.state_dict().items()}
    block = learner.transformer_block_torch.TransformerBlock(
        d_model, h, d_ff, dropout=dropout, norm_first=norm_first)
    err = learner.probe(_prepare_block, block, sd)
    assert err is None, ("could not load nn.TransformerEncoderLayer's weights into your "
                         f"TransformerBlock with load_state_dict (keys {sorted(sd)}); make the "
                         f"submodules self_attn, linear1, linear2, norm1, norm2: {err}")
    return block, layer


def _functional_block(layer, x, mask, norm_first, bug=None, grad=False):
    """The block recomputed from the layer's weights, optionally with a known mistake.

    A fully blocked row (an unconverted causal mask) gives NaN under torch.no_grad() (MHA's
    fast path) but zeros with autograd on: ``grad`` picks which one to reproduce."""
    a = layer.self_attn

    def attn(z):
        m = None
        if mask is not None and bug != "mask_ignored":
            m = _t(mask) if bug == "mask_unconverted" else ~_t(mask)
        return a(z, z, z, attn_mask=m, need_weights=False)[0]

    def ff(z):
        act = F.gelu if bug == "gelu" else F.relu
        return layer.linear2(act(layer.linear1(z)))

    n1, n2 = layer.norm1, layer.norm2
    res = 0.0 if bug == "no_residual" else 1.0
    with torch.set_grad_enabled(grad):
        if norm_first:
            x = res * x + attn(n1(x))
            x = res * x + ff(n2(x))
            if bug == "final_norm":
                x = n2(x)
        else:
            x = n1(res * x + attn(x))
            x = n2(res * x + ff(x))
    return x.detach().numpy()


def _block_hint(got, layer, x, mask, norm_first, again=None):
    g = _as_np(got)
    if g is None:
        return "forward must return a tensor (N, L, d_model)"
    if again is not None and not _matches(got, again, rtol=0, atol=0):
        return ("two calls on the same input in eval mode gave different outputs: dropout is "
                "still active. Use nn.Dropout modules (model.eval() switches them off) or "
                "F.dropout(x, p, training=self.training)")
    if not np.all(np.isfinite(g)) and mask is not None:
        return ("NaN in the output with a mask: a row is fully blocked. nn.MultiheadAttention's "
                "boolean attn_mask means True = BLOCKED, the opposite of the course mask: pass "
                "attn_mask=~mask")
    if _matches(got, _functional_block(layer, x, mask, not norm_first)):
        return (f"your block is {'post' if norm_first else 'pre'}-norm, but norm_first="
                f"{norm_first} asks for {'pre' if norm_first else 'post'}-norm: pre-norm is "
                "x + sublayer(norm(x)), post-norm is norm(x + sublayer(x))")
    for bug, hint in (
            ("mask_unconverted", "the mask reached nn.MultiheadAttention unconverted: there "
                                 "True means BLOCKED; pass attn_mask=~mask"),
            ("mask_ignored", "the mask is not passed to self_attn (attn_mask=~mask)"),
            ("no_residual", "the residual connections are missing: add the sublayer's input "
                            "back, x + sublayer(...)"),
            ("gelu", "the feed-forward uses GELU: use ReLU, linear2(relu(linear1(x)))"),
            ("final_norm", "an extra LayerNorm is applied at the end: a pre-norm block returns "
                           "x + ff(norm2(x)) as it is")):
        if mask is None and bug.startswith("mask"):
            continue
        if any(_matches(got, _functional_block(layer, x, mask, norm_first, bug, grad))
               for grad in ((False, True) if bug == "mask_unconverted" else (False,))):
            return hint
    return ("pre-norm: x = x + attn(norm1(x)); x = x + ff(norm2(x)). post-norm: x = norm1(x + "
            "attn(x)); x = norm2(x + ff(x)). ff(x) = linear2(relu(linear1(x))); attn(x) = "
            "self_attn(x, x, x, attn_mask=~mask)[0]")


@pytest.mark.points(1)
def test_block_structure(learner):
    """TransformerBlock holds self_attn (batch_first), linear1, linear2, norm1, norm2 — nn.TransformerEncoderLayer's names"""
    block = learner.transformer_block_torch.TransformerBlock(8, 2, 16, dropout=0.1, norm_first=True)
    info = learner.probe(_block_info, block)
    assert info["is_module"], "TransformerBlock must subclass nn.Module"
    assert_same(info["types"], {"self_attn": "MultiheadAttention", "linear1": "Linear",
                                "linear2": "Linear", "norm1": "LayerNorm", "norm2": "LayerNorm"},
                name="types of the submodules self_attn, linear1, linear2, norm1, norm2",
                hint="self.self_attn = nn.MultiheadAttention(...), self.linear1 = nn.Linear(d_model, "
                     "d_ff), self.linear2 = nn.Linear(d_ff, d_model), self.norm1/norm2 = "
                     "nn.LayerNorm(d_model)")
    assert_same(info["attn"], [8, 2, True], name="self_attn [embed_dim, num_heads, batch_first]",
                hint="the block takes (N, L, d_model): nn.MultiheadAttention(d_model, num_heads, "
                     "dropout=dropout, batch_first=True) — batch_first defaults to False")
    assert_same([info["linear1"], info["linear2"]], [[8, 16], [16, 8]],
                name="[linear1, linear2] as [in_features, out_features]",
                hint="the feed-forward goes d_model → d_ff → d_model")
    for n in ("norm1", "norm2"):
        assert_same(info[n][0], [8], name=f"{n}.normalized_shape",
                    hint="nn.LayerNorm(d_model): normalise over the last axis, d_model features")
        assert_same(info[n][1], 1e-5, name=f"{n}.eps",
                    hint="keep LayerNorm's default eps=1e-5 (nn.TransformerEncoderLayer's)")
    expected_keys = sorted(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True).state_dict())
    assert_same(info["keys"], expected_keys, name="state_dict keys of TransformerBlock",
                hint="exactly nn.TransformerEncoderLayer's parameters: no extra learnable "
                     "parameters, no other names")


@pytest.mark.points(3)
def test_block_matches_encoder_layer(learner):
    """TransformerBlock equals nn.TransformerEncoderLayer (pre- and post-norm, dropout 0.2 in eval mode)"""
    rng = np.random.default_rng(12)
    x = _t(rng.standard_normal((2, 5, 8)))
    for norm_first, seed in ((True, 0), (False, 1)):
        block, layer = _learner_block(learner, 8, 2, 16, 0.2, norm_first, seed)
        with torch.no_grad():
            expected = layer(x).numpy()
        got, again = block(x), block(x)
        _close(got, expected, name=f"TransformerBlock(norm_first={norm_first}, dropout=0.2) "
               "in eval mode vs nn.TransformerEncoderLayer, x of shape (2, 5, 8)", **BLOCK,
               hint=lambda: _block_hint(got, layer, x, None, norm_first, again))


@pytest.mark.points(2)
def test_block_with_masks(learner):
    """TransformerBlock honours the course mask: equal to nn.TransformerEncoderLayer(src_mask=~mask)"""
    rng = np.random.default_rng(13)
    L = 6
    x = _t(rng.standard_normal((3, L, 8)))
    for norm_first, seed in ((True, 2), (False, 3)):
        block, layer = _learner_block(learner, 8, 4, 12, 0.0, norm_first, seed)
        for mask, label in ((_causal(L), "causal mask"), (_random_mask(rng, (L, L)), "random mask")):
            with torch.no_grad():
                expected = layer(x, src_mask=~_t(mask)).numpy()
            got = block(x, _t(mask))
            _close(got, expected, name=f"TransformerBlock(norm_first={norm_first}) with a "
                   f"{label} vs nn.TransformerEncoderLayer(src_mask=~mask)", **BLOCK,
                   hint=lambda: _block_hint(got, layer, x, mask, norm_first))


@pytest.mark.points(1)
def test_block_causal_no_lookahead(learner):
    """With a causal mask, changing future tokens leaves the block's earlier outputs unchanged"""
    rng = np.random.default_rng(14)
    L, t0 = 7, 4
    block, _ = _learner_block(learner, 8, 2, 16, 0.0, True, 4)
    x = rng.standard_normal((2, L, 8))
    x2 = x.copy()
    x2[:, t0:] = rng.standard_normal((2, L - t0, 8))
    mask = _t(_causal(L))
    y1, y2 = _as_np(block(_t(x), mask)), _as_np(block(_t(x2), mask))
    assert y1 is not None and y1.shape == x.shape, (
        f"the block's output has shape {getattr(y1, 'shape', None)}, expected {x.shape}")
    assert np.all(np.isfinite(y1)), (
        "NaN in the output with the causal mask: the last query row is fully blocked. "
        "nn.MultiheadAttention's boolean attn_mask means True = BLOCKED: pass ~mask")
    diff = float(np.max(np.abs(y1[:, :t0] - y2[:, :t0])))
    assert diff <= 1e-12, (
        f"only tokens {t0}..{L - 1} changed, yet the outputs at positions 0..{t0 - 1} moved by up "
        f"to {diff:.3g}: position i must see only tokens j ≤ i. Pass the mask to self_attn "
        "converted (attn_mask=~mask) in every attention call")
    moved = float(np.max(np.abs(y1[:, t0:] - y2[:, t0:])))
    assert moved > 1e-6, ("the outputs at the changed positions did not move: does the block "
                          "use its input?")
