"""Recurrent networks by hand: a tanh RNN and an LSTM, NumPy only.

Conventions (see README.md): float64; sequences are sequence-first, x of shape (T, N, I);
weights stored (out, in) as in torch, W_ih (G·H, I), W_hh (G·H, H), two biases b_ih and
b_hh (G = 1 for the RNN, 4 for the LSTM); LSTM gates packed (i, f, g, o).
"""

from __future__ import annotations

import numpy as np


def make_windows(series, window):
    """Cut a 1-D series into (input window, next value) pairs.

    series: array of length L.  window: int, 1 <= window < L.
    Returns (X, y): X (L - window, window) with X[k] = series[k : k + window],
    y (L - window,) with y[k] = series[k + window]. float64.
    """
    raise NotImplementedError("make_windows: see README.md")


def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), elementwise.

    A helper for the LSTM (not checked on its own). It must stay finite and exact for
    |z| >= 1000: never exponentiate a large positive number.
    """
    raise NotImplementedError("sigmoid: see README.md")


def rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run a one-layer tanh RNN over a whole sequence.

    h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)

    x: (T, N, I).  h0: (N, H), or None for a zero initial state.
    W_ih: (H, I).  W_hh: (H, H).  b_ih, b_hh: (H,).
    Returns (out, h_T): out (T, N, H) with out[t] = h_t after reading x[t];
    h_T (N, H) the last hidden state.
    """
    raise NotImplementedError("rnn_forward: see README.md")


def lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh):
    """One LSTM step, gates packed in the order (i, f, g, o).

    x_t: (N, I).  h, c: (N, H).  W_ih: (4H, I).  W_hh: (4H, H).  b_ih, b_hh: (4H,).
    Returns (h_new, c_new), each (N, H).
    """
    raise NotImplementedError("lstm_cell: see README.md")


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    """Run a one-layer LSTM over a whole sequence.

    x: (T, N, I).  h0, c0: (N, H), or None for zeros.  Weights as in lstm_cell.
    Returns (out, h_T, c_T): out (T, N, H) with out[t] = h_t; h_T, c_T (N, H).
    """
    raise NotImplementedError("lstm_forward: see README.md")
