"""Gradient boosting with scikit-learn, and optionally XGBoost and LightGBM.

Every fit function returns the FITTED estimator. XGBoost and LightGBM are imported inside
their functions: this module must import (and the sklearn checks must run) where they are
not installed.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.metrics import mean_squared_error


def fit_sklearn_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                          min_samples_leaf=1):
    """GradientBoostingRegressor (squared error, subsample=1.0, max_features=None), fitted."""
    model = GradientBoostingRegressor(n_estimators=n_estimators, learning_rate=learning_rate,
                                      max_depth=max_depth, min_samples_leaf=min_samples_leaf,
                                      random_state=0)
    return model.fit(X, y)


def fit_sklearn_classifier(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                           min_samples_leaf=1):
    """GradientBoostingClassifier (log loss, subsample=1.0, max_features=None), fitted."""
    model = GradientBoostingClassifier(n_estimators=n_estimators, learning_rate=learning_rate,
                                       max_depth=max_depth, min_samples_leaf=min_samples_leaf,
                                       random_state=0)
    return model.fit(X, y)


def staged_mse(model, X, y):
    """The MSE on (X, y) after every stage of a fitted regressor: (n_estimators,) float64."""
    return np.array([mean_squared_error(y, y_pred) for y_pred in model.staged_predict(X)])


def fit_xgboost_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                          min_samples_leaf=1):
    """Optional: xgboost.XGBRegressor with the settings closest to sklearn's, fitted."""
    from xgboost import XGBRegressor

    model = XGBRegressor(n_estimators=n_estimators, learning_rate=learning_rate,
                         max_depth=max_depth, min_child_weight=min_samples_leaf,
                         reg_lambda=0.0, tree_method="exact", random_state=0)
    return model.fit(X, y)


def fit_lightgbm_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                           min_samples_leaf=1):
    """Optional: lightgbm.LGBMRegressor with the settings closest to sklearn's, fitted."""
    from lightgbm import LGBMRegressor

    model = LGBMRegressor(n_estimators=n_estimators, learning_rate=learning_rate,
                          max_depth=max_depth, num_leaves=2 ** max_depth,
                          min_child_samples=min_samples_leaf, min_child_weight=0.0,
                          reg_lambda=0.0, random_state=0, verbose=-1)
    return model.fit(X, y)
