"""08 · Support vector machines from scratch — NumPy only.

Replace every `raise NotImplementedError(...)` with your implementation.
The exact contract (shapes, conventions, tolerances) is in ../README.md.
Check your work with `mlgrade check 08_svm`.

Notation: X is (n, d), y is (n,) with labels in {−1, +1}, w is (d,), b is a float,
f(x) = x·w + b. The objective (SVC's primal, a SUM over rows, bias not regularised):

    J(w, b) = ½‖w‖² + C · Σᵢ max(0, 1 − yᵢ·f(xᵢ))
"""

from __future__ import annotations

import numpy as np

# ----------------------------------------------------------------------------- linear SVM


def hinge_loss(X, y, w, b):
    """Per-row hinge loss.

    Args:
        X: float64 (n, d); y: (n,) in {−1, +1}; w: float64 (d,); b: float.

    Returns:
        float64 (n,): max(0, 1 − yᵢ·(xᵢ·w + b)) for every row (not summed, not averaged).
    """
    raise NotImplementedError("hinge_loss: see README.md")


def svm_objective(X, y, w, b, C=1.0):
    """The soft-margin objective J(w, b) = ½‖w‖² + C·Σᵢ hinge_i.

    A SUM over the rows (not a mean); b is not regularised.

    Returns:
        float.
    """
    raise NotImplementedError("svm_objective: see README.md")


def svm_subgradient(X, y, w, b, C=1.0):
    """A subgradient of svm_objective at (w, b).

    Active rows are those with yᵢ·f(xᵢ) < 1 (strictly: a row exactly on the margin,
    yᵢ·f(xᵢ) = 1, has hinge 0 and contributes 0).

        dw = w − C·Σ_active yᵢ·xᵢ        db = −C·Σ_active yᵢ

    Returns:
        tuple (dw, db): dw float64 (d,), db a float.
    """
    raise NotImplementedError("svm_subgradient: see README.md")


def fit_linear_svm(X, y, C=1.0, lr=0.001, epochs=2000):
    """Full-batch subgradient descent on svm_objective with a constant step lr.

    Start from w = np.zeros(d), b = 0.0. Each epoch: record objectives[t] = J(w, b) BEFORE the
    update, take (dw, db) = svm_subgradient at the current (w, b), then w ← w − lr·dw and
    b ← b − lr·db.

    Returns:
        tuple (w, b, objectives): w float64 (d,), b a float, objectives float64 (epochs,)
        (objectives[0] = J(0, 0) = C·n).
    """
    raise NotImplementedError("fit_linear_svm: see README.md")


def predict(X, w, b):
    """Labels in {−1, +1}: +1 where x·w + b > 0, −1 where x·w + b ≤ 0 (as SVC.predict).

    Returns:
        int64 (n,).
    """
    raise NotImplementedError("predict: see README.md")


def margin_width(w):
    """The distance between the hyperplanes x·w + b = +1 and x·w + b = −1.

    Returns:
        float: 2 / ‖w‖.
    """
    raise NotImplementedError("margin_width: see README.md")


def support_vector_indices(X, y, w, b, tol=1e-3):
    """The rows on or inside the margin (or misclassified): yᵢ·(xᵢ·w + b) ≤ 1 + tol.

    Returns:
        int64 (k,): their row indices, sorted increasingly.
    """
    raise NotImplementedError("support_vector_indices: see README.md")


# ----------------------------------------------------------------------------- kernels


def rbf_kernel(A, B, gamma):
    """The RBF (Gaussian) kernel matrix.

    Args:
        A: float64 (n_a, d); B: float64 (n_b, d); gamma: float > 0.

    Returns:
        float64 (n_a, n_b): K[i, j] = exp(−gamma·‖A[i] − B[j]‖²).
    """
    raise NotImplementedError("rbf_kernel: see README.md")


def gamma_scale(X):
    """SVC's gamma="scale" for the data X (n, d).

    Returns:
        float: 1 / (d · X.var()), with X.var() the variance of ALL entries of X.
    """
    raise NotImplementedError("gamma_scale: see README.md")


def rbf_decision_function(X, support_vectors, dual_coef, intercept, gamma):
    """Decision function of a kernel SVM with the RBF kernel.

    Args:
        X: float64 (n, d) rows to score.
        support_vectors: float64 (n_sv, d)   (SVC's support_vectors_).
        dual_coef: float64 (n_sv,), αⱼ·yⱼ    (SVC's dual_coef_[0]).
        intercept: float                      (SVC's intercept_[0]).
        gamma: float.

    Returns:
        float64 (n,): f(x) = Σⱼ dual_coef[j]·exp(−gamma·‖x − support_vectors[j]‖²) + intercept.
    """
    raise NotImplementedError("rbf_decision_function: see README.md")
