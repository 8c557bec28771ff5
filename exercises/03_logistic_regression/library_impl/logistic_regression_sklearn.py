"""03 · Logistic regression with scikit-learn.

Replace every `raise NotImplementedError(...)` with your implementation (see ../README.md).

Your from-scratch objective is J = mean BCE + (lam/2)·‖w‖² (b not penalised).
sklearn's LogisticRegression(C=...) minimises C·Σ BCE + ½‖w‖² (intercept not penalised).
The README derives how the two are related.
"""

from __future__ import annotations

import numpy as np


def c_from_lambda(lam, n_samples):
    """sklearn's C for your L2 strength lam on a training set of n_samples rows.

    Args:
        lam: float ≥ 0; n_samples: int.

    Returns:
        float: C (np.inf when lam == 0: no penalty).
    """
    raise NotImplementedError("c_from_lambda: see README.md")


def fit_sklearn(X, y, lam=0.0):
    """A LogisticRegression fitted on X (n, d), y (n,) that minimises the same objective as
    your from-scratch `fit` with this lam: C = c_from_lambda(lam, n), converged tightly
    (tol=1e-10, max_iter=10_000), default solver (lbfgs) and fit_intercept=True.

    Returns:
        the fitted LogisticRegression estimator itself (the checks read coef_, intercept_, C).
    """
    raise NotImplementedError("fit_sklearn: see README.md")
