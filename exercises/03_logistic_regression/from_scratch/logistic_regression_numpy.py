"""03 · Logistic regression from scratch — NumPy only (matplotlib for the plot).

Replace every `raise NotImplementedError(...)` with your implementation.
The exact contract (shapes, conventions, tolerances) is in ../README.md.
Check your work with `mlgrade check 03_logistic_regression`.

Notation: X is (n, d), y is (n,) with labels 0.0 / 1.0, w is (d,), b is a float,
z = X·w + b is (n,) (the logits, i.e. the log-odds), p = sigmoid(z) = p(y=1 | x).
Objective: J(w, b) = mean BCE + (lam/2)·‖w‖²  (the bias b is not penalised).
"""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    """The logistic function 1 / (1 + e^(−z)), elementwise and numerically stable.

    No numpy warning (overflow) and no NaN for any z, including |z| ≥ 1000:
    sigmoid(−1000) = 0.0, sigmoid(1000) = 1.0, sigmoid(0) = 0.5.

    Args:
        z: float64 array of any shape.

    Returns:
        float64 array of the same shape.
    """
    raise NotImplementedError("sigmoid: see README.md")


def bce_with_logits(z, y):
    """Mean binary cross-entropy computed from the logits z (not from probabilities).

    BCE(z, y) = log(1 + e^z) − y·z  (equal to −[y·log p + (1 − y)·log(1 − p)], p = sigmoid(z)),
    exact for any z: bce_with_logits([1000.], [0.]) is 1000.0, not inf or NaN.

    Args:
        z: float64 array (n,) of logits.
        y: float64 array (n,) of labels 0.0 / 1.0.

    Returns:
        float: the mean over the n samples.
    """
    raise NotImplementedError("bce_with_logits: see README.md")


def decision_function(X, w, b):
    """The logits z = X·w + b.

    Args:
        X: (n, d); w: (d,); b: float.

    Returns:
        float64 array (n,).
    """
    raise NotImplementedError("decision_function: see README.md")


def loss(w, b, X, y, lam=0.0):
    """The objective J(w, b) = mean BCE of (X·w + b, y) + (lam/2)·‖w‖²  (b not penalised).

    Args:
        w: (d,); b: float; X: (n, d); y: (n,) labels 0.0 / 1.0; lam: float ≥ 0.

    Returns:
        float.
    """
    raise NotImplementedError("loss: see README.md")


def gradient(w, b, X, y, lam=0.0):
    """The gradient of `loss` with respect to w and b.

    Returns:
        tuple (dJ_dw, dJ_db): dJ_dw a float64 array (d,), dJ_db a float.
    """
    raise NotImplementedError("gradient: see README.md")


def fit(X, y, lam=0.0, lr=0.1, epochs=1000):
    """Full-batch gradient descent on `loss`.

    Start from w = np.zeros(d), b = 0.0. Each epoch: record losses[t] = loss(w, b, X, y, lam)
    of the current (w, b), compute both gradients at the current (w, b), then update both:
    w ← w − lr·dJ/dw, b ← b − lr·dJ/db. Vectorise over the samples (the checks run 3000
    epochs on 569 rows).

    Args:
        X: (n, d); y: (n,) labels 0.0 / 1.0; lam: L2 strength; lr: step size; epochs: int.

    Returns:
        tuple (w, b, losses): w float64 (d,), b float, losses float64 (epochs,) with
        losses[t] the objective BEFORE update t (losses[0] = ln 2 at w = 0, b = 0).
    """
    raise NotImplementedError("fit: see README.md")


def predict_proba(X, w, b):
    """p(y=1 | x) = sigmoid(X·w + b) for every row: float64 array (n,)."""
    raise NotImplementedError("predict_proba: see README.md")


def predict(X, w, b):
    """Class labels: int64 array (n,), 1 where z = X·w + b > 0, else 0 (z == 0 gives 0)."""
    raise NotImplementedError("predict: see README.md")


def log_odds(p):
    """log(p / (1 − p)) elementwise (natural log), the inverse of sigmoid.

    Args:
        p: float64 array of probabilities in (0, 1).

    Returns:
        float64 array of the same shape.
    """
    raise NotImplementedError("log_odds: see README.md")


def plot_decision_boundary(X, y, w, b):
    """A matplotlib Figure with the 2-D data and the decision boundary x·w + b = 0.

    Draw every point (ax.scatter, x1 horizontal, x2 vertical; colour by class if you like)
    and the line where p = 0.5 across the range of the data (ax.plot of two end points, or
    ax.contour of z at level 0). Return the Figure (not (fig, ax)); do not call plt.show().

    Args:
        X: (n, 2) float64; y: (n,) labels 0 / 1; w: (2,); b: float.

    Returns:
        matplotlib.figure.Figure
    """
    raise NotImplementedError("plot_decision_boundary: see README.md")
