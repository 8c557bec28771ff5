"""04 · The perceptron from scratch — NumPy only (no library file in this topic).

Replace every `raise NotImplementedError(...)` with your implementation.
The exact contract (shapes, conventions, tolerances) is in ../README.md.
Check your work with `mlgrade check 04_perceptron`.

Notation: X is (n, d) float64, y is (n,) int labels 0 / 1, w is (d,), b is a float,
z = X·w + b, ŷ = step(z) with step(z) = 1 if z > 0 else 0 (so step(0) = 0).
"""

from __future__ import annotations

import numpy as np


def step(z):
    """The Heaviside step, elementwise: 1 where z > 0, 0 where z ≤ 0 (step(0) = 0).

    Args:
        z: float64 array of any shape.

    Returns:
        int64 array of the same shape, values 0 / 1.
    """
    raise NotImplementedError("step: see README.md")


def predict(X, w, b):
    """Labels of the rows of X: step(X·w + b).

    Args:
        X: (n, d); w: (d,); b: float.

    Returns:
        int64 array (n,), values 0 / 1.
    """
    raise NotImplementedError("predict: see README.md")


def update(w, b, x, y, lr=1.0):
    """One perceptron step on one sample.

    ŷ = step(x·w + b); w ← w + lr·(y − ŷ)·x; b ← b + lr·(y − ŷ).
    A correctly classified sample (ŷ == y) changes nothing.

    Args:
        w: (d,) float64; b: float; x: (d,) one sample; y: int label 0 / 1; lr: float.

    Returns:
        tuple (w_new, b_new): w_new float64 (d,), b_new float.
    """
    raise NotImplementedError("update: see README.md")


def fit(X, y, lr=1.0, max_epochs=100, w_init=None, b_init=0.0):
    """Train with the perceptron rule, one sample at a time.

    Start from w = np.zeros(d) (or a copy of w_init when it is given) and b = b_init.
    Each epoch visits the samples in order 0, 1, …, n−1 (no shuffling); each sample is
    predicted with the CURRENT weights and, if misclassified, counted and updated at once.
    Stop after the first epoch without a mistake, or after max_epochs epochs (max_epochs ≥ 1).

    Args:
        X: (n, d) float64; y: (n,) int labels 0 / 1; lr: float; max_epochs: int;
        w_init: None or (d,) float64; b_init: float.

    Returns:
        tuple (w, b, errors, converged):
            w float64 (d,), b float,
            errors int64 (epochs run,): errors[e] = samples misclassified when visited in
            epoch e (= the updates made in epoch e),
            converged bool: True exactly when the last epoch run made no mistake.
    """
    raise NotImplementedError("fit: see README.md")
