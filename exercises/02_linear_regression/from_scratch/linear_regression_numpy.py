"""02 · Linear regression from scratch — NumPy only (matplotlib for the plot).

Replace every `raise NotImplementedError(...)` with your implementation.
The exact contract (shapes, conventions, tolerances) is in ../README.md.
Check your work with `mlgrade check 02_linear_regression`.

Notation: X is (n, d), y is (n,), w is (d,), b is a float, ŷ = X·w + b is (n,).
"""

from __future__ import annotations

import numpy as np


def predict(X, w, b):
    """Predictions of the linear model.

    Args:
        X: float64 array (n, d).
        w: float64 array (d,).
        b: float.

    Returns:
        float64 array (n,): ŷ = X·w + b.
    """
    raise NotImplementedError("predict: see README.md")


def mse(y_true, y_pred):
    """Mean squared error.

    Args:
        y_true, y_pred: float64 arrays (n,).

    Returns:
        float: (1/n)·Σᵢ (y_pred[i] − y_true[i])²  (a mean: no ½, no square root).
    """
    raise NotImplementedError("mse: see README.md")


def mse_gradients(X, y, w, b):
    """Gradient of mse(y, predict(X, w, b)) with respect to w and b.

    Args:
        X: (n, d); y: (n,); w: (d,); b: float.

    Returns:
        tuple (dw, db): dw a float64 array (d,), db a float.
    """
    raise NotImplementedError("mse_gradients: see README.md")


def fit_gd(X, y, lr=0.1, epochs=1000):
    """Batch gradient descent on the MSE.

    Start from w = np.zeros(d), b = 0.0. Each epoch: record the MSE of the current (w, b),
    compute dw and db at the current (w, b), then update both. Vectorise over the samples
    (no Python loop over the n rows): the checks run up to 6000 epochs on 442 rows.

    Args:
        X: (n, d); y: (n,); lr: float learning rate; epochs: int number of updates.

    Returns:
        tuple (w, b, losses): w (d,), b float, losses float64 (epochs,) with losses[t] the MSE
        BEFORE update t (losses[0] is the MSE at w = 0, b = 0).
    """
    raise NotImplementedError("fit_gd: see README.md")


def fit_normal_equation(X, y):
    """Closed-form least squares with an intercept.

    Append a column of ones, A = [X | 1] of shape (n, d + 1), and solve min ‖A·θ − y‖² with
    np.linalg.lstsq (or np.linalg.solve on AᵀA·θ = Aᵀy). Then w = θ[:-1], b = θ[-1].

    Args:
        X: (n, d); y: (n,).

    Returns:
        tuple (w, b): w float64 (d,), b float.
    """
    raise NotImplementedError("fit_normal_equation: see README.md")


def plot_fit(x, y, w, b):
    """A matplotlib Figure with the data as points and the line ŷ = w·x + b.

    Draw the data unchanged as points (ax.scatter(x, y)) and the line as a solid line across
    the whole range of x (from x.min() to x.max()). Return the Figure (not (fig, ax)), and
    do not call plt.show().

    Args:
        x, y: float64 arrays (n,) (one feature).
        w, b: floats.

    Returns:
        matplotlib.figure.Figure
    """
    raise NotImplementedError("plot_fit: see README.md")
