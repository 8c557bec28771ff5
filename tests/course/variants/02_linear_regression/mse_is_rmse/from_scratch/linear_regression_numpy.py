"""02 · Linear regression from scratch (NumPy) — reference solution.

Model ŷ = X·w + b, loss MSE = (1/n)·‖ŷ − y‖², fitted two ways: gradient descent and the
normal equation (solved with least squares on [X | 1]).
"""

from __future__ import annotations

import numpy as np


def predict(X, w, b):
    """ŷ = X·w + b, shape (n,)."""
    return X @ w + b


def mse(y_true, y_pred):
    """Mean squared error (1/n)·Σ(ŷᵢ − yᵢ)²."""
    return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))


def mse_gradients(X, y, w, b):
    """(∂L/∂w, ∂L/∂b) = ((2/n)·Xᵀ(ŷ − y), (2/n)·Σ(ŷ − y))."""
    n = X.shape[0]
    residual = predict(X, w, b) - y
    return (2.0 / n) * (X.T @ residual), float((2.0 / n) * np.sum(residual))


def fit_gd(X, y, lr=0.1, epochs=1000):
    """Batch gradient descent from w = 0, b = 0; losses[t] is the MSE before update t."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.zeros(X.shape[1])
    b = 0.0
    losses = np.empty(epochs)
    for t in range(epochs):
        losses[t] = mse(y, predict(X, w, b))
        dw, db = mse_gradients(X, y, w, b)
        w = w - lr * dw
        b = b - lr * db
    return w, b, losses


def fit_normal_equation(X, y):
    """Least squares in closed form: append a column of ones, solve with np.linalg.lstsq.

    lstsq solves min ‖A·θ − y‖² through an SVD, the same θ as the normal equation
    AᵀA·θ = Aᵀy without forming AᵀA (which squares the condition number).
    """
    X = np.asarray(X, dtype=np.float64)
    A = np.column_stack([X, np.ones(X.shape[0])])
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    return theta[:-1], float(theta[-1])


def plot_fit(x, y, w, b):
    """Scatter of the data (x, y) and the fitted line ŷ = w·x + b over [min x, max x]."""
    from matplotlib.figure import Figure

    x = np.asarray(x, dtype=np.float64).ravel()
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    ax.scatter(x, y, s=12, alpha=0.7, label="data")
    xs = np.array([x.min(), x.max()])
    ax.plot(xs, w * xs + b, color="C1", linewidth=2, label=f"ŷ = {w:.3g}·x {b:+.3g}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend()
    return fig
