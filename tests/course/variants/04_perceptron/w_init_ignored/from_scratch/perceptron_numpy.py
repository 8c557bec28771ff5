"""04 · The perceptron (NumPy only) — reference solution.

One neuron: z = x·w + b, output ŷ = step(z) ∈ {0, 1} with step(z) = 1 if z > 0 else 0.
Rosenblatt's rule, one sample at a time:  w ← w + lr·(y − ŷ)·x,  b ← b + lr·(y − ŷ).
It converges on linearly separable data (AND, OR) and never on XOR.
"""

from __future__ import annotations

import numpy as np


def step(z):
    """Heaviside step: 1 where z > 0, 0 where z ≤ 0 (so step(0) = 0), int64, same shape."""
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.int64)


def predict(X, w, b):
    """Labels 0/1 of the rows of X: step(X·w + b), int64 (n,)."""
    return step(np.asarray(X, dtype=np.float64) @ w + b)


def update(w, b, x, y, lr=1.0):
    """One perceptron step on one sample (x, y); returns the new (w, b).

    ŷ = step(x·w + b); w ← w + lr·(y − ŷ)·x, b ← b + lr·(y − ŷ). When ŷ == y nothing changes.
    """
    w = np.asarray(w, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    error = int(y) - int(step(x @ w + b))        # −1, 0 or +1
    return w + lr * error * x, float(b + lr * error)


def fit(X, y, lr=1.0, max_epochs=100, w_init=None, b_init=0.0):
    """Train with the perceptron rule, visiting the samples in order 0, 1, …, n−1 each epoch.

    Starts from w = 0 (or a copy of w_init) and b = b_init. errors[e] counts the samples of
    epoch e that were misclassified when visited (= the updates made in that epoch). Training
    stops after the first epoch without a mistake, or after max_epochs epochs.

    Returns (w, b, errors, converged): w float64 (d,), b float, errors int64 (epochs run,),
    converged True iff the last epoch made no mistake.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    w = np.zeros(X.shape[1])
    b = float(b_init)
    errors = []
    for _ in range(max_epochs):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            if step(x_i @ w + b) != y_i:
                mistakes += 1
            w, b = update(w, b, x_i, y_i, lr)
        errors.append(mistakes)
        if mistakes == 0:
            break
    errors = np.array(errors, dtype=np.int64)
    return w, b, errors, bool(errors[-1] == 0)
