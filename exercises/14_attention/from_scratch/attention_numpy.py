"""Attention by hand, NumPy only.

Conventions (see README.md): float64 arrays; batches are batch-first, (N, L, E); a boolean
mask is True where a query MAY attend to a key; scores are scaled by 1/√d_k; projection
weights are stored (out, in) like nn.Linear (q = x @ W_q.T + b_q); head k owns the features
k·d : (k+1)·d of the projected vectors (d = E / num_heads).
"""

from __future__ import annotations

import numpy as np


def softmax(z, axis=-1):
    """Numerically stable softmax along `axis`.

    z: array of any shape. Returns an array of the same shape, non-negative, summing to 1
    along `axis`. Must stay finite for scores of ±1000 and give exactly 0 where z is -inf
    (as long as the slice holds one finite entry).
    """
    raise NotImplementedError("softmax: see README.md")


def causal_mask(L):
    """Boolean mask of shape (L, L): mask[i, j] is True where query i may attend to key j,
    i.e. j <= i (itself and the past)."""
    raise NotImplementedError("causal_mask: see README.md")


def scaled_dot_product_attention(Q, K, V, mask=None):
    """softmax(Q Kᵀ / √d_k) V with an optional boolean mask (True = may attend).

    Q: (..., Lq, d_k).  K: (..., Lk, d_k).  V: (..., Lk, d_v).  Any leading batch axes.
    mask: None, or a boolean array broadcastable to (..., Lq, Lk).
    Returns (out, weights): out (..., Lq, d_v), weights (..., Lq, Lk) (each row sums to 1).
    """
    raise NotImplementedError("scaled_dot_product_attention: see README.md")


def split_heads(X, num_heads):
    """(N, L, E) -> (N, num_heads, L, E // num_heads).

    Head k gets the contiguous features k·d : (k+1)·d, d = E // num_heads.
    """
    raise NotImplementedError("split_heads: see README.md")


def merge_heads(X):
    """(N, h, L, d) -> (N, L, h·d): the inverse of split_heads."""
    raise NotImplementedError("merge_heads: see README.md")


def multi_head_attention(query, key, value, params, num_heads, mask=None,
                         average_weights=True):
    """Multi-head attention, as nn.MultiheadAttention(E, num_heads, batch_first=True).

    query: (N, Lq, E).  key, value: (N, Lk, E).
    params: dict of float64 arrays "W_q", "W_k", "W_v", "W_o" (E, E) and
            "b_q", "b_k", "b_v", "b_o" (E,).
    mask: None or boolean (Lq, Lk), True = may attend (the same for every batch and head).
    Returns (out, weights): out (N, Lq, E); weights (N, Lq, Lk), averaged over the heads,
    or (N, num_heads, Lq, Lk) when average_weights is False.
    """
    raise NotImplementedError("multi_head_attention: see README.md")
