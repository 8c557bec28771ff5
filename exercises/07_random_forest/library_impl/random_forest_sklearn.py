"""Random forest with scikit-learn: RandomForestClassifier and its feature importances."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def fit_random_forest(X, y, n_estimators=100, max_depth=None, max_features="sqrt",
                      random_state=0):
    """Fit and return a sklearn.ensemble.RandomForestClassifier on (X, y).

    Pass n_estimators, max_depth, max_features and random_state through, with
    bootstrap=True and oob_score=True (so the fitted model has oob_score_). Same
    arguments → the very same forest as RandomForestClassifier built by hand.
    """
    raise NotImplementedError("fit_random_forest: see README.md")


def feature_importances(X, y, n_estimators=100, random_state=0):
    """Importances of a forest fitted with fit_random_forest(X, y, n_estimators, random_state=...).

    Returns (importances, order): importances = the fitted model's feature_importances_,
    float64 (d,), summing to 1; order = int64 (d,) feature indices from the most to the
    least important, ties by the smaller index: np.argsort(-importances, kind="stable").
    """
    raise NotImplementedError("feature_importances: see README.md")
