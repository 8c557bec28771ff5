"""Attention by hand, NumPy only (reference solution).

Conventions (see README.md):

* float64 arrays; a batch of sequences is batch-first, (N, L, E);
* a boolean mask says where a query MAY attend: ``mask[i, j] = True`` lets query i look at
  key j (as ``F.scaled_dot_product_attention``; ``nn.MultiheadAttention`` uses the opposite);
* scores are scaled by 1/√d_k, d_k the size of one query/key vector (of one head);
* projection weights are stored (out, in) like ``nn.Linear``: ``q = x @ W_q.T + b_q``;
* head k owns the features ``k·d : (k+1)·d`` of the projected vectors (d = E / num_heads).
"""

from __future__ import annotations

import numpy as np


def softmax(z, axis=-1):
    """Numerically stable softmax along ``axis``: subtract the maximum before exponentiating.

    Entries equal to -inf get probability 0 (as long as one entry of the slice is finite).
    """
    z = np.asarray(z, dtype=np.float64)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def causal_mask(L):
    """(L, L) boolean mask, True where key j may be seen by query i, i.e. j <= i."""
    return np.tril(np.ones((L, L), dtype=bool))


def scaled_dot_product_attention(Q, K, V, mask=None):
    """softmax(Q Kᵀ / √d_k) V, with an optional boolean mask (True = may attend).

    Q (..., Lq, d_k), K (..., Lk, d_k), V (..., Lk, d_v); mask broadcastable to
    (..., Lq, Lk). Returns (out (..., Lq, d_v), weights (..., Lq, Lk)).
    """
    Q = np.asarray(Q, dtype=np.float64)
    K = np.asarray(K, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    d_k = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights


def split_heads(X, num_heads):
    """(N, L, E) -> (N, num_heads, L, E // num_heads); head k gets features k·d:(k+1)·d."""
    N, L, E = X.shape
    return X.reshape(N, L, E // num_heads, num_heads).transpose(0, 3, 1, 2)


def merge_heads(X):
    """(N, h, L, d) -> (N, L, h·d): the inverse of :func:`split_heads`."""
    N, h, L, d = X.shape
    return X.transpose(0, 2, 3, 1).reshape(N, L, h * d)


def multi_head_attention(query, key, value, params, num_heads, mask=None,
                         average_weights=True):
    """Multi-head attention, as ``nn.MultiheadAttention(E, num_heads, batch_first=True)``.

    query (N, Lq, E); key, value (N, Lk, E); params: dict of float64 arrays W_q, W_k, W_v,
    W_o (E, E) and b_q, b_k, b_v, b_o (E,); mask (Lq, Lk) boolean, True = may attend.
    Returns (out (N, Lq, E), weights): weights (N, Lq, Lk) averaged over the heads, or
    (N, num_heads, Lq, Lk) when ``average_weights`` is False.
    """
    q = query @ params["W_q"].T + params["b_q"]
    k = key @ params["W_k"].T + params["b_k"]
    v = value @ params["W_v"].T + params["b_v"]
    heads, weights = scaled_dot_product_attention(
        split_heads(q, num_heads), split_heads(k, num_heads), split_heads(v, num_heads),
        mask=mask)
    out = merge_heads(heads) @ params["W_o"].T + params["b_o"]
    if average_weights:
        weights = weights.mean(axis=1)
    return out, weights
