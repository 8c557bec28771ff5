"""08 · Support vector machines from scratch — NumPy only.

A linear soft-margin SVM trained by subgradient descent on the primal objective

    J(w, b) = ½‖w‖² + C · Σᵢ max(0, 1 − yᵢ(w·xᵢ + b))        (a SUM over the rows)

with labels yᵢ ∈ {−1, +1} and an unregularised bias b: the very objective
sklearn.svm.SVC(kernel="linear", C=C) minimises. Then the RBF kernel and the decision
function of a kernel SVM, given its support vectors and dual coefficients.

Notation: X is (n, d), y is (n,) in {−1, +1}, w is (d,), b is a float, f(x) = x·w + b.
The exact contract (shapes, conventions, tolerances) is in ../README.md.
"""

from __future__ import annotations

import numpy as np

# ----------------------------------------------------------------------------- linear SVM


def hinge_loss(X, y, w, b):
    """Per-row hinge loss max(0, 1 − yᵢ·f(xᵢ)): float64 (n,), every value ≥ 0."""
    margins = y * (X @ w + b)
    return np.maximum(0.0, 1.0 - margins)


def svm_objective(X, y, w, b, C=1.0):
    """J(w, b) = ½‖w‖² + C·Σᵢ hinge_i (a sum, bias not regularised): a float."""
    return float(0.5 * np.dot(w, w) + C * np.sum(hinge_loss(X, y, w, b)))


def svm_subgradient(X, y, w, b, C=1.0):
    """A subgradient (dw, db) of svm_objective at (w, b).

    A row contributes when its margin yᵢ·f(xᵢ) < 1 (strictly: a row exactly on the margin,
    yᵢ·f(xᵢ) = 1, contributes 0):  dw = w − C·Σ_active yᵢxᵢ,  db = −C·Σ_active yᵢ.
    """
    active = y * (X @ w + b) < 1.0
    dw = w - C * (y[active] @ X[active])
    db = -C * float(np.sum(y[active]))
    return dw, db


def fit_linear_svm(X, y, C=1.0, lr=0.001, epochs=2000):
    """Full-batch subgradient descent on svm_objective with a constant step lr.

    Start from w = 0, b = 0. Each epoch: record objectives[t] = J(w, b) BEFORE the update,
    take (dw, db) = svm_subgradient at the current (w, b), then w ← w − lr·dw, b ← b − lr·db.
    Returns (w (d,), b float, objectives float64 (epochs,)).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.zeros(X.shape[1])
    b = 0.0
    objectives = np.empty(epochs)
    for t in range(epochs):
        objectives[t] = svm_objective(X, y, w, b, C)
        dw, db = svm_subgradient(X, y, w, b, C)
        w = w - lr * dw
        b = b - lr * db
    return w, float(b), objectives


def predict(X, w, b):
    """Labels in {−1, +1}: +1 where f(x) = x·w + b > 0, −1 where f(x) ≤ 0 (as SVC): int64 (n,)."""
    return np.where(X @ w + b > 0, 1, -1).astype(np.int64)


def margin_width(w):
    """Width of the margin, the distance between the hyperplanes f(x) = +1 and f(x) = −1: 2/‖w‖."""
    return float(2.0 / np.linalg.norm(w))


def support_vector_indices(X, y, w, b, tol=1e-3):
    """Sorted int64 indices of the rows on or inside the margin: yᵢ·f(xᵢ) ≤ 1 + tol."""
    margins = y * (X @ w + b)
    return np.flatnonzero(margins <= 1.0 + tol).astype(np.int64)


# ----------------------------------------------------------------------------- kernels


def rbf_kernel(A, B, gamma):
    """K[i, j] = exp(−γ·‖A[i] − B[j]‖²): float64 (n_a, n_b)."""
    sq = (np.sum(A ** 2, axis=1)[:, None] + np.sum(B ** 2, axis=1)[None, :]
          - 2.0 * A @ B.T)
    return np.exp(-gamma * np.maximum(sq, 0.0))


def gamma_scale(X):
    """SVC's gamma="scale": 1 / (n_features · X.var()), the variance of ALL entries of X."""
    return float(1.0 / (X.shape[1] * X.var(axis=0).mean()))


def rbf_decision_function(X, support_vectors, dual_coef, intercept, gamma):
    """f(x) = Σⱼ dual_coef[j]·K(support_vectors[j], x) + intercept, for every row of X: (n,).

    dual_coef (n_sv,) holds αⱼ·yⱼ (SVC's dual_coef_[0]); intercept is SVC's intercept_[0].
    """
    return rbf_kernel(X, support_vectors, gamma) @ dual_coef + intercept
