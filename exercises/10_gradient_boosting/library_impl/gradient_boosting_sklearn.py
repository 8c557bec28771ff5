"""10 · Gradient boosting with scikit-learn (and, optionally, XGBoost and LightGBM).

Replace every `raise NotImplementedError(...)` with your implementation (see ../README.md).
Every fit function returns the FITTED estimator itself.

Import xgboost / lightgbm INSIDE their functions, never at the top of this file: the
file must import where they are not installed.
"""

from __future__ import annotations

import numpy as np  # noqa: F401
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor  # noqa: F401
from sklearn.metrics import mean_squared_error  # noqa: F401


def fit_sklearn_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                          min_samples_leaf=1):
    """GradientBoostingRegressor with these settings and random_state=0 (everything else at
    its default: squared error, subsample=1.0, max_features=None), fitted on X, y."""
    raise NotImplementedError("fit_sklearn_regressor: see README.md")


def fit_sklearn_classifier(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                           min_samples_leaf=1):
    """GradientBoostingClassifier with these settings and random_state=0 (log loss,
    subsample=1.0, max_features=None), fitted on X, y."""
    raise NotImplementedError("fit_sklearn_classifier: see README.md")


def staged_mse(model, X, y):
    """The MSE of a fitted regressor on (X, y) after every stage: float64 (n_estimators,).

    Use model.staged_predict(X) and sklearn.metrics.mean_squared_error(y, y_pred).
    """
    raise NotImplementedError("staged_mse: see README.md")


def fit_xgboost_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                          min_samples_leaf=1):
    """Optional (only checked where xgboost is installed): an xgboost.XGBRegressor with the
    settings closest to sklearn's (README.md), fitted."""
    raise NotImplementedError("fit_xgboost_regressor: optional, see README.md")


def fit_lightgbm_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                           min_samples_leaf=1):
    """Optional (only checked where lightgbm is installed): a lightgbm.LGBMRegressor with the
    settings closest to sklearn's (README.md), fitted."""
    raise NotImplementedError("fit_lightgbm_regressor: optional, see README.md")
