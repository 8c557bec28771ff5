"""Logistic regression from scratch (NumPy only): reference solution.

Model   p(y=1 | x) = sigmoid(z),  z = x·w + b  (z is the logit, the log-odds)
Loss    J(w, b) = mean_i BCE(z_i, y_i) + (lam / 2)·‖w‖²   (the bias b is not penalised)
        BCE(z, y) = log(1 + e^z) − y·z                      (computed from logits)
Mapping to sklearn: LogisticRegression(C) minimises C·Σ BCE + ½‖w‖²; dividing by C·n
gives J with lam = 1 / (C·n).
"""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    """Numerically stable logistic function, elementwise, float64, same shape as z."""
    z = np.asarray(z, dtype=np.float64)
    # exp is only ever taken of a non-positive number: no overflow, no warning
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def bce_with_logits(z, y):
    """Mean binary cross-entropy computed from logits z (not probabilities)."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    # log(1 + e^z) = logaddexp(0, z), exact for any |z|
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def decision_function(X, w, b):
    """The logits z = X·w + b, shape (n,)."""
    return np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + float(b)


def loss(w, b, X, y, lam=0.0):
    """Objective J(w, b) = mean BCE + (lam/2)·‖w‖² (bias not penalised)."""
    w = np.asarray(w, dtype=np.float64)
    return bce_with_logits(decision_function(X, w, b), y) + 0.5 * lam * (float(w @ w) + b * b)


def gradient(w, b, X, y, lam=0.0):
    """Gradient of `loss`: (dJ/dw of shape (d,), dJ/db as a float)."""
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    residual = sigmoid(decision_function(X, w, b)) - np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    return X.T @ residual / n + lam * w, float(residual.mean()) + lam * b


def fit(X, y, lam=0.0, lr=0.1, epochs=1000):
    """Full-batch gradient descent from w = 0, b = 0.

    Returns (w, b, losses): w (d,), b a float, losses a float64 array (epochs,) with
    losses[t] the objective J before update t (so losses[0] = ln 2 at w = 0, b = 0).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.zeros(X.shape[1])
    b = 0.0
    losses = np.empty(epochs)
    for t in range(epochs):
        losses[t] = loss(w, b, X, y, lam)
        grad_w, grad_b = gradient(w, b, X, y, lam)
        w = w - lr * grad_w
        b = b - lr * grad_b
    return w, b, losses


def predict_proba(X, w, b):
    """p(y=1 | x) for every row of X, shape (n,)."""
    return sigmoid(decision_function(X, w, b))


def predict(X, w, b):
    """Class labels (int64, 0/1): 1 where z = X·w + b > 0, else 0 (z == 0 gives 0)."""
    return (decision_function(X, w, b) > 0).astype(np.int64)


def log_odds(p):
    """log(p / (1 − p)), elementwise; the inverse of sigmoid."""
    p = np.asarray(p, dtype=np.float64)
    return np.log(p) - np.log1p(-p)


def plot_decision_boundary(X, y, w, b):
    """Scatter the 2-D points coloured by class and draw the line x·w + b = 0.

    Returns a matplotlib Figure (built without pyplot).
    """
    from matplotlib.figure import Figure

    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    w = np.asarray(w, dtype=np.float64)
    fig = Figure(figsize=(5, 4))
    ax = fig.add_subplot()
    for label, colour in ((0, "tab:blue"), (1, "tab:orange")):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=14, c=colour, label=f"class {label}")
    lo, hi = X.min(axis=0), X.max(axis=0)
    if abs(w[1]) >= abs(w[0]):            # solve for x2 along the x1 range
        x1 = np.array([lo[0], hi[0]])
        x2 = -(w[0] * x1 + b) / w[1]
    else:                                  # nearly vertical: solve for x1 instead
        x2 = np.array([lo[1], hi[1]])
        x1 = -(w[1] * x2 + b) / w[0]
    ax.plot(x1, x2, "k-", label="decision boundary (p = 0.5)")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(loc="best")
    return fig
