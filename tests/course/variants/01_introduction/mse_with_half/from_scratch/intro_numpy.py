"""01 · What learning from data means — reference solution.

data → model (ŷ = w·x + b) → loss (mean squared error) → gradients → update, repeated.
"""

from __future__ import annotations

import numpy as np


def numeric_derivative(f, x, h=1e-5):
    """Centred difference (f(x+h) − f(x−h)) / (2h): the slope of f at x, error O(h²)."""
    return float((f(x + h) - f(x - h)) / (2.0 * h))


def mse(w, b, x, y):
    """Mean squared error of the line ŷ = w·x + b on the data (x, y)."""
    residual = w * x + b - y
    return float(0.5 * np.mean(residual**2))


def mse_gradients(w, b, x, y):
    """(∂L/∂w, ∂L/∂b) of the MSE: ((2/n)·Σ(ŷ−y)·x, (2/n)·Σ(ŷ−y))."""
    residual = w * x + b - y
    return float(2.0 * np.mean(residual * x)), float(2.0 * np.mean(residual))


def fit_line(x, y, lr=0.1, epochs=500):
    """Fit y ≈ w·x + b by gradient descent on the MSE, starting from w = b = 0.

    losses[t] is the loss of the parameters *before* update t (so losses[0] is the loss
    at w = b = 0); both gradients are computed at the same (old) parameters.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w, b = 0.0, 0.0
    losses = np.empty(epochs, dtype=np.float64)
    for t in range(epochs):
        losses[t] = mse(w, b, x, y)
        dw, db = mse_gradients(w, b, x, y)
        w, b = w - lr * dw, b - lr * db
    return w, b, losses
