"""Recurrent networks by hand: a tanh RNN and an LSTM, NumPy only (reference solution).

Layout and conventions are PyTorch's, so that weights copied from ``nn.RNN`` / ``nn.LSTM``
give the same numbers:

* sequences are sequence-first: ``x`` has shape (T, N, I) (``batch_first=False``);
* weights are stored (out, in): ``W_ih`` (G·H, I), ``W_hh`` (G·H, H), and there are two
  biases ``b_ih`` and ``b_hh`` (G = 1 for the RNN, 4 for the LSTM);
* the LSTM packs its four gates in the order i, f, g, o (input, forget, cell candidate,
  output) along the first axis of the weights and biases.
"""

from __future__ import annotations

import numpy as np


def make_windows(series, window):
    """Cut a 1-D series into (input window, next value) pairs.

    X[k] = series[k : k + window] and y[k] = series[k + window], for k = 0 .. L - window - 1.
    Returns X of shape (L - window, window) and y of shape (L - window,), float64.
    """
    series = np.asarray(series, dtype=np.float64)
    n = series.shape[0] - window
    X = np.stack([series[k : k + window] for k in range(n)])
    y = series[window:].copy()
    return X, y


def sigmoid(z):
    """Logistic function, numerically stable for large |z|."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run a one-layer tanh RNN over a whole sequence.

    h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)

    x (T, N, I); h0 (N, H) or None for zeros; W_ih (H, I); W_hh (H, H); b_ih, b_hh (H,).
    Returns (out, h_T): out (T, N, H) holds every h_t, h_T (N, H) is the last one.
    """
    x = np.asarray(x, dtype=np.float64)
    T, N, _ = x.shape
    H = W_hh.shape[0]
    h = np.zeros((N, H)) if h0 is None else np.asarray(h0, dtype=np.float64)
    out = np.empty((T, N, H))
    for t in range(T):
        h = np.tanh(x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
        out[t] = h
    return out, h


def lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh):
    """One LSTM step (gates packed i, f, g, o).

    x_t (N, I); h, c (N, H); W_ih (4H, I); W_hh (4H, H); b_ih, b_hh (4H,).
    Returns (h_new, c_new), each (N, H).
    """
    gates = x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    gi, gf, gg, go = np.split(gates, 4, axis=1)
    i = sigmoid(gi)
    f = sigmoid(gf)
    g = np.tanh(gg)
    o = sigmoid(go)
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    return h_new, c_new


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    """Run a one-layer LSTM over a whole sequence.

    x (T, N, I); h0, c0 (N, H) or None for zeros; weights as in :func:`lstm_cell`.
    Returns (out, h_T, c_T): out (T, N, H) holds every h_t.
    """
    x = np.asarray(x, dtype=np.float64)
    T, N, _ = x.shape
    H = W_hh.shape[1]
    h = np.zeros((N, H)) if h0 is None else np.asarray(h0, dtype=np.float64)
    c = np.zeros((N, H)) if c0 is None else np.asarray(c0, dtype=np.float64)
    out = np.empty((T, N, H))
    for t in range(T):
        h, c = lstm_cell(x[t], h, c, W_ih, W_hh, b_ih, b_hh)
        out[t] = h
    return out, h, c
