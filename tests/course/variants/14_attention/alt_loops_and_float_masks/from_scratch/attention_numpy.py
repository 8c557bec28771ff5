"""Alternative correct solution: log-sum-exp softmax, a large negative fill for masked
scores, einsum, and multi-head attention as a loop over explicit head slices."""

import numpy as np


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    lse = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return np.exp(z - lse)


def causal_mask(L):
    i = np.arange(L)
    return i[None, :] <= i[:, None]


def scaled_dot_product_attention(Q, K, V, mask=None):
    scores = np.einsum("...qd,...kd->...qk", Q, K) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    w = softmax(scores)
    return np.einsum("...qk,...kd->...qd", w, V), w


def split_heads(X, num_heads):
    d = X.shape[-1] // num_heads
    return np.stack([X[:, :, k * d:(k + 1) * d] for k in range(num_heads)], axis=1)


def merge_heads(X):
    return np.concatenate([X[:, k] for k in range(X.shape[1])], axis=-1)


def multi_head_attention(query, key, value, params, num_heads, mask=None,
                         average_weights=True):
    E = query.shape[-1]
    d = E // num_heads
    outs, ws = [], []
    for k in range(num_heads):
        rows = slice(k * d, (k + 1) * d)
        q = query @ params["W_q"][rows].T + params["b_q"][rows]
        kk = key @ params["W_k"][rows].T + params["b_k"][rows]
        v = value @ params["W_v"][rows].T + params["b_v"][rows]
        o, w = scaled_dot_product_attention(q, kk, v, mask)
        outs.append(o)
        ws.append(w)
    out = np.concatenate(outs, axis=-1) @ params["W_o"].T + params["b_o"]
    w = np.stack(ws, axis=1)
    return out, (w.mean(axis=1) if average_weights else w)
