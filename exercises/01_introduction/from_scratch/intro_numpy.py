"""01 · What learning from data means — your from-scratch code (NumPy only).

Replace every `raise NotImplementedError(...)` with your implementation.
The exact contract (shapes, conventions, tolerances) is in ../README.md.
Check your work with `mlgrade check 01_introduction`.
"""

from __future__ import annotations

import numpy as np


def numeric_derivative(f, x, h=1e-5):
    """Approximate f'(x) with the centred difference (f(x + h) − f(x − h)) / (2·h).

    Args:
        f: a function of one real number, returning a real number (e.g. np.sin).
        x: float, the point where the slope is wanted.
        h: float, the step; use exactly the h you are given.

    Returns:
        float: the approximate derivative f'(x).
    """
    raise NotImplementedError("numeric_derivative: see README.md")


def mse(w, b, x, y):
    """Mean squared error of the line ŷ = w·x + b on the data.

    Args:
        w, b: floats, slope and intercept.
        x, y: float64 arrays of shape (n,).

    Returns:
        float: (1/n) · Σ_i (w·x_i + b − y_i)²   (a mean: no 1/2, no square root).
    """
    raise NotImplementedError("mse: see README.md")


def mse_gradients(w, b, x, y):
    """Gradients of mse(w, b, x, y) with respect to w and b.

    Args:
        w, b: floats.
        x, y: float64 arrays of shape (n,).

    Returns:
        tuple (dL_dw, dL_db) of two floats.
    """
    raise NotImplementedError("mse_gradients: see README.md")


def fit_line(x, y, lr=0.1, epochs=500):
    """Fit y ≈ w·x + b by gradient descent on the MSE.

    Start from w = 0.0 and b = 0.0. Each epoch: record the current loss, compute both
    gradients at the current (w, b), then update w and b together.

    Args:
        x, y: float64 arrays of shape (n,).
        lr: float, the learning rate.
        epochs: int, the number of updates.

    Returns:
        tuple (w, b, losses): w and b floats; losses a float64 array of shape (epochs,)
        where losses[t] is the loss BEFORE update t (losses[0] = loss at w = b = 0).
    """
    raise NotImplementedError("fit_line: see README.md")
