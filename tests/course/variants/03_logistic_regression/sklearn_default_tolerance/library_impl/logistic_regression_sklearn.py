"""Logistic regression with scikit-learn: reference solution.

The from-scratch objective is  mean BCE + (lam/2)·‖w‖²  (bias not penalised).
sklearn's LogisticRegression minimises  C·Σ BCE + ½‖w‖²  (intercept not penalised).
Dividing sklearn's objective by C·n gives ours with lam = 1/(C·n), so C = 1/(lam·n);
lam = 0 (no penalty) is C = np.inf.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression


def c_from_lambda(lam, n_samples):
    """sklearn's C for the from-scratch L2 strength lam on n_samples rows."""
    if lam == 0:
        return np.inf
    return 1.0 / (lam * n_samples)


def fit_sklearn(X, y, lam=0.0):
    """A LogisticRegression fitted to (X, y) that minimises the same objective as fit()."""
    X = np.asarray(X, dtype=np.float64)
    model = LogisticRegression(C=c_from_lambda(lam, X.shape[0]), max_iter=10_000)
    return model.fit(X, y)
