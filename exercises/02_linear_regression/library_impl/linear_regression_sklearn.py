"""02 · Linear regression with scikit-learn.

Replace every `raise NotImplementedError(...)` with your implementation (see ../README.md).
"""

from __future__ import annotations


def fit_sklearn(X, y):
    """Fit sklearn.linear_model.LinearRegression (default settings) on X (n, d), y (n,).

    Returns:
        the fitted LinearRegression estimator itself (the checks read its coef_,
        intercept_ and call its predict).
    """
    raise NotImplementedError("fit_sklearn: see README.md")


def evaluate(model, X, y):
    """Score a fitted model on X, y with sklearn.metrics.

    Returns:
        dict {"mse": float, "r2": float}: mean_squared_error and r2_score of
        model.predict(X) against the true y.
    """
    raise NotImplementedError("evaluate: see README.md")
